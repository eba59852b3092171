/*
 * test_auth_cache.c - the server keeps credentials it verified for a
 * moment (people/auth_cache.h); a revoked token, an ended session and a
 * changed role must still take effect: at once on the instance that made
 * the change, within a second on another instance (it learns through
 * the change counter's watcher) and after a change from the command
 * line. The bound promised is DD_AUTH_CACHE_TTL_MS (1 s); the tests
 * allow 1.5 s for a busy box.
 */
#include <stdio.h>
#include <string.h>

#include "api/harness.h"

#define PW	 "cache-password-1"
#define BOUND_MS 1500
#define POLL_MS	 25

/* Ask path as a until it answers status; the ms it took, or -1 when it
 * did not within BOUND_MS. */
static int64_t until_status(struct api_server *s, const struct api_auth *a,
			    const char *path, long status)
{
	int64_t start = api_now_ms();
	for (;;) {
		struct api_resp *r = api_get(s, a, path);
		if (r->status == status)
			return api_now_ms() - start;
		if (api_now_ms() - start > BOUND_MS)
			return -1;
		api_sleep_ms(POLL_MS);
	}
}

/* Several answers in a row, so that the credential is cached. */
static void warm(struct api_server *s, const struct api_auth *a,
		 const char *path, long status)
{
	for (int i = 0; i < 3; i++)
		api_expect_status(api_get(s, a, path), status);
}

static void test_revoked_token_on_this_instance_at_once(void **state)
{
	struct api_server *s = *state;
	int64_t p = api_person_new(s, "cache", PW, NULL);
	struct api_auth t;
	api_token_new(s, p, "read", &t);
	warm(s, &t, "/api/v1/session", 200);
	api_expect_status(api_delete(s, &s->admin,
				     api_fmt("/api/v1/tokens/%lld",
					     (long long)t.token_id)),
			  204);
	api_assert_problem(api_get(s, &t, "/api/v1/session"), 401,
			   "unauthenticated");
}

static void test_revoked_from_the_command_line(void **state)
{
	struct api_server *s = *state;
	int64_t p = api_person_new(s, "cache", PW, NULL);
	struct api_auth t;
	api_token_new(s, p, "read", &t);
	warm(s, &t, "/api/v1/session", 200);
	struct api_cli_run c = api_cli_env(
		s, s->db_url,
		(const char *const[]){"token", "revoke", "--id",
				      api_fmt("%lld", (long long)t.token_id),
				      NULL});
	api_expect_exit(c, 0);
	int64_t ms = until_status(s, &t, "/api/v1/session", 401);
	assert_true(ms >= 0);
	/* And it stays refused. */
	for (int i = 0; i < 5; i++)
		api_expect_status(api_get(s, &t, "/api/v1/session"), 401);
}

static void test_changes_reach_another_instance(void **state)
{
	struct api_server *s = *state;
	struct api_server second;
	assert_int_equal(api_server_attach(&second, s), 0);
	char login[65];
	int64_t p = api_person_new(s, "cache", PW, login);
	int64_t g = api_group_new(s, "cache-admins", "admin");
	api_member_add(s, g, p);
	struct api_auth t, u, sess;
	api_token_new(s, p, "read,write,admin", &t);
	api_token_new(s, p, "read", &u);
	api_signin(s, login, PW, &sess);

	/* Known to the second instance. */
	warm(&second, &t, "/api/v1/tokens", 200);
	warm(&second, &u, "/api/v1/session", 200);
	warm(&second, &sess, "/api/v1/session", 200);

	/* The group stops granting admin, on the first instance. */
	api_expect_json(api_json(s, &s->admin, "PATCH",
				 api_fmt("/api/v1/groups/%lld", (long long)g),
				 "{\"role\":\"viewer\"}"),
			200);
	assert_true(until_status(&second, &t, "/api/v1/tokens", 403) >= 0);

	/* A token revoked on the first. */
	api_expect_status(api_delete(s, &s->admin,
				     api_fmt("/api/v1/tokens/%lld",
					     (long long)u.token_id)),
			  204);
	assert_true(until_status(&second, &u, "/api/v1/session", 401) >= 0);

	/* Signed out on the first. */
	api_expect_status(api_delete(s, &sess, "/api/v1/session"), 204);
	assert_true(until_status(&second, &sess, "/api/v1/session", 401) >= 0);
	/* The unchanged token still works there. */
	api_expect_status(api_get(&second, &t, "/api/v1/session"), 200);
	assert_int_equal(api_server_stop(&second), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_revoked_token_on_this_instance_at_once),
		API_TEST(test_revoked_from_the_command_line),
		API_TEST(test_changes_reach_another_instance),
	};
	return API_RUN("auth_cache", tests);
}
