#include "rota/absence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/text.h"
#include "rota/change.h"
#include "store/store.h"

/* Absences one range question may see: far more than a team takes. */
#define SPANS_MAX 20000

#define ABSENCE_COLUMNS                                                        \
	"SELECT id, person_id, kind, first_day, last_day, note, created_at,"   \
	" created_by, cancelled_at FROM absences "

static const char *const kind_names[] = {"vacation", "sick", "other"};

const char *dd_absence_kind_name(enum dd_absence_kind kind)
{
	if ((int)kind < 0 || (int)kind > DD_ABSENCE_OTHER)
		return "other";
	return kind_names[kind];
}

int dd_absence_kind_parse(const char *name, enum dd_absence_kind *kind)
{
	for (int i = 0; name && i <= DD_ABSENCE_OTHER; i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum dd_absence_kind)i;
			return 0;
		}
	return -1;
}

const struct dd_absence_span *
dd_absence_span_find(const struct dd_absence_span *spans, int n,
		     int64_t person_id, int64_t day)
{
	for (int i = 0; i < n; i++)
		if (spans[i].person_id == person_id &&
		    spans[i].first_day <= day && day <= spans[i].last_day)
			return &spans[i];
	return NULL;
}

int dd_absence_check_days(int64_t first_day, int64_t last_day, int64_t today,
			  struct dd_err *err)
{
	if (dd_rota_day_check("first_day", first_day, today, err) < 0 ||
	    dd_rota_day_check("last_day", last_day, today, err) < 0)
		return -1;
	if (last_day < first_day)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'last_day' is before 'first_day'");
	return 0;
}

void dd_absence_to_json(const struct dd_absence *a, struct dd_json_out *j)
{
	char first[DD_DATE_TEXT_LEN], last[DD_DATE_TEXT_LEN];
	dd_date_format(a->first_day, first);
	dd_date_format(a->last_day, last);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", a->id);
	dd_json_kint(j, "person_id", a->person_id);
	dd_json_kstr(j, "kind", dd_absence_kind_name(a->kind));
	dd_json_kstr(j, "first_day", first);
	dd_json_kstr(j, "last_day", last);
	dd_json_kstr(j, "note", a->note ? a->note : "");
	dd_json_ktime(j, "created_at", a->created_at);
	dd_json_kid(j, "created_by", a->created_by);
	dd_json_ktime_or_null(j, "cancelled_at", a->cancelled_at);
	dd_json_kstr(j, "status", a->cancelled_at ? "cancelled" : "active");
	dd_json_obj_end(j);
}

/* The absence as JSON for the event log; the caller frees it. */
static char *snapshot(const struct dd_absence *a)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 8192);
	dd_json_out_init(&j, &buf);
	dd_absence_to_json(a, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_absence *a)
{
	memset(a, 0, sizeof(*a));
	a->id = dd_rows_int(rows, 0);
	a->person_id = dd_rows_int(rows, 1);
	if (dd_absence_kind_parse(dd_rows_text(rows, 2), &a->kind) < 0)
		a->kind = DD_ABSENCE_OTHER;
	dd_date_parse(dd_rows_text(rows, 3), &a->first_day);
	dd_date_parse(dd_rows_text(rows, 4), &a->last_day);
	a->note = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 5));
	a->created_at = dd_rows_int(rows, 6);
	a->created_by = dd_rows_int(rows, 7);
	a->cancelled_at = dd_rows_int(rows, 8);
}

int dd_absence_get(struct dd_ctx *ctx, int64_t id, struct dd_absence *out,
		   struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, ABSENCE_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no absence with id %lld", (long long)id);
	return rc < 0 ? -1 : 0;
}

/* The first absence in force of person that overlaps [first, last]:
 * 1 with *other filled, 0 when none, -1 on error. */
static int find_overlap(struct dd_ctx *ctx, int64_t person_id, int64_t first,
			int64_t last, struct dd_absence *other,
			struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	dd_date_format(first, a);
	dd_date_format(last, b);
	if (dd_store_query(ctx->store,
			   ABSENCE_COLUMNS "WHERE person_id = $1 AND "
					   "cancelled_at IS NULL AND first_day "
					   "<= $3 AND last_day >= $2 ORDER BY "
					   "first_day LIMIT 1",
			   (struct dd_param[]){DD_P_INT(person_id),
					       DD_P_TEXT(a), DD_P_TEXT(b)},
			   3, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, other);
	dd_rows_free(rows);
	return rc;
}

int dd_absence_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      const struct dd_absence_input *in, struct dd_absence *out,
		      struct dd_err *err)
{
	char first[DD_DATE_TEXT_LEN], last[DD_DATE_TEXT_LEN];
	int64_t today, now = dd_ctx_now(ctx), id = 0;
	int own = !dd_store_in_transaction(ctx->store);
	struct dd_absence other;
	const char *note = in->note ? in->note : "";
	if (dd_text_check("note", note, 0, DD_LIMIT_DESCRIPTION,
			  DD_TEXT_MULTI_LINE, err) < 0 ||
	    dd_rota_today(ctx, &today, err) < 0 ||
	    dd_absence_check_days(in->first_day, in->last_day, today, err) < 0)
		return -1;
	if (own && dd_rota_change_begin(ctx, err) < 0)
		return -1;
	if (dd_rota_person_check(ctx, in->person_id, "person", NULL, err) < 0)
		goto fail;
	int rc = find_overlap(ctx, in->person_id, in->first_day, in->last_day,
			      &other, err);
	if (rc < 0)
		goto fail;
	if (rc > 0) {
		dd_date_format(other.first_day, first);
		dd_date_format(other.last_day, last);
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "person %lld is already absent from %s to %s "
			   "(absence %lld)",
			   (long long)in->person_id, first, last,
			   (long long)other.id);
		goto fail;
	}
	dd_date_format(in->first_day, first);
	dd_date_format(in->last_day, last);
	struct dd_param p[] = {
		DD_P_INT(in->person_id),
		DD_P_TEXT(dd_absence_kind_name(in->kind)),
		DD_P_TEXT(first),
		DD_P_TEXT(last),
		DD_P_TEXT(note),
		DD_P_INT(now),
		actor->person_id ? DD_P_INT(actor->person_id) : DD_P_NULL,
	};
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO absences (person_id, kind, "
			       "first_day, last_day, note, created_at, "
			       "created_by) VALUES ($1, $2, $3, $4, $5, $6, "
			       "$7) RETURNING id",
			       p, 7, &id, err) < 0 ||
	    dd_absence_get(ctx, id, out, err) < 0)
		goto fail;
	char *after = snapshot(out);
	rc = dd_event_append(ctx->store, now, actor, "absence.create",
			     "absence", id, NULL, after, err);
	free(after);
	if (rc < 0 || (own && dd_store_commit(ctx->store, err) < 0))
		goto fail;
	return 0;
fail:
	if (own)
		dd_store_rollback(ctx->store);
	return -1;
}

/* Cancel the open cover requests the absence opened, each with its
 * event. */
static int cancel_cover_requests(struct dd_ctx *ctx,
				 const struct dd_actor *actor,
				 int64_t absence_id, int64_t now,
				 struct dd_err *err)
{
	struct dd_rows *rows;
	int64_t ids[64];
	int n = 0, rc;
	if (dd_store_query(ctx->store,
			   "SELECT id FROM cover_requests WHERE absence_id = "
			   "$1 AND status = 'open' ORDER BY id",
			   (struct dd_param[]){DD_P_INT(absence_id)}, 1, &rows,
			   err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0 && n < 64)
		ids[n++] = dd_rows_int(rows, 0);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char after[96];
		snprintf(after, sizeof(after),
			 "{\"id\":%lld,\"status\":\"cancelled\"}",
			 (long long)ids[i]);
		if (dd_store_exec(ctx->store,
				  "UPDATE cover_requests SET status = "
				  "'cancelled', version = version + 1 WHERE "
				  "id = $1 AND status = 'open'",
				  (struct dd_param[]){DD_P_INT(ids[i])}, 1,
				  err) < 0 ||
		    dd_event_append(ctx->store, now, actor, "cover.cancelled",
				    "cover_request", ids[i], NULL, after,
				    err) < 0)
			return -1;
	}
	return 0;
}

int dd_absence_cancel(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, struct dd_absence *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_absence before;
	if (dd_rota_change_begin(ctx, err) < 0)
		return -1;
	if (dd_absence_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.cancelled_at) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "absence %lld is already cancelled", (long long)id);
		goto fail;
	}
	if (dd_store_exec(ctx->store,
			  "UPDATE absences SET cancelled_at = $2 WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2,
			  err) < 0 ||
	    dd_absence_get(ctx, id, out, err) < 0 ||
	    cancel_cover_requests(ctx, actor, id, now, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "absence.cancel",
				 "absence", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_absence_list(struct dd_ctx *ctx, const struct dd_absence_filter *f,
		    int (*fn)(const struct dd_absence *a, void *arg), void *arg,
		    struct dd_err *err)
{
	char from[DD_DATE_TEXT_LEN], to[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	dd_date_format(f->from, from);
	dd_date_format(f->to, to);
	/* One statement for every filter combination, as in the event log:
	 * an unset filter is NULL and skipped. */
	struct dd_param p[] = {
		f->person_id ? DD_P_INT(f->person_id) : DD_P_NULL,
		f->has_range ? DD_P_TEXT(from) : DD_P_NULL,
		f->has_range ? DD_P_TEXT(to) : DD_P_NULL,
		DD_P_INT(f->include_cancelled ? 1 : 0),
		DD_P_INT(f->after_id),
		DD_P_INT(f->limit),
	};
	if (dd_store_query(ctx->store,
			   ABSENCE_COLUMNS
			   "WHERE (CAST($1 AS BIGINT) IS NULL OR person_id = "
			   "$1) AND (CAST($2 AS TEXT) IS NULL OR last_day >= "
			   "$2) AND (CAST($3 AS TEXT) IS NULL OR first_day <= "
			   "$3) AND ($4 = 1 OR cancelled_at IS NULL) AND id > "
			   "$5 ORDER BY id LIMIT $6",
			   p, 6, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_absence a;
		read_row(ctx, rows, &a);
		if (fn(&a, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_absence_spans(struct dd_ctx *ctx, int64_t from, int64_t to,
		     struct dd_absence_span **out, int *n, struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	dd_date_format(from, a);
	dd_date_format(to, b);
	if (dd_store_query(ctx->store,
			   "SELECT id, person_id, first_day, last_day, kind "
			   "FROM absences WHERE cancelled_at IS NULL AND "
			   "last_day >= $1 AND first_day <= $2 ORDER BY "
			   "person_id, first_day",
			   (struct dd_param[]){DD_P_TEXT(a), DD_P_TEXT(b)}, 2,
			   &rows, err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (*n == SPANS_MAX) {
			rc = dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					"more than %d absences in the range",
					SPANS_MAX);
			break;
		}
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 32;
			if (ncap > SPANS_MAX)
				ncap = SPANS_MAX;
			struct dd_absence_span *m = dd_arena_alloc(
				ctx->arena, sizeof(*m) * (size_t)ncap);
			if (!m) {
				rc = dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
						"out of memory");
				break;
			}
			if (*n)
				memcpy(m, *out, sizeof(*m) * (size_t)*n);
			*out = m;
			cap = ncap;
		}
		struct dd_absence_span *s = &(*out)[*n];
		s->id = dd_rows_int(rows, 0);
		s->person_id = dd_rows_int(rows, 1);
		if (dd_date_parse(dd_rows_text(rows, 2), &s->first_day) < 0 ||
		    dd_date_parse(dd_rows_text(rows, 3), &s->last_day) < 0)
			continue;
		if (dd_absence_kind_parse(dd_rows_text(rows, 4), &s->kind) < 0)
			s->kind = DD_ABSENCE_OTHER;
		(*n)++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_absence_on(struct dd_ctx *ctx, int64_t person_id, int64_t day,
		  struct dd_absence_span *absence, struct dd_err *err)
{
	struct dd_absence a;
	int rc = find_overlap(ctx, person_id, day, day, &a, err);
	if (rc > 0 && absence)
		*absence = (struct dd_absence_span){
			a.id, a.person_id, a.first_day, a.last_day, a.kind};
	return rc;
}
