/*
 * test_utf8.c - UTF-8 validation: boundaries of every sequence length,
 * overlong forms, surrogates, code points above U+10FFFF, truncated and
 * broken sequences, NUL bytes; and an exhaustive comparison with a
 * straightforward reference decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/utf8.h"

/* Reference: the length of the well-formed sequence at s, decoded the
 * slow, obvious way (RFC 3629 section 3), or 0. */
static size_t ref_char_len(const unsigned char *s, size_t avail)
{
	size_t n;
	uint32_t cp, min;
	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static size_t len_of(const char *s)
{
	return dd_utf8_char_len(s, strlen(s));
}

static void test_ascii(void **state)
{
	assert_int_equal(dd_utf8_char_len("a", 1), 1);
	assert_int_equal(dd_utf8_char_len("\x7f", 1), 1);
	/* NUL is one byte long; validity of NUL is dd_utf8_valid's call. */
	assert_int_equal(dd_utf8_char_len("", 1), 1);
	assert_int_equal(dd_utf8_char_len("abc", 0), 0);
}

static void test_boundaries(void **state)
{
	/* Smallest and largest code point of each length. */
	assert_int_equal(len_of("\xc2\x80"), 2);	 /* U+0080 */
	assert_int_equal(len_of("\xdf\xbf"), 2);	 /* U+07FF */
	assert_int_equal(len_of("\xe0\xa0\x80"), 3);	 /* U+0800 */
	assert_int_equal(len_of("\xed\x9f\xbf"), 3);	 /* U+D7FF */
	assert_int_equal(len_of("\xee\x80\x80"), 3);	 /* U+E000 */
	assert_int_equal(len_of("\xef\xbf\xbd"), 3);	 /* U+FFFD */
	assert_int_equal(len_of("\xef\xbf\xbf"), 3);	 /* U+FFFF */
	assert_int_equal(len_of("\xf0\x90\x80\x80"), 4); /* U+10000 */
	assert_int_equal(len_of("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
	/* Only the first character counts. */
	assert_int_equal(len_of("\xc3\xa4xyz"), 2);
}

static void test_overlong(void **state)
{
	assert_int_equal(len_of("\xc0\x80"), 0);	 /* NUL */
	assert_int_equal(len_of("\xc0\xaf"), 0);	 /* '/' */
	assert_int_equal(len_of("\xc1\xbf"), 0);	 /* U+007F */
	assert_int_equal(len_of("\xe0\x80\x80"), 0);	 /* NUL */
	assert_int_equal(len_of("\xe0\x80\xaf"), 0);	 /* '/' */
	assert_int_equal(len_of("\xe0\x9f\xbf"), 0);	 /* U+07FF */
	assert_int_equal(len_of("\xf0\x80\x80\x80"), 0); /* NUL */
	assert_int_equal(len_of("\xf0\x80\x80\xaf"), 0); /* '/' */
	assert_int_equal(len_of("\xf0\x8f\xbf\xbf"), 0); /* U+FFFF */
}

static void test_surrogates(void **state)
{
	assert_int_equal(len_of("\xed\xa0\x80"), 0); /* U+D800 */
	assert_int_equal(len_of("\xed\xad\xbf"), 0); /* U+DB7F */
	assert_int_equal(len_of("\xed\xb0\x80"), 0); /* U+DC00 */
	assert_int_equal(len_of("\xed\xbf\xbf"), 0); /* U+DFFF */
	/* A CESU-8 pair for U+1F600. */
	assert_false(dd_utf8_valid("\xed\xa0\xbd\xed\xb8\x80", 6));
}

static void test_above_max(void **state)
{
	assert_int_equal(len_of("\xf4\x90\x80\x80"), 0); /* U+110000 */
	assert_int_equal(len_of("\xf4\xbf\xbf\xbf"), 0);
	assert_int_equal(len_of("\xf5\x80\x80\x80"), 0);
	assert_int_equal(len_of("\xf7\xbf\xbf\xbf"), 0);
	/* Old 5- and 6-byte forms. */
	assert_int_equal(len_of("\xf8\x88\x80\x80\x80"), 0);
	assert_int_equal(len_of("\xfc\x84\x80\x80\x80\x80"), 0);
	assert_int_equal(len_of("\xfe"), 0);
	assert_int_equal(len_of("\xff"), 0);
}

static void test_truncated(void **state)
{
	/* The bytes are there, but avail says they are not ours. */
	assert_int_equal(dd_utf8_char_len("\xc3\xa4", 1), 0);
	assert_int_equal(dd_utf8_char_len("\xe2\x82\xac", 2), 0);
	assert_int_equal(dd_utf8_char_len("\xe2\x82\xac", 1), 0);
	assert_int_equal(dd_utf8_char_len("\xf0\x9f\x98\x80", 3), 0);
	assert_int_equal(dd_utf8_char_len("\xf0\x9f\x98\x80", 1), 0);
	assert_false(dd_utf8_valid("ok\xe2\x82", 4));
	assert_false(dd_utf8_valid("\xf0\x9f\x98", 3));
	assert_false(dd_utf8_valid("\xc3", 1));
	/* The full sequence within avail is fine. */
	assert_int_equal(dd_utf8_char_len("\xf0\x9f\x98\x80", 4), 4);
}

static void test_bad_continuation(void **state)
{
	assert_int_equal(len_of("\xc3\x28"), 0);
	assert_int_equal(len_of("\xe2\x28\xa1"), 0);
	assert_int_equal(len_of("\xe2\x82\x28"), 0);
	assert_int_equal(len_of("\xf0\x28\x8c\xbc"), 0);
	assert_int_equal(len_of("\xf0\x90\x28\xbc"), 0);
	assert_int_equal(len_of("\xf0\x90\x8c\x28"), 0);
	/* A continuation byte that is really a new lead byte. */
	assert_int_equal(len_of("\xc3\xc3\xa4"), 0);
	/* Lone continuation bytes. */
	assert_int_equal(len_of("\x80"), 0);
	assert_int_equal(len_of("\xbf"), 0);
}

static void test_valid_strings(void **state)
{
	static const char *const good[] = {
	    "",
	    "plain ascii",
	    "Grüße, Jürgen",
	    "日本語",
	    "\xf0\x9f\x98\x80 smile",
	    "tab\tnewline\ncontrol\x01 del\x7f",
	    "\xef\xbb\xbf"
	    "BOM",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!dd_utf8_valid(good[i], strlen(good[i])))
			fail_msg("'%s' should be valid", good[i]);
}

static void test_invalid_strings(void **state)
{
	static const char *const bad[] = {
	    "abc\xff",
	    "\x80xyz",
	    "a\xc0\xaf"
	    "b",
	    "\xed\xa0\x80",
	    "\xf4\x90\x80\x80",
	    "Gr\xfc\xdf"
	    "e" /* Latin-1 */,
	    "end\xe2\x82",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dd_utf8_valid(bad[i], strlen(bad[i])))
			fail_msg("case %zu should be invalid", i);
}

static void test_nul_is_invalid(void **state)
{
	assert_false(dd_utf8_valid("a\0b", 3));
	assert_false(dd_utf8_valid("\0", 1));
	assert_false(dd_utf8_valid("abc\0", 4));
	/* len, not the NUL, ends the text. */
	assert_true(dd_utf8_valid("abc\0", 3));
	assert_true(dd_utf8_valid("\xc3\xa4\0", 2));
	assert_true(dd_utf8_valid(NULL, 0));
}

static void test_len_bounds_validation(void **state)
{
	/* A multi-byte character cut by len is invalid, even though the
	 * following bytes would complete it. */
	assert_false(dd_utf8_valid("x\xc3\xa4", 2));
	assert_true(dd_utf8_valid("x\xc3\xa4", 3));
}

static void test_count(void **state)
{
	assert_int_equal(dd_utf8_count("", 0), 0);
	assert_int_equal(dd_utf8_count("abc", 3), 3);
	assert_int_equal(dd_utf8_count("Grüße", strlen("Grüße")), 5);
	assert_int_equal(dd_utf8_count("日本語", strlen("日本語")), 3);
	assert_int_equal(dd_utf8_count("\xf0\x9f\x98\x80"
				       "a",
				       5),
			 2);
}

/* Every one-, two- and three-byte prefix against the reference. */
static void test_exhaustive_three_bytes(void **state)
{
	unsigned char s[4];
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++)
			for (unsigned c = 0; c < 256; c++) {
				s[0] = (unsigned char)a;
				s[1] = (unsigned char)b;
				s[2] = (unsigned char)c;
				s[3] = 0x80;
				for (size_t avail = 1; avail <= 3; avail++) {
					size_t want = ref_char_len(s, avail);
					size_t got = dd_utf8_char_len(
					    (const char *)s, avail);
					if (got != want)
						fail_msg("%02x %02x %02x avail "
							 "%zu: got %zu want "
							 "%zu",
							 a, b, c, avail, got,
							 want);
				}
			}
}

/* Four-byte sequences: every lead byte from 0xf0 and every second byte,
 * with the last two bytes from a set that covers each class. */
static void test_four_bytes_against_reference(void **state)
{
	static const unsigned char tails[] = {0x00, 0x28, 0x7f, 0x80, 0x8f,
					      0x90, 0xbf, 0xc0, 0xff};
	const size_t nt = sizeof(tails);
	unsigned char s[4];
	for (unsigned a = 0xf0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++)
			for (size_t i = 0; i < nt; i++)
				for (size_t k = 0; k < nt; k++) {
					s[0] = (unsigned char)a;
					s[1] = (unsigned char)b;
					s[2] = tails[i];
					s[3] = tails[k];
					size_t want = ref_char_len(s, 4);
					size_t got = dd_utf8_char_len(
					    (const char *)s, 4);
					if (got != want)
						fail_msg("%02x %02x %02x %02x: "
							 "got %zu want %zu",
							 a, b, s[2], s[3], got,
							 want);
				}
}

/* Every code point encodes to a sequence that is accepted whole. */
static void test_every_code_point(void **state)
{
	unsigned char s[4];
	for (uint32_t cp = 1; cp <= 0x10ffff; cp++) {
		size_t n;
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x80) {
			s[0] = (unsigned char)cp;
			n = 1;
		} else if (cp < 0x800) {
			s[0] = (unsigned char)(0xc0 | cp >> 6);
			s[1] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 2;
		} else if (cp < 0x10000) {
			s[0] = (unsigned char)(0xe0 | cp >> 12);
			s[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			s[2] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 3;
		} else {
			s[0] = (unsigned char)(0xf0 | cp >> 18);
			s[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
			s[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			s[3] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 4;
		}
		if (dd_utf8_char_len((const char *)s, n) != n)
			fail_msg("U+%04X refused", (unsigned)cp);
		if (!dd_utf8_valid((const char *)s, n))
			fail_msg("U+%04X not valid", (unsigned)cp);
		if (dd_utf8_count((const char *)s, n) != 1)
			fail_msg("U+%04X counted wrong", (unsigned)cp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii),
	    cmocka_unit_test(test_boundaries),
	    cmocka_unit_test(test_overlong),
	    cmocka_unit_test(test_surrogates),
	    cmocka_unit_test(test_above_max),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_bad_continuation),
	    cmocka_unit_test(test_valid_strings),
	    cmocka_unit_test(test_invalid_strings),
	    cmocka_unit_test(test_nul_is_invalid),
	    cmocka_unit_test(test_len_bounds_validation),
	    cmocka_unit_test(test_count),
	    cmocka_unit_test(test_exhaustive_three_bytes),
	    cmocka_unit_test(test_four_bytes_against_reference),
	    cmocka_unit_test(test_every_code_point),
	};
	return cmocka_run_group_tests_name("base/utf8", tests, NULL, NULL);
}
