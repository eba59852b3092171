/*
 * test_permissions.c - the permission matrix, walked over HTTP.
 *
 * The table below states, route by route, the role each route demands
 * and how to make a request to it that succeeds. One test checks the
 * table against dd_routes (src/http/routes.c): a route whose demanded
 * role changes, or a row for a route that is gone, fails it. The other
 * tests take one kind of caller each (anonymous, viewer, editor, admin;
 * by session and by tokens of various scopes) through every route in
 * dd_routes:
 *
 *   - a caller who must be refused gets exactly 401 (anonymous) or 403
 *     (naming the missing scope or role), and the target of an unsafe
 *     request is unchanged afterwards;
 *   - a caller who may pass gets the route's success status.
 *
 * Routes added to routes.c without a row here are still walked for the
 * refusals (any path parameter is "1", an unsafe request carries "{}");
 * allowed safe requests must then merely not be refused or fail, and
 * allowed unsafe ones are skipped, as there is no valid body for them.
 * The table check prints such routes so they get a row.
 *
 * Who may do what (people/authz.h): a session holds every scope; a token
 * holds its scopes. A route needs "read" (safe methods) or "write"
 * (unsafe ones), plus "admin" on admin routes, and a role of at least
 * the route's.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "http/router.h"
#include "people/authz.h"

#define PERM_PW "permission-password-1"

struct principal {
	const char *label;
	struct api_auth auth;
	int anonymous;
	int is_token;
	enum dd_role role; /* effective role */
	unsigned scopes;
};

/* One concrete request for a route. */
struct call {
	const char *path;
	const char *body; /* NULL: none */
	long ok_status;	  /* what an allowed caller gets */
	int64_t person_id, group_id, token_id, duty_id; /* targets */
	const char *week;				/* a Monday */
};

enum verify {
	V_NONE,
	V_PERSON,     /* person_id: version 1, active, no password */
	V_GROUP,      /* group_id: exists, version 1 */
	V_MEMBERS_0,  /* group_id: no members */
	V_MEMBERS_1,  /* group_id: one member */
	V_TOKEN,      /* token_id: not revoked */
	V_DUTY,	      /* duty_id: exists, version 1 */
	V_ROTA_OUT,   /* person_id: not a rota member */
	V_ROTA_IN,    /* person_id: a rota member */
	V_WEEK_NONE,  /* week: no plan */
	V_WEEK_DRAFT, /* week: a draft plan */
};

typedef void (*prep_fn)(struct api_server *s, const struct principal *p,
			struct call *c);

struct row {
	enum dd_method method;
	const char *pattern;
	enum dd_role min_role;
	prep_fn prep;
	enum verify verify;
};

/* A person with a password for the sign-in route, made once per
 * server. */
static struct {
	char db_url[1200];
	char login[65];
} fixture;

static const char *signin_login(struct api_server *s)
{
	if (strcmp(fixture.db_url, s->db_url) != 0) {
		api_person_new(s, "perm-signin", PERM_PW, fixture.login);
		snprintf(fixture.db_url, sizeof(fixture.db_url), "%s",
			 s->db_url);
	}
	return fixture.login;
}

static const char *person_path(int64_t id)
{
	return api_fmt("/api/v1/people/%lld", (long long)id);
}

static const char *group_path(int64_t id)
{
	return api_fmt("/api/v1/groups/%lld", (long long)id);
}

/* ---- how to call each route successfully ---- */

static void p_healthz(struct api_server *s, const struct principal *p,
		      struct call *c)
{
	c->path = "/healthz";
	c->ok_status = 200;
}

static void p_readyz(struct api_server *s, const struct principal *p,
		     struct call *c)
{
	c->path = "/readyz";
	c->ok_status = 200;
}

static void p_session_create(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	c->path = "/api/v1/session";
	c->body = api_fmt("{\"login\":\"%s\",\"password\":\"" PERM_PW "\"}",
			  signin_login(s));
	c->ok_status = 201;
}

static void p_session_get(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/session";
	c->ok_status = 200;
}

static void p_session_delete(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	c->path = "/api/v1/session";
	/* A token passes the permission check, but is no session. */
	c->ok_status = p->is_token ? 400 : 204;
}

static void p_me_password(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/me/password";
	c->body = "{\"current_password\":\"" PERM_PW
		  "\",\"new_password\":\"" PERM_PW "\"}";
	c->ok_status = 204;
}

static void p_people_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/people?limit=5";
	c->ok_status = 200;
}

static void p_people_create(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	const char *l = api_unique("perm-new");
	c->path = "/api/v1/people";
	c->body = api_fmt("{\"login\":\"%s\",\"name\":\"N\",\"email\":"
			  "\"%s@example.org\"}",
			  l, l);
	c->ok_status = 201;
}

static void p_people_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = person_path(s->admin.person_id);
	c->ok_status = 200;
}

static void p_people_patch(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->person_id = api_person_new(s, "perm-target", NULL, NULL);
	c->path = person_path(c->person_id);
	c->body = "{\"name\":\"Renamed by permission test\"}";
	c->ok_status = 200;
}

static void p_people_delete(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->person_id = api_person_new(s, "perm-target", NULL, NULL);
	c->path = person_path(c->person_id);
	c->ok_status = 204;
}

static void p_people_password(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	c->person_id = api_person_new(s, "perm-target", NULL, NULL);
	c->path =
	    api_fmt("/api/v1/people/%lld/password", (long long)c->person_id);
	c->body = "{\"password\":\"set-by-the-admin-1\"}";
	c->ok_status = 204;
}

static void p_groups_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/groups";
	c->ok_status = 200;
}

static void p_groups_create(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/groups";
	c->body = api_fmt("{\"name\":\"%s\"}", api_unique("perm-group"));
	c->ok_status = 201;
}

static void p_groups_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->group_id = api_group_new(s, "perm-group", "none");
	c->path = group_path(c->group_id);
	c->ok_status = 200;
}

static void p_groups_patch(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->group_id = api_group_new(s, "perm-group", "none");
	c->path = group_path(c->group_id);
	c->body = "{\"description\":\"changed by the permission test\"}";
	c->ok_status = 200;
}

static void p_groups_delete(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->group_id = api_group_new(s, "perm-group", "none");
	c->path = group_path(c->group_id);
	c->ok_status = 204;
}

static void p_members_list(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->group_id = api_group_new(s, "perm-group", "none");
	c->path =
	    api_fmt("/api/v1/groups/%lld/members", (long long)c->group_id);
	c->ok_status = 200;
}

static void p_members_put(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->group_id = api_group_new(s, "perm-group", "none");
	c->person_id = api_person_new(s, "perm-member", NULL, NULL);
	c->path = api_fmt("/api/v1/groups/%lld/members/%lld",
			  (long long)c->group_id, (long long)c->person_id);
	c->ok_status = 201;
}

static void p_members_delete(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	p_members_put(s, p, c);
	api_member_add(s, c->group_id, c->person_id);
	c->ok_status = 204;
}

static void p_tokens_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/tokens";
	c->ok_status = 200;
}

static void p_tokens_create(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->person_id = api_person_new(s, "perm-holder", NULL, NULL);
	c->path = "/api/v1/tokens";
	c->body = api_fmt("{\"person_id\":%lld,\"name\":\"perm\","
			  "\"scopes\":[\"read\"]}",
			  (long long)c->person_id);
	c->ok_status = 201;
}

static void p_tokens_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	struct api_auth t;
	int64_t holder = api_person_new(s, "perm-holder", NULL, NULL);
	api_token_new(s, holder, "read", &t);
	c->token_id = t.token_id;
	c->path = api_fmt("/api/v1/tokens/%lld", (long long)t.token_id);
	c->ok_status = 200;
}

static void p_tokens_delete(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_tokens_get(s, p, c);
	c->ok_status = 204;
}

static void p_events(struct api_server *s, const struct principal *p,
		     struct call *c)
{
	c->path = "/api/v1/events?limit=5";
	c->ok_status = 200;
}

/* ---- the rota ---- */

/* A date ("2036-01-07") days after a Monday in the future that no one
 * plans for, a different one each call. */
static const char *future_day(int days)
{
	static int weeks;
	struct tm tm = {.tm_year = 2036 - 1900, .tm_mon = 0, .tm_mday = 7};
	time_t t = timegm(&tm) + (time_t)(weeks++ * 7 + days) * 86400;
	char text[16];
	gmtime_r(&t, &tm);
	strftime(text, sizeof(text), "%Y-%m-%d", &tm);
	return api_fmt("%s", text);
}

static int64_t new_duty(struct api_server *s)
{
	struct api_resp *r = api_json(
	    s, &s->admin, "POST", "/api/v1/duties",
	    api_fmt("{\"name\":\"%s\",\"slot\":0}", api_unique("perm-duty")));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

/* A draft plan for a new week, made by the admin. */
static const char *new_week(struct api_server *s)
{
	const char *week = future_day(0);
	struct api_resp *r = api_json(s, &s->admin, "PUT",
				      api_fmt("/api/v1/rota/weeks/%s", week),
				      api_fmt("{\"first_person_id\":%lld,"
					      "\"second_person_id\":%lld}",
					      (long long)s->admin.person_id,
					      (long long)s->editor.person_id));
	api_expect_json(r, 200);
	return week;
}

static void p_calendar_get(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/calendar";
	c->ok_status = 200;
}

static void p_calendar_put(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/calendar";
	c->body = "{}"; /* keeps every setting */
	c->ok_status = 200;
}

static void p_duties_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/duties";
	c->ok_status = 200;
}

static void p_duties_create(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/duties";
	c->body =
	    api_fmt("{\"name\":\"%s\",\"slot\":1}", api_unique("perm-duty"));
	c->ok_status = 201;
}

static void p_duties_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->duty_id = new_duty(s);
	c->path = api_fmt("/api/v1/duties/%lld", (long long)c->duty_id);
	c->ok_status = 200;
}

static void p_duties_patch(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_duties_get(s, p, c);
	c->body = "{\"description\":\"changed by the permission test\"}";
}

static void p_duties_delete(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_duties_get(s, p, c);
	c->ok_status = 204;
}

static void p_rota_members_list(struct api_server *s, const struct principal *p,
				struct call *c)
{
	c->path = "/api/v1/rota/members";
	c->ok_status = 200;
}

static void p_rota_members_put(struct api_server *s, const struct principal *p,
			       struct call *c)
{
	c->person_id = api_person_new(s, "perm-rota", NULL, NULL);
	c->path = api_fmt("/api/v1/rota/members/%lld", (long long)c->person_id);
	c->ok_status = 201;
}

static void p_rota_members_delete(struct api_server *s,
				  const struct principal *p, struct call *c)
{
	p_rota_members_put(s, p, c);
	api_expect_status(api_json(s, &s->admin, "PUT", c->path, NULL), 201);
	c->ok_status = 204;
}

static void p_weeks_list(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = "/api/v1/rota/weeks";
	c->ok_status = 200;
}

static void p_weeks_get(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->week = new_week(s);
	c->path = api_fmt("/api/v1/rota/weeks/%s", c->week);
	c->ok_status = 200;
}

static void p_weeks_put(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->week = future_day(0);
	c->path = api_fmt("/api/v1/rota/weeks/%s", c->week);
	c->body = api_fmt(
	    "{\"first_person_id\":%lld,\"second_person_id\":%lld}",
	    (long long)s->editor.person_id, (long long)s->admin.person_id);
	c->ok_status = 200;
}

static void p_weeks_delete(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_weeks_get(s, p, c);
	c->ok_status = 204;
}

static void p_weeks_publish(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_weeks_get(s, p, c);
	c->path = api_fmt("/api/v1/rota/weeks/%s/publish", c->week);
}

static void p_days_list(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = "/api/v1/rota/days";
	c->ok_status = 200;
}

static void p_days_put(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	/* The first demo duty runs on weekdays: a Wednesday. */
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/duties");
	api_expect_json(r, 200);
	int64_t duty =
	    api_int(json_array_get(json_object_get(r->json, "items"), 0), "id");
	c->path = api_fmt("/api/v1/rota/days/%s/%lld", future_day(2),
			  (long long)duty);
	c->body =
	    api_fmt("{\"person_id\":%lld}", (long long)s->admin.person_id);
	c->ok_status = 200;
}

static void p_proposals(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = "/api/v1/rota/proposals";
	c->body = "{\"weeks\":1}"; /* not saved */
	c->ok_status = 200;
}

static void p_oncall_now(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = "/api/v1/oncall/now";
	c->ok_status = 200;
}

static void p_oncall_at(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = "/api/v1/oncall?at=2026-11-27T17:30:00Z";
	c->ok_status = 200;
}

/* The matrix as this test states it; test_table_matches_routes holds
 * it against routes.c. */
static const struct row rows[] = {
    {DD_GET, "/healthz", DD_ROLE_NONE, p_healthz, V_NONE},
    {DD_GET, "/readyz", DD_ROLE_NONE, p_readyz, V_NONE},
    {DD_POST, "/api/v1/session", DD_ROLE_NONE, p_session_create, V_NONE},
    {DD_GET, "/api/v1/session", DD_ROLE_VIEWER, p_session_get, V_NONE},
    {DD_DELETE, "/api/v1/session", DD_ROLE_VIEWER, p_session_delete, V_NONE},
    {DD_POST, "/api/v1/me/password", DD_ROLE_VIEWER, p_me_password, V_NONE},
    {DD_GET, "/api/v1/people", DD_ROLE_VIEWER, p_people_list, V_NONE},
    {DD_POST, "/api/v1/people", DD_ROLE_ADMIN, p_people_create, V_NONE},
    {DD_GET, "/api/v1/people/{id}", DD_ROLE_VIEWER, p_people_get, V_NONE},
    {DD_PATCH, "/api/v1/people/{id}", DD_ROLE_ADMIN, p_people_patch, V_PERSON},
    {DD_DELETE, "/api/v1/people/{id}", DD_ROLE_ADMIN, p_people_delete,
     V_PERSON},
    {DD_PUT, "/api/v1/people/{id}/password", DD_ROLE_ADMIN, p_people_password,
     V_PERSON},
    {DD_GET, "/api/v1/groups", DD_ROLE_VIEWER, p_groups_list, V_NONE},
    {DD_POST, "/api/v1/groups", DD_ROLE_ADMIN, p_groups_create, V_NONE},
    {DD_GET, "/api/v1/groups/{id}", DD_ROLE_VIEWER, p_groups_get, V_NONE},
    {DD_PATCH, "/api/v1/groups/{id}", DD_ROLE_ADMIN, p_groups_patch, V_GROUP},
    {DD_DELETE, "/api/v1/groups/{id}", DD_ROLE_ADMIN, p_groups_delete, V_GROUP},
    {DD_GET, "/api/v1/groups/{id}/members", DD_ROLE_VIEWER, p_members_list,
     V_NONE},
    {DD_PUT, "/api/v1/groups/{id}/members/{person_id}", DD_ROLE_ADMIN,
     p_members_put, V_MEMBERS_0},
    {DD_DELETE, "/api/v1/groups/{id}/members/{person_id}", DD_ROLE_ADMIN,
     p_members_delete, V_MEMBERS_1},
    {DD_GET, "/api/v1/tokens", DD_ROLE_ADMIN, p_tokens_list, V_NONE},
    {DD_POST, "/api/v1/tokens", DD_ROLE_ADMIN, p_tokens_create, V_NONE},
    {DD_GET, "/api/v1/tokens/{id}", DD_ROLE_ADMIN, p_tokens_get, V_NONE},
    {DD_DELETE, "/api/v1/tokens/{id}", DD_ROLE_ADMIN, p_tokens_delete, V_TOKEN},
    {DD_GET, "/api/v1/events", DD_ROLE_ADMIN, p_events, V_NONE},

    {DD_GET, "/api/v1/calendar", DD_ROLE_VIEWER, p_calendar_get, V_NONE},
    {DD_PUT, "/api/v1/calendar", DD_ROLE_EDITOR, p_calendar_put, V_NONE},
    {DD_GET, "/api/v1/duties", DD_ROLE_VIEWER, p_duties_list, V_NONE},
    {DD_POST, "/api/v1/duties", DD_ROLE_EDITOR, p_duties_create, V_NONE},
    {DD_GET, "/api/v1/duties/{id}", DD_ROLE_VIEWER, p_duties_get, V_NONE},
    {DD_PATCH, "/api/v1/duties/{id}", DD_ROLE_EDITOR, p_duties_patch, V_DUTY},
    {DD_DELETE, "/api/v1/duties/{id}", DD_ROLE_EDITOR, p_duties_delete, V_DUTY},
    {DD_GET, "/api/v1/rota/members", DD_ROLE_VIEWER, p_rota_members_list,
     V_NONE},
    {DD_PUT, "/api/v1/rota/members/{person_id}", DD_ROLE_EDITOR,
     p_rota_members_put, V_ROTA_OUT},
    {DD_DELETE, "/api/v1/rota/members/{person_id}", DD_ROLE_EDITOR,
     p_rota_members_delete, V_ROTA_IN},
    {DD_GET, "/api/v1/rota/weeks", DD_ROLE_VIEWER, p_weeks_list, V_NONE},
    {DD_GET, "/api/v1/rota/weeks/{week}", DD_ROLE_VIEWER, p_weeks_get, V_NONE},
    {DD_PUT, "/api/v1/rota/weeks/{week}", DD_ROLE_EDITOR, p_weeks_put,
     V_WEEK_NONE},
    {DD_DELETE, "/api/v1/rota/weeks/{week}", DD_ROLE_EDITOR, p_weeks_delete,
     V_WEEK_DRAFT},
    {DD_POST, "/api/v1/rota/weeks/{week}/publish", DD_ROLE_EDITOR,
     p_weeks_publish, V_WEEK_DRAFT},
    {DD_GET, "/api/v1/rota/days", DD_ROLE_VIEWER, p_days_list, V_NONE},
    {DD_PUT, "/api/v1/rota/days/{day}/{duty_id}", DD_ROLE_EDITOR, p_days_put,
     V_NONE},
    {DD_POST, "/api/v1/rota/proposals", DD_ROLE_EDITOR, p_proposals, V_NONE},
    {DD_GET, "/api/v1/oncall/now", DD_ROLE_VIEWER, p_oncall_now, V_NONE},
    {DD_GET, "/api/v1/oncall", DD_ROLE_VIEWER, p_oncall_at, V_NONE},
};
#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

static const struct row *row_for(const struct dd_route *route)
{
	for (size_t i = 0; i < ROW_COUNT; i++)
		if (rows[i].method == route->method &&
		    strcmp(rows[i].pattern, route->pattern) == 0)
			return &rows[i];
	return NULL;
}

/* ---- the expected decision, stated independently of authz.c ---- */

enum outcome { ALLOW, DENY_401, DENY_403_SCOPE, DENY_403_ROLE };

static enum outcome expected(const struct principal *p,
			     const struct dd_route *route,
			     enum dd_role min_role)
{
	int unsafe = route->method != DD_GET && route->method != DD_HEAD;
	if (min_role == DD_ROLE_NONE && route->access.scope == 0)
		return ALLOW;
	if (p->anonymous)
		return DENY_401;
	unsigned need = route->access.scope;
	if (!need) {
		need = unsafe ? DD_SCOPE_WRITE : DD_SCOPE_READ;
		if (min_role == DD_ROLE_ADMIN)
			need |= DD_SCOPE_ADMIN;
	}
	if ((p->scopes & need) != need)
		return DENY_403_SCOPE;
	if (p->role < min_role)
		return DENY_403_ROLE;
	return ALLOW;
}

static const char *role_name(enum dd_role r)
{
	static const char *const names[] = {"none", "viewer", "editor",
					    "admin"};
	return names[r];
}

/* A path for pattern with every {param} as "1". */
static const char *placeholder_path(const char *pattern)
{
	char out[512];
	size_t n = 0;
	for (const char *c = pattern; *c && n + 2 < sizeof(out); c++) {
		if (*c == '{') {
			out[n++] = '1';
			while (*c && *c != '}')
				c++;
			if (!*c)
				break;
			continue;
		}
		out[n++] = *c;
	}
	out[n] = '\0';
	return api_fmt("%s", out);
}

/* After a refused request: the target is as it was. */
static void check_unchanged(struct api_server *s, const struct row *row,
			    const struct call *c)
{
	struct api_resp *r;
	switch (row->verify) {
	case V_NONE:
		return;
	case V_PERSON:
		r = api_get(s, &s->admin, person_path(c->person_id));
		api_expect_json(r, 200);
		assert_int_equal(api_int(r->json, "version"), 1);
		assert_int_equal(api_bool(r->json, "active"), 1);
		assert_int_equal(api_bool(r->json, "has_password"), 0);
		return;
	case V_GROUP:
		r = api_get(s, &s->admin, group_path(c->group_id));
		api_expect_json(r, 200);
		assert_int_equal(api_int(r->json, "version"), 1);
		return;
	case V_MEMBERS_0:
	case V_MEMBERS_1:
		r = api_get(s, &s->admin, group_path(c->group_id));
		api_expect_json(r, 200);
		assert_int_equal(api_int(r->json, "member_count"),
				 row->verify == V_MEMBERS_1 ? 1 : 0);
		return;
	case V_TOKEN:
		r = api_get(
		    s, &s->admin,
		    api_fmt("/api/v1/tokens/%lld", (long long)c->token_id));
		api_expect_json(r, 200);
		assert_true(
		    json_is_null(json_object_get(r->json, "revoked_at")));
		return;
	case V_DUTY:
		r = api_get(
		    s, &s->admin,
		    api_fmt("/api/v1/duties/%lld", (long long)c->duty_id));
		api_expect_json(r, 200);
		assert_int_equal(api_int(r->json, "version"), 1);
		return;
	case V_ROTA_OUT:
	case V_ROTA_IN: {
		r = api_get(s, &s->admin, "/api/v1/rota/members");
		api_expect_json(r, 200);
		int found = 0;
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(r->json, "items"), i, m)
		{
			found += api_int(m, "person_id") == c->person_id;
		}
		assert_int_equal(found, row->verify == V_ROTA_IN ? 1 : 0);
		return;
	}
	case V_WEEK_NONE:
		r = api_get(s, &s->admin,
			    api_fmt("/api/v1/rota/weeks/%s", c->week));
		api_assert_problem(r, 404, "not-found");
		return;
	case V_WEEK_DRAFT:
		r = api_get(s, &s->admin,
			    api_fmt("/api/v1/rota/weeks/%s", c->week));
		api_expect_json(r, 200);
		assert_string_equal(api_str(r->json, "status"), "draft");
		return;
	}
}

static void walk_route(struct api_server *s, const struct principal *p,
		       const struct dd_route *route)
{
	const struct row *row = row_for(route);
	enum dd_role min_role = row ? row->min_role : route->access.min_role;
	enum outcome want = expected(p, route, min_role);
	const char *method = dd_method_name(route->method);
	int unsafe = route->method != DD_GET;
	struct call c = {0};

	if (row) {
		row->prep(s, p, &c);
	} else {
		if (want == ALLOW && unsafe)
			return; /* no valid body known: see the header */
		c.path = placeholder_path(route->pattern);
		c.body = unsafe ? "{}" : NULL;
	}
	struct api_req q = {.method = method,
			    .path = c.path,
			    .auth = p->anonymous ? NULL : &p->auth,
			    .body = c.body};
	struct api_resp *r = api_send(s, &q);
	long want_status = want == ALLOW      ? c.ok_status
			   : want == DENY_401 ? 401
					      : 403;
	if (r->status != want_status && (row || want != ALLOW))
		print_error("%s: %s %s: expected %ld\n", p->label, method,
			    c.path, want_status);
	switch (want) {
	case DENY_401:
		api_assert_problem(r, 401, "unauthenticated");
		assert_non_null(r->www_authenticate);
		break;
	case DENY_403_SCOPE:
		api_assert_problem(r, 403, "forbidden");
		api_assert_detail_has(r, "scope");
		break;
	case DENY_403_ROLE:
		api_assert_problem(r, 403, "forbidden");
		api_assert_detail_has(
		    r, api_fmt("needs the role '%s'", role_name(min_role)));
		api_assert_detail_has(
		    r, api_fmt("you have '%s'", role_name(p->role)));
		break;
	case ALLOW:
		if (row) {
			api_expect_status(r, c.ok_status);
		} else if (r->status == 401 || r->status == 403 ||
			   r->status >= 500 || r->status == 0) {
			print_error("%s %s: an allowed request was refused "
				    "or failed\n",
				    method, c.path);
			api_resp_print(r);
			fail();
		}
		return;
	}
	if (row)
		check_unchanged(s, row, &c);
}

/* Every route for p; signing out comes last, as it ends a session. */
static void walk(struct api_server *s, const struct principal *p)
{
	const struct dd_route *last = NULL;
	for (int i = 0; i < dd_route_count; i++) {
		if (dd_routes[i].method == DD_DELETE &&
		    strcmp(dd_routes[i].pattern, "/api/v1/session") == 0) {
			last = &dd_routes[i];
			continue;
		}
		walk_route(s, p, &dd_routes[i]);
	}
	if (last)
		walk_route(s, p, last);
}

/* ---- the callers ---- */

/* A new person with PERM_PW in the demo group named group (NULL: in no
 * group). Returns the person's id. */
static int64_t member_of(struct api_server *s, const char *group,
			 char login[65])
{
	int64_t id = api_person_new(s, "perm", PERM_PW, login);
	if (group)
		api_member_add(s, api_group_id(s, group), id);
	return id;
}

static void session_of(struct api_server *s, const char *group,
		       enum dd_role role, const char *label,
		       struct principal *p)
{
	char login[65];
	memset(p, 0, sizeof(*p));
	member_of(s, group, login);
	api_signin(s, login, PERM_PW, &p->auth);
	p->label = label;
	p->role = role;
	p->scopes = DD_SCOPE_ALL;
}

static void token_of(struct api_server *s, const char *group, enum dd_role role,
		     const char *scopes, unsigned mask, const char *label,
		     struct principal *p)
{
	char login[65];
	memset(p, 0, sizeof(*p));
	int64_t id = member_of(s, group, login);
	api_token_new(s, id, scopes, &p->auth);
	p->label = label;
	p->is_token = 1;
	p->role = role;
	p->scopes = mask;
}

static void test_table_matches_routes(void **state)
{
	(void)state;
	/* Every row is a route, demanding what the row says. */
	for (size_t i = 0; i < ROW_COUNT; i++) {
		const struct dd_route *found = NULL;
		for (int k = 0; k < dd_route_count; k++)
			if (dd_routes[k].method == rows[i].method &&
			    strcmp(dd_routes[k].pattern, rows[i].pattern) == 0)
				found = &dd_routes[k];
		if (!found) {
			print_error("%s %s is in the table but not in "
				    "routes.c\n",
				    dd_method_name(rows[i].method),
				    rows[i].pattern);
			fail();
		}
		if (found->access.min_role != rows[i].min_role ||
		    found->access.scope != 0) {
			print_error("%s %s demands role '%s' in routes.c, "
				    "'%s' here\n",
				    dd_method_name(rows[i].method),
				    rows[i].pattern,
				    role_name(found->access.min_role),
				    role_name(rows[i].min_role));
			fail();
		}
	}
	/* No route twice; routes without a row are only walked for the
	 * refusals. */
	for (int k = 0; k < dd_route_count; k++) {
		for (int j = 0; j < k; j++)
			if (dd_routes[j].method == dd_routes[k].method &&
			    strcmp(dd_routes[j].pattern,
				   dd_routes[k].pattern) == 0) {
				print_error("%s %s is in routes.c twice\n",
					    dd_method_name(dd_routes[k].method),
					    dd_routes[k].pattern);
				fail();
			}
		if (!row_for(&dd_routes[k])) {
			print_message("  note: %s %s has no row in "
				      "test_permissions.c; only its refusals "
				      "are tested\n",
				      dd_method_name(dd_routes[k].method),
				      dd_routes[k].pattern);
		}
	}
}

static void test_anonymous(void **state)
{
	struct api_server *s = *state;
	struct principal p = {.label = "anonymous", .anonymous = 1};
	walk(s, &p);
	/* HEAD is refused like GET, without a body. */
	for (int i = 0; i < dd_route_count; i++) {
		if (dd_routes[i].method != DD_GET ||
		    dd_routes[i].access.min_role == DD_ROLE_NONE)
			continue;
		struct api_resp *r =
		    api_head(s, NULL, placeholder_path(dd_routes[i].pattern));
		api_expect_status(r, 401);
		assert_int_equal(r->body_len, 0);
	}
}

static void test_viewer_session(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	session_of(s, "users", DD_ROLE_VIEWER, "viewer session", &p);
	walk(s, &p);
}

static void test_viewer_token_read_write(void **state)
{
	struct api_server *s = *state;
	struct principal p = {.label = "viewer token read,write",
			      .is_token = 1,
			      .role = DD_ROLE_VIEWER,
			      .scopes = DD_SCOPE_READ | DD_SCOPE_WRITE};
	char login[65];
	member_of(s, "users", login);
	/* Made on the command line, as an operator would. */
	api_token_cli(s, login, "read,write", &p.auth);
	walk(s, &p);
}

static void test_person_without_groups(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	/* Everyone signed in may read: the role is at least viewer. */
	session_of(s, NULL, DD_ROLE_VIEWER, "person in no group", &p);
	walk(s, &p);
}

static void test_editor_session(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	session_of(s, "editors", DD_ROLE_EDITOR, "editor session", &p);
	walk(s, &p);
}

static void test_editor_token_read_write(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	token_of(s, "editors", DD_ROLE_EDITOR, "read,write",
		 DD_SCOPE_READ | DD_SCOPE_WRITE, "editor token read,write", &p);
	walk(s, &p);
}

static void test_admin_session(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	session_of(s, "admins", DD_ROLE_ADMIN, "admin session", &p);
	walk(s, &p);
}

static void test_admin_token_all_scopes(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	token_of(s, "admins", DD_ROLE_ADMIN, "read,write,admin",
		 DD_SCOPE_READ | DD_SCOPE_WRITE | DD_SCOPE_ADMIN,
		 "admin token read,write,admin", &p);
	walk(s, &p);
}

static void test_admin_token_read_only(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	token_of(s, "admins", DD_ROLE_ADMIN, "read", DD_SCOPE_READ,
		 "admin token read", &p);
	walk(s, &p);
}

static void test_admin_token_without_admin_scope(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	token_of(s, "admins", DD_ROLE_ADMIN, "read,write",
		 DD_SCOPE_READ | DD_SCOPE_WRITE, "admin token read,write", &p);
	walk(s, &p);
}

static void test_admin_token_integration_scopes(void **state)
{
	struct api_server *s = *state;
	struct principal p;
	token_of(s, "admins", DD_ROLE_ADMIN, "mail:ingest,phone:route",
		 DD_SCOPE_MAIL_INGEST | DD_SCOPE_PHONE_ROUTE,
		 "admin token mail:ingest,phone:route", &p);
	walk(s, &p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_table_matches_routes),
	    API_TEST(test_anonymous),
	    API_TEST(test_viewer_session),
	    API_TEST(test_viewer_token_read_write),
	    API_TEST(test_person_without_groups),
	    API_TEST(test_editor_session),
	    API_TEST(test_editor_token_read_write),
	    API_TEST(test_admin_session),
	    API_TEST(test_admin_token_all_scopes),
	    API_TEST(test_admin_token_read_only),
	    API_TEST(test_admin_token_without_admin_scope),
	    API_TEST(test_admin_token_integration_scopes),
	};
	return API_RUN("permissions", tests);
}
