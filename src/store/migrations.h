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
};

extern const struct dd_migration dd_migrations[];
extern const int dd_migration_count;

#endif
