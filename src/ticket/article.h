/*
 * article.h - what was said and done on a ticket: inbound mail, outbound
 * replies, phone notes, internal notes and web messages, each with its
 * author (a person or a customer contact), whether the customer may see
 * it, and the minutes worked.
 *
 * Writing an article is one transaction that also indexes its text for
 * search, raises the ticket's version, records the event
 * "ticket.article", and applies the two rules an article has on its
 * ticket:
 *
 *   - first response: the first outbound reply or phone note written by
 *     a person sets the ticket's first_response_at;
 *   - reopening: an inbound (customer-side) article that the customer can
 *     see, added to a resolved ticket, makes it open again. Staff replies
 *     never reopen.
 *
 * When a rule changes the ticket, its service-level state is refreshed
 * (ticket/sla.h) and a "ticket.update" event with the ticket's before and
 * after is recorded too, so the history shows it.
 *
 * Articles are never changed or deleted (a merge moves them to another
 * ticket). Strings in a struct dd_article come from the context's arena.
 */
#ifndef DD_TICKET_ARTICLE_H
#define DD_TICKET_ARTICLE_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* A person works at most a day on one article. */
#define DD_ARTICLE_MINUTES_MAX 1440

struct dd_article {
	int64_t id;
	int64_t ticket_id;
	const char *kind;	   /* inbound_mail, outbound_reply, ... */
	const char *visibility;	   /* customer or internal */
	int64_t author_id;	   /* person; 0 for none */
	int64_t author_contact_id; /* contact; 0 for none */
	const char *body;
	int minutes;
	int64_t created_at;
};

struct dd_article_input {
	const char *kind;	/* required */
	const char *body;	/* required: 1 to DD_LIMIT_ARTICLE_BODY bytes */
	const char *visibility; /* NULL: internal for internal notes, else
				   customer */
	int minutes;		/* 0..DD_ARTICLE_MINUTES_MAX */
	/* The author. Inbound kinds (inbound_mail, web) come from the
	 * customer: author_contact_id, or the ticket's contact when 0;
	 * author_id must be 0 and minutes 0. Staff kinds (outbound_reply,
	 * phone_note, internal_note) need a person in author_id. */
	int64_t author_id;
	int64_t author_contact_id;
};

/* Pure checks. */
int dd_article_kind_valid(const char *kind);
/* Inbound kinds are written by the customer's side. */
int dd_article_kind_inbound(const char *kind);
/*
 * Check in and fill what the article will be: the visibility default,
 * who the author is. Pure: the contact default and the existence of
 * referenced rows are checked by dd_article_create. Returns 0, or -1 with
 * a 400 in err naming the field.
 */
int dd_article_check(const struct dd_article_input *in, struct dd_err *err);

/* The rules, pure. Whether a makes a ticket in status open again: an
 * inbound, customer-visible article on a resolved ticket (a closed one
 * stays closed). Whether a is a response to the customer: an outbound
 * reply or phone note written by a person. */
int dd_article_reopens(const struct dd_article *a, const char *status);
int dd_article_responds(const struct dd_article *a);

/*
 * Add an article to ticket_id in one transaction (see above). out (may be
 * NULL) receives the new article. Returns 0, or -1 with err filled: 404
 * for no such ticket, 409 for a merged ticket, 400 for bad input or a
 * contact that does not exist. When the caller already holds a
 * transaction the article joins it, and the caller commits or rolls
 * back.
 */
int dd_article_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t ticket_id, const struct dd_article_input *in,
		      struct dd_article *out, struct dd_err *err);

/* 404 when there is no such article. */
int dd_article_get(struct dd_ctx *ctx, int64_t id, struct dd_article *out,
		   struct dd_err *err);

/*
 * Call fn for up to limit articles of ticket_id, oldest first, with ids
 * greater than after_id (a cursor; 0 to start). The article is valid only
 * during the call; fn returns 0 to go on. Returns 0, or -1 with err
 * filled (404 when there is no such ticket).
 */
int dd_article_list(struct dd_ctx *ctx, int64_t ticket_id, int64_t after_id,
		    int limit, int (*fn)(const struct dd_article *a, void *arg),
		    void *arg, struct dd_err *err);

/* The article as JSON. With full 0 the body is replaced by its length
 * and an excerpt (the event log: bodies are kept once, in the article,
 * and a page of events must stay small). */
void dd_article_to_json(const struct dd_article *a, int full,
			struct dd_json_out *j);
/* The excerpt length of dd_article_to_json, in bytes. */
#define DD_ARTICLE_EXCERPT 200

#endif
