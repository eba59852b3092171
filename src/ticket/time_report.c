#include "ticket/time_report.h"

#include <string.h>

#include "base/csv.h"
#include "rota/hours.h"
#include "store/store.h"

static const char *const group_names[] = {"ticket", "organisation", "person"};

int dd_time_group_parse(const char *name, enum dd_time_group *group)
{
	for (int i = 0; i < 3; i++)
		if (name && strcmp(name, group_names[i]) == 0) {
			*group = (enum dd_time_group)i;
			return 0;
		}
	return -1;
}

const char *dd_time_group_name(enum dd_time_group group)
{
	return group_names[group];
}

/* Each query gives id, number, label, minutes, articles; ids of no
 * organisation or person come as NULL (0). The order is total, so pages
 * and truncation are the same on both engines. */
static const char *const group_sql[] = {
	"SELECT t.id, t.number, t.subject, SUM(a.minutes), COUNT(*) "
	"FROM articles a JOIN tickets t ON t.id = a.ticket_id "
	"WHERE a.minutes > 0 AND a.created_at >= $1 AND a.created_at < $2 "
	"GROUP BY t.id, t.number, t.subject "
	"ORDER BY 4 DESC, t.id LIMIT $3",

	"SELECT o.id, 0, o.name, SUM(a.minutes), COUNT(*) "
	"FROM articles a JOIN tickets t ON t.id = a.ticket_id "
	"LEFT JOIN organisations o ON o.id = t.organisation_id "
	"WHERE a.minutes > 0 AND a.created_at >= $1 AND a.created_at < $2 "
	"GROUP BY o.id, o.name "
	"ORDER BY 4 DESC, COALESCE(o.id, 0) LIMIT $3",

	"SELECT p.id, 0, p.name, SUM(a.minutes), COUNT(*) "
	"FROM articles a LEFT JOIN people p ON p.id = a.author_id "
	"WHERE a.minutes > 0 AND a.created_at >= $1 AND a.created_at < $2 "
	"GROUP BY p.id, p.name "
	"ORDER BY 4 DESC, COALESCE(p.id, 0) LIMIT $3",
};

int dd_time_report(struct dd_ctx *ctx, enum dd_time_group group,
		   int64_t from_ms, int64_t to_ms, struct dd_time_report *r,
		   struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {DD_P_INT(from_ms), DD_P_INT(to_ms),
			       DD_P_INT(DD_LIMIT_REPORT_ROWS + 1)};
	memset(r, 0, sizeof(*r));
	r->group = group;
	r->from_ms = from_ms;
	r->to_ms = to_ms;
	if (dd_store_query_int(ctx->store,
			       "SELECT COALESCE(SUM(minutes), 0) FROM articles "
			       "WHERE minutes > 0 AND created_at >= $1 AND "
			       "created_at < $2",
			       p, 2, &r->total_minutes, err) < 0 ||
	    dd_store_query_int(
		    ctx->store,
		    "SELECT COUNT(*) FROM articles WHERE minutes > 0 "
		    "AND created_at >= $1 AND created_at < $2",
		    p, 2, &r->total_articles, err) < 0)
		return -1;
	if (r->total_articles == 0)
		return 0;
	r->rows = dd_arena_alloc(ctx->arena,
				 sizeof(*r->rows) * (DD_LIMIT_REPORT_ROWS + 1));
	if (!r->rows)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory for the time report");
	if (dd_store_query(ctx->store, group_sql[group], p, 3, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (r->count == DD_LIMIT_REPORT_ROWS) {
			r->truncated = 1;
			break;
		}
		struct dd_time_row *row = &r->rows[r->count++];
		row->id = dd_rows_int(rows, 0);
		row->number = dd_rows_int(rows, 1);
		row->label = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
		row->minutes = dd_rows_int(rows, 3);
		row->articles = dd_rows_int(rows, 4);
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The id's key per group. */
static const char *id_key(enum dd_time_group group)
{
	static const char *const keys[] = {"ticket_id", "organisation_id",
					   "person_id"};
	return keys[group];
}

static const char *label_key(enum dd_time_group group)
{
	static const char *const keys[] = {"subject", "organisation", "person"};
	return keys[group];
}

void dd_time_report_to_json(const struct dd_time_report *r,
			    struct dd_json_out *j)
{
	char hours[32];
	dd_json_obj_begin(j);
	dd_json_kstr(j, "from", r->from_day);
	dd_json_kstr(j, "to", r->to_day);
	dd_json_kstr(j, "group_by", dd_time_group_name(r->group));
	dd_json_kint(j, "total_minutes", r->total_minutes);
	dd_hours_format(r->total_minutes, hours);
	dd_json_key(j, "total_hours");
	dd_json_raw(j, hours);
	dd_json_kint(j, "total_articles", r->total_articles);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->count; i++) {
		const struct dd_time_row *row = &r->rows[i];
		dd_json_obj_begin(j);
		if (row->id)
			dd_json_kint(j, id_key(r->group), row->id);
		else
			dd_json_knull(j, id_key(r->group));
		if (r->group == DD_TIME_BY_TICKET)
			dd_json_kint(j, "number", row->number);
		dd_json_kstr(j, label_key(r->group), row->label);
		dd_json_kint(j, "minutes", row->minutes);
		dd_hours_format(row->minutes, hours);
		dd_json_key(j, "hours");
		dd_json_raw(j, hours);
		dd_json_kint(j, "articles", row->articles);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_kbool(j, "truncated", r->truncated);
	dd_json_obj_end(j);
}

void dd_time_report_to_csv(const struct dd_time_report *r, struct dd_buf *out)
{
	struct dd_csv c;
	char hours[32];
	dd_csv_init(&c, out);
	dd_csv_text(&c, id_key(r->group));
	if (r->group == DD_TIME_BY_TICKET)
		dd_csv_text(&c, "number");
	dd_csv_text(&c, label_key(r->group));
	dd_csv_text(&c, "minutes");
	dd_csv_text(&c, "hours");
	dd_csv_text(&c, "articles");
	dd_csv_row_end(&c);
	for (int i = 0; i < r->count; i++) {
		const struct dd_time_row *row = &r->rows[i];
		if (row->id)
			dd_csv_int(&c, row->id);
		else
			dd_csv_text(&c, NULL);
		if (r->group == DD_TIME_BY_TICKET)
			dd_csv_int(&c, row->number);
		dd_csv_text(&c, row->label);
		dd_csv_int(&c, row->minutes);
		dd_hours_format(row->minutes, hours);
		dd_csv_raw(&c, hours);
		dd_csv_int(&c, row->articles);
		dd_csv_row_end(&c);
	}
}
