#include "rota/assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/week.h"
#include "store/store.h"

/* Ranges longer than this are refused by the API; here they bound the
 * arrays. */
#define WEEKS_MAX     600
#define OVERRIDES_MAX 20000

struct override_row {
	int64_t id, day, duty_id, person_id;
	enum dd_cover_reason reason;
};

struct week_list {
	struct dd_week_plan *weeks;
	int count;
};

static int collect_week(const struct dd_week_plan *w, void *arg)
{
	struct week_list *l = arg;
	if (l->count >= WEEKS_MAX)
		return 1;
	l->weeks[l->count++] = *w;
	return 0;
}

static int load_overrides(struct dd_ctx *ctx, int64_t from, int64_t to,
			  struct override_row **out, int *count,
			  struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	dd_date_format(from, a);
	dd_date_format(to, b);
	*count = 0;
	*out = NULL;
	if (dd_store_query(ctx->store,
			   "SELECT id, day, duty_id, person_id, reason FROM "
			   "rota_overrides WHERE day >= $1 AND day <= $2 AND "
			   "revoked_at IS NULL ORDER BY day, duty_id, id",
			   (struct dd_param[]){DD_P_TEXT(a), DD_P_TEXT(b)}, 2,
			   &rows, err) < 0)
		return -1;
	int cap = 0, rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (*count == cap) {
			int ncap = cap ? cap * 2 : 64;
			if (ncap > OVERRIDES_MAX)
				break;
			struct override_row *n = dd_arena_alloc(
				ctx->arena, sizeof(*n) * (size_t)ncap);
			if (!n) {
				rc = dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
						"out of memory");
				break;
			}
			if (*count)
				memcpy(n, *out, sizeof(*n) * (size_t)*count);
			*out = n;
			cap = ncap;
		}
		struct override_row *o = &(*out)[(*count)++];
		o->id = dd_rows_int(rows, 0);
		dd_date_parse(dd_rows_text(rows, 1), &o->day);
		o->duty_id = dd_rows_int(rows, 2);
		o->person_id = dd_rows_int(rows, 3);
		o->reason = (enum dd_cover_reason)dd_rows_int(rows, 4);
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_rota_assignments(struct dd_ctx *ctx, const struct dd_rota_env *env,
			int64_t from, int64_t to, int include_drafts,
			int (*fn)(const struct dd_assignment *a, void *arg),
			void *arg, struct dd_err *err)
{
	if (to < from)
		return 0;
	if (to - from > 7 * (WEEKS_MAX - 2))
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "a range of at most %d weeks", WEEKS_MAX - 2);
	struct week_list weeks = {
		.weeks = dd_arena_alloc(
			ctx->arena, sizeof(struct dd_week_plan) * WEEKS_MAX),
	};
	struct override_row *ov;
	int ov_count;
	if (!weeks.weeks)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_week_list(ctx, dd_date_week_start(from), to, collect_week,
			 &weeks, err) < 0 ||
	    load_overrides(ctx, from, to, &ov, &ov_count, err) < 0)
		return -1;
	int wi = 0, oi = 0;
	for (int64_t day = from; day <= to; day++) {
		int64_t ws = dd_date_week_start(day);
		while (wi < weeks.count && weeks.weeks[wi].week_start < ws)
			wi++;
		const struct dd_week_plan *plan =
			wi < weeks.count && weeks.weeks[wi].week_start == ws
				? &weeks.weeks[wi]
				: NULL;
		int plan_counts = plan && (plan->published || include_drafts);
		while (oi < ov_count && ov[oi].day < day)
			oi++;
		for (int d = 0; d < env->duty_count; d++) {
			const struct dd_duty *duty = &env->duties[d];
			if (!dd_window_open_on(&env->cal, &duty->window, day))
				continue;
			struct dd_cover covers[32];
			int n = 0;
			int64_t planned = 0;
			if (plan) {
				struct dd_week_pair pair = {plan->week_start,
							    plan->first,
							    plan->second};
				planned = dd_plan_assignee(&env->cal, &pair,
							   day, duty->slot);
			}
			if (plan_counts && planned)
				covers[n++] = (struct dd_cover){
					planned, DD_COVER_PLAN, 0};
			for (int k = oi; k < ov_count && ov[k].day == day;
			     k++) {
				if (ov[k].duty_id != duty->id)
					continue;
				/* Every change of a day is kept (a day set
				 * again adds a row): fold a full array into
				 * its winner so the latest still counts. */
				if (n == 32) {
					covers[0] = *dd_cover_pick(covers, n);
					n = 1;
				}
				covers[n++] = (struct dd_cover){ov[k].person_id,
								ov[k].reason,
								ov[k].id};
			}
			const struct dd_cover *won = dd_cover_pick(covers, n);
			struct dd_assignment a = {
				.day = day,
				.duty = duty,
				.person_id = won ? won->person_id : 0,
				.planned_id = planned,
				.reason = won ? won->reason : DD_COVER_PLAN,
				.override_id = won ? won->id : 0,
				.draft = plan && !plan->published,
			};
			if (fn(&a, arg) != 0)
				return 0;
		}
	}
	return 0;
}

struct one {
	int64_t duty_id;
	struct dd_assignment *out;
	int found;
};

static int take_one(const struct dd_assignment *a, void *arg)
{
	struct one *o = arg;
	if (a->duty->id == o->duty_id) {
		*o->out = *a;
		o->found = 1;
		return 1;
	}
	return 0;
}

int dd_rota_assignment(struct dd_ctx *ctx, const struct dd_rota_env *env,
		       int64_t day, const struct dd_duty *duty,
		       struct dd_assignment *out, struct dd_err *err)
{
	struct one o = {duty->id, out, 0};
	if (dd_rota_assignments(ctx, env, day, day, 0, take_one, &o, err) < 0)
		return -1;
	if (!o.found) {
		char text[DD_DATE_TEXT_LEN];
		dd_date_format(day, text);
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "duty '%s' does not run on %s", duty->name,
				  text);
	}
	return 0;
}

int dd_rota_override_add(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t day, int64_t duty_id, int64_t person_id,
			 enum dd_cover_reason reason, const char *source_type,
			 int64_t source_id, int64_t *id, struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN];
	int64_t now = dd_ctx_now(ctx), new_id = 0;
	dd_date_format(day, text);
	struct dd_param p[] = {
		DD_P_TEXT(text),
		DD_P_INT(duty_id),
		DD_P_INT(person_id),
		DD_P_INT(reason),
		DD_P_TEXT(source_type),
		source_id ? DD_P_INT(source_id) : DD_P_NULL,
		DD_P_INT(now),
		actor->person_id ? DD_P_INT(actor->person_id) : DD_P_NULL,
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO rota_overrides (day, duty_id, "
		    "person_id, reason, source_type, source_id, "
		    "created_at, created_by) VALUES ($1, $2, $3, $4, "
		    "$5, $6, $7, $8) RETURNING id",
		    p, 8, &new_id, err) < 0)
		return -1;
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 1024);
	dd_json_out_init(&j, &buf);
	dd_json_obj_begin(&j);
	dd_json_kstr(&j, "day", text);
	dd_json_kint(&j, "duty_id", duty_id);
	dd_json_kint(&j, "person_id", person_id);
	dd_json_kstr(&j, "reason", dd_cover_reason_name(reason));
	dd_json_kstr(&j, "source_type", source_type);
	if (source_id)
		dd_json_kint(&j, "source_id", source_id);
	dd_json_obj_end(&j);
	int rc = dd_event_append(ctx->store, now, actor, "rota.assign",
				 "rota_override", new_id, NULL,
				 dd_buf_str(&buf), err);
	dd_buf_release(&buf);
	if (rc < 0)
		return -1;
	if (id)
		*id = new_id;
	return 0;
}
