/*
 * test_search_text.c - the one normalisation of search text: German
 * umlauts and ß in every spelling (composed, decomposed, capital,
 * transliterated), the whole Latin Extended-A block letter by letter
 * (regression: the old table was shifted by one from U+0139 and cut off
 * U+017F), ligatures, full-width letters, Greek and Cyrillic capitals,
 * separators, invisible joiners, invalid UTF-8 and the buffer limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ticket/search_text.h"

/* The normalised text without a trailing space. */
static const char *norm(const char *in)
{
	static char out[4096];
	struct dd_buf b;
	dd_buf_init(&b, sizeof(out) - 1);
	assert_int_equal(dd_search_normalise(in, &b), 0);
	size_t n = b.len;
	while (n > 0 && b.data[n - 1] == ' ')
		n--;
	memcpy(out, b.len ? b.data : "", n);
	out[n] = '\0';
	dd_buf_release(&b);
	return out;
}

#define expect_norm(in, want) assert_string_equal(norm(in), want)

/* UTF-8 of one code point below U+10000. */
static const char *cp_text(unsigned cp)
{
	static char s[4];
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		s[2] = '\0';
	} else {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		s[3] = '\0';
	}
	return s;
}

static void test_german(void **state)
{
	expect_norm("Störung", "stoerung");
	expect_norm("STÖRUNG", "stoerung");
	expect_norm("Stoerung", "stoerung");
	expect_norm("störung", "stoerung");
	expect_norm("Straße", "strasse");
	expect_norm("STRASSE", "strasse");
	expect_norm("STRA\u1e9eE", "strasse"); /* capital sharp s */
	expect_norm("Äpfel Übel Öl äöü", "aepfel uebel oel aeoeue");
	/* Decomposed (NFD, as macOS writes file names): o + U+0308. */
	expect_norm("Sto\xcc\x88rung", "stoerung");
	expect_norm("U\xcc\x88"
		    "bel A\xcc\x88"
		    "rger",
		    "uebel aerger");
	/* Other combining marks are dropped, a diaeresis elsewhere too. */
	expect_norm("Cafe\xcc\x81", "cafe");
	expect_norm("nai\xcc\x88v", "naiv");
	/* A soft hyphen inside a word keeps it one word. */
	expect_norm("Stö\xc2\xadrung", "stoerung");
}

static void test_latin1(void **state)
{
	expect_norm("Café Crème À la carte", "cafe creme a la carte");
	expect_norm("Ñandú Çava Ðóttir Þór", "nandu cava dottir thor");
	expect_norm("Øre Æble Åse", "oere aeble ase");
	expect_norm("5×3÷2", "5 3 2");
	expect_norm("ÿ", "y");
}

static void test_latin_ext_a_table(void **state)
{
	/* Every code point of U+0100..U+017F and what it must become:
	 * derived from the Unicode decompositions (NFKD, letters kept,
	 * lowered), and for the letters without one (Đ Ħ ı ĸ Ł Ŋ Œ Ŧ) their
	 * usual transliteration, not from the implementation's table. */
	static const char *const want[128] = {
		"a", "a", "a",	"a",  "a", "a", "c", "c", /* 0100 */
		"c", "c", "c",	"c",  "c", "c", "d", "d", /* 0108 */
		"d", "d", "e",	"e",  "e", "e", "e", "e", /* 0110 */
		"e", "e", "e",	"e",  "g", "g", "g", "g", /* 0118 */
		"g", "g", "g",	"g",  "h", "h", "h", "h", /* 0120 */
		"i", "i", "i",	"i",  "i", "i", "i", "i", /* 0128 */
		"i", "i", "ij", "ij", "j", "j", "k", "k", /* 0130 */
		"k", "l", "l",	"l",  "l", "l", "l", "l", /* 0138 */
		"l", "l", "l",	"n",  "n", "n", "n", "n", /* 0140 */
		"n", "n", "n",	"n",  "o", "o", "o", "o", /* 0148 */
		"o", "o", "oe", "oe", "r", "r", "r", "r", /* 0150 */
		"r", "r", "s",	"s",  "s", "s", "s", "s", /* 0158 */
		"s", "s", "t",	"t",  "t", "t", "t", "t", /* 0160 */
		"u", "u", "u",	"u",  "u", "u", "u", "u", /* 0168 */
		"u", "u", "u",	"u",  "w", "w", "y", "y", /* 0170 */
		"y", "z", "z",	"z",  "z", "z", "z", "s", /* 0178 */
	};
	for (unsigned cp = 0x100; cp <= 0x17f; cp++) {
		const char *got = norm(cp_text(cp));
		if (strcmp(got, want[cp - 0x100]) != 0)
			fail_msg("U+%04X became '%s', not '%s'", cp, got,
				 want[cp - 0x100]);
	}
}

static void test_latin_ext_a_words(void **state)
{
	/* The letters the old table got wrong. */
	expect_norm("Łódź", "lodz");
	expect_norm("Wałęsa", "walesa");
	expect_norm("Œuvre œil", "oeuvre oeil");
	expect_norm("Ĳssel", "ijssel");
	expect_norm("Erdős Győr", "erdos gyor");
	expect_norm("Dvořák Škoda Žižkov", "dvorak skoda zizkov");
	expect_norm("Ţară ŞI", "tara si");
	expect_norm("Gauſs", "gauss");
	expect_norm("Ÿvonne", "yvonne");
	/* Romanian with comma below (Latin Extended-B). */
	expect_norm("Științe Țară", "stiinte tara");
}

static void test_ligatures_and_width(void **state)
{
	expect_norm("\xef\xac\x81le O\xef\xac\x83\x63\x65", "file office");
	expect_norm(
		"\xef\xbc\xb6\xef\xbc\xb0\xef\xbc\xae \xef\xbc\x91\xef\xbc\x92",
		"vpn 12"); /* ＶＰＮ １２ */
	expect_norm("\xef\xbd\x96\xef\xbd\x90\xef\xbd\x8e", "vpn"); /* ｖｐｎ */
}

static void test_scripts(void **state)
{
	expect_norm("ПРИНТЕР Сломан", "принтер сломан");
	expect_norm("ЁЖ", "ёж");
	expect_norm("ΣΦΑΛΜΑ", "σφαλμα");
	expect_norm("東京 サーバー", "東京 サーバー");
	/* Supplementary planes: kept, emoji are separators. */
	expect_norm("a\xf0\x9f\x98\x80"
		    "b",
		    "a b");
	expect_norm("\xf0\x9d\x90\x80", "\xf0\x9d\x90\x80");
}

static void test_separators(void **state)
{
	expect_norm("VPN-Störung: seit 10:30!", "vpn stoerung seit 10 30");
	expect_norm("  a  ,,  b  ", "a b");
	expect_norm("„Anführung“ «guillemets» – dash…", "anfuehrung guillemets "
							"dash");
	expect_norm("a\xc2\xa0"
		    "b",
		    "a b"); /* no-break space */
	expect_norm("a\xe3\x80\x80"
		    "b",
		    "a b"); /* ideographic space */
	expect_norm("a\xe2\x80\x8b"
		    "b",
		    "a b"); /* zero width space */
	expect_norm("a\xe2\x80\x8d"
		    "b",
		    "ab");		       /* zero width joiner */
	expect_norm("\xef\xbb\xbfvpn", "vpn"); /* byte order mark */
	expect_norm("100 € 20°C ™ ©", "100 20 c");
	expect_norm("\" OR 1=1 --", "or 1 1");
	expect_norm("NEAR(a b)", "near a b");
	expect_norm("*", "");
	expect_norm("", "");
}

static void test_invalid_utf8(void **state)
{
	expect_norm("ab\xff"
		    "cd",
		    "ab cd");
	expect_norm("ab\xc3", "ab");	      /* truncated */
	expect_norm("a\xc0\xafz", "a z");     /* overlong '/' */
	expect_norm("a\xed\xa0\x80z", "a z"); /* surrogate */
}

static void test_overflow(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 8);
	assert_int_equal(dd_search_normalise("Störungsmeldung", &b), -1);
	assert_true(b.overflow);
	dd_buf_release(&b);
	/* Appends to what out holds, one space between. */
	dd_buf_init(&b, 64);
	dd_buf_puts(&b, "vpn");
	assert_int_equal(dd_search_normalise(" Störung", &b), 0);
	assert_string_equal(dd_buf_str(&b), "vpn stoerung");
	dd_buf_release(&b);
}

/* Folding never makes text longer (the query parser sizes its buffer on
 * that), for any code point. */
static void test_never_longer(void **state)
{
	for (unsigned cp = 0x80; cp < 0x10000; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		char in[8];
		snprintf(in, sizeof(in), "%s", cp_text(cp));
		struct dd_buf b;
		dd_buf_init(&b, 64);
		assert_int_equal(dd_search_normalise(in, &b), 0);
		if (b.len > strlen(in))
			fail_msg("U+%04X grew from %zu to %zu bytes", cp,
				 strlen(in), b.len);
		dd_buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_german),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_latin_ext_a_table),
		cmocka_unit_test(test_latin_ext_a_words),
		cmocka_unit_test(test_ligatures_and_width),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_never_longer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
