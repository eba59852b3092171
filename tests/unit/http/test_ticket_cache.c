/*
 * test_ticket_cache.c - the cache of tickets' representations: found
 * only under the generation it was read in, nothing kept that was read
 * before a change, its memory limit, slots shared by ids a table size
 * apart, a full response buffer, and the cache turned off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/ticket_cache.h"

struct fixture {
	_Atomic int64_t generation;
	struct dd_ticket_cache cache;
	struct dd_buf out;
};

static struct fixture *fixture_new(size_t max_bytes)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	f->generation = 7;
	assert_int_equal(
		dd_ticket_cache_init(&f->cache, &f->generation, max_bytes), 0);
	dd_buf_init(&f->out, 1 << 20);
	return f;
}

static void fixture_free(struct fixture *f)
{
	dd_ticket_cache_release(&f->cache);
	dd_buf_release(&f->out);
	test_free(f);
}

static void put(struct fixture *f, int64_t id, int64_t version,
		const char *json)
{
	dd_ticket_cache_put(&f->cache, id,
			    dd_ticket_cache_generation(&f->cache), version,
			    json, strlen(json));
}

/* The representation of id, or NULL when the cache has none. */
static const char *get(struct fixture *f, int64_t id, int64_t *version)
{
	dd_buf_reset(&f->out);
	if (!dd_ticket_cache_get(&f->cache, id, &f->out, version))
		return NULL;
	return dd_buf_str(&f->out);
}

static void test_found_until_anything_changes(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(1 << 20);
	int64_t version = 0;
	assert_null(get(f, 1, &version));
	put(f, 1, 3, "{\"id\":1}");
	assert_string_equal(get(f, 1, &version), "{\"id\":1}");
	assert_int_equal(version, 3);
	assert_null(get(f, 2, &version));
	f->generation++;
	assert_null(get(f, 1, &version));
	/* The stale entry's memory went back when it was found stale. */
	assert_int_equal(f->cache.bytes, 0);
	put(f, 1, 4, "{\"id\":1,\"v\":4}");
	assert_string_equal(get(f, 1, &version), "{\"id\":1,\"v\":4}");
	assert_int_equal(version, 4);
	fixture_free(f);
}

static void test_read_before_a_change_is_not_kept(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(1 << 20);
	int64_t version;
	int64_t before = dd_ticket_cache_generation(&f->cache);
	f->generation++; /* a change commits while the database is read */
	dd_ticket_cache_put(&f->cache, 5, before, 1, "old", 3);
	assert_null(get(f, 5, &version));
	assert_int_equal(f->cache.bytes, 0);
	fixture_free(f);
}

static void test_memory_limit(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);
	int64_t version;
	char big[80];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put(f, 1, 1, big);
	assert_non_null(get(f, 1, &version));
	put(f, 2, 1, big); /* 158 bytes in all: not kept */
	assert_null(get(f, 2, &version));
	assert_non_null(get(f, 1, &version));
	assert_int_equal(f->cache.bytes, 79);
	/* Replacing an entry gives its memory back first. */
	put(f, 1, 2, big);
	assert_int_equal(f->cache.bytes, 79);
	assert_non_null(get(f, 1, &version));
	assert_int_equal(version, 2);
	fixture_free(f);
}

static void test_ids_a_table_apart_share_a_slot(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(1 << 20);
	int64_t version;
	int64_t apart = (int64_t)f->cache.mask + 1;
	put(f, 3, 1, "three");
	put(f, 3 + apart, 1, "three, a table later");
	assert_null(get(f, 3, &version));
	assert_string_equal(get(f, 3 + apart, &version),
			    "three, a table later");
	/* Neighbours have slots of their own. */
	put(f, 4, 1, "four");
	assert_string_equal(get(f, 3 + apart, &version),
			    "three, a table later");
	assert_string_equal(get(f, 4, &version), "four");
	assert_int_equal(f->cache.bytes, strlen("three, a table later") + 4);
	fixture_free(f);
}

static void test_full_buffer_is_a_miss(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(1 << 20);
	int64_t version = 0;
	put(f, 9, 1, "0123456789");
	struct dd_buf small;
	dd_buf_init(&small, 4);
	assert_int_equal(dd_ticket_cache_get(&f->cache, 9, &small, &version),
			 0);
	assert_int_equal(version, 0);
	dd_buf_release(&small);
	fixture_free(f);
}

static void test_off(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(0);
	int64_t version;
	put(f, 1, 1, "{}");
	assert_null(get(f, 1, &version));
	assert_int_equal(f->cache.bytes, 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_until_anything_changes),
		cmocka_unit_test(test_read_before_a_change_is_not_kept),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_ids_a_table_apart_share_a_slot),
		cmocka_unit_test(test_full_buffer_is_a_miss),
		cmocka_unit_test(test_off),
	};
	return cmocka_run_group_tests_name("http/ticket_cache", tests, NULL,
					   NULL);
}
