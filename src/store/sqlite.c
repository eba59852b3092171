/*
 * sqlite.c - the embedded engine: one file, WAL mode, one connection per
 * worker thread.
 *
 * Prepared statements are cached per connection by SQL text. A statement
 * whose rows are still open when the same SQL is run again (a nested use)
 * is not reused: a fresh, uncached statement serves the inner use.
 */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statements a connection keeps prepared; a few hundred distinct queries
 * is far more than dutydesk runs, so eviction is not needed. */
#define STMT_CACHE_SLOTS 512
/* How long a writer waits for the one write lock before giving up. */
#define BUSY_TIMEOUT_MS 5000

struct cached_stmt {
	char *sql;
	sqlite3_stmt *stmt;
	int busy;
};

struct sqlite_store {
	struct dd_store base;
	sqlite3 *db;
	int64_t changes;
	struct cached_stmt cache[STMT_CACHE_SLOTS];
};

struct sqlite_rows {
	struct dd_rows base;
	sqlite3_stmt *stmt;
	struct cached_stmt *slot; /* NULL for an uncached statement */
	const char *sql;
	int done;
};

static struct sqlite_store *S(struct dd_store *store)
{
	return (struct sqlite_store *)store;
}

static uint64_t hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int fail(struct sqlite_store *st, const char *sql, int rc,
		struct dd_err *err)
{
	char what[96];
	int primary = rc & 0xff;
	int status = 500;
	const char *type = DD_PROBLEM_STORE;
	dd_store_describe_sql(sql, what, sizeof(what));
	if (primary == SQLITE_CONSTRAINT) {
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
		    rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
			status = 409;
			type = DD_PROBLEM_CONFLICT;
		} else {
			status = 400;
			type = DD_PROBLEM_BAD_REQUEST;
		}
	} else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
		status = 503;
		type = DD_PROBLEM_UNAVAILABLE;
	} else if (primary == SQLITE_TOOBIG || primary == SQLITE_MISMATCH) {
		status = 400;
		type = DD_PROBLEM_BAD_REQUEST;
	}
	return dd_err_set(err, status, type, "statement '%s' failed: %s", what,
			  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
}

static int sqlite_open(const char *url, struct dd_store **out,
		       struct dd_err *err)
{
	const char *path = url + strlen("sqlite:");
	struct sqlite_store *st = calloc(1, sizeof(*st));
	if (!st)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	int rc = sqlite3_open_v2(path, &st->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
			   "cannot open sqlite database '%s': %s", path,
			   st->db ? sqlite3_errmsg(st->db)
				  : sqlite3_errstr(rc));
		sqlite3_close(st->db);
		free(st);
		return -1;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	char *msg = NULL;
	rc = sqlite3_exec(st->db,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			  "PRAGMA synchronous=NORMAL;",
			  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
			   "cannot set up sqlite database '%s': %s", path,
			   msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(st->db);
		free(st);
		return -1;
	}
	*out = &st->base;
	return 0;
}

static void sqlite_close(struct dd_store *store)
{
	struct sqlite_store *st = S(store);
	for (int i = 0; i < STMT_CACHE_SLOTS; i++) {
		if (st->cache[i].stmt)
			sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
	}
	sqlite3_close(st->db);
	free(st);
}

/* Find or prepare the statement for sql; *slot is NULL when the statement
 * is not cached (the cache is full or the cached one is in use). */
static int prepare(struct sqlite_store *st, const char *sql,
		   sqlite3_stmt **stmt, struct cached_stmt **slot,
		   struct dd_err *err)
{
	uint64_t h = hash_sql(sql);
	struct cached_stmt *free_slot = NULL;
	for (int probe = 0; probe < STMT_CACHE_SLOTS; probe++) {
		struct cached_stmt *c =
			&st->cache[(h + (uint64_t)probe) % STMT_CACHE_SLOTS];
		if (!c->sql) {
			free_slot = c;
			break;
		}
		if (strcmp(c->sql, sql) == 0) {
			if (c->busy)
				break;
			*stmt = c->stmt;
			*slot = c;
			c->busy = 1;
			return 0;
		}
	}
	int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
	if (rc != SQLITE_OK)
		return fail(st, sql, rc, err);
	*slot = NULL;
	if (free_slot) {
		free_slot->sql = strdup(sql);
		if (free_slot->sql) {
			free_slot->stmt = *stmt;
			free_slot->busy = 1;
			*slot = free_slot;
		}
	}
	return 0;
}

static void release_stmt(sqlite3_stmt *stmt, struct cached_stmt *slot)
{
	if (slot) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		slot->busy = 0;
	} else {
		sqlite3_finalize(stmt);
	}
}

static int bind_params(struct sqlite_store *st, sqlite3_stmt *stmt,
		       const char *sql, const struct dd_param *params, int n,
		       struct dd_err *err)
{
	/* Walk the statement's parameters ("$3" may come before "$1" and
	 * appear twice, sharing one index) and bind each to its number. */
	int count = sqlite3_bind_parameter_count(stmt);
	for (int idx = 1; idx <= count; idx++) {
		const char *name = sqlite3_bind_parameter_name(stmt, idx);
		int i = name && name[0] == '$' ? atoi(name + 1) - 1 : -1;
		if (i < 0 || i >= n)
			return dd_err_set(err, 500, DD_PROBLEM_STORE,
					  "statement uses parameter '%s' but "
					  "only %d were given",
					  name ? name : "?", n);
		int rc;
		const struct dd_param *p = &params[i];
		switch (p->type) {
		case DD_PARAM_INT:
			rc = sqlite3_bind_int64(stmt, idx, p->i);
			break;
		case DD_PARAM_TEXT:
			rc = sqlite3_bind_text(stmt, idx, p->s, -1,
					       SQLITE_STATIC);
			break;
		case DD_PARAM_BLOB:
			rc = sqlite3_bind_blob64(stmt, idx, p->s ? p->s : "",
						 p->len, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(stmt, idx);
			break;
		}
		if (rc != SQLITE_OK)
			return fail(st, sql, rc, err);
	}
	return 0;
}

static int sqlite_query(struct dd_store *store, const char *sql,
			const struct dd_param *params, int n,
			struct dd_rows **out, struct dd_err *err)
{
	struct sqlite_store *st = S(store);
	sqlite3_stmt *stmt = NULL;
	struct cached_stmt *slot = NULL;
	if (prepare(st, sql, &stmt, &slot, err) < 0)
		return -1;
	if (bind_params(st, stmt, sql, params, n, err) < 0) {
		release_stmt(stmt, slot);
		return -1;
	}
	struct sqlite_rows *rows = calloc(1, sizeof(*rows));
	if (!rows) {
		release_stmt(stmt, slot);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	}
	rows->base.store = store;
	rows->stmt = stmt;
	rows->slot = slot;
	rows->sql = slot ? slot->sql : NULL;
	st->changes = 0;
	*out = &rows->base;
	return 0;
}

static int64_t sqlite_changes(struct dd_store *store)
{
	return S(store)->changes;
}

static int sqlite_exec_script(struct dd_store *store, const char *sql,
			      struct dd_err *err)
{
	struct sqlite_store *st = S(store);
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		char what[96];
		dd_store_describe_sql(sql, what, sizeof(what));
		int primary = rc & 0xff;
		dd_err_set(err,
			   primary == SQLITE_BUSY || primary == SQLITE_LOCKED
				   ? 503
				   : 500,
			   primary == SQLITE_BUSY || primary == SQLITE_LOCKED
				   ? DD_PROBLEM_UNAVAILABLE
				   : DD_PROBLEM_STORE,
			   "statement '%s' failed: %s", what,
			   msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int sqlite_lock(struct dd_store *store, int64_t key, struct dd_err *err)
{
	/* BEGIN IMMEDIATE already holds the database's only write lock. */
	return 0;
}

static int sqlite_next(struct dd_rows *base, struct dd_err *err)
{
	struct sqlite_rows *rows = (struct sqlite_rows *)base;
	struct sqlite_store *st = S(base->store);
	if (rows->done)
		return 0;
	int rc = sqlite3_step(rows->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	rows->done = 1;
	if (rc == SQLITE_DONE) {
		st->changes = sqlite3_changes64(st->db);
		return 0;
	}
	return fail(st, sqlite3_sql(rows->stmt), rc, err);
}

static int sqlite_columns(const struct dd_rows *base)
{
	return sqlite3_column_count(((const struct sqlite_rows *)base)->stmt);
}

static int sqlite_is_null(struct dd_rows *base, int col)
{
	return sqlite3_column_type(((struct sqlite_rows *)base)->stmt, col) ==
	       SQLITE_NULL;
}

static int64_t sqlite_get_int(struct dd_rows *base, int col)
{
	return sqlite3_column_int64(((struct sqlite_rows *)base)->stmt, col);
}

static const char *sqlite_get_text(struct dd_rows *base, int col)
{
	return (const char *)sqlite3_column_text(
		((struct sqlite_rows *)base)->stmt, col);
}

static const void *sqlite_get_blob(struct dd_rows *base, int col, size_t *len)
{
	sqlite3_stmt *stmt = ((struct sqlite_rows *)base)->stmt;
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL) {
		*len = 0;
		return NULL;
	}
	const void *p = sqlite3_column_blob(stmt, col);
	*len = (size_t)sqlite3_column_bytes(stmt, col);
	return p ? p : "";
}

static void sqlite_rows_free(struct dd_rows *base)
{
	struct sqlite_rows *rows = (struct sqlite_rows *)base;
	struct sqlite_store *st = S(base->store);
	if (!rows->done) {
		/* A write statement's effect is complete only when stepped to
		 * the end; callers that stop early only read. */
		st->changes = sqlite3_changes64(st->db);
	}
	release_stmt(rows->stmt, rows->slot);
	free(rows);
}

const struct dd_store_engine dd_store_sqlite_engine = {
	.name = "sqlite",
	.kind = DD_STORE_SQLITE,
	.id_column = "INTEGER PRIMARY KEY AUTOINCREMENT",
	.blob_type = "BLOB",
	.open = sqlite_open,
	.close = sqlite_close,
	.query = sqlite_query,
	.changes = sqlite_changes,
	.exec_script = sqlite_exec_script,
	.begin_sql = "BEGIN IMMEDIATE",
	.lock = sqlite_lock,
	.next = sqlite_next,
	.columns = sqlite_columns,
	.is_null = sqlite_is_null,
	.get_int = sqlite_get_int,
	.get_text = sqlite_get_text,
	.get_blob = sqlite_get_blob,
	.rows_free = sqlite_rows_free,
};
