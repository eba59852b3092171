/*
 * test_rota_core.c - the rota's core API on both engines: the calendar
 * settings, duties, rota members, weekly plans (draft, publish), the
 * daily alternation with holidays, explicit plan days, who is on call at
 * an instant (across both DST changes of 2026), fair proposals and the
 * range limits of the day listing.
 *
 * The demo organisation's plan is published from the current week for
 * 13 weeks, so the dates here are worked out from today in Europe/Berlin.
 * Each test makes its own people; weeks in the past (the DST weeks, a
 * summer week) are set with PUT and publish. The expectations come from
 * a small model of the calendar: Monday to Friday without the Bavarian
 * holidays the demo loads for this year and next.
 */
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "base/date.h"
#include "base/tz.h"
#include "rota/holiday.h"

#define PHONE_DUTY     "Telephone service"
#define EMERGENCY_DUTY "Technical emergency preparedness"

/* ---- the calendar model ---- */

static int64_t today_berlin(void)
{
	struct dd_tz *tz;
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &tz, &err) < 0)
		fail_msg("cannot load Europe/Berlin: %s", err.msg);
	int64_t day = dd_tz_local_day(tz, (int64_t)time(NULL));
	dd_tz_free(tz);
	return day;
}

static int this_year(void)
{
	int y, m, d;
	dd_date_from_days(today_berlin(), &y, &m, &d);
	return y;
}

/* A holiday the demo loaded: Bavarian, this year or next. */
static int is_holiday(int64_t day)
{
	int y, m, d, year = this_year();
	dd_date_from_days(day, &y, &m, &d);
	if (y < year || y > year + 1)
		return 0;
	int64_t days[16];
	const char *names[16];
	int n = dd_holidays_bavaria(y, days, names);
	for (int i = 0; i < n; i++)
		if (days[i] == day)
			return 1;
	return 0;
}

static int is_business(int64_t day)
{
	return dd_date_weekday(day) <= 5 && !is_holiday(day);
}

/* Who the pair (first, second) puts on slot on day, by the model. */
static int64_t model_assignee(int64_t day, int slot, int64_t first,
			      int64_t second)
{
	if (!is_business(day))
		return 0;
	int index = 0;
	for (int64_t d = dd_date_week_start(day); d < day; d++)
		index += is_business(d);
	int first_has_slot0 = index % 2 == 0;
	return (slot == 0) == first_has_slot0 ? first : second;
}

static const char *day_text(int64_t day)
{
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(day, text);
	return api_fmt("%s", text);
}

/* ---- helpers ---- */

static int64_t duty_id(struct api_server *s, const char *name)
{
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/duties");
	api_expect_json(r, 200);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r->json, "items"), i, d)
	{
		if (strcmp(api_str(d, "name"), name) == 0)
			return api_int(d, "id");
	}
	fail_msg("no duty named '%s'", name);
	return 0;
}

/* A new active person with a phone number. */
static int64_t person_with_phone(struct api_server *s, const char *phone)
{
	const char *l = api_unique("rc");
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/people",
		     api_fmt("{\"login\":\"%s\",\"name\":\"Rota %s\",\"email\":"
			     "\"%s@example.org\",\"phone\":\"%s\"}",
			     l, l, l, phone));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static const char *week_path(int64_t monday)
{
	return api_fmt("/api/v1/rota/weeks/%s", day_text(monday));
}

static const char *pair_body(int64_t first, int64_t second)
{
	return api_fmt("{\"first_person_id\":%lld,\"second_person_id\":%lld}",
		       (long long)first, (long long)second);
}

static json_t *put_week(struct api_server *s, int64_t monday, int64_t first,
			int64_t second)
{
	struct api_resp *r = api_json(s, &s->editor, "PUT", week_path(monday),
				      pair_body(first, second));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "first_person_id"), first);
	assert_int_equal(api_int(r->json, "second_person_id"), second);
	return r->json;
}

static json_t *publish_week(struct api_server *s, int64_t monday)
{
	struct api_resp *r =
	    api_json(s, &s->editor, "POST",
		     api_fmt("%s/publish", week_path(monday)), NULL);
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "published");
	return r->json;
}

/* The entry of duty in GET /api/v1/oncall?at=at. */
static json_t *oncall(struct api_server *s, const char *at, int64_t duty)
{
	struct api_resp *r =
	    api_get(s, &s->viewer, api_fmt("/api/v1/oncall?at=%s", at));
	api_expect_json(r, 200);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(r->json, "duties"), i, o)
	{
		if (api_int(o, "duty_id") == duty)
			return o;
	}
	fail_msg("oncall at %s lists no duty %lld", at, (long long)duty);
	return NULL;
}

/* The person id on call in o, 0 for nobody (null). */
static int64_t oncall_person(const json_t *o)
{
	json_t *p = json_object_get(o, "person");
	if (json_is_null(p))
		return 0;
	assert_true(json_is_object(p));
	return api_int(p, "id");
}

/* GET /api/v1/rota/days items for [from, to]. */
static json_t *days(struct api_server *s, int64_t from, int64_t to, int drafts)
{
	struct api_resp *r =
	    api_get(s, &s->viewer,
		    api_fmt("/api/v1/rota/days?from=%s&to=%s%s", day_text(from),
			    day_text(to), drafts ? "&drafts=true" : ""));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_is_array(items));
	return items;
}

static json_t *day_item(json_t *items, int64_t day, int64_t duty)
{
	const char *text = day_text(day);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (api_int(it, "duty_id") == duty &&
		    strcmp(api_str(it, "day"), text) == 0)
			return it;
	}
	return NULL;
}

/* person_id of a day item, 0 for null. */
static int64_t item_person(const json_t *it)
{
	json_t *p = json_object_get(it, "person_id");
	return json_is_null(p) ? 0 : (int64_t)json_integer_value(p);
}

/* Every duty day of [monday, monday+6] for the two demo duties matches
 * the pair's alternation: nobody on weekends and holidays. */
static void expect_alternation(struct api_server *s, int64_t monday,
			       int64_t first, int64_t second)
{
	int64_t phone = duty_id(s, PHONE_DUTY);
	int64_t emergency = duty_id(s, EMERGENCY_DUTY);
	json_t *items = days(s, monday, monday + 6, 0);
	int business = 0;
	for (int64_t d = monday; d < monday + 7; d++) {
		json_t *p = day_item(items, d, phone);
		json_t *e = day_item(items, d, emergency);
		if (!is_business(d)) {
			assert_null(p);
			assert_null(e);
			continue;
		}
		business++;
		assert_non_null(p);
		assert_non_null(e);
		assert_int_equal(item_person(p),
				 model_assignee(d, 0, first, second));
		assert_int_equal(item_person(e),
				 model_assignee(d, 1, first, second));
		assert_string_equal(api_str(p, "reason"), "plan");
		assert_int_equal(api_bool(p, "draft"), 0);
		assert_int_equal(api_int(p, "planned_person_id"),
				 item_person(p));
	}
	assert_true(business >= 1);
}

/* ---- calendar ---- */

static void test_calendar(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/calendar");
	api_expect_json(r, 200);
	json_t *before = json_incref(r->json);
	assert_string_equal(api_str(r->json, "time_zone"), "Europe/Berlin");
	json_t *wd = json_object_get(r->json, "workdays");
	assert_int_equal(json_array_size(wd), 5);
	assert_string_equal(json_string_value(json_array_get(wd, 0)), "mon");
	assert_string_equal(json_string_value(json_array_get(wd, 4)), "fri");
	assert_string_equal(api_str(r->json, "core_start"), "08:00");
	assert_string_equal(api_str(r->json, "core_end"), "16:00");
	assert_int_equal(api_int(r->json, "trailing_weeks"), 12);
	assert_int_equal(api_int(r->json, "uncovered_warning_days"), 14);
	/* The demo's coordinator is its admin. */
	assert_int_equal(api_int(r->json, "coordinator_id"),
			 s->admin.person_id);
	assert_int_equal(api_int(r->json, "substitute_id"),
			 s->editor.person_id);

	/* Viewers read, editors write. */
	r = api_json(s, &s->viewer, "PUT", "/api/v1/calendar",
		     "{\"core_start\":\"07:00\"}");
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, NULL, "PUT", "/api/v1/calendar",
		     "{\"core_start\":\"07:00\"}");
	api_expect_status(r, 401);

	/* Refused changes. */
	static const char *const bad[] = {
	    "{\"time_zone\":\"Mars/Base\"}",
	    "{\"time_zone\":\"../../etc/passwd\"}",
	    "{\"time_zone\":\"\"}",
	    "{\"core_start\":\"17:00\",\"core_end\":\"09:00\"}",
	    "{\"core_end\":\"08:00\"}",
	    "{\"core_start\":\"25:00\"}",
	    "{\"core_start\":\"8am\"}",
	    "{\"colour\":\"blue\"}",
	    "{\"workdays\":[]}",
	    "{\"workdays\":[\"mon\",\"xyz\"]}",
	    "{\"workdays\":\"mon\"}",
	    "{\"trailing_weeks\":0}",
	    "{\"trailing_weeks\":105}",
	    "{\"uncovered_warning_days\":-1}",
	    "{\"coordinator_id\":99999999}",
	    "{\"coordinator_id\":\"hbrandt\"}",
	    "{\"time_zone\":7}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_json(s, &s->editor, "PUT", "/api/v1/calendar", bad[i]);
		api_assert_problem(r, 400, NULL);
	}
	r = api_json(s, &s->editor, "PUT", "/api/v1/calendar", "[1]");
	api_assert_problem(r, 400, NULL);
	/* Nothing refused was stored. */
	r = api_get(s, &s->viewer, "/api/v1/calendar");
	api_expect_json(r, 200);
	assert_true(json_equal(r->json, before));

	/* A partial change leaves the rest. */
	r = api_json(s, &s->editor, "PUT", "/api/v1/calendar",
		     "{\"core_start\":\"07:30\",\"workdays\":[\"mon\",\"tue\","
		     "\"wed\",\"thu\",\"fri\",\"sat\"],\"trailing_weeks\":8,"
		     "\"mailbox_substitute_id\":null}");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "core_start"), "07:30");
	assert_string_equal(api_str(r->json, "core_end"), "16:00");
	assert_int_equal(json_array_size(json_object_get(r->json, "workdays")),
			 6);
	assert_int_equal(api_int(r->json, "trailing_weeks"), 8);
	assert_true(
	    json_is_null(json_object_get(r->json, "mailbox_substitute_id")));
	assert_int_equal(api_int(r->json, "coordinator_id"),
			 s->admin.person_id);
	r = api_json(s, &s->editor, "PUT", "/api/v1/calendar",
		     "{\"time_zone\":\"UTC\"}");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "time_zone"), "UTC");

	/* Put everything back for the other tests. */
	char *restore = json_dumps(before, JSON_COMPACT);
	r = api_json(s, &s->editor, "PUT", "/api/v1/calendar", restore);
	free(restore);
	api_expect_json(r, 200);
	assert_true(json_equal(r->json, before));
	json_decref(before);
}

/* ---- duties ---- */

static void test_duties_crud(void **state)
{
	struct api_server *s = *state;
	const char *name = api_unique("Duty ");
	struct api_resp *r = api_json(
	    s, &s->editor, "POST", "/api/v1/duties",
	    api_fmt("{\"name\":\"%s\",\"description\":\"Answers.\","
		    "\"slot\":0,\"weekdays\":[\"mon\",\"wed\"],\"start\":"
		    "\"09:00\",\"end\":\"11:30\",\"phone\":\"+49 (89) "
		    "1234-567\",\"takes_p1\":true}",
		    name));
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	assert_true(id > 0);
	const char *path = api_fmt("/api/v1/duties/%lld", (long long)id);
	assert_non_null(r->location);
	assert_string_equal(r->location, path);
	assert_non_null(r->etag);
	assert_string_equal(r->etag, "\"v1\"");
	assert_string_equal(api_str(r->json, "name"), name);
	assert_string_equal(api_str(r->json, "phone"), "+49891234567");
	assert_string_equal(api_str(r->json, "start"), "09:00");
	assert_string_equal(api_str(r->json, "end"), "11:30");
	assert_int_equal(api_int(r->json, "slot"), 0);
	assert_int_equal(api_bool(r->json, "takes_p1"), 1);
	json_t *wd = json_object_get(r->json, "weekdays");
	assert_int_equal(json_array_size(wd), 2);
	assert_string_equal(json_string_value(json_array_get(wd, 1)), "wed");

	/* Defaults: Monday to Friday, 16:00-18:00, no phone. */
	const char *name2 = api_unique("Duty ");
	r = api_json(s, &s->editor, "POST", "/api/v1/duties",
		     api_fmt("{\"name\":\"%s\",\"slot\":1}", name2));
	api_expect_json(r, 201);
	int64_t id2 = api_int(r->json, "id");
	assert_string_equal(api_str(r->json, "start"), "16:00");
	assert_string_equal(api_str(r->json, "end"), "18:00");
	assert_int_equal(json_array_size(json_object_get(r->json, "weekdays")),
			 5);
	assert_true(json_is_null(json_object_get(r->json, "phone")));
	assert_int_equal(api_bool(r->json, "takes_p1"), 0);

	/* Everyone reads; only editors write. */
	r = api_get(s, &s->viewer, path);
	api_expect_json(r, 200);
	assert_string_equal(r->etag, "\"v1\"");
	r = api_get(s, &s->viewer, "/api/v1/duties");
	api_expect_json(r, 200);
	assert_true(json_array_size(json_object_get(r->json, "items")) >= 4);
	r = api_json(
	    s, &s->viewer, "POST", "/api/v1/duties",
	    api_fmt("{\"name\":\"%s\",\"slot\":0}", api_unique("Duty ")));
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->viewer, "PATCH", path, "{\"end\":\"12:00\"}");
	api_assert_problem(r, 403, "forbidden");
	r = api_delete(s, &s->viewer, path);
	api_assert_problem(r, 403, "forbidden");

	/* Bad input. */
	static const char *const bad[] = {
	    "{\"name\":\"x2\",\"slot\":2}",
	    "{\"name\":\"x3\",\"slot\":-1}",
	    "{\"name\":\"x4\"}",
	    "{\"slot\":0}",
	    "{\"name\":\"\",\"slot\":0}",
	    "{\"name\":\"x5\",\"slot\":0,\"start\":\"18:00\",\"end\":"
	    "\"16:00\"}",
	    "{\"name\":\"x6\",\"slot\":0,\"start\":\"16:00\",\"end\":"
	    "\"16:00\"}",
	    "{\"name\":\"x7\",\"slot\":0,\"end\":\"15:00\"}",
	    "{\"name\":\"x8\",\"slot\":0,\"start\":\"4pm\"}",
	    "{\"name\":\"x9\",\"slot\":0,\"weekdays\":[]}",
	    "{\"name\":\"x10\",\"slot\":0,\"weekdays\":[\"monday\"]}",
	    "{\"name\":\"x11\",\"slot\":0,\"phone\":\"call me\"}",
	    "{\"name\":\"x12\",\"slot\":0,\"colour\":\"red\"}",
	    "{\"name\":\"x13\",\"slot\":0,\"takes_p1\":\"yes\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_json(s, &s->editor, "POST", "/api/v1/duties", bad[i]);
		api_assert_problem(r, 400, NULL);
	}
	r = api_json(s, &s->editor, "PATCH", path, "{\"slot\":2}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PATCH", path, "{\"end\":\"08:00\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PATCH", path, "{\"start\":\"12:00\"}");
	api_assert_problem(r, 400, "validation-failed");

	/* Names are unique, on create and on rename. */
	r = api_json(s, &s->editor, "POST", "/api/v1/duties",
		     api_fmt("{\"name\":\"%s\",\"slot\":1}", name));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "POST", "/api/v1/duties",
		     api_fmt("{\"name\":\"%s\",\"slot\":1}", PHONE_DUTY));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "PATCH",
		     api_fmt("/api/v1/duties/%lld", (long long)id2),
		     api_fmt("{\"name\":\"%s\"}", name));
	api_assert_problem(r, 409, "conflict");

	/* Nothing refused changed the duty. */
	r = api_get(s, &s->viewer, path);
	api_expect_json(r, 200);
	assert_string_equal(r->etag, "\"v1\"");
	assert_string_equal(api_str(r->json, "end"), "11:30");

	/* If-Match. */
	r = api_json_h(s, &s->editor, "PATCH", path,
		       "{\"end\":\"12:00\",\"phone\":\"0049 89 7654321\"}",
		       "If-Match: \"v1\"");
	api_expect_json(r, 200);
	assert_string_equal(r->etag, "\"v2\"");
	assert_int_equal(api_int(r->json, "version"), 2);
	assert_string_equal(api_str(r->json, "end"), "12:00");
	assert_string_equal(api_str(r->json, "start"), "09:00");
	assert_string_equal(api_str(r->json, "phone"), "+49897654321");
	assert_string_equal(api_str(r->json, "name"), name);
	r = api_json_h(s, &s->editor, "PATCH", path, "{\"end\":\"13:00\"}",
		       "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");
	r = api_json_h(s, &s->editor, "PATCH", path, "{\"end\":\"13:00\"}",
		       "If-Match: *");
	api_assert_problem(r, 412, "precondition-failed");
	/* A null phone removes the number. */
	r = api_json_h(s, &s->editor, "PATCH", path,
		       "{\"phone\":null,\"slot\":1,\"takes_p1\":false}",
		       "If-Match: \"v2\"");
	api_expect_json(r, 200);
	assert_true(json_is_null(json_object_get(r->json, "phone")));
	assert_int_equal(api_int(r->json, "slot"), 1);
	assert_int_equal(api_bool(r->json, "takes_p1"), 0);
	assert_string_equal(api_str(r->json, "end"), "12:00");

	r = api_json(s, &s->editor, "PATCH", "/api/v1/duties/99999999",
		     "{\"end\":\"12:00\"}");
	api_assert_problem(r, 404, "not-found");
	r = api_get(s, &s->viewer, "/api/v1/duties/abc");
	api_assert_problem(r, 404, "not-found");

	/* Delete: gone, and gone from who is on call. */
	r = api_delete(s, &s->editor, path);
	api_expect_status(r, 204);
	r = api_get(s, &s->viewer, path);
	api_assert_problem(r, 404, "not-found");
	r = api_delete(s, &s->editor, path);
	api_assert_problem(r, 404, "not-found");
	r = api_delete(s, &s->editor,
		       api_fmt("/api/v1/duties/%lld", (long long)id2));
	api_expect_status(r, 204);
	r = api_get(s, &s->viewer, "/api/v1/oncall/now");
	api_expect_json(r, 200);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(r->json, "duties"), i, o)
	{
		assert_true(api_int(o, "duty_id") != id);
		assert_true(api_int(o, "duty_id") != id2);
	}
}

/* ---- rota members ---- */

static json_t *find_member(struct api_server *s, int64_t person)
{
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/rota/members");
	api_expect_json(r, 200);
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(r->json, "items"), i, m)
	{
		if (api_int(m, "person_id") == person)
			return m;
	}
	return NULL;
}

static void test_members(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/rota/members");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_array_size(items) >= 8);
	size_t i;
	json_t *m;
	int64_t last = 0;
	json_array_foreach(items, i, m)
	{
		assert_true(api_int(m, "person_id") > last);
		last = api_int(m, "person_id");
	}
	/* The demo's coordinator is not in the rota. */
	assert_null(find_member(s, s->admin.person_id));

	int64_t p = person_with_phone(s, "+4989000100");
	const char *path = api_fmt("/api/v1/rota/members/%lld", (long long)p);
	r = api_json(s, &s->viewer, "PUT", path, NULL);
	api_assert_problem(r, 403, "forbidden");
	/* An empty body adds the person in rotation. */
	r = api_json(s, &s->editor, "PUT", path, NULL);
	api_expect_status(r, 201);
	m = find_member(s, p);
	assert_non_null(m);
	assert_int_equal(api_bool(m, "in_rotation"), 1);
	assert_int_equal(api_bool(m, "active"), 1);
	r = api_json(s, &s->editor, "PUT", path, "{\"in_rotation\":true}");
	api_expect_status(r, 204);
	r = api_json(s, &s->editor, "PUT", path, "{\"in_rotation\":false}");
	api_expect_status(r, 204);
	m = find_member(s, p);
	assert_non_null(m);
	assert_int_equal(api_bool(m, "in_rotation"), 0);

	r = api_json(s, &s->editor, "PUT", path, "{\"in_rotation\":\"no\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", path, "{\"rotation\":false}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", "/api/v1/rota/members/99999999",
		     NULL);
	api_assert_problem(r, 404, "not-found");

	r = api_delete(s, &s->viewer, path);
	api_assert_problem(r, 403, "forbidden");
	r = api_delete(s, &s->editor, path);
	api_expect_status(r, 204);
	assert_null(find_member(s, p));
	r = api_delete(s, &s->editor, path);
	api_assert_problem(r, 404, "not-found");
}

/* ---- weeks ---- */

static void test_week_draft_then_publish(void **state)
{
	struct api_server *s = *state;
	int64_t a = person_with_phone(s, "+4989000201");
	int64_t b = person_with_phone(s, "+4989000202");
	int64_t phone = duty_id(s, PHONE_DUTY);
	int64_t emergency = duty_id(s, EMERGENCY_DUTY);
	int64_t monday = dd_date_days(2025, 7, 14);
	/* Tuesday 2025-07-15, 17:00 CEST: the second person's phone day. A
	 * week in the past, so that deleting it at the end never takes the
	 * demo's current plan away. */
	const char *at = "2025-07-15T15:00:00Z";

	/* Refused. */
	struct api_resp *r = api_json(s, &s->editor, "PUT",
				      week_path(monday + 1), pair_body(a, b));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", "/api/v1/rota/weeks/2026-13-01",
		     pair_body(a, b));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", week_path(monday), pair_body(a, a));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", week_path(monday),
		     pair_body(a, 99999999));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", week_path(monday),
		     api_fmt("{\"first_person_id\":%lld}", (long long)a));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", week_path(monday),
		     api_fmt("{\"first_person_id\":%lld,\"second_person_id\":"
			     "%lld,\"colour\":1}",
			     (long long)a, (long long)b));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->viewer, "PUT", week_path(monday), pair_body(a, b));
	api_assert_problem(r, 403, "forbidden");
	r = api_get(s, &s->viewer, week_path(monday));
	api_assert_problem(r, 404, "not-found");

	/* A draft. */
	r = api_json(s, &s->editor, "PUT", week_path(monday),
		     api_fmt("{\"first_person_id\":%lld,\"second_person_id\":"
			     "%lld,\"note\":\"summer\"}",
			     (long long)a, (long long)b));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "draft");
	assert_string_equal(api_str(r->json, "week_start"), "2025-07-14");
	assert_string_equal(api_str(r->json, "note"), "summer");
	assert_true(json_is_null(json_object_get(r->json, "published_at")));
	assert_string_equal(r->etag, "\"v1\"");
	r = api_get(s, &s->viewer, week_path(monday));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "draft");

	/* A draft puts nobody on duty... */
	json_t *o = oncall(s, at, phone);
	assert_int_equal(api_bool(o, "open"), 1);
	assert_int_equal(oncall_person(o), 0);
	assert_true(json_is_null(json_object_get(o, "reason")));
	o = oncall(s, at, emergency);
	assert_int_equal(api_bool(o, "open"), 1);
	assert_int_equal(oncall_person(o), 0);
	json_t *items = days(s, monday, monday + 6, 0);
	json_t *it = day_item(items, monday + 1, phone);
	assert_non_null(it);
	assert_int_equal(item_person(it), 0);
	assert_true(json_is_null(json_object_get(it, "reason")));
	assert_int_equal(api_bool(it, "draft"), 1);
	assert_int_equal(api_int(it, "planned_person_id"), b);
	/* ...except in a preview. */
	items = days(s, monday, monday + 6, 1);
	it = day_item(items, monday + 1, phone);
	assert_int_equal(item_person(it), b);
	assert_string_equal(api_str(it, "reason"), "plan");

	/* Publishing. */
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("%s/publish", week_path(monday)), NULL);
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->editor, "POST",
		     api_fmt("%s/publish", week_path(monday)), NULL);
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "published");
	assert_true(json_is_string(json_object_get(r->json, "published_at")));
	assert_string_equal(r->etag, "\"v2\"");
	/* Publishing again changes nothing. */
	r = api_json(s, &s->editor, "POST",
		     api_fmt("%s/publish", week_path(monday)), NULL);
	api_expect_json(r, 200);
	assert_string_equal(r->etag, "\"v2\"");
	r = api_json(s, &s->editor, "POST",
		     "/api/v1/rota/weeks/2020-01-06/publish", NULL);
	api_assert_problem(r, 404, "not-found");
	r = api_json(s, &s->editor, "POST",
		     "/api/v1/rota/weeks/2020-01-07/publish", NULL);
	api_assert_problem(r, 400, "validation-failed");

	o = oncall(s, at, phone);
	assert_int_equal(oncall_person(o), b);
	assert_string_equal(api_str(o, "reason"), "plan");
	assert_string_equal(api_str(api_obj(o, "person"), "phone"),
			    "+4989000202");
	o = oncall(s, at, emergency);
	assert_int_equal(oncall_person(o), a);
	assert_string_equal(api_str(api_obj(o, "person"), "phone"),
			    "+4989000201");

	/* Changing a published week's pair: stays published, at once. */
	r = api_json_h(s, &s->editor, "PUT", week_path(monday), pair_body(b, a),
		       "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");
	r = api_json_h(s, &s->editor, "PUT", week_path(monday), pair_body(b, a),
		       "If-Match: \"v2\"");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "published");
	assert_string_equal(api_str(r->json, "note"), "summer");
	assert_string_equal(r->etag, "\"v3\"");
	assert_int_equal(oncall_person(oncall(s, at, phone)), a);

	/* Listing weeks. */
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/weeks?from=2025-07-07&to=2025-07-20");
	api_expect_json(r, 200);
	items = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(api_str(json_array_get(items, 0), "week_start"),
			    "2025-07-14");

	/* Deleting the week: nobody again. */
	r = api_delete(s, &s->viewer, week_path(monday));
	api_assert_problem(r, 403, "forbidden");
	r = api_delete(s, &s->editor, week_path(monday));
	api_expect_status(r, 204);
	assert_int_equal(oncall_person(oncall(s, at, phone)), 0);
	r = api_delete(s, &s->editor, week_path(monday));
	api_assert_problem(r, 404, "not-found");
}

/* ---- the alternation ---- */

static void test_alternation_with_holidays(void **state)
{
	struct api_server *s = *state;
	int year = this_year();
	/* Christmas this year, and the week of Easter Monday next year. */
	int64_t xmas = dd_date_week_start(dd_date_days(year, 12, 25));
	int64_t easter = dd_date_week_start(dd_easter_sunday(year + 1) + 1);
	int64_t weeks[] = {xmas, easter};
	for (int w = 0; w < 2; w++) {
		int64_t a = person_with_phone(s, "+4989000301");
		int64_t b = person_with_phone(s, "+4989000302");
		json_t *week = put_week(s, weeks[w], a, b);
		(void)week;
		publish_week(s, weeks[w]);
		expect_alternation(s, weeks[w], a, b);
	}
	/* The model agrees with what the weeks look like in 2026/2027: on
	 * Christmas week the Friday is a holiday (25 December 2026 is a
	 * Friday), and Easter Monday 2027 falls on 29 March. */
	if (year == 2026) {
		assert_false(is_business(dd_date_days(2026, 12, 25)));
		assert_true(is_business(dd_date_days(2026, 12, 24)));
		assert_int_equal(easter, dd_date_days(2027, 3, 29));
		assert_int_equal(
		    model_assignee(dd_date_days(2027, 3, 30), 0, 1, 2), 1);
		assert_int_equal(
		    model_assignee(dd_date_days(2026, 12, 24), 0, 1, 2), 2);
	}
}

/* ---- explicit days ---- */

static void test_explicit_day(void **state)
{
	struct api_server *s = *state;
	int64_t a = person_with_phone(s, "+4989000401");
	int64_t b = person_with_phone(s, "+4989000402");
	int64_t c = person_with_phone(s, "+4989000403");
	int64_t d = person_with_phone(s, "+4989000404");
	int64_t phone = duty_id(s, PHONE_DUTY);
	int64_t emergency = duty_id(s, EMERGENCY_DUTY);
	int64_t monday = dd_date_days(2026, 9, 14);
	int64_t tuesday = monday + 1;
	put_week(s, monday, a, b);
	publish_week(s, monday);
	const char *path = api_fmt("/api/v1/rota/days/%s/%lld",
				   day_text(tuesday), (long long)phone);

	struct api_resp *r =
	    api_json(s, &s->editor, "PUT", path,
		     api_fmt("{\"person_id\":%lld}", (long long)c));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "day"), "2026-09-15");
	assert_int_equal(api_int(r->json, "duty_id"), phone);
	assert_string_equal(api_str(r->json, "duty"), PHONE_DUTY);
	assert_int_equal(api_int(r->json, "person_id"), c);
	assert_int_equal(api_int(r->json, "planned_person_id"), b);
	assert_string_equal(api_str(r->json, "reason"), "plan day");
	assert_int_equal(api_bool(r->json, "draft"), 0);

	json_t *items = days(s, monday, monday + 6, 0);
	json_t *it = day_item(items, tuesday, phone);
	assert_int_equal(item_person(it), c);
	assert_string_equal(api_str(it, "reason"), "plan day");
	/* The other duty and the other days keep the plan. */
	it = day_item(items, tuesday, emergency);
	assert_int_equal(item_person(it), a);
	assert_string_equal(api_str(it, "reason"), "plan");
	assert_int_equal(item_person(day_item(items, monday, phone)), a);
	json_t *o = oncall(s, "2026-09-15T14:30:00Z", phone);
	assert_int_equal(oncall_person(o), c);
	assert_string_equal(api_str(o, "reason"), "plan day");

	/* Set again: the later setting wins. */
	r = api_json(s, &s->editor, "PUT", path,
		     api_fmt("{\"person_id\":%lld}", (long long)d));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "person_id"), d);
	assert_int_equal(
	    oncall_person(oncall(s, "2026-09-15T14:30:00Z", phone)), d);

	/* Refused: days the duty does not run. */
	int year = this_year();
	int64_t easter_monday = dd_easter_sunday(year) + 1;
	static const char *const body = "{\"person_id\":%lld}";
	r = api_json(s, &s->editor, "PUT",
		     api_fmt("/api/v1/rota/days/%s/%lld", day_text(monday + 5),
			     (long long)phone),
		     api_fmt(body, (long long)c));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "PUT",
		     api_fmt("/api/v1/rota/days/%s/%lld",
			     day_text(easter_monday), (long long)phone),
		     api_fmt(body, (long long)c));
	api_assert_problem(r, 409, "conflict");
	/* A duty that runs on Mondays only. */
	r = api_json(s, &s->editor, "POST", "/api/v1/duties",
		     api_fmt("{\"name\":\"%s\",\"slot\":0,\"weekdays\":"
			     "[\"mon\"]}",
			     api_unique("Monday duty ")));
	api_expect_json(r, 201);
	int64_t monday_duty = api_int(r->json, "id");
	r = api_json(s, &s->editor, "PUT",
		     api_fmt("/api/v1/rota/days/%s/%lld", day_text(tuesday),
			     (long long)monday_duty),
		     api_fmt(body, (long long)c));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "PUT",
		     api_fmt("/api/v1/rota/days/%s/%lld", day_text(monday),
			     (long long)monday_duty),
		     api_fmt(body, (long long)c));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "person_id"), c);
	r = api_delete(s, &s->editor,
		       api_fmt("/api/v1/duties/%lld", (long long)monday_duty));
	api_expect_status(r, 204);

	/* Other bad input. */
	r = api_json(s, &s->editor, "PUT", path, "{\"person_id\":99999999}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", path, "{\"person_id\":0}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", path, "{}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", path,
		     api_fmt("{\"person_id\":%lld,\"why\":1}", (long long)c));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(
	    s, &s->editor, "PUT",
	    api_fmt("/api/v1/rota/days/%s/99999999", day_text(tuesday)),
	    api_fmt(body, (long long)c));
	api_assert_problem(r, 404, "not-found");
	r = api_json(
	    s, &s->editor, "PUT",
	    api_fmt("/api/v1/rota/days/2026-02-30/%lld", (long long)phone),
	    api_fmt(body, (long long)c));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->viewer, "PUT", path, api_fmt(body, (long long)c));
	api_assert_problem(r, 403, "forbidden");
	/* None of it changed the day. */
	assert_int_equal(
	    oncall_person(oncall(s, "2026-09-15T14:30:00Z", phone)), d);
}

/* ---- on call across DST ---- */

struct dst_case {
	const char *at;
	int open;
	const char *window_start, *window_end; /* NULL: no window that day */
};

static void test_oncall_dst(void **state)
{
	struct api_server *s = *state;
	int64_t a = person_with_phone(s, "+4989000501");
	int64_t b = person_with_phone(s, "+4989000502");
	int64_t phone = duty_id(s, PHONE_DUTY);
	int64_t emergency = duty_id(s, EMERGENCY_DUTY);
	/* The weeks either side of 2026-03-29 and 2026-10-25. */
	const int64_t weeks[] = {
	    dd_date_days(2026, 3, 23), dd_date_days(2026, 3, 30),
	    dd_date_days(2026, 10, 19), dd_date_days(2026, 10, 26)};
	for (int w = 0; w < 4; w++) {
		put_week(s, weeks[w], a, b);
		/* Not yet published: open, but nobody. */
		json_t *o = oncall(s, "2026-03-30T14:30:00Z", phone);
		if (w == 1) {
			assert_int_equal(api_bool(o, "open"), 1);
			assert_int_equal(oncall_person(o), 0);
		}
		publish_week(s, weeks[w]);
	}

	static const struct dst_case cases[] = {
	    /* Friday 27 March, CET (UTC+1): 15:00Z-17:00Z. */
	    {"2026-03-27T15:30:00Z", 1, "2026-03-27T15:00:00.000Z",
	     "2026-03-27T17:00:00.000Z"},
	    {"2026-03-27T14:30:00Z", 0, "2026-03-27T15:00:00.000Z",
	     "2026-03-27T17:00:00.000Z"},
	    {"2026-03-27T15:00:00Z", 1, "2026-03-27T15:00:00.000Z",
	     "2026-03-27T17:00:00.000Z"},
	    {"2026-03-27T16:59:59Z", 1, "2026-03-27T15:00:00.000Z",
	     "2026-03-27T17:00:00.000Z"},
	    {"2026-03-27T17:00:00Z", 0, "2026-03-27T15:00:00.000Z",
	     "2026-03-27T17:00:00.000Z"},
	    /* The weekend of the change: no window. */
	    {"2026-03-28T15:30:00Z", 0, NULL, NULL},
	    {"2026-03-29T15:30:00Z", 0, NULL, NULL},
	    /* Monday 30 March, CEST (UTC+2): 14:00Z-16:00Z. */
	    {"2026-03-30T13:30:00Z", 0, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    {"2026-03-30T14:00:00Z", 1, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    {"2026-03-30T14:30:00Z", 1, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    {"2026-03-30T15:30:00Z", 1, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    {"2026-03-30T16:00:00Z", 0, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    {"2026-03-30T16:30:00Z", 0, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    /* The same instants written with an offset. */
	    {"2026-03-30T16:30:00%2B02:00", 1, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    {"2026-03-30T18:30:00%2B02:00", 0, "2026-03-30T14:00:00.000Z",
	     "2026-03-30T16:00:00.000Z"},
	    /* Friday 23 October, CEST: 14:00Z-16:00Z. */
	    {"2026-10-23T14:30:00Z", 1, "2026-10-23T14:00:00.000Z",
	     "2026-10-23T16:00:00.000Z"},
	    {"2026-10-23T15:30:00Z", 1, "2026-10-23T14:00:00.000Z",
	     "2026-10-23T16:00:00.000Z"},
	    {"2026-10-23T16:30:00Z", 0, "2026-10-23T14:00:00.000Z",
	     "2026-10-23T16:00:00.000Z"},
	    {"2026-10-25T15:30:00Z", 0, NULL, NULL},
	    /* Monday 26 October, CET again: 15:00Z-17:00Z. */
	    {"2026-10-26T14:30:00Z", 0, "2026-10-26T15:00:00.000Z",
	     "2026-10-26T17:00:00.000Z"},
	    {"2026-10-26T15:30:00Z", 1, "2026-10-26T15:00:00.000Z",
	     "2026-10-26T17:00:00.000Z"},
	    {"2026-10-26T16:30:00Z", 1, "2026-10-26T15:00:00.000Z",
	     "2026-10-26T17:00:00.000Z"},
	    {"2026-10-26T17:00:00Z", 0, "2026-10-26T15:00:00.000Z",
	     "2026-10-26T17:00:00.000Z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dst_case *c = &cases[i];
		for (int slot = 0; slot < 2; slot++) {
			int64_t duty = slot ? emergency : phone;
			json_t *o = oncall(s, c->at, duty);
			if (api_bool(o, "open") != c->open)
				fail_msg("at %s duty %d: open %d, want %d",
					 c->at, slot, api_bool(o, "open"),
					 c->open);
			if (c->window_start) {
				assert_string_equal(api_str(o, "window_start"),
						    c->window_start);
				assert_string_equal(api_str(o, "window_end"),
						    c->window_end);
			} else {
				assert_true(json_is_null(
				    json_object_get(o, "window_start")));
				assert_true(json_is_null(
				    json_object_get(o, "window_end")));
			}
			if (!c->open) {
				assert_int_equal(oncall_person(o), 0);
				assert_true(
				    json_is_null(json_object_get(o, "reason")));
				continue;
			}
			/* Fridays are index 4, Mondays index 0: the first
			 * person has the phone on both. */
			int64_t want = slot ? b : a;
			assert_int_equal(oncall_person(o), want);
			assert_string_equal(api_str(o, "reason"), "plan");
			json_t *p = api_obj(o, "person");
			assert_string_equal(api_str(p, "phone"),
					    slot ? "+4989000502"
						 : "+4989000501");
			assert_true(strncmp(api_str(p, "name"), "Rota ", 5) ==
				    0);
			assert_int_equal(api_bool(o, "takes_p1"), slot);
		}
	}
}

static void test_oncall_misc(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/oncall/now");
	api_expect_json(r, 200);
	assert_true(json_is_string(json_object_get(r->json, "at")));
	json_t *list = json_object_get(r->json, "duties");
	assert_true(json_array_size(list) >= 2);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		assert_true(api_int(o, "duty_id") > 0);
		assert_true(api_bool(o, "open") >= 0);
		assert_non_null(json_object_get(o, "person"));
		/* The demo plan covers this week: an open window has
		 * someone. */
		if (api_bool(o, "open") == 1)
			assert_true(oncall_person(o) > 0);
		else
			assert_int_equal(oncall_person(o), 0);
	}
	r = api_get(s, NULL, "/api/v1/oncall/now");
	api_expect_status(r, 401);
	r = api_get(s, NULL, "/api/v1/oncall?at=2026-03-30T14:30:00Z");
	api_expect_status(r, 401);
	/* Without at: now. */
	r = api_get(s, &s->viewer, "/api/v1/oncall");
	api_expect_json(r, 200);
	assert_true(json_array_size(json_object_get(r->json, "duties")) >= 2);
	/* The answer names the instant it was asked about. */
	r = api_get(s, &s->viewer,
		    "/api/v1/oncall?at=2026-03-30T16:30:00%2B02:00");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "at"), "2026-03-30T14:30:00.000Z");

	static const char *const bad[] = {
	    "yesterday", "2026-03-30T25:00:00Z", "2026-02-30T10:00:00Z",
	    "",		 "2026-03-30T14:30:00",	 "1700000000",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		r = api_get(s, &s->viewer,
			    api_fmt("/api/v1/oncall?at=%s", bad[k]));
		api_assert_problem(r, 400, "validation-failed");
	}
	/* Instants far from any plan: answered (or refused), never a
	 * fault. */
	static const char *const far[] = {
	    "0001-01-01T00:00:00Z",
	    "1900-01-01T16:30:00%2B01:00",
	    "1969-12-31T23:59:59.500Z",
	    "9999-12-31T23:59:59Z",
	};
	for (size_t k = 0; k < sizeof(far) / sizeof(far[0]); k++) {
		r = api_get(s, &s->viewer,
			    api_fmt("/api/v1/oncall?at=%s", far[k]));
		if (r->status != 200)
			api_assert_problem(r, 400, "validation-failed");
	}
}

/* ---- proposals ---- */

/* days_before[person] of a proposal week. */
static int64_t before_days(const json_t *week, int64_t person)
{
	json_t *db = api_obj(week, "days_before");
	assert_non_null(db);
	return api_int(db, api_fmt("%lld", (long long)person));
}

static int same_pair(int64_t a1, int64_t b1, int64_t a2, int64_t b2)
{
	return (a1 == a2 && b1 == b2) || (a1 == b2 && b1 == a2);
}

/* What every proposal must satisfy: each week's explanation follows from
 * the one before, the least loaded pair is chosen, no pair twice
 * running. prev_first/prev_second: the week before the proposal. */
static void check_proposal(const json_t *p, int weeks, int64_t first_week,
			   int64_t prev_first, int64_t prev_second)
{
	json_t *people = json_object_get(p, "people");
	json_t *list = json_object_get(p, "proposal");
	assert_int_equal(json_array_size(list), (size_t)weeks);
	assert_int_equal(api_int(p, "weeks"), weeks);
	assert_string_equal(api_str(p, "first_week"), day_text(first_week));
	assert_true(json_array_size(people) >= 2);
	size_t n = json_array_size(people);
	int64_t pa = prev_first, pb = prev_second;
	for (int w = 0; w < weeks; w++) {
		json_t *wk = json_array_get(list, (size_t)w);
		assert_string_equal(api_str(wk, "week_start"),
				    day_text(first_week + 7 * w));
		assert_string_equal(api_str(wk, "status"), "paired");
		int64_t f = api_int(wk, "first_person_id");
		int64_t sd = api_int(wk, "second_person_id");
		int64_t bd = api_int(wk, "business_days");
		assert_true(f > 0 && sd > 0 && f != sd);
		assert_true(bd >= 1 && bd <= 5);
		if (same_pair(f, sd, pa, pb))
			fail_msg("week %s repeats the pair %lld/%lld",
				 api_str(wk, "week_start"), (long long)f,
				 (long long)sd);
		pa = f;
		pb = sd;
		/* The explanation names everyone. */
		assert_int_equal(json_object_size(api_obj(wk, "days_before")),
				 n);
		/* A proposed week without a repeat to avoid takes the two
		 * least loaded people in rotation. */
		if (api_bool(wk, "already_published") == 0 &&
		    api_bool(wk, "avoided_repeat") == 0) {
			int64_t pair_max = before_days(wk, f);
			if (before_days(wk, sd) > pair_max)
				pair_max = before_days(wk, sd);
			size_t i;
			json_t *person;
			json_array_foreach(people, i, person)
			{
				int64_t id = api_int(person, "person_id");
				if (id == f || id == sd ||
				    api_bool(person, "in_rotation") != 1)
					continue;
				assert_true(before_days(wk, id) >= pair_max);
			}
		}
		/* The next week's counts: this one's plus the pair's days. */
		size_t i;
		json_t *person;
		json_array_foreach(people, i, person)
		{
			int64_t id = api_int(person, "person_id");
			int64_t after = before_days(wk, id) +
					(id == f || id == sd ? bd : 0);
			int64_t next =
			    w + 1 < weeks
				? before_days(
				      json_array_get(list, (size_t)w + 1), id)
				: api_int(person, "days_after");
			assert_int_equal(next, after);
			if (w == 0)
				assert_int_equal(
				    before_days(wk, id),
				    api_int(person, "trailing_days"));
		}
	}
}

struct week_state {
	int exists, published;
	int64_t first, second, version;
};

static void week_states(struct api_server *s, int64_t from, int weeks,
			struct week_state *out)
{
	memset(out, 0, sizeof(*out) * (size_t)weeks);
	struct api_resp *r =
	    api_get(s, &s->viewer,
		    api_fmt("/api/v1/rota/weeks?from=%s&to=%s", day_text(from),
			    day_text(from + 7 * weeks - 1)));
	api_expect_json(r, 200);
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(r->json, "items"), i, w)
	{
		int64_t day;
		assert_int_equal(dd_date_parse(api_str(w, "week_start"), &day),
				 0);
		int k = (int)((day - from) / 7);
		assert_true(k >= 0 && k < weeks);
		out[k].exists = 1;
		out[k].published =
		    strcmp(api_str(w, "status"), "published") == 0;
		out[k].first = api_int(w, "first_person_id");
		out[k].second = api_int(w, "second_person_id");
		out[k].version = api_int(w, "version");
	}
}

static void test_proposals(void **state)
{
	struct api_server *s = *state;
	int64_t this_week = dd_date_week_start(today_berlin());
	struct api_resp *r;

	static const char *const bad[] = {
	    "{\"weeks\":105}",
	    "{\"weeks\":0}",
	    "{\"weeks\":\"8\"}",
	    "{\"weeks\":8,\"first_week\":\"2026-12-01\"}",
	    "{\"weeks\":8,\"first_week\":\"next\"}",
	    "{\"weeks\":8,\"save\":\"yes\"}",
	    "{\"weeks\":8,\"colour\":1}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals",
			     bad[i]);
		api_assert_problem(r, 400, "validation-failed");
	}
	r = api_json(s, &s->viewer, "POST", "/api/v1/rota/proposals",
		     "{\"weeks\":8}");
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals",
		     "{\"weeks\":104}");
	api_expect_json(r, 200);

	/* From next week: the demo published all eight weeks already. */
	int64_t next = this_week + 7;
	struct week_state cur[8];
	week_states(s, this_week, 1, cur);
	assert_true(cur[0].published);
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals",
		     "{\"weeks\":8}");
	api_expect_json(r, 200);
	assert_null(json_object_get(r->json, "saved_weeks"));
	check_proposal(r->json, 8, next, cur[0].first, cur[0].second);
	const char *first_body = api_fmt("%s", r->body);
	/* The same answer twice. */
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals",
		     "{\"weeks\":8}");
	api_expect_json(r, 200);
	assert_string_equal(r->body, first_body);
	struct week_state before[8];
	week_states(s, next, 8, before);
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals",
		     "{\"weeks\":8,\"save\":true}");
	api_expect_json(r, 201);
	assert_int_equal(api_int(r->json, "saved_weeks"), 0);
	size_t i;
	json_t *wk;
	json_array_foreach(json_object_get(r->json, "proposal"), i, wk)
	{
		assert_true(before[i].published);
		assert_int_equal(api_bool(wk, "already_published"), 1);
		assert_int_equal(api_int(wk, "first_person_id"),
				 before[i].first);
		assert_int_equal(api_int(wk, "second_person_id"),
				 before[i].second);
	}

	/* Across the end of the published plan: the published weeks stay,
	 * the others become drafts. */
	int64_t from = this_week + 9 * 7;
	struct week_state prev[1];
	week_states(s, from - 7, 1, prev);
	week_states(s, from, 8, before);
	int unpublished = 0;
	for (int w = 0; w < 8; w++)
		unpublished += !before[w].published;
	assert_true(unpublished >= 1);
	const char *body =
	    api_fmt("{\"weeks\":8,\"first_week\":\"%s\"}", day_text(from));
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals", body);
	api_expect_json(r, 200);
	check_proposal(r->json, 8, from, prev[0].first, prev[0].second);
	json_t *dry = json_incref(json_object_get(r->json, "proposal"));
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals",
		     api_fmt("{\"weeks\":8,\"first_week\":\"%s\","
			     "\"save\":true}",
			     day_text(from)));
	api_expect_json(r, 201);
	assert_int_equal(api_int(r->json, "saved_weeks"), unpublished);
	assert_true(json_equal(json_object_get(r->json, "proposal"), dry));
	json_decref(dry);
	struct week_state after[8];
	week_states(s, from, 8, after);
	json_array_foreach(json_object_get(r->json, "proposal"), i, wk)
	{
		assert_int_equal(api_bool(wk, "already_published"),
				 before[i].published);
		assert_true(after[i].exists);
		assert_int_equal(after[i].first,
				 api_int(wk, "first_person_id"));
		assert_int_equal(after[i].second,
				 api_int(wk, "second_person_id"));
		if (before[i].published) {
			assert_true(after[i].published);
			assert_int_equal(after[i].version, before[i].version);
		} else {
			assert_false(after[i].published);
			r = api_get(s, &s->viewer,
				    week_path(from + 7 * (int64_t)i));
			api_expect_json(r, 200);
			assert_string_equal(api_str(r->json, "note"),
					    "proposed");
		}
	}
	/* Drafts count for nothing: the proposal is still the same. */
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/proposals", body);
	api_expect_json(r, 200);
	check_proposal(r->json, 8, from, prev[0].first, prev[0].second);
	json_array_foreach(json_object_get(r->json, "proposal"), i, wk)
	{
		assert_int_equal(api_int(wk, "first_person_id"),
				 after[i].first);
	}
}

/* ---- ranges ---- */

static void test_days_range(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/rota/days");
	api_expect_json(r, 200);
	/* This week by default: two duties on each business day. */
	int64_t monday = dd_date_week_start(today_berlin());
	int business = 0;
	for (int64_t d = monday; d < monday + 7; d++)
		business += is_business(d);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")),
			 (size_t)(2 * business));

	r = api_get(s, &s->viewer,
		    "/api/v1/rota/days?from=2026-01-10&to=2026-01-01");
	api_assert_problem(r, 400, "validation-failed");
	/* 400 days is the most (regression: 401 days were let through). */
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/days?from=2026-01-01&to=2027-02-04");
	api_expect_json(r, 200);
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/days?from=2026-01-01&to=2027-02-05");
	api_assert_problem(r, 400, "limit-exceeded");
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/days?from=2026-01-01&to=2036-01-01");
	api_assert_problem(r, 400, "limit-exceeded");
	r = api_get(s, &s->viewer, "/api/v1/rota/days?from=2026-02-30");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer, "/api/v1/rota/days?to=tomorrow");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/weeks?from=2026-01-10&to=2026-01-01");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/weeks?from=2026-01-01&to=2028-01-01");
	api_assert_problem(r, 400, "limit-exceeded");
	/* One day. */
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/days?from=2026-03-28&to=2026-03-28");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
	r = api_get(s, NULL, "/api/v1/rota/days");
	api_expect_status(r, 401);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_calendar),
	    API_TEST(test_duties_crud),
	    API_TEST(test_members),
	    API_TEST(test_week_draft_then_publish),
	    API_TEST(test_alternation_with_holidays),
	    API_TEST(test_explicit_day),
	    API_TEST(test_oncall_dst),
	    API_TEST(test_oncall_misc),
	    API_TEST(test_proposals),
	    API_TEST(test_days_range),
	};
	return API_RUN("rota_core", tests);
}
