#include "ticket/business_time.h"

#define DAY_MS ((int64_t)86400 * 1000)
/* 2^53 ms: instants beyond are clamped (no calendar reaches them). */
#define INSTANT_MAX ((int64_t)1 << 53)

/* Division that rounds toward minus infinity (instants before 1970). */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t local_day(const struct dd_calendar *cal, int64_t ms)
{
	return dd_tz_local_day(cal->tz, floor_div(ms, 1000));
}

/* Core hours of day as instants; *e <= *s means none (both ends fell
 * into one spring-forward gap). */
static void core_bounds(const struct dd_calendar *cal, int64_t day, int64_t *s,
			int64_t *e)
{
	*s = dd_tz_local_to_utc(cal->tz, day, cal->core_start * 60) * 1000;
	*e = dd_tz_local_to_utc(cal->tz, day, cal->core_end * 60) * 1000;
}

int dd_business_calendar_valid(const struct dd_calendar *cal)
{
	return cal && cal->tz && (cal->workdays & 0xfeu) != 0 &&
	       cal->core_start >= 0 && cal->core_end <= 1440 &&
	       cal->core_start < cal->core_end;
}

int dd_business_add(const struct dd_calendar *cal, int64_t from_ms,
		    int64_t amount_ms, int64_t *out)
{
	*out = from_ms;
	if (amount_ms < 0)
		return -1;
	if (amount_ms == 0)
		return 0;
	if (!dd_business_calendar_valid(cal) || from_ms > INSTANT_MAX ||
	    from_ms < -INSTANT_MAX)
		return -1;
	int64_t day = local_day(cal, from_ms);
	for (int i = 0; i <= DD_BUSINESS_SCAN_DAYS; i++, day++) {
		if (!dd_calendar_is_business_day(cal, day))
			continue;
		int64_t s, e;
		core_bounds(cal, day, &s, &e);
		int64_t start = from_ms > s ? from_ms : s;
		if (e <= start)
			continue;
		if (amount_ms <= e - start) {
			*out = start + amount_ms;
			return 0;
		}
		amount_ms -= e - start;
	}
	return -1;
}

int dd_business_add_minutes(const struct dd_calendar *cal, int64_t from_ms,
			    int64_t minutes, int64_t *out)
{
	*out = from_ms;
	if (minutes < 0 || minutes > INT64_MAX / 60000 / 2)
		return -1;
	return dd_business_add(cal, from_ms, minutes * 60000, out);
}

int64_t dd_business_between(const struct dd_calendar *cal, int64_t from_ms,
			    int64_t to_ms)
{
	if (to_ms < from_ms)
		return -dd_business_between(cal, to_ms, from_ms);
	if (!dd_business_calendar_valid(cal))
		return 0;
	/* Keep instants within some 285,000 years of 1970, so that no sum
	 * below overflows, then cut overlong spans. */
	if (from_ms < -INSTANT_MAX)
		from_ms = -INSTANT_MAX;
	if (to_ms > INSTANT_MAX)
		to_ms = INSTANT_MAX;
	if (to_ms <= from_ms)
		return 0;
	if (to_ms - from_ms > DD_BUSINESS_SPAN_DAYS * DAY_MS)
		to_ms = from_ms + DD_BUSINESS_SPAN_DAYS * DAY_MS;
	int64_t total = 0, last = local_day(cal, to_ms);
	for (int64_t day = local_day(cal, from_ms); day <= last; day++) {
		if (!dd_calendar_is_business_day(cal, day))
			continue;
		int64_t s, e;
		core_bounds(cal, day, &s, &e);
		int64_t lo = s > from_ms ? s : from_ms;
		int64_t hi = e < to_ms ? e : to_ms;
		if (hi > lo)
			total += hi - lo;
	}
	return total;
}

int64_t dd_business_minutes_between(const struct dd_calendar *cal,
				    int64_t from_ms, int64_t to_ms)
{
	return dd_business_between(cal, from_ms, to_ms) / 60000;
}

int dd_business_next_open(const struct dd_calendar *cal, int64_t at_ms,
			  int64_t *out)
{
	*out = at_ms;
	if (!dd_business_calendar_valid(cal) || at_ms > INSTANT_MAX ||
	    at_ms < -INSTANT_MAX)
		return -1;
	int64_t day = local_day(cal, at_ms);
	for (int i = 0; i <= DD_BUSINESS_SCAN_DAYS; i++, day++) {
		if (!dd_calendar_is_business_day(cal, day))
			continue;
		int64_t s, e;
		core_bounds(cal, day, &s, &e);
		int64_t start = at_ms > s ? at_ms : s;
		if (start < e) {
			*out = start;
			return 0;
		}
	}
	return -1;
}
