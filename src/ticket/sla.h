/*
 * sla.h - service levels: how soon a ticket gets its first response and
 * its resolution, in business time of the organisation's calendar
 * (ticket/business_time.h), per queue and priority.
 *
 * A policy names a queue or any queue, a priority or any priority, the
 * minutes to the first response and to the resolution, and the share of
 * that time after which a ticket is in warning. The most specific policy
 * wins: queue and priority, then queue alone, then priority alone, then
 * neither.
 *
 * When a ticket is created, and again when its queue or priority changes,
 * its dues are computed from its creation (tickets.sla_response_due,
 * sla_resolution_due). While it is pending the clocks stand still: when
 * it leaves pending, every target not yet met moves later by the business
 * time it spent pending. The first response is tickets.first_response_at
 * (the first outbound reply or phone note), the resolution resolved_at.
 *
 * State per ticket (tickets.sla_state): none (no policy), ok, warning
 * (warn_percent of a target's time used up), breached (a target missed;
 * it stays missed) or met (both targets met). A job (and
 * POST /api/v1/sla/check) moves states as time passes and records the
 * events "ticket.sla.warning" and "ticket.sla.breach" once per ticket
 * and kind, however many instances run it.
 *
 * Strings in the structs below come from the context's arena.
 */
#ifndef DD_TICKET_SLA_H
#define DD_TICKET_SLA_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/calendar.h"
#include "store/event.h"
#include "ticket/ticket.h"

/* A target of at most about 25 weeks of 8-hour business days: longer is
 * not a service level, and holidays are loaded for the span it needs. */
#define DD_SLA_MINUTES_MAX 60000
/* Policies one organisation keeps: one per queue and priority and a few
 * defaults; more means something generates them by mistake. */
#define DD_SLA_POLICIES_MAX 1000
/* Tickets one check evaluates per read (the work is paged by id). */
#define DD_SLA_CHECK_BATCH 1000

enum dd_sla_state {
	DD_SLA_NONE,
	DD_SLA_OK,
	DD_SLA_WARNING,
	DD_SLA_BREACHED,
	DD_SLA_MET,
};

enum dd_sla_target {
	DD_SLA_TARGET_NONE,
	DD_SLA_TARGET_RESPONSE,
	DD_SLA_TARGET_RESOLUTION,
};

/* "none", "ok", ...; parse returns 0 or -1 for an unknown name. */
const char *dd_sla_state_name(enum dd_sla_state s);
int dd_sla_state_parse(const char *name, enum dd_sla_state *out);
/* "first_response", "resolution" (NULL for none). */
const char *dd_sla_target_name(enum dd_sla_target t);

struct dd_sla_policy {
	int64_t id;
	int64_t queue_id; /* 0: any queue */
	int priority;	  /* 0: any priority */
	int first_response_minutes;
	int resolution_minutes;
	int warn_percent; /* 1-99 */
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

/* What a create or update sets; *_set 0 leaves a field as it is (its
 * default on create: any queue, any priority, warn at 80 %). */
struct dd_sla_policy_input {
	int64_t queue_id; /* 0 with queue_set: any queue */
	int queue_set;
	int priority; /* 0 with priority_set: any priority */
	int priority_set;
	int first_response_minutes, first_response_set;
	int resolution_minutes, resolution_set;
	int warn_percent, warn_set;
};

/* ---- pure ---- */

/* The policy that applies to a ticket in queue_id (0: none) with
 * priority, among the n in p; NULL when none does. The result points
 * into p. */
const struct dd_sla_policy *dd_sla_policy_choose(const struct dd_sla_policy *p,
						 int n, int64_t queue_id,
						 int priority);

/* Check a policy's fields (not its queue's existence): 0, or -1 with a
 * 400 naming the field. */
int dd_sla_policy_check(const struct dd_sla_policy *p, struct dd_err *err);

/* The dues of policy p for a clock started at start_ms. 0, or -1 when the
 * calendar has no business time (the dues are then 0: no target). */
int dd_sla_dues(const struct dd_calendar *cal, const struct dd_sla_policy *p,
		int64_t start_ms, int64_t *response_due,
		int64_t *resolution_due);

/* A due after a pause from paused_at to resumed_at: later by the business
 * time between them. A due at or before paused_at was missed before the
 * pause and stays where it is; 0 stays 0. */
int64_t dd_sla_due_after_pause(const struct dd_calendar *cal, int64_t due,
			       int64_t paused_at, int64_t resumed_at);

/* What the state of a ticket is computed from. */
struct dd_sla_clock {
	int64_t response_due, resolution_due;	/* 0: no target */
	int64_t first_response_at, resolved_at; /* 0: not yet */
	int64_t pending_since;			/* 0: not pending */
	/* The targets' length in business minutes and the warning share;
	 * 0 minutes: no warning for that target (no policy applies now). */
	int response_minutes, resolution_minutes;
	int warn_percent;
};

struct dd_sla_verdict {
	enum dd_sla_state state;
	/* The target that decided a warning or breach, and its due. */
	enum dd_sla_target target;
	int64_t due;
};

/*
 * The state at now_ms. A pending ticket is judged at pending_since (its
 * clocks stand still). A response counts as given at first_response_at,
 * or at resolved_at when there was none. Breached when a target was met
 * late or its due has passed unmet; met when both were met in time;
 * warning when an unmet target has at most (100 - warn_percent) % of its
 * business time left; else ok. No dues: none.
 */
void dd_sla_evaluate(const struct dd_calendar *cal,
		     const struct dd_sla_clock *c, int64_t now_ms,
		     struct dd_sla_verdict *out);

/* ---- policies in the store ---- */

/* Create a policy with its event. 400 for bad fields or a queue that does
 * not exist, 409 when a policy for the same queue and priority exists. */
int dd_sla_policy_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			 const struct dd_sla_policy_input *in,
			 struct dd_sla_policy *out, struct dd_err *err);
/* 404 when there is no such policy. */
int dd_sla_policy_get(struct dd_ctx *ctx, int64_t id, struct dd_sla_policy *out,
		      struct dd_err *err);
/* if_version > 0 refuses (412) a stale update and changes nothing. Dues
 * of existing tickets stay as they are. */
int dd_sla_policy_update(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t id, const struct dd_sla_policy_input *in,
			 int64_t if_version, struct dd_sla_policy *out,
			 struct dd_err *err);
int dd_sla_policy_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t id, struct dd_err *err);
/* All policies (at most DD_SLA_POLICIES_MAX) in id order into an arena
 * array. */
int dd_sla_policy_all(struct dd_ctx *ctx, struct dd_sla_policy **out,
		      int *count, struct dd_err *err);

void dd_sla_policy_to_json(const struct dd_sla_policy *p,
			   struct dd_json_out *j);

/* ---- tickets ---- */

/*
 * For dd_ticket_create, inside its transaction, after the row is written
 * (t->id, queue, priority and status set; the clock starts at now_ms):
 * compute and store the dues and state when a policy applies. 0 or -1.
 */
int dd_sla_ticket_created(struct dd_ctx *ctx, const struct dd_ticket *t,
			  int64_t now_ms, struct dd_err *err);

/*
 * For dd_ticket_update, inside its transaction, after the row is written:
 * before is the ticket as it was, paused_since its pending_since then (0
 * when it was not pending). Recomputes the dues when the queue or the
 * priority changed (keeping the pauses already counted), moves them when
 * the ticket left pending, and stores the state at now_ms, recording a
 * warning or breach event when the state becomes one. 0 or -1.
 */
int dd_sla_ticket_updated(struct dd_ctx *ctx, const struct dd_ticket *before,
			  int64_t paused_since, int64_t now_ms,
			  struct dd_err *err);

/*
 * Inside the caller's transaction: store the state of ticket id at now_ms
 * from its row as it is (for modules that set first_response_at or
 * resolve tickets by other ways than dd_ticket_update), with the event of
 * a new warning or breach. 0 or -1.
 */
int dd_sla_ticket_refresh(struct dd_ctx *ctx, int64_t id, int64_t now_ms,
			  struct dd_err *err);

/* One state change made by a check. */
struct dd_sla_change {
	int64_t ticket_id;
	int64_t number;
	enum dd_sla_state from, to;
	enum dd_sla_target target;
	int64_t due;
	int event; /* nonzero when this change recorded an event */
};

struct dd_sla_check_stats {
	int checked;  /* tickets evaluated */
	int changed;  /* states changed */
	int warnings; /* "ticket.sla.warning" events recorded */
	int breaches; /* "ticket.sla.breach" events recorded */
};

/*
 * The check: evaluate every new or open ticket in state ok or warning at
 * now_ms and store the states that changed, each change in its own
 * transaction, conditional on the state it was read with (so that of
 * several instances checking at once one makes each change), with the
 * event "ticket.sla.warning" or "ticket.sla.breach" unless the ticket has
 * one of that kind already. fn (may be NULL) is called for each change;
 * it returns 0 to go on. 0 or -1.
 */
int dd_sla_check(struct dd_ctx *ctx, const struct dd_actor *actor,
		 int64_t now_ms,
		 int (*fn)(const struct dd_sla_change *c, void *arg), void *arg,
		 struct dd_sla_check_stats *stats, struct dd_err *err);

#endif
