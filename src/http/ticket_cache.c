#include "http/ticket_cache.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct dd_ticket_cache_slot {
	int64_t id;
	int64_t generation;
	int64_t version;
	char *json; /* NULL: the slot is empty */
	size_t len;
};

/* One slot per KiB of the limit: a ticket's representation is about
 * 0.7 KB, so a full cache has few empty slots, and ids past the table
 * size share slots with those a table size below them. */
#define BYTES_PER_SLOT 1024

int dd_ticket_cache_init(struct dd_ticket_cache *cache,
			 const _Atomic int64_t *generation, size_t max_bytes)
{
	memset(cache, 0, sizeof(*cache));
	cache->generation = generation;
	atomic_init(&cache->bytes, 0);
	for (int i = 0; i < DD_TICKET_CACHE_STRIPES; i++)
		pthread_mutex_init(&cache->stripes[i], NULL);
	if (max_bytes == 0 || !generation)
		return 0;
	size_t slots = 1024;
	while (slots < max_bytes / BYTES_PER_SLOT && slots < ((size_t)1 << 30))
		slots *= 2;
	cache->slots = calloc(slots, sizeof(*cache->slots));
	if (!cache->slots)
		return -1;
	cache->mask = slots - 1;
	cache->max_bytes = max_bytes;
	return 0;
}

static void slot_clear(struct dd_ticket_cache *cache,
		       struct dd_ticket_cache_slot *slot)
{
	if (!slot->json)
		return;
	atomic_fetch_sub(&cache->bytes, slot->len);
	free(slot->json);
	slot->json = NULL;
	slot->len = 0;
}

void dd_ticket_cache_release(struct dd_ticket_cache *cache)
{
	if (cache->slots)
		for (size_t i = 0; i <= cache->mask; i++)
			slot_clear(cache, &cache->slots[i]);
	free(cache->slots);
	cache->slots = NULL;
	cache->max_bytes = 0;
	for (int i = 0; i < DD_TICKET_CACHE_STRIPES; i++)
		pthread_mutex_destroy(&cache->stripes[i]);
}

int64_t dd_ticket_cache_generation(const struct dd_ticket_cache *cache)
{
	return cache->generation ? atomic_load(cache->generation) : 0;
}

static size_t slot_index(const struct dd_ticket_cache *cache, int64_t id)
{
	return (size_t)(uint64_t)id & cache->mask;
}

static pthread_mutex_t *stripe(struct dd_ticket_cache *cache, size_t index)
{
	return &cache->stripes[index % DD_TICKET_CACHE_STRIPES];
}

int dd_ticket_cache_get(struct dd_ticket_cache *cache, int64_t id,
			struct dd_buf *out, int64_t *version)
{
	if (!cache->slots)
		return 0;
	int64_t generation = dd_ticket_cache_generation(cache);
	size_t i = slot_index(cache, id);
	int found = 0;
	pthread_mutex_lock(stripe(cache, i));
	struct dd_ticket_cache_slot *slot = &cache->slots[i];
	if (slot->json && slot->generation != generation)
		slot_clear(cache, slot); /* stale: give its memory back */
	else if (slot->json && slot->id == id &&
		 dd_buf_append(out, slot->json, slot->len) == 0) {
		*version = slot->version;
		found = 1;
	}
	pthread_mutex_unlock(stripe(cache, i));
	return found;
}

void dd_ticket_cache_put(struct dd_ticket_cache *cache, int64_t id,
			 int64_t generation, int64_t version, const char *json,
			 size_t len)
{
	if (!cache->slots || generation != dd_ticket_cache_generation(cache))
		return;
	size_t i = slot_index(cache, id);
	pthread_mutex_lock(stripe(cache, i));
	struct dd_ticket_cache_slot *slot = &cache->slots[i];
	slot_clear(cache, slot);
	char *copy = NULL;
	if (atomic_fetch_add(&cache->bytes, len) + len <= cache->max_bytes)
		copy = malloc(len);
	if (copy) {
		memcpy(copy, json, len);
		slot->id = id;
		slot->generation = generation;
		slot->version = version;
		slot->json = copy;
		slot->len = len;
	} else {
		atomic_fetch_sub(&cache->bytes, len);
	}
	pthread_mutex_unlock(stripe(cache, i));
}
