/*
 * test_search_index.c - each ticket's one search document
 * (ticket/search_index.h) and the ranked search over it
 * (ticket/ticket_list.h) against a real database:
 *
 *   - the body rule without a database: documents whole, oldest first,
 *     each after the separator, while the running total stays within
 *     DD_SEARCH_TEXT_MAX; the one that crosses it and every later one
 *     left out;
 *   - every word may be in another document, but a phrase never runs
 *     from the subject into an article, nor from one article into the
 *     next;
 *   - a document written again and a new subject replace the old words;
 *   - past 256 KiB a ticket's later documents are not searchable, and
 *     appending one by one gives the same row as writing it anew;
 *   - a merge moves the source's words to the target;
 *   - a ranked list scores the DD_TICKET_RANK_WINDOW newest matches and
 *     lists the older ones after them, newest first, also across a page
 *     that straddles the window's end; filters apply before the window;
 *   - that window is the same whether PostgreSQL finds it among the
 *     newest id buckets or needs older matches too (fewer than a window
 *     in the newest buckets, or filters that leave fewer), every match
 *     once, also at the edges of the buckets; the search index answers
 *     the buckets' condition;
 *   - migration 10 fills ticket_search from search_docs exactly as
 *     dd_search_index_rebuild writes it, and removes the old index.
 *
 * Runs on SQLite (files in a temporary directory) and, when
 * DUTYDESK_TEST_PG_URL is set, on PostgreSQL (scratch schemas on every
 * connection's search_path, dropped at the end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/tz.h"
#include "store/migrate.h"
#include "store/store.h"
#include "ticket/merge.h"
#include "ticket/search_index.h"
#include "ticket/ticket.h"
#include "ticket/ticket_list.h"
#include "unit/support/fixture.h"

#define ARENA_BYTES (64 * 1024 * 1024)

struct fixture {
	const char *engine;
	char base_url[1024];
	char url[1024];
	char dir[64];	 /* SQLite: the temporary directory */
	char schema[64]; /* PostgreSQL: the scratch schema */
	struct dd_store *store;
	struct dd_config config;
	struct dd_clock clock;
	struct dd_tz_cache tz;
	struct dd_arena arena;
	struct dd_ctx ctx;
	int64_t number; /* the last ticket number handed out */
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

static int is_pg(const struct fixture *fx)
{
	return fx->schema[0] != '\0';
}

/* A connection to url, on schema's search path when there is one. */
static int open_conn(const char *engine, const char *url, const char *schema,
		     struct dd_store **out)
{
	struct dd_err err;
	char sql[128];
	dd_err_clear(&err);
	if (ut_store_open(engine, url, out) < 0)
		return -1;
	if (!schema || !schema[0])
		return 0;
	snprintf(sql, sizeof(sql), "SET search_path TO %s", schema);
	if (dd_store_exec_script(*out, sql, &err) < 0) {
		fprintf(stderr, "pg: %s\n", err.msg);
		dd_store_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
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
	fx->number = 50000;
	return fx;
}

static int start(struct fixture *fx)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (open_conn(fx->engine, fx->url, fx->schema, &fx->store) < 0)
		return -1;
	fx->ctx = (struct dd_ctx){
		.config = &fx->config,
		.clock = &fx->clock,
		.store = fx->store,
		.arena = &fx->arena,
		.tz_cache = &fx->tz,
	};
	if (dd_migrate_run(fx->store, dd_ctx_now(&fx->ctx), NULL, &err) < 0) {
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
	if (ut_sqlite_dir("/tmp/dd_search_XXXXXX", "t.db", fx->dir,
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
	snprintf(fx->base_url, sizeof(fx->base_url), "%s", url);
	if (ut_pg_schema_create(fx->url, "dd_search", fx->schema,
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
	if (fx->dir[0]) {
		char path[128];
		snprintf(path, sizeof(path), "%s/old.db", fx->dir);
		ut_sqlite_remove(path);
		ut_sqlite_remove_dir(fx->dir, "t.db");
	}
	dd_arena_release(&fx->arena);
	dd_tz_cache_release(&fx->tz);
	free(fx);
	return 0;
}

/* A word of letters only, new for every call, so that tests sharing the
 * database find only their own tickets. */
static const char *marker(struct fixture *fx)
{
	static int counter;
	unsigned n = (unsigned)++counter;
	char w[16];
	int i = 0;
	w[i++] = 'q';
	w[i++] = 'x';
	while (i < 8) {
		w[i++] = (char)('a' + n % 26);
		n /= 26;
	}
	w[i] = '\0';
	return dd_arena_strdup(&fx->arena, w);
}

static const char *fmt(struct fixture *fx, const char *f, ...)
	__attribute__((format(printf, 2, 3)));
static const char *fmt(struct fixture *fx, const char *f, ...)
{
	va_list ap;
	char buf[512];
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return dd_arena_strdup(&fx->arena, buf);
}

/* A ticket written straight into the table (no rules, no events) with
 * its subject document; priority 3 unless prio says otherwise; with the
 * id at, or the next one when at is 0. */
static int64_t ticket_row_at(struct fixture *fx, int64_t at,
			     const char *subject, int prio)
{
	struct dd_err err;
	int64_t id = 0;
	dd_err_clear(&err);
	fx->number++;
	must(dd_store_query_int(
		     fx->store,
		     at ? "INSERT INTO tickets (id, number, subject, status, "
			  "priority, channel, created_at, updated_at) VALUES "
			  "($5, $1, $2, 'new', $3, 'api', $4, $4) RETURNING id"
			: "INSERT INTO tickets (number, subject, status, "
			  "priority, channel, created_at, updated_at) VALUES "
			  "($1, $2, 'new', $3, 'api', $4, $4) RETURNING id",
		     (struct dd_param[]){
			     DD_P_INT(fx->number), DD_P_TEXT(subject),
			     DD_P_INT(prio ? prio : 3),
			     DD_P_INT(1795770000000LL), DD_P_INT(at)},
		     at ? 5 : 4, &id, &err),
	     &err);
	must(dd_ticket_index(&fx->ctx, id, "subject", subject, &err), &err);
	return id;
}

static int64_t ticket_row(struct fixture *fx, const char *subject, int prio)
{
	return ticket_row_at(fx, 0, subject, prio);
}

/* The first id of an id bucket (ticket/search_index.h) well above every
 * ticket so far: tickets from there on are in the newest buckets, apart
 * from those of the tests before. */
static int64_t fresh_buckets(struct fixture *fx)
{
	struct dd_err err;
	int64_t max = 0;
	dd_err_clear(&err);
	must(dd_store_query_int(fx->store,
				"SELECT COALESCE(MAX(id), 0) FROM tickets",
				NULL, 0, &max, &err),
	     &err);
	return ((max >> DD_SEARCH_BUCKET_SHIFT) + 64) << DD_SEARCH_BUCKET_SHIFT;
}

static void doc(struct fixture *fx, int64_t ticket, const char *source,
		const char *text)
{
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_ticket_index(&fx->ctx, ticket, source, text, &err), &err);
}

/* The ids q lists (ranked unless extra says otherwise), "12,10", at most
 * limit of them from cursor on. */
static const char *list_page(struct fixture *fx, const char *q,
			     const char *cursor, int limit,
			     const char **next_cursor)
{
	struct dd_ticket_list_req req = {
		.q = q,
		.cursor = cursor,
		.limit = limit,
		.want_total = 0,
	};
	struct dd_ticket_page page;
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_ticket_list(&fx->ctx, &req, &page, &err), &err);
	size_t cap = (size_t)page.count * 24 + 1, len = 0;
	char *out = dd_arena_alloc(&fx->arena, cap);
	assert_non_null(out);
	for (int i = 0; i < page.count; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%lld",
					i ? "," : "",
					(long long)page.items[i].ticket.id);
	if (next_cursor)
		*next_cursor = page.next_cursor;
	return out;
}

static const char *found(struct fixture *fx, const char *q)
{
	return list_page(fx, q, NULL, 500, NULL);
}

static const char *ids(struct fixture *fx, int n, const int64_t *v)
{
	char *out = dd_arena_alloc(&fx->arena, (size_t)n * 24 + 1);
	size_t len = 0;
	assert_non_null(out);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, (size_t)n * 24 + 1 - len,
					"%s%lld", i ? "," : "",
					(long long)v[i]);
	return out;
}

/* Whether the list of ids ("12,10") holds id. */
static int lists(const char *list, int64_t id)
{
	for (const char *p = list; *p;) {
		char *end;
		if (strtoll(p, &end, 10) == id)
			return 1;
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static const char *one(struct fixture *fx, int64_t id)
{
	return ids(fx, 1, &id);
}

/* The ticket's search row as text: its running total and what the
 * engine indexes (SQLite the subject and body, PostgreSQL the
 * tsvector). "" when there is none. */
static const char *search_row(struct fixture *fx, struct dd_store *store,
			      int64_t ticket)
{
	struct dd_rows *rows;
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_store_query(
		     store,
		     dd_store_kind(store) == DD_STORE_SQLITE
			     ? "SELECT text_bytes, subject || '|' || body FROM "
			       "ticket_search WHERE ticket_id = $1"
			     : "SELECT text_bytes, CAST(tsv AS TEXT) FROM "
			       "ticket_search WHERE ticket_id = $1",
		     (struct dd_param[]){DD_P_INT(ticket)}, 1, &rows, &err),
	     &err);
	int rc = dd_rows_next(rows, &err);
	const char *out = "";
	if (rc > 0) {
		const char *text = dd_rows_text(rows, 1);
		size_t n = strlen(text) + 32;
		char *s = dd_arena_alloc(&fx->arena, n);
		assert_non_null(s);
		snprintf(s, n, "%lld:%s", (long long)dd_rows_int(rows, 0),
			 text);
		out = s;
	}
	dd_rows_free(rows);
	must(rc, &err);
	return out;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* n bytes of distinct words ("w0 w1 ...") starting with word, for long
 * documents. */
static char *words(const char *word, size_t n)
{
	char *s = malloc(n + 1);
	size_t len = 0;
	assert_non_null(s);
	len += (size_t)snprintf(s, n + 1, "%s", word);
	for (unsigned i = 0; len < n; i++) {
		char w[16];
		int k = snprintf(w, sizeof(w), " w%u", i);
		if (len + (size_t)k > n)
			break;
		memcpy(s + len, w, (size_t)k);
		len += (size_t)k;
	}
	while (len < n)
		s[len++] = 'x';
	s[len] = '\0';
	return s;
}

/* ---- the body rule, no database ---- */

static void test_body_rule(void **state)
{
	struct dd_buf body;
	int64_t total = 0;
	dd_buf_init(&body, DD_SEARCH_TEXT_MAX);
	assert_int_equal(dd_search_body_add(&body, &total, "abc "), 1);
	assert_string_equal(dd_buf_str(&body), " 0.0 abc ");
	assert_int_equal(total, 4 + DD_SEARCH_DOC_SEPARATOR_LEN);
	/* Up to the limit exactly: the document fits. */
	size_t rest = DD_SEARCH_TEXT_MAX - (size_t)total -
		      DD_SEARCH_DOC_SEPARATOR_LEN;
	char *fill = words("fill", rest);
	assert_int_equal(dd_search_body_add(&body, &total, fill), 1);
	assert_int_equal(total, DD_SEARCH_TEXT_MAX);
	assert_int_equal(body.len, DD_SEARCH_TEXT_MAX);
	assert_false(body.overflow);
	/* One byte more does not, nor does anything after it. */
	assert_int_equal(dd_search_body_add(&body, &total, ""), 0);
	assert_int_equal(dd_search_body_add(&body, &total, "a"), 0);
	assert_int_equal(total, DD_SEARCH_TEXT_MAX +
					2 * DD_SEARCH_DOC_SEPARATOR_LEN + 1);
	assert_int_equal(body.len, DD_SEARCH_TEXT_MAX);
	free(fill);

	/* A document that crosses the limit leaves the small ones after it
	 * out as well: the running total decides, not the room left. */
	dd_buf_reset(&body);
	total = 0;
	char *big = words("big", 200000), *bigger = words("bigger", 70000);
	assert_int_equal(dd_search_body_add(&body, &total, big), 1);
	assert_int_equal(dd_search_body_add(&body, &total, bigger), 0);
	assert_int_equal(dd_search_body_add(&body, &total, "small"), 0);
	assert_int_equal(body.len, 200000 + DD_SEARCH_DOC_SEPARATOR_LEN);
	free(big);
	free(bigger);
	dd_buf_release(&body);
}

/* ---- the index and the search ---- */

static void test_words_and_phrases(void **state)
{
	struct fixture *fx = *state;
	const char *m = marker(fx);
	int64_t id = ticket_row(fx, fmt(fx, "Drucker im Lager %s", m), 0);
	doc(fx, id, "article:1", "Der Toner ist leer");
	doc(fx, id, "article:2", "Mit freundlichen Grüßen, Hans");
	doc(fx, id, "attachment:3", "Störungsbericht.pdf");
	const char *want = one(fx, id);
	/* Every word, each in another document. */
	assert_string_equal(found(fx, fmt(fx, "%s drucker toner hans", m)),
			    want);
	assert_string_equal(found(fx, fmt(fx, "%s stoerungsbericht pdf", m)),
			    want);
	assert_string_equal(found(fx, fmt(fx, "%s drucker kassette", m)), "");
	/* Phrases inside one document. */
	assert_string_equal(found(fx, fmt(fx, "\"toner ist leer\" %s", m)),
			    want);
	assert_string_equal(found(fx, fmt(fx, "\"im lager %s\"", m)), want);
	/* Never from the subject into an article, nor from one article
	 * into the next. */
	assert_string_equal(found(fx, fmt(fx, "\"%s der toner\"", m)), "");
	assert_string_equal(found(fx, fmt(fx, "\"ist leer mit\" %s", m)), "");
	assert_string_equal(
		found(fx, fmt(fx, "\"hans stoerungsbericht\" %s", m)), "");
	/* The separator is no word anyone can search for. */
	assert_string_equal(found(fx, fmt(fx, "%s 0.0", m)), "");
	assert_string_equal(found(fx, fmt(fx, "%s \"0 0\"", m)), "");
}

static void test_replace(void **state)
{
	struct fixture *fx = *state;
	const char *m = marker(fx);
	struct dd_err err;
	struct dd_ticket t;
	struct dd_ticket_input in = {.subject = fmt(fx, "Alter Betreff %s", m)};
	dd_err_clear(&err);
	must(dd_ticket_create(&fx->ctx, &system_actor, &in, &t, &err), &err);
	doc(fx, t.id, "article:7", "zuerst geschrieben");
	doc(fx, t.id, "article:8", "bleibt stehen");
	const char *want = one(fx, t.id);
	assert_string_equal(found(fx, fmt(fx, "%s zuerst bleibt", m)), want);
	/* The same document written again replaces its words. */
	doc(fx, t.id, "article:7", "neu geschrieben");
	assert_string_equal(found(fx, fmt(fx, "%s zuerst", m)), "");
	assert_string_equal(found(fx, fmt(fx, "%s neu bleibt", m)), want);
	/* So does a new subject. */
	struct dd_ticket_input change = {.subject =
						 fmt(fx, "Neuer Titel %s", m)};
	must(dd_ticket_update(&fx->ctx, &system_actor, t.id, &change, 0, &t,
			      &err),
	     &err);
	assert_string_equal(found(fx, fmt(fx, "%s alter", m)), "");
	assert_string_equal(found(fx, fmt(fx, "%s titel neu bleibt", m)), want);
	assert_string_equal(found(fx, fmt(fx, "\"neuer titel %s\"", m)), want);
}

static void test_text_limit(void **state)
{
	struct fixture *fx = *state;
	const char *m = marker(fx);
	int64_t id = ticket_row(fx, fmt(fx, "Langer Verlauf %s", m), 0);
	/* 150,000 + 100,000 bytes fit (with their separators), the third
	 * document crosses 256 KiB, and the small fourth comes after it. */
	char *a = words("anfangswort", 150000);
	char *b = words("mittelwort", 100000);
	char *c = words("grenzwort", 20000);
	doc(fx, id, "article:1", a);
	doc(fx, id, "article:2", b);
	doc(fx, id, "article:3", c);
	doc(fx, id, "article:4", "spaetwort");
	const char *want = one(fx, id);
	assert_string_equal(found(fx, fmt(fx, "%s anfangswort mittelwort", m)),
			    want);
	assert_string_equal(found(fx, fmt(fx, "%s grenzwort", m)), "");
	assert_string_equal(found(fx, fmt(fx, "%s spaetwort", m)), "");
	/* The subject stays searchable whatever the body holds. */
	assert_string_equal(found(fx, fmt(fx, "\"langer verlauf %s\"", m)),
			    want);
	/* Appending one by one gave what writing it anew gives. */
	const char *appended = search_row(fx, fx->store, id);
	/* Every document counts, the ones left out too. */
	assert_true(starts_with(appended, "270029:"));
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_store_begin(fx->store, &err), &err);
	must(dd_search_index_rebuild(&fx->ctx, id, &err), &err);
	must(dd_store_commit(fx->store, &err), &err);
	assert_string_equal(search_row(fx, fx->store, id), appended);
	free(a);
	free(b);
	free(c);
}

static void test_merge(void **state)
{
	struct fixture *fx = *state;
	const char *m = marker(fx);
	struct dd_err err;
	struct dd_ticket source, target, after;
	struct dd_ticket_input in = {.subject = fmt(fx, "Doppelt %s", m)};
	dd_err_clear(&err);
	must(dd_ticket_create(&fx->ctx, &system_actor, &in, &source, &err),
	     &err);
	in.subject = fmt(fx, "Hauptfall %s", m);
	must(dd_ticket_create(&fx->ctx, &system_actor, &in, &target, &err),
	     &err);
	doc(fx, source.id, "article:11", "Quelltext");
	doc(fx, target.id, "article:12", "Zieltext");
	must(dd_ticket_merge(&fx->ctx, &system_actor, source.id, target.id, 0,
			     &after, &err),
	     &err);
	const char *want = one(fx, target.id);
	assert_string_equal(found(fx, fmt(fx, "%s quelltext zieltext", m)),
			    want);
	assert_string_equal(found(fx, fmt(fx, "%s doppelt hauptfall", m)),
			    want);
	assert_string_equal(search_row(fx, fx->store, source.id), "");
}

/* The window: more matches than DD_TICKET_RANK_WINDOW. The three oldest
 * tickets say the word in their subject and would rank first; they are
 * older than the window and come after it, newest first. The window's
 * tickets are in the newest id buckets, 20 ids apart, the
 * three far below: on PostgreSQL the newest buckets hold the window, and
 * only a filter that none of their tickets pass needs the older ones. */
static void test_rank_window(void **state)
{
	struct fixture *fx = *state;
	const char *m = marker(fx);
	int64_t strong[3], weak[3];
	int64_t base = fresh_buckets(fx);
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_store_begin(fx->store, &err), &err);
	for (int i = 0; i < 3; i++)
		strong[i] = ticket_row_at(
			fx, base - (40 << DD_SEARCH_BUCKET_SHIFT) + i,
			fmt(fx, "%s", m), 1);
	for (int i = 0; i < DD_TICKET_RANK_WINDOW; i++) {
		int64_t id = ticket_row_at(fx, base + 20 * i, "Anfrage", 0);
		/* The same text everywhere: equal scores, so the newer
		 * ticket (the higher id) goes first. */
		doc(fx, id, fmt(fx, "article:%d", i),
		    fmt(fx,
			"Im Text steht irgendwo %s, dazu viele andere "
			"Worte, die nichts zur Sache tun",
			m));
		if (i < 3)
			weak[i] = id;
	}
	must(dd_store_commit(fx->store, &err), &err);

	/* The first page is the window's. */
	const char *next;
	const char *page = list_page(fx, m, NULL, 50, &next);
	for (int i = 0; i < 3; i++)
		assert_false(lists(page, strong[i]));
	assert_string_equal(next, "r50");
	/* A page across the window's end: its last two (the oldest weak
	 * ones), then the older matches, newest first. */
	int64_t want[5] = {weak[1], weak[0], strong[2], strong[1], strong[0]};
	assert_string_equal(list_page(fx, m,
				      fmt(fx, "r%d", DD_TICKET_RANK_WINDOW - 2),
				      5, &next),
			    ids(fx, 5, want));
	assert_null(next);
	int64_t across[5] = {weak[2], weak[1], weak[0], strong[2], strong[1]};
	assert_string_equal(list_page(fx, m,
				      fmt(fx, "r%d", DD_TICKET_RANK_WINDOW - 3),
				      5, &next),
			    ids(fx, 5, across));
	assert_string_equal(next, fmt(fx, "r%d", DD_TICKET_RANK_WINDOW + 2));
	/* Past the window only the older matches. */
	assert_string_equal(list_page(fx, m,
				      fmt(fx, "r%d", DD_TICKET_RANK_WINDOW + 1),
				      5, &next),
			    ids(fx, 2, want + 3));
	assert_string_equal(list_page(fx, m,
				      fmt(fx, "r%d", DD_TICKET_RANK_WINDOW + 3),
				      5, &next),
			    "");

	/* Filters choose before the window: of the priority-1 tickets the
	 * three strong ones are all there is, and they are ranked. */
	assert_string_equal(found(fx, fmt(fx, "%s prio:1", m)),
			    ids(fx, 3, want + 2));
	/* Counting sees every match. */
	struct dd_ticket_list_req req = {.q = m, .limit = 1, .want_total = 1};
	struct dd_ticket_page p;
	must(dd_ticket_list(&fx->ctx, &req, &p, &err), &err);
	assert_int_equal(p.total, DD_TICKET_RANK_WINDOW + 3);
	/* A filter that leaves the window one short among the newest: the
	 * newest older match takes the place, and being strong, leads;
	 * the newest weak ticket follows. */
	must(dd_store_exec(fx->store,
			   "UPDATE tickets SET priority = 2 WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(weak[0])}, 1, &err),
	     &err);
	assert_string_equal(
		list_page(fx, fmt(fx, "%s prio:1,3", m), NULL, 2, NULL),
		ids(fx, 2,
		    (int64_t[]){strong[2],
				base + 20 * (DD_TICKET_RANK_WINDOW - 1)}));
}

/*
 * PostgreSQL looks for the window among the matches in the newest
 * DD_TICKET_RANK_BUCKETS id buckets first. Here those hold two matches
 * each, at their first and last id, and so do four buckets before them;
 * a window's worth of matches is older still. The window must be the
 * newest matches whatever their bucket, each once, with the rest after
 * it: the documents are all alike, so the list is every match in id
 * order, newest first, also with a phrase, which is checked apart.
 */
static void test_rank_window_across_buckets(void **state)
{
	struct fixture *fx = *state;
	const char *m = marker(fx);
	const int64_t width = INT64_C(1) << DD_SEARCH_BUCKET_SHIFT;
	const int edged = DD_TICKET_RANK_BUCKETS + 4;
	const int total = DD_TICKET_RANK_WINDOW + 2 * edged;
	int64_t base = fresh_buckets(fx);
	int64_t *want =
		dd_arena_alloc(&fx->arena, (size_t)total * sizeof(*want));
	struct dd_err err;
	int n = 0;
	assert_non_null(want);
	dd_err_clear(&err);
	must(dd_store_begin(fx->store, &err), &err);
	/* Newest first: the edges of the buckets from base on ... */
	for (int b = edged - 1; b >= 0; b--) {
		want[n++] = base + b * width + width - 1;
		want[n++] = base + b * width;
	}
	/* ... and a window's worth below them, over two buckets. */
	for (int i = 0; i < DD_TICKET_RANK_WINDOW; i++)
		want[n++] = base - 7 * (i + 1);
	for (int i = 0; i < n; i++) {
		int64_t id = ticket_row_at(fx, want[i], "Anfrage", 0);
		doc(fx, id, fmt(fx, "article:%d", i),
		    fmt(fx, "Der Fehler steht irgendwo %s, wie immer", m));
	}
	must(dd_store_commit(fx->store, &err), &err);
	const char *all = ids(fx, n, want);

	const char *queries[] = {m, fmt(fx, "\"steht irgendwo %s\"", m)};
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		/* Page by page through the window and past it. */
		const char *cursor = NULL, *next;
		char *got = dd_arena_alloc(&fx->arena, (size_t)total * 24 + 1);
		size_t len = 0;
		assert_non_null(got);
		got[0] = '\0';
		for (int page = 0; page < 4; page++) {
			const char *part =
				list_page(fx, queries[q], cursor, 300, &next);
			len += (size_t)snprintf(
				got + len, (size_t)total * 24 + 1 - len, "%s%s",
				len && *part ? "," : "", part);
			if (!next)
				break;
			cursor = next;
		}
		assert_null(next);
		assert_string_equal(got, all);
	}
	/* Filters that only older tickets pass: the two numbers of the
	 * newest and the oldest of them. */
	int64_t first = fx->number - total + 1;
	assert_string_equal(
		list_page(fx,
			  fmt(fx, "%s number:%lld,%lld", m,
			      (long long)(first + 2 * edged),
			      (long long)(first + total - 1)),
			  NULL, 10, NULL),
		ids(fx, 2, (int64_t[]){want[2 * edged], want[total - 1]}));
}

/* PostgreSQL: the bucket condition the ranked search writes is the
 * second column of the search index (migration 11), so the index
 * answers it rather than every match being fetched to test it. */
static void test_bucket_index(void **state)
{
	struct fixture *fx = *state;
	struct dd_rows *rows;
	struct dd_err err;
	int in_index = 0, rc;
	if (!is_pg(fx))
		skip();
	dd_err_clear(&err);
	must(dd_store_exec_script(fx->store, "SET enable_seqscan = off", &err),
	     &err);
	must(dd_store_query(fx->store,
			    "EXPLAIN SELECT ticket_id FROM ticket_search WHERE"
			    " tsv @@ to_tsquery('simple', 'x') "
			    "AND " DD_SEARCH_PG_BUCKET
			    " && ARRAY[CAST(1 AS BIGINT)]",
			    NULL, 0, &rows, &err),
	     &err);
	while ((rc = dd_rows_next(rows, &err)) > 0) {
		const char *line = dd_rows_text(rows, 0);
		if (strstr(line, "Index Cond:") &&
		    strstr(line, "ARRAY[(ticket_id >> 12)]"))
			in_index = 1;
	}
	dd_rows_free(rows);
	must(rc, &err);
	must(dd_store_exec_script(fx->store, "RESET enable_seqscan", &err),
	     &err);
	assert_true(in_index);
}

/* ---- migration 10 ---- */

/* A database as release 4 left it, beside the fixture's. */
static int old_database(struct fixture *fx, char *url, size_t url_cap,
			char *schema, size_t schema_cap, struct dd_store **out)
{
	schema[0] = '\0';
	if (is_pg(fx)) {
		snprintf(url, url_cap, "%s", fx->base_url);
		if (ut_pg_schema_create(url, "dd_search_old", schema,
					schema_cap) < 0)
			return -1;
	} else {
		snprintf(url, url_cap, "sqlite:%s/old.db", fx->dir);
	}
	return open_conn(fx->engine, url, schema, out);
}

static void test_migration_backfill(void **state)
{
	struct fixture *fx = *state;
	char url[1024], schema[64];
	struct dd_store *old;
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(old_database(fx, url, sizeof(url), schema,
				      sizeof(schema), &old),
			 0);
	must(dd_migrate_run_to(old, 4, dd_ctx_now(&fx->ctx), NULL, &err), &err);

	/* Tickets with documents as release 4 wrote them: folded, one row
	 * each, in search_docs. */
	int64_t t[4];
	char *big = words("grosswort", 200000), *late = words("spaet", 70000);
	for (int i = 0; i < 4; i++)
		must(dd_store_query_int(
			     old,
			     "INSERT INTO tickets (number, subject, status, "
			     "priority, channel, created_at, updated_at) "
			     "VALUES ($1, 'x', 'new', 3, 'api', 0, 0) "
			     "RETURNING id",
			     (struct dd_param[]){DD_P_INT(90000 + i)}, 1, &t[i],
			     &err),
		     &err);
	static const struct {
		int ticket;
		const char *source, *text;
	} docs[] = {
		{0, "subject", "drucker im lager"},
		{0, "article:1", "der toner ist leer "},
		{1, "article:2", "zuerst der artikel"},
		{1, "subject", "betreff danach"},
		{0, "attachment:3", "stoerungsbericht pdf"},
		{2, "subject", "langer verlauf"},
		{2, "article:4", NULL}, /* big */
		{2, "article:5", NULL}, /* late: crosses the limit */
		{2, "article:6", "klein danach"},
		{1, "merged:9", "alter betreff"},
		/* t[3] has none. */
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		const char *text = docs[i].text ? docs[i].text
				   : strcmp(docs[i].source, "article:4") == 0
					   ? big
					   : late;
		must(dd_store_exec(
			     old,
			     "INSERT INTO search_docs (ticket_id, "
			     "source, text) VALUES ($1, $2, $3)",
			     (struct dd_param[]){DD_P_INT(t[docs[i].ticket]),
						 DD_P_TEXT(docs[i].source),
						 DD_P_TEXT(text)},
			     3, &err),
		     &err);
	}
	free(big);
	free(late);

	int applied = 0;
	must(dd_migrate_run(old, dd_ctx_now(&fx->ctx), &applied, &err), &err);
	assert_int_equal(applied, dd_migrate_latest() - 4);

	/* What the migration wrote is what the server writes. */
	struct dd_ctx ctx = fx->ctx;
	ctx.store = old;
	const char *migrated[4];
	for (int i = 0; i < 4; i++)
		migrated[i] = search_row(fx, old, t[i]);
	must(dd_store_begin(old, &err), &err);
	for (int i = 0; i < 4; i++)
		must(dd_search_index_rebuild(&ctx, t[i], &err), &err);
	must(dd_store_commit(old, &err), &err);
	for (int i = 0; i < 4; i++)
		assert_string_equal(search_row(fx, old, t[i]), migrated[i]);
	assert_string_equal(migrated[3], "");
	assert_true(starts_with(migrated[2], "270027:"));
	if (!is_pg(fx)) {
		assert_string_equal(migrated[0],
				    "49:drucker im lager| 0.0 der toner ist "
				    "leer  0.0 stoerungsbericht pdf");
		assert_string_equal(migrated[1], "41:betreff danach| 0.0 "
						 "zuerst der artikel 0.0 "
						 "alter betreff");
	}

	/* And it is searched. */
	ctx.arena = &fx->arena;
	struct dd_ticket_list_req req = {.q = "drucker toner pdf", .limit = 5};
	struct dd_ticket_page page;
	must(dd_ticket_list(&ctx, &req, &page, &err), &err);
	assert_int_equal(page.count, 1);
	assert_int_equal(page.items[0].ticket.id, t[0]);
	req.q = "\"lager der toner\"";
	must(dd_ticket_list(&ctx, &req, &page, &err), &err);
	assert_int_equal(page.count, 0);
	req.q = "grosswort";
	must(dd_ticket_list(&ctx, &req, &page, &err), &err);
	assert_int_equal(page.count, 1);
	req.q = "klein";
	must(dd_ticket_list(&ctx, &req, &page, &err), &err);
	assert_int_equal(page.count, 0);

	/* The index of single documents is gone. */
	int64_t n = -1;
	must(dd_store_query_int(
		     old,
		     is_pg(fx) ? "SELECT COUNT(*) FROM information_schema."
				 "columns WHERE table_schema = "
				 "current_schema() AND table_name = "
				 "'search_docs' AND column_name = 'tsv'"
			       : "SELECT COUNT(*) FROM sqlite_master WHERE "
				 "name LIKE 'search_fts%' OR name LIKE "
				 "'search_docs_a%'",
		     NULL, 0, &n, &err),
	     &err);
	assert_int_equal(n, 0);

	if (schema[0])
		ut_pg_schema_drop(old, schema);
	dd_store_close(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_rule),
		cmocka_unit_test(test_words_and_phrases),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_text_limit),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_rank_window),
		cmocka_unit_test(test_rank_window_across_buckets),
		cmocka_unit_test(test_bucket_index),
		cmocka_unit_test(test_migration_backfill),
	};
	int failed = cmocka_run_group_tests_name("search_index/sqlite", tests,
						 setup_sqlite, teardown);
	if (getenv("DUTYDESK_TEST_PG_URL"))
		failed += cmocka_run_group_tests_name("search_index/pg", tests,
						      setup_pg, teardown);
	return failed;
}
