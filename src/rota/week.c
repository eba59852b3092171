#include "rota/week.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/date.h"
#include "base/text.h"
#include "store/store.h"

#define WEEK_COLUMNS                                                           \
	"SELECT id, week_start, first_person, second_person, status, note,"    \
	" version, created_at, updated_at, published_at FROM week_plans "

void dd_week_to_json(const struct dd_week_plan *w, struct dd_json_out *j)
{
	char week[DD_DATE_TEXT_LEN];
	dd_date_format(w->week_start, week);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", w->id);
	dd_json_kstr(j, "week_start", week);
	dd_json_kint(j, "first_person_id", w->first);
	dd_json_kint(j, "second_person_id", w->second);
	dd_json_kstr(j, "status", w->published ? "published" : "draft");
	dd_json_kstr(j, "note", w->note);
	dd_json_kint(j, "version", w->version);
	dd_json_ktime(j, "created_at", w->created_at);
	dd_json_ktime(j, "updated_at", w->updated_at);
	dd_json_ktime_or_null(j, "published_at", w->published_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_week_plan *w)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 8192);
	dd_json_out_init(&j, &buf);
	dd_week_to_json(w, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_week_plan *w)
{
	int64_t day = 0;
	dd_date_parse(dd_rows_text(rows, 1), &day);
	w->id = dd_rows_int(rows, 0);
	w->week_start = day;
	w->first = dd_rows_int(rows, 2);
	w->second = dd_rows_int(rows, 3);
	const char *status = dd_rows_text(rows, 4);
	w->published = status && status[0] == 'p';
	w->note = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 5));
	w->version = dd_rows_int(rows, 6);
	w->created_at = dd_rows_int(rows, 7);
	w->updated_at = dd_rows_int(rows, 8);
	w->published_at = dd_rows_int(rows, 9);
}

int dd_week_get(struct dd_ctx *ctx, int64_t week_start,
		struct dd_week_plan *out, struct dd_err *err)
{
	char week[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	dd_date_format(week_start, week);
	if (dd_store_query(ctx->store, WEEK_COLUMNS "WHERE week_start = $1",
			   (struct dd_param[]){DD_P_TEXT(week)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "the week of %s has no plan", week);
	return rc < 0 ? -1 : 0;
}

int dd_week_list(struct dd_ctx *ctx, int64_t from, int64_t to,
		 int (*fn)(const struct dd_week_plan *w, void *arg), void *arg,
		 struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	dd_date_format(from, a);
	dd_date_format(to, b);
	if (dd_store_query(ctx->store,
			   WEEK_COLUMNS "WHERE week_start >= $1 AND week_start "
					"<= $2 ORDER BY week_start",
			   (struct dd_param[]){DD_P_TEXT(a), DD_P_TEXT(b)}, 2,
			   &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_week_plan w;
		read_row(ctx, rows, &w);
		if (fn(&w, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int check_person(struct dd_ctx *ctx, int64_t id, struct dd_err *err)
{
	int64_t active = 0;
	int rc = dd_store_query_int(
		ctx->store, "SELECT active FROM people WHERE id = $1",
		(struct dd_param[]){DD_P_INT(id)}, 1, &active, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "no person with id %lld", (long long)id);
	if (!active)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "person %lld is not active", (long long)id);
	return 0;
}

int dd_week_set(struct dd_ctx *ctx, const struct dd_actor *actor,
		int64_t week_start, int64_t first, int64_t second,
		const char *note, int64_t if_version, struct dd_week_plan *out,
		struct dd_err *err)
{
	char week[DD_DATE_TEXT_LEN];
	int64_t now = dd_ctx_now(ctx);
	dd_date_format(week_start, week);
	if (dd_date_weekday(week_start) != 1)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a week starts on a Monday; %s is not one",
				  week);
	if (first == second)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a week's pair needs two different people");
	if (note && dd_text_check("note", note, 0, DD_LIMIT_DESCRIPTION,
				  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (check_person(ctx, first, err) < 0 ||
	    check_person(ctx, second, err) < 0)
		goto fail;
	struct dd_week_plan before;
	struct dd_err lookup;
	int exists = dd_week_get(ctx, week_start, &before, &lookup) == 0;
	if (!exists && lookup.status != 404) {
		*err = lookup;
		goto fail;
	}
	if (exists && if_version > 0 && before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "the week of %s was changed meanwhile (version "
			   "%lld, not %lld): reload and try again",
			   week, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	if (exists) {
		struct dd_param p[] = {
			DD_P_TEXT(week), DD_P_INT(first), DD_P_INT(second),
			DD_P_TEXT(note ? note : before.note), DD_P_INT(now)};
		if (dd_store_exec(
			    ctx->store,
			    "UPDATE week_plans SET first_person = $2, "
			    "second_person = $3, note = $4, updated_at = "
			    "$5, version = version + 1 WHERE week_start = "
			    "$1",
			    p, 5, err) < 0)
			goto fail;
	} else {
		struct dd_param p[] = {
			DD_P_TEXT(week), DD_P_INT(first), DD_P_INT(second),
			DD_P_TEXT(note ? note : ""), DD_P_INT(now)};
		if (dd_store_exec(ctx->store,
				  "INSERT INTO week_plans (week_start, "
				  "first_person, second_person, status, note, "
				  "created_at, updated_at) VALUES ($1, $2, $3, "
				  "'draft', $4, $5, $5)",
				  p, 5, err) < 0)
			goto fail;
	}
	if (dd_week_get(ctx, week_start, out, err) < 0)
		goto fail;
	char *b = exists ? snapshot(&before) : NULL, *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor,
				 exists ? "week.update" : "week.create", "week",
				 out->id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_week_publish(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t week_start, struct dd_week_plan *out,
		    struct dd_err *err)
{
	char week[DD_DATE_TEXT_LEN];
	int64_t now = dd_ctx_now(ctx);
	struct dd_week_plan before;
	dd_date_format(week_start, week);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_week_get(ctx, week_start, &before, err) < 0)
		goto fail;
	if (before.published) {
		*out = before;
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (dd_store_exec(ctx->store,
			  "UPDATE week_plans SET status = 'published', "
			  "published_at = $2, published_by = $3, updated_at = "
			  "$2, version = version + 1 WHERE week_start = $1",
			  (struct dd_param[]){
				  DD_P_TEXT(week), DD_P_INT(now),
				  actor->person_id ? DD_P_INT(actor->person_id)
						   : DD_P_NULL},
			  3, err) < 0 ||
	    dd_week_get(ctx, week_start, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "week.publish", "week",
				 out->id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_week_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		   int64_t week_start, struct dd_err *err)
{
	char week[DD_DATE_TEXT_LEN];
	int64_t now = dd_ctx_now(ctx);
	struct dd_week_plan before;
	dd_date_format(week_start, week);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_week_get(ctx, week_start, &before, err) < 0 ||
	    dd_store_exec(ctx->store,
			  "DELETE FROM week_plans WHERE week_start = $1",
			  (struct dd_param[]){DD_P_TEXT(week)}, 1, err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "week.delete", "week",
				 before.id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
