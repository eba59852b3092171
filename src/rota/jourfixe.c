#include "rota/jourfixe.h"

#include <string.h>

#include "base/date.h"
#include "rota/env.h"
#include "store/store.h"

struct day_list {
	struct dd_assignment *items;
	int count, cap;
};

static int collect_day(const struct dd_assignment *a, void *arg)
{
	struct day_list *l = arg;
	if (l->count >= l->cap)
		return 1; /* cannot happen: cap is days x duties */
	l->items[l->count++] = *a;
	return 0;
}

static int load_absences(struct dd_ctx *ctx, struct dd_jourfixe *r,
			 struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	int rc;
	dd_date_format(r->ahead_from, a);
	dd_date_format(r->ahead_to, b);
	r->absences = dd_arena_alloc(ctx->arena, sizeof(*r->absences) *
							 DD_JOURFIXE_LIST_MAX);
	if (!r->absences)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(ctx->store,
			   "SELECT id, person_id, kind, first_day, last_day "
			   "FROM absences WHERE cancelled_at IS NULL AND "
			   "last_day >= $1 AND first_day <= $2 "
			   "ORDER BY first_day, person_id, id",
			   (struct dd_param[]){DD_P_TEXT(a), DD_P_TEXT(b)}, 2,
			   &rows, err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (r->absence_count >= DD_JOURFIXE_LIST_MAX) {
			r->truncated = 1;
			break;
		}
		struct dd_jf_absence *x = &r->absences[r->absence_count];
		x->id = dd_rows_int(rows, 0);
		x->person_id = dd_rows_int(rows, 1);
		x->kind = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
		if (dd_date_parse(dd_rows_text(rows, 3), &x->first_day) == 0 &&
		    dd_date_parse(dd_rows_text(rows, 4), &x->last_day) == 0)
			r->absence_count++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int load_swaps(struct dd_ctx *ctx, struct dd_jourfixe *r,
		      struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	int rc;
	dd_date_format(r->week, a);
	r->swaps = dd_arena_alloc(ctx->arena,
				  sizeof(*r->swaps) * DD_JOURFIXE_LIST_MAX);
	if (!r->swaps)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(
		    ctx->store,
		    "SELECT id, requester_id, colleague_id, day, "
		    "duty_id, other_day, other_duty_id, note, created_at "
		    "FROM swap_requests WHERE status = 'open' AND "
		    "day >= $1 ORDER BY day, id",
		    (struct dd_param[]){DD_P_TEXT(a)}, 1, &rows, err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (r->swap_count >= DD_JOURFIXE_LIST_MAX) {
			r->truncated = 1;
			break;
		}
		struct dd_jf_swap *s = &r->swaps[r->swap_count];
		s->id = dd_rows_int(rows, 0);
		s->requester_id = dd_rows_int(rows, 1);
		s->colleague_id = dd_rows_int(rows, 2);
		if (dd_date_parse(dd_rows_text(rows, 3), &s->day) < 0)
			continue;
		s->duty_id = dd_rows_int(rows, 4);
		if (dd_rows_is_null(rows, 5) ||
		    dd_date_parse(dd_rows_text(rows, 5), &s->other_day) < 0)
			s->other_day = 0;
		s->other_duty_id = dd_rows_int(rows, 6);
		s->note = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 7));
		s->created_at = dd_rows_int(rows, 8);
		r->swap_count++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The absence that takes person away on day, or NULL. */
static const struct dd_jf_absence *absent_on(const struct dd_jourfixe *r,
					     int64_t person, int64_t day)
{
	for (int i = 0; i < r->absence_count; i++) {
		const struct dd_jf_absence *x = &r->absences[i];
		if (x->person_id == person && x->first_day <= day &&
		    day <= x->last_day)
			return x;
	}
	return NULL;
}

struct uncovered_state {
	struct dd_jourfixe *r;
	int cap;
};

static int check_day(const struct dd_assignment *a, void *arg)
{
	struct uncovered_state *st = arg;
	struct dd_jourfixe *r = st->r;
	struct dd_jf_uncovered u = {.a = *a};
	if (!a->person_id) {
		u.why = a->draft ? DD_JF_UNCOVERED_DRAFT
				 : DD_JF_UNCOVERED_NO_PLAN;
	} else {
		const struct dd_jf_absence *x =
			absent_on(r, a->person_id, a->day);
		if (!x)
			return 0;
		u.why = DD_JF_UNCOVERED_ABSENT;
		u.absence_id = x->id;
		u.absence_kind = x->kind;
	}
	if (r->uncovered_count >= st->cap)
		return 1; /* cannot happen: cap is days x duties */
	r->uncovered[r->uncovered_count++] = u;
	return 0;
}

/* Read everyone the report names, so that writing it needs no I/O. */
static int load_names(struct dd_ctx *ctx, struct dd_jourfixe *r,
		      struct dd_err *err)
{
	const struct dd_who *w;
#define NAME(id)                                                               \
	do {                                                                   \
		if ((id) && dd_who_get(ctx, &r->who, (id), &w, err) < 0)       \
			return -1;                                             \
	} while (0)
	if (r->has_plan) {
		NAME(r->plan.first);
		NAME(r->plan.second);
	}
	for (int i = 0; i < r->next_day_count; i++) {
		NAME(r->next_days[i].person_id);
		NAME(r->next_days[i].planned_id);
	}
	for (int i = 0; i < r->uncovered_count; i++)
		NAME(r->uncovered[i].a.person_id);
	for (int i = 0; i < r->swap_count; i++) {
		NAME(r->swaps[i].requester_id);
		NAME(r->swaps[i].colleague_id);
	}
	for (int i = 0; i < r->absence_count; i++)
		NAME(r->absences[i].person_id);
#undef NAME
	return 0;
}

int dd_jourfixe_build(struct dd_ctx *ctx, int64_t day, struct dd_jourfixe *out,
		      struct dd_err *err)
{
	struct dd_rota_env env;
	struct dd_err lookup;
	memset(out, 0, sizeof(*out));
	dd_who_cache_init(&out->who);
	out->week = dd_date_week_start(day);
	out->next_week = out->week + 7;
	out->ahead_from = out->next_week;
	out->ahead_to = out->next_week + 7 * DD_JOURFIXE_AHEAD_WEEKS - 1;
	if (dd_rota_env_load(ctx, out->ahead_from, out->ahead_to, &env, err) <
	    0)
		return -1;
	out->duties = env.duties;
	out->duty_count = env.duty_count;

	if (dd_week_get(ctx, out->next_week, &out->plan, &lookup) == 0)
		out->has_plan = 1;
	else if (lookup.status != 404)
		return dd_err_set(err, lookup.status, lookup.type, "%s",
				  lookup.msg);

	int days = (int)(out->ahead_to - out->ahead_from + 1);
	int cap = days * env.duty_count + 1;
	struct day_list next = {
		.items = dd_arena_alloc(ctx->arena,
					sizeof(struct dd_assignment) * 7 *
						(size_t)(env.duty_count + 1)),
		.cap = 7 * env.duty_count,
	};
	out->uncovered = dd_arena_alloc(ctx->arena,
					sizeof(*out->uncovered) * (size_t)cap);
	if (!next.items || !out->uncovered)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_assignments(ctx, &env, out->next_week, out->next_week + 6,
				1, collect_day, &next, err) < 0)
		return -1;
	out->next_days = next.items;
	out->next_day_count = next.count;

	if (load_absences(ctx, out, err) < 0 || load_swaps(ctx, out, err) < 0)
		return -1;
	struct uncovered_state st = {out, cap};
	if (dd_rota_assignments(ctx, &env, out->ahead_from, out->ahead_to, 0,
				check_day, &st, err) < 0)
		return -1;
	return load_names(ctx, out, err);
}

const char *dd_jf_uncovered_why_name(enum dd_jf_uncovered_why why)
{
	switch (why) {
	case DD_JF_UNCOVERED_NO_PLAN:
		return "no-plan";
	case DD_JF_UNCOVERED_DRAFT:
		return "draft";
	case DD_JF_UNCOVERED_ABSENT:
		return "absent";
	}
	return "no-plan";
}

/* {"id", "login", "name"} or null. */
static void person_ref(const struct dd_jourfixe *r, struct dd_json_out *j,
		       const char *key, int64_t id)
{
	const struct dd_who *w = id ? dd_who_find(&r->who, id) : NULL;
	dd_json_key(j, key);
	if (!id) {
		dd_json_null(j);
		return;
	}
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", id);
	dd_json_kstr(j, "login", w ? w->login : NULL);
	dd_json_kstr(j, "name", w ? w->name : NULL);
	dd_json_obj_end(j);
}

static const char *duty_name(const struct dd_jourfixe *r, int64_t id)
{
	for (int i = 0; i < r->duty_count; i++)
		if (r->duties[i].id == id)
			return r->duties[i].name;
	return NULL;
}

static void kdate(struct dd_json_out *j, const char *key, int64_t day)
{
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(day, text);
	dd_json_kstr(j, key, text);
}

static void write_next_week(const struct dd_jourfixe *r, struct dd_json_out *j)
{
	dd_json_key(j, "next_week");
	dd_json_obj_begin(j);
	kdate(j, "week_start", r->next_week);
	dd_json_kstr(j, "status",
		     !r->has_plan	 ? "none"
		     : r->plan.published ? "published"
					 : "draft");
	person_ref(r, j, "first_person", r->has_plan ? r->plan.first : 0);
	person_ref(r, j, "second_person", r->has_plan ? r->plan.second : 0);
	dd_json_kstr(j, "note", r->has_plan ? r->plan.note : NULL);
	dd_json_key(j, "days");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->next_day_count;) {
		int64_t day = r->next_days[i].day;
		dd_json_obj_begin(j);
		kdate(j, "day", day);
		dd_json_key(j, "assignments");
		dd_json_arr_begin(j);
		for (; i < r->next_day_count && r->next_days[i].day == day;
		     i++) {
			const struct dd_assignment *a = &r->next_days[i];
			dd_json_obj_begin(j);
			dd_json_kint(j, "duty_id", a->duty->id);
			dd_json_kstr(j, "duty", a->duty->name);
			person_ref(r, j, "person", a->person_id);
			dd_json_kstr(j, "reason",
				     a->person_id
					     ? dd_cover_reason_name(a->reason)
					     : NULL);
			person_ref(r, j, "planned_person", a->planned_id);
			dd_json_kbool(j, "draft", a->draft);
			dd_json_obj_end(j);
		}
		dd_json_arr_end(j);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_obj_end(j);
}

void dd_jourfixe_to_json(const struct dd_jourfixe *r, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	kdate(j, "week", r->week);
	write_next_week(r, j);

	dd_json_key(j, "ahead");
	dd_json_obj_begin(j);
	kdate(j, "from", r->ahead_from);
	kdate(j, "to", r->ahead_to);
	dd_json_obj_end(j);

	dd_json_key(j, "uncovered");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->uncovered_count; i++) {
		const struct dd_jf_uncovered *u = &r->uncovered[i];
		dd_json_obj_begin(j);
		kdate(j, "day", u->a.day);
		dd_json_kint(j, "duty_id", u->a.duty->id);
		dd_json_kstr(j, "duty", u->a.duty->name);
		dd_json_kstr(j, "why", dd_jf_uncovered_why_name(u->why));
		person_ref(r, j, "person", u->a.person_id);
		if (u->why == DD_JF_UNCOVERED_ABSENT) {
			dd_json_kint(j, "absence_id", u->absence_id);
			dd_json_kstr(j, "absence_kind", u->absence_kind);
		} else {
			dd_json_knull(j, "absence_id");
			dd_json_knull(j, "absence_kind");
		}
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);

	dd_json_key(j, "open_swaps");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->swap_count; i++) {
		const struct dd_jf_swap *s = &r->swaps[i];
		dd_json_obj_begin(j);
		dd_json_kint(j, "id", s->id);
		kdate(j, "day", s->day);
		dd_json_kint(j, "duty_id", s->duty_id);
		dd_json_kstr(j, "duty", duty_name(r, s->duty_id));
		person_ref(r, j, "requester", s->requester_id);
		person_ref(r, j, "colleague", s->colleague_id);
		if (s->other_day)
			kdate(j, "other_day", s->other_day);
		else
			dd_json_knull(j, "other_day");
		dd_json_kid(j, "other_duty_id", s->other_duty_id);
		dd_json_kstr(j, "note", s->note);
		dd_json_ktime(j, "created_at", s->created_at);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);

	dd_json_key(j, "absences_ahead");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->absence_count; i++) {
		const struct dd_jf_absence *x = &r->absences[i];
		dd_json_obj_begin(j);
		dd_json_kint(j, "id", x->id);
		person_ref(r, j, "person", x->person_id);
		dd_json_kstr(j, "kind", x->kind);
		kdate(j, "first_day", x->first_day);
		kdate(j, "last_day", x->last_day);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);

	/* Tickets do not exist yet: the section is there, empty, so that
	 * clients can be written against its final shape. */
	dd_json_key(j, "p1_tickets");
	dd_json_obj_begin(j);
	kdate(j, "from", r->week - 7);
	kdate(j, "to", r->week - 1);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	dd_json_arr_end(j);
	dd_json_kstr(j, "note",
		     "tickets come later: the ticket desk is not "
		     "built yet, so this list is always empty");
	dd_json_obj_end(j);

	dd_json_kbool(j, "truncated", r->truncated);
	dd_json_obj_end(j);
}
