/*
 * alert.h - one alert per priority-1 ticket: it pages the people of the
 * escalation policy step by step until someone acknowledges it, and ends
 * when it is resolved.
 *
 * States: triggered -> acknowledged -> resolved (or triggered ->
 * resolved). A ticket becoming an open priority-1 ticket (created so, or
 * raised to priority 1, or reopened as one, by hand or by a customer's
 * reply) triggers its alert in the ticket's own transaction and pages
 * the policy's first step at once; a ticket that had an alert gets the
 * same alert back, triggered again from step 0 (its page log goes on);
 * the ticket leaving that state (resolved, closed, merged, priority
 * lowered) resolves it. Acknowledging stops the escalation; resolving
 * the alert stops it too and leaves the ticket to its owners.
 *
 * Every page is an outbox row (alert/notify.h) and a row of the alert's
 * page log. Escalation (dd_alert_escalate) is safe with several
 * instances: each alert is claimed with FOR UPDATE SKIP LOCKED on
 * PostgreSQL (SQLite has one writer) and its step counter is advanced
 * with a conditional update, so every step pages exactly once.
 *
 * This module reads tickets through SQL only: ticket/ calls it, never
 * the other way round.
 */
#ifndef DD_ALERT_ALERT_H
#define DD_ALERT_ALERT_H

#include <stdint.h>

#include "alert/ack_link.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* What alerting needs of a ticket (ticket.c fills it). */
struct dd_alert_ticket {
	int64_t id;
	int64_t number;
	const char *subject;
	int priority;
	const char *status;
	int64_t merged_into;
	int64_t comm_owner_id;
	int64_t tech_owner_id;
};

struct dd_alert {
	int64_t id;
	int64_t ticket_id;
	int64_t ticket_number;
	const char *subject;
	int64_t policy_id; /* 0: the built-in default */
	const char *state; /* triggered, acknowledged, resolved */
	int next_seq;	   /* the next firing of the policy */
	int64_t next_at;   /* when it is due; 0: none left */
	int64_t triggered_at;
	int64_t acknowledged_by;
	int64_t acknowledged_at;
	const char *acknowledged_via; /* api, link; NULL */
	int64_t resolved_by;
	int64_t resolved_at;
	int64_t comm_owner_id; /* the ticket's */
	int64_t tech_owner_id;
	int pages; /* pages sent so far */
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

/* Nonzero when t is an open priority-1 ticket (priority 1, status new,
 * open or pending, not merged). Pure. */
int dd_alert_ticket_active(const struct dd_alert_ticket *t);

/*
 * Inside the ticket's transaction, after the ticket was written: trigger
 * the alert when the ticket became an active priority-1 ticket (before
 * NULL for a new ticket), resolve it when it stopped being one. 0 or -1.
 */
int dd_alert_ticket_changed(struct dd_ctx *ctx, const struct dd_actor *actor,
			    const struct dd_alert_ticket *before,
			    const struct dd_alert_ticket *after, int64_t now,
			    struct dd_err *err);

/*
 * Inside the article's transaction: an internal note on a priority-1
 * ticket written by its technical owner notifies its communication owner
 * at once (the seed: the emergency duty keeps telephone service up to
 * date). Does nothing otherwise. 0 or -1.
 */
int dd_alert_ticket_note(struct dd_ctx *ctx, const struct dd_alert_ticket *t,
			 int64_t author_id, int64_t article_id,
			 const char *body, int64_t now, struct dd_err *err);

/* 404 when there is no such alert. */
int dd_alert_get(struct dd_ctx *ctx, int64_t id, struct dd_alert *out,
		 struct dd_err *err);
/* The alert of a ticket: 1 found, 0 none, -1 error. */
int dd_alert_of_ticket(struct dd_ctx *ctx, int64_t ticket_id,
		       struct dd_alert *out, struct dd_err *err);

struct dd_alert_filter {
	const char *state; /* NULL: any; "open": triggered or acknowledged */
	int64_t before_id; /* cursor: alerts older than this; 0 */
	int limit;
};
/* Newest first; fn returns nonzero to stop. */
int dd_alert_list(struct dd_ctx *ctx, const struct dd_alert_filter *f,
		  int (*fn)(const struct dd_alert *a, void *arg), void *arg,
		  struct dd_err *err);

/* One row of an alert's page log. */
struct dd_alert_page {
	int64_t id;
	const char *kind;   /* page, note, reminder */
	int seq;	    /* the policy firing; -1 for notes */
	const char *target; /* "duty:2", "coordinator", ... */
	int64_t person_id;  /* 0: nobody */
	int64_t contact_method_id;
	int64_t outbox_id;
	const char *note; /* why, or why nobody was reached */
	int64_t created_at;
};
int dd_alert_pages(struct dd_ctx *ctx, int64_t alert_id,
		   int (*fn)(const struct dd_alert_page *p, void *arg),
		   void *arg, struct dd_err *err);

/* Acknowledge / resolve in their own transaction, by person_id (0: an
 * integration) through via ("api", "ui"). 409 when the alert is no
 * longer in a state that allows it. */
int dd_alert_acknowledge(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t id, int64_t person_id, const char *via,
			 struct dd_alert *out, struct dd_err *err);
int dd_alert_resolve(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, int64_t person_id, const char *via,
		     struct dd_alert *out, struct dd_err *err);

/*
 * A one-click link (alert/ack_link.h) used: check it, record its single
 * use and act as the person it was sent to, in one transaction. *changed
 * is 1 when the action changed the alert, 0 when the alert was past it
 * already (the link is used up all the same). out receives the alert.
 * Errors: 403 for an invalid or expired link, 409 for a used one.
 */
int dd_alert_act_by_link(struct dd_ctx *ctx, const struct dd_ack_token *t,
			 struct dd_alert *out, int *changed,
			 struct dd_err *err);

/* Page every due escalation step of every triggered alert (the job and
 * POST /api/v1/alerts/escalate). *fired gets the number of steps
 * fired. 0 or -1. */
int dd_alert_escalate(struct dd_ctx *ctx, int64_t now, int *fired,
		      struct dd_err *err);

void dd_alert_to_json(const struct dd_alert *a, struct dd_json_out *j);
void dd_alert_page_to_json(const struct dd_alert_page *p,
			   struct dd_json_out *j);

#endif
