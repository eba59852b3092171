/*
 * fixture.h - the database side of unit-test fixtures that run on SQLite
 * and PostgreSQL: temporary SQLite files, PostgreSQL scratch schemas,
 * and their removal. Linked into every unit test binary.
 *
 * Errors are printed on stderr, prefixed with the engine ("sqlite: ",
 * "pg: "), as the group setups and teardowns report them.
 */
#ifndef DD_TESTS_UNIT_SUPPORT_FIXTURE_H
#define DD_TESTS_UNIT_SUPPORT_FIXTURE_H

#include <stddef.h>

struct dd_store;

/* Four random bytes from /dev/urandom, 0 when it cannot be read. */
unsigned int ut_random32(void);

/* A schema name no other run picks: "PREFIX_PID_TIME_RANDOM". */
void ut_scratch_name(const char *prefix, char *out, size_t cap);

/* A new empty file from tmpl ("/tmp/dd-test-x-XXXXXX") in path, and
 * "sqlite:PATH" in url. 0, or -1 with path emptied. */
int ut_sqlite_file(const char *tmpl, char *path, size_t path_cap, char *url,
		   size_t url_cap);
/* A new directory from tmpl ("/tmp/dd_x_XXXXXX") in dir, and
 * "sqlite:DIR/FILE" in url. 0, or -1 with dir emptied. */
int ut_sqlite_dir(const char *tmpl, const char *file, char *dir, size_t dir_cap,
		  char *url, size_t url_cap);
/* Remove the SQLite file path and its -wal and -shm files. */
void ut_sqlite_remove(const char *path);
/* Remove DIR/FILE with its -wal and -shm files, then dir. */
void ut_sqlite_remove_dir(const char *dir, const char *file);

/* dd_store_open, printing "ENGINE: cannot open: ..." when it fails. */
int ut_store_open(const char *engine, const char *url, struct dd_store **out);

/* ut_store_open, then (when schema is not empty) put schema on the
 * connection's search_path, as every connection of a PostgreSQL fixture
 * must. 0, or -1 with the reason printed and *out NULL. */
int ut_store_open_in(const char *engine, const char *url, const char *schema,
		     struct dd_store **out);

/* On the PostgreSQL server at url, create a schema named
 * "PREFIX_PID_RANDOM" (written to schema) over a connection of its own.
 * 0, or -1 with the reason printed and schema emptied. */
int ut_pg_schema_create(const char *url, const char *prefix, char *schema,
			size_t cap);
/* DROP SCHEMA schema CASCADE on store, printing a failure. */
void ut_pg_schema_drop(struct dd_store *store, const char *schema);

#endif
