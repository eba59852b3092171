/* Business-time arithmetic: core hours on business days of a calendar,
 * across weekends, holidays and both DST changes of 2026 in
 * Europe/Berlin (29 March, 25 October), from instants inside and outside
 * core hours. Expected instants are written in UTC, worked out by hand,
 * so that the tz code is not checked against itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ticket/business_time.h"

#define MIN  ((int64_t)60 * 1000)
#define HOUR (60 * MIN)

struct fixture {
	struct dd_tz *tz;
	int64_t holidays[8];
	struct dd_calendar office; /* Mon-Fri 08:00-17:00, Christmas */
	struct dd_calendar always; /* every day, 00:00-24:00 */
	struct dd_calendar night;  /* every day, 01:00-04:00 */
};

/* An instant in UTC. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return (dd_date_days(y, mo, d) * 86400 + h * 3600 + mi * 60) * 1000;
}

static int setup(void **state)
{
	static struct fixture f;
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &f.tz, &err) < 0)
		return -1;
	/* Christmas Eve (Thursday), Christmas Day (Friday), Boxing Day
	 * (Saturday) 2026 and New Year's Day 2027 (Friday). */
	f.holidays[0] = dd_date_days(2026, 12, 24);
	f.holidays[1] = dd_date_days(2026, 12, 25);
	f.holidays[2] = dd_date_days(2026, 12, 26);
	f.holidays[3] = dd_date_days(2027, 1, 1);
	f.office = (struct dd_calendar){
		.tz = f.tz,
		.workdays = DD_WEEKDAYS_MON_FRI,
		.core_start = 8 * 60,
		.core_end = 17 * 60,
		.holidays = f.holidays,
		.holiday_count = 4,
	};
	f.always = (struct dd_calendar){.tz = f.tz,
					.workdays = 0xfe,
					.core_start = 0,
					.core_end = 1440};
	f.night = (struct dd_calendar){.tz = f.tz,
				       .workdays = 0xfe,
				       .core_start = 60,
				       .core_end = 240};
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	dd_tz_free(f->tz);
	return 0;
}

static int64_t add(const struct dd_calendar *cal, int64_t from, int64_t ms)
{
	int64_t out = 0;
	assert_int_equal(dd_business_add(cal, from, ms, &out), 0);
	return out;
}

/* Winter (CET, UTC+1): Monday 23 November 2026. */
static void test_add_within_a_day(void **state)
{
	struct fixture *f = *state;
	/* 09:00 CET + 1 h = 10:00 CET. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 8, 0), HOUR),
			 utc(2026, 11, 23, 9, 0));
	/* Milliseconds are kept. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 8, 0) + 123, MIN),
			 utc(2026, 11, 23, 8, 1) + 123);
	/* Exactly to the end of core hours: 16:00 + 1 h ends at 17:00 that
	 * day, not at 08:00 the next. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 15, 0), HOUR),
			 utc(2026, 11, 23, 16, 0));
	/* One minute more spills into Tuesday. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 15, 0), HOUR + MIN),
			 utc(2026, 11, 24, 7, 1));
}

static void test_add_from_outside_core_hours(void **state)
{
	struct fixture *f = *state;
	/* 06:00 CET: the clock starts at 08:00. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 5, 0), 30 * MIN),
			 utc(2026, 11, 23, 7, 30));
	/* 18:00 CET: the clock starts on Tuesday at 08:00. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 17, 0), 30 * MIN),
			 utc(2026, 11, 24, 7, 30));
	/* Exactly at 17:00 is outside. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 16, 0), MIN),
			 utc(2026, 11, 24, 7, 1));
	/* Exactly at 08:00 is inside. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 7, 0), MIN),
			 utc(2026, 11, 23, 7, 1));
	/* Saturday 10:00: Monday 08:01. */
	assert_int_equal(add(&f->office, utc(2026, 11, 28, 9, 0), MIN),
			 utc(2026, 11, 30, 7, 1));
	/* Sunday 23:59 local (22:59 UTC). */
	assert_int_equal(add(&f->office, utc(2026, 11, 29, 22, 59), MIN),
			 utc(2026, 11, 30, 7, 1));
	/* 00:30 local on Monday is 23:30 UTC on Sunday: the local day
	 * counts, so Monday's 08:00 is the start. */
	assert_int_equal(add(&f->office, utc(2026, 11, 29, 23, 30), MIN),
			 utc(2026, 11, 30, 7, 1));
}

static void test_add_over_weekend(void **state)
{
	struct fixture *f = *state;
	/* Friday 27 November 16:00 + 2 h: 1 h on Friday, 1 h on Monday. */
	assert_int_equal(add(&f->office, utc(2026, 11, 27, 15, 0), 2 * HOUR),
			 utc(2026, 11, 30, 8, 0));
	/* A whole week of core hours from Monday 08:00 ends on Friday at
	 * 17:00; one minute more is the next Monday. */
	assert_int_equal(add(&f->office, utc(2026, 11, 23, 7, 0), 45 * HOUR),
			 utc(2026, 11, 27, 16, 0));
	assert_int_equal(
		add(&f->office, utc(2026, 11, 23, 7, 0), 45 * HOUR + MIN),
		utc(2026, 11, 30, 7, 1));
	/* Ten business days: two weeks later at the same time. */
	assert_int_equal(add(&f->office, utc(2026, 11, 24, 9, 0), 90 * HOUR),
			 utc(2026, 12, 8, 9, 0));
}

static void test_add_over_holidays(void **state)
{
	struct fixture *f = *state;
	/* Wednesday 23 December 16:00 + 2 h: Thursday and Friday are
	 * holidays, the weekend follows, so Monday 28 at 09:00. */
	assert_int_equal(add(&f->office, utc(2026, 12, 23, 15, 0), 2 * HOUR),
			 utc(2026, 12, 28, 8, 0));
	/* From a holiday: Christmas Day 10:00 + 1 min. */
	assert_int_equal(add(&f->office, utc(2026, 12, 25, 9, 0), MIN),
			 utc(2026, 12, 28, 7, 1));
	/* Thursday 31 December 16:30 + 1 h: New Year's Day is a Friday
	 * holiday, so 30 min on Thursday and 30 min on Monday 4 January. */
	assert_int_equal(add(&f->office, utc(2026, 12, 31, 15, 30), HOUR),
			 utc(2027, 1, 4, 7, 30));
	/* Without the holidays it would be Friday. */
	struct dd_calendar plain = f->office;
	plain.holiday_count = 0;
	assert_int_equal(add(&plain, utc(2026, 12, 31, 15, 30), HOUR),
			 utc(2027, 1, 1, 7, 30));
}

static void test_add_across_dst_office(void **state)
{
	struct fixture *f = *state;
	/* Spring: Friday 27 March 16:00 CET (15:00 UTC) + 2 h ends on
	 * Monday 30 March 09:00 CEST, 07:00 UTC (not 08:00 UTC). */
	assert_int_equal(add(&f->office, utc(2026, 3, 27, 15, 0), 2 * HOUR),
			 utc(2026, 3, 30, 7, 0));
	/* Autumn: Friday 23 October 16:00 CEST (14:00 UTC) + 2 h ends on
	 * Monday 26 October 09:00 CET, 08:00 UTC. */
	assert_int_equal(add(&f->office, utc(2026, 10, 23, 14, 0), 2 * HOUR),
			 utc(2026, 10, 26, 8, 0));
	/* Core hours stay 08:00-17:00 local on both sides. */
	assert_int_equal(dd_business_between(&f->office, utc(2026, 3, 27, 0, 0),
					     utc(2026, 3, 31, 0, 0)),
			 18 * HOUR);
	assert_int_equal(dd_business_between(&f->office, utc(2026, 3, 30, 6, 0),
					     utc(2026, 3, 30, 15, 0)),
			 9 * HOUR);
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 10, 26, 7, 0),
					     utc(2026, 10, 26, 16, 0)),
			 9 * HOUR);
}

static void test_dst_day_lengths(void **state)
{
	struct fixture *f = *state;
	/* Round the clock: Sunday 29 March 2026 has 23 hours, Sunday 25
	 * October 25. Local midnights: 28 March 00:00 CET = 27 March 23:00
	 * UTC; 30 March 00:00 CEST = 29 March 22:00 UTC. */
	assert_int_equal(dd_business_between(&f->always,
					     utc(2026, 3, 27, 23, 0),
					     utc(2026, 3, 29, 22, 0)),
			 47 * HOUR);
	assert_int_equal(dd_business_between(&f->always,
					     utc(2026, 3, 28, 23, 0),
					     utc(2026, 3, 29, 22, 0)),
			 23 * HOUR);
	/* 25 October 00:00 CEST = 24 October 22:00 UTC; 26 October 00:00
	 * CET = 25 October 23:00 UTC. */
	assert_int_equal(dd_business_between(&f->always,
					     utc(2026, 10, 24, 22, 0),
					     utc(2026, 10, 25, 23, 0)),
			 25 * HOUR);
	/* Adding 24 h from Sunday 29 March 00:00 local: 23 h of Sunday and
	 * 1 h of Monday, Monday 01:00 CEST = Sunday 23:00 UTC: the same
	 * instant as 24 h of wall time. */
	assert_int_equal(add(&f->always, utc(2026, 3, 28, 23, 0), 24 * HOUR),
			 utc(2026, 3, 29, 23, 0));
	/* With the calendar open all the time, business time is wall time
	 * across both changes. */
	int64_t a = utc(2026, 3, 25, 13, 17), b = utc(2026, 11, 2, 4, 41);
	assert_int_equal(dd_business_between(&f->always, a, b), b - a);
	assert_int_equal(add(&f->always, a, b - a), b);
}

static void test_core_hours_across_the_change(void **state)
{
	struct fixture *f = *state;
	/* Core hours 01:00-04:00 local. Spring: 01:00 CET (00:00 UTC) to
	 * 04:00 CEST (02:00 UTC) is two hours; 02:00-03:00 does not
	 * exist. */
	assert_int_equal(dd_business_between(&f->night, utc(2026, 3, 28, 12, 0),
					     utc(2026, 3, 29, 12, 0)),
			 2 * HOUR);
	/* Autumn: 01:00 CEST (24 October 23:00 UTC) to 04:00 CET (03:00
	 * UTC) is four hours; 02:00-03:00 happens twice. */
	assert_int_equal(dd_business_between(&f->night,
					     utc(2026, 10, 24, 12, 0),
					     utc(2026, 10, 25, 12, 0)),
			 4 * HOUR);
	/* The day before each change has three. */
	assert_int_equal(dd_business_between(&f->night, utc(2026, 3, 27, 12, 0),
					     utc(2026, 3, 28, 12, 0)),
			 3 * HOUR);
	/* Three hours from 29 March 00:30 UTC: 1.5 h left that night, then
	 * 1.5 h from 30 March 01:00 CEST (29 March 23:00 UTC). */
	assert_int_equal(add(&f->night, utc(2026, 3, 29, 0, 30), 3 * HOUR),
			 utc(2026, 3, 30, 0, 30));
	/* On 25 October the window holds four hours: from its start
	 * (23:00 UTC the day before) 4 h end at 03:00 UTC. */
	assert_int_equal(add(&f->night, utc(2026, 10, 24, 23, 0), 4 * HOUR),
			 utc(2026, 10, 25, 3, 0));
}

static void test_between(void **state)
{
	struct fixture *f = *state;
	/* Inside one day. */
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 11, 23, 8, 0),
					     utc(2026, 11, 23, 9, 30)),
			 90 * MIN);
	/* Outside core hours on both ends: only the core hours between. */
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 11, 23, 2, 0),
					     utc(2026, 11, 24, 20, 0)),
			 18 * HOUR);
	/* Saturday to Sunday: nothing. */
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 11, 28, 8, 0),
					     utc(2026, 11, 29, 20, 0)),
			 0);
	/* Friday 16:30 to Monday 08:30: an hour. */
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 11, 27, 15, 30),
					     utc(2026, 11, 30, 7, 30)),
			 HOUR);
	/* Over the Christmas holidays: Wednesday 23 December 12:00 to
	 * Monday 28 December 12:00 is 5 h + 4 h. */
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 12, 23, 11, 0),
					     utc(2026, 12, 28, 11, 0)),
			 9 * HOUR);
	/* Backwards is negative; an empty span is 0. */
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 11, 30, 7, 30),
					     utc(2026, 11, 27, 15, 30)),
			 -HOUR);
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 11, 23, 9, 0),
					     utc(2026, 11, 23, 9, 0)),
			 0);
	/* Minutes round toward zero. */
	assert_int_equal(
		dd_business_minutes_between(&f->office, utc(2026, 11, 23, 8, 0),
					    utc(2026, 11, 23, 8, 2) + 59999),
		2);
	assert_int_equal(dd_business_minutes_between(
				 &f->office, utc(2026, 11, 23, 8, 2) + 59999,
				 utc(2026, 11, 23, 8, 0)),
			 -2);
	/* A year of office hours: 2027 has 261 weekdays, one of them New
	 * Year's Day in the calendar. */
	assert_int_equal(dd_business_between(&f->office,
					     utc(2026, 12, 31, 23, 0),
					     utc(2027, 12, 31, 23, 0)),
			 260 * 9 * HOUR);
}

static void test_add_minutes(void **state)
{
	struct fixture *f = *state;
	int64_t out;
	assert_int_equal(dd_business_add_minutes(&f->office,
						 utc(2026, 11, 27, 15, 0), 120,
						 &out),
			 0);
	assert_int_equal(out, utc(2026, 11, 30, 8, 0));
	assert_int_equal(dd_business_add_minutes(&f->office,
						 utc(2026, 11, 27, 15, 0), -1,
						 &out),
			 -1);
	assert_int_equal(out, utc(2026, 11, 27, 15, 0));
	assert_int_equal(
		dd_business_add_minutes(&f->office, 0, INT64_MAX / 1000, &out),
		-1);
}

static void test_zero_and_negative(void **state)
{
	struct fixture *f = *state;
	int64_t out;
	/* Nothing to add: the instant itself, even outside core hours. */
	assert_int_equal(add(&f->office, utc(2026, 11, 28, 9, 0), 0),
			 utc(2026, 11, 28, 9, 0));
	assert_int_equal(
		dd_business_add(&f->office, utc(2026, 11, 28, 9, 0), -1, &out),
		-1);
	assert_int_equal(out, utc(2026, 11, 28, 9, 0));
}

static void test_calendar_without_business_time(void **state)
{
	struct fixture *f = *state;
	int64_t out;
	struct dd_calendar none = f->office;
	none.workdays = 0;
	assert_false(dd_business_calendar_valid(&none));
	assert_int_equal(
		dd_business_add(&none, utc(2026, 11, 23, 8, 0), MIN, &out), -1);
	assert_int_equal(dd_business_between(&none, utc(2026, 11, 23, 8, 0),
					     utc(2026, 12, 23, 8, 0)),
			 0);
	assert_int_equal(dd_business_next_open(&none, 0, &out), -1);
	/* Only bit 0 (no weekday) set. */
	none.workdays = 1;
	assert_false(dd_business_calendar_valid(&none));
	struct dd_calendar empty = f->office;
	empty.core_end = empty.core_start;
	assert_false(dd_business_calendar_valid(&empty));
	assert_int_equal(dd_business_add(&empty, 0, MIN, &out), -1);
	empty.core_start = 600;
	empty.core_end = 500;
	assert_false(dd_business_calendar_valid(&empty));
	assert_false(dd_business_calendar_valid(NULL));
	assert_true(dd_business_calendar_valid(&f->office));
	/* More than ten years of office hours cannot be found. */
	assert_int_equal(dd_business_add(&f->office, utc(2026, 11, 23, 8, 0),
					 3000 * 9 * HOUR, &out),
			 -1);
}

static void test_next_open(void **state)
{
	struct fixture *f = *state;
	int64_t out;
	/* Inside: itself. */
	assert_int_equal(dd_business_next_open(&f->office,
					       utc(2026, 11, 23, 9, 0), &out),
			 0);
	assert_int_equal(out, utc(2026, 11, 23, 9, 0));
	/* Before the day's core hours, after them, on a weekend, on a
	 * holiday. */
	dd_business_next_open(&f->office, utc(2026, 11, 23, 5, 0), &out);
	assert_int_equal(out, utc(2026, 11, 23, 7, 0));
	dd_business_next_open(&f->office, utc(2026, 11, 23, 16, 0), &out);
	assert_int_equal(out, utc(2026, 11, 24, 7, 0));
	dd_business_next_open(&f->office, utc(2026, 11, 28, 12, 0), &out);
	assert_int_equal(out, utc(2026, 11, 30, 7, 0));
	dd_business_next_open(&f->office, utc(2026, 12, 24, 9, 0), &out);
	assert_int_equal(out, utc(2026, 12, 28, 7, 0));
	/* Across the spring change: Saturday 28 March to Monday 08:00
	 * CEST. */
	dd_business_next_open(&f->office, utc(2026, 3, 28, 12, 0), &out);
	assert_int_equal(out, utc(2026, 3, 30, 6, 0));
}

/* add and between are inverse: from any start, adding n and counting
 * back gives n; and counting to an instant inside core hours, then
 * adding, lands on it. Starts every 37 minutes over five weeks around
 * each DST change, amounts from a minute to two weeks. */
static void test_add_between_inverse(void **state)
{
	struct fixture *f = *state;
	static const int64_t amounts[] = {
		MIN,	   17 * MIN,	       HOUR, 9 * HOUR, 13 * HOUR,
		45 * HOUR, 90 * HOUR + 7 * MIN};
	const struct dd_calendar *cals[] = {&f->office, &f->always, &f->night};
	int64_t starts[] = {utc(2026, 3, 14, 0, 0), utc(2026, 10, 10, 0, 0),
			    utc(2026, 12, 14, 0, 0)};
	int checked = 0;
	for (size_t c = 0; c < 3; c++)
		for (size_t s = 0; s < 3; s++)
			for (int64_t t = starts[s];
			     t < starts[s] + 35 * 24 * HOUR; t += 37 * MIN)
				for (size_t a = 0;
				     a < sizeof(amounts) / sizeof(amounts[0]);
				     a++) {
					int64_t end =
						add(cals[c], t, amounts[a]);
					assert_true(end > t);
					assert_int_equal(
						dd_business_between(cals[c], t,
								    end),
						amounts[a]);
					/* Counting to any instant b and adding
					 * lands on b, or at the end of the
					 * core hours before b when b is
					 * outside them or opens a day. */
					int64_t b = t + amounts[a], open;
					int64_t n = dd_business_between(cals[c],
									t, b);
					if (n == 0)
						continue;
					int64_t e = add(cals[c], t, n);
					assert_true(e <= b);
					assert_int_equal(dd_business_between(
								 cals[c], e, b),
							 0);
					assert_int_equal(
						dd_business_next_open(cals[c],
								      e, &open),
						0);
					if (e != b)
						assert_true(open >= b);
					checked++;
				}
	assert_true(checked > 10000);
}

static void test_far_instants(void **state)
{
	struct fixture *f = *state;
	int64_t out;
	/* A span of centuries is cut, not counted for minutes. */
	int64_t n = dd_business_between(&f->office, 0, INT64_MAX);
	assert_true(n > 0);
	assert_true(n <= (int64_t)DD_BUSINESS_SPAN_DAYS * 9 * HOUR);
	assert_true(dd_business_between(&f->office, INT64_MIN, INT64_MAX) > 0);
	assert_int_equal(dd_business_add(&f->office, INT64_MAX - 5, MIN, &out),
			 -1);
	/* Before 1970: Wednesday 31 December 1969 16:30 CET + 1 h ends on
	 * Thursday 1 January 1970 at 08:30 CET (no holiday then). */
	assert_int_equal(add(&f->office, utc(1969, 12, 31, 15, 30), HOUR),
			 utc(1970, 1, 1, 7, 30));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_within_a_day),
		cmocka_unit_test(test_add_from_outside_core_hours),
		cmocka_unit_test(test_add_over_weekend),
		cmocka_unit_test(test_add_over_holidays),
		cmocka_unit_test(test_add_across_dst_office),
		cmocka_unit_test(test_dst_day_lengths),
		cmocka_unit_test(test_core_hours_across_the_change),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_add_minutes),
		cmocka_unit_test(test_zero_and_negative),
		cmocka_unit_test(test_calendar_without_business_time),
		cmocka_unit_test(test_next_open),
		cmocka_unit_test(test_add_between_inverse),
		cmocka_unit_test(test_far_instants),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
