/*
 * test_text.c - checks on text from outside: required, length limits in
 * bytes, UTF-8, control characters in single- and multi-line fields; and
 * ASCII lower-casing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/text.h"

static void expect_error(int rc, const struct dd_err *err, const char *type,
			 const char *msg)
{
	assert_int_equal(rc, -1);
	assert_int_equal(err->status, 400);
	assert_string_equal(err->type, type);
	assert_string_equal(err->msg, msg);
}

static void test_accepts_ordinary_text(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_text_check("name", "Ann Smith", 1, 200,
				       DD_TEXT_SINGLE_LINE, &err),
			 0);
	assert_int_equal(dd_text_check("name", "Grüße, Jürgen 😀", 1, 200,
				       DD_TEXT_SINGLE_LINE, &err),
			 0);
	assert_int_equal(
	    dd_text_check("note", "", 0, 10, DD_TEXT_SINGLE_LINE, &err), 0);
	assert_false(dd_err_is_set(&err));
}

static void test_required(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	expect_error(
	    dd_text_check("login", NULL, 1, 64, DD_TEXT_SINGLE_LINE, &err),
	    &err, DD_PROBLEM_VALIDATION, "'login' is required");
	/* Even when empty text would be fine. */
	dd_err_clear(&err);
	expect_error(
	    dd_text_check("note", NULL, 0, 64, DD_TEXT_SINGLE_LINE, &err), &err,
	    DD_PROBLEM_VALIDATION, "'note' is required");
}

static void test_too_short(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	expect_error(
	    dd_text_check("name", "", 1, 64, DD_TEXT_SINGLE_LINE, &err), &err,
	    DD_PROBLEM_VALIDATION, "'name' must not be empty");
	dd_err_clear(&err);
	expect_error(
	    dd_text_check("email", "ab", 3, 64, DD_TEXT_SINGLE_LINE, &err),
	    &err, DD_PROBLEM_VALIDATION, "'email' is shorter than 3 bytes");
	dd_err_clear(&err);
	assert_int_equal(
	    dd_text_check("email", "abc", 3, 64, DD_TEXT_SINGLE_LINE, &err), 0);
}

static void test_too_long_is_limit(void **state)
{
	struct dd_err err;
	char s[70];
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	dd_err_clear(&err);
	expect_error(
	    dd_text_check("login", s, 1, 64, DD_TEXT_SINGLE_LINE, &err), &err,
	    DD_PROBLEM_LIMIT, "'login' is longer than the limit of 64 bytes");
	/* Exactly at the limit passes. */
	s[64] = '\0';
	dd_err_clear(&err);
	assert_int_equal(
	    dd_text_check("login", s, 1, 64, DD_TEXT_SINGLE_LINE, &err), 0);
	s[64] = 'a';
	s[65] = '\0';
	assert_int_equal(
	    dd_text_check("login", s, 1, 64, DD_TEXT_SINGLE_LINE, &err), -1);
}

static void test_limit_counts_bytes(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	/* "üü" is 4 bytes, 2 characters. */
	assert_int_equal(
	    dd_text_check("f", "üü", 1, 4, DD_TEXT_SINGLE_LINE, &err), 0);
	assert_int_equal(
	    dd_text_check("f", "üüa", 1, 4, DD_TEXT_SINGLE_LINE, &err), -1);
	assert_string_equal(err.type, DD_PROBLEM_LIMIT);
}

static void test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
	    "abc\xff",
	    "\xc0\xaf",
	    "\xed\xa0\x80",
	    "Gr\xfc\xdf"
	    "e",
	    "cut\xe2\x82",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dd_err err;
		dd_err_clear(&err);
		expect_error(dd_text_check("name", bad[i], 1, 64,
					   DD_TEXT_MULTI_LINE, &err),
			     &err, DD_PROBLEM_VALIDATION,
			     "'name' is not valid UTF-8");
	}
}

static void test_single_line_refuses_controls(void **state)
{
	static const char *const bad[] = {
	    "a\nb", "a\rb", "a\tb", "\x01", "a\x1b[31mred", "del\x7f", "\x1f",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dd_err err;
		dd_err_clear(&err);
		expect_error(dd_text_check("name", bad[i], 1, 64,
					   DD_TEXT_SINGLE_LINE, &err),
			     &err, DD_PROBLEM_VALIDATION,
			     "'name' contains a control character");
	}
}

static void test_multi_line_allows_whitespace_only(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_text_check("note", "line 1\r\nline 2\n\tindented",
				       0, 100, DD_TEXT_MULTI_LINE, &err),
			 0);
	static const char *const bad[] = {"a\x01", "a\x0b", "a\x0c", "\x1b",
					  "x\x7f"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dd_err_clear(&err);
		expect_error(dd_text_check("note", bad[i], 0, 64,
					   DD_TEXT_MULTI_LINE, &err),
			     &err, DD_PROBLEM_VALIDATION,
			     "'note' contains a control character");
	}
}

static void test_every_byte_below_space(void **state)
{
	for (int c = 1; c < 0x20; c++) {
		char s[4] = {'a', (char)c, 'b', 0};
		struct dd_err err;
		dd_err_clear(&err);
		int single =
		    dd_text_check("f", s, 0, 10, DD_TEXT_SINGLE_LINE, &err);
		int multi =
		    dd_text_check("f", s, 0, 10, DD_TEXT_MULTI_LINE, &err);
		assert_int_equal(single, -1);
		assert_int_equal(multi,
				 c == '\n' || c == '\r' || c == '\t' ? 0 : -1);
	}
}

static void test_length_checked_before_content(void **state)
{
	/* A huge hostile value is refused for its length, whatever it
	 * holds. */
	char s[300];
	memset(s, '\x01', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(
	    dd_text_check("f", s, 0, 200, DD_TEXT_SINGLE_LINE, &err), -1);
	assert_string_equal(err.type, DD_PROBLEM_LIMIT);
}

static void test_null_err(void **state)
{
	assert_int_equal(
	    dd_text_check("f", NULL, 1, 10, DD_TEXT_SINGLE_LINE, NULL), -1);
	assert_int_equal(
	    dd_text_check("f", "a\n", 1, 10, DD_TEXT_SINGLE_LINE, NULL), -1);
	assert_int_equal(
	    dd_text_check("f", "ok", 1, 10, DD_TEXT_SINGLE_LINE, NULL), 0);
}

static void test_lower(void **state)
{
	char out[64];
	dd_text_lower("HeLLo WORLD-123_.", out, sizeof(out));
	assert_string_equal(out, "hello world-123_.");
	/* Only ASCII letters change. */
	dd_text_lower("ÄÖÜ Straße", out, sizeof(out));
	assert_string_equal(out, "ÄÖÜ straße");
	dd_text_lower("", out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_lower_truncates(void **state)
{
	char out[8];
	memset(out, 'x', sizeof(out));
	dd_text_lower("ABCDEFGHIJ", out, 4);
	assert_string_equal(out, "abc");
	/* Nothing past cap was touched. */
	assert_int_equal(out[4], 'x');
	dd_text_lower("ABC", out, 1);
	assert_string_equal(out, "");
	/* cap 0 writes nothing at all. */
	memset(out, 'x', sizeof(out));
	dd_text_lower("ABC", out, 0);
	assert_int_equal(out[0], 'x');
	/* In place is fine. */
	char s[] = "MiXeD";
	dd_text_lower(s, s, sizeof(s));
	assert_string_equal(s, "mixed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepts_ordinary_text),
	    cmocka_unit_test(test_required),
	    cmocka_unit_test(test_too_short),
	    cmocka_unit_test(test_too_long_is_limit),
	    cmocka_unit_test(test_limit_counts_bytes),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_single_line_refuses_controls),
	    cmocka_unit_test(test_multi_line_allows_whitespace_only),
	    cmocka_unit_test(test_every_byte_below_space),
	    cmocka_unit_test(test_length_checked_before_content),
	    cmocka_unit_test(test_null_err),
	    cmocka_unit_test(test_lower),
	    cmocka_unit_test(test_lower_truncates),
	};
	return cmocka_run_group_tests_name("base/text", tests, NULL, NULL);
}
