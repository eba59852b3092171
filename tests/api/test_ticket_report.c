/*
 * test_ticket_report.c - GET /api/v1/reports/tickets on both engines:
 * tickets per week by channel. The default span (twelve weeks up to this
 * one) with a ticket made now; whole weeks from local midnight to local
 * midnight in Europe/Berlin across the spring clock change of 2026
 * (tickets a millisecond either side of a week's bounds, whose UTC days
 * would put them in the other week); merged tickets left out; CSV; bad
 * queries.
 *
 * Tickets are made through the API and then moved back in time by
 * setting created_at in the database: the report must read the table as
 * it stands.
 */
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "base/date.h"
#include "base/timefmt.h"
#include "store/store.h"

static int64_t ticket_new(struct api_server *s, const char *channel)
{
	struct api_resp *r =
		api_json(s, &s->viewer, "POST", "/api/v1/tickets",
			 api_fmt("{\"subject\":\"%s\",\"channel\":\"%s\"}",
				 api_unique("Week report"), channel));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

/* A ticket of channel made at the instant iso (RFC 3339). */
static int64_t ticket_at(struct api_server *s, const char *channel,
			 const char *iso)
{
	int64_t id = ticket_new(s, channel), ms;
	struct dd_store *db;
	struct dd_err err;
	if (dd_time_parse_rfc3339(iso, &ms) < 0)
		fail_msg("bad instant %s", iso);
	if (dd_store_open(s->db_url, &db, &err) < 0)
		fail_msg("cannot open the test database: %s", err.msg);
	struct dd_param p[] = {DD_P_INT(id), DD_P_INT(ms)};
	if (dd_store_exec(db,
			  "UPDATE tickets SET created_at = $2 WHERE id = $1", p,
			  2, &err) != 1)
		fail_msg("cannot move ticket %lld: %s", (long long)id, err.msg);
	dd_store_close(db);
	return id;
}

static json_t *report(struct api_server *s, const char *query)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/reports/tickets%s", query));
	api_expect_json(r, 200);
	json_t *channels = json_object_get(r->json, "channels");
	assert_int_equal(json_array_size(channels), 4);
	assert_string_equal(json_string_value(json_array_get(channels, 0)),
			    "phone");
	return r->json;
}

static json_t *week(json_t *rep, const char *monday)
{
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(rep, "weeks"), i, w)
	{
		if (strcmp(api_str(w, "week_start"), monday) == 0)
			return w;
	}
	fail_msg("no week %s in the report", monday);
	return NULL;
}

static void test_default_span(void **state)
{
	struct api_server *s = *state;
	json_t *before = report(s, "");
	json_t *weeks = json_object_get(before, "weeks");
	assert_int_equal(json_array_size(weeks), 12);
	/* Consecutive Mondays, from the first to the last Sunday. */
	int64_t first, last, day;
	assert_int_equal(dd_date_parse(api_str(before, "from"), &first), 0);
	assert_int_equal(dd_date_parse(api_str(before, "to"), &last), 0);
	assert_int_equal(dd_date_weekday(first), 1);
	assert_int_equal(dd_date_weekday(last), 7);
	assert_int_equal(last - first + 1, 12 * 7);
	for (size_t i = 0; i < 12; i++) {
		json_t *w = json_array_get(weeks, i);
		assert_int_equal(dd_date_parse(api_str(w, "week_start"), &day),
				 0);
		assert_int_equal(day, first + 7 * (int64_t)i);
	}
	/* A ticket made now counts in this week, by its channel. */
	const char *monday = api_str(json_array_get(weeks, 11), "week_start");
	int64_t phone = api_int(week(before, monday), "phone");
	int64_t web = api_int(week(before, monday), "web");
	int64_t total = api_int(json_object_get(before, "totals"), "total");
	ticket_new(s, "phone");
	ticket_new(s, "phone");
	ticket_new(s, "web");
	json_t *after = report(s, "");
	assert_int_equal(api_int(week(after, monday), "phone"), phone + 2);
	assert_int_equal(api_int(week(after, monday), "web"), web + 1);
	assert_int_equal(api_int(json_object_get(after, "totals"), "total"),
			 total + 3);
	json_t *w = week(after, monday);
	assert_int_equal(api_int(w, "total"),
			 api_int(w, "phone") + api_int(w, "email") +
				 api_int(w, "web") + api_int(w, "api"));
}

static void test_local_weeks(void **state)
{
	struct api_server *s = *state;
	/* Europe/Berlin: the week of 23 March 2026 starts at 23:00 UTC on
	 * the 22nd (CET) and ends at 22:00 UTC on the 29th (CEST, the
	 * clocks went forward that Sunday): 167 hours. */
	ticket_at(s, "email", "2026-03-22T22:59:59.999Z"); /* week of 16 */
	ticket_at(s, "email", "2026-03-22T23:00:00.000Z"); /* week of 23 */
	ticket_at(s, "phone", "2026-03-25T09:00:00.000Z");
	ticket_at(s, "api", "2026-03-29T21:59:59.999Z"); /* week of 23 */
	ticket_at(s, "api", "2026-03-29T22:00:00.000Z"); /* week of 30 */
	ticket_at(s, "web", "2026-04-05T21:59:59.999Z"); /* week of 30 */
	/* A duplicate merged into another ticket of the week: left out. */
	int64_t dup = ticket_at(s, "phone", "2026-03-26T10:00:00.000Z");
	int64_t into = ticket_at(s, "phone", "2026-03-26T10:05:00.000Z");
	struct api_resp *r =
		api_json(s, &s->viewer, "POST",
			 api_fmt("/api/v1/tickets/%lld/merge", (long long)dup),
			 api_fmt("{\"into\":%lld}", (long long)into));
	api_expect_json(r, 200);

	/* Any day of a week names the whole week. */
	json_t *rep = report(s, "?from=2026-03-18&to=2026-03-31");
	assert_string_equal(api_str(rep, "from"), "2026-03-16");
	assert_string_equal(api_str(rep, "to"), "2026-04-05");
	assert_int_equal(json_array_size(json_object_get(rep, "weeks")), 3);
	json_t *w16 = week(rep, "2026-03-16");
	json_t *w23 = week(rep, "2026-03-23");
	json_t *w30 = week(rep, "2026-03-30");
	assert_int_equal(api_int(w16, "email"), 1);
	assert_int_equal(api_int(w16, "total"), 1);
	assert_int_equal(api_int(w23, "email"), 1);
	assert_int_equal(api_int(w23, "phone"), 2); /* not the merged one */
	assert_int_equal(api_int(w23, "api"), 1);
	assert_int_equal(api_int(w23, "web"), 0);
	assert_int_equal(api_int(w23, "total"), 4);
	assert_int_equal(api_int(w30, "api"), 1);
	assert_int_equal(api_int(w30, "web"), 1);
	assert_int_equal(api_int(w30, "total"), 2);
	json_t *totals = json_object_get(rep, "totals");
	assert_int_equal(api_int(totals, "total"), 7);
	assert_int_equal(api_int(totals, "phone"), 2);
	assert_int_equal(api_int(totals, "email"), 2);

	/* One day is its week. */
	rep = report(s, "?from=2026-03-29&to=2026-03-29");
	assert_int_equal(json_array_size(json_object_get(rep, "weeks")), 1);
	assert_int_equal(api_int(week(rep, "2026-03-23"), "total"), 4);

	/* CSV: the same numbers, a header, CRLF. */
	r = api_get(s, &s->viewer,
		    "/api/v1/reports/tickets?from=2026-03-18&to=2026-03-31"
		    "&format=csv");
	api_expect_status(r, 200);
	assert_non_null(strstr(r->content_type, "text/csv"));
	assert_string_equal(api_header(r, "Content-Disposition"),
			    "attachment; filename=\"tickets-per-week-"
			    "2026-03-16-2026-04-05.csv\"");
	assert_string_equal(r->body, "week_start,phone,email,web,api,total\r\n"
				     "2026-03-16,0,1,0,0,1\r\n"
				     "2026-03-23,2,1,0,1,4\r\n"
				     "2026-03-30,0,0,1,1,2\r\n");
}

static void test_bad_queries(void **state)
{
	struct api_server *s = *state;
	static const char *const bad[] = {
		"format=xml",
		"from=2026-02-30",
		"to=tomorrow",
		"from=2026-03-01&to=2026-02-01",
		"from=2024-01-01&to=2026-01-01",
		"from=9999-12-01&to=9999-12-31",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct api_resp *r =
			api_get(s, &s->viewer,
				api_fmt("/api/v1/reports/tickets?%s", bad[k]));
		api_assert_problem(r, 400, NULL);
	}
	api_assert_problem(api_get(s, &s->viewer,
				   "/api/v1/reports/tickets?from=2024-01-01&"
				   "to=2026-01-01"),
			   400, "limit-exceeded");
	/* The last whole week that ends in the year 9999. */
	report(s, "?from=9999-12-20&to=9999-12-26");
	api_expect_status(api_get(s, NULL, "/api/v1/reports/tickets"), 401);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_default_span),
		API_TEST(test_local_weeks),
		API_TEST(test_bad_queries),
	};
	return API_RUN("ticket_report", tests);
}
