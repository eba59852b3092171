/*
 * triage.h - the head of mailbox's queue: mail that joined no ticket and
 * that no assignment rule took (reason "new"), a subject tag from a
 * stranger ("stranger-tag", with the ticket it names suggested), a reply
 * to a closed ticket ("closed-ticket"), mail sent by a machine
 * ("automatic"), a delivery report naming no ticket ("bounce"). Items
 * addressed personally to a colleague name them in personal_id.
 *
 * The four actions of the seed, each one request, each recorded in the
 * event log ("triage.create-ticket", "triage.append", "triage.answer",
 * "triage.forward") and each closing the item (status done, with who,
 * when, and the ticket):
 *
 *   create-ticket  a ticket from the mail (queue, owner, priority), the
 *                  mail its first article;
 *   append         the mail onto an existing ticket;
 *   answer         a reply to the sender straight from the queue (no
 *                  ticket), through the outbox;
 *   forward        the mail to a colleague, through the outbox.
 *
 * Who may act: members of the configured triage group (head of mailbox
 * and substitute) and editors; with no group configured, every signed-in
 * person. Everyone signed in may read the queue.
 */
#ifndef DD_MAIL_TRIAGE_H
#define DD_MAIL_TRIAGE_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

struct dd_triage_item {
	int64_t id;
	int64_t mail_id;
	const char *reason;
	int64_t personal_id; /* 0: not addressed personally */
	int64_t suggested_ticket_id;
	const char *status; /* open, done */
	const char *action; /* NULL while open */
	int64_t done_by;
	int64_t done_at;
	int64_t ticket_id;
	int64_t version;
	int64_t created_at;
	/* From the message. */
	const char *subject;
	const char *from_addr;
	const char *from_name;
	const char *flags;
	int64_t received_at;
};

/* Inside the caller's transaction: a new open item for mail_id. */
int dd_triage_add(struct dd_ctx *ctx, const struct dd_actor *actor,
		  int64_t mail_id, const char *reason, int64_t personal_id,
		  int64_t suggested_ticket_id, int64_t *id, struct dd_err *err);

int dd_triage_get(struct dd_ctx *ctx, int64_t id, struct dd_triage_item *out,
		  struct dd_err *err);
/* status NULL for any; newest first below before_id (0: from the
 * newest). */
int dd_triage_list(struct dd_ctx *ctx, const char *status, int64_t before_id,
		   int limit,
		   int (*fn)(const struct dd_triage_item *t, void *arg),
		   void *arg, struct dd_err *err);

/* May person_id (with role editor or more when is_editor) act on the
 * queue? *allowed set. */
int dd_triage_may_act(struct dd_ctx *ctx, int64_t person_id, int is_editor,
		      int *allowed, struct dd_err *err);

struct dd_triage_ticket {
	int64_t queue_id, owner_id; /* 0: none (the rules may set them) */
	int priority;		    /* 0: default */
	const char *subject;	    /* NULL: the mail's */
};

/* The actions. Each returns 0 with the item updated in out, or -1 with
 * err filled: 404 no such item (or ticket, person), 409 the item is
 * done already, 400 bad input. */
int dd_triage_create_ticket(struct dd_ctx *ctx, const struct dd_actor *actor,
			    int64_t id, const struct dd_triage_ticket *in,
			    struct dd_triage_item *out, struct dd_err *err);
int dd_triage_append(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, int64_t ticket_id, struct dd_triage_item *out,
		     struct dd_err *err);

/* Answer the sender directly (Reply-To, else From) with body: a reply
 * through the outbox, threaded to the mail; no ticket. *outbox_id gets
 * the mail's outbox row. */
int dd_triage_answer(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, const char *body, int64_t *outbox_id,
		     struct dd_triage_item *out, struct dd_err *err);
/* Forward the mail to the colleague person_id (their own address), the
 * original attached as message/rfc822, note (may be NULL) first. */
int dd_triage_forward(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, int64_t person_id, const char *note,
		      int64_t *outbox_id, struct dd_triage_item *out,
		      struct dd_err *err);

void dd_triage_to_json(const struct dd_triage_item *t, struct dd_json_out *j);

#endif
