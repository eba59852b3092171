/*
 * calendar.h - the organisation's business calendar: its time zone,
 * workdays, core hours and public holidays, and the service windows of
 * duties, as pure functions of their inputs (no I/O).
 *
 * Days are day numbers (base/date.h) in the organisation's time zone;
 * windows are civil minutes of the day ("16:00" = 960) turned into UTC
 * instants with the tz database, so 16:00 stays 16:00 across DST.
 */
#ifndef DD_ROTA_CALENDAR_H
#define DD_ROTA_CALENDAR_H

#include <stdint.h>

#include "base/date.h"
#include "base/tz.h"

/* Weekday bits: bit 1 Monday ... bit 7 Sunday (ISO numbers). */
#define DD_WEEKDAY_BIT(wd)  (1u << (wd))
#define DD_WEEKDAYS_MON_FRI 0x3eu

struct dd_calendar {
	const struct dd_tz *tz;
	unsigned workdays; /* DD_WEEKDAY_BIT set */
	int core_start;	   /* minutes of the day */
	int core_end;
	const int64_t *holidays; /* ascending day numbers */
	int holiday_count;
};

/* A daily window of local time on some weekdays. */
struct dd_window {
	unsigned weekdays; /* DD_WEEKDAY_BIT set */
	int start;	   /* minutes of the day, start < end <= 1440 */
	int end;
};

int dd_calendar_is_holiday(const struct dd_calendar *cal, int64_t day);
/* A workday that is not a holiday. */
int dd_calendar_is_business_day(const struct dd_calendar *cal, int64_t day);
/* The first business day after day (searches up to a year ahead; returns
 * day + 1 when there is none, which only a calendar without workdays
 * gives). */
int64_t dd_calendar_next_business_day(const struct dd_calendar *cal,
				      int64_t day);

/* Nonzero when w is open on day (its weekday, a business day). */
int dd_window_open_on(const struct dd_calendar *cal, const struct dd_window *w,
		      int64_t day);
/* The window's instants (milliseconds) on day. */
void dd_window_bounds(const struct dd_calendar *cal, const struct dd_window *w,
		      int64_t day, int64_t *start_ms, int64_t *end_ms);
/* Nonzero when instant at_ms lies inside the window on its local day;
 * *day receives that local day. */
int dd_window_contains(const struct dd_calendar *cal, const struct dd_window *w,
		       int64_t at_ms, int64_t *day);

/* Nonzero when at_ms is inside core hours of a business day. */
int dd_calendar_in_core_hours(const struct dd_calendar *cal, int64_t at_ms);

#endif
