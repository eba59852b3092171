#include "alert/shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/ack_link.h"
#include "alert/alert_int.h"
#include "alert/notify.h"
#include "base/text.h"
#include "store/store.h"

#define SHIFT_SELECT                                                           \
	"SELECT id, day, duty_id, person_id, window_start, window_end, "       \
	"notified_at, ready_at, ready_note, escalated_at FROM shift_notices "

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_shift *s)
{
	memset(s, 0, sizeof(*s));
	s->id = dd_rows_int(rows, 0);
	s->day = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	s->duty_id = dd_rows_int(rows, 2);
	s->person_id = dd_rows_int(rows, 3);
	s->window_start = dd_rows_int(rows, 4);
	s->window_end = dd_rows_int(rows, 5);
	s->notified_at = dd_rows_int(rows, 6);
	s->ready_at = dd_rows_int(rows, 7);
	s->ready_note = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 8));
	s->escalated_at = dd_rows_int(rows, 9);
}

int dd_shift_get(struct dd_ctx *ctx, int64_t id, struct dd_shift *out,
		 struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, SHIFT_SELECT "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no shift with id %lld", (long long)id);
	return 0;
}

int dd_shift_list(struct dd_ctx *ctx, int64_t before_id, int limit,
		  int (*fn)(const struct dd_shift *s, void *arg), void *arg,
		  struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    SHIFT_SELECT "WHERE ($1 = 0 OR id < $1) ORDER BY id "
				 "DESC LIMIT $2",
		    (struct dd_param[]){DD_P_INT(before_id), DD_P_INT(limit)},
		    2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_shift s;
		read_row(ctx, rows, &s);
		if (fn(&s, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

void dd_shift_to_json(const struct dd_shift *s, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", s->id);
	dd_json_kstr(j, "day", s->day);
	dd_json_kint(j, "duty_id", s->duty_id);
	dd_json_kint(j, "person_id", s->person_id);
	dd_json_ktime(j, "window_start", s->window_start);
	dd_json_ktime(j, "window_end", s->window_end);
	dd_json_ktime(j, "notified_at", s->notified_at);
	dd_json_kbool(j, "ready", s->ready_at != 0);
	dd_json_ktime_or_null(j, "ready_at", s->ready_at);
	dd_json_kstr(j, "ready_note", s->ready_note);
	dd_json_ktime_or_null(j, "coordinator_told_at", s->escalated_at);
	dd_json_obj_end(j);
}

/* The notice for duty i of n, in the open transaction. */
static int notify_start(struct dd_ctx *ctx, const struct dd_alert_now *n, int i,
			int64_t shift_id, int64_t now, struct dd_err *err)
{
	const struct dd_oncall *o = &n->oncall[i];
	char from[6], to[6], token[DD_ACK_TOKEN_MAX];
	struct dd_buf text;
	dd_alert_local_time(n, o->window_start, from);
	dd_alert_local_time(n, o->window_end, to);
	if (dd_ack_link_new(ctx, shift_id, DD_ACK_READY,
			    o->assignment.person_id, now, token, sizeof(token),
			    err) < 0)
		return -1;
	dd_buf_init(&text, 16 * 1024);
	dd_buf_printf(&text, "You are on %s today, %s-%s.\n", o->duty->name,
		      from, to);
	for (int k = 0; k < n->oncall_count; k++) {
		const struct dd_oncall *other = &n->oncall[k];
		if (k == i || !other->assignment.person_id)
			continue;
		dd_buf_printf(&text, "%s: %s, %s\n", other->duty->name,
			      other->name ? other->name : "?",
			      other->phone ? other->phone : "no phone");
	}
	dd_buf_puts(&text, "\nPlease confirm that you are on duty and your "
			   "VPN works:\n");
	char *url = dd_arena_printf(ctx->arena, "%s/api/v1/ack/%s",
				    n->link_base, token);
	dd_buf_puts(&text, url ? url : "");
	dd_buf_printf(&text,
		      "\n\nWithout a confirmation within %d minutes "
		      "the coordinator is told.",
		      (int)(DD_SHIFT_READY_GRACE_MS / 60000));
	char *subject = dd_arena_printf(ctx->arena, "On duty: %s %s-%s",
					o->duty->name, from, to);
	char *data =
		dd_arena_printf(ctx->arena,
				"{\"shift_id\":%lld,\"duty_id\":%lld,"
				"\"person_id\":%lld}",
				(long long)shift_id, (long long)o->duty->id,
				(long long)o->assignment.person_id);
	char *body = dd_arena_strdup(ctx->arena, dd_buf_str(&text));
	dd_buf_release(&text);
	if (!url || !subject || !data || !body)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_notice notice = {
		.event = "shift.start",
		.subject = subject,
		.text = body,
		.data_json = data,
		.ack_url = url,
		.ref_type = "shift",
		.ref_id = shift_id,
	};
	int reached;
	return dd_notify_person(ctx, o->assignment.person_id, &notice, now,
				NULL, 0, &reached, err);
}

/* Send the start notice of duty i unless one was sent: 1 sent, 0 not. */
static int start_one(struct dd_ctx *ctx, const struct dd_alert_now *n, int i,
		     int64_t now, struct dd_err *err)
{
	const struct dd_oncall *o = &n->oncall[i];
	char day[DD_DATE_TEXT_LEN];
	int64_t id = 0;
	dd_date_format(o->day, day);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_param p[] = {
		DD_P_TEXT(day),
		DD_P_INT(o->duty->id),
		DD_P_INT(o->assignment.person_id),
		DD_P_INT(o->window_start),
		DD_P_INT(o->window_end),
		DD_P_INT(now),
	};
	/* The unique (day, duty) decides which instance sends it. */
	int rc = dd_store_query_int(ctx->store,
				    "INSERT INTO shift_notices (day, duty_id, "
				    "person_id, window_start, window_end, "
				    "notified_at) VALUES ($1, $2, $3, $4, $5, "
				    "$6) ON CONFLICT (day, duty_id) DO NOTHING "
				    "RETURNING id",
				    p, 6, &id, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (notify_start(ctx, n, i, id, now, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 1;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* Tell the coordinator about shift id unless someone did: 1 told. */
static int escalate_one(struct dd_ctx *ctx, const struct dd_alert_now *n,
			int64_t id, int64_t now, struct dd_err *err)
{
	struct dd_shift s;
	const char *name, *phone;
	int64_t coord = n->env.settings.coordinator_id;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int64_t changed = dd_store_exec(
		ctx->store,
		"UPDATE shift_notices SET escalated_at = $2 WHERE id = $1 "
		"AND ready_at IS NULL AND escalated_at IS NULL",
		(struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2, err);
	if (changed < 0)
		goto fail;
	if (changed == 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (dd_shift_get(ctx, id, &s, err) < 0 ||
	    dd_alert_person(ctx, s.person_id, &name, &phone, err) < 0)
		goto fail;
	const struct dd_duty *duty = dd_rota_env_duty(&n->env, s.duty_id);
	char from[6];
	dd_alert_local_time(n, s.window_start, from);
	char *subject = dd_arena_printf(ctx->arena, "Not confirmed: %s on %s",
					name ? name : "?",
					duty ? duty->name : "a duty");
	char *text = dd_arena_printf(
		ctx->arena,
		"%s has not confirmed readiness for %s (window from %s on "
		"%s) %d minutes after the notice.\nPhone: %s",
		name ? name : "The person on duty",
		duty ? duty->name : "their duty", from, s.day,
		(int)(DD_SHIFT_READY_GRACE_MS / 60000), phone ? phone : "none");
	char *data = dd_arena_printf(ctx->arena,
				     "{\"shift_id\":%lld,\"person_id\":%lld}",
				     (long long)id, (long long)s.person_id);
	if (!subject || !text || !data) {
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL, "out of memory");
		goto fail;
	}
	struct dd_notice notice = {
		.event = "shift.unconfirmed",
		.subject = subject,
		.text = text,
		.data_json = data,
		.ref_type = "shift",
		.ref_id = id,
	};
	int reached;
	if ((coord && dd_notify_person(ctx, coord, &notice, now, NULL, 0,
				       &reached, err) < 0) ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 1;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_shift_check(struct dd_ctx *ctx, int64_t now, int *notices,
		   int *escalations, struct dd_err *err)
{
	struct dd_alert_now n;
	int sent = 0, told = 0;
	if (dd_alert_now_load(ctx, now, &n, err) < 0)
		return -1;
	for (int i = 0; i < n.oncall_count; i++) {
		const struct dd_oncall *o = &n.oncall[i];
		if (!o->open || !o->assignment.person_id)
			continue;
		int rc = start_one(ctx, &n, i, now, err);
		if (rc < 0)
			return -1;
		sent += rc;
	}
	struct dd_rows *rows;
	int64_t ids[64];
	int k = 0;
	if (dd_store_query(
		    ctx->store,
		    "SELECT id FROM shift_notices WHERE ready_at IS "
		    "NULL AND escalated_at IS NULL AND notified_at <= "
		    "$1 AND window_end > $2 ORDER BY id LIMIT 64",
		    (struct dd_param[]){DD_P_INT(now - DD_SHIFT_READY_GRACE_MS),
					DD_P_INT(now)},
		    2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && k < 64)
		ids[k++] = dd_rows_int(rows, 0);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = 0; i < k; i++) {
		int r = escalate_one(ctx, &n, ids[i], now, err);
		if (r < 0)
			return -1;
		told += r;
	}
	if (notices)
		*notices = sent;
	if (escalations)
		*escalations = told;
	return 0;
}

static int ready(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		 const char *note, const struct dd_ack_token *t,
		 struct dd_shift *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_shift before;
	if (note && dd_text_check("note", note, 0, DD_SHIFT_NOTE_MAX,
				  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if ((t && dd_ack_link_use(ctx, t, now, err) < 0) ||
	    dd_shift_get(ctx, id, &before, err) < 0)
		goto fail;
	if (t && before.person_id != t->person_id) {
		dd_err_set(err, 403, DD_PROBLEM_FORBIDDEN,
			   "this link is for another person's shift");
		goto fail;
	}
	if (before.ready_at) {
		*out = before;
		/* A used link stays used. */
		if (t && dd_store_commit(ctx->store, err) < 0)
			goto fail;
		if (!t)
			dd_store_rollback(ctx->store);
		return 0;
	}
	struct dd_buf buf;
	struct dd_json_out j;
	if (dd_store_exec(ctx->store,
			  "UPDATE shift_notices SET ready_at = $2, ready_note "
			  "= $3 WHERE id = $1 AND ready_at IS NULL",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(now),
					      DD_P_TEXT(note ? note
							     : "on duty, VPN "
							       "works")},
			  3, err) < 0 ||
	    dd_shift_get(ctx, id, out, err) < 0)
		goto fail;
	dd_buf_init(&buf, 4096);
	dd_json_out_init(&j, &buf);
	dd_shift_to_json(out, &j);
	int rc = dd_event_append(ctx->store, now, actor, "shift.ready", "shift",
				 id, NULL, dd_buf_str(&buf), err);
	dd_buf_release(&buf);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_shift_ready(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   const char *note, struct dd_shift *out, struct dd_err *err)
{
	return ready(ctx, actor, id, note, NULL, out, err);
}

int dd_shift_ready_by_link(struct dd_ctx *ctx, const struct dd_actor *actor,
			   const struct dd_ack_token *t, struct dd_shift *out,
			   struct dd_err *err)
{
	if (t->action != DD_ACK_READY)
		return dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
				  "this link is not for a shift");
	return ready(ctx, actor, t->object_id, NULL, t, out, err);
}
