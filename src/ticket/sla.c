#include "ticket/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tz.h"
#include "rota/settings.h"
#include "store/store.h"
#include "ticket/business_time.h"

#define POLICY_COLUMNS                                                         \
	"SELECT id, queue_id, priority, first_response_minutes,"               \
	" resolution_minutes, warn_percent, version, created_at,"              \
	" updated_at FROM sla_policies "

#define TICKET_SLA_COLUMNS                                                     \
	"SELECT id, number, queue_id, priority, owner_id, status,"             \
	" created_at, first_response_at, resolved_at, pending_since,"          \
	" sla_response_due, sla_resolution_due, sla_state FROM tickets "

/* Holidays the SLA arithmetic loads: every one from the clock's start
 * on. A few dozen a year, so this is decades. */
#define HOLIDAYS_MAX 4096
#define STR_(x)	     #x
#define STR(x)	     STR_(x)
/* Policy writers wait for each other, so two cannot both find no policy
 * for the same queue and priority (PostgreSQL; SQLite has one writer). */
#define POLICY_LOCK_KEY 0x736c6170 /* "slap" */
/* A warn share outside this is no warning at all, or nothing else. */
#define WARN_MIN     1
#define WARN_MAX     99
#define WARN_DEFAULT 80

static const char *const state_names[] = {"none", "ok", "warning", "breached",
					  "met"};

const char *dd_sla_state_name(enum dd_sla_state s)
{
	return (unsigned)s < 5 ? state_names[s] : "none";
}

int dd_sla_state_parse(const char *name, enum dd_sla_state *out)
{
	for (int i = 0; i < 5; i++)
		if (name && strcmp(name, state_names[i]) == 0) {
			*out = (enum dd_sla_state)i;
			return 0;
		}
	return -1;
}

const char *dd_sla_target_name(enum dd_sla_target t)
{
	switch (t) {
	case DD_SLA_TARGET_RESPONSE:
		return "first_response";
	case DD_SLA_TARGET_RESOLUTION:
		return "resolution";
	default:
		return NULL;
	}
}

/* ---- pure ---- */

const struct dd_sla_policy *dd_sla_policy_choose(const struct dd_sla_policy *p,
						 int n, int64_t queue_id,
						 int priority)
{
	const struct dd_sla_policy *best = NULL;
	int best_rank = -1;
	for (int i = 0; i < n; i++) {
		if (p[i].queue_id && p[i].queue_id != queue_id)
			continue;
		if (p[i].priority && p[i].priority != priority)
			continue;
		/* A queue says more about the work than a priority does. */
		int rank = (p[i].queue_id ? 2 : 0) + (p[i].priority ? 1 : 0);
		if (rank > best_rank ||
		    (rank == best_rank && p[i].id < best->id)) {
			best = &p[i];
			best_rank = rank;
		}
	}
	return best;
}

int dd_sla_policy_check(const struct dd_sla_policy *p, struct dd_err *err)
{
	if (p->queue_id < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'queue_id' must be a queue's id or null");
	if (p->priority < 0 || p->priority > 4)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'priority' must be 1 to 4 or null");
	if (p->first_response_minutes < 1 ||
	    p->first_response_minutes > DD_SLA_MINUTES_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'first_response_minutes' must be 1 to %d",
				  DD_SLA_MINUTES_MAX);
	if (p->resolution_minutes < 1 ||
	    p->resolution_minutes > DD_SLA_MINUTES_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'resolution_minutes' must be 1 to %d",
				  DD_SLA_MINUTES_MAX);
	if (p->resolution_minutes < p->first_response_minutes)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'resolution_minutes' (%d) must not be less "
				  "than 'first_response_minutes' (%d)",
				  p->resolution_minutes,
				  p->first_response_minutes);
	if (p->warn_percent < WARN_MIN || p->warn_percent > WARN_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'warn_percent' must be %d to %d", WARN_MIN,
				  WARN_MAX);
	return 0;
}

int dd_sla_dues(const struct dd_calendar *cal, const struct dd_sla_policy *p,
		int64_t start_ms, int64_t *response_due,
		int64_t *resolution_due)
{
	*response_due = *resolution_due = 0;
	if (dd_business_add_minutes(cal, start_ms, p->first_response_minutes,
				    response_due) < 0 ||
	    dd_business_add_minutes(cal, start_ms, p->resolution_minutes,
				    resolution_due) < 0) {
		*response_due = *resolution_due = 0;
		return -1;
	}
	return 0;
}

int64_t dd_sla_due_after_pause(const struct dd_calendar *cal, int64_t due,
			       int64_t paused_at, int64_t resumed_at)
{
	if (!due || due <= paused_at || resumed_at <= paused_at)
		return due;
	int64_t out;
	if (dd_business_add(cal, due,
			    dd_business_between(cal, paused_at, resumed_at),
			    &out) < 0)
		return due;
	return out;
}

/* One target's state at instant at. */
static enum dd_sla_state judge(const struct dd_calendar *cal, int64_t due,
			       int64_t done, int minutes, int warn_percent,
			       int64_t at)
{
	if (!due)
		return DD_SLA_NONE;
	if (done)
		return done <= due ? DD_SLA_MET : DD_SLA_BREACHED;
	if (at >= due)
		return DD_SLA_BREACHED;
	if (minutes > 0 && warn_percent > 0 && warn_percent < 100) {
		int64_t left = dd_business_between(cal, at, due);
		if (left * 100 <=
		    (int64_t)minutes * 60000 * (100 - warn_percent))
			return DD_SLA_WARNING;
	}
	return DD_SLA_OK;
}

void dd_sla_evaluate(const struct dd_calendar *cal,
		     const struct dd_sla_clock *c, int64_t now_ms,
		     struct dd_sla_verdict *out)
{
	int64_t at = c->pending_since && c->pending_since < now_ms
			     ? c->pending_since
			     : now_ms;
	int64_t responded =
		c->first_response_at ? c->first_response_at : c->resolved_at;
	enum dd_sla_state s[2] = {
		judge(cal, c->response_due, responded, c->response_minutes,
		      c->warn_percent, at),
		judge(cal, c->resolution_due, c->resolved_at,
		      c->resolution_minutes, c->warn_percent, at),
	};
	const enum dd_sla_target targets[2] = {DD_SLA_TARGET_RESPONSE,
					       DD_SLA_TARGET_RESOLUTION};
	const int64_t dues[2] = {c->response_due, c->resolution_due};
	*out = (struct dd_sla_verdict){DD_SLA_NONE, DD_SLA_TARGET_NONE, 0};
	/* The worst target decides: breached, then warning. */
	static const enum dd_sla_state order[] = {DD_SLA_BREACHED,
						  DD_SLA_WARNING};
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 2; i++)
			if (s[i] == order[k]) {
				*out = (struct dd_sla_verdict){
					order[k], targets[i], dues[i]};
				return;
			}
	if (s[0] == DD_SLA_NONE && s[1] == DD_SLA_NONE)
		return;
	if (s[0] == DD_SLA_OK || s[1] == DD_SLA_OK)
		out->state = DD_SLA_OK;
	else
		out->state = DD_SLA_MET;
}

/* ---- the calendar ---- */

/* The organisation's calendar with every holiday from the local day
 * before from_ms on (business time is only ever counted forward from
 * the earliest instant a caller names). */
static int load_calendar(struct dd_ctx *ctx, int64_t from_ms,
			 struct dd_calendar *cal, struct dd_err *err)
{
	struct dd_org_settings s;
	const struct dd_tz *tz;
	if (dd_settings_load(ctx, &s, err) < 0 ||
	    dd_tz_cache_get(ctx->tz_cache, s.time_zone, &tz, err) < 0)
		return -1;
	int64_t *days =
		dd_arena_alloc(ctx->arena, sizeof(int64_t) * HOLIDAYS_MAX);
	if (!days)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	char from[DD_DATE_TEXT_LEN];
	dd_date_format(dd_tz_local_day(tz, from_ms / 1000) - 1, from);
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT day FROM holidays WHERE day >= $1 ORDER BY "
			   "day LIMIT " STR(HOLIDAYS_MAX),
			   (struct dd_param[]){DD_P_TEXT(from)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc, n = 0;
	while ((rc = dd_rows_next(rows, err)) > 0 && n < HOLIDAYS_MAX) {
		int64_t d;
		if (dd_date_parse(dd_rows_text(rows, 0), &d) == 0)
			days[n++] = d;
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	*cal = (struct dd_calendar){
		.tz = tz,
		.workdays = s.workdays,
		.core_start = s.core_start,
		.core_end = s.core_end,
		.holidays = days,
		.holiday_count = n,
	};
	return 0;
}

/* ---- policies ---- */

void dd_sla_policy_to_json(const struct dd_sla_policy *p, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", p->id);
	dd_json_kid(j, "queue_id", p->queue_id);
	dd_json_kid(j, "priority", p->priority);
	dd_json_kint(j, "first_response_minutes", p->first_response_minutes);
	dd_json_kint(j, "resolution_minutes", p->resolution_minutes);
	dd_json_kint(j, "warn_percent", p->warn_percent);
	dd_json_kint(j, "version", p->version);
	dd_json_ktime(j, "created_at", p->created_at);
	dd_json_ktime(j, "updated_at", p->updated_at);
	dd_json_obj_end(j);
}

static char *policy_snapshot(const struct dd_sla_policy *p)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 4096);
	dd_json_out_init(&j, &buf);
	dd_sla_policy_to_json(p, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_policy(struct dd_rows *rows, struct dd_sla_policy *p)
{
	p->id = dd_rows_int(rows, 0);
	p->queue_id = dd_rows_int(rows, 1);
	p->priority = (int)dd_rows_int(rows, 2);
	p->first_response_minutes = (int)dd_rows_int(rows, 3);
	p->resolution_minutes = (int)dd_rows_int(rows, 4);
	p->warn_percent = (int)dd_rows_int(rows, 5);
	p->version = dd_rows_int(rows, 6);
	p->created_at = dd_rows_int(rows, 7);
	p->updated_at = dd_rows_int(rows, 8);
}

/* Policies of a query into arena memory (at most max). */
static int policies_query(struct dd_ctx *ctx, const char *sql,
			  const struct dd_param *params, int np, int max,
			  struct dd_sla_policy **out, int *count,
			  struct dd_err *err)
{
	struct dd_rows *rows;
	*count = 0;
	*out = dd_arena_alloc(ctx->arena,
			      sizeof(struct dd_sla_policy) * (size_t)max);
	if (!*out)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(ctx->store, sql, params, np, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && *count < max)
		read_policy(rows, &(*out)[(*count)++]);
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_sla_policy_all(struct dd_ctx *ctx, struct dd_sla_policy **out,
		      int *count, struct dd_err *err)
{
	return policies_query(ctx, POLICY_COLUMNS "ORDER BY id", NULL, 0,
			      DD_SLA_POLICIES_MAX, out, count, err);
}

/* The policy for a queue and priority: 1 with *out set, 0 none, -1. */
static int policy_for(struct dd_ctx *ctx, int64_t queue_id, int priority,
		      struct dd_sla_policy *out, struct dd_err *err)
{
	struct dd_sla_policy *all;
	int n;
	/* At most four rows can apply: the candidates of each rank. */
	if (policies_query(
		    ctx,
		    POLICY_COLUMNS
		    "WHERE (queue_id = $1 OR queue_id IS NULL) AND "
		    "(priority = $2 OR priority IS NULL) ORDER BY id",
		    (struct dd_param[]){DD_P_INT(queue_id), DD_P_INT(priority)},
		    2, DD_SLA_POLICIES_MAX, &all, &n, err) < 0)
		return -1;
	const struct dd_sla_policy *p =
		dd_sla_policy_choose(all, n, queue_id, priority);
	if (!p)
		return 0;
	*out = *p;
	return 1;
}

int dd_sla_policy_get(struct dd_ctx *ctx, int64_t id, struct dd_sla_policy *out,
		      struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, POLICY_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_policy(rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no service-level policy with id %lld",
				  (long long)id);
	return rc < 0 ? -1 : 0;
}

static void apply_input(const struct dd_sla_policy_input *in,
			struct dd_sla_policy *p)
{
	if (in->queue_set)
		p->queue_id = in->queue_id;
	if (in->priority_set)
		p->priority = in->priority;
	if (in->first_response_set)
		p->first_response_minutes = in->first_response_minutes;
	if (in->resolution_set)
		p->resolution_minutes = in->resolution_minutes;
	if (in->warn_set)
		p->warn_percent = in->warn_percent;
}

/* Inside a transaction: the queue exists and no other policy (not id)
 * has the same queue and priority. */
static int policy_place_free(struct dd_ctx *ctx, const struct dd_sla_policy *p,
			     struct dd_err *err)
{
	int64_t n = 0;
	if (dd_store_lock(ctx->store, POLICY_LOCK_KEY, err) < 0)
		return -1;
	if (p->queue_id) {
		if (dd_store_query_int(
			    ctx->store,
			    "SELECT COUNT(*) FROM queues WHERE id = $1",
			    (struct dd_param[]){DD_P_INT(p->queue_id)}, 1, &n,
			    err) < 0)
			return -1;
		if (n == 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'queue_id' names nothing (id %lld)",
					  (long long)p->queue_id);
	}
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM sla_policies WHERE "
			       "COALESCE(queue_id, 0) = $1 AND "
			       "COALESCE(priority, 0) = $2 AND id <> $3",
			       (struct dd_param[]){DD_P_INT(p->queue_id),
						   DD_P_INT(p->priority),
						   DD_P_INT(p->id)},
			       3, &n, err) < 0)
		return -1;
	if (n > 0) {
		char q[32], pr[16];
		if (p->queue_id)
			snprintf(q, sizeof(q), "queue %lld",
				 (long long)p->queue_id);
		else
			snprintf(q, sizeof(q), "any queue");
		if (p->priority)
			snprintf(pr, sizeof(pr), "priority %d", p->priority);
		else
			snprintf(pr, sizeof(pr), "any priority");
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "a service-level policy for %s and %s "
				  "exists already",
				  q, pr);
	}
	return 0;
}

static struct dd_param int_or_null(int64_t v)
{
	return v ? DD_P_INT(v) : DD_P_NULL;
}

int dd_sla_policy_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			 const struct dd_sla_policy_input *in,
			 struct dd_sla_policy *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), id = 0;
	struct dd_sla_policy p = {.warn_percent = WARN_DEFAULT};
	if (!in->first_response_set)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'first_response_minutes' is required");
	if (!in->resolution_set)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'resolution_minutes' is required");
	apply_input(in, &p);
	if (dd_sla_policy_check(&p, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (policy_place_free(ctx, &p, err) < 0)
		goto fail;
	struct dd_param params[] = {
		int_or_null(p.queue_id),
		int_or_null(p.priority),
		DD_P_INT(p.first_response_minutes),
		DD_P_INT(p.resolution_minutes),
		DD_P_INT(p.warn_percent),
		DD_P_INT(now),
	};
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO sla_policies (queue_id, priority, "
			       "first_response_minutes, resolution_minutes, "
			       "warn_percent, created_at, updated_at) VALUES "
			       "($1, $2, $3, $4, $5, $6, $6) RETURNING id",
			       params, 6, &id, err) < 0 ||
	    dd_sla_policy_get(ctx, id, out, err) < 0)
		goto fail;
	char *a = policy_snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "sla_policy.create",
				 "sla_policy", id, NULL, a, err);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_sla_policy_update(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t id, const struct dd_sla_policy_input *in,
			 int64_t if_version, struct dd_sla_policy *out,
			 struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_sla_policy before, p;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_sla_policy_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "service-level policy %lld was changed meanwhile "
			   "(version %lld, not %lld): reload and try again",
			   (long long)id, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	p = before;
	apply_input(in, &p);
	if (dd_sla_policy_check(&p, err) < 0 ||
	    policy_place_free(ctx, &p, err) < 0)
		goto fail;
	struct dd_param params[] = {
		DD_P_INT(id),
		int_or_null(p.queue_id),
		int_or_null(p.priority),
		DD_P_INT(p.first_response_minutes),
		DD_P_INT(p.resolution_minutes),
		DD_P_INT(p.warn_percent),
		DD_P_INT(now),
	};
	if (dd_store_exec(
		    ctx->store,
		    "UPDATE sla_policies SET queue_id = $2, priority = $3, "
		    "first_response_minutes = $4, resolution_minutes = $5, "
		    "warn_percent = $6, updated_at = $7, version = "
		    "version + 1 WHERE id = $1",
		    params, 7, err) < 0 ||
	    dd_sla_policy_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = policy_snapshot(&before), *a = policy_snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "sla_policy.update",
				 "sla_policy", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_sla_policy_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_sla_policy before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_sla_policy_get(ctx, id, &before, err) < 0 ||
	    dd_store_exec(ctx->store, "DELETE FROM sla_policies WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	char *b = policy_snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "sla_policy.delete",
				 "sla_policy", id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* ---- tickets ---- */

/* What the service level of one ticket is computed from. */
struct sla_row {
	int64_t id, number, queue_id, owner_id;
	int priority;
	char status[16];
	int64_t created_at, first_response_at, resolved_at, pending_since;
	int64_t response_due, resolution_due;
	enum dd_sla_state state;
};

static void read_sla_row(struct dd_rows *rows, struct sla_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = dd_rows_int(rows, 0);
	r->number = dd_rows_int(rows, 1);
	r->queue_id = dd_rows_int(rows, 2);
	r->priority = (int)dd_rows_int(rows, 3);
	r->owner_id = dd_rows_int(rows, 4);
	snprintf(r->status, sizeof(r->status), "%s",
		 dd_rows_text(rows, 5) ? dd_rows_text(rows, 5) : "");
	r->created_at = dd_rows_int(rows, 6);
	r->first_response_at = dd_rows_int(rows, 7);
	r->resolved_at = dd_rows_int(rows, 8);
	r->pending_since = dd_rows_int(rows, 9);
	r->response_due = dd_rows_int(rows, 10);
	r->resolution_due = dd_rows_int(rows, 11);
	if (dd_sla_state_parse(dd_rows_text(rows, 12), &r->state) < 0)
		r->state = DD_SLA_NONE;
}

static int sla_row_get(struct dd_ctx *ctx, int64_t id, struct sla_row *out,
		       struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, TICKET_SLA_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_sla_row(rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no ticket with id %lld", (long long)id);
	return rc < 0 ? -1 : 0;
}

static void clock_of(const struct sla_row *r, const struct dd_sla_policy *p,
		     struct dd_sla_clock *c)
{
	*c = (struct dd_sla_clock){
		.response_due = r->response_due,
		.resolution_due = r->resolution_due,
		.first_response_at = r->first_response_at,
		.resolved_at = r->resolved_at,
		.pending_since = r->pending_since,
		.response_minutes = p ? p->first_response_minutes : 0,
		.resolution_minutes = p ? p->resolution_minutes : 0,
		.warn_percent = p ? p->warn_percent : 0,
	};
}

/*
 * Record the event of a ticket's state becoming v->state (a warning or a
 * breach; other states record nothing) unless the ticket has an event of
 * that kind already. Inside the caller's transaction, after the row was
 * changed (which on PostgreSQL holds the row's lock, so two instances
 * cannot both find none). *recorded is set to 1 when it wrote one.
 */
static int record_event(struct dd_ctx *ctx, const struct dd_actor *actor,
			const struct sla_row *r, enum dd_sla_state from,
			const struct dd_sla_verdict *v, int64_t now,
			int *recorded, struct dd_err *err)
{
	static const struct dd_actor system_actor = {0, "system"};
	const char *action;
	int64_t seen = 0;
	*recorded = 0;
	if (v->state == DD_SLA_WARNING)
		action = "ticket.sla.warning";
	else if (v->state == DD_SLA_BREACHED)
		action = "ticket.sla.breach";
	else
		return 0;
	if (from == v->state)
		return 0;
	if (dd_store_query_int(
		    ctx->store,
		    "SELECT COUNT(*) FROM events WHERE object_type = "
		    "'ticket' AND object_id = $1 AND action = $2",
		    (struct dd_param[]){DD_P_INT(r->id), DD_P_TEXT(action)}, 2,
		    &seen, err) < 0)
		return -1;
	if (seen > 0)
		return 0;
	struct dd_buf before, after;
	struct dd_json_out j;
	dd_buf_init(&before, 256);
	dd_json_out_init(&j, &before);
	dd_json_obj_begin(&j);
	dd_json_kstr(&j, "sla_state", dd_sla_state_name(from));
	dd_json_obj_end(&j);
	dd_buf_init(&after, 1024);
	dd_json_out_init(&j, &after);
	dd_json_obj_begin(&j);
	dd_json_kint(&j, "number", r->number);
	dd_json_kstr(&j, "sla_state", dd_sla_state_name(v->state));
	dd_json_kstr(&j, "target", dd_sla_target_name(v->target));
	if (v->due)
		dd_json_ktime(&j, "due", v->due);
	else
		dd_json_knull(&j, "due");
	dd_json_kint(&j, "priority", r->priority);
	if (r->queue_id)
		dd_json_kint(&j, "queue_id", r->queue_id);
	else
		dd_json_knull(&j, "queue_id");
	if (r->owner_id)
		dd_json_kint(&j, "owner_id", r->owner_id);
	else
		dd_json_knull(&j, "owner_id");
	dd_json_obj_end(&j);
	int rc = dd_event_append(ctx->store, now, actor ? actor : &system_actor,
				 action, "ticket", r->id, dd_buf_str(&before),
				 dd_buf_str(&after), err);
	dd_buf_release(&before);
	dd_buf_release(&after);
	if (rc < 0)
		return -1;
	*recorded = 1;
	return 0;
}

/* Store r's dues and the state v (inside the caller's transaction), with
 * the event when the state became a warning or breach. */
static int store_state(struct dd_ctx *ctx, const struct sla_row *r,
		       enum dd_sla_state from, const struct dd_sla_verdict *v,
		       int64_t now, struct dd_err *err)
{
	int recorded;
	struct dd_param p[] = {
		DD_P_INT(r->id),
		int_or_null(r->response_due),
		int_or_null(r->resolution_due),
		DD_P_TEXT(dd_sla_state_name(v->state)),
	};
	if (dd_store_exec(
		    ctx->store,
		    "UPDATE tickets SET sla_response_due = $2, "
		    "sla_resolution_due = $3, sla_state = $4 WHERE id = $1",
		    p, 4, err) < 0)
		return -1;
	return record_event(ctx, NULL, r, from, v, now, &recorded, err);
}

int dd_sla_ticket_created(struct dd_ctx *ctx, const struct dd_ticket *t,
			  int64_t now_ms, struct dd_err *err)
{
	struct dd_sla_policy p;
	struct dd_calendar cal;
	int rc = policy_for(ctx, t->queue_id, t->priority, &p, err);
	if (rc <= 0)
		return rc;
	if (load_calendar(ctx, now_ms, &cal, err) < 0)
		return -1;
	struct sla_row r = {.id = t->id,
			    .number = t->number,
			    .queue_id = t->queue_id,
			    .owner_id = t->owner_id,
			    .priority = t->priority,
			    .created_at = now_ms};
	/* A calendar without business time gives no dues: no target. */
	if (dd_sla_dues(&cal, &p, now_ms, &r.response_due, &r.resolution_due) <
	    0)
		return 0;
	if (strcmp(t->status, "resolved") == 0 ||
	    strcmp(t->status, "closed") == 0)
		r.resolved_at = now_ms;
	if (strcmp(t->status, "pending") == 0)
		r.pending_since = now_ms;
	struct dd_sla_clock c;
	struct dd_sla_verdict v;
	clock_of(&r, &p, &c);
	dd_sla_evaluate(&cal, &c, now_ms, &v);
	/* The event of a ticket late from the start names its number. */
	if (v.state == DD_SLA_WARNING || v.state == DD_SLA_BREACHED) {
		struct sla_row row;
		if (sla_row_get(ctx, t->id, &row, err) < 0)
			return -1;
		r.number = row.number;
	}
	return store_state(ctx, &r, DD_SLA_NONE, &v, now_ms, err);
}

/* The business time a ticket's clock for a target of `minutes` was
 * paused so far, read off its due (which is that long after
 * created + minutes); 0 when it cannot be told. */
static int64_t paused_so_far(const struct dd_calendar *cal, int64_t created,
			     int64_t due, int minutes)
{
	if (!due || minutes <= 0)
		return 0;
	int64_t d = dd_business_between(cal, created, due) -
		    (int64_t)minutes * 60000;
	return d > 0 ? d : 0;
}

int dd_sla_ticket_updated(struct dd_ctx *ctx, const struct dd_ticket *before,
			  int64_t paused_since, int64_t now_ms,
			  struct dd_err *err)
{
	struct sla_row r;
	struct dd_calendar cal;
	struct dd_sla_policy p, old;
	int have_p = 0, have_old = 0;
	if (sla_row_get(ctx, before->id, &r, err) < 0)
		return -1;
	int moved = r.queue_id != before->queue_id ||
		    r.priority != before->priority;
	int resumed = paused_since && strcmp(r.status, "pending") != 0;
	/* Without a service level nothing changes but a new queue or
	 * priority can give it one. */
	if (!moved && r.state == DD_SLA_NONE && !r.response_due &&
	    !r.resolution_due)
		return 0;
	if ((have_p = policy_for(ctx, r.queue_id, r.priority, &p, err)) < 0)
		return -1;
	if (moved && (have_old = policy_for(ctx, before->queue_id,
					    before->priority, &old, err)) < 0)
		return -1;
	int64_t from = r.created_at;
	if (paused_since && paused_since < from)
		from = paused_since;
	if (load_calendar(ctx, from, &cal, err) < 0)
		return -1;
	if (moved) {
		int64_t rd = 0, sd = 0;
		if (have_p) {
			/* From the creation, as if the ticket had always
			 * been where it is now, with the pauses counted so
			 * far (read off the old dues). */
			int64_t pr = 0, ps = 0;
			if (have_old) {
				pr = paused_so_far(&cal, r.created_at,
						   before->sla_response_due,
						   old.first_response_minutes);
				ps = paused_so_far(&cal, r.created_at,
						   before->sla_resolution_due,
						   old.resolution_minutes);
			}
			if (dd_business_add(&cal, r.created_at,
					    (int64_t)p.first_response_minutes *
							    60000 +
						    pr,
					    &rd) < 0 ||
			    dd_business_add(
				    &cal, r.created_at,
				    (int64_t)p.resolution_minutes * 60000 + ps,
				    &sd) < 0)
				rd = sd = 0;
		}
		r.response_due = rd;
		r.resolution_due = sd;
	}
	if (before->resolved_at && !r.resolved_at && !r.first_response_at) {
		/* Reopened without a response on record: the resolution
		 * answered the customer, so it stays the first response. */
		r.first_response_at = before->resolved_at;
		if (dd_store_exec(
			    ctx->store,
			    "UPDATE tickets SET first_response_at = $2 "
			    "WHERE id = $1",
			    (struct dd_param[]){DD_P_INT(r.id),
						DD_P_INT(r.first_response_at)},
			    2, err) < 0)
			return -1;
	}
	if (resumed) {
		/* Targets still open when the pause began move on. */
		if (!r.first_response_at || r.first_response_at > paused_since)
			r.response_due = dd_sla_due_after_pause(
				&cal, r.response_due, paused_since, now_ms);
		if (!r.resolved_at || r.resolved_at > paused_since)
			r.resolution_due = dd_sla_due_after_pause(
				&cal, r.resolution_due, paused_since, now_ms);
	}
	struct dd_sla_clock c;
	struct dd_sla_verdict v;
	clock_of(&r, have_p ? &p : NULL, &c);
	dd_sla_evaluate(&cal, &c, now_ms, &v);
	if (!moved && !resumed && v.state == r.state)
		return 0;
	return store_state(ctx, &r, r.state, &v, now_ms, err);
}

int dd_sla_ticket_refresh(struct dd_ctx *ctx, int64_t id, int64_t now_ms,
			  struct dd_err *err)
{
	struct sla_row r;
	struct dd_calendar cal;
	struct dd_sla_policy p;
	int have_p;
	if (sla_row_get(ctx, id, &r, err) < 0)
		return -1;
	if (!r.response_due && !r.resolution_due)
		return 0;
	if ((have_p = policy_for(ctx, r.queue_id, r.priority, &p, err)) < 0)
		return -1;
	int64_t from = r.pending_since && r.pending_since < now_ms
			       ? r.pending_since
			       : now_ms;
	if (load_calendar(ctx, from, &cal, err) < 0)
		return -1;
	struct dd_sla_clock c;
	struct dd_sla_verdict v;
	clock_of(&r, have_p ? &p : NULL, &c);
	dd_sla_evaluate(&cal, &c, now_ms, &v);
	if (v.state == r.state)
		return 0;
	return store_state(ctx, &r, r.state, &v, now_ms, err);
}

/* ---- the check ---- */

/*
 * Apply one change found by the check, in its own transaction: read the
 * row again, judge it again, and change the state only if it is still
 * the one read (another instance may have been first). 1 changed, 0
 * nothing to do, -1 on error.
 */
static int check_one(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_calendar *cal,
		     const struct dd_sla_policy *all, int n, int64_t id,
		     int64_t now, struct dd_sla_change *out, struct dd_err *err)
{
	struct sla_row r;
	struct dd_sla_clock c;
	struct dd_sla_verdict v;
	int recorded = 0;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (sla_row_get(ctx, id, &r, err) < 0)
		goto fail;
	clock_of(&r, dd_sla_policy_choose(all, n, r.queue_id, r.priority), &c);
	dd_sla_evaluate(cal, &c, now, &v);
	if (v.state == r.state) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	int64_t changed = dd_store_exec(
		ctx->store,
		"UPDATE tickets SET sla_state = $2 WHERE id = $1 AND "
		"sla_state = $3",
		(struct dd_param[]){DD_P_INT(id),
				    DD_P_TEXT(dd_sla_state_name(v.state)),
				    DD_P_TEXT(dd_sla_state_name(r.state))},
		3, err);
	if (changed < 0)
		goto fail;
	if (changed == 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (record_event(ctx, actor, &r, r.state, &v, now, &recorded, err) < 0)
		goto fail;
	/* A change without an event (a second warning after a reopen, a
	 * return to ok) is still a change: live streams and the ticket
	 * cache follow the change counter, not the events. */
	if (!recorded && dd_change_announce(ctx->store, err) < 0)
		goto fail;
	if (dd_store_commit(ctx->store, err) < 0)
		goto fail;
	*out = (struct dd_sla_change){r.id,	r.number, r.state, v.state,
				      v.target, v.due,	  recorded};
	return 1;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_sla_check(struct dd_ctx *ctx, const struct dd_actor *actor,
		 int64_t now_ms,
		 int (*fn)(const struct dd_sla_change *c, void *arg), void *arg,
		 struct dd_sla_check_stats *stats, struct dd_err *err)
{
	struct dd_sla_policy *all;
	struct dd_calendar cal;
	int n, rc = -1, stop = 0;
	int64_t cursor = 0;
	memset(stats, 0, sizeof(*stats));
	if (dd_sla_policy_all(ctx, &all, &n, err) < 0 ||
	    load_calendar(ctx, now_ms, &cal, err) < 0)
		return -1;
	struct sla_row *batch = malloc(sizeof(*batch) * DD_SLA_CHECK_BATCH);
	if (!batch)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	while (!stop) {
		struct dd_rows *rows;
		int count = 0, next;
		/* New and open tickets only: the index on status finds them,
		 * a pending ticket's clocks stand still, and resolving goes
		 * through dd_sla_ticket_updated. */
		if (dd_store_query(ctx->store,
				   TICKET_SLA_COLUMNS
				   "WHERE status IN ('new', 'open') AND "
				   "sla_state IN ('ok', 'warning') AND id > $1 "
				   "ORDER BY id LIMIT " STR(DD_SLA_CHECK_BATCH),
				   (struct dd_param[]){DD_P_INT(cursor)}, 1,
				   &rows, err) < 0)
			goto out;
		while ((next = dd_rows_next(rows, err)) > 0 &&
		       count < DD_SLA_CHECK_BATCH)
			read_sla_row(rows, &batch[count++]);
		dd_rows_free(rows);
		if (next < 0)
			goto out;
		if (count < DD_SLA_CHECK_BATCH)
			stop = 1;
		for (int i = 0; i < count; i++) {
			struct dd_sla_clock c;
			struct dd_sla_verdict v;
			struct dd_sla_change change;
			cursor = batch[i].id;
			stats->checked++;
			clock_of(&batch[i],
				 dd_sla_policy_choose(all, n, batch[i].queue_id,
						      batch[i].priority),
				 &c);
			dd_sla_evaluate(&cal, &c, now_ms, &v);
			if (v.state == batch[i].state)
				continue;
			int one = check_one(ctx, actor, &cal, all, n,
					    batch[i].id, now_ms, &change, err);
			if (one < 0)
				goto out;
			if (one == 0)
				continue;
			stats->changed++;
			if (change.event && change.to == DD_SLA_WARNING)
				stats->warnings++;
			if (change.event && change.to == DD_SLA_BREACHED)
				stats->breaches++;
			if (fn && fn(&change, arg) != 0) {
				stop = 1;
				break;
			}
		}
	}
	rc = 0;
out:
	free(batch);
	return rc;
}
