/*
 * test_sla.c - service levels: which policy applies, the dues, the state
 * of a ticket's clocks (pure, on a calendar held in memory), and then
 * against a real database with a manual clock: dues on create, new dues
 * for a new queue or priority, the pause while pending, the state moving
 * with time under the check, and each warning and breach recorded once,
 * also when four connections check at the same moment.
 *
 * The store part runs on SQLite (a temporary file) and, when
 * DUTYDESK_TEST_PG_URL is set, on PostgreSQL in a scratch schema dropped
 * at the end. Calendar: the defaults, Europe/Berlin, Monday to Friday,
 * core hours 08:00-16:00. The clock starts at Monday 23 November 2026,
 * 09:00 CET (08:00 UTC). Expected instants are in UTC.
 */
#include <fcntl.h>
#include <pthread.h>
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
#include "store/migrate.h"
#include "store/store.h"
#include "unit/support/fixture.h"
#include "ticket/business_time.h"
#include "ticket/sla.h"
#include "ticket/ticket.h"

#define MIN  ((int64_t)60 * 1000)
#define HOUR (60 * MIN)

/* An instant in UTC. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return (dd_date_days(y, mo, d) * 86400 + h * 3600 + mi * 60) * 1000;
}

/* ==== pure ==== */

struct pure {
	struct dd_tz *tz;
	struct dd_calendar cal; /* Mon-Fri 08:00-16:00 Berlin */
};

static int pure_setup(void **state)
{
	static struct pure p;
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &p.tz, &err) < 0)
		return -1;
	p.cal = (struct dd_calendar){.tz = p.tz,
				     .workdays = DD_WEEKDAYS_MON_FRI,
				     .core_start = 8 * 60,
				     .core_end = 16 * 60};
	*state = &p;
	return 0;
}

static int pure_teardown(void **state)
{
	struct pure *p = *state;
	dd_tz_free(p->tz);
	return 0;
}

static void test_state_names(void **state)
{
	(void)state;
	static const char *const names[] = {"none", "ok", "warning", "breached",
					    "met"};
	for (int i = 0; i < 5; i++) {
		enum dd_sla_state s;
		assert_string_equal(dd_sla_state_name((enum dd_sla_state)i),
				    names[i]);
		assert_int_equal(dd_sla_state_parse(names[i], &s), 0);
		assert_int_equal(s, i);
	}
	enum dd_sla_state s;
	assert_int_equal(dd_sla_state_parse("late", &s), -1);
	assert_int_equal(dd_sla_state_parse(NULL, &s), -1);
	assert_string_equal(dd_sla_state_name((enum dd_sla_state)17), "none");
	assert_string_equal(dd_sla_target_name(DD_SLA_TARGET_RESPONSE),
			    "first_response");
	assert_string_equal(dd_sla_target_name(DD_SLA_TARGET_RESOLUTION),
			    "resolution");
	assert_null(dd_sla_target_name(DD_SLA_TARGET_NONE));
}

static void test_policy_choose(void **state)
{
	(void)state;
	const struct dd_sla_policy p[] = {
		{.id = 1, .queue_id = 0, .priority = 0},
		{.id = 2, .queue_id = 0, .priority = 1},
		{.id = 3, .queue_id = 5, .priority = 0},
		{.id = 4, .queue_id = 5, .priority = 1},
		{.id = 5, .queue_id = 6, .priority = 2},
	};
	struct {
		int64_t queue;
		int prio;
		int64_t want;
	} cases[] = {
		{5, 1, 4}, /* queue and priority */
		{5, 2, 3}, /* the queue beats any-queue-priority-2 (none) */
		{5, 4, 3}, {7, 1, 2}, /* another queue: the priority's */
		{7, 3, 1},	      /* nothing specific: any/any */
		{0, 2, 1},	      /* no queue */
		{0, 1, 2}, {6, 2, 5}, /* queue and priority */
		{6, 1, 2},	      /* queue 6 has no policy for 1 */
		{6, 3, 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dd_sla_policy *got = dd_sla_policy_choose(
			p, 5, cases[i].queue, cases[i].prio);
		assert_non_null(got);
		assert_int_equal(got->id, cases[i].want);
	}
	/* A queue beats a priority: with only "queue 5, any" and "any,
	 * priority 1", queue 5 priority 1 takes the queue's. */
	const struct dd_sla_policy q[] = {
		{.id = 8, .queue_id = 0, .priority = 1},
		{.id = 9, .queue_id = 5, .priority = 0},
	};
	assert_int_equal(dd_sla_policy_choose(q, 2, 5, 1)->id, 9);
	/* Without a fallback nothing applies to the others. */
	assert_null(dd_sla_policy_choose(q, 2, 7, 2));
	assert_null(dd_sla_policy_choose(q, 0, 5, 1));
	/* Ties (which the store refuses) go to the older policy. */
	const struct dd_sla_policy t[] = {
		{.id = 12, .queue_id = 0, .priority = 0},
		{.id = 11, .queue_id = 0, .priority = 0},
	};
	assert_int_equal(dd_sla_policy_choose(t, 2, 1, 1)->id, 11);
}

static void test_policy_check(void **state)
{
	(void)state;
	struct dd_err err;
	struct dd_sla_policy ok = {.first_response_minutes = 60,
				   .resolution_minutes = 480,
				   .warn_percent = 80};
	assert_int_equal(dd_sla_policy_check(&ok, &err), 0);
	struct dd_sla_policy p;
#define BAD(stmt, field)                                                       \
	do {                                                                   \
		p = ok;                                                        \
		stmt;                                                          \
		assert_int_equal(dd_sla_policy_check(&p, &err), -1);           \
		assert_int_equal(err.status, 400);                             \
		assert_non_null(strstr(err.msg, field));                       \
	} while (0)
	BAD(p.first_response_minutes = 0, "first_response_minutes");
	BAD(p.first_response_minutes = -5, "first_response_minutes");
	BAD(p.first_response_minutes = DD_SLA_MINUTES_MAX + 1,
	    "first_response_minutes");
	BAD(p.resolution_minutes = 0, "resolution_minutes");
	BAD(p.resolution_minutes = DD_SLA_MINUTES_MAX + 1,
	    "resolution_minutes");
	BAD(p.resolution_minutes = 30, "resolution_minutes");
	BAD(p.warn_percent = 0, "warn_percent");
	BAD(p.warn_percent = 100, "warn_percent");
	BAD(p.priority = 5, "priority");
	BAD(p.priority = -1, "priority");
	BAD(p.queue_id = -1, "queue_id");
#undef BAD
	p = ok;
	p.first_response_minutes = p.resolution_minutes = DD_SLA_MINUTES_MAX;
	p.warn_percent = 99;
	p.priority = 4;
	assert_int_equal(dd_sla_policy_check(&p, &err), 0);
}

static void test_dues(void **state)
{
	struct pure *f = *state;
	struct dd_sla_policy p = {.first_response_minutes = 60,
				  .resolution_minutes = 480};
	int64_t r, s;
	/* Friday 27 November 15:30 CET: 30 minutes on Friday, the rest on
	 * Monday. */
	assert_int_equal(
		dd_sla_dues(&f->cal, &p, utc(2026, 11, 27, 14, 30), &r, &s), 0);
	assert_int_equal(r, utc(2026, 11, 30, 7, 30));
	assert_int_equal(s, utc(2026, 11, 30, 14, 30));
	/* From the weekend: Monday 08:00 CET plus the minutes. */
	assert_int_equal(
		dd_sla_dues(&f->cal, &p, utc(2026, 11, 28, 12, 0), &r, &s), 0);
	assert_int_equal(r, utc(2026, 11, 30, 8, 0));
	assert_int_equal(s, utc(2026, 11, 30, 15, 0));
	/* A calendar without business time: no dues. */
	struct dd_calendar none = f->cal;
	none.workdays = 0;
	assert_int_equal(
		dd_sla_dues(&none, &p, utc(2026, 11, 27, 14, 30), &r, &s), -1);
	assert_int_equal(r, 0);
	assert_int_equal(s, 0);
}

static void test_due_after_pause(void **state)
{
	struct pure *f = *state;
	int64_t due = utc(2026, 11, 23, 9, 0); /* Monday 10:00 CET */
	/* Paused Monday 09:00 CET to Tuesday 09:00 CET: 7 h on Monday and
	 * 1 h on Tuesday, so the due moves 8 business hours later:
	 * Tuesday 10:00 CET. */
	assert_int_equal(dd_sla_due_after_pause(&f->cal, due,
						utc(2026, 11, 23, 8, 0),
						utc(2026, 11, 24, 8, 0)),
			 utc(2026, 11, 24, 9, 0));
	/* A pause over the weekend alone moves nothing. */
	int64_t fri = utc(2026, 11, 30, 9, 0);
	assert_int_equal(dd_sla_due_after_pause(&f->cal, fri,
						utc(2026, 11, 27, 16, 0),
						utc(2026, 11, 30, 6, 0)),
			 fri);
	/* Paused after the due (missed already) or at it: stays. */
	assert_int_equal(dd_sla_due_after_pause(&f->cal, due, due,
						utc(2026, 11, 24, 8, 0)),
			 due);
	assert_int_equal(dd_sla_due_after_pause(&f->cal, due, due + MIN,
						utc(2026, 11, 24, 8, 0)),
			 due);
	/* No due, or a pause that ends before it starts. */
	assert_int_equal(dd_sla_due_after_pause(&f->cal, 0,
						utc(2026, 11, 23, 8, 0),
						utc(2026, 11, 24, 8, 0)),
			 0);
	assert_int_equal(dd_sla_due_after_pause(&f->cal, due,
						utc(2026, 11, 23, 8, 0),
						utc(2026, 11, 23, 7, 0)),
			 due);
	/* Ten minutes of pause inside core hours: ten minutes later. */
	assert_int_equal(dd_sla_due_after_pause(&f->cal, due,
						utc(2026, 11, 23, 8, 0),
						utc(2026, 11, 23, 8, 10)),
			 due + 10 * MIN);
}

/* The state of clock c at now. */
static enum dd_sla_state judge(struct pure *f, const struct dd_sla_clock *c,
			       int64_t now, enum dd_sla_target *target,
			       int64_t *due)
{
	struct dd_sla_verdict v;
	dd_sla_evaluate(&f->cal, c, now, &v);
	if (target)
		*target = v.target;
	if (due)
		*due = v.due;
	return v.state;
}

static void test_evaluate(void **state)
{
	struct pure *f = *state;
	enum dd_sla_target target;
	int64_t due;
	/* Created Monday 09:00 CET: response due 10:00 CET, resolution
	 * Tuesday 09:00 CET (60 and 480 minutes), warning at 80 %. */
	const struct dd_sla_clock base = {
		.response_due = utc(2026, 11, 23, 9, 0),
		.resolution_due = utc(2026, 11, 24, 8, 0),
		.response_minutes = 60,
		.resolution_minutes = 480,
		.warn_percent = 80,
	};
	struct dd_sla_clock c = base;
	struct dd_sla_clock none = {0};
	assert_int_equal(
		judge(f, &none, utc(2026, 11, 23, 8, 0), &target, NULL),
		DD_SLA_NONE);
	assert_int_equal(target, DD_SLA_TARGET_NONE);
	/* 20 % of an hour is 12 minutes: warning from 09:48 CET. */
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 8, 0), NULL, NULL),
			 DD_SLA_OK);
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 8, 48) - 1, NULL, NULL),
			 DD_SLA_OK);
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 8, 48), &target, &due),
			 DD_SLA_WARNING);
	assert_int_equal(target, DD_SLA_TARGET_RESPONSE);
	assert_int_equal(due, c.response_due);
	/* At the due: breached. */
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 9, 0), &target, &due),
			 DD_SLA_BREACHED);
	assert_int_equal(target, DD_SLA_TARGET_RESPONSE);
	/* Answered in time: the resolution clock alone; 20 % of 8 h is
	 * 96 min, so its warning starts Monday 15:24 CET. */
	c.first_response_at = utc(2026, 11, 23, 8, 30);
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 9, 30), NULL, NULL),
			 DD_SLA_OK);
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 14, 23), NULL, NULL),
			 DD_SLA_OK);
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 14, 24), &target, &due),
			 DD_SLA_WARNING);
	assert_int_equal(target, DD_SLA_TARGET_RESOLUTION);
	assert_int_equal(due, c.resolution_due);
	/* Overnight the business time left does not shrink. */
	assert_int_equal(judge(f, &c, utc(2026, 11, 24, 5, 0), NULL, NULL),
			 DD_SLA_WARNING);
	assert_int_equal(judge(f, &c, utc(2026, 11, 24, 8, 0), &target, NULL),
			 DD_SLA_BREACHED);
	assert_int_equal(target, DD_SLA_TARGET_RESOLUTION);
	/* Resolved in time: met, for ever after. */
	c.resolved_at = utc(2026, 11, 24, 7, 59);
	assert_int_equal(judge(f, &c, utc(2027, 1, 1, 0, 0), NULL, NULL),
			 DD_SLA_MET);
	/* Answered late: breached even when resolved in time. */
	c.first_response_at = utc(2026, 11, 23, 9, 0) + 1;
	assert_int_equal(judge(f, &c, utc(2027, 1, 1, 0, 0), &target, NULL),
			 DD_SLA_BREACHED);
	assert_int_equal(target, DD_SLA_TARGET_RESPONSE);
	/* Answered exactly at the due is in time. */
	c.first_response_at = utc(2026, 11, 23, 9, 0);
	assert_int_equal(judge(f, &c, utc(2027, 1, 1, 0, 0), NULL, NULL),
			 DD_SLA_MET);
	/* Resolved late. */
	c.resolved_at = utc(2026, 11, 24, 8, 1);
	assert_int_equal(judge(f, &c, utc(2027, 1, 1, 0, 0), &target, NULL),
			 DD_SLA_BREACHED);
	assert_int_equal(target, DD_SLA_TARGET_RESOLUTION);
	/* Resolved without any response: the resolution answers too. */
	c = base;
	c.resolved_at = utc(2026, 11, 23, 8, 50);
	assert_int_equal(judge(f, &c, utc(2026, 11, 25, 0, 0), NULL, NULL),
			 DD_SLA_MET);
	c.resolved_at = utc(2026, 11, 23, 9, 10);
	assert_int_equal(judge(f, &c, utc(2026, 11, 25, 0, 0), &target, NULL),
			 DD_SLA_BREACHED);
	assert_int_equal(target, DD_SLA_TARGET_RESPONSE);
}

static void test_evaluate_pending_and_without_policy(void **state)
{
	struct pure *f = *state;
	struct dd_sla_clock c = {
		.response_due = utc(2026, 11, 23, 9, 0),
		.resolution_due = utc(2026, 11, 24, 8, 0),
		.first_response_at = utc(2026, 11, 23, 8, 10),
		.response_minutes = 60,
		.resolution_minutes = 480,
		.warn_percent = 80,
	};
	/* Pending since Monday 10:00 CET: judged then, however late it is
	 * now (the dues move when the ticket comes back). */
	c.pending_since = utc(2026, 11, 23, 9, 0);
	assert_int_equal(judge(f, &c, utc(2026, 12, 24, 0, 0), NULL, NULL),
			 DD_SLA_OK);
	/* Pending when already in warning, or already breached. */
	c.pending_since = utc(2026, 11, 23, 14, 30);
	assert_int_equal(judge(f, &c, utc(2026, 12, 24, 0, 0), NULL, NULL),
			 DD_SLA_WARNING);
	c.pending_since = utc(2026, 11, 24, 9, 0);
	assert_int_equal(judge(f, &c, utc(2026, 12, 24, 0, 0), NULL, NULL),
			 DD_SLA_BREACHED);
	/* A pending_since in the future (a clock set back) counts now. */
	c.pending_since = utc(2026, 11, 30, 0, 0);
	assert_int_equal(judge(f, &c, utc(2026, 11, 23, 9, 30), NULL, NULL),
			 DD_SLA_OK);
	/* No policy now (it was deleted): no warnings, breaches still. */
	c.pending_since = 0;
	c.response_minutes = c.resolution_minutes = 0;
	assert_int_equal(judge(f, &c, utc(2026, 11, 24, 7, 59), NULL, NULL),
			 DD_SLA_OK);
	assert_int_equal(judge(f, &c, utc(2026, 11, 24, 8, 0), NULL, NULL),
			 DD_SLA_BREACHED);
	/* Only one target set. */
	struct dd_sla_clock one = {.resolution_due = utc(2026, 11, 24, 8, 0),
				   .resolved_at = utc(2026, 11, 24, 7, 0)};
	assert_int_equal(judge(f, &one, utc(2026, 11, 25, 0, 0), NULL, NULL),
			 DD_SLA_MET);
	one.resolved_at = 0;
	assert_int_equal(judge(f, &one, utc(2026, 11, 23, 0, 0), NULL, NULL),
			 DD_SLA_OK);
}

/* ==== against a database ==== */

/* Monday 2026-11-23 08:00 UTC, 09:00 in Berlin. */
#define NOW_MS utc(2026, 11, 23, 8, 0)

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
	int64_t queue, other_queue;
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
#define must(rc, err) must_at((int)(rc), err, __FILE__, __LINE__)

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

static int64_t count2(void **state, const char *sql, int64_t a, const char *b)
{
	struct dd_err err;
	int64_t n = -1;
	struct dd_param p[] = {DD_P_INT(a), DD_P_TEXT(b)};
	must(dd_store_query_int(C(state)->store, sql, p, b ? 2 : 1, &n, &err),
	     &err);
	return n;
}

/* Events of action on ticket id. */
static int64_t ticket_events(void **state, int64_t id, const char *action)
{
	return count2(state,
		      "SELECT COUNT(*) FROM events WHERE object_type = "
		      "'ticket' AND object_id = $1 AND action = $2",
		      id, action);
}

/* Run text with the first n of a and b as $1 and $2. */
static void sql(void **state, const char *text, int n, int64_t a, int64_t b)
{
	struct dd_err err;
	struct dd_param p[] = {DD_P_INT(a), DD_P_INT(b)};
	must(dd_store_exec(C(state)->store, text, p, n, &err), &err);
}

static int64_t count0(void **state, const char *text)
{
	struct dd_err err;
	int64_t n = -1;
	must(dd_store_query_int(C(state)->store, text, NULL, 0, &n, &err),
	     &err);
	return n;
}

static void at(void **state, int64_t ms)
{
	dd_clock_set(&F(state)->clock, ms);
}

static int64_t make_queue(struct fixture *fx, const char *name)
{
	struct dd_err err;
	int64_t id = 0;
	if (dd_store_query_int(fx->ctx.store,
			       "INSERT INTO queues (name, created_at, "
			       "updated_at) VALUES ($1, 0, 0) RETURNING id",
			       (struct dd_param[]){DD_P_TEXT(name)}, 1, &id,
			       &err) < 0) {
		fprintf(stderr, "%s: cannot make a queue: %s\n", fx->engine,
			err.msg);
		return 0;
	}
	return id;
}

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
		char text[256];
		snprintf(text, sizeof(text),
			 "CREATE SCHEMA %s; SET search_path TO %s", fx->schema,
			 fx->schema);
		if (dd_store_exec_script(fx->ctx.store, text, &err) < 0) {
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
	fx->queue = make_queue(fx, "Support management");
	fx->other_queue = make_queue(fx, "Service management");
	return fx->queue && fx->other_queue ? 0 : -1;
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
	if (ut_sqlite_file("/tmp/dd-test-sla-XXXXXX", fx->path,
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
	ut_scratch_name("dd_sla", fx->schema, sizeof(fx->schema));
	return open_ctx(fx);
}

/* Each test: no tickets, no policies, no events, the clock at NOW_MS and
 * an empty arena. */
static int test_setup(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	dd_clock_set(&fx->clock, NOW_MS);
	dd_arena_release(&fx->arena);
	must(dd_store_exec_script(fx->ctx.store,
				  "DELETE FROM search_docs; DELETE FROM "
				  "ticket_search; DELETE FROM "
				  "ticket_tags; DELETE FROM tickets; DELETE "
				  "FROM sla_policies; DELETE FROM holidays; "
				  "DELETE FROM events",
				  &err),
	     &err);
	return 0;
}

static int64_t policy(void **state, int64_t queue, int prio, int first,
		      int resolution)
{
	struct dd_err err;
	struct dd_sla_policy p;
	struct dd_sla_policy_input in = {.queue_id = queue,
					 .queue_set = 1,
					 .priority = prio,
					 .priority_set = 1,
					 .first_response_minutes = first,
					 .first_response_set = 1,
					 .resolution_minutes = resolution,
					 .resolution_set = 1};
	must(dd_sla_policy_create(C(state), &F(state)->actor, &in, &p, &err),
	     &err);
	return p.id;
}

static struct dd_ticket ticket(void **state, int64_t queue, int prio)
{
	struct dd_err err;
	struct dd_ticket t;
	struct dd_ticket_input in = {.subject = "Drucker druckt nicht",
				     .priority = prio,
				     .queue_id = queue,
				     .queue_set = queue != 0};
	must(dd_ticket_create(C(state), &F(state)->actor, &in, &t, &err), &err);
	return t;
}

static struct dd_ticket get(void **state, int64_t id)
{
	struct dd_err err;
	struct dd_ticket t;
	must(dd_ticket_get(C(state), id, &t, &err), &err);
	return t;
}

static struct dd_ticket update(void **state, int64_t id,
			       const struct dd_ticket_input *in)
{
	struct dd_err err;
	struct dd_ticket t;
	must(dd_ticket_update(C(state), &F(state)->actor, id, in, 0, &t, &err),
	     &err);
	return t;
}

static struct dd_ticket set_status(void **state, int64_t id, const char *status)
{
	struct dd_ticket_input in = {.status = status};
	return update(state, id, &in);
}

static struct dd_sla_check_stats check(void **state)
{
	struct dd_err err;
	struct dd_sla_check_stats st;
	must(dd_sla_check(C(state), &F(state)->actor, dd_ctx_now(C(state)),
			  NULL, NULL, &st, &err),
	     &err);
	return st;
}

static void test_policy_store(void **state)
{
	struct fixture *fx = F(state);
	struct dd_err err;
	struct dd_sla_policy p, q;
	struct dd_sla_policy_input in = {.first_response_minutes = 30,
					 .first_response_set = 1,
					 .resolution_minutes = 240,
					 .resolution_set = 1};
	must(dd_sla_policy_create(C(state), &fx->actor, &in, &p, &err), &err);
	assert_int_equal(p.queue_id, 0);
	assert_int_equal(p.priority, 0);
	assert_int_equal(p.warn_percent, 80);
	assert_int_equal(p.version, 1);
	/* The same place again: 409; another place is fine. */
	refused(dd_sla_policy_create(C(state), &fx->actor, &in, &q, &err), &err,
		409);
	assert_non_null(strstr(err.msg, "any queue and any priority"));
	in.priority = 1;
	in.priority_set = 1;
	must(dd_sla_policy_create(C(state), &fx->actor, &in, &q, &err), &err);
	in.queue_id = fx->queue;
	in.queue_set = 1;
	must(dd_sla_policy_create(C(state), &fx->actor, &in, &q, &err), &err);
	refused(dd_sla_policy_create(C(state), &fx->actor, &in, &q, &err), &err,
		409);
	/* A queue that does not exist; missing or bad fields. */
	in.queue_id = 999999;
	refused(dd_sla_policy_create(C(state), &fx->actor, &in, &q, &err), &err,
		400);
	assert_non_null(strstr(err.msg, "queue_id"));
	struct dd_sla_policy_input half = {.first_response_minutes = 5,
					   .first_response_set = 1};
	refused(dd_sla_policy_create(C(state), &fx->actor, &half, &q, &err),
		&err, 400);
	assert_non_null(strstr(err.msg, "resolution_minutes"));
	half = (struct dd_sla_policy_input){.resolution_minutes = 5,
					    .resolution_set = 1};
	refused(dd_sla_policy_create(C(state), &fx->actor, &half, &q, &err),
		&err, 400);
	assert_non_null(strstr(err.msg, "first_response_minutes"));
	/* Update: stale version 412, a taken place 409, then a change. */
	struct dd_sla_policy_input ch = {.warn_percent = 50, .warn_set = 1};
	refused(dd_sla_policy_update(C(state), &fx->actor, p.id, &ch, 7, &q,
				     &err),
		&err, 412);
	struct dd_sla_policy_input clash = {.priority = 1, .priority_set = 1};
	refused(dd_sla_policy_update(C(state), &fx->actor, p.id, &clash, 0, &q,
				     &err),
		&err, 409);
	struct dd_sla_policy_input worse = {.resolution_minutes = 10,
					    .resolution_set = 1};
	refused(dd_sla_policy_update(C(state), &fx->actor, p.id, &worse, 0, &q,
				     &err),
		&err, 400);
	must(dd_sla_policy_update(C(state), &fx->actor, p.id, &ch, 1, &q, &err),
	     &err);
	assert_int_equal(q.warn_percent, 50);
	assert_int_equal(q.version, 2);
	assert_int_equal(q.first_response_minutes, 30);
	/* Updating a policy onto its own place is no clash. */
	struct dd_sla_policy_input same = {.priority = 0, .priority_set = 1};
	must(dd_sla_policy_update(C(state), &fx->actor, p.id, &same, 0, &q,
				  &err),
	     &err);
	struct dd_sla_policy *all;
	int n;
	must(dd_sla_policy_all(C(state), &all, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(all[0].id, p.id);
	/* Delete, then it is gone. */
	must(dd_sla_policy_delete(C(state), &fx->actor, p.id, &err), &err);
	refused(dd_sla_policy_get(C(state), p.id, &q, &err), &err, 404);
	refused(dd_sla_policy_delete(C(state), &fx->actor, p.id, &err), &err,
		404);
	assert_int_equal(count2(state,
				"SELECT COUNT(*) FROM events WHERE "
				"object_type = 'sla_policy' AND object_id = $1",
				p.id, NULL),
			 4); /* create, two updates, delete */
}

static void test_dues_on_create(void **state)
{
	struct fixture *fx = F(state);
	/* No policy: no service level. */
	struct dd_ticket t = ticket(state, fx->queue, 3);
	assert_string_equal(t.sla_state, "none");
	assert_int_equal(t.sla_response_due, 0);
	assert_int_equal(t.sla_resolution_due, 0);
	policy(state, 0, 0, 60, 480);
	policy(state, 0, 1, 15, 240);
	policy(state, fx->queue, 0, 30, 120);
	/* Any queue, priority 3: 60 and 480 min from Monday 09:00 CET. */
	t = ticket(state, fx->other_queue, 3);
	assert_string_equal(t.sla_state, "ok");
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 9, 0));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 24, 8, 0));
	/* Priority 1 anywhere but the queue: 15 and 240. */
	t = ticket(state, 0, 1);
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 8, 15));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 23, 12, 0));
	/* The queue's policy beats the priority's. */
	t = ticket(state, fx->queue, 1);
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 8, 30));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 23, 10, 0));
	/* Friday 15:30 CET: across the weekend, and a holiday on Monday. */
	at(state, utc(2026, 11, 27, 14, 30));
	sql(state,
	    "INSERT INTO holidays (day, name, created_at) VALUES "
	    "('2026-11-30', 'Test holiday', $1)",
	    1, 0, 0);
	t = ticket(state, fx->other_queue, 3);
	assert_int_equal(t.sla_response_due, utc(2026, 12, 1, 7, 30));
	assert_int_equal(t.sla_resolution_due, utc(2026, 12, 1, 14, 30));
	/* Created resolved: met at once. */
	struct dd_err err;
	struct dd_ticket r;
	struct dd_ticket_input in = {.subject = "Solved on the phone",
				     .status = "resolved"};
	must(dd_ticket_create(C(state), &fx->actor, &in, &r, &err), &err);
	assert_string_equal(r.sla_state, "met");
	/* Nothing here was late: no events. */
	assert_int_equal(count0(state, "SELECT COUNT(*) FROM events WHERE "
				       "action LIKE 'ticket.sla.%'"),
			 0);
}

static void test_new_queue_or_priority(void **state)
{
	struct fixture *fx = F(state);
	policy(state, 0, 0, 60, 480);
	policy(state, 0, 1, 15, 240);
	policy(state, fx->queue, 0, 30, 120);
	struct dd_ticket t = ticket(state, fx->other_queue, 3);
	/* Five minutes later it becomes priority 1: dues from the
	 * creation, 09:15 and 13:00 CET. */
	at(state, NOW_MS + 5 * MIN);
	struct dd_ticket_input in = {.priority = 1};
	t = update(state, t.id, &in);
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 8, 15));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 23, 12, 0));
	assert_string_equal(t.sla_state, "ok");
	/* Into the queue: its policy, 09:30 and 11:00 CET. */
	in = (struct dd_ticket_input){.queue_id = fx->queue, .queue_set = 1};
	t = update(state, t.id, &in);
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 8, 30));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 23, 10, 0));
	/* Twenty minutes in, back to priority 1 outside the queue: the
	 * response was due at 09:15 CET, so it is breached now. */
	at(state, NOW_MS + 20 * MIN);
	in = (struct dd_ticket_input){.queue_set = 1, .queue_id = 0};
	t = update(state, t.id, &in);
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 8, 15));
	assert_string_equal(t.sla_state, "breached");
	assert_int_equal(ticket_events(state, t.id, "ticket.sla.breach"), 1);
	/* Priority 4 (any/any again): the response due moves back to 10:00
	 * CET and the state with it; the breach event stays the only one. */
	in = (struct dd_ticket_input){.priority = 4};
	t = update(state, t.id, &in);
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 9, 0));
	assert_string_equal(t.sla_state, "ok");
	/* No policy at all for its place: no service level. */
	struct dd_err err;
	struct dd_sla_policy *all;
	int n;
	must(dd_sla_policy_all(C(state), &all, &n, &err), &err);
	for (int i = 0; i < n; i++)
		must(dd_sla_policy_delete(C(state), &fx->actor, all[i].id,
					  &err),
		     &err);
	in = (struct dd_ticket_input){.priority = 2};
	t = update(state, t.id, &in);
	assert_string_equal(t.sla_state, "none");
	assert_int_equal(t.sla_response_due, 0);
	assert_int_equal(t.sla_resolution_due, 0);
	/* Other changes to a ticket without a service level leave it so. */
	in = (struct dd_ticket_input){.subject = "Printer on fire"};
	t = update(state, t.id, &in);
	assert_string_equal(t.sla_state, "none");
}

static void test_pending_pauses_the_clock(void **state)
{
	policy(state, 0, 0, 60, 480);
	struct dd_ticket t = ticket(state, 0, 3);
	/* The first response at 09:30 CET (as the articles module writes
	 * it), pending at 11:00 CET. */
	sql(state, "UPDATE tickets SET first_response_at = $2 WHERE id = $1", 2,
	    t.id, utc(2026, 11, 23, 8, 30));
	at(state, utc(2026, 11, 23, 10, 0));
	t = set_status(state, t.id, "pending");
	assert_string_equal(t.sla_state, "ok");
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 24, 8, 0));
	/* The next morning the check leaves a pending ticket alone. */
	at(state, utc(2026, 11, 24, 8, 0));
	struct dd_sla_check_stats st = check(state);
	assert_int_equal(st.checked, 0);
	assert_string_equal(get(state, t.id).sla_state, "ok");
	/* Back to open on Tuesday 10:00 CET: pending took Monday
	 * 11:00-16:00 and Tuesday 08:00-10:00 CET, 7 h, so the resolution
	 * is due Tuesday 16:00 CET; the response was given before the
	 * pause and keeps its due. */
	at(state, utc(2026, 11, 24, 9, 0));
	t = set_status(state, t.id, "open");
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 24, 15, 0));
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 9, 0));
	assert_string_equal(t.sla_state, "ok");
	/* The check now sees it again. */
	st = check(state);
	assert_int_equal(st.checked, 1);
	assert_int_equal(st.changed, 0);
}

static void test_pending_then_resolved(void **state)
{
	policy(state, 0, 0, 60, 480);
	struct dd_ticket t = ticket(state, 0, 3);
	/* Pending at 09:30 CET before any response, 30 min before the
	 * response's due and 7.5 business hours before the resolution's.
	 * Resolved on Wednesday 09:00 CET straight from pending: the
	 * response is due 30 min after that, the resolution 7.5 h after
	 * (Thursday 08:30 CET), and both were met. */
	at(state, utc(2026, 11, 23, 8, 30));
	t = set_status(state, t.id, "pending");
	at(state, utc(2026, 11, 25, 8, 0));
	t = set_status(state, t.id, "resolved");
	assert_int_equal(t.sla_response_due, utc(2026, 11, 25, 8, 30));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 26, 7, 30));
	assert_string_equal(t.sla_state, "met");
	/* Reopened on Thursday 07:00 CET: the resolution clock runs again
	 * against its due, with 30 min left of 8 h: a warning at once. */
	at(state, utc(2026, 11, 26, 6, 0));
	t = set_status(state, t.id, "open");
	/* The resolution answered the customer: it stays the first
	 * response, so only the resolution clock runs. */
	assert_int_equal(t.first_response_at, utc(2026, 11, 25, 8, 0));
	assert_string_equal(t.sla_state, "warning");
	assert_int_equal(ticket_events(state, t.id, "ticket.sla.warning"), 1);
	at(state, utc(2026, 11, 26, 7, 30));
	assert_int_equal(check(state).breaches, 1);
	assert_string_equal(get(state, t.id).sla_state, "breached");
}

static void test_pause_then_new_priority(void **state)
{
	policy(state, 0, 0, 60, 480);
	policy(state, 0, 1, 15, 240);
	struct dd_ticket t = ticket(state, 0, 3);
	/* Pending 09:30-12:00 CET: 2.5 h. */
	at(state, utc(2026, 11, 23, 8, 30));
	set_status(state, t.id, "pending");
	at(state, utc(2026, 11, 23, 11, 0));
	t = set_status(state, t.id, "open");
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 11, 30));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 24, 10, 30));
	/* Priority 1 now: its targets from the creation plus the 2.5 h
	 * already paused: 15 min + 2.5 h = 11:45 CET, 4 h + 2.5 h = 15:30
	 * CET. */
	struct dd_ticket_input in = {.priority = 1};
	t = update(state, t.id, &in);
	assert_int_equal(t.sla_response_due, utc(2026, 11, 23, 10, 45));
	assert_int_equal(t.sla_resolution_due, utc(2026, 11, 23, 14, 30));
	/* 12:00 CET is past the new response due. */
	assert_string_equal(t.sla_state, "breached");
}

static void test_check_moves_states_once(void **state)
{
	policy(state, 0, 0, 60, 480);
	struct dd_ticket a = ticket(state, 0, 3);
	struct dd_ticket b = ticket(state, 0, 3);
	/* b answered at 09:10 CET. */
	sql(state, "UPDATE tickets SET first_response_at = $2 WHERE id = $1", 2,
	    b.id, utc(2026, 11, 23, 8, 10));
	at(state, utc(2026, 11, 23, 8, 47));
	struct dd_sla_check_stats st = check(state);
	assert_int_equal(st.checked, 2);
	assert_int_equal(st.changed, 0);
	/* 09:48 CET: a is in warning (12 min left of 60). */
	at(state, utc(2026, 11, 23, 8, 48));
	st = check(state);
	assert_int_equal(st.changed, 1);
	assert_int_equal(st.warnings, 1);
	assert_int_equal(st.breaches, 0);
	assert_string_equal(get(state, a.id).sla_state, "warning");
	assert_string_equal(get(state, b.id).sla_state, "ok");
	st = check(state);
	assert_int_equal(st.changed, 0);
	assert_int_equal(ticket_events(state, a.id, "ticket.sla.warning"), 1);
	/* 10:00 CET: breached, once. */
	at(state, utc(2026, 11, 23, 9, 0));
	st = check(state);
	assert_int_equal(st.breaches, 1);
	assert_string_equal(get(state, a.id).sla_state, "breached");
	at(state, utc(2026, 11, 23, 9, 5));
	st = check(state);
	assert_int_equal(st.checked, 1); /* b only */
	assert_int_equal(st.changed, 0);
	assert_int_equal(ticket_events(state, a.id, "ticket.sla.breach"), 1);
	/* The event says what was missed. */
	struct dd_err err;
	struct dd_rows *rows;
	must(dd_store_query(C(state)->store,
			    "SELECT after_json, actor FROM events WHERE "
			    "object_id = $1 AND action = 'ticket.sla.breach'",
			    (struct dd_param[]){DD_P_INT(a.id)}, 1, &rows,
			    &err),
	     &err);
	assert_int_equal(dd_rows_next(rows, &err), 1);
	const char *after = dd_rows_text(rows, 0);
	assert_non_null(strstr(after, "\"target\":\"first_response\""));
	assert_non_null(strstr(after, "\"due\":\"2026-11-23T09:00:00"));
	assert_non_null(strstr(after, "\"sla_state\":\"breached\""));
	assert_string_equal(dd_rows_text(rows, 1), "test");
	dd_rows_free(rows);
	/* b: resolution warning at 15:24 CET, resolved in time: met. */
	at(state, utc(2026, 11, 23, 14, 24));
	st = check(state);
	assert_int_equal(st.warnings, 1);
	assert_string_equal(get(state, b.id).sla_state, "warning");
	at(state, utc(2026, 11, 23, 14, 30));
	struct dd_ticket t = set_status(state, b.id, "resolved");
	assert_string_equal(t.sla_state, "met");
	/* A late answer on a: still breached; resolving does not help. */
	t = set_status(state, a.id, "resolved");
	assert_string_equal(t.sla_state, "breached");
	assert_int_equal(ticket_events(state, a.id, "ticket.sla.breach"), 1);
	assert_int_equal(ticket_events(state, b.id, "ticket.sla.breach"), 0);
}

/* Every state the check changes is announced on the change counter,
 * also when no event is recorded (the ticket had its warning already),
 * as live streams and the ticket cache follow the counter. */
static void test_check_announces_every_change(void **state)
{
	policy(state, 0, 0, 60, 480);
	struct dd_ticket a = ticket(state, 0, 3);
	at(state, utc(2026, 11, 23, 8, 48));
	assert_int_equal(check(state).warnings, 1);
	assert_string_equal(get(state, a.id).sla_state, "warning");
	/* As after a reopen: the state is ok again, the warning on record. */
	sql(state, "UPDATE tickets SET sla_state = 'ok' WHERE id = $1", 1, a.id,
	    0);
	struct dd_err err;
	int64_t before = 0, after = 0;
	must(dd_change_version(C(state)->store, &before, &err), &err);
	assert_int_equal(check(state).changed, 1);
	assert_string_equal(get(state, a.id).sla_state, "warning");
	assert_int_equal(ticket_events(state, a.id, "ticket.sla.warning"), 1);
	must(dd_change_version(C(state)->store, &after, &err), &err);
	assert_true(after > before);
}

static void test_refresh_after_first_response(void **state)
{
	policy(state, 0, 0, 60, 480);
	struct dd_ticket t = ticket(state, 0, 3);
	at(state, utc(2026, 11, 23, 8, 50));
	check(state);
	assert_string_equal(get(state, t.id).sla_state, "warning");
	/* The articles module writes the first response and refreshes. */
	struct dd_err err;
	must(dd_store_begin(C(state)->store, &err), &err);
	sql(state, "UPDATE tickets SET first_response_at = $2 WHERE id = $1", 2,
	    t.id, utc(2026, 11, 23, 8, 50));
	must(dd_sla_ticket_refresh(C(state), t.id, dd_ctx_now(C(state)), &err),
	     &err);
	must(dd_store_commit(C(state)->store, &err), &err);
	assert_string_equal(get(state, t.id).sla_state, "ok");
	/* Nothing to refresh on a ticket without a service level. */
	sql(state, "DELETE FROM sla_policies", 0, 0, 0);
	struct dd_ticket u = ticket(state, 0, 3);
	must(dd_sla_ticket_refresh(C(state), u.id, dd_ctx_now(C(state)), &err),
	     &err);
	assert_string_equal(get(state, u.id).sla_state, "none");
	refused(dd_sla_ticket_refresh(C(state), 999999, 0, &err), &err, 404);
}

/* Four connections check at the same instant: each ticket's breach is
 * recorded once. */
struct racer {
	struct fixture *fx;
	pthread_barrier_t *start;
	int changed, breaches, failed;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct dd_arena arena;
	struct dd_tz_cache tz;
	struct dd_ctx ctx = r->fx->ctx;
	struct dd_err err;
	struct dd_sla_check_stats st;
	dd_arena_init(&arena, DD_LIMIT_ARENA_BYTES);
	dd_tz_cache_init(&tz);
	ctx.arena = &arena;
	ctx.tz_cache = &tz;
	if (dd_store_open(r->fx->url, &ctx.store, &err) < 0) {
		r->failed = 1;
		pthread_barrier_wait(r->start);
		goto out;
	}
	if (r->fx->schema[0]) {
		char text[128];
		snprintf(text, sizeof(text), "SET search_path TO %s",
			 r->fx->schema);
		if (dd_store_exec_script(ctx.store, text, &err) < 0)
			r->failed = 1;
	}
	pthread_barrier_wait(r->start);
	if (!r->failed && dd_sla_check(&ctx, &r->fx->actor, dd_ctx_now(&ctx),
				       NULL, NULL, &st, &err) < 0) {
		fprintf(stderr, "check failed: %s\n", err.msg);
		r->failed = 1;
	} else if (!r->failed) {
		r->changed = st.changed;
		r->breaches = st.breaches;
	}
	dd_store_close(ctx.store);
out:
	dd_arena_release(&arena);
	dd_tz_cache_release(&tz);
	return NULL;
}

static void test_concurrent_checks(void **state)
{
	enum { TICKETS = 40, RACERS = 4 };
	policy(state, 0, 0, 60, 480);
	int64_t ids[TICKETS];
	for (int i = 0; i < TICKETS; i++)
		ids[i] = ticket(state, 0, 2).id;
	at(state, utc(2026, 11, 23, 9, 30));
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, RACERS);
	struct racer r[RACERS];
	pthread_t th[RACERS];
	for (int i = 0; i < RACERS; i++) {
		r[i] = (struct racer){.fx = F(state), .start = &start};
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	int changed = 0, breaches = 0;
	for (int i = 0; i < RACERS; i++) {
		pthread_join(th[i], NULL);
		assert_false(r[i].failed);
		changed += r[i].changed;
		breaches += r[i].breaches;
	}
	pthread_barrier_destroy(&start);
	assert_int_equal(changed, TICKETS);
	assert_int_equal(breaches, TICKETS);
	for (int i = 0; i < TICKETS; i++) {
		assert_int_equal(
			ticket_events(state, ids[i], "ticket.sla.breach"), 1);
		assert_string_equal(get(state, ids[i]).sla_state, "breached");
	}
}

#define T(f) cmocka_unit_test_setup(f, test_setup)

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_policy_choose),
		cmocka_unit_test(test_policy_check),
		cmocka_unit_test(test_dues),
		cmocka_unit_test(test_due_after_pause),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_evaluate_pending_and_without_policy),
	};
	const struct CMUnitTest store[] = {
		T(test_policy_store),
		T(test_dues_on_create),
		T(test_new_queue_or_priority),
		T(test_pending_pauses_the_clock),
		T(test_pending_then_resolved),
		T(test_pause_then_new_priority),
		T(test_check_moves_states_once),
		T(test_check_announces_every_change),
		T(test_refresh_after_first_response),
		T(test_concurrent_checks),
	};
	int failed = cmocka_run_group_tests_name("sla/pure", pure, pure_setup,
						 pure_teardown);
	failed += cmocka_run_group_tests_name("sla/sqlite", store, sqlite_setup,
					      group_teardown);
	const char *pg = getenv("DUTYDESK_TEST_PG_URL");
	if (pg && *pg)
		failed += cmocka_run_group_tests_name("sla/pg", store, pg_setup,
						      group_teardown);
	else
		printf("sla/pg: skipped, DUTYDESK_TEST_PG_URL is not set\n");
	return failed;
}
