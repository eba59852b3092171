#include "mail/clean.h"

#include <string.h>

#include "base/utf8.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

char *dd_mail_clean_text(struct dd_arena *arena, const char *s, size_t len)
{
	/* Each input byte becomes at most three (U+FFFD). */
	char *out = dd_arena_alloc(arena, len * 3 + 1);
	size_t n = 0, line_start = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' || c == '\n') {
			/* Spaces at a line's end say nothing. */
			while (n > line_start &&
			       (out[n - 1] == ' ' || out[n - 1] == '\t'))
				n--;
			out[n++] = '\n';
			line_start = n;
			i += c == '\r' && i + 1 < len && s[i + 1] == '\n' ? 2
									  : 1;
			continue;
		}
		if (c == '\t') {
			out[n++] = '\t';
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			i++; /* NUL, form feeds, escapes: dropped */
			continue;
		}
		size_t k = dd_utf8_char_len(s + i, len - i);
		if (k == 0) {
			memcpy(out + n, replacement, 3);
			n += 3;
			i++;
			continue;
		}
		/* C1 controls (U+0080-U+009F) are control characters too. */
		if (k == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
			i += 2;
			continue;
		}
		memcpy(out + n, s + i, k);
		n += k;
		i += k;
	}
	while (n > 0 &&
	       (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
	return out;
}

size_t dd_mail_utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n = 0;
	while (n < len) {
		size_t c = dd_utf8_char_len(s + n, len - n);
		if (c == 0)
			c = 1;
		if (n + c > max)
			break;
		n += c;
	}
	return n;
}

char *dd_mail_clean_line(struct dd_arena *arena, const char *s, size_t max)
{
	if (!s)
		return NULL;
	char *text = dd_mail_clean_text(arena, s, strlen(s));
	if (!text)
		return NULL;
	/* Newlines and tabs as spaces, runs of spaces as one. */
	size_t n = 0;
	int space = 1; /* drops leading spaces */
	for (size_t i = 0; text[i]; i++) {
		char c = text[i];
		if (c == '\n' || c == '\t' || c == ' ') {
			if (!space)
				text[n++] = ' ';
			space = 1;
			continue;
		}
		text[n++] = c;
		space = 0;
	}
	while (n > 0 && text[n - 1] == ' ')
		n--;
	n = dd_mail_utf8_cut(text, n, max);
	text[n] = '\0';
	return text;
}
