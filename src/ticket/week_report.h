/*
 * week_report.h - tickets per week by channel: how many tickets came in
 * each week (Monday 00:00 to Monday 00:00 in the organisation's time
 * zone, so a week with a clock change has 167 or 169 hours) and the way
 * they came (phone, email, web, api). A ticket counts in the week of its
 * created_at. Tickets merged into another are left out: each was a
 * duplicate of a ticket that is counted. Strings and rows come from the
 * context's arena.
 */
#ifndef DD_TICKET_WEEK_REPORT_H
#define DD_TICKET_WEEK_REPORT_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "base/tz.h"

/* The channels of a ticket, in the report's column order. */
#define DD_WEEK_REPORT_CHANNELS 4
extern const char *const dd_week_report_channels[DD_WEEK_REPORT_CHANNELS];

struct dd_week_row {
	int64_t week_start;	/* the Monday's day number */
	int64_t from_ms, to_ms; /* [from, to): the local midnights */
	int64_t counts[DD_WEEK_REPORT_CHANNELS];
	int64_t total;
};

struct dd_week_report {
	int64_t first_day, last_day; /* a Monday, a Sunday */
	struct dd_week_row *rows;    /* oldest first */
	int count;
	int64_t counts[DD_WEEK_REPORT_CHANNELS];
	int64_t total;
};

/* Pure: the whole weeks that hold the days from_day to to_day (to_day >=
 * from_day) with their instants in tz, into r (rows from arena, counts
 * zero). Returns 0, or -1 when out of memory. */
int dd_week_report_weeks(struct dd_arena *arena, const struct dd_tz *tz,
			 int64_t from_day, int64_t to_day,
			 struct dd_week_report *r);

/* Pure: the row whose week holds the instant at_ms, or -1 when none
 * does. */
int dd_week_report_row_of(const struct dd_week_report *r, int64_t at_ms);

/* The weeks of dd_week_report_weeks, counted from the tickets table.
 * Returns 0 or -1 with err filled. */
int dd_week_report(struct dd_ctx *ctx, const struct dd_tz *tz, int64_t from_day,
		   int64_t to_day, struct dd_week_report *r,
		   struct dd_err *err);

void dd_week_report_to_json(const struct dd_week_report *r,
			    struct dd_json_out *j);
/* CSV with a header row: week_start, one column per channel, total. */
void dd_week_report_to_csv(const struct dd_week_report *r, struct dd_buf *out);

#endif
