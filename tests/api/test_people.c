/*
 * test_people.c - /api/v1/people: listing and paging, creating, reading,
 * updating with If-Match, validation, deactivating, and the events that
 * record it all.
 */
#include <string.h>

#include "api/harness.h"

#define PW "people-password-1"

static const char *person_path(int64_t id)
{
	return api_fmt("/api/v1/people/%lld", (long long)id);
}

static struct api_resp *get_person(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(s, &s->admin, person_path(id));
	api_expect_json(r, 200);
	return r;
}

/* POST body for a new person with a fresh login. */
static const char *new_body(const char *extra)
{
	const char *l = api_unique("pp");
	return api_fmt("{\"login\":\"%s\",\"name\":\"Person %s\","
		       "\"email\":\"%s@example.org\"%s%s}",
		       l, l, l, extra ? "," : "", extra ? extra : "");
}

static void test_list_paging(void **state)
{
	struct api_server *s = *state;
	int64_t made[5];
	for (int i = 0; i < 5; i++)
		made[i] = api_person_new(s, "page", NULL, NULL);
	int total = api_count_people(s);
	assert_true(total >= 13 + 5);

	/* Walk the list two at a time. */
	const char *cursor = NULL;
	int seen = 0, pages = 0, found = 0;
	int64_t last = 0;
	for (;;) {
		struct api_resp *r = api_get(
		    s, &s->viewer,
		    cursor ? api_fmt("/api/v1/people?limit=2&cursor=%s", cursor)
			   : "/api/v1/people?limit=2");
		api_expect_json(r, 200);
		json_t *items = json_object_get(r->json, "items");
		assert_true(json_is_array(items));
		assert_true(json_array_size(items) <= 2);
		size_t i;
		json_t *p;
		json_array_foreach(items, i, p)
		{
			int64_t id = api_int(p, "id");
			assert_true(id > last); /* in id order, no repeats */
			last = id;
			seen++;
			for (int k = 0; k < 5; k++)
				found += id == made[k];
		}
		pages++;
		json_t *next = json_object_get(r->json, "next_cursor");
		assert_non_null(next);
		if (json_is_null(next))
			break;
		assert_true(json_is_string(next));
		assert_int_equal(json_array_size(items), 2);
		/* The cursor is the last id of the page. */
		assert_string_equal(json_string_value(next),
				    api_fmt("%lld", (long long)last));
		cursor = api_fmt("%s", json_string_value(next));
		assert_true(pages < 1000);
	}
	assert_int_equal(seen, total);
	assert_int_equal(found, 5);
	assert_int_equal(pages, (total + 2) / 2);

	/* A page exactly full still offers a cursor; the page after it is
	 * empty and ends the list. */
	struct api_resp *r =
	    api_get(s, &s->admin, api_fmt("/api/v1/people?limit=%d", total));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")),
			 total);
	const char *next =
	    json_string_value(json_object_get(r->json, "next_cursor"));
	assert_non_null(next);
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/people?limit=%d&cursor=%s", total, next));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));

	/* Without a limit: at most the default of 50. */
	r = api_get(s, &s->admin, "/api/v1/people");
	api_expect_json(r, 200);
	size_t n = json_array_size(json_object_get(r->json, "items"));
	assert_true(n == (size_t)(total < 50 ? total : 50));

	/* Limits and cursors the server never gave out. */
	static const char *const bad[] = {
	    "limit=0",	  "limit=-1",
	    "limit=abc",  "limit=",
	    "limit=501",  "limit=1.5",
	    "limit=+5",	  "limit=05",
	    "cursor=abc", "cursor=-3",
	    "cursor=1e3", "limit=2&cursor=0x10",
	    "limit=%201", "cursor=99999999999999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_get(s, &s->admin, api_fmt("/api/v1/people?%s", bad[i]));
		api_assert_problem(r, 400, "validation-failed");
	}
	r = api_get(s, &s->admin, "/api/v1/people?limit=500");
	api_expect_json(r, 200);
	/* A cursor past the end: an empty page. */
	r = api_get(s, &s->admin, "/api/v1/people?cursor=999999999");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
}

static void test_create_and_get(void **state)
{
	struct api_server *s = *state;
	const char *l = api_unique("Mixed.Case_");
	const char *body =
	    api_fmt("{\"login\":\"%s\",\"name\":\"Zoë O'Neill\",\"email\":"
		    "\"zoe.%s@example.org\",\"phone\":\"+49 30 1234567\","
		    "\"password\":\"%s\"}",
		    l, l, PW);
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/people", body);
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	assert_true(id > 0);
	assert_non_null(r->location);
	assert_string_equal(r->location, person_path(id));
	assert_non_null(r->etag);
	assert_string_equal(r->etag, "\"v1\"");

	/* Logins are stored in lower case. */
	char lower[65];
	size_t i;
	for (i = 0; l[i] && i < 64; i++)
		lower[i] = (char)(l[i] >= 'A' && l[i] <= 'Z' ? l[i] - 'A' + 'a'
							     : l[i]);
	lower[i] = '\0';
	assert_string_equal(api_str(r->json, "login"), lower);
	assert_string_equal(api_str(r->json, "name"), "Zoë O'Neill");
	assert_string_equal(api_str(r->json, "email"),
			    api_fmt("zoe.%s@example.org", l));
	assert_string_equal(api_str(r->json, "phone"), "+49301234567");
	assert_int_equal(api_bool(r->json, "active"), 1);
	assert_int_equal(api_bool(r->json, "has_password"), 1);
	assert_string_equal(api_str(r->json, "role"), "viewer");
	assert_int_equal(api_int(r->json, "version"), 1);
	assert_true(json_is_string(json_object_get(r->json, "created_at")));
	assert_string_equal(api_str(r->json, "created_at"),
			    api_str(r->json, "updated_at"));
	/* Passwords never come back, not even hashed. */
	assert_null(json_object_get(r->json, "password"));
	assert_null(json_object_get(r->json, "password_hash"));
	assert_null(strstr(r->body, PW));
	assert_null(strstr(r->body, "argon2"));

	/* GET answers the same, for the admin and a viewer. */
	struct api_resp *g = api_get(s, &s->viewer, r->location);
	api_expect_json(g, 200);
	assert_true(json_equal(g->json, r->json));
	assert_non_null(g->etag);
	assert_string_equal(g->etag, "\"v1\"");

	/* The new person can sign in with the password given. */
	struct api_auth a;
	api_signin(s, lower, PW, &a);
	assert_int_equal(a.person_id, id);

	/* Without password and phone. */
	r = api_json(s, &s->admin, "POST", "/api/v1/people", new_body(NULL));
	api_expect_json(r, 201);
	assert_true(json_is_null(json_object_get(r->json, "phone")));
	assert_int_equal(api_bool(r->json, "has_password"), 0);
	/* Created inactive. */
	r = api_json(s, &s->admin, "POST", "/api/v1/people",
		     new_body("\"active\":false"));
	api_expect_json(r, 201);
	assert_int_equal(api_bool(r->json, "active"), 0);
}

static void test_get_unknown_404(void **state)
{
	struct api_server *s = *state;
	static const char *const ids[] = {
	    "999999",
	    "abc",
	    "0",
	    "-1",
	    "01",
	    "1.5",
	    "1e3",
	    "%20",
	    "12345678901234567890123",
	    "9223372036854775808",
	    "0x10",
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct api_resp *r =
		    api_get(s, &s->admin, api_fmt("/api/v1/people/%s", ids[i]));
		api_assert_problem(r, 404, "not-found");
	}
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/people/999999");
	api_assert_detail_has(r, "999999");
	/* Updating or deleting nobody is also 404. */
	api_assert_problem(api_json(s, &s->admin, "PATCH",
				    "/api/v1/people/999999",
				    "{\"name\":\"x\"}"),
			   404, "not-found");
	api_assert_problem(api_delete(s, &s->admin, "/api/v1/people/999999"),
			   404, "not-found");
	api_assert_problem(api_json(s, &s->admin, "PATCH", "/api/v1/people/abc",
				    "{\"name\":\"x\"}"),
			   404, "not-found");
}

static void test_patch_if_match(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t id = api_person_new(s, "patch", NULL, login);
	const char *path = person_path(id);

	/* Matching version: 200, version + 1, new ETag. */
	struct api_resp *r =
	    api_json_h(s, &s->admin, "PATCH", path,
		       "{\"name\":\"First Rename\"}", "If-Match: \"v1\"");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "name"), "First Rename");
	assert_int_equal(api_int(r->json, "version"), 2);
	assert_non_null(r->etag);
	assert_string_equal(r->etag, "\"v2\"");
	assert_string_equal(api_str(r->json, "login"), login);

	/* Stale version: 412, nothing changes. */
	r = api_json_h(s, &s->admin, "PATCH", path,
		       "{\"name\":\"Lost Update\"}", "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");
	r = get_person(s, id);
	assert_string_equal(api_str(r->json, "name"), "First Rename");
	assert_int_equal(api_int(r->json, "version"), 2);
	assert_string_equal(r->etag, "\"v2\"");

	/* An ETag from the future is as stale. */
	r = api_json_h(s, &s->admin, "PATCH", path, "{\"name\":\"Future\"}",
		       "If-Match: \"v3\"");
	api_assert_problem(r, 412, "precondition-failed");

	/* Values that are no ETag of ours. */
	static const char *const bad[] = {
	    "If-Match: v2",
	    "If-Match: \"2\"",
	    "If-Match: garbage",
	    "If-Match: \"v\"",
	    "If-Match: \"v-2\"",
	    "If-Match: \"v02\"",
	    "If-Match: \"v99999999999999999999\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_json_h(s, &s->admin, "PATCH", path,
			       "{\"name\":\"Bad ETag\"}", bad[i]);
		api_assert_problem(r, 412, "precondition-failed");
	}
	r = get_person(s, id);
	assert_string_equal(api_str(r->json, "name"), "First Rename");
	assert_int_equal(api_int(r->json, "version"), 2);

	/* A weak ETag of the current version is accepted. */
	r = api_json_h(s, &s->admin, "PATCH", path,
		       "{\"email\":\"renamed.x@example.org\"}",
		       "If-Match: W/\"v2\"");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "version"), 3);
	assert_string_equal(api_str(r->json, "name"), "First Rename");
	assert_string_equal(api_str(r->json, "email"), "renamed.x@example.org");

	/* Without If-Match the update goes through. */
	r = api_json(s, &s->admin, "PATCH", path,
		     "{\"phone\":\"+1 (555) 010-9999\"}");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "version"), 4);
	assert_string_equal(api_str(r->json, "phone"), "+15550109999");
	/* null clears the phone; fields not sent stay as they are. */
	r = api_json(s, &s->admin, "PATCH", path, "{\"phone\":null}");
	api_expect_json(r, 200);
	assert_true(json_is_null(json_object_get(r->json, "phone")));
	assert_string_equal(api_str(r->json, "email"), "renamed.x@example.org");
	assert_string_equal(api_str(r->json, "login"), login);
	assert_int_equal(api_int(r->json, "version"), 5);

	/* The login may change, and is lowered. */
	const char *newlogin = api_unique("renamed");
	r = api_json(s, &s->admin, "PATCH", path,
		     api_fmt("{\"login\":\"%s\"}", newlogin));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "login"), newlogin);

	/* A password cannot be set through PATCH. */
	r = api_json(s, &s->admin, "PATCH", path,
		     "{\"password\":\"sneaky-password\"}");
	api_assert_problem(r, 400, "validation-failed");
	assert_int_equal(api_int(get_person(s, id)->json, "version"), 6);
}

static void test_duplicate_409(void **state)
{
	struct api_server *s = *state;
	char login[65], other[65];
	int64_t id = api_person_new(s, "dup", NULL, login);
	int64_t other_id = api_person_new(s, "dup", NULL, other);
	int before = api_count_people(s);

	/* The same login, also in other case. */
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/people",
		     api_fmt("{\"login\":\"%s\",\"name\":\"Again\",\"email\":"
			     "\"again.%s@example.org\"}",
			     login, login));
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, login);
	char upper[65];
	for (size_t i = 0; i <= strlen(login); i++)
		upper[i] = (char)(login[i] >= 'a' && login[i] <= 'z'
				      ? login[i] - 'a' + 'A'
				      : login[i]);
	r = api_json(s, &s->admin, "POST", "/api/v1/people",
		     api_fmt("{\"login\":\"%s\",\"name\":\"Again\",\"email\":"
			     "\"again2.%s@example.org\"}",
			     upper, login));
	api_assert_problem(r, 409, "conflict");
	/* The same e-mail address. */
	r = api_json(s, &s->admin, "POST", "/api/v1/people",
		     api_fmt("{\"login\":\"%s\",\"name\":\"Again\",\"email\":"
			     "\"%s@example.org\"}",
			     api_unique("dup"), login));
	api_assert_problem(r, 409, "conflict");
	assert_int_equal(api_count_people(s), before);

	/* Renaming onto a taken login: 409, nothing changes. */
	r = api_json(s, &s->admin, "PATCH", person_path(other_id),
		     api_fmt("{\"login\":\"%s\"}", login));
	api_assert_problem(r, 409, "conflict");
	r = get_person(s, other_id);
	assert_string_equal(api_str(r->json, "login"), other);
	assert_int_equal(api_int(r->json, "version"), 1);
	r = get_person(s, id);
	assert_string_equal(api_str(r->json, "login"), login);
}

static void test_phone_normalisation(void **state)
{
	struct api_server *s = *state;
	static const struct {
		const char *in, *out;
	} good[] = {
	    {"+49 89 123-4567", "+49891234567"},
	    {"0049 (89) 123/4567", "+49891234567"},
	    {"+1.555.010.0000", "+15550100000"},
	    {"+123456789012345", "+123456789012345"},
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct api_resp *r =
		    api_json(s, &s->admin, "POST", "/api/v1/people",
			     new_body(api_fmt("\"phone\":\"%s\"", good[i].in)));
		api_expect_json(r, 201);
		assert_string_equal(api_str(r->json, "phone"), good[i].out);
	}
	int before = api_count_people(s);
	static const char *const bad[] = {
	    "12345",
	    "089 1234567",
	    "+0 89 1234567",
	    "+1234567890123456",
	    "+49 89 abc",
	    "+",
	    "+49 89 1234567 ext 5",
	    "",
	    "+49\\t89",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_resp *r =
		    api_json(s, &s->admin, "POST", "/api/v1/people",
			     new_body(api_fmt("\"phone\":\"%s\"", bad[i])));
		api_assert_problem(r, 400, NULL);
		api_assert_detail_has(r, "phone");
	}
	assert_int_equal(api_count_people(s), before);

	/* PATCH normalises too, and refuses the same. */
	int64_t id = api_person_new(s, "phone", NULL, NULL);
	struct api_resp *r = api_json(s, &s->admin, "PATCH", person_path(id),
				      "{\"phone\":\"0044 20 7946 0000\"}");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "phone"), "+442079460000");
	r = api_json(s, &s->admin, "PATCH", person_path(id),
		     "{\"phone\":\"12345\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = get_person(s, id);
	assert_string_equal(api_str(r->json, "phone"), "+442079460000");
	assert_int_equal(api_int(r->json, "version"), 2);
}

static void test_validation_errors(void **state)
{
	struct api_server *s = *state;
	char name300[301], name200[201], login65[66];
	memset(name300, 'n', 300);
	name300[300] = '\0';
	/* 100 two-byte characters: 200 bytes, just within the limit. */
	for (int i = 0; i < 100; i++)
		memcpy(name200 + 2 * i, "\xc3\xbc", 2);
	name200[200] = '\0';
	memset(login65, 'l', 65);
	login65[65] = '\0';
	const char *l = api_unique("val");
	const char *mail = api_fmt("\"email\":\"%s@example.org\"", l);
	const struct {
		const char *body;
		const char *slug;
		const char *detail;
	} cases[] = {
	    {api_fmt("{\"login\":\"%s\",%s}", l, mail), "validation-failed",
	     "'name' is required"},
	    {api_fmt("{\"name\":\"N\",%s}", mail), "validation-failed",
	     "'login' is required"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\"}", l),
	     "validation-failed", "'email' is required"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",%s,\"nickname\":"
		     "\"x\"}",
		     l, mail),
	     "validation-failed", "unknown field 'nickname'"},
	    {api_fmt("{\"login\":\"%s\",\"name\":5,%s}", l, mail),
	     "validation-failed", "'name' must be a string"},
	    {api_fmt("{\"login\":true,\"name\":\"N\",%s}", mail),
	     "validation-failed", "'login' must be a string"},
	    {api_fmt("{\"login\":\"%s\",\"name\":[\"N\"],%s}", l, mail),
	     "validation-failed", "'name' must be a string"},
	    {api_fmt("{\"login\":\"%s\",\"name\":{},%s}", l, mail),
	     "validation-failed", "'name' must be a string"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",%s,\"active\":"
		     "\"yes\"}",
		     l, mail),
	     "validation-failed", "'active' must be true or false"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",%s,\"active\":1}", l,
		     mail),
	     "validation-failed", "'active' must be true or false"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",%s,\"phone\":"
		     "4989123}",
		     l, mail),
	     "validation-failed", "'phone' must be a string"},
	    {api_fmt("{\"login\":\"%s\",\"name\":null,%s}", l, mail),
	     "validation-failed", "'name' is required"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"\",%s}", l, mail),
	     "validation-failed", "'name' must not be empty"},
	    {api_fmt("{\"login\":\"\",\"name\":\"N\",%s}", mail),
	     "validation-failed", "'login' must not be empty"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",\"email\":\"\"}", l),
	     "validation-failed", "'email'"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"%s\",%s}", l, name300, mail),
	     "limit-exceeded", "'name' is longer than the limit of 200 bytes"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"%s\xc3\xbc\",%s}", l,
		     name200, mail),
	     "limit-exceeded", "limit of 200 bytes"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",%s}", login65, mail),
	     "limit-exceeded", "limit of 64 bytes"},
	    {api_fmt("{\"login\":\"a b\",\"name\":\"N\",%s}", mail),
	     "validation-failed", "'login'"},
	    {api_fmt("{\"login\":\".%s\",\"name\":\"N\",%s}", l, mail),
	     "validation-failed", "'login'"},
	    {api_fmt("{\"login\":\"j\\u00fcrgen\",\"name\":\"N\",%s}", mail),
	     "validation-failed", "'login'"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",\"email\":"
		     "\"no-at-sign\"}",
		     l),
	     "validation-failed", "'email'"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",\"email\":"
		     "\"a@b@example.org\"}",
		     l),
	     "validation-failed", "'email'"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",\"email\":"
		     "\"Name <x@example.org>\"}",
		     l),
	     "validation-failed", "'email'"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"Tab\\there\",%s}", l, mail),
	     "validation-failed", "control character"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"Line\\nbreak\",%s}", l,
		     mail),
	     "validation-failed", "control character"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",%s,\"password\":"
		     "\"short\"}",
		     l, mail),
	     "validation-failed", "at least 8"},
	    {api_fmt("{\"login\":\"%s\",\"name\":\"N\",%s,\"password\":"
		     "12345678}",
		     l, mail),
	     "validation-failed", "'password' must be a string"},
	};
	int before = api_count_people(s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct api_resp *r = api_json(s, &s->admin, "POST",
					      "/api/v1/people", cases[i].body);
		api_assert_problem(r, 400, cases[i].slug);
		api_assert_detail_has(r, cases[i].detail);
		assert_null(r->location);
	}
	assert_int_equal(api_count_people(s), before);

	/* Exactly at the limit is fine, and comes back byte for byte. */
	struct api_resp *r = api_json(
	    s, &s->admin, "POST", "/api/v1/people",
	    api_fmt("{\"login\":\"%s\",\"name\":\"%s\",%s}", l, name200, mail));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "name"), name200);

	/* PATCH validates the same way and changes nothing. */
	int64_t id = api_int(r->json, "id");
	static const char *const patches[] = {
	    "{\"name\":\"\"}",	    "{\"login\":\"\"}",
	    "{\"email\":\"nope\"}", "{\"active\":\"false\"}",
	    "{\"unknown\":1}",	    "{\"name\":7}",
	};
	for (size_t i = 0; i < sizeof(patches) / sizeof(patches[0]); i++) {
		r = api_json(s, &s->admin, "PATCH", person_path(id),
			     patches[i]);
		api_assert_problem(r, 400, NULL);
	}
	r = get_person(s, id);
	assert_int_equal(api_int(r->json, "version"), 1);
	assert_string_equal(api_str(r->json, "name"), name200);
}

static void test_delete_deactivates(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t id = api_person_new(s, "gone", PW, login);
	struct api_auth session, token;
	api_signin(s, login, PW, &session);
	api_token_new(s, id, "read", &token);
	api_expect_status(api_get(s, &session, "/api/v1/people"), 200);
	api_expect_status(api_get(s, &token, "/api/v1/people"), 200);

	/* A stale If-Match refuses the deletion. */
	struct api_req q = {
	    .method = "DELETE",
	    .path = person_path(id),
	    .auth = &s->admin,
	    .headers = (const char *const[]){"If-Match: \"v7\"", NULL}};
	api_assert_problem(api_send(s, &q), 412, "precondition-failed");
	api_expect_status(api_get(s, &session, "/api/v1/people"), 200);

	struct api_resp *r = api_delete(s, &s->admin, person_path(id));
	api_expect_status(r, 204);
	assert_int_equal(r->body_len, 0);

	/* Still there, inactive, for the history. */
	r = get_person(s, id);
	assert_int_equal(api_bool(r->json, "active"), 0);
	assert_string_equal(api_str(r->json, "login"), login);
	assert_int_equal(api_int(r->json, "version"), 2);

	/* Their session and token stop working, sign-in is refused. */
	api_assert_problem(api_get(s, &session, "/api/v1/people"), 401,
			   "unauthenticated");
	api_assert_problem(api_get(s, &token, "/api/v1/people"), 401,
			   "unauthenticated");
	api_assert_problem(api_signin_try(s, "127.0.0.41", login, PW), 401,
			   "unauthenticated");

	/* Made active again, they sign in anew; the old session stays
	 * ended. */
	r = api_json(s, &s->admin, "PATCH", person_path(id),
		     "{\"active\":true}");
	api_expect_json(r, 200);
	assert_int_equal(api_bool(r->json, "active"), 1);
	api_assert_problem(api_get(s, &session, "/api/v1/people"), 401,
			   "unauthenticated");
	struct api_auth again;
	api_signin(s, login, PW, &again);

	/* PATCH active:false is the same as DELETE. */
	r = api_json(s, &s->admin, "PATCH", person_path(id),
		     "{\"active\":false}");
	api_expect_json(r, 200);
	api_assert_problem(api_get(s, &again, "/api/v1/session"), 401,
			   "unauthenticated");

	/* Nobody deactivates themselves. */
	r = api_delete(s, &s->admin, person_path(s->admin.person_id));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->admin, "PATCH", person_path(s->admin.person_id),
		     "{\"active\":false}");
	api_assert_problem(r, 409, "conflict");
	r = get_person(s, s->admin.person_id);
	assert_int_equal(api_bool(r->json, "active"), 1);
	api_expect_status(api_get(s, &s->admin, "/api/v1/session"), 200);
}

static void test_admin_sets_password(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t id = api_person_new(s, "setpw", NULL, login);
	const char *path =
	    api_fmt("/api/v1/people/%lld/password", (long long)id);
	struct api_resp *r =
	    api_json(s, &s->admin, "PUT", path, "{\"password\":\"short\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->admin, "PUT", path, "{\"secret\":\"x\"}");
	api_assert_problem(r, 400, "validation-failed");
	assert_int_equal(api_bool(get_person(s, id)->json, "has_password"), 0);

	r = api_json(s, &s->admin, "PUT", path, "{\"password\":\"" PW "\"}");
	api_expect_status(r, 204);
	r = get_person(s, id);
	assert_int_equal(api_bool(r->json, "has_password"), 1);
	struct api_auth a;
	api_signin(s, login, PW, &a);

	/* Setting it again ends the person's sessions. */
	r = api_json(s, &s->admin, "PUT", path,
		     "{\"password\":\"another-password-2\"}");
	api_expect_status(r, 204);
	api_assert_problem(api_get(s, &a, "/api/v1/session"), 401,
			   "unauthenticated");
	api_signin(s, login, "another-password-2", &a);

	r = api_json(s, &s->admin, "PUT", "/api/v1/people/999999/password",
		     "{\"password\":\"" PW "\"}");
	api_assert_problem(r, 404, "not-found");
}

/* The object's event list, newest first. */
static json_t *person_events(struct api_server *s, int64_t id)
{
	struct api_resp *r =
	    api_get(s, &s->admin,
		    api_fmt("/api/v1/events?object_type=person&object_id=%lld",
			    (long long)id));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_is_array(items));
	return items;
}

static void test_events_record_changes(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t id = api_person_new(s, "ev", NULL, login);
	struct api_resp *r = api_json(s, &s->admin, "PATCH", person_path(id),
				      "{\"name\":\"Evelyn Changed\"}");
	api_expect_json(r, 200);
	api_expect_status(api_delete(s, &s->admin, person_path(id)), 204);

	json_t *items = person_events(s, id);
	assert_int_equal(json_array_size(items), 3);
	json_t *del = json_array_get(items, 0), *upd = json_array_get(items, 1),
	       *cre = json_array_get(items, 2);
	assert_true(api_int(del, "id") > api_int(upd, "id"));
	assert_true(api_int(upd, "id") > api_int(cre, "id"));

	/* Created: no before, the person after. */
	assert_string_equal(api_str(cre, "action"), "person.create");
	assert_string_equal(api_str(cre, "object_type"), "person");
	assert_int_equal(api_int(cre, "object_id"), id);
	assert_string_equal(api_str(cre, "actor"), "hbrandt");
	assert_int_equal(api_int(cre, "actor_id"), s->admin.person_id);
	assert_true(json_is_string(json_object_get(cre, "at")));
	assert_true(json_is_null(json_object_get(cre, "before")));
	assert_non_null(api_obj(cre, "after"));
	assert_string_equal(api_str(api_obj(cre, "after"), "login"), login);
	assert_int_equal(api_int(api_obj(cre, "after"), "version"), 1);

	/* Updated: before and after. */
	assert_string_equal(api_str(upd, "action"), "person.update");
	assert_non_null(api_obj(upd, "before"));
	assert_non_null(api_obj(upd, "after"));
	assert_string_equal(api_str(api_obj(upd, "before"), "name"),
			    api_fmt("Test Person %s", login));
	assert_string_equal(api_str(api_obj(upd, "after"), "name"),
			    "Evelyn Changed");
	assert_int_equal(api_int(api_obj(upd, "before"), "version"), 1);
	assert_int_equal(api_int(api_obj(upd, "after"), "version"), 2);

	/* Deactivated: active true before, false after. */
	assert_string_equal(api_str(del, "action"), "person.update");
	assert_int_equal(api_bool(api_obj(del, "before"), "active"), 1);
	assert_int_equal(api_bool(api_obj(del, "after"), "active"), 0);

	/* A refused change leaves no event. */
	r = api_json_h(s, &s->admin, "PATCH", person_path(id),
		       "{\"name\":\"Never\"}", "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");
	r = api_json(s, &s->admin, "PATCH", person_path(id), "{\"name\":\"\"}");
	api_assert_problem(r, 400, "validation-failed");
	assert_int_equal(json_array_size(person_events(s, id)), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_list_paging),
	    API_TEST(test_create_and_get),
	    API_TEST(test_get_unknown_404),
	    API_TEST(test_patch_if_match),
	    API_TEST(test_duplicate_409),
	    API_TEST(test_phone_normalisation),
	    API_TEST(test_validation_errors),
	    API_TEST(test_delete_deactivates),
	    API_TEST(test_admin_sets_password),
	    API_TEST(test_events_record_changes),
	};
	return API_RUN("people", tests);
}
