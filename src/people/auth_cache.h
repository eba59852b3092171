/*
 * auth_cache.h - credentials a server verified lately, so that a request
 * with a known token or session cookie needs no database statement to
 * say who is asking.
 *
 * An entry is keyed by the digest of the secret (never the secret) and
 * holds the principal the database answered with. It is used only while
 * all of these hold:
 *   - it is younger than DD_AUTH_CACHE_TTL_MS by the context's clock;
 *   - the change generation has not moved since the database was read:
 *     every committed change (revoking a token, a sign-out, a role or
 *     password change, a person made inactive) bumps the change counter,
 *     the server's live watcher (http/live.c) learns of it and bumps the
 *     generation, and every older entry is dropped;
 *   - the session has not expired, and the last-use time it remembers
 *     needs no update yet (the caller reads the database then, and
 *     writes the new time).
 * So a revoked credential stops working within the watcher's latency
 * (PostgreSQL: the NOTIFY's delivery; SQLite: 250 ms), and within
 * DD_AUTH_CACHE_TTL_MS even if the watcher lost the database. Refusals
 * and errors are never kept.
 *
 * Thread-safe: one mutex around a small direct-mapped table; a lookup
 * copies the principal out under it.
 */
#ifndef DD_PEOPLE_AUTH_CACHE_H
#define DD_PEOPLE_AUTH_CACHE_H

#include <pthread.h>
#include <stdint.h>

#include "base/secret.h"
#include "people/authz.h"

/* Slots of the table: far more than the credentials a help desk's
 * clients use at once; a collision only costs a database read. */
#define DD_AUTH_CACHE_SLOTS 256
/* Longest an entry is trusted without the database, whatever the
 * generation says: the bound on a change the watcher missed. */
#define DD_AUTH_CACHE_TTL_MS 1000

enum dd_auth_kind {
	DD_AUTH_NONE = 0,
	DD_AUTH_TOKEN,
	DD_AUTH_SESSION,
};

struct dd_auth_entry {
	enum dd_auth_kind kind;
	char digest[DD_SECRET_DIGEST_LEN];
	struct dd_principal who;
	int64_t generation; /* the generation read before the database */
	int64_t filled_ms;  /* context clock when the database answered */
	int64_t expires_ms; /* the session's end; 0: none */
	int64_t touch_ms;   /* when the last-use time is due to be written */
};

struct dd_auth_cache {
	pthread_mutex_t lock;
	/* The process's change generation (struct dd_live), read with
	 * atomic loads; NULL: entries live DD_AUTH_CACHE_TTL_MS. */
	const _Atomic int64_t *generation;
	struct dd_auth_entry slot[DD_AUTH_CACHE_SLOTS];
};

/* Set up an empty cache following generation (may be NULL). */
void dd_auth_cache_init(struct dd_auth_cache *cache,
			const _Atomic int64_t *generation);
void dd_auth_cache_release(struct dd_auth_cache *cache);

/* The generation now: read it before asking the database, and hand it
 * to dd_auth_cache_put, so that a change committed meanwhile makes the
 * new entry stale at once. */
int64_t dd_auth_cache_generation(const struct dd_auth_cache *cache);

/* Copy the principal for digest into who and return 1 when a usable
 * entry of kind exists at now_ms (see above); 0 otherwise (who
 * untouched). */
int dd_auth_cache_get(struct dd_auth_cache *cache, enum dd_auth_kind kind,
		      const char *digest, int64_t now_ms,
		      struct dd_principal *who);

/* Remember who for digest, verified at now_ms under generation. The
 * entry is refused after expires_ms (0: no end) and from touch_ms on
 * (the caller's next last-use write). */
void dd_auth_cache_put(struct dd_auth_cache *cache, enum dd_auth_kind kind,
		       const char *digest, int64_t generation, int64_t now_ms,
		       int64_t expires_ms, int64_t touch_ms,
		       const struct dd_principal *who);

/* Drop every entry of session_id (this process's sign-out: at once,
 * without waiting for the watcher). */
void dd_auth_cache_forget_session(struct dd_auth_cache *cache,
				  int64_t session_id);

#endif
