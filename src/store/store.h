/*
 * store.h - the only door to a database.
 *
 * One interface, two engines chosen by URL: "sqlite:PATH" (embedded, the
 * default) and "postgresql://..." (libpq, for several instances). A
 * struct dd_store is one connection: it is not thread-safe, so every worker
 * thread uses its own (see store/pool.h).
 *
 * SQL is written once for both engines where the dialects agree. Parameters
 * are always bound, never spliced into SQL, and are written $1, $2, ... in
 * both engines (SQLite binds them by name). Prepared statements are cached
 * per connection, keyed by the SQL text.
 *
 * Instants are BIGINT milliseconds since the Unix epoch, UTC. Booleans are
 * INTEGER 0/1 so both engines read them alike.
 */
#ifndef DD_STORE_STORE_H
#define DD_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/wakeup.h"

struct dd_store;
struct dd_rows;

enum dd_store_kind { DD_STORE_SQLITE, DD_STORE_PG };

enum dd_param_type {
	DD_PARAM_NULL,
	DD_PARAM_INT,
	DD_PARAM_TEXT,
	DD_PARAM_BLOB,
};

/* A bound parameter. Text and blobs are borrowed: they must stay valid
 * until the call that takes them returns. */
struct dd_param {
	enum dd_param_type type;
	int64_t i;
	const char *s; /* NUL-terminated for TEXT; len bytes for BLOB */
	size_t len;
};

#define DD_P_NULL   ((struct dd_param){.type = DD_PARAM_NULL})
#define DD_P_INT(v) ((struct dd_param){.type = DD_PARAM_INT, .i = (int64_t)(v)})
/* A NULL string binds SQL NULL. A function, not a macro, so that arrays
 * may be passed without "address is always true" warnings. */
static inline struct dd_param dd_p_text(const char *s)
{
	struct dd_param p = {.type = s ? DD_PARAM_TEXT : DD_PARAM_NULL, .s = s};
	return p;
}
#define DD_P_TEXT(v) dd_p_text(v)
#define DD_P_BLOB(p, n)                                                        \
	((struct dd_param){                                                    \
		.type = DD_PARAM_BLOB, .s = (const char *)(p), .len = (n)})

/*
 * Open a connection for url ("sqlite:PATH" or "postgresql://..." or
 * "postgres://..."). On success *out is a new connection the caller
 * releases with dd_store_close. SQLite is opened in WAL mode with foreign
 * keys on and a busy timeout. Returns 0, or -1 with err filled (400 for a
 * URL that names no engine, 503 when the database cannot be reached).
 */
int dd_store_open(const char *url, struct dd_store **out, struct dd_err *err);
void dd_store_close(struct dd_store *store);

enum dd_store_kind dd_store_kind(const struct dd_store *store);

/* Nonzero when url names an engine dutydesk knows. */
int dd_store_url_valid(const char *url);

/*
 * Run sql with n parameters. On success *out (if out is not NULL) holds the
 * result rows, which the caller must free with dd_rows_free before running
 * the same SQL again on this connection; with out NULL any rows are
 * discarded. Returns 0, or -1 with err filled: 409 conflict for unique and
 * foreign-key violations, 503 for a busy or lost database, 500 otherwise;
 * the message names the failing statement.
 */
int dd_store_query(struct dd_store *store, const char *sql,
		   const struct dd_param *params, int n, struct dd_rows **out,
		   struct dd_err *err);

/* Like dd_store_query without rows: returns the number of rows changed
 * (>= 0), or -1 with err filled. */
int64_t dd_store_exec(struct dd_store *store, const char *sql,
		      const struct dd_param *params, int n, struct dd_err *err);

/* Run sql and read the first column of the first row as an integer.
 * Returns 1 with *value set, 0 when there is no row (or it is NULL), -1 on
 * error. */
int dd_store_query_int(struct dd_store *store, const char *sql,
		       const struct dd_param *params, int n, int64_t *value,
		       struct dd_err *err);

/* Run several ';'-separated statements without parameters (migrations).
 * Returns 0 or -1 with err filled. */
int dd_store_exec_script(struct dd_store *store, const char *sql,
			 struct dd_err *err);

/*
 * Transactions. begin takes the write lock at once on SQLite (BEGIN
 * IMMEDIATE) so that two writers wait for each other instead of failing on
 * upgrade. Transactions do not nest. rollback is safe to call when no
 * transaction is open.
 */
int dd_store_begin(struct dd_store *store, struct dd_err *err);
int dd_store_commit(struct dd_store *store, struct dd_err *err);
void dd_store_rollback(struct dd_store *store);
int dd_store_in_transaction(const struct dd_store *store);

/* Inside a transaction, serialise with every other holder of key until
 * the transaction ends (PostgreSQL advisory lock; SQLite already holds the
 * one write lock). Returns 0 or -1 with err filled. */
int dd_store_lock(struct dd_store *store, int64_t key, struct dd_err *err);

/*
 * Wait at most timeout_ms for a change committed by anyone, in this or
 * another process (dd_event_append announces every change). PostgreSQL
 * listens on a channel (LISTEN/NOTIFY) and returns as soon as a change is
 * committed; SQLite, with one process, sleeps for the timeout. Either
 * way the caller then compares dd_change_version to see what changed.
 * Returns 1 when notified, 0 on time-out, -1 with err filled. Not inside a
 * transaction; the connection should be used for nothing else.
 */
#define DD_STORE_CHANGE_CHANNEL "dutydesk_change"
int dd_store_wait_change(struct dd_store *store, int timeout_ms,
			 struct dd_err *err);

/*
 * Wait at most timeout_ms for a notification on channel (PostgreSQL
 * LISTEN, sent on first use; SQLite has none) or for wake (this process's
 * doorbell; may be NULL), whichever comes first. Returns 1 when either
 * came (wake is cleared), 0 on time-out, -1 with err filled. Not inside a
 * transaction. The connection may run queries between waits: what
 * arrives meanwhile is kept for the next wait.
 */
int dd_store_wait_notify(struct dd_store *store, const char *channel,
			 const struct dd_wakeup *wake, int timeout_ms,
			 struct dd_err *err);

/*
 * Commit-time announcements. A connection may carry a doorbell of its
 * process (NULL: none; the caller keeps it alive while the connection
 * lives). dd_store_notify_on_commit, inside a transaction, asks that at
 * its commit every listener of channel hears of it: on PostgreSQL a
 * NOTIFY (delivered to every instance at commit, dropped on rollback),
 * and on both engines the doorbell rung just after the commit. A
 * rollback rings nothing. 0 or -1 with err filled.
 */
void dd_store_set_wakeup(struct dd_store *store, const struct dd_wakeup *wake);
int dd_store_notify_on_commit(struct dd_store *store, const char *channel,
			      struct dd_err *err);

/* A cheap round trip to the database: 0 when it answers, -1 otherwise. */
int dd_store_ping(struct dd_store *store, struct dd_err *err);

/*
 * Rows. dd_rows_next returns 1 when a row is current, 0 at the end, -1 on
 * error. Column readers take a 0-based column of the current row; returned
 * text and blobs stay valid until the next call of dd_rows_next or
 * dd_rows_free. Reading NULL gives 0, NULL text and length 0.
 */
int dd_rows_next(struct dd_rows *rows, struct dd_err *err);
int dd_rows_columns(const struct dd_rows *rows);
int dd_rows_is_null(struct dd_rows *rows, int col);
int64_t dd_rows_int(struct dd_rows *rows, int col);
const char *dd_rows_text(struct dd_rows *rows, int col);
/* Blob bytes and their length; NULL for SQL NULL. */
const void *dd_rows_blob(struct dd_rows *rows, int col, size_t *len);
void dd_rows_free(struct dd_rows *rows);

#endif
