/*
 * test_outbox.c - the outbox's API: admins only, filters checked, unknown
 * messages are 404 for reading and retrying. (The paths that put messages
 * in the outbox test their deliveries end to end: mail and P1 tests.)
 */
#include <string.h>

#include "api/harness.h"

static void test_admins_only(void **state)
{
	struct api_server *s = *state;
	api_assert_problem(api_get(s, NULL, "/api/v1/outbox"), 401,
			   "unauthenticated");
	api_assert_problem(api_get(s, &s->viewer, "/api/v1/outbox"), 403,
			   "forbidden");
	api_assert_problem(api_get(s, &s->editor, "/api/v1/outbox"), 403,
			   "forbidden");
	api_assert_problem(
		api_json(s, &s->editor, "POST", "/api/v1/outbox/1/retry", "{}"),
		403, "forbidden");
}

static void test_list_and_unknown(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/outbox?limit=5");
	api_expect_json(r, 200);
	assert_true(json_is_array(json_object_get(r->json, "items")));
	r = api_get(s, &s->admin, "/api/v1/outbox?status=dead");
	api_expect_json(r, 200);
	r = api_get(s, &s->admin, "/api/v1/outbox?status=lost");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "status");
	api_assert_problem(api_get(s, &s->admin, "/api/v1/outbox/999999"), 404,
			   "not-found");
	api_assert_problem(api_json(s, &s->admin, "POST",
				    "/api/v1/outbox/999999/retry", "{}"),
			   404, "not-found");
	api_assert_problem(api_get(s, &s->admin, "/api/v1/outbox/x"), 404,
			   "not-found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admins_only),
		cmocka_unit_test(test_list_and_unknown),
	};
	return api_run("outbox", tests, sizeof(tests) / sizeof(tests[0]));
}
