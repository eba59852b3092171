/*
 * test_reports.c - the rota's reports on both engines: duty hours per
 * person and month as JSON and CSV (two hours per duty day, hours that
 * follow an override, one person holding both duties on a day, the DST
 * months of 2026, RFC 4180 quoting and formula defusing, bad months) and
 * the jour-fixe report (next week's plan, uncovered days, open swaps,
 * absences ahead, the empty P1 list).
 *
 * The demo's plan is published from the current week for 13 weeks, so
 * "next month" is always fully planned. Absences and swap requests are
 * written straight into the database (their own APIs are tested
 * elsewhere): the report must read them as the tables hold them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "base/date.h"
#include "base/tz.h"
#include "store/store.h"

#define PHONE_DUTY     "Telephone service"
#define EMERGENCY_DUTY "Technical emergency preparedness"

/* ---- dates ---- */

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

static const char *day_text(int64_t day)
{
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(day, text);
	return api_fmt("%s", text);
}

/* The month after today's, as "YYYY-MM", with its first and last day. */
static const char *next_month(int64_t *first, int64_t *last)
{
	int y, m, d;
	dd_date_from_days(today_berlin(), &y, &m, &d);
	if (++m == 13) {
		m = 1;
		y++;
	}
	*first = dd_date_days(y, m, 1);
	*last = *first + dd_date_month_days(y, m) - 1;
	return api_fmt("%04d-%02d", y, m);
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

/* A new active person named name (with a fresh login). */
static int64_t person_named(struct api_server *s, const char *name)
{
	const char *l = api_unique("rep");
	json_t *b = json_pack("{s:s, s:s, s:s}", "login", l, "name", name,
			      "email", api_fmt("%s@example.org", l));
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	const char *body = api_fmt("%s", text);
	free(text);
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/people", body);
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

/* The published assignments of [from, to]. */
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

static json_t *hours(struct api_server *s, const char *month)
{
	struct api_resp *r = api_get(
	    s, &s->viewer, api_fmt("/api/v1/rota/hours?month=%s", month));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "month"), month);
	assert_true(json_is_array(json_object_get(r->json, "items")));
	assert_non_null(api_obj(r->json, "totals"));
	return r->json;
}

static double num(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_number(v))
		fail_msg("'%s' is not a number", key);
	return json_number_value(v);
}

/* The item of person id in a hours report, or NULL. */
static json_t *person_item(json_t *report, int64_t id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(report, "items"), i, it)
	{
		if (api_int(it, "person_id") == id)
			return it;
	}
	return NULL;
}

/* by_duty entry of duty id in an item, or NULL. */
static json_t *by_duty(json_t *item, int64_t id)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(item, "by_duty"), i, d)
	{
		if (api_int(d, "duty_id") == id)
			return d;
	}
	return NULL;
}

/* The total minutes a report gives duty id, over all people. */
static int64_t duty_minutes(json_t *report, int64_t id, int64_t *days_out)
{
	int64_t minutes = 0, days_sum = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(report, "items"), i, it)
	{
		json_t *d = by_duty(it, id);
		if (d) {
			minutes += api_int(d, "minutes");
			days_sum += api_int(d, "days");
		}
	}
	if (days_out)
		*days_out = days_sum;
	return minutes;
}

static void put_day(struct api_server *s, int64_t day, int64_t duty,
		    int64_t person)
{
	struct api_resp *r =
	    api_json(s, &s->editor, "PUT",
		     api_fmt("/api/v1/rota/days/%s/%lld", day_text(day),
			     (long long)duty),
		     api_fmt("{\"person_id\":%lld}", (long long)person));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "person_id"), person);
}

static void publish_week(struct api_server *s, int64_t monday, int64_t first,
			 int64_t second)
{
	const char *path = api_fmt("/api/v1/rota/weeks/%s", day_text(monday));
	struct api_resp *r = api_json(
	    s, &s->editor, "PUT", path,
	    api_fmt("{\"first_person_id\":%lld,\"second_person_id\":%lld}",
		    (long long)first, (long long)second));
	api_expect_json(r, 200);
	r = api_json(s, &s->editor, "POST", api_fmt("%s/publish", path), NULL);
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "published");
}

/* Run one statement on the server's database. */
static int64_t store_insert(struct api_server *s, const char *sql,
			    const struct dd_param *p, int n)
{
	struct dd_store *st;
	struct dd_err err;
	int64_t id = 0;
	if (dd_store_open(s->db_url, &st, &err) < 0)
		fail_msg("cannot open %s: %s", s->db_url, err.msg);
	int rc = dd_store_query_int(st, sql, p, n, &id, &err);
	dd_store_close(st);
	if (rc < 0)
		fail_msg("insert failed: %s", err.msg);
	return id;
}

static int64_t absence_add(struct api_server *s, int64_t person,
			   const char *kind, int64_t first, int64_t last,
			   int cancelled)
{
	struct dd_param p[] = {
	    DD_P_INT(person),
	    DD_P_TEXT(kind),
	    DD_P_TEXT(day_text(first)),
	    DD_P_TEXT(day_text(last)),
	    cancelled ? DD_P_INT(1) : DD_P_NULL,
	};
	return store_insert(s,
			    "INSERT INTO absences (person_id, kind, first_day, "
			    "last_day, created_at, cancelled_at) VALUES ($1, "
			    "$2, $3, $4, 0, $5) RETURNING id",
			    p, 5);
}

static int64_t swap_add(struct api_server *s, int64_t requester,
			int64_t colleague, int64_t day, int64_t duty,
			const char *status)
{
	struct dd_param p[] = {
	    DD_P_INT(requester), DD_P_INT(colleague), DD_P_TEXT(day_text(day)),
	    DD_P_INT(duty),	 DD_P_TEXT(status),
	};
	return store_insert(s,
			    "INSERT INTO swap_requests (requester_id, "
			    "colleague_id, day, duty_id, status, note, "
			    "created_at) VALUES ($1, $2, $3, $4, $5, "
			    "'please take it', 1700000000000) RETURNING id",
			    p, 5);
}

/* ---- duty hours ---- */

static void test_hours_two_per_duty_day(void **state)
{
	struct api_server *s = *state;
	int64_t first, last;
	const char *month = next_month(&first, &last);
	json_t *rep = hours(s, month);
	assert_string_equal(api_str(rep, "from"), day_text(first));
	assert_string_equal(api_str(rep, "to"), day_text(last));
	assert_false(api_bool(rep, "complete"));

	json_t *items = json_object_get(rep, "items");
	assert_true(json_array_size(items) >= 2);
	int64_t sum_days = 0, sum_minutes = 0, sum_duty_days = 0;
	double sum_hours = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		int64_t d = api_int(it, "duty_days");
		assert_true(d > 0);
		/* Every demo duty runs 16:00-18:00: two hours a day. */
		assert_true(num(it, "hours") == 2.0 * (double)d);
		assert_int_equal(api_int(it, "minutes"), 120 * d);
		assert_string_equal(api_str(it, "work_time_kind"), "normal");
		assert_true(api_int(it, "person_id") > 0);
		assert_string_not_equal(api_str(it, "name"), "(missing)");
		assert_string_not_equal(api_str(it, "login"), "(missing)");
		size_t k;
		json_t *bd;
		int64_t days_by = 0;
		json_array_foreach(json_object_get(it, "by_duty"), k, bd)
		{
			assert_true(api_int(bd, "days") > 0);
			assert_true(num(bd, "hours") ==
				    2.0 * (double)api_int(bd, "days"));
			days_by += api_int(bd, "days");
			assert_string_not_equal(api_str(bd, "duty"),
						"(missing)");
		}
		assert_true(days_by >= d);
		sum_duty_days += days_by;
		sum_days += d;
		sum_minutes += api_int(it, "minutes");
		sum_hours += num(it, "hours");
	}
	json_t *t = api_obj(rep, "totals");
	assert_int_equal(api_int(t, "people"), json_array_size(items));
	assert_int_equal(api_int(t, "duty_days"), sum_days);
	assert_int_equal(api_int(t, "minutes"), sum_minutes);
	assert_true(num(t, "hours") == sum_hours);
	assert_true(num(t, "hours") == 2.0 * (double)sum_days);
	assert_string_equal(api_str(t, "work_time_kind"), "normal");

	/* The same days as the published rota. */
	json_t *list = days(s, first, last);
	int64_t staffed = 0, nobody = 0;
	json_array_foreach(list, i, it)
	{
		if (json_is_null(json_object_get(it, "person_id")))
			nobody++;
		else
			staffed++;
	}
	assert_true(staffed > 0);
	assert_int_equal(staffed, sum_duty_days);
	assert_int_equal(api_int(t, "unstaffed_duty_days"), nobody);

	/* Sorted by name. */
	const char *prev = "";
	json_array_foreach(items, i, it)
	{
		assert_true(strcmp(prev, api_str(it, "name")) <= 0);
		prev = api_str(it, "name");
	}
}

/* An override moves the day's hours from the holder to the new person;
 * the CSV says the same, with the new person's awkward name quoted and
 * defused. */
static void test_hours_follow_override_and_csv(void **state)
{
	struct api_server *s = *state;
	int64_t first, last;
	const char *month = next_month(&first, &last);
	const char *uniq = api_unique("x");
	const char *name = api_fmt("=Evil, \"Q\" %s", uniq);
	int64_t p = person_named(s, name);

	json_t *list = days(s, first, last);
	json_t *slot = NULL;
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it)
	{
		if (!json_is_null(json_object_get(it, "person_id"))) {
			slot = it;
			break;
		}
	}
	assert_non_null(slot);
	int64_t day, duty = api_int(slot, "duty_id");
	int64_t holder = api_int(slot, "person_id");
	assert_int_equal(dd_date_parse(api_str(slot, "day"), &day), 0);

	json_t *before = hours(s, month);
	json_t *hb = person_item(before, holder);
	assert_non_null(hb);
	int64_t holder_days = api_int(hb, "duty_days");
	double holder_hours = num(hb, "hours");
	double total = num(api_obj(before, "totals"), "hours");
	assert_null(person_item(before, p));

	put_day(s, day, duty, p);

	json_t *after = hours(s, month);
	json_t *pi = person_item(after, p);
	assert_non_null(pi);
	assert_string_equal(api_str(pi, "name"), name);
	assert_int_equal(api_int(pi, "duty_days"), 1);
	assert_true(num(pi, "hours") == 2.0);
	assert_int_equal(json_array_size(json_object_get(pi, "by_duty")), 1);
	json_t *bd = by_duty(pi, duty);
	assert_non_null(bd);
	assert_int_equal(api_int(bd, "days"), 1);
	json_t *ha = person_item(after, holder);
	assert_non_null(ha);
	assert_int_equal(api_int(ha, "duty_days"), holder_days - 1);
	assert_true(num(ha, "hours") == holder_hours - 2.0);
	assert_true(num(api_obj(after, "totals"), "hours") == total);

	/* CSV. */
	struct api_resp *r =
	    api_get(s, &s->viewer,
		    api_fmt("/api/v1/rota/hours?month=%s&format=csv", month));
	api_expect_status(r, 200);
	assert_non_null(r->content_type);
	assert_string_equal(r->content_type, "text/csv; charset=utf-8");
	const char *cd = api_header(r, "Content-Disposition");
	assert_non_null(cd);
	assert_string_equal(
	    cd, api_fmt("attachment; filename=\"duty-hours-%s.csv\"", month));
	assert_true(r->body_len > 2);
	/* CRLF everywhere, and nothing after the last one. */
	for (size_t k = 0; k < r->body_len; k++)
		if (r->body[k] == '\n')
			assert_true(k > 0 && r->body[k - 1] == '\r');
	assert_memory_equal(r->body + r->body_len - 2, "\r\n", 2);
	assert_memory_equal(r->body,
			    "month,person_id,login,name,duty_days,hours,", 43);
	assert_non_null(strstr(r->body, "Telephone service days"));
	size_t lines = 0;
	for (size_t k = 0; k < r->body_len; k++)
		lines += r->body[k] == '\n';
	assert_int_equal(lines,
			 json_array_size(json_object_get(after, "items")) + 1);
	/* The tricky name: quoted (comma, quotes) and defused ('=). */
	const char *row =
	    strstr(r->body, api_fmt("\r\n%s,%lld,", month, (long long)p));
	assert_non_null(row);
	const char *cell = api_fmt("\"'=Evil, \"\"Q\"\" %s\",1,2,", uniq);
	assert_non_null(strstr(row, cell));
	const char *end = strstr(row + 2, "\r\n");
	assert_non_null(end);
	assert_memory_equal(end - 7, ",normal", 7);
	/* Every row ends with the work-time kind. */
	const char *line = r->body;
	while ((end = strstr(line, "\r\n")) != NULL) {
		if (line != r->body)
			assert_memory_equal(end - 7, ",normal", 7);
		line = end + 2;
	}

	/* HEAD answers like GET, without a body. */
	r = api_head(s, &s->viewer,
		     api_fmt("/api/v1/rota/hours?month=%s&format=csv", month));
	api_expect_status(r, 200);
}

/* Someone who holds both duties on one day works its two hours once. */
static void test_hours_both_duties_one_day(void **state)
{
	struct api_server *s = *state;
	int64_t first, last;
	const char *month = next_month(&first, &last);
	int64_t q = person_named(s, api_fmt("Both %s", api_unique("q")));
	int64_t phone = duty_id(s, PHONE_DUTY);
	int64_t emergency = duty_id(s, EMERGENCY_DUTY);
	/* The month's last duty day (the other test took its first). */
	json_t *list = days(s, first, last);
	size_t n = json_array_size(list);
	assert_true(n >= 2);
	int64_t day;
	assert_int_equal(
	    dd_date_parse(api_str(json_array_get(list, n - 1), "day"), &day),
	    0);
	put_day(s, day, phone, q);
	put_day(s, day, emergency, q);
	json_t *rep = hours(s, month);
	json_t *qi = person_item(rep, q);
	assert_non_null(qi);
	assert_int_equal(api_int(qi, "duty_days"), 1);
	assert_true(num(qi, "hours") == 2.0);
	assert_int_equal(api_int(qi, "minutes"), 120);
	assert_int_equal(json_array_size(json_object_get(qi, "by_duty")), 2);
	assert_true(num(by_duty(qi, phone), "hours") == 2.0);
	assert_true(num(by_duty(qi, emergency), "hours") == 2.0);
}

static void test_hours_bad_requests(void **state)
{
	struct api_server *s = *state;
	static const char *const bad[] = {
	    "2026-13", "2026-00", "2026-1",  "26-10",	  "2026-10-01",
	    "abc",     "",	  "1899-12", "2026%2F10", "2026-10x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_resp *r =
		    api_get(s, &s->viewer,
			    api_fmt("/api/v1/rota/hours?month=%s", bad[i]));
		api_assert_problem(r, 400, "validation-failed");
	}
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/rota/hours");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "month");
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/hours?month=2026-10&format=xlsx");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, NULL, "/api/v1/rota/hours?month=2026-10");
	api_assert_problem(r, 401, NULL);
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/hours?month=2026-10&format=json");
	api_expect_json(r, 200);
	/* A month without any plan: an empty report, not an error. */
	r = api_get(s, &s->viewer, "/api/v1/rota/hours?month=1990-02");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
	assert_true(api_bool(r->json, "complete"));
	r = api_get(s, &s->viewer,
		    "/api/v1/rota/hours?month=1990-02&format=csv");
	api_expect_status(r, 200);
	assert_non_null(strstr(r->body, "work_time_kind\r\n"));
}

/* October 2026 (clocks back on the 25th) and March 2026 (forward on the
 * 29th): the weekday windows keep their two hours, and a Sunday duty
 * round the clock has 25 and 23 hours on those days. */
static void test_hours_dst_months(void **state)
{
	struct api_server *s = *state;
	int64_t a = person_named(s, api_fmt("Dst A %s", api_unique("d")));
	int64_t b = person_named(s, api_fmt("Dst B %s", api_unique("d")));
	for (int64_t w = dd_date_days(2026, 9, 28);
	     w <= dd_date_days(2026, 10, 26); w += 7)
		publish_week(s, w, a, b);

	json_t *rep = hours(s, "2026-10");
	assert_true(api_bool(rep, "complete") ==
		    (today_berlin() > dd_date_days(2026, 10, 31)));
	/* 22 weekdays; German Unity Day (3 October) is a Saturday. */
	json_t *t = api_obj(rep, "totals");
	assert_int_equal(api_int(t, "duty_days"), 44);
	assert_true(num(t, "hours") == 88.0);
	assert_int_equal(api_int(t, "unstaffed_duty_days"), 0);
	assert_int_equal(json_array_size(json_object_get(rep, "items")), 2);
	assert_int_equal(api_int(person_item(rep, a), "duty_days"), 22);
	assert_true(num(person_item(rep, a), "hours") == 44.0);
	assert_true(num(person_item(rep, b), "hours") == 44.0);

	/* Sundays become workdays, with a duty from midnight to midnight. */
	struct api_resp *r = api_json(
	    s, &s->editor, "PUT", "/api/v1/calendar",
	    "{\"workdays\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sun\"]}");
	api_expect_json(r, 200);
	r = api_json(s, &s->editor, "POST", "/api/v1/duties",
		     api_fmt("{\"name\":\"%s\",\"slot\":0,\"weekdays\":"
			     "[\"sun\"],\"start\":\"00:00\",\"end\":\"24:00\"}",
			     api_unique("Sunday watch ")));
	api_expect_json(r, 201);
	int64_t night = api_int(r->json, "id");

	rep = hours(s, "2026-10");
	int64_t nights;
	/* 4, 11 and 18 October have 24 hours, the 25th has 25. */
	assert_int_equal(duty_minutes(rep, night, &nights),
			 3 * 24 * 60 + 25 * 60);
	assert_int_equal(nights, 4);
	assert_int_equal(api_int(api_obj(rep, "totals"), "minutes"),
			 88 * 60 + 3 * 24 * 60 + 25 * 60);
	/* Whoever held the 25th: 25 hours that day, as a decimal. */
	json_t *sunday =
	    days(s, dd_date_days(2026, 10, 25), dd_date_days(2026, 10, 25));
	assert_int_equal(json_array_size(sunday), 1);
	int64_t holder = api_int(json_array_get(sunday, 0), "person_id");
	json_t *hi = person_item(rep, holder);
	assert_non_null(hi);
	json_t *bd = by_duty(hi, night);
	assert_non_null(bd);
	assert_int_equal(api_int(bd, "minutes"),
			 (api_int(bd, "days") - 1) * 24 * 60 + 25 * 60);

	/* March 2026: one week planned, the Sunday of the change has 23. */
	publish_week(s, dd_date_days(2026, 3, 23), a, b);
	rep = hours(s, "2026-03");
	assert_int_equal(duty_minutes(rep, night, &nights), 23 * 60);
	assert_int_equal(nights, 1);
	t = api_obj(rep, "totals");
	assert_int_equal(api_int(t, "minutes"), 5 * 2 * 120 + 23 * 60);
	assert_true(num(t, "hours") == 43.0);

	/* Put the organisation back as the demo had it. */
	r = api_delete(s, &s->editor,
		       api_fmt("/api/v1/duties/%lld", (long long)night));
	api_expect_status(r, 204);
	r = api_json(
	    s, &s->editor, "PUT", "/api/v1/calendar",
	    "{\"workdays\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]}");
	api_expect_json(r, 200);
}

/* ---- jour fixe ---- */

static void test_jourfixe_contents(void **state)
{
	struct api_server *s = *state;
	int64_t monday = dd_date_week_start(today_berlin());
	int64_t next = monday + 7;

	/* The person on duty on next week's first duty day goes away. */
	json_t *list = days(s, next, next + 6);
	assert_true(json_array_size(list) >= 2);
	json_t *first = json_array_get(list, 0);
	int64_t away = api_int(first, "person_id");
	int64_t away_day;
	assert_true(away > 0);
	assert_int_equal(dd_date_parse(api_str(first, "day"), &away_day), 0);
	int64_t absence =
	    absence_add(s, away, "vacation", away_day, away_day, 0);
	/* Cancelled, or outside the four weeks: not listed. */
	int64_t cancelled =
	    absence_add(s, away, "other", next + 8, next + 9, 1);
	int64_t far = absence_add(s, away, "vacation", next + 40, next + 45, 0);
	int64_t later =
	    absence_add(s, api_int(json_array_get(list, 1), "person_id"),
			"other", next + 20, next + 22, 0);
	int64_t colleague =
	    person_named(s, api_fmt("Swap %s", api_unique("c")));
	int64_t phone = duty_id(s, PHONE_DUTY);
	int64_t open = swap_add(s, away, colleague, next + 2, phone, "open");
	int64_t declined =
	    swap_add(s, away, colleague, next + 3, phone, "declined");
	int64_t past = swap_add(s, away, colleague, monday - 3, phone, "open");

	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/rota/jour-fixe");
	api_expect_json(r, 200);
	json_t *jf = r->json;
	assert_string_equal(api_str(jf, "week"), day_text(monday));
	json_t *nw = api_obj(jf, "next_week");
	assert_non_null(nw);
	assert_string_equal(api_str(nw, "week_start"), day_text(next));
	assert_string_equal(api_str(nw, "status"), "published");
	assert_non_null(api_obj(nw, "first_person"));
	assert_non_null(api_obj(nw, "second_person"));
	assert_string_not_equal(api_str(api_obj(nw, "first_person"), "name"),
				"(missing)");
	/* Each day lists both duties, in the published plan. */
	json_t *nd = json_object_get(nw, "days");
	assert_true(json_array_size(nd) >= 1 && json_array_size(nd) <= 5);
	size_t i, k;
	json_t *d, *a;
	size_t assignments = 0;
	json_array_foreach(nd, i, d)
	{
		json_t *as = json_object_get(d, "assignments");
		assert_int_equal(json_array_size(as), 2);
		json_array_foreach(as, k, a)
		{
			assert_non_null(api_obj(a, "person"));
			assert_false(api_bool(a, "draft"));
			assert_string_not_equal(api_str(a, "reason"),
						"(missing)");
			assignments++;
		}
	}
	assert_int_equal(assignments, json_array_size(list));

	json_t *ahead = api_obj(jf, "ahead");
	assert_string_equal(api_str(ahead, "from"), day_text(next));
	assert_string_equal(api_str(ahead, "to"), day_text(next + 27));

	/* The absent person's day is uncovered. */
	int found = 0;
	json_array_foreach(json_object_get(jf, "uncovered"), i, d)
	{
		if (api_int(d, "absence_id") != absence)
			continue;
		found++;
		assert_string_equal(api_str(d, "why"), "absent");
		assert_string_equal(api_str(d, "day"), day_text(away_day));
		assert_int_equal(api_int(api_obj(d, "person"), "id"), away);
		assert_string_equal(api_str(d, "absence_kind"), "vacation");
	}
	assert_int_equal(found, 1);

	/* Absences ahead: the two in range, not the cancelled or far one. */
	int seen_absence = 0, seen_later = 0;
	json_array_foreach(json_object_get(jf, "absences_ahead"), i, d)
	{
		int64_t id = api_int(d, "id");
		assert_true(id != cancelled && id != far);
		if (id == absence) {
			seen_absence++;
			assert_string_equal(api_str(d, "first_day"),
					    day_text(away_day));
			assert_string_equal(api_str(d, "kind"), "vacation");
			assert_int_equal(api_int(api_obj(d, "person"), "id"),
					 away);
		}
		seen_later += id == later;
	}
	assert_int_equal(seen_absence, 1);
	assert_int_equal(seen_later, 1);

	/* Open swaps from this week on only. */
	int seen_open = 0;
	json_array_foreach(json_object_get(jf, "open_swaps"), i, d)
	{
		int64_t id = api_int(d, "id");
		assert_true(id != declined && id != past);
		if (id != open)
			continue;
		seen_open++;
		assert_string_equal(api_str(d, "day"), day_text(next + 2));
		assert_string_equal(api_str(d, "duty"), PHONE_DUTY);
		assert_int_equal(api_int(api_obj(d, "requester"), "id"), away);
		assert_int_equal(api_int(api_obj(d, "colleague"), "id"),
				 colleague);
		assert_string_equal(api_str(d, "note"), "please take it");
		assert_true(json_is_null(json_object_get(d, "other_day")));
	}
	assert_int_equal(seen_open, 1);

	/* Last week's P1 tickets: none yet, said so. */
	json_t *p1 = api_obj(jf, "p1_tickets");
	assert_non_null(p1);
	assert_string_equal(api_str(p1, "from"), day_text(monday - 7));
	assert_string_equal(api_str(p1, "to"), day_text(monday - 1));
	assert_int_equal(json_array_size(json_object_get(p1, "items")), 0);
	assert_non_null(strstr(api_str(p1, "note"), "tickets"));
	assert_false(api_bool(jf, "truncated"));

	/* Any day names its week. */
	r = api_get(
	    s, &s->viewer,
	    api_fmt("/api/v1/rota/jour-fixe?week=%s", day_text(monday + 2)));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "week"), day_text(monday));
}

/* Weeks without a plan, and a draft week, are uncovered as such. */
static void test_jourfixe_unplanned_and_draft(void **state)
{
	struct api_server *s = *state;
	/* Far beyond the demo's 13 weeks. */
	int64_t week = dd_date_week_start(today_berlin()) + 7 * 30;
	int64_t a = person_named(s, api_fmt("Draft A %s", api_unique("j")));
	int64_t b = person_named(s, api_fmt("Draft B %s", api_unique("j")));
	struct api_resp *r = api_json(
	    s, &s->editor, "PUT",
	    api_fmt("/api/v1/rota/weeks/%s", day_text(week + 7)),
	    api_fmt("{\"first_person_id\":%lld,\"second_person_id\":%lld}",
		    (long long)a, (long long)b));
	api_expect_json(r, 200);

	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/rota/jour-fixe?week=%s", day_text(week)));
	api_expect_json(r, 200);
	json_t *nw = api_obj(r->json, "next_week");
	assert_string_equal(api_str(nw, "status"), "draft");
	assert_int_equal(api_int(api_obj(nw, "first_person"), "id"), a);
	/* The draft shows who would be on duty. */
	size_t i, k;
	json_t *d, *x;
	json_array_foreach(json_object_get(nw, "days"), i, d)
	{
		json_array_foreach(json_object_get(d, "assignments"), k, x)
		{
			assert_true(api_bool(x, "draft"));
			int64_t id = api_int(api_obj(x, "person"), "id");
			assert_true(id == a || id == b);
		}
	}
	/* But the published rota has nobody: draft next week, then weeks
	 * without a plan. */
	int drafts = 0, unplanned = 0;
	json_array_foreach(json_object_get(r->json, "uncovered"), i, d)
	{
		const char *why = api_str(d, "why");
		assert_true(json_is_null(json_object_get(d, "person")));
		int64_t day;
		assert_int_equal(dd_date_parse(api_str(d, "day"), &day), 0);
		if (strcmp(why, "draft") == 0) {
			drafts++;
			assert_true(day >= week + 7 && day < week + 14);
		} else {
			assert_string_equal(why, "no-plan");
			unplanned++;
			assert_true(day >= week + 14 && day < week + 35);
		}
	}
	assert_true(drafts >= 2);
	assert_true(unplanned >= 2 * 10);

	r = api_get(
	    s, &s->viewer,
	    api_fmt("/api/v1/rota/jour-fixe?week=%s", day_text(week + 42)));
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "next_week"), "status"),
			    "none");
	assert_true(json_is_null(
	    json_object_get(api_obj(r->json, "next_week"), "first_person")));

	r = api_get(s, &s->viewer, "/api/v1/rota/jour-fixe?week=2026-02-30");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer, "/api/v1/rota/jour-fixe?week=9999-12-01");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer, "/api/v1/rota/jour-fixe?week=next");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, NULL, "/api/v1/rota/jour-fixe");
	api_assert_problem(r, 401, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_hours_two_per_duty_day),
	    API_TEST(test_hours_follow_override_and_csv),
	    API_TEST(test_hours_both_duties_one_day),
	    API_TEST(test_hours_bad_requests),
	    API_TEST(test_jourfixe_contents),
	    API_TEST(test_jourfixe_unplanned_and_draft),
	    /* Last: it changes the calendar for a while. */
	    API_TEST(test_hours_dst_months),
	};
	return API_RUN("reports", tests);
}
