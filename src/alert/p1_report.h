/*
 * p1_report.h - how fast priority-1 faults were handled, per week: how
 * many alerts were triggered, and the median and longest time from the
 * trigger to the acknowledgement and to the resolution. Weeks are the
 * organisation's (ticket/week_report.h); an alert counts in the week it
 * was triggered. Memory comes from the context's arena.
 */
#ifndef DD_ALERT_P1_REPORT_H
#define DD_ALERT_P1_REPORT_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "base/tz.h"

/* Durations of one kind (to acknowledge, to resolve) over some alerts. */
struct dd_p1_durations {
	int count;	   /* alerts that got there */
	int64_t median_ms; /* 0 when count is 0 */
	int64_t max_ms;
};

struct dd_p1_week {
	int64_t week_start; /* the Monday's day number */
	int triggered;
	struct dd_p1_durations ack, resolve;
};

struct dd_p1_report {
	int64_t first_day, last_day; /* a Monday, a Sunday */
	struct dd_p1_week *weeks;    /* oldest first */
	int count;
	int triggered;
	struct dd_p1_durations ack, resolve; /* over the whole span */
};

/* Pure: the median (the lower middle of an even count) and maximum of
 * n durations, which are sorted in place. */
void dd_p1_durations_of(int64_t *ms, int n, struct dd_p1_durations *out);

/* The weeks holding from_day..to_day, from the alerts table. 0, or -1
 * with err filled. */
int dd_p1_report(struct dd_ctx *ctx, const struct dd_tz *tz, int64_t from_day,
		 int64_t to_day, struct dd_p1_report *r, struct dd_err *err);

void dd_p1_report_to_json(const struct dd_p1_report *r, struct dd_json_out *j);
/* CSV with a header row; durations in whole minutes, rounded up. */
void dd_p1_report_to_csv(const struct dd_p1_report *r, struct dd_buf *out);

#endif
