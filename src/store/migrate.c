#include "store/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/migrations.h"
#include "store/store_int.h"

/* Advisory lock key that serialises migration runs across instances
 * ("dutydesk" in ASCII, truncated to 63 bits). */
#define MIGRATE_LOCK_KEY 0x6475747964657368LL

/* The largest migration text after marker expansion. */
#define MIGRATION_SQL_MAX (1024 * 1024)

static const char create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at BIGINT NOT NULL)";

int dd_migrate_latest(void)
{
	return dd_migrations[dd_migration_count - 1].version;
}

int dd_migrate_current(struct dd_store *store, int *version, struct dd_err *err)
{
	int64_t v = 0;
	if (dd_store_exec_script(store, create_table, err) < 0)
		return -1;
	int rc = dd_store_query_int(
		store, "SELECT MAX(version) FROM schema_migrations", NULL, 0,
		&v, err);
	if (rc < 0)
		return -1;
	*version = rc == 0 ? 0 : (int)v;
	return 0;
}

/* Replace the @ID@ and @BLOB@ markers with the engine's column types. */
static int expand(const struct dd_store_engine *engine, const char *sql,
		  struct dd_buf *out)
{
	const char *p = sql;
	while (*p) {
		const char *at = strchr(p, '@');
		if (!at) {
			dd_buf_puts(out, p);
			break;
		}
		dd_buf_append(out, p, (size_t)(at - p));
		if (strncmp(at, "@ID@", 4) == 0) {
			dd_buf_puts(out, engine->id_column);
			p = at + 4;
		} else if (strncmp(at, "@BLOB@", 6) == 0) {
			dd_buf_puts(out, engine->blob_type);
			p = at + 6;
		} else {
			dd_buf_putc(out, '@');
			p = at + 1;
		}
	}
	return out->overflow ? -1 : 0;
}

static int apply_one(struct dd_store *store, const struct dd_migration *m,
		     int64_t now_ms, int *applied, struct dd_err *err)
{
	struct dd_buf sql;
	dd_buf_init(&sql, MIGRATION_SQL_MAX);
	const struct dd_store_engine *engine = dd_store_engine_of(store);
	const char *own =
		engine->kind == DD_STORE_SQLITE ? m->sqlite_sql : m->pg_sql;
	if (expand(engine, m->sql, &sql) < 0 ||
	    (own &&
	     (dd_buf_putc(&sql, ';') < 0 || expand(engine, own, &sql) < 0))) {
		dd_buf_release(&sql);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "migration %d is too large", m->version);
	}
	if (dd_store_begin(store, err) < 0)
		goto fail;
	if (dd_store_lock(store, MIGRATE_LOCK_KEY, err) < 0)
		goto fail;
	/* Another instance may have applied it while we waited for the
	 * lock. */
	int64_t done = 0;
	int rc = dd_store_query_int(
		store,
		"SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
		(struct dd_param[]){DD_P_INT(m->version)}, 1, &done, err);
	if (rc < 0)
		goto fail;
	if (done == 0) {
		if (dd_store_exec_script(store, dd_buf_str(&sql), err) < 0)
			goto fail;
		if (dd_store_exec(store,
				  "INSERT INTO schema_migrations (version, "
				  "name, applied_at) VALUES ($1, $2, $3)",
				  (struct dd_param[]){DD_P_INT(m->version),
						      DD_P_TEXT(m->name),
						      DD_P_INT(now_ms)},
				  3, err) < 0)
			goto fail;
		(*applied)++;
	}
	if (dd_store_commit(store, err) < 0)
		goto fail;
	dd_buf_release(&sql);
	return 0;
fail:
	dd_store_rollback(store);
	dd_buf_release(&sql);
	/* Keep the engine's message but say which migration failed. */
	char msg[DD_ERR_MSG_MAX];
	memcpy(msg, err->msg, sizeof(msg));
	return dd_err_set(err, err->status, err->type, "migration %d: %s",
			  m->version, msg);
}

int dd_migrate_run(struct dd_store *store, int64_t now_ms, int *applied,
		   struct dd_err *err)
{
	return dd_migrate_run_to(store, dd_migrate_latest(), now_ms, applied,
				 err);
}

int dd_migrate_run_to(struct dd_store *store, int version, int64_t now_ms,
		      int *applied, struct dd_err *err)
{
	int count = 0;
	int current = 0;
	if (applied)
		*applied = 0;
	if (dd_migrate_current(store, &current, err) < 0)
		return -1;
	if (current > dd_migrate_latest())
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "database schema version %d is newer than "
				  "this dutydesk (%d): upgrade dutydesk",
				  current, dd_migrate_latest());
	for (int i = 0; i < dd_migration_count; i++) {
		if (dd_migrations[i].version <= current ||
		    dd_migrations[i].version > version)
			continue;
		if (apply_one(store, &dd_migrations[i], now_ms, &count, err) <
		    0)
			return -1;
	}
	if (applied)
		*applied = count;
	return 0;
}
