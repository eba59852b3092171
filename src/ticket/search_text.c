#include "ticket/search_text.h"

#include <string.h>

#include "base/utf8.h"

/* Latin-1 supplement U+00C0..U+00FF: what each letter becomes. */
static const char *const latin1[64] = {
	"a",  "a", "a", "a", "ae", "a", "ae", "c",  /* C0-C7 */
	"e",  "e", "e", "e", "i",  "i", "i",  "i",  /* C8-CF */
	"d",  "n", "o", "o", "o",  "o", "oe", " ",  /* D0-D7 (D7 ×) */
	"oe", "u", "u", "u", "ue", "y", "th", "ss", /* D8-DF */
	"a",  "a", "a", "a", "ae", "a", "ae", "c",  /* E0-E7 */
	"e",  "e", "e", "e", "i",  "i", "i",  "i",  /* E8-EF */
	"d",  "n", "o", "o", "o",  "o", "oe", " ",  /* F0-F7 (F7 ÷) */
	"oe", "u", "u", "u", "ue", "y", "th", "y",  /* F8-FF */
};

/*
 * Latin Extended-A U+0100..U+017F, one entry per code point (capital and
 * small letters alternate, so each pair shares its base letter). Only the
 * German umlauts are transliterated; the Hungarian double acute (ő, ű)
 * is an accent like any other and is dropped. The ligatures IJ and OE
 * become two letters, kra and long s their modern letters.
 */
/* clang-format off */
static const char *const latin_ext_a[128] = {
	"a", "a", "a",  "a",  "a", "a", "c", "c", /* 0100 Ā ā Ă ă Ą ą Ć ć */
	"c", "c", "c",  "c",  "c", "c", "d", "d", /* 0108 Ĉ ĉ Ċ ċ Č č Ď ď */
	"d", "d", "e",  "e",  "e", "e", "e", "e", /* 0110 Đ đ Ē ē Ĕ ĕ Ė ė */
	"e", "e", "e",  "e",  "g", "g", "g", "g", /* 0118 Ę ę Ě ě Ĝ ĝ Ğ ğ */
	"g", "g", "g",  "g",  "h", "h", "h", "h", /* 0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ */
	"i", "i", "i",  "i",  "i", "i", "i", "i", /* 0128 Ĩ ĩ Ī ī Ĭ ĭ Į į */
	"i", "i", "ij", "ij", "j", "j", "k", "k", /* 0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ */
	"k", "l", "l",  "l",  "l", "l", "l", "l", /* 0138 ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ */
	"l", "l", "l",  "n",  "n", "n", "n", "n", /* 0140 ŀ Ł ł Ń ń Ņ ņ Ň */
	"n", "n", "n",  "n",  "o", "o", "o", "o", /* 0148 ň ŉ Ŋ ŋ Ō ō Ŏ ŏ */
	"o", "o", "oe", "oe", "r", "r", "r", "r", /* 0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ */
	"r", "r", "s",  "s",  "s", "s", "s", "s", /* 0158 Ř ř Ś ś Ŝ ŝ Ş ş */
	"s", "s", "t",  "t",  "t", "t", "t", "t", /* 0160 Š š Ţ ţ Ť ť Ŧ ŧ */
	"u", "u", "u",  "u",  "u", "u", "u", "u", /* 0168 Ũ ũ Ū ū Ŭ ŭ Ů ů */
	"u", "u", "u",  "u",  "w", "w", "y", "y", /* 0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ */
	"y", "z", "z",  "z",  "z", "z", "z", "s", /* 0178 Ÿ Ź ź Ż ż Ž ž ſ */
};
/* clang-format on */

/* Alphabetic presentation forms U+FB00..U+FB06 (ligatures that text
 * copied out of PDFs is full of). */
static const char *const ligatures[7] = {"ff",	"fi", "fl", "ffi",
					 "ffl", "st", "st"};

static void put_space(struct dd_buf *out)
{
	if (out->len > 0 && out->data[out->len - 1] != ' ')
		dd_buf_putc(out, ' ');
}

/* The code point of the well-formed sequence of n bytes at s. */
static unsigned decode(const unsigned char *s, size_t n)
{
	switch (n) {
	case 2:
		return ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
	case 3:
		return ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) |
		       (s[2] & 0x3fu);
	default:
		return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) |
		       ((s[2] & 0x3fu) << 6) | (s[3] & 0x3fu);
	}
}

/* Append code point cp as UTF-8. */
static void put_cp(struct dd_buf *out, unsigned cp)
{
	char b[4];
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		dd_buf_append(out, b, 2);
	} else {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		dd_buf_append(out, b, 3);
	}
}

/* Invisible characters that join what is around them: soft hyphen, zero
 * width (non-)joiner, word joiner, variation selectors, byte order mark.
 * "Stö<SHY>rung" is one word. */
static int is_invisible(unsigned cp)
{
	return cp == 0xad || cp == 0x200c || cp == 0x200d || cp == 0x2060 ||
	       (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff;
}

/* Punctuation, spaces and symbols outside ASCII: word separators, so that
 * both engines' tokenizers see the same words (the PostgreSQL parser and
 * FTS5's unicode61 disagree about symbols). */
static int is_separator(unsigned cp)
{
	return (cp >= 0x80 && cp < 0xc0) || /* C1 controls, Latin-1 signs */
	       cp == 0xd7 || cp == 0xf7 ||  /* × ÷ */
	       (cp >= 0x2000 && cp <= 0x2bff) || /* punctuation ... arrows */
	       (cp >= 0x2e00 && cp <= 0x2e7f) || /* more punctuation */
	       (cp >= 0x3000 && cp <= 0x303f) || /* CJK punctuation */
	       (cp >= 0xe000 && cp <= 0xf8ff) || /* private use */
	       (cp >= 0xfe10 && cp <= 0xfe6f) || /* vertical, small forms */
	       (cp >= 0xff00 && cp <= 0xff0f) || /* full-width ASCII signs */
	       (cp >= 0xff1a && cp <= 0xff20) ||
	       (cp >= 0xff3b && cp <= 0xff40) ||
	       (cp >= 0xff5b && cp <= 0xff65) ||
	       (cp >= 0xfff0 && cp <= 0xffff) ||
	       (cp >= 0x1f000 && cp <= 0x1faff); /* emoji, cards, mahjong */
}

/*
 * Lower-case Greek and Cyrillic capitals: FTS5 folds them itself, but
 * PostgreSQL's lower() does not fold outside ASCII in a database with the
 * C locale, and the index and the query must agree on every engine.
 * Returns cp unchanged for everything else.
 */
static unsigned fold_script(unsigned cp)
{
	if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
		return cp + 0x20; /* Α..Ω */
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 0x20; /* А..Я */
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 0x50; /* Ѐ..Џ */
	return cp;
}

int dd_search_normalise(const char *text, struct dd_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i = 0;
	/* The last letter written came from this input as a plain a, o or
	 * u: a combining diaeresis after it makes an umlaut (NFD text, as
	 * macOS writes it). */
	int umlaut_base = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
				dd_buf_putc(out, (char)c);
			} else if (c >= 'A' && c <= 'Z') {
				dd_buf_putc(out, (char)(c - 'A' + 'a'));
			} else {
				put_space(out);
			}
			umlaut_base = c == 'a' || c == 'o' || c == 'u' ||
				      c == 'A' || c == 'O' || c == 'U';
			i++;
			continue;
		}
		size_t n = dd_utf8_char_len(text + i, len - i);
		if (n == 0) {
			put_space(out);
			umlaut_base = 0;
			i++;
			continue;
		}
		unsigned cp = decode(s + i, n);
		int base = 0;
		if (cp >= 0x300 && cp <= 0x36f) {
			/* Combining marks: dropped, but a diaeresis on a, o
			 * or u is the German umlaut. */
			if (cp == 0x308 && umlaut_base)
				dd_buf_putc(out, 'e');
		} else if (is_invisible(cp)) {
			base = umlaut_base; /* "o<SHY>\u0308" stays one ö */
		} else if (is_separator(cp)) {
			put_space(out);
		} else if (cp >= 0xc0 && cp <= 0xff) {
			dd_buf_puts(out, latin1[cp - 0xc0]);
		} else if (cp >= 0x100 && cp <= 0x17f) {
			dd_buf_puts(out, latin_ext_a[cp - 0x100]);
		} else if (cp >= 0x218 && cp <= 0x21b) {
			/* Romanian comma below: Ș ș Ț ț */
			dd_buf_putc(out, cp < 0x21a ? 's' : 't');
		} else if (cp == 0x1e9e) {
			dd_buf_puts(out, "ss"); /* capital sharp s */
		} else if (cp >= 0xfb00 && cp <= 0xfb06) {
			dd_buf_puts(out, ligatures[cp - 0xfb00]);
		} else if (cp >= 0xff10 && cp <= 0xff19) {
			dd_buf_putc(out, (char)('0' + (cp - 0xff10)));
		} else if (cp >= 0xff21 && cp <= 0xff3a) {
			dd_buf_putc(out, (char)('a' + (cp - 0xff21)));
		} else if (cp >= 0xff41 && cp <= 0xff5a) {
			dd_buf_putc(out, (char)('a' + (cp - 0xff41)));
		} else if (fold_script(cp) != cp) {
			put_cp(out, fold_script(cp));
		} else {
			/* Other scripts (Cyrillic, Greek, CJK ...) are kept
			 * verbatim: the tokenizers split them. */
			dd_buf_append(out, text + i, n);
		}
		umlaut_base = base;
		i += n;
	}
	return out->overflow ? -1 : 0;
}
