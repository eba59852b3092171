#include "rota/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/date.h"
#include "rota/assign.h"
#include "rota/env.h"
#include "rota/who.h"

/* One person's duty on one day, with the window's instants. */
struct served {
	int64_t person_id;
	int64_t day;
	int duty; /* index into the environment's duties */
	int64_t start_ms, end_ms;
};

struct collect {
	const struct dd_rota_env *env;
	struct served *items;
	int count, cap;
	int unstaffed;
};

static int collect_one(const struct dd_assignment *a, void *arg)
{
	struct collect *c = arg;
	if (!a->person_id) {
		c->unstaffed++;
		return 0;
	}
	if (c->count >= c->cap)
		return 1; /* cannot happen: cap is days x duties */
	struct served *s = &c->items[c->count++];
	s->person_id = a->person_id;
	s->day = a->day;
	s->duty = (int)(a->duty - c->env->duties);
	dd_window_bounds(&c->env->cal, &a->duty->window, a->day, &s->start_ms,
			 &s->end_ms);
	return 0;
}

static int served_cmp(const void *pa, const void *pb)
{
	const struct served *a = pa, *b = pb;
	if (a->person_id != b->person_id)
		return a->person_id < b->person_id ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->start_ms != b->start_ms)
		return a->start_ms < b->start_ms ? -1 : 1;
	return a->duty - b->duty;
}

static int person_cmp(const void *pa, const void *pb)
{
	const struct dd_hours_person *a = pa, *b = pb;
	int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	if (c)
		return c;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

int dd_hours_month_parse(const char *text, int *year, int *month)
{
	if (!text || strlen(text) != 7 || text[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (text[i] < '0' || text[i] > '9'))
			return -1;
	int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 +
		(text[2] - '0') * 10 + (text[3] - '0');
	int m = (text[5] - '0') * 10 + (text[6] - '0');
	if (y < 1900 || m < 1 || m > 12)
		return -1;
	*year = y;
	*month = m;
	return 0;
}

void dd_hours_format(int64_t minutes, char out[32])
{
	if (minutes < 0)
		minutes = 0;
	int64_t whole = minutes / 60;
	int64_t hundredths = (minutes % 60 * 100 + 30) / 60;
	if (hundredths >= 100) {
		whole++;
		hundredths -= 100;
	}
	if (hundredths == 0)
		snprintf(out, 32, "%lld", (long long)whole);
	else if (hundredths % 10 == 0)
		snprintf(out, 32, "%lld.%lld", (long long)whole,
			 (long long)(hundredths / 10));
	else
		snprintf(out, 32, "%lld.%02lld", (long long)whole,
			 (long long)hundredths);
}

/* Add one person's sorted days [from, to) of items to p. */
static void sum_person(const struct served *items, int from, int to,
		       struct dd_hours_person *p)
{
	int i = from;
	while (i < to) {
		int64_t day = items[i].day;
		int64_t run_start = items[i].start_ms,
			run_end = items[i].end_ms;
		p->days++;
		for (; i < to && items[i].day == day; i++) {
			const struct served *s = &items[i];
			p->by_duty[s->duty].days++;
			p->by_duty[s->duty].minutes +=
				(s->end_ms - s->start_ms) / 60000;
			/* Sorted by start: merge overlapping windows. */
			if (s->start_ms > run_end) {
				p->minutes += (run_end - run_start) / 60000;
				run_start = s->start_ms;
				run_end = s->end_ms;
			} else if (s->end_ms > run_end) {
				run_end = s->end_ms;
			}
		}
		p->minutes += (run_end - run_start) / 60000;
	}
}

int dd_hours_month(struct dd_ctx *ctx, int year, int month,
		   struct dd_hours_report *out, struct dd_err *err)
{
	struct dd_rota_env env;
	memset(out, 0, sizeof(*out));
	if (year < 1900 || year > 9999 || month < 1 || month > 12)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "no month %04d-%02d", year, month);
	out->year = year;
	out->month = month;
	out->first_day = dd_date_days(year, month, 1);
	out->last_day = out->first_day + dd_date_month_days(year, month) - 1;
	if (dd_rota_env_load(ctx, out->first_day, out->last_day, &env, err) < 0)
		return -1;
	out->duties = env.duties;
	out->duty_count = env.duty_count;
	out->complete =
		dd_rota_env_today(&env, dd_ctx_now(ctx)) > out->last_day;

	struct collect c = {.env = &env};
	c.cap = (int)(out->last_day - out->first_day + 1) * env.duty_count;
	c.items = dd_arena_alloc(ctx->arena,
				 sizeof(*c.items) * (size_t)(c.cap + 1));
	if (!c.items)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_assignments(ctx, &env, out->first_day, out->last_day, 0,
				collect_one, &c, err) < 0)
		return -1;
	out->unstaffed = c.unstaffed;
	qsort(c.items, (size_t)c.count, sizeof(*c.items), served_cmp);

	/* At most one person per served duty day. */
	out->people = dd_arena_alloc(ctx->arena, sizeof(*out->people) *
							 (size_t)(c.count + 1));
	if (!out->people)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_who_cache who;
	dd_who_cache_init(&who);
	for (int i = 0; i < c.count;) {
		int j = i;
		while (j < c.count &&
		       c.items[j].person_id == c.items[i].person_id)
			j++;
		struct dd_hours_person *p = &out->people[out->people_count++];
		const struct dd_who *w;
		p->person_id = c.items[i].person_id;
		p->by_duty = dd_arena_alloc(
			ctx->arena,
			sizeof(*p->by_duty) * (size_t)(env.duty_count + 1));
		if (!p->by_duty)
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "out of memory");
		if (dd_who_get(ctx, &who, p->person_id, &w, err) < 0)
			return -1;
		p->login = w->login;
		p->name = w->name;
		sum_person(c.items, i, j, p);
		out->days += p->days;
		out->minutes += p->minutes;
		i = j;
	}
	qsort(out->people, (size_t)out->people_count, sizeof(*out->people),
	      person_cmp);
	return 0;
}

void dd_hours_to_json(const struct dd_hours_report *r, struct dd_json_out *j)
{
	char text[32], day[DD_DATE_TEXT_LEN];
	snprintf(text, sizeof(text), "%04d-%02d", r->year, r->month);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "month", text);
	dd_date_format(r->first_day, day);
	dd_json_kstr(j, "from", day);
	dd_date_format(r->last_day, day);
	dd_json_kstr(j, "to", day);
	dd_json_kbool(j, "complete", r->complete);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->people_count; i++) {
		const struct dd_hours_person *p = &r->people[i];
		dd_json_obj_begin(j);
		dd_json_kint(j, "person_id", p->person_id);
		dd_json_kstr(j, "login", p->login);
		dd_json_kstr(j, "name", p->name);
		dd_json_kint(j, "duty_days", p->days);
		dd_hours_format(p->minutes, text);
		dd_json_key(j, "hours");
		dd_json_raw(j, text);
		dd_json_kint(j, "minutes", p->minutes);
		dd_json_key(j, "by_duty");
		dd_json_arr_begin(j);
		for (int d = 0; d < r->duty_count; d++) {
			if (!p->by_duty[d].days)
				continue;
			dd_json_obj_begin(j);
			dd_json_kint(j, "duty_id", r->duties[d].id);
			dd_json_kstr(j, "duty", r->duties[d].name);
			dd_json_kint(j, "days", p->by_duty[d].days);
			dd_hours_format(p->by_duty[d].minutes, text);
			dd_json_key(j, "hours");
			dd_json_raw(j, text);
			dd_json_kint(j, "minutes", p->by_duty[d].minutes);
			dd_json_obj_end(j);
		}
		dd_json_arr_end(j);
		dd_json_kstr(j, "work_time_kind", DD_WORK_TIME_NORMAL);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_key(j, "totals");
	dd_json_obj_begin(j);
	dd_json_kint(j, "people", r->people_count);
	dd_json_kint(j, "duty_days", r->days);
	dd_hours_format(r->minutes, text);
	dd_json_key(j, "hours");
	dd_json_raw(j, text);
	dd_json_kint(j, "minutes", r->minutes);
	dd_json_kint(j, "unstaffed_duty_days", r->unstaffed);
	dd_json_kstr(j, "work_time_kind", DD_WORK_TIME_NORMAL);
	dd_json_obj_end(j);
	dd_json_obj_end(j);
}

void dd_hours_to_csv(const struct dd_hours_report *r, struct dd_buf *out)
{
	struct dd_csv c;
	char text[32], month[16];
	snprintf(month, sizeof(month), "%04d-%02d", r->year, r->month);
	dd_csv_init(&c, out);
	dd_csv_text(&c, "month");
	dd_csv_text(&c, "person_id");
	dd_csv_text(&c, "login");
	dd_csv_text(&c, "name");
	dd_csv_text(&c, "duty_days");
	dd_csv_text(&c, "hours");
	for (int d = 0; d < r->duty_count; d++) {
		/* Duty names are data (at most DD_LIMIT_NAME bytes): they go
		 * through the same quoting and defusing. */
		char head[DD_LIMIT_NAME + 16];
		snprintf(head, sizeof(head), "%s days", r->duties[d].name);
		dd_csv_text(&c, head);
		snprintf(head, sizeof(head), "%s hours", r->duties[d].name);
		dd_csv_text(&c, head);
	}
	dd_csv_text(&c, "work_time_kind");
	dd_csv_row_end(&c);
	for (int i = 0; i < r->people_count; i++) {
		const struct dd_hours_person *p = &r->people[i];
		dd_csv_raw(&c, month);
		dd_csv_int(&c, p->person_id);
		dd_csv_text(&c, p->login);
		dd_csv_text(&c, p->name);
		dd_csv_int(&c, p->days);
		dd_hours_format(p->minutes, text);
		dd_csv_raw(&c, text);
		for (int d = 0; d < r->duty_count; d++) {
			dd_csv_int(&c, p->by_duty[d].days);
			dd_hours_format(p->by_duty[d].minutes, text);
			dd_csv_raw(&c, text);
		}
		dd_csv_text(&c, DD_WORK_TIME_NORMAL);
		dd_csv_row_end(&c);
	}
}
