/* The fair proposal: balance, absences, no repeated pair, determinism,
 * explanation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rota/fair.h"

static struct dd_tz *tz;
static struct dd_calendar cal;

static int setup(void **state)
{
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &tz, &err) < 0)
		return -1;
	cal = (struct dd_calendar){.tz = tz,
				   .workdays = DD_WEEKDAYS_MON_FRI,
				   .core_start = 480,
				   .core_end = 960};
	return 0;
}

static int teardown(void **state)
{
	dd_tz_free(tz);
	return 0;
}

static void people(struct dd_fair_person *p, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (struct dd_fair_person){.id = 100 + i, .in_rotation = 1};
}

static int64_t spread(const int64_t *days, int n)
{
	int64_t lo = days[0], hi = days[0];
	for (int i = 1; i < n; i++) {
		if (days[i] < lo)
			lo = days[i];
		if (days[i] > hi)
			hi = days[i];
	}
	return hi - lo;
}

/* Over full cycles with nobody absent, everybody has the same number of
 * days, for even and odd team sizes. */
static void test_balanced_over_full_cycle(void **state)
{
	for (int n = 2; n <= 12; n++) {
		struct dd_fair_person p[12];
		people(p, n);
		int weeks = n % 2 == 0 ? n / 2 * 3 : n * 2; /* whole cycles */
		struct dd_fair_week *out = calloc((size_t)weeks, sizeof(*out));
		int64_t final[12];
		struct dd_fair_input in = {
			.cal = &cal,
			.first_week = dd_date_days(2027, 1, 4),
			.weeks = weeks,
			.people = p,
			.people_count = n,
		};
		assert_int_equal(dd_fair_propose(&in, out, NULL, final), 0);
		if (spread(final, n) > 1)
			fail_msg("n=%d spread %lld", n,
				 (long long)spread(final, n));
		for (int w = 0; w < weeks; w++) {
			assert_int_equal(out[w].status, DD_FAIR_PAIRED);
			assert_true(out[w].first != out[w].second);
			if (w > 0 && n > 2) {
				int same = (out[w].first == out[w - 1].first &&
					    out[w].second == out[w - 1].second) ||
					   (out[w].first == out[w - 1].second &&
					    out[w].second == out[w - 1].first);
				assert_false(same);
			}
		}
		free(out);
	}
}

/* With holidays making short weeks, the spread stays at most one day over
 * a year for an even team. */
static void test_balanced_with_holidays(void **state)
{
	int64_t hol[] = {dd_date_days(2027, 1, 1),  dd_date_days(2027, 3, 26),
			 dd_date_days(2027, 3, 29), dd_date_days(2027, 5, 6),
			 dd_date_days(2027, 5, 17), dd_date_days(2027, 10, 3),
			 dd_date_days(2027, 12, 24), dd_date_days(2027, 12, 27)};
	struct dd_calendar c = cal;
	c.holidays = hol;
	c.holiday_count = 8;
	struct dd_fair_person p[8];
	people(p, 8);
	struct dd_fair_week out[52];
	int64_t final[8];
	struct dd_fair_input in = {.cal = &c,
				   .first_week = dd_date_days(2027, 1, 4),
				   .weeks = 52,
				   .people = p,
				   .people_count = 8};
	assert_int_equal(dd_fair_propose(&in, out, NULL, final), 0);
	assert_true(spread(final, 8) <= 5);
	/* Trailing load counts: the loaded people wait. */
	p[0].days = 50;
	p[1].days = 50;
	assert_int_equal(dd_fair_propose(&in, out, NULL, final), 0);
	for (int w = 0; w < 3; w++) {
		assert_true(out[w].first != 100 && out[w].second != 100);
		assert_true(out[w].first != 101 && out[w].second != 101);
	}
}

static void test_absence_and_out_of_rotation(void **state)
{
	struct dd_fair_person p[5];
	people(p, 5);
	p[4].in_rotation = 0;
	int64_t first = dd_date_days(2027, 2, 1);
	/* 100 is away on Wednesday of week 0 and all of week 1. */
	struct dd_fair_absence abs[] = {
		{100, first + 2, first + 2},
		{100, first + 7, first + 13},
	};
	struct dd_fair_week out[6];
	int64_t before[6 * 5];
	struct dd_fair_input in = {.cal = &cal,
				   .first_week = first,
				   .weeks = 6,
				   .people = p,
				   .people_count = 5,
				   .absences = abs,
				   .absence_count = 2};
	assert_int_equal(dd_fair_propose(&in, out, before, NULL), 0);
	for (int w = 0; w < 6; w++) {
		assert_true(out[w].first != 104 && out[w].second != 104);
		if (w < 2)
			assert_true(out[w].first != 100 &&
				    out[w].second != 100);
	}
	assert_int_equal(out[0].available, 3);
	/* The explanation: before week 1, the pair of week 0 had 5 days. */
	for (int i = 0; i < 5; i++) {
		int64_t id = 100 + i;
		int64_t want = id == out[0].first || id == out[0].second ? 5 : 0;
		assert_int_equal(before[1 * 5 + i], want);
		assert_int_equal(before[0 * 5 + i], 0);
	}
	/* Nobody free: uncovered. */
	struct dd_fair_absence all[] = {{101, first, first + 60},
					{102, first, first + 60},
					{103, first, first + 60}};
	in.absences = all;
	in.absence_count = 3;
	assert_int_equal(dd_fair_propose(&in, out, NULL, NULL), 0);
	assert_int_equal(out[0].status, DD_FAIR_UNCOVERED);
}

static void test_deterministic_and_repeat_avoided(void **state)
{
	struct dd_fair_person p[3];
	people(p, 3);
	struct dd_fair_week a[10], b[10];
	struct dd_fair_input in = {.cal = &cal,
				   .first_week = dd_date_days(2027, 6, 7),
				   .weeks = 10,
				   .people = p,
				   .people_count = 3,
				   .prev_first = 100,
				   .prev_second = 101};
	assert_int_equal(dd_fair_propose(&in, a, NULL, NULL), 0);
	assert_int_equal(dd_fair_propose(&in, b, NULL, NULL), 0);
	assert_memory_equal(a, b, sizeof(a));
	/* 100 and 101 were last week's pair and are least loaded: avoided. */
	assert_true(a[0].avoided_repeat);
	assert_true(a[0].first == 102 || a[0].second == 102);
	/* A week of Christmas holidays only. */
	int64_t wk = dd_date_days(2027, 12, 27);
	int64_t hol[] = {wk, wk + 1, wk + 2, wk + 3, wk + 4};
	struct dd_calendar c = cal;
	c.holidays = hol;
	c.holiday_count = 5;
	in.cal = &c;
	in.first_week = wk;
	in.weeks = 1;
	assert_int_equal(dd_fair_propose(&in, a, NULL, NULL), 0);
	assert_int_equal(a[0].status, DD_FAIR_NO_BUSINESS_DAYS);
	in.weeks = 0;
	assert_int_equal(dd_fair_propose(&in, a, NULL, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_balanced_over_full_cycle),
		cmocka_unit_test(test_balanced_with_holidays),
		cmocka_unit_test(test_absence_and_out_of_rotation),
		cmocka_unit_test(test_deterministic_and_repeat_avoided),
	};
	return cmocka_run_group_tests_name("rota/fair", tests, setup, teardown);
}
