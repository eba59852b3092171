/*
 * test_throttle.c - the sign-in delay, dd_session_throttle_wait: free
 * attempts, the doubling wait, its cap at the failure window, and how
 * the time since the last failure counts against it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/limits.h"
#include "people/session.h"

#define LAST   1795767300000LL /* the latest failure */
#define FREE   DD_LIMIT_SIGNIN_FREE
#define WINDOW DD_LIMIT_SIGNIN_WINDOW_S

static void test_free_attempts(void **state)
{
	/* Fewer failures than the free allowance never wait, however
	 * recent the last one. */
	for (int64_t n = 0; n < FREE; n++) {
		assert_int_equal(dd_session_throttle_wait(n, LAST, LAST), 0);
		assert_int_equal(dd_session_throttle_wait(n, LAST, LAST - 5000),
				 0);
	}
	assert_int_equal(dd_session_throttle_wait(-1, LAST, LAST), 0);
	assert_int_equal(dd_session_throttle_wait(0, 0, 0), 0);
}

static void test_first_wait_is_one_second(void **state)
{
	assert_int_equal(dd_session_throttle_wait(FREE, LAST, LAST), 1);
	assert_int_equal(dd_session_throttle_wait(FREE, LAST, LAST + 1), 1);
	assert_int_equal(dd_session_throttle_wait(FREE, LAST, LAST + 999), 1);
	assert_int_equal(dd_session_throttle_wait(FREE, LAST, LAST + 1000), 0);
	assert_int_equal(dd_session_throttle_wait(FREE, LAST, LAST + 60000), 0);
}

static void test_doubling(void **state)
{
	int64_t want = 1;
	for (int64_t n = FREE; n < FREE + 10; n++) {
		assert_int_equal(dd_session_throttle_wait(n, LAST, LAST),
				 want < WINDOW ? want : WINDOW);
		want *= 2;
	}
	/* Explicitly: 2, 4, 8 seconds after one, two, three more. */
	assert_int_equal(dd_session_throttle_wait(FREE + 1, LAST, LAST), 2);
	assert_int_equal(dd_session_throttle_wait(FREE + 2, LAST, LAST), 4);
	assert_int_equal(dd_session_throttle_wait(FREE + 3, LAST, LAST), 8);
	assert_int_equal(dd_session_throttle_wait(FREE + 9, LAST, LAST), 512);
}

static void test_cap_at_window(void **state)
{
	/* 2^10 = 1024 s is past the 900 s window: capped. */
	assert_int_equal(dd_session_throttle_wait(FREE + 10, LAST, LAST),
			 WINDOW);
	assert_int_equal(dd_session_throttle_wait(FREE + 11, LAST, LAST),
			 WINDOW);
	assert_int_equal(dd_session_throttle_wait(1000, LAST, LAST), WINDOW);
	/* An absurd count neither overflows nor loops for long. */
	assert_int_equal(dd_session_throttle_wait(INT64_MAX, LAST, LAST),
			 WINDOW);
	/* The capped wait ends a window after the last failure. */
	assert_int_equal(
	    dd_session_throttle_wait(1000, LAST, LAST + WINDOW * 1000LL - 1),
	    1);
	assert_int_equal(
	    dd_session_throttle_wait(1000, LAST, LAST + WINDOW * 1000LL), 0);
}

static void test_elapsed_time_counts(void **state)
{
	/* Two failures past the free ones: 4 s from the last. */
	const int64_t n = FREE + 2;
	assert_int_equal(dd_session_throttle_wait(n, LAST, LAST), 4);
	assert_int_equal(dd_session_throttle_wait(n, LAST, LAST + 1000), 3);
	/* Partial seconds round up: 2.5 s left is 3. */
	assert_int_equal(dd_session_throttle_wait(n, LAST, LAST + 1500), 3);
	assert_int_equal(dd_session_throttle_wait(n, LAST, LAST + 3001), 1);
	assert_int_equal(dd_session_throttle_wait(n, LAST, LAST + 3999), 1);
	assert_int_equal(dd_session_throttle_wait(n, LAST, LAST + 4000), 0);
	assert_int_equal(dd_session_throttle_wait(n, LAST, LAST + 4001), 0);
}

static void test_wait_never_exceeds_window(void **state)
{
	/* For any count and any time since the last failure, the answer
	 * is between 0 and the window, never grows as time passes and
	 * never shrinks as failures grow. */
	for (int64_t n = 0; n < 40; n++) {
		int prev = WINDOW + 1;
		for (int64_t dt = 0; dt <= (WINDOW + 5) * 1000LL; dt += 250) {
			int w = dd_session_throttle_wait(n, LAST, LAST + dt);
			assert_true(w >= 0);
			assert_true(w <= WINDOW);
			assert_true(w <= prev);
			prev = w;
			if (n > 0) {
				int fewer = dd_session_throttle_wait(
				    n - 1, LAST, LAST + dt);
				assert_true(fewer <= w);
			}
			/* Zero exactly when the wait has passed. */
			if (n >= FREE) {
				int64_t full =
				    (int64_t)1
				    << (n - FREE < 20 ? n - FREE : 20);
				if (full > WINDOW)
					full = WINDOW;
				assert_int_equal(w == 0, dt >= full * 1000);
			}
		}
	}
}

static void test_epoch_and_negative_instants(void **state)
{
	/* Nothing assumes instants are large or positive. */
	assert_int_equal(dd_session_throttle_wait(FREE + 1, 0, 0), 2);
	assert_int_equal(dd_session_throttle_wait(FREE + 1, 0, 2000), 0);
	assert_int_equal(dd_session_throttle_wait(FREE + 1, -5000, -4000), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_free_attempts),
	    cmocka_unit_test(test_first_wait_is_one_second),
	    cmocka_unit_test(test_doubling),
	    cmocka_unit_test(test_cap_at_window),
	    cmocka_unit_test(test_elapsed_time_counts),
	    cmocka_unit_test(test_wait_never_exceeds_window),
	    cmocka_unit_test(test_epoch_and_negative_instants),
	};
	return cmocka_run_group_tests_name("people/throttle", tests, NULL,
					   NULL);
}
