/*
 * test_timefmt.c - instants as RFC 3339 text: formatting (the epoch,
 * negative instants, leap years), parsing (offsets, fractional seconds,
 * bare dates) and refusing impossible dates and garbage. Formatting is
 * checked against the C library's gmtime_r over many instants, and
 * parse(format(t)) == t over the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/timefmt.h"

/* Known instants (from Python's calendar.timegm). */
#define MS_2026_11_27_081500 1795767300000LL
#define MS_2000_03_01	     951868800000LL
#define MS_1900_03_01	     (-2203891200000LL)
#define MS_0001_01_01	     (-62135596800000LL)
#define MS_9999_12_31_235959 253402300799000LL

static void check_format(int64_t ms, const char *want)
{
	char got[DD_TIME_RFC3339_LEN];
	memset(got, 'x', sizeof(got));
	dd_time_format_rfc3339(ms, got);
	if (strcmp(got, want) != 0)
		fail_msg("format %lld: got '%s' want '%s'", (long long)ms, got,
			 want);
}

static void check_parse(const char *text, int64_t want)
{
	int64_t got = -12345;
	if (dd_time_parse_rfc3339(text, &got) != 0)
		fail_msg("'%s' was refused", text);
	if (got != want)
		fail_msg("'%s': got %lld want %lld", text, (long long)got,
			 (long long)want);
}

static void check_refused(const char *text)
{
	int64_t got = 0;
	if (dd_time_parse_rfc3339(text, &got) == 0)
		fail_msg("'%s' was accepted as %lld", text, (long long)got);
}

static void test_format_epoch(void **state)
{
	check_format(0, "1970-01-01T00:00:00.000Z");
	check_format(1, "1970-01-01T00:00:00.001Z");
	check_format(999, "1970-01-01T00:00:00.999Z");
	check_format(1000, "1970-01-01T00:00:01.000Z");
	check_format(86400000, "1970-01-02T00:00:00.000Z");
}

static void test_format_known(void **state)
{
	check_format(MS_2026_11_27_081500 + 123, "2026-11-27T08:15:00.123Z");
	check_format(2147483648000LL, "2038-01-19T03:14:08.000Z");
	check_format(MS_0001_01_01, "0001-01-01T00:00:00.000Z");
	check_format(MS_9999_12_31_235959 + 999, "9999-12-31T23:59:59.999Z");
	/* The result always fits the buffer. */
	char out[DD_TIME_RFC3339_LEN];
	dd_time_format_rfc3339(MS_2026_11_27_081500, out);
	assert_int_equal(strlen(out), 24);
}

static void test_format_negative(void **state)
{
	/* Milliseconds before the epoch round down, not toward zero. */
	check_format(-1, "1969-12-31T23:59:59.999Z");
	check_format(-999, "1969-12-31T23:59:59.001Z");
	check_format(-1000, "1969-12-31T23:59:59.000Z");
	check_format(-1001, "1969-12-31T23:59:58.999Z");
	check_format(-86400000, "1969-12-31T00:00:00.000Z");
	check_format(-86400001, "1969-12-30T23:59:59.999Z");
	check_format(-14182940000LL, "1969-07-20T20:17:40.000Z");
	check_format(MS_1900_03_01 - 1, "1900-02-28T23:59:59.999Z");
}

static void test_format_leap_years(void **state)
{
	const int64_t day = 86400000;
	/* 2024 is a leap year. */
	check_format(1709251199999LL - day + 1, "2024-02-29T00:00:00.000Z");
	check_format(1709251199999LL, "2024-02-29T23:59:59.999Z");
	check_format(1709251200000LL, "2024-03-01T00:00:00.000Z");
	/* 2000 is (divisible by 400), 1900 is not (by 100). */
	check_format(MS_2000_03_01 - day, "2000-02-29T00:00:00.000Z");
	check_format(MS_1900_03_01 - day, "1900-02-28T00:00:00.000Z");
	/* 2023 is not: Feb 28 is followed by Mar 1. */
	int64_t ms;
	assert_int_equal(dd_time_parse_rfc3339("2023-02-28", &ms), 0);
	check_format(ms + day, "2023-03-01T00:00:00.000Z");
	/* 31 December of a leap year is day 366. */
	assert_int_equal(dd_time_parse_rfc3339("2024-01-01", &ms), 0);
	check_format(ms + 365 * day, "2024-12-31T00:00:00.000Z");
}

/* A small deterministic generator, so failures are reproducible. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_format_matches_gmtime(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	const int64_t lo = MS_0001_01_01;
	const int64_t span = MS_9999_12_31_235959 - lo;
	for (int i = 0; i < 200000; i++) {
		int64_t ms = lo + (int64_t)(next_rand(&seed) % (uint64_t)span);
		/* Also dense around the epoch. */
		if (i % 4 == 0)
			ms = (int64_t)(next_rand(&seed) % 400000000000ull) -
			     200000000000LL;
		int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
		time_t t = (time_t)secs;
		struct tm tm;
		assert_non_null(gmtime_r(&t, &tm));
		char want[64];
		snprintf(
		    want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (int)(ms - secs * 1000));
		check_format(ms, want);
	}
}

static void test_roundtrip_many(void **state)
{
	uint64_t seed = 42;
	const int64_t lo = MS_0001_01_01;
	const int64_t span = MS_9999_12_31_235959 + 1000 - lo;
	for (int i = 0; i < 200000; i++) {
		int64_t ms = lo + (int64_t)(next_rand(&seed) % (uint64_t)span);
		char text[DD_TIME_RFC3339_LEN];
		int64_t back = 0;
		dd_time_format_rfc3339(ms, text);
		if (dd_time_parse_rfc3339(text, &back) != 0 || back != ms)
			fail_msg("%lld -> '%s' -> %lld", (long long)ms, text,
				 (long long)back);
	}
	/* Every millisecond of one second across the epoch. */
	for (int64_t ms = -1500; ms <= 1500; ms++) {
		char text[DD_TIME_RFC3339_LEN];
		int64_t back = 0;
		dd_time_format_rfc3339(ms, text);
		assert_int_equal(dd_time_parse_rfc3339(text, &back), 0);
		assert_true(back == ms);
	}
}

static void test_parse_basic(void **state)
{
	check_parse("1970-01-01T00:00:00Z", 0);
	check_parse("1970-01-01T00:00:00.000Z", 0);
	check_parse("2026-11-27T08:15:00Z", MS_2026_11_27_081500);
	check_parse("2026-11-27T08:15:00.123Z", MS_2026_11_27_081500 + 123);
	check_parse("1969-12-31T23:59:59.999Z", -1);
	check_parse("0001-01-01T00:00:00Z", MS_0001_01_01);
	check_parse("9999-12-31T23:59:59Z", MS_9999_12_31_235959);
	/* Lower case separators and a space instead of T (RFC 3339 5.6
	 * note). */
	check_parse("2026-11-27t08:15:00z", MS_2026_11_27_081500);
	check_parse("2026-11-27 08:15:00Z", MS_2026_11_27_081500);
}

static void test_parse_bare_date(void **state)
{
	check_parse("1970-01-01", 0);
	check_parse("2026-11-27",
		    MS_2026_11_27_081500 - (8 * 3600 + 15 * 60) * 1000LL);
	check_parse("2000-03-01", MS_2000_03_01);
	check_parse("1900-03-01", MS_1900_03_01);
}

static void test_parse_offsets(void **state)
{
	const int64_t t = MS_2026_11_27_081500;
	check_parse("2026-11-27T09:15:00+01:00", t);
	check_parse("2026-11-27T08:15:00+00:00", t);
	check_parse("2026-11-27T08:15:00-00:00", t);
	check_parse("2026-11-27T03:15:00-05:00", t);
	check_parse("2026-11-27T13:45:00+05:30", t);
	check_parse("2026-11-26T20:15:00-12:00", t);
	check_parse("2026-11-28T07:15:00+23:00", t);
	check_parse("2026-11-27T09:15:00.250+01:00", t + 250);
	/* Crossing the date line and the year. */
	check_parse("1970-01-01T01:00:00+01:00", 0);
	check_parse("1969-12-31T19:00:00-05:00", 0);
	check_parse("2027-01-01T00:30:00+01:00",
		    1798761600000LL - 30 * 60 * 1000LL);
}

static void test_parse_fraction(void **state)
{
	check_parse("1970-01-01T00:00:00.1Z", 100);
	check_parse("1970-01-01T00:00:00.12Z", 120);
	check_parse("1970-01-01T00:00:00.123Z", 123);
	/* Digits past milliseconds are dropped, not rounded. */
	check_parse("1970-01-01T00:00:00.1239Z", 123);
	check_parse("1970-01-01T00:00:00.999999999Z", 999);
	check_parse("1970-01-01T00:00:00.000000001Z", 0);
	check_parse("1970-01-01T00:00:00.05Z", 50);
}

static void test_parse_leap_second(void **state)
{
	/* 23:59:60 is allowed by RFC 3339 and read as :59. */
	check_parse("2016-12-31T23:59:60Z", 1483228799000LL);
	check_parse("2016-12-31T23:59:60.5Z", 1483228799500LL);
}

static void test_parse_leap_days(void **state)
{
	check_parse("2024-02-29", 1709164800000LL);
	check_parse("2000-02-29", MS_2000_03_01 - 86400000LL);
	check_refused("2026-02-29");
	check_refused("2026-02-29T12:00:00Z");
	check_refused("1900-02-29");
	check_refused("2100-02-29");
	check_refused("2023-02-29");
	check_refused("2024-02-30");
}

static void test_parse_invalid_dates(void **state)
{
	static const char *const bad[] = {
	    "2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31",
	    "2026-01-32", "2026-13-01", "2026-00-10", "2026-01-00",
	    "2026-99-99", "0000-00-00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_refused(bad[i]);
	/* The last days of each month are fine. */
	check_parse("2026-04-30", 1777507200000LL);
	check_parse("2026-12-31", 1798675200000LL);
}

static void test_parse_invalid_times(void **state)
{
	static const char *const bad[] = {
	    "2026-11-27T24:00:00Z",
	    "2026-11-27T23:60:00Z",
	    "2026-11-27T23:59:61Z",
	    "2026-11-27T99:00:00Z",
	    "2026-11-27T8:15:00Z",
	    "2026-11-27T08:15Z",
	    "2026-11-27T08:15:0Z",
	    "2026-11-27T08-15-00Z",
	    "2026-11-27T08:15:00",
	    "2026-11-27T08:15:00.Z",
	    "2026-11-27T08:15:00.123",
	    "2026-11-27T08:15:00+01",
	    "2026-11-27T08:15:00+0100",
	    "2026-11-27T08:15:00+24:00",
	    "2026-11-27T08:15:00+01:60",
	    "2026-11-27T08:15:00+1:00",
	    "2026-11-27T08:15:00UTC",
	    "2026-11-27T08:15:00ZZ",
	    "2026-11-27T08:15:00Z ",
	    "2026-11-27T08:15:00+01:00x",
	    "2026-11-27T",
	    "2026-11-27T08",
	    "2026-11-27T08:",
	    "2026-11-27x08:15:00Z",
	    "2026-11-27TT08:15:00Z",
	    "2026-11-27T08:15:00.-1Z",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_refused(bad[i]);
}

static void test_parse_garbage(void **state)
{
	static const char *const bad[] = {
	    "",
	    " ",
	    "garbage",
	    "now",
	    "yesterday",
	    "1795767300000",
	    "2026",
	    "2026-11",
	    "2026-11-",
	    "2026/11/27",
	    "27.11.2026",
	    "2026-1-27",
	    "2026-11-7",
	    "26-11-27",
	    "+2026-11-27",
	    "-2026-11-27",
	    " 2026-11-27",
	    "2026-11-27 ",
	    "2026-11-27\n",
	    "２０２６-11-27",
	    "\xff\xfe",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_refused(bad[i]);
	int64_t ms;
	assert_int_equal(dd_time_parse_rfc3339(NULL, &ms), -1);
}

static void test_parse_does_not_read_past_end(void **state)
{
	/* Each prefix of a valid time, in a buffer exactly its size, so
	 * AddressSanitizer sees any read past the NUL. */
	const char *full = "2026-11-27T08:15:00.123+01:00";
	size_t n = strlen(full);
	for (size_t len = 0; len <= n; len++) {
		char *s = malloc(len + 1);
		assert_non_null(s);
		memcpy(s, full, len);
		s[len] = '\0';
		int64_t ms;
		int rc = dd_time_parse_rfc3339(s, &ms);
		/* Only the bare date and the whole text are complete. */
		assert_int_equal(rc, len == 10 || len == n ? 0 : -1);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_epoch),
	    cmocka_unit_test(test_format_known),
	    cmocka_unit_test(test_format_negative),
	    cmocka_unit_test(test_format_leap_years),
	    cmocka_unit_test(test_format_matches_gmtime),
	    cmocka_unit_test(test_roundtrip_many),
	    cmocka_unit_test(test_parse_basic),
	    cmocka_unit_test(test_parse_bare_date),
	    cmocka_unit_test(test_parse_offsets),
	    cmocka_unit_test(test_parse_fraction),
	    cmocka_unit_test(test_parse_leap_second),
	    cmocka_unit_test(test_parse_leap_days),
	    cmocka_unit_test(test_parse_invalid_dates),
	    cmocka_unit_test(test_parse_invalid_times),
	    cmocka_unit_test(test_parse_garbage),
	    cmocka_unit_test(test_parse_does_not_read_past_end),
	};
	return cmocka_run_group_tests_name("base/timefmt", tests, NULL, NULL);
}
