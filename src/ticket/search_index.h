/*
 * search_index.h - the one search document of each ticket, the thing
 * full-text search matches and ranks.
 *
 * search_docs keeps every text of a ticket separately (its subject, each
 * article, attachment name and merged subject), folded by
 * dd_search_normalise; dd_ticket_index writes them. From those this
 * module keeps one row per ticket in ticket_search: the subject, and the
 * body, every other document in the order written, each preceded by
 * DD_SEARCH_DOC_SEPARATOR. With one document per ticket "every word
 * somewhere in the ticket" is a single full-text match, and a search
 * touches as many index entries as there are matching tickets, not
 * matching articles.
 *
 * SQLite indexes the two columns with the FTS5 table ticket_fts (kept in
 * step by triggers); PostgreSQL keeps no text in ticket_search, only the
 * tsvector (the subject's words with weight A, the body's with D) and a
 * GIN index over it and the ticket's id bucket (below). The SQL that
 * differs per engine is here and in ticket_list.c.
 */
#ifndef DD_TICKET_SEARCH_INDEX_H
#define DD_TICKET_SEARCH_INDEX_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/err.h"

/*
 * Written before each document of a body: a token that no search can
 * name, so that a phrase never runs from the end of one article into the
 * start of the next. dd_search_normalise turns every '.' into a space,
 * so no folded word holds one; FTS5 (with '.' as a token character) and
 * PostgreSQL's parser (a version number) both read "0.0" as one token of
 * its own. The spaces keep it apart from the words around it.
 */
#define DD_SEARCH_DOC_SEPARATOR	    " 0.0 "
#define DD_SEARCH_DOC_SEPARATOR_LEN 5

/*
 * PostgreSQL: tickets by id in buckets of 4,096 (id >> 12), the second
 * column of the GIN index ticket_search_tsv (migration 11), as an array
 * of one so that GIN's array operators take it. A ranked search asks the
 * index for its words in the newest few buckets (ticket_list.c): the
 * index itself then hands out only recent matches, where fetching and
 * sorting every match by id to find the newest cost most of a common
 * search. A query must write the expression exactly as the index does,
 * or the planner cannot use the index for it; another width needs a
 * migration that builds the index again.
 */
#define DD_SEARCH_BUCKET_SHIFT	 12
#define DD_SEARCH_SQL_NUMBER_(n) #n
#define DD_SEARCH_SQL_NUMBER(n)	 DD_SEARCH_SQL_NUMBER_(n)
#define DD_SEARCH_PG_BUCKET                                                    \
	"ARRAY[ticket_id >> " DD_SEARCH_SQL_NUMBER(DD_SEARCH_BUCKET_SHIFT) "]"

/*
 * The most bytes of a ticket's body, separators included: whole
 * documents are added oldest first while the running total of their
 * bytes (each with its separator) stays within it; a document that would
 * cross it, and every later one, is not searchable. 256 KiB is 60 times
 * an average ticket's text, keeps the work of rewriting a ticket's index
 * entry on each new article bounded, and keeps PostgreSQL's tsvector of
 * any text of that size under its 1 MB limit.
 */
#define DD_SEARCH_TEXT_MAX (256 * 1024)

/*
 * Pure: add the folded document text to body under the rule above.
 * *text_bytes is the running total before it (every document counted,
 * searchable or not) and is raised by strlen(folded) +
 * DD_SEARCH_DOC_SEPARATOR_LEN. body must hold DD_SEARCH_TEXT_MAX bytes.
 * Returns 1 when the document went into body, 0 when it was left out.
 */
int dd_search_body_add(struct dd_buf *body, int64_t *text_bytes,
		       const char *folded);

/*
 * Inside the caller's transaction: add the folded document text (a new
 * document, already written to search_docs) to the search document of
 * the ticket, creating it when the ticket has none. Returns 0, or -1 with
 * err filled by the store.
 */
int dd_search_index_append(struct dd_ctx *ctx, int64_t ticket_id,
			   const char *folded, struct dd_err *err);

/*
 * Inside the caller's transaction: write the ticket's search document
 * again from its rows in search_docs (after a subject changed, a
 * document was replaced, or documents moved in a merge); a ticket
 * without documents has none afterwards. The caller holds the ticket's
 * lock (ticket/touch.h) or created it in this transaction: otherwise a
 * document another transaction adds meanwhile could be written over
 * with what was read before it. Returns 0, or -1 with err filled.
 */
int dd_search_index_rebuild(struct dd_ctx *ctx, int64_t ticket_id,
			    struct dd_err *err);

#endif
