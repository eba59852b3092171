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

/* The durations of one kind in order of trigger, so each week's are one
 * run: week w's are ms[first[w]] .. ms[first[w + 1] - 1]. */
struct runs {
	int64_t *ms;
	int n, cap;
	int *first; /* weeks + 1 entries */
};

static int runs_add(struct runs *r, int64_t ms)
{
	if (r->n == r->cap) {
		int cap = r->cap ? 2 * r->cap : 64;
		int64_t *more = realloc(r->ms, sizeof(*more) * (size_t)cap);
		if (!more)
			return -1;
		r->ms = more;
		r->cap = cap;
	}
	r->ms[r->n++] = ms;
	return 0;
}

/* Summarise week w's run (the whole run for w < 0). */
static void runs_of(struct runs *r, int w, struct dd_p1_durations *out)
{
	int from = w < 0 ? 0 : r->first[w], to = w < 0 ? r->n : r->first[w + 1];
	dd_p1_durations_of(r->ms ? r->ms + from : NULL, to - from, out);
}

/* Week w begins: every run up to w is closed at the current count. */
static void runs_week(struct runs *r, int *open_week, int w)
{
	while (*open_week < w)
		r->first[++*open_week] = r->n;
}

int dd_p1_report(struct dd_ctx *ctx, const struct dd_tz *tz, int64_t from_day,
		 int64_t to_day, struct dd_p1_report *r, struct dd_err *err)
{
	struct dd_week_report weeks;
	struct runs ack = {0}, res = {0};
	struct dd_rows *rows = NULL;
	int rc = -1, open_ack = 0, open_res = 0;
	memset(r, 0, sizeof(*r));
	if (dd_week_report_weeks(ctx->arena, tz, from_day, to_day, &weeks) < 0)
		goto oom;
	r->weeks = dd_arena_alloc(ctx->arena,
				  sizeof(*r->weeks) * (size_t)weeks.count);
	ack.first = dd_arena_alloc(ctx->arena,
				   sizeof(int) * (size_t)(weeks.count + 1));
	res.first = dd_arena_alloc(ctx->arena,
				   sizeof(int) * (size_t)(weeks.count + 1));
	if (!r->weeks || !ack.first || !res.first)
		goto oom;
	ack.first[0] = res.first[0] = 0;
	r->first_day = weeks.first_day;
	r->last_day = weeks.last_day;
	r->count = weeks.count;
	for (int i = 0; i < weeks.count; i++) {
		memset(&r->weeks[i], 0, sizeof(r->weeks[i]));
		r->weeks[i].week_start = weeks.rows[i].week_start;
	}
	/* A re-triggered alert counts from its latest trigger: its
	 * acknowledgement and resolution belong to that round. */
	if (dd_store_query(ctx->store,
			   "SELECT triggered_at, acknowledged_at, resolved_at "
			   "FROM alerts WHERE triggered_at >= $1 AND "
			   "triggered_at < $2 ORDER BY triggered_at",
			   (struct dd_param[]){
				   DD_P_INT(weeks.rows[0].from_ms),
				   DD_P_INT(weeks.rows[weeks.count - 1].to_ms)},
			   2, &rows, err) < 0)
		goto out;
	int next;
	while ((next = dd_rows_next(rows, err)) > 0) {
		int64_t at = dd_rows_int(rows, 0);
		int week = dd_week_report_row_of(&weeks, at);
		if (week < 0)
			continue;
		r->weeks[week].triggered++;
		r->triggered++;
		runs_week(&ack, &open_ack, week);
		runs_week(&res, &open_res, week);
		if ((!dd_rows_is_null(rows, 1) && dd_rows_int(rows, 1) >= at &&
		     runs_add(&ack, dd_rows_int(rows, 1) - at) < 0) ||
		    (!dd_rows_is_null(rows, 2) && dd_rows_int(rows, 2) >= at &&
		     runs_add(&res, dd_rows_int(rows, 2) - at) < 0))
			goto oom;
	}
	if (next < 0)
		goto out;
	runs_week(&ack, &open_ack, weeks.count);
	runs_week(&res, &open_res, weeks.count);
	for (int i = 0; i < r->count; i++) {
		runs_of(&ack, i, &r->weeks[i].ack);
		runs_of(&res, i, &r->weeks[i].resolve);
	}
	runs_of(&ack, -1, &r->ack);
	runs_of(&res, -1, &r->resolve);
	rc = 0;
	goto out;
oom:
	dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
		   "out of memory for the P1 report");
out:
	if (rows)
		dd_rows_free(rows);
	free(ack.ms);
	free(res.ms);
	return rc;
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
		"week_start",
		"triggered",
		"acknowledged",
		"acknowledge_median_minutes",
		"acknowledge_max_minutes",
		"resolved",
		"resolve_median_minutes",
		"resolve_max_minutes",
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
