/*
 * test_hostile.c - bodies, strings, headers and query strings meant to
 * break things. Every refusal is a 4xx problem, never a crash, and never
 * a partial write: after each refused request the people count is what
 * it was. The group teardown then insists that the server exits cleanly
 * with no sanitizer report and no 5xx in its log.
 */
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"

#define LIMIT_BODY (1024 * 1024)

/* POST /api/v1/people as the admin with a raw body of len bytes (0:
 * strlen(body)), expect a problem, then check that the people count did
 * not move. */
static struct api_resp *refused(struct api_server *s, const char *body,
				size_t len, const char *content_type,
				int expect_status, const char *slug)
{
	int before = api_count_people(s);
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/people",
			    .auth = &s->admin,
			    .body = body,
			    .body_len = len,
			    .empty_body = body && len == 0 && !*body,
			    .content_type = content_type};
	struct api_resp *r = api_send(s, &q);
	api_assert_problem(r, expect_status, slug);
	assert_null(r->location);
	assert_int_equal(api_count_people(s), before);
	return r;
}

/* A valid person body with a fresh login. */
static const char *good_person(void)
{
	const char *l = api_unique("hostile");
	return api_fmt("{\"login\":\"%s\",\"name\":\"Hostile %s\",\"email\":"
		       "\"%s@example.org\"}",
		       l, l, l);
}

static void test_bad_json(void **state)
{
	struct api_server *s = *state;
	static const char *const syntax[] = {
	    "{\"login\": }",
	    "{",
	    "}",
	    "{'login':'single quotes'}",
	    "{\"login\":\"x\",}",
	    "{login:\"x\"}",
	    "{\"a\":1} trailing",
	    "{\"a\":1}{\"b\":2}",
	    "   ",
	    "{\"a\":01}",
	    "{\"a\":NaN}",
	    "{\"a\":\"unterminated}",
	    "{\"a\":\"bad escape \\q\"}",
	    "{\"a\":1, \"a\":2}",
	    "\xef\xbb\xbf{}",
	};
	for (size_t i = 0; i < sizeof(syntax) / sizeof(syntax[0]); i++) {
		struct api_resp *r = refused(s, syntax[i], strlen(syntax[i]),
					     NULL, 400, "invalid-json");
		assert_null(strstr(r->body, "Internal"));
	}
	/* Valid JSON that is no object. */
	static const char *const not_object[] = {
	    "[1,2]",
	    "[]",
	    "[{\"login\":\"x\"}]",
	};
	for (size_t i = 0; i < sizeof(not_object) / sizeof(not_object[0]);
	     i++) {
		struct api_resp *r =
		    refused(s, not_object[i], strlen(not_object[i]), NULL, 400,
			    "invalid-json");
		api_assert_detail_has(r, "object");
	}
	static const char *const scalars[] = {"\"a string\"", "42", "null",
					      "true", "-0.5e3"};
	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		refused(s, scalars[i], 0, NULL, 400, "invalid-json");
	/* No body at all, or an empty one. */
	struct api_resp *r = refused(s, "", 0, NULL, 400, "invalid-json");
	api_assert_detail_has(r, "empty");
	r = refused(s, NULL, 0, "application/json", 400, "invalid-json");
	api_assert_detail_has(r, "empty");
	/* The same holds for PATCH and the other bodies. */
	int64_t id = api_person_new(s, "hostile", NULL, NULL);
	const char *path = api_fmt("/api/v1/people/%lld", (long long)id);
	r = api_json(s, &s->admin, "PATCH", path, "{\"name\":");
	api_assert_problem(r, 400, "invalid-json");
	r = api_json(s, &s->admin, "PATCH", path, "[]");
	api_assert_problem(r, 400, "invalid-json");
	r = api_json(s, &s->admin, "POST", "/api/v1/groups", "{\"name\"");
	api_assert_problem(r, 400, "invalid-json");
	r = api_json(s, &s->admin, "POST", "/api/v1/tokens", "nope");
	api_assert_problem(r, 400, "invalid-json");
	r = api_get(s, &s->admin, path);
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "version"), 1);
}

static void test_content_type(void **state)
{
	struct api_server *s = *state;
	const char *body = good_person();
	/* None at all. */
	struct api_resp *r =
	    refused(s, body, 0, "", 415, "unsupported-media-type");
	api_assert_detail_has(r, "application/json");
	/* Others. */
	static const char *const wrong[] = {
	    "text/plain",
	    "application/x-www-form-urlencoded",
	    "multipart/form-data; boundary=xyz",
	    "application/xml",
	    "text/json",
	    "json",
	};
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		refused(s, body, 0, wrong[i], 415, "unsupported-media-type");

	/* What is accepted. */
	static const char *const right[] = {
	    "application/json; charset=utf-8",
	    "Application/JSON",
	};
	for (size_t i = 0; i < sizeof(right) / sizeof(right[0]); i++) {
		struct api_req q = {.method = "POST",
				    .path = "/api/v1/people",
				    .auth = &s->admin,
				    .body = good_person(),
				    .content_type = right[i]};
		api_expect_json(api_send(s, &q), 201);
	}
}

/* A JSON object of exactly len bytes: {"x":"xxxx...x"}. */
static char *object_of_size(size_t len)
{
	char *b = api_alloc(len + 1);
	memset(b, 'x', len);
	memcpy(b, "{\"x\":\"", 6);
	memcpy(b + len - 2, "\"}", 2);
	b[len] = '\0';
	return b;
}

static void test_body_limit(void **state)
{
	struct api_server *s = *state;
	char *big = object_of_size(LIMIT_BODY + 1);
	char *fits = object_of_size(LIMIT_BODY);

	/* Declared too large: refused before it is read. */
	struct api_resp *r =
	    refused(s, big, LIMIT_BODY + 1, NULL, 413, "limit-exceeded");
	api_assert_detail_has(r, "1048576");
	assert_string_equal(api_str(r->json, "title"), "Content Too Large");

	/* Sent in chunks with no length: refused once it grows past. */
	int before = api_count_people(s);
	char *huge = object_of_size(LIMIT_BODY + LIMIT_BODY / 2);
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/people",
			    .auth = &s->admin,
			    .body = huge,
			    .body_len = strlen(huge),
			    .chunked = 1};
	r = api_send(s, &q);
	api_assert_problem(r, 413, "limit-exceeded");
	api_assert_detail_has(r, "1048576");
	assert_int_equal(api_count_people(s), before);

	/* Exactly at the limit, it is read and judged on its content. */
	r = refused(s, fits, LIMIT_BODY, NULL, 400, "validation-failed");
	api_assert_detail_has(r, "unknown field 'x'");
	/* And chunked too. */
	q.body = fits;
	q.body_len = LIMIT_BODY;
	r = api_send(s, &q);
	api_assert_problem(r, 400, "validation-failed");

	/* The server is fine afterwards. */
	api_expect_json(api_get(s, NULL, "/readyz"), 200);
}

/* {"a":[[...]]}: an object nesting depth levels deep. */
static char *nested(int depth)
{
	int arrays = depth - 1;
	char *b = api_alloc((size_t)arrays * 2 + 16);
	size_t n = 0;
	memcpy(b, "{\"a\":", 5);
	n = 5;
	for (int i = 0; i < arrays; i++)
		b[n++] = '[';
	for (int i = 0; i < arrays; i++)
		b[n++] = ']';
	b[n++] = '}';
	b[n] = '\0';
	return b;
}

static void test_nesting_limit(void **state)
{
	struct api_server *s = *state;
	char *at = nested(16), *over = nested(17), *far = nested(100000);

	/* 16 levels pass the depth check (and fail on the field). */
	struct api_resp *r =
	    refused(s, at, strlen(at), NULL, 400, "validation-failed");
	api_assert_detail_has(r, "unknown field 'a'");
	/* 17 do not. */
	r = refused(s, over, strlen(over), NULL, 400, "limit-exceeded");
	api_assert_detail_has(r, "16");
	/* Far deeper: the parser refuses before recursing to death. */
	r = refused(s, far, strlen(far), NULL, 400, NULL);
	/* Deep objects too. */
	char *objs = api_alloc(20 * 8 + 16);
	for (int i = 0; i < 20; i++)
		strcat(objs, "{\"a\":");
	strcat(objs, "1");
	for (int i = 0; i < 20; i++)
		strcat(objs, "}");
	refused(s, objs, strlen(objs), NULL, 400, "limit-exceeded");
}

static void test_hostile_strings_verbatim(void **state)
{
	struct api_server *s = *state;
	static const char *const names[] = {
	    "'; DROP TABLE people; --",
	    "O'Brien \"the hammer\" \\ back\\slash",
	    "<script>alert(1)</script> & <b>bold</b>",
	    "Robert'); DROP TABLE groups;--",
	    "%s%s%s%n %x",
	    "Grüße, Jürgen: Ä Ö Ü ß € 日本語 🎉",
	    "line\xe2\x80\xa8separator",
	    "$1 $2 ?1 :name @p",
	    "\\u0000 as text",
	};
	int before = api_count_people(s);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *l = api_unique("verbatim");
		json_t *b =
		    json_pack("{s:s, s:s, s:s}", "login", l, "name", names[i],
			      "email", api_fmt("o'%s@example.org", l));
		assert_non_null(b);
		char *text = json_dumps(b, JSON_COMPACT);
		json_decref(b);
		struct api_resp *r =
		    api_json(s, &s->admin, "POST", "/api/v1/people",
			     api_fmt("%s", text));
		free(text);
		api_expect_json(r, 201);
		assert_string_equal(api_str(r->json, "name"), names[i]);
		assert_string_equal(api_str(r->json, "email"),
				    api_fmt("o'%s@example.org", l));
		/* Markup never goes out raw. */
		assert_null(strstr(r->body, "<script>"));
		assert_null(strstr(r->body, "<b>"));
		struct api_resp *g = api_get(s, &s->viewer, r->location);
		api_expect_json(g, 200);
		assert_string_equal(api_str(g->json, "name"), names[i]);
	}
	/* The table is still there and complete. */
	assert_int_equal(api_count_people(s),
			 before + (int)(sizeof(names) / sizeof(names[0])));

	/* Groups take the same, and multi-line descriptions. */
	json_t *b =
	    json_pack("{s:s, s:s}", "name", "'; DROP TABLE groups; --",
		      "description", "first line\nsecond \"line\"\ttab\r\nend");
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/groups", text);
	free(text);
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "name"),
			    "'; DROP TABLE groups; --");
	assert_string_equal(api_str(r->json, "description"),
			    "first line\nsecond \"line\"\ttab\r\nend");
	api_expect_json(api_get(s, &s->viewer, "/api/v1/groups"), 200);

	/* Query parameters are bound, not spliced. */
	r = api_get(s, &s->admin,
		    "/api/v1/events?object_type=person'%20OR%20'1'%3D'1");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
	r = api_get(s, &s->admin,
		    "/api/v1/events?object_type=x%3B%20DROP%20TABLE%20events");
	api_expect_json(r, 200);
	r = api_get(s, &s->admin, "/api/v1/events?object_type=person&limit=1");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
}

static void test_nul_and_bad_utf8(void **state)
{
	struct api_server *s = *state;
	const char *l = api_unique("nul");
	/* Escaped NUL in a value, in a key. */
	const char *esc = api_fmt("{\"login\":\"%s\",\"name\":\"a\\u0000b\","
				  "\"email\":\"%s@example.org\"}",
				  l, l);
	refused(s, esc, 0, NULL, 400, NULL);
	esc = api_fmt("{\"login\":\"%s\\u0000admin\",\"name\":\"N\","
		      "\"email\":\"%s@example.org\"}",
		      l, l);
	refused(s, esc, 0, NULL, 400, NULL);
	esc = api_fmt("{\"login\":\"%s\",\"na\\u0000me\":\"N\","
		      "\"email\":\"%s@example.org\"}",
		      l, l);
	refused(s, esc, 0, NULL, 400, NULL);

	/* A raw NUL byte inside a string, between tokens, and after the
	 * object: sent with its length. */
	char raw[200];
	int n = snprintf(raw, sizeof(raw),
			 "{\"login\":\"%sX\",\"name\":\"N\",\"email\":"
			 "\"%s@example.org\"}",
			 l, l);
	char *x = strchr(raw, 'X');
	*x = '\0';
	refused(s, raw, (size_t)n, NULL, 400, "invalid-json");
	*x = ' ';
	n = snprintf(raw, sizeof(raw),
		     "{\"login\":\"%s\", \"name\":\"N\",\"email\":"
		     "\"%s@example.org\"}",
		     l, l);
	*strchr(raw, ' ') = '\0';
	refused(s, raw, (size_t)n, NULL, 400, "invalid-json");
	n = snprintf(raw, sizeof(raw),
		     "{\"login\":\"%s\",\"name\":\"N\",\"email\":"
		     "\"%s@example.org\"}",
		     l, l);
	refused(s, raw, (size_t)n + 1, NULL, 400, "invalid-json");

	/* A NUL in a login must not cut it short to someone else's: the
	 * sign-in is refused, not granted to hbrandt. */
	static const char nul_login[] =
	    "{\"login\":\"hbrandt\\u0000evil\",\"password\":"
	    "\"" API_DEMO_PASSWORD "\"}";
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/session",
			    .body = nul_login,
			    .source = "127.0.0.51"};
	struct api_resp *r = api_send(s, &q);
	api_assert_problem(r, 400, NULL);
	assert_null(r->set_cookie);
	static const char raw_login[] =
	    "{\"login\":\"hbrandt\0evil\",\"password\":\"" API_DEMO_PASSWORD
	    "\"}";
	q.body = raw_login;
	q.body_len = sizeof(raw_login) - 1;
	r = api_send(s, &q);
	api_assert_problem(r, 400, "invalid-json");
	assert_null(r->set_cookie);

	/* Invalid UTF-8: a stray byte, an overlong '/', a UTF-16
	 * surrogate in UTF-8, a truncated sequence; and a lone surrogate
	 * escape. */
	static const char *const bad_utf8[] = {
	    "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\x80",
	};
	for (size_t i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		const char *b =
		    api_fmt("{\"login\":\"%s\",\"name\":\"bad %s utf8\","
			    "\"email\":\"%s@example.org\"}",
			    l, bad_utf8[i], l);
		refused(s, b, 0, NULL, 400, NULL);
	}
	esc = api_fmt("{\"login\":\"%s\",\"name\":\"\\ud800\","
		      "\"email\":\"%s@example.org\"}",
		      l, l);
	refused(s, esc, 0, NULL, 400, NULL);

	/* Control characters in single-line fields. */
	static const char *const controls[] = {
	    "\\u0001", "\\u001b[31m", "\\r\\nX-Injected: 1", "\\u007f"};
	for (size_t i = 0; i < sizeof(controls) / sizeof(controls[0]); i++) {
		const char *b = api_fmt("{\"login\":\"%s\",\"name\":\"a%sb\","
					"\"email\":\"%s@example.org\"}",
					l, controls[i], l);
		r = refused(s, b, 0, NULL, 400, "validation-failed");
		api_assert_detail_has(r, "control character");
	}
}

static void test_long_query_and_path(void **state)
{
	struct api_server *s = *state;
	/* 8 KiB of query: still a normal request. */
	char *pad = api_alloc(8 * 1024 + 1);
	memset(pad, 'q', 8 * 1024);
	pad[8 * 1024] = '\0';
	struct api_resp *r =
	    api_get(s, &s->admin, api_fmt("/api/v1/people?limit=2&x=%s", pad));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
	/* A long value where a number belongs. */
	r = api_get(s, &s->admin, api_fmt("/api/v1/people?limit=%s", pad));
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->admin, api_fmt("/api/v1/people?cursor=%s", pad));
	api_assert_problem(r, 400, "validation-failed");
	memset(pad, '9', 8 * 1024);
	r = api_get(s, &s->admin, api_fmt("/api/v1/people?limit=%s", pad));
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->admin, api_fmt("/api/v1/events?object_id=%s", pad));
	api_assert_problem(r, 400, "validation-failed");
	/* A long path: 404, the detail cut short. */
	memset(pad, 'p', 8 * 1024);
	r = api_get(s, &s->admin, api_fmt("/api/v1/%s", pad));
	api_assert_problem(r, 404, "not-found");
	assert_true(strlen(api_str(r->json, "detail")) < 400);
	r = api_get(s, &s->admin, api_fmt("/api/v1/people/%s", pad));
	api_assert_problem(r, 404, "not-found");

	/* Past the header limit (16 KiB): refused by the HTTP layer, the
	 * server lives on. */
	pad = api_alloc(100 * 1024 + 1);
	memset(pad, 'q', 100 * 1024);
	pad[100 * 1024] = '\0';
	r = api_get(s, &s->admin, api_fmt("/api/v1/people?x=%s", pad));
	assert_in_range(r->status, 400, 499);
	const char *big_header = api_fmt("X-Padding: %s", pad);
	struct api_req q = {.method = "GET",
			    .path = "/api/v1/people",
			    .auth = &s->admin,
			    .headers = (const char *const[]){big_header, NULL}};
	r = api_send(s, &q);
	assert_in_range(r->status, 400, 499);
	api_expect_json(api_get(s, NULL, "/healthz"), 200);
	api_expect_json(api_get(s, &s->admin, "/api/v1/people?limit=1"), 200);
}

static void test_huge_limit(void **state)
{
	struct api_server *s = *state;
	static const char *const paths[] = {
	    "/api/v1/people?limit=100000",
	    "/api/v1/groups?limit=100000",
	    "/api/v1/tokens?limit=100000",
	    "/api/v1/events?limit=100000",
	    "/api/v1/people?limit=501",
	    "/api/v1/people?limit=4294967297",
	    "/api/v1/people?limit=-2147483648",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct api_resp *r = api_get(s, &s->admin, paths[i]);
		api_assert_problem(r, 400, "validation-failed");
		api_assert_detail_has(r, "500");
	}
}

/* "%00" in a query argument must not silently cut the value short: the
 * search for "a%00b" would otherwise look for "a". */
static void test_nul_in_query(void **state)
{
	struct api_server *s = *state;
	static const char *const paths[] = {
	    "/api/v1/tickets?q=a%00b",
	    "/api/v1/people?limit=5%00",
	    "/api/v1/events?object_type=person%00x",
	    "/api/v1/people?x%00y=1",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct api_resp *r = api_get(s, &s->admin, paths[i]);
		api_assert_problem(r, 400, "bad-request");
		api_assert_detail_has(r, "NUL");
	}
}

static void test_hostile_numbers(void **state)
{
	struct api_server *s = *state;
	static const struct {
		const char *body;
		const char *slug;
	} cases[] = {
	    {"{\"person_id\":1e3,\"name\":\"t\",\"scopes\":[\"read\"]}",
	     "validation-failed"},
	    {"{\"person_id\":1.0,\"name\":\"t\",\"scopes\":[\"read\"]}",
	     "validation-failed"},
	    {"{\"person_id\":-1,\"name\":\"t\",\"scopes\":[\"read\"]}",
	     "validation-failed"},
	    {"{\"person_id\":0,\"name\":\"t\",\"scopes\":[\"read\"]}",
	     "validation-failed"},
	    {"{\"person_id\":99999999999999999999,\"name\":\"t\","
	     "\"scopes\":[\"read\"]}",
	     NULL},
	    {"{\"person_id\":\"1\",\"name\":\"t\",\"scopes\":[\"read\"]}",
	     "validation-failed"},
	    {"{\"person_id\":1,\"name\":\"t\",\"scopes\":[1]}",
	     "validation-failed"},
	    {"{\"person_id\":1,\"name\":\"t\",\"scopes\":{\"read\":true}}",
	     "validation-failed"},
	};
	struct api_resp *list =
	    api_get(s, &s->admin, "/api/v1/tokens?limit=500");
	api_expect_json(list, 200);
	size_t tokens = json_array_size(json_object_get(list->json, "items"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct api_resp *r = api_json(s, &s->admin, "POST",
					      "/api/v1/tokens", cases[i].body);
		api_assert_problem(r, 400, cases[i].slug);
		assert_null(json_object_get(r->json, "secret"));
	}
	list = api_get(s, &s->admin, "/api/v1/tokens?limit=500");
	assert_int_equal(json_array_size(json_object_get(list->json, "items")),
			 tokens);
}

static void test_hostile_credentials(void **state)
{
	struct api_server *s = *state;
	static const char *const auths[] = {
	    "Authorization: Basic aGJyYW5kdDpkdXR5ZGVzay1kZW1v",
	    "Authorization: Bearer",
	    "Authorization: Bearer ",
	    "Authorization: Bearer ddt_",
	    "Authorization: Bearer "
	    "ddt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "Authorization: Bearer ' OR '1'='1",
	    "Authorization: Token abc",
	    "Authorization: Bearer\tddt_x",
	};
	for (size_t i = 0; i < sizeof(auths) / sizeof(auths[0]); i++) {
		struct api_req q = {.method = "GET",
				    .path = "/api/v1/people",
				    .headers =
					(const char *const[]){auths[i], NULL}};
		struct api_resp *r = api_send(s, &q);
		api_assert_problem(r, 401, "unauthenticated");
	}
	/* An 8 KiB token. */
	char *pad = api_alloc(8 * 1024 + 1);
	memset(pad, 'A', 8 * 1024);
	pad[8 * 1024] = '\0';
	struct api_auth a = {0};
	struct api_req q = {
	    .method = "GET",
	    .path = "/api/v1/people",
	    .headers = (const char *const[]){
		api_fmt("Authorization: Bearer ddt_%s", pad), NULL}};
	api_assert_problem(api_send(s, &q), 401, "unauthenticated");
	/* Cookies: wrong length, odd characters, very long. */
	static const char *const cookies[] = {
	    "x",
	    "'; DROP TABLE sessions; --",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "%00%00%00",
	};
	for (size_t i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		snprintf(a.cookie, sizeof(a.cookie), "%s", cookies[i]);
		api_assert_problem(api_get(s, &a, "/api/v1/session"), 401,
				   "unauthenticated");
	}
	q.headers =
	    (const char *const[]){api_fmt("Cookie: dd_session=%s", pad), NULL};
	api_assert_problem(api_send(s, &q), 401, "unauthenticated");
	/* A huge CSRF token on a real session. */
	struct api_auth admin = s->admin;
	int before = api_count_people(s);
	struct api_req post = {.method = "POST",
			       .path = "/api/v1/people",
			       .auth = &admin,
			       .body = good_person(),
			       .omit_csrf = 1,
			       .headers = (const char *const[]){
				   api_fmt("X-CSRF-Token: %s", pad), NULL}};
	api_assert_problem(api_send(s, &post), 403, "csrf-token-missing");
	assert_int_equal(api_count_people(s), before);
}

static void test_many_fields(void **state)
{
	struct api_server *s = *state;
	/* 50000 distinct keys, well inside the body limit. */
	size_t cap = 50000 * 16 + 16, n = 0;
	char *b = api_alloc(cap);
	b[n++] = '{';
	for (int i = 0; i < 50000; i++)
		n += (size_t)snprintf(b + n, cap - n, "%s\"k%d\":%d",
				      i ? "," : "", i, i);
	b[n++] = '}';
	b[n] = '\0';
	struct api_resp *r = refused(s, b, n, NULL, 400, "validation-failed");
	api_assert_detail_has(r, "unknown field");
	/* A long array in a field that takes a list. */
	n = 0;
	n += (size_t)snprintf(b + n, cap - n,
			      "{\"person_id\":1,\"name\":\"t\",\"scopes\":[");
	for (int i = 0; i < 20000; i++)
		n += (size_t)snprintf(b + n, cap - n, "%s\"read\"",
				      i ? "," : "");
	n += (size_t)snprintf(b + n, cap - n, "]}");
	r = api_json(s, &s->admin, "POST", "/api/v1/tokens", b);
	api_assert_problem(r, 400, "limit-exceeded");
	api_assert_detail_has(r, "16");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_bad_json),
	    API_TEST(test_content_type),
	    API_TEST(test_body_limit),
	    API_TEST(test_nesting_limit),
	    API_TEST(test_hostile_strings_verbatim),
	    API_TEST(test_nul_and_bad_utf8),
	    API_TEST(test_long_query_and_path),
	    API_TEST(test_nul_in_query),
	    API_TEST(test_huge_limit),
	    API_TEST(test_hostile_numbers),
	    API_TEST(test_hostile_credentials),
	    API_TEST(test_many_fields),
	};
	return API_RUN("hostile", tests);
}
