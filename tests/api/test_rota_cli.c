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

extern char **environ;

/* A CLI run may take this long (a sanitizer build, a busy box). */
#define CLI_TIMEOUT_MS 60000

struct cli_run {
	int status; /* exit status, -1 when killed or not run */
	const char *out, *err;
};

static const char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(f);
	fclose(mem);
	const char *copy = api_fmt("%s", text ? text : "");
	free(text);
	return copy;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Run the dutydesk binary with args (NULL-ended, after the program
 * name). db, when not NULL, is put in DUTYDESK_DB; DUTYDESK_DB is
 * removed from the environment otherwise.
 */
static struct cli_run run_env(struct api_server *s, const char *db,
			      const char *const *args)
{
	static int counter;
	struct cli_run run = {.status = -1};
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)s->bin;
	for (; *args && argc < 31; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;

	char *envp[512];
	int envc = 0;
	for (char **e = environ; *e && envc < 510; e++)
		if (strncmp(*e, "DUTYDESK_DB=", 12) != 0)
			envp[envc++] = *e;
	if (db)
		envp[envc++] = (char *)api_fmt("DUTYDESK_DB=%s", db);
	envp[envc] = NULL;

	counter++;
	const char *out = api_fmt("%s/cli-%d.out", s->dir, counter);
	const char *err = api_fmt("%s/cli-%d.err", s->dir, counter);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		fail_msg("cannot start %s: %s", argv[0], strerror(rc));
	int64_t until = mono_ms() + CLI_TIMEOUT_MS;
	int wstatus = 0;
	for (;;) {
		pid_t w = waitpid(pid, &wstatus, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			fail_msg("waitpid: %s", strerror(errno));
		if (mono_ms() > until) {
			kill(pid, SIGKILL);
			waitpid(pid, &wstatus, 0);
			fail_msg("'dutydesk %s' did not finish", argv[1]);
		}
		struct timespec nap = {0, 10 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	run.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	run.out = slurp(out);
	run.err = slurp(err);
	unlink(out);
	unlink(err);
	if (strstr(run.err, "Sanitizer") || strstr(run.err, "runtime error:"))
		fail_msg("'dutydesk %s' reported:\n%s", argv[1], run.err);
	return run;
}

#define run(s, ...) run_env(s, NULL, (const char *const[]){__VA_ARGS__, NULL})

static void expect_exit_at(const struct cli_run *r, int status,
			   const char *file, int line)
{
	if (r->status != status) {
		print_error("exit status %d, expected %d\n--- stdout\n%s\n"
			    "--- stderr\n%s\n",
			    r->status, status, r->out, r->err);
		_fail(file, line);
	}
}
#define expect_exit(r, status) expect_exit_at(&(r), status, __FILE__, __LINE__)

static void expect_out_at(const struct cli_run *r, const char *text,
			  const char *file, int line)
{
	if (!strstr(r->out, text)) {
		print_error("stdout lacks '%s':\n%s\n--- stderr\n%s\n", text,
			    r->out, r->err);
		_fail(file, line);
	}
}
#define expect_out(r, text) expect_out_at(&(r), text, __FILE__, __LINE__)

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
	struct api_resp *r = api_get(
	    s, &s->viewer, api_fmt("/api/v1/rota/weeks/%s", day_text(monday)));
	api_expect_json(r, 200);
	const char *first = person_name(s, api_int(r->json, "first_person_id"));
	const char *second =
	    person_name(s, api_int(r->json, "second_person_id"));

	struct cli_run c = run(s, "rota", "show", "--db", s->db_url);
	expect_exit(c, 0);
	expect_out(c, api_fmt("Week of %s (published): %s and %s",
			      day_text(monday), first, second));
	expect_out(c, "Telephone service");
	expect_out(c, "Technical emergency preparedness");
	expect_out(c, api_fmt("%s (plan)", first));

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
	c = run_env(s, s->db_url,
		    (const char *const[]){"rota", "show", "--week",
					  day_text(monday + 9), NULL});
	expect_exit(c, 0);
	expect_out(c, api_fmt("Week of %s (published)", day_text(monday + 7)));

	/* A week without a plan. */
	c = run(s, "rota", "show", "--week", day_text(monday + 7 * 40), "--db",
		s->db_url);
	expect_exit(c, 0);
	expect_out(c, "no plan");
}

static void test_rota_show_usage(void **state)
{
	struct api_server *s = *state;
	struct cli_run c = run(s, "rota", "show", "--help");
	expect_exit(c, 0);
	expect_out(c, "usage: dutydesk rota show");
	c = run(s, "rota", "--help");
	expect_exit(c, 0);
	expect_out(c, "dutydesk rota propose --weeks N");

	c = run(s, "rota");
	expect_exit(c, 2);
	c = run(s, "rota", "shuffle");
	expect_exit(c, 2);
	assert_non_null(strstr(c.err, "unknown subcommand 'shuffle'"));
	c = run(s, "rota", "show", "--week", "2026-02-30", "--db", s->db_url);
	expect_exit(c, 2);
	assert_non_null(strstr(c.err, "--week"));
	c = run(s, "rota", "show", "--week");
	expect_exit(c, 2);
	c = run(s, "rota", "show", "--week", "9999-12-30", "--db", s->db_url);
	expect_exit(c, 2);
	c = run(s, "rota", "show", "--frobnicate");
	expect_exit(c, 2);
	c = run(s, "rota", "show", "extra", "--db", s->db_url);
	expect_exit(c, 2);
	c = run(s, "rota", "show", "--weeks", "3");
	expect_exit(c, 2);
	c = run(s, "rota", "show", "--db", "mysql://nope");
	expect_exit(c, 2);
	/* The work fails: no such directory for the database. */
	c = run(s, "rota", "show", "--db",
		api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	expect_exit(c, 1);
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
	struct cli_run c = run(s, "oncall", "--at", at, "--db", s->db_url);
	expect_exit(c, 0);
	expect_out(c,
		   api_fmt("On duty at %s 16:30 Europe/Berlin", day_text(day)));
	size_t i;
	json_t *d;
	int people = 0;
	json_array_foreach(json_object_get(r->json, "duties"), i, d)
	{
		json_t *p = api_obj(d, "person");
		assert_non_null(p);
		const char *line = strstr(c.out, api_str(d, "duty"));
		assert_non_null(line);
		expect_out(c, api_fmt("%s, %s (%s) until 18:00",
				      api_str(p, "name"), api_str(p, "phone"),
				      api_str(d, "reason")));
		people++;
	}
	assert_int_equal(people, 2);
	assert_null(strstr(c.out, "nobody"));

	/* At three in the morning every window is closed. */
	c = run_env(s, s->db_url,
		    (const char *const[]){"oncall", "--at",
					  berlin_at(day, 3, 0), NULL});
	expect_exit(c, 0);
	const char *closed = strstr(c.out, "nobody (window closed)");
	assert_non_null(closed);
	assert_non_null(strstr(closed + 1, "nobody (window closed)"));

	/* Now: whatever the hour, one line per duty. */
	c = run(s, "oncall", "--db", s->db_url);
	expect_exit(c, 0);
	expect_out(c, "Telephone service");
	expect_out(c, "Technical emergency preparedness");
}

static void test_oncall_usage(void **state)
{
	struct api_server *s = *state;
	struct cli_run c = run(s, "oncall", "--help");
	expect_exit(c, 0);
	expect_out(c, "usage: dutydesk oncall");
	c = run(s, "oncall", "--at", "tomorrow", "--db", s->db_url);
	expect_exit(c, 2);
	assert_non_null(strstr(c.err, "RFC 3339"));
	c = run(s, "oncall", "--at");
	expect_exit(c, 2);
	c = run(s, "oncall", "now");
	expect_exit(c, 2);
	c = run(s, "oncall", "--weeks", "2");
	expect_exit(c, 2);
	c = run(s, "oncall", "--db",
		api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	expect_exit(c, 1);
}

/* ---- rota propose ---- */

static void test_propose(void **state)
{
	struct api_server *s = *state;
	int64_t monday = dd_date_week_start(today_berlin());

	/* The demo's next weeks are published: they stay as they are. */
	struct cli_run c =
	    run(s, "rota", "propose", "--weeks", "2", "--db", s->db_url);
	expect_exit(c, 0);
	expect_out(
	    c, api_fmt("Fair proposal: 2 weeks from %s", day_text(monday + 7)));
	expect_out(c, "[already published]");
	expect_out(c, "Duty days per person");

	/* Far ahead: proposed pairs with their explanation, saved. */
	int64_t far = monday + 7 * 50;
	c = run(s, "rota", "propose", "--weeks", "3", "--from",
		day_text(far + 3), "--save", "--db", s->db_url);
	expect_exit(c, 0);
	expect_out(c, api_fmt("Fair proposal: 3 weeks from %s", day_text(far)));
	expect_out(c, "days so far:");
	expect_out(c, "saved 3 weeks as drafts");
	for (int w = 0; w < 3; w++) {
		struct api_resp *r = api_get(
		    s, &s->viewer,
		    api_fmt("/api/v1/rota/weeks/%s", day_text(far + 7 * w)));
		api_expect_json(r, 200);
		assert_string_equal(api_str(r->json, "status"), "draft");
		/* The printed pair is the saved pair. */
		const char *a =
		    person_name(s, api_int(r->json, "first_person_id"));
		const char *b =
		    person_name(s, api_int(r->json, "second_person_id"));
		expect_out(c,
			   api_fmt("%s  %s + %s", day_text(far + 7 * w), a, b));
	}
	/* The saved drafts show in "rota show". */
	c = run(s, "rota", "show", "--week", day_text(far), "--db", s->db_url);
	expect_exit(c, 0);
	expect_out(c, api_fmt("Week of %s (draft)", day_text(far)));
}

static void test_propose_usage(void **state)
{
	struct api_server *s = *state;
	struct cli_run c = run(s, "rota", "propose", "--help");
	expect_exit(c, 0);
	expect_out(c, "usage: dutydesk rota show");
	static const char *const bad[][2] = {
	    {"--weeks", "0"},	      {"--weeks", "105"},
	    {"--weeks", "two"},	      {"--weeks", ""},
	    {"--weeks", "3x"},	      {"--from", "2026-13-01"},
	    {"--week", "2026-12-07"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = run(s, "rota", "propose", "--weeks", "2", bad[i][0],
			bad[i][1], "--db", s->db_url);
		expect_exit(c, 2);
		assert_non_null(strstr(c.err, "Try 'dutydesk rota propose "
					      "--help'"));
	}
	c = run(s, "rota", "propose", "--db", s->db_url);
	expect_exit(c, 2);
	assert_non_null(strstr(c.err, "--weeks is required"));
	c = run(s, "rota", "propose", "--weeks");
	expect_exit(c, 2);
	c = run(s, "rota", "propose", "--weeks", "104", "--from", "9998-06-01",
		"--db", s->db_url);
	expect_exit(c, 2);
	c = run(s, "rota", "propose", "--weeks", "2", "--db",
		api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	expect_exit(c, 1);
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
