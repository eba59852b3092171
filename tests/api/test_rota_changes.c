/*
 * test_rota_changes.c - changes to the plan, end to end: swaps (give and
 * exchange, accept, decline, cancel), absences and the uncovered days
 * they make, replacements, the uncovered-day warning, sick today with
 * ranked cover requests (first acceptance wins, an editor may force), the
 * precedence sick cover > replacement > swap > plan as /oncall shows it,
 * and who may act for whom.
 *
 * The demo organisation has a published plan from this week for 13
 * weeks. Each test works on its own week (or days no other test uses),
 * finds out who holds which day through GET /api/v1/rota/days and signs
 * in as those rota members (every demo password is the same).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "base/date.h"

#define PW	    "changes-password-1"
#define MEMBERS_MAX 16

/* Today in Europe/Berlin, set in main. */
static int64_t g_today;

/* The demo's duties and rota members, and sessions of the members,
 * loaded once per server. */
static struct {
	char key[128]; /* engine and port of the server they belong to */
	int64_t tel, emg;
	int n;
	int64_t ids[MEMBERS_MAX];
	char logins[MEMBERS_MAX][65];
	struct api_auth auth[MEMBERS_MAX];
	int signed_in[MEMBERS_MAX];
} team;

static const char *day_text(int64_t day)
{
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(day, text);
	return api_fmt("%s", text);
}

static int64_t day_of(const char *text)
{
	int64_t day = 0;
	assert_non_null(text);
	assert_int_equal(dd_date_parse(text, &day), 0);
	return day;
}

static void team_load(struct api_server *s)
{
	char key[128];
	snprintf(key, sizeof(key), "%s:%d", s->engine, s->port);
	if (strcmp(team.key, key) == 0)
		return;
	memset(&team, 0, sizeof(team));
	snprintf(team.key, sizeof(team.key), "%s", key);
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/duties");
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		if (api_int(v, "slot") == 0)
			team.tel = api_int(v, "id");
		else
			team.emg = api_int(v, "id");
	}
	assert_true(team.tel > 0 && team.emg > 0);
	r = api_get(s, &s->viewer, "/api/v1/rota/members");
	api_expect_json(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		if (team.n >= MEMBERS_MAX)
			break;
		team.ids[team.n] = api_int(v, "person_id");
		snprintf(team.logins[team.n], 65, "%s", api_str(v, "login"));
		team.n++;
	}
	assert_int_equal(team.n, 8);
}

/* A signed-in session of rota member id. */
static const struct api_auth *as(struct api_server *s, int64_t id)
{
	team_load(s);
	for (int i = 0; i < team.n; i++) {
		if (team.ids[i] != id)
			continue;
		if (!team.signed_in[i]) {
			api_signin(s, team.logins[i], API_DEMO_PASSWORD,
				   &team.auth[i]);
			team.signed_in[i] = 1;
		}
		return &team.auth[i];
	}
	fail_msg("person %lld is not a rota member", (long long)id);
	return NULL;
}

/* The items of GET /api/v1/rota/days for [from, to]. */
static json_t *days(struct api_server *s, int64_t from, int64_t to)
{
	struct api_resp *r = api_get(s, &s->viewer,
				     api_fmt("/api/v1/rota/days?from=%s&to=%s",
					     day_text(from), day_text(to)));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_is_array(items));
	return items;
}

/* Who holds duty on day (0: nobody), and why. */
static int64_t holder(struct api_server *s, int64_t day, int64_t duty,
		      const char **reason)
{
	size_t i;
	json_t *v;
	json_array_foreach(days(s, day, day), i, v)
	{
		if (api_int(v, "duty_id") != duty)
			continue;
		if (reason)
			*reason = api_fmt("%s", api_str(v, "reason"));
		int64_t p = api_int(v, "person_id");
		return p == API_MISSING ? 0 : p;
	}
	fail_msg("duty %lld does not run on %s", (long long)duty,
		 day_text(day));
	return 0;
}

/* The duty days of the week weeks after this one into out[7]; returns
 * how many. */
static int week_days(struct api_server *s, int weeks, int64_t out[7])
{
	int64_t monday = dd_date_week_start(g_today) + 7 * weeks;
	int n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(days(s, monday, monday + 6), i, v)
	{
		int64_t d = day_of(api_str(v, "day"));
		if ((n == 0 || out[n - 1] != d) && n < 7)
			out[n++] = d;
	}
	return n;
}

/* The n-th (0-based) duty day of the week weeks after this one. Every
 * week has at least three, holidays or not. */
static int64_t biz_day(struct api_server *s, int weeks, int n)
{
	int64_t d[7];
	if (week_days(s, weeks, d) <= n)
		fail_msg("week +%d has fewer than %d duty days", weeks, n + 1);
	return d[n];
}

/* Who /oncall names for duty inside day's 16:00-18:00 window (15:30 UTC
 * is 16:30 in winter and 17:30 in summer), and why. */
static int64_t oncall(struct api_server *s, int64_t day, int64_t duty,
		      const char **reason)
{
	struct api_resp *r = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/oncall?at=%sT15:30:00Z", day_text(day)));
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "duties"), i, v)
	{
		if (api_int(v, "duty_id") != duty)
			continue;
		assert_true(api_bool(v, "open"));
		if (reason)
			*reason = api_fmt("%s", api_str(v, "reason"));
		json_t *p = api_obj(v, "person");
		return p ? api_int(p, "id") : 0;
	}
	fail_msg("no duty %lld in /oncall", (long long)duty);
	return 0;
}

static int absent(struct api_server *s, int64_t day, int64_t person)
{
	struct api_resp *r = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/absences?from=%s&to=%s&person_id=%lld",
			day_text(day), day_text(day), (long long)person));
	api_expect_json(r, 200);
	return json_array_size(json_object_get(r->json, "items")) > 0;
}

/* A rota member on no duty and not absent on day, and not in excl. */
static int64_t free_member(struct api_server *s, int64_t day,
			   const int64_t *excl, int nexcl)
{
	team_load(s);
	int64_t a = holder(s, day, team.tel, NULL);
	int64_t b = holder(s, day, team.emg, NULL);
	for (int i = 0; i < team.n; i++) {
		int64_t id = team.ids[i];
		int skip = id == a || id == b;
		for (int k = 0; k < nexcl; k++)
			skip |= id == excl[k];
		if (!skip && !absent(s, day, id))
			return id;
	}
	fail_msg("nobody is free on %s", day_text(day));
	return 0;
}

static struct api_resp *swap_new(struct api_server *s, const struct api_auth *a,
				 int64_t day, int64_t duty, int64_t colleague)
{
	return api_json(s, a, "POST", "/api/v1/swaps",
			api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
				"\"colleague_id\":%lld}",
				day_text(day), (long long)duty,
				(long long)colleague));
}

static struct api_resp *swap_post(struct api_server *s,
				  const struct api_auth *a, int64_t id,
				  const char *what)
{
	return api_json(s, a, "POST",
			api_fmt("/api/v1/swaps/%lld/%s", (long long)id, what),
			NULL);
}

static struct api_resp *absence_new(struct api_server *s,
				    const struct api_auth *a, int64_t person,
				    const char *kind, int64_t first,
				    int64_t last)
{
	return api_json(s, a, "POST", "/api/v1/absences",
			api_fmt("{\"person_id\":%lld,\"kind\":\"%s\","
				"\"first_day\":\"%s\",\"last_day\":\"%s\"}",
				(long long)person, kind, day_text(first),
				day_text(last)));
}

/* The uncovered entry of (day, duty), or NULL. */
static json_t *uncovered(struct api_server *s, int64_t day, int64_t duty)
{
	struct api_resp *r =
		api_get(s, &s->viewer,
			api_fmt("/api/v1/rota/uncovered?from=%s&to=%s",
				day_text(day), day_text(day)));
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i,
			   v) if (api_int(v, "duty_id") == duty) return v;
	return NULL;
}

/* The events of an object, newest first (admin only). */
static json_t *events_of(struct api_server *s, const char *type, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->admin,
		api_fmt("/api/v1/"
			"events?object_type=%s&object_id=%lld&limit=500",
			type, (long long)id));
	api_expect_json(r, 200);
	return json_object_get(r->json, "items");
}

static json_t *event_find(json_t *items, const char *action)
{
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v) if (strcmp(api_str(v, "action"),
						   action) == 0) return v;
	return NULL;
}

/* ---- swaps ---- */

/* A gives a day to a free colleague, who accepts: /oncall names the
 * colleague for a swap, and the event tells coordinator and
 * substitute. */
static void test_swap_give_accept(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t day = biz_day(s, 1, 0);
	int64_t a = holder(s, day, team.tel, NULL);
	int64_t c = free_member(s, day, NULL, 0);
	int64_t before = oncall(s, day, team.tel, NULL);
	assert_int_equal(before, a);

	struct api_resp *r = swap_new(s, as(s, a), day, team.tel, c);
	api_expect_json(r, 201);
	assert_non_null(r->location);
	assert_string_equal(api_str(r->json, "status"), "open");
	assert_string_equal(api_str(r->json, "kind"), "give");
	assert_int_equal(api_int(r->json, "requester_id"), a);
	int64_t id = api_int(r->json, "id");
	/* Nothing changes until the colleague says yes. */
	assert_int_equal(oncall(s, day, team.tel, NULL), a);

	/* The same day twice: 409. */
	r = swap_new(s, as(s, a), day, team.tel, c);
	api_assert_problem(r, 409, "conflict");

	r = api_get(s, &s->viewer, "/api/v1/swaps?status=open");
	api_expect_json(r, 200);
	int listed = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v) listed +=
		api_int(v, "id") == id;
	assert_int_equal(listed, 1);

	r = swap_post(s, as(s, c), id, "accept");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "accepted");
	assert_true(json_is_string(json_object_get(r->json, "decided_at")));

	const char *reason;
	assert_int_equal(oncall(s, day, team.tel, &reason), c);
	assert_string_equal(reason, "swap");
	assert_int_equal(holder(s, day, team.tel, &reason), c);
	assert_string_equal(reason, "swap");

	/* Accepting twice: 409. */
	r = swap_post(s, as(s, c), id, "accept");
	api_assert_problem(r, 409, "conflict");

	json_t *ev = event_find(events_of(s, "swap", id), "swap.accepted");
	assert_non_null(ev);
	assert_int_equal(api_int(ev, "actor_id"), c);
	json_t *after = api_obj(ev, "after");
	assert_non_null(after);
	r = api_get(s, &s->viewer, "/api/v1/calendar");
	api_expect_json(r, 200);
	int64_t coordinator = api_int(r->json, "coordinator_id");
	int64_t substitute = api_int(r->json, "substitute_id");
	assert_true(coordinator > 0 && substitute > 0);
	assert_int_equal(api_int(after, "coordinator_id"), coordinator);
	assert_int_equal(api_int(after, "substitute_id"), substitute);
	json_t *notify = json_object_get(after, "notify");
	assert_int_equal(json_array_size(notify), 2);
	assert_int_equal(json_integer_value(json_array_get(notify, 0)),
			 coordinator);
	assert_int_equal(json_integer_value(json_array_get(notify, 1)),
			 substitute);
	assert_non_null(event_find(events_of(s, "swap", id), "swap.create"));
}

/* Two days exchanged between people of different weeks, and the two
 * duties of one day traded within the pair. */
static void test_swap_exchange(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t d1 = biz_day(s, 2, 0);
	int64_t a = holder(s, d1, team.tel, NULL);
	int64_t p = holder(s, d1, team.emg, NULL);
	/* A colleague on duty in week 3 but not in week 2, on a day A is
	 * free. */
	int64_t c = 0, d2 = 0, c_duty = 0, wd[7];
	int nd = week_days(s, 3, wd);
	for (int n = 0; n < nd && !c; n++) {
		int64_t d = wd[n];
		int64_t t = holder(s, d, team.tel, NULL);
		int64_t e = holder(s, d, team.emg, NULL);
		if (t == a || e == a)
			continue;
		if (t != p && t != a) {
			c = t;
			c_duty = team.tel;
		} else if (e != p && e != a) {
			c = e;
			c_duty = team.emg;
		}
		d2 = d;
	}
	if (!c)
		skip();
	struct api_resp *r = api_json(
		s, as(s, a), "POST", "/api/v1/swaps",
		api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,\"colleague_id\":%"
			"lld,"
			"\"other_day\":\"%s\",\"other_duty_id\":%lld,"
			"\"note\":\"dentist\"}",
			day_text(d1), (long long)team.tel, (long long)c,
			day_text(d2), (long long)c_duty));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "kind"), "exchange");
	assert_string_equal(api_str(r->json, "note"), "dentist");
	int64_t id = api_int(r->json, "id");
	r = swap_post(s, as(s, c), id, "accept");
	api_expect_json(r, 200);
	assert_int_equal(holder(s, d1, team.tel, NULL), c);
	assert_int_equal(holder(s, d2, c_duty, NULL), a);
	assert_int_equal(oncall(s, d2, c_duty, NULL), a);

	/* Roles traded on one day: A and the partner swap duties. */
	int64_t d3 = biz_day(s, 2, 1);
	int64_t t3 = holder(s, d3, team.tel, NULL);
	int64_t e3 = holder(s, d3, team.emg, NULL);
	r = api_json(s, as(s, t3), "POST", "/api/v1/swaps",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			     "\"colleague_id\":%lld,\"other_day\":\"%s\","
			     "\"other_duty_id\":%lld}",
			     day_text(d3), (long long)team.tel, (long long)e3,
			     day_text(d3), (long long)team.emg));
	api_expect_json(r, 201);
	r = swap_post(s, as(s, e3), api_int(r->json, "id"), "accept");
	api_expect_json(r, 200);
	assert_int_equal(holder(s, d3, team.tel, NULL), e3);
	assert_int_equal(holder(s, d3, team.emg, NULL), t3);
}

static void test_swap_decline_cancel(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t day = biz_day(s, 3, 2);
	int64_t a = holder(s, day, team.emg, NULL);
	int64_t c = free_member(s, day, NULL, 0);
	int64_t other = free_member(s, day, &c, 1);

	struct api_resp *r = swap_new(s, as(s, a), day, team.emg, c);
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	/* Nobody else may answer, nor may the requester. */
	r = swap_post(s, as(s, other), id, "accept");
	api_assert_problem(r, 403, "forbidden");
	r = swap_post(s, as(s, a), id, "accept");
	api_assert_problem(r, 403, "forbidden");
	r = swap_post(s, as(s, c), id, "cancel");
	api_assert_problem(r, 403, "forbidden");
	/* A body with fields is refused. */
	r = api_json(s, as(s, c), "POST",
		     api_fmt("/api/v1/swaps/%lld/decline", (long long)id),
		     "{\"why\":\"busy\"}");
	api_assert_problem(r, 400, "validation-failed");

	r = swap_post(s, as(s, c), id, "decline");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "declined");
	assert_int_equal(holder(s, day, team.emg, NULL), a);
	r = swap_post(s, as(s, c), id, "accept");
	api_assert_problem(r, 409, "conflict");
	assert_non_null(event_find(events_of(s, "swap", id), "swap.declined"));

	/* Asked again, then withdrawn. */
	r = swap_new(s, as(s, a), day, team.emg, other);
	api_expect_json(r, 201);
	id = api_int(r->json, "id");
	r = swap_post(s, as(s, a), id, "cancel");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "cancelled");
	r = swap_post(s, as(s, other), id, "accept");
	api_assert_problem(r, 409, "conflict");
	assert_int_equal(holder(s, day, team.emg, NULL), a);
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/swaps/%lld", (long long)id));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "cancelled");

	/* An editor answers for the colleague. */
	r = swap_new(s, as(s, a), day, team.emg, other);
	api_expect_json(r, 201);
	r = swap_post(s, &s->editor, api_int(r->json, "id"), "decline");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "declined");
}

static void test_swap_refused(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t day = biz_day(s, 2, 2);
	int64_t a = holder(s, day, team.tel, NULL);
	int64_t p = holder(s, day, team.emg, NULL);
	int64_t c = free_member(s, day, NULL, 0);

	/* A day one does not hold. */
	struct api_resp *r = swap_new(s, as(s, c), day, team.tel, a);
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "you do not hold");
	/* The partner already has the other duty that day. */
	r = swap_new(s, as(s, a), day, team.tel, p);
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "two duties");
	/* Oneself. */
	r = swap_new(s, as(s, a), day, team.tel, a);
	api_assert_problem(r, 400, "validation-failed");
	/* Unknown colleague, unknown duty, unknown field. */
	r = swap_new(s, as(s, a), day, team.tel, 99999999);
	api_assert_problem(r, 400, "validation-failed");
	r = swap_new(s, as(s, a), day, 99999999, c);
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, as(s, a), "POST", "/api/v1/swaps",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			     "\"colleague_id\":%lld,\"urgent\":true}",
			     day_text(day), (long long)team.tel, (long long)c));
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "urgent");
	/* Half an exchange. */
	r = api_json(s, as(s, a), "POST", "/api/v1/swaps",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			     "\"colleague_id\":%lld,\"other_day\":\"%s\"}",
			     day_text(day), (long long)team.tel, (long long)c,
			     day_text(day + 1)));
	api_assert_problem(r, 400, "validation-failed");
	/* Not a duty day (the Saturday), in the past, out of range. */
	int64_t saturday = dd_date_week_start(day) + 5;
	r = swap_new(s, as(s, a), saturday, team.tel, c);
	api_assert_problem(r, 409, "conflict");
	r = swap_new(s, as(s, a), g_today - 14, team.tel, c);
	api_assert_problem(r, 400, "validation-failed");
	r = swap_new(s, as(s, a), dd_date_days(1999, 12, 31), team.tel, c);
	api_assert_problem(r, 400, "validation-failed");
	r = swap_new(s, as(s, a), g_today + 3 * 366, team.tel, c);
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, as(s, a), "POST", "/api/v1/swaps",
		     api_fmt("{\"day\":\"2026-02-30\",\"duty_id\":%lld,"
			     "\"colleague_id\":%lld}",
			     (long long)team.tel, (long long)c));
	api_assert_problem(r, 400, "validation-failed");
	/* A colleague absent that day. */
	r = absence_new(s, &s->editor, c, "other", day, day);
	api_expect_json(r, 201);
	r = swap_new(s, as(s, a), day, team.tel, c);
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "absent");
	/* A viewer may not ask for someone else; an editor may. */
	int64_t viewer = s->viewer.person_id;
	if (viewer != a) {
		r = api_json(s, &s->viewer, "POST", "/api/v1/swaps",
			     api_fmt("{\"requester_id\":%lld,\"day\":\"%s\","
				     "\"duty_id\":%lld,\"colleague_id\":%lld}",
				     (long long)a, day_text(day),
				     (long long)team.tel,
				     (long long)free_member(s, day, &c, 1)));
		api_assert_problem(r, 403, "forbidden");
	}
	r = api_json(s, &s->editor, "POST", "/api/v1/swaps",
		     api_fmt("{\"requester_id\":%lld,\"day\":\"%s\","
			     "\"duty_id\":%lld,\"colleague_id\":%lld}",
			     (long long)a, day_text(day), (long long)team.tel,
			     (long long)free_member(s, day, &c, 1)));
	api_expect_json(r, 201);
	assert_int_equal(api_int(r->json, "requester_id"), a);
	/* The requester no longer holds the day when it is accepted. */
	int64_t id = api_int(r->json, "id");
	int64_t taker = api_int(r->json, "colleague_id");
	r = api_json(s, &s->editor, "PUT",
		     api_fmt("/api/v1/rota/days/%s/%lld", day_text(day),
			     (long long)team.tel),
		     api_fmt("{\"person_id\":%lld}",
			     (long long)free_member(s, day,
						    (int64_t[]){c, taker}, 2)));
	api_expect_json(r, 200);
	r = swap_post(s, as(s, taker), id, "accept");
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "no longer holds");

	r = swap_post(s, as(s, a), 99999999, "accept");
	api_assert_problem(r, 404, "not-found");
	r = api_get(s, &s->viewer, "/api/v1/swaps?status=maybe");
	api_assert_problem(r, 400, "validation-failed");
}

/* ---- absences, uncovered days, replacements ---- */

static void test_absence_replacement(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t d = biz_day(s, 4, 0);
	int64_t d2 = biz_day(s, 4, 1);
	int64_t a = holder(s, d, team.tel, NULL);
	int64_t p = holder(s, d, team.emg, NULL);
	assert_null(uncovered(s, d, team.tel));

	/* A enters a vacation over the first two duty days. */
	struct api_resp *r = absence_new(s, as(s, a), a, "vacation", d, d2);
	api_expect_json(r, 201);
	assert_non_null(r->location);
	assert_string_equal(api_str(r->json, "kind"), "vacation");
	assert_string_equal(api_str(r->json, "status"), "active");
	assert_int_equal(api_int(r->json, "created_by"), a);
	int64_t absence = api_int(r->json, "id");
	r = api_get(s, &s->viewer, r->location);
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "id"), absence);

	json_t *u = uncovered(s, d, team.tel);
	assert_non_null(u);
	assert_int_equal(api_int(u, "person_id"), a);
	assert_int_equal(api_int(u, "absence_id"), absence);
	assert_string_equal(api_str(u, "absence_kind"), "vacation");
	int64_t a_duty2 =
		holder(s, d2, team.tel, NULL) == a ? team.tel : team.emg;
	assert_non_null(uncovered(s, d2, a_duty2));
	assert_null(uncovered(s, d, team.emg));

	/* Overlapping: 409, also by an editor. */
	r = absence_new(s, &s->editor, a, "sick", d2, d2 + 3);
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "already absent");

	/* A covered day is not for volunteers; the absent person, and the
	 * one on the other duty, may not take it. */
	int64_t c = free_member(s, d, NULL, 0);
	r = api_json(s, as(s, c), "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld}", day_text(d),
			     (long long)team.emg));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, as(s, a), "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld}", day_text(d),
			     (long long)team.tel));
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "absent");
	r = api_json(s, as(s, p), "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld}", day_text(d),
			     (long long)team.tel));
	api_assert_problem(r, 409, "conflict");
	/* Not a duty day. */
	r = api_json(s, as(s, c), "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld}",
			     day_text(dd_date_week_start(d) + 6),
			     (long long)team.tel));
	api_assert_problem(r, 409, "conflict");

	/* C volunteers for the first day. */
	r = api_json(s, as(s, c), "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			     "\"person_id\":%lld}",
			     day_text(d), (long long)team.tel, (long long)c));
	api_expect_json(r, 201);
	assert_int_equal(api_int(r->json, "person_id"), c);
	assert_string_equal(api_str(r->json, "reason"), "replacement");
	assert_null(uncovered(s, d, team.tel));
	const char *reason;
	assert_int_equal(oncall(s, d, team.tel, &reason), c);
	assert_string_equal(reason, "replacement");

	/* The editor sets someone for the second day. */
	int64_t e = free_member(s, d2, &c, 1);
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			     "\"person_id\":%lld}",
			     day_text(d2), (long long)a_duty2, (long long)e));
	api_expect_json(r, 201);
	assert_null(uncovered(s, d2, a_duty2));
	assert_int_equal(oncall(s, d2, a_duty2, NULL), e);

	/* Listing and cancelling. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/absences?person_id=%lld&from=%s&to=%s",
			    (long long)a, day_text(d), day_text(d)));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
	r = api_delete(s, as(s, a),
		       api_fmt("/api/v1/absences/%lld", (long long)absence));
	api_expect_status(r, 204);
	r = api_delete(s, as(s, a),
		       api_fmt("/api/v1/absences/%lld", (long long)absence));
	api_assert_problem(r, 409, "conflict");
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/absences/%lld", (long long)absence));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "cancelled");
	assert_false(absent(s, d, a));
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/absences?person_id=%lld&from=%s&to=%s&"
			    "include_cancelled=true",
			    (long long)a, day_text(d), day_text(d)));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
	/* The replacements stand. */
	assert_int_equal(oncall(s, d, team.tel, NULL), c);
	/* The events say who did what. */
	json_t *ev = events_of(s, "absence", absence);
	assert_non_null(event_find(ev, "absence.create"));
	json_t *cancel = event_find(ev, "absence.cancel");
	assert_non_null(cancel);
	assert_int_equal(api_int(cancel, "actor_id"), a);
}

static void test_uncovered_warning(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	/* The third duty day of next week (a week with holidays still has
	 * three): inside the 14-day horizon. */
	int64_t day = biz_day(s, 1, 2);
	int64_t h = holder(s, day, team.emg, NULL);
	struct api_resp *r = absence_new(s, &s->editor, h, "other", day, day);
	api_expect_json(r, 201);

	r = api_json(s, &s->viewer, "POST", "/api/v1/rota/uncovered/check",
		     NULL);
	api_assert_problem(r, 403, "forbidden");

	r = api_json(s, &s->editor, "POST", "/api/v1/rota/uncovered/check",
		     NULL);
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "horizon_days"), 14);
	assert_true(api_int(r->json, "uncovered") >= 1);
	int found = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v) found +=
		strcmp(api_str(v, "day"), day_text(day)) == 0 &&
		api_int(v, "duty_id") == team.emg;
	assert_int_equal(found, 1);

	/* Once only. */
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/uncovered/check",
		     "{}");
	api_expect_json(r, 200);
	assert_true(api_int(r->json, "uncovered") >= 1);
	found = 0;
	json_array_foreach(json_object_get(r->json, "items"), i, v) found +=
		strcmp(api_str(v, "day"), day_text(day)) == 0 &&
		api_int(v, "duty_id") == team.emg;
	assert_int_equal(found, 0);

	found = 0;
	json_array_foreach(events_of(s, "duty", team.emg), i, v)
	{
		json_t *after = api_obj(v, "after");
		if (strcmp(api_str(v, "action"), "rota.uncovered.warning") ==
			    0 &&
		    after &&
		    strcmp(api_str(after, "day"), day_text(day)) == 0) {
			found++;
			assert_int_equal(api_int(after, "person_id"), h);
			assert_int_equal(json_array_size(json_object_get(
						 after, "notify")),
					 2);
		}
	}
	assert_int_equal(found, 1);

	r = api_json(s, &s->editor, "POST", "/api/v1/rota/uncovered/check",
		     "{\"force\":true}");
	api_assert_problem(r, 400, "validation-failed");
}

static void test_absence_bad_input(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t far = dd_date_week_start(g_today) + 7 * 20;
	int64_t me = s->viewer.person_id;
	const char *path = "/api/v1/absences";
	struct api_resp *r =
		api_json(s, &s->viewer, "POST", path,
			 api_fmt("{\"kind\":\"holiday\",\"first_day\":\"%s\","
				 "\"last_day\":\"%s\"}",
				 day_text(far), day_text(far)));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->viewer, "POST", path,
		     api_fmt("{\"kind\":\"vacation\",\"first_day\":\"%s\","
			     "\"last_day\":\"%s\",\"reason\":\"x\"}",
			     day_text(far), day_text(far)));
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "reason");
	r = absence_new(s, &s->viewer, me, "vacation", far + 2, far);
	api_assert_problem(r, 400, "validation-failed");
	r = absence_new(s, &s->viewer, me, "vacation",
			dd_date_days(1999, 12, 24), dd_date_days(2000, 1, 2));
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "2000");
	r = absence_new(s, &s->viewer, me, "vacation", far, g_today + 3 * 365);
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "years ahead");
	r = api_json(s, &s->viewer, "POST", path,
		     "{\"kind\":\"vacation\",\"first_day\":\"2027-13-01\","
		     "\"last_day\":\"2027-13-02\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->viewer, "POST", path, "{\"kind\":\"vacation\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = absence_new(s, &s->editor, 99999999, "vacation", far, far);
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "no person");
	r = api_get(s, &s->viewer, "/api/v1/absences/99999999");
	api_assert_problem(r, 404, "not-found");
	r = api_get(s, &s->viewer, "/api/v1/absences?from=2026-01-05&to=2025");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer, "/api/v1/absences?person_id=x");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/uncovered?from=2026-03-01&"
		    "to=2026-02-01");
	api_assert_problem(r, 400, "validation-failed");
	/* Past absences are fine (a sick day recorded afterwards). */
	r = absence_new(s, &s->viewer, me, "sick", g_today - 30, g_today - 29);
	api_expect_json(r, 201);
}

/* ---- sick today ---- */

static void check_ranking(json_t *candidates)
{
	size_t i;
	json_t *v;
	int last_busy = -1;
	int64_t last_days = -1, last_id = 0;
	json_array_foreach(candidates, i, v)
	{
		assert_int_equal(api_int(v, "rank"), (int64_t)i + 1);
		assert_string_equal(api_str(v, "answer"), "pending");
		int busy = strcmp(api_str(v, "availability"), "free") != 0;
		int64_t days_n = api_int(v, "recent_days");
		int64_t id = api_int(v, "person_id");
		assert_true(days_n >= 0);
		if (busy == last_busy) {
			assert_true(days_n >= last_days);
			if (days_n == last_days)
				assert_true(id > last_id);
		} else {
			assert_true(busy > last_busy);
		}
		last_busy = busy;
		last_days = days_n;
		last_id = id;
	}
}

static int in_candidates(json_t *candidates, int64_t id)
{
	size_t i;
	json_t *v;
	json_array_foreach(candidates, i,
			   v) if (api_int(v, "person_id") == id) return 1;
	return 0;
}

static void test_sick_cover(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t day = biz_day(s, 5, 1);
	int64_t a = holder(s, day, team.tel, NULL);
	int64_t p = holder(s, day, team.emg, NULL);

	struct api_resp *r =
		api_json(s, as(s, a), "POST", "/api/v1/rota/sick",
			 api_fmt("{\"day\":\"%s\"}", day_text(day)));
	api_expect_json(r, 201);
	json_t *absence = api_obj(r->json, "absence");
	assert_non_null(absence);
	assert_string_equal(api_str(absence, "kind"), "sick");
	assert_string_equal(api_str(absence, "first_day"), day_text(day));
	json_t *reqs = json_object_get(r->json, "cover_requests");
	assert_int_equal(json_array_size(reqs), 1);
	json_t *req = json_array_get(reqs, 0);
	assert_int_equal(api_int(req, "duty_id"), team.tel);
	assert_int_equal(api_int(req, "absent_person_id"), a);
	assert_string_equal(api_str(req, "status"), "open");
	int64_t id = api_int(req, "id");
	json_t *cands = json_object_get(req, "candidates");
	/* Everyone in rotation but the sick one and the partner. */
	assert_int_equal(json_array_size(cands), team.n - 2);
	assert_false(in_candidates(cands, a));
	assert_false(in_candidates(cands, p));
	check_ranking(cands);
	int64_t first = api_int(json_array_get(cands, 0), "person_id");
	int64_t second = api_int(json_array_get(cands, 1), "person_id");
	int64_t third = api_int(json_array_get(cands, 2), "person_id");

	/* Sick twice on one day: 409. */
	r = api_json(s, as(s, a), "POST", "/api/v1/rota/sick",
		     api_fmt("{\"day\":\"%s\"}", day_text(day)));
	api_assert_problem(r, 409, "conflict");

	/* Listed as open, with the candidates. */
	r = api_get(s, &s->viewer, "/api/v1/rota/cover-requests?status=open");
	api_expect_json(r, 200);
	int listed = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		if (api_int(v, "id") != id)
			continue;
		listed++;
		assert_int_equal(
			json_array_size(json_object_get(v, "candidates")),
			team.n - 2);
	}
	assert_int_equal(listed, 1);

	/* The third says no, someone not asked may not answer. */
	const char *base =
		api_fmt("/api/v1/rota/cover-requests/%lld", (long long)id);
	r = api_json(s, as(s, third), "POST", api_fmt("%s/decline", base),
		     NULL);
	api_expect_json(r, 200);
	r = api_json(s, as(s, p), "POST", api_fmt("%s/accept", base), NULL);
	api_assert_problem(r, 403, "forbidden");

	/* First acceptance wins, the second is too late. */
	r = api_json(s, as(s, first), "POST", api_fmt("%s/accept", base), NULL);
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "filled");
	assert_int_equal(api_int(r->json, "filled_by"), first);
	assert_false(api_bool(r->json, "forced"));
	r = api_json(s, as(s, second), "POST", api_fmt("%s/accept", base),
		     NULL);
	api_assert_problem(r, 409, "conflict");

	r = api_get(s, &s->viewer, base);
	api_expect_json(r, 200);
	json_array_foreach(json_object_get(r->json, "candidates"), i, v)
	{
		int64_t who = api_int(v, "person_id");
		const char *answer = api_str(v, "answer");
		if (who == first)
			assert_string_equal(answer, "accepted");
		else if (who == third)
			assert_string_equal(answer, "declined");
		else
			assert_string_equal(answer, "too-late");
	}
	const char *reason;
	assert_int_equal(oncall(s, day, team.tel, &reason), first);
	assert_string_equal(reason, "sick cover");
	assert_null(uncovered(s, day, team.tel));
	json_t *ev = events_of(s, "cover_request", id);
	assert_non_null(event_find(ev, "cover.open"));
	assert_non_null(event_find(ev, "cover.declined"));
	assert_non_null(event_find(ev, "cover.filled"));
	r = api_get(s, &s->viewer, "/api/v1/rota/cover-requests?status=nope");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer, "/api/v1/rota/cover-requests/99999999");
	api_assert_problem(r, 404, "not-found");
}

static void test_sick_force(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t day = biz_day(s, 6, 2);
	int64_t a = holder(s, day, team.emg, NULL);
	int64_t p = holder(s, day, team.tel, NULL);

	if (s->viewer.person_id != a) {
		struct api_resp *r =
			api_json(s, &s->viewer, "POST", "/api/v1/rota/sick",
				 api_fmt("{\"person_id\":%lld,\"day\":\"%s\"}",
					 (long long)a, day_text(day)));
		api_assert_problem(r, 403, "forbidden");
	}
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/rota/sick",
			 api_fmt("{\"person_id\":%lld,\"day\":\"%s\"}",
				 (long long)a, day_text(day)));
	api_expect_json(r, 201);
	json_t *req =
		json_array_get(json_object_get(r->json, "cover_requests"), 0);
	assert_non_null(req);
	int64_t id = api_int(req, "id");
	json_t *cands = json_object_get(req, "candidates");
	int64_t first = api_int(json_array_get(cands, 0), "person_id");
	int64_t last = api_int(
		json_array_get(cands, json_array_size(cands) - 1), "person_id");
	const char *base =
		api_fmt("/api/v1/rota/cover-requests/%lld", (long long)id);

	/* Viewers may not force; nobody may force the partner on duty. */
	r = api_json(s, &s->viewer, "POST", api_fmt("%s/assign", base),
		     api_fmt("{\"person_id\":%lld}", (long long)last));
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->editor, "POST", api_fmt("%s/assign", base),
		     api_fmt("{\"person_id\":%lld}", (long long)p));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "POST", api_fmt("%s/assign", base),
		     api_fmt("{\"person_id\":%lld}", (long long)a));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "POST", api_fmt("%s/assign", base), "{}");
	api_assert_problem(r, 400, "validation-failed");

	r = api_json(s, &s->editor, "POST", api_fmt("%s/assign", base),
		     api_fmt("{\"person_id\":%lld}", (long long)last));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "filled");
	assert_true(api_bool(r->json, "forced"));
	assert_int_equal(api_int(r->json, "filled_by"), last);
	r = api_json(s, as(s, first), "POST", api_fmt("%s/accept", base), NULL);
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "POST", api_fmt("%s/assign", base),
		     api_fmt("{\"person_id\":%lld}", (long long)first));
	api_assert_problem(r, 409, "conflict");
	const char *reason;
	assert_int_equal(oncall(s, day, team.emg, &reason), last);
	assert_string_equal(reason, "sick cover");
	json_t *ev =
		event_find(events_of(s, "cover_request", id), "cover.forced");
	assert_non_null(ev);
	assert_int_equal(api_int(ev, "actor_id"), s->editor.person_id);
}

/* Sick today with an empty body: oneself, today. Someone outside the
 * rota holds no duty, so no cover request opens. */
static void test_sick_today_default(void **state)
{
	struct api_server *s = *state;
	char login[65];
	struct api_auth me;
	int64_t id = api_person_new(s, "sick", PW, login);
	api_signin(s, login, PW, &me);
	struct api_resp *r =
		api_json(s, &me, "POST", "/api/v1/rota/sick", NULL);
	api_expect_json(r, 201);
	json_t *absence = api_obj(r->json, "absence");
	assert_int_equal(api_int(absence, "person_id"), id);
	assert_string_equal(api_str(absence, "first_day"), day_text(g_today));
	assert_string_equal(api_str(absence, "last_day"), day_text(g_today));
	assert_int_equal(
		json_array_size(json_object_get(r->json, "cover_requests")), 0);
	r = api_json(s, &me, "POST", "/api/v1/rota/sick", "{}");
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &me, "POST", "/api/v1/rota/sick",
		     api_fmt("{\"day\":\"%s\"}", day_text(g_today - 7)));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &me, "POST", "/api/v1/rota/sick", "{\"when\":1}");
	api_assert_problem(r, 400, "validation-failed");
}

/* ---- precedence ---- */

/* One day, changed four times: the plan, a swap, a replacement for the
 * absent swap partner, sick cover for the sick replacement. */
static void test_precedence(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t day = biz_day(s, 7, 1);
	int64_t a = holder(s, day, team.tel, NULL);
	const char *reason;
	assert_int_equal(oncall(s, day, team.tel, &reason), a);
	assert_string_equal(reason, "plan");

	/* Swap: A gives the day to B. */
	int64_t b = free_member(s, day, NULL, 0);
	struct api_resp *r = swap_new(s, as(s, a), day, team.tel, b);
	api_expect_json(r, 201);
	r = swap_post(s, as(s, b), api_int(r->json, "id"), "accept");
	api_expect_json(r, 200);
	assert_int_equal(oncall(s, day, team.tel, &reason), b);
	assert_string_equal(reason, "swap");

	/* B goes on vacation: uncovered; C replaces. */
	r = absence_new(s, as(s, b), b, "vacation", day, day);
	api_expect_json(r, 201);
	json_t *u = uncovered(s, day, team.tel);
	assert_non_null(u);
	assert_int_equal(api_int(u, "person_id"), b);
	assert_string_equal(api_str(u, "reason"), "swap");
	int64_t c = free_member(s, day, (int64_t[]){a, b}, 2);
	r = api_json(s, as(s, c), "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld}", day_text(day),
			     (long long)team.tel));
	api_expect_json(r, 201);
	assert_int_equal(oncall(s, day, team.tel, &reason), c);
	assert_string_equal(reason, "replacement");

	/* C falls ill: the first candidate covers. */
	r = api_json(s, as(s, c), "POST", "/api/v1/rota/sick",
		     api_fmt("{\"day\":\"%s\"}", day_text(day)));
	api_expect_json(r, 201);
	json_t *req =
		json_array_get(json_object_get(r->json, "cover_requests"), 0);
	assert_non_null(req);
	json_t *cands = json_object_get(req, "candidates");
	assert_false(in_candidates(cands, b)); /* absent */
	assert_false(in_candidates(cands, c)); /* sick */
	assert_true(in_candidates(cands, a));  /* free since the swap */
	int64_t e = api_int(json_array_get(cands, 0), "person_id");
	r = api_json(s, as(s, e), "POST",
		     api_fmt("/api/v1/rota/cover-requests/%lld/accept",
			     (long long)api_int(req, "id")),
		     NULL);
	api_expect_json(r, 200);
	assert_int_equal(oncall(s, day, team.tel, &reason), e);
	assert_string_equal(reason, "sick cover");
	assert_int_equal(holder(s, day, team.tel, &reason), e);
	assert_string_equal(reason, "sick cover");

	/* A swap made now still ranks below sick cover... */
	int64_t f = free_member(s, day, (int64_t[]){a, b, c, e}, 4);
	r = swap_new(s, as(s, e), day, team.tel, f);
	api_expect_json(r, 201);
	r = swap_post(s, as(s, f), api_int(r->json, "id"), "accept");
	api_expect_json(r, 200);
	/* ...but is passed on at the rank it was held. */
	assert_int_equal(oncall(s, day, team.tel, &reason), f);
	assert_string_equal(reason, "sick cover");
}

/* ---- permissions ---- */

static void test_permissions(void **state)
{
	struct api_server *s = *state;
	team_load(s);
	int64_t me = s->viewer.person_id;
	int64_t other = team.ids[0] == me ? team.ids[1] : team.ids[0];
	int64_t far = dd_date_week_start(g_today) + 7 * 30;

	struct api_resp *r =
		absence_new(s, &s->viewer, other, "vacation", far, far);
	api_assert_problem(r, 403, "forbidden");
	r = absence_new(s, &s->editor, other, "vacation", far, far + 4);
	api_expect_json(r, 201);
	int64_t absence = api_int(r->json, "id");
	r = api_delete(s, &s->viewer,
		       api_fmt("/api/v1/absences/%lld", (long long)absence));
	api_assert_problem(r, 403, "forbidden");
	/* The person themselves may cancel what the editor entered. */
	r = api_delete(s, as(s, other),
		       api_fmt("/api/v1/absences/%lld", (long long)absence));
	api_expect_status(r, 204);

	int64_t day = biz_day(s, 8, 0);
	r = api_json(s, &s->viewer, "POST", "/api/v1/rota/replacements",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			     "\"person_id\":%lld}",
			     day_text(day), (long long)team.tel,
			     (long long)other));
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->viewer, "POST", "/api/v1/rota/sick",
		     api_fmt("{\"person_id\":%lld}", (long long)other));
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->viewer, "POST",
		     "/api/v1/rota/cover-requests/1/assign",
		     "{\"person_id\":1}");
	api_assert_problem(r, 403, "forbidden");
	/* Without signing in: 401. */
	r = api_get(s, NULL, "/api/v1/absences");
	api_assert_problem(r, 401, "unauthenticated");
	r = api_get(s, NULL, "/api/v1/rota/cover-requests");
	api_assert_problem(r, 401, "unauthenticated");
	/* A read-only token may read, not write. */
	struct api_auth token;
	api_token_new(s, me, "read", &token);
	r = api_get(s, &token, "/api/v1/swaps");
	api_expect_json(r, 200);
	r = absence_new(s, &token, me, "vacation", far, far);
	api_assert_problem(r, 403, "forbidden");
}

int main(void)
{
	/* Today as the server sees it: in the organisation's zone. */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	g_today = dd_date_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);

	const struct CMUnitTest tests[] = {
		API_TEST(test_swap_give_accept),
		API_TEST(test_swap_exchange),
		API_TEST(test_swap_decline_cancel),
		API_TEST(test_swap_refused),
		API_TEST(test_absence_replacement),
		API_TEST(test_uncovered_warning),
		API_TEST(test_absence_bad_input),
		API_TEST(test_sick_cover),
		API_TEST(test_sick_force),
		API_TEST(test_sick_today_default),
		API_TEST(test_precedence),
		API_TEST(test_permissions),
	};
	return API_RUN("rota_changes", tests);
}
