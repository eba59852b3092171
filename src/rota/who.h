/*
 * who.h - the people a rota report names: login, display name and phone,
 * read once per person per request. A report about a month or a few
 * weeks names a handful of people; the cache is a small array.
 */
#ifndef DD_ROTA_WHO_H
#define DD_ROTA_WHO_H

#include <stdint.h>

#include "base/ctx.h"

struct dd_who {
	int64_t id;
	const char *login;
	const char *name;
	const char *phone; /* NULL when none */
};

/* Set up with dd_who_cache_init; all memory from the context's arena,
 * valid as long as it is. */
struct dd_who_cache {
	struct dd_who *items;
	int count;
	int cap;
};

void dd_who_cache_init(struct dd_who_cache *cache);

/* The person with id, read from the database on first use. 0 with *out
 * set, -1 with err filled (404 when there is no such person). */
int dd_who_get(struct dd_ctx *ctx, struct dd_who_cache *cache, int64_t id,
	       const struct dd_who **out, struct dd_err *err);

/* The person with id if already read, else NULL (no I/O). */
const struct dd_who *dd_who_find(const struct dd_who_cache *cache, int64_t id);

#endif
