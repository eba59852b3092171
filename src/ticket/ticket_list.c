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

/* Search documents of the ticket t that match $N, per engine. */
#define SQLITE_TEXT_MATCH                                                      \
	"t.id IN (SELECT d.ticket_id FROM search_fts JOIN search_docs d"       \
	" ON d.id = search_fts.rowid WHERE search_fts MATCH "
#define PG_TEXT_MATCH                                                          \
	"t.id IN (SELECT d.ticket_id FROM search_docs d WHERE d.tsv @@"        \
	" to_tsquery('simple', "

/*
 * The ranked candidates: per ticket the best score of its documents
 * matching $1, lower is better. FTS5's rank is bm25(), negative, lower
 * better (bm25() itself may not appear in an aggregate; the rank column
 * may); ts_rank is higher-better, so it is negated, with normalisation 1
 * (divide by 1 + log of the document's length) so that a short subject
 * beats a long article with the same words, as bm25 does. A subject
 * counts twice: it says what the ticket is about.
 */
static const char sqlite_ranked[] =
	"(SELECT d.ticket_id AS tid, MIN(search_fts.rank * CASE WHEN"
	" d.source = 'subject' THEN 2.0 ELSE 1.0 END) AS score FROM"
	" search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE"
	" search_fts MATCH $1 GROUP BY d.ticket_id) m"
	" JOIN tickets t ON t.id = m.tid";
static const char pg_ranked[] =
	"(SELECT d.ticket_id AS tid, MIN(-ts_rank(d.tsv, to_tsquery('simple',"
	" $1), 1) * CASE WHEN d.source = 'subject' THEN 2.0 ELSE 1.0 END)"
	" AS score FROM search_docs d WHERE d.tsv @@ to_tsquery('simple', $1)"
	" GROUP BY d.ticket_id) m JOIN tickets t ON t.id = m.tid";

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

/* Bind p and write its placeholder into b; returns its number. */
static int bind(struct sql *s, struct dd_buf *b, struct dd_param p)
{
	if (s->n == LIST_PARAMS_MAX) {
		s->overflow = 1;
		return 0;
	}
	s->params[s->n++] = p;
	dd_buf_printf(b, "$%d", s->n);
	return s->n;
}

/* What a query needs besides its terms. */
struct plan {
	struct dd_query q;
	enum dd_ticket_sort sort;
	int ranked;
	int64_t viewer_id;
	int64_t now;
	int64_t today_start, today_end; /* for is:due-today */
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

/* The engine's full-text expression for texts[0..n), from the arena. */
static const char *match_expr(struct dd_ctx *ctx,
			      const struct dd_query_text *texts, int n, int any)
{
	struct dd_buf e;
	dd_buf_init(&e, MATCH_EXPR_MAX);
	int rc = dd_store_kind(ctx->store) == DD_STORE_SQLITE
			 ? dd_query_fts5(texts, n, any, &e)
			 : dd_query_tsquery(texts, n, any, &e);
	const char *copy =
		rc < 0 ? NULL : dd_arena_strdup(ctx->arena, dd_buf_str(&e));
	dd_buf_release(&e);
	return copy;
}

/*
 * FROM and WHERE of the list (without the cursor): from receives the
 * tables, where the conditions; parameters are numbered from $1 in s.
 */
static int build(struct dd_ctx *ctx, const struct plan *plan, struct sql *s,
		 struct dd_buf *from, struct dd_buf *where, struct dd_err *err)
{
	int sqlite = dd_store_kind(ctx->store) == DD_STORE_SQLITE;
	const struct dd_query *q = &plan->q;
	if (plan->ranked) {
		const char *any = match_expr(ctx, q->texts, q->text_count, 1);
		if (!any)
			return oom(err);
		s->params[s->n++] = DD_P_TEXT(any); /* $1 */
		dd_buf_puts(from, sqlite ? sqlite_ranked : pg_ranked);
	} else {
		dd_buf_puts(from, "tickets t");
	}
	dd_buf_puts(where, " WHERE t.merged_into IS NULL");
	for (int i = 0; i < q->filter_count; i++)
		put_filter(s, where, ctx, plan, &q->filters[i]);
	/* Every word must occur in the ticket. Ranked with one text, the
	 * ranking's MATCH says it already. */
	if (!plan->ranked || q->text_count > 1)
		for (int i = 0; i < q->text_count; i++) {
			const char *e = match_expr(ctx, &q->texts[i], 1, 0);
			if (!e)
				return oom(err);
			dd_buf_printf(where, " AND %s",
				      sqlite ? SQLITE_TEXT_MATCH
					     : PG_TEXT_MATCH);
			bind(s, where, DD_P_TEXT(e));
			dd_buf_puts(where, sqlite ? ")" : "))");
		}
	if (s->overflow || from->overflow || where->overflow)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "the query is too complex");
	return 0;
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

/* COUNT(*) of FROM and WHERE with their n parameters (PostgreSQL
 * refuses parameters a statement does not use). */
static int run_count(struct dd_ctx *ctx, const struct sql *s, int n,
		     const struct dd_buf *from, const struct dd_buf *where,
		     int64_t *count, struct dd_err *err)
{
	struct dd_buf sql;
	dd_buf_init(&sql, LIST_SQL_MAX);
	dd_buf_printf(&sql, "SELECT COUNT(*) FROM %s%s", dd_buf_str(from),
		      dd_buf_str(where));
	int rc = sql.overflow ? dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					   "the query is too complex")
			      : dd_store_query_int(ctx->store, dd_buf_str(&sql),
						   s->params, n, count, err);
	dd_buf_release(&sql);
	return rc < 0 ? -1 : 0;
}

int dd_ticket_list(struct dd_ctx *ctx, const struct dd_ticket_list_req *req,
		   struct dd_ticket_page *out, struct dd_err *err)
{
	struct plan plan;
	struct dd_buf from, where, sql;
	int64_t keys[3] = {0, 0, 0};
	int rc = -1;
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

	struct sql *s = dd_arena_alloc(ctx->arena, sizeof(*s));
	out->items = dd_arena_alloc(ctx->arena,
				    sizeof(*out->items) * (size_t)(limit + 1));
	if (!s || !out->items)
		return oom(err);
	dd_buf_init(&from, LIST_SQL_MAX);
	dd_buf_init(&where, LIST_SQL_MAX);
	dd_buf_init(&sql, 2 * LIST_SQL_MAX);
	if (build(ctx, &plan, s, &from, &where, err) < 0)
		goto out;
	int n_where = s->n;
	if (limit > 0) {
		dd_buf_printf(&sql,
			      "SELECT " LIST_COLUMNS " FROM %s" LIST_JOINS "%s",
			      dd_buf_str(&from), dd_buf_str(&where));
		if (plan.ranked) {
			dd_buf_puts(&sql,
				    " ORDER BY m.score, t.updated_at DESC, "
				    "t.id DESC LIMIT ");
			bind(s, &sql, DD_P_INT(limit + 1));
			dd_buf_puts(&sql, " OFFSET ");
			bind(s, &sql, DD_P_INT(offset));
		} else {
			put_keyset(s, &sql, plan.sort, keys, has_cursor);
			dd_buf_puts(&sql, " LIMIT ");
			bind(s, &sql, DD_P_INT(limit + 1));
		}
		if (sql.overflow || s->overflow) {
			dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				   "the query is too complex");
			goto out;
		}
		struct dd_rows *rows;
		if (dd_store_query(ctx->store, dd_buf_str(&sql), s->params,
				   s->n, &rows, err) < 0)
			goto out;
		int more = 0, r;
		while ((r = dd_rows_next(rows, err)) > 0) {
			if (out->count == limit) {
				more = 1;
				break;
			}
			read_item(ctx->arena, rows, &out->items[out->count++]);
		}
		dd_rows_free(rows);
		if (r < 0)
			goto out;
		if (more &&
		    !(plan.ranked && offset + limit >= DD_TICKET_RANKED_MAX))
			out->next_cursor =
				cursor_after(ctx->arena, sort,
					     &out->items[out->count - 1].ticket,
					     offset + out->count);
		if (load_tags(ctx, out->items, out->count, err) < 0)
			goto out;
	}
	if (req->want_total &&
	    run_count(ctx, s, n_where, &from, &where, &out->total, err) < 0)
		goto out;
	rc = 0;
out:
	dd_buf_release(&from);
	dd_buf_release(&where);
	dd_buf_release(&sql);
	return rc;
}

int dd_ticket_count(struct dd_ctx *ctx, const char *q, int64_t viewer_id,
		    int64_t *count, struct dd_err *err)
{
	struct plan plan;
	struct dd_buf from, where;
	/* Counting needs no ranking: the default sort of a list without
	 * ranking is as good as any. */
	if (plan_init(ctx, q, DD_TSORT_UPDATED, viewer_id, &plan, err) < 0)
		return -1;
	struct sql *s = dd_arena_alloc(ctx->arena, sizeof(*s));
	if (!s)
		return oom(err);
	dd_buf_init(&from, LIST_SQL_MAX);
	dd_buf_init(&where, LIST_SQL_MAX);
	int rc = -1;
	if (build(ctx, &plan, s, &from, &where, err) == 0 &&
	    run_count(ctx, s, s->n, &from, &where, count, err) == 0)
		rc = 0;
	dd_buf_release(&from);
	dd_buf_release(&where);
	return rc;
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
