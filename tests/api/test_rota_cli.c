/*
 * test_rota_cli.c - the rota's command-line tools against the test
 * server's database, on both engines: "dutydesk rota show", "dutydesk
 * oncall" and "dutydesk rota propose" print what the API says, take
 * their database from --db or DUTYDESK_DB, answer --help, exit 2 on a
 * wrong command line and 1 when the work fails.
 *
 * The binary is the harness's (DUTYDESK_BIN, default build/test/dutydesk,
 * a sanitizer build): its standard error must stay free of sanitizer
 * reports on every run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/harness.h"
#include "base/date.h"
#include "base/timefmt.h"
#include "base/tz.h"

/* ---- dates ---- */

static struct dd_tz *berlin(void)
{
	struct dd_tz *tz;
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &tz, &err) < 0)
		fail_msg("cannot load Europe/Berlin: %s", err.msg);
	return tz;
}

static int64_t today_berlin(void)
{
	struct dd_tz *tz = berlin();
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

/* Local time hh:mm on day in Berlin as RFC 3339 UTC. */
static const char *berlin_at(int64_t day, int hour, int minute)
{
	char text[DD_TIME_RFC3339_LEN];
	struct dd_tz *tz = berlin();
	int64_t secs = dd_tz_local_to_utc(tz, day, hour * 3600 + minute * 60);
	dd_tz_free(tz);
	dd_time_format_rfc3339(secs * 1000, text);
	return api_fmt("%s", text);
}

static const char *person_name(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
	    s, &s->viewer, api_fmt("/api/v1/people/%lld", (long long)id));
	api_expect_json(r, 200);
	return api_fmt("%s", api_str(r->json, "name"));
}

/* ---- rota show ---- */

static void test_rota_show(void **state)
{
	struct api_server *s = *state;
	int64_t monday = dd_date_week_start(today_berlin());
	struct api_resp *r =
		api_get(s, &s->viewer,
			api_fmt("/api/v1/rota/weeks/%s", day_text(monday)));
	api_expect_json(r, 200);
	const char *first = person_name(s, api_int(r->json, "first_person_id"));
	const char *second =
		person_name(s, api_int(r->json, "second_person_id"));

	struct api_cli_run c = api_cli(s, "rota", "show", "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, api_fmt("Week of %s (published): %s and %s",
				  day_text(monday), first, second));
	api_expect_out(c, "Telephone service");
	api_expect_out(c, "Technical emergency preparedness");
	api_expect_out(c, api_fmt("%s (plan)", first));

	/* Every duty day of the week is a row with the API's holders. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/rota/days?from=%s&to=%s", day_text(monday),
			    day_text(monday + 6)));
	api_expect_json(r, 200);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r->json, "items"), i, d)
	{
		const char *row =
		    strstr(c.out, api_fmt(" %s  ", api_str(d, "day")));
		assert_non_null(row);
		const char *eol = strchr(row, '\n');
		const char *who = person_name(s, api_int(d, "person_id"));
		const char *at = strstr(row, who);
		assert_true(at && (!eol || at < eol));
	}

	/* Any day names its week; DUTYDESK_DB stands in for --db. */
	c = api_cli_env(s, s->db_url,
			(const char *const[]){"rota", "show", "--week",
					      day_text(monday + 9), NULL});
	api_expect_exit(c, 0);
	api_expect_out(c,
		       api_fmt("Week of %s (published)", day_text(monday + 7)));

	/* A week without a plan. */
	c = api_cli(s, "rota", "show", "--week", day_text(monday + 7 * 40),
		    "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, "no plan");
}

static void test_rota_show_usage(void **state)
{
	struct api_server *s = *state;
	struct api_cli_run c = api_cli(s, "rota", "show", "--help");
	api_expect_exit(c, 0);
	api_expect_out(c, "usage: dutydesk rota show");
	c = api_cli(s, "rota", "--help");
	api_expect_exit(c, 0);
	api_expect_out(c, "dutydesk rota propose --weeks N");

	c = api_cli(s, "rota");
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "shuffle");
	api_expect_exit(c, 2);
	assert_non_null(strstr(c.err, "unknown subcommand 'shuffle'"));
	c = api_cli(s, "rota", "show", "--week", "2026-02-30", "--db",
		    s->db_url);
	api_expect_exit(c, 2);
	assert_non_null(strstr(c.err, "--week"));
	c = api_cli(s, "rota", "show", "--week");
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "show", "--week", "9999-12-30", "--db",
		    s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "show", "--frobnicate");
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "show", "extra", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "show", "--weeks", "3");
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "show", "--db", "mysql://nope");
	api_expect_exit(c, 2);
	/* The work fails: no such directory for the database. */
	c = api_cli(s, "rota", "show", "--db",
		    api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	api_expect_exit(c, 1);
	assert_non_null(strstr(c.err, "dutydesk rota show:"));
}

/* ---- oncall ---- */

static void test_oncall(void **state)
{
	struct api_server *s = *state;
	/* Next week's first duty day, 16:30 in Berlin. */
	int64_t monday = dd_date_week_start(today_berlin()) + 7;
	struct api_resp *r =
	    api_get(s, &s->viewer,
		    api_fmt("/api/v1/rota/days?from=%s&to=%s", day_text(monday),
			    day_text(monday + 6)));
	api_expect_json(r, 200);
	json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
	assert_non_null(first);
	int64_t day;
	assert_int_equal(dd_date_parse(api_str(first, "day"), &day), 0);
	const char *at = berlin_at(day, 16, 30);

	r = api_get(s, &s->viewer, api_fmt("/api/v1/oncall?at=%s", at));
	api_expect_json(r, 200);
	struct api_cli_run c =
		api_cli(s, "oncall", "--at", at, "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(
		c, api_fmt("On duty at %s 16:30 Europe/Berlin", day_text(day)));
	size_t i;
	json_t *d;
	int people = 0;
	json_array_foreach(json_object_get(r->json, "duties"), i, d)
	{
		json_t *p = api_obj(d, "person");
		assert_non_null(p);
		const char *line = strstr(c.out, api_str(d, "duty"));
		assert_non_null(line);
		api_expect_out(c,
			       api_fmt("%s, %s (%s) until 18:00",
				       api_str(p, "name"), api_str(p, "phone"),
				       api_str(d, "reason")));
		people++;
	}
	assert_int_equal(people, 2);
	assert_null(strstr(c.out, "nobody"));

	/* At three in the morning every window is closed. */
	c = api_cli_env(s, s->db_url,
			(const char *const[]){"oncall", "--at",
					      berlin_at(day, 3, 0), NULL});
	api_expect_exit(c, 0);
	const char *closed = strstr(c.out, "nobody (window closed)");
	assert_non_null(closed);
	assert_non_null(strstr(closed + 1, "nobody (window closed)"));

	/* Now: whatever the hour, one line per duty. */
	c = api_cli(s, "oncall", "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, "Telephone service");
	api_expect_out(c, "Technical emergency preparedness");
}

static void test_oncall_usage(void **state)
{
	struct api_server *s = *state;
	struct api_cli_run c = api_cli(s, "oncall", "--help");
	api_expect_exit(c, 0);
	api_expect_out(c, "usage: dutydesk oncall");
	c = api_cli(s, "oncall", "--at", "tomorrow", "--db", s->db_url);
	api_expect_exit(c, 2);
	assert_non_null(strstr(c.err, "RFC 3339"));
	c = api_cli(s, "oncall", "--at");
	api_expect_exit(c, 2);
	c = api_cli(s, "oncall", "now");
	api_expect_exit(c, 2);
	c = api_cli(s, "oncall", "--weeks", "2");
	api_expect_exit(c, 2);
	c = api_cli(s, "oncall", "--db",
		    api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	api_expect_exit(c, 1);
}

/* ---- rota propose ---- */

static void test_propose(void **state)
{
	struct api_server *s = *state;
	int64_t monday = dd_date_week_start(today_berlin());

	/* The demo's next weeks are published: they stay as they are. */
	struct api_cli_run c = api_cli(s, "rota", "propose", "--weeks", "2",
				       "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, api_fmt("Fair proposal: 2 weeks from %s",
				  day_text(monday + 7)));
	api_expect_out(c, "[already published]");
	api_expect_out(c, "Duty days per person");

	/* Far ahead: proposed pairs with their explanation, saved. */
	int64_t far = monday + 7 * 50;
	c = api_cli(s, "rota", "propose", "--weeks", "3", "--from",
		    day_text(far + 3), "--save", "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(
		c, api_fmt("Fair proposal: 3 weeks from %s", day_text(far)));
	api_expect_out(c, "days so far:");
	api_expect_out(c, "saved 3 weeks as drafts");
	for (int w = 0; w < 3; w++) {
		struct api_resp *r = api_get(s, &s->viewer,
					     api_fmt("/api/v1/rota/weeks/%s",
						     day_text(far + 7 * w)));
		api_expect_json(r, 200);
		assert_string_equal(api_str(r->json, "status"), "draft");
		/* The printed pair is the saved pair. */
		const char *a =
			person_name(s, api_int(r->json, "first_person_id"));
		const char *b =
			person_name(s, api_int(r->json, "second_person_id"));
		api_expect_out(
			c, api_fmt("%s  %s + %s", day_text(far + 7 * w), a, b));
	}
	/* The saved drafts show in "rota show". */
	c = api_cli(s, "rota", "show", "--week", day_text(far), "--db",
		    s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, api_fmt("Week of %s (draft)", day_text(far)));
}

static void test_propose_usage(void **state)
{
	struct api_server *s = *state;
	struct api_cli_run c = api_cli(s, "rota", "propose", "--help");
	api_expect_exit(c, 0);
	api_expect_out(c, "usage: dutydesk rota show");
	static const char *const bad[][2] = {
		{"--weeks", "0"},	  {"--weeks", "105"},
		{"--weeks", "two"},	  {"--weeks", ""},
		{"--weeks", "3x"},	  {"--from", "2026-13-01"},
		{"--week", "2026-12-07"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = api_cli(s, "rota", "propose", "--weeks", "2", bad[i][0],
			    bad[i][1], "--db", s->db_url);
		api_expect_exit(c, 2);
		assert_non_null(strstr(c.err, "Try 'dutydesk rota propose "
					      "--help'"));
	}
	c = api_cli(s, "rota", "propose", "--db", s->db_url);
	api_expect_exit(c, 2);
	assert_non_null(strstr(c.err, "--weeks is required"));
	c = api_cli(s, "rota", "propose", "--weeks");
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "propose", "--weeks", "104", "--from",
		    "9998-06-01", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "rota", "propose", "--weeks", "2", "--db",
		    api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	api_expect_exit(c, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_rota_show), API_TEST(test_rota_show_usage),
	    API_TEST(test_oncall),    API_TEST(test_oncall_usage),
	    API_TEST(test_propose),   API_TEST(test_propose_usage),
	};
	return API_RUN("rota_cli", tests);
}
