/*
 * test_hours.c - the pure parts of the duty-hours report: reading
 * "YYYY-MM", decimal hours, and the CSV of a report (header, one row per
 * person, quoting and formula defusing of names and duty names).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"
#include "rota/hours.h"

static void test_month_parse(void **state)
{
	int y = 0, m = 0;
	assert_int_equal(dd_hours_month_parse("2026-10", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 10);
	assert_int_equal(dd_hours_month_parse("1900-01", &y, &m), 0);
	assert_int_equal(dd_hours_month_parse("9999-12", &y, &m), 0);
	static const char *const bad[] = {
	    "",		"2026",	    "2026-1",  "2026-13", "2026-00",
	    "2026-1x",	"20261-01", "2026/10", "1899-12", "2026-10-01",
	    " 2026-10", "2026-10 ", "+026-10", "2026--1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(dd_hours_month_parse(bad[i], &y, &m), -1);
	assert_int_equal(dd_hours_month_parse(NULL, &y, &m), -1);
}

static void test_format(void **state)
{
	static const struct {
		int64_t minutes;
		const char *text;
	} cases[] = {
	    {0, "0"},
	    {120, "2"},
	    {90, "1.5"},
	    {100, "1.67"},
	    {20, "0.33"},
	    {1, "0.02"},
	    {59, "0.98"},
	    {1500, "25"},
	    {1380, "23"},
	    {45, "0.75"},
	    {-5, "0"},
	    {6, "0.1"},
	    {60 * 1000, "1000"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32];
		dd_hours_format(cases[i].minutes, out);
		assert_string_equal(out, cases[i].text);
	}
}

static void test_csv(void **state)
{
	struct dd_duty duties[2] = {
	    {.id = 1, .name = "Telephone service"},
	    {.id = 2, .name = "=cmd|' /C calc'!A0"},
	};
	struct dd_hours_duty a_by[2] = {{2, 240}, {1, 120}};
	struct dd_hours_duty b_by[2] = {{0, 0}, {1, 90}};
	struct dd_hours_person people[2] = {
	    {.person_id = 7,
	     .login = "ab",
	     .name = "Becker, Anna \"Annie\"",
	     .days = 3,
	     .minutes = 360,
	     .by_duty = a_by},
	    {.person_id = 9,
	     .login = "x",
	     .name = "@evil",
	     .days = 1,
	     .minutes = 90,
	     .by_duty = b_by},
	};
	struct dd_hours_report r = {
	    .year = 2026,
	    .month = 10,
	    .duties = duties,
	    .duty_count = 2,
	    .people = people,
	    .people_count = 2,
	};
	struct dd_buf b;
	dd_buf_init(&b, 8192);
	dd_hours_to_csv(&r, &b);
	assert_string_equal(
	    dd_buf_str(&b),
	    "month,person_id,login,name,duty_days,hours,"
	    "Telephone service days,Telephone service hours,"
	    "'=cmd|' /C calc'!A0 days,'=cmd|' /C calc'!A0 hours,"
	    "work_time_kind\r\n"
	    "2026-10,7,ab,\"Becker, Anna \"\"Annie\"\"\",3,6,2,4,1,2,normal\r\n"
	    "2026-10,9,x,'@evil,1,1.5,0,0,1,1.5,normal\r\n");
	dd_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_month_parse),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_csv),
	};
	return cmocka_run_group_tests_name("rota/hours", tests, NULL, NULL);
}
