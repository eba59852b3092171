/*
 * test_health.c - liveness and readiness, and how the router answers
 * paths and methods it does not know.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "api/harness.h"

/* Headers every response carries, problems included. */
static void assert_common_headers(const struct api_resp *r)
{
	assert_non_null(api_header(r, "X-Content-Type-Options"));
	assert_string_equal(api_header(r, "X-Content-Type-Options"), "nosniff");
	assert_non_null(api_header(r, "Cache-Control"));
	assert_string_equal(api_header(r, "Cache-Control"), "no-store");
	assert_non_null(api_header(r, "Content-Security-Policy"));
	assert_non_null(api_header(r, "Referrer-Policy"));
}

static void test_healthz(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, NULL, "/healthz");
	api_expect_json(r, 200);
	assert_string_equal(r->content_type, "application/json");
	assert_int_equal(json_object_size(r->json), 1);
	assert_string_equal(api_str(r->json, "status"), "ok");
	assert_common_headers(r);
}

static void test_healthz_ignores_credentials_and_query(void **state)
{
	struct api_server *s = *state;
	struct api_auth stale = {0};
	/* A public route answers even when the credentials are bad. */
	strcpy(stale.bearer, "ddt_not-a-token");
	struct api_resp *r = api_get(s, &stale, "/healthz?verbose=1&x=%01");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "ok");
	strcpy(stale.cookie, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	stale.bearer[0] = '\0';
	r = api_get(s, &stale, "/healthz");
	api_expect_json(r, 200);
}

static void test_readyz(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, NULL, "/readyz");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "ready");
	assert_string_equal(api_str(r->json, "database"),
			    api_is_pg(s) ? "postgresql" : "sqlite");
	assert_common_headers(r);
}

static void test_unknown_paths_404(void **state)
{
	struct api_server *s = *state;
	static const char *const paths[] = {
	    "/",
	    "/nope",
	    "/healthz/",
	    "//healthz",
	    "/HEALTHZ",
	    "/api/v1",
	    "/api/v1/",
	    "/api/v1/peoplex",
	    "/api/v1/people/1/extra",
	    "/api/v2/people",
	    "/api/v1/groups/1/members/",
	    "/api/v1/groups/1/members/2/3",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct api_resp *r = api_get(s, NULL, paths[i]);
		api_assert_problem(r, 404, "not-found");
		assert_string_equal(api_str(r->json, "title"), "Not Found");
		assert_string_equal(api_str(r->json, "instance"), paths[i]);
		assert_null(r->allow);
		assert_common_headers(r);
	}
	/* Also for a signed-in admin: 404 is about the path, not rights. */
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/nothing-here");
	api_assert_problem(r, 404, "not-found");
	api_assert_detail_has(r, "/api/v1/nothing-here");
}

static void test_wrong_method_405_with_allow(void **state)
{
	struct api_server *s = *state;
	static const struct {
		const char *method, *path, *allow;
	} cases[] = {
	    {"POST", "/healthz", "GET, HEAD"},
	    {"DELETE", "/readyz", "GET, HEAD"},
	    {"PUT", "/api/v1/session", "GET, HEAD, POST, DELETE"},
	    {"DELETE", "/api/v1/people", "GET, HEAD, POST"},
	    {"PUT", "/api/v1/people/1", "GET, HEAD, PATCH, DELETE"},
	    {"GET", "/api/v1/people/1/password", "PUT"},
	    {"POST", "/api/v1/groups/1/members/2", "PUT, DELETE"},
	    {"PATCH", "/api/v1/tokens/7", "GET, HEAD, DELETE"},
	    {"POST", "/api/v1/events", "GET, HEAD"},
	    {"GET", "/api/v1/me/password", "POST"},
	    {"OPTIONS", "/healthz", "GET, HEAD"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Anonymous: the method is refused before any sign-in is
		 * asked for. */
		struct api_req q = {.method = cases[i].method,
				    .path = cases[i].path};
		struct api_resp *r = api_send(s, &q);
		api_assert_problem(r, 405, "method-not-allowed");
		assert_non_null(r->allow);
		assert_string_equal(r->allow, cases[i].allow);
		api_assert_detail_has(r, cases[i].method);
		assert_common_headers(r);
	}
}

static void test_unknown_method_405(void **state)
{
	struct api_server *s = *state;
	static const char *const methods[] = {"BREW", "TRACE", "PROPFIND"};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct api_req q = {.method = methods[i], .path = "/healthz"};
		struct api_resp *r = api_send(s, &q);
		api_assert_problem(r, 405, "method-not-allowed");
		api_assert_detail_has(r, methods[i]);
	}
}

static void test_head_healthz(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_head(s, NULL, "/healthz");
	api_expect_status(r, 200);
	assert_int_equal(r->body_len, 0);
	assert_non_null(r->content_type);
	assert_string_equal(r->content_type, "application/json");
	assert_common_headers(r);
	/* HEAD of a GET route that needs a sign-in is refused like GET. */
	r = api_head(s, NULL, "/api/v1/people");
	api_expect_status(r, 401);
	assert_int_equal(r->body_len, 0);
	/* And answers like GET for the signed-in. */
	r = api_head(s, &s->viewer, "/api/v1/people");
	api_expect_status(r, 200);
	assert_int_equal(r->body_len, 0);
}

static void test_problem_shape(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, NULL, "/api/v1/people");
	api_assert_problem(r, 401, "unauthenticated");
	assert_string_equal(api_str(r->json, "title"), "Unauthorized");
	assert_string_equal(api_str(r->json, "instance"), "/api/v1/people");
	/* A 401 says how to authenticate. */
	assert_non_null(r->www_authenticate);
	assert_non_null(strstr(r->www_authenticate, "Bearer"));
	assert_common_headers(r);
}

/* A person created with a body that arrives in two parts, the second
 * after a pause: a request in flight for that long. */
struct slow_upload {
	const char *url;
	const struct api_auth *auth;
	char body[256];
	size_t len, sent;
	volatile int started;
	long status;
};

static size_t slow_read(char *buf, size_t size, size_t n, void *ud)
{
	struct slow_upload *u = ud;
	size_t want = size * n, part;
	if (u->sent == 0) {
		part = u->len / 2;
	} else {
		struct timespec ts = {0, 700 * 1000 * 1000};
		nanosleep(&ts, NULL);
		part = u->len - u->sent;
	}
	if (part > want)
		part = want;
	memcpy(buf, u->body + u->sent, part);
	u->sent += part;
	u->started = 1;
	return part;
}

static size_t ignore_body(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static void *slow_request(void *arg)
{
	struct slow_upload *u = arg;
	char cookie[200], csrf[200];
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	if (!c)
		return NULL;
	snprintf(cookie, sizeof(cookie), "Cookie: dd_session=%s",
		 u->auth->cookie);
	snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", u->auth->csrf);
	h = curl_slist_append(h, cookie);
	h = curl_slist_append(h, csrf);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Transfer-Encoding: chunked");
	curl_easy_setopt(c, CURLOPT_URL, u->url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, slow_read);
	curl_easy_setopt(c, CURLOPT_READDATA, u);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ignore_body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &u->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}

/* SIGTERM while a request is in flight: the server stops accepting,
 * finishes the request, and exits 0. A server of its own, so that the
 * group's server lives on. */
static void test_graceful_shutdown_finishes_requests(void **state)
{
	struct api_server *s = *state;
	struct api_server *own = api_alloc(sizeof(*own));
	struct slow_upload *u = api_alloc(sizeof(*u));
	pthread_t thread;
	char log[8192] = "";
	if (api_server_start(own, s->engine) < 0)
		fail_msg("the second server did not start");
	/* No asserts until the server is stopped: a failure must not
	 * leave it running. */
	u->url = api_fmt("%s/api/v1/people", own->base_url);
	u->auth = &own->admin;
	u->len =
	    (size_t)snprintf(u->body, sizeof(u->body),
			     "{\"login\":\"inflight\",\"name\":\"In "
			     "Flight\",\"email\":\"inflight@example.org\"}");
	int created = pthread_create(&thread, NULL, slow_request, u) == 0;
	for (int i = 0; created && !u->started && i < 200; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	struct timespec settle = {0, 200 * 1000 * 1000};
	nanosleep(&settle, NULL);
	kill(own->pid, SIGTERM);
	if (created)
		pthread_join(thread, NULL);
	/* Wait for the exit here, to read the whole log before it is
	 * removed. */
	int status = -1, exited = 0;
	for (int i = 0; i < 1500 && !exited; i++) {
		exited = waitpid(own->pid, &status, WNOHANG) == own->pid;
		if (!exited) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	if (exited)
		own->pid = 0;
	FILE *f = fopen(own->log_path, "r");
	if (f) {
		size_t n = fread(log, 1, sizeof(log) - 1, f);
		log[n] = '\0';
		fclose(f);
	}
	int stopped = api_server_stop(own);

	assert_true(created);
	assert_true(exited);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(stopped, 0);
	assert_int_equal(u->status, 201);
	/* The request was counted in flight at the signal, answered, and
	 * only then the server stopped. */
	const char *down = strstr(log, "msg=\"shutting down\" in_flight=1");
	const char *answered = strstr(log, "path=/api/v1/people status=201");
	const char *end = strstr(log, "msg=stopped");
	assert_non_null(down);
	assert_non_null(answered);
	assert_non_null(end);
	assert_true(down < answered && answered < end);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_healthz),
	    API_TEST(test_healthz_ignores_credentials_and_query),
	    API_TEST(test_readyz),
	    API_TEST(test_unknown_paths_404),
	    API_TEST(test_wrong_method_405_with_allow),
	    API_TEST(test_unknown_method_405),
	    API_TEST(test_head_healthz),
	    API_TEST(test_problem_shape),
	    API_TEST(test_graceful_shutdown_finishes_requests),
	};
	return API_RUN("health", tests);
}
