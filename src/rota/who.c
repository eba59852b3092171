#include "rota/who.h"

#include <string.h>

#include "store/store.h"

void dd_who_cache_init(struct dd_who_cache *cache)
{
	memset(cache, 0, sizeof(*cache));
}

const struct dd_who *dd_who_find(const struct dd_who_cache *cache, int64_t id)
{
	for (int i = 0; i < cache->count; i++)
		if (cache->items[i].id == id)
			return &cache->items[i];
	return NULL;
}

int dd_who_get(struct dd_ctx *ctx, struct dd_who_cache *cache, int64_t id,
	       const struct dd_who **out, struct dd_err *err)
{
	const struct dd_who *found = dd_who_find(cache, id);
	if (found) {
		*out = found;
		return 0;
	}
	if (cache->count == cache->cap) {
		int ncap = cache->cap ? cache->cap * 2 : 16;
		struct dd_who *n =
			dd_arena_alloc(ctx->arena, sizeof(*n) * (size_t)ncap);
		if (!n)
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "out of memory");
		if (cache->count)
			memcpy(n, cache->items,
			       sizeof(*n) * (size_t)cache->count);
		cache->items = n;
		cache->cap = ncap;
	}
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    "SELECT login, name, phone FROM people WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(id)}, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		struct dd_who *w = &cache->items[cache->count];
		w->id = id;
		w->login = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 0));
		w->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
		w->phone = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
		if (!w->login || !w->name)
			rc = dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					"out of memory");
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no person with id %lld", (long long)id);
	*out = &cache->items[cache->count++];
	return 0;
}
