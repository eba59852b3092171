#include "mail/html_text.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct out {
	char *p;
	size_t n, cap;
	int space;    /* a space is pending (collapsed white space) */
	int newlines; /* newlines at the end of the output */
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->n + len >= o->cap)
		len = o->cap - o->n - 1;
	memcpy(o->p + o->n, s, len);
	o->n += len;
}

/* Text: pending white space becomes one space, except at a line's
 * start. */
static void text(struct out *o, const char *s, size_t len)
{
	if (len == 0)
		return;
	if (o->space && o->n > 0 && o->newlines == 0)
		put(o, " ", 1);
	o->space = 0;
	put(o, s, len);
	o->newlines = 0;
}

/* At most two newlines in a row: a paragraph break. */
static void newline(struct out *o, int want)
{
	o->space = 0;
	if (o->n == 0)
		return;
	while (o->newlines < want && o->newlines < 2) {
		put(o, "\n", 1);
		o->newlines++;
	}
}

static size_t utf8_encode(uint32_t cp, char *buf)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'},	   {"lt", '<'},	      {"gt", '>'},
	{"quot", '"'},	   {"apos", '\''},    {"nbsp", 0xa0},
	{"shy", 0xad},	   {"copy", 0xa9},    {"reg", 0xae},
	{"trade", 0x2122}, {"euro", 0x20ac},  {"pound", 0xa3},
	{"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201c},
	{"rdquo", 0x201d}, {"bdquo", 0x201e}, {"laquo", 0xab},
	{"raquo", 0xbb},   {"bull", 0x2022},  {"middot", 0xb7},
	{"deg", 0xb0},	   {"auml", 0xe4},    {"ouml", 0xf6},
	{"uuml", 0xfc},	   {"Auml", 0xc4},    {"Ouml", 0xd6},
	{"Uuml", 0xdc},	   {"szlig", 0xdf},   {"eacute", 0xe9},
	{"egrave", 0xe8},  {"agrave", 0xe0},  {"ccedil", 0xe7},
	{"times", 0xd7},   {"zwnj", 0x200c},
};

/* A character reference at s ('&'): its code point and length, or 0
 * when s is not one (a lone '&' stays). */
static size_t entity(const char *s, size_t avail, uint32_t *cp)
{
	size_t i = 1;
	if (avail > 2 && s[1] == '#') {
		uint32_t v = 0;
		int hex = avail > 3 && (s[2] == 'x' || s[2] == 'X');
		i = hex ? 3 : 2;
		size_t start = i;
		while (i < avail && i < start + 8 &&
		       (hex ? isxdigit((unsigned char)s[i])
			    : isdigit((unsigned char)s[i]))) {
			int d = isdigit((unsigned char)s[i])
					? s[i] - '0'
					: (tolower((unsigned char)s[i]) - 'a' +
					   10);
			v = v * (hex ? 16 : 10) + (uint32_t)d;
			i++;
		}
		if (i == start)
			return 0;
		if (i < avail && s[i] == ';')
			i++;
		*cp = v;
		return i;
	}
	while (i < avail && i < 10 && isalnum((unsigned char)s[i]))
		i++;
	if (i == 1)
		return 0;
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		size_t n = strlen(entities[k].name);
		if (n == i - 1 && strncmp(s + 1, entities[k].name, n) == 0) {
			*cp = entities[k].cp;
			return i < avail && s[i] == ';' ? i + 1 : i;
		}
	}
	return 0;
}

/* Text between tags, with references decoded and white space pending. */
static void chars(struct out *o, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f') {
			o->space = 1;
			i++;
			continue;
		}
		if (c == '&') {
			uint32_t cp;
			size_t k = entity(s + i, len - i, &cp);
			if (k) {
				char buf[4];
				if (cp == 0xa0)
					cp = ' ';
				if (cp == 0xad || cp == 0x200c) {
					i += k;
					continue;
				}
				text(o, buf, utf8_encode(cp, buf));
				i += k;
				continue;
			}
		}
		size_t j = i;
		while (j < len && s[j] != '&' && s[j] != ' ' && s[j] != '\t' &&
		       s[j] != '\n' && s[j] != '\r' && s[j] != '\f')
			j++;
		if (j == i)
			j++;
		text(o, s + i, j - i);
		i = j;
	}
}

static int name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* Elements whose content is not text. */
static const char *const skipped[] = {"script",	  "style",    "head", "title",
				      "template", "noscript", NULL};
/* Elements that end a line, and those that end a paragraph. */
static const char *const line_tags[] = {"br", "div",	"tr",	 "li",
					"dt", "dd",	"table", "ul",
					"ol", "center", NULL};
static const char *const para_tags[] = {
	"p",	   "h1",     "h2",	   "h3",   "h4",      "h5",
	"h6",	   "hr",     "blockquote", "pre",  "address", "section",
	"article", "header", "footer",	   "form", NULL};

static int in_list(const char *name, size_t n, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (name_is(name, n, list[i]))
			return 1;
	return 0;
}

/* The value of attribute attr in the tag body s[0..len) (after the
 * name), or NULL. */
static const char *attribute(const char *s, size_t len, const char *attr,
			     size_t *vlen)
{
	size_t an = strlen(attr);
	for (size_t i = 0; i + an < len; i++) {
		if (strncasecmp(s + i, attr, an) != 0 ||
		    (i > 0 && !isspace((unsigned char)s[i - 1])))
			continue;
		size_t j = i + an;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j >= len || s[j] != '=')
			continue;
		j++;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j >= len)
			return NULL;
		char q = s[j];
		if (q == '"' || q == '\'') {
			const char *end = memchr(s + j + 1, q, len - j - 1);
			if (!end)
				return NULL;
			*vlen = (size_t)(end - (s + j + 1));
			return s + j + 1;
		}
		size_t k = j;
		while (k < len && !isspace((unsigned char)s[k]) && s[k] != '>')
			k++;
		*vlen = k - j;
		return s + j;
	}
	return NULL;
}

char *dd_mail_html_text(struct dd_arena *arena, const char *html, size_t len)
{
	struct out o = {.cap = len * 2 + 64};
	o.p = dd_arena_alloc(arena, o.cap);
	if (!o.p)
		return NULL;
	/* The link being written: its target, to add after its text. */
	const char *href = NULL;
	size_t href_len = 0, link_start = 0;
	size_t i = 0;
	while (i < len) {
		const char *lt = memchr(html + i, '<', len - i);
		size_t end = lt ? (size_t)(lt - html) : len;
		chars(&o, html + i, end - i);
		if (!lt)
			break;
		i = end;
		/* A comment or a declaration: skipped whole. */
		if (len - i >= 4 && strncmp(html + i, "<!--", 4) == 0) {
			const char *close = NULL;
			for (size_t k = i + 4; k + 2 < len; k++)
				if (html[k] == '-' && html[k + 1] == '-' &&
				    html[k + 2] == '>') {
					close = html + k;
					break;
				}
			i = close ? (size_t)(close - html) + 3 : len;
			continue;
		}
		size_t j = i + 1;
		int closing = 0;
		if (j < len && html[j] == '/') {
			closing = 1;
			j++;
		}
		if (j >= len || !(isalpha((unsigned char)html[j]) ||
				  html[j] == '!' || html[j] == '?')) {
			text(&o, "<", 1); /* a lone '<' is text */
			i++;
			continue;
		}
		size_t name_start = j;
		while (j < len && (isalnum((unsigned char)html[j]) ||
				   html[j] == '!' || html[j] == '?'))
			j++;
		const char *name = html + name_start;
		size_t name_len = j - name_start;
		/* The tag's end, outside quotes. */
		char quote = 0;
		size_t k = j;
		for (; k < len; k++) {
			char c = html[k];
			if (quote) {
				if (c == quote)
					quote = 0;
			} else if (c == '"' || c == '\'') {
				quote = c;
			} else if (c == '>') {
				break;
			}
		}
		const char *attrs = html + j;
		size_t attrs_len = k - j;
		i = k < len ? k + 1 : len;
		if (!closing && in_list(name, name_len, skipped)) {
			/* Skip to the matching closing tag. */
			size_t m = i;
			for (; m + 2 + name_len <= len; m++)
				if (html[m] == '<' && html[m + 1] == '/' &&
				    strncasecmp(html + m + 2, name, name_len) ==
					    0)
					break;
			if (m + 2 + name_len > len) {
				i = len;
				continue;
			}
			const char *gt = memchr(html + m, '>', len - m);
			i = gt ? (size_t)(gt - html) + 1 : len;
			continue;
		}
		if (name_is(name, name_len, "a")) {
			if (!closing) {
				href = attribute(attrs, attrs_len, "href",
						 &href_len);
				link_start = o.n;
			} else if (href) {
				/* Add the target when the text is not it. */
				if (link_start < o.n && o.p[link_start] == ' ')
					link_start++;
				size_t shown = o.n - link_start;
				if (href_len > 0 && href_len < 2048 &&
				    !(shown == href_len &&
				      memcmp(o.p + link_start, href,
					     href_len) == 0) &&
				    strncasecmp(href, "mailto:", 7) != 0 &&
				    href[0] != '#') {
					text(&o, "<", 1);
					put(&o, href, href_len);
					put(&o, ">", 1);
				}
				href = NULL;
			}
			continue;
		}
		if (name_is(name, name_len, "li") && !closing) {
			newline(&o, 1);
			text(&o, "- ", 2);
			o.space = 0;
			continue;
		}
		if (name_is(name, name_len, "td") ||
		    name_is(name, name_len, "th")) {
			o.space = 1;
			continue;
		}
		if (name_is(name, name_len, "img") && !closing) {
			size_t alt_len = 0;
			const char *alt =
				attribute(attrs, attrs_len, "alt", &alt_len);
			if (alt && alt_len > 0) {
				o.space = 1;
				chars(&o, alt, alt_len);
				o.space = 1;
			}
			continue;
		}
		if (in_list(name, name_len, para_tags))
			newline(&o, 2);
		else if (in_list(name, name_len, line_tags))
			newline(&o, 1);
	}
	while (o.n > 0 && (o.p[o.n - 1] == '\n' || o.p[o.n - 1] == ' '))
		o.n--;
	o.p[o.n] = '\0';
	return o.p;
}
