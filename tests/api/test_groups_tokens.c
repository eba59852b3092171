/*
 * test_groups_tokens.c - groups and their members, the rule that the
 * last admin cannot be removed, roles taking effect at once, and API
 * tokens from creation to revocation.
 *
 * test_last_admin runs first and relies on hbrandt being the only active
 * admin: no test in this file leaves another admin behind.
 */
#include <string.h>

#include "api/harness.h"

#define PW "groups-password-1"

static const char *group_path(int64_t id)
{
	return api_fmt("/api/v1/groups/%lld", (long long)id);
}

static const char *member_path(int64_t group, int64_t person)
{
	return api_fmt("/api/v1/groups/%lld/members/%lld", (long long)group,
		       (long long)person);
}

static const char *token_path(int64_t id)
{
	return api_fmt("/api/v1/tokens/%lld", (long long)id);
}

static struct api_resp *get_group(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(s, &s->admin, group_path(id));
	api_expect_json(r, 200);
	return r;
}

/* The members' person ids of a group, in order, into ids; returns the
 * count. */
static int members(struct api_server *s, int64_t group, int64_t *ids, int cap)
{
	struct api_resp *r =
	    api_get(s, &s->viewer,
		    api_fmt("/api/v1/groups/%lld/members", (long long)group));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_is_array(items));
	int n = 0;
	size_t i;
	json_t *m;
	json_array_foreach(items, i, m)
	{
		assert_true(n < cap);
		ids[n++] = api_int(m, "person_id");
		assert_true(json_is_string(json_object_get(m, "login")));
		assert_true(json_is_string(json_object_get(m, "name")));
	}
	return n;
}

/* The events about one object, newest first. */
static json_t *events_of(struct api_server *s, const char *type, int64_t id)
{
	struct api_resp *r =
	    api_get(s, &s->admin,
		    api_fmt("/api/v1/events?object_type=%s&object_id=%lld",
			    type, (long long)id));
	api_expect_json(r, 200);
	return json_object_get(r->json, "items");
}

static void test_last_admin(void **state)
{
	struct api_server *s = *state;
	int64_t admins = api_group_id(s, "admins");
	int64_t hbrandt = s->admin.person_id, ids[16];
	int n = members(s, admins, ids, 16);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], hbrandt);
	int64_t version = api_int(get_group(s, admins)->json, "version");

	/* Removing the last admin, demoting or deleting their group: 409,
	 * and nothing changes. */
	struct api_resp *r =
	    api_delete(s, &s->admin, member_path(admins, hbrandt));
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "last admin");
	r = api_json(s, &s->admin, "PATCH", group_path(admins),
		     "{\"role\":\"editor\"}");
	api_assert_problem(r, 409, "conflict");
	r = api_delete(s, &s->admin, group_path(admins));
	api_assert_problem(r, 409, "conflict");
	r = get_group(s, admins);
	assert_string_equal(api_str(r->json, "role"), "admin");
	assert_int_equal(api_int(r->json, "version"), version);
	assert_int_equal(api_int(r->json, "member_count"), 1);
	assert_int_equal(members(s, admins, ids, 16), 1);
	r = api_get(s, &s->admin, "/api/v1/session");
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "person"), "role"),
			    "admin");

	/* An inactive admin elsewhere does not count. */
	int64_t inactive_group = api_group_new(s, "admins-b", "admin");
	int64_t sleeper = api_person_new(s, "sleeper", NULL, NULL);
	api_member_add(s, inactive_group, sleeper);
	api_expect_status(
	    api_delete(s, &s->admin,
		       api_fmt("/api/v1/people/%lld", (long long)sleeper)),
	    204);
	r = api_delete(s, &s->admin, member_path(admins, hbrandt));
	api_assert_problem(r, 409, "conflict");

	/* With hbrandt still there, another admin may go. */
	int64_t other_group = api_group_new(s, "admins-c", "admin");
	int64_t other = api_person_new(s, "second-admin", NULL, NULL);
	api_member_add(s, other_group, other);
	api_expect_status(
	    api_delete(s, &s->admin, member_path(other_group, other)), 204);
	r = api_json(s, &s->admin, "PATCH", group_path(other_group),
		     "{\"role\":\"viewer\"}");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "role"), "viewer");
	api_expect_status(api_delete(s, &s->admin, group_path(inactive_group)),
			  204);
	api_expect_status(api_delete(s, &s->admin, group_path(other_group)),
			  204);
	assert_int_equal(members(s, admins, ids, 16), 1);
}

static void test_group_crud(void **state)
{
	struct api_server *s = *state;
	const char *name = api_unique("Group ");
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/groups",
		     api_fmt("{\"name\":\"%s\",\"description\":\"First line\\n"
			     "second line\",\"role\":\"editor\"}",
			     name));
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	assert_non_null(r->location);
	assert_string_equal(r->location, group_path(id));
	assert_non_null(r->etag);
	assert_string_equal(r->etag, "\"v1\"");
	assert_string_equal(api_str(r->json, "name"), name);
	assert_string_equal(api_str(r->json, "description"),
			    "First line\nsecond line");
	assert_string_equal(api_str(r->json, "role"), "editor");
	assert_int_equal(api_int(r->json, "member_count"), 0);
	assert_int_equal(api_int(r->json, "version"), 1);
	assert_true(json_is_string(json_object_get(r->json, "created_at")));
	json_t *created = json_incref(r->json);

	/* Read back by a viewer, and found in the list. */
	struct api_resp *g = api_get(s, &s->viewer, group_path(id));
	api_expect_json(g, 200);
	assert_true(json_equal(g->json, created));
	json_decref(created);
	assert_int_equal(api_group_id(s, name), id);

	/* Defaults: no role, empty description. */
	r = api_json(s, &s->admin, "POST", "/api/v1/groups",
		     api_fmt("{\"name\":\"%s\"}", api_unique("plain")));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "role"), "none");
	assert_string_equal(api_str(r->json, "description"), "");

	/* PATCH with If-Match. */
	const char *renamed = api_unique("Renamed ");
	r = api_json_h(s, &s->admin, "PATCH", group_path(id),
		       api_fmt("{\"name\":\"%s\"}", renamed),
		       "If-Match: \"v1\"");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "version"), 2);
	assert_string_equal(r->etag, "\"v2\"");
	assert_string_equal(api_str(r->json, "description"),
			    "First line\nsecond line");
	r = api_json_h(s, &s->admin, "PATCH", group_path(id),
		       "{\"name\":\"Lost update\"}", "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");
	r = get_group(s, id);
	assert_string_equal(api_str(r->json, "name"), renamed);
	assert_int_equal(api_int(r->json, "version"), 2);

	/* Names are unique. */
	r = api_json(s, &s->admin, "POST", "/api/v1/groups",
		     api_fmt("{\"name\":\"%s\"}", renamed));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->admin, "PATCH", group_path(id),
		     "{\"name\":\"editors\"}");
	api_assert_problem(r, 409, "conflict");
	assert_string_equal(api_str(get_group(s, id)->json, "name"), renamed);

	/* Validation. */
	char long_desc[2100];
	memset(long_desc, 'd', 2001);
	long_desc[2001] = '\0';
	const char *bad[] = {
	    "{\"name\":\"x\",\"role\":\"superuser\"}",
	    "{\"name\":\"x\",\"role\":3}",
	    "{\"name\":\"\"}",
	    "{\"description\":\"no name\"}",
	    "{\"name\":\"x\",\"members\":[]}",
	    api_fmt("{\"name\":\"x\",\"description\":\"%s\"}", long_desc),
	    "{\"name\":\"x\",\"description\":5}",
	    "{\"name\":\"two\\nlines\"}",
	    "{\"name\":null}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_json(s, &s->admin, "POST", "/api/v1/groups", bad[i]);
		api_assert_problem(r, 400, NULL);
	}
	r = api_json(
	    s, &s->admin, "POST", "/api/v1/groups",
	    api_fmt("{\"name\":\"x\",\"description\":\"%s\"}", long_desc));
	api_assert_detail_has(r, "2000");
	r = api_json(s, &s->admin, "PATCH", group_path(id),
		     "{\"role\":\"root\"}");
	api_assert_problem(r, 400, "validation-failed");
	assert_int_equal(api_int(get_group(s, id)->json, "version"), 2);

	/* Delete; then it is gone. */
	r = api_delete(s, &s->admin, group_path(id));
	api_expect_status(r, 204);
	api_assert_problem(api_get(s, &s->admin, group_path(id)), 404,
			   "not-found");
	api_assert_problem(api_delete(s, &s->admin, group_path(id)), 404,
			   "not-found");
	api_assert_problem(api_json(s, &s->admin, "PATCH", group_path(id),
				    "{\"name\":\"ghost\"}"),
			   404, "not-found");
	api_assert_problem(api_get(s, &s->admin, "/api/v1/groups/abc"), 404,
			   "not-found");

	/* The history: create, update, delete. */
	json_t *items = events_of(s, "group", id);
	assert_int_equal(json_array_size(items), 3);
	assert_string_equal(api_str(json_array_get(items, 0), "action"),
			    "group.delete");
	assert_string_equal(
	    api_str(api_obj(json_array_get(items, 0), "before"), "name"),
	    renamed);
	assert_true(
	    json_is_null(json_object_get(json_array_get(items, 0), "after")));
	assert_string_equal(api_str(json_array_get(items, 1), "action"),
			    "group.update");
	assert_string_equal(api_str(json_array_get(items, 2), "action"),
			    "group.create");
}

static void test_membership(void **state)
{
	struct api_server *s = *state;
	int64_t g = api_group_new(s, "members", "none");
	char login[65];
	int64_t p1 = api_person_new(s, "member", NULL, login);
	int64_t p2 = api_person_new(s, "member", NULL, NULL);
	int64_t ids[8];

	/* First time 201, again 204: PUT is idempotent. */
	struct api_resp *r =
	    api_json(s, &s->admin, "PUT", member_path(g, p1), NULL);
	api_expect_status(r, 201);
	assert_int_equal(r->body_len, 0);
	r = api_json(s, &s->admin, "PUT", member_path(g, p1), NULL);
	api_expect_status(r, 204);
	api_expect_status(
	    api_json(s, &s->admin, "PUT", member_path(g, p2), NULL), 201);
	assert_int_equal(members(s, g, ids, 8), 2);
	assert_int_equal(ids[0], p1);
	assert_int_equal(ids[1], p2);
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/groups/%lld/members", (long long)g));
	assert_string_equal(
	    api_str(json_array_get(json_object_get(r->json, "items"), 0),
		    "login"),
	    login);
	assert_int_equal(api_int(get_group(s, g)->json, "member_count"), 2);

	/* Remove: 204, then 404. */
	api_expect_status(api_delete(s, &s->admin, member_path(g, p1)), 204);
	r = api_delete(s, &s->admin, member_path(g, p1));
	api_assert_problem(r, 404, "not-found");
	assert_int_equal(members(s, g, ids, 8), 1);
	assert_int_equal(ids[0], p2);

	/* Unknown people and groups. */
	r = api_json(s, &s->admin, "PUT", member_path(g, 999999), NULL);
	api_assert_problem(r, 404, "not-found");
	api_assert_detail_has(r, "person");
	r = api_json(s, &s->admin, "PUT", member_path(999999, p1), NULL);
	api_assert_problem(r, 404, "not-found");
	api_assert_detail_has(r, "group");
	r = api_json(s, &s->admin, "PUT",
		     api_fmt("/api/v1/groups/%lld/members/x", (long long)g),
		     NULL);
	api_assert_problem(r, 404, "not-found");
	r = api_get(s, &s->admin, "/api/v1/groups/999999/members");
	api_assert_problem(r, 404, "not-found");
	assert_int_equal(members(s, g, ids, 8), 1);

	/* Each change is an event on the group; the PUT that changed
	 * nothing and the refusals are not. */
	json_t *items = events_of(s, "group", g);
	assert_int_equal(json_array_size(items), 4);
	json_t *removed = json_array_get(items, 0);
	assert_string_equal(api_str(removed, "action"), "group.member.remove");
	assert_int_equal(api_int(api_obj(removed, "before"), "person_id"), p1);
	assert_true(json_is_null(json_object_get(removed, "after")));
	json_t *added = json_array_get(items, 2);
	assert_string_equal(api_str(added, "action"), "group.member.add");
	assert_int_equal(api_int(api_obj(added, "after"), "person_id"), p1);
	assert_int_equal(api_int(api_obj(added, "after"), "group_id"), g);
}

static void test_role_change_next_request(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t v = api_person_new(s, "climber", PW, login);
	struct api_auth session, token;
	api_signin(s, login, PW, &session);
	api_token_new(s, v, "read,write,admin", &token);
	const char *new_person = NULL;
#define CREATE(a)                                                              \
	(new_person = api_unique("made"),                                      \
	 api_json(s, a, "POST", "/api/v1/people",                              \
		  api_fmt("{\"login\":\"%s\",\"name\":\"N\",\"email\":"        \
			  "\"%s@example.org\"}",                               \
			  new_person, new_person)))

	struct api_resp *r = api_get(s, &session, "/api/v1/session");
	assert_string_equal(api_str(api_obj(r->json, "person"), "role"),
			    "viewer");
	r = CREATE(&session);
	api_assert_problem(r, 403, "forbidden");
	api_assert_detail_has(r, "you have 'viewer'");

	/* Into the editors: the same session is an editor at once. */
	api_member_add(s, api_group_id(s, "editors"), v);
	r = api_get(s, &session, "/api/v1/session");
	assert_string_equal(api_str(api_obj(r->json, "person"), "role"),
			    "editor");
	r = api_get(s, &s->admin, api_fmt("/api/v1/people/%lld", (long long)v));
	assert_string_equal(api_str(r->json, "role"), "editor");
	r = CREATE(&session);
	api_assert_problem(r, 403, "forbidden");
	api_assert_detail_has(r, "you have 'editor'");

	/* Into an admin group: session and token may manage people. */
	int64_t ga = api_group_new(s, "climb-admins", "admin");
	api_member_add(s, ga, v);
	api_expect_json(CREATE(&session), 201);
	api_expect_json(CREATE(&token), 201);
	api_expect_json(api_get(s, &token, "/api/v1/tokens"), 200);

	/* The group stops granting admin: at once. */
	r = api_json(s, &s->admin, "PATCH", group_path(ga),
		     "{\"role\":\"viewer\"}");
	api_expect_json(r, 200);
	api_assert_problem(CREATE(&session), 403, "forbidden");
	api_assert_problem(CREATE(&token), 403, "forbidden");
	api_assert_problem(api_get(s, &token, "/api/v1/tokens"), 403,
			   "forbidden");

	/* Back to admin, then out of the group. */
	api_expect_json(api_json(s, &s->admin, "PATCH", group_path(ga),
				 "{\"role\":\"admin\"}"),
			200);
	api_expect_json(CREATE(&token), 201);
	api_expect_status(api_delete(s, &s->admin, member_path(ga, v)), 204);
	api_assert_problem(CREATE(&session), 403, "forbidden");

	/* Deleting a group ends its memberships. */
	api_member_add(s, ga, v);
	api_expect_json(CREATE(&session), 201);
	api_expect_status(api_delete(s, &s->admin, group_path(ga)), 204);
	r = CREATE(&session);
	api_assert_problem(r, 403, "forbidden");
	api_assert_detail_has(r, "you have 'editor'");

	/* And out of the editors again. */
	api_expect_status(
	    api_delete(s, &s->admin,
		       member_path(api_group_id(s, "editors"), v)),
	    204);
	r = api_get(s, &session, "/api/v1/session");
	assert_string_equal(api_str(api_obj(r->json, "person"), "role"),
			    "viewer");
#undef CREATE
}

static void test_token_lifecycle(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t p = api_person_new(s, "holder", NULL, login);

	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/tokens",
		     api_fmt("{\"login\":\"%s\",\"name\":\"ci pipeline\","
			     "\"scopes\":[\"read\",\"write\"]}",
			     login));
	api_expect_json(r, 201);
	json_t *t = api_obj(r->json, "token");
	assert_non_null(t);
	int64_t id = api_int(t, "id");
	assert_non_null(r->location);
	assert_string_equal(r->location, token_path(id));
	assert_int_equal(api_int(t, "person_id"), p);
	assert_string_equal(api_str(t, "login"), login);
	assert_string_equal(api_str(t, "name"), "ci pipeline");
	json_t *scopes = json_object_get(t, "scopes");
	assert_int_equal(json_array_size(scopes), 2);
	assert_string_equal(json_string_value(json_array_get(scopes, 0)),
			    "read");
	assert_string_equal(json_string_value(json_array_get(scopes, 1)),
			    "write");
	assert_true(json_is_string(json_object_get(t, "created_at")));
	assert_true(json_is_null(json_object_get(t, "last_used_at")));
	assert_true(json_is_null(json_object_get(t, "revoked_at")));
	assert_null(json_object_get(t, "secret"));
	assert_null(json_object_get(t, "digest"));
	/* The secret, shown this once. */
	const char *secret = api_fmt("%s", api_str(r->json, "secret"));
	assert_int_equal(strlen(secret), 47);
	assert_true(strncmp(secret, "ddt_", 4) == 0);

	/* Listed and read back without it. */
	r = api_get(s, &s->admin, "/api/v1/tokens?limit=500");
	api_expect_json(r, 200);
	assert_null(strstr(r->body, secret));
	assert_null(strstr(r->body, secret + 4));
	int listed = 0;
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(r->json, "items"), i, item)
	{
		assert_null(json_object_get(item, "secret"));
		if (api_int(item, "id") == id)
			listed++;
	}
	assert_int_equal(listed, 1);
	r = api_get(s, &s->admin, token_path(id));
	api_expect_json(r, 200);
	assert_null(json_object_get(r->json, "secret"));
	assert_null(strstr(r->body, secret + 4));
	assert_true(json_is_null(json_object_get(r->json, "last_used_at")));

	/* It works as a bearer token, for its person; its use is
	 * recorded. */
	struct api_auth bearer = {0};
	strcpy(bearer.bearer, secret);
	r = api_get(s, &bearer, "/api/v1/session");
	api_expect_json(r, 200);
	assert_int_equal(api_int(api_obj(r->json, "person"), "id"), p);
	r = api_get(s, &s->admin, token_path(id));
	assert_true(json_is_string(json_object_get(r->json, "last_used_at")));
	/* "bearer" is not case-sensitive. */
	struct api_req q = {
	    .method = "GET",
	    .path = "/api/v1/session",
	    .headers = (const char *const[]){
		api_fmt("Authorization: bearer %s", secret), NULL}};
	api_expect_json(api_send(s, &q), 200);

	/* Its scopes limit it: write without admin. */
	r = api_json(s, &bearer, "POST", "/api/v1/groups", "{\"name\":\"x\"}");
	api_assert_problem(r, 403, "forbidden");
	api_assert_detail_has(r, "lacks the scope 'admin'");
	struct api_auth read_only;
	api_token_new(s, p, "read", &read_only);
	api_expect_json(api_get(s, &read_only, "/api/v1/people"), 200);
	r = api_json(s, &read_only, "POST", "/api/v1/me/password",
		     "{\"current_password\":\"whatever1\","
		     "\"new_password\":\"whatever2\"}");
	api_assert_problem(r, 403, "forbidden");
	api_assert_detail_has(r, "lacks the scope 'write'");

	/* Revoked: 401 from then on, still listed, revoking again is
	 * fine. */
	r = api_delete(s, &s->admin, token_path(id));
	api_expect_status(r, 204);
	r = api_get(s, &bearer, "/api/v1/session");
	api_assert_problem(r, 401, "unauthenticated");
	api_assert_detail_has(r, "revoked");
	r = api_get(s, &s->admin, token_path(id));
	api_expect_json(r, 200);
	assert_true(json_is_string(json_object_get(r->json, "revoked_at")));
	api_expect_status(api_delete(s, &s->admin, token_path(id)), 204);
	api_assert_problem(api_delete(s, &s->admin, token_path(999999)), 404,
			   "not-found");
	api_assert_problem(api_get(s, &s->admin, token_path(999999)), 404,
			   "not-found");
	/* The other token of the person still works. */
	api_expect_json(api_get(s, &read_only, "/api/v1/people"), 200);

	/* The history: created, revoked (once); never the secret. */
	json_t *items = events_of(s, "token", id);
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(api_str(json_array_get(items, 0), "action"),
			    "token.revoke");
	assert_true(json_is_null(json_object_get(
	    api_obj(json_array_get(items, 0), "before"), "revoked_at")));
	assert_true(json_is_string(json_object_get(
	    api_obj(json_array_get(items, 0), "after"), "revoked_at")));
	assert_string_equal(api_str(json_array_get(items, 1), "action"),
			    "token.create");
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/events?object_type=token&object_id=%lld",
			    (long long)id));
	assert_null(strstr(r->body, secret + 4));

	/* One from the command line works the same. */
	struct api_auth cli;
	api_token_cli(s, login, "read", &cli);
	r = api_get(s, &cli, "/api/v1/session");
	api_expect_json(r, 200);
	assert_int_equal(api_int(api_obj(r->json, "person"), "id"), p);
	api_assert_problem(
	    api_json(s, &cli, "POST", "/api/v1/me/password", "{}"), 403,
	    "forbidden");
}

static void test_token_validation(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t p = api_person_new(s, "holder", NULL, login);
	struct api_resp *list =
	    api_get(s, &s->admin, "/api/v1/tokens?limit=500");
	size_t before = json_array_size(json_object_get(list->json, "items"));
	const struct {
		const char *body;
		int status;
	} cases[] = {
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\",\"scopes\":[]}",
		     (long long)p),
	     400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\"}", (long long)p), 400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\",\"scopes\":"
		     "[\"root\"]}",
		     (long long)p),
	     400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\",\"scopes\":"
		     "[\"read\",\"read\"]}",
		     (long long)p),
	     400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\",\"scopes\":"
		     "[\"read,write\"]}",
		     (long long)p),
	     400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\",\"scopes\":"
		     "\"read\"}",
		     (long long)p),
	     400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\",\"scopes\":"
		     "[\"read\",\"write\",\"admin\",\"mail:ingest\","
		     "\"phone:route\",\"read\",\"write\",\"admin\","
		     "\"mail:ingest\",\"phone:route\",\"read\",\"write\","
		     "\"admin\",\"mail:ingest\",\"phone:route\",\"read\","
		     "\"write\"]}",
		     (long long)p),
	     400},
	    {api_fmt("{\"person_id\":%lld,\"scopes\":[\"read\"]}",
		     (long long)p),
	     400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"\",\"scopes\":"
		     "[\"read\"]}",
		     (long long)p),
	     400},
	    {"{\"name\":\"t\",\"scopes\":[\"read\"]}", 400},
	    {api_fmt("{\"person_id\":%lld,\"name\":\"t\",\"scopes\":"
		     "[\"read\"],\"expires\":\"never\"}",
		     (long long)p),
	     400},
	    {"{\"login\":\"nobody-by-that-name\",\"name\":\"t\","
	     "\"scopes\":[\"read\"]}",
	     404},
	    {"{\"person_id\":999999,\"name\":\"t\",\"scopes\":[\"read\"]}",
	     404},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct api_resp *r = api_json(s, &s->admin, "POST",
					      "/api/v1/tokens", cases[i].body);
		api_assert_problem(r, cases[i].status, NULL);
		assert_null(json_object_get(r->json, "secret"));
	}
	list = api_get(s, &s->admin, "/api/v1/tokens?limit=500");
	assert_int_equal(json_array_size(json_object_get(list->json, "items")),
			 before);

	/* Every scope there is, in the order of the list. */
	struct api_resp *r = api_json(
	    s, &s->admin, "POST", "/api/v1/tokens",
	    api_fmt("{\"person_id\":%lld,\"name\":\"all\",\"scopes\":"
		    "[\"phone:route\",\"mail:ingest\",\"admin\",\"write\","
		    "\"read\"]}",
		    (long long)p));
	api_expect_json(r, 201);
	json_t *scopes = json_object_get(api_obj(r->json, "token"), "scopes");
	assert_int_equal(json_array_size(scopes), 5);
	assert_string_equal(json_string_value(json_array_get(scopes, 0)),
			    "read");
	assert_string_equal(json_string_value(json_array_get(scopes, 4)),
			    "phone:route");
}

static void test_token_inactive_person(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t p = api_person_new(s, "leaver", NULL, login);
	const char *person = api_fmt("/api/v1/people/%lld", (long long)p);
	struct api_auth t;
	api_token_new(s, p, "read", &t);
	api_expect_json(api_get(s, &t, "/api/v1/session"), 200);

	/* The person leaves: the token stops working, no new ones. */
	api_expect_status(api_delete(s, &s->admin, person), 204);
	api_assert_problem(api_get(s, &t, "/api/v1/session"), 401,
			   "unauthenticated");
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/tokens",
		     api_fmt("{\"person_id\":%lld,\"name\":\"late\",\"scopes\":"
			     "[\"read\"]}",
			     (long long)p));
	api_assert_problem(r, 409, "conflict");

	/* Its token may still be revoked. */
	api_expect_status(api_delete(s, &s->admin, token_path(t.token_id)),
			  204);
	r = api_get(s, &s->admin, token_path(t.token_id));
	api_expect_json(r, 200);
	assert_true(json_is_string(json_object_get(r->json, "revoked_at")));

	/* Back again: the revoked token stays revoked; a new one works. */
	api_expect_json(
	    api_json(s, &s->admin, "PATCH", person, "{\"active\":true}"), 200);
	api_assert_problem(api_get(s, &t, "/api/v1/session"), 401,
			   "unauthenticated");
	struct api_auth t2;
	api_token_new(s, p, "read", &t2);
	r = api_get(s, &t2, "/api/v1/session");
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "person"), "login"),
			    login);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_last_admin),
	    API_TEST(test_group_crud),
	    API_TEST(test_membership),
	    API_TEST(test_role_change_next_request),
	    API_TEST(test_token_lifecycle),
	    API_TEST(test_token_validation),
	    API_TEST(test_token_inactive_person),
	};
	return API_RUN("groups_tokens", tests);
}
