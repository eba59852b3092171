/*
 * test_rota_store.c - the rota against a real database: settings, duties,
 * weekly plans, who holds a duty on a day (the precedence of changes),
 * who is on call at an instant across DST, and the fair proposal with
 * absences and published weeks.
 *
 * Runs on SQLite (a temporary file) and, when DUTYDESK_TEST_PG_URL is
 * set, on PostgreSQL in a scratch schema dropped at the end. The context
 * is built by hand as dd_cli_open builds it, with a manual clock standing
 * at 2026-11-27 09:00 UTC. Each test starts from empty rota tables, two
 * duties (the demo's: telephone in slot 0, emergency in slot 1, Monday to
 * Friday 16:00-18:00) and default settings; ten people exist throughout.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/ctx.h"
#include "base/date.h"
#include "base/log.h"
#include "base/secret.h"
#include "base/tz.h"
#include "people/person.h"
#include "rota/assign.h"
#include "rota/duty.h"
#include "rota/env.h"
#include "rota/holiday.h"
#include "rota/member.h"
#include "rota/oncall.h"
#include "rota/propose.h"
#include "rota/settings.h"
#include "rota/week.h"
#include "store/migrate.h"
#include "store/store.h"
#include "unit/support/fixture.h"

#define PEOPLE 10
/* 2026-11-27T09:00:00Z, a Friday. */
#define NOW_MS 1795770000000LL

struct fixture {
	const char *engine;
	char url[1024];
	char path[64];	 /* SQLite file; empty for PostgreSQL */
	char schema[64]; /* PostgreSQL scratch schema; empty for SQLite */
	struct dd_config config;
	struct dd_clock clock;
	struct dd_log log;
	struct dd_arena arena;
	struct dd_tz_cache tz_cache;
	struct dd_ctx ctx;
	struct dd_actor actor;
	int64_t p[PEOPLE];
	int64_t phone, emergency; /* the two duties of each test */
};

static struct fixture *F(void **state)
{
	return *state;
}

static struct dd_ctx *C(void **state)
{
	return &F(state)->ctx;
}

static void must_at(int rc, const struct dd_err *err, const char *file,
		    int line)
{
	if (rc < 0) {
		print_error("call failed: %d %s\n", err->status, err->msg);
		_fail(file, line);
	}
}
#define must(rc, err) must_at(rc, err, __FILE__, __LINE__)

/* The call failed with status. */
static void refused_at(int rc, const struct dd_err *err, int status,
		       const char *file, int line)
{
	if (rc >= 0) {
		print_error("call succeeded, want %d\n", status);
		_fail(file, line);
	}
	if (err->status != status) {
		print_error("status %d (%s), want %d\n", err->status, err->msg,
			    status);
		_fail(file, line);
	}
}
#define refused(rc, err, status) refused_at(rc, err, status, __FILE__, __LINE__)

static int64_t day_of(int y, int m, int d)
{
	return dd_date_days(y, m, d);
}

/* An instant from "2026-03-30T14:30:00Z". */
static int64_t at(const char *text)
{
	int y, mo, d, h, mi, s;
	if (sscanf(text, "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s) != 6)
		fail_msg("bad instant '%s'", text);
	return (dd_date_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000;
}

static int64_t count(void **state, const char *sql, const char *arg)
{
	struct dd_err err;
	int64_t n = -1;
	struct dd_param p = DD_P_TEXT(arg);
	must(dd_store_query_int(C(state)->store, sql, arg ? &p : NULL,
				arg ? 1 : 0, &n, &err),
	     &err);
	return n;
}

static int64_t events(void **state, const char *action)
{
	return count(state, "SELECT COUNT(*) FROM events WHERE action = $1",
		     action);
}

static void script(void **state, const char *sql)
{
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_store_exec_script(C(state)->store, sql, &err), &err);
}

/* ---- set-up ---- */

static int open_ctx(struct fixture *fx)
{
	struct dd_err err;
	int applied = 0;
	dd_err_clear(&err);
	dd_config_defaults(&fx->config);
	dd_clock_init_manual(&fx->clock, NOW_MS);
	dd_log_init(&fx->log, stderr, &fx->clock);
	dd_arena_init(&fx->arena, DD_LIMIT_ARENA_BYTES);
	dd_tz_cache_init(&fx->tz_cache);
	fx->ctx.config = &fx->config;
	fx->ctx.clock = &fx->clock;
	fx->ctx.log = &fx->log;
	fx->ctx.arena = &fx->arena;
	fx->ctx.tz_cache = &fx->tz_cache;
	fx->actor = (struct dd_actor){0, "test"};
	if (fx->schema[0]) {
		char sql[256];
		snprintf(sql, sizeof(sql),
			 "CREATE SCHEMA %s; SET search_path TO %s", fx->schema,
			 fx->schema);
		if (dd_store_exec_script(fx->ctx.store, sql, &err) < 0) {
			fprintf(stderr, "pg: cannot create schema: %s\n",
				err.msg);
			fx->schema[0] = '\0';
			return -1;
		}
	}
	if (dd_migrate_run(fx->ctx.store, NOW_MS, &applied, &err) < 0) {
		fprintf(stderr, "%s: cannot migrate: %s\n", fx->engine,
			err.msg);
		return -1;
	}
	for (int i = 0; i < PEOPLE; i++) {
		char login[32], name[32], email[64], phone[24];
		struct dd_person p;
		snprintf(login, sizeof(login), "rota%d", i);
		snprintf(name, sizeof(name), "Rota Person %d", i);
		snprintf(email, sizeof(email), "rota%d@example.org", i);
		snprintf(phone, sizeof(phone), "+49 89 5550%02d", i);
		struct dd_person_input in = {.login = login,
					     .name = name,
					     .email = email,
					     .phone = phone};
		if (dd_person_create(&fx->ctx, &fx->actor, &in, &p, &err) < 0) {
			fprintf(stderr, "%s: cannot create a person: %s\n",
				fx->engine, err.msg);
			return -1;
		}
		fx->p[i] = p.id;
	}
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *fx = *state;
	if (!fx)
		return 0;
	if (fx->ctx.store && fx->schema[0])
		ut_pg_schema_drop(fx->ctx.store, fx->schema);
	dd_store_close(fx->ctx.store);
	dd_arena_release(&fx->arena);
	dd_tz_cache_release(&fx->tz_cache);
	dd_log_release(&fx->log);
	if (fx->path[0])
		ut_sqlite_remove(fx->path);
	free(fx);
	*state = NULL;
	return 0;
}

static int sqlite_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx || dd_secret_init() < 0)
		return -1;
	*state = fx;
	fx->engine = "sqlite";
	if (ut_sqlite_file("/tmp/dd-test-rota-XXXXXX", fx->path,
			   sizeof(fx->path), fx->url, sizeof(fx->url)) < 0 ||
	    ut_store_open("sqlite", fx->url, &fx->ctx.store) < 0)
		return -1;
	return open_ctx(fx);
}

static int pg_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx || dd_secret_init() < 0)
		return -1;
	*state = fx;
	fx->engine = "pg";
	snprintf(fx->url, sizeof(fx->url), "%s",
		 getenv("DUTYDESK_TEST_PG_URL"));
	if (ut_store_open("pg", fx->url, &fx->ctx.store) < 0)
		return -1;
	ut_scratch_name("dd_rota", fx->schema, sizeof(fx->schema));
	return open_ctx(fx);
}

static void make_duty(void **state, const char *name, int slot, int64_t *id)
{
	struct dd_duty d;
	struct dd_err err;
	struct dd_duty_input in = {.name = name, .slot = slot, .slot_set = 1};
	must(dd_duty_create(C(state), &F(state)->actor, &in, &d, &err), &err);
	*id = d.id;
}

/* Each test: empty rota tables, the two duties, default settings, the
 * clock at NOW_MS and an empty arena. */
static int test_setup(void **state)
{
	struct fixture *fx = *state;
	dd_clock_set(&fx->clock, NOW_MS);
	dd_arena_release(&fx->arena);
	script(state, "DELETE FROM rota_overrides; DELETE FROM absences;"
		      " DELETE FROM week_plans; DELETE FROM rota_members;"
		      " DELETE FROM duties; DELETE FROM holidays;"
		      " DELETE FROM org_settings; DELETE FROM events");
	make_duty(state, "Telephone service", 0, &fx->phone);
	make_duty(state, "Technical emergency preparedness", 1, &fx->emergency);
	return 0;
}

/* ---- helpers ---- */

static void week(void **state, int64_t monday, int64_t first, int64_t second,
		 int publish)
{
	struct dd_week_plan w;
	struct dd_err err;
	must(dd_week_set(C(state), &F(state)->actor, monday, first, second,
			 NULL, 0, &w, &err),
	     &err);
	if (publish)
		must(dd_week_publish(C(state), &F(state)->actor, monday, &w,
				     &err),
		     &err);
}

static int64_t override(void **state, int64_t day, int64_t duty, int64_t person,
			enum dd_cover_reason reason)
{
	struct dd_err err;
	int64_t id = 0;
	must(dd_store_begin(C(state)->store, &err), &err);
	must(dd_rota_override_add(C(state), &F(state)->actor, day, duty, person,
				  reason, "test", 0, &id, &err),
	     &err);
	must(dd_store_commit(C(state)->store, &err), &err);
	assert_true(id > 0);
	return id;
}

static void absence(void **state, int64_t person, int64_t first, int64_t last)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_err err;
	dd_date_format(first, a);
	dd_date_format(last, b);
	struct dd_param p[] = {DD_P_INT(person), DD_P_TEXT(a), DD_P_TEXT(b),
			       DD_P_INT(NOW_MS)};
	must((int)dd_store_exec(C(state)->store,
				"INSERT INTO absences (person_id, kind, "
				"first_day, last_day, created_at) VALUES ($1, "
				"'vacation', $2, $3, $4)",
				p, 4, &err),
	     &err);
}

/* Assignments of [from, to] collected into an array. */
#define ASSIGN_MAX 64

struct assigned {
	struct dd_assignment a[ASSIGN_MAX];
	int n;
	int stop_after; /* 0: never stop */
};

static int collect(const struct dd_assignment *a, void *arg)
{
	struct assigned *l = arg;
	if (l->n < ASSIGN_MAX)
		l->a[l->n++] = *a;
	return l->stop_after && l->n >= l->stop_after;
}

static void assignments(void **state, int64_t from, int64_t to, int drafts,
			struct assigned *out)
{
	struct dd_rota_env env;
	struct dd_err err;
	memset(out, 0, sizeof(*out));
	must(dd_rota_env_load(C(state), from, to, &env, &err), &err);
	must(dd_rota_assignments(C(state), &env, from, to, drafts, collect, out,
				 &err),
	     &err);
}

static const struct dd_assignment *find(const struct assigned *l, int64_t day,
					int64_t duty)
{
	for (int i = 0; i < l->n; i++)
		if (l->a[i].day == day && l->a[i].duty->id == duty)
			return &l->a[i];
	return NULL;
}

static void expect_at(const struct assigned *l, int64_t day, int64_t duty,
		      int64_t person, enum dd_cover_reason reason,
		      const char *file, int line)
{
	const struct dd_assignment *a = find(l, day, duty);
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(day, text);
	if (!a) {
		print_error("no assignment on %s for duty %lld\n", text,
			    (long long)duty);
		_fail(file, line);
		return;
	}
	if (a->person_id != person || (person && a->reason != reason)) {
		print_error("on %s duty %lld: person %lld (%s), want %lld "
			    "(%s)\n",
			    text, (long long)duty, (long long)a->person_id,
			    dd_cover_reason_name(a->reason), (long long)person,
			    dd_cover_reason_name(reason));
		_fail(file, line);
	}
}
#define expect(l, day, duty, person, reason)                                   \
	expect_at(l, day, duty, person, reason, __FILE__, __LINE__)

/* ---- settings ---- */

static void test_settings(void **state)
{
	struct fixture *fx = *state;
	struct dd_org_settings s, got;
	struct dd_err err;
	must(dd_settings_load(C(state), &s, &err), &err);
	assert_string_equal(s.time_zone, "Europe/Berlin");
	assert_int_equal(s.workdays, DD_WEEKDAYS_MON_FRI);
	assert_int_equal(s.core_start, 8 * 60);
	assert_int_equal(s.core_end, 16 * 60);
	assert_int_equal(s.uncovered_warning_days, 14);
	assert_int_equal(s.trailing_weeks, 12);
	assert_int_equal(s.coordinator_id, 0);
	assert_int_equal(s.version, 0);

	snprintf(s.time_zone, sizeof(s.time_zone), "America/New_York");
	s.workdays = DD_WEEKDAYS_MON_FRI | DD_WEEKDAY_BIT(6);
	s.core_start = 7 * 60 + 30;
	s.core_end = 17 * 60;
	s.uncovered_warning_days = 7;
	s.trailing_weeks = 6;
	s.coordinator_id = fx->p[0];
	s.substitute_id = fx->p[1];
	s.mailbox_head_id = fx->p[2];
	s.mailbox_substitute_id = fx->p[3];
	dd_clock_advance(&fx->clock, 1000);
	must(dd_settings_save(C(state), &fx->actor, &s, &err), &err);
	must(dd_settings_load(C(state), &got, &err), &err);
	assert_string_equal(got.time_zone, "America/New_York");
	assert_int_equal(got.workdays, s.workdays);
	assert_int_equal(got.core_start, 450);
	assert_int_equal(got.core_end, 1020);
	assert_int_equal(got.uncovered_warning_days, 7);
	assert_int_equal(got.trailing_weeks, 6);
	assert_int_equal(got.coordinator_id, fx->p[0]);
	assert_int_equal(got.substitute_id, fx->p[1]);
	assert_int_equal(got.mailbox_head_id, fx->p[2]);
	assert_int_equal(got.mailbox_substitute_id, fx->p[3]);
	assert_int_equal(got.version, NOW_MS + 1000);
	assert_int_equal(events(state, "settings.update"), 1);

	/* Refused, and nothing stored. */
	struct dd_org_settings bad;
	bad = got;
	snprintf(bad.time_zone, sizeof(bad.time_zone), "Mars/Base");
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	bad = got;
	bad.core_end = bad.core_start;
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	bad = got;
	bad.core_end = 1441;
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	bad = got;
	bad.workdays = 0;
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	bad = got;
	bad.workdays = 1; /* bit 0 is no weekday */
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	bad = got;
	bad.uncovered_warning_days = 366;
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	bad = got;
	bad.trailing_weeks = 105;
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	bad = got;
	bad.mailbox_substitute_id = 99999999;
	refused(dd_settings_save(C(state), &fx->actor, &bad, &err), &err, 400);
	assert_non_null(strstr(err.msg, "mailbox_substitute_id"));
	struct dd_org_settings again;
	must(dd_settings_load(C(state), &again, &err), &err);
	assert_memory_equal(&again, &got, sizeof(got));
	assert_int_equal(events(state, "settings.update"), 1);

	/* Weekday lists. */
	unsigned mask = 0;
	char text[40];
	assert_int_equal(dd_weekdays_parse("mon,wed,sun", &mask), 0);
	assert_int_equal(mask, DD_WEEKDAY_BIT(1) | DD_WEEKDAY_BIT(3) |
				   DD_WEEKDAY_BIT(7));
	dd_weekdays_format(mask, text, sizeof(text));
	assert_string_equal(text, "mon,wed,sun");
	assert_int_equal(dd_weekdays_parse("mon,,tue", &mask), -1);
	assert_int_equal(dd_weekdays_parse("monday", &mask), -1);
	assert_int_equal(dd_weekdays_parse(NULL, &mask), -1);
}

/* ---- duties ---- */

static void test_duties(void **state)
{
	struct fixture *fx = *state;
	struct dd_duty d, got;
	struct dd_err err;
	struct dd_duty_input in = {.name = "Evening line",
				   .description = "Calls after six.",
				   .slot = 1,
				   .slot_set = 1,
				   .weekdays =
				       DD_WEEKDAY_BIT(1) | DD_WEEKDAY_BIT(2),
				   .weekdays_set = 1,
				   .start = 18 * 60,
				   .start_set = 1,
				   .end = 24 * 60,
				   .end_set = 1,
				   .phone = "0049 (89) 1234-567",
				   .phone_set = 1,
				   .takes_p1 = 1,
				   .takes_p1_set = 1};
	must(dd_duty_create(C(state), &fx->actor, &in, &d, &err), &err);
	assert_string_equal(d.phone, "+49891234567");
	assert_int_equal(d.window.end, 1440);
	assert_int_equal(d.version, 1);
	assert_int_equal(d.created_at, NOW_MS);
	must(dd_duty_get(C(state), d.id, &got, &err), &err);
	assert_string_equal(got.name, "Evening line");
	assert_string_equal(got.description, "Calls after six.");
	assert_int_equal(got.window.weekdays, in.weekdays);
	assert_int_equal(got.takes_p1, 1);

	/* The defaults of the fixture's duties. */
	must(dd_duty_get(C(state), fx->phone, &got, &err), &err);
	assert_int_equal(got.window.weekdays, DD_WEEKDAYS_MON_FRI);
	assert_int_equal(got.window.start, 960);
	assert_int_equal(got.window.end, 1080);
	assert_null(got.phone);
	assert_string_equal(got.description, "");

	/* Refused creations. */
	struct dd_duty_input bad = {.name = "No slot"};
	refused(dd_duty_create(C(state), &fx->actor, &bad, &got, &err), &err,
		400);
	bad = (struct dd_duty_input){
	    .name = "Slot two", .slot = 2, .slot_set = 1};
	refused(dd_duty_create(C(state), &fx->actor, &bad, &got, &err), &err,
		400);
	bad = (struct dd_duty_input){.name = "Backwards",
				     .slot_set = 1,
				     .start = 18 * 60,
				     .start_set = 1,
				     .end = 16 * 60,
				     .end_set = 1};
	refused(dd_duty_create(C(state), &fx->actor, &bad, &got, &err), &err,
		400);
	bad = (struct dd_duty_input){.name = "Empty",
				     .slot_set = 1,
				     .start = 16 * 60,
				     .start_set = 1,
				     .end = 16 * 60,
				     .end_set = 1};
	refused(dd_duty_create(C(state), &fx->actor, &bad, &got, &err), &err,
		400);
	bad = (struct dd_duty_input){
	    .name = "Never", .slot_set = 1, .weekdays_set = 1};
	refused(dd_duty_create(C(state), &fx->actor, &bad, &got, &err), &err,
		400);
	bad = (struct dd_duty_input){.name = "Bad phone",
				     .slot_set = 1,
				     .phone = "ring ring",
				     .phone_set = 1};
	refused(dd_duty_create(C(state), &fx->actor, &bad, &got, &err), &err,
		400);
	bad = (struct dd_duty_input){.name = "Evening line", .slot_set = 1};
	refused(dd_duty_create(C(state), &fx->actor, &bad, &got, &err), &err,
		409);
	assert_int_equal(events(state, "duty.create"), 3);

	/* Updates: only what is set, with the version. */
	struct dd_duty_input up = {.end = 23 * 60, .end_set = 1};
	must(dd_duty_update(C(state), &fx->actor, d.id, &up, 1, &got, &err),
	     &err);
	assert_int_equal(got.version, 2);
	assert_int_equal(got.window.end, 1380);
	assert_int_equal(got.window.start, 1080);
	assert_string_equal(got.phone, "+49891234567");
	refused(dd_duty_update(C(state), &fx->actor, d.id, &up, 1, &got, &err),
		&err, 412);
	up = (struct dd_duty_input){.start = 23 * 60 + 30, .start_set = 1};
	refused(dd_duty_update(C(state), &fx->actor, d.id, &up, 0, &got, &err),
		&err, 400);
	up = (struct dd_duty_input){.slot = 5, .slot_set = 1};
	refused(dd_duty_update(C(state), &fx->actor, d.id, &up, 0, &got, &err),
		&err, 400);
	up = (struct dd_duty_input){.name = "Telephone service"};
	refused(dd_duty_update(C(state), &fx->actor, d.id, &up, 0, &got, &err),
		&err, 409);
	up = (struct dd_duty_input){.phone_set = 1};
	must(dd_duty_update(C(state), &fx->actor, d.id, &up, 2, &got, &err),
	     &err);
	assert_null(got.phone);
	assert_int_equal(got.version, 3);
	refused(
	    dd_duty_update(C(state), &fx->actor, 99999999, &up, 0, &got, &err),
	    &err, 404);
	assert_int_equal(events(state, "duty.update"), 2);

	struct dd_duty *all;
	int n;
	must(dd_duty_all(C(state), &all, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_true(all[0].id < all[1].id && all[1].id < all[2].id);
	assert_int_equal(all[0].id, fx->phone);

	/* Deleting a duty takes its overrides along. */
	override(state, day_of(2026, 11, 30), d.id, fx->p[0], DD_COVER_DAY);
	assert_int_equal(
	    count(state, "SELECT COUNT(*) FROM rota_overrides", NULL), 1);
	must(dd_duty_delete(C(state), &fx->actor, d.id, &err), &err);
	assert_int_equal(
	    count(state, "SELECT COUNT(*) FROM rota_overrides", NULL), 0);
	refused(dd_duty_get(C(state), d.id, &got, &err), &err, 404);
	refused(dd_duty_delete(C(state), &fx->actor, d.id, &err), &err, 404);
}

/* ---- weeks ---- */

static void test_weeks(void **state)
{
	struct fixture *fx = *state;
	struct dd_week_plan w, got;
	struct dd_err err;
	int64_t mon = day_of(2026, 11, 30);

	refused(dd_week_set(C(state), &fx->actor, mon + 1, fx->p[0], fx->p[1],
			    NULL, 0, &w, &err),
		&err, 400);
	refused(dd_week_set(C(state), &fx->actor, mon, fx->p[0], fx->p[0], NULL,
			    0, &w, &err),
		&err, 400);
	refused(dd_week_set(C(state), &fx->actor, mon, fx->p[0], 99999999, NULL,
			    0, &w, &err),
		&err, 400);
	refused(dd_week_set(C(state), &fx->actor, mon, fx->p[0], fx->p[1],
			    "bad\001note", 0, &w, &err),
		&err, 400);
	refused(dd_week_get(C(state), mon, &got, &err), &err, 404);
	refused(dd_week_publish(C(state), &fx->actor, mon, &got, &err), &err,
		404);
	assert_int_equal(count(state, "SELECT COUNT(*) FROM week_plans", NULL),
			 0);

	must(dd_week_set(C(state), &fx->actor, mon, fx->p[0], fx->p[1], "first",
			 0, &w, &err),
	     &err);
	assert_int_equal(w.published, 0);
	assert_int_equal(w.version, 1);
	assert_int_equal(w.published_at, 0);
	assert_string_equal(w.note, "first");
	assert_int_equal(w.week_start, mon);

	/* Changing the pair keeps the note when none is given. */
	dd_clock_advance(&fx->clock, 60000);
	must(dd_week_set(C(state), &fx->actor, mon, fx->p[2], fx->p[1], NULL, 1,
			 &w, &err),
	     &err);
	assert_int_equal(w.version, 2);
	assert_int_equal(w.first, fx->p[2]);
	assert_string_equal(w.note, "first");
	assert_int_equal(w.updated_at, NOW_MS + 60000);
	assert_int_equal(w.created_at, NOW_MS);
	refused(dd_week_set(C(state), &fx->actor, mon, fx->p[3], fx->p[1], NULL,
			    1, &w, &err),
		&err, 412);

	/* Publishing, once. */
	must(dd_week_publish(C(state), &fx->actor, mon, &got, &err), &err);
	assert_int_equal(got.published, 1);
	assert_int_equal(got.version, 3);
	assert_int_equal(got.published_at, NOW_MS + 60000);
	dd_clock_advance(&fx->clock, 60000);
	must(dd_week_publish(C(state), &fx->actor, mon, &got, &err), &err);
	assert_int_equal(got.version, 3);
	assert_int_equal(got.published_at, NOW_MS + 60000);
	assert_int_equal(events(state, "week.publish"), 1);
	assert_int_equal(events(state, "week.create"), 1);
	assert_int_equal(events(state, "week.update"), 1);

	/* A published week's pair may change and stays published. */
	must(dd_week_set(C(state), &fx->actor, mon, fx->p[4], fx->p[5], "new",
			 3, &w, &err),
	     &err);
	assert_int_equal(w.published, 1);
	assert_int_equal(w.version, 4);
	assert_string_equal(w.note, "new");

	/* An inactive person cannot take a week. */
	struct dd_person p;
	struct dd_person_input off = {.active = 0, .active_set = 1};
	must(
	    dd_person_update(C(state), &fx->actor, fx->p[9], &off, 0, &p, &err),
	    &err);
	refused(dd_week_set(C(state), &fx->actor, mon + 7, fx->p[9], fx->p[1],
			    NULL, 0, &w, &err),
		&err, 400);
	struct dd_person_input on = {.active = 1, .active_set = 1};
	must(dd_person_update(C(state), &fx->actor, fx->p[9], &on, 0, &p, &err),
	     &err);

	/* Listing and deleting. */
	week(state, mon + 14, fx->p[0], fx->p[1], 0);
	week(state, mon - 7, fx->p[0], fx->p[1], 0);
	int64_t seen[4];
	int n = 0;
	struct dd_rows *rows;
	must(dd_store_query(C(state)->store,
			    "SELECT week_start FROM week_plans ORDER BY "
			    "week_start",
			    NULL, 0, &rows, &err),
	     &err);
	while (dd_rows_next(rows, &err) > 0 && n < 4)
		dd_date_parse(dd_rows_text(rows, 0), &seen[n++]);
	dd_rows_free(rows);
	assert_int_equal(n, 3);
	assert_int_equal(seen[0], mon - 7);
	assert_int_equal(seen[2], mon + 14);
	must(dd_week_delete(C(state), &fx->actor, mon, &err), &err);
	refused(dd_week_get(C(state), mon, &got, &err), &err, 404);
	refused(dd_week_delete(C(state), &fx->actor, mon, &err), &err, 404);
}

static int count_week(const struct dd_week_plan *w, void *arg)
{
	int64_t *last = arg;
	assert_true(w->week_start > last[0]);
	last[0] = w->week_start;
	last[1]++;
	return 0;
}

static void test_week_list(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	int64_t mon = day_of(2026, 11, 30);
	for (int i = 0; i < 5; i++)
		week(state, mon + 7 * i, fx->p[i], fx->p[i + 1], i % 2);
	int64_t acc[2] = {0, 0};
	must(dd_week_list(C(state), mon + 7, mon + 21, count_week, acc, &err),
	     &err);
	assert_int_equal(acc[1], 3);
	assert_int_equal(acc[0], mon + 21);
	acc[0] = acc[1] = 0;
	must(dd_week_list(C(state), mon + 8, mon + 13, count_week, acc, &err),
	     &err);
	assert_int_equal(acc[1], 0);
}

/* ---- who holds a duty ---- */

static void test_alternation_and_holidays(void **state)
{
	struct fixture *fx = *state;
	struct dd_holiday h;
	struct dd_err err;
	int64_t mon = day_of(2026, 12, 21);
	int64_t a = fx->p[0], b = fx->p[1];
	must(dd_holiday_create(C(state), &fx->actor, day_of(2026, 12, 25),
			       "Christmas Day", &h, &err),
	     &err);
	/* Wednesday as well, to skip one inside the week. */
	must(dd_holiday_create(C(state), &fx->actor, day_of(2026, 12, 23),
			       "Invented", &h, &err),
	     &err);
	week(state, mon, a, b, 1);
	struct assigned l;
	assignments(state, mon, mon + 6, 0, &l);
	/* Mon, Tue, Thu: three business days, two duties each. */
	assert_int_equal(l.n, 6);
	expect(&l, mon, fx->phone, a, DD_COVER_PLAN);
	expect(&l, mon, fx->emergency, b, DD_COVER_PLAN);
	expect(&l, mon + 1, fx->phone, b, DD_COVER_PLAN);
	expect(&l, mon + 1, fx->emergency, a, DD_COVER_PLAN);
	assert_null(find(&l, mon + 2, fx->phone));
	expect(&l, mon + 3, fx->phone, a, DD_COVER_PLAN);
	expect(&l, mon + 3, fx->emergency, b, DD_COVER_PLAN);
	assert_null(find(&l, mon + 4, fx->phone));
	assert_null(find(&l, mon + 5, fx->phone));
	for (int i = 0; i < l.n; i++) {
		assert_int_equal(l.a[i].planned_id, l.a[i].person_id);
		assert_int_equal(l.a[i].override_id, 0);
		assert_int_equal(l.a[i].draft, 0);
	}
	/* Order: day, then duty. */
	for (int i = 1; i < l.n; i++)
		assert_true(l.a[i - 1].day < l.a[i].day ||
			    (l.a[i - 1].day == l.a[i].day &&
			     l.a[i - 1].duty->id < l.a[i].duty->id));
	/* The callback may stop early. */
	struct dd_rota_env env;
	struct assigned part = {.stop_after = 3};
	must(dd_rota_env_load(C(state), mon, mon + 6, &env, &err), &err);
	must(dd_rota_assignments(C(state), &env, mon, mon + 6, 0, collect,
				 &part, &err),
	     &err);
	assert_int_equal(part.n, 3);
	/* One duty on one day; 404 on a holiday. */
	struct dd_assignment one;
	must(dd_rota_assignment(C(state), &env, mon + 3,
				dd_rota_env_duty(&env, fx->emergency), &one,
				&err),
	     &err);
	assert_int_equal(one.person_id, b);
	refused(dd_rota_assignment(C(state), &env, mon + 4,
				   dd_rota_env_duty(&env, fx->emergency), &one,
				   &err),
		&err, 404);
	assert_null(dd_rota_env_duty(&env, 99999999));
	/* An empty or reversed range calls nothing. */
	assignments(state, mon + 6, mon, 0, &l);
	assert_int_equal(l.n, 0);
}

static void test_precedence(void **state)
{
	struct fixture *fx = *state;
	int64_t mon = day_of(2026, 11, 30);
	int64_t ph = fx->phone, em = fx->emergency;
	const int64_t *p = fx->p;
	week(state, mon, p[0], p[1], 1);

	/* Tuesday: a plan day beats the pair. */
	override(state, mon + 1, ph, p[2], DD_COVER_DAY);
	/* Wednesday: a swap beats a plan day. */
	override(state, mon + 2, ph, p[3], DD_COVER_SWAP);
	override(state, mon + 2, ph, p[2], DD_COVER_DAY);
	/* Thursday: a replacement beats both, whatever the order. */
	override(state, mon + 3, ph, p[4], DD_COVER_REPLACEMENT);
	override(state, mon + 3, ph, p[2], DD_COVER_DAY);
	override(state, mon + 3, ph, p[3], DD_COVER_SWAP);
	/* Friday: sick cover beats everything, though recorded first. */
	override(state, mon + 4, ph, p[5], DD_COVER_SICK);
	override(state, mon + 4, ph, p[4], DD_COVER_REPLACEMENT);
	override(state, mon + 4, ph, p[3], DD_COVER_SWAP);
	override(state, mon + 4, ph, p[2], DD_COVER_DAY);
	/* The emergency duty on Friday: two swaps, the later wins. */
	override(state, mon + 4, em, p[6], DD_COVER_SWAP);
	int64_t later = override(state, mon + 4, em, p[7], DD_COVER_SWAP);

	struct assigned l;
	assignments(state, mon, mon + 6, 0, &l);
	assert_int_equal(l.n, 10);
	expect(&l, mon, ph, p[0], DD_COVER_PLAN);
	expect(&l, mon + 1, ph, p[2], DD_COVER_DAY);
	expect(&l, mon + 1, em, p[0], DD_COVER_PLAN);
	expect(&l, mon + 2, ph, p[3], DD_COVER_SWAP);
	expect(&l, mon + 3, ph, p[4], DD_COVER_REPLACEMENT);
	expect(&l, mon + 4, ph, p[5], DD_COVER_SICK);
	expect(&l, mon + 4, em, p[7], DD_COVER_SWAP);
	assert_int_equal(find(&l, mon + 4, em)->override_id, later);
	/* The pair's person stays visible as planned. */
	assert_int_equal(find(&l, mon + 4, ph)->planned_id, p[0]);
	assert_int_equal(find(&l, mon + 1, ph)->planned_id, p[1]);

	/* Equal precedence at every level: the later wins. */
	int64_t nx = mon + 7;
	week(state, nx, p[0], p[1], 1);
	enum dd_cover_reason reasons[] = {DD_COVER_DAY, DD_COVER_SWAP,
					  DD_COVER_REPLACEMENT, DD_COVER_SICK};
	for (int r = 0; r < 4; r++) {
		override(state, nx + r, ph, p[8], reasons[r]);
		override(state, nx + r, ph, p[9], reasons[r]);
	}
	/* A revoked change no longer counts. */
	int64_t revoked = override(state, nx + 4, ph, p[9], DD_COVER_SICK);
	struct dd_err err;
	must((int)dd_store_exec(
		 C(state)->store,
		 "UPDATE rota_overrides SET revoked_at = $2 "
		 "WHERE id = $1",
		 (struct dd_param[]){DD_P_INT(revoked), DD_P_INT(NOW_MS)}, 2,
		 &err),
	     &err);
	assignments(state, nx, nx + 6, 0, &l);
	for (int r = 0; r < 4; r++)
		expect(&l, nx + r, ph, p[9], reasons[r]);
	expect(&l, nx + 4, ph, p[0], DD_COVER_PLAN);
}

/* Regression: only the first 31 changes of a duty day counted, so a day
 * set a 32nd time kept the old person. */
static void test_day_set_many_times_latest_wins(void **state)
{
	struct fixture *fx = *state;
	int64_t busy = day_of(2026, 12, 14), ph = fx->phone;
	const int64_t *p = fx->p;
	struct assigned l;
	week(state, busy, p[0], p[1], 1);
	for (int i = 0; i < 40; i++)
		override(state, busy, ph, p[2 + i % 7], DD_COVER_DAY);
	assignments(state, busy, busy, 0, &l);
	expect(&l, busy, ph, p[2 + 39 % 7], DD_COVER_DAY);
	override(state, busy, ph, p[9], DD_COVER_SWAP);
	for (int i = 0; i < 40; i++)
		override(state, busy, ph, p[2 + i % 7], DD_COVER_DAY);
	assignments(state, busy, busy, 0, &l);
	expect(&l, busy, ph, p[9], DD_COVER_SWAP);
}

static void test_drafts_and_no_plan(void **state)
{
	struct fixture *fx = *state;
	int64_t mon = day_of(2026, 12, 7);
	int64_t ph = fx->phone, em = fx->emergency;
	const int64_t *p = fx->p;
	week(state, mon, p[0], p[1], 0);
	override(state, mon + 1, ph, p[2], DD_COVER_DAY);
	override(state, mon + 2, ph, p[3], DD_COVER_SWAP);
	override(state, mon + 3, em, p[5], DD_COVER_SICK);

	/* A draft puts nobody on duty by its pair; days an editor set
	 * explicitly, swaps and covers count all the same. */
	struct assigned l;
	assignments(state, mon, mon + 6, 0, &l);
	assert_int_equal(l.n, 10);
	expect(&l, mon, ph, 0, DD_COVER_PLAN);
	assert_int_equal(find(&l, mon, ph)->planned_id, p[0]);
	assert_int_equal(find(&l, mon, ph)->draft, 1);
	expect(&l, mon + 1, ph, p[2], DD_COVER_DAY);
	expect(&l, mon + 2, ph, p[3], DD_COVER_SWAP);
	expect(&l, mon + 3, em, p[5], DD_COVER_SICK);
	/* A preview counts the draft. */
	assignments(state, mon, mon + 6, 1, &l);
	expect(&l, mon, ph, p[0], DD_COVER_PLAN);
	expect(&l, mon + 1, ph, p[2], DD_COVER_DAY);
	expect(&l, mon + 4, em, p[1], DD_COVER_PLAN);

	/* Without any plan: only explicit days, swaps and covers. */
	int64_t none = mon + 7;
	override(state, none, ph, p[2], DD_COVER_DAY);
	override(state, none + 1, ph, p[4], DD_COVER_REPLACEMENT);
	assignments(state, none, none + 6, 1, &l);
	assert_int_equal(l.n, 10);
	expect(&l, none, ph, p[2], DD_COVER_DAY);
	assert_int_equal(find(&l, none, ph)->planned_id, 0);
	assert_int_equal(find(&l, none, ph)->draft, 0);
	expect(&l, none + 2, ph, 0, DD_COVER_PLAN);
	expect(&l, none + 1, ph, p[4], DD_COVER_REPLACEMENT);
	expect(&l, none + 1, em, 0, DD_COVER_PLAN);
}

/* ---- on call ---- */

struct instant_case {
	const char *at;
	int open;
	const char *start, *end; /* the day's window, NULL for none */
};

static void check_oncall(void **state, const struct instant_case *c,
			 int64_t slot0, int64_t slot1)
{
	struct fixture *fx = *state;
	struct dd_rota_env env;
	struct dd_oncall *list;
	struct dd_err err;
	int64_t day, t = at(c->at);
	must(dd_rota_env_load_at(C(state), t, &env, &day, &err), &err);
	must(dd_oncall_at(C(state), &env, t, &list, &err), &err);
	assert_int_equal(env.duty_count, 2);
	for (int i = 0; i < 2; i++) {
		const struct dd_oncall *o = &list[i];
		if (o->open != c->open)
			fail_msg("%s: duty %d open %d, want %d", c->at, i,
				 o->open, c->open);
		assert_int_equal(o->window_start, c->start ? at(c->start) : 0);
		assert_int_equal(o->window_end, c->end ? at(c->end) : 0);
		if (!c->open)
			continue; /* the JSON shows nobody outside the window */
		int64_t want = o->duty->id == fx->phone ? slot0 : slot1;
		assert_int_equal(o->assignment.person_id, want);
		assert_non_null(o->name);
		assert_non_null(o->phone);
		assert_int_equal(o->day, day);
	}
	/* The cached lookup answers the same, on a miss and on a hit. */
	struct dd_oncall_cache *cache = dd_oncall_cache_new();
	for (int round = 0; round < 2; round++) {
		struct dd_oncall *cached;
		int n;
		must(dd_oncall_lookup(C(state), cache, t, &cached, &n, &err),
		     &err);
		assert_int_equal(n, 2);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(cached[i].duty->id, list[i].duty->id);
			assert_int_equal(cached[i].open, list[i].open);
			assert_int_equal(cached[i].window_start,
					 list[i].window_start);
			assert_int_equal(cached[i].window_end, list[i].window_end);
			assert_int_equal(cached[i].assignment.person_id,
					 list[i].assignment.person_id);
			assert_int_equal(cached[i].assignment.reason,
					 list[i].assignment.reason);
		}
	}
	dd_oncall_cache_free(cache);
}

static void test_oncall_dst(void **state)
{
	struct fixture *fx = *state;
	const int64_t *p = fx->p;
	const int64_t weeks[] = {day_of(2026, 3, 23), day_of(2026, 3, 30),
				 day_of(2026, 10, 19), day_of(2026, 10, 26)};
	for (int w = 0; w < 4; w++)
		week(state, weeks[w], p[0], p[1], 1);
	static const struct instant_case cases[] = {
	    /* CET before the change: 15:00Z-17:00Z. */
	    {"2026-03-27T14:59:59Z", 0, "2026-03-27T15:00:00Z",
	     "2026-03-27T17:00:00Z"},
	    {"2026-03-27T15:00:00Z", 1, "2026-03-27T15:00:00Z",
	     "2026-03-27T17:00:00Z"},
	    {"2026-03-27T15:30:00Z", 1, "2026-03-27T15:00:00Z",
	     "2026-03-27T17:00:00Z"},
	    {"2026-03-27T17:00:00Z", 0, "2026-03-27T15:00:00Z",
	     "2026-03-27T17:00:00Z"},
	    {"2026-03-29T15:30:00Z", 0, NULL, NULL},
	    /* CEST after it: 14:00Z-16:00Z. */
	    {"2026-03-30T13:59:59Z", 0, "2026-03-30T14:00:00Z",
	     "2026-03-30T16:00:00Z"},
	    {"2026-03-30T14:30:00Z", 1, "2026-03-30T14:00:00Z",
	     "2026-03-30T16:00:00Z"},
	    {"2026-03-30T15:30:00Z", 1, "2026-03-30T14:00:00Z",
	     "2026-03-30T16:00:00Z"},
	    {"2026-03-30T16:30:00Z", 0, "2026-03-30T14:00:00Z",
	     "2026-03-30T16:00:00Z"},
	    /* Late at night (local tomorrow already): nothing. */
	    {"2026-03-30T22:30:00Z", 0, "2026-03-31T14:00:00Z",
	     "2026-03-31T16:00:00Z"},
	    /* CEST before the change back, CET after it. */
	    {"2026-10-23T14:30:00Z", 1, "2026-10-23T14:00:00Z",
	     "2026-10-23T16:00:00Z"},
	    {"2026-10-23T16:30:00Z", 0, "2026-10-23T14:00:00Z",
	     "2026-10-23T16:00:00Z"},
	    {"2026-10-25T01:30:00Z", 0, NULL, NULL},
	    {"2026-10-26T14:30:00Z", 0, "2026-10-26T15:00:00Z",
	     "2026-10-26T17:00:00Z"},
	    {"2026-10-26T16:30:00Z", 1, "2026-10-26T15:00:00Z",
	     "2026-10-26T17:00:00Z"},
	    {"2026-10-26T16:59:59Z", 1, "2026-10-26T15:00:00Z",
	     "2026-10-26T17:00:00Z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Fridays (index 4) and Mondays (0): the first person has
		 * the phone. */
		check_oncall(state, &cases[i], p[0], p[1]);
		dd_arena_release(&fx->arena);
	}
	/* A Tuesday: the second person has the phone. */
	const struct instant_case tue = {"2026-10-27T15:30:00Z", 1,
					 "2026-10-27T15:00:00Z",
					 "2026-10-27T17:00:00Z"};
	check_oncall(state, &tue, p[1], p[0]);

	/* Sick cover shows with its reason, name and phone. */
	override(state, day_of(2026, 3, 30), fx->phone, p[5], DD_COVER_SICK);
	struct dd_rota_env env;
	struct dd_oncall *list;
	struct dd_err err;
	int64_t day;
	must(dd_rota_env_load_at(C(state), at("2026-03-30T15:00:00Z"), &env,
				 &day, &err),
	     &err);
	must(dd_oncall_at(C(state), &env, at("2026-03-30T15:00:00Z"), &list,
			  &err),
	     &err);
	const struct dd_oncall *o =
	    list[0].duty->id == fx->phone ? &list[0] : &list[1];
	assert_int_equal(o->assignment.person_id, p[5]);
	assert_int_equal(o->assignment.reason, DD_COVER_SICK);
	assert_int_equal(o->assignment.planned_id, p[0]);
	assert_string_equal(o->name, "Rota Person 5");
	assert_string_equal(o->phone, "+4989555005");
	assert_string_equal(o->login, "rota5");

	/* Another time zone moves the windows: New York went to EDT on
	 * 8 March 2026, so 16:00-18:00 there is 20:00Z-22:00Z. */
	struct dd_org_settings s;
	must(dd_settings_load(C(state), &s, &err), &err);
	snprintf(s.time_zone, sizeof(s.time_zone), "America/New_York");
	must(dd_settings_save(C(state), &fx->actor, &s, &err), &err);
	week(state, day_of(2026, 3, 2), p[2], p[3], 1);
	week(state, day_of(2026, 3, 9), p[2], p[3], 1);
	const struct instant_case ny[] = {
	    {"2026-03-06T21:30:00Z", 1, "2026-03-06T21:00:00Z",
	     "2026-03-06T23:00:00Z"},
	    {"2026-03-09T20:30:00Z", 1, "2026-03-09T20:00:00Z",
	     "2026-03-09T22:00:00Z"},
	    {"2026-03-09T22:30:00Z", 0, "2026-03-09T20:00:00Z",
	     "2026-03-09T22:00:00Z"},
	    /* 16:30 in Berlin is morning in New York. */
	    {"2026-03-30T14:30:00Z", 0, "2026-03-30T20:00:00Z",
	     "2026-03-30T22:00:00Z"},
	};
	for (size_t i = 0; i < sizeof(ny) / sizeof(ny[0]); i++)
		check_oncall(state, &ny[i], p[2], p[3]);
}

/* ---- the fair proposal ---- */

static int64_t before_of(const struct dd_proposal *pr, int w, int64_t id)
{
	for (int i = 0; i < pr->people_count; i++)
		if (pr->people[i].id == id)
			return pr
			    ->days_before[(size_t)w * (size_t)pr->people_count +
					  (size_t)i];
	fail_msg("person %lld is not in the proposal", (long long)id);
	return -1;
}

static void test_propose(void **state)
{
	struct fixture *fx = *state;
	const int64_t *p = fx->p;
	struct dd_err err;
	int created;
	for (int i = 0; i < 8; i++)
		must(dd_rota_member_set(C(state), &fx->actor, p[i], i != 7,
					&created, &err),
		     &err);
	int64_t first = day_of(2026, 11, 30);
	/* The week before: p1 and p2, five days each in the trailing
	 * window, and their pair is to be avoided. */
	week(state, first - 7, p[1], p[2], 1);
	/* Week 2 is published already with p5 and p6. */
	week(state, first + 14, p[5], p[6], 1);
	/* p0 is away in week 3 (one business day is enough); p1 only over
	 * the weekend of week 4, which does not count. */
	absence(state, p[0], first + 21 + 4, first + 21 + 6);
	absence(state, p[1], first + 28 + 5, first + 28 + 6);

	struct dd_rota_env env;
	struct dd_proposal pr, again;
	must(dd_rota_env_load(C(state), first, first + 8 * 7, &env, &err),
	     &err);
	refused(dd_rota_propose(C(state), &env, first, 0, &pr, &err), &err,
		400);
	refused(dd_rota_propose(C(state), &env, first, 105, &pr, &err), &err,
		400);
	refused(dd_rota_propose(C(state), &env, first + 1, 8, &pr, &err), &err,
		400);
	must(dd_rota_propose(C(state), &env, first, 8, &pr, &err), &err);
	assert_int_equal(pr.people_count, 8);
	assert_int_equal(pr.trailing_weeks, 12);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pr.people[i].id, p[i]);
		assert_int_equal(pr.people[i].in_rotation, i != 7);
		int64_t want = i == 1 || i == 2 ? 5 : 0;
		assert_int_equal(pr.people[i].days, want);
	}
	assert_int_equal(pr.people[1].slot0_days + pr.people[2].slot0_days, 5);
	assert_int_equal(pr.people[1].slot0_days, 3);
	int64_t pa = p[1], pb = p[2];
	for (int w = 0; w < 8; w++) {
		const struct dd_fair_week *wk = &pr.out[w];
		assert_int_equal(wk->week_start, first + 7 * w);
		assert_int_equal(wk->status, DD_FAIR_PAIRED);
		assert_int_equal(wk->business_days, 5);
		assert_true(wk->first != p[7] && wk->second != p[7]);
		assert_false((wk->first == pa && wk->second == pb) ||
			     (wk->first == pb && wk->second == pa));
		pa = wk->first;
		pb = wk->second;
		if (w == 2) {
			assert_int_equal(wk->fixed, 1);
			assert_int_equal(wk->first, p[5]);
			assert_int_equal(wk->second, p[6]);
			continue;
		}
		assert_int_equal(wk->fixed, 0);
		if (w == 3) {
			assert_true(wk->first != p[0] && wk->second != p[0]);
			assert_int_equal(wk->available, 6);
		} else {
			assert_int_equal(wk->available, 7);
		}
		/* The least loaded pair, unless it repeats last week's. */
		if (!wk->avoided_repeat) {
			int64_t mx = before_of(&pr, w, wk->first);
			if (before_of(&pr, w, wk->second) > mx)
				mx = before_of(&pr, w, wk->second);
			for (int i = 0; i < 7; i++) {
				if (p[i] == wk->first || p[i] == wk->second ||
				    (w == 3 && i == 0))
					continue;
				assert_true(before_of(&pr, w, p[i]) >= mx);
			}
		}
	}
	/* Week 0: p1 and p2 are the most loaded, and were last week's pair
	 * anyway; the two least loaded by id are p0 and p3. */
	assert_int_equal(pr.out[0].first, p[0]);
	assert_int_equal(pr.out[0].second, p[3]);
	/* The totals: 8 weeks of 5 days for two, plus the trailing 10. */
	int64_t total = 0, mn = INT64_MAX, mx = 0;
	for (int i = 0; i < 8; i++) {
		total += pr.final_days[i];
		if (i == 7)
			continue;
		if (pr.final_days[i] < mn)
			mn = pr.final_days[i];
		if (pr.final_days[i] > mx)
			mx = pr.final_days[i];
	}
	assert_int_equal(total, 8 * 10 + 10);
	assert_int_equal(pr.final_days[7], 0);
	assert_true(mx - mn <= 5);

	/* Deterministic. */
	must(dd_rota_propose(C(state), &env, first, 8, &again, &err), &err);
	for (int w = 0; w < 8; w++) {
		assert_int_equal(again.out[w].first, pr.out[w].first);
		assert_int_equal(again.out[w].second, pr.out[w].second);
	}
	assert_memory_equal(again.days_before, pr.days_before,
			    sizeof(int64_t) * 8 * 8);

	/* Saving: drafts for all but the published week. */
	struct dd_week_plan fixed_before, w2;
	must(dd_week_get(C(state), first + 14, &fixed_before, &err), &err);
	int saved = 0;
	must(dd_rota_proposal_save(C(state), &fx->actor, &pr, &saved, &err),
	     &err);
	assert_int_equal(saved, 7);
	for (int w = 0; w < 8; w++) {
		must(dd_week_get(C(state), first + 7 * w, &w2, &err), &err);
		assert_int_equal(w2.first, pr.out[w].first);
		assert_int_equal(w2.second, pr.out[w].second);
		if (w == 2) {
			assert_int_equal(w2.published, 1);
			assert_int_equal(w2.version, fixed_before.version);
		} else {
			assert_int_equal(w2.published, 0);
			assert_string_equal(w2.note, "proposed");
		}
	}
	/* Saving again replaces the drafts, keeps the published week. */
	must(dd_rota_proposal_save(C(state), &fx->actor, &pr, &saved, &err),
	     &err);
	assert_int_equal(saved, 7);
	must(dd_week_get(C(state), first + 14, &w2, &err), &err);
	assert_int_equal(w2.version, fixed_before.version);
}

static void test_propose_spread_and_uncovered(void **state)
{
	struct fixture *fx = *state;
	const int64_t *p = fx->p;
	struct dd_err err;
	int created;
	for (int i = 0; i < 6; i++)
		must(dd_rota_member_set(C(state), &fx->actor, p[i], 1, &created,
					&err),
		     &err);
	/* Six people, six weeks: two full cycles, nobody absent. */
	int64_t first = day_of(2027, 1, 11);
	struct dd_rota_env env;
	struct dd_proposal pr;
	must(dd_rota_env_load(C(state), first, first + 6 * 7, &env, &err),
	     &err);
	must(dd_rota_propose(C(state), &env, first, 6, &pr, &err), &err);
	int64_t mn = INT64_MAX, mx = 0;
	for (int i = 0; i < pr.people_count; i++) {
		if (pr.final_days[i] < mn)
			mn = pr.final_days[i];
		if (pr.final_days[i] > mx)
			mx = pr.final_days[i];
	}
	assert_true(mx - mn <= 1);
	assert_int_equal(mx, 10);

	/* All but one away in the second week: nobody can be paired. */
	for (int i = 1; i < 6; i++)
		absence(state, p[i], first + 7, first + 11);
	must(dd_rota_propose(C(state), &env, first, 3, &pr, &err), &err);
	assert_int_equal(pr.out[0].status, DD_FAIR_PAIRED);
	assert_int_equal(pr.out[1].status, DD_FAIR_UNCOVERED);
	assert_int_equal(pr.out[1].available, 1);
	assert_int_equal(pr.out[2].status, DD_FAIR_PAIRED);
	int saved;
	must(dd_rota_proposal_save(C(state), &fx->actor, &pr, &saved, &err),
	     &err);
	assert_int_equal(saved, 2);
	struct dd_week_plan w;
	refused(dd_week_get(C(state), first + 7, &w, &err), &err, 404);

	/* A week of holidays only has nothing to cover. */
	struct dd_holiday h;
	int64_t hw = first + 28;
	for (int d = 0; d < 5; d++)
		must(dd_holiday_create(C(state), &fx->actor, hw + d, "Closed",
				       &h, &err),
		     &err);
	must(dd_rota_env_load(C(state), hw, hw + 6, &env, &err), &err);
	must(dd_rota_propose(C(state), &env, hw, 1, &pr, &err), &err);
	assert_int_equal(pr.out[0].status, DD_FAIR_NO_BUSINESS_DAYS);
	assert_int_equal(pr.out[0].business_days, 0);
}

#define T(f) cmocka_unit_test_setup(f, test_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_settings),
	    T(test_duties),
	    T(test_weeks),
	    T(test_week_list),
	    T(test_alternation_and_holidays),
	    T(test_precedence),
	    T(test_day_set_many_times_latest_wins),
	    T(test_drafts_and_no_plan),
	    T(test_oncall_dst),
	    T(test_propose),
	    T(test_propose_spread_and_uncovered),
	};
	int failed = cmocka_run_group_tests_name("rota_store/sqlite", tests,
						 sqlite_setup, group_teardown);
	const char *pg = getenv("DUTYDESK_TEST_PG_URL");
	if (pg && *pg)
		failed += cmocka_run_group_tests_name("rota_store/pg", tests,
						      pg_setup, group_teardown);
	else
		printf("rota_store/pg: skipped, DUTYDESK_TEST_PG_URL is not "
		       "set\n");
	return failed;
}
