/*
 * ticket_list.h - listing and searching tickets with the query language
 * (ticket/query.h): the one engine behind GET /api/v1/tickets, its CSV
 * export, the views' counts and "dutydesk ticket list".
 *
 * Without words a list is filtered and sorted (newest change first by
 * default) and paged by keyset. With words it is ranked: every word must
 * occur somewhere in the ticket (its search document, ticket/
 * search_index.h), and of the matching tickets the DD_TICKET_RANK_WINDOW
 * newest are scored by the engine's full-text ranking, SQLite FTS5's
 * bm25 or PostgreSQL's ts_rank, with a word in the subject counting five
 * times one in the body, and listed best first (ties: the newer change,
 * then the higher id); older matches follow them, newest first. Ranked
 * pages are paged by position. Merged tickets are never listed.
 *
 * A page costs a bounded number of queries: resolving the names the
 * query uses (one per organisation, queue or login named), the page (two
 * for the ranked page that reaches past the window), the tags of the
 * tickets on it (one per 512 tickets), and the total when asked for.
 */
#ifndef DD_TICKET_TICKET_LIST_H
#define DD_TICKET_TICKET_LIST_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "ticket/ticket.h"

/* A CSV export holds at most this many tickets: a spreadsheet of 10,000
 * rows is already more than anyone reads, and it keeps one request's
 * memory (about 10 MB) and time bounded. Larger lists are refused. */
#define DD_TICKET_EXPORT_MAX 10000
/* Ranked results are paged by position up to here: past the first
 * thousands of hits relevance means nothing, and every further page
 * would rank the whole result again. */
#define DD_TICKET_RANKED_MAX 10000
/* The newest matching tickets scored for a ranked list. Scoring reads a
 * ticket's whole search document, so the work of a search with a common
 * word (in half of 100,000 tickets) must stop somewhere, and a desk
 * looks for recent cases first; with more matches than this a search
 * says too little, and the older ones follow by age. The engines hand
 * out matches in id order cheaply, so choosing the window costs little.
 * Ten pages of fifty: on PostgreSQL each scored ticket costs about 5 µs
 * (its document read out of line, then ts_rank), and at 1,000 a search
 * of 100,000 tickets with a million articles took 8.5 ms of its CPU on
 * average, so eight searches at once on two cores waited 60-70 ms (p95);
 * at 500 it is 4.9 ms and 40 ms (bench/README.md, "Tickets"). */
#define DD_TICKET_RANK_WINDOW 500
/* PostgreSQL looks for the window first among the matches in this many
 * of the newest id buckets (ticket/search_index.h): the newest, which
 * may hold a single ticket, and five full ones, at least 20,480 tickets.
 * (Chosen with a window of 1,000, the figures below; with 500, measured
 * through the server, six buckets cost 4.9 ms of PostgreSQL's CPU per
 * search of bench/tickets' mix, four 5.1 and three 5.2.)
 * Only when fewer than a window of them pass the filters does it read
 * the older matches as well, so a query that matches one ticket in 20
 * or more costs the same however large the archive, and one that
 * matches fewer pays for this look (at most as many rows as it has
 * matches among 24,576 tickets) on top of reading every match. Of the
 * 24 queries of bench/tickets, at 100,000 tickets, 12 fill the window
 * from six buckets, 8 from five; the rows all 24 read were fewest at
 * six (48,000, against 62,000 at five, 50,000 at eight and 118,000
 * reading every match). */
#define DD_TICKET_RANK_BUCKETS 6
/* The longest cursor this module hands out. */
#define DD_TICKET_CURSOR_LEN 64

enum dd_ticket_sort {
	DD_TSORT_DEFAULT,   /* relevance with words, else updated */
	DD_TSORT_RELEVANCE, /* best match first (needs words) */
	DD_TSORT_UPDATED,   /* newest change first */
	DD_TSORT_CREATED,   /* newest ticket first */
	DD_TSORT_DUE,	    /* soonest due first, tickets without a due
			       time last */
	DD_TSORT_PRIORITY,  /* priority 1 first, then newest change */
	DD_TSORT_NUMBER,    /* highest number first */
};

/* "relevance", "updated", ...; NULL or "" is the default. 0, or -1 with
 * a 400 naming the choices. */
int dd_ticket_sort_parse(const char *text, enum dd_ticket_sort *out,
			 struct dd_err *err);

struct dd_ticket_list_req {
	const char *q; /* the query; NULL or "" lists every ticket */
	enum dd_ticket_sort sort;
	const char *cursor; /* a next_cursor of the same query and sort */
	int limit;	    /* tickets on the page, >= 1 */
	int64_t viewer_id;  /* who "owner:me" is; 0: nobody */
	int want_total;	    /* count every ticket of the list */
};

/* A ticket with the names a list shows (NULL where the ticket has no
 * organisation, queue or owner). */
struct dd_ticket_item {
	struct dd_ticket ticket;
	const char *organisation;
	const char *queue;
	const char *owner_login;
};

struct dd_ticket_page {
	struct dd_ticket_item *items; /* count of them */
	int count;
	/* Where the next page starts; NULL when this page is the last. */
	const char *next_cursor;
	/* 1 when more tickets match than this page and the ones before it
	 * show: with next_cursor NULL, a ranked list that reached
	 * DD_TICKET_RANKED_MAX and goes on past what it pages to. */
	int more;
	int64_t total; /* -1 unless want_total */
};

/*
 * One page of the list q describes. Everything in out (and the tickets'
 * strings) comes from ctx->arena. Returns 0, or -1 with err filled: 400
 * for a bad query (the parser's messages), an organisation, queue or
 * login the query names that does not exist, "owner:me" without a
 * viewer, a sort that needs words, or a cursor this module did not give
 * out for this sort; 503/500 from the store.
 */
int dd_ticket_list(struct dd_ctx *ctx, const struct dd_ticket_list_req *req,
		   struct dd_ticket_page *out, struct dd_err *err);

/* How many tickets q lists (what want_total would say). 0 or -1 as
 * dd_ticket_list. */
int dd_ticket_count(struct dd_ctx *ctx, const char *q, int64_t viewer_id,
		    int64_t *count, struct dd_err *err);

/* Write items as CSV (RFC 4180, CRLF, a header row; cells that would run
 * as spreadsheet formulas are defused, see base/csv.h): number, subject,
 * status, priority, channel, organisation, queue, owner, due_at,
 * created_at, updated_at, tags (space-separated). Returns 0, or -1 when
 * out overflows. */
int dd_ticket_items_to_csv(const struct dd_ticket_item *items, int count,
			   struct dd_buf *out);

#endif
