/*
 * test_auth_cache.c - the cache of verified credentials: a hit only for
 * the same kind and digest, within the age cap, before the session's
 * end and the next last-use write, and under the generation it was
 * filled with; a session's entries dropped at sign-out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "people/auth_cache.h"

static _Atomic int64_t generation;
static struct dd_auth_cache cache;

static const char *digest_a =
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char *digest_b =
	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

static int setup(void **state)
{
	(void)state;
	atomic_store(&generation, 5);
	dd_auth_cache_init(&cache, &generation);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dd_auth_cache_release(&cache);
	return 0;
}

static struct dd_principal principal(int64_t token_id, int64_t session_id)
{
	struct dd_principal p;
	memset(&p, 0, sizeof(p));
	p.person_id = 7;
	snprintf(p.login, sizeof(p.login), "ann");
	p.role = DD_ROLE_EDITOR;
	p.scopes = DD_SCOPE_ALL;
	p.token_id = token_id;
	p.session_id = session_id;
	return p;
}

static void put_token(const char *digest, int64_t now)
{
	struct dd_principal p = principal(11, 0);
	dd_auth_cache_put(&cache, DD_AUTH_TOKEN, digest,
			  dd_auth_cache_generation(&cache), now, 0, now + 60000,
			  &p);
}

static void test_empty_is_a_miss(void **state)
{
	(void)state;
	struct dd_principal who = principal(0, 0);
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a, 1000, &who),
		0);
	assert_int_equal(who.token_id, 0);
}

static void test_hit_copies_the_principal(void **state)
{
	(void)state;
	put_token(digest_a, 1000);
	struct dd_principal who;
	memset(&who, 0, sizeof(who));
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a, 1500, &who),
		1);
	assert_int_equal(who.token_id, 11);
	assert_int_equal(who.person_id, 7);
	assert_int_equal(who.role, DD_ROLE_EDITOR);
	assert_string_equal(who.login, "ann");
}

static void test_other_digest_or_kind_is_a_miss(void **state)
{
	(void)state;
	struct dd_principal who;
	put_token(digest_a, 1000);
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_b, 1000, &who),
		0);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_SESSION, digest_a,
					   1000, &who),
			 0);
	/* Same first characters (same slot), different digest. */
	char near[DD_SECRET_DIGEST_LEN];
	memcpy(near, digest_a, sizeof(near));
	near[60] = 'x';
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, near, 1000, &who), 0);
}

static void test_age_cap(void **state)
{
	(void)state;
	struct dd_principal who;
	put_token(digest_a, 1000);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a,
					   1000 + DD_AUTH_CACHE_TTL_MS - 1,
					   &who),
			 1);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a,
					   1000 + DD_AUTH_CACHE_TTL_MS, &who),
			 0);
	/* The clock moved back: no trust either. */
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a, 999, &who),
		0);
}

static void test_generation_moves_on(void **state)
{
	(void)state;
	struct dd_principal who;
	put_token(digest_a, 1000);
	atomic_fetch_add(&generation, 1);
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a, 1001, &who),
		0);
	/* Filled with the generation read before a change committed:
	 * stale at once. */
	struct dd_principal p = principal(11, 0);
	int64_t before = dd_auth_cache_generation(&cache);
	atomic_fetch_add(&generation, 1);
	dd_auth_cache_put(&cache, DD_AUTH_TOKEN, digest_a, before, 1002, 0,
			  99999, &p);
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a, 1003, &who),
		0);
}

static void test_session_end_and_touch(void **state)
{
	(void)state;
	struct dd_principal who, p = principal(0, 3);
	int64_t g = dd_auth_cache_generation(&cache);
	/* Ends at 1500. */
	dd_auth_cache_put(&cache, DD_AUTH_SESSION, digest_b, g, 1000, 1500,
			  99999, &p);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_SESSION, digest_b,
					   1499, &who),
			 1);
	assert_int_equal(who.session_id, 3);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_SESSION, digest_b,
					   1500, &who),
			 0);
	/* Last use due at 1200: the database is asked from then on. */
	dd_auth_cache_put(&cache, DD_AUTH_SESSION, digest_b, g, 1000, 0, 1200,
			  &p);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_SESSION, digest_b,
					   1199, &who),
			 1);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_SESSION, digest_b,
					   1200, &who),
			 0);
}

static void test_forget_session(void **state)
{
	(void)state;
	struct dd_principal who, p = principal(0, 3);
	int64_t g = dd_auth_cache_generation(&cache);
	dd_auth_cache_put(&cache, DD_AUTH_SESSION, digest_b, g, 1000, 0, 99999,
			  &p);
	put_token(digest_a, 1000);
	dd_auth_cache_forget_session(&cache, 4);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_SESSION, digest_b,
					   1001, &who),
			 1);
	dd_auth_cache_forget_session(&cache, 3);
	assert_int_equal(dd_auth_cache_get(&cache, DD_AUTH_SESSION, digest_b,
					   1001, &who),
			 0);
	/* Tokens stay. */
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, digest_a, 1001, &who),
		1);
}

static void test_bad_digest_not_kept(void **state)
{
	(void)state;
	struct dd_principal who;
	put_token("abc", 1000);
	assert_int_equal(
		dd_auth_cache_get(&cache, DD_AUTH_TOKEN, "abc", 1000, &who), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_is_a_miss, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hit_copies_the_principal,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_other_digest_or_kind_is_a_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_age_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generation_moves_on, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_session_end_and_touch,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_forget_session, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_digest_not_kept, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("people/auth_cache", tests, NULL,
					   NULL);
}
