#include "ticket/query.h"

#include <string.h>
#include <strings.h>

#include "base/limits.h"
#include "base/text.h"
#include "ticket/search_text.h"
#include "ticket/ticket.h"

const char *const dd_query_statuses[5] = {"new", "open", "pending", "resolved",
					  "closed"};
const char *const dd_query_channels[4] = {"phone", "email", "web", "api"};

/* The filters by name; aliases map to the same field. */
static const struct {
	const char *name;
	enum dd_query_field field;
} filter_names[] = {
	{"status", DD_QF_STATUS},
	{"prio", DD_QF_PRIORITY},
	{"priority", DD_QF_PRIORITY},
	{"channel", DD_QF_CHANNEL},
	{"org", DD_QF_ORG},
	{"organisation", DD_QF_ORG},
	{"queue", DD_QF_QUEUE},
	{"owner", DD_QF_OWNER},
	{"tag", DD_QF_TAG},
	{"number", DD_QF_NUMBER},
	{"is", DD_QF_IS},
};

#define FILTER_LIST                                                            \
	"status, prio, channel, org, queue, owner, tag, number or is; put "    \
	"text with a colon in quotes to search for it"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A copy of s[0..n) from the arena with ASCII letters lowered. */
static char *lower_dup(struct dd_arena *arena, const char *s, size_t n)
{
	char *d = dd_arena_strndup(arena, s, n);
	if (!d)
		return NULL;
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/* A positive number of at most 18 digits. */
static int parse_number(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 18 || s[0] == '0')
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int oom(struct dd_err *err)
{
	return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
			  "out of memory parsing the query");
}

/*
 * Split value at commas into items (copies from the arena, lowered).
 * Returns the count, or -1 with err filled (too many items).
 */
static int split(struct dd_arena *arena, const char *name, const char *value,
		 char **items, struct dd_err *err)
{
	int n = 0;
	const char *p = value;
	for (;;) {
		size_t len = strcspn(p, ",");
		if (n == DD_QUERY_VALUES_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					  "'%s:' takes at most %d values", name,
					  DD_QUERY_VALUES_MAX);
		if (!(items[n++] = lower_dup(arena, p, len)))
			return oom(err);
		if (!p[len])
			break;
		p += len + 1;
	}
	return n;
}

static int pick(const char *const *names, int count, const char *s)
{
	for (int i = 0; i < count; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static int parse_priority(const char *name, char **items, int n, unsigned *mask,
			  struct dd_err *err)
{
	for (int i = 0; i < n; i++) {
		const char *s = items[i];
		int lo, hi;
		if (is_digit(s[0]) && !s[1]) {
			lo = hi = s[0] - '0';
		} else if (is_digit(s[0]) && strncmp(s + 1, "..", 2) == 0 &&
			   is_digit(s[3]) && !s[4]) {
			lo = s[0] - '0';
			hi = s[3] - '0';
		} else {
			lo = hi = 0;
		}
		if (lo < 1 || hi > 4)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "%s must be 1 to 4 (or a range like "
					  "1..2), not '%.40s'",
					  name, s);
		if (lo > hi)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "a %s range goes from low to high, "
					  "not '%.40s'",
					  name, s);
		for (int p = lo; p <= hi; p++)
			*mask |= 1u << p;
	}
	return 0;
}

/* org: and queue: take one id, "none", or a name prefix. */
static int parse_ref(const char *name, const char *value,
		     struct dd_arena *arena, struct dd_query_filter *f,
		     struct dd_err *err)
{
	size_t n = strlen(value);
	if (is_digit(value[0])) {
		if (parse_number(value, &f->id) < 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "%s: takes a name or an id, not "
					  "'%.40s'",
					  name, value);
		return 0;
	}
	if (n > DD_QUERY_NAME_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "the value of '%s:' is longer than %d bytes",
				  name, DD_QUERY_NAME_MAX);
	if (strcasecmp(value, "none") == 0) {
		f->is_none = 1;
		return 0;
	}
	if (!(f->name = dd_arena_strdup(arena, value)))
		return oom(err);
	return 0;
}

static int parse_filter(enum dd_query_field field, const char *name,
			const char *value, struct dd_arena *arena,
			struct dd_query_filter *f, struct dd_err *err)
{
	char *items[DD_QUERY_VALUES_MAX];
	int n, k;
	memset(f, 0, sizeof(*f));
	f->field = field;
	if (field == DD_QF_ORG || field == DD_QF_QUEUE)
		return parse_ref(name, value, arena, f, err);
	if ((n = split(arena, name, value, items, err)) < 0)
		return -1;
	switch (field) {
	case DD_QF_STATUS:
		for (int i = 0; i < n; i++) {
			if ((k = pick(dd_query_statuses, 5, items[i])) < 0)
				return dd_err_set(
					err, 400, DD_PROBLEM_VALIDATION,
					"unknown status '%.40s' (new, "
					"open, pending, resolved or "
					"closed)",
					items[i]);
			f->mask |= 1u << k;
		}
		return 0;
	case DD_QF_CHANNEL:
		for (int i = 0; i < n; i++) {
			if ((k = pick(dd_query_channels, 4, items[i])) < 0)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "unknown channel '%.40s' "
						  "(phone, email, web or api)",
						  items[i]);
			f->mask |= 1u << k;
		}
		return 0;
	case DD_QF_PRIORITY:
		return parse_priority(name, items, n, &f->mask, err);
	case DD_QF_OWNER:
		for (int i = 0; i < n; i++) {
			if (strcmp(items[i], "me") == 0) {
				f->is_me = 1;
			} else if (strcmp(items[i], "none") == 0) {
				f->is_none = 1;
			} else if (!items[i][0] ||
				   strlen(items[i]) > DD_LIMIT_LOGIN) {
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "owner: takes a login, me or "
						  "none, not '%.40s'",
						  items[i]);
			} else {
				f->values[f->count++] = items[i];
			}
		}
		return 0;
	case DD_QF_TAG:
		for (int i = 0; i < n; i++) {
			if (dd_ticket_tag_check(items[i], err) < 0)
				return -1;
			f->values[f->count++] = items[i];
		}
		return 0;
	case DD_QF_NUMBER:
		for (int i = 0; i < n; i++) {
			const char *s =
				items[i][0] == '#' ? items[i] + 1 : items[i];
			if (parse_number(s, &f->numbers[f->count]) < 0)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "number must be a ticket "
						  "number, not '%.40s'",
						  items[i]);
			f->count++;
		}
		return 0;
	case DD_QF_IS:
		if (n == 1 && strcmp(items[0], "overdue") == 0)
			f->is = DD_QIS_OVERDUE;
		else if (n == 1 && strcmp(items[0], "unassigned") == 0)
			f->is = DD_QIS_UNASSIGNED;
		else if (n == 1 && strcmp(items[0], "due-today") == 0)
			f->is = DD_QIS_DUE_TODAY;
		else
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "is: takes overdue, unassigned or "
					  "due-today, not '%.40s'",
					  value);
		return 0;
	case DD_QF_ORG:
	case DD_QF_QUEUE:
		break;
	}
	return 0;
}

/* Fold typed[0..n) into a text term. */
static int add_text(struct dd_query *out, const char *typed, size_t n,
		    struct dd_arena *arena, struct dd_err *err)
{
	struct dd_buf norm;
	char *copy = dd_arena_strndup(arena, typed, n);
	if (!copy)
		return oom(err);
	/* Folding never makes text longer than it was, but a word per
	 * byte needs room for the spaces. */
	dd_buf_init(&norm, 2 * n + 16);
	dd_search_normalise(copy, &norm);
	size_t len = norm.len;
	while (len > 0 && norm.data[len - 1] == ' ')
		len--;
	int words = 0;
	for (size_t i = 0; i < len; i++)
		if (i == 0 || norm.data[i - 1] == ' ')
			words++;
	struct dd_query_text *t = &out->texts[out->text_count];
	t->words = words ? dd_arena_strndup(arena, norm.data, len) : NULL;
	t->word_count = words;
	t->typed = copy;
	dd_buf_release(&norm);
	if (words == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%.40s' holds no letters or digits to "
				  "search for",
				  copy);
	if (words > DD_QUERY_PHRASE_WORDS_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "a phrase has at most %d words",
				  DD_QUERY_PHRASE_WORDS_MAX);
	if (!t->words)
		return oom(err);
	out->text_count++;
	return 0;
}

int dd_query_parse(const char *q, struct dd_arena *arena, struct dd_query *out,
		   struct dd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!q || !*q)
		return 0;
	if (dd_text_check("q", q, 0, DD_QUERY_MAX_BYTES, DD_TEXT_MULTI_LINE,
			  err) < 0)
		return -1;
	size_t len = strlen(q), i = 0;
	for (;;) {
		while (i < len && is_space(q[i]))
			i++;
		if (i == len)
			break;
		if (out->filter_count + out->text_count == DD_QUERY_TERMS_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					  "a query has at most %d terms",
					  DD_QUERY_TERMS_MAX);
		if (q[i] == '"') {
			const char *close = strchr(q + i + 1, '"');
			if (!close)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "a quote is not closed");
			if (add_text(out, q + i + 1,
				     (size_t)(close - (q + i + 1)), arena,
				     err) < 0)
				return -1;
			i = (size_t)(close - q) + 1;
			continue;
		}
		/* NAME: starts a filter; anything else is a word, which
		 * ends at white space or a quote. */
		size_t k = i;
		while (k < len && is_alpha(q[k]))
			k++;
		if (k > i && k < len && q[k] == ':') {
			char *name = lower_dup(arena, q + i, k - i);
			if (!name)
				return oom(err);
			int field = -1;
			for (size_t f = 0;
			     f < sizeof(filter_names) / sizeof(filter_names[0]);
			     f++)
				if (strcmp(filter_names[f].name, name) == 0)
					field = (int)filter_names[f].field;
			if (field < 0)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "unknown filter '%.40s' "
						  "(" FILTER_LIST ")",
						  name);
			size_t v = k + 1, end;
			const char *value;
			if (v < len && q[v] == '"') {
				const char *close = strchr(q + v + 1, '"');
				if (!close)
					return dd_err_set(
						err, 400, DD_PROBLEM_VALIDATION,
						"a quote is not closed");
				value = dd_arena_strndup(
					arena, q + v + 1,
					(size_t)(close - (q + v + 1)));
				end = (size_t)(close - q) + 1;
			} else {
				end = v;
				while (end < len && !is_space(q[end]) &&
				       q[end] != '"')
					end++;
				value = dd_arena_strndup(arena, q + v, end - v);
			}
			if (!value)
				return oom(err);
			if (!*value)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "'%s:' needs a value", name);
			if (parse_filter((enum dd_query_field)field, name,
					 value, arena,
					 &out->filters[out->filter_count],
					 err) < 0)
				return -1;
			out->filter_count++;
			i = end;
			continue;
		}
		while (k < len && !is_space(q[k]) && q[k] != '"')
			k++;
		if (add_text(out, q + i, k - i, arena, err) < 0)
			return -1;
		i = k;
	}
	return 0;
}

/* Append s with every occurrence of a character of special doubled or
 * prefixed: FTS5 strings double '"'; tsquery lexemes double '\'' and
 * escape '\\' with a backslash. */
static void put_quoted(struct dd_buf *out, const char *s, size_t n, char quote,
		       int escape_backslash)
{
	dd_buf_putc(out, quote);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == quote)
			dd_buf_putc(out, quote);
		else if (escape_backslash && s[i] == '\\')
			dd_buf_putc(out, '\\');
		dd_buf_putc(out, s[i]);
	}
	dd_buf_putc(out, quote);
}

int dd_query_fts5(const struct dd_query_text *texts, int n, int any,
		  struct dd_buf *out)
{
	for (int i = 0; i < n; i++) {
		if (i)
			dd_buf_puts(out, any ? " OR " : " AND ");
		/* A string of several words is an FTS5 phrase. */
		put_quoted(out, texts[i].words, strlen(texts[i].words), '"', 0);
	}
	return out->overflow ? -1 : 0;
}

int dd_query_tsquery(const struct dd_query_text *texts, int n, int any,
		     struct dd_buf *out)
{
	for (int i = 0; i < n; i++) {
		const char *w = texts[i].words;
		if (i)
			dd_buf_puts(out, any ? " | " : " & ");
		if (texts[i].word_count > 1)
			dd_buf_putc(out, '(');
		for (int k = 0; *w; k++) {
			size_t len = strcspn(w, " ");
			if (k)
				dd_buf_puts(out, " <-> ");
			put_quoted(out, w, len, '\'', 1);
			w += len;
			while (*w == ' ')
				w++;
		}
		if (texts[i].word_count > 1)
			dd_buf_putc(out, ')');
	}
	return out->overflow ? -1 : 0;
}

int dd_query_tsquery_words(const struct dd_query_text *texts, int n, int any,
			   struct dd_buf *out)
{
	int first = 1;
	for (int i = 0; i < n; i++)
		for (const char *w = texts[i].words; *w;) {
			size_t len = strcspn(w, " ");
			if (!first)
				dd_buf_puts(out, any ? " | " : " & ");
			put_quoted(out, w, len, '\'', 1);
			first = 0;
			w += len;
			while (*w == ' ')
				w++;
		}
	return out->overflow ? -1 : 0;
}
