/*
 * test_csv.c - the CSV writer: separators and CRLF rows, RFC 4180
 * quoting of commas, quotes and line breaks, and the defusing of cells a
 * spreadsheet would run as formulas.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/csv.h"

static void row(struct dd_buf *b, const char *const *cells, int n)
{
	struct dd_csv c;
	dd_csv_init(&c, b);
	for (int i = 0; i < n; i++)
		dd_csv_text(&c, cells[i]);
	dd_csv_row_end(&c);
}

static void expect_cell(const char *in, const char *out)
{
	struct dd_buf b;
	dd_buf_init(&b, 4096);
	row(&b, &in, 1);
	char want[512];
	snprintf(want, sizeof(want), "%s\r\n", out);
	assert_string_equal(dd_buf_str(&b), want);
	dd_buf_release(&b);
}

static void test_plain_row(void **state)
{
	struct dd_buf b;
	struct dd_csv c;
	dd_buf_init(&b, 4096);
	dd_csv_init(&c, &b);
	dd_csv_text(&c, "login");
	dd_csv_int(&c, 42);
	dd_csv_raw(&c, "1.5");
	dd_csv_text(&c, NULL);
	dd_csv_text(&c, "");
	dd_csv_row_end(&c);
	dd_csv_int(&c, -7); /* numbers are not defused */
	dd_csv_row_end(&c);
	assert_string_equal(dd_buf_str(&b), "login,42,1.5,,\r\n-7\r\n");
	assert_int_equal(b.overflow, 0);
	dd_buf_release(&b);
}

static void test_quoting(void **state)
{
	expect_cell("Krüger, Sabine", "\"Krüger, Sabine\"");
	expect_cell("Anna \"Annie\" Becker", "\"Anna \"\"Annie\"\" Becker\"");
	expect_cell("two\nlines", "\"two\nlines\"");
	expect_cell("cr\rhere", "\"cr\rhere\"");
	expect_cell("\"", "\"\"\"\"");
	expect_cell("plain text", "plain text");
	expect_cell("Sabine Krüger", "Sabine Krüger");
}

static void test_formula_injection(void **state)
{
	expect_cell("=1+1", "'=1+1");
	expect_cell("+49 89 555", "'+49 89 555");
	expect_cell("-2+3", "'-2+3");
	expect_cell("@SUM(A1:A2)", "'@SUM(A1:A2)");
	expect_cell("\tlead", "'\tlead");
	/* Defused and quoted: the quote goes outside the guard. */
	expect_cell("=HYPERLINK(\"http://x\",\"y\")",
		    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	expect_cell("\r=1", "\"'\r=1\"");
	/* Only the first character counts. */
	expect_cell("a=1", "a=1");
	assert_true(dd_csv_is_formula("=x"));
	assert_false(dd_csv_is_formula("x="));
	assert_false(dd_csv_is_formula(""));
	assert_false(dd_csv_is_formula(NULL));
}

static void test_overflow_is_seen(void **state)
{
	struct dd_buf b;
	struct dd_csv c;
	dd_buf_init(&b, 8);
	dd_csv_init(&c, &b);
	dd_csv_text(&c, "a much longer cell than fits");
	dd_csv_row_end(&c);
	assert_int_equal(b.overflow, 1);
	dd_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_row),
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_formula_injection),
	    cmocka_unit_test(test_overflow_is_seen),
	};
	return cmocka_run_group_tests_name("base/csv", tests, NULL, NULL);
}
