/*
 * test_p1_report.c - GET /api/v1/reports/p1: P1 alerts per week with the
 * median and longest time to acknowledge and to resolve, counted from a
 * clock the test moves (tests/api/clockfile.h); JSON and CSV; bad spans.
 */
#include <string.h>

#include "api/clockfile.h"
#include "api/harness.h"

/* Thursday 2026-11-26 09:00 UTC: the week of Monday 2026-11-23. */
#define T0  1795683600000LL
#define MIN (60 * 1000LL)

static int64_t raise_p1(struct api_server *s, const char *subject)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/alerts",
			 api_fmt("{\"subject\":\"%s\"}", api_unique(subject)));
	api_expect_json(r, 201);
	return api_int(api_obj(r->json, "alert"), "id");
}

static void act(struct api_server *s, int64_t id, const char *what)
{
	api_expect_json(api_json(s, &s->viewer, "POST",
				 api_fmt("/api/v1/alerts/%lld/%s",
					 (long long)id, what),
				 "{}"),
			200);
}

static void test_medians_and_longest(void **state)
{
	struct api_server *s = *state;
	api_clock_set(T0);
	int64_t a = raise_p1(s, "Report A");
	int64_t b = raise_p1(s, "Report B");
	raise_p1(s, "Report C"); /* never acknowledged */
	api_clock_set(T0 + 2 * MIN);
	act(s, a, "acknowledge");
	api_clock_set(T0 + 6 * MIN);
	act(s, b, "acknowledge");
	api_clock_set(T0 + 10 * MIN);
	act(s, a, "resolve");

	struct api_resp *r = api_get(
		s, &s->viewer, "/api/v1/reports/p1?from=2026-11-23&to=2026-11-29");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "from"), "2026-11-23");
	assert_string_equal(api_str(r->json, "to"), "2026-11-29");
	json_t *weeks = json_object_get(r->json, "weeks");
	assert_int_equal(json_array_size(weeks), 1);
	json_t *w = json_array_get(weeks, 0);
	assert_int_equal(api_int(w, "triggered"), 3);
	json_t *ack = api_obj(w, "acknowledge"), *res = api_obj(w, "resolve");
	assert_int_equal(api_int(ack, "count"), 2);
	/* The lower middle of two: 2 minutes; the longest 6. */
	assert_int_equal(api_int(ack, "median_seconds"), 120);
	assert_int_equal(api_int(ack, "max_seconds"), 360);
	assert_int_equal(api_int(res, "count"), 1);
	assert_int_equal(api_int(res, "median_seconds"), 600);
	json_t *totals = api_obj(r->json, "totals");
	assert_int_equal(api_int(totals, "triggered"), 3);
	assert_int_equal(api_int(api_obj(totals, "acknowledge"), "max_seconds"),
			 360);

	/* The week before has none: nulls, not zeros. */
	r = api_get(s, &s->viewer,
		    "/api/v1/reports/p1?from=2026-11-16&to=2026-11-22");
	api_expect_json(r, 200);
	w = json_array_get(json_object_get(r->json, "weeks"), 0);
	assert_int_equal(api_int(w, "triggered"), 0);
	assert_true(json_is_null(
		json_object_get(api_obj(w, "acknowledge"), "median_seconds")));

	r = api_get(s, &s->viewer,
		    "/api/v1/reports/p1?from=2026-11-23&to=2026-11-29&format=csv");
	api_expect_status(r, 200);
	assert_non_null(strstr(r->content_type, "text/csv"));
	assert_non_null(strstr(api_header(r, "Content-Disposition"),
			       "p1-per-week-2026-11-23-2026-11-29.csv"));
	assert_non_null(strstr(r->body, "week_start,triggered,acknowledged,"));
	assert_non_null(strstr(r->body, "\r\n2026-11-23,3,2,2,6,1,10,10\r\n"));
}

static void test_bad_spans(void **state)
{
	struct api_server *s = *state;
	api_assert_problem(api_get(s, &s->viewer,
				   "/api/v1/reports/p1?format=xml"),
			   400, "validation-failed");
	api_assert_problem(
		api_get(s, &s->viewer,
			"/api/v1/reports/p1?from=2026-11-29&to=2026-11-01"),
		400, "validation-failed");
	api_assert_problem(
		api_get(s, &s->viewer,
			"/api/v1/reports/p1?from=2020-01-01&to=2026-11-01"),
		400, "limit-exceeded");
	api_assert_problem(api_get(s, NULL, "/api/v1/reports/p1"), 401,
			   "unauthenticated");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_medians_and_longest),
		API_TEST(test_bad_spans),
	};
	if (api_clock_use(T0) < 0)
		return 1;
	int failed = API_RUN("p1_report", tests);
	api_clock_done();
	return failed;
}
