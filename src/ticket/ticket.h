/*
 * ticket.h - tickets: a human number, subject, status, priority (1 is a
 * fault, an emergency), channel, customer organisation and contact, queue,
 * owner, due time, tags, and for priority 1 a communication owner (the
 * telephone duty) and a technical owner (the emergency duty).
 *
 * Status: new -> open -> pending -> resolved -> closed; resolved and
 * closed tickets can be reopened. Strings in a struct dd_ticket come from
 * the context's arena.
 */
#ifndef DD_TICKET_TICKET_H
#define DD_TICKET_TICKET_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* Tags on one ticket, and a tag's length: enough to classify, small
 * enough to list. */
#define DD_TICKET_TAGS_MAX 32
#define DD_TICKET_TAG_LEN  64
/* A subject is one line a person reads in a list. */
#define DD_TICKET_SUBJECT_MAX 500

struct dd_ticket {
	int64_t id;
	int64_t number;
	const char *subject;
	const char *status;
	int priority;
	const char *channel;
	int64_t organisation_id; /* 0: none */
	int64_t contact_id;
	int64_t queue_id;
	int64_t owner_id;
	int64_t comm_owner_id;
	int64_t tech_owner_id;
	const char *caller_phone;
	int needs_completion;
	int64_t due_at; /* 0: none */
	int64_t merged_into;
	int64_t first_response_at;
	int64_t resolved_at;
	int64_t closed_at;
	int64_t sla_response_due;
	int64_t sla_resolution_due;
	const char *sla_state;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
	int tag_count;
	const char *tags[DD_TICKET_TAGS_MAX];
};

/* What a create or update sets; *_set 0 leaves a field as it is (or its
 * default on create). Ids of 0 with *_set clear the field. */
struct dd_ticket_input {
	const char *subject;
	const char *status;
	int priority; /* 0: unset */
	const char *channel;
	int64_t organisation_id, contact_id, queue_id, owner_id;
	int organisation_set, contact_set, queue_set, owner_set;
	int64_t comm_owner_id, tech_owner_id;
	int comm_owner_set, tech_owner_set;
	int64_t due_at;
	int due_set;
	const char *caller_phone;
	int needs_completion, needs_completion_set;
	int tag_count;
	int tags_set;
	const char *tags[DD_TICKET_TAGS_MAX];
};

/* Pure checks. */
int dd_ticket_status_valid(const char *status);
int dd_ticket_channel_valid(const char *channel);
/* 0 when from -> to is allowed (the same status is allowed). */
int dd_ticket_transition_check(const char *from, const char *to,
			       struct dd_err *err);
/* A tag: 1-64 bytes of lower-case letters, digits, '-', '_', '.', ':'. */
int dd_ticket_tag_check(const char *tag, struct dd_err *err);

/*
 * Create a ticket and its event in one transaction. Defaults: status new,
 * priority 3, channel api, due at the start of core hours on the next
 * business day (the rota's calendar); a queue whose owner rule is
 * "project_manager" gives the ticket to its organisation's project
 * manager; a priority-1 ticket gets today's telephone duty as
 * communication owner and emergency duty as technical owner. Referenced
 * rows must exist (400 naming the field). The assignment rules
 * (ticket/rules.h) run first and each one applied is recorded as a
 * "ticket.rule" event. When the caller already holds a transaction the
 * create joins it, and the caller commits or rolls back.
 */
int dd_ticket_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_ticket_input *in, struct dd_ticket *out,
		     struct dd_err *err);

/* 404 when there is no such ticket. */
int dd_ticket_get(struct dd_ctx *ctx, int64_t id, struct dd_ticket *out,
		  struct dd_err *err);
/* By number; a merged ticket's number resolves to the ticket it was
 * merged into. */
int dd_ticket_get_by_number(struct dd_ctx *ctx, int64_t number,
			    struct dd_ticket *out, struct dd_err *err);

/* Change what in sets. if_version > 0 refuses (412) a stale update and
 * changes nothing. Status changes are checked and stamp resolved_at,
 * closed_at and the pending pause. */
int dd_ticket_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, const struct dd_ticket_input *in,
		     int64_t if_version, struct dd_ticket *out,
		     struct dd_err *err);

/* Inside the caller's transaction: the ticket row as it is now (for
 * modules that change tickets: articles, merge, rules). */
int dd_ticket_load(struct dd_ctx *ctx, int64_t id, struct dd_ticket *out,
		   struct dd_err *err);
/* Inside the caller's transaction: replace the ticket's search document
 * of source ("subject", "article:ID") with text (normalised here). */
int dd_ticket_index(struct dd_ctx *ctx, int64_t ticket_id, const char *source,
		    const char *text, struct dd_err *err);

/* The columns dd_ticket_read_row reads, in its order, of the tickets
 * table under the alias t; a query may add its own columns after them. */
#define DD_TICKET_COLUMNS                                                      \
	"t.id, t.number, t.subject, t.status, t.priority, t.channel,"          \
	" t.organisation_id, t.contact_id, t.queue_id, t.owner_id,"            \
	" t.comm_owner_id, t.tech_owner_id, t.caller_phone,"                   \
	" t.needs_completion, t.due_at, t.merged_into,"                        \
	" t.first_response_at, t.resolved_at, t.closed_at,"                    \
	" t.sla_response_due, t.sla_resolution_due, t.sla_state,"              \
	" t.version, t.created_at, t.updated_at"
/* A row selected with DD_TICKET_COLUMNS into t (tags not included);
 * strings copied to arena. */
struct dd_rows;
void dd_ticket_read_row(struct dd_arena *arena, struct dd_rows *rows,
			struct dd_ticket *t);

void dd_ticket_to_json(const struct dd_ticket *t, struct dd_json_out *j);

/* What alerting (alert/alert.h) needs of t; strings stay t's. */
struct dd_alert_ticket;
void dd_ticket_alert_view(const struct dd_ticket *t, struct dd_alert_ticket *a);
/* The ticket as a malloc'd JSON snapshot for the event log. */
char *dd_ticket_snapshot(const struct dd_ticket *t);

#endif
