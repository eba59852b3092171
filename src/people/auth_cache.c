#include "people/auth_cache.h"

#include <stdatomic.h>
#include <string.h>

void dd_auth_cache_init(struct dd_auth_cache *cache,
			const _Atomic int64_t *generation)
{
	memset(cache->slot, 0, sizeof(cache->slot));
	cache->generation = generation;
	pthread_mutex_init(&cache->lock, NULL);
}

void dd_auth_cache_release(struct dd_auth_cache *cache)
{
	pthread_mutex_destroy(&cache->lock);
	memset(cache->slot, 0, sizeof(cache->slot));
}

int64_t dd_auth_cache_generation(const struct dd_auth_cache *cache)
{
	return cache->generation ? atomic_load(cache->generation) : 0;
}

/* The digest is hex of a hash: its first characters spread evenly. */
static unsigned slot_of(const char *digest)
{
	unsigned h = 2166136261u;
	for (int i = 0; i < 8 && digest[i]; i++)
		h = (h ^ (unsigned char)digest[i]) * 16777619u;
	return h % DD_AUTH_CACHE_SLOTS;
}

int dd_auth_cache_get(struct dd_auth_cache *cache, enum dd_auth_kind kind,
		      const char *digest, int64_t now_ms,
		      struct dd_principal *who)
{
	int64_t generation = dd_auth_cache_generation(cache);
	struct dd_auth_entry *e = &cache->slot[slot_of(digest)];
	int hit = 0;
	pthread_mutex_lock(&cache->lock);
	/* now_ms below filled_ms: the clock went back; trust nothing. */
	if (e->kind == kind && e->generation == generation &&
	    now_ms >= e->filled_ms &&
	    now_ms - e->filled_ms < DD_AUTH_CACHE_TTL_MS &&
	    (e->expires_ms == 0 || now_ms < e->expires_ms) &&
	    now_ms < e->touch_ms &&
	    dd_secret_equal(e->digest, digest, DD_SECRET_DIGEST_LEN - 1) == 0) {
		*who = e->who;
		hit = 1;
	}
	pthread_mutex_unlock(&cache->lock);
	return hit;
}

void dd_auth_cache_put(struct dd_auth_cache *cache, enum dd_auth_kind kind,
		       const char *digest, int64_t generation, int64_t now_ms,
		       int64_t expires_ms, int64_t touch_ms,
		       const struct dd_principal *who)
{
	if (strlen(digest) != DD_SECRET_DIGEST_LEN - 1)
		return;
	struct dd_auth_entry *e = &cache->slot[slot_of(digest)];
	pthread_mutex_lock(&cache->lock);
	e->kind = kind;
	memcpy(e->digest, digest, DD_SECRET_DIGEST_LEN);
	e->who = *who;
	e->generation = generation;
	e->filled_ms = now_ms;
	e->expires_ms = expires_ms;
	e->touch_ms = touch_ms;
	pthread_mutex_unlock(&cache->lock);
}

void dd_auth_cache_forget_session(struct dd_auth_cache *cache,
				  int64_t session_id)
{
	pthread_mutex_lock(&cache->lock);
	for (int i = 0; i < DD_AUTH_CACHE_SLOTS; i++)
		if (cache->slot[i].kind == DD_AUTH_SESSION &&
		    cache->slot[i].who.session_id == session_id)
			memset(&cache->slot[i], 0, sizeof(cache->slot[i]));
	pthread_mutex_unlock(&cache->lock);
}
