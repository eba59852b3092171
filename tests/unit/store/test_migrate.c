/*
 * test_migrate.c - schema migrations and the event log on a temporary
 * SQLite file: migrating an empty database applies every migration, a
 * second run applies none, a database newer than this binary is refused,
 * a failing migration leaves nothing behind; events are written only
 * inside a transaction and listed newest first with filters and a
 * cursor. (The PostgreSQL engine is covered by test_store.c.)
 */
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

#include "store/event.h"
#include "store/migrate.h"
#include "store/migrations.h"
#include "store/store.h"

#define NOW 1795767300000LL

struct fx {
	char path[64];
	char url[96];
	struct dd_store *store;
};

static void remove_files(const char *path)
{
	char extra[96];
	unlink(path);
	snprintf(extra, sizeof(extra), "%s-wal", path);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-shm", path);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-journal", path);
	unlink(extra);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct dd_err err;
	if (!fx)
		return -1;
	snprintf(fx->path, sizeof(fx->path), "/tmp/dd-test-migrate-XXXXXX");
	int fd = mkstemp(fx->path);
	if (fd < 0) {
		free(fx);
		return -1;
	}
	close(fd);
	snprintf(fx->url, sizeof(fx->url), "sqlite:%s", fx->path);
	dd_err_clear(&err);
	if (dd_store_open(fx->url, &fx->store, &err) < 0) {
		fprintf(stderr, "cannot open %s: %s\n", fx->url, err.msg);
		remove_files(fx->path);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	dd_store_close(fx->store);
	remove_files(fx->path);
	free(fx);
	return 0;
}

/* A migrated database. */
static int setup_migrated(void **state)
{
	struct dd_err err;
	if (setup(state) < 0)
		return -1;
	struct fx *fx = *state;
	dd_err_clear(&err);
	if (dd_migrate_run(fx->store, NOW, NULL, &err) < 0) {
		fprintf(stderr, "migrate: %s\n", err.msg);
		teardown(state);
		return -1;
	}
	return 0;
}

static struct dd_store *S(void **state)
{
	return ((struct fx *)*state)->store;
}

static void must(int rc, const struct dd_err *err)
{
	if (rc < 0)
		fail_msg("store call failed: %d %s", err->status, err->msg);
}

static int64_t query_int(struct dd_store *store, const char *sql)
{
	struct dd_err err;
	int64_t v = -1;
	dd_err_clear(&err);
	int rc = dd_store_query_int(store, sql, NULL, 0, &v, &err);
	must(rc, &err);
	return rc == 0 ? 0 : v;
}

static int table_exists(struct dd_store *store, const char *name)
{
	struct dd_err err;
	struct dd_param p = DD_P_TEXT(name);
	int64_t n = 0;
	dd_err_clear(&err);
	must(dd_store_query_int(store,
				"SELECT COUNT(*) FROM sqlite_master WHERE "
				"type = 'table' AND name = $1",
				&p, 1, &n, &err),
	     &err);
	return n > 0;
}

static void test_migration_list(void **state)
{
	/* Numbered from 1 upwards, each with SQL and a name; latest is the
	 * last. Branches reserve their numbers (mail is 7, alerting 8), so a
	 * branch may lack another's until they are merged: ascending, not
	 * dense. */
	assert_true(dd_migration_count >= 1);
	assert_int_equal(dd_migrations[0].version, 1);
	for (int i = 0; i < dd_migration_count; i++) {
		if (i > 0)
			assert_true(dd_migrations[i].version >
				    dd_migrations[i - 1].version);
		assert_non_null(dd_migrations[i].name);
		assert_true(dd_migrations[i].name[0] != '\0');
		assert_non_null(dd_migrations[i].sql);
		assert_true(strlen(dd_migrations[i].sql) > 0);
	}
	assert_int_equal(dd_migrate_latest(),
			 dd_migrations[dd_migration_count - 1].version);
}

static void test_current_of_empty_database(void **state)
{
	struct dd_err err;
	int version = -1;
	dd_err_clear(&err);
	assert_int_equal(dd_migrate_current(S(state), &version, &err), 0);
	assert_int_equal(version, 0);
	/* Asking creates the bookkeeping table, nothing else. */
	assert_true(table_exists(S(state), "schema_migrations"));
	assert_false(table_exists(S(state), "people"));
	/* Asking twice is harmless. */
	assert_int_equal(dd_migrate_current(S(state), &version, &err), 0);
	assert_int_equal(version, 0);
}

static void test_migrate_from_empty(void **state)
{
	struct dd_err err;
	int applied = -1, version = -1;
	dd_err_clear(&err);
	must(dd_migrate_run(S(state), NOW, &applied, &err), &err);
	assert_int_equal(applied, dd_migration_count);
	must(dd_migrate_current(S(state), &version, &err), &err);
	assert_int_equal(version, dd_migrate_latest());
	assert_false(dd_store_in_transaction(S(state)));

	/* The tables of the first migration are there. */
	static const char *const tables[] = {
	    "people",	"groups",	   "memberships", "tokens",
	    "sessions", "signin_failures", "events",
	};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!table_exists(S(state), tables[i]))
			fail_msg("table '%s' missing", tables[i]);

	/* One row per migration, with its name and the time given. */
	assert_int_equal(query_int(S(state), "SELECT COUNT(*) FROM "
					     "schema_migrations"),
			 dd_migration_count);
	assert_int_equal(query_int(S(state), "SELECT COUNT(*) FROM "
					     "schema_migrations WHERE "
					     "applied_at = 1795767300000"),
			 dd_migration_count);
	struct dd_rows *rows;
	must(dd_store_query(S(state),
			    "SELECT version, name FROM schema_migrations "
			    "ORDER BY version",
			    NULL, 0, &rows, &err),
	     &err);
	for (int i = 0; i < dd_migration_count; i++) {
		assert_int_equal(dd_rows_next(rows, &err), 1);
		assert_int_equal(dd_rows_int(rows, 0),
				 dd_migrations[i].version);
		assert_string_equal(dd_rows_text(rows, 1),
				    dd_migrations[i].name);
	}
	assert_int_equal(dd_rows_next(rows, &err), 0);
	dd_rows_free(rows);
}

static void test_second_run_applies_nothing(void **state)
{
	struct dd_err err;
	int applied = -1;
	dd_err_clear(&err);
	must(dd_migrate_run(S(state), NOW, &applied, &err), &err);
	assert_int_equal(applied, dd_migration_count);
	must(dd_migrate_run(S(state), NOW + 60000, &applied, &err), &err);
	assert_int_equal(applied, 0);
	/* Nothing was recorded again or re-dated. */
	assert_int_equal(query_int(S(state), "SELECT COUNT(*) FROM "
					     "schema_migrations"),
			 dd_migration_count);
	assert_int_equal(query_int(S(state), "SELECT MAX(applied_at) FROM "
					     "schema_migrations"),
			 NOW);
	/* applied may be NULL. */
	must(dd_migrate_run(S(state), NOW, NULL, &err), &err);
}

static void test_reopen_keeps_version(void **state)
{
	struct fx *fx = *state;
	struct dd_err err;
	struct dd_store *other = NULL;
	int version = -1, applied = -1;
	dd_err_clear(&err);
	must(dd_migrate_run(fx->store, NOW, NULL, &err), &err);
	/* A second connection (another instance) sees the same schema and
	 * has nothing to do. */
	must(dd_store_open(fx->url, &other, &err), &err);
	must(dd_migrate_current(other, &version, &err), &err);
	assert_int_equal(version, dd_migrate_latest());
	must(dd_migrate_run(other, NOW, &applied, &err), &err);
	assert_int_equal(applied, 0);
	dd_store_close(other);
}

static void test_newer_database_refused(void **state)
{
	struct dd_err err;
	int applied = -1, version = -1;
	char sql[200];
	dd_err_clear(&err);
	must(dd_migrate_run(S(state), NOW, NULL, &err), &err);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO schema_migrations (version, name, applied_at) "
		 "VALUES (%d, 'from the future', 1)",
		 dd_migrate_latest() + 1);
	must(dd_store_exec_script(S(state), sql, &err), &err);
	must(dd_migrate_current(S(state), &version, &err), &err);
	assert_int_equal(version, dd_migrate_latest() + 1);

	dd_err_clear(&err);
	assert_int_equal(dd_migrate_run(S(state), NOW, &applied, &err), -1);
	assert_int_equal(err.status, 409);
	assert_string_equal(err.type, DD_PROBLEM_CONFLICT);
	char want[160];
	snprintf(want, sizeof(want),
		 "database schema version %d is newer than this dutydesk "
		 "(%d): upgrade dutydesk",
		 dd_migrate_latest() + 1, dd_migrate_latest());
	assert_string_equal(err.msg, want);
	assert_int_equal(applied, 0);
	assert_false(dd_store_in_transaction(S(state)));
}

static void test_newer_empty_database_refused(void **state)
{
	/* Only a version row, no tables: still refused before anything is
	 * applied. */
	struct dd_err err;
	int version = -1;
	char sql[200];
	dd_err_clear(&err);
	must(dd_migrate_current(S(state), &version, &err), &err);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO schema_migrations (version, name, applied_at) "
		 "VALUES (%d, 'x', 1)",
		 dd_migrate_latest() + 100);
	must(dd_store_exec_script(S(state), sql, &err), &err);
	assert_int_equal(dd_migrate_run(S(state), NOW, NULL, &err), -1);
	assert_int_equal(err.status, 409);
	assert_false(table_exists(S(state), "people"));
}

static void test_failing_migration_leaves_nothing(void **state)
{
	/* A table in the way makes migration 1 fail: the error names the
	 * migration, and its transaction is rolled back whole. */
	struct dd_err err;
	int applied = -1, version = -1;
	dd_err_clear(&err);
	must(dd_store_exec_script(S(state), "CREATE TABLE people (x INTEGER)",
				  &err),
	     &err);
	assert_int_equal(dd_migrate_run(S(state), NOW, &applied, &err), -1);
	assert_true(err.status >= 400);
	assert_non_null(err.type);
	if (strncmp(err.msg, "migration 1: ", 13) != 0)
		fail_msg("message '%s' does not name migration 1", err.msg);
	assert_int_equal(applied, 0);
	assert_false(dd_store_in_transaction(S(state)));
	assert_false(table_exists(S(state), "groups"));
	assert_false(table_exists(S(state), "events"));
	must(dd_migrate_current(S(state), &version, &err), &err);
	assert_int_equal(version, 0);

	/* With the obstacle gone the same run succeeds. */
	must(dd_store_exec_script(S(state), "DROP TABLE people", &err), &err);
	must(dd_migrate_run(S(state), NOW, &applied, &err), &err);
	assert_int_equal(applied, dd_migration_count);
}

static void test_migrate_inside_transaction_fails(void **state)
{
	/* Each migration opens its own transaction; a caller's open one
	 * is an error, not a silent nesting. */
	struct dd_err err;
	int applied = -1;
	dd_err_clear(&err);
	must(dd_store_begin(S(state), &err), &err);
	assert_int_equal(dd_migrate_run(S(state), NOW, &applied, &err), -1);
	assert_int_equal(applied, 0);
	dd_store_rollback(S(state));
}

struct racer {
	const char *url;
	int applied;
	int rc;
	char msg[DD_ERR_MSG_MAX];
};

static void *race_migrate(void *arg)
{
	struct racer *r = arg;
	struct dd_store *store = NULL;
	struct dd_err err;
	dd_err_clear(&err);
	r->rc = dd_store_open(r->url, &store, &err);
	if (r->rc == 0) {
		r->rc = dd_migrate_run(store, NOW, &r->applied, &err);
		dd_store_close(store);
	}
	memcpy(r->msg, err.msg, sizeof(r->msg));
	return NULL;
}

static void test_concurrent_instances_apply_once(void **state)
{
	/* Instances starting at once: every migration is applied exactly
	 * once between them. */
	struct fx *fx = *state;
	struct racer r[3];
	pthread_t t[3];
	for (int i = 0; i < 3; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].url = fx->url;
		assert_int_equal(
		    pthread_create(&t[i], NULL, race_migrate, &r[i]), 0);
	}
	int total = 0;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		if (r[i].rc != 0)
			fail_msg("instance %d: %s", i, r[i].msg);
		total += r[i].applied;
	}
	assert_int_equal(total, dd_migration_count);
	assert_int_equal(query_int(S(state), "SELECT COUNT(*) FROM "
					     "schema_migrations"),
			 dd_migration_count);
}

/* Events. */

struct seen {
	int n;
	int64_t ids[64];
	int64_t at[64];
	char actor[64][64];
	char action[64][64];
	char type[64][32];
	int64_t actor_id[64];
	int64_t object_id[64];
	char before[64][128];
	char after[64][128];
	int before_null[64];
	int after_null[64];
	int stop_after; /* 0: never */
};

static int collect(const struct dd_event *ev, void *arg)
{
	struct seen *s = arg;
	assert_true(s->n < 64);
	int i = s->n++;
	s->ids[i] = ev->id;
	s->at[i] = ev->at;
	s->actor_id[i] = ev->actor_id;
	s->object_id[i] = ev->object_id;
	snprintf(s->actor[i], sizeof(s->actor[i]), "%s", ev->actor);
	snprintf(s->action[i], sizeof(s->action[i]), "%s", ev->action);
	snprintf(s->type[i], sizeof(s->type[i]), "%s", ev->object_type);
	s->before_null[i] = ev->before_json == NULL;
	s->after_null[i] = ev->after_json == NULL;
	snprintf(s->before[i], sizeof(s->before[i]), "%s",
		 ev->before_json ? ev->before_json : "");
	snprintf(s->after[i], sizeof(s->after[i]), "%s",
		 ev->after_json ? ev->after_json : "");
	return s->stop_after && s->n >= s->stop_after;
}

static void list(void **state, struct dd_event_filter f, struct seen *s)
{
	struct dd_err err;
	int stop = s->stop_after;
	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	dd_err_clear(&err);
	if (f.limit == 0)
		f.limit = 50;
	must(dd_event_list(S(state), &f, collect, s, &err), &err);
}

static void append(void **state, int64_t at, int64_t person, const char *label,
		   const char *action, const char *type, int64_t object_id,
		   const char *before, const char *after)
{
	struct dd_err err;
	struct dd_actor actor = {person, label};
	dd_err_clear(&err);
	must(dd_event_append(S(state), at, &actor, action, type, object_id,
			     before, after, &err),
	     &err);
}

static void test_event_outside_transaction_fails(void **state)
{
	struct dd_err err;
	struct dd_actor actor = {1, "ann"};
	dd_err_clear(&err);
	assert_int_equal(dd_event_append(S(state), NOW, &actor, "person.create",
					 "person", 1, NULL, "{}", &err),
			 -1);
	assert_int_equal(err.status, 500);
	assert_string_equal(err.type, DD_PROBLEM_INTERNAL);
	assert_string_equal(err.msg, "event 'person.create' written outside a "
				     "transaction");
	assert_int_equal(query_int(S(state), "SELECT COUNT(*) FROM events"), 0);
}

static void test_event_append_and_read_back(void **state)
{
	struct dd_err err;
	struct seen s;
	const char *hostile = "{\"name\":\"O'Brien; DROP TABLE events; --\","
			      "\"note\":\"Grüße \\u2028\"}";
	dd_err_clear(&err);
	must(dd_store_begin(S(state), &err), &err);
	append(state, NOW, 7, "ann", "person.create", "person", 42, NULL,
	       "{\"id\":42}");
	append(state, NOW + 1, 0, NULL, "person.update", "person", 42,
	       "{\"id\":42}", hostile);
	append(state, NOW + 2, 0, "cli", "group.delete", "group", 0, "{}",
	       NULL);
	must(dd_store_commit(S(state), &err), &err);

	memset(&s, 0, sizeof(s));
	list(state, (struct dd_event_filter){0}, &s);
	assert_int_equal(s.n, 3);
	/* Newest first, ids increasing with time. */
	assert_true(s.ids[0] > s.ids[1]);
	assert_true(s.ids[1] > s.ids[2]);

	assert_string_equal(s.action[2], "person.create");
	assert_true(s.at[2] == NOW);
	assert_int_equal(s.actor_id[2], 7);
	assert_string_equal(s.actor[2], "ann");
	assert_string_equal(s.type[2], "person");
	assert_int_equal(s.object_id[2], 42);
	assert_true(s.before_null[2]);
	assert_string_equal(s.after[2], "{\"id\":42}");

	/* No person and no label: the system did it; text comes back
	 * byte for byte. */
	assert_int_equal(s.actor_id[1], 0);
	assert_string_equal(s.actor[1], "system");
	assert_string_equal(s.after[1], hostile);
	assert_string_equal(s.before[1], "{\"id\":42}");

	/* No object id is stored as none, read as 0; a deletion has no
	 * after. */
	assert_string_equal(s.actor[0], "cli");
	assert_int_equal(s.object_id[0], 0);
	assert_true(s.after_null[0]);
	assert_false(s.before_null[0]);
	assert_int_equal(query_int(S(state), "SELECT COUNT(*) FROM events "
					     "WHERE object_id IS NULL AND "
					     "actor_id IS NULL"),
			 1);
}

static void test_event_rollback_discards(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_store_begin(S(state), &err), &err);
	append(state, NOW, 1, "ann", "person.create", "person", 1, NULL, "{}");
	dd_store_rollback(S(state));
	assert_int_equal(query_int(S(state), "SELECT COUNT(*) FROM events"), 0);
}

/* Twelve events: objects person 1..3 and group 1, one a minute. */
static void seed_events(void **state)
{
	struct dd_err err;
	dd_err_clear(&err);
	must(dd_store_begin(S(state), &err), &err);
	for (int i = 0; i < 12; i++) {
		const char *type = i % 4 == 3 ? "group" : "person";
		int64_t obj = i % 4 == 3 ? 1 : i % 4 + 1;
		char action[32];
		snprintf(action, sizeof(action), "%s.e%d", type, i);
		append(state, NOW + i * 60000LL, 1, "ann", action, type, obj,
		       NULL, "{}");
	}
	must(dd_store_commit(S(state), &err), &err);
}

static void test_event_filters(void **state)
{
	struct seen s;
	memset(&s, 0, sizeof(s));
	seed_events(state);

	list(state, (struct dd_event_filter){.object_type = "group"}, &s);
	assert_int_equal(s.n, 3);
	for (int i = 0; i < s.n; i++)
		assert_string_equal(s.type[i], "group");

	list(state, (struct dd_event_filter){.object_type = "person"}, &s);
	assert_int_equal(s.n, 9);

	list(state,
	     (struct dd_event_filter){.object_type = "person", .object_id = 2},
	     &s);
	assert_int_equal(s.n, 3);
	for (int i = 0; i < s.n; i++)
		assert_int_equal(s.object_id[i], 2);
	assert_string_equal(s.action[0], "person.e9");
	assert_string_equal(s.action[2], "person.e1");

	/* An id alone matches across types. */
	list(state, (struct dd_event_filter){.object_id = 1}, &s);
	assert_int_equal(s.n, 6);

	list(state, (struct dd_event_filter){.object_type = "ticket"}, &s);
	assert_int_equal(s.n, 0);
}

static void test_event_time_window(void **state)
{
	struct seen s;
	memset(&s, 0, sizeof(s));
	seed_events(state);
	/* since is inclusive, until exclusive: minutes 3, 4 and 5. */
	list(state,
	     (struct dd_event_filter){.since_ms = NOW + 3 * 60000LL,
				      .until_ms = NOW + 6 * 60000LL},
	     &s);
	assert_int_equal(s.n, 3);
	assert_true(s.at[0] == NOW + 5 * 60000LL);
	assert_true(s.at[2] == NOW + 3 * 60000LL);

	list(state, (struct dd_event_filter){.since_ms = NOW + 11 * 60000LL},
	     &s);
	assert_int_equal(s.n, 1);
	list(state, (struct dd_event_filter){.until_ms = NOW + 1}, &s);
	assert_int_equal(s.n, 1);
	list(state, (struct dd_event_filter){.until_ms = NOW}, &s);
	assert_int_equal(s.n, 0);
	/* An empty window. */
	list(state,
	     (struct dd_event_filter){.since_ms = NOW + 5 * 60000LL,
				      .until_ms = NOW + 5 * 60000LL},
	     &s);
	assert_int_equal(s.n, 0);
	/* Combined with a type. */
	list(state,
	     (struct dd_event_filter){.object_type = "group",
				      .since_ms = NOW + 4 * 60000LL},
	     &s);
	assert_int_equal(s.n, 2);
}

static void test_event_limit_and_cursor(void **state)
{
	struct seen s, all;
	memset(&s, 0, sizeof(s));
	memset(&all, 0, sizeof(all));
	seed_events(state);
	list(state, (struct dd_event_filter){0}, &all);
	assert_int_equal(all.n, 12);

	list(state, (struct dd_event_filter){.limit = 5}, &s);
	assert_int_equal(s.n, 5);
	assert_true(s.ids[0] == all.ids[0]);

	/* Page through with the last id as the cursor: every event once,
	 * in order. */
	int64_t cursor = 0;
	int total = 0;
	for (int page = 0; page < 10; page++) {
		list(state,
		     (struct dd_event_filter){.limit = 5, .before_id = cursor},
		     &s);
		for (int i = 0; i < s.n; i++)
			assert_true(s.ids[i] == all.ids[total + i]);
		total += s.n;
		if (s.n < 5)
			break;
		cursor = s.ids[s.n - 1];
	}
	assert_int_equal(total, 12);

	/* The cursor with a filter. */
	list(state,
	     (struct dd_event_filter){
		 .object_type = "person", .before_id = all.ids[0], .limit = 2},
	     &s);
	assert_int_equal(s.n, 2);
	assert_true(s.ids[0] < all.ids[0]);
	assert_string_equal(s.type[0], "person");

	/* Past the oldest event: nothing. */
	list(state,
	     (struct dd_event_filter){.before_id = all.ids[11], .limit = 5},
	     &s);
	assert_int_equal(s.n, 0);
}

static void test_event_callback_stops(void **state)
{
	struct seen s;
	memset(&s, 0, sizeof(s));
	seed_events(state);
	s.stop_after = 2;
	list(state, (struct dd_event_filter){0}, &s);
	assert_int_equal(s.n, 2);
	/* The connection is usable afterwards. */
	s.stop_after = 0;
	list(state, (struct dd_event_filter){0}, &s);
	assert_int_equal(s.n, 12);
}

static int never(const struct dd_event *ev, void *arg)
{
	fail_msg("no event expected");
	return 1;
}

static void test_event_list_without_schema_fails(void **state)
{
	/* An unmigrated database: the store's error comes through. */
	struct dd_err err;
	struct dd_event_filter f = {.limit = 10};
	dd_err_clear(&err);
	assert_int_equal(dd_event_list(S(state), &f, never, NULL, &err), -1);
	assert_true(dd_err_is_set(&err));
	assert_true(err.status >= 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define M(name) cmocka_unit_test_setup_teardown(name, setup_migrated, teardown)
	    cmocka_unit_test(test_migration_list),
	    T(test_current_of_empty_database),
	    T(test_migrate_from_empty),
	    T(test_second_run_applies_nothing),
	    T(test_reopen_keeps_version),
	    T(test_newer_database_refused),
	    T(test_newer_empty_database_refused),
	    T(test_failing_migration_leaves_nothing),
	    T(test_migrate_inside_transaction_fails),
	    T(test_concurrent_instances_apply_once),
	    M(test_event_outside_transaction_fails),
	    M(test_event_append_and_read_back),
	    M(test_event_rollback_discards),
	    M(test_event_filters),
	    M(test_event_time_window),
	    M(test_event_limit_and_cursor),
	    M(test_event_callback_stops),
	    T(test_event_list_without_schema_fails),
#undef T
#undef M
	};
	return cmocka_run_group_tests_name("store/migrate", tests, NULL, NULL);
}
