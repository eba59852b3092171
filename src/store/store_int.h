/*
 * store_int.h - what only the store module sees: the engine table.
 *
 * Each engine embeds struct dd_store and struct dd_rows as the first member
 * of its own connection and result structs, and fills one
 * struct dd_store_engine. store.c chooses the engine by URL and does the
 * bookkeeping that is the same for all (transaction flag, convenience
 * wrappers).
 */
#ifndef DD_STORE_STORE_INT_H
#define DD_STORE_STORE_INT_H

#include "store/store.h"

struct dd_store_engine;

struct dd_store {
	const struct dd_store_engine *engine;
	int in_tx;
	const struct dd_wakeup *wake; /* rung after commits that ask */
	int wake_at_commit;	      /* this transaction asked */
};

struct dd_rows {
	struct dd_store *store;
};

struct dd_store_engine {
	const char *name;
	enum dd_store_kind kind;
	/* Column type that migrations write as @ID@: an auto-assigned 64-bit
	 * integer primary key. */
	const char *id_column;
	/* Column type that migrations write as @BLOB@. */
	const char *blob_type;

	/* url is the whole URL, scheme included. */
	int (*open)(const char *url, struct dd_store **out, struct dd_err *err);
	void (*close)(struct dd_store *store);
	int (*query)(struct dd_store *store, const char *sql,
		     const struct dd_param *params, int n, struct dd_rows **out,
		     struct dd_err *err);
	/* Rows changed by the last statement run with query. */
	int64_t (*changes)(struct dd_store *store);
	int (*exec_script)(struct dd_store *store, const char *sql,
			   struct dd_err *err);
	/* SQL that opens a transaction taking the write lock early. */
	const char *begin_sql;
	int (*lock)(struct dd_store *store, int64_t key, struct dd_err *err);
	/* Wait for a notification on channel (see dd_store_wait_change);
	 * NULL when the engine has none. */
	int (*wait_notify)(struct dd_store *store, const char *channel,
			   int extra_fd, int timeout_ms, struct dd_err *err);

	int (*next)(struct dd_rows *rows, struct dd_err *err);
	int (*columns)(const struct dd_rows *rows);
	int (*is_null)(struct dd_rows *rows, int col);
	int64_t (*get_int)(struct dd_rows *rows, int col);
	const char *(*get_text)(struct dd_rows *rows, int col);
	const void *(*get_blob)(struct dd_rows *rows, int col, size_t *len);
	void (*rows_free)(struct dd_rows *rows);
};

extern const struct dd_store_engine dd_store_sqlite_engine;
extern const struct dd_store_engine dd_store_pg_engine;

/* The engine of a connection, for the migration runner. */
const struct dd_store_engine *dd_store_engine_of(const struct dd_store *store);

/* Shorten sql to one line of at most 80 bytes for error messages. */
void dd_store_describe_sql(const char *sql, char *out, size_t cap);

#endif
