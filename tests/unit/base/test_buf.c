/*
 * test_buf.c - the growable buffer: growth, the maximum size and its
 * sticky overflow flag, printf, detach, reset and release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"

/* The buffer's invariants after any call: NUL after the contents,
 * within capacity, within the maximum. */
static void check_invariants(const struct dd_buf *b)
{
	assert_true(b->len <= b->max);
	if (b->data) {
		assert_true(b->len < b->cap);
		assert_true(b->cap <= b->max + 1);
		assert_int_equal(b->data[b->len], '\0');
		assert_int_equal(strlen(dd_buf_str(b)) <= b->len, 1);
	} else {
		assert_int_equal(b->len, 0);
		assert_int_equal(b->cap, 0);
	}
}

static void test_init_is_empty(void **state)
{
	struct dd_buf b;
	memset(&b, 0x5a, sizeof(b));
	dd_buf_init(&b, 100);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	assert_int_equal(b.overflow, 0);
	assert_string_equal(dd_buf_str(&b), "");
	check_invariants(&b);
}

static void test_append_and_growth(void **state)
{
	struct dd_buf b;
	char expect[10000];
	dd_buf_init(&b, sizeof(expect));
	/* Many small appends, well past the first allocation, each checked
	 * against a plain array. */
	for (size_t i = 0; i < sizeof(expect) - 1; i++) {
		char c = (char)('a' + i % 26);
		expect[i] = c;
		assert_int_equal(dd_buf_append(&b, &c, 1), 0);
		check_invariants(&b);
	}
	expect[sizeof(expect) - 1] = '\0';
	assert_int_equal(b.len, sizeof(expect) - 1);
	assert_string_equal(dd_buf_str(&b), expect);
	assert_int_equal(b.overflow, 0);
	dd_buf_release(&b);
}

static void test_append_binary_and_empty(void **state)
{
	struct dd_buf b;
	static const char bytes[] = {'a', '\0', 'b', '\xff'};
	dd_buf_init(&b, 64);
	/* An empty append makes an empty string, not an error. */
	assert_int_equal(dd_buf_append(&b, "", 0), 0);
	assert_string_equal(dd_buf_str(&b), "");
	assert_int_equal(dd_buf_append(&b, bytes, sizeof(bytes)), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, bytes, sizeof(bytes));
	assert_int_equal(b.data[4], '\0');
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_puts_putc(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 64);
	assert_int_equal(dd_buf_puts(&b, "hello"), 0);
	assert_int_equal(dd_buf_putc(&b, ','), 0);
	assert_int_equal(dd_buf_puts(&b, " world"), 0);
	assert_string_equal(dd_buf_str(&b), "hello, world");
	assert_int_equal(b.len, 12);
	dd_buf_release(&b);
}

static void test_exact_fit_then_overflow(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 10);
	assert_int_equal(dd_buf_puts(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10);
	assert_int_equal(b.overflow, 0);
	check_invariants(&b);
	assert_int_equal(dd_buf_putc(&b, 'x'), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(dd_buf_str(&b), "0123456789");
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_overflow_sticks_and_keeps_contents(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 10);
	assert_int_equal(dd_buf_puts(&b, "hello"), 0);
	/* 6 more bytes do not fit in 10. */
	assert_int_equal(dd_buf_puts(&b, "world!"), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(dd_buf_str(&b), "hello");
	assert_int_equal(b.len, 5);
	/* Once overflowed, even appends that would fit fail, so that a
	 * writer can check once at the end and never sees a gap. */
	assert_int_equal(dd_buf_putc(&b, 'x'), -1);
	assert_int_equal(dd_buf_puts(&b, "ab"), -1);
	assert_int_equal(dd_buf_append(&b, "", 0), -1);
	assert_int_equal(dd_buf_printf(&b, "%d", 1), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(dd_buf_str(&b), "hello");
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_overflow_huge_length(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 100);
	assert_int_equal(dd_buf_puts(&b, "abc"), 0);
	/* A length that would wrap len + extra must be refused, not
	 * wrapped into a small allocation. */
	assert_int_equal(dd_buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(dd_buf_str(&b), "abc");
	dd_buf_release(&b);

	dd_buf_init(&b, SIZE_MAX - 1);
	assert_int_equal(dd_buf_puts(&b, "abc"), 0);
	assert_int_equal(dd_buf_append(&b, "x", SIZE_MAX - 2), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(dd_buf_str(&b), "abc");
	dd_buf_release(&b);
}

static void test_max_zero(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 0);
	assert_int_equal(dd_buf_append(&b, "", 0), 0);
	assert_string_equal(dd_buf_str(&b), "");
	assert_int_equal(dd_buf_putc(&b, 'a'), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(dd_buf_str(&b), "");
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_printf(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 4096);
	assert_int_equal(dd_buf_printf(&b, "id=%d name=%s", 42, "ann"), 0);
	assert_int_equal(dd_buf_printf(&b, " %05.1f%%", 3.14159), 0);
	assert_string_equal(dd_buf_str(&b), "id=42 name=ann 003.1%");
	assert_int_equal(b.len, strlen("id=42 name=ann 003.1%"));
	/* An empty expansion is fine. */
	assert_int_equal(dd_buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, strlen("id=42 name=ann 003.1%"));
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_printf_grows(void **state)
{
	struct dd_buf b;
	char big[3000];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dd_buf_init(&b, 8192);
	assert_int_equal(dd_buf_puts(&b, "<"), 0);
	assert_int_equal(dd_buf_printf(&b, "%s|%s", big, big), 0);
	assert_int_equal(b.len, 1 + 2 * (sizeof(big) - 1) + 1);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[sizeof(big)], '|');
	assert_int_equal(b.data[b.len - 1], 'q');
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_printf_overflow_keeps_contents(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 16);
	assert_int_equal(dd_buf_printf(&b, "%s", "0123456789"), 0);
	assert_int_equal(dd_buf_printf(&b, "%d", 1234567), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(dd_buf_str(&b), "0123456789");
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_detach(void **state)
{
	struct dd_buf b;
	size_t len = 0;
	dd_buf_init(&b, 1000);
	assert_int_equal(dd_buf_puts(&b, "keep me"), 0);
	char *p = dd_buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "keep me");
	assert_int_equal(len, 7);
	/* The buffer is empty, keeps its maximum and is usable again. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 1000);
	assert_string_equal(dd_buf_str(&b), "");
	assert_int_equal(dd_buf_puts(&b, "again"), 0);
	assert_string_equal(dd_buf_str(&b), "again");
	/* The detached memory is the caller's and unaffected. */
	assert_string_equal(p, "keep me");
	free(p);
	/* len may be NULL. */
	p = dd_buf_detach(&b, NULL);
	assert_string_equal(p, "again");
	free(p);
	dd_buf_release(&b);
}

static void test_detach_empty(void **state)
{
	struct dd_buf b;
	size_t len = 99;
	dd_buf_init(&b, 10);
	assert_null(dd_buf_detach(&b, &len));
	assert_int_equal(len, 0);
}

static void test_detach_clears_overflow(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 4);
	assert_int_equal(dd_buf_puts(&b, "abcdef"), -1);
	assert_int_equal(b.overflow, 1);
	free(dd_buf_detach(&b, NULL));
	assert_int_equal(b.overflow, 0);
	assert_int_equal(dd_buf_puts(&b, "abcd"), 0);
	assert_string_equal(dd_buf_str(&b), "abcd");
	dd_buf_release(&b);
}

static void test_reset(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 8);
	assert_int_equal(dd_buf_puts(&b, "abcdefgh"), 0);
	assert_int_equal(dd_buf_putc(&b, 'i'), -1);
	assert_int_equal(b.overflow, 1);
	char *mem = b.data;
	size_t cap = b.cap;
	dd_buf_reset(&b);
	/* Contents forgotten, memory kept, overflow cleared. */
	assert_int_equal(b.len, 0);
	assert_int_equal(b.overflow, 0);
	assert_ptr_equal(b.data, mem);
	assert_int_equal(b.cap, cap);
	assert_string_equal(dd_buf_str(&b), "");
	assert_int_equal(dd_buf_puts(&b, "xyz"), 0);
	assert_string_equal(dd_buf_str(&b), "xyz");
	check_invariants(&b);
	dd_buf_release(&b);
}

static void test_reset_empty(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 8);
	dd_buf_reset(&b);
	assert_null(b.data);
	assert_string_equal(dd_buf_str(&b), "");
	check_invariants(&b);
}

static void test_release_and_reuse(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 50);
	assert_int_equal(dd_buf_puts(&b, "first"), 0);
	dd_buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 50);
	assert_int_equal(dd_buf_puts(&b, "second"), 0);
	assert_string_equal(dd_buf_str(&b), "second");
	dd_buf_release(&b);
	/* Releasing twice is harmless. */
	dd_buf_release(&b);
	assert_null(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_is_empty),
	    cmocka_unit_test(test_append_and_growth),
	    cmocka_unit_test(test_append_binary_and_empty),
	    cmocka_unit_test(test_puts_putc),
	    cmocka_unit_test(test_exact_fit_then_overflow),
	    cmocka_unit_test(test_overflow_sticks_and_keeps_contents),
	    cmocka_unit_test(test_overflow_huge_length),
	    cmocka_unit_test(test_max_zero),
	    cmocka_unit_test(test_printf),
	    cmocka_unit_test(test_printf_grows),
	    cmocka_unit_test(test_printf_overflow_keeps_contents),
	    cmocka_unit_test(test_detach),
	    cmocka_unit_test(test_detach_empty),
	    cmocka_unit_test(test_detach_clears_overflow),
	    cmocka_unit_test(test_reset),
	    cmocka_unit_test(test_reset_empty),
	    cmocka_unit_test(test_release_and_reuse),
	};
	return cmocka_run_group_tests_name("base/buf", tests, NULL, NULL);
}
