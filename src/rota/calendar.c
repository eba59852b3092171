#include "rota/calendar.h"

int dd_calendar_is_holiday(const struct dd_calendar *cal, int64_t day)
{
	int lo = 0, hi = cal->holiday_count;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (cal->holidays[mid] == day)
			return 1;
		if (cal->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int dd_calendar_is_business_day(const struct dd_calendar *cal, int64_t day)
{
	return (cal->workdays & DD_WEEKDAY_BIT(dd_date_weekday(day))) &&
	       !dd_calendar_is_holiday(cal, day);
}

int64_t dd_calendar_next_business_day(const struct dd_calendar *cal,
				      int64_t day)
{
	for (int64_t d = day + 1; d <= day + 366; d++)
		if (dd_calendar_is_business_day(cal, d))
			return d;
	return day + 1;
}

int dd_window_open_on(const struct dd_calendar *cal, const struct dd_window *w,
		      int64_t day)
{
	return (w->weekdays & DD_WEEKDAY_BIT(dd_date_weekday(day))) &&
	       dd_calendar_is_business_day(cal, day);
}

void dd_window_bounds(const struct dd_calendar *cal, const struct dd_window *w,
		      int64_t day, int64_t *start_ms, int64_t *end_ms)
{
	*start_ms = dd_tz_local_to_utc(cal->tz, day, w->start * 60) * 1000;
	*end_ms = dd_tz_local_to_utc(cal->tz, day, w->end * 60) * 1000;
}

int dd_window_contains(const struct dd_calendar *cal, const struct dd_window *w,
		       int64_t at_ms, int64_t *day)
{
	int64_t secs = at_ms >= 0 ? at_ms / 1000 : (at_ms - 999) / 1000;
	int64_t d = dd_tz_local_day(cal->tz, secs);
	*day = d;
	if (!dd_window_open_on(cal, w, d))
		return 0;
	int64_t start, end;
	dd_window_bounds(cal, w, d, &start, &end);
	return at_ms >= start && at_ms < end;
}

int dd_calendar_in_core_hours(const struct dd_calendar *cal, int64_t at_ms)
{
	struct dd_window core = {cal->workdays, cal->core_start, cal->core_end};
	int64_t day;
	return dd_window_contains(cal, &core, at_ms, &day);
}
