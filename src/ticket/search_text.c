#include "ticket/search_text.h"

#include <ctype.h>
#include <string.h>

#include "base/utf8.h"

/* Latin-1 supplement U+00C0..U+00FF: what each letter becomes. */
static const char *const latin1[64] = {
	"a",  "a", "a", "a", "ae", "a", "ae", "c", /* C0-C7 */
	"e",  "e", "e", "e", "i",  "i", "i",  "i", /* C8-CF */
	"d",  "n", "o", "o", "o",  "o", "oe", " ", /* D0-D7 (D7 ×) */
	"oe", "u", "u", "u", "ue", "y", "th", "ss", /* D8-DF */
	"a",  "a", "a", "a", "ae", "a", "ae", "c", /* E0-E7 */
	"e",  "e", "e", "e", "i",  "i", "i",  "i", /* E8-EF */
	"d",  "n", "o", "o", "o",  "o", "oe", " ", /* F0-F7 (F7 ÷) */
	"oe", "u", "u", "u", "ue", "y", "th", "y", /* F8-FF */
};

/* Latin Extended-A U+0100..U+017F: the base letter of each pair. */
static const char latin_ext_a[128 + 1] =
	"aaaaaaccccccccdddd" /* 0100-0111 */
	"eeeeeeeeeegggggggghhhh" /* 0112-0127 */
	"iiiiiiiiiijjjjkkk" /* 0128-0138 */
	"lllllllllnnnnnnnnnoooooo" /* 0139-0150 (approx.) */
	"oorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"; /* 0151-017F */

static void put_space(struct dd_buf *out)
{
	if (out->len > 0 && out->data[out->len - 1] != ' ')
		dd_buf_putc(out, ' ');
}

int dd_search_normalise(const char *text, struct dd_buf *out)
{
	size_t len = strlen(text), i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x80) {
			if (isalnum(c))
				dd_buf_putc(out, (char)tolower(c));
			else
				put_space(out);
			i++;
			continue;
		}
		size_t n = dd_utf8_char_len(text + i, len - i);
		if (n == 0) {
			put_space(out);
			i++;
			continue;
		}
		unsigned cp;
		if (n == 2)
			cp = ((c & 0x1fu) << 6) | (text[i + 1] & 0x3fu);
		else if (n == 3)
			cp = ((c & 0x0fu) << 12) |
			     ((unsigned)(text[i + 1] & 0x3f) << 6) |
			     (text[i + 2] & 0x3fu);
		else
			cp = 0x10000; /* outside what we fold: kept as is */
		if (cp >= 0xc0 && cp <= 0xff) {
			const char *t = latin1[cp - 0xc0];
			if (t[0] == ' ')
				put_space(out);
			else
				dd_buf_puts(out, t);
		} else if (cp >= 0x100 && cp <= 0x17f &&
			   cp - 0x100 < sizeof(latin_ext_a) - 1) {
			dd_buf_putc(out, latin_ext_a[cp - 0x100]);
		} else if (cp == 0x1e9e) {
			dd_buf_puts(out, "ss"); /* capital sharp s */
		} else if ((cp >= 0x2000 && cp <= 0x206f) || cp == 0xa0 ||
			   (cp >= 0x80 && cp < 0xc0)) {
			put_space(out); /* punctuation and spaces */
		} else {
			/* Other scripts (Cyrillic, CJK ...) are kept
			 * verbatim: the tokenizers split them. */
			dd_buf_append(out, text + i, n);
		}
		i += n;
	}
	return out->overflow ? -1 : 0;
}
