/*
 * fixture.c - the database helpers behind fixture.h.
 */
#include "unit/support/fixture.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "store/store.h"

unsigned int ut_random32(void)
{
	unsigned int r = 0;
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			r = 0;
		close(fd);
	}
	return r;
}

void ut_scratch_name(const char *prefix, char *out, size_t cap)
{
	unsigned int r = ut_random32();
	snprintf(out, cap, "%s_%ld_%lx_%08x", prefix, (long)getpid(),
		 (unsigned long)time(NULL), r);
}

int ut_sqlite_file(const char *tmpl, char *path, size_t path_cap, char *url,
		   size_t url_cap)
{
	snprintf(path, path_cap, "%s", tmpl);
	int fd = mkstemp(path);
	if (fd < 0) {
		path[0] = '\0';
		return -1;
	}
	close(fd);
	snprintf(url, url_cap, "sqlite:%s", path);
	return 0;
}

int ut_sqlite_dir(const char *tmpl, const char *file, char *dir, size_t dir_cap,
		  char *url, size_t url_cap)
{
	snprintf(dir, dir_cap, "%s", tmpl);
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		return -1;
	}
	snprintf(url, url_cap, "sqlite:%s/%s", dir, file);
	return 0;
}

void ut_sqlite_remove(const char *path)
{
	char side[1100];
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

void ut_sqlite_remove_dir(const char *dir, const char *file)
{
	char path[1100];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ut_sqlite_remove(path);
	rmdir(dir);
}

int ut_store_open(const char *engine, const char *url, struct dd_store **out)
{
	struct dd_err err;
	if (dd_store_open(url, out, &err) < 0) {
		fprintf(stderr, "%s: cannot open: %s\n", engine, err.msg);
		return -1;
	}
	return 0;
}

int ut_pg_schema_create(const char *url, const char *prefix, char *schema,
			size_t cap)
{
	struct dd_store *admin = NULL;
	struct dd_err err;
	char sql[160];
	unsigned int r = ut_random32();
	snprintf(schema, cap, "%s_%ld_%08x", prefix, (long)getpid(), r);
	snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
	dd_err_clear(&err);
	if (dd_store_open(url, &admin, &err) < 0 ||
	    dd_store_exec_script(admin, sql, &err) < 0) {
		fprintf(stderr, "pg: cannot make a schema: %s\n", err.msg);
		schema[0] = '\0';
		if (admin)
			dd_store_close(admin);
		return -1;
	}
	dd_store_close(admin);
	return 0;
}

void ut_pg_schema_drop(struct dd_store *store, const char *schema)
{
	struct dd_err err;
	char sql[160];
	snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
	if (dd_store_exec_script(store, sql, &err) < 0)
		fprintf(stderr, "pg: cannot drop schema %s: %s\n", schema,
			err.msg);
}

int ut_store_open_in(const char *engine, const char *url, const char *schema,
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
		fprintf(stderr, "%s: %s\n", engine, err.msg);
		dd_store_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}
