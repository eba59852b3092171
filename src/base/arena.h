/*
 * arena.h - a memory arena: many allocations, one release.
 *
 * Every request gets one; handlers allocate from it freely and never free
 * individual objects. The arena has a maximum size fixed at creation:
 * going past it returns NULL, which callers report as a 413/500.
 */
#ifndef DD_BASE_ARENA_H
#define DD_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct dd_arena_block;

struct dd_arena {
	struct dd_arena_block *head;
	size_t used;  /* bytes handed out over all blocks */
	size_t limit; /* most bytes the arena may hand out */
};

/* Set up a caller-owned arena that may hand out up to limit bytes. */
void dd_arena_init(struct dd_arena *arena, size_t limit);
/* Free every block; the arena may be used again afterwards. */
void dd_arena_release(struct dd_arena *arena);

/* Zeroed memory aligned for any type, valid until release; NULL when the
 * limit is reached. */
void *dd_arena_alloc(struct dd_arena *arena, size_t size);
/* Copies owned by the arena; NULL in, NULL out. */
char *dd_arena_strdup(struct dd_arena *arena, const char *s);
char *dd_arena_strndup(struct dd_arena *arena, const char *s, size_t n);
char *dd_arena_printf(struct dd_arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
