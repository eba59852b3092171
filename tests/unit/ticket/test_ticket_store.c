/*
 * test_ticket_store.c - articles, attachments and merges against a real
 * database: writers on the same tickets at the same instant, each on its
 * own connection and thread, the contact an inbound article is credited
 * to, and the file size limit with the body limits the API tests cannot
 * set:
 *
 *   - two merges of a pair in opposite directions: exactly one wins, the
 *     other gets 409, neither deadlocks;
 *   - two customer mails on a resolved ticket: both are kept, the ticket
 *     is reopened once (one "ticket.update" event), its version rises by
 *     two;
 *   - a phone note and a reply on a fresh ticket at once:
 *     first_response_at is set once;
 *   - the same new file uploaded to two tickets: two attachments, one
 *     blob;
 *   - an inbound article is the ticket contact's unless another is named;
 *   - a file is at most 10 MiB, and never more than the body limit.
 *
 * Runs on SQLite (a file in a temporary directory) and, when
 * DUTYDESK_TEST_PG_URL is set, on PostgreSQL (a scratch schema on every
 * connection's search_path, dropped at the end).
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
#include <unistd.h>

#include <cmocka.h>

#include "base/tz.h"
#include "store/migrate.h"
#include "store/store.h"
#include "unit/support/fixture.h"
#include "ticket/article.h"
#include "ticket/attachment.h"
#include "ticket/merge.h"
#include "ticket/ticket.h"

#define ROUNDS	    8
#define ARENA_BYTES (16 * 1024 * 1024)

struct fixture {
	const char *engine;
	char url[1024];
	char dir[64];	 /* SQLite: the temporary directory */
	char schema[64]; /* PostgreSQL: the scratch schema */
	struct dd_store *setup;
	struct dd_store *racer[2];
	struct dd_config config;
	struct dd_clock clock;
	struct dd_tz_cache tz;
	struct dd_arena arena;
	struct dd_ctx ctx;
	int64_t person;
};

static const struct dd_actor system_actor = {0, "test"};

static void must_at(int rc, const struct dd_err *err, const char *file,
		    int line)
{
	if (rc < 0) {
		print_error("call failed: %d %s\n", err->status, err->msg);
		_fail(file, line);
	}
}
#define must(rc, err) must_at(rc, err, __FILE__, __LINE__)

static int open_conn(struct fixture *fx, struct dd_store **out)
{
	return ut_store_open_in(fx->engine, fx->url, fx->schema, out);
}

static struct fixture *fixture_new(const char *engine)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return NULL;
	fx->engine = engine;
	dd_config_defaults(&fx->config);
	/* Friday 2026-11-27 09:00 UTC. */
	dd_clock_init_manual(&fx->clock, 1795770000000LL);
	dd_tz_cache_init(&fx->tz);
	dd_arena_init(&fx->arena, ARENA_BYTES);
	return fx;
}

static int start(struct fixture *fx)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (open_conn(fx, &fx->setup) < 0 || open_conn(fx, &fx->racer[0]) < 0 ||
	    open_conn(fx, &fx->racer[1]) < 0)
		return -1;
	fx->ctx = (struct dd_ctx){
		.config = &fx->config,
		.clock = &fx->clock,
		.store = fx->setup,
		.arena = &fx->arena,
		.tz_cache = &fx->tz,
	};
	if (dd_migrate_run(fx->setup, dd_ctx_now(&fx->ctx), NULL, &err) < 0 ||
	    dd_store_query_int(fx->setup,
			       "INSERT INTO people (login, name, email, "
			       "created_at, updated_at) VALUES ('racer', "
			       "'Racer', 'racer@example.org', 0, 0) "
			       "RETURNING id",
			       NULL, 0, &fx->person, &err) < 0) {
		fprintf(stderr, "%s: set-up failed: %s\n", fx->engine, err.msg);
		return -1;
	}
	return 0;
}

static int setup_sqlite(void **state)
{
	struct fixture *fx = fixture_new("sqlite");
	if (!fx)
		return -1;
	*state = fx;
	if (ut_sqlite_dir("/tmp/dd_tickets_XXXXXX", "t.db", fx->dir,
			  sizeof(fx->dir), fx->url, sizeof(fx->url)) < 0)
		return -1;
	return start(fx);
}

static int setup_pg(void **state)
{
	const char *url = getenv("DUTYDESK_TEST_PG_URL");
	struct fixture *fx = fixture_new("pg");
	if (!fx)
		return -1;
	*state = fx;
	snprintf(fx->url, sizeof(fx->url), "%s", url);
	if (ut_pg_schema_create(fx->url, "dd_tickets", fx->schema,
				sizeof(fx->schema)) < 0)
		return -1;
	return start(fx);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	if (!fx)
		return 0;
	for (int i = 0; i < 2; i++)
		if (fx->racer[i])
			dd_store_close(fx->racer[i]);
	if (fx->setup && fx->schema[0])
		ut_pg_schema_drop(fx->setup, fx->schema);
	if (fx->setup)
		dd_store_close(fx->setup);
	if (fx->dir[0])
		ut_sqlite_remove_dir(fx->dir, "t.db");
	dd_arena_release(&fx->arena);
	dd_tz_cache_release(&fx->tz);
	free(fx);
	return 0;
}

static struct dd_ticket ticket_new(struct fixture *fx, const char *subject,
				   int64_t contact)
{
	struct dd_ticket t;
	struct dd_err err;
	struct dd_ticket_input in = {.subject = subject,
				     .contact_id = contact,
				     .contact_set = contact != 0};
	dd_err_clear(&err);
	must(dd_ticket_create(&fx->ctx, &system_actor, &in, &t, &err), &err);
	return t;
}

static int64_t count(struct fixture *fx, const char *sql, int64_t id)
{
	struct dd_err err;
	int64_t n = -1;
	dd_err_clear(&err);
	must(dd_store_query_int(fx->setup, sql,
				(struct dd_param[]){DD_P_INT(id)}, 1, &n, &err),
	     &err);
	return n;
}

/* ---- the race machinery: two threads start one job each at once ---- */

enum job { MERGE, ARTICLE, UPLOAD };

struct racer {
	struct fixture *fx;
	struct dd_store *store;
	pthread_barrier_t *barrier;
	enum job job;
	int64_t a, b; /* merge a into b; or the ticket in a */
	const char *kind;
	int rc;
	struct dd_err err;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct dd_arena arena;
	dd_arena_init(&arena, ARENA_BYTES);
	struct dd_ctx ctx = {
		.config = &r->fx->config,
		.clock = &r->fx->clock,
		.store = r->store,
		.arena = &arena,
		.tz_cache = &r->fx->tz,
	};
	struct dd_actor actor = {r->fx->person, "racer"};
	struct dd_article_input in = {
		.kind = r->kind,
		.body = "at the same time",
		.author_id = r->kind && dd_article_kind_inbound(r->kind)
				     ? 0
				     : r->fx->person,
	};
	char type[] = "text/plain";
	dd_err_clear(&r->err);
	pthread_barrier_wait(r->barrier);
	switch (r->job) {
	case MERGE:
		r->rc = dd_ticket_merge(&ctx, &actor, r->a, r->b, 0, NULL,
					&r->err);
		break;
	case ARTICLE:
		r->rc = dd_article_create(&ctx, &actor, r->a, &in, NULL,
					  &r->err);
		break;
	case UPLOAD:
		r->rc = dd_attachment_create(&ctx, &actor, r->a, 0, "same.txt",
					     type, r->kind, strlen(r->kind),
					     NULL, &r->err);
		break;
	}
	dd_arena_release(&arena);
	return NULL;
}

static void run_race(struct racer r[2])
{
	pthread_barrier_t barrier;
	pthread_t t[2];
	pthread_barrier_init(&barrier, NULL, 2);
	for (int i = 0; i < 2; i++) {
		r[i].barrier = &barrier;
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
}

static void test_opposite_merges(void **state)
{
	struct fixture *fx = *state;
	for (int round = 0; round < ROUNDS; round++) {
		int64_t x = ticket_new(fx, "Merge x", 0).id;
		int64_t y = ticket_new(fx, "Merge y", 0).id;
		struct racer r[2] = {
			{.fx = fx, .store = fx->racer[0], .job = MERGE},
			{.fx = fx, .store = fx->racer[1], .job = MERGE},
		};
		r[round % 2].a = x;
		r[round % 2].b = y;
		r[1 - round % 2].a = y;
		r[1 - round % 2].b = x;
		run_race(r);
		int ok = (r[0].rc == 0) + (r[1].rc == 0);
		if (ok != 1)
			fail_msg("%s round %d: %d merges (%d '%s', %d '%s')",
				 fx->engine, round, ok, r[0].err.status,
				 r[0].err.msg, r[1].err.status, r[1].err.msg);
		int w = r[0].rc == 0 ? 0 : 1;
		assert_int_equal(r[1 - w].err.status, 409);
		/* One of the two is merged, into the other. */
		assert_int_equal(count(fx,
				       "SELECT COUNT(*) FROM tickets WHERE id "
				       "= $1 AND merged_into IS NOT NULL",
				       r[w].a),
				 1);
		assert_int_equal(count(fx,
				       "SELECT COUNT(*) FROM tickets WHERE id "
				       "= $1 AND merged_into IS NOT NULL",
				       r[w].b),
				 0);
	}
}

static void test_two_mails_reopen_once(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	dd_err_clear(&err);
	for (int round = 0; round < ROUNDS; round++) {
		struct dd_ticket t = ticket_new(fx, "Reopen race", 0), out;
		struct dd_ticket_input in = {.status = "resolved"};
		must(dd_ticket_update(&fx->ctx, &system_actor, t.id, &in, 0,
				      &out, &err),
		     &err);
		struct racer r[2] = {
			{.fx = fx,
			 .store = fx->racer[0],
			 .job = ARTICLE,
			 .a = t.id,
			 .kind = "inbound_mail"},
			{.fx = fx,
			 .store = fx->racer[1],
			 .job = ARTICLE,
			 .a = t.id,
			 .kind = "web"},
		};
		run_race(r);
		must(r[0].rc, &r[0].err);
		must(r[1].rc, &r[1].err);
		must(dd_ticket_get(&fx->ctx, t.id, &t, &err), &err);
		assert_string_equal(t.status, "open");
		assert_int_equal(t.version, out.version + 2);
		assert_int_equal(count(fx,
				       "SELECT COUNT(*) FROM events WHERE "
				       "object_type = 'ticket' AND object_id = "
				       "$1 AND action = 'ticket.update'",
				       t.id),
				 2); /* resolved by hand, reopened once */
	}
}

static void test_first_response_once(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	dd_err_clear(&err);
	for (int round = 0; round < ROUNDS; round++) {
		struct dd_ticket t = ticket_new(fx, "First response race", 0);
		struct racer r[2] = {
			{.fx = fx,
			 .store = fx->racer[0],
			 .job = ARTICLE,
			 .a = t.id,
			 .kind = "phone_note"},
			{.fx = fx,
			 .store = fx->racer[1],
			 .job = ARTICLE,
			 .a = t.id,
			 .kind = "outbound_reply"},
		};
		run_race(r);
		must(r[0].rc, &r[0].err);
		must(r[1].rc, &r[1].err);
		must(dd_ticket_get(&fx->ctx, t.id, &t, &err), &err);
		assert_true(t.first_response_at > 0);
		assert_int_equal(count(fx,
				       "SELECT COUNT(*) FROM events WHERE "
				       "object_type = 'ticket' AND object_id = "
				       "$1 AND action = 'ticket.update'",
				       t.id),
				 1);
	}
}

static void test_same_file_twice(void **state)
{
	struct fixture *fx = *state;
	for (int round = 0; round < ROUNDS; round++) {
		int64_t x = ticket_new(fx, "Upload x", 0).id;
		int64_t y = ticket_new(fx, "Upload y", 0).id;
		char text[64];
		snprintf(text, sizeof(text), "%s round %d", fx->engine, round);
		struct racer r[2] = {
			{.fx = fx,
			 .store = fx->racer[0],
			 .job = UPLOAD,
			 .a = x,
			 .kind = text},
			{.fx = fx,
			 .store = fx->racer[1],
			 .job = UPLOAD,
			 .a = y,
			 .kind = text},
		};
		run_race(r);
		must(r[0].rc, &r[0].err);
		must(r[1].rc, &r[1].err);
		char hash[DD_ATTACHMENT_HASH_LEN];
		struct dd_err err;
		int64_t n = -1;
		dd_attachment_hash(text, strlen(text), hash);
		dd_err_clear(&err);
		must(dd_store_query_int(fx->setup,
					"SELECT COUNT(*) FROM blobs WHERE "
					"hash = $1",
					(struct dd_param[]){DD_P_TEXT(hash)}, 1,
					&n, &err),
		     &err);
		assert_int_equal(n, 1);
		assert_int_equal(count(fx,
				       "SELECT COUNT(*) FROM attachments WHERE "
				       "ticket_id = $1",
				       x),
				 1);
	}
}

static void test_inbound_contact(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	struct dd_article a;
	int64_t c1 = 0, c2 = 0;
	dd_err_clear(&err);
	must(dd_store_query_int(fx->setup,
				"INSERT INTO contacts (name, created_at, "
				"updated_at) VALUES ('Eva Kunde', 0, 0) "
				"RETURNING id",
				NULL, 0, &c1, &err),
	     &err);
	must(dd_store_query_int(fx->setup,
				"INSERT INTO contacts (name, created_at, "
				"updated_at) VALUES ('Max Kollege', 0, 0) "
				"RETURNING id",
				NULL, 0, &c2, &err),
	     &err);
	struct dd_ticket t = ticket_new(fx, "From a contact", c1);
	struct dd_article_input in = {.kind = "inbound_mail", .body = "Hallo"};
	must(dd_article_create(&fx->ctx, &system_actor, t.id, &in, &a, &err),
	     &err);
	assert_int_equal(a.author_contact_id, c1);
	assert_int_equal(a.author_id, 0);
	in.author_contact_id = c2;
	must(dd_article_create(&fx->ctx, &system_actor, t.id, &in, &a, &err),
	     &err);
	assert_int_equal(a.author_contact_id, c2);
	in.author_contact_id = c2 + 1000;
	assert_int_equal(
		dd_article_create(&fx->ctx, &system_actor, t.id, &in, &a, &err),
		-1);
	assert_int_equal(err.status, 400);
	/* Without a ticket contact, nobody. */
	struct dd_ticket u = ticket_new(fx, "From nobody", 0);
	in.author_contact_id = 0;
	must(dd_article_create(&fx->ctx, &system_actor, u.id, &in, &a, &err),
	     &err);
	assert_int_equal(a.author_contact_id, 0);
	/* The article reads back as it was written. */
	struct dd_article back;
	must(dd_article_get(&fx->ctx, a.id, &back, &err), &err);
	assert_string_equal(back.body, "Hallo");
	assert_string_equal(back.kind, "inbound_mail");
	assert_int_equal(dd_article_get(&fx->ctx, a.id + 1000, &back, &err),
			 -1);
	assert_int_equal(err.status, 404);
}

static void test_attachment_size(void **state)
{
	struct fixture *fx = *state;
	struct dd_attachment a;
	struct dd_err err;
	struct dd_buf back;
	char type[] = "application/octet-stream";
	size_t max = DD_LIMIT_ATTACHMENT_BYTES;
	char *big = malloc(max + 1);
	assert_non_null(big);
	for (size_t i = 0; i <= max; i++)
		big[i] = (char)(i * 7);
	int64_t id = ticket_new(fx, "Big files", 0).id;
	dd_err_clear(&err);

	/* With the largest body limit, the file limit is 10 MiB. */
	fx->config.max_body = DD_LIMIT_BODY_MAX;
	assert_int_equal(dd_attachment_max_bytes(&fx->ctx), max);
	assert_int_equal(dd_attachment_create(&fx->ctx, &system_actor, id, 0,
					      "big.bin", type, big, max + 1,
					      NULL, &err),
			 -1);
	assert_int_equal(err.status, 413);
	must(dd_attachment_create(&fx->ctx, &system_actor, id, 0, "big.bin",
				  type, big, max, &a, &err),
	     &err);
	assert_int_equal(a.size, max);
	dd_buf_init(&back, DD_LIMIT_RESPONSE_BYTES);
	must(dd_attachment_get(&fx->ctx, a.id, &a, &back, &err), &err);
	assert_int_equal(back.len, max);
	assert_memory_equal(back.data, big, max);
	dd_buf_release(&back);

	/* With the default body limit, 1 MiB. */
	fx->config.max_body = DD_LIMIT_BODY_DEFAULT;
	assert_int_equal(dd_attachment_max_bytes(&fx->ctx),
			 DD_LIMIT_BODY_DEFAULT);
	assert_int_equal(dd_attachment_create(&fx->ctx, &system_actor, id, 0,
					      "big.bin", type, big,
					      DD_LIMIT_BODY_DEFAULT + 1, NULL,
					      &err),
			 -1);
	assert_int_equal(err.status, 413);
	assert_non_null(strstr(err.msg, "1048576"));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opposite_merges),
		cmocka_unit_test(test_two_mails_reopen_once),
		cmocka_unit_test(test_first_response_once),
		cmocka_unit_test(test_same_file_twice),
		cmocka_unit_test(test_inbound_contact),
		cmocka_unit_test(test_attachment_size),
	};
	int failed = cmocka_run_group_tests_name("ticket_store/sqlite", tests,
						 setup_sqlite, teardown);
	if (getenv("DUTYDESK_TEST_PG_URL"))
		failed += cmocka_run_group_tests_name("ticket_store/pg", tests,
						      setup_pg, teardown);
	return failed;
}
