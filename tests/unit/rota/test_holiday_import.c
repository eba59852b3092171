/* Holidays out of iCalendar files: all-day and multi-day events, timed
 * events, recurrence within the window, several calendars in one file,
 * and malformed files refused with the problem named. The fixtures are
 * in tests/fixtures/ical/ (run from the repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/date.h"
#include "rota/holiday_import.h"

#define FIXTURES "tests/fixtures/ical/"

struct fixture {
	struct dd_arena arena;
	struct dd_holiday_set set;
	struct dd_err err;
	char *text;
	size_t len;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	dd_arena_init(&f->arena, 8 * 1024 * 1024);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	dd_arena_release(&f->arena);
	free(f->text);
	free(f);
	return 0;
}

static void load(struct fixture *f, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), FIXTURES "%s", name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s (run from the repository root)", path);
	free(f->text);
	f->text = malloc(1 << 20);
	assert_non_null(f->text);
	f->len = fread(f->text, 1, (1 << 20) - 1, fp);
	fclose(fp);
}

/* Parse a fixture with the window 2026-01-01..2027-12-31. */
static int parse_file(struct fixture *f, const char *name)
{
	load(f, name);
	dd_err_clear(&f->err);
	return dd_holiday_import_parse(
	    f->text, f->len, dd_date_days(2026, 1, 1),
	    dd_date_days(2027, 12, 31), &f->arena, &f->set, &f->err);
}

static void expect_day(const struct fixture *f, int i, const char *date,
		       const char *name)
{
	char text[DD_DATE_TEXT_LEN];
	assert_true(i < f->set.count);
	dd_date_format(f->set.days[i].day, text);
	assert_string_equal(text, date);
	assert_string_equal(f->set.days[i].name, name);
}

static void test_holiday_calendar(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_file(f, "bavaria-2027.ics"), 0);
	assert_int_equal(f->set.count, 7);
	expect_day(f, 0, "2027-01-01", "Neujahr");
	expect_day(f, 1, "2027-01-06", "Heilige Drei K\xc3\xb6nige");
	expect_day(f, 2, "2027-03-26", "Karfreitag");
	expect_day(f, 3, "2027-08-15", "Mari\xc3\xa4 Himmelfahrt");
	/* A folded line, and an escaped comma. */
	expect_day(f, 4, "2027-10-03", "Tag der Deutschen Einheit");
	expect_day(f, 5, "2027-12-25", "Weihnachten, 1. und 2. Feiertag");
	expect_day(f, 6, "2027-12-26", "Weihnachten, 1. und 2. Feiertag");
}

static void test_multi_day_and_timed(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_file(f, "multi-day.ics"), 0);
	/* DURATION:P3D gives three days; a timed event its start's date (a
	 * UTC time its UTC date); DTEND equal to DTSTART one day; the
	 * cancelled event none. */
	assert_int_equal(f->set.count, 7);
	expect_day(f, 0, "2026-12-24", "Christmas break");
	expect_day(f, 1, "2026-12-25", "Christmas break");
	expect_day(f, 2, "2026-12-26", "Christmas break");
	expect_day(f, 3, "2026-12-31", "New Year's Eve (afternoon off)");
	expect_day(f, 4, "2027-01-04", "Bridge day");
	expect_day(f, 5, "2027-01-05", "Late UTC event");
	expect_day(f, 6, "2027-03-01", "Zero length");
}

static void test_recurring_within_window(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_file(f, "recurring.ics"), 0);
	/* New Year's Day yearly since 2000: 2026 only (2027 excluded);
	 * Christmas yearly until 2026, two days each; the company day and
	 * its RDATE in 2027 (not the one in 2035). */
	assert_int_equal(f->set.count, 5);
	expect_day(f, 0, "2026-01-01", "New Year's Day");
	expect_day(f, 1, "2026-06-15", "Company day");
	expect_day(f, 2, "2026-12-25", "Christmas");
	expect_day(f, 3, "2026-12-26", "Christmas");
	expect_day(f, 4, "2027-06-15", "Company day");
}

static void test_several_calendars(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_file(f, "two-calendars.ics"), 0);
	/* Sorted by day; the same day twice stays twice, in file order
	 * (the importer skips the second). */
	assert_int_equal(f->set.count, 3);
	expect_day(f, 0, "2027-04-06", "Easter Monday");
	expect_day(f, 1, "2027-05-01", "Labour Day");
	expect_day(f, 2, "2027-05-01", "Tag der Arbeit");
}

static void test_malformed(void **state)
{
	static const struct {
		const char *file, *says;
	} cases[] = {
	    {"bad-unterminated.ics", "no complete BEGIN:VCALENDAR"},
	    {"bad-no-dtstart.ics", "'No start' has no DTSTART"},
	    {"bad-date.ics", "'Month thirteen' has an impossible DTSTART"},
	    {"bad-duration.ics", "DURATION"},
	    {"bad-no-vcalendar.ics", "expected VCALENDAR, found VEVENT"},
	    {"bad-no-summary.ics", "the event on 2027-01-01 has no SUMMARY"},
	    {"bad-long-span.ics", "'Sabbatical' spans 425 days"},
	    {"bad-multiline-summary.ics", "control character"},
	};
	struct fixture *f = *state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse_file(f, cases[i].file);
		if (rc != -1 || f->err.status != 400 ||
		    !strstr(f->err.msg, cases[i].says))
			fail_msg("%s: rc %d, status %d, message '%s', expected "
				 "'%s'",
				 cases[i].file, rc, f->err.status, f->err.msg,
				 cases[i].says);
		assert_string_equal(f->err.type, DD_PROBLEM_BAD_REQUEST);
		assert_int_equal(f->set.count, 0);
	}
}

static void test_empty_nul_and_garbage(void **state)
{
	struct fixture *f = *state;
	static const char nul[] = "BEGIN:VCALENDAR\r\n\0END:VCALENDAR\r\n";
	assert_int_equal(
	    dd_holiday_import_parse("", 0, 0, 0, &f->arena, &f->set, &f->err),
	    -1);
	assert_int_equal(f->err.status, 400);
	assert_non_null(strstr(f->err.msg, "empty"));
	assert_int_equal(dd_holiday_import_parse(nul, sizeof(nul) - 1, 0, 0,
						 &f->arena, &f->set, &f->err),
			 -1);
	assert_non_null(strstr(f->err.msg, "NUL byte"));
	assert_int_equal(dd_holiday_import_parse("hello\n", 6, 0, 0, &f->arena,
						 &f->set, &f->err),
			 -1);
	assert_int_equal(f->err.status, 400);
	/* A calendar without events gives no days, without error. */
	static const char none[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
	assert_int_equal(dd_holiday_import_parse(none, sizeof(none) - 1, 0, 0,
						 &f->arena, &f->set, &f->err),
			 0);
	assert_int_equal(f->set.count, 0);
}

static void test_day_limit(void **state)
{
	struct fixture *f = *state;
	/* A daily rule over a ten-year window: more days than an import
	 * takes. */
	static const char daily[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
				    "BEGIN:VEVENT\r\nUID:1\r\n"
				    "DTSTART;VALUE=DATE:20200101\r\n"
				    "RRULE:FREQ=DAILY\r\nSUMMARY:Every day\r\n"
				    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	int rc = dd_holiday_import_parse(
	    daily, sizeof(daily) - 1, dd_date_days(2020, 1, 1),
	    dd_date_days(2029, 12, 31), &f->arena, &f->set, &f->err);
	assert_int_equal(rc, -1);
	assert_int_equal(f->err.status, 400);
	assert_string_equal(f->err.type, DD_PROBLEM_LIMIT);
	/* The same rule over one month is fine. */
	rc = dd_holiday_import_parse(
	    daily, sizeof(daily) - 1, dd_date_days(2026, 2, 1),
	    dd_date_days(2026, 2, 28), &f->arena, &f->set, &f->err);
	assert_int_equal(rc, 0);
	assert_int_equal(f->set.count, 28);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_holiday_calendar, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_multi_day_and_timed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_recurring_within_window, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_several_calendars, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_nul_and_garbage, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_day_limit, setup, teardown),
	};
	return cmocka_run_group_tests_name("rota/holiday_import", tests, NULL,
					   NULL);
}
