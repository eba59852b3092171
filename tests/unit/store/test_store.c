/*
 * test_store.c - the store contract, run against both engines.
 *
 * The same tests run on SQLite (a temporary file) and on PostgreSQL (the
 * URL in DUTYDESK_TEST_PG_URL; the group is skipped when it is unset).
 * The PostgreSQL group works in a scratch schema with a random name, so
 * reruns and parallel runs against one database do not collide, and drops
 * it at the end. A few tests at the end cover what only PostgreSQL does:
 * advisory locks seen from a second connection, a lost connection, a
 * forgotten prepared statement, an aborted transaction.
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

#include "store/store.h"
#include "store/store_int.h"

struct fixture {
	const char *engine; /* "sqlite" or "pg", for messages */
	char url[1024];
	char path[64];	 /* SQLite file, empty for PostgreSQL */
	char schema[64]; /* PostgreSQL scratch schema, empty for SQLite */
	struct dd_store *store;
};

/* Bytes that trip up C strings and text encodings: NULs, 0xff. */
static const unsigned char blob_bytes[] = {0x00, 'b',  'i',  'n',
					   0x00, 0xff, 0x01, 0x00};

static const char *const hostile_texts[] = {
    "O'Brien said \"hello\" `x` \\n 100%s",
    "'; DROP TABLE items; --",
    "Grüße, Jürgen: Ä Ö Ü ä ö ü ß €",
    "",
};

#define N_HOSTILE (sizeof(hostile_texts) / sizeof(hostile_texts[0]))

static struct dd_store *fx_store(void **state)
{
	return ((struct fixture *)*state)->store;
}

static int is_pg(void **state)
{
	return ((struct fixture *)*state)->schema[0] != '\0';
}

static void must(int rc, const struct dd_err *err)
{
	if (rc < 0)
		fail_msg("store call failed: %d %s", err->status, err->msg);
}

/* Run a script or fail the test with the store's message. */
static void script(struct dd_store *store, const char *sql)
{
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_store_exec_script(store, sql, &err), &err);
}

static int64_t count_rows(struct dd_store *store, const char *name)
{
	struct dd_err err;
	struct dd_param p = DD_P_TEXT(name);
	int64_t n = -1;
	dd_err_clear(&err);
	assert_int_equal(dd_store_query_int(store,
					    "SELECT COUNT(*) FROM items "
					    "WHERE name = $1",
					    &p, 1, &n, &err),
			 1);
	return n;
}

static int64_t insert_item(struct dd_store *store, const char *name)
{
	struct dd_err err;
	struct dd_param p = DD_P_TEXT(name);
	int64_t id = 0;
	dd_err_clear(&err);
	int rc = dd_store_query_int(
	    store, "INSERT INTO items (name) VALUES ($1) RETURNING id", &p, 1,
	    &id, &err);
	must(rc, &err);
	assert_int_equal(rc, 1);
	assert_true(id > 0);
	return id;
}

static int create_tables(struct fixture *fx)
{
	const struct dd_store_engine *e = dd_store_engine_of(fx->store);
	char sql[1024];
	struct dd_err err;

	snprintf(sql, sizeof(sql),
		 "CREATE TABLE items (\n"
		 "\tid %s,\n"
		 "\tname TEXT NOT NULL UNIQUE,\n"
		 "\tnote TEXT,\n"
		 "\tdata %s,\n"
		 "\tn BIGINT\n"
		 ");\n"
		 "CREATE TABLE counters (k TEXT PRIMARY KEY, v BIGINT);\n",
		 e->id_column, e->blob_type);
	dd_err_clear(&err);
	if (dd_store_exec_script(fx->store, sql, &err) < 0) {
		fprintf(stderr, "%s: cannot create tables: %s\n", fx->engine,
			err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *fx = *state;
	struct dd_err err;
	char sql[256];

	if (!fx)
		return 0;
	if (fx->store && fx->schema[0]) {
		snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE",
			 fx->schema);
		dd_err_clear(&err);
		if (dd_store_exec_script(fx->store, sql, &err) < 0)
			fprintf(stderr, "pg: cannot drop schema %s: %s\n",
				fx->schema, err.msg);
	}
	dd_store_close(fx->store);
	if (fx->path[0]) {
		char side[80];
		unlink(fx->path);
		snprintf(side, sizeof(side), "%s-wal", fx->path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", fx->path);
		unlink(side);
	}
	free(fx);
	*state = NULL;
	return 0;
}

static int sqlite_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct dd_err err;
	int fd;

	if (!fx)
		return -1;
	*state = fx;
	fx->engine = "sqlite";
	snprintf(fx->path, sizeof(fx->path), "/tmp/dd-test-store-XXXXXX");
	fd = mkstemp(fx->path);
	if (fd < 0) {
		fx->path[0] = '\0';
		perror("mkstemp");
		return -1;
	}
	close(fd);
	snprintf(fx->url, sizeof(fx->url), "sqlite:%s", fx->path);
	dd_err_clear(&err);
	if (dd_store_open(fx->url, &fx->store, &err) < 0) {
		fprintf(stderr, "sqlite: cannot open %s: %s\n", fx->url,
			err.msg);
		return -1;
	}
	return create_tables(fx);
}

/* A name no other run picks: pid, time and a few random bytes. */
static void scratch_name(char *out, size_t cap)
{
	unsigned int r = 0;
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			r = 0;
		close(fd);
	}
	snprintf(out, cap, "dd_test_%ld_%lx_%08x", (long)getpid(),
		 (unsigned long)time(NULL), r);
}

/* Open a connection to the PostgreSQL group's scratch schema. */
static int pg_open_in_schema(const struct fixture *fx, struct dd_store **out,
			     struct dd_err *err)
{
	char sql[256];
	if (dd_store_open(fx->url, out, err) < 0)
		return -1;
	snprintf(sql, sizeof(sql), "SET search_path TO %s", fx->schema);
	if (dd_store_exec_script(*out, sql, err) < 0) {
		dd_store_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int pg_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	const char *url = getenv("DUTYDESK_TEST_PG_URL");
	struct dd_err err;
	char sql[256];

	if (!fx)
		return -1;
	*state = fx;
	fx->engine = "pg";
	snprintf(fx->url, sizeof(fx->url), "%s", url);
	dd_err_clear(&err);
	if (dd_store_open(fx->url, &fx->store, &err) < 0) {
		fprintf(stderr, "pg: cannot open: %s\n", err.msg);
		return -1;
	}
	scratch_name(fx->schema, sizeof(fx->schema));
	snprintf(sql, sizeof(sql), "CREATE SCHEMA %s; SET search_path TO %s",
		 fx->schema, fx->schema);
	if (dd_store_exec_script(fx->store, sql, &err) < 0) {
		fprintf(stderr, "pg: cannot create schema: %s\n", err.msg);
		fx->schema[0] = '\0';
		return -1;
	}
	return create_tables(fx);
}

/* Each test starts from empty tables. */
static int test_setup(void **state)
{
	script(fx_store(state), "DELETE FROM items; DELETE FROM counters");
	return 0;
}

static void test_open_bad_url(void **state)
{
	static const char *const bad[] = {
	    "mysql://localhost/x", "sqlite:", "", "postgresql:/x", "file:x",
	};
	struct dd_store *store;
	struct dd_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dd_err_clear(&err);
		store = (struct dd_store *)&err; /* must be reset to NULL */
		assert_int_equal(dd_store_open(bad[i], &store, &err), -1);
		assert_null(store);
		assert_int_equal(err.status, 400);
		assert_string_equal(err.type, DD_PROBLEM_BAD_REQUEST);
		assert_false(dd_store_url_valid(bad[i]));
	}
	dd_err_clear(&err);
	assert_int_equal(dd_store_open(NULL, &store, &err), -1);
	assert_int_equal(err.status, 400);
}

/* A URL with the right scheme that leads nowhere is 503, not 400. */
static void test_open_unreachable(void **state)
{
	const char *url = is_pg(state) ? "postgresql://nobody@/nodb?host="
					 "/nonexistent-dd-dir&port=1"
				       : "sqlite:/nonexistent-dd-dir/x/y.db";
	struct dd_store *store = NULL;
	struct dd_err err;

	dd_err_clear(&err);
	assert_true(dd_store_url_valid(url));
	assert_int_equal(dd_store_open(url, &store, &err), -1);
	assert_null(store);
	assert_int_equal(err.status, 503);
	assert_string_equal(err.type, DD_PROBLEM_UNAVAILABLE);
	assert_null(strchr(err.msg, '\n'));
	if (is_pg(state))
		assert_non_null(
		    strstr(err.msg, "cannot connect to postgresql: "));
}

static void test_kind(void **state)
{
	assert_int_equal(dd_store_kind(fx_store(state)),
			 is_pg(state) ? DD_STORE_PG : DD_STORE_SQLITE);
}

static void test_exec_script_error(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_store_exec_script(fx_store(state),
					      "CREATE TABLE items (x TEXT)",
					      &err),
			 -1);
	assert_int_equal(err.status, 500);
	assert_non_null(strstr(err.msg, "statement 'CREATE TABLE items"));
	assert_null(strchr(err.msg, '\n'));
}

static void test_roundtrip(void **state)
{
	struct dd_store *store = fx_store(state);
	int64_t ids[N_HOSTILE];
	struct dd_rows *rows = NULL;
	struct dd_err err;

	for (size_t i = 0; i < N_HOSTILE; i++) {
		struct dd_param p[4] = {
		    DD_P_TEXT(hostile_texts[i]),
		    DD_P_TEXT(hostile_texts[(i + 1) % N_HOSTILE]),
		    /* a different blob a row, to tell rows apart */
		    DD_P_BLOB(blob_bytes, sizeof(blob_bytes) - i),
		    DD_P_INT(INT64_MAX - (int64_t)i),
		};
		if (i == 1)
			p[1] = DD_P_NULL;
		if (i == 2)
			p[2] = DD_P_TEXT(NULL); /* binds NULL too */
		if (i == 3)
			p[3] = DD_P_INT(INT64_MIN);
		dd_err_clear(&err);
		int rc = dd_store_query_int(store,
					    "INSERT INTO items "
					    "(name, note, data, n) VALUES "
					    "($1, $2, $3, $4) RETURNING id",
					    p, 4, &ids[i], &err);
		must(rc, &err);
		assert_int_equal(rc, 1);
		if (i > 0)
			assert_true(ids[i] > ids[i - 1]);
	}

	dd_err_clear(&err);
	must(dd_store_query(store,
			    "SELECT id, name, note, data, n FROM items "
			    "ORDER BY id",
			    NULL, 0, &rows, &err),
	     &err);
	assert_int_equal(dd_rows_columns(rows), 5);
	for (size_t i = 0; i < N_HOSTILE; i++) {
		size_t len = 99;
		const void *blob;
		assert_int_equal(dd_rows_next(rows, &err), 1);
		assert_int_equal(dd_rows_int(rows, 0), ids[i]);
		assert_string_equal(dd_rows_text(rows, 1), hostile_texts[i]);
		if (i == 1) {
			assert_true(dd_rows_is_null(rows, 2));
			assert_null(dd_rows_text(rows, 2));
		} else {
			assert_false(dd_rows_is_null(rows, 2));
			assert_string_equal(dd_rows_text(rows, 2),
					    hostile_texts[(i + 1) % N_HOSTILE]);
		}
		blob = dd_rows_blob(rows, 3, &len);
		if (i == 2) {
			assert_true(dd_rows_is_null(rows, 3));
			assert_null(blob);
			assert_int_equal(len, 0);
		} else {
			assert_non_null(blob);
			assert_int_equal(len, sizeof(blob_bytes) - i);
			assert_memory_equal(blob, blob_bytes, len);
			/* A second read of the same cell gives the same. */
			len = 99;
			assert_ptr_equal(dd_rows_blob(rows, 3, &len), blob);
			assert_int_equal(len, sizeof(blob_bytes) - i);
		}
		assert_int_equal(dd_rows_int(rows, 4),
				 i == 3 ? INT64_MIN : INT64_MAX - (int64_t)i);
	}
	assert_int_equal(dd_rows_next(rows, &err), 0);
	assert_int_equal(dd_rows_next(rows, &err), 0);
	dd_rows_free(rows);

	/* The hostile text was data, not SQL. */
	assert_int_equal(count_rows(store, "'; DROP TABLE items; --"), 1);
}

static void test_empty_blob(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_param p[2] = {DD_P_TEXT("empty"), DD_P_BLOB("", 0)};
	struct dd_rows *rows = NULL;
	struct dd_err err;
	size_t len = 99;

	dd_err_clear(&err);
	assert_int_equal(dd_store_exec(store,
				       "INSERT INTO items (name, data) "
				       "VALUES ($1, $2)",
				       p, 2, &err),
			 1);
	must(dd_store_query(store, "SELECT data FROM items WHERE name = $1", p,
			    1, &rows, &err),
	     &err);
	assert_int_equal(dd_rows_next(rows, &err), 1);
	assert_false(dd_rows_is_null(rows, 0));
	assert_non_null(dd_rows_blob(rows, 0, &len));
	assert_int_equal(len, 0);
	dd_rows_free(rows);
}

static void test_exec_changes(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_err err;
	struct dd_param p[2];

	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof(name), "row%d", i);
		p[0] = DD_P_TEXT(name);
		p[1] = DD_P_INT(i);
		dd_err_clear(&err);
		assert_int_equal(dd_store_exec(store,
					       "INSERT INTO items (name, n) "
					       "VALUES ($1, $2)",
					       p, 2, &err),
				 1);
	}
	p[0] = DD_P_TEXT("changed");
	p[1] = DD_P_INT(2);
	assert_int_equal(dd_store_exec(store,
				       "UPDATE items SET note = $1 "
				       "WHERE n >= $2",
				       p, 2, &err),
			 3);
	p[0] = DD_P_INT(100);
	assert_int_equal(
	    dd_store_exec(store, "DELETE FROM items WHERE n >= $1", p, 1, &err),
	    0);
	p[0] = DD_P_INT(4);
	assert_int_equal(
	    dd_store_exec(store, "DELETE FROM items WHERE n >= $1", p, 1, &err),
	    1);
}

static void test_unique_violation(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_param p = DD_P_TEXT("alice");
	struct dd_err err;
	int64_t id = 0;

	insert_item(store, "alice");
	dd_err_clear(&err);
	assert_int_equal(dd_store_query_int(store,
					    "INSERT INTO items (name) VALUES "
					    "($1) RETURNING id",
					    &p, 1, &id, &err),
			 -1);
	assert_int_equal(err.status, 409);
	assert_string_equal(err.type, DD_PROBLEM_CONFLICT);
	assert_non_null(strstr(err.msg, "statement 'INSERT INTO items (name) "
					"VALUES ($1) RETURNING id' failed: "));
	assert_null(strchr(err.msg, '\n'));

	dd_err_clear(&err);
	assert_int_equal(dd_store_exec(store,
				       "INSERT INTO items (name) VALUES ($1)",
				       &p, 1, &err),
			 -1);
	assert_int_equal(err.status, 409);

	/* The connection is still good, and nothing was added. */
	dd_err_clear(&err);
	assert_int_equal(dd_store_ping(store, &err), 0);
	assert_int_equal(count_rows(store, "alice"), 1);
}

static void test_syntax_error(void **state)
{
	struct dd_rows *rows = NULL;
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_store_query(fx_store(state),
					"SELEC name FROM items", NULL, 0, &rows,
					&err),
			 -1);
	assert_int_equal(err.status, 500);
	assert_string_equal(err.type, DD_PROBLEM_STORE);
	assert_non_null(strstr(err.msg, "statement 'SELEC name FROM items'"));
	/* And again: a failed statement is not cached as good. */
	dd_err_clear(&err);
	assert_int_equal(dd_store_query(fx_store(state),
					"SELEC name FROM items", NULL, 0, &rows,
					&err),
			 -1);
	assert_int_equal(err.status, 500);
}

static void test_transactions(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_err err;

	dd_err_clear(&err);
	assert_false(dd_store_in_transaction(store));
	assert_int_equal(dd_store_commit(store, &err), -1);
	dd_store_rollback(store); /* harmless without a transaction */

	must(dd_store_begin(store, &err), &err);
	assert_true(dd_store_in_transaction(store));
	assert_int_equal(dd_store_begin(store, &err), -1); /* no nesting */
	insert_item(store, "kept");
	must(dd_store_commit(store, &err), &err);
	assert_false(dd_store_in_transaction(store));
	assert_int_equal(count_rows(store, "kept"), 1);

	must(dd_store_begin(store, &err), &err);
	insert_item(store, "dropped");
	assert_int_equal(count_rows(store, "dropped"), 1);
	dd_store_rollback(store);
	assert_false(dd_store_in_transaction(store));
	assert_int_equal(count_rows(store, "dropped"), 0);
	assert_int_equal(count_rows(store, "kept"), 1);
}

static void test_lock(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_err err;

	dd_err_clear(&err);
	assert_int_equal(dd_store_lock(store, 42, &err), -1);
	assert_int_equal(err.status, 500);

	must(dd_store_begin(store, &err), &err);
	must(dd_store_lock(store, 42, &err), &err);
	must(dd_store_lock(store, 42, &err), &err); /* re-entrant */
	must(dd_store_lock(store, -7, &err), &err);
	insert_item(store, "locked");
	must(dd_store_commit(store, &err), &err);
	assert_int_equal(count_rows(store, "locked"), 1);
}

static void test_ping(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	assert_int_equal(dd_store_ping(fx_store(state), &err), 0);
	assert_int_equal(dd_store_ping(fx_store(state), &err), 0);
}

/* The same text many times (a cached statement) and two texts taking
 * turns, both as whole calls and with their rows open side by side. */
static void test_cache_and_interleave(void **state)
{
	struct dd_store *store = fx_store(state);
	const char *by_name = "SELECT id FROM items WHERE name = $1";
	const char *by_id = "SELECT name FROM items WHERE id = $1";
	struct dd_rows *a = NULL, *b = NULL;
	struct dd_err err;
	int64_t ids[3];
	char name[16];

	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		ids[i] = insert_item(store, name);
	}
	dd_err_clear(&err);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 3; i++) {
			struct dd_param p, q = DD_P_INT(ids[i]);
			int64_t got = 0;
			snprintf(name, sizeof(name), "n%d", i);
			p = DD_P_TEXT(name);
			assert_int_equal(dd_store_query_int(store, by_name, &p,
							    1, &got, &err),
					 1);
			assert_int_equal(got, ids[i]);
			must(dd_store_query(store, by_id, &q, 1, &a, &err),
			     &err);
			assert_int_equal(dd_rows_next(a, &err), 1);
			assert_string_equal(dd_rows_text(a, 0), name);
			assert_int_equal(dd_rows_next(a, &err), 0);
			dd_rows_free(a);
		}
	}

	must(dd_store_query(store, "SELECT name FROM items ORDER BY id", NULL,
			    0, &a, &err),
	     &err);
	must(dd_store_query(store, "SELECT id FROM items ORDER BY id DESC",
			    NULL, 0, &b, &err),
	     &err);
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		assert_int_equal(dd_rows_next(a, &err), 1);
		assert_int_equal(dd_rows_next(b, &err), 1);
		assert_string_equal(dd_rows_text(a, 0), name);
		assert_int_equal(dd_rows_int(b, 0), ids[2 - i]);
	}
	assert_int_equal(dd_rows_next(a, &err), 0);
	assert_int_equal(dd_rows_next(b, &err), 0);
	dd_rows_free(b);
	dd_rows_free(a);
}

static void test_rows_null(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_rows *rows = NULL;
	struct dd_err err;
	int64_t v = 77;
	size_t len = 99;

	dd_err_clear(&err);
	insert_item(store, "bare");
	struct dd_param p = DD_P_TEXT("bare");
	must(dd_store_query(store,
			    "SELECT note, data, n, name FROM items "
			    "WHERE name = $1",
			    &p, 1, &rows, &err),
	     &err);
	assert_int_equal(dd_rows_next(rows, &err), 1);
	for (int col = 0; col < 3; col++) {
		assert_true(dd_rows_is_null(rows, col));
		assert_int_equal(dd_rows_int(rows, col), 0);
		assert_null(dd_rows_text(rows, col));
		assert_null(dd_rows_blob(rows, col, &len));
		assert_int_equal(len, 0);
	}
	assert_false(dd_rows_is_null(rows, 3));
	dd_rows_free(rows);

	/* A NULL first column reads as "no value". */
	assert_int_equal(dd_store_query_int(store,
					    "SELECT n FROM items "
					    "WHERE name = $1",
					    &p, 1, &v, &err),
			 0);
	assert_int_equal(v, 77);
	/* And so does no row at all. */
	p = DD_P_TEXT("absent");
	assert_int_equal(dd_store_query_int(store,
					    "SELECT n FROM items "
					    "WHERE name = $1",
					    &p, 1, &v, &err),
			 0);
	/* NULL bound as a parameter comes back as NULL. */
	struct dd_param nul = DD_P_NULL;
	must(dd_store_query(store, "SELECT CAST($1 AS TEXT)", &nul, 1, &rows,
			    &err),
	     &err);
	assert_int_equal(dd_rows_next(rows, &err), 1);
	assert_true(dd_rows_is_null(rows, 0));
	assert_null(dd_rows_text(rows, 0));
	dd_rows_free(rows);
}

/* More parameters than fit anyone's small fixed buffer. */
static void test_many_params(void **state)
{
	struct dd_param p[40];
	char sql[1024];
	size_t off;
	struct dd_err err;
	int64_t sum = 0;

	off = (size_t)snprintf(sql, sizeof(sql), "SELECT 0");
	for (int i = 0; i < 40; i++) {
		p[i] = DD_P_INT(i + 1);
		off += (size_t)snprintf(sql + off, sizeof(sql) - off,
					" + CAST($%d AS BIGINT)", i + 1);
	}
	assert_true(off < sizeof(sql));
	dd_err_clear(&err);
	assert_int_equal(
	    dd_store_query_int(fx_store(state), sql, p, 40, &sum, &err), 1);
	assert_int_equal(sum, 40 * 41 / 2);
}

/* More distinct statements than any statement cache holds: the cache
 * grows, then stops growing, and every answer stays right. */
static void test_many_statements(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_param p = DD_P_INT(1000);
	struct dd_err err;
	char sql[96];
	int64_t v;

	dd_err_clear(&err);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 1100; i++) {
			snprintf(sql, sizeof(sql),
				 "SELECT CAST($1 AS BIGINT) + %d /* many */",
				 i);
			v = 0;
			assert_int_equal(
			    dd_store_query_int(store, sql, &p, 1, &v, &err), 1);
			assert_int_equal(v, 1000 + i);
		}
	}
	if (!is_pg(state))
		return;
	/* The map stopped short of 1100: texts past its limit run
	 * unprepared instead of filling the server's memory. */
	assert_int_equal(dd_store_query_int(store,
					    "SELECT COUNT(*) FROM "
					    "pg_prepared_statements WHERE "
					    "statement LIKE '%/* many */%'",
					    NULL, 0, &v, &err),
			 1);
	assert_true(v > 64);
	assert_true(v < 1100);
}

/* PostgreSQL only ------------------------------------------------------ */

static void test_pg_session(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_rows *rows = NULL;
	struct dd_err err;

	dd_err_clear(&err);
	must(dd_store_query(store,
			    "SELECT current_setting('TimeZone'), "
			    "true, false",
			    NULL, 0, &rows, &err),
	     &err);
	assert_int_equal(dd_rows_next(rows, &err), 1);
	assert_string_equal(dd_rows_text(rows, 0), "UTC");
	assert_int_equal(dd_rows_int(rows, 1), 1);
	assert_int_equal(dd_rows_int(rows, 2), 0);
	dd_rows_free(rows);
}

/* Bad input data is the client's fault: 400, not 500. */
static void test_pg_data_exception(void **state)
{
	struct dd_param p = DD_P_TEXT("not a number");
	struct dd_err err;
	int64_t v;

	dd_err_clear(&err);
	assert_int_equal(dd_store_query_int(fx_store(state),
					    "SELECT CAST($1 AS BIGINT)", &p, 1,
					    &v, &err),
			 -1);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, DD_PROBLEM_BAD_REQUEST);
}

/* The advisory lock really excludes another connection until commit. */
static void test_pg_lock_excludes(void **state)
{
	struct fixture *fx = *state;
	const char *try = "SELECT CASE WHEN pg_try_advisory_xact_lock($1) "
			  "THEN 1 ELSE 0 END";
	struct dd_store *other = NULL;
	struct dd_param key = DD_P_INT(4242);
	struct dd_err err;
	int64_t got = -1;

	dd_err_clear(&err);
	must(pg_open_in_schema(fx, &other, &err), &err);
	must(dd_store_begin(fx->store, &err), &err);
	must(dd_store_lock(fx->store, 4242, &err), &err);
	assert_int_equal(dd_store_query_int(other, try, &key, 1, &got, &err),
			 1);
	assert_int_equal(got, 0);
	must(dd_store_commit(fx->store, &err), &err);
	assert_int_equal(dd_store_query_int(other, try, &key, 1, &got, &err),
			 1);
	assert_int_equal(got, 1);
	dd_store_close(other);
}

/* A statement prepared inside a rolled-back transaction stays prepared
 * (prepared statements are not transactional). */
static void test_pg_prepare_in_rollback(void **state)
{
	struct dd_store *store = fx_store(state);
	const char *sql = "SELECT CAST($1 AS BIGINT) * 3";
	struct dd_param p = DD_P_INT(14);
	struct dd_err err;
	int64_t v = 0;

	dd_err_clear(&err);
	must(dd_store_begin(store, &err), &err);
	assert_int_equal(dd_store_query_int(store, sql, &p, 1, &v, &err), 1);
	dd_store_rollback(store);
	v = 0;
	assert_int_equal(dd_store_query_int(store, sql, &p, 1, &v, &err), 1);
	assert_int_equal(v, 42);
}

/* COMMIT after a failed statement: PostgreSQL rolls back and says so only
 * in the command tag; the store must report the failure. */
static void test_pg_commit_after_error(void **state)
{
	struct dd_store *store = fx_store(state);
	struct dd_param p = DD_P_TEXT("twice");
	struct dd_err err;

	dd_err_clear(&err);
	must(dd_store_begin(store, &err), &err);
	insert_item(store, "first");
	assert_int_equal(dd_store_exec(store,
				       "INSERT INTO items (name) VALUES ($1)",
				       &p, 1, &err),
			 1);
	assert_int_equal(dd_store_exec(store,
				       "INSERT INTO items (name) VALUES ($1)",
				       &p, 1, &err),
			 -1);
	assert_int_equal(err.status, 409);
	dd_err_clear(&err);
	assert_int_equal(dd_store_commit(store, &err), -1);
	assert_int_equal(err.status, 500);
	assert_false(dd_store_in_transaction(store));
	assert_int_equal(count_rows(store, "first"), 0);
	assert_int_equal(count_rows(store, "twice"), 0);
}

/* A server that drops the connection: 503 once, then a new session with
 * its statements prepared again. */
static void test_pg_connection_lost(void **state)
{
	struct fixture *fx = *state;
	const char *sql = "SELECT CAST($1 AS BIGINT) + 1";
	struct dd_store *other = NULL;
	struct dd_param p = DD_P_INT(41);
	struct dd_param pid;
	struct dd_err err;
	int64_t v = 0, backend = 0, killed = 0;

	dd_err_clear(&err);
	must(dd_store_open(fx->url, &other, &err), &err);
	assert_int_equal(dd_store_query_int(other, sql, &p, 1, &v, &err), 1);
	assert_int_equal(v, 42);
	assert_int_equal(dd_store_query_int(other, "SELECT pg_backend_pid()",
					    NULL, 0, &backend, &err),
			 1);
	pid = DD_P_INT(backend);
	/* The timeout makes the call wait until the backend is gone. */
	assert_int_equal(dd_store_query_int(fx->store,
					    "SELECT CASE WHEN "
					    "pg_terminate_backend("
					    "CAST($1 AS INTEGER), 5000) "
					    "THEN 1 ELSE 0 END",
					    &pid, 1, &killed, &err),
			 1);
	assert_int_equal(killed, 1);

	dd_err_clear(&err);
	assert_int_equal(dd_store_query_int(other, sql, &p, 1, &v, &err), -1);
	assert_int_equal(err.status, 503);
	assert_string_equal(err.type, DD_PROBLEM_UNAVAILABLE);
	assert_null(strchr(err.msg, '\n'));

	dd_err_clear(&err);
	v = 0;
	must(dd_store_query_int(other, sql, &p, 1, &v, &err), &err);
	assert_int_equal(v, 42);
	assert_int_equal(dd_store_ping(other, &err), 0);
	/* The new session has the settings of the old. */
	struct dd_rows *rows = NULL;
	must(dd_store_query(other, "SELECT current_setting('TimeZone')", NULL,
			    0, &rows, &err),
	     &err);
	assert_int_equal(dd_rows_next(rows, &err), 1);
	assert_string_equal(dd_rows_text(rows, 0), "UTC");
	dd_rows_free(rows);
	dd_store_close(other);
}

/* Inside a transaction a lost connection is not silently replaced. */
static void test_pg_connection_lost_in_tx(void **state)
{
	struct fixture *fx = *state;
	struct dd_store *other = NULL;
	struct dd_param pid;
	struct dd_err err;
	int64_t backend = 0, killed = 0;

	dd_err_clear(&err);
	must(dd_store_open(fx->url, &other, &err), &err);
	assert_int_equal(dd_store_query_int(other, "SELECT pg_backend_pid()",
					    NULL, 0, &backend, &err),
			 1);
	must(dd_store_begin(other, &err), &err);
	pid = DD_P_INT(backend);
	assert_int_equal(dd_store_query_int(fx->store,
					    "SELECT CASE WHEN "
					    "pg_terminate_backend("
					    "CAST($1 AS INTEGER), 5000) "
					    "THEN 1 ELSE 0 END",
					    &pid, 1, &killed, &err),
			 1);
	assert_int_equal(killed, 1);
	assert_int_equal(dd_store_ping(other, &err), -1);
	assert_int_equal(err.status, 503);
	assert_int_equal(dd_store_ping(other, &err), -1); /* still in tx */
	assert_int_equal(err.status, 503);
	dd_store_rollback(other);
	dd_err_clear(&err);
	assert_int_equal(dd_store_ping(other, &err), 0);
	dd_store_close(other);
}

/* Someone ran DEALLOCATE ALL: the map is stale, the call says 503, the
 * next one prepares again. */
static void test_pg_statement_forgotten(void **state)
{
	struct dd_store *store = fx_store(state);
	const char *sql = "SELECT CAST($1 AS BIGINT) - 1";
	struct dd_param p = DD_P_INT(43);
	struct dd_err err;
	int64_t v = 0;

	dd_err_clear(&err);
	assert_int_equal(dd_store_query_int(store, sql, &p, 1, &v, &err), 1);
	script(store, "DEALLOCATE ALL");
	assert_int_equal(dd_store_query_int(store, sql, &p, 1, &v, &err), -1);
	assert_int_equal(err.status, 503);
	v = 0;
	dd_err_clear(&err);
	must(dd_store_query_int(store, sql, &p, 1, &v, &err), &err);
	assert_int_equal(v, 42);
}

#define COMMON_TESTS                                                           \
	cmocka_unit_test(test_open_bad_url),                                   \
	    cmocka_unit_test(test_open_unreachable),                           \
	    cmocka_unit_test(test_kind),                                       \
	    cmocka_unit_test(test_exec_script_error),                          \
	    cmocka_unit_test_setup(test_roundtrip, test_setup),                \
	    cmocka_unit_test_setup(test_empty_blob, test_setup),               \
	    cmocka_unit_test_setup(test_exec_changes, test_setup),             \
	    cmocka_unit_test_setup(test_unique_violation, test_setup),         \
	    cmocka_unit_test_setup(test_syntax_error, test_setup),             \
	    cmocka_unit_test_setup(test_transactions, test_setup),             \
	    cmocka_unit_test_setup(test_lock, test_setup),                     \
	    cmocka_unit_test(test_ping),                                       \
	    cmocka_unit_test_setup(test_cache_and_interleave, test_setup),     \
	    cmocka_unit_test_setup(test_rows_null, test_setup),                \
	    cmocka_unit_test(test_many_params)

int main(void)
{
	/* test_many_statements fills the statement cache, so it runs last. */
	const struct CMUnitTest sqlite_tests[] = {
	    COMMON_TESTS,
	    cmocka_unit_test(test_many_statements),
	};
	const struct CMUnitTest pg_tests[] = {
	    COMMON_TESTS,
	    cmocka_unit_test(test_pg_session),
	    cmocka_unit_test(test_pg_data_exception),
	    cmocka_unit_test_setup(test_pg_lock_excludes, test_setup),
	    cmocka_unit_test(test_pg_prepare_in_rollback),
	    cmocka_unit_test_setup(test_pg_commit_after_error, test_setup),
	    cmocka_unit_test(test_pg_connection_lost),
	    cmocka_unit_test(test_pg_connection_lost_in_tx),
	    cmocka_unit_test(test_pg_statement_forgotten),
	    cmocka_unit_test(test_many_statements),
	};
	int failed;

	failed = cmocka_run_group_tests_name("store/sqlite", sqlite_tests,
					     sqlite_setup, group_teardown);
	if (getenv("DUTYDESK_TEST_PG_URL") && *getenv("DUTYDESK_TEST_PG_URL"))
		failed += cmocka_run_group_tests_name("store/pg", pg_tests,
						      pg_setup, group_teardown);
	else {
		printf("store/pg: skipped, DUTYDESK_TEST_PG_URL is not set\n");
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
