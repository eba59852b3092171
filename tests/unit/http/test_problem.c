/*
 * test_problem.c - RFC 9457 problem bodies: the fields for several
 * statuses, parsed back with jansson; titles; hostile detail text; an
 * error without a type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "http/problem.h"

/* Write the body for err and parse it; the test fails on bad JSON. */
static json_t *problem(const struct dd_err *err, const char *instance)
{
	struct dd_buf buf;
	json_error_t e;
	dd_buf_init(&buf, 64 * 1024);
	dd_problem_write(&buf, err, instance);
	assert_int_equal(buf.overflow, 0);
	json_t *v = json_loads(dd_buf_str(&buf), 0, &e);
	if (!v)
		fail_msg("not JSON (%s): %s", e.text, dd_buf_str(&buf));
	dd_buf_release(&buf);
	assert_true(json_is_object(v));
	return v;
}

static const char *str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		fail_msg("'%s' is not a string", key);
	return json_string_value(v);
}

static void check_problem(int status, const char *type, const char *msg,
			  const char *instance, const char *want_title)
{
	struct dd_err err;
	char want_type[128];
	dd_err_clear(&err);
	dd_err_set(&err, status, type, "%s", msg);
	json_t *v = problem(&err, instance);
	snprintf(want_type, sizeof(want_type), "urn:dutydesk:problem:%s", type);
	assert_string_equal(str(v, "type"), want_type);
	assert_string_equal(str(v, "title"), want_title);
	assert_true(json_is_integer(json_object_get(v, "status")));
	assert_int_equal(json_integer_value(json_object_get(v, "status")),
			 status);
	assert_string_equal(str(v, "detail"), msg);
	if (instance) {
		assert_string_equal(str(v, "instance"), instance);
		assert_int_equal(json_object_size(v), 5);
	} else {
		assert_null(json_object_get(v, "instance"));
		assert_int_equal(json_object_size(v), 4);
	}
	json_decref(v);
}

static void test_not_found(void **state)
{
	check_problem(404, DD_PROBLEM_NOT_FOUND, "no person with id '7'",
		      "/api/v1/people/7", "Not Found");
}

static void test_validation(void **state)
{
	check_problem(400, DD_PROBLEM_VALIDATION, "'login' must not be empty",
		      "/api/v1/people", "Bad Request");
}

static void test_unauthenticated_and_forbidden(void **state)
{
	check_problem(401, DD_PROBLEM_UNAUTHENTICATED,
		      "sign in or send a bearer token", "/api/v1/people",
		      "Unauthorized");
	check_problem(403, DD_PROBLEM_FORBIDDEN,
		      "this needs the role 'admin' (you have 'viewer')",
		      "/api/v1/tokens", "Forbidden");
	check_problem(
	    403, DD_PROBLEM_CSRF,
	    "send the session's CSRF token in the X-CSRF-Token header",
	    "/api/v1/session", "Forbidden");
}

static void test_conflict_and_precondition(void **state)
{
	check_problem(409, DD_PROBLEM_CONFLICT, "login 'ann' is taken", NULL,
		      "Conflict");
	check_problem(412, DD_PROBLEM_PRECONDITION,
		      "person 7 is at version 3, not 2", "/api/v1/people/7",
		      "Precondition Failed");
}

static void test_limits_and_throttling(void **state)
{
	check_problem(413, DD_PROBLEM_LIMIT, "the body is over 1048576 bytes",
		      "/api/v1/people", "Content Too Large");
	check_problem(429, DD_PROBLEM_TOO_MANY,
		      "too many failed sign-ins: try again in 4 seconds",
		      "/api/v1/session", "Too Many Requests");
	check_problem(415, DD_PROBLEM_UNSUPPORTED_MEDIA,
		      "send application/json", "/api/v1/people",
		      "Unsupported Media Type");
}

static void test_server_errors(void **state)
{
	check_problem(500, DD_PROBLEM_INTERNAL, "something broke", "/x",
		      "Internal Server Error");
	check_problem(503, DD_PROBLEM_UNAVAILABLE, "the database is busy",
		      "/readyz", "Service Unavailable");
	check_problem(405, DD_PROBLEM_METHOD,
		      "PATCH is not allowed on '/api/v1/session'",
		      "/api/v1/session", "Method Not Allowed");
}

static void test_titles(void **state)
{
	assert_string_equal(dd_http_status_title(400), "Bad Request");
	assert_string_equal(dd_http_status_title(422), "Unprocessable Content");
	/* Statuses without a phrase of their own get their class. */
	assert_string_equal(dd_http_status_title(418), "Client Error");
	assert_string_equal(dd_http_status_title(499), "Client Error");
	assert_string_equal(dd_http_status_title(502), "Server Error");
	assert_string_equal(dd_http_status_title(599), "Server Error");
}

static void test_missing_type_is_internal(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	err.status = 500;
	snprintf(err.msg, sizeof(err.msg), "no type");
	json_t *v = problem(&err, NULL);
	assert_string_equal(str(v, "type"),
			    "urn:dutydesk:problem:internal-error");
	json_decref(v);
}

static void test_hostile_detail_and_instance(void **state)
{
	/* Details quote what the client sent: it must come back as the
	 * same text, never break the JSON or open an HTML element. */
	const char *msg = "unknown field '\"},\"status\":200,\"x\":\"' "
			  "</script><script>alert(1)</script>\n\t\\";
	const char *instance = "/api/v1/people/<img src=x>\"&";
	struct dd_err err;
	dd_err_clear(&err);
	dd_err_set(&err, 400, DD_PROBLEM_VALIDATION, "%s", msg);

	struct dd_buf buf;
	dd_buf_init(&buf, 4096);
	dd_problem_write(&buf, &err, instance);
	assert_null(strpbrk(dd_buf_str(&buf), "<>&"));
	dd_buf_release(&buf);

	json_t *v = problem(&err, instance);
	assert_string_equal(str(v, "detail"), msg);
	assert_string_equal(str(v, "instance"), instance);
	assert_int_equal(json_integer_value(json_object_get(v, "status")), 400);
	assert_int_equal(json_object_size(v), 5);
	json_decref(v);
}

static void test_invalid_utf8_in_detail(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	dd_err_set(&err, 400, DD_PROBLEM_VALIDATION, "bad login 'a\xff%s'",
		   "b");
	json_t *v = problem(&err, "/p\xc0\xaf");
	assert_string_equal(str(v, "detail"), "bad login 'a\xef\xbf\xbd"
					      "b'");
	assert_string_equal(str(v, "instance"), "/p\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(v);
}

static void test_longest_detail(void **state)
{
	/* A full-length message fits a normal body. */
	struct dd_err err;
	char long_msg[DD_ERR_MSG_MAX * 2];
	memset(long_msg, 'w', sizeof(long_msg) - 1);
	long_msg[sizeof(long_msg) - 1] = '\0';
	dd_err_clear(&err);
	dd_err_set(&err, 400, DD_PROBLEM_VALIDATION, "%s", long_msg);
	json_t *v = problem(&err, "/x");
	assert_int_equal(strlen(str(v, "detail")), DD_ERR_MSG_MAX - 1);
	json_decref(v);
}

static void test_small_buffer_overflows(void **state)
{
	struct dd_err err;
	struct dd_buf buf;
	dd_err_clear(&err);
	dd_err_set(&err, 404, DD_PROBLEM_NOT_FOUND, "no such thing");
	dd_buf_init(&buf, 32);
	dd_problem_write(&buf, &err, "/x");
	/* The writer sees the overflow instead of a cut body. */
	assert_int_equal(buf.overflow, 1);
	dd_buf_release(&buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_not_found),
	    cmocka_unit_test(test_validation),
	    cmocka_unit_test(test_unauthenticated_and_forbidden),
	    cmocka_unit_test(test_conflict_and_precondition),
	    cmocka_unit_test(test_limits_and_throttling),
	    cmocka_unit_test(test_server_errors),
	    cmocka_unit_test(test_titles),
	    cmocka_unit_test(test_missing_type_is_internal),
	    cmocka_unit_test(test_hostile_detail_and_instance),
	    cmocka_unit_test(test_invalid_utf8_in_detail),
	    cmocka_unit_test(test_longest_detail),
	    cmocka_unit_test(test_small_buffer_overflows),
	};
	return cmocka_run_group_tests_name("http/problem", tests, NULL, NULL);
}
