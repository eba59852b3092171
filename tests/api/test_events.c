/*
 * test_events.c - GET /api/v1/events: only admins, filters by object and
 * time, paging newest first, and what an event says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"

static json_t *items_of(const struct api_resp *r)
{
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_is_array(items));
	return items;
}

static struct api_resp *events(struct api_server *s, const char *query)
{
	struct api_resp *r =
	    api_get(s, &s->admin, api_fmt("/api/v1/events?%s", query));
	api_expect_json(r, 200);
	items_of(r);
	return r;
}

/* A person with a create event and n updates after it. */
static int64_t person_with_history(struct api_server *s, int updates)
{
	int64_t id = api_person_new(s, "hist", NULL, NULL);
	for (int i = 0; i < updates; i++) {
		struct api_resp *r =
		    api_json(s, &s->admin, "PATCH",
			     api_fmt("/api/v1/people/%lld", (long long)id),
			     api_fmt("{\"name\":\"Update %d\"}", i + 1));
		api_expect_json(r, 200);
	}
	return id;
}

/* "2026-11-27T08:00:00.123Z" as milliseconds since the epoch. */
static int64_t parse_ms(const char *text)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
	assert_non_null(rest);
	int ms = 0;
	if (*rest == '.')
		ms = atoi(rest + 1);
	return (int64_t)timegm(&tm) * 1000 + ms;
}

/* ms as RFC 3339 in the zone offset_min minutes east of UTC, URL-encoded
 * for a query string. */
static const char *format_ms(int64_t ms, int offset_min)
{
	time_t secs = (time_t)(ms / 1000) + offset_min * 60;
	struct tm tm;
	char text[64];
	gmtime_r(&secs, &tm);
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
	if (offset_min == 0)
		return api_fmt("%s.%03dZ", text, (int)(ms % 1000));
	int a = abs(offset_min);
	return api_fmt("%s.%03d%s%02d:%02d", text, (int)(ms % 1000),
		       offset_min > 0 ? "%2B" : "-", a / 60, a % 60);
}

static void test_admins_only(void **state)
{
	struct api_server *s = *state;
	api_assert_problem(api_get(s, NULL, "/api/v1/events"), 401,
			   "unauthenticated");
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/events");
	api_assert_problem(r, 403, "forbidden");
	api_assert_detail_has(r, "admin");
	api_assert_problem(api_get(s, &s->editor, "/api/v1/events"), 403,
			   "forbidden");
	struct api_auth t;
	api_token_new(s, s->viewer.person_id, "read,write,admin", &t);
	api_assert_problem(api_get(s, &t, "/api/v1/events"), 403, "forbidden");
	/* The admin's token needs the admin scope; write it does not. */
	api_token_new(s, s->admin.person_id, "read", &t);
	r = api_get(s, &t, "/api/v1/events");
	api_assert_problem(r, 403, "forbidden");
	api_assert_detail_has(r, "scope 'admin'");
	api_token_new(s, s->admin.person_id, "read,admin", &t);
	api_expect_json(api_get(s, &t, "/api/v1/events"), 200);
	r = api_get(s, &s->admin, "/api/v1/events");
	api_expect_json(r, 200);
	assert_true(json_array_size(items_of(r)) > 0);
}

static void test_filter_by_object(void **state)
{
	struct api_server *s = *state;
	int64_t id = person_with_history(s, 2);
	struct api_resp *r = events(
	    s, api_fmt("object_type=person&object_id=%lld", (long long)id));
	json_t *items = items_of(r);
	assert_int_equal(json_array_size(items), 3);
	static const char *const actions[] = {"person.update", "person.update",
					      "person.create"};
	int64_t prev = INT64_MAX;
	for (size_t i = 0; i < 3; i++) {
		json_t *ev = json_array_get(items, i);
		assert_string_equal(api_str(ev, "action"), actions[i]);
		assert_string_equal(api_str(ev, "object_type"), "person");
		assert_int_equal(api_int(ev, "object_id"), id);
		assert_true(api_int(ev, "id") < prev);
		prev = api_int(ev, "id");
	}
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));

	/* Only the type. */
	r = events(s, "object_type=person&limit=500");
	size_t i;
	json_t *ev;
	json_array_foreach(items_of(r), i, ev)
	    assert_string_equal(api_str(ev, "object_type"), "person");
	assert_true(json_array_size(items_of(r)) >= 3);

	/* Only the id: any type with that id. */
	r = events(s, api_fmt("object_id=%lld&limit=500", (long long)id));
	size_t with_id = 0;
	json_array_foreach(items_of(r), i, ev)
	{
		assert_int_equal(api_int(ev, "object_id"), id);
		with_id++;
	}
	assert_true(with_id >= 3);

	/* Another type with the same id holds none of the person's. */
	r = events(s,
		   api_fmt("object_type=group&object_id=%lld", (long long)id));
	json_array_foreach(items_of(r), i, ev)
	    assert_string_equal(api_str(ev, "object_type"), "group");

	/* Nothing matches: an empty page, no cursor. */
	r = events(s, "object_type=nothing-of-that-kind");
	assert_int_equal(json_array_size(items_of(r)), 0);
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
	r = events(s, "object_type=person&object_id=999999");
	assert_int_equal(json_array_size(items_of(r)), 0);
}

static void test_filter_by_time(void **state)
{
	struct api_server *s = *state;
	int64_t id = person_with_history(s, 0);
	const char *obj =
	    api_fmt("object_type=person&object_id=%lld", (long long)id);
	struct api_resp *r = events(s, obj);
	assert_int_equal(json_array_size(items_of(r)), 1);
	const char *at = api_str(json_array_get(items_of(r), 0), "at");
	int64_t t = parse_ms(at);
	/* The server writes what it reads. */
	assert_string_equal(format_ms(t, 0), at);

	/* since is inclusive, until exclusive, to the millisecond. */
	static const struct {
		const char *name;
		int64_t delta;
		int offset;
		size_t count;
	} cases[] = {
	    {"since", 0, 0, 1},	  {"since", 1, 0, 0},
	    {"since", -1, 0, 1},  {"until", 0, 0, 0},
	    {"until", 1, 0, 1},	  {"since", 0, 120, 1},
	    {"since", 1, 120, 0}, {"until", 0, -300, 0},
	    {"until", 1, 330, 1}, {"since", -3600000, -60, 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *q =
		    api_fmt("%s&%s=%s", obj, cases[i].name,
			    format_ms(t + cases[i].delta, cases[i].offset));
		r = events(s, q);
		if (json_array_size(items_of(r)) != cases[i].count) {
			print_error("%s: expected %zu events\n", q,
				    cases[i].count);
			api_resp_print(r);
			fail();
		}
	}
	/* Both bounds: a window around it, and an empty one. */
	r = events(s, api_fmt("%s&since=%s&until=%s", obj, format_ms(t, 0),
			      format_ms(t + 1, 0)));
	assert_int_equal(json_array_size(items_of(r)), 1);
	r = events(s, api_fmt("%s&since=%s&until=%s", obj, format_ms(t + 1, 0),
			      format_ms(t, 0)));
	assert_int_equal(json_array_size(items_of(r)), 0);
	/* Far away, whole dates, no fraction. */
	r = events(s, api_fmt("%s&since=2999-01-01T00:00:00Z", obj));
	assert_int_equal(json_array_size(items_of(r)), 0);
	r = events(s, api_fmt("%s&until=2000-01-01T00:00:00Z", obj));
	assert_int_equal(json_array_size(items_of(r)), 0);
	r = events(s, api_fmt("%s&since=2000-01-01", obj));
	assert_int_equal(json_array_size(items_of(r)), 1);
	r = events(s, api_fmt("%s&until=2999-12-31", obj));
	assert_int_equal(json_array_size(items_of(r)), 1);

	/* Not RFC 3339: 400, naming the parameter. */
	static const char *const bad[] = {
	    "yesterday",
	    "",
	    "2026-13-01T00:00:00Z",
	    "2026-02-30T00:00:00Z",
	    "2025-02-29T00:00:00Z",
	    "2026-11-27T25:00:00Z",
	    "2026-11-27T08:60:00Z",
	    "2026-11-27T08:00:00",
	    "2026-11-27T08:00:00%2B2:00",
	    "2026-11-27T08:00:00+02:00", /* '+' decodes to a space */
	    "2026-11-27T08:00:00.Z",
	    "2026-11-27T08:00Z",
	    "1700000000",
	    "2026-11-27T08:00:00Zjunk",
	    "26-11-27",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_get(s, &s->admin,
			    api_fmt("/api/v1/events?since=%s", bad[i]));
		api_assert_problem(r, 400, "validation-failed");
		api_assert_detail_has(r, "'since'");
		r = api_get(s, &s->admin,
			    api_fmt("/api/v1/events?until=%s", bad[i]));
		api_assert_problem(r, 400, "validation-failed");
		api_assert_detail_has(r, "'until'");
	}
}

static void test_paging_newest_first(void **state)
{
	struct api_server *s = *state;
	int64_t id = person_with_history(s, 5);
	const char *obj =
	    api_fmt("object_type=person&object_id=%lld", (long long)id);
	struct api_resp *all = events(s, api_fmt("%s&limit=500", obj));
	json_t *everything = items_of(all);
	assert_int_equal(json_array_size(everything), 6);

	/* Two at a time: three full pages, then an empty one. */
	const char *cursor = NULL;
	size_t seen = 0;
	int pages = 0;
	int64_t prev = INT64_MAX;
	for (;;) {
		struct api_resp *r = events(
		    s, cursor ? api_fmt("%s&limit=2&cursor=%s", obj, cursor)
			      : api_fmt("%s&limit=2", obj));
		json_t *items = items_of(r);
		size_t i;
		json_t *ev;
		json_array_foreach(items, i, ev)
		{
			int64_t eid = api_int(ev, "id");
			assert_true(eid < prev);
			prev = eid;
			assert_int_equal(
			    eid,
			    api_int(json_array_get(everything, seen), "id"));
			seen++;
		}
		pages++;
		json_t *next = json_object_get(r->json, "next_cursor");
		if (json_is_null(next))
			break;
		assert_true(json_is_string(next));
		assert_int_equal(json_array_size(items), 2);
		assert_string_equal(json_string_value(next),
				    api_fmt("%lld", (long long)prev));
		cursor = api_fmt("%s", json_string_value(next));
		assert_true(pages < 10);
	}
	assert_int_equal(seen, 6);
	assert_int_equal(pages, 4);
	assert_string_equal(api_str(json_array_get(everything, 5), "action"),
			    "person.create");

	/* Without filters the cursor works the same: every event on the
	 * next page is older. */
	struct api_resp *r = events(s, "limit=3");
	assert_int_equal(json_array_size(items_of(r)), 3);
	const char *next =
	    json_string_value(json_object_get(r->json, "next_cursor"));
	assert_non_null(next);
	int64_t c = atoll(next);
	r = events(s, api_fmt("limit=500&cursor=%s", next));
	size_t i;
	json_t *ev;
	json_array_foreach(items_of(r), i, ev)
	    assert_true(api_int(ev, "id") < c);
	/* Nothing is older than the first event. */
	r = events(s, "cursor=1");
	assert_int_equal(json_array_size(items_of(r)), 0);
}

static void test_event_fields(void **state)
{
	struct api_server *s = *state;
	/* The demo was loaded from the command line. */
	struct api_resp *r =
	    events(s, api_fmt("object_type=person&object_id=%lld&limit=500",
			      (long long)s->admin.person_id));
	json_t *items = items_of(r);
	json_t *created = NULL;
	size_t i;
	json_t *ev;
	json_array_foreach(items, i, ev)
	{
		if (strcmp(api_str(ev, "action"), "person.create") == 0)
			created = ev;
	}
	assert_non_null(created);
	assert_string_equal(api_str(created, "actor"), "cli");
	assert_true(json_is_null(json_object_get(created, "actor_id")));
	assert_string_equal(api_str(api_obj(created, "after"), "login"),
			    "hbrandt");
	/* Every event has all its members. */
	json_array_foreach(items, i, ev)
	{
		static const char *const keys[] = {
		    "id",	   "at",	"actor_id", "actor", "action",
		    "object_type", "object_id", "before",   "after",
		};
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			assert_non_null(json_object_get(ev, keys[k]));
	}

	/* A change through a token names the token. */
	struct api_auth t;
	api_token_new(s, s->admin.person_id, "read,write,admin", &t);
	int64_t id = api_person_new(s, "tokened", NULL, NULL);
	r = api_json(s, &t, "PATCH",
		     api_fmt("/api/v1/people/%lld", (long long)id),
		     "{\"name\":\"Changed by a token\"}");
	api_expect_json(r, 200);
	r = events(s, api_fmt("object_type=person&object_id=%lld&limit=1",
			      (long long)id));
	ev = json_array_get(items_of(r), 0);
	assert_string_equal(api_str(ev, "action"), "person.update");
	assert_string_equal(
	    api_str(ev, "actor"),
	    api_fmt("hbrandt (token %lld)", (long long)t.token_id));
	assert_int_equal(api_int(ev, "actor_id"), s->admin.person_id);

	/* Signing in is recorded, by the person. */
	char login[65];
	int64_t who = api_person_new(s, "signer", "signer-password-1", login);
	struct api_auth a;
	api_signin(s, login, "signer-password-1", &a);
	r = events(s, api_fmt("object_type=person&object_id=%lld&limit=1",
			      (long long)who));
	ev = json_array_get(items_of(r), 0);
	assert_string_equal(api_str(ev, "action"), "session.signin");
	assert_string_equal(api_str(ev, "actor"), login);
	assert_int_equal(api_int(ev, "actor_id"), who);

	/* A token made on the command line: actor "cli", no person. */
	struct api_auth cli;
	api_token_cli(s, login, "read", &cli);
	r = events(s, "object_type=token&limit=1");
	ev = json_array_get(items_of(r), 0);
	assert_string_equal(api_str(ev, "action"), "token.create");
	assert_string_equal(api_str(ev, "actor"), "cli");
	assert_true(json_is_null(json_object_get(ev, "actor_id")));
	assert_string_equal(api_str(api_obj(ev, "after"), "login"), login);
}

static void test_bad_parameters(void **state)
{
	struct api_server *s = *state;
	static const char *const bad[] = {
	    "object_id=abc",
	    "object_id=0",
	    "object_id=-1",
	    "object_id=1.5",
	    "object_id=",
	    "object_id=99999999999999999999",
	    "object_id=12abc",
	    "limit=0",
	    "limit=501",
	    "limit=ten",
	    "cursor=abc",
	    "cursor=-1",
	    "object_type=",
	    "object_type=%01person",
	    "object_type=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_resp *r =
		    api_get(s, &s->admin, api_fmt("/api/v1/events?%s", bad[i]));
		api_assert_problem(r, 400, NULL);
		const char *name =
		    api_fmt("%.*s", (int)strcspn(bad[i], "="), bad[i]);
		api_assert_detail_has(r, name);
	}
	/* 40 bytes of type is fine. */
	events(s, "object_type=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_admins_only),	   API_TEST(test_filter_by_object),
	    API_TEST(test_filter_by_time), API_TEST(test_paging_newest_first),
	    API_TEST(test_event_fields),   API_TEST(test_bad_parameters),
	};
	return API_RUN("events", tests);
}
