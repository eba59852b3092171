#include "alert/alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert_int.h"
#include "alert/notify.h"
#include "alert/policy_store.h"
#include "store/store.h"

/* Alerts one escalation run looks at: the rest wait for the next run,
 * a few seconds later. */
#define ESCALATE_BATCH 100
/* Of a note, a page carries the start: the rest is in the ticket. */
#define NOTE_EXCERPT 2000

int dd_alert_ticket_active(const struct dd_alert_ticket *t)
{
	if (!t || t->priority != 1 || t->merged_into || !t->status)
		return 0;
	return strcmp(t->status, "new") == 0 ||
	       strcmp(t->status, "open") == 0 ||
	       strcmp(t->status, "pending") == 0;
}

/* ---- shared helpers (alert_int.h) ---- */

int dd_alert_now_load(struct dd_ctx *ctx, int64_t now, struct dd_alert_now *n,
		      struct dd_err *err)
{
	int64_t day;
	memset(n, 0, sizeof(*n));
	if (dd_rota_env_load_at(ctx, now, &n->env, &day, err) < 0 ||
	    dd_oncall_lookup(ctx, ctx->oncall_cache, now, &n->oncall,
			     &n->oncall_count, err) < 0 ||
	    dd_alert_settings_load(ctx, &n->settings, err) < 0)
		return -1;
	struct dd_page_world *w = &n->world;
	w->at = now;
	w->in_core_hours = dd_calendar_in_core_hours(&n->env.cal, now);
	for (int i = 0; i < n->oncall_count && i < DD_WORLD_DUTIES_MAX; i++) {
		const struct dd_oncall *o = &n->oncall[i];
		w->duties[w->duty_count++] = (struct dd_world_duty){
			.duty_id = o->duty->id,
			.takes_p1 = o->duty->takes_p1,
			.open = o->open,
			.person_id = o->assignment.person_id,
		};
	}
	w->coordinator_id = n->env.settings.coordinator_id;
	w->substitute_id = n->env.settings.substitute_id;
	w->core_fallback = n->settings.core_target;
	w->off_fallback = n->settings.off_target;
	dd_alert_link_base(ctx, &n->settings, n->link_base,
			   sizeof(n->link_base));
	return 0;
}

static int add_id(int64_t *ids, int max, int *count, int64_t id)
{
	for (int i = 0; i < *count; i++)
		if (ids[i] == id)
			return 0;
	if (*count < max)
		ids[(*count)++] = id;
	return 0;
}

int dd_alert_expand(struct dd_ctx *ctx, const struct dd_resolved *r,
		    int64_t *ids, int max, int *count, struct dd_err *err)
{
	*count = 0;
	for (int i = 0; i < r->count; i++) {
		const char *sql;
		switch (r->to[i].kind) {
		case DD_TARGET_PERSON:
			sql = "SELECT id FROM people WHERE id = $1 AND "
			      "active = 1";
			break;
		case DD_TARGET_GROUP:
			sql = "SELECT p.id FROM memberships m, people p WHERE "
			      "m.group_id = $1 AND p.id = m.person_id AND "
			      "p.active = 1 ORDER BY p.id";
			break;
		case DD_TARGET_QUEUE:
			sql = "SELECT p.id FROM queues q, memberships m, "
			      "people p WHERE q.id = $1 AND m.group_id = "
			      "q.group_id AND p.id = m.person_id AND p.active "
			      "= 1 ORDER BY p.id";
			break;
		default:
			continue;
		}
		struct dd_rows *rows;
		if (dd_store_query(ctx->store, sql,
				   (struct dd_param[]){DD_P_INT(r->to[i].id)},
				   1, &rows, err) < 0)
			return -1;
		int rc;
		while ((rc = dd_rows_next(rows, err)) > 0)
			add_id(ids, max, count, dd_rows_int(rows, 0));
		dd_rows_free(rows);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int dd_alert_log(struct dd_ctx *ctx, int64_t alert_id, const char *kind,
		 int seq, const char *target, int64_t person_id,
		 int64_t method_id, int64_t outbox_id, const char *note,
		 int64_t now, struct dd_err *err)
{
	struct dd_param p[] = {
		alert_id ? DD_P_INT(alert_id) : DD_P_NULL,
		DD_P_TEXT(kind),
		DD_P_INT(seq),
		DD_P_TEXT(target),
		person_id ? DD_P_INT(person_id) : DD_P_NULL,
		method_id ? DD_P_INT(method_id) : DD_P_NULL,
		outbox_id ? DD_P_INT(outbox_id) : DD_P_NULL,
		DD_P_TEXT(note ? note : ""),
		DD_P_INT(now),
	};
	return dd_store_exec(ctx->store,
			     "INSERT INTO alert_pages (alert_id, kind, seq, "
			     "target, person_id, contact_method_id, "
			     "outbox_id, note, created_at) VALUES ($1, $2, "
			     "$3, $4, $5, $6, $7, $8, $9)",
			     p, 9, err) < 0
		       ? -1
		       : 0;
}

int dd_alert_notify_logged(struct dd_ctx *ctx, int64_t alert_id,
			   const char *kind, int seq, const char *target,
			   int64_t person_id, const struct dd_notice *n,
			   const char *why, int64_t now, int *reached,
			   struct dd_err *err)
{
	struct dd_notify_sent sent[DD_NOTIFY_METHODS_MAX];
	int count = 0;
	if (dd_notify_person(ctx, person_id, n, now, sent,
			     DD_NOTIFY_METHODS_MAX, &count, err) < 0)
		return -1;
	if (reached)
		*reached = count;
	if (count == 0)
		return dd_alert_log(
			ctx, alert_id, kind, seq, target, person_id, 0, 0,
			"not reached: no verified contact method", now, err);
	for (int i = 0; i < count && i < DD_NOTIFY_METHODS_MAX; i++)
		if (dd_alert_log(ctx, alert_id, kind, seq, target, person_id,
				 sent[i].method_id, sent[i].outbox_id, why, now,
				 err) < 0)
			return -1;
	return 0;
}

void dd_alert_local_time(const struct dd_alert_now *n, int64_t ms, char out[6])
{
	struct dd_civil c;
	dd_tz_utc_to_local(n->env.tz, ms / 1000, &c);
	dd_time_of_day_format((c.hour * 60 + c.minute) % 1440, out);
}

int dd_alert_person(struct dd_ctx *ctx, int64_t id, const char **name,
		    const char **phone, struct dd_err *err)
{
	struct dd_rows *rows;
	*name = NULL;
	*phone = NULL;
	if (dd_store_query(
		    ctx->store, "SELECT name, phone FROM people WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(id)}, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		*name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 0));
		*phone = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* ---- reading alerts ---- */

#define ALERT_SELECT                                                           \
	"SELECT a.id, a.ticket_id, t.number, t.subject, a.policy_id, "         \
	"a.state, a.next_seq, a.next_at, a.triggered_at, "                     \
	"a.acknowledged_by, a.acknowledged_at, a.acknowledged_via, "           \
	"a.resolved_by, a.resolved_at, t.comm_owner_id, t.tech_owner_id, "     \
	"(SELECT COUNT(*) FROM alert_pages p WHERE p.alert_id = a.id AND "     \
	"p.kind = 'page' AND p.outbox_id IS NOT NULL), a.version, "            \
	"a.created_at, a.updated_at FROM alerts a JOIN tickets t ON t.id = "   \
	"a.ticket_id "

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_alert *a)
{
	memset(a, 0, sizeof(*a));
	a->id = dd_rows_int(rows, 0);
	a->ticket_id = dd_rows_int(rows, 1);
	a->ticket_number = dd_rows_int(rows, 2);
	a->subject = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 3));
	a->policy_id = dd_rows_int(rows, 4);
	a->state = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 5));
	a->next_seq = (int)dd_rows_int(rows, 6);
	a->next_at = dd_rows_int(rows, 7);
	a->triggered_at = dd_rows_int(rows, 8);
	a->acknowledged_by = dd_rows_int(rows, 9);
	a->acknowledged_at = dd_rows_int(rows, 10);
	a->acknowledged_via =
		dd_arena_strdup(ctx->arena, dd_rows_text(rows, 11));
	a->resolved_by = dd_rows_int(rows, 12);
	a->resolved_at = dd_rows_int(rows, 13);
	a->comm_owner_id = dd_rows_int(rows, 14);
	a->tech_owner_id = dd_rows_int(rows, 15);
	a->pages = (int)dd_rows_int(rows, 16);
	a->version = dd_rows_int(rows, 17);
	a->created_at = dd_rows_int(rows, 18);
	a->updated_at = dd_rows_int(rows, 19);
}

static int get_where(struct dd_ctx *ctx, const char *where, int64_t key,
		     struct dd_alert *out, struct dd_err *err)
{
	struct dd_rows *rows;
	char sql[1024];
	snprintf(sql, sizeof(sql), "%s%s", ALERT_SELECT, where);
	if (dd_store_query(ctx->store, sql, (struct dd_param[]){DD_P_INT(key)},
			   1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	return rc;
}

int dd_alert_get(struct dd_ctx *ctx, int64_t id, struct dd_alert *out,
		 struct dd_err *err)
{
	int rc = get_where(ctx, "WHERE a.id = $1", id, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no alert with id %lld", (long long)id);
	return 0;
}

int dd_alert_of_ticket(struct dd_ctx *ctx, int64_t ticket_id,
		       struct dd_alert *out, struct dd_err *err)
{
	return get_where(ctx, "WHERE a.ticket_id = $1", ticket_id, out, err);
}

int dd_alert_list(struct dd_ctx *ctx, const struct dd_alert_filter *f,
		  int (*fn)(const struct dd_alert *a, void *arg), void *arg,
		  struct dd_err *err)
{
	struct dd_rows *rows;
	const char *state = f->state;
	int open = state && strcmp(state, "open") == 0;
	struct dd_param p[] = {
		DD_P_TEXT(open || !state ? "" : state),
		DD_P_INT(f->before_id),
		DD_P_INT(open),
		DD_P_INT(f->limit > 0 ? f->limit : 50),
	};
	if (dd_store_query(ctx->store,
			   ALERT_SELECT
			   "WHERE ($1 = '' OR a.state = $1) AND ($2 = 0 OR "
			   "a.id < $2) AND ($3 = 0 OR a.state <> 'resolved') "
			   "ORDER BY a.id DESC LIMIT $4",
			   p, 4, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_alert a;
		read_row(ctx, rows, &a);
		if (fn(&a, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_alert_pages(struct dd_ctx *ctx, int64_t alert_id,
		   int (*fn)(const struct dd_alert_page *p, void *arg),
		   void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT id, kind, seq, target, person_id, "
			   "contact_method_id, outbox_id, note, created_at "
			   "FROM alert_pages WHERE alert_id = $1 ORDER BY id "
			   "LIMIT 1000",
			   (struct dd_param[]){DD_P_INT(alert_id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_alert_page p = {
			.id = dd_rows_int(rows, 0),
			.kind = dd_rows_text(rows, 1),
			.seq = (int)dd_rows_int(rows, 2),
			.target = dd_rows_text(rows, 3),
			.person_id = dd_rows_int(rows, 4),
			.contact_method_id = dd_rows_int(rows, 5),
			.outbox_id = dd_rows_int(rows, 6),
			.note = dd_rows_text(rows, 7),
			.created_at = dd_rows_int(rows, 8),
		};
		if (fn(&p, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static void ktime(struct dd_json_out *j, const char *key, int64_t v)
{
	if (v)
		dd_json_ktime(j, key, v);
	else
		dd_json_knull(j, key);
}

void dd_alert_to_json(const struct dd_alert *a, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", a->id);
	dd_json_kint(j, "ticket_id", a->ticket_id);
	dd_json_kint(j, "ticket_number", a->ticket_number);
	dd_json_kstr(j, "subject", a->subject);
	dd_json_kstr(j, "state", a->state);
	dd_json_kid(j, "policy_id", a->policy_id);
	dd_json_kint(j, "next_step", a->next_seq);
	ktime(j, "next_escalation_at", a->next_at);
	dd_json_ktime(j, "triggered_at", a->triggered_at);
	dd_json_kid(j, "acknowledged_by", a->acknowledged_by);
	ktime(j, "acknowledged_at", a->acknowledged_at);
	dd_json_kstr(j, "acknowledged_via", a->acknowledged_via);
	dd_json_kid(j, "resolved_by", a->resolved_by);
	ktime(j, "resolved_at", a->resolved_at);
	dd_json_kid(j, "comm_owner_id", a->comm_owner_id);
	dd_json_kid(j, "tech_owner_id", a->tech_owner_id);
	dd_json_kint(j, "pages_sent", a->pages);
	dd_json_kint(j, "version", a->version);
	dd_json_ktime(j, "created_at", a->created_at);
	dd_json_ktime(j, "updated_at", a->updated_at);
	dd_json_obj_end(j);
}

void dd_alert_page_to_json(const struct dd_alert_page *p, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", p->id);
	dd_json_kstr(j, "kind", p->kind);
	if (p->seq >= 0)
		dd_json_kint(j, "step", p->seq);
	else
		dd_json_knull(j, "step");
	dd_json_kstr(j, "target", p->target);
	dd_json_kid(j, "person_id", p->person_id);
	dd_json_kid(j, "contact_method_id", p->contact_method_id);
	dd_json_kid(j, "outbox_id", p->outbox_id);
	dd_json_kstr(j, "note", p->note);
	dd_json_ktime(j, "created_at", p->created_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_alert *a)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 8192);
	dd_json_out_init(&j, &buf);
	dd_alert_to_json(a, &j);
	return dd_buf_detach(&buf, NULL);
}

static int alert_event(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t now, const char *action,
		       const struct dd_alert *before,
		       const struct dd_alert *after, struct dd_err *err)
{
	char *b = before ? snapshot(before) : NULL;
	char *a = after ? snapshot(after) : NULL;
	int rc = dd_event_append(ctx->store, now, actor, action, "alert",
				 after ? after->id : before->id, b, a, err);
	free(b);
	free(a);
	return rc;
}

/* ---- paging ---- */

static void target_label(const struct dd_alert_target *t, char *out, size_t cap)
{
	if (t->id)
		snprintf(out, cap, "%s:%lld", dd_target_kind_name(t->kind),
			 (long long)t->id);
	else
		snprintf(out, cap, "%s", dd_target_kind_name(t->kind));
}

/* Page one person for firing seq of a: links made for them. */
static int page_person(struct dd_ctx *ctx, const struct dd_alert *a,
		       const struct dd_alert_now *n, int seq, int step_count,
		       const char *target, int64_t person, const char *why,
		       int64_t now, struct dd_err *err)
{
	char ack[DD_ACK_TOKEN_MAX], res[DD_ACK_TOKEN_MAX], at[6];
	if (dd_ack_link_new(ctx, a->id, DD_ACK_ACKNOWLEDGE, person, now, ack,
			    sizeof(ack), err) < 0 ||
	    dd_ack_link_new(ctx, a->id, DD_ACK_RESOLVE, person, now, res,
			    sizeof(res), err) < 0)
		return -1;
	dd_alert_local_time(n, a->triggered_at, at);
	char *ack_url = dd_arena_printf(ctx->arena, "%s/api/v1/ack/%s",
					n->link_base, ack);
	char *res_url = dd_arena_printf(ctx->arena, "%s/api/v1/ack/%s",
					n->link_base, res);
	int step = seq % (step_count > 0 ? step_count : 1);
	char *subject = dd_arena_printf(
		ctx->arena, "[P1] #%lld %s%s", (long long)a->ticket_number,
		a->subject ? a->subject : "", seq > 0 ? " (escalated)" : "");
	char *text = dd_arena_printf(
		ctx->arena,
		"Priority-1 ticket #%lld: %s\n"
		"Triggered at %s, not acknowledged yet.\n"
		"You are paged as step %d of the escalation (%s: %s).\n"
		"Acknowledging stops the escalation.",
		(long long)a->ticket_number, a->subject ? a->subject : "", at,
		step + 1, target, why);
	struct dd_buf data;
	struct dd_json_out j;
	dd_buf_init(&data, 4096);
	dd_json_out_init(&j, &data);
	dd_json_obj_begin(&j);
	dd_json_kint(&j, "alert_id", a->id);
	dd_json_kint(&j, "ticket_id", a->ticket_id);
	dd_json_kint(&j, "ticket_number", a->ticket_number);
	dd_json_kstr(&j, "subject", a->subject);
	dd_json_kint(&j, "step", seq);
	dd_json_kstr(&j, "target", target);
	dd_json_kstr(&j, "reason", why);
	dd_json_kint(&j, "person_id", person);
	dd_json_ktime(&j, "triggered_at", a->triggered_at);
	dd_json_obj_end(&j);
	char *data_json = dd_arena_strdup(ctx->arena, dd_buf_str(&data));
	dd_buf_release(&data);
	if (!ack_url || !res_url || !subject || !text || !data_json)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_notice notice = {
		.event = "p1.page",
		.subject = subject,
		.text = text,
		.data_json = data_json,
		.ack_url = ack_url,
		.resolve_url = res_url,
		.ref_type = "alert",
		.ref_id = a->id,
	};
	return dd_alert_notify_logged(ctx, a->id, "page", seq, target, person,
				      &notice, why, now, NULL, err);
}

/* Fire firings [from, from + count) of policy p for alert a. */
static int fire(struct dd_ctx *ctx, const struct dd_alert *a,
		const struct dd_policy *p, int from, int count, int64_t now,
		struct dd_err *err)
{
	struct dd_alert_now n;
	if (count <= 0)
		return 0;
	if (dd_alert_now_load(ctx, now, &n, err) < 0)
		return -1;
	for (int seq = from; seq < from + count; seq++) {
		const struct dd_policy_step *s = dd_policy_step_of(p, seq);
		struct dd_resolved r;
		int64_t people[DD_ALERT_PEOPLE_MAX];
		int k = 0;
		char target[64];
		if (!s)
			break;
		target_label(&s->target, target, sizeof(target));
		dd_policy_resolve(&s->target, &n.world, &r);
		if (dd_alert_expand(ctx, &r, people, DD_ALERT_PEOPLE_MAX, &k,
				    err) < 0)
			return -1;
		if (k == 0 &&
		    dd_alert_log(ctx, a->id, "page", seq, target, 0, 0, 0,
				 r.count ? "nobody active in the target"
					 : r.why,
				 now, err) < 0)
			return -1;
		for (int i = 0; i < k; i++)
			if (page_person(ctx, a, &n, seq, p->step_count, target,
					people[i], r.why, now, err) < 0)
				return -1;
	}
	return 0;
}

/* Start (or start again) the alert of an active P1 ticket. */
static int trigger(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const struct dd_alert_ticket *t, int64_t now,
		   struct dd_err *err)
{
	struct dd_alert_settings s;
	struct dd_policy p;
	struct dd_alert before, a;
	int64_t id = 0;
	if (dd_alert_settings_load(ctx, &s, err) < 0 ||
	    dd_policy_load_or_default(ctx, s.p1_policy_id, &p, err) < 0)
		return -1;
	int64_t next_off;
	int due = dd_policy_due(&p, 0, 0, &next_off);
	struct dd_param q[] = {
		DD_P_INT(t->id),
		p.id ? DD_P_INT(p.id) : DD_P_NULL,
		DD_P_INT(due),
		next_off >= 0 ? DD_P_INT(now + next_off) : DD_P_NULL,
		DD_P_INT(now),
	};
	int found = dd_alert_of_ticket(ctx, t->id, &before, err);
	if (found < 0)
		return -1;
	if (found && strcmp(before.state, "resolved") != 0)
		return 0; /* still running */
	if (found) {
		if (dd_store_exec(
			    ctx->store,
			    "UPDATE alerts SET policy_id = $2, state = "
			    "'triggered', next_seq = $3, next_at = $4, "
			    "triggered_at = $5, acknowledged_by = NULL, "
			    "acknowledged_at = NULL, acknowledged_via = "
			    "NULL, resolved_by = NULL, resolved_at = "
			    "NULL, updated_at = $5, version = version + 1 "
			    "WHERE ticket_id = $1",
			    q, 5, err) < 0)
			return -1;
		id = before.id;
	} else if (dd_store_query_int(
			   ctx->store,
			   "INSERT INTO alerts (ticket_id, policy_id, state, "
			   "next_seq, next_at, triggered_at, created_at, "
			   "updated_at) VALUES ($1, $2, 'triggered', $3, $4, "
			   "$5, $5, $5) RETURNING id",
			   q, 5, &id, err) < 0) {
		return -1;
	}
	if (dd_alert_get(ctx, id, &a, err) < 0 ||
	    fire(ctx, &a, &p, 0, due, now, err) < 0 ||
	    dd_alert_get(ctx, id, &a, err) < 0)
		return -1;
	return alert_event(ctx, actor, now, "alert.trigger",
			   found ? &before : NULL, &a, err);
}

/* In a transaction: move alert id to state, by person via; *changed 0
 * when the alert is past it already. */
static int act(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
	       enum dd_ack_action what, int64_t person, const char *via,
	       int64_t now, struct dd_alert *out, int *changed,
	       struct dd_err *err)
{
	struct dd_alert before;
	int64_t n;
	*changed = 0;
	if (dd_alert_get(ctx, id, &before, err) < 0)
		return -1;
	struct dd_param p[] = {DD_P_INT(id),
			       person ? DD_P_INT(person) : DD_P_NULL,
			       DD_P_INT(now), DD_P_TEXT(via)};
	if (what == DD_ACK_ACKNOWLEDGE)
		n = dd_store_exec(ctx->store,
				  "UPDATE alerts SET state = 'acknowledged', "
				  "acknowledged_by = $2, acknowledged_at = $3, "
				  "acknowledged_via = $4, next_at = NULL, "
				  "updated_at = $3, version = version + 1 "
				  "WHERE id = $1 AND state = 'triggered'",
				  p, 4, err);
	else
		n = dd_store_exec(
			ctx->store,
			"UPDATE alerts SET state = 'resolved', "
			"resolved_by = $2, resolved_at = $3, next_at "
			"= NULL, updated_at = $3, version = version + "
			"1 WHERE id = $1 AND state <> 'resolved'",
			p, 3, err);
	if (n < 0 || dd_alert_get(ctx, id, out, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	*changed = 1;
	return alert_event(ctx, actor, now,
			   what == DD_ACK_ACKNOWLEDGE ? "alert.acknowledge"
						      : "alert.resolve",
			   &before, out, err);
}

static int act_api(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   enum dd_ack_action what, int64_t person, const char *via,
		   struct dd_alert *out, struct dd_err *err)
{
	int changed;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (act(ctx, actor, id, what, person, via, dd_ctx_now(ctx), out,
		&changed, err) < 0)
		goto fail;
	if (!changed) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "alert %lld is %s already", (long long)id,
			   out->state);
		goto fail;
	}
	if (dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_alert_acknowledge(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t id, int64_t person_id, const char *via,
			 struct dd_alert *out, struct dd_err *err)
{
	return act_api(ctx, actor, id, DD_ACK_ACKNOWLEDGE, person_id, via, out,
		       err);
}

int dd_alert_resolve(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, int64_t person_id, const char *via,
		     struct dd_alert *out, struct dd_err *err)
{
	return act_api(ctx, actor, id, DD_ACK_RESOLVE, person_id, via, out,
		       err);
}

int dd_alert_act_by_link(struct dd_ctx *ctx, const struct dd_ack_token *t,
			 struct dd_alert *out, int *changed, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	char label[48];
	snprintf(label, sizeof(label), "link:%lld", (long long)t->person_id);
	struct dd_actor actor = {t->person_id, label};
	if (t->action == DD_ACK_READY)
		return dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
				  "this link is not for an alert");
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_ack_link_use(ctx, t, now, err) < 0 ||
	    act(ctx, &actor, t->object_id, t->action, t->person_id, "link", now,
		out, changed, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_alert_ticket_changed(struct dd_ctx *ctx, const struct dd_actor *actor,
			    const struct dd_alert_ticket *before,
			    const struct dd_alert_ticket *after, int64_t now,
			    struct dd_err *err)
{
	int was = dd_alert_ticket_active(before),
	    is = dd_alert_ticket_active(after);
	if (!was && is)
		return trigger(ctx, actor, after, now, err);
	if (was && !is) {
		struct dd_alert a, out;
		int found = dd_alert_of_ticket(ctx, after->id, &a, err),
		    changed;
		if (found <= 0)
			return found;
		if (strcmp(a.state, "resolved") == 0)
			return 0;
		return act(ctx, actor, a.id, DD_ACK_RESOLVE, actor->person_id,
			   "ticket", now, &out, &changed, err);
	}
	return 0;
}

int dd_alert_ticket_note(struct dd_ctx *ctx, const struct dd_alert_ticket *t,
			 int64_t author_id, int64_t article_id,
			 const char *body, int64_t now, struct dd_err *err)
{
	struct dd_alert a;
	const char *name, *phone;
	if (!t || t->priority != 1 || !t->comm_owner_id || !author_id ||
	    author_id != t->tech_owner_id || t->comm_owner_id == author_id)
		return 0;
	int found = dd_alert_of_ticket(ctx, t->id, &a, err);
	if (found < 0 ||
	    dd_alert_person(ctx, author_id, &name, &phone, err) < 0)
		return -1;
	size_t len = body ? strlen(body) : 0;
	char *excerpt =
		dd_arena_strndup(ctx->arena, body ? body : "",
				 len > NOTE_EXCERPT ? NOTE_EXCERPT : len);
	char *subject = dd_arena_printf(ctx->arena,
					"[P1] #%lld note from the technical "
					"owner",
					(long long)t->number);
	char *text = dd_arena_printf(
		ctx->arena,
		"%s (technical owner) wrote an internal note on priority-1 "
		"ticket #%lld %s:\n\n%s%s",
		name ? name : "The technical owner", (long long)t->number,
		t->subject ? t->subject : "", excerpt ? excerpt : "",
		len > NOTE_EXCERPT ? "\n[...]" : "");
	char *data =
		dd_arena_printf(ctx->arena,
				"{\"ticket_id\":%lld,\"ticket_number\":"
				"%lld,\"article_id\":%lld,\"author_id\":"
				"%lld}",
				(long long)t->id, (long long)t->number,
				(long long)article_id, (long long)author_id);
	if (!excerpt || !subject || !text || !data)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_notice n = {
		.event = "p1.note",
		.subject = subject,
		.text = text,
		.data_json = data,
		.ref_type = "ticket",
		.ref_id = t->id,
	};
	return dd_alert_notify_logged(ctx, found ? a.id : 0, "note", -1,
				      "comm_owner", t->comm_owner_id, &n,
				      "internal note by the technical owner",
				      now, NULL, err);
}

/* ---- escalation ---- */

/* One due alert in its own transaction: 1 fired, 0 nothing to do (done
 * by another instance, or not due), -1 error. */
static int escalate_one(struct dd_ctx *ctx, int64_t id, int64_t now, int *fired,
			struct dd_err *err)
{
	struct dd_actor system = {0, "system"};
	struct dd_rows *rows;
	struct dd_alert before, after;
	struct dd_policy p;
	int64_t seq = 0, triggered = 0, policy = 0;
	/* Several instances: the first takes the row, the others skip it
	 * instead of waiting (SQLite has one writer: BEGIN IMMEDIATE). */
	const char *sql =
		dd_store_kind(ctx->store) == DD_STORE_PG
			? "SELECT next_seq, triggered_at, policy_id FROM "
			  "alerts WHERE id = $1 AND state = 'triggered' AND "
			  "next_at <= $2 FOR UPDATE SKIP LOCKED"
			: "SELECT next_seq, triggered_at, policy_id FROM "
			  "alerts WHERE id = $1 AND state = 'triggered' AND "
			  "next_at <= $2";
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_query(ctx->store, sql,
			   (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2,
			   &rows, err) < 0)
		goto fail;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		seq = dd_rows_int(rows, 0);
		triggered = dd_rows_int(rows, 1);
		policy = dd_rows_int(rows, 2);
	}
	dd_rows_free(rows);
	if (rc <= 0) {
		dd_store_rollback(ctx->store);
		return rc;
	}
	if (dd_policy_load_or_default(ctx, policy, &p, err) < 0 ||
	    dd_alert_get(ctx, id, &before, err) < 0)
		goto fail;
	int64_t next_off;
	int due = dd_policy_due(&p, (int)seq, now - triggered, &next_off);
	struct dd_param q[] = {
		DD_P_INT(id),
		DD_P_INT(seq),
		DD_P_INT(seq + due),
		next_off >= 0 ? DD_P_INT(triggered + next_off) : DD_P_NULL,
		DD_P_INT(now),
	};
	int64_t n = dd_store_exec(ctx->store,
				  "UPDATE alerts SET next_seq = $3, next_at = "
				  "$4, updated_at = $5 WHERE id = $1 AND "
				  "next_seq = $2 AND state = 'triggered'",
				  q, 5, err);
	if (n < 0)
		goto fail;
	if (n == 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (fire(ctx, &before, &p, (int)seq, due, now, err) < 0 ||
	    dd_alert_get(ctx, id, &after, err) < 0 ||
	    (due > 0 && alert_event(ctx, &system, now, "alert.escalate",
				    &before, &after, err) < 0) ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	*fired += due;
	return due > 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_alert_escalate(struct dd_ctx *ctx, int64_t now, int *fired,
		      struct dd_err *err)
{
	struct dd_rows *rows;
	int64_t ids[ESCALATE_BATCH];
	int n = 0;
	*fired = 0;
	if (dd_store_query(ctx->store,
			   "SELECT id FROM alerts WHERE state = 'triggered' "
			   "AND next_at IS NOT NULL AND next_at <= $1 ORDER BY "
			   "next_at, id LIMIT $2",
			   (struct dd_param[]){DD_P_INT(now),
					       DD_P_INT(ESCALATE_BATCH)},
			   2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && n < ESCALATE_BATCH)
		ids[n++] = dd_rows_int(rows, 0);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (escalate_one(ctx, ids[i], now, fired, err) < 0)
			return -1;
	return 0;
}
