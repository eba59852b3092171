/*
 * migrate.h - numbered schema migrations.
 *
 * Each migration has a number and SQL that is the same for both engines but
 * for two markers: @ID@ (an auto-assigned 64-bit primary key) and @BLOB@.
 * Applied migrations are recorded in schema_migrations; a released
 * migration is never edited, only followed by a new one.
 */
#ifndef DD_STORE_MIGRATE_H
#define DD_STORE_MIGRATE_H

#include "store/store.h"

/* The newest schema version this binary knows. */
int dd_migrate_latest(void);

/* The database's schema version (0 for an empty database), or -1. */
int dd_migrate_current(struct dd_store *store, int *version,
		       struct dd_err *err);

/*
 * Apply every migration newer than the database's version, each in its own
 * transaction, under a lock so that several instances starting at once
 * apply each migration exactly once. now_ms is recorded as the time of
 * application. *applied (if not NULL) gets the number applied. Refuses
 * (409) a database whose version is newer than this binary's.
 */
int dd_migrate_run(struct dd_store *store, int64_t now_ms, int *applied,
		   struct dd_err *err);
/* The same, but only the migrations up to version: tests build a
 * database as an older release left it, to check what a migration does
 * to its rows. */
int dd_migrate_run_to(struct dd_store *store, int version, int64_t now_ms,
		      int *applied, struct dd_err *err);

#endif
