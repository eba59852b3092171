#include "alert/p1_report.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/date.h"
#include "store/store.h"
#include "ticket/week_report.h"

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void dd_p1_durations_of(int64_t *ms, int n, struct dd_p1_durations *out)
{
	memset(out, 0, sizeof(*out));
	if (n <= 0)
		return;
	qsort(ms, (size_t)n, sizeof(*ms), by_value);
	out->count = n;
	out->median_ms = ms[(n - 1) / 2];
	out->max_ms = ms[n - 1];
}

/* The durations of one kind, bucketed by week, and all of them. */
struct buckets {
	int64_t **week; /* per week: its durations */
	int *n;
	int64_t *all;
	int all_n;
};

static int buckets_init(struct dd_arena *arena, struct buckets *b, int weeks,
			int cap)
{
	b->week = dd_arena_alloc(arena, sizeof(*b->week) * (size_t)weeks);
	b->n = dd_arena_alloc(arena, sizeof(*b->n) * (size_t)weeks);
	b->all = dd_arena_alloc(arena, sizeof(*b->all) * (size_t)(cap + 1));
	if (!b->week || !b->n || !b->all)
		return -1;
	for (int i = 0; i < weeks; i++) {
		b->n[i] = 0;
		b->week[i] = dd_arena_alloc(arena, sizeof(int64_t) *
							   (size_t)(cap + 1));
		if (!b->week[i])
			return -1;
	}
	b->all_n = 0;
	return 0;
}

static void buckets_add(struct buckets *b, int week, int64_t ms)
{
	b->week[week][b->n[week]++] = ms;
	b->all[b->all_n++] = ms;
}

int dd_p1_report(struct dd_ctx *ctx, const struct dd_tz *tz, int64_t from_day,
		 int64_t to_day, struct dd_p1_report *r, struct dd_err *err)
{
	struct dd_week_report weeks;
	memset(r, 0, sizeof(*r));
	if (dd_week_report_weeks(ctx->arena, tz, from_day, to_day, &weeks) < 0)
		goto oom;
	struct dd_param p[] = {
		DD_P_INT(weeks.rows[0].from_ms),
		DD_P_INT(weeks.rows[weeks.count - 1].to_ms),
	};
	int64_t n = 0;
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM alerts WHERE triggered_at "
			       ">= $1 AND triggered_at < $2",
			       p, 2, &n, err) < 0)
		return -1;
	struct buckets ack, res;
	r->weeks = dd_arena_alloc(ctx->arena,
				  sizeof(*r->weeks) * (size_t)weeks.count);
	if (!r->weeks || buckets_init(ctx->arena, &ack, weeks.count, (int)n) ||
	    buckets_init(ctx->arena, &res, weeks.count, (int)n))
		goto oom;
	r->first_day = weeks.first_day;
	r->last_day = weeks.last_day;
	r->count = weeks.count;
	for (int i = 0; i < weeks.count; i++) {
		memset(&r->weeks[i], 0, sizeof(r->weeks[i]));
		r->weeks[i].week_start = weeks.rows[i].week_start;
	}
	/* A re-triggered alert counts from its latest trigger: its
	 * acknowledgement and resolution belong to that round. */
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT triggered_at, acknowledged_at, resolved_at "
			   "FROM alerts WHERE triggered_at >= $1 AND "
			   "triggered_at < $2 LIMIT $3",
			   (struct dd_param[]){p[0], p[1], DD_P_INT(n)}, 3,
			   &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		int64_t at = dd_rows_int(rows, 0);
		int week = dd_week_report_row_of(&weeks, at);
		if (week < 0)
			continue;
		r->weeks[week].triggered++;
		r->triggered++;
		if (!dd_rows_is_null(rows, 1) && dd_rows_int(rows, 1) >= at)
			buckets_add(&ack, week, dd_rows_int(rows, 1) - at);
		if (!dd_rows_is_null(rows, 2) && dd_rows_int(rows, 2) >= at)
			buckets_add(&res, week, dd_rows_int(rows, 2) - at);
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = 0; i < r->count; i++) {
		dd_p1_durations_of(ack.week[i], ack.n[i], &r->weeks[i].ack);
		dd_p1_durations_of(res.week[i], res.n[i], &r->weeks[i].resolve);
	}
	dd_p1_durations_of(ack.all, ack.all_n, &r->ack);
	dd_p1_durations_of(res.all, res.all_n, &r->resolve);
	return 0;
oom:
	return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
			  "out of memory for the P1 report");
}

static int64_t minutes_up(int64_t ms)
{
	return (ms + 59999) / 60000;
}

static void durations_json(struct dd_json_out *j, const char *key,
			   const struct dd_p1_durations *d)
{
	dd_json_key(j, key);
	dd_json_obj_begin(j);
	dd_json_kint(j, "count", d->count);
	if (d->count) {
		dd_json_kint(j, "median_seconds", (d->median_ms + 999) / 1000);
		dd_json_kint(j, "max_seconds", (d->max_ms + 999) / 1000);
	} else {
		dd_json_knull(j, "median_seconds");
		dd_json_knull(j, "max_seconds");
	}
	dd_json_obj_end(j);
}

void dd_p1_report_to_json(const struct dd_p1_report *r, struct dd_json_out *j)
{
	char day[DD_DATE_TEXT_LEN];
	dd_json_obj_begin(j);
	dd_date_format(r->first_day, day);
	dd_json_kstr(j, "from", day);
	dd_date_format(r->last_day, day);
	dd_json_kstr(j, "to", day);
	dd_json_key(j, "weeks");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->count; i++) {
		const struct dd_p1_week *w = &r->weeks[i];
		dd_json_obj_begin(j);
		dd_date_format(w->week_start, day);
		dd_json_kstr(j, "week_start", day);
		dd_json_kint(j, "triggered", w->triggered);
		durations_json(j, "acknowledge", &w->ack);
		durations_json(j, "resolve", &w->resolve);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_key(j, "totals");
	dd_json_obj_begin(j);
	dd_json_kint(j, "triggered", r->triggered);
	durations_json(j, "acknowledge", &r->ack);
	durations_json(j, "resolve", &r->resolve);
	dd_json_obj_end(j);
	dd_json_obj_end(j);
}

static void durations_csv(struct dd_csv *c, const struct dd_p1_durations *d)
{
	dd_csv_int(c, d->count);
	if (d->count) {
		dd_csv_int(c, minutes_up(d->median_ms));
		dd_csv_int(c, minutes_up(d->max_ms));
	} else {
		dd_csv_text(c, "");
		dd_csv_text(c, "");
	}
}

void dd_p1_report_to_csv(const struct dd_p1_report *r, struct dd_buf *out)
{
	static const char *const head[] = {
		"week_start",	     "triggered",
		"acknowledged",	     "acknowledge_median_minutes",
		"acknowledge_max_minutes", "resolved",
		"resolve_median_minutes",  "resolve_max_minutes",
	};
	struct dd_csv c;
	char day[DD_DATE_TEXT_LEN];
	dd_csv_init(&c, out);
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		dd_csv_text(&c, head[i]);
	dd_csv_row_end(&c);
	for (int i = 0; i < r->count; i++) {
		const struct dd_p1_week *w = &r->weeks[i];
		dd_date_format(w->week_start, day);
		dd_csv_text(&c, day);
		dd_csv_int(&c, w->triggered);
		durations_csv(&c, &w->ack);
		durations_csv(&c, &w->resolve);
		dd_csv_row_end(&c);
	}
}
