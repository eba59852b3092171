#include "store/store_int.h"

#include <stdio.h>
#include <time.h>

#include <string.h>

static const struct dd_store_engine *engine_for(const char *url)
{
	if (!url)
		return NULL;
	if (strncmp(url, "sqlite:", 7) == 0 && url[7] != '\0')
		return &dd_store_sqlite_engine;
	if (strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0)
		return &dd_store_pg_engine;
	return NULL;
}

int dd_store_url_valid(const char *url)
{
	return engine_for(url) != NULL;
}

int dd_store_open(const char *url, struct dd_store **out, struct dd_err *err)
{
	const struct dd_store_engine *engine = engine_for(url);
	*out = NULL;
	if (!engine)
		return dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
				  "unknown database url '%.60s' (want "
				  "sqlite:PATH or postgresql://...)",
				  url ? url : "");
	if (engine->open(url, out, err) < 0)
		return -1;
	(*out)->engine = engine;
	(*out)->in_tx = 0;
	return 0;
}

void dd_store_close(struct dd_store *store)
{
	if (!store)
		return;
	if (store->in_tx)
		dd_store_rollback(store);
	store->engine->close(store);
}

enum dd_store_kind dd_store_kind(const struct dd_store *store)
{
	return store->engine->kind;
}

const struct dd_store_engine *dd_store_engine_of(const struct dd_store *store)
{
	return store->engine;
}

int dd_store_query(struct dd_store *store, const char *sql,
		   const struct dd_param *params, int n, struct dd_rows **out,
		   struct dd_err *err)
{
	struct dd_rows *rows = NULL;
	if (store->engine->query(store, sql, params, n, &rows, err) < 0)
		return -1;
	if (out)
		*out = rows;
	else
		dd_rows_free(rows);
	return 0;
}

int64_t dd_store_exec(struct dd_store *store, const char *sql,
		      const struct dd_param *params, int n, struct dd_err *err)
{
	struct dd_rows *rows = NULL;
	if (store->engine->query(store, sql, params, n, &rows, err) < 0)
		return -1;
	/* SQLite runs the statement on the first step; drain it so that
	 * changes() counts and RETURNING-less writes complete. */
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0)
		;
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	return store->engine->changes(store);
}

int dd_store_query_int(struct dd_store *store, const char *sql,
		       const struct dd_param *params, int n, int64_t *value,
		       struct dd_err *err)
{
	struct dd_rows *rows = NULL;
	if (dd_store_query(store, sql, params, n, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		if (dd_rows_is_null(rows, 0))
			rc = 0;
		else
			*value = dd_rows_int(rows, 0);
	}
	/* Drain so that an INSERT ... RETURNING on SQLite is fully done. */
	if (rc >= 0) {
		int more;
		while ((more = dd_rows_next(rows, err)) > 0)
			;
		if (more < 0)
			rc = -1;
	}
	dd_rows_free(rows);
	return rc;
}

int dd_store_exec_script(struct dd_store *store, const char *sql,
			 struct dd_err *err)
{
	return store->engine->exec_script(store, sql, err);
}

int dd_store_begin(struct dd_store *store, struct dd_err *err)
{
	if (store->in_tx)
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "transaction already open");
	if (store->engine->exec_script(store, store->engine->begin_sql, err) <
	    0)
		return -1;
	store->in_tx = 1;
	return 0;
}

int dd_store_commit(struct dd_store *store, struct dd_err *err)
{
	if (!store->in_tx)
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "commit without transaction");
	if (store->engine->exec_script(store, "COMMIT", err) < 0) {
		dd_store_rollback(store);
		return -1;
	}
	store->in_tx = 0;
	if (store->wake_at_commit) {
		store->wake_at_commit = 0;
		dd_wakeup_signal(store->wake);
	}
	return 0;
}

void dd_store_rollback(struct dd_store *store)
{
	if (!store->in_tx)
		return;
	struct dd_err ignored;
	dd_err_clear(&ignored);
	store->engine->exec_script(store, "ROLLBACK", &ignored);
	store->in_tx = 0;
	store->wake_at_commit = 0;
}

int dd_store_in_transaction(const struct dd_store *store)
{
	return store->in_tx;
}

int dd_store_lock(struct dd_store *store, int64_t key, struct dd_err *err)
{
	if (!store->in_tx)
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "lock outside a transaction");
	return store->engine->lock(store, key, err);
}

int dd_store_wait_change(struct dd_store *store, int timeout_ms,
			 struct dd_err *err)
{
	if (store->in_tx)
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "waiting for changes inside a transaction");
	return dd_store_wait_notify(store, DD_STORE_CHANGE_CHANNEL, NULL,
				    timeout_ms, err);
}

int dd_store_wait_notify(struct dd_store *store, const char *channel,
			 const struct dd_wakeup *wake, int timeout_ms,
			 struct dd_err *err)
{
	if (store->in_tx)
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "waiting for notifications inside a "
				  "transaction");
	if (!store->engine->wait_notify)
		return dd_wakeup_wait(wake, timeout_ms);
	int rc = store->engine->wait_notify(store, channel, dd_wakeup_fd(wake),
					    timeout_ms, err);
	/* Either way the caller is about to look: rings so far are
	 * answered. */
	dd_wakeup_clear(wake);
	return rc;
}

void dd_store_set_wakeup(struct dd_store *store, const struct dd_wakeup *wake)
{
	store->wake = wake;
}

int dd_store_notify_on_commit(struct dd_store *store, const char *channel,
			      struct dd_err *err)
{
	if (!store->in_tx)
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "notification '%s' outside a transaction",
				  channel);
	/* PostgreSQL folds repeats within a transaction into one. */
	if (store->engine->kind == DD_STORE_PG) {
		char sql[96];
		snprintf(sql, sizeof(sql), "NOTIFY %s", channel);
		if (store->engine->exec_script(store, sql, err) < 0)
			return -1;
	}
	store->wake_at_commit = 1;
	return 0;
}

int dd_store_ping(struct dd_store *store, struct dd_err *err)
{
	int64_t one = 0;
	if (dd_store_query_int(store, "SELECT 1", NULL, 0, &one, err) < 0)
		return -1;
	return one == 1 ? 0
			: dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				     "database gave a wrong answer");
}

int dd_rows_next(struct dd_rows *rows, struct dd_err *err)
{
	return rows->store->engine->next(rows, err);
}

int dd_rows_columns(const struct dd_rows *rows)
{
	return rows->store->engine->columns(rows);
}

int dd_rows_is_null(struct dd_rows *rows, int col)
{
	return rows->store->engine->is_null(rows, col);
}

int64_t dd_rows_int(struct dd_rows *rows, int col)
{
	return rows->store->engine->get_int(rows, col);
}

const char *dd_rows_text(struct dd_rows *rows, int col)
{
	return rows->store->engine->get_text(rows, col);
}

const void *dd_rows_blob(struct dd_rows *rows, int col, size_t *len)
{
	return rows->store->engine->get_blob(rows, col, len);
}

void dd_rows_free(struct dd_rows *rows)
{
	if (rows)
		rows->store->engine->rows_free(rows);
}

void dd_store_describe_sql(const char *sql, char *out, size_t cap)
{
	size_t j = 0;
	int space = 0;
	if (cap == 0)
		return;
	for (size_t i = 0; sql && sql[i] && j + 1 < cap && j < 80; i++) {
		char c = sql[i];
		if (c == '\n' || c == '\t' || c == ' ') {
			space = j > 0;
			continue;
		}
		if (space && j + 2 < cap) {
			out[j++] = ' ';
			space = 0;
		}
		out[j++] = c;
	}
	out[j] = '\0';
}
