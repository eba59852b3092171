/*
 * migrations.h - the list of schema migrations, oldest first (private to
 * store/). Never edit a migration that has been released; add a new one.
 */
#ifndef DD_STORE_MIGRATIONS_H
#define DD_STORE_MIGRATIONS_H

struct dd_migration {
	int version;
	const char *name;
	const char *sql; /* with @ID@ and @BLOB@ markers */
	/* Run after sql on one engine only, where the dialects differ
	 * (full-text search); NULL for none. */
	const char *sqlite_sql;
	const char *pg_sql;
};

extern const struct dd_migration dd_migrations[];
extern const int dd_migration_count;

#endif
