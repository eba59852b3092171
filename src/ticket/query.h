/*
 * query.h - the ticket query language: one string of filters and words,
 * as typed into the search box, the CLI's --q and a view's definition.
 *
 *   status:open,pending  prio:1  priority:1..2  org:acme  org:12
 *   queue:"service management"  owner:me  owner:none  tag:vpn
 *   channel:phone  number:10042  is:overdue  is:unassigned  is:due-today
 *   "exact phrase"  störung
 *
 * Terms are separated by white space. A filter is NAME:VALUE (the name in
 * any case; the value may be quoted to hold spaces); comma lists mean
 * "any of" where a filter takes them. Different terms must all hold.
 * Everything else is text: every word must occur in the ticket (its
 * subject or an article), a quoted phrase as those words in that order.
 * Text is folded by dd_search_normalise, the normalisation the index is
 * built with, so "Störung", "STÖRUNG" and "Stoerung" are the same word,
 * and so is "Straße" and "Strasse".
 *
 * Parsing is pure: it checks the syntax and the values that need no
 * database (statuses, channels, priorities, numbers, tags). Whether an
 * organisation, queue or login exists is for ticket_list.c to say.
 */
#ifndef DD_TICKET_QUERY_H
#define DD_TICKET_QUERY_H

#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

/* A query string: a search box holds a line, a view's definition a few
 * dozen bytes; 1000 bytes is far beyond both and keeps a hostile query's
 * parsing, normalising and SQL small. */
#define DD_QUERY_MAX_BYTES 1000
/* Terms (filters and words) in one query: each adds a condition to the
 * SQL, so the count bounds the statement's size and cost. */
#define DD_QUERY_TERMS_MAX 24
/* Values in one comma list (owner:a,b,c / number:1,2,3 / tag:x,y). */
#define DD_QUERY_VALUES_MAX 8
/* Words in one phrase after folding ("e-mail" is the phrase "e mail"). */
#define DD_QUERY_PHRASE_WORDS_MAX 16
/* A name value (organisation, queue, login) in bytes. */
#define DD_QUERY_NAME_MAX 200

enum dd_query_field {
	DD_QF_STATUS,	/* mask over dd_query_statuses */
	DD_QF_PRIORITY, /* mask: bit p for priority p (1-4) */
	DD_QF_CHANNEL,	/* mask over dd_query_channels */
	DD_QF_ORG,	/* id, name prefix, or none */
	DD_QF_QUEUE,	/* id, name prefix, or none */
	DD_QF_OWNER,	/* values: logins, "me" (is_me), none (is_none) */
	DD_QF_TAG,	/* values: tags, any of */
	DD_QF_NUMBER,	/* ids: ticket numbers, any of */
	DD_QF_IS,	/* is */
};

enum dd_query_is {
	DD_QIS_OVERDUE,	   /* due before now and not resolved or closed */
	DD_QIS_UNASSIGNED, /* no owner */
	DD_QIS_DUE_TODAY,  /* due on today's date in the organisation */
};

/* The statuses and channels in mask-bit order. */
extern const char *const dd_query_statuses[5];
extern const char *const dd_query_channels[4];
/* The statuses of a ticket not yet dealt with: new, open and pending. */
#define DD_QUERY_STATUS_ACTIVE 0x7u

struct dd_query_filter {
	enum dd_query_field field;
	unsigned mask;	     /* STATUS, PRIORITY, CHANNEL */
	enum dd_query_is is; /* IS */
	int64_t id;	     /* ORG, QUEUE by id (0: by name or none) */
	int is_none;	     /* ORG, QUEUE, OWNER: "none" (no value) */
	int is_me;	     /* OWNER: "me" */
	const char *name;    /* ORG, QUEUE: the name prefix as typed */
	int count;	     /* OWNER logins, TAG tags, NUMBER numbers */
	const char *values[DD_QUERY_VALUES_MAX];
	int64_t numbers[DD_QUERY_VALUES_MAX];
};

/* A word or phrase to find: words folded by dd_search_normalise, one
 * space between them. More than one word means: in this order. */
struct dd_query_text {
	const char *words;
	int word_count;
	const char *typed; /* as typed, for messages */
};

struct dd_query {
	int filter_count;
	struct dd_query_filter filters[DD_QUERY_TERMS_MAX];
	int text_count;
	struct dd_query_text texts[DD_QUERY_TERMS_MAX];
};

/*
 * Parse q (NULL or empty: no terms). Strings in out come from arena and
 * live as long as it. Returns 0, or -1 with a 400 in err: an unknown
 * filter or value, a filter without a value, a quote that is not closed,
 * text with nothing to search for, invalid UTF-8 or control characters
 * (DD_PROBLEM_VALIDATION), or a query over DD_QUERY_MAX_BYTES or
 * DD_QUERY_TERMS_MAX terms (DD_PROBLEM_LIMIT).
 */
int dd_query_parse(const char *q, struct dd_arena *arena, struct dd_query *out,
		   struct dd_err *err);

/*
 * Full-text expressions for texts[0..n), joined with AND (any 0) or OR
 * (any 1), appended to out. The words are always quoted, so nothing a
 * person types is ever read as operator syntax:
 *
 *   FTS5 MATCH:  "vpn" AND "exact phrase"
 *   to_tsquery:  'vpn' & ('exact' <-> 'phrase')
 *
 * Returns 0, or -1 when out overflows.
 */
int dd_query_fts5(const struct dd_query_text *texts, int n, int any,
		  struct dd_buf *out);
int dd_query_tsquery(const struct dd_query_text *texts, int n, int any,
		     struct dd_buf *out);

/*
 * Every word of texts[0..n), phrases taken apart, joined with AND (any
 * 0) or OR (any 1), in to_tsquery syntax ('exact' & 'phrase'). With AND,
 * what a document must hold for a phrase besides the words' order: a GIN
 * index answers it without reading the documents, which a phrase (<->)
 * needs. With OR, what ts_rank scores by how often each word occurs (it
 * scores an AND by how close the words stand). Returns 0, or -1 when out
 * overflows.
 */
int dd_query_tsquery_words(const struct dd_query_text *texts, int n, int any,
			   struct dd_buf *out);

#endif
