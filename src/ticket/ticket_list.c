#include "ticket/ticket_list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/timefmt.h"
#include "base/tz.h"
#include "rota/settings.h"
#include "store/store.h"
#include "ticket/query.h"
#include "ticket/search_index.h"

/*
 * Parameters one list statement binds: a query has at most
 * DD_QUERY_TERMS_MAX terms of at most DD_QUERY_VALUES_MAX values each,
 * plus the ranking expression, the cursor and the limit.
 */
#define LIST_PARAMS_MAX (DD_QUERY_TERMS_MAX * (DD_QUERY_VALUES_MAX + 2) + 8)
/* The SQL text of one statement: a few hundred bytes per term. */
#define LIST_SQL_MAX (64 * 1024)
/* A full-text expression: the query's words, quoted and joined. */
#define MATCH_EXPR_MAX (8 * DD_QUERY_MAX_BYTES + 64)

/* Tags are read for up to TAG_BATCH_MAX tickets at once; a batch is
 * padded to one of these sizes (with id 0, which names no ticket) so that
 * the statement caches see four SQL texts, not one per page size. */
#define TAG_BATCH_MAX 512
static const int tag_batches[] = {8, 32, 128, TAG_BATCH_MAX};

/* Due times sort last when absent. */
#define NO_DUE_SQL "9223372036854775807"

/* The ticket's columns, then the names a list shows. */
#define LIST_COLUMNS DD_TICKET_COLUMNS ", o.name, q.name, p.login"

#define LIST_JOINS                                                             \
	" LEFT JOIN organisations o ON o.id = t.organisation_id"               \
	" LEFT JOIN queues q ON q.id = t.queue_id"                             \
	" LEFT JOIN people p ON p.id = t.owner_id"

/* Tickets t whose search document matches $N (every word), per engine:
 * for lists in another order, counts, and ranked lists past the ranked
 * window. */
#define SQLITE_TEXT_MATCH                                                      \
	"t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH "
#define PG_TEXT_MATCH                                                          \
	"t.id IN (SELECT ticket_id FROM ticket_search WHERE tsv @@"            \
	" to_tsquery('simple', "

/*
 * Ranking. Only the DD_TICKET_RANK_WINDOW newest matching tickets are
 * scored (ticket_list.h says why); both engines hand out their matches in
 * ticket id order cheaply, and a score costs a read of the ticket's whole
 * search document. Lower scores are better. FTS5's bm25 is negative,
 * lower better; ts_rank is higher-better, so it is negated, and divided
 * by 1 + the log of the document's length (normalisation 1) as bm25
 * weighs length. ts_rank is given any of the words ('a' | 'b'): it
 * scores an AND by how close the words stand, which put "WLAN startet
 * nicht" above "Kassensystem startet nicht" for all three words, and an
 * OR by how often and where each occurs, as bm25 does. A subject word
 * counts five times a body word: the subject says what the ticket is
 * about, while the body holds every article and greeting, so a ticket
 * with the words in its subject comes before one where they are only
 * somewhere in a long thread (with twice, as each document had before,
 * half the top 20 for "drucker störung" lacked a word in the subject).
 */
#define SQLITE_SCORE "bm25(ticket_fts, 5.0, 1.0)"
/* Weights for D, C, B, A: the body is D, the subject A. */
#define PG_SCORE_WEIGHTS "'{0.2, 0.2, 0.2, 1.0}'"

static const struct {
	const char *name;
	enum dd_ticket_sort sort;
	char cursor; /* the cursor's first letter */
	int keys;    /* numbers in the cursor */
} sorts[] = {
	{"relevance", DD_TSORT_RELEVANCE, 'r', 1},
	{"updated", DD_TSORT_UPDATED, 'u', 2},
	{"created", DD_TSORT_CREATED, 'c', 2},
	{"due", DD_TSORT_DUE, 'd', 2},
	{"priority", DD_TSORT_PRIORITY, 'p', 3},
	{"number", DD_TSORT_NUMBER, 'n', 1},
};
#define SORT_COUNT ((int)(sizeof(sorts) / sizeof(sorts[0])))

int dd_ticket_sort_parse(const char *text, enum dd_ticket_sort *out,
			 struct dd_err *err)
{
	*out = DD_TSORT_DEFAULT;
	if (!text || !*text)
		return 0;
	for (int i = 0; i < SORT_COUNT; i++)
		if (strcmp(text, sorts[i].name) == 0) {
			*out = sorts[i].sort;
			return 0;
		}
	return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			  "unknown sort '%.20s' (relevance, updated, created, "
			  "due, priority or number)",
			  text);
}

static int sort_index(enum dd_ticket_sort sort)
{
	for (int i = 0; i < SORT_COUNT; i++)
		if (sorts[i].sort == sort)
			return i;
	return 0;
}

/* ---- building SQL ---- */

/* Statement text and its parameters, numbered in the order bound. */
struct sql {
	struct dd_param params[LIST_PARAMS_MAX];
	int n;
	int overflow;
};

/* Bind p; returns its number (0 when there is no room). */
static int bind_param(struct sql *s, struct dd_param p)
{
	if (s->n == LIST_PARAMS_MAX) {
		s->overflow = 1;
		return 0;
	}
	s->params[s->n++] = p;
	return s->n;
}

/* Bind p and write its placeholder into b; returns its number. */
static int bind(struct sql *s, struct dd_buf *b, struct dd_param p)
{
	int n = bind_param(s, p);
	if (n)
		dd_buf_printf(b, "$%d", n);
	return n;
}

/* What a query needs besides its terms. */
struct plan {
	struct dd_query q;
	enum dd_ticket_sort sort;
	int ranked;
	int64_t viewer_id;
	int64_t now;
	int64_t today_start, today_end; /* for is:due-today */
	/* With words: match_expr's expression, and words_expr's with all
	 * and with any of the words. */
	const char *match, *words, *any_word;
};

static int oom(struct dd_err *err)
{
	return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
			  "out of memory listing tickets");
}

/* A LIKE pattern for names starting with prefix: %, _ and \ escaped. */
static const char *prefix_pattern(struct dd_arena *arena, const char *prefix)
{
	size_t n = strlen(prefix);
	char *p = dd_arena_alloc(arena, 2 * n + 2);
	if (!p)
		return NULL;
	char *w = p;
	for (size_t i = 0; i < n; i++) {
		if (prefix[i] == '%' || prefix[i] == '_' || prefix[i] == '\\')
			*w++ = '\\';
		*w++ = prefix[i];
	}
	*w++ = '%';
	*w = '\0';
	return p;
}

/* 0 when sql (a COUNT with one parameter) finds a row, else -1 with a
 * 400 saying what. */
static int must_exist(struct dd_ctx *ctx, const char *sql, struct dd_param p,
		      const char *what, struct dd_err *err)
{
	int64_t n = 0;
	if (dd_store_query_int(ctx->store, sql, &p, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION, "%s", what);
	return 0;
}

/* Check that the organisations, queues and people the query names
 * exist, so that a typo is an error and not an empty list. */
static int check_names(struct dd_ctx *ctx, struct plan *plan,
		       struct dd_err *err)
{
	char what[DD_ERR_MSG_MAX];
	for (int i = 0; i < plan->q.filter_count; i++) {
		const struct dd_query_filter *f = &plan->q.filters[i];
		int org = f->field == DD_QF_ORG;
		if ((org || f->field == DD_QF_QUEUE) && !f->is_none) {
			const char *kind = org ? "organisation" : "queue";
			if (f->id) {
				snprintf(what, sizeof(what),
					 "no %s with id %lld", kind,
					 (long long)f->id);
				if (must_exist(
					    ctx,
					    org ? "SELECT COUNT(*) FROM "
						  "organisations WHERE id = $1"
						: "SELECT COUNT(*) FROM queues "
						  "WHERE id = $1",
					    DD_P_INT(f->id), what, err) < 0)
					return -1;
				continue;
			}
			const char *pattern =
				prefix_pattern(ctx->arena, f->name);
			if (!pattern)
				return oom(err);
			snprintf(what, sizeof(what),
				 "unknown %s '%.60s' (no %s name starts with "
				 "it)",
				 kind, f->name, kind);
			if (must_exist(
				    ctx,
				    org ? "SELECT COUNT(*) FROM organisations "
					  "WHERE lower(name) LIKE lower($1) "
					  "ESCAPE '\\'"
					: "SELECT COUNT(*) FROM queues WHERE "
					  "lower(name) LIKE lower($1) ESCAPE "
					  "'\\'",
				    DD_P_TEXT(pattern), what, err) < 0)
				return -1;
		}
		if (f->field == DD_QF_OWNER) {
			if (f->is_me && !plan->viewer_id)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "owner:me needs a signed-in "
						  "person");
			for (int k = 0; k < f->count; k++) {
				snprintf(what, sizeof(what),
					 "unknown login '%.64s' in owner:",
					 f->values[k]);
				if (must_exist(
					    ctx,
					    "SELECT COUNT(*) FROM people WHERE "
					    "login = $1",
					    DD_P_TEXT(f->values[k]), what,
					    err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* Today's bounds in the organisation's time zone, for is:due-today. */
static int today_bounds(struct dd_ctx *ctx, struct plan *plan,
			struct dd_err *err)
{
	struct dd_org_settings settings;
	const struct dd_tz *tz;
	struct dd_tz *own = NULL;
	if (dd_settings_load(ctx, &settings, err) < 0)
		return -1;
	if (ctx->tz_cache) {
		if (dd_tz_cache_get(ctx->tz_cache, settings.time_zone, &tz,
				    err) < 0)
			return -1;
	} else {
		if (dd_tz_load(settings.time_zone, &own, err) < 0)
			return -1;
		tz = own;
	}
	int64_t secs =
		plan->now >= 0 ? plan->now / 1000 : (plan->now - 999) / 1000;
	int64_t day = dd_tz_local_day(tz, secs);
	plan->today_start = dd_tz_local_to_utc(tz, day, 0) * 1000;
	plan->today_end = dd_tz_local_to_utc(tz, day + 1, 0) * 1000;
	dd_tz_free(own);
	return 0;
}

/* column IN ('a', 'b') for the names whose bits are set: the names are
 * this program's constants, never input. */
static void put_names_in(struct dd_buf *b, const char *column, unsigned mask,
			 const char *const *names, int count)
{
	int first = 1;
	dd_buf_printf(b, "%s IN (", column);
	for (int i = 0; i < count; i++)
		if (mask & (1u << i)) {
			dd_buf_printf(b, "%s'%s'", first ? "" : ", ", names[i]);
			first = 0;
		}
	dd_buf_putc(b, ')');
}

static void put_filter(struct sql *s, struct dd_buf *b, struct dd_ctx *ctx,
		       const struct plan *plan, const struct dd_query_filter *f)
{
	int first = 1, k;
	dd_buf_puts(b, " AND ");
	switch (f->field) {
	case DD_QF_STATUS:
		put_names_in(b, "t.status", f->mask, dd_query_statuses, 5);
		break;
	case DD_QF_CHANNEL:
		put_names_in(b, "t.channel", f->mask, dd_query_channels, 4);
		break;
	case DD_QF_PRIORITY:
		dd_buf_puts(b, "t.priority IN (");
		for (int p = 1; p <= 4; p++)
			if (f->mask & (1u << p)) {
				dd_buf_printf(b, "%s%d", first ? "" : ", ", p);
				first = 0;
			}
		dd_buf_putc(b, ')');
		break;
	case DD_QF_ORG:
	case DD_QF_QUEUE: {
		const char *col = f->field == DD_QF_ORG ? "t.organisation_id"
							: "t.queue_id";
		if (f->is_none) {
			dd_buf_printf(b, "%s IS NULL", col);
		} else if (f->id) {
			dd_buf_printf(b, "%s = ", col);
			bind(s, b, DD_P_INT(f->id));
		} else {
			dd_buf_printf(b,
				      "%s IN (SELECT id FROM %s WHERE "
				      "lower(name) LIKE lower(",
				      col,
				      f->field == DD_QF_ORG ? "organisations"
							    : "queues");
			bind(s, b,
			     DD_P_TEXT(prefix_pattern(ctx->arena, f->name)));
			dd_buf_puts(b, ") ESCAPE '\\')");
		}
		break;
	}
	case DD_QF_OWNER:
		dd_buf_putc(b, '(');
		if (f->is_none) {
			dd_buf_puts(b, "t.owner_id IS NULL");
			first = 0;
		}
		if (f->is_me) {
			dd_buf_printf(b,
				      "%st.owner_id = ", first ? "" : " OR ");
			bind(s, b, DD_P_INT(plan->viewer_id));
			first = 0;
		}
		if (f->count) {
			dd_buf_printf(b,
				      "%st.owner_id IN (SELECT id FROM people "
				      "WHERE login IN (",
				      first ? "" : " OR ");
			for (k = 0; k < f->count; k++) {
				if (k)
					dd_buf_puts(b, ", ");
				bind(s, b, DD_P_TEXT(f->values[k]));
			}
			dd_buf_puts(b, "))");
		}
		dd_buf_putc(b, ')');
		break;
	case DD_QF_TAG:
		dd_buf_puts(b, "t.id IN (SELECT ticket_id FROM ticket_tags "
			       "WHERE tag IN (");
		for (k = 0; k < f->count; k++) {
			if (k)
				dd_buf_puts(b, ", ");
			bind(s, b, DD_P_TEXT(f->values[k]));
		}
		dd_buf_puts(b, "))");
		break;
	case DD_QF_NUMBER: {
		/* A merged ticket's number finds the ticket it went into. */
		int at[DD_QUERY_VALUES_MAX];
		dd_buf_puts(b, "(t.number IN (");
		for (k = 0; k < f->count; k++) {
			if (k)
				dd_buf_puts(b, ", ");
			at[k] = bind(s, b, DD_P_INT(f->numbers[k]));
		}
		dd_buf_puts(b, ") OR t.id IN (SELECT merged_into FROM tickets "
			       "WHERE number IN (");
		for (k = 0; k < f->count; k++)
			dd_buf_printf(b, "%s$%d", k ? ", " : "", at[k]);
		dd_buf_puts(b, ")))");
		break;
	}
	case DD_QF_IS:
		switch (f->is) {
		case DD_QIS_OVERDUE:
			dd_buf_puts(b, "(t.due_at < ");
			bind(s, b, DD_P_INT(plan->now));
			dd_buf_puts(b, " AND ");
			put_names_in(b, "t.status", DD_QUERY_STATUS_ACTIVE,
				     dd_query_statuses, 5);
			dd_buf_putc(b, ')');
			break;
		case DD_QIS_UNASSIGNED:
			dd_buf_puts(b, "t.owner_id IS NULL");
			break;
		case DD_QIS_DUE_TODAY:
			dd_buf_puts(b, "(t.due_at >= ");
			bind(s, b, DD_P_INT(plan->today_start));
			dd_buf_puts(b, " AND t.due_at < ");
			bind(s, b, DD_P_INT(plan->today_end));
			dd_buf_putc(b, ')');
			break;
		}
		break;
	}
}

/* The engine's expression for "every word and phrase of the query",
 * from the arena: FTS5 MATCH syntax or to_tsquery's. */
static const char *match_expr(struct dd_ctx *ctx, const struct dd_query *q)
{
	struct dd_buf e;
	dd_buf_init(&e, MATCH_EXPR_MAX);
	int rc = dd_store_kind(ctx->store) == DD_STORE_SQLITE
			 ? dd_query_fts5(q->texts, q->text_count, 0, &e)
			 : dd_query_tsquery(q->texts, q->text_count, 0, &e);
	const char *copy =
		rc < 0 ? NULL : dd_arena_strdup(ctx->arena, dd_buf_str(&e));
	dd_buf_release(&e);
	return copy;
}

/* The query's words without the phrases' order, for to_tsquery: all of
 * them (any 0) or any of them (any 1). */
static const char *words_expr(struct dd_ctx *ctx, const struct dd_query *q,
			      int any)
{
	struct dd_buf e;
	dd_buf_init(&e, MATCH_EXPR_MAX);
	int rc = dd_query_tsquery_words(q->texts, q->text_count, any, &e);
	const char *copy =
		rc < 0 ? NULL : dd_arena_strdup(ctx->arena, dd_buf_str(&e));
	dd_buf_release(&e);
	return copy;
}

static int has_phrase(const struct dd_query *q)
{
	for (int i = 0; i < q->text_count; i++)
		if (q->texts[i].word_count > 1)
			return 1;
	return 0;
}

/*
 * The conditions on the ticket t, appended to where as " AND ..." (not
 * merged, the filters, and with text every word), with their parameters
 * bound in s. text 0 leaves the words out (the ranked window matches
 * them itself).
 */
static void put_conditions(struct dd_ctx *ctx, const struct plan *plan,
			   struct sql *s, struct dd_buf *where, int text)
{
	int sqlite = dd_store_kind(ctx->store) == DD_STORE_SQLITE;
	dd_buf_puts(where, " AND t.merged_into IS NULL");
	for (int i = 0; i < plan->q.filter_count; i++)
		put_filter(s, where, ctx, plan, &plan->q.filters[i]);
	if (text && plan->q.text_count) {
		dd_buf_printf(where, " AND %s",
			      sqlite ? SQLITE_TEXT_MATCH : PG_TEXT_MATCH);
		bind(s, where, DD_P_TEXT(plan->match));
		dd_buf_puts(where, sqlite ? ")" : "))");
	}
}

/*
 * PostgreSQL's candidates for the window: ids of the newest tickets that
 * match and pass the filters, with their last change, newest first. The
 * GIN index is asked for the words only (with a phrase it cannot tell
 * the order, and checking it reads the document); the ids it gives are
 * sorted (the subquery x, whose OFFSET 0 keeps the sort below the
 * look-ups) and the tickets looked up in that order until enough pass.
 * The look-up is a LATERAL subquery with OFFSET 0 so that it is done id
 * by id whatever the planner estimates: it cannot know how many matches
 * the buckets leave, and on a guess of hundreds it checked a phrase by
 * reading every document that held it (160 ms instead of 10).
 *
 * recent 1: the matches in the buckets the CTE buckets names, up to a
 * window of them. recent 0: the older matches, as many as recent left
 * the window short, and none at all when the CTE enough says recent
 * filled it. Their ids are compared after the sort: beside the words
 * the planner would read the older part of the primary key for it. words and
 * phrase are the numbers of the bound parameters (phrase 0: none), conditions
 * the filters' SQL (their parameters bound once, the text used twice).
 */
static void put_pg_candidates(struct dd_buf *b, int recent, int words,
			      int phrase, const char *conditions)
{
	dd_buf_printf(b,
		      "SELECT x.ticket_id AS tid, t.upd FROM (SELECT ticket_id"
		      " FROM ticket_search WHERE tsv @@ to_tsquery('simple',"
		      " $%d)%s ORDER BY ticket_id DESC OFFSET 0) x CROSS JOIN"
		      " LATERAL (SELECT t.updated_at AS upd FROM tickets t",
		      words,
		      recent ? " AND " DD_SEARCH_PG_BUCKET
			       " && (SELECT ids FROM buckets)"
			     : "");
	if (phrase)
		dd_buf_printf(b,
			      " JOIN ticket_search ph ON ph.ticket_id = t.id"
			      " AND ph.tsv @@ to_tsquery('simple', $%d)",
			      phrase);
	dd_buf_printf(b, " WHERE t.id = x.ticket_id%s OFFSET 0) t", conditions);
	if (recent)
		dd_buf_printf(b, " ORDER BY x.ticket_id DESC LIMIT %d",
			      DD_TICKET_RANK_WINDOW);
	else
		dd_buf_printf(b,
			      " WHERE NOT (SELECT yes FROM enough) AND"
			      " x.ticket_id < (SELECT first FROM buckets) ORDER"
			      " BY x.ticket_id DESC LIMIT %d - (SELECT COUNT(*)"
			      " FROM recent)",
			      DD_TICKET_RANK_WINDOW);
}

/*
 * The ranked window: the DD_TICKET_RANK_WINDOW newest tickets that match
 * and pass the filters, scored, and of those the ones at positions
 * [offset, offset + count) by score (ties: newer change, higher id).
 *
 * SQLite walks FTS5's matches newest first (CROSS JOIN keeps ticket_fts
 * the outer loop, whose rowid order FTS5 delivers) and scores only the
 * rows the LIMIT lets through.
 *
 * PostgreSQL has its matches from the GIN index in no useful order, and
 * finding the newest meant fetching and sorting every one (17,000 rows
 * for "drucker störung" in 100,000 tickets, most of the search's work).
 * So the index is first asked for the matches in the newest
 * DD_TICKET_RANK_BUCKETS id buckets (ticket/search_index.h; the newest
 * is the highest id's). Those are every match from some id on: when a
 * window of them passes the filters, or the buckets are all there are,
 * they hold the window. Otherwise the same statement adds the newest
 * older matches that pass (the CTE enough gates them, so that they cost
 * nothing when not needed), which gives the window every match would.
 * Only then are the window's documents read and ranked.
 */
static void put_window(struct dd_ctx *ctx, const struct plan *plan,
		       struct sql *s, struct dd_buf *b, int offset, int count)
{
	int sqlite = dd_store_kind(ctx->store) == DD_STORE_SQLITE;
	/* The page is cut from the scored window before the names are
	 * joined, so that only its tickets are looked up again. */
	dd_buf_puts(b, "SELECT " LIST_COLUMNS " FROM (SELECT tid, upd, score"
		       " FROM (");
	if (sqlite) {
		dd_buf_puts(
			b,
			"SELECT t.id AS tid, t.updated_at AS upd, " SQLITE_SCORE
			" AS score FROM ticket_fts CROSS JOIN"
			" tickets t ON t.id = ticket_fts.rowid WHERE"
			" ticket_fts MATCH ");
		bind(s, b, DD_P_TEXT(plan->match));
		put_conditions(ctx, plan, s, b, 0);
		dd_buf_printf(b, " ORDER BY ticket_fts.rowid DESC LIMIT %d",
			      DD_TICKET_RANK_WINDOW);
	} else {
		struct dd_buf conditions;
		int words, phrase = 0;
		dd_buf_puts(b, "SELECT c.tid, c.upd, -ts_rank(" PG_SCORE_WEIGHTS
			       ", d.tsv, to_tsquery('simple', ");
		bind(s, b, DD_P_TEXT(plan->any_word));
		/* The newest bucket is the highest id's; the first id of
		 * the oldest one searched is where the older matches
		 * start. */
		dd_buf_printf(
			b,
			"), 1) AS score FROM (WITH buckets AS (SELECT"
			" ARRAY(SELECT generate_series(r, hi)) AS ids, r = lo"
			" AS whole, r << %d AS first FROM (SELECT hi,"
			" GREATEST(hi - %d, lo) AS r, lo FROM (SELECT"
			" COALESCE(MAX(ticket_id), 0) >> %d AS hi,"
			" COALESCE(MIN(ticket_id), 0) >> %d AS lo FROM"
			" ticket_search) e) f), recent AS (",
			DD_SEARCH_BUCKET_SHIFT, DD_TICKET_RANK_BUCKETS - 1,
			DD_SEARCH_BUCKET_SHIFT, DD_SEARCH_BUCKET_SHIFT);
		/* Bound once, used by both. */
		words = bind_param(s, DD_P_TEXT(plan->words));
		if (has_phrase(&plan->q))
			phrase = bind_param(s, DD_P_TEXT(plan->match));
		dd_buf_init(&conditions, LIST_SQL_MAX);
		put_conditions(ctx, plan, s, &conditions, 0);
		if (conditions.overflow)
			b->overflow = 1;
		put_pg_candidates(b, 1, words, phrase, dd_buf_str(&conditions));
		dd_buf_printf(b,
			      "), enough AS (SELECT (SELECT whole FROM"
			      " buckets) OR COUNT(*) = %d AS yes FROM recent)"
			      " SELECT tid, upd FROM recent UNION ALL (",
			      DD_TICKET_RANK_WINDOW);
		put_pg_candidates(b, 0, words, phrase, dd_buf_str(&conditions));
		dd_buf_puts(b, ")) c JOIN ticket_search d ON d.ticket_id ="
			       " c.tid");
		dd_buf_release(&conditions);
	}
	dd_buf_puts(b, ") w ORDER BY score, upd DESC, tid DESC LIMIT ");
	bind(s, b, DD_P_INT(count));
	dd_buf_puts(b, " OFFSET ");
	bind(s, b, DD_P_INT(offset));
	dd_buf_puts(b, ") m JOIN tickets t ON t.id = m.tid" LIST_JOINS
		       " ORDER BY m.score, m.upd DESC, m.tid DESC");
}

/* Past the window a ranked list goes on with the older matches, newest
 * first: positions [offset, offset + count), offset >= the window. */
static void put_tail(struct dd_ctx *ctx, const struct plan *plan, struct sql *s,
		     struct dd_buf *b, int offset, int count)
{
	dd_buf_puts(b, "SELECT " LIST_COLUMNS " FROM tickets t" LIST_JOINS
		       " WHERE TRUE");
	put_conditions(ctx, plan, s, b, 1);
	dd_buf_puts(b, " ORDER BY t.id DESC LIMIT ");
	bind(s, b, DD_P_INT(count));
	dd_buf_puts(b, " OFFSET ");
	bind(s, b, DD_P_INT(offset));
}

/* Parse q and prepare what building needs. */
static int plan_init(struct dd_ctx *ctx, const char *q,
		     enum dd_ticket_sort sort, int64_t viewer_id,
		     struct plan *plan, struct dd_err *err)
{
	memset(plan, 0, sizeof(*plan));
	if (dd_query_parse(q, ctx->arena, &plan->q, err) < 0)
		return -1;
	if (sort == DD_TSORT_DEFAULT)
		sort = plan->q.text_count ? DD_TSORT_RELEVANCE
					  : DD_TSORT_UPDATED;
	if (sort == DD_TSORT_RELEVANCE && !plan->q.text_count)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "sort 'relevance' needs words to search for");
	plan->sort = sort;
	plan->ranked = sort == DD_TSORT_RELEVANCE;
	plan->viewer_id = viewer_id;
	plan->now = dd_ctx_now(ctx);
	if (plan->q.text_count) {
		plan->match = match_expr(ctx, &plan->q);
		plan->words = words_expr(ctx, &plan->q, 0);
		plan->any_word = words_expr(ctx, &plan->q, 1);
		if (!plan->match || !plan->words || !plan->any_word)
			return oom(err);
	}
	for (int i = 0; i < plan->q.filter_count; i++)
		if (plan->q.filters[i].field == DD_QF_IS &&
		    plan->q.filters[i].is == DD_QIS_DUE_TODAY) {
			if (today_bounds(ctx, plan, err) < 0)
				return -1;
			break;
		}
	return check_names(ctx, plan, err);
}

/* ---- cursors ---- */

/* "u1731000000000.42": the sort's letter and its keys. */
static int cursor_parse(const char *text, int sort, int64_t *keys,
			struct dd_err *err)
{
	const char *p = text;
	if (*p++ != sorts[sort].cursor)
		goto bad;
	for (int i = 0; i < sorts[sort].keys; i++) {
		char *end;
		if (i && *p++ != '.')
			goto bad;
		if (!(*p == '-' || (*p >= '0' && *p <= '9')))
			goto bad;
		errno = 0;
		long long v = strtoll(p, &end, 10);
		if (errno || end == p)
			goto bad;
		keys[i] = v;
		p = end;
	}
	if (*p)
		goto bad;
	if (sorts[sort].cursor == 'r' &&
	    (keys[0] < 0 || keys[0] > DD_TICKET_RANKED_MAX))
		goto bad;
	return 0;
bad:
	return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			  "'cursor' is not a cursor this server gave out for "
			  "this sort");
}

/* The cursor after item t (offset for ranked lists). */
static const char *cursor_after(struct dd_arena *arena, int sort,
				const struct dd_ticket *t, int64_t offset)
{
	char c = sorts[sort].cursor;
	switch (sorts[sort].sort) {
	case DD_TSORT_RELEVANCE:
		return dd_arena_printf(arena, "%c%lld", c, (long long)offset);
	case DD_TSORT_UPDATED:
		return dd_arena_printf(arena, "%c%lld.%lld", c,
				       (long long)t->updated_at,
				       (long long)t->id);
	case DD_TSORT_CREATED:
		return dd_arena_printf(arena, "%c%lld.%lld", c,
				       (long long)t->created_at,
				       (long long)t->id);
	case DD_TSORT_DUE:
		return dd_arena_printf(
			arena, "%c%lld.%lld", c,
			(long long)(t->due_at ? t->due_at : INT64_MAX),
			(long long)t->id);
	case DD_TSORT_PRIORITY:
		return dd_arena_printf(arena, "%c%d.%lld.%lld", c, t->priority,
				       (long long)t->updated_at,
				       (long long)t->id);
	case DD_TSORT_NUMBER:
	case DD_TSORT_DEFAULT:
		break;
	}
	return dd_arena_printf(arena, "%c%lld", c, (long long)t->number);
}

/* The keyset condition after the cursor's keys, and the order. */
static void put_keyset(struct sql *s, struct dd_buf *b,
		       enum dd_ticket_sort sort, const int64_t *keys,
		       int has_cursor)
{
	const char *key = NULL, *order = NULL;
	switch (sort) {
	case DD_TSORT_UPDATED:
		key = "t.updated_at";
		order = " ORDER BY t.updated_at DESC, t.id DESC";
		break;
	case DD_TSORT_CREATED:
		key = "t.created_at";
		order = " ORDER BY t.created_at DESC, t.id DESC";
		break;
	case DD_TSORT_DUE:
		order = " ORDER BY COALESCE(t.due_at, " NO_DUE_SQL "), t.id";
		break;
	case DD_TSORT_PRIORITY:
		order = " ORDER BY t.priority, t.updated_at DESC, t.id DESC";
		break;
	case DD_TSORT_NUMBER:
	case DD_TSORT_RELEVANCE:
	case DD_TSORT_DEFAULT:
		order = " ORDER BY t.number DESC";
		break;
	}
	if (has_cursor) {
		int a, c;
		switch (sort) {
		case DD_TSORT_UPDATED:
		case DD_TSORT_CREATED:
			dd_buf_printf(b, " AND (%s < ", key);
			a = bind(s, b, DD_P_INT(keys[0]));
			dd_buf_printf(b, " OR (%s = $%d AND t.id < ", key, a);
			bind(s, b, DD_P_INT(keys[1]));
			dd_buf_puts(b, "))");
			break;
		case DD_TSORT_DUE:
			dd_buf_puts(b, " AND (COALESCE(t.due_at, " NO_DUE_SQL
				       ") > ");
			a = bind(s, b, DD_P_INT(keys[0]));
			dd_buf_printf(b,
				      " OR (COALESCE(t.due_at, " NO_DUE_SQL
				      ") = $%d AND t.id > ",
				      a);
			bind(s, b, DD_P_INT(keys[1]));
			dd_buf_puts(b, "))");
			break;
		case DD_TSORT_PRIORITY:
			dd_buf_puts(b, " AND (t.priority > ");
			a = bind(s, b, DD_P_INT(keys[0]));
			dd_buf_printf(b,
				      " OR (t.priority = $%d AND (t.updated_at "
				      "< ",
				      a);
			c = bind(s, b, DD_P_INT(keys[1]));
			dd_buf_printf(b, " OR (t.updated_at = $%d AND t.id < ",
				      c);
			bind(s, b, DD_P_INT(keys[2]));
			dd_buf_puts(b, "))))");
			break;
		case DD_TSORT_NUMBER:
		case DD_TSORT_RELEVANCE:
		case DD_TSORT_DEFAULT:
			dd_buf_puts(b, " AND t.number < ");
			bind(s, b, DD_P_INT(keys[0]));
			break;
		}
	}
	dd_buf_puts(b, order);
}

/* ---- reading ---- */

static const char *dup_or_null(struct dd_arena *arena, const char *s)
{
	return s ? dd_arena_strdup(arena, s) : NULL;
}

static void read_item(struct dd_arena *arena, struct dd_rows *rows,
		      struct dd_ticket_item *it)
{
	memset(it, 0, sizeof(*it));
	dd_ticket_read_row(arena, rows, &it->ticket);
	it->organisation = dup_or_null(arena, dd_rows_text(rows, 25));
	it->queue = dup_or_null(arena, dd_rows_text(rows, 26));
	it->owner_login = dup_or_null(arena, dd_rows_text(rows, 27));
}

struct id_index {
	int64_t id;
	int index;
};

static int id_index_cmp(const void *pa, const void *pb)
{
	const struct id_index *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The tags of items[0..count), one query per TAG_BATCH_MAX tickets. */
static int load_tags(struct dd_ctx *ctx, struct dd_ticket_item *items,
		     int count, struct dd_err *err)
{
	struct dd_param *params =
		dd_arena_alloc(ctx->arena, sizeof(*params) * TAG_BATCH_MAX);
	struct id_index *map =
		dd_arena_alloc(ctx->arena, sizeof(*map) * TAG_BATCH_MAX);
	struct dd_buf sql;
	if (!params || !map)
		return oom(err);
	dd_buf_init(&sql, 16 * TAG_BATCH_MAX);
	for (int start = 0; start < count; start += TAG_BATCH_MAX) {
		int n = count - start < TAG_BATCH_MAX ? count - start
						      : TAG_BATCH_MAX;
		int size = TAG_BATCH_MAX;
		for (size_t b = 0; b < sizeof(tag_batches) / sizeof(int); b++)
			if (n <= tag_batches[b]) {
				size = tag_batches[b];
				break;
			}
		dd_buf_reset(&sql);
		dd_buf_puts(&sql, "SELECT ticket_id, tag FROM ticket_tags "
				  "WHERE ticket_id IN (");
		for (int i = 0; i < size; i++) {
			int64_t id = i < n ? items[start + i].ticket.id : 0;
			params[i] = DD_P_INT(id);
			dd_buf_printf(&sql, "%s$%d", i ? ", " : "", i + 1);
			if (i < n) {
				map[i].id = id;
				map[i].index = start + i;
			}
		}
		dd_buf_puts(&sql, ") ORDER BY ticket_id, tag");
		qsort(map, (size_t)n, sizeof(*map), id_index_cmp);
		struct dd_rows *rows;
		if (dd_store_query(ctx->store, dd_buf_str(&sql), params, size,
				   &rows, err) < 0) {
			dd_buf_release(&sql);
			return -1;
		}
		int rc;
		while ((rc = dd_rows_next(rows, err)) > 0) {
			struct id_index key = {.id = dd_rows_int(rows, 0)};
			struct id_index *hit =
				bsearch(&key, map, (size_t)n, sizeof(*map),
					id_index_cmp);
			if (!hit)
				continue;
			struct dd_ticket *t = &items[hit->index].ticket;
			if (t->tag_count < DD_TICKET_TAGS_MAX)
				t->tags[t->tag_count++] = dd_arena_strdup(
					ctx->arena, dd_rows_text(rows, 1));
		}
		dd_rows_free(rows);
		if (rc < 0) {
			dd_buf_release(&sql);
			return -1;
		}
	}
	dd_buf_release(&sql);
	return 0;
}

/* How many tickets the list holds. */
static int run_count(struct dd_ctx *ctx, const struct plan *plan,
		     int64_t *count, struct dd_err *err)
{
	struct sql *s = dd_arena_alloc(ctx->arena, sizeof(*s));
	struct dd_buf sql;
	if (!s)
		return oom(err);
	s->n = s->overflow = 0;
	dd_buf_init(&sql, LIST_SQL_MAX);
	dd_buf_puts(&sql, "SELECT COUNT(*) FROM tickets t WHERE TRUE");
	put_conditions(ctx, plan, s, &sql, 1);
	int rc = sql.overflow || s->overflow
			 ? dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				      "the query is too complex")
			 : dd_store_query_int(ctx->store, dd_buf_str(&sql),
					      s->params, s->n, count, err);
	dd_buf_release(&sql);
	return rc < 0 ? -1 : 0;
}

/* Run the list statement in sql and add its rows to out->items, up to
 * max items in all; *got is how many it gave. */
static int run_page(struct dd_ctx *ctx, const struct sql *s,
		    const struct dd_buf *sql, struct dd_ticket_page *out,
		    int max, int *got, struct dd_err *err)
{
	struct dd_rows *rows;
	int r = 0;
	*got = 0;
	if (sql->overflow || s->overflow)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "the query is too complex");
	if (dd_store_query(ctx->store, dd_buf_str(sql), s->params, s->n, &rows,
			   err) < 0)
		return -1;
	while (out->count < max && (r = dd_rows_next(rows, err)) > 0) {
		read_item(ctx->arena, rows, &out->items[out->count++]);
		(*got)++;
	}
	dd_rows_free(rows);
	return out->count < max && r < 0 ? -1 : 0;
}

/*
 * Items [offset, offset + want) of a ranked list: from the window's
 * scored order while the positions are inside it, then from the older
 * matches. A window that ended before DD_TICKET_RANK_WINDOW held every
 * match, and nothing follows it.
 */
static int ranked_page(struct dd_ctx *ctx, const struct plan *plan,
		       int64_t offset, int want, struct dd_ticket_page *out,
		       struct dd_err *err)
{
	struct sql *s = dd_arena_alloc(ctx->arena, sizeof(*s));
	struct dd_buf sql;
	int got = 0, rc = 0;
	if (!s)
		return oom(err);
	dd_buf_init(&sql, LIST_SQL_MAX);
	if (offset < DD_TICKET_RANK_WINDOW) {
		int count = DD_TICKET_RANK_WINDOW - (int)offset < want
				    ? DD_TICKET_RANK_WINDOW - (int)offset
				    : want;
		s->n = s->overflow = 0;
		put_window(ctx, plan, s, &sql, (int)offset, count);
		rc = run_page(ctx, s, &sql, out, want, &got, err);
		if (rc == 0 && got < count)
			want = out->count; /* the window held every match */
		offset += got;
	}
	if (rc == 0 && out->count < want) {
		s->n = s->overflow = 0;
		dd_buf_reset(&sql);
		put_tail(ctx, plan, s, &sql, (int)offset, want - out->count);
		rc = run_page(ctx, s, &sql, out, want, &got, err);
	}
	dd_buf_release(&sql);
	return rc;
}

int dd_ticket_list(struct dd_ctx *ctx, const struct dd_ticket_list_req *req,
		   struct dd_ticket_page *out, struct dd_err *err)
{
	struct plan plan;
	int64_t keys[3] = {0, 0, 0};
	memset(out, 0, sizeof(*out));
	out->total = -1;
	if (plan_init(ctx, req->q, req->sort, req->viewer_id, &plan, err) < 0)
		return -1;
	int sort = sort_index(plan.sort);
	int has_cursor = req->cursor && *req->cursor;
	if (has_cursor && cursor_parse(req->cursor, sort, keys, err) < 0)
		return -1;
	int limit = req->limit > 0 ? req->limit : 1;
	int64_t offset = plan.ranked ? keys[0] : 0;
	if (plan.ranked && offset + limit > DD_TICKET_RANKED_MAX)
		limit = (int)(DD_TICKET_RANKED_MAX - offset);

	out->items = dd_arena_alloc(ctx->arena,
				    sizeof(*out->items) * (size_t)(limit + 1));
	if (!out->items)
		return oom(err);
	if (limit > 0) {
		/* One more than the page shows, to know whether another
		 * page follows. */
		int got;
		if (plan.ranked) {
			if (ranked_page(ctx, &plan, offset, limit + 1, out,
					err) < 0)
				return -1;
		} else {
			struct sql *s = dd_arena_alloc(ctx->arena, sizeof(*s));
			struct dd_buf sql;
			if (!s)
				return oom(err);
			s->n = s->overflow = 0;
			dd_buf_init(&sql, 2 * LIST_SQL_MAX);
			dd_buf_puts(&sql,
				    "SELECT " LIST_COLUMNS
				    " FROM tickets t" LIST_JOINS " WHERE TRUE");
			put_conditions(ctx, &plan, s, &sql, 1);
			put_keyset(s, &sql, plan.sort, keys, has_cursor);
			dd_buf_puts(&sql, " LIMIT ");
			bind(s, &sql, DD_P_INT(limit + 1));
			int rc = run_page(ctx, s, &sql, out, limit + 1, &got,
					  err);
			dd_buf_release(&sql);
			if (rc < 0)
				return -1;
		}
		out->more = out->count > limit;
		if (out->more)
			out->count = limit;
		if (out->more &&
		    !(plan.ranked && offset + limit >= DD_TICKET_RANKED_MAX))
			out->next_cursor =
				cursor_after(ctx->arena, sort,
					     &out->items[out->count - 1].ticket,
					     offset + out->count);
		if (load_tags(ctx, out->items, out->count, err) < 0)
			return -1;
	}
	if (req->want_total && run_count(ctx, &plan, &out->total, err) < 0)
		return -1;
	return 0;
}

int dd_ticket_count(struct dd_ctx *ctx, const char *q, int64_t viewer_id,
		    int64_t *count, struct dd_err *err)
{
	struct plan plan;
	/* Counting needs no ranking: the default sort of a list without
	 * ranking is as good as any. */
	if (plan_init(ctx, q, DD_TSORT_UPDATED, viewer_id, &plan, err) < 0)
		return -1;
	return run_count(ctx, &plan, count, err);
}

/* ---- CSV ---- */

static void csv_time(struct dd_csv *c, int64_t ms)
{
	char text[DD_TIME_RFC3339_LEN];
	if (!ms) {
		dd_csv_text(c, NULL);
		return;
	}
	dd_time_format_rfc3339(ms, text);
	dd_csv_text(c, text);
}

int dd_ticket_items_to_csv(const struct dd_ticket_item *items, int count,
			   struct dd_buf *out)
{
	static const char *const header[] = {
		"number",  "subject",	   "status",	 "priority",
		"channel", "organisation", "queue",	 "owner",
		"due_at",  "created_at",   "updated_at", "tags"};
	struct dd_csv c;
	dd_csv_init(&c, out);
	for (size_t i = 0; i < sizeof(header) / sizeof(header[0]); i++)
		dd_csv_text(&c, header[i]);
	dd_csv_row_end(&c);
	for (int i = 0; i < count; i++) {
		const struct dd_ticket *t = &items[i].ticket;
		char tags[DD_TICKET_TAGS_MAX * (DD_TICKET_TAG_LEN + 1) + 1];
		size_t len = 0;
		tags[0] = '\0';
		for (int k = 0; k < t->tag_count && len < sizeof(tags); k++)
			len += (size_t)snprintf(tags + len, sizeof(tags) - len,
						"%s%s", k ? " " : "",
						t->tags[k]);
		dd_csv_int(&c, t->number);
		dd_csv_text(&c, t->subject);
		dd_csv_text(&c, t->status);
		dd_csv_int(&c, t->priority);
		dd_csv_text(&c, t->channel);
		dd_csv_text(&c, items[i].organisation);
		dd_csv_text(&c, items[i].queue);
		dd_csv_text(&c, items[i].owner_login);
		csv_time(&c, t->due_at);
		csv_time(&c, t->created_at);
		csv_time(&c, t->updated_at);
		dd_csv_text(&c, tags);
		dd_csv_row_end(&c);
	}
	return out->overflow ? -1 : 0;
}
