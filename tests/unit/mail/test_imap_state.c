/*
 * test_imap_state.c - the IMAP poller's claim on a mailbox
 * (mail/imap_state.h), on SQLite and (with DUTYDESK_TEST_PG_URL)
 * PostgreSQL, two connections standing for two instances: one claim at a
 * time, the interval between polls held across instances (or skipped
 * with force), a claim renewed by saving, a crashed instance's claim
 * running out and a late save of the old holder refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/imap_state.h"
#include "store/migrate.h"
#include "store/store.h"
#include "unit/support/fixture.h"

#define T0	    ((int64_t)1795000000000)
#define LEASE	    (5 * 60 * 1000)
#define INTERVAL    (60 * 1000)
#define KEY	    "imap://mail.example user INBOX"
#define ARENA_BYTES (1024 * 1024)

struct fixture {
	const char *engine;
	char url[1024];
	char dir[64];
	char schema[64];
	struct dd_store *a, *b; /* two instances */
	struct dd_clock clock;
	struct dd_log log;
	struct dd_arena arena;
	struct dd_ctx ca, cb;
};

static struct fixture *fixture_new(const char *engine)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return NULL;
	fx->engine = engine;
	dd_clock_init_manual(&fx->clock, T0);
	dd_log_init(&fx->log, stderr, &fx->clock);
	dd_arena_init(&fx->arena, ARENA_BYTES);
	return fx;
}

static int start(struct fixture *fx)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (ut_store_open_in(fx->engine, fx->url, fx->schema, &fx->a) < 0 ||
	    ut_store_open_in(fx->engine, fx->url, fx->schema, &fx->b) < 0)
		return -1;
	if (dd_migrate_run(fx->a, T0, NULL, &err) < 0) {
		fprintf(stderr, "%s: migrate: %s\n", fx->engine, err.msg);
		return -1;
	}
	struct dd_ctx c = {
		.clock = &fx->clock, .log = &fx->log, .arena = &fx->arena};
	fx->ca = c;
	fx->ca.store = fx->a;
	fx->cb = c;
	fx->cb.store = fx->b;
	return 0;
}

static int setup_sqlite(void **state)
{
	struct fixture *fx = fixture_new("sqlite");
	if (!fx)
		return -1;
	*state = fx;
	if (ut_sqlite_dir("/tmp/dd_imapst_XXXXXX", "imap.db", fx->dir,
			  sizeof(fx->dir), fx->url, sizeof(fx->url)) < 0)
		return -1;
	return start(fx);
}

static int setup_pg(void **state)
{
	struct fixture *fx = fixture_new("pg");
	if (!fx)
		return -1;
	*state = fx;
	snprintf(fx->url, sizeof(fx->url), "%s",
		 getenv("DUTYDESK_TEST_PG_URL"));
	if (ut_pg_schema_create(fx->url, "dd_imapst", fx->schema,
				sizeof(fx->schema)) < 0)
		return -1;
	return start(fx);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	if (!fx)
		return 0;
	if (fx->b)
		dd_store_close(fx->b);
	if (fx->a && fx->schema[0])
		ut_pg_schema_drop(fx->a, fx->schema);
	if (fx->a)
		dd_store_close(fx->a);
	if (fx->dir[0])
		ut_sqlite_remove_dir(fx->dir, "imap.db");
	dd_arena_release(&fx->arena);
	dd_log_release(&fx->log);
	free(fx);
	return 0;
}

static int clean(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	dd_clock_set(&fx->clock, T0);
	return dd_store_exec(fx->a, "DELETE FROM mail_imap_state", NULL, 0,
			     &err) < 0
		       ? -1
		       : 0;
}

static int claim(struct dd_ctx *ctx, const char *owner, int force,
		 struct dd_imap_state *st)
{
	struct dd_err err;
	dd_err_clear(&err);
	int rc = dd_imap_state_claim(ctx, KEY, owner, INTERVAL, LEASE, force,
				     st, &err);
	if (rc < 0)
		fail_msg("claim failed: %s", err.msg);
	return rc;
}

static int save(struct dd_ctx *ctx, const char *owner, int64_t v, int64_t uid,
		int *status)
{
	struct dd_err err;
	dd_err_clear(&err);
	int rc = dd_imap_state_save(ctx, KEY, owner, v, uid, LEASE, &err);
	*status = err.status;
	return rc;
}

static void release(struct dd_ctx *ctx, const char *owner, int again)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_imap_state_release(ctx, KEY, owner, again, &err) < 0)
		fail_msg("release failed: %s", err.msg);
}

static void test_one_claim_at_a_time(void **state)
{
	struct fixture *fx = *state;
	struct dd_imap_state st;
	int status;
	assert_int_equal(claim(&fx->ca, "a", 0, &st), 1);
	assert_int_equal(st.uidvalidity, 0);
	assert_int_equal(st.last_uid, 0);
	/* The other instance waits, forced or not. */
	assert_int_equal(claim(&fx->cb, "b", 0, &st), 0);
	assert_int_equal(claim(&fx->cb, "b", 1, &st), 0);
	assert_int_equal(save(&fx->cb, "b", 5, 9, &status), -1);
	assert_int_equal(status, 409);
	assert_int_equal(save(&fx->ca, "a", 5, 9, &status), 0);
	release(&fx->ca, "a", 0);
	/* Not due before the interval, unless forced; the state is kept. */
	dd_clock_advance(&fx->clock, INTERVAL - 1);
	assert_int_equal(claim(&fx->cb, "b", 0, &st), 0);
	assert_int_equal(claim(&fx->cb, "b", 1, &st), 1);
	assert_int_equal(st.uidvalidity, 5);
	assert_int_equal(st.last_uid, 9);
	/* Work left: the next poll is due at once. */
	release(&fx->cb, "b", 1);
	assert_int_equal(claim(&fx->ca, "a", 0, &st), 1);
	release(&fx->ca, "a", 0);
	dd_clock_advance(&fx->clock, INTERVAL);
	assert_int_equal(claim(&fx->cb, "b", 0, &st), 1);
	release(&fx->cb, "b", 0);
}

static void test_crashed_claim_runs_out(void **state)
{
	struct fixture *fx = *state;
	struct dd_imap_state st;
	int status;
	assert_int_equal(claim(&fx->ca, "a", 1, &st), 1);
	/* Saving renews the lease. */
	dd_clock_advance(&fx->clock, LEASE - 1000);
	assert_int_equal(save(&fx->ca, "a", 3, 4, &status), 0);
	dd_clock_advance(&fx->clock, LEASE - 1000);
	assert_int_equal(claim(&fx->cb, "b", 1, &st), 0);
	/* "a" stops saving (it crashed, or hangs): its claim runs out and
	 * "b" goes on from what "a" saved. */
	dd_clock_advance(&fx->clock, 2000);
	assert_int_equal(claim(&fx->cb, "b", 1, &st), 1);
	assert_int_equal(st.last_uid, 4);
	/* "a" wakes up: its saves and its release change nothing. */
	assert_int_equal(save(&fx->ca, "a", 3, 99, &status), -1);
	assert_int_equal(status, 409);
	release(&fx->ca, "a", 0);
	assert_int_equal(save(&fx->cb, "b", 3, 5, &status), 0);
	release(&fx->cb, "b", 0);
	assert_int_equal(claim(&fx->ca, "a", 1, &st), 1);
	assert_int_equal(st.last_uid, 5);
	release(&fx->ca, "a", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_claim_at_a_time, clean),
		cmocka_unit_test_setup(test_crashed_claim_runs_out, clean),
	};
	int failed = cmocka_run_group_tests_name("imap_state/sqlite", tests,
						 setup_sqlite, teardown);
	const char *pg = getenv("DUTYDESK_TEST_PG_URL");
	if (pg && *pg)
		failed += cmocka_run_group_tests_name("imap_state/pg", tests,
						      setup_pg, teardown);
	else
		fprintf(stderr,
			"pg: skipped, DUTYDESK_TEST_PG_URL is not set\n");
	return failed != 0;
}
