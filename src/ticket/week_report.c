#include "ticket/week_report.h"

#include <string.h>

#include "base/csv.h"
#include "base/date.h"
#include "store/store.h"

const char *const dd_week_report_channels[DD_WEEK_REPORT_CHANNELS] = {
	"phone", "email", "web", "api"};

int dd_week_report_weeks(struct dd_arena *arena, const struct dd_tz *tz,
			 int64_t from_day, int64_t to_day,
			 struct dd_week_report *r)
{
	memset(r, 0, sizeof(*r));
	r->first_day = dd_date_week_start(from_day);
	r->last_day = dd_date_week_start(to_day) + 6;
	int weeks = (int)((r->last_day + 1 - r->first_day) / 7);
	r->rows = dd_arena_alloc(arena, sizeof(*r->rows) * (size_t)weeks);
	if (!r->rows)
		return -1;
	memset(r->rows, 0, sizeof(*r->rows) * (size_t)weeks);
	for (int i = 0; i < weeks; i++) {
		struct dd_week_row *w = &r->rows[i];
		w->week_start = r->first_day + 7 * (int64_t)i;
		w->from_ms = dd_tz_local_to_utc(tz, w->week_start, 0) * 1000;
		w->to_ms = dd_tz_local_to_utc(tz, w->week_start + 7, 0) * 1000;
	}
	r->count = weeks;
	return 0;
}

int dd_week_report_row_of(const struct dd_week_report *r, int64_t at_ms)
{
	int lo = 0, hi = r->count - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (at_ms < r->rows[mid].from_ms)
			hi = mid - 1;
		else if (at_ms >= r->rows[mid].to_ms)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

static int channel_index(const char *channel)
{
	for (int i = 0; i < DD_WEEK_REPORT_CHANNELS; i++)
		if (channel && strcmp(channel, dd_week_report_channels[i]) == 0)
			return i;
	return -1;
}

int dd_week_report(struct dd_ctx *ctx, const struct dd_tz *tz, int64_t from_day,
		   int64_t to_day, struct dd_week_report *r, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_week_report_weeks(ctx->arena, tz, from_day, to_day, r) < 0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory for the ticket report");
	/* One pass over the span's tickets, bucketed here: the weeks'
	 * bounds are local midnights, which SQL on two engines would not
	 * agree on (and a bucket coarser than the millisecond would not fit
	 * every zone's history). */
	struct dd_param p[] = {
		DD_P_INT(r->rows[0].from_ms),
		DD_P_INT(r->rows[r->count - 1].to_ms),
	};
	if (dd_store_query(ctx->store,
			   "SELECT created_at, channel FROM tickets "
			   "WHERE created_at >= $1 AND created_at < $2 "
			   "AND merged_into IS NULL",
			   p, 2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		int week = dd_week_report_row_of(r, dd_rows_int(rows, 0));
		int ch = channel_index(dd_rows_text(rows, 1));
		if (week < 0 || ch < 0)
			continue;
		r->rows[week].counts[ch]++;
		r->rows[week].total++;
		r->counts[ch]++;
		r->total++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static void counts_json(struct dd_json_out *j, const int64_t *counts,
			int64_t total)
{
	for (int i = 0; i < DD_WEEK_REPORT_CHANNELS; i++)
		dd_json_kint(j, dd_week_report_channels[i], counts[i]);
	dd_json_kint(j, "total", total);
}

void dd_week_report_to_json(const struct dd_week_report *r,
			    struct dd_json_out *j)
{
	char day[DD_DATE_TEXT_LEN];
	dd_json_obj_begin(j);
	dd_date_format(r->first_day, day);
	dd_json_kstr(j, "from", day);
	dd_date_format(r->last_day, day);
	dd_json_kstr(j, "to", day);
	dd_json_key(j, "channels");
	dd_json_arr_begin(j);
	for (int i = 0; i < DD_WEEK_REPORT_CHANNELS; i++)
		dd_json_str(j, dd_week_report_channels[i]);
	dd_json_arr_end(j);
	dd_json_key(j, "weeks");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->count; i++) {
		const struct dd_week_row *w = &r->rows[i];
		dd_json_obj_begin(j);
		dd_date_format(w->week_start, day);
		dd_json_kstr(j, "week_start", day);
		counts_json(j, w->counts, w->total);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_key(j, "totals");
	dd_json_obj_begin(j);
	counts_json(j, r->counts, r->total);
	dd_json_obj_end(j);
	dd_json_obj_end(j);
}

void dd_week_report_to_csv(const struct dd_week_report *r, struct dd_buf *out)
{
	struct dd_csv c;
	char day[DD_DATE_TEXT_LEN];
	dd_csv_init(&c, out);
	dd_csv_text(&c, "week_start");
	for (int i = 0; i < DD_WEEK_REPORT_CHANNELS; i++)
		dd_csv_text(&c, dd_week_report_channels[i]);
	dd_csv_text(&c, "total");
	dd_csv_row_end(&c);
	for (int i = 0; i < r->count; i++) {
		const struct dd_week_row *w = &r->rows[i];
		dd_date_format(w->week_start, day);
		dd_csv_text(&c, day);
		for (int k = 0; k < DD_WEEK_REPORT_CHANNELS; k++)
			dd_csv_int(&c, w->counts[k]);
		dd_csv_int(&c, w->total);
		dd_csv_row_end(&c);
	}
}
