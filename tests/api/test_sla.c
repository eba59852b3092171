/*
 * test_sla.c - service levels over HTTP, on both engines: the policies at
 * /api/v1/sla-policies (who may read and write them, validation, ETags,
 * conflicts), the dues a new ticket gets, the pause while pending, and
 * POST /api/v1/sla/check moving tickets to warning and breached with one
 * event each.
 *
 * The server runs on the real clock, so the tests make their instants
 * deterministic another way: expected dues are computed with
 * ticket/business_time.c from the server's own calendar (its settings
 * and holidays read from its database) and the ticket's created_at; and
 * to see a breach or warning now, a test moves a ticket's dues (and
 * pending_since) in the database directly through the store, the way a
 * ticket that was created hours ago would look. No endpoint exists for
 * that, on purpose. Queues are inserted the same way, with unique names,
 * and every policy here is for such a queue, so that the tickets of
 * other tests never get a service level. The scheduler of the server may
 * run its own check at any moment; the assertions hold either way (one
 * event per ticket and kind, whoever recorded it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "base/arena.h"
#include "base/ctx.h"
#include "base/date.h"
#include "base/timefmt.h"
#include "base/tz.h"
#include "rota/settings.h"
#include "store/store.h"
#include "ticket/business_time.h"
#include "ticket/sla.h"

#define MIN  ((int64_t)60 * 1000)
#define HOUR (60 * MIN)

/* ---- the database ---- */

static struct dd_store *store_open(struct api_server *s)
{
	struct dd_store *st;
	struct dd_err err;
	if (dd_store_open(s->db_url, &st, &err) < 0)
		fail_msg("cannot open %s: %s", s->db_url, err.msg);
	return st;
}

/* Run one statement with integer parameters; returns the first column of
 * the first row when there is one. */
static int64_t db(struct api_server *s, const char *sql, int n, int64_t a,
		  int64_t b, int64_t c)
{
	struct dd_store *st = store_open(s);
	struct dd_err err;
	struct dd_param p[] = {DD_P_INT(a), DD_P_INT(b), DD_P_INT(c)};
	int64_t v = 0;
	int rc = dd_store_query_int(st, sql, p, n, &v, &err);
	dd_store_close(st);
	if (rc < 0)
		fail_msg("'%s' failed: %s", sql, err.msg);
	return v;
}

static int64_t queue_new(struct api_server *s)
{
	struct dd_store *st = store_open(s);
	struct dd_err err;
	int64_t id = 0;
	int rc = dd_store_query_int(
		st,
		"INSERT INTO queues (name, created_at, updated_at) VALUES ($1, "
		"0, 0) RETURNING id",
		(struct dd_param[]){DD_P_TEXT(api_unique("sla queue "))}, 1,
		&id, &err);
	dd_store_close(st);
	if (rc < 0)
		fail_msg("cannot insert a queue: %s", err.msg);
	return id;
}

/* The server's business calendar, as its database holds it. */
struct calendar {
	struct dd_tz *tz;
	struct dd_calendar cal;
};

static void calendar_free(struct calendar *c)
{
	dd_tz_free(c->tz);
}

static void calendar_load(struct api_server *s, struct calendar *out)
{
	struct dd_arena arena;
	struct dd_ctx ctx = {0};
	struct dd_org_settings set;
	struct dd_err err;
	struct dd_rows *rows;
	dd_arena_init(&arena, 1024 * 1024);
	ctx.store = store_open(s);
	ctx.arena = &arena;
	if (dd_settings_load(&ctx, &set, &err) < 0)
		fail_msg("settings: %s", err.msg);
	if (dd_tz_load(set.time_zone, &out->tz, &err) < 0)
		fail_msg("zone: %s", err.msg);
	int64_t *days = api_alloc(sizeof(int64_t) * 4096);
	int n = 0, rc;
	if (dd_store_query(ctx.store, "SELECT day FROM holidays ORDER BY day",
			   NULL, 0, &rows, &err) < 0)
		fail_msg("holidays: %s", err.msg);
	while ((rc = dd_rows_next(rows, &err)) > 0 && n < 4096)
		if (dd_date_parse(dd_rows_text(rows, 0), &days[n]) == 0)
			n++;
	dd_rows_free(rows);
	dd_store_close(ctx.store);
	dd_arena_release(&arena);
	out->cal = (struct dd_calendar){.tz = out->tz,
					.workdays = set.workdays,
					.core_start = set.core_start,
					.core_end = set.core_end,
					.holidays = days,
					.holiday_count = n};
}

/* ---- helpers ---- */

static int64_t ms_of(const char *text)
{
	int64_t ms;
	if (!text || dd_time_parse_rfc3339(text, &ms) < 0)
		fail_msg("'%s' is not an RFC 3339 time",
			 text ? text : "(null)");
	return ms;
}

static const char *policy_body(int64_t queue, int prio, int first, int res,
			       int warn)
{
	return api_fmt("{\"queue_id\":%s,\"priority\":%s,"
		       "\"first_response_minutes\":%d,"
		       "\"resolution_minutes\":%d,\"warn_percent\":%d}",
		       queue ? api_fmt("%lld", (long long)queue) : "null",
		       prio ? api_fmt("%d", prio) : "null", first, res, warn);
}

static int64_t policy_new(struct api_server *s, int64_t queue, int prio,
			  int first, int res, int warn)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/sla-policies",
			 policy_body(queue, prio, first, res, warn));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static json_t *ticket_new(struct api_server *s, int64_t queue, int prio)
{
	struct api_resp *r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
				      api_fmt("{\"subject\":\"VPN-Störung bei "
					      "Kunde\",\"priority\":%d,"
					      "\"queue_id\":%lld}",
					      prio, (long long)queue));
	api_expect_json(r, 201);
	return r->json;
}

static json_t *ticket_get(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/tickets/%lld", (long long)id));
	api_expect_json(r, 200);
	return r->json;
}

static json_t *ticket_patch(struct api_server *s, int64_t id, const char *body)
{
	struct api_resp *r =
		api_json(s, &s->viewer, "PATCH",
			 api_fmt("/api/v1/tickets/%lld", (long long)id), body);
	api_expect_json(r, 200);
	return r->json;
}

static const char *sla_state(const json_t *t)
{
	return api_str(api_obj(t, "sla"), "state");
}

static int64_t sla_due(const json_t *t, const char *key)
{
	return ms_of(api_str(api_obj(t, "sla"), key));
}

/* Events of action on ticket id, counted by the admin's event list. */
static int events_of(struct api_server *s, int64_t id, const char *action)
{
	struct api_resp *r = api_get(
		s, &s->admin,
		api_fmt("/api/v1/"
			"events?object_type=ticket&object_id=%lld&limit=500",
			(long long)id));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items"), *ev;
	size_t i;
	int n = 0;
	json_array_foreach(items, i, ev)
	{
		if (strcmp(api_str(ev, "action"), action) == 0)
			n++;
	}
	return n;
}

static json_t *check_now(struct api_server *s)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/sla/check", NULL);
	api_expect_json(r, 200);
	assert_true(api_int(r->json, "checked") >= 0);
	assert_true(json_is_array(json_object_get(r->json, "items")));
	return r->json;
}

/* The item of ticket id in a check's answer, or NULL. */
static json_t *check_item(json_t *answer, int64_t id)
{
	json_t *items = json_object_get(answer, "items"), *it;
	size_t i;
	json_array_foreach(items, i, it)
	{
		if (api_int(it, "ticket_id") == id)
			return it;
	}
	return NULL;
}

/* ---- tests ---- */

static void test_permissions(void **state)
{
	struct api_server *s = *state;
	int64_t q = queue_new(s);
	const char *body = policy_body(q, 2, 30, 240, 80);
	api_assert_problem(api_get(s, NULL, "/api/v1/sla-policies"), 401,
			   "unauthenticated");
	api_expect_json(api_get(s, &s->viewer, "/api/v1/sla-policies"), 200);
	api_assert_problem(
		api_json(s, &s->viewer, "POST", "/api/v1/sla-policies", body),
		403, "forbidden");
	api_assert_problem(
		api_json(s, &s->viewer, "POST", "/api/v1/sla/check", NULL), 403,
		"forbidden");
	int64_t id = policy_new(s, q, 2, 30, 240, 80);
	const char *path = api_fmt("/api/v1/sla-policies/%lld", (long long)id);
	api_expect_json(api_get(s, &s->viewer, path), 200);
	api_assert_problem(
		api_json(s, &s->viewer, "PATCH", path, "{\"warn_percent\":50}"),
		403, "forbidden");
	api_assert_problem(api_delete(s, &s->viewer, path), 403, "forbidden");
	/* A read token reads; writing needs the write scope. */
	struct api_auth t;
	api_token_new(s, s->editor.person_id, "read", &t);
	api_expect_json(api_get(s, &t, path), 200);
	api_assert_problem(
		api_json(s, &t, "PATCH", path, "{\"warn_percent\":50}"), 403,
		"forbidden");
	api_token_new(s, s->editor.person_id, "read,write", &t);
	api_expect_json(api_json(s, &t, "PATCH", path, "{\"warn_percent\":50}"),
			200);
	api_expect_json(api_json(s, &t, "POST", "/api/v1/sla/check", NULL),
			200);
	api_expect_status(api_delete(s, &s->editor, path), 204);
}

static void test_policy_crud(void **state)
{
	struct api_server *s = *state;
	int64_t q = queue_new(s);
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/sla-policies",
		api_fmt("{\"queue_id\":%lld,\"first_response_minutes\":30,"
			"\"resolution_minutes\":240}",
			(long long)q));
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	const char *path = api_fmt("/api/v1/sla-policies/%lld", (long long)id);
	assert_string_equal(r->location, path);
	assert_string_equal(r->etag, "\"v1\"");
	assert_int_equal(api_int(r->json, "queue_id"), q);
	assert_true(json_is_null(json_object_get(r->json, "priority")));
	assert_int_equal(api_int(r->json, "first_response_minutes"), 30);
	assert_int_equal(api_int(r->json, "resolution_minutes"), 240);
	assert_int_equal(api_int(r->json, "warn_percent"), 80);
	assert_int_equal(api_int(r->json, "version"), 1);
	assert_non_null(api_str(r->json, "created_at"));

	/* In the list. */
	r = api_get(s, &s->viewer, "/api/v1/sla-policies");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items"), *it;
	size_t i;
	int found = 0;
	json_array_foreach(items, i, it) found += api_int(it, "id") == id;
	assert_int_equal(found, 1);

	/* The same queue and any priority again: 409. */
	r = api_json(s, &s->editor, "POST", "/api/v1/sla-policies",
		     api_fmt("{\"queue_id\":%lld,\"priority\":null,"
			     "\"first_response_minutes\":10,"
			     "\"resolution_minutes\":20}",
			     (long long)q));
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "exists already");

	/* A stale If-Match changes nothing; a fresh one works. */
	r = api_json_h(s, &s->editor, "PATCH", path, "{\"warn_percent\":60}",
		       "If-Match: \"v7\"");
	api_assert_problem(r, 412, "precondition-failed");
	r = api_json_h(s, &s->editor, "PATCH", path,
		       "{\"warn_percent\":60,\"priority\":1}",
		       "If-Match: \"v1\"");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "warn_percent"), 60);
	assert_int_equal(api_int(r->json, "priority"), 1);
	assert_string_equal(r->etag, "\"v2\"");
	r = api_get(s, &s->viewer, path);
	assert_int_equal(api_int(r->json, "first_response_minutes"), 30);
	assert_int_equal(api_int(r->json, "version"), 2);

	/* Bad input: a clear 400 naming the field, nothing written. */
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"priority\":7,\"first_response_minutes\":1,"
		 "\"resolution_minutes\":1}",
		 "priority"},
		{"{\"priority\":0,\"first_response_minutes\":1,"
		 "\"resolution_minutes\":1}",
		 "priority"},
		{"{\"first_response_minutes\":0,\"resolution_minutes\":1}",
		 "first_response_minutes"},
		{"{\"first_response_minutes\":\"ten\",\"resolution_minutes\":"
		 "1}",
		 "first_response_minutes"},
		{"{\"first_response_minutes\":1,\"resolution_minutes\":60001}",
		 "resolution_minutes"},
		{"{\"first_response_minutes\":60,\"resolution_minutes\":30}",
		 "resolution_minutes"},
		{"{\"first_response_minutes\":1}", "resolution_minutes"},
		{"{\"resolution_minutes\":1}", "first_response_minutes"},
		{"{\"first_response_minutes\":1,\"resolution_minutes\":1,"
		 "\"warn_percent\":100}",
		 "warn_percent"},
		{"{\"first_response_minutes\":1,\"resolution_minutes\":1,"
		 "\"queue_id\":999999999}",
		 "queue_id"},
		{"{\"first_response_minutes\":1,\"resolution_minutes\":1,"
		 "\"queue_id\":\"x\"}",
		 "queue_id"},
		{"{\"first_response_minutes\":1,\"resolution_minutes\":1,"
		 "\"colour\":\"red\"}",
		 "colour"},
	};
	int64_t before = db(s, "SELECT COUNT(*) FROM sla_policies", 0, 0, 0, 0);
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		r = api_json(s, &s->editor, "POST", "/api/v1/sla-policies",
			     bad[k].body);
		api_assert_problem(r, 400, NULL);
		api_assert_detail_has(r, bad[k].field);
	}
	assert_int_equal(db(s, "SELECT COUNT(*) FROM sla_policies", 0, 0, 0, 0),
			 before);
	r = api_json(s, &s->editor, "PATCH", path,
		     "{\"resolution_minutes\":5}");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_problem(api_get(s, &s->viewer, "/api/v1/sla-policies/0"),
			   404, NULL);

	/* Delete: gone, a second delete is 404. */
	api_expect_status(api_delete(s, &s->editor, path), 204);
	api_assert_problem(api_get(s, &s->viewer, path), 404, "not-found");
	api_assert_problem(api_delete(s, &s->editor, path), 404, "not-found");
}

static void test_dues_on_create(void **state)
{
	struct api_server *s = *state;
	struct calendar c;
	calendar_load(s, &c);
	int64_t q = queue_new(s), q2 = queue_new(s);
	policy_new(s, q, 0, 60, 480, 80);
	policy_new(s, q, 1, 15, 120, 80);
	/* A queue without a policy: no service level. */
	json_t *t = ticket_new(s, q2, 3);
	assert_string_equal(sla_state(t), "none");
	assert_true(json_is_null(
		json_object_get(api_obj(t, "sla"), "first_response_due")));
	/* The queue's policy for any priority. */
	t = ticket_new(s, q, 3);
	assert_string_equal(sla_state(t), "ok");
	int64_t created = ms_of(api_str(t, "created_at"));
	int64_t want_r, want_s;
	assert_int_equal(dd_business_add_minutes(&c.cal, created, 60, &want_r),
			 0);
	assert_int_equal(dd_business_add_minutes(&c.cal, created, 480, &want_s),
			 0);
	assert_int_equal(sla_due(t, "first_response_due"), want_r);
	assert_int_equal(sla_due(t, "resolution_due"), want_s);
	/* Whatever the hour: at least the minutes of wall time, and
	 * exactly the minutes of business time. */
	assert_true(want_r - created >= 60 * MIN);
	assert_int_equal(dd_business_between(&c.cal, created, want_r),
			 60 * MIN);
	/* Priority 1 in the queue: the more specific policy. */
	t = ticket_new(s, q, 1);
	created = ms_of(api_str(t, "created_at"));
	assert_int_equal(dd_business_add_minutes(&c.cal, created, 15, &want_r),
			 0);
	assert_int_equal(sla_due(t, "first_response_due"), want_r);
	/* Moved to priority 2: dues from the creation by the queue's
	 * general policy. */
	int64_t id = api_int(t, "id");
	t = ticket_patch(s, id, "{\"priority\":2}");
	assert_int_equal(dd_business_add_minutes(&c.cal, created, 60, &want_r),
			 0);
	assert_int_equal(sla_due(t, "first_response_due"), want_r);
	/* Moved to the queue without a policy: none. */
	t = ticket_patch(s, id, api_fmt("{\"queue_id\":%lld}", (long long)q2));
	assert_string_equal(sla_state(t), "none");
	calendar_free(&c);
}

static void test_pending_pauses(void **state)
{
	struct api_server *s = *state;
	struct calendar c;
	calendar_load(s, &c);
	int64_t q = queue_new(s);
	policy_new(s, q, 0, 480, 4800, 80);
	json_t *t = ticket_new(s, q, 3);
	int64_t id = api_int(t, "id");
	t = ticket_patch(s, id, "{\"status\":\"pending\"}");
	assert_string_equal(sla_state(t), "ok");
	/* Let the pause have begun five days ago, a day after the ticket
	 * was made, with the dues a week after it: as if the ticket were
	 * six days old. */
	int64_t now = ms_of(api_str(t, "updated_at"));
	int64_t created = now - 6 * 24 * HOUR, since = now - 5 * 24 * HOUR;
	int64_t due_r = created + 7 * 24 * HOUR, due_s = due_r + HOUR;
	db(s,
	   "UPDATE tickets SET created_at = $2, pending_since = $3 WHERE id "
	   "= $1",
	   3, id, created, since);
	db(s,
	   "UPDATE tickets SET sla_response_due = $2, sla_resolution_due = "
	   "$3 WHERE id = $1",
	   3, id, due_r, due_s);
	/* While pending, the check leaves it alone. */
	json_t *answer = check_now(s);
	assert_null(check_item(answer, id));
	t = ticket_patch(s, id, "{\"status\":\"open\"}");
	int64_t resumed = ms_of(api_str(t, "updated_at"));
	/* Both dues moved later by the business time of the pause. */
	int64_t paused = dd_business_between(&c.cal, since, resumed);
	assert_true(paused >= 3 * 8 * HOUR / 2); /* five days hold some */
	assert_int_equal(sla_due(t, "first_response_due"),
			 dd_sla_due_after_pause(&c.cal, due_r, since, resumed));
	assert_int_equal(sla_due(t, "resolution_due"),
			 dd_sla_due_after_pause(&c.cal, due_s, since, resumed));
	assert_true(sla_due(t, "first_response_due") > due_r);
	assert_int_equal(dd_business_between(&c.cal, due_r,
					     sla_due(t, "first_response_due")),
			 paused);
	/* The pause is over: pending_since is cleared, paused_ms counted. */
	assert_int_equal(db(s,
			    "SELECT COUNT(*) FROM tickets WHERE id = $1 AND "
			    "pending_since "
			    "IS NULL AND paused_ms > 0",
			    1, id, 0, 0),
			 1);
	calendar_free(&c);
}

static void test_check_records_breach_once(void **state)
{
	struct api_server *s = *state;
	int64_t q = queue_new(s);
	policy_new(s, q, 0, 1, 1, 80);
	json_t *t = ticket_new(s, q, 2);
	int64_t id = api_int(t, "id");
	assert_string_equal(sla_state(t), "ok");
	/* Made two hours ago with a one-minute policy: both dues passed. */
	int64_t now = ms_of(api_str(t, "created_at"));
	db(s,
	   "UPDATE tickets SET created_at = $2, sla_response_due = $3, "
	   "sla_resolution_due = $3 WHERE id = $1",
	   3, id, now - 2 * HOUR, now - 2 * HOUR + MIN);
	json_t *answer = check_now(s);
	json_t *item = check_item(answer, id);
	if (item) {
		/* This check made the change (not the server's job). */
		assert_string_equal(api_str(item, "from"), "ok");
		assert_string_equal(api_str(item, "to"), "breached");
		assert_string_equal(api_str(item, "target"), "first_response");
		assert_true(api_bool(item, "event"));
		assert_int_equal(api_int(item, "number"), api_int(t, "number"));
		assert_true(api_int(answer, "breaches") >= 1);
	}
	t = ticket_get(s, id);
	assert_string_equal(sla_state(t), "breached");
	assert_int_equal(events_of(s, id, "ticket.sla.breach"), 1);
	/* Again: nothing new. */
	answer = check_now(s);
	assert_null(check_item(answer, id));
	assert_int_equal(events_of(s, id, "ticket.sla.breach"), 1);
	assert_int_equal(events_of(s, id, "ticket.sla.warning"), 0);
	/* Resolving late leaves it breached, with no second event. */
	t = ticket_patch(s, id, "{\"status\":\"resolved\"}");
	assert_string_equal(sla_state(t), "breached");
	assert_int_equal(events_of(s, id, "ticket.sla.breach"), 1);
	/* The event names what was missed. */
	struct api_resp *r = api_get(
		s, &s->admin,
		api_fmt("/api/v1/events?object_type=ticket&object_id=%lld",
			(long long)id));
	json_t *items = json_object_get(r->json, "items"), *ev;
	size_t i;
	json_array_foreach(items, i, ev)
	{
		if (strcmp(api_str(ev, "action"), "ticket.sla.breach") != 0)
			continue;
		json_t *after = api_obj(ev, "after");
		assert_non_null(after);
		assert_string_equal(api_str(after, "target"), "first_response");
		assert_string_equal(api_str(after, "sla_state"), "breached");
		assert_int_equal(api_int(after, "number"),
				 api_int(t, "number"));
		assert_int_equal(api_int(after, "queue_id"), q);
		assert_string_equal(api_str(api_obj(ev, "before"), "sla_state"),
				    "ok");
	}
}

static void test_check_records_warning(void **state)
{
	struct api_server *s = *state;
	int64_t q = queue_new(s);
	policy_new(s, q, 0, 60, 600, 80);
	json_t *t = ticket_new(s, q, 3);
	int64_t id = api_int(t, "id");
	/* Answered, and the resolution due in 30 min of wall time: at most
	 * 30 business minutes left of 600, under the 20 % (120 min) that
	 * the warning leaves, whatever the hour. */
	int64_t now = ms_of(api_str(t, "created_at"));
	db(s,
	   "UPDATE tickets SET first_response_at = $2, sla_resolution_due = "
	   "$3 WHERE id = $1",
	   3, id, now, now + 30 * MIN);
	json_t *answer = check_now(s);
	json_t *item = check_item(answer, id);
	if (item) {
		assert_string_equal(api_str(item, "to"), "warning");
		assert_string_equal(api_str(item, "target"), "resolution");
	}
	t = ticket_get(s, id);
	assert_string_equal(sla_state(t), "warning");
	assert_int_equal(events_of(s, id, "ticket.sla.warning"), 1);
	check_now(s);
	assert_int_equal(events_of(s, id, "ticket.sla.warning"), 1);
	/* Resolved in time: met. */
	t = ticket_patch(s, id, "{\"status\":\"resolved\"}");
	assert_string_equal(sla_state(t), "met");
	assert_int_equal(events_of(s, id, "ticket.sla.breach"), 0);
}

static void test_check_body_and_method(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/sla/check",
			 "{\"now\":\"2030-01-01T00:00:00Z\"}");
	api_assert_problem(r, 400, NULL);
	r = api_get(s, &s->editor, "/api/v1/sla/check");
	api_assert_problem(r, 405, "method-not-allowed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_permissions),
		API_TEST(test_policy_crud),
		API_TEST(test_dues_on_create),
		API_TEST(test_pending_pauses),
		API_TEST(test_check_records_breach_once),
		API_TEST(test_check_records_warning),
		API_TEST(test_check_body_and_method),
	};
	return API_RUN("sla", tests);
}
