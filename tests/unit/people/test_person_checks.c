/*
 * test_person_checks.c - the pure checks on a person's fields: login
 * (and its lower-casing), e-mail, phone numbers (normalised to E.164)
 * and passwords, with ordinary, borderline and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "people/person.h"

/* A string of n copies of c (malloc'd, so ASan sees the exact end). */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void login_ok(const char *in, const char *want)
{
	char out[DD_LIMIT_LOGIN + 1];
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_person_check_login(in, out, &err) != 0)
		fail_msg("login '%s' refused: %s", in, err.msg);
	assert_string_equal(out, want);
}

static void login_bad(const char *in, const char *type, const char *msg)
{
	char out[DD_LIMIT_LOGIN + 1];
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_person_check_login(in, out, &err) != -1)
		fail_msg("login '%s' accepted", in ? in : "NULL");
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, type);
	if (msg && strcmp(err.msg, msg) != 0)
		fail_msg("login '%s': message '%s' want '%s'", in ? in : "NULL",
			 err.msg, msg);
}

static void test_login_valid(void **state)
{
	login_ok("ann", "ann");
	login_ok("a", "a");
	login_ok("7", "7");
	login_ok("Ann.Smith-2_x", "ann.smith-2_x");
	login_ok("BOB", "bob");
	login_ok("a--b..c__", "a--b..c__");
	char *max = repeat('Z', DD_LIMIT_LOGIN);
	char *lower = repeat('z', DD_LIMIT_LOGIN);
	login_ok(max, lower);
	free(max);
	free(lower);
}

static void test_login_required_and_length(void **state)
{
	login_bad(NULL, DD_PROBLEM_VALIDATION, "'login' is required");
	login_bad("", DD_PROBLEM_VALIDATION, "'login' must not be empty");
	char *long_login = repeat('a', DD_LIMIT_LOGIN + 1);
	login_bad(long_login, DD_PROBLEM_LIMIT,
		  "'login' is longer than the limit of 64 bytes");
	free(long_login);
}

static void test_login_first_character(void **state)
{
	const char *msg = "'login' must start with a letter or digit";
	login_bad("-ann", DD_PROBLEM_VALIDATION, msg);
	login_bad(".ann", DD_PROBLEM_VALIDATION, msg);
	login_bad("_ann", DD_PROBLEM_VALIDATION, msg);
	login_bad("..", DD_PROBLEM_VALIDATION, msg);
}

static void test_login_characters(void **state)
{
	const char *msg = "'login' may hold only letters, digits, '.', '_' and "
			  "'-'";
	static const char *const bad[] = {
	    "al ice",	   "al@ice", "ann/../root", "ann;drop",
	    "ann'--",	   "ann\"",  "a+b",	    "a$b",
	    "a%00",	   "ann*",   "ålice",	    "аnn" /* Cyrillic а */,
	    "ann\xc2\xa0",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		login_bad(bad[i], DD_PROBLEM_VALIDATION, msg);
}

static void test_login_hostile_bytes(void **state)
{
	login_bad("ann\n", DD_PROBLEM_VALIDATION,
		  "'login' contains a control character");
	login_bad("ann\t", DD_PROBLEM_VALIDATION,
		  "'login' contains a control character");
	login_bad("ann\x7f", DD_PROBLEM_VALIDATION,
		  "'login' contains a control character");
	login_bad("ann\xff", DD_PROBLEM_VALIDATION,
		  "'login' is not valid UTF-8");
	login_bad("\xc0\xae\xc0\xae", DD_PROBLEM_VALIDATION,
		  "'login' is not valid UTF-8");
}

static void test_login_output_untouched_on_error(void **state)
{
	char out[DD_LIMIT_LOGIN + 1];
	struct dd_err err;
	memset(out, '#', sizeof(out));
	dd_err_clear(&err);
	assert_int_equal(dd_person_check_login("Bad Login", out, &err), -1);
	assert_int_equal(out[0], '#');
}

static void email_ok(const char *in)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_person_check_email(in, &err) != 0)
		fail_msg("email '%s' refused: %s", in, err.msg);
}

static void email_bad(const char *in, const char *type)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_person_check_email(in, &err) != -1)
		fail_msg("email '%s' accepted", in ? in : "NULL");
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, type);
}

static void test_email_valid(void **state)
{
	email_ok("a@b.c");
	email_ok("name@example.org");
	email_ok("First.Last+tag@mail.example.co.uk");
	email_ok("o'brien@example.ie");
	email_ok("jürgen@bücher.example");
	email_ok("x_y-z@sub-domain.example.org");
}

static void test_email_shape(void **state)
{
	static const char *const bad[] = {
	    "no-at.example.org",
	    "@example.org",
	    "name@",
	    "name@@example.org",
	    "a@b@example.org",
	    "name@example",
	    "name@.example.org",
	    "name@example.org.",
	    "a.b@c",
	    "name @example.org",
	    "name@exa mple.org",
	    "<name@example.org>",
	    "Name <name@example.org>",
	    "a,b@example.org",
	    "a;b@example.org",
	    "\"quoted\"@example.org",
	    "a(comment)@example.org",
	    "[a]@example.org",
	    "back\\slash@example.org",
	    "a@[127.0.0.1]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		email_bad(bad[i], DD_PROBLEM_VALIDATION);
	struct dd_err err;
	dd_err_clear(&err);
	dd_person_check_email("nobody", &err);
	assert_string_equal(err.msg,
			    "'email' is not an address like name@example.org");
}

static void test_email_text_rules(void **state)
{
	email_bad(NULL, DD_PROBLEM_VALIDATION);
	email_bad("", DD_PROBLEM_VALIDATION);
	email_bad("a@", DD_PROBLEM_VALIDATION);
	email_bad("a\n@example.org", DD_PROBLEM_VALIDATION);
	email_bad("a@example.org\r\nBcc: victim@example.org",
		  DD_PROBLEM_VALIDATION);
	email_bad("a\xff@example.org", DD_PROBLEM_VALIDATION);
}

static void test_email_length(void **state)
{
	/* 254 bytes is the limit (RFC 5321 path). */
	char s[300];
	size_t domain = strlen("@example.org");
	memset(s, 'a', DD_LIMIT_EMAIL - domain);
	strcpy(s + DD_LIMIT_EMAIL - domain, "@example.org");
	assert_int_equal(strlen(s), DD_LIMIT_EMAIL);
	email_ok(s);
	memset(s, 'a', DD_LIMIT_EMAIL + 1 - domain);
	strcpy(s + DD_LIMIT_EMAIL + 1 - domain, "@example.org");
	email_bad(s, DD_PROBLEM_LIMIT);
}

static void phone_ok(const char *in, const char *want)
{
	char out[DD_LIMIT_PHONE + 1];
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_person_normalise_phone(in, out, &err) != 0)
		fail_msg("phone '%s' refused: %s", in, err.msg);
	assert_string_equal(out, want);
}

static void phone_bad(const char *in, const char *type)
{
	char out[DD_LIMIT_PHONE + 1];
	struct dd_err err;
	memset(out, '#', sizeof(out));
	dd_err_clear(&err);
	if (dd_person_normalise_phone(in, out, &err) != -1)
		fail_msg("phone '%s' accepted as '%s'", in ? in : "NULL", out);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, type);
}

static void test_phone_normalised(void **state)
{
	phone_ok("+49 89 1234-567", "+49891234567");
	phone_ok("0049 89 1234567", "+49891234567");
	phone_ok("+498912345678", "+498912345678");
	phone_ok("+1 (555) 123-4567", "+15551234567");
	phone_ok("+44.20.7946.0958", "+442079460958");
	phone_ok("+49/89/123", "+4989123");
	phone_ok("+12", "+12");
	/* 15 digits is the E.164 maximum. */
	phone_ok("+123 456 789 012 345", "+123456789012345");
	phone_ok("00123456789012345", "+123456789012345");
}

static void test_phone_must_be_international(void **state)
{
	phone_bad("089 1234567", DD_PROBLEM_VALIDATION);
	phone_bad("1234567", DD_PROBLEM_VALIDATION);
	phone_bad("0 049 89 1234567", DD_PROBLEM_VALIDATION);
	phone_bad(" +49 89 1234567", DD_PROBLEM_VALIDATION);
	/* No country code starts with 0. */
	phone_bad("+049 89", DD_PROBLEM_VALIDATION);
	phone_bad("0000 1234", DD_PROBLEM_VALIDATION);
}

static void test_phone_digit_count(void **state)
{
	phone_bad("+", DD_PROBLEM_VALIDATION);
	phone_bad("00", DD_PROBLEM_VALIDATION);
	phone_bad("+1", DD_PROBLEM_VALIDATION);
	phone_bad("+ - ( )", DD_PROBLEM_VALIDATION);
	/* 16 digits. */
	phone_bad("+1234567890123456", DD_PROBLEM_VALIDATION);
	phone_bad("+1234 5678 9012 3456", DD_PROBLEM_VALIDATION);
	/* Many digits within the 64-byte text limit. */
	char s[65];
	s[0] = '+';
	memset(s + 1, '9', 63);
	s[64] = '\0';
	phone_bad(s, DD_PROBLEM_VALIDATION);
}

static void test_phone_bad_characters(void **state)
{
	static const char *const bad[] = {
	    "+49 89 abc",
	    "+49#1234",
	    "+49*1234",
	    "+49 89 1234 ext 5",
	    "+49,89",
	    "+49;89",
	    "+49 89 1234567x",
	    "++49 89",
	    "+49+89",
	    "+4９ 89" /* fullwidth */,
	    "+49\xc2\xa0"
	    "89",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		phone_bad(bad[i], DD_PROBLEM_VALIDATION);
}

static void test_phone_text_rules(void **state)
{
	phone_bad(NULL, DD_PROBLEM_VALIDATION);
	phone_bad("", DD_PROBLEM_VALIDATION);
	phone_bad("+49\n89", DD_PROBLEM_VALIDATION);
	phone_bad("+49\t89", DD_PROBLEM_VALIDATION);
	phone_bad("+49\xff", DD_PROBLEM_VALIDATION);
	char *long_phone = repeat(' ', 100);
	long_phone[0] = '+';
	long_phone[1] = '4';
	long_phone[2] = '9';
	phone_bad(long_phone, DD_PROBLEM_LIMIT);
	free(long_phone);
}

static void test_phone_error_message(void **state)
{
	char out[DD_LIMIT_PHONE + 1];
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_person_normalise_phone("089", out, &err), -1);
	assert_string_equal(err.msg,
			    "'phone' is not an international number like "
			    "+49 89 1234567 (E.164, at most 15 digits)");
}

static void test_phone_output_fits(void **state)
{
	/* The output buffer is exactly DD_LIMIT_PHONE + 1 bytes on the
	 * heap, so any overrun is caught. */
	char *out = malloc(DD_LIMIT_PHONE + 1);
	struct dd_err err;
	assert_non_null(out);
	dd_err_clear(&err);
	assert_int_equal(
	    dd_person_normalise_phone("+999 999 999 999 999", out, &err), 0);
	assert_string_equal(out, "+999999999999999");
	assert_int_equal(strlen(out), DD_LIMIT_PHONE);
	free(out);
}

static void password_ok(const char *in)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_person_check_password(in, &err) != 0)
		fail_msg("password refused: %s", err.msg);
}

static void password_bad(const char *in, const char *type, const char *msg)
{
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_person_check_password(in, &err), -1);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, type);
	if (msg)
		assert_string_equal(err.msg, msg);
}

static void test_password_length(void **state)
{
	password_bad(NULL, DD_PROBLEM_VALIDATION, "'password' is required");
	password_bad("", DD_PROBLEM_VALIDATION,
		     "'password' must be at least 8 bytes");
	password_bad("1234567", DD_PROBLEM_VALIDATION,
		     "'password' must be at least 8 bytes");
	password_ok("12345678");
	char *max = repeat('p', DD_LIMIT_PASSWORD_MAX);
	password_ok(max);
	free(max);
	char *over = repeat('p', DD_LIMIT_PASSWORD_MAX + 1);
	password_bad(over, DD_PROBLEM_LIMIT,
		     "'password' is longer than the limit of 1024 bytes");
	free(over);
}

static void test_password_content(void **state)
{
	password_ok("correct horse battery staple");
	password_ok("pässwörd");
	/* Length is in bytes: four two-byte characters are enough. */
	password_ok("ääää");
	password_ok("\"'<>&;--\\%s%n");
	password_bad("password\n", DD_PROBLEM_VALIDATION,
		     "'password' contains a control character");
	password_bad("pass\tword", DD_PROBLEM_VALIDATION,
		     "'password' contains a control character");
	password_bad("password\xff", DD_PROBLEM_VALIDATION,
		     "'password' is not valid UTF-8");
	password_bad("passw\xc0\x80rd", DD_PROBLEM_VALIDATION,
		     "'password' is not valid UTF-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_login_valid),
	    cmocka_unit_test(test_login_required_and_length),
	    cmocka_unit_test(test_login_first_character),
	    cmocka_unit_test(test_login_characters),
	    cmocka_unit_test(test_login_hostile_bytes),
	    cmocka_unit_test(test_login_output_untouched_on_error),
	    cmocka_unit_test(test_email_valid),
	    cmocka_unit_test(test_email_shape),
	    cmocka_unit_test(test_email_text_rules),
	    cmocka_unit_test(test_email_length),
	    cmocka_unit_test(test_phone_normalised),
	    cmocka_unit_test(test_phone_must_be_international),
	    cmocka_unit_test(test_phone_digit_count),
	    cmocka_unit_test(test_phone_bad_characters),
	    cmocka_unit_test(test_phone_text_rules),
	    cmocka_unit_test(test_phone_error_message),
	    cmocka_unit_test(test_phone_output_fits),
	    cmocka_unit_test(test_password_length),
	    cmocka_unit_test(test_password_content),
	};
	return cmocka_run_group_tests_name("people/person_checks", tests, NULL,
					   NULL);
}
