/* Time zones: our TZif reader against the C library's, DST transitions of
 * Europe/Berlin in 2026, gaps and overlaps, POSIX rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "base/tz.h"

static struct dd_tz *load(const char *name)
{
	struct dd_tz *tz = NULL;
	struct dd_err err;
	assert_int_equal(dd_tz_load(name, &tz, &err), 0);
	return tz;
}

/* Every six hours from 1970 to 2060, our offset equals glibc's. */
static void test_matches_libc(void **state)
{
	const char *zones[] = {"Europe/Berlin", "America/New_York",
			       "Australia/Sydney", "Asia/Kolkata", "UTC"};
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		struct dd_tz *tz = load(zones[z]);
		setenv("TZ", zones[z], 1);
		tzset();
		for (int64_t t = 0; t < 2840140800LL; t += 6 * 3600 + 17) {
			time_t tt = (time_t)t;
			struct tm tm;
			localtime_r(&tt, &tm);
			if (dd_tz_offset_at(tz, t) != tm.tm_gmtoff)
				fail_msg("%s at %lld: %d != %ld", zones[z],
					 (long long)t, dd_tz_offset_at(tz, t),
					 tm.tm_gmtoff);
		}
		dd_tz_free(tz);
	}
	unsetenv("TZ");
}

static void test_berlin_2026_transitions(void **state)
{
	struct dd_tz *tz = load("Europe/Berlin");
	/* 2026-03-29 01:00 UTC: clocks go from 02:00 CET to 03:00 CEST. */
	int64_t spring = dd_date_days(2026, 3, 29) * 86400 + 3600;
	assert_int_equal(dd_tz_offset_at(tz, spring - 1), 3600);
	assert_int_equal(dd_tz_offset_at(tz, spring), 7200);
	/* 2026-10-25 01:00 UTC: back from 03:00 CEST to 02:00 CET. */
	int64_t autumn = dd_date_days(2026, 10, 25) * 86400 + 3600;
	assert_int_equal(dd_tz_offset_at(tz, autumn - 1), 7200);
	assert_int_equal(dd_tz_offset_at(tz, autumn), 3600);

	/* 16:00 local on the Friday before and the Monday after each change. */
	assert_int_equal(dd_tz_local_to_utc(tz, dd_date_days(2026, 3, 27),
					    16 * 3600),
			 dd_date_days(2026, 3, 27) * 86400 + 15 * 3600);
	assert_int_equal(dd_tz_local_to_utc(tz, dd_date_days(2026, 3, 30),
					    16 * 3600),
			 dd_date_days(2026, 3, 30) * 86400 + 14 * 3600);
	assert_int_equal(dd_tz_local_to_utc(tz, dd_date_days(2026, 10, 23),
					    16 * 3600),
			 dd_date_days(2026, 10, 23) * 86400 + 14 * 3600);
	assert_int_equal(dd_tz_local_to_utc(tz, dd_date_days(2026, 10, 26),
					    16 * 3600),
			 dd_date_days(2026, 10, 26) * 86400 + 15 * 3600);

	/* 02:30 does not exist on 2026-03-29: it becomes 03:30 CEST. */
	int64_t gap = dd_tz_local_to_utc(tz, dd_date_days(2026, 3, 29),
					 2 * 3600 + 1800);
	assert_int_equal(gap, dd_date_days(2026, 3, 29) * 86400 + 3600 + 1800);
	/* 02:30 happens twice on 2026-10-25: the first (CEST) is taken. */
	int64_t twice = dd_tz_local_to_utc(tz, dd_date_days(2026, 10, 25),
					   2 * 3600 + 1800);
	assert_int_equal(twice, dd_date_days(2026, 10, 25) * 86400 + 1800);

	struct dd_civil c;
	dd_tz_utc_to_local(tz, dd_date_days(2026, 7, 1) * 86400 + 14 * 3600,
			   &c);
	assert_int_equal(c.hour, 16);
	assert_int_equal(c.day, 1);
	assert_int_equal(dd_tz_local_day(tz, dd_date_days(2026, 7, 1) * 86400 -
						     1800),
			 dd_date_days(2026, 7, 1));
	dd_tz_free(tz);
}

/* Far beyond the transition table, the footer rule still applies. */
static void test_footer_rule(void **state)
{
	struct dd_tz *tz = load("Europe/Berlin");
	int64_t july_2100 = dd_date_days(2100, 7, 1) * 86400;
	int64_t jan_2100 = dd_date_days(2100, 1, 15) * 86400;
	assert_int_equal(dd_tz_offset_at(tz, july_2100), 7200);
	assert_int_equal(dd_tz_offset_at(tz, jan_2100), 3600);
	dd_tz_free(tz);

	struct dd_err err;
	assert_int_equal(dd_tz_from_posix("x", "CET-1CEST,M3.5.0,M10.5.0/3",
					  &tz, &err),
			 0);
	assert_int_equal(dd_tz_offset_at(tz, dd_date_days(2026, 3, 29) * 86400 +
						     3600),
			 7200);
	dd_tz_free(tz);
	/* Southern hemisphere: DST spans the new year. */
	assert_int_equal(dd_tz_from_posix("syd", "AEST-10AEDT,M10.1.0,M4.1.0/3",
					  &tz, &err),
			 0);
	assert_int_equal(dd_tz_offset_at(tz, dd_date_days(2026, 1, 10) * 86400),
			 11 * 3600);
	assert_int_equal(dd_tz_offset_at(tz, dd_date_days(2026, 7, 10) * 86400),
			 10 * 3600);
	dd_tz_free(tz);
}

static void test_bad_names(void **state)
{
	struct dd_tz *tz = NULL;
	struct dd_err err;
	const char *bad[] = {"",		"../../etc/passwd",
			     "/etc/localtime", "Europe/Nowhere",
			     "Europe/Berlin;rm", "a b"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dd_err_clear(&err);
		assert_int_equal(dd_tz_load(bad[i], &tz, &err), -1);
		assert_int_equal(err.status, 400);
		assert_null(tz);
	}
	assert_int_equal(dd_tz_from_posix("x", "garbage", &tz, &err), -1);
	assert_int_equal(dd_tz_from_posix("x", "CET-1CEST", &tz, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_libc),
		cmocka_unit_test(test_berlin_2026_transitions),
		cmocka_unit_test(test_footer_rule),
		cmocka_unit_test(test_bad_names),
	};
	return cmocka_run_group_tests_name("base/tz", tests, NULL, NULL);
}
