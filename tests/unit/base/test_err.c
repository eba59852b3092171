/*
 * test_err.c - the error library code fills for its caller: clear, set
 * (defaults for status and type, formatting, truncation), a NULL error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"

static void test_clear(void **state)
{
	struct dd_err err;
	memset(&err, 0x55, sizeof(err));
	dd_err_clear(&err);
	assert_int_equal(err.status, 0);
	assert_null(err.type);
	assert_string_equal(err.msg, "");
	assert_int_equal(err.retry_after, 0);
	assert_false(dd_err_is_set(&err));
	/* NULL is allowed. */
	dd_err_clear(NULL);
	assert_false(dd_err_is_set(NULL));
}

static void test_set(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	int rc =
	    dd_err_set(&err, 404, DD_PROBLEM_NOT_FOUND, "no person %lld", 42LL);
	assert_int_equal(rc, -1);
	assert_true(dd_err_is_set(&err));
	assert_int_equal(err.status, 404);
	assert_string_equal(err.type, DD_PROBLEM_NOT_FOUND);
	assert_string_equal(err.msg, "no person 42");
}

static int lookup(int id, struct dd_err *err)
{
	if (id != 1)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND, "no group %d",
				  id);
	return 0;
}

static void test_return_idiom(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(lookup(1, &err), 0);
	assert_false(dd_err_is_set(&err));
	assert_int_equal(lookup(2, &err), -1);
	assert_string_equal(err.msg, "no group 2");
}

static void test_defaults(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	/* No status means a server error; no type means internal. */
	assert_int_equal(dd_err_set(&err, 0, NULL, "boom"), -1);
	assert_int_equal(err.status, 500);
	assert_string_equal(err.type, DD_PROBLEM_INTERNAL);
	assert_true(dd_err_is_set(&err));
}

static void test_set_resets_retry_after(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	dd_err_set(&err, 429, DD_PROBLEM_TOO_MANY, "slow down");
	err.retry_after = 30;
	dd_err_set(&err, 400, DD_PROBLEM_BAD_REQUEST, "other");
	assert_int_equal(err.retry_after, 0);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, "other");
}

static void test_overwrite(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	dd_err_set(&err, 409, DD_PROBLEM_CONFLICT, "a much longer message");
	dd_err_set(&err, 400, DD_PROBLEM_VALIDATION, "short");
	assert_string_equal(err.msg, "short");
	assert_string_equal(err.type, DD_PROBLEM_VALIDATION);
}

static void test_null_err(void **state)
{
	/* Callers that do not care pass NULL and still get -1. */
	assert_int_equal(dd_err_set(NULL, 404, DD_PROBLEM_NOT_FOUND, "x %d", 1),
			 -1);
}

static void test_truncation(void **state)
{
	struct dd_err err;
	char long_text[1000];
	memset(long_text, 'm', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	dd_err_clear(&err);
	assert_int_equal(dd_err_set(&err, 400, DD_PROBLEM_BAD_REQUEST,
				    "bad '%s'", long_text),
			 -1);
	assert_int_equal(strlen(err.msg), DD_ERR_MSG_MAX - 1);
	assert_memory_equal(err.msg, "bad 'mmm", 8);
}

static void test_message_is_not_a_format(void **state)
{
	/* A value holding % signs goes through %s and stays literal. */
	struct dd_err err;
	dd_err_clear(&err);
	dd_err_set(&err, 400, DD_PROBLEM_VALIDATION, "unknown field '%s'",
		   "%s%n%x");
	assert_string_equal(err.msg, "unknown field '%s%n%x'");
}

static int setv_wrapper(struct dd_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int setv_wrapper(struct dd_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = dd_err_setv(err, 503, DD_PROBLEM_UNAVAILABLE, fmt, ap);
	va_end(ap);
	return rc;
}

static void test_setv(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(setv_wrapper(&err, "%s is down (%d)", "db", 3), -1);
	assert_int_equal(err.status, 503);
	assert_string_equal(err.type, DD_PROBLEM_UNAVAILABLE);
	assert_string_equal(err.msg, "db is down (3)");
	assert_int_equal(setv_wrapper(NULL, "x"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clear),
	    cmocka_unit_test(test_set),
	    cmocka_unit_test(test_return_idiom),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_set_resets_retry_after),
	    cmocka_unit_test(test_overwrite),
	    cmocka_unit_test(test_null_err),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_message_is_not_a_format),
	    cmocka_unit_test(test_setv),
	};
	return cmocka_run_group_tests_name("base/err", tests, NULL, NULL);
}
