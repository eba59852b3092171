#include "rota/propose.h"

#include <stdio.h>
#include <string.h>

#include "rota/assign.h"
#include "rota/week.h"
#include "store/store.h"

/* Members of a rota: far more than any support team. */
#define MEMBERS_MAX  1000
#define ABSENCES_MAX 20000

struct load_state {
	struct dd_proposal *p;
};

static int count_day(const struct dd_assignment *a, void *arg)
{
	struct dd_proposal *p = arg;
	for (int i = 0; i < p->people_count; i++)
		if (p->people[i].id == a->person_id) {
			p->people[i].days++;
			if (a->duty->slot == 0)
				p->people[i].slot0_days++;
		}
	return 0;
}

struct fixed_list {
	struct dd_fair_fixed *items;
	int count;
	int64_t prev_week;
	int64_t prev_first, prev_second;
};

static int collect_fixed(const struct dd_week_plan *w, void *arg)
{
	struct fixed_list *l = arg;
	if (w->week_start == l->prev_week) {
		l->prev_first = w->first;
		l->prev_second = w->second;
		return 0;
	}
	if (w->published && l->count < DD_PROPOSAL_WEEKS_MAX)
		l->items[l->count++] = (struct dd_fair_fixed){
			w->week_start, w->first, w->second};
	return 0;
}

int dd_rota_propose(struct dd_ctx *ctx, const struct dd_rota_env *env,
		    int64_t first_week, int weeks, struct dd_proposal *out,
		    struct dd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (weeks < 1 || weeks > DD_PROPOSAL_WEEKS_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'weeks' must be 1 to %d",
				  DD_PROPOSAL_WEEKS_MAX);
	if (dd_date_weekday(first_week) != 1)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a proposal starts on a Monday");
	out->first_week = first_week;
	out->weeks = weeks;
	out->trailing_weeks = env->settings.trailing_weeks;
	out->people =
		dd_arena_alloc(ctx->arena, sizeof(*out->people) * MEMBERS_MAX);
	out->names = dd_arena_alloc(ctx->arena, sizeof(char *) * MEMBERS_MAX);
	if (!out->people || !out->names)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT m.person_id, m.in_rotation, p.name FROM "
			   "rota_members m JOIN people p ON p.id = m.person_id "
			   "WHERE p.active = 1 ORDER BY m.person_id",
			   NULL, 0, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 &&
	       out->people_count < MEMBERS_MAX) {
		int i = out->people_count++;
		out->people[i] = (struct dd_fair_person){
			.id = dd_rows_int(rows, 0),
			.in_rotation = dd_rows_int(rows, 1) != 0,
		};
		out->names[i] =
			dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;

	/* Duty days actually held in the trailing window. */
	struct dd_rota_env trailing;
	int64_t t_from = first_week - 7 * (int64_t)out->trailing_weeks;
	if (dd_rota_env_load(ctx, t_from, first_week - 1, &trailing, err) < 0 ||
	    dd_rota_assignments(ctx, &trailing, t_from, first_week - 1, 0,
				count_day, out, err) < 0)
		return -1;

	/* Absences overlapping the proposal. */
	int64_t last = first_week + 7 * (int64_t)weeks - 1;
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	dd_date_format(first_week, a);
	dd_date_format(last, b);
	struct dd_fair_absence *abs =
		dd_arena_alloc(ctx->arena, sizeof(*abs) * ABSENCES_MAX);
	int abs_count = 0;
	if (!abs)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(
		    ctx->store,
		    "SELECT person_id, first_day, last_day FROM absences "
		    "WHERE cancelled_at IS NULL AND last_day >= $1 AND "
		    "first_day <= $2",
		    (struct dd_param[]){DD_P_TEXT(a), DD_P_TEXT(b)}, 2, &rows,
		    err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0 && abs_count < ABSENCES_MAX) {
		struct dd_fair_absence *x = &abs[abs_count];
		x->person_id = dd_rows_int(rows, 0);
		if (dd_date_parse(dd_rows_text(rows, 1), &x->first_day) == 0 &&
		    dd_date_parse(dd_rows_text(rows, 2), &x->last_day) == 0)
			abs_count++;
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;

	/* Published weeks stay; the week before sets the pair to avoid. */
	struct fixed_list fixed = {
		.items = dd_arena_alloc(ctx->arena,
					sizeof(struct dd_fair_fixed) *
						DD_PROPOSAL_WEEKS_MAX),
		.prev_week = first_week - 7,
	};
	if (!fixed.items)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_week_list(ctx, first_week - 7, last, collect_fixed, &fixed,
			 err) < 0)
		return -1;

	size_t n = (size_t)out->people_count;
	out->out =
		dd_arena_alloc(ctx->arena, sizeof(*out->out) * (size_t)weeks);
	out->days_before = dd_arena_alloc(
		ctx->arena, sizeof(int64_t) * (n * (size_t)weeks + 1));
	out->final_days = dd_arena_alloc(ctx->arena, sizeof(int64_t) * (n + 1));
	if (!out->out || !out->days_before || !out->final_days)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_fair_input in = {
		.cal = &env->cal,
		.first_week = first_week,
		.weeks = weeks,
		.people = out->people,
		.people_count = out->people_count,
		.absences = abs,
		.absence_count = abs_count,
		.prev_first = fixed.prev_first,
		.prev_second = fixed.prev_second,
		.fixed = fixed.items,
		.fixed_count = fixed.count,
	};
	if (dd_fair_propose(&in, out->out, out->days_before, out->final_days) <
	    0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "the proposal failed");
	return 0;
}

int dd_rota_proposal_save(struct dd_ctx *ctx, const struct dd_actor *actor,
			  const struct dd_proposal *p, int *saved,
			  struct dd_err *err)
{
	*saved = 0;
	for (int w = 0; w < p->weeks; w++) {
		const struct dd_fair_week *wk = &p->out[w];
		if (wk->status != DD_FAIR_PAIRED || wk->fixed)
			continue;
		struct dd_week_plan existing, plan;
		struct dd_err lookup;
		if (dd_week_get(ctx, wk->week_start, &existing, &lookup) == 0 &&
		    existing.published)
			continue;
		/* Each week is its own transaction with its own event; a
		 * failure part-way leaves whole weeks, never half a week. */
		if (dd_week_set(ctx, actor, wk->week_start, wk->first,
				wk->second, "proposed", 0, &plan, err) < 0)
			return -1;
		(*saved)++;
	}
	return 0;
}

static const char *status_name(enum dd_fair_status s)
{
	switch (s) {
	case DD_FAIR_PAIRED:
		return "paired";
	case DD_FAIR_NO_BUSINESS_DAYS:
		return "no-business-days";
	case DD_FAIR_UNCOVERED:
		return "uncovered";
	}
	return "paired";
}

void dd_proposal_to_json(const struct dd_proposal *p, int saved_weeks,
			 struct dd_json_out *j)
{
	char day[DD_DATE_TEXT_LEN];
	dd_json_obj_begin(j);
	if (saved_weeks >= 0)
		dd_json_kint(j, "saved_weeks", saved_weeks);
	dd_date_format(p->first_week, day);
	dd_json_kstr(j, "first_week", day);
	dd_json_kint(j, "weeks", p->weeks);
	dd_json_kint(j, "trailing_weeks", p->trailing_weeks);
	dd_json_key(j, "people");
	dd_json_arr_begin(j);
	for (int i = 0; i < p->people_count; i++) {
		dd_json_obj_begin(j);
		dd_json_kint(j, "person_id", p->people[i].id);
		dd_json_kstr(j, "name", p->names[i]);
		dd_json_kbool(j, "in_rotation", p->people[i].in_rotation);
		dd_json_kint(j, "trailing_days", p->people[i].days);
		dd_json_kint(j, "days_after", p->final_days[i]);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_key(j, "proposal");
	dd_json_arr_begin(j);
	for (int w = 0; w < p->weeks; w++) {
		const struct dd_fair_week *wk = &p->out[w];
		dd_json_obj_begin(j);
		dd_date_format(wk->week_start, day);
		dd_json_kstr(j, "week_start", day);
		dd_json_kstr(j, "status", status_name(wk->status));
		dd_json_kbool(j, "already_published", wk->fixed);
		dd_json_kint(j, "business_days", wk->business_days);
		if (wk->status == DD_FAIR_PAIRED) {
			dd_json_kint(j, "first_person_id", wk->first);
			dd_json_kint(j, "second_person_id", wk->second);
		} else {
			dd_json_knull(j, "first_person_id");
			dd_json_knull(j, "second_person_id");
		}
		dd_json_kbool(j, "avoided_repeat", wk->avoided_repeat);
		dd_json_kint(j, "available", wk->available);
		/* The explanation: everyone's duty days when this week was
		 * decided. */
		dd_json_key(j, "days_before");
		dd_json_obj_begin(j);
		for (int i = 0; i < p->people_count; i++) {
			char key[24];
			snprintf(key, sizeof(key), "%lld",
				 (long long)p->people[i].id);
			dd_json_kint(
				j, key,
				p->days_before[(size_t)w *
						       (size_t)p->people_count +
					       (size_t)i]);
		}
		dd_json_obj_end(j);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_obj_end(j);
}
