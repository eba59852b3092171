/*
 * test_permissions.c - the permission matrix, walked over HTTP.
 *
 * The table below states, route by route, the role each route demands
 * and how to make a request to it that succeeds. One test checks the
 * table against dd_routes (src/http/routes.c): every route must have a
 * row, and a route whose demanded role changes, or a row for a route
 * that is gone, fails it. The other tests take one kind of caller each
 * (anonymous, viewer, editor, admin; by session and by tokens of various
 * scopes) through every route in dd_routes:
 *
 *   - a caller who must be refused gets exactly 401 (anonymous) or 403
 *     (naming the missing scope or role), and the target of an unsafe
 *     request is unchanged afterwards;
 *   - a caller who may pass gets the route's success status.
 *
 * Each row's prep makes what its request needs (a ticket for its
 * articles, a duty day held by the caller for a swap, a built web UI
 * for "/"), so every caller class gets the route's real success. The
 * self-service rota routes (absences, swaps, replacements, sick, cover
 * requests, calendar feeds) are called by the caller for themselves:
 * a viewer acting on their own data succeeds, like an editor.
 *
 * A route without a row fails the table check; the walks still send it
 * the refusals (any path parameter is "1", an unsafe request carries
 * "{}"), so that the other tests keep telling what they can.
 *
 * Who may do what (people/authz.h): a session holds every scope; a token
 * holds its scopes. A route needs "read" (safe methods) or "write"
 * (unsafe ones), plus "admin" on admin routes, and a role of at least
 * the route's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "alert/ack_link.h"
#include "api/harness.h"
#include "base/secret.h"
#include "base/date.h"
#include "http/router.h"
#include "people/authz.h"
#include "store/store.h"

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
	const char *body;	  /* NULL: none */
	const char *content_type; /* NULL: JSON when there is a body */
	long ok_status;		  /* what an allowed caller gets */
	int64_t person_id, group_id, token_id, duty_id; /* targets */
	const char *week;				/* a Monday */
	const char *check; /* V_SNAPSHOT, V_READABLE: what the admin GETs */
	int stream_ms;	   /* a stream: read this long (api_req) */
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
	V_SNAPSHOT,   /* check: the same JSON before and after */
	V_READABLE,   /* check: still 200 (a feed not revoked) */
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

/* Duty days handed out, at most. Each call of a row that changes the
 * plan takes a day of its own: 14 such rows for 11 callers. */
#define DAYS_MAX 400

/* What the rows share, made once per server: a person with a password
 * for the sign-in route, two helpers for the rota routes (a holder of
 * days and a colleague), the first demo duty, and the days it runs on
 * with nobody planned. */
static struct {
	char db_url[1200];
	char login[65];
	int64_t holder, colleague;
	int64_t tel; /* the first demo duty: weekdays */
	int64_t days[DAYS_MAX];
	int day_count, day_next;
	int web_built;
	int64_t rule_id; /* an assignment rule that never matches */
} fixture;

static const char *day_text(int64_t day)
{
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(day, text);
	return api_fmt("%s", text);
}

static int64_t utc_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return dd_date_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The days the first duty runs on, nobody planned: well after the demo
 * plan (13 weeks), and within the two years ahead that absences, swaps
 * and sick reports accept. */
static void load_days(struct api_server *s)
{
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/duties");
	api_expect_json(r, 200);
	fixture.tel = api_int(
		json_array_get(json_object_get(r->json, "items"), 0), "id");
	int64_t from = utc_today() + 150;
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/rota/days?from=%s&to=%s", day_text(from),
			    day_text(from + 365)));
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		int64_t day = 0;
		if (api_int(v, "duty_id") != fixture.tel ||
		    !json_is_null(json_object_get(v, "person_id")) ||
		    dd_date_parse(api_str(v, "day"), &day) < 0 ||
		    fixture.day_count == DAYS_MAX)
			continue;
		fixture.days[fixture.day_count++] = day;
	}
	assert_true(fixture.day_count > 200);
}

static void fixture_load(struct api_server *s)
{
	if (strcmp(fixture.db_url, s->db_url) == 0)
		return;
	memset(&fixture, 0, sizeof(fixture));
	api_person_new(s, "perm-signin", PERM_PW, fixture.login);
	fixture.holder = api_person_new(s, "perm-holder", NULL, NULL);
	fixture.colleague = api_person_new(s, "perm-colleague", NULL, NULL);
	load_days(s);
	snprintf(fixture.db_url, sizeof(fixture.db_url), "%s", s->db_url);
}

static const char *signin_login(struct api_server *s)
{
	fixture_load(s);
	return fixture.login;
}

/* A day of its own on which the first duty runs, nobody holding it. */
static int64_t duty_day(struct api_server *s)
{
	fixture_load(s);
	if (fixture.day_next == fixture.day_count)
		fail_msg("the permission test ran out of duty days");
	return fixture.days[fixture.day_next++];
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
	c->path = api_fmt("/api/v1/people/%lld/password",
			  (long long)c->person_id);
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

/* A dead outbox message, written straight into the server's database:
 * no route makes one on demand. */
static int64_t dead_outbox_row(struct api_server *s)
{
	struct dd_store *store = NULL;
	struct dd_err err;
	int64_t id = 0;
	dd_err_clear(&err);
	if (dd_store_open(s->db_url, &store, &err) < 0)
		fail_msg("cannot open %s: %s", s->engine, err.msg);
	if (dd_store_query_int(
		    store,
		    "INSERT INTO outbox (kind, status, target, body, purpose, "
		    "attempts, next_at, created_at, last_error) VALUES "
		    "('webhook', 'dead', 'http://127.0.0.1:9/', $1, 'test', 14, "
		    "0, 0, 'refused') RETURNING id",
		    (struct dd_param[]){DD_P_BLOB("{}", 2)}, 1, &id, &err) < 0)
		fail_msg("cannot insert: %s", err.msg);
	dd_store_close(store);
	return id;
}

static void p_live(struct api_server *s, const struct principal *p,
		   struct call *c)
{
	c->path = "/api/v1/live";
	c->ok_status = 200;
	c->stream_ms = 300;
}

static void p_outbox_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/outbox?status=dead";
	c->ok_status = 200;
}

static void p_outbox_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = api_fmt("/api/v1/outbox/%lld", (long long)dead_outbox_row(s));
	c->ok_status = 200;
}

static void p_outbox_retry(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = api_fmt("/api/v1/outbox/%lld/retry",
			  (long long)dead_outbox_row(s));
	c->body = "{}";
	c->ok_status = 202;
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
	struct api_resp *r = api_json(s, &s->admin, "POST", "/api/v1/duties",
				      api_fmt("{\"name\":\"%s\",\"slot\":0}",
					      api_unique("perm-duty")));
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
	c->body = api_fmt("{\"name\":\"%s\",\"slot\":1}",
			  api_unique("perm-duty"));
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
	int64_t duty = api_int(
		json_array_get(json_object_get(r->json, "items"), 0), "id");
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

/* ---- shared by the rows below ---- */

/* The caller's own person (0 for anonymous). */
static int64_t me(const struct principal *p)
{
	return p->anonymous ? 0 : p->auth.person_id;
}

/* The caller's person, or other for an anonymous caller: the target of a
 * self-service request (refused anyway when anonymous). */
static int64_t me_or(const struct principal *p, int64_t other)
{
	return p->anonymous ? other : p->auth.person_id;
}

/* Whether the caller may write as a viewer: the self-service routes. */
static int may_write(const struct principal *p)
{
	return !p->anonymous && (p->scopes & DD_SCOPE_WRITE);
}

/* The admin's request, which must answer a 2xx; its JSON. */
static json_t *admin_ok(struct api_server *s, const char *method,
			const char *path, const char *body)
{
	struct api_resp *r = api_json(s, &s->admin, method, path, body);
	if (r->status < 200 || r->status > 299) {
		print_error("preparing: %s %s failed\n", method, path);
		api_resp_print(r);
		fail();
	}
	return r->json;
}

static int64_t admin_new(struct api_server *s, const char *path,
			 const char *body)
{
	return api_int(admin_ok(s, "POST", path, body), "id");
}

/* person holds the first duty on day (set by the admin). */
static void hold(struct api_server *s, int64_t day, int64_t person)
{
	admin_ok(s, "PUT",
		 api_fmt("/api/v1/rota/days/%s/%lld", day_text(day),
			 (long long)fixture.tel),
		 api_fmt("{\"person_id\":%lld}", (long long)person));
}

static int64_t absence_of(struct api_server *s, int64_t person, int64_t day)
{
	return admin_new(s, "/api/v1/absences",
			 api_fmt("{\"person_id\":%lld,\"kind\":\"other\","
				 "\"first_day\":\"%s\",\"last_day\":\"%s\"}",
				 (long long)person, day_text(day),
				 day_text(day)));
}

/* An open swap request: requester holds the first duty on a day of its
 * own and asks colleague to take it. */
static int64_t swap_of(struct api_server *s, int64_t requester,
		       int64_t colleague)
{
	int64_t day = duty_day(s);
	hold(s, day, requester);
	return admin_new(s, "/api/v1/swaps",
			 api_fmt("{\"requester_id\":%lld,\"colleague_id\":%lld,"
				 "\"day\":\"%s\",\"duty_id\":%lld}",
				 (long long)requester, (long long)colleague,
				 day_text(day), (long long)fixture.tel));
}

/* An open cover request: the holder helper, on duty on a day of its
 * own, reported sick by the admin. Everyone in rotation and free that
 * day is asked. */
static int64_t cover_request(struct api_server *s)
{
	int64_t day = duty_day(s);
	hold(s, day, fixture.holder);
	json_t *r = admin_ok(s, "POST", "/api/v1/rota/sick",
			     api_fmt("{\"person_id\":%lld,\"day\":\"%s\"}",
				     (long long)fixture.holder, day_text(day)));
	json_t *req = json_array_get(json_object_get(r, "cover_requests"), 0);
	assert_non_null(req);
	return api_int(req, "id");
}

/* Put person in the rota, in rotation (already there is fine). */
static void rota_join(struct api_server *s, int64_t person)
{
	admin_ok(s, "PUT",
		 api_fmt("/api/v1/rota/members/%lld", (long long)person), NULL);
}

static int64_t ticket_new(struct api_server *s)
{
	return admin_new(s, "/api/v1/tickets",
			 api_fmt("{\"subject\":\"%s\"}",
				 api_unique("Permission test ")));
}

static int64_t queue_new(struct api_server *s)
{
	return admin_new(
		s, "/api/v1/queues",
		api_fmt("{\"name\":\"%s\"}", api_unique("perm-queue")));
}

static int64_t org_new(struct api_server *s)
{
	return admin_new(s, "/api/v1/organisations",
			 api_fmt("{\"name\":\"%s\"}", api_unique("perm-org")));
}

static int64_t contact_new(struct api_server *s)
{
	return admin_new(
		s, "/api/v1/contacts",
		api_fmt("{\"name\":\"%s\"}", api_unique("perm-contact")));
}

/* Disabled: a rule of this test never touches another ticket. */
static const char *rule_body(void)
{
	return api_fmt("{\"name\":\"%s\",\"enabled\":false,"
		       "\"actions\":{\"priority\":4}}",
		       api_unique("perm-rule"));
}

static int64_t rule_new(struct api_server *s)
{
	return admin_new(s, "/api/v1/assignment-rules", rule_body());
}

static const char *policy_body(int64_t queue)
{
	return api_fmt("{\"queue_id\":%lld,\"first_response_minutes\":30,"
		       "\"resolution_minutes\":240}",
		       (long long)queue);
}

/* Where the admin sees object id of a collection. */
static const char *object_path(const char *collection, int64_t id)
{
	return api_fmt("/api/v1/%s/%lld", collection, (long long)id);
}

/* ---- the web UI ---- */

static void put_file(struct api_server *s, const char *rel, const char *text)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", s->dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A built UI in the server's web root: the harness serves DIR/web, which
 * does not exist until a test makes it, so "/" and "/assets/{file}"
 * succeed here whether or not web/dist has been built (without it both
 * answer 404, as test_ui.c checks). */
static void web_build(struct api_server *s)
{
	char path[600];
	fixture_load(s);
	if (fixture.web_built)
		return;
	snprintf(path, sizeof(path), "%s/web", s->dir);
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
	snprintf(path, sizeof(path), "%s/web/assets", s->dir);
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
	put_file(s, "web/index.html",
		 "<!doctype html><script type=module "
		 "src=/assets/perm-1a2b.js></script>");
	put_file(s, "web/assets/perm-1a2b.js", "console.log('ui')\n");
	fixture.web_built = 1;
}

static void p_ui_index(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	web_build(s);
	c->path = "/";
	c->ok_status = 200;
}

static void p_ui_asset(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	web_build(s);
	c->path = "/assets/perm-1a2b.js";
	c->ok_status = 200;
}

/* ---- rota reports, holidays, calendar feeds ---- */

static void p_rota_hours(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	int y, m, d;
	dd_date_from_days(utc_today(), &y, &m, &d);
	c->path = api_fmt("/api/v1/rota/hours?month=%04d-%02d", y, m);
	c->ok_status = 200;
}

static void p_rota_jourfixe(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/rota/jour-fixe";
	c->ok_status = 200;
}

static void p_holidays_list(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/holidays";
	c->ok_status = 200;
}

static void p_holidays_create(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	/* A Thursday of a week of its own in 2036, as future_day gives. */
	c->path = "/api/v1/holidays";
	c->body = api_fmt("{\"date\":\"%s\",\"name\":\"Permission day\"}",
			  future_day(3));
	c->ok_status = 201;
}

static void p_holidays_import(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	/* Christmas of next year, which the demo has as a holiday already:
	 * the import answers 200 and skips it, so no duty day is lost. */
	int y, m, d;
	dd_date_from_days(utc_today(), &y, &m, &d);
	c->path = "/api/v1/holidays/import";
	c->content_type = "text/calendar";
	c->body = api_fmt("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
			  "PRODID:-//dutydesk permission test//EN\r\n"
			  "BEGIN:VEVENT\r\nUID:perm-xmas\r\n"
			  "DTSTAMP:20260101T000000Z\r\n"
			  "DTSTART;VALUE=DATE:%04d1225\r\n"
			  "SUMMARY:Christmas\r\nEND:VEVENT\r\n"
			  "END:VCALENDAR\r\n",
			  y + 1);
	c->ok_status = 200;
}

static void p_holidays_delete(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	const char *day = future_day(3);
	int64_t id = admin_new(
		s, "/api/v1/holidays",
		api_fmt("{\"date\":\"%s\",\"name\":\"Permission day\"}", day));
	c->path = object_path("holidays", id);
	c->check = api_fmt("/api/v1/holidays?from=%s&to=%s", day, day);
	c->ok_status = 204;
}

static void p_feeds_list(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = "/api/v1/calendar-feeds";
	c->ok_status = 200;
}

static void p_feeds_create(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	/* One's own duties: open to viewers. */
	c->path = "/api/v1/calendar-feeds";
	c->body = api_fmt("{\"kind\":\"person\",\"id\":%lld}",
			  (long long)me_or(p, s->admin.person_id));
	c->ok_status = 201;
}

static void p_feeds_delete(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	/* The caller's own feed; a caller who may not write gets the
	 * admin's, to be refused on. */
	const struct api_auth *owner = may_write(p) ? &p->auth : &s->admin;
	struct api_resp *r =
		api_json(s, owner, "POST", "/api/v1/calendar-feeds",
			 api_fmt("{\"kind\":\"person\",\"id\":%lld}",
				 (long long)owner->person_id));
	api_expect_json(r, 201);
	c->path = object_path("calendar-feeds", api_int(r->json, "id"));
	c->check = api_fmt("%s", api_str(r->json, "url"));
	c->ok_status = 204;
}

static void p_ical(struct api_server *s, const struct principal *p,
		   struct call *c)
{
	/* A real feed's address: the secret in it is the credential. */
	fixture_load(s);
	json_t *f = admin_ok(s, "POST", "/api/v1/calendar-feeds",
			     api_fmt("{\"kind\":\"duty\",\"id\":%lld}",
				     (long long)fixture.tel));
	c->path = api_fmt("%s", api_str(f, "url"));
	c->ok_status = 200;
}

/* ---- changes to the plan: the caller acts for themselves ---- */

static void p_absences_list(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/absences";
	c->ok_status = 200;
}

static void p_absences_create(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	const char *day = day_text(duty_day(s));
	c->path = "/api/v1/absences";
	c->body = api_fmt("{\"kind\":\"vacation\",\"first_day\":\"%s\","
			  "\"last_day\":\"%s\"}",
			  day, day);
	c->ok_status = 201;
}

static void p_absences_get(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = object_path("absences",
			      absence_of(s, fixture.holder, duty_day(s)));
	c->ok_status = 200;
}

static void p_absences_delete(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	fixture_load(s);
	c->path =
		object_path("absences", absence_of(s, me_or(p, fixture.holder),
						   duty_day(s)));
	c->check = c->path;
	c->ok_status = 204;
}

static void p_uncovered_list(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	c->path = "/api/v1/rota/uncovered";
	c->ok_status = 200;
}

static void p_uncovered_check(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	c->path = "/api/v1/rota/uncovered/check";
	c->ok_status = 200;
}

static void p_replacements(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	/* The holder is absent: the day is uncovered, and anyone free may
	 * step in for themselves. */
	int64_t day = duty_day(s);
	hold(s, day, fixture.holder);
	absence_of(s, fixture.holder, day);
	c->path = "/api/v1/rota/replacements";
	c->body = api_fmt("{\"day\":\"%s\",\"duty_id\":%lld}", day_text(day),
			  (long long)fixture.tel);
	c->check = api_fmt("/api/v1/rota/days?from=%s&to=%s", day_text(day),
			   day_text(day));
	c->ok_status = 201;
}

static void p_swaps_list(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = "/api/v1/swaps";
	c->ok_status = 200;
}

static void p_swaps_create(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	/* The caller gives away a day they hold. */
	int64_t day = duty_day(s);
	hold(s, day, me_or(p, fixture.holder));
	c->path = "/api/v1/swaps";
	c->body = api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			  "\"colleague_id\":%lld}",
			  day_text(day), (long long)fixture.tel,
			  (long long)fixture.colleague);
	c->ok_status = 201;
}

static void p_swaps_get(struct api_server *s, const struct principal *p,
			struct call *c)
{
	fixture_load(s);
	c->path = object_path("swaps",
			      swap_of(s, fixture.holder, fixture.colleague));
	c->ok_status = 200;
}

/* A swap asking the caller: the colleague answers. */
static void p_swaps_answer(struct api_server *s, const struct principal *p,
			   struct call *c, const char *what)
{
	fixture_load(s);
	int64_t id = swap_of(s, fixture.holder, me_or(p, fixture.colleague));
	c->check = object_path("swaps", id);
	c->path = api_fmt("%s/%s", c->check, what);
	c->ok_status = 200;
}

static void p_swaps_accept(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_swaps_answer(s, p, c, "accept");
}

static void p_swaps_decline(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_swaps_answer(s, p, c, "decline");
}

static void p_swaps_cancel(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	/* The caller's own request: the requester withdraws. */
	fixture_load(s);
	int64_t id = swap_of(s, me_or(p, fixture.holder), fixture.colleague);
	c->check = object_path("swaps", id);
	c->path = api_fmt("%s/cancel", c->check);
	c->ok_status = 200;
}

static void p_sick(struct api_server *s, const struct principal *p,
		   struct call *c)
{
	c->path = "/api/v1/rota/sick";
	c->body = api_fmt("{\"day\":\"%s\"}", day_text(duty_day(s)));
	c->ok_status = 201;
}

static void p_cover_list(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = "/api/v1/rota/cover-requests";
	c->ok_status = 200;
}

static void p_cover_get(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = object_path("rota/cover-requests", cover_request(s));
	c->ok_status = 200;
}

/* A cover request asking the caller: in rotation before the holder
 * falls ill, and free that day. */
static void p_cover_answer(struct api_server *s, const struct principal *p,
			   struct call *c, const char *what)
{
	if (me(p))
		rota_join(s, me(p));
	c->check = object_path("rota/cover-requests", cover_request(s));
	c->path = api_fmt("%s/%s", c->check, what);
	c->ok_status = 200;
}

static void p_cover_accept(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_cover_answer(s, p, c, "accept");
}

static void p_cover_decline(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_cover_answer(s, p, c, "decline");
}

static void p_cover_assign(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	/* An editor may put anyone free on the day, asked or not. */
	c->check = object_path("rota/cover-requests", cover_request(s));
	c->path = api_fmt("%s/assign", c->check);
	c->body = api_fmt("{\"person_id\":%lld}", (long long)fixture.colleague);
	c->ok_status = 200;
}

/* ---- service levels ---- */

static void p_sla_list(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	c->path = "/api/v1/sla-policies";
	c->ok_status = 200;
}

static void p_sla_create(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = "/api/v1/sla-policies";
	c->body = policy_body(queue_new(s));
	c->ok_status = 201;
}

static void p_sla_get(struct api_server *s, const struct principal *p,
		      struct call *c)
{
	c->path = object_path("sla-policies",
			      admin_new(s, "/api/v1/sla-policies",
					policy_body(queue_new(s))));
	c->check = c->path;
	c->ok_status = 200;
}

static void p_sla_patch(struct api_server *s, const struct principal *p,
			struct call *c)
{
	p_sla_get(s, p, c);
	c->body = "{\"warn_percent\":50}";
}

static void p_sla_delete(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	p_sla_get(s, p, c);
	c->ok_status = 204;
}

static void p_sla_check(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = "/api/v1/sla/check";
	c->ok_status = 200;
}

/* ---- customers, queues, assignment rules ---- */

static void p_orgs_list(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = "/api/v1/organisations";
	c->ok_status = 200;
}

static void p_orgs_create(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/organisations";
	c->body = api_fmt("{\"name\":\"%s\"}", api_unique("perm-org"));
	c->ok_status = 201;
}

static void p_orgs_get(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	c->path = object_path("organisations", org_new(s));
	c->check = c->path;
	c->ok_status = 200;
}

static void p_orgs_patch(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	p_orgs_get(s, p, c);
	c->body = "{\"notes\":\"changed by the permission test\"}";
}

static void p_orgs_delete(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	p_orgs_get(s, p, c);
	c->ok_status = 204;
}

static void p_contacts_list(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/contacts";
	c->ok_status = 200;
}

static void p_contacts_create(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	c->path = "/api/v1/contacts";
	c->body = api_fmt("{\"name\":\"%s\"}", api_unique("perm-contact"));
	c->ok_status = 201;
}

static void p_contacts_get(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = object_path("contacts", contact_new(s));
	c->check = c->path;
	c->ok_status = 200;
}

static void p_contacts_patch(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	p_contacts_get(s, p, c);
	c->body = "{\"notes\":\"changed by the permission test\"}";
}

static void p_contacts_delete(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	p_contacts_get(s, p, c);
	c->ok_status = 204;
}

static void p_contact_orgs_put(struct api_server *s, const struct principal *p,
			       struct call *c)
{
	c->check = object_path("contacts", contact_new(s));
	c->path = api_fmt("%s/organisations/%lld", c->check,
			  (long long)org_new(s));
	c->ok_status = 201;
}

static void p_contact_orgs_delete(struct api_server *s,
				  const struct principal *p, struct call *c)
{
	p_contact_orgs_put(s, p, c);
	admin_ok(s, "PUT", c->path, NULL);
	c->ok_status = 200;
}

static void p_queues_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/queues";
	c->ok_status = 200;
}

static void p_queues_create(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/queues";
	c->body = api_fmt("{\"name\":\"%s\"}", api_unique("perm-queue"));
	c->ok_status = 201;
}

static void p_queues_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = object_path("queues", queue_new(s));
	c->check = c->path;
	c->ok_status = 200;
}

static void p_queues_patch(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_queues_get(s, p, c);
	c->body = "{\"description\":\"changed by the permission test\"}";
}

static void p_queues_delete(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_queues_get(s, p, c);
	c->ok_status = 204;
}

static void p_rules_list(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = "/api/v1/assignment-rules";
	c->ok_status = 200;
}

static void p_rules_create(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/assignment-rules";
	c->body = rule_body();
	c->ok_status = 201;
}

static void p_rules_order(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	/* Every rule's id, in the order they have. */
	json_t *list = admin_ok(s, "GET", "/api/v1/assignment-rules", NULL);
	json_t *ids = json_array(), *v;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, v)
	{
		json_array_append_new(ids, json_integer(api_int(v, "id")));
	}
	json_t *body = json_pack("{so}", "ids", ids);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	assert_non_null(text);
	c->body = api_fmt("%s", text);
	free(text);
	c->path = "/api/v1/assignment-rules/order";
	c->check = "/api/v1/assignment-rules";
	c->ok_status = 200;
}

static void p_rules_get(struct api_server *s, const struct principal *p,
			struct call *c)
{
	/* Reading needs no rule of its own: one per server will do. */
	fixture_load(s);
	if (!fixture.rule_id)
		fixture.rule_id = rule_new(s);
	c->path = object_path("assignment-rules", fixture.rule_id);
	c->ok_status = 200;
}

static void p_rules_patch(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = object_path("assignment-rules", rule_new(s));
	c->check = c->path;
	c->body = api_fmt("{\"name\":\"%s\"}", api_unique("perm-renamed"));
	c->ok_status = 200;
}

static void p_rules_delete(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = object_path("assignment-rules", rule_new(s));
	c->check = c->path;
	c->ok_status = 204;
}

/* ---- tickets ---- */

static void p_phone(struct api_server *s, const struct principal *p,
		    struct call *c)
{
	/* A number no demo customer has: an unknown caller. */
	c->path = "/api/v1/tickets/phone";
	c->body = "{\"caller\":\"+49 30 555 0199 77\","
		  "\"note\":\"Permission test: the printer is down\"}";
	c->ok_status = 201;
}

static void p_tickets_create(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	c->path = "/api/v1/tickets";
	c->body =
		api_fmt("{\"subject\":\"%s\"}", api_unique("Permission test "));
	c->ok_status = 201;
}

static void p_tickets_list(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/tickets?limit=5";
	c->ok_status = 200;
}

static void p_ticket_views(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/tickets/views";
	c->ok_status = 200;
}

static void p_tickets_get(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = object_path("tickets", ticket_new(s));
	c->check = c->path;
	c->ok_status = 200;
}

static void p_tickets_patch(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_tickets_get(s, p, c);
	c->body = "{\"subject\":\"Renamed by the permission test\"}";
}

static void p_ticket_number(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	json_t *t =
		admin_ok(s, "GET", object_path("tickets", ticket_new(s)), NULL);
	c->path = api_fmt("/api/v1/ticket-numbers/%lld",
			  (long long)api_int(t, "number"));
	c->ok_status = 200;
}

static void p_articles_create(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	const char *ticket = object_path("tickets", ticket_new(s));
	c->path = api_fmt("%s/articles", ticket);
	c->body = "{\"kind\":\"internal_note\",\"body\":\"Permission test\"}";
	c->check = c->path;
	c->ok_status = 201;
}

static void p_articles_list(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_articles_create(s, p, c);
	c->body = NULL;
	c->check = NULL;
	c->ok_status = 200;
}

static void p_attachments_create(struct api_server *s,
				 const struct principal *p, struct call *c)
{
	/* The file is the raw body, with its own Content-Type. */
	const char *ticket = object_path("tickets", ticket_new(s));
	c->check = api_fmt("%s/attachments", ticket);
	c->path = api_fmt("%s?filename=perm.txt", c->check);
	c->content_type = "text/plain";
	c->body = "permission test\n";
	c->ok_status = 201;
}

static void p_attachments_list(struct api_server *s, const struct principal *p,
			       struct call *c)
{
	const char *ticket = object_path("tickets", ticket_new(s));
	c->path = api_fmt("%s/attachments", ticket);
	c->ok_status = 200;
}

static void p_attachments_get(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	const char *ticket = object_path("tickets", ticket_new(s));
	struct api_req q = {
		.method = "POST",
		.path = api_fmt("%s/attachments?filename=perm.txt", ticket),
		.auth = &s->admin,
		.body = "permission test\n",
		.content_type = "text/plain"};
	struct api_resp *r = api_send(s, &q);
	api_expect_json(r, 201);
	c->path = object_path("attachments", api_int(r->json, "id"));
	c->ok_status = 200;
}

static void p_tickets_merge(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	int64_t into = ticket_new(s);
	c->check = object_path("tickets", ticket_new(s));
	c->path = api_fmt("%s/merge", c->check);
	c->body = api_fmt("{\"into\":%lld}", (long long)into);
	c->ok_status = 200;
}

static void p_tickets_history(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	c->path = api_fmt("%s/history", object_path("tickets", ticket_new(s)));
	c->ok_status = 200;
}

static void p_time_report(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/reports/time";
	c->ok_status = 200;
}

static void p_ticket_report(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/reports/tickets";
	c->ok_status = 200;
}

static void p_p1_report(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = "/api/v1/reports/p1";
	c->ok_status = 200;
}

static void p_phone_lookup(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/tickets/phone/lookup?caller=%2B49895550999";
	c->ok_status = 200;
}

/* The matrix as this test states it; test_table_matches_routes holds
 * it against routes.c. */
/* ---- the support mailbox ---- */

/* A message no other call sent (its own Message-ID), from a sender no
 * rule takes: it lands in triage. */
static const char *mail_text(void)
{
	const char *id = api_unique("perm");
	return api_fmt("From: Stranger <%s@perm-mail.example>\r\n"
		       "To: support@dutydesk.example\r\n"
		       "Message-ID: <%s@perm-mail.example>\r\n"
		       "Subject: Permission test %s\r\n\r\nHello\r\n",
		       id, id, id);
}

/* The outcome of a message posted by the admin. */
static json_t *mail_post(struct api_server *s, const char *raw)
{
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/mail/inbound",
			    .auth = &s->admin,
			    .body = raw,
			    .content_type = "message/rfc822"};
	struct api_resp *r = api_send(s, &q);
	if (r->status != 201) {
		print_error("preparing: POST /api/v1/mail/inbound failed\n");
		api_resp_print(r);
		fail();
	}
	return r->json;
}

static void p_mail_inbound(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/mail/inbound";
	c->content_type = "message/rfc822";
	c->body = mail_text();
	c->ok_status = 201;
}

static void p_mail_list(struct api_server *s, const struct principal *p,
			struct call *c)
{
	c->path = "/api/v1/mail/messages?limit=5";
	c->ok_status = 200;
}

static void p_mail_get(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	c->path = object_path("mail/messages",
			      api_int(mail_post(s, mail_text()), "id"));
	c->ok_status = 200;
}

static void p_mail_raw(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	p_mail_get(s, p, c);
	c->path = api_fmt("%s/raw", c->path);
}

static void p_mail_reprocess(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	/* A message that cannot be parsed: failed, so it may be
	 * reprocessed (and fails again). */
	json_t *o = mail_post(
		s, api_fmt("\r\nno header %s\r\n", api_unique("perm")));
	c->check = object_path("mail/messages", api_int(o, "id"));
	c->path = api_fmt("%s/reprocess", c->check);
	c->ok_status = 200;
}

static void p_mail_settings_get(struct api_server *s,
				const struct principal *p, struct call *c)
{
	c->path = "/api/v1/mail/settings";
	c->ok_status = 200;
}

static void p_mail_settings_put(struct api_server *s,
				const struct principal *p, struct call *c)
{
	c->path = "/api/v1/mail/settings";
	c->check = c->path;
	c->body = "{\"autoreply_cap\":10}";
	c->ok_status = 200;
}

static void p_triage_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/triage?limit=5";
	c->ok_status = 200;
}

static void p_triage_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = object_path("triage",
			      api_int(mail_post(s, mail_text()), "triage_id"));
	c->check = c->path;
	c->ok_status = 200;
}

static void p_triage_create_ticket(struct api_server *s,
				   const struct principal *p, struct call *c)
{
	p_triage_get(s, p, c);
	c->path = api_fmt("%s/create-ticket", c->check);
	c->body = "{\"priority\":3}";
}

static void p_triage_append(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_triage_get(s, p, c);
	c->path = api_fmt("%s/append", c->check);
	c->body = api_fmt("{\"ticket_id\":%lld}", (long long)ticket_new(s));
}

static void p_triage_answer(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_triage_get(s, p, c);
	c->path = api_fmt("%s/answer", c->check);
	c->body = "{\"body\":\"Thank you, we will look into it.\"}";
}

static void p_triage_forward(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	p_triage_get(s, p, c);
	c->path = api_fmt("%s/forward", c->check);
	c->body = api_fmt("{\"person_id\":%lld}",
			  (long long)s->viewer.person_id);
}

static void p_tickets_replies(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	c->check = object_path("tickets", ticket_new(s));
	c->path = api_fmt("%s/replies", c->check);
	c->body = "{\"body\":\"Permission test reply\","
		  "\"to\":\"kunde@perm-mail.example\"}";
	c->ok_status = 201;
}

/* ---- priority-1 alerting ---- */

/* A store connection to the server's database, closed by the test. */
static struct dd_store *store_of(struct api_server *s)
{
	struct dd_store *store = NULL;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_store_open(s->db_url, &store, &err) < 0)
		fail_msg("cannot open %s: %s", s->engine, err.msg);
	api_defer((void (*)(void *))dd_store_close, store);
	return store;
}

/* A new alert (a P1 ticket made by the admin). */
static int64_t alert_new(struct api_server *s)
{
	json_t *a = admin_ok(
		s, "POST", "/api/v1/alerts",
		api_fmt("{\"subject\":\"%s\"}", api_unique("Permission P1")));
	return api_int(api_obj(a, "alert"), "id");
}

static void p_alerts_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/alerts?state=open";
	c->ok_status = 200;
}

static void p_alerts_create(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/alerts";
	c->body = api_fmt("{\"subject\":\"%s\"}", api_unique("P1"));
	c->ok_status = 201;
}

static void p_alerts_run(struct api_server *s, const struct principal *p,
			 struct call *c, const char *what)
{
	c->path = api_fmt("/api/v1/alerts/%s", what);
	c->body = "{}";
	c->ok_status = 200;
}

static void p_alerts_escalate(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	p_alerts_run(s, p, c, "escalate");
}

static void p_alerts_remind(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	p_alerts_run(s, p, c, "remind");
}

static void p_alerts_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	c->path = object_path("alerts", alert_new(s));
	c->ok_status = 200;
}

static void p_alerts_act(struct api_server *s, struct call *c,
			 const char *action)
{
	c->check = object_path("alerts", alert_new(s));
	c->path = api_fmt("%s/%s", c->check, action);
	c->body = "{}";
	c->ok_status = 200;
}

static void p_alerts_ack(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	p_alerts_act(s, c, "acknowledge");
}

static void p_alerts_resolve(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	p_alerts_act(s, c, "resolve");
}

static const char *alert_policy_body(void)
{
	return api_fmt("{\"name\":\"%s\",\"steps\":[{\"delay_minutes\":0,"
		       "\"target\":{\"kind\":\"coordinator\",\"id\":null}}]}",
		       api_unique("Policy"));
}

static void p_policies_list(struct api_server *s, const struct principal *p,
			    struct call *c)
{
	c->path = "/api/v1/escalation-policies";
	c->ok_status = 200;
}

static void p_policies_create(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	c->path = "/api/v1/escalation-policies";
	c->body = alert_policy_body();
	c->ok_status = 201;
}

static void p_policies_one(struct api_server *s, struct call *c)
{
	json_t *pol = admin_ok(s, "POST", "/api/v1/escalation-policies",
			       alert_policy_body());
	c->path = object_path("escalation-policies", api_int(pol, "id"));
	c->check = c->path;
}

static void p_policies_get(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_policies_one(s, c);
	c->ok_status = 200;
}

static void p_policies_put(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_policies_one(s, c);
	c->body = alert_policy_body();
	c->ok_status = 200;
}

static void p_policies_delete(struct api_server *s, const struct principal *p,
			      struct call *c)
{
	p_policies_one(s, c);
	c->ok_status = 204;
}

static void p_alert_settings_get(struct api_server *s,
				 const struct principal *p, struct call *c)
{
	c->path = "/api/v1/alert-settings";
	c->ok_status = 200;
}

static void p_alert_settings_put(struct api_server *s,
				 const struct principal *p, struct call *c)
{
	c->path = "/api/v1/alert-settings";
	c->body = "{}";
	c->ok_status = 200;
	c->check = c->path;
}

/* The caller's own contact methods (any person for the refused). */
static const char *methods_of(const struct principal *p)
{
	int64_t me = p->anonymous || !p->auth.person_id ? 1 : p->auth.person_id;
	return api_fmt("/api/v1/people/%lld/contact-methods", (long long)me);
}

static int64_t method_new(struct api_server *s, const struct principal *p)
{
	json_t *m = admin_ok(s, "POST", methods_of(p),
			     api_fmt("{\"kind\":\"email\",\"address\":"
				     "\"%s@example.org\"}",
				     api_unique("perm")));
	return api_int(m, "id");
}

static void p_methods_list(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = methods_of(p);
	c->ok_status = 200;
}

static void p_methods_create(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	c->path = methods_of(p);
	c->body = api_fmt("{\"kind\":\"email\",\"address\":\"%s@example.org\"}",
			  api_unique("perm"));
	c->ok_status = 201;
}

static void p_methods_one(struct api_server *s, const struct principal *p,
			  struct call *c, const char *suffix, long status)
{
	c->check =
		api_fmt("%s/%lld", methods_of(p), (long long)method_new(s, p));
	c->path = api_fmt("%s%s", c->check, suffix);
	c->ok_status = status;
}

static void p_methods_get(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	p_methods_one(s, p, c, "", 200);
}

static void p_methods_delete(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	p_methods_one(s, p, c, "", 204);
}

static void p_methods_test(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	p_methods_one(s, p, c, "/test", 202);
	c->body = "{}";
}

static void p_methods_verify(struct api_server *s, const struct principal *p,
			     struct call *c)
{
	/* The code of the test message is in a mail nobody reads here: set
	 * a known one the way the server stores it. */
	int64_t id = method_new(s, p);
	char text[64], digest[DD_SECRET_DIGEST_LEN];
	struct dd_err err;
	snprintf(text, sizeof(text), "contact-method:%lld:123456",
		 (long long)id);
	dd_secret_digest(text, digest);
	dd_err_clear(&err);
	if (dd_store_exec(store_of(s),
			  "UPDATE contact_methods SET verify_digest = $2 "
			  "WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id), DD_P_TEXT(digest)},
			  2, &err) < 0)
		fail_msg("cannot set the code: %s", err.msg);
	c->check = api_fmt("%s/%lld", methods_of(p), (long long)id);
	c->path = api_fmt("%s/verify", c->check);
	c->body = "{\"code\":\"123456\"}";
	c->ok_status = 200;
}

/* A link for a fresh alert, made with the server's own key. */
static const char *ack_path(struct api_server *s)
{
	struct dd_ctx ctx = {.store = store_of(s)};
	struct dd_err err;
	char token[DD_ACK_TOKEN_MAX];
	dd_err_clear(&err);
	if (dd_ack_link_new(&ctx, alert_new(s), DD_ACK_ACKNOWLEDGE,
			    s->admin.person_id, (int64_t)time(NULL) * 1000,
			    token, sizeof(token), &err) < 0)
		fail_msg("cannot make a link: %s", err.msg);
	return api_fmt("/api/v1/ack/%s", token);
}

static void p_ack_get(struct api_server *s, const struct principal *p,
		      struct call *c)
{
	c->path = ack_path(s);
	c->ok_status = 200;
}

static void p_ack_post(struct api_server *s, const struct principal *p,
		       struct call *c)
{
	c->path = ack_path(s);
	c->ok_status = 200;
}

/* A shift-start notice of the caller (any person for the refused),
 * written straight into the database: shifts come from the clock. */
static int64_t shift_new(struct api_server *s, const struct principal *p)
{
	static int n;
	struct dd_err err;
	int64_t id = 0, me = p->anonymous || !p->auth.person_id
				     ? s->admin.person_id
				     : p->auth.person_id;
	dd_err_clear(&err);
	struct dd_param q[] = {
		DD_P_TEXT(api_fmt("2001-01-%02d", ++n % 28 + 1)),
		DD_P_INT(fixture.tel),
		DD_P_INT(me),
	};
	if (dd_store_exec(store_of(s),
			  "DELETE FROM shift_notices WHERE day = $1 AND "
			  "duty_id = $2",
			  q, 2, &err) < 0 ||
	    dd_store_query_int(store_of(s),
			       "INSERT INTO shift_notices (day, duty_id, "
			       "person_id, window_start, window_end, "
			       "notified_at) VALUES ($1, $2, $3, 0, 1, 0) "
			       "RETURNING id",
			       q, 3, &id, &err) < 0)
		fail_msg("cannot insert a shift: %s", err.msg);
	return id;
}

static void p_shifts_list(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/shifts";
	c->ok_status = 200;
}

static void p_shifts_check(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	c->path = "/api/v1/shifts/check";
	c->body = "{}";
	c->ok_status = 200;
}

static void p_shifts_get(struct api_server *s, const struct principal *p,
			 struct call *c)
{
	fixture_load(s);
	c->path = object_path("shifts", shift_new(s, p));
	c->ok_status = 200;
}

static void p_shifts_ready(struct api_server *s, const struct principal *p,
			   struct call *c)
{
	fixture_load(s);
	c->check = object_path("shifts", shift_new(s, p));
	c->path = api_fmt("%s/ready", c->check);
	c->body = "{}";
	c->ok_status = 200;
}

static void p_phone_route(struct api_server *s, const struct principal *p,
			  struct call *c)
{
	c->path = "/api/v1/phone/route";
	c->ok_status = 200;
}

static const struct row rows[] = {
	{DD_GET, "/healthz", DD_ROLE_NONE, p_healthz, V_NONE},
	{DD_GET, "/readyz", DD_ROLE_NONE, p_readyz, V_NONE},
	{DD_GET, "/", DD_ROLE_NONE, p_ui_index, V_NONE},
	{DD_GET, "/assets/{file}", DD_ROLE_NONE, p_ui_asset, V_NONE},
	{DD_POST, "/api/v1/session", DD_ROLE_NONE, p_session_create, V_NONE},
	{DD_GET, "/api/v1/session", DD_ROLE_VIEWER, p_session_get, V_NONE},
	{DD_DELETE, "/api/v1/session", DD_ROLE_VIEWER, p_session_delete,
	 V_NONE},
	{DD_POST, "/api/v1/me/password", DD_ROLE_VIEWER, p_me_password, V_NONE},
	{DD_GET, "/api/v1/people", DD_ROLE_VIEWER, p_people_list, V_NONE},
	{DD_POST, "/api/v1/people", DD_ROLE_ADMIN, p_people_create, V_NONE},
	{DD_GET, "/api/v1/people/{id}", DD_ROLE_VIEWER, p_people_get, V_NONE},
	{DD_PATCH, "/api/v1/people/{id}", DD_ROLE_ADMIN, p_people_patch,
	 V_PERSON},
	{DD_DELETE, "/api/v1/people/{id}", DD_ROLE_ADMIN, p_people_delete,
	 V_PERSON},
	{DD_PUT, "/api/v1/people/{id}/password", DD_ROLE_ADMIN,
	 p_people_password, V_PERSON},
	{DD_GET, "/api/v1/groups", DD_ROLE_VIEWER, p_groups_list, V_NONE},
	{DD_POST, "/api/v1/groups", DD_ROLE_ADMIN, p_groups_create, V_NONE},
	{DD_GET, "/api/v1/groups/{id}", DD_ROLE_VIEWER, p_groups_get, V_NONE},
	{DD_PATCH, "/api/v1/groups/{id}", DD_ROLE_ADMIN, p_groups_patch,
	 V_GROUP},
	{DD_DELETE, "/api/v1/groups/{id}", DD_ROLE_ADMIN, p_groups_delete,
	 V_GROUP},
	{DD_GET, "/api/v1/groups/{id}/members", DD_ROLE_VIEWER, p_members_list,
	 V_NONE},
	{DD_PUT, "/api/v1/groups/{id}/members/{person_id}", DD_ROLE_ADMIN,
	 p_members_put, V_MEMBERS_0},
	{DD_DELETE, "/api/v1/groups/{id}/members/{person_id}", DD_ROLE_ADMIN,
	 p_members_delete, V_MEMBERS_1},
	{DD_GET, "/api/v1/tokens", DD_ROLE_ADMIN, p_tokens_list, V_NONE},
	{DD_POST, "/api/v1/tokens", DD_ROLE_ADMIN, p_tokens_create, V_NONE},
	{DD_GET, "/api/v1/tokens/{id}", DD_ROLE_ADMIN, p_tokens_get, V_NONE},
	{DD_DELETE, "/api/v1/tokens/{id}", DD_ROLE_ADMIN, p_tokens_delete,
	 V_TOKEN},
	{DD_GET, "/api/v1/events", DD_ROLE_ADMIN, p_events, V_NONE},
	{DD_GET, "/api/v1/live", DD_ROLE_VIEWER, p_live, V_NONE},
	{DD_GET, "/api/v1/outbox", DD_ROLE_ADMIN, p_outbox_list, V_NONE},
	{DD_GET, "/api/v1/outbox/{id}", DD_ROLE_ADMIN, p_outbox_get, V_NONE},
	{DD_POST, "/api/v1/outbox/{id}/retry", DD_ROLE_ADMIN, p_outbox_retry,
	 V_NONE},

	{DD_GET, "/api/v1/calendar", DD_ROLE_VIEWER, p_calendar_get, V_NONE},
	{DD_PUT, "/api/v1/calendar", DD_ROLE_EDITOR, p_calendar_put, V_NONE},
	{DD_GET, "/api/v1/duties", DD_ROLE_VIEWER, p_duties_list, V_NONE},
	{DD_POST, "/api/v1/duties", DD_ROLE_EDITOR, p_duties_create, V_NONE},
	{DD_GET, "/api/v1/duties/{id}", DD_ROLE_VIEWER, p_duties_get, V_NONE},
	{DD_PATCH, "/api/v1/duties/{id}", DD_ROLE_EDITOR, p_duties_patch,
	 V_DUTY},
	{DD_DELETE, "/api/v1/duties/{id}", DD_ROLE_EDITOR, p_duties_delete,
	 V_DUTY},
	{DD_GET, "/api/v1/rota/members", DD_ROLE_VIEWER, p_rota_members_list,
	 V_NONE},
	{DD_PUT, "/api/v1/rota/members/{person_id}", DD_ROLE_EDITOR,
	 p_rota_members_put, V_ROTA_OUT},
	{DD_DELETE, "/api/v1/rota/members/{person_id}", DD_ROLE_EDITOR,
	 p_rota_members_delete, V_ROTA_IN},
	{DD_GET, "/api/v1/rota/weeks", DD_ROLE_VIEWER, p_weeks_list, V_NONE},
	{DD_GET, "/api/v1/rota/weeks/{week}", DD_ROLE_VIEWER, p_weeks_get,
	 V_NONE},
	{DD_PUT, "/api/v1/rota/weeks/{week}", DD_ROLE_EDITOR, p_weeks_put,
	 V_WEEK_NONE},
	{DD_DELETE, "/api/v1/rota/weeks/{week}", DD_ROLE_EDITOR, p_weeks_delete,
	 V_WEEK_DRAFT},
	{DD_POST, "/api/v1/rota/weeks/{week}/publish", DD_ROLE_EDITOR,
	 p_weeks_publish, V_WEEK_DRAFT},
	{DD_GET, "/api/v1/rota/days", DD_ROLE_VIEWER, p_days_list, V_NONE},
	{DD_PUT, "/api/v1/rota/days/{day}/{duty_id}", DD_ROLE_EDITOR,
	 p_days_put, V_NONE},
	{DD_POST, "/api/v1/rota/proposals", DD_ROLE_EDITOR, p_proposals,
	 V_NONE},
	{DD_GET, "/api/v1/rota/hours", DD_ROLE_VIEWER, p_rota_hours, V_NONE},
	{DD_GET, "/api/v1/rota/jour-fixe", DD_ROLE_VIEWER, p_rota_jourfixe,
	 V_NONE},

	{DD_GET, "/api/v1/holidays", DD_ROLE_VIEWER, p_holidays_list, V_NONE},
	{DD_POST, "/api/v1/holidays", DD_ROLE_EDITOR, p_holidays_create,
	 V_NONE},
	{DD_POST, "/api/v1/holidays/import", DD_ROLE_EDITOR, p_holidays_import,
	 V_NONE},
	{DD_DELETE, "/api/v1/holidays/{id}", DD_ROLE_EDITOR, p_holidays_delete,
	 V_SNAPSHOT},

	{DD_GET, "/api/v1/calendar-feeds", DD_ROLE_VIEWER, p_feeds_list,
	 V_NONE},
	{DD_POST, "/api/v1/calendar-feeds", DD_ROLE_VIEWER, p_feeds_create,
	 V_NONE},
	{DD_DELETE, "/api/v1/calendar-feeds/{id}", DD_ROLE_VIEWER,
	 p_feeds_delete, V_READABLE},
	{DD_GET, "/ical/{file}", DD_ROLE_NONE, p_ical, V_NONE},

	{DD_GET, "/api/v1/absences", DD_ROLE_VIEWER, p_absences_list, V_NONE},
	{DD_POST, "/api/v1/absences", DD_ROLE_VIEWER, p_absences_create,
	 V_NONE},
	{DD_GET, "/api/v1/absences/{id}", DD_ROLE_VIEWER, p_absences_get,
	 V_NONE},
	{DD_DELETE, "/api/v1/absences/{id}", DD_ROLE_VIEWER, p_absences_delete,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/rota/uncovered", DD_ROLE_VIEWER, p_uncovered_list,
	 V_NONE},
	{DD_POST, "/api/v1/rota/uncovered/check", DD_ROLE_EDITOR,
	 p_uncovered_check, V_NONE},
	{DD_POST, "/api/v1/rota/replacements", DD_ROLE_VIEWER, p_replacements,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/swaps", DD_ROLE_VIEWER, p_swaps_list, V_NONE},
	{DD_POST, "/api/v1/swaps", DD_ROLE_VIEWER, p_swaps_create, V_NONE},
	{DD_GET, "/api/v1/swaps/{id}", DD_ROLE_VIEWER, p_swaps_get, V_NONE},
	{DD_POST, "/api/v1/swaps/{id}/accept", DD_ROLE_VIEWER, p_swaps_accept,
	 V_SNAPSHOT},
	{DD_POST, "/api/v1/swaps/{id}/decline", DD_ROLE_VIEWER, p_swaps_decline,
	 V_SNAPSHOT},
	{DD_POST, "/api/v1/swaps/{id}/cancel", DD_ROLE_VIEWER, p_swaps_cancel,
	 V_SNAPSHOT},
	{DD_POST, "/api/v1/rota/sick", DD_ROLE_VIEWER, p_sick, V_NONE},
	{DD_GET, "/api/v1/rota/cover-requests", DD_ROLE_VIEWER, p_cover_list,
	 V_NONE},
	{DD_GET, "/api/v1/rota/cover-requests/{id}", DD_ROLE_VIEWER,
	 p_cover_get, V_NONE},
	{DD_POST, "/api/v1/rota/cover-requests/{id}/accept", DD_ROLE_VIEWER,
	 p_cover_accept, V_SNAPSHOT},
	{DD_POST, "/api/v1/rota/cover-requests/{id}/decline", DD_ROLE_VIEWER,
	 p_cover_decline, V_SNAPSHOT},
	{DD_POST, "/api/v1/rota/cover-requests/{id}/assign", DD_ROLE_EDITOR,
	 p_cover_assign, V_SNAPSHOT},

	{DD_GET, "/api/v1/oncall/now", DD_ROLE_VIEWER, p_oncall_now, V_NONE},
	{DD_GET, "/api/v1/oncall", DD_ROLE_VIEWER, p_oncall_at, V_NONE},

	{DD_GET, "/api/v1/sla-policies", DD_ROLE_VIEWER, p_sla_list, V_NONE},
	{DD_POST, "/api/v1/sla-policies", DD_ROLE_EDITOR, p_sla_create, V_NONE},
	{DD_GET, "/api/v1/sla-policies/{id}", DD_ROLE_VIEWER, p_sla_get,
	 V_NONE},
	{DD_PATCH, "/api/v1/sla-policies/{id}", DD_ROLE_EDITOR, p_sla_patch,
	 V_SNAPSHOT},
	{DD_DELETE, "/api/v1/sla-policies/{id}", DD_ROLE_EDITOR, p_sla_delete,
	 V_SNAPSHOT},
	{DD_POST, "/api/v1/sla/check", DD_ROLE_EDITOR, p_sla_check, V_NONE},

	{DD_GET, "/api/v1/organisations", DD_ROLE_VIEWER, p_orgs_list, V_NONE},
	{DD_POST, "/api/v1/organisations", DD_ROLE_EDITOR, p_orgs_create,
	 V_NONE},
	{DD_GET, "/api/v1/organisations/{id}", DD_ROLE_VIEWER, p_orgs_get,
	 V_NONE},
	{DD_PATCH, "/api/v1/organisations/{id}", DD_ROLE_EDITOR, p_orgs_patch,
	 V_SNAPSHOT},
	{DD_DELETE, "/api/v1/organisations/{id}", DD_ROLE_EDITOR, p_orgs_delete,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/contacts", DD_ROLE_VIEWER, p_contacts_list, V_NONE},
	{DD_POST, "/api/v1/contacts", DD_ROLE_EDITOR, p_contacts_create,
	 V_NONE},
	{DD_GET, "/api/v1/contacts/{id}", DD_ROLE_VIEWER, p_contacts_get,
	 V_NONE},
	{DD_PATCH, "/api/v1/contacts/{id}", DD_ROLE_EDITOR, p_contacts_patch,
	 V_SNAPSHOT},
	{DD_DELETE, "/api/v1/contacts/{id}", DD_ROLE_EDITOR, p_contacts_delete,
	 V_SNAPSHOT},
	{DD_PUT, "/api/v1/contacts/{id}/organisations/{org_id}", DD_ROLE_EDITOR,
	 p_contact_orgs_put, V_SNAPSHOT},
	{DD_DELETE, "/api/v1/contacts/{id}/organisations/{org_id}",
	 DD_ROLE_EDITOR, p_contact_orgs_delete, V_SNAPSHOT},
	{DD_GET, "/api/v1/queues", DD_ROLE_VIEWER, p_queues_list, V_NONE},
	{DD_POST, "/api/v1/queues", DD_ROLE_EDITOR, p_queues_create, V_NONE},
	{DD_GET, "/api/v1/queues/{id}", DD_ROLE_VIEWER, p_queues_get, V_NONE},
	{DD_PATCH, "/api/v1/queues/{id}", DD_ROLE_EDITOR, p_queues_patch,
	 V_SNAPSHOT},
	{DD_DELETE, "/api/v1/queues/{id}", DD_ROLE_EDITOR, p_queues_delete,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/assignment-rules", DD_ROLE_VIEWER, p_rules_list,
	 V_NONE},
	{DD_POST, "/api/v1/assignment-rules", DD_ROLE_EDITOR, p_rules_create,
	 V_NONE},
	{DD_PUT, "/api/v1/assignment-rules/order", DD_ROLE_EDITOR,
	 p_rules_order, V_SNAPSHOT},
	{DD_GET, "/api/v1/assignment-rules/{id}", DD_ROLE_VIEWER, p_rules_get,
	 V_NONE},
	{DD_PATCH, "/api/v1/assignment-rules/{id}", DD_ROLE_EDITOR,
	 p_rules_patch, V_SNAPSHOT},
	{DD_DELETE, "/api/v1/assignment-rules/{id}", DD_ROLE_EDITOR,
	 p_rules_delete, V_SNAPSHOT},

	{DD_POST, "/api/v1/tickets/phone", DD_ROLE_VIEWER, p_phone, V_NONE},
	{DD_GET, "/api/v1/tickets/phone/lookup", DD_ROLE_VIEWER, p_phone_lookup,
	 V_NONE},
	{DD_POST, "/api/v1/tickets", DD_ROLE_VIEWER, p_tickets_create, V_NONE},
	{DD_GET, "/api/v1/tickets", DD_ROLE_VIEWER, p_tickets_list, V_NONE},
	{DD_GET, "/api/v1/tickets/views", DD_ROLE_VIEWER, p_ticket_views,
	 V_NONE},
	{DD_GET, "/api/v1/tickets/{id}", DD_ROLE_VIEWER, p_tickets_get, V_NONE},
	{DD_PATCH, "/api/v1/tickets/{id}", DD_ROLE_VIEWER, p_tickets_patch,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/ticket-numbers/{number}", DD_ROLE_VIEWER,
	 p_ticket_number, V_NONE},
	{DD_POST, "/api/v1/tickets/{id}/articles", DD_ROLE_VIEWER,
	 p_articles_create, V_SNAPSHOT},
	{DD_GET, "/api/v1/tickets/{id}/articles", DD_ROLE_VIEWER,
	 p_articles_list, V_NONE},
	{DD_POST, "/api/v1/tickets/{id}/attachments", DD_ROLE_VIEWER,
	 p_attachments_create, V_SNAPSHOT},
	{DD_GET, "/api/v1/tickets/{id}/attachments", DD_ROLE_VIEWER,
	 p_attachments_list, V_NONE},
	{DD_GET, "/api/v1/attachments/{id}", DD_ROLE_VIEWER, p_attachments_get,
	 V_NONE},
	{DD_POST, "/api/v1/tickets/{id}/merge", DD_ROLE_VIEWER, p_tickets_merge,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/tickets/{id}/history", DD_ROLE_VIEWER,
	 p_tickets_history, V_NONE},
	{DD_GET, "/api/v1/reports/time", DD_ROLE_VIEWER, p_time_report, V_NONE},

	{DD_POST, "/api/v1/mail/inbound", DD_ROLE_VIEWER, p_mail_inbound,
	 V_NONE},
	{DD_GET, "/api/v1/mail/messages", DD_ROLE_VIEWER, p_mail_list, V_NONE},
	{DD_GET, "/api/v1/mail/messages/{id}", DD_ROLE_VIEWER, p_mail_get,
	 V_NONE},
	{DD_GET, "/api/v1/mail/messages/{id}/raw", DD_ROLE_VIEWER, p_mail_raw,
	 V_NONE},
	{DD_POST, "/api/v1/mail/messages/{id}/reprocess", DD_ROLE_EDITOR,
	 p_mail_reprocess, V_SNAPSHOT},
	{DD_GET, "/api/v1/mail/settings", DD_ROLE_EDITOR, p_mail_settings_get,
	 V_NONE},
	{DD_PUT, "/api/v1/mail/settings", DD_ROLE_ADMIN, p_mail_settings_put,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/triage", DD_ROLE_VIEWER, p_triage_list, V_NONE},
	{DD_GET, "/api/v1/triage/{id}", DD_ROLE_VIEWER, p_triage_get, V_NONE},
	{DD_POST, "/api/v1/triage/{id}/create-ticket", DD_ROLE_VIEWER,
	 p_triage_create_ticket, V_SNAPSHOT},
	{DD_POST, "/api/v1/triage/{id}/append", DD_ROLE_VIEWER,
	 p_triage_append, V_SNAPSHOT},
	{DD_POST, "/api/v1/triage/{id}/answer", DD_ROLE_VIEWER,
	 p_triage_answer, V_SNAPSHOT},
	{DD_POST, "/api/v1/triage/{id}/forward", DD_ROLE_VIEWER,
	 p_triage_forward, V_SNAPSHOT},
	{DD_POST, "/api/v1/tickets/{id}/replies", DD_ROLE_VIEWER,
	 p_tickets_replies, V_SNAPSHOT},
	{DD_GET, "/api/v1/alerts", DD_ROLE_VIEWER, p_alerts_list, V_NONE},
	{DD_POST, "/api/v1/alerts", DD_ROLE_VIEWER, p_alerts_create, V_NONE},
	{DD_POST, "/api/v1/alerts/escalate", DD_ROLE_EDITOR, p_alerts_escalate,
	 V_NONE},
	{DD_POST, "/api/v1/alerts/remind", DD_ROLE_EDITOR, p_alerts_remind,
	 V_NONE},
	{DD_GET, "/api/v1/alerts/{id}", DD_ROLE_VIEWER, p_alerts_get, V_NONE},
	{DD_POST, "/api/v1/alerts/{id}/acknowledge", DD_ROLE_VIEWER,
	 p_alerts_ack, V_SNAPSHOT},
	{DD_POST, "/api/v1/alerts/{id}/resolve", DD_ROLE_VIEWER,
	 p_alerts_resolve, V_SNAPSHOT},
	{DD_GET, "/api/v1/escalation-policies", DD_ROLE_VIEWER, p_policies_list,
	 V_NONE},
	{DD_POST, "/api/v1/escalation-policies", DD_ROLE_EDITOR,
	 p_policies_create, V_NONE},
	{DD_GET, "/api/v1/escalation-policies/{id}", DD_ROLE_VIEWER,
	 p_policies_get, V_NONE},
	{DD_PUT, "/api/v1/escalation-policies/{id}", DD_ROLE_EDITOR,
	 p_policies_put, V_SNAPSHOT},
	{DD_DELETE, "/api/v1/escalation-policies/{id}", DD_ROLE_EDITOR,
	 p_policies_delete, V_SNAPSHOT},
	{DD_GET, "/api/v1/alert-settings", DD_ROLE_VIEWER, p_alert_settings_get,
	 V_NONE},
	{DD_PUT, "/api/v1/alert-settings", DD_ROLE_EDITOR, p_alert_settings_put,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/people/{id}/contact-methods", DD_ROLE_VIEWER,
	 p_methods_list, V_NONE},
	{DD_POST, "/api/v1/people/{id}/contact-methods", DD_ROLE_VIEWER,
	 p_methods_create, V_NONE},
	{DD_GET, "/api/v1/people/{id}/contact-methods/{method_id}",
	 DD_ROLE_VIEWER, p_methods_get, V_NONE},
	{DD_DELETE, "/api/v1/people/{id}/contact-methods/{method_id}",
	 DD_ROLE_VIEWER, p_methods_delete, V_SNAPSHOT},
	{DD_POST, "/api/v1/people/{id}/contact-methods/{method_id}/test",
	 DD_ROLE_VIEWER, p_methods_test, V_NONE},
	{DD_POST, "/api/v1/people/{id}/contact-methods/{method_id}/verify",
	 DD_ROLE_VIEWER, p_methods_verify, V_SNAPSHOT},
	{DD_GET, "/api/v1/ack/{token}", DD_ROLE_NONE, p_ack_get, V_NONE},
	{DD_POST, "/api/v1/ack/{token}", DD_ROLE_NONE, p_ack_post, V_NONE},
	{DD_GET, "/api/v1/shifts", DD_ROLE_VIEWER, p_shifts_list, V_NONE},
	{DD_POST, "/api/v1/shifts/check", DD_ROLE_EDITOR, p_shifts_check,
	 V_NONE},
	{DD_GET, "/api/v1/shifts/{id}", DD_ROLE_VIEWER, p_shifts_get, V_NONE},
	{DD_POST, "/api/v1/shifts/{id}/ready", DD_ROLE_VIEWER, p_shifts_ready,
	 V_SNAPSHOT},
	{DD_GET, "/api/v1/phone/route", DD_ROLE_VIEWER, p_phone_route, V_NONE},
	{DD_GET, "/api/v1/reports/tickets", DD_ROLE_VIEWER, p_ticket_report,
	 V_NONE},
	{DD_GET, "/api/v1/reports/p1", DD_ROLE_VIEWER, p_p1_report, V_NONE},
};
#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

/* Routes for integrations: a token needs this one scope instead of
 * read/write. */
static const struct {
	enum dd_method method;
	const char *pattern;
	unsigned scope;
} scoped[] = {
	{DD_POST, "/api/v1/mail/inbound", DD_SCOPE_MAIL_INGEST},
	{DD_GET, "/api/v1/phone/route", DD_SCOPE_PHONE_ROUTE},
};

static unsigned row_scope(enum dd_method method, const char *pattern)
{
	for (size_t i = 0; i < sizeof(scoped) / sizeof(scoped[0]); i++)
		if (scoped[i].method == method &&
		    strcmp(scoped[i].pattern, pattern) == 0)
			return scoped[i].scope;
	return 0;
}

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

/* What the admin sees at c->check, before a refused request. */
static json_t *snapshot(struct api_server *s, const struct row *row,
			const struct call *c)
{
	if (row->verify != V_SNAPSHOT)
		return NULL;
	assert_non_null(c->check);
	struct api_resp *r = api_get(s, &s->admin, c->check);
	api_expect_json(r, 200);
	return r->json;
}

/* After a refused request: the target is as it was (before: what
 * snapshot gave). */
static void check_unchanged(struct api_server *s, const struct row *row,
			    const struct call *c, json_t *before)
{
	struct api_resp *r;
	switch (row->verify) {
	case V_NONE:
		return;
	case V_SNAPSHOT:
		r = api_get(s, &s->admin, c->check);
		api_expect_json(r, 200);
		if (!json_equal(before, r->json)) {
			char *b = json_dumps(before, JSON_COMPACT);
			print_error("%s changed: it was %s\n", c->check, b);
			free(b);
			api_resp_print(r);
			fail();
		}
		return;
	case V_READABLE:
		api_expect_status(api_get(s, NULL, c->check), 200);
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
	json_t *before = row && want != ALLOW ? snapshot(s, row, &c) : NULL;
	struct api_req q = {.method = method,
			    .path = c.path,
			    .auth = p->anonymous ? NULL : &p->auth,
			    .body = c.body,
			    .content_type = c.content_type,
			    .stream_ms = c.stream_ms};
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
		check_unchanged(s, row, &c, before);
}

/* Every route for p; signing out comes last, as it ends a session. */
static void walk(struct api_server *s, const struct principal *p)
{
	const struct dd_route *last = NULL;
	fixture_load(s);
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
	int missing = 0;
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
		    found->access.scope !=
			    row_scope(rows[i].method, rows[i].pattern)) {
			print_error("%s %s demands role '%s' in routes.c, "
				    "'%s' here\n",
				    dd_method_name(rows[i].method),
				    rows[i].pattern,
				    role_name(found->access.min_role),
				    role_name(rows[i].min_role));
			fail();
		}
	}
	/* No route twice, and every route has a row: a new route does not
	 * skip the matrix. */
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
			print_error("%s %s has no row in test_permissions.c: "
				    "add one with the role it needs and a "
				    "request that succeeds\n",
				    dd_method_name(dd_routes[k].method),
				    dd_routes[k].pattern);
			missing++;
		}
	}
	if (missing)
		fail_msg("%d route(s) without a row", missing);
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
		struct api_resp *r = api_head(
			s, NULL, placeholder_path(dd_routes[i].pattern));
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
	int64_t id = member_of(s, "users", login);
	/* Made on the command line, as an operator would. */
	api_token_cli(s, login, "read,write", &p.auth);
	p.auth.person_id = id; /* for the self-service routes */
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
