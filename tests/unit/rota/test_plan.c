/* The weekly alternation, holidays, DST-correct windows and the
 * precedence of changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rota/plan.h"

struct fixture {
	struct dd_tz *tz;
	int64_t holidays[4];
	struct dd_calendar cal;
};

static int setup(void **state)
{
	static struct fixture f;
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &f.tz, &err) < 0)
		return -1;
	/* Good Friday and Easter Monday 2026, Christmas 2026. */
	f.holidays[0] = dd_date_days(2026, 4, 3);
	f.holidays[1] = dd_date_days(2026, 4, 6);
	f.holidays[2] = dd_date_days(2026, 12, 25);
	f.cal = (struct dd_calendar){
		.tz = f.tz,
		.workdays = DD_WEEKDAYS_MON_FRI,
		.core_start = 8 * 60,
		.core_end = 16 * 60,
		.holidays = f.holidays,
		.holiday_count = 3,
	};
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	dd_tz_free(f->tz);
	return 0;
}

static void test_alternation(void **state)
{
	struct fixture *f = *state;
	int64_t mon = dd_date_days(2026, 11, 23);
	struct dd_week_pair pair = {mon, 11, 22};
	int64_t expect_slot0[] = {11, 22, 11, 22, 11};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon + i, 0),
				 expect_slot0[i]);
		assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon + i, 1),
				 expect_slot0[i] == 11 ? 22 : 11);
	}
	/* Weekend and other weeks: nobody. */
	assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon + 5, 0), 0);
	assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon + 7, 0), 0);
	assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon - 3, 0), 0);
}

static void test_holidays_skipped(void **state)
{
	struct fixture *f = *state;
	/* Easter week 2026: Monday 6 April is a holiday, so Tuesday is the
	 * first business day and the first person starts on slot 0. */
	int64_t mon = dd_date_days(2026, 4, 6);
	struct dd_week_pair pair = {mon, 1, 2};
	assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon, 0), 0);
	assert_int_equal(dd_plan_day_index(&f->cal, mon + 1), 0);
	assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon + 1, 0), 1);
	assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon + 2, 0), 2);
	assert_int_equal(dd_plan_assignee(&f->cal, &pair, mon + 4, 0), 2);
	/* The week before: Friday 3 April is a holiday. */
	int64_t prev = mon - 7;
	struct dd_week_pair p2 = {prev, 5, 6};
	assert_int_equal(dd_plan_assignee(&f->cal, &p2, prev + 3, 0), 6);
	assert_int_equal(dd_plan_assignee(&f->cal, &p2, prev + 4, 0), 0);
	assert_int_equal(dd_calendar_next_business_day(&f->cal, prev + 3),
			 mon + 1);
}

/* 16:00-18:00 Berlin time is 15:00-17:00 UTC in winter, 14:00-16:00 in
 * summer, on both sides of both 2026 changes. */
static void test_windows_across_dst(void **state)
{
	struct fixture *f = *state;
	struct dd_window w = {DD_WEEKDAYS_MON_FRI, 16 * 60, 18 * 60};
	struct {
		int y, m, d, utc_start_hour;
	} cases[] = {
		{2026, 3, 27, 15}, {2026, 3, 30, 14},
		{2026, 10, 23, 14}, {2026, 10, 26, 15},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t day = dd_date_days(cases[i].y, cases[i].m, cases[i].d);
		int64_t s, e;
		assert_true(dd_window_open_on(&f->cal, &w, day));
		dd_window_bounds(&f->cal, &w, day, &s, &e);
		assert_int_equal(s, (day * 86400 + cases[i].utc_start_hour *
							   3600) *
					    1000);
		assert_int_equal(e - s, 2 * 3600 * 1000);
		int64_t got_day;
		assert_true(dd_window_contains(&f->cal, &w, s, &got_day));
		assert_int_equal(got_day, day);
		assert_false(dd_window_contains(&f->cal, &w, e, &got_day));
		assert_false(dd_window_contains(&f->cal, &w, s - 1, &got_day));
	}
	/* Closed on Saturday and on a holiday. */
	assert_false(dd_window_open_on(&f->cal, &w, dd_date_days(2026, 3, 28)));
	assert_false(dd_window_open_on(&f->cal, &w, dd_date_days(2026, 4, 3)));
	assert_true(dd_calendar_in_core_hours(
		&f->cal, (dd_date_days(2026, 11, 27) * 86400 + 9 * 3600) * 1000));
	assert_false(dd_calendar_in_core_hours(
		&f->cal, (dd_date_days(2026, 11, 27) * 86400 + 16 * 3600) * 1000));
}

static void test_precedence(void **state)
{
	struct dd_cover covers[] = {
		{1, DD_COVER_PLAN, 0},
		{2, DD_COVER_SWAP, 10},
		{3, DD_COVER_REPLACEMENT, 5},
		{4, DD_COVER_DAY, 50},
	};
	assert_int_equal(dd_cover_pick(covers, 4)->person_id, 3);
	struct dd_cover with_sick[] = {
		{3, DD_COVER_REPLACEMENT, 5},
		{5, DD_COVER_SICK, 1},
		{2, DD_COVER_SWAP, 10},
	};
	assert_int_equal(dd_cover_pick(with_sick, 3)->person_id, 5);
	/* Two swaps: the later one wins. */
	struct dd_cover swaps[] = {{7, DD_COVER_SWAP, 3}, {8, DD_COVER_SWAP, 9}};
	assert_int_equal(dd_cover_pick(swaps, 2)->person_id, 8);
	assert_int_equal(dd_cover_pick(covers, 2)->person_id, 2);
	assert_null(dd_cover_pick(covers, 0));
	assert_string_equal(dd_cover_reason_name(DD_COVER_SICK), "sick cover");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alternation),
		cmocka_unit_test(test_holidays_skipped),
		cmocka_unit_test(test_windows_across_dst),
		cmocka_unit_test(test_precedence),
	};
	return cmocka_run_group_tests_name("rota/plan", tests, setup, teardown);
}
