/*
 * test_arena.c - the memory arena: alignment, zeroed memory, the limit,
 * string copies, release and reuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"

#define ALIGN _Alignof(max_align_t)

/* The unit the arena rounds sizes up to (a multiple of ALIGN). */
static size_t arena_unit(void)
{
	struct dd_arena a;
	dd_arena_init(&a, 1 << 16);
	assert_non_null(dd_arena_alloc(&a, 1));
	size_t unit = a.used;
	dd_arena_release(&a);
	assert_true(unit >= ALIGN);
	assert_int_equal(unit % ALIGN, 0);
	return unit;
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

static void test_init(void **state)
{
	struct dd_arena a;
	memset(&a, 0x77, sizeof(a));
	dd_arena_init(&a, 1234);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.limit, 1234);
	/* Releasing an arena that never allocated is fine. */
	dd_arena_release(&a);
	assert_null(a.head);
}

static void test_alignment(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 1 << 20);
	/* Odd sizes, across several blocks: every pointer is aligned for
	 * any type. */
	for (size_t size = 1; size < 300; size += 7) {
		char *p = dd_arena_alloc(&a, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % ALIGN, 0);
		/* The whole size is usable (ASan checks the bounds). */
		memset(p, 0xab, size);
	}
	long double *ld = dd_arena_alloc(&a, sizeof(*ld));
	assert_non_null(ld);
	*ld = 1.5L;
	assert_true(*ld == 1.5L);
	dd_arena_release(&a);
}

static void test_distinct_and_not_overlapping(void **state)
{
	struct dd_arena a;
	unsigned char *ptrs[64];
	dd_arena_init(&a, 1 << 20);
	for (int i = 0; i < 64; i++) {
		ptrs[i] = dd_arena_alloc(&a, 100);
		assert_non_null(ptrs[i]);
		memset(ptrs[i], i, 100);
	}
	/* Each allocation still holds what was written to it. */
	for (int i = 0; i < 64; i++)
		for (int k = 0; k < 100; k++)
			assert_int_equal(ptrs[i][k], i);
	dd_arena_release(&a);
}

static void test_zeroed(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 1 << 22);
	/* Fresh blocks come from malloc, which AddressSanitizer fills with
	 * garbage: the arena must clear them. */
	for (size_t size = 1; size < 5000; size = size * 3 + 1) {
		unsigned char *p = dd_arena_alloc(&a, size);
		assert_non_null(p);
		assert_true(all_zero(p, size));
		memset(p, 0xff, size);
	}
	/* A block larger than the first one. */
	unsigned char *big = dd_arena_alloc(&a, 100000);
	assert_non_null(big);
	assert_true(all_zero(big, 100000));
	dd_arena_release(&a);
}

static void test_zero_size(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 64);
	void *p = dd_arena_alloc(&a, 0);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % ALIGN, 0);
	assert_int_equal(a.used, 0);
	dd_arena_release(&a);
}

static void test_used_counts_rounded_sizes(void **state)
{
	struct dd_arena a;
	const size_t unit = arena_unit();
	dd_arena_init(&a, 1 << 20);
	assert_non_null(dd_arena_alloc(&a, 1));
	assert_int_equal(a.used, unit);
	assert_non_null(dd_arena_alloc(&a, unit));
	assert_int_equal(a.used, 2 * unit);
	assert_non_null(dd_arena_alloc(&a, unit + 1));
	assert_int_equal(a.used, 4 * unit);
	dd_arena_release(&a);
}

static void test_limit(void **state)
{
	struct dd_arena a;
	const size_t unit = arena_unit();
	dd_arena_init(&a, 6 * unit);
	assert_non_null(dd_arena_alloc(&a, 4 * unit));
	/* 3 more would go past 6. */
	assert_null(dd_arena_alloc(&a, 3 * unit));
	/* A failed allocation takes nothing. */
	assert_int_equal(a.used, 4 * unit);
	/* Rounding counts: 2*unit+1 needs 3 units. */
	assert_null(dd_arena_alloc(&a, 2 * unit + 1));
	/* Exactly up to the limit is allowed. */
	assert_non_null(dd_arena_alloc(&a, 2 * unit));
	assert_int_equal(a.used, a.limit);
	assert_null(dd_arena_alloc(&a, 1));
	assert_non_null(dd_arena_alloc(&a, 0));
	dd_arena_release(&a);
}

static void test_limit_zero(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 0);
	assert_null(dd_arena_alloc(&a, 1));
	assert_null(dd_arena_strdup(&a, ""));
	assert_null(dd_arena_printf(&a, "x"));
	dd_arena_release(&a);
}

static void test_huge_sizes_refused(void **state)
{
	struct dd_arena a;
	const size_t unit = arena_unit();
	dd_arena_init(&a, 4096);
	/* Rounding SIZE_MAX up wraps. */
	assert_null(dd_arena_alloc(&a, SIZE_MAX));
	assert_null(dd_arena_alloc(&a, SIZE_MAX - 1));
	assert_int_equal(a.used, 0);
	/* Regression: with some bytes already used, used + need wrapped
	 * past zero, the limit check passed and the block size loop never
	 * ended (the alarm turns that hang into a failure). */
	assert_non_null(dd_arena_alloc(&a, 16));
	alarm(10);
	assert_null(dd_arena_alloc(&a, SIZE_MAX - unit + 1));
	assert_null(dd_arena_alloc(&a, SIZE_MAX / 2 + 1));
	alarm(0);
	assert_int_equal(a.used, unit);
	dd_arena_release(&a);
}

static void test_strdup(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 1 << 16);
	char src[] = "Grüße, \"quoted\"";
	char *p = dd_arena_strdup(&a, src);
	assert_non_null(p);
	assert_ptr_not_equal(p, src);
	assert_string_equal(p, src);
	/* A copy, not a reference. */
	src[0] = 'X';
	assert_int_equal(p[0], 'G');
	char *e = dd_arena_strdup(&a, "");
	assert_non_null(e);
	assert_string_equal(e, "");
	assert_null(dd_arena_strdup(&a, NULL));
	dd_arena_release(&a);
}

static void test_strndup(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 1 << 16);
	char *p = dd_arena_strndup(&a, "abcdef", 3);
	assert_string_equal(p, "abc");
	p = dd_arena_strndup(&a, "abcdef", 0);
	assert_string_equal(p, "");
	/* n bytes are copied even past a NUL: the caller gave a length. */
	p = dd_arena_strndup(&a, "ab\0cd", 5);
	assert_non_null(p);
	assert_memory_equal(p, "ab\0cd", 6);
	/* The source need not be NUL-terminated. */
	static const char raw[4] = {'w', 'x', 'y', 'z'};
	p = dd_arena_strndup(&a, raw, sizeof(raw));
	assert_string_equal(p, "wxyz");
	assert_null(dd_arena_strndup(&a, NULL, 3));
	dd_arena_release(&a);
}

static void test_strdup_over_limit(void **state)
{
	struct dd_arena a;
	char big[200];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dd_arena_init(&a, 128);
	assert_null(dd_arena_strdup(&a, big));
	assert_null(dd_arena_strndup(&a, big, 150));
	assert_non_null(dd_arena_strndup(&a, big, 100));
	dd_arena_release(&a);
}

static void test_printf(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 1 << 16);
	char *p =
	    dd_arena_printf(&a, "person %lld: %s (%.2f)", 42LL, "ann", 0.5);
	assert_string_equal(p, "person 42: ann (0.50)");
	p = dd_arena_printf(&a, "%s", "");
	assert_non_null(p);
	assert_string_equal(p, "");
	/* Longer than the first block. */
	p = dd_arena_printf(&a, "%6000d|", 7);
	assert_non_null(p);
	assert_int_equal(strlen(p), 6001);
	assert_int_equal(p[5999], '7');
	assert_int_equal(p[6000], '|');
	dd_arena_release(&a);
}

static void test_printf_over_limit(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 64);
	assert_null(dd_arena_printf(&a, "%100d", 1));
	assert_int_equal(a.used, 0);
	assert_non_null(dd_arena_printf(&a, "%10d", 1));
	dd_arena_release(&a);
}

static void test_release_and_reuse(void **state)
{
	struct dd_arena a;
	dd_arena_init(&a, 8 * 1024);
	/* Fill to the limit, release, and the whole limit is free again. */
	while (dd_arena_alloc(&a, 1000))
		;
	assert_true(a.used > 8 * 1024 - 1024);
	assert_null(dd_arena_alloc(&a, 1000));
	dd_arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.limit, 8 * 1024);
	for (int round = 0; round < 3; round++) {
		char *p = dd_arena_alloc(&a, 4000);
		assert_non_null(p);
		assert_true(all_zero(p, 4000));
		memset(p, 0xcc, 4000);
		assert_non_null(dd_arena_strdup(&a, "after release"));
		dd_arena_release(&a);
		assert_int_equal(a.used, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_alignment),
	    cmocka_unit_test(test_distinct_and_not_overlapping),
	    cmocka_unit_test(test_zeroed),
	    cmocka_unit_test(test_zero_size),
	    cmocka_unit_test(test_used_counts_rounded_sizes),
	    cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_limit_zero),
	    cmocka_unit_test(test_huge_sizes_refused),
	    cmocka_unit_test(test_strdup),
	    cmocka_unit_test(test_strndup),
	    cmocka_unit_test(test_strdup_over_limit),
	    cmocka_unit_test(test_printf),
	    cmocka_unit_test(test_printf_over_limit),
	    cmocka_unit_test(test_release_and_reuse),
	};
	return cmocka_run_group_tests_name("base/arena", tests, NULL, NULL);
}
