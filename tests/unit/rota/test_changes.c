/* The pure parts of changes to the plan: the range of days a change may
 * name, absences as spans, uncovered days, double booking after a swap,
 * the ranking of sick-cover candidates, and the names of states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rota/absence.h"
#include "rota/change.h"
#include "rota/cover.h"
#include "rota/swap.h"
#include "rota/uncovered.h"

static void test_day_range(void **state)
{
	struct dd_err err;
	int64_t today = dd_date_days(2026, 11, 27);
	dd_err_clear(&err);
	assert_int_equal(dd_rota_day_check("day", today, today, &err), 0);
	assert_int_equal(
		dd_rota_day_check("day", dd_date_days(2000, 1, 1), today, &err),
		0);
	assert_int_equal(dd_rota_day_check("day", dd_date_days(1999, 12, 31),
					   today, &err),
			 -1);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.msg, "'day' 1999-12-31 is before 2000"));
	/* Two years ahead to the day, not one day more. */
	assert_int_equal(dd_rota_day_check("day", dd_date_days(2028, 11, 27),
					   today, &err),
			 0);
	assert_int_equal(dd_rota_day_check("first_day",
					   dd_date_days(2028, 11, 28), today,
					   &err),
			 -1);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.msg, "'first_day' 2028-11-28"));
	assert_non_null(strstr(err.msg, "2 years ahead"));
	/* From Feb 29 two years on is Feb 28. */
	int64_t leap = dd_date_days(2028, 2, 29);
	assert_int_equal(
		dd_rota_day_check("day", dd_date_days(2030, 2, 28), leap, &err),
		0);
	assert_int_equal(
		dd_rota_day_check("day", dd_date_days(2030, 3, 1), leap, &err),
		-1);
}

static void test_absence_days(void **state)
{
	struct dd_err err;
	int64_t today = dd_date_days(2026, 11, 27);
	dd_err_clear(&err);
	assert_int_equal(dd_absence_check_days(today, today, today, &err), 0);
	/* The past is allowed: a sick day recorded afterwards. */
	assert_int_equal(
		dd_absence_check_days(today - 40, today - 38, today, &err), 0);
	assert_int_equal(dd_absence_check_days(today + 2, today, today, &err),
			 -1);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.msg, "before 'first_day'"));
	assert_int_equal(
		dd_absence_check_days(today, today + 3 * 365, today, &err), -1);
	assert_non_null(strstr(err.msg, "'last_day'"));
}

static void test_absence_kinds(void **state)
{
	enum dd_absence_kind k;
	const char *names[] = {"vacation", "sick", "other"};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(dd_absence_kind_parse(names[i], &k), 0);
		assert_int_equal(k, i);
		assert_string_equal(dd_absence_kind_name(k), names[i]);
	}
	assert_int_equal(dd_absence_kind_parse("holiday", &k), -1);
	assert_int_equal(dd_absence_kind_parse("Sick", &k), -1);
	assert_int_equal(dd_absence_kind_parse("", &k), -1);
	assert_int_equal(dd_absence_kind_parse(NULL, &k), -1);
}

static void test_span_find(void **state)
{
	struct dd_absence_span spans[] = {
		{1, 10, 100, 104, DD_ABSENCE_VACATION},
		{2, 11, 103, 103, DD_ABSENCE_SICK},
		{3, 10, 110, 111, DD_ABSENCE_OTHER},
	};
	assert_null(dd_absence_span_find(spans, 3, 10, 99));
	assert_int_equal(dd_absence_span_find(spans, 3, 10, 100)->id, 1);
	assert_int_equal(dd_absence_span_find(spans, 3, 10, 104)->id, 1);
	assert_null(dd_absence_span_find(spans, 3, 10, 105));
	assert_int_equal(dd_absence_span_find(spans, 3, 10, 111)->id, 3);
	assert_int_equal(dd_absence_span_find(spans, 3, 11, 103)->id, 2);
	assert_null(dd_absence_span_find(spans, 3, 11, 104));
	assert_null(dd_absence_span_find(spans, 3, 12, 103));
	assert_null(dd_absence_span_find(spans, 0, 10, 100));
}

static void test_uncovered_of(void **state)
{
	struct dd_duty tel = {.id = 1, .name = "Telephone service"};
	struct dd_absence_span spans[] = {
		{7, 10, 100, 101, DD_ABSENCE_VACATION},
	};
	struct dd_uncovered u;
	struct dd_assignment a = {
		.day = 100,
		.duty = &tel,
		.person_id = 10,
		.reason = DD_COVER_SWAP,
	};
	assert_int_equal(dd_uncovered_of(&a, spans, 1, &u), 1);
	assert_int_equal(u.day, 100);
	assert_int_equal(u.person_id, 10);
	assert_int_equal(u.absence_id, 7);
	assert_int_equal(u.reason, DD_COVER_SWAP);
	assert_int_equal(u.kind, DD_ABSENCE_VACATION);
	assert_ptr_equal(u.duty, &tel);
	/* A replacement who is not absent covers the day. */
	a.person_id = 11;
	a.reason = DD_COVER_REPLACEMENT;
	assert_int_equal(dd_uncovered_of(&a, spans, 1, &u), 0);
	/* Outside the absence. */
	a.person_id = 10;
	a.day = 102;
	assert_int_equal(dd_uncovered_of(&a, spans, 1, &u), 0);
	/* Nobody on duty (no plan yet) is not "uncovered". */
	a.person_id = 0;
	a.day = 100;
	assert_int_equal(dd_uncovered_of(&a, spans, 1, &u), 0);
}

static void test_double_booked(void **state)
{
	int64_t who = 0, day = 0;
	/* Day 100: A tel, B emergency. Day 101: B tel, A emergency. */
	struct dd_slot slots[] = {
		{100, 1, 'A'},
		{100, 2, 'B'},
		{101, 1, 'B'},
		{101, 2, 'A'},
	};
	assert_int_equal(dd_slots_double_booked(slots, 4, &who, &day), 0);
	/* A gives day 100 to B, who holds the other duty: two duties. */
	slots[0].person_id = 'B';
	assert_int_equal(dd_slots_double_booked(slots, 4, &who, &day), 1);
	assert_int_equal(who, 'B');
	assert_int_equal(day, 100);
	/* Roles traded on one day: fine. */
	slots[1].person_id = 'A';
	assert_int_equal(dd_slots_double_booked(slots, 4, &who, &day), 0);
	/* Nobody twice is not double booking. */
	struct dd_slot empty[] = {{100, 1, 0}, {100, 2, 0}};
	assert_int_equal(dd_slots_double_booked(empty, 2, &who, &day), 0);
	/* The same person on two different days is fine. */
	struct dd_slot spread[] = {{100, 1, 'C'}, {101, 1, 'C'}};
	assert_int_equal(dd_slots_double_booked(spread, 2, &who, &day), 0);
}

static void test_cover_rank(void **state)
{
	struct dd_cover_option o[] = {
		{.person_id = 5, .busy_nearby = 0, .recent_days = 4},
		{.person_id = 3, .busy_nearby = 1, .recent_days = 0},
		{.person_id = 9, .busy_nearby = 0, .recent_days = 2},
		{.person_id = 2, .busy_nearby = 0, .recent_days = 4},
		{.person_id = 7, .busy_nearby = 1, .recent_days = 0},
		{.person_id = 8, .busy_nearby = 0, .recent_days = 3},
	};
	/* Free first, then fewer recent days, then the lower id. */
	int64_t want[] = {9, 8, 2, 5, 3, 7};
	dd_cover_rank(o, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(o[i].person_id, want[i]);
	/* Ranking again gives the same order. */
	dd_cover_rank(o, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(o[i].person_id, want[i]);
	dd_cover_rank(o, 0);
	dd_cover_rank(o, 1);
	assert_int_equal(o[0].person_id, 9);
}

static void test_holders(void **state)
{
	struct dd_duty tel = {.id = 1}, emg = {.id = 2};
	struct dd_assignment a[] = {
		{.day = 100, .duty = &tel, .person_id = 10},
		{.day = 100, .duty = &emg, .person_id = 11},
	};
	assert_ptr_equal(dd_rota_holder_of(a, 2, 2), &a[1]);
	assert_null(dd_rota_holder_of(a, 2, 3));
	assert_ptr_equal(dd_rota_holder_find(a, 2, 11, 0), &a[1]);
	assert_null(dd_rota_holder_find(a, 2, 11, 2));
	assert_null(dd_rota_holder_find(a, 2, 12, 0));
	a[0].person_id = 0;
	assert_null(dd_rota_holder_find(a, 2, 0, 0));
}

static void test_status_names(void **state)
{
	enum dd_swap_status s;
	enum dd_cover_status c;
	const char *swaps[] = {"open", "accepted", "declined", "cancelled"};
	const char *covers[] = {"open", "filled", "cancelled"};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(dd_swap_status_parse(swaps[i], &s), 0);
		assert_string_equal(dd_swap_status_name(s), swaps[i]);
	}
	for (int i = 0; i < 3; i++) {
		assert_int_equal(dd_cover_status_parse(covers[i], &c), 0);
		assert_string_equal(dd_cover_status_name(c), covers[i]);
	}
	assert_int_equal(dd_swap_status_parse("filled", &s), -1);
	assert_int_equal(dd_cover_status_parse("accepted", &c), -1);
	assert_int_equal(dd_swap_status_parse(NULL, &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_range),
		cmocka_unit_test(test_absence_days),
		cmocka_unit_test(test_absence_kinds),
		cmocka_unit_test(test_span_find),
		cmocka_unit_test(test_uncovered_of),
		cmocka_unit_test(test_double_booked),
		cmocka_unit_test(test_cover_rank),
		cmocka_unit_test(test_holders),
		cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
