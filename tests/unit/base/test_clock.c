/*
 * test_clock.c - the clock in the context: a manual clock that tests set
 * and move, the system clock, and monotonic time.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/ctx.h"

static void test_manual_stands_still(void **state)
{
	struct dd_clock c;
	dd_clock_init_manual(&c, 1795767300123LL);
	assert_true(dd_clock_now(&c) == 1795767300123LL);
	assert_true(dd_clock_now(&c) == 1795767300123LL);
	/* Through the function pointer too. */
	assert_true(c.now_ms(&c) == 1795767300123LL);
}

static void test_manual_set(void **state)
{
	struct dd_clock c;
	dd_clock_init_manual(&c, 0);
	assert_true(dd_clock_now(&c) == 0);
	dd_clock_set(&c, 5000);
	assert_true(dd_clock_now(&c) == 5000);
	/* Time may be set backwards (tests of skew and expiry do). */
	dd_clock_set(&c, -86400000LL);
	assert_true(dd_clock_now(&c) == -86400000LL);
	dd_clock_set(&c, INT64_MAX);
	assert_true(dd_clock_now(&c) == INT64_MAX);
}

static void test_manual_advance(void **state)
{
	struct dd_clock c;
	dd_clock_init_manual(&c, 1000);
	dd_clock_advance(&c, 250);
	assert_true(dd_clock_now(&c) == 1250);
	dd_clock_advance(&c, 0);
	assert_true(dd_clock_now(&c) == 1250);
	dd_clock_advance(&c, -1300);
	assert_true(dd_clock_now(&c) == -50);
	/* A week, as session expiry tests move it. */
	dd_clock_advance(&c, 7LL * 24 * 3600 * 1000);
	assert_true(dd_clock_now(&c) == 7LL * 24 * 3600 * 1000 - 50);
}

static void test_ctx_now_reads_the_clock(void **state)
{
	struct dd_clock c;
	struct dd_ctx ctx = {0};
	dd_clock_init_manual(&c, 42);
	ctx.clock = &c;
	assert_true(dd_ctx_now(&ctx) == 42);
	dd_clock_advance(&c, 8);
	assert_true(dd_ctx_now(&ctx) == 50);
}

#define THREADS 4
#define STEPS	20000

static void *advance_many(void *arg)
{
	struct dd_clock *c = arg;
	for (int i = 0; i < STEPS; i++)
		dd_clock_advance(c, 1);
	return NULL;
}

static void test_manual_advance_is_atomic(void **state)
{
	/* Workers read the clock while a test moves it: no advance may be
	 * lost. */
	struct dd_clock c;
	pthread_t t[THREADS];
	dd_clock_init_manual(&c, 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, advance_many, &c),
				 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(dd_clock_now(&c), THREADS * STEPS);
}

static void test_system_clock_is_now(void **state)
{
	struct dd_clock c;
	dd_clock_init_system(&c);
	/* time() may read a coarser clock: allow a second either way. */
	int64_t before = (int64_t)time(NULL) * 1000 - 1000;
	int64_t now = dd_clock_now(&c);
	int64_t after = (int64_t)time(NULL) * 1000 + 2000;
	assert_true(now >= before);
	assert_true(now <= after);
	/* Setting a system clock's manual time does not move it. */
	dd_clock_set(&c, 5);
	assert_true(dd_clock_now(&c) >= before);
}

static void test_manual_after_system(void **state)
{
	/* Re-initialising as manual replaces the source. */
	struct dd_clock c;
	dd_clock_init_system(&c);
	dd_clock_init_manual(&c, 7);
	assert_true(dd_clock_now(&c) == 7);
}

static void test_monotonic(void **state)
{
	int64_t prev = dd_monotonic_ms();
	assert_true(prev >= 0);
	for (int i = 0; i < 10000; i++) {
		int64_t t = dd_monotonic_ms();
		assert_true(t >= prev);
		prev = t;
	}
	struct timespec ts = {0, 20 * 1000 * 1000};
	int64_t start = dd_monotonic_ms();
	nanosleep(&ts, NULL);
	int64_t slept = dd_monotonic_ms() - start;
	assert_true(slept >= 19);
	assert_true(slept < 5000);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The file clock: what the file says, moved by rewriting it; a broken
 * or missing file keeps the last instant; no instant at start fails. */
static void test_file_clock(void **state)
{
	char path[] = "/tmp/dd-clock-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct dd_clock c;
	dd_clock_init_system(&c);
	assert_int_equal(dd_clock_init_file(&c, path), -1);
	write_text(path, "1795000000000\n");
	assert_int_equal(dd_clock_init_file(&c, path), 0);
	assert_true(dd_clock_now(&c) == 1795000000000LL);
	write_text(path, "1795000600000");
	assert_true(dd_clock_now(&c) == 1795000600000LL);
	write_text(path, "soon");
	assert_true(dd_clock_now(&c) == 1795000600000LL);
	unlink(path);
	assert_true(dd_clock_now(&c) == 1795000600000LL);
	assert_int_equal(dd_clock_init_file(&c, path), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_manual_stands_still),
	    cmocka_unit_test(test_manual_set),
	    cmocka_unit_test(test_manual_advance),
	    cmocka_unit_test(test_ctx_now_reads_the_clock),
	    cmocka_unit_test(test_manual_advance_is_atomic),
	    cmocka_unit_test(test_system_clock_is_now),
	    cmocka_unit_test(test_manual_after_system),
	    cmocka_unit_test(test_monotonic),
	    cmocka_unit_test(test_file_clock),
	};
	return cmocka_run_group_tests_name("base/clock", tests, NULL, NULL);
}
