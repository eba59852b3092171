#include "mail/personal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Greetings that may start a salutation, lower case, longest first
 * where one is the start of another. */
static const char *const greetings[] = {
	"sehr geehrte", "sehr geehrter", "guten morgen",
	"guten tag",	"grüß gott",	 "gruess gott",
	"grüezi",	"hallo",	 "hello",
	"hi",		"hey",		 "dear",
	"liebe",	"lieber",	 "liebes",
	"moin",		"servus",	 "bonjour",
	"ciao",		"good morning",	 NULL};
/* Titles between the greeting and the name. */
static const char *const titles[] = {"herr", "frau", "mr",   "mrs", "ms",
				     "miss", "dr",   "prof", NULL};

/* Compare the byte ranges as words: ASCII case folded, other bytes
 * exact. */
static int word_eq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && strncasecmp(a, b, an) == 0;
}

static int is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || c == '-' || c == '\'';
}

/* The next word at *p (skipping spaces, commas, dots): start and
 * length; 0 when there is none on the line. */
static size_t next_word(const char **p, const char **start)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t' || *s == ',' || *s == '.')
		s++;
	const char *w = s;
	while (*s && is_word_byte((unsigned char)*s))
		s++;
	*start = w;
	*p = s;
	return (size_t)(s - w);
}

/* The colleague whose first or last name is the word; 0 none, -1 more
 * than one. */
static int64_t by_name(const char *w, size_t wn,
		       const struct dd_mail_colleague *c, int n)
{
	int64_t found = 0;
	for (int i = 0; i < n; i++) {
		const char *name = c[i].name;
		if (!name)
			continue;
		const char *first_end = strchr(name, ' ');
		size_t fn =
			first_end ? (size_t)(first_end - name) : strlen(name);
		const char *last = strrchr(name, ' ');
		last = last ? last + 1 : name;
		if (word_eq(w, wn, name, fn) ||
		    word_eq(w, wn, last, strlen(last))) {
			if (found && found != c[i].id)
				return -1;
			found = c[i].id;
		}
	}
	return found;
}

int64_t dd_mail_salutation(const char *text, const struct dd_mail_colleague *c,
			   int n)
{
	const char *p = text ? text : "";
	while (*p == '\n' || *p == ' ' || *p == '\t')
		p++;
	char line[200];
	size_t len = strcspn(p, "\n");
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	memcpy(line, p, len);
	line[len] = '\0';
	const char *rest = NULL;
	for (int i = 0; greetings[i] && !rest; i++) {
		size_t gn = strlen(greetings[i]);
		if (strncasecmp(line, greetings[i], gn) == 0 &&
		    !is_word_byte((unsigned char)line[gn]))
			rest = line + gn;
	}
	if (!rest)
		return 0;
	const char *w;
	size_t wn = next_word(&rest, &w);
	for (int i = 0; titles[i] && wn; i++)
		if (word_eq(w, wn, titles[i], strlen(titles[i]))) {
			wn = next_word(&rest, &w);
			break;
		}
	if (wn == 0)
		return 0;
	int64_t id = by_name(w, wn, c, n);
	return id > 0 ? id : 0;
}

int64_t dd_mail_personal(const struct dd_mail_parsed *m,
			 const struct dd_mail_colleague *c, int n,
			 enum dd_mail_personal_by *by)
{
	*by = DD_PERSONAL_NONE;
	const struct dd_mail_addrs *lists[] = {&m->to, &m->cc};
	for (int l = 0; l < 2; l++)
		for (int i = 0; i < lists[l]->count; i++)
			for (int k = 0; k < n; k++)
				if (c[k].email && lists[l]->items[i].addr &&
				    strcasecmp(c[k].email,
					       lists[l]->items[i].addr) == 0) {
					*by = DD_PERSONAL_ADDRESS;
					return c[k].id;
				}
	int64_t id = dd_mail_salutation(m->text, c, n);
	if (id)
		*by = DD_PERSONAL_SALUTATION;
	return id;
}
