#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blocks start small (most requests need a few KiB) and double. */
#define ARENA_FIRST_BLOCK 4096

struct dd_arena_block {
	struct dd_arena_block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

void dd_arena_init(struct dd_arena *arena, size_t limit)
{
	arena->head = NULL;
	arena->used = 0;
	arena->limit = limit;
}

void dd_arena_release(struct dd_arena *arena)
{
	struct dd_arena_block *b = arena->head;
	while (b) {
		struct dd_arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena->head = NULL;
	arena->used = 0;
}

void *dd_arena_alloc(struct dd_arena *arena, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size_t need = (size + align - 1) / align * align;
	/* used <= limit always holds, so the subtraction cannot wrap where
	 * used + need could. */
	if (need < size || need > arena->limit - arena->used)
		return NULL;
	struct dd_arena_block *b = arena->head;
	if (!b || b->size - b->used < need) {
		size_t bsize = b ? b->size * 2 : ARENA_FIRST_BLOCK;
		while (bsize < need)
			bsize *= 2;
		struct dd_arena_block *nb = malloc(sizeof(*nb) + bsize);
		if (!nb)
			return NULL;
		nb->size = bsize;
		nb->used = 0;
		nb->next = b;
		arena->head = b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	arena->used += need;
	memset(p, 0, size);
	return p;
}

char *dd_arena_strndup(struct dd_arena *arena, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = dd_arena_alloc(arena, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *dd_arena_strdup(struct dd_arena *arena, const char *s)
{
	return s ? dd_arena_strndup(arena, s, strlen(s)) : NULL;
}

char *dd_arena_printf(struct dd_arena *arena, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = dd_arena_alloc(arena, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
