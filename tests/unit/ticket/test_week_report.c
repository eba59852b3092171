/*
 * test_week_report.c - the pure parts of the tickets-per-week report:
 * whole weeks from local midnight to local midnight in Europe/Berlin
 * (167 hours across the spring change, 169 across the autumn one), any
 * day naming its week, and the week of an instant a millisecond either
 * side of a bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/timefmt.h"
#include "base/tz.h"
#include "ticket/week_report.h"

#define HOUR_MS (3600 * 1000LL)

static int64_t ms(const char *iso)
{
	int64_t v;
	if (dd_time_parse_rfc3339(iso, &v) < 0)
		fail_msg("bad instant %s", iso);
	return v;
}

static void weeks(struct dd_arena *a, const struct dd_tz *tz, int y1, int m1,
		  int d1, int y2, int m2, int d2, struct dd_week_report *r)
{
	assert_int_equal(dd_week_report_weeks(a, tz, dd_date_days(y1, m1, d1),
					      dd_date_days(y2, m2, d2), r),
			 0);
}

static void test_bounds(void **state)
{
	struct dd_tz *tz;
	struct dd_err err;
	struct dd_arena a;
	struct dd_week_report r;
	dd_arena_init(&a, 1 << 20);
	assert_int_equal(dd_tz_load("Europe/Berlin", &tz, &err), 0);

	/* A Wednesday to a Tuesday: the three weeks that hold them. */
	weeks(&a, tz, 2026, 3, 18, 2026, 3, 31, &r);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.first_day, dd_date_days(2026, 3, 16));
	assert_int_equal(r.last_day, dd_date_days(2026, 4, 5));
	for (int i = 0; i < r.count; i++) {
		assert_int_equal(dd_date_weekday(r.rows[i].week_start), 1);
		assert_int_equal(r.rows[i].total, 0);
		if (i > 0)
			assert_int_equal(r.rows[i].from_ms,
					 r.rows[i - 1].to_ms);
	}
	/* CET midnight, then the week of the change: 167 hours. */
	assert_int_equal(r.rows[1].from_ms, ms("2026-03-22T23:00:00.000Z"));
	assert_int_equal(r.rows[1].to_ms, ms("2026-03-29T22:00:00.000Z"));
	assert_int_equal(r.rows[1].to_ms - r.rows[1].from_ms, 167 * HOUR_MS);
	assert_int_equal(
		dd_week_report_row_of(&r, ms("2026-03-22T22:59:59.999Z")), 0);
	assert_int_equal(
		dd_week_report_row_of(&r, ms("2026-03-22T23:00:00.000Z")), 1);
	assert_int_equal(
		dd_week_report_row_of(&r, ms("2026-03-29T21:59:59.999Z")), 1);
	assert_int_equal(
		dd_week_report_row_of(&r, ms("2026-03-29T22:00:00.000Z")), 2);
	/* Outside the span: no week. */
	assert_int_equal(
		dd_week_report_row_of(&r, ms("2026-03-15T22:59:59.999Z")), -1);
	assert_int_equal(
		dd_week_report_row_of(&r, ms("2026-04-05T22:00:00.000Z")), -1);

	/* The autumn change: 169 hours. */
	weeks(&a, tz, 2026, 10, 25, 2026, 10, 25, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.first_day, dd_date_days(2026, 10, 19));
	assert_int_equal(r.rows[0].to_ms - r.rows[0].from_ms, 169 * HOUR_MS);

	/* One day is its week; a Monday and a Sunday name the same one. */
	weeks(&a, tz, 2026, 11, 23, 2026, 11, 29, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.rows[0].to_ms - r.rows[0].from_ms, 168 * HOUR_MS);
	/* A year of days: every week once. */
	weeks(&a, tz, 2026, 1, 1, 2026, 12, 31, &r);
	assert_int_equal(r.count, 53);
	assert_int_equal(r.first_day, dd_date_days(2025, 12, 29));
	assert_int_equal(r.last_day, dd_date_days(2027, 1, 3));
	dd_tz_free(tz);
	dd_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
