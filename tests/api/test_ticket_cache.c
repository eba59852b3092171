/*
 * test_ticket_cache.c - GET /api/v1/tickets/{id} may be answered from
 * memory (http/ticket_cache.h; on by default on PostgreSQL), and must
 * still never show a ticket older than a change: at once after a change
 * through the same instance, through the change it makes to the ticket
 * itself or to anything around it, and within the watcher's bound after
 * a change through another instance. On SQLite the cache is off by
 * default and the same promises hold trivially.
 */
#include <stdio.h>
#include <string.h>

#include "api/harness.h"

/* How long another instance may take to hear of a change: the watcher
 * wakes at once on PostgreSQL's notice (at the latest after 1 s), on
 * SQLite every 250 ms; the rest is a busy box's margin. */
#define BOUND_MS 1500
#define POLL_MS	 20

static int64_t ticket_new(struct api_server *s, const char *subject)
{
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/tickets",
		api_fmt("{\"subject\":\"%s\",\"priority\":3}", subject));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static const char *path_of(int64_t id)
{
	return api_fmt("/api/v1/tickets/%lld", (long long)id);
}

/* Read the ticket a few times, so that it is in the cache. */
static void warm(struct api_server *s, int64_t id)
{
	for (int i = 0; i < 3; i++)
		api_expect_json(api_get(s, &s->viewer, path_of(id)), 200);
}

static void patch(struct api_server *s, int64_t id, int64_t version,
		  const char *body)
{
	api_expect_json(
		api_json_h(s, &s->editor, "PATCH", path_of(id), body,
			   api_fmt("If-Match: \"v%lld\"", (long long)version)),
		200);
}

static void test_own_change_shows_at_once(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, api_unique("cache own"));
	warm(s, id);
	patch(s, id, 1, "{\"priority\":2,\"tags\":[\"cache-a\"]}");
	struct api_resp *r = api_get(s, &s->viewer, path_of(id));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "priority"), 2);
	assert_int_equal(api_int(r->json, "version"), 2);
	assert_string_equal(r->etag, "\"v2\"");
	json_t *tags = json_object_get(r->json, "tags");
	assert_int_equal(json_array_size(tags), 1);
	assert_string_equal(json_string_value(json_array_get(tags, 0)),
			    "cache-a");

	/* An internal note changes the ticket's time of change. */
	warm(s, id);
	const char *before = api_str(r->json, "updated_at");
	api_sleep_ms(5);
	api_expect_json(
		api_json(
			s, &s->editor, "POST",
			api_fmt("/api/v1/tickets/%lld/articles", (long long)id),
			"{\"kind\":\"internal_note\",\"body\":\"cached?\"}"),
		201);
	r = api_get(s, &s->viewer, path_of(id));
	api_expect_json(r, 200);
	assert_string_not_equal(api_str(r->json, "updated_at"), before);
}

static void test_answers_are_the_database_s(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, api_unique("cache same"));
	struct api_resp *first = api_get(s, &s->viewer, path_of(id));
	api_expect_json(first, 200);
	for (int i = 0; i < 3; i++) {
		struct api_resp *r = api_get(s, &s->viewer, path_of(id));
		api_expect_json(r, 200);
		assert_int_equal(r->body_len, first->body_len);
		assert_memory_equal(r->body, first->body, r->body_len);
		assert_string_equal(r->etag, first->etag);
		assert_string_equal(r->content_type, "application/json");
	}
	/* Unknown tickets are not remembered as anything. */
	api_assert_problem(api_get(s, &s->viewer, "/api/v1/tickets/987654321"),
			   404, "not-found");
	/* Reading needs credentials, cached ticket or not. */
	struct api_auth nobody = {0};
	api_expect_status(api_get(s, &nobody, path_of(id)), 401);
}

static void test_change_through_another_instance(void **state)
{
	struct api_server *s = *state;
	struct api_server second;
	assert_int_equal(api_server_attach(&second, s), 0);
	int64_t id = ticket_new(s, api_unique("cache other"));
	warm(&second, id);
	patch(s, id, 1, "{\"status\":\"pending\"}");
	int64_t start = api_now_ms(), took = -1;
	for (;;) {
		struct api_resp *r =
			api_get(&second, &second.viewer, path_of(id));
		api_expect_json(r, 200);
		if (strcmp(api_str(r->json, "status"), "pending") == 0) {
			took = api_now_ms() - start;
			break;
		}
		if (api_now_ms() - start > BOUND_MS)
			break;
		api_sleep_ms(POLL_MS);
	}
	if (took < 0)
		fail_msg("the second instance still showed the old ticket "
			 "after %d ms",
			 BOUND_MS);
	/* And it does not fall back to the old one. */
	for (int i = 0; i < 5; i++) {
		struct api_resp *r =
			api_get(&second, &second.viewer, path_of(id));
		assert_string_equal(api_str(r->json, "status"), "pending");
		assert_string_equal(r->etag, "\"v2\"");
	}
	assert_int_equal(api_server_stop(&second), 0);
}

static void test_merge_shows_on_the_merged_ticket(void **state)
{
	struct api_server *s = *state;
	int64_t from = ticket_new(s, api_unique("cache merge from"));
	int64_t into = ticket_new(s, api_unique("cache merge into"));
	warm(s, from);
	api_expect_json(
		api_json(s, &s->editor, "POST",
			 api_fmt("/api/v1/tickets/%lld/merge", (long long)from),
			 api_fmt("{\"into\":%lld}", (long long)into)),
		200);
	struct api_resp *r = api_get(s, &s->viewer, path_of(from));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "merged_into"), into);
}

static void test_cache_size_is_checked(void **state)
{
	struct api_server *s = *state;
	struct api_cli_run r = api_cli(s, "serve", "--cache-mb", "lots");
	api_expect_exit(r, 2);
	api_expect_err(r, "--cache-mb must be 0 to 65536");
	r = api_cli(s, "serve", "--cache-mb", "65537");
	api_expect_exit(r, 2);
	api_expect_err(r, "--cache-mb must be 0 to 65536");
	r = api_cli(s, "serve", "--help");
	api_expect_exit(r, 0);
	api_expect_out(r, "--cache-mb N");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_own_change_shows_at_once),
		API_TEST(test_answers_are_the_database_s),
		API_TEST(test_change_through_another_instance),
		API_TEST(test_merge_shows_on_the_merged_ticket),
		API_TEST(test_cache_size_is_checked),
	};
	return API_RUN("ticket_cache", tests);
}
