/*
 * test_ui.c - the web UI's files as the server serves them: "/" says the
 * UI is not built until the web root has an index.html; then index.html
 * with the UI's Content-Security-Policy and no-cache, assets cached for
 * a year, the right Content-Type, ETag and 304, HEAD; names that would
 * leave the folder are 404 with the API's headers; the API keeps its
 * own CSP. The harness serves DIR/web, which these tests make.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/harness.h"

static void put(struct api_server *s, const char *rel, const char *text)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", s->dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void make_web_root(struct api_server *s)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/web", s->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/web/assets", s->dir);
	mkdir(path, 0755);
	put(s, "web/index.html",
	    "<!doctype html><script type=module "
	    "src=/assets/index-abc123.js></script>");
	put(s, "web/assets/index-abc123.js", "console.log('ui')\n");
	put(s, "web/assets/index-abc123.css", "body{margin:0}\n");
	put(s, "web/assets/logo-1.svg", "<svg/>");
	put(s, "web/secret.txt", "outside assets\n");
}

static void test_not_built(void **state)
{
	struct api_server *s = *state;
	/* Runs first: DIR/web does not exist yet. */
	struct api_resp *r = api_get(s, NULL, "/");
	api_assert_problem(r, 404, "not-found");
	api_assert_detail_has(r, "not built");
	assert_string_equal(api_header(r, "Cache-Control"), "no-store");
	assert_string_equal(api_header(r, "Content-Security-Policy"),
			    "default-src 'none'; frame-ancestors 'none'");
	r = api_get(s, NULL, "/assets/index-abc123.js");
	api_assert_problem(r, 404, "not-found");
}

static void test_index_and_assets(void **state)
{
	struct api_server *s = *state;
	make_web_root(s);
	struct api_resp *r = api_get(s, NULL, "/");
	api_expect_status(r, 200);
	assert_string_equal(r->content_type, "text/html; charset=utf-8");
	assert_string_equal(api_header(r, "Cache-Control"), "no-cache");
	const char *csp = api_header(r, "Content-Security-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, "default-src 'self'"));
	assert_non_null(strstr(csp, "script-src 'self'"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_null(strstr(csp, "unsafe"));
	assert_string_equal(api_header(r, "X-Content-Type-Options"), "nosniff");
	assert_non_null(strstr(r->body, "/assets/index-abc123.js"));
	const char *etag = api_header(r, "ETag");
	assert_non_null(etag);

	/* Revalidation. */
	const char *inm[] = {api_fmt("If-None-Match: %s", etag), NULL};
	struct api_req q = {.method = "GET", .path = "/", .headers = inm};
	r = api_send(s, &q);
	api_expect_status(r, 304);
	assert_int_equal(r->body_len, 0);
	const char *weak[] = {api_fmt("If-None-Match: \"x\", W/%s", etag),
			      NULL};
	q.headers = weak;
	api_expect_status(api_send(s, &q), 304);
	const char *other[] = {"If-None-Match: \"s1-0\"", NULL};
	q.headers = other;
	api_expect_status(api_send(s, &q), 200);

	/* HEAD: headers, no body. */
	r = api_head(s, NULL, "/");
	api_expect_status(r, 200);
	assert_int_equal(r->body_len, 0);
	assert_string_equal(r->content_type, "text/html; charset=utf-8");

	static const struct {
		const char *path, *type;
	} assets[] = {
		{"/assets/index-abc123.js", "text/javascript; charset=utf-8"},
		{"/assets/index-abc123.css", "text/css; charset=utf-8"},
		{"/assets/logo-1.svg", "image/svg+xml"},
	};
	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++) {
		r = api_get(s, NULL, assets[i].path);
		api_expect_status(r, 200);
		assert_string_equal(r->content_type, assets[i].type);
		assert_string_equal(api_header(r, "Cache-Control"),
				    "public, max-age=31536000, immutable");
		/* Not HTML: the API's CSP that allows nothing (an SVG
		 * opened on its own runs no script). */
		assert_string_equal(api_header(r, "Content-Security-Policy"),
				    "default-src 'none'; frame-ancestors "
				    "'none'");
	}
	r = api_get(s, NULL, "/assets/index-abc123.js");
	assert_string_equal(r->body, "console.log('ui')\n");

	/* Public, and fine with a session too. */
	r = api_get(s, &s->viewer, "/");
	api_expect_status(r, 200);
	/* The API keeps its headers. */
	r = api_get(s, &s->viewer, "/api/v1/session");
	api_expect_json(r, 200);
	assert_string_equal(api_header(r, "Cache-Control"), "no-store");
	assert_string_equal(api_header(r, "Content-Security-Policy"),
			    "default-src 'none'; frame-ancestors 'none'");
}

static void test_no_way_out(void **state)
{
	struct api_server *s = *state;
	make_web_root(s);
	static const char *const paths[] = {
		"/assets/..%2Fsecret.txt",
		"/assets/%2e%2e%2Fsecret.txt",
		"/assets/%2e%2e",
		"/assets/.hidden",
		"/assets/a%00b",
		"/assets/a%2Fb",
		"/assets/secret.txt",
		"/assets/nope.js",
		"/assets/",
		"/assets",
		"/index.html",
		"/secret.txt",
		"/assets/index-abc123.js/",
		"/assets/index-abc123.js/x",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct api_resp *r = api_get(s, NULL, paths[i]);
		api_assert_problem(r, 404, "not-found");
		/* A problem never keeps the asset's caching. */
		assert_string_equal(api_header(r, "Cache-Control"), "no-store");
	}
	/* Only GET and HEAD. */
	struct api_resp *r = api_json(s, &s->admin, "POST", "/", "{}");
	api_assert_problem(r, 405, "method-not-allowed");
	assert_string_equal(r->allow, "GET, HEAD");
	r = api_delete(s, &s->admin, "/assets/index-abc123.js");
	api_assert_problem(r, 405, "method-not-allowed");
}

static void test_symlink_and_fifo_refused(void **state)
{
	struct api_server *s = *state;
	char link[600], fifo[600], target[600];
	make_web_root(s);
	snprintf(target, sizeof(target), "%s/web/secret.txt", s->dir);
	snprintf(link, sizeof(link), "%s/web/assets/link.txt", s->dir);
	unlink(link);
	assert_int_equal(symlink(target, link), 0);
	api_assert_problem(api_get(s, NULL, "/assets/link.txt"), 404,
			   "not-found");
	snprintf(fifo, sizeof(fifo), "%s/web/assets/pipe.js", s->dir);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	api_assert_problem(api_get(s, NULL, "/assets/pipe.js"), 404,
			   "not-found");
	/* The server is still fine. */
	api_expect_status(api_get(s, NULL, "/assets/index-abc123.js"), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_not_built),
		API_TEST(test_index_and_assets),
		API_TEST(test_no_way_out),
		API_TEST(test_symlink_and_fifo_refused),
	};
	return API_RUN("ui", tests);
}
