#include "mail/imap_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The next line of text from *pos: its start, *n its length without the
 * line end. NULL at the end. */
static const char *next_line(const char *text, size_t len, size_t *pos,
			     size_t *n)
{
	if (*pos >= len)
		return NULL;
	const char *start = text + *pos;
	const char *nl = memchr(start, '\n', len - *pos);
	size_t l = nl ? (size_t)(nl - start) : len - *pos;
	*pos += l + (nl ? 1 : 0);
	if (l > 0 && start[l - 1] == '\r')
		l--;
	*n = l;
	return start;
}

/* A decimal number of up to 10 digits at *p (advanced past it), in
 * [min, max]. 0, or -1. */
static int number(const char **p, const char *end, int64_t min, int64_t max,
		  int64_t *out)
{
	int64_t v = 0;
	int digits = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		if (++digits > 10)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	if (digits == 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Does the line start with "* WORD " (case-insensitive)? Returns the
 * text after it, or NULL. */
static const char *untagged(const char *line, size_t n, const char *word)
{
	size_t w = strlen(word);
	if (n < 2 + w || line[0] != '*' || line[1] != ' ' ||
	    strncasecmp(line + 2, word, w) != 0)
		return NULL;
	if (n == 2 + w)
		return line + n;
	return line[2 + w] == ' ' ? line + 3 + w : NULL;
}

/* The value after the item name in a parenthesised list (" NAME 123"). */
static int item(const char *from, const char *end, const char *name,
		int64_t min, int64_t max, int64_t *out)
{
	size_t w = strlen(name);
	for (const char *p = from; p + w < end; p++) {
		if ((p == from || p[-1] == '(' || p[-1] == ' ') &&
		    strncasecmp(p, name, w) == 0 && p[w] == ' ') {
			const char *q = p + w + 1;
			return number(&q, end, min, max, out);
		}
	}
	return -1;
}

int dd_imap_parse_status(const char *text, size_t len, int64_t *uidvalidity,
			 int64_t *uidnext)
{
	size_t pos = 0, n;
	const char *line;
	while ((line = next_line(text, len, &pos, &n)) != NULL) {
		const char *rest = untagged(line, n, "STATUS");
		if (!rest)
			continue;
		/* The list follows the (possibly quoted) name: look from
		 * the last '(' so a name with "(" in it cannot confuse. */
		const char *end = line + n, *open = NULL;
		for (const char *p = rest; p < end; p++)
			if (*p == '(')
				open = p;
		if (!open)
			return -1;
		if (item(open, end, "UIDVALIDITY", 1, DD_IMAP_UID_MAX,
			 uidvalidity) < 0 ||
		    item(open, end, "UIDNEXT", 1, DD_IMAP_UID_MAX + 1,
			 uidnext) < 0)
			return -1;
		return 0;
	}
	return -1;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int dd_imap_parse_search(const char *text, size_t len, int64_t after,
			 int64_t *uids, int cap)
{
	size_t pos = 0, n;
	const char *line;
	int count = 0;
	while ((line = next_line(text, len, &pos, &n)) != NULL) {
		const char *p = untagged(line, n, "SEARCH");
		if (!p)
			continue;
		const char *end = line + n;
		while (p < end) {
			int64_t uid;
			if (*p == ' ') {
				p++;
				continue;
			}
			/* ESEARCH-style modifiers (MODSEQ) are not asked
			 * for: anything but a number is malformed. */
			if (number(&p, end, 1, DD_IMAP_UID_MAX, &uid) < 0 ||
			    (p < end && *p != ' '))
				return -1;
			if (uid <= after)
				continue;
			if (count >= cap)
				return -1;
			uids[count++] = uid;
		}
	}
	if (count > 1) {
		qsort(uids, (size_t)count, sizeof(*uids), by_value);
		int k = 1;
		for (int i = 1; i < count; i++)
			if (uids[i] != uids[k - 1])
				uids[k++] = uids[i];
		count = k;
	}
	return count;
}

int dd_imap_parse_sizes(const char *text, size_t len, const int64_t *uids,
			int n, int64_t *sizes)
{
	size_t pos = 0, ln;
	const char *line;
	int found = 0;
	for (int i = 0; i < n; i++)
		sizes[i] = -1;
	while ((line = next_line(text, len, &pos, &ln)) != NULL) {
		if (ln < 3 || line[0] != '*' || line[1] != ' ')
			continue;
		const char *p = line + 2, *end = line + ln;
		int64_t seq, uid, size;
		if (number(&p, end, 1, DD_IMAP_UID_MAX, &seq) < 0 ||
		    end - p < 7 || strncasecmp(p, " FETCH ", 7) != 0)
			continue;
		if (item(p, end, "UID", 1, DD_IMAP_UID_MAX, &uid) < 0 ||
		    item(p, end, "RFC822.SIZE", 0, INT64_MAX / 2, &size) < 0)
			continue;
		for (int i = 0; i < n; i++)
			if (uids[i] == uid && sizes[i] < 0) {
				sizes[i] = size;
				found++;
			}
	}
	return found;
}

int dd_imap_name_valid(const char *name)
{
	if (!name || !*name)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return 0;
	return 1;
}

int dd_imap_quote(const char *name, char *out, size_t cap)
{
	if (!dd_imap_name_valid(name))
		return -1;
	size_t k = 0;
	if (cap < 3)
		return -1;
	out[k++] = '"';
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\') {
			if (k + 1 >= cap)
				return -1;
			out[k++] = '\\';
		}
		if (k + 1 >= cap)
			return -1;
		out[k++] = *p;
	}
	if (k + 2 > cap)
		return -1;
	out[k++] = '"';
	out[k] = '\0';
	return 0;
}

int dd_imap_url_name(const char *name, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!dd_imap_name_valid(name))
		return -1;
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' ||
			    *p == '.' || *p == '_' || *p == '~';
		if (k + (plain ? 1 : 3) >= cap)
			return -1;
		if (plain) {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 15];
		}
	}
	if (k >= cap)
		return -1;
	out[k] = '\0';
	return 0;
}
