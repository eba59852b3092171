#include "rota/uncovered.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/notify.h"
#include "base/date.h"
#include "rota/change.h"
#include "store/store.h"

/* Uncovered days one warning run handles: the horizon is at most a year
 * of a few duties. */
#define WARN_MAX 2048

int dd_uncovered_of(const struct dd_assignment *a,
		    const struct dd_absence_span *spans, int n,
		    struct dd_uncovered *out)
{
	if (!a->person_id)
		return 0;
	const struct dd_absence_span *s =
		dd_absence_span_find(spans, n, a->person_id, a->day);
	if (!s)
		return 0;
	*out = (struct dd_uncovered){
		.day = a->day,
		.duty = a->duty,
		.person_id = a->person_id,
		.reason = a->reason,
		.absence_id = s->id,
		.kind = s->kind,
	};
	return 1;
}

struct list_state {
	const struct dd_absence_span *spans;
	int n;
	int (*fn)(const struct dd_uncovered *u, void *arg);
	void *arg;
};

static int list_one(const struct dd_assignment *a, void *arg)
{
	struct list_state *st = arg;
	struct dd_uncovered u;
	if (!dd_uncovered_of(a, st->spans, st->n, &u))
		return 0;
	return st->fn(&u, st->arg);
}

int dd_uncovered_list(struct dd_ctx *ctx, const struct dd_rota_env *env,
		      int64_t from, int64_t to,
		      int (*fn)(const struct dd_uncovered *u, void *arg),
		      void *arg, struct dd_err *err)
{
	struct dd_absence_span *spans;
	int n;
	if (to < from)
		return 0;
	if (dd_absence_spans(ctx, from, to, &spans, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	struct list_state st = {spans, n, fn, arg};
	return dd_rota_assignments(ctx, env, from, to, 0, list_one, &st, err);
}

void dd_uncovered_to_json(const struct dd_uncovered *u, struct dd_json_out *j)
{
	char day[DD_DATE_TEXT_LEN];
	dd_date_format(u->day, day);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "day", day);
	dd_json_kint(j, "duty_id", u->duty->id);
	dd_json_kstr(j, "duty", u->duty->name);
	dd_json_kint(j, "person_id", u->person_id);
	dd_json_kstr(j, "reason", dd_cover_reason_name(u->reason));
	dd_json_kint(j, "absence_id", u->absence_id);
	dd_json_kstr(j, "absence_kind", dd_absence_kind_name(u->kind));
	dd_json_obj_end(j);
}

struct collect {
	struct dd_uncovered *items;
	int n;
};

static int collect_one(const struct dd_uncovered *u, void *arg)
{
	struct collect *c = arg;
	if (c->n >= WARN_MAX)
		return 1;
	c->items[c->n++] = *u;
	return 0;
}

/* Record the warning for u unless there is one: 1 recorded, 0 there was
 * one, -1 on error. Its own transaction under the rota-change lock, so
 * that two instances cannot both find none. */
static int warn_one(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const struct dd_org_settings *s,
		    const struct dd_uncovered *u, int64_t today, int64_t now,
		    struct dd_err *err)
{
	char day[DD_DATE_TEXT_LEN], prefix[32];
	int64_t seen = 0;
	dd_date_format(u->day, day);
	/* The after-JSON starts with the day (written below), so a prefix
	 * match finds the warning of this day among the duty's events. */
	snprintf(prefix, sizeof(prefix), "{\"day\":\"%s\",%%", day);
	if (dd_rota_change_begin(ctx, err) < 0)
		return -1;
	if (dd_store_query_int(
		    ctx->store,
		    "SELECT COUNT(*) FROM events WHERE object_type = "
		    "'duty' AND object_id = $1 AND action = "
		    "'rota.uncovered.warning' AND after_json LIKE $2",
		    (struct dd_param[]){DD_P_INT(u->duty->id),
					DD_P_TEXT(prefix)},
		    2, &seen, err) < 0)
		goto fail;
	if (seen > 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 2048);
	dd_json_out_init(&j, &buf);
	dd_json_obj_begin(&j);
	dd_json_kstr(&j, "day", day);
	dd_json_kint(&j, "duty_id", u->duty->id);
	dd_json_kstr(&j, "duty", u->duty->name);
	dd_json_kint(&j, "person_id", u->person_id);
	dd_json_kint(&j, "absence_id", u->absence_id);
	dd_json_kstr(&j, "absence_kind", dd_absence_kind_name(u->kind));
	dd_json_kint(&j, "days_ahead", u->day - today);
	dd_json_key(&j, "notify");
	dd_json_arr_begin(&j);
	if (s->coordinator_id)
		dd_json_int(&j, s->coordinator_id);
	if (s->substitute_id && s->substitute_id != s->coordinator_id)
		dd_json_int(&j, s->substitute_id);
	dd_json_arr_end(&j);
	dd_json_obj_end(&j);
	int rc = dd_event_append(ctx->store, now, actor,
				 "rota.uncovered.warning", "duty", u->duty->id,
				 NULL, dd_buf_str(&buf), err);
	dd_buf_release(&buf);
	/* The warning reaches the coordinator, the substitute and the
	 * absent holder through the outbox, in this transaction. */
	char *text = dd_arena_printf(
		ctx->arena,
		"%s on %s (in %lld days) is uncovered: %s is absent (%s). "
		"Someone has to take the day (POST "
		"/api/v1/rota/replacements).",
		u->duty->name, day, (long long)(u->day - today),
		dd_notify_name(ctx, u->person_id),
		dd_absence_kind_name(u->kind));
	char *subject = dd_arena_printf(ctx->arena, "Uncovered: %s %s",
					u->duty->name, day);
	if (rc == 0 && (!text || !subject))
		rc = dd_err_set(err, 500, DD_PROBLEM_INTERNAL, "out of memory");
	if (rc == 0) {
		struct dd_notice n = {.event = "rota.uncovered",
				      .subject = subject,
				      .text = text,
				      .ref_type = "duty",
				      .ref_id = u->duty->id};
		int64_t to[] = {s->coordinator_id, s->substitute_id,
				u->person_id};
		rc = dd_notify_people(ctx, to, 3, &n, now, err);
	}
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 1;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_uncovered_warn(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t now_ms,
		      int (*fn)(const struct dd_uncovered *u, void *arg),
		      void *arg, int *total, int *warned, struct dd_err *err)
{
	struct dd_rota_env env;
	int64_t today;
	*total = 0;
	*warned = 0;
	if (dd_rota_env_load_at(ctx, now_ms, &env, &today, err) < 0)
		return -1;
	int horizon = env.settings.uncovered_warning_days;
	if (horizon <= 0)
		return 0;
	int64_t last = today + horizon - 1;
	struct collect c = {
		.items = dd_arena_alloc(ctx->arena,
					sizeof(struct dd_uncovered) * WARN_MAX),
	};
	if (!c.items)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_env_load(ctx, today, last, &env, err) < 0 ||
	    dd_uncovered_list(ctx, &env, today, last, collect_one, &c, err) < 0)
		return -1;
	*total = c.n;
	for (int i = 0; i < c.n; i++) {
		int rc = warn_one(ctx, actor, &env.settings, &c.items[i], today,
				  dd_ctx_now(ctx), err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		(*warned)++;
		if (fn && fn(&c.items[i], arg) != 0)
			break;
	}
	return 0;
}

int dd_replacement_set(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t day, int64_t duty_id, int64_t person_id,
		       int any_day, struct dd_assignment *out,
		       struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN];
	struct dd_rota_env env;
	struct dd_person person;
	struct dd_absence_span holder_absence;
	dd_date_format(day, text);
	if (dd_rota_env_load(ctx, day, day, &env, err) < 0)
		return -1;
	int64_t today = dd_rota_env_today(&env, dd_ctx_now(ctx));
	if (dd_rota_day_check("day", day, today, err) < 0)
		return -1;
	if (!any_day && day < today)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'day' %s is in the past", text);
	const struct dd_duty *duty = dd_rota_duty_on(&env, duty_id, day, err);
	if (!duty)
		return -1;
	struct dd_assignment *holders = dd_arena_alloc(
		ctx->arena, sizeof(*holders) * (size_t)(env.duty_count + 1));
	if (!holders)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_change_begin(ctx, err) < 0)
		return -1;
	int n, rc;
	if (dd_rota_person_check(ctx, person_id, "person", &person, err) < 0 ||
	    dd_rota_day_holders(ctx, &env, day, holders, &n, err) < 0)
		goto fail;
	const struct dd_assignment *h = dd_rota_holder_of(holders, n, duty_id);
	if ((rc = dd_absence_on(ctx, person_id, day, NULL, err)) != 0) {
		if (rc > 0)
			dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				   "'%s' is absent on %s", person.login, text);
		goto fail;
	}
	const struct dd_assignment *busy =
		dd_rota_holder_find(holders, n, person_id, 0);
	if (busy) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "'%s' is already on '%s' on %s", person.login,
			   busy->duty->name, text);
		goto fail;
	}
	int uncovered = 0;
	if (h && h->person_id) {
		uncovered = dd_absence_on(ctx, h->person_id, day,
					  &holder_absence, err);
		if (uncovered < 0)
			goto fail;
	}
	if (!uncovered && !any_day) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "'%s' on %s is not uncovered: its holder is not "
			   "absent",
			   duty->name, text);
		goto fail;
	}
	/* A replacement must win over how the day is held now: when the
	 * absent holder is a sick cover, the replacement takes that rank
	 * (later overrides of equal rank win). */
	enum dd_cover_reason reason = DD_COVER_REPLACEMENT;
	if (h && h->reason > reason)
		reason = h->reason;
	if (dd_rota_override_add(ctx, actor, day, duty_id, person_id, reason,
				 uncovered ? "absence" : "replacement",
				 uncovered ? holder_absence.id : 0, NULL,
				 err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	if (out && dd_rota_assignment(ctx, &env, day, duty, out, err) < 0)
		return -1;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
