/*
 * ticket_cache.h - GET /api/v1/tickets/{id} answered from memory.
 *
 * On PostgreSQL every read is a round trip to another process: at 64
 * connections on two cores the server, its backends and the client
 * share the cores, and a GET by id spent half its CPU and most of its
 * wait there (bench/README.md, "Tickets"). This cache keeps each
 * ticket's JSON representation and version as the database gave them.
 *
 * Freshness: an entry belongs to the change generation (struct dd_live)
 * read before the database was asked, and is used only while that
 * generation is current. Every write announces a change (store/event.h);
 * the live watcher hears of each commit of any instance at once
 * (PostgreSQL LISTEN/NOTIFY, and the change counter every second should
 * a notice be lost) and raises the generation, and a request that
 * writes raises it itself before its response. So an answer from here is
 * as fresh as the live updates browsers get: a request that follows a
 * write through the same instance never sees the old ticket, one through
 * another instance as soon as the notice has arrived (milliseconds).
 * Any change empties the whole cache: simple, and a help desk reads
 * far more often than it writes.
 *
 * Memory: entries take at most max_bytes together (a ticket is about
 * 0.7 KB); a table of one 40-byte slot per KiB of that comes on top.
 * Slot i holds ticket ids equal to i modulo the table size, so
 * consecutive ids never collide; a newer entry replaces an older one in
 * its slot, and an entry that would pass the limit is not kept.
 * Thread-safe: slots are locked in stripes.
 */
#ifndef DD_HTTP_TICKET_CACHE_H
#define DD_HTTP_TICKET_CACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define DD_TICKET_CACHE_STRIPES 64

struct dd_ticket_cache_slot;

struct dd_ticket_cache {
	const _Atomic int64_t *generation;
	size_t max_bytes; /* 0: the cache is off */
	_Atomic size_t bytes;
	size_t mask; /* slots - 1, a power of two less one */
	struct dd_ticket_cache_slot *slots;
	pthread_mutex_t stripes[DD_TICKET_CACHE_STRIPES];
};

/* Set up an empty cache of at most max_bytes following generation; 0
 * bytes turns it off (get always misses, put keeps nothing). Returns 0,
 * or -1 when the slot table cannot be allocated. */
int dd_ticket_cache_init(struct dd_ticket_cache *cache,
			 const _Atomic int64_t *generation, size_t max_bytes);
void dd_ticket_cache_release(struct dd_ticket_cache *cache);

/* The generation now: read it before asking the database and hand it
 * to dd_ticket_cache_put. */
int64_t dd_ticket_cache_generation(const struct dd_ticket_cache *cache);

/* Ticket id's representation, appended to out, and its version, when
 * present and current. Returns 1 (found) or 0 (not; also when out
 * cannot take it, which leaves out's overflow set as dd_buf_append
 * does). */
int dd_ticket_cache_get(struct dd_ticket_cache *cache, int64_t id,
			struct dd_buf *out, int64_t *version);

/* Keep a copy of json (len bytes) as ticket id's representation at
 * version, read from the database under generation. Nothing is kept
 * when the generation has moved on meanwhile or the memory limit would
 * be passed. */
void dd_ticket_cache_put(struct dd_ticket_cache *cache, int64_t id,
			 int64_t generation, int64_t version, const char *json,
			 size_t len);

#endif
