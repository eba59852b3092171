/*
 * rules.h - assignment rules: an ordered list of "when these conditions
 * hold, set these fields" applied to every ticket as it is created.
 *
 * Conditions (all that are given must hold; none given matches every
 * ticket):
 *   - organisation: the ticket's organisation is one of a list;
 *   - channel: one of phone, email, web, api;
 *   - priority: one of a set of priorities (a list or a range);
 *   - subject words: one of the words or phrases starts a word of the
 *     subject, compared after dd_search_normalise, so case, umlauts and
 *     their transliteration do not matter ("störung" finds "STOERUNGEN").
 * Actions: a queue, an owner, a priority.
 *
 * Order: rules run by position (then id). The first rule that matches
 * wins and ends the run, unless it says "continue": then its actions are
 * applied and the following rules see the changed ticket (a rule that
 * raises the priority lets a later rule match on it); a later action
 * overrides an earlier one. Fields the creator set explicitly (queue,
 * owner, priority given in the request) are never overridden: a person
 * who chose knows better than a rule. A disabled rule is skipped.
 *
 * Storage: assignment_rules holds conditions and actions as normalised
 * JSON text written by dd_rule_encode (lists sorted and de-duplicated,
 * words normalised, "continue" kept with the actions) and read by the
 * strict dd_rule_decode, so the domain needs no JSON library.
 */
#ifndef DD_TICKET_RULES_H
#define DD_TICKET_RULES_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"
#include "ticket/ticket.h"

/* Rules in the list: every ticket creation reads them all, and a desk
 * with more than a hundred rules cannot reason about their order. */
#define DD_RULES_MAX 100
/* Organisations or words in one condition. */
#define DD_RULE_LIST_MAX 32
/* Bytes of one word or phrase after normalising. */
#define DD_RULE_WORD_MAX 100
/* A rule's stored conditions or actions text. */
#define DD_RULE_TEXT_MAX (8 * 1024)

struct dd_rule_when {
	int org_count;
	int64_t org_ids[DD_RULE_LIST_MAX]; /* ascending; none: any */
	unsigned channels;		   /* DD_RULE_CHANNEL bits; 0: any */
	unsigned priorities;		   /* bit 1 << p, p in 1..4; 0: any */
	int word_count;
	const char *words[DD_RULE_LIST_MAX]; /* normalised; none: any */
};

/* Bits of dd_rule_when.channels, in the order of ticket channels. */
#define DD_RULE_CHANNEL_PHONE (1u << 0)
#define DD_RULE_CHANNEL_EMAIL (1u << 1)
#define DD_RULE_CHANNEL_WEB   (1u << 2)
#define DD_RULE_CHANNEL_API   (1u << 3)

struct dd_rule_then {
	int64_t queue_id; /* 0: leave as it is */
	int64_t owner_id; /* 0: leave as it is */
	int priority;	  /* 0: leave as it is */
};

struct dd_rule {
	int64_t id;
	int position;
	const char *name;
	int enabled;
	int cont; /* "continue": later rules run too */
	struct dd_rule_when when;
	struct dd_rule_then then;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

/* What a rule looks at. */
struct dd_rule_facts {
	int64_t organisation_id;
	const char *channel;
	int priority;
	const char *subject; /* normalised with dd_search_normalise */
};

/* Fields a rule must leave alone: the creator set them. */
struct dd_rule_keep {
	int queue, owner, priority;
};

/* The run's decision: fields to set (0: none) and which rules applied,
 * with what each of them set. */
struct dd_rule_outcome {
	struct dd_rule_then set;
	int count;
	int index[DD_RULES_MAX]; /* into the rules given */
	struct dd_rule_then applied[DD_RULES_MAX];
};

/* ---- pure ---- */

/* The channel bit of a ticket channel name, 0 for an unknown name. */
unsigned dd_rule_channel_bit(const char *channel);
/* Normalise a word or phrase of a condition into out (cap bytes):
 * dd_search_normalise, then single spaces and no space at the ends.
 * 0, or -1 with a 400 when nothing is left or it is too long. */
int dd_rule_word_normalise(const char *word, char *out, size_t cap,
			   struct dd_err *err);
/* Nonzero when the normalised phrase word starts a word of the
 * normalised subject. */
int dd_rule_subject_has(const char *subject, const char *word);
/* Nonzero when every condition of w holds for f. */
int dd_rule_matches(const struct dd_rule_when *w,
		    const struct dd_rule_facts *f);
/* Run rules[0..n) in the order given (callers sort by position) over
 * facts (its priority follows the rules' changes), leaving the kept
 * fields alone. */
void dd_rules_decide(const struct dd_rule *rules, int n,
		     struct dd_rule_facts *facts,
		     const struct dd_rule_keep *keep,
		     struct dd_rule_outcome *out);

/* Write the normalised conditions and actions text of r. 0, or -1 when
 * a buffer overflows. */
int dd_rule_encode(const struct dd_rule *r, struct dd_buf *conditions,
		   struct dd_buf *actions);
/* Read texts written by dd_rule_encode into r's when, then and cont
 * (words from arena). 0, or -1 for text it did not write. */
int dd_rule_decode(struct dd_arena *arena, const char *conditions,
		   const char *actions, struct dd_rule *r);

/* The rule as JSON: id, position, name, enabled, continue, conditions
 * (organisation_id, channel, priority, subject_words: always lists),
 * actions (queue_id, owner_id, priority: null when unset), version,
 * times. */
void dd_rule_to_json(const struct dd_rule *r, struct dd_json_out *j);

/* ---- storage ---- */

struct dd_rule_input {
	const char *name;
	int enabled_set, enabled;
	int cont_set, cont;
	int when_set; /* conditions replace the stored ones as a whole */
	struct dd_rule_when when; /* words as given; normalised here */
	int then_set;
	struct dd_rule_then then;
};

/* Create at the end of the list. 400 when a condition names no
 * organisation, an action no queue or no active person, or there are no
 * actions; 409 when the list is full. */
int dd_rule_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const struct dd_rule_input *in, struct dd_rule *out,
		   struct dd_err *err);
/* 404 when there is no such rule. */
int dd_rule_get(struct dd_ctx *ctx, int64_t id, struct dd_rule *out,
		struct dd_err *err);
/* Every rule in order (at most DD_RULES_MAX) into an arena array. */
int dd_rule_list(struct dd_ctx *ctx, struct dd_rule **out, int *count,
		 struct dd_err *err);
int dd_rule_update(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   const struct dd_rule_input *in, int64_t if_version,
		   struct dd_rule *out, struct dd_err *err);
int dd_rule_delete(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_err *err);
/* Put the rules in the order of ids, which must name every rule exactly
 * once (400 otherwise): positions become 1..n. */
int dd_rule_order(struct dd_ctx *ctx, const struct dd_actor *actor,
		  const int64_t *ids, int n, struct dd_err *err);

/* The name of a rule (arena) whose actions name queue_id (when > 0) or
 * owner person_id (when > 0) in *name, NULL when none does. */
int dd_rules_using(struct dd_ctx *ctx, int64_t queue_id, int64_t person_id,
		   const char **name, struct dd_err *err);

/* ---- on ticket creation (ticket.c, inside its transaction) ---- */

/* Rules applied to one ticket, to be recorded once it has an id. */
struct dd_rules_applied {
	int count;
	int64_t ids[DD_RULES_MAX];
	const char *names[DD_RULES_MAX];
	struct dd_rule_then set[DD_RULES_MAX];
};

/* Run the enabled rules over t (created from in) and set its queue,
 * owner and priority as they decide. An action whose queue is gone or
 * whose owner is no longer active is skipped (and logged). */
int dd_rules_apply(struct dd_ctx *ctx, const struct dd_ticket_input *in,
		   struct dd_ticket *t, struct dd_rules_applied *applied,
		   struct dd_err *err);
/* Append one "ticket.rule" event per applied rule to ticket_id. */
int dd_rules_record(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t now, int64_t ticket_id,
		    const struct dd_rules_applied *applied, struct dd_err *err);

#endif
