/*
 * test_outbox.c - the durable outbox and its delivery worker, on SQLite
 * and (with DUTYDESK_TEST_PG_URL) PostgreSQL: enqueue only inside a
 * transaction, claims as leases, backoff, the dead state and retry by
 * hand, two connections claiming side by side without ever sharing a
 * row, a commit waking the delivery threads (the doorbell in this
 * process, NOTIFY across instances), and real deliveries: webhooks to an HTTP
 * receiver on loopback that fails and recovers (delivered once), mail through a
 * real Postfix into a Maildir.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "base/wakeup.h"
#include "jobs/delivery.h"
#include "mail/compose.h"
#include "store/event.h"
#include "store/migrate.h"
#include "store/outbox.h"
#include "store/server_key.h"
#include "store/store.h"
#include "support/http_sink.h"
#include "support/postfix.h"
#include "unit/support/fixture.h"

#define T0	    ((int64_t)1795000000000)
#define ARENA_BYTES (4 * 1024 * 1024)
#define RACE_ROWS   200

struct fixture {
	const char *engine;
	char url[1024];
	char dir[64];
	char schema[64];
	struct dd_store *store;
	struct dd_config config;
	struct dd_clock clock;
	struct dd_log log;
	struct dd_arena arena;
	struct dd_ctx ctx;
};

static void must(int rc, const struct dd_err *err)
{
	if (rc < 0)
		fail_msg("call failed: %d %s", err->status, err->msg);
}

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
	dd_clock_init_manual(&fx->clock, T0);
	dd_log_init(&fx->log, stderr, &fx->clock);
	dd_arena_init(&fx->arena, ARENA_BYTES);
	return fx;
}

static int start(struct fixture *fx)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (open_conn(fx, &fx->store) < 0)
		return -1;
	if (dd_migrate_run(fx->store, T0, NULL, &err) < 0) {
		fprintf(stderr, "%s: migrate: %s\n", fx->engine, err.msg);
		return -1;
	}
	fx->ctx.config = &fx->config;
	fx->ctx.clock = &fx->clock;
	fx->ctx.log = &fx->log;
	fx->ctx.store = fx->store;
	fx->ctx.arena = &fx->arena;
	return 0;
}

static int setup_sqlite(void **state)
{
	struct fixture *fx = fixture_new("sqlite");
	if (!fx)
		return -1;
	*state = fx;
	if (ut_sqlite_dir("/tmp/dd_outbox_XXXXXX", "outbox.db", fx->dir,
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
	if (ut_pg_schema_create(fx->url, "dd_outbox", fx->schema,
				sizeof(fx->schema)) < 0)
		return -1;
	return start(fx);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	if (!fx)
		return 0;
	if (fx->store && fx->schema[0])
		ut_pg_schema_drop(fx->store, fx->schema);
	if (fx->store)
		dd_store_close(fx->store);
	if (fx->dir[0])
		ut_sqlite_remove_dir(fx->dir, "outbox.db");
	dd_arena_release(&fx->arena);
	free(fx);
	return 0;
}

/* Each test starts from an empty outbox at T0. */
static int clean(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	dd_clock_set(&fx->clock, T0);
	return dd_store_exec(fx->store, "DELETE FROM outbox", NULL, 0, &err) < 0
		       ? -1
		       : 0;
}

static int64_t enqueue(struct fixture *fx, const char *kind, const char *target,
		       const char *body)
{
	struct dd_err err;
	int64_t id = 0;
	struct dd_outbox_message m = {
		.kind = kind,
		.target = target,
		.body = body,
		.body_len = strlen(body),
		.purpose = "test",
		.ref_type = "ticket",
		.ref_id = 7,
	};
	must(dd_store_begin(fx->store, &err), &err);
	must(dd_outbox_enqueue(fx->store, dd_clock_now(&fx->clock), &m, &id,
			       &err),
	     &err);
	must(dd_store_commit(fx->store, &err), &err);
	return id;
}

static int claim(struct fixture *fx, struct dd_outbox_row *rows, int max)
{
	struct dd_err err;
	int n = 0;
	must(dd_outbox_claim(fx->store, dd_clock_now(&fx->clock), 60000, rows,
			     max, &n, &err),
	     &err);
	return n;
}

static const char *status_of(struct fixture *fx, int64_t id)
{
	static char status[16];
	struct dd_rows *rows = NULL;
	struct dd_err err;
	must(dd_store_query(fx->store,
			    "SELECT status FROM outbox WHERE id = $1",
			    (struct dd_param[]){DD_P_INT(id)}, 1, &rows, &err),
	     &err);
	status[0] = '\0';
	if (dd_rows_next(rows, &err) == 1)
		snprintf(status, sizeof(status), "%s", dd_rows_text(rows, 0));
	dd_rows_free(rows);
	return status;
}

static void test_enqueue_needs_transaction(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	dd_err_clear(&err);
	struct dd_outbox_message m = {.kind = DD_OUTBOX_WEBHOOK,
				      .target = "http://127.0.0.1:9/",
				      .body = "{}",
				      .body_len = 2,
				      .purpose = "test"};
	assert_int_equal(dd_outbox_enqueue(fx->store, T0, &m, NULL, &err), -1);
	assert_int_equal(err.status, 500);
	/* A rolled-back cause sends nothing. */
	must(dd_store_begin(fx->store, &err), &err);
	must(dd_outbox_enqueue(fx->store, T0, &m, NULL, &err), &err);
	dd_store_rollback(fx->store);
	struct dd_outbox_row rows[4];
	assert_int_equal(claim(fx, rows, 4), 0);
}

static void test_claim_is_a_lease(void **state)
{
	struct fixture *fx = *state;
	int64_t id = enqueue(fx, DD_OUTBOX_WEBHOOK, "http://127.0.0.1:9/",
			     "{\"a\":1}");
	struct dd_outbox_row rows[4];
	assert_int_equal(claim(fx, rows, 4), 1);
	assert_int_equal(rows[0].id, id);
	assert_int_equal(rows[0].attempts, 1);
	assert_string_equal(rows[0].body, "{\"a\":1}");
	assert_string_equal(rows[0].ref_type, "ticket");
	dd_outbox_row_release(&rows[0]);
	/* Claimed: nobody else gets it while the lease runs... */
	assert_int_equal(claim(fx, rows, 4), 0);
	assert_string_equal(status_of(fx, id), "sending");
	/* ...and after it ran out (a crashed sender) it is claimed again. */
	dd_clock_advance(&fx->clock, 60001);
	assert_int_equal(claim(fx, rows, 4), 1);
	assert_int_equal(rows[0].attempts, 2);
	dd_outbox_row_release(&rows[0]);
}

static void test_backoff_dead_and_retry(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_outbox_backoff_ms(1), 30000);
	assert_int_equal(dd_outbox_backoff_ms(2), 60000);
	assert_int_equal(dd_outbox_backoff_ms(40), 3600000);
	int64_t id =
		enqueue(fx, DD_OUTBOX_WEBHOOK, "http://127.0.0.1:9/", "{}");
	struct dd_outbox_row rows[2];
	for (int attempt = 1; attempt <= DD_OUTBOX_MAX_ATTEMPTS; attempt++) {
		assert_int_equal(claim(fx, rows, 2), 1);
		assert_int_equal(rows[0].attempts, attempt);
		must(dd_outbox_failed(fx->store, id, rows[0].attempts,
				      dd_clock_now(&fx->clock), "refused", 0,
				      &err),
		     &err);
		dd_outbox_row_release(&rows[0]);
		if (attempt < DD_OUTBOX_MAX_ATTEMPTS) {
			assert_string_equal(status_of(fx, id), "pending");
			/* Not before the backoff has passed. */
			dd_clock_advance(&fx->clock,
					 dd_outbox_backoff_ms(attempt) - 1);
			assert_int_equal(claim(fx, rows, 2), 0);
			dd_clock_advance(&fx->clock, 1);
		}
	}
	assert_string_equal(status_of(fx, id), "dead");
	dd_clock_advance(&fx->clock, 24 * 3600 * 1000LL);
	assert_int_equal(claim(fx, rows, 2), 0);
	/* Retried by hand: due at once, attempts from zero, an event. */
	struct dd_actor actor = {0, "test"};
	must(dd_outbox_retry(fx->store, id, dd_clock_now(&fx->clock), &actor,
			     &err),
	     &err);
	assert_int_equal(claim(fx, rows, 2), 1);
	assert_int_equal(rows[0].attempts, 1);
	must(dd_outbox_delivered(fx->store, id, dd_clock_now(&fx->clock), &err),
	     &err);
	dd_outbox_row_release(&rows[0]);
	assert_string_equal(status_of(fx, id), "delivered");
	assert_int_equal(dd_outbox_retry(fx->store, id, T0, &actor, &err), -1);
	assert_int_equal(err.status, 409);
	assert_int_equal(
		dd_outbox_retry(fx->store, id + 1000, T0, &actor, &err), -1);
	assert_int_equal(err.status, 404);
}

static void test_permanent_failure_is_dead_at_once(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	int64_t id =
		enqueue(fx, DD_OUTBOX_WEBHOOK, "http://127.0.0.1:9/", "{}");
	struct dd_outbox_row rows[1];
	assert_int_equal(claim(fx, rows, 1), 1);
	must(dd_outbox_failed(fx->store, id, 1, T0, "HTTP 404", 1, &err), &err);
	dd_outbox_row_release(&rows[0]);
	assert_string_equal(status_of(fx, id), "dead");
}

struct claimer {
	struct fixture *fx;
	struct dd_store *store;
	pthread_barrier_t *barrier;
	int64_t got[RACE_ROWS];
	int count;
	int failed;
};

static void *claim_all(void *arg)
{
	struct claimer *c = arg;
	struct dd_err err;
	pthread_barrier_wait(c->barrier);
	for (;;) {
		struct dd_outbox_row rows[3];
		int n = 0;
		if (dd_outbox_claim(c->store, T0, 60000, rows, 3, &n, &err) <
		    0) {
			/* SQLite: the other writer held the lock past the
			 * busy timeout; try again. */
			if (err.status == 503)
				continue;
			c->failed = 1;
			break;
		}
		if (n == 0)
			break;
		for (int i = 0; i < n; i++) {
			if (c->count < RACE_ROWS)
				c->got[c->count++] = rows[i].id;
			dd_outbox_row_release(&rows[i]);
		}
	}
	return NULL;
}

static void test_two_claimers_never_share(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	must(dd_store_begin(fx->store, &err), &err);
	for (int i = 0; i < RACE_ROWS; i++) {
		struct dd_outbox_message m = {.kind = DD_OUTBOX_WEBHOOK,
					      .target = "http://127.0.0.1:9/",
					      .body = "{}",
					      .body_len = 2,
					      .purpose = "race"};
		must(dd_outbox_enqueue(fx->store, T0, &m, NULL, &err), &err);
	}
	must(dd_store_commit(fx->store, &err), &err);
	pthread_barrier_t barrier;
	pthread_barrier_init(&barrier, NULL, 2);
	struct claimer c[2];
	pthread_t t[2];
	for (int i = 0; i < 2; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].fx = fx;
		c[i].barrier = &barrier;
		assert_int_equal(open_conn(fx, &c[i].store), 0);
		pthread_create(&t[i], NULL, claim_all, &c[i]);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		dd_store_close(c[i].store);
		assert_false(c[i].failed);
	}
	pthread_barrier_destroy(&barrier);
	assert_int_equal(c[0].count + c[1].count, RACE_ROWS);
	for (int i = 0; i < c[0].count; i++)
		for (int k = 0; k < c[1].count; k++)
			assert_true(c[0].got[i] != c[1].got[k]);
}

/* A new row rings the committing connection's doorbell at commit (never
 * before, never after a rollback), and on PostgreSQL NOTIFYs the
 * delivery threads of every instance, which listen on connections of
 * their own. */
static void test_commit_wakes_delivery(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	struct dd_wakeup bell;
	struct dd_store *listener;
	must(dd_wakeup_init(&bell, &err), &err);
	assert_int_equal(open_conn(fx, &listener), 0);
	/* The first wait sends LISTEN; nothing is waiting yet. */
	assert_true(dd_store_wait_notify(listener, DD_OUTBOX_CHANNEL, NULL, 0,
					 &err) >= 0);
	dd_store_set_wakeup(fx->store, &bell);
	struct dd_outbox_message m = {.kind = DD_OUTBOX_WEBHOOK,
				      .target = "http://127.0.0.1:9/",
				      .body = "{}",
				      .body_len = 2,
				      .purpose = "wake"};
	/* Rolled back: no ring. */
	must(dd_store_begin(fx->store, &err), &err);
	must(dd_outbox_enqueue(fx->store, T0, &m, NULL, &err), &err);
	dd_store_rollback(fx->store);
	assert_int_equal(dd_wakeup_wait(&bell, 0), 0);
	/* Committed: rung after the commit, once however many rows. */
	must(dd_store_begin(fx->store, &err), &err);
	must(dd_outbox_enqueue(fx->store, T0, &m, NULL, &err), &err);
	must(dd_outbox_enqueue(fx->store, T0, &m, NULL, &err), &err);
	assert_int_equal(dd_wakeup_wait(&bell, 0), 0);
	must(dd_store_commit(fx->store, &err), &err);
	assert_int_equal(dd_wakeup_wait(&bell, 0), 1);
	assert_int_equal(dd_wakeup_wait(&bell, 0), 0);
	/* Another connection hears it through the database (PostgreSQL);
	 * SQLite has one process and times out. */
	int heard = dd_store_wait_notify(
		listener, DD_OUTBOX_CHANNEL, NULL,
		strcmp(fx->engine, "pg") == 0 ? 5000 : 50, &err);
	assert_int_equal(heard, strcmp(fx->engine, "pg") == 0 ? 1 : 0);
	/* A ring wakes a waiting listener at once, on both engines. */
	dd_wakeup_signal(&bell);
	assert_int_equal(dd_store_wait_notify(listener, DD_OUTBOX_CHANNEL,
					      &bell, 5000, &err),
			 1);
	assert_int_equal(dd_wakeup_wait(&bell, 0), 0);
	/* A retry by hand rings too. */
	int64_t id =
		enqueue(fx, DD_OUTBOX_WEBHOOK, "http://127.0.0.1:9/", "{}");
	assert_int_equal(dd_wakeup_wait(&bell, 0), 1);
	struct dd_actor admin = {0, "test"};
	must(dd_outbox_retry(fx->store, id, T0, &admin, &err), &err);
	assert_int_equal(dd_wakeup_wait(&bell, 0), 1);
	dd_store_set_wakeup(fx->store, NULL);
	dd_store_close(listener);
	dd_wakeup_release(&bell);
}

static void test_webhook_fails_then_delivered_once(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	struct ut_http_sink *sink;
	int port, sent, failed;
	assert_int_equal(ut_http_sink_start(&sink, &port), 0);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", port);
	int64_t id = enqueue(fx, DD_OUTBOX_WEBHOOK, url, "{\"p1\":true}");
	ut_http_sink_fail_next(sink, 2, 503);
	for (int round = 0; round < 3; round++) {
		must(dd_delivery_round(&fx->ctx, &sent, &failed, &err), &err);
		assert_int_equal(sent, round == 2);
		assert_int_equal(failed, round < 2);
		dd_clock_advance(&fx->clock, dd_outbox_backoff_ms(round + 1));
	}
	/* Nothing is left to send: it went once, after two refusals. */
	must(dd_delivery_round(&fx->ctx, &sent, &failed, &err), &err);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(ut_http_sink_requests(sink), 3);
	assert_int_equal(ut_http_sink_accepted(sink), 1);
	assert_string_equal(status_of(fx, id), "delivered");
	char *body = ut_http_sink_body(sink, 2);
	char *head = ut_http_sink_head(sink, 2);
	assert_string_equal(body, "{\"p1\":true}");
	assert_non_null(strstr(head, "POST /hook HTTP/1.1"));
	assert_non_null(strcasestr(head, "Content-Type: application/json"));
	char delivery[64];
	snprintf(delivery, sizeof(delivery), "X-Dutydesk-Delivery: %lld",
		 (long long)id);
	assert_non_null(strcasestr(head, delivery));
	free(body);
	free(head);
	/* A receiver's 404 is final: dead at once, not retried. */
	ut_http_sink_fail_next(sink, 1, 404);
	int64_t gone = enqueue(fx, DD_OUTBOX_WEBHOOK, url, "{}");
	must(dd_delivery_round(&fx->ctx, &sent, &failed, &err), &err);
	assert_string_equal(status_of(fx, gone), "dead");
	ut_http_sink_stop(sink);
}

static void test_unreachable_receiver_waits(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	int sent, failed;
	/* Port 9 (discard) is closed on loopback: connection refused. */
	int64_t id =
		enqueue(fx, DD_OUTBOX_WEBHOOK, "http://127.0.0.1:9/", "{}");
	must(dd_delivery_round(&fx->ctx, &sent, &failed, &err), &err);
	assert_int_equal(failed, 1);
	assert_string_equal(status_of(fx, id), "pending");
	/* Not a URL we may call: refused for good. */
	int64_t bad =
		enqueue(fx, DD_OUTBOX_WEBHOOK, "file:///etc/passwd", "{}");
	must(dd_delivery_round(&fx->ctx, &sent, &failed, &err), &err);
	assert_string_equal(status_of(fx, bad), "dead");
}

static void test_mail_through_postfix(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	struct ut_postfix pf;
	int sent, failed;
	dd_err_clear(&err);
	/* No relay configured: the mail waits, it is not lost. */
	fx->config.smtp_url[0] = '\0';
	struct dd_mail_attachment att = {"Bericht Störung.txt", "text/plain",
					 "log line\n", 9};
	struct dd_mail_out out = {
		.from = "Support <support@dutydesk.test>",
		.to = "Kunde <kunde@example.org>",
		.subject = "[#10042] Störung behoben – Grüße",
		.text = "Guten Tag,\n\ndie Störung ist behoben.\n",
		.message_id = "t10042.abc@dutydesk.test",
		.date = T0,
		.attachments = &att,
		.attachment_count = 1,
	};
	char *raw;
	size_t len;
	must(dd_mail_compose(&fx->arena, &out, &raw, &len, &err), &err);
	int64_t id = enqueue(fx, DD_OUTBOX_EMAIL, "kunde@example.org", raw);
	must(dd_delivery_round(&fx->ctx, &sent, &failed, &err), &err);
	assert_int_equal(failed, 1);
	assert_string_equal(status_of(fx, id), "pending");

	assert_int_equal(ut_postfix_start(&pf, NULL), 0);
	snprintf(fx->config.smtp_url, sizeof(fx->config.smtp_url),
		 "smtp://127.0.0.1:%d", pf.port);
	dd_clock_advance(&fx->clock, dd_outbox_backoff_ms(1));
	must(dd_delivery_round(&fx->ctx, &sent, &failed, &err), &err);
	assert_int_equal(sent, 1);
	assert_string_equal(status_of(fx, id), "delivered");
	assert_int_equal(ut_postfix_wait(&pf, 1, 10000), 0);
	char *mail = ut_postfix_mail(&pf, 0);
	assert_non_null(mail);
	assert_non_null(
		strcasestr(mail, "Message-ID: <t10042.abc@dutydesk.test>"));
	/* The subject travels RFC 2047-encoded, the name RFC 2231. */
	assert_non_null(strstr(mail, "Subject: [#10042] =?UTF-8?"));
	assert_non_null(strstr(mail, "filename*="));
	assert_non_null(strstr(mail, "Delivered-To: kunde@example.org"));
	free(mail);
	ut_postfix_stop(&pf);
	fx->config.smtp_url[0] = '\0';
}

static void test_server_key_shared_and_signs(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	unsigned char a[DD_SERVER_KEY_BYTES], b[DD_SERVER_KEY_BYTES],
		c[DD_SERVER_KEY_BYTES];
	must(dd_server_key(fx->store, "test.one", a, &err), &err);
	must(dd_server_key(fx->store, "test.one", b, &err), &err);
	must(dd_server_key(fx->store, "test.two", c, &err), &err);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
	char sig[33];
	dd_server_key_sign(a, "ticket 42", 9, sig, 32);
	assert_int_equal(strlen(sig), 32);
	assert_true(dd_server_key_check(a, "ticket 42", 9, sig));
	assert_false(dd_server_key_check(c, "ticket 42", 9, sig));
	assert_false(dd_server_key_check(a, "ticket 43", 9, sig));
	sig[5] = sig[5] == 'a' ? 'b' : 'a';
	assert_false(dd_server_key_check(a, "ticket 42", 9, sig));
	assert_false(dd_server_key_check(a, "ticket 42", 9, ""));
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	dd_mail_library_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_enqueue_needs_transaction, clean),
		cmocka_unit_test_setup(test_claim_is_a_lease, clean),
		cmocka_unit_test_setup(test_backoff_dead_and_retry, clean),
		cmocka_unit_test_setup(test_permanent_failure_is_dead_at_once,
				       clean),
		cmocka_unit_test_setup(test_two_claimers_never_share, clean),
		cmocka_unit_test_setup(test_commit_wakes_delivery, clean),
		cmocka_unit_test_setup(test_webhook_fails_then_delivered_once,
				       clean),
		cmocka_unit_test_setup(test_unreachable_receiver_waits, clean),
		cmocka_unit_test_setup(test_mail_through_postfix, clean),
		cmocka_unit_test_setup(test_server_key_shared_and_signs, clean),
	};
	int failed = cmocka_run_group_tests_name("outbox/sqlite", tests,
						 setup_sqlite, teardown);
	const char *pg = getenv("DUTYDESK_TEST_PG_URL");
	if (pg && *pg)
		failed += cmocka_run_group_tests_name("outbox/pg", tests,
						      setup_pg, teardown);
	else
		fprintf(stderr,
			"pg: skipped, DUTYDESK_TEST_PG_URL is not set\n");
	return failed != 0;
}
