/*
 * res_ticket_list.c - listing and searching tickets (JSON pages or a CSV
 * export of the whole list) and the views with their counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "http/resources.h"
#include "ticket/ticket_list.h"
#include "ticket/views.h"

/* ?limit=: 1 to DD_LIMIT_PAGE_MAX, DD_LIMIT_PAGE_DEFAULT when absent. */
static int query_limit(struct dd_request *req, int *limit)
{
	const char *l = dd_req_query(req, "limit");
	char *end;
	*limit = DD_LIMIT_PAGE_DEFAULT;
	if (!l)
		return 0;
	long v = strtol(l, &end, 10);
	if (!*l || *end || l[0] == '0' || l[0] == '-' || l[0] == '+' || v < 1 ||
	    v > DD_LIMIT_PAGE_MAX)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'limit' must be a number from 1 to %d",
				   DD_LIMIT_PAGE_MAX);
	*limit = (int)v;
	return 0;
}

/* ?NAME=true|false: 1, 0 (also when absent), or -1 with a 400. */
static int query_bool(struct dd_request *req, const char *name)
{
	const char *v = dd_req_query(req, name);
	if (!v || strcmp(v, "false") == 0)
		return 0;
	if (strcmp(v, "true") == 0)
		return 1;
	return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
			   "'%s' must be true or false", name);
}

static int send_csv(struct dd_request *req, const struct dd_ticket_page *page)
{
	/* more, not next_cursor: a ranked list of more than 10,000 hits
	 * has no cursor past its last position, and is not whole either. */
	if (page->more)
		return dd_req_fail(
			req, 400, DD_PROBLEM_LIMIT,
			"the list holds more than %d tickets; narrow "
			"the query to export it",
			DD_TICKET_EXPORT_MAX);
	dd_resp_text(req, 200, "text/csv; charset=utf-8", "");
	if (dd_ticket_items_to_csv(page->items, page->count, &req->out) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "the export is larger than %d MiB; narrow "
				   "the query",
				   DD_LIMIT_RESPONSE_BYTES / (1024 * 1024));
	dd_resp_header(req, "Content-Disposition",
		       "attachment; filename=\"tickets.csv\"");
	return 0;
}

int dd_res_tickets_list(struct dd_request *req)
{
	const char *format = dd_req_query(req, "format");
	const char *cursor = dd_req_query(req, "cursor");
	struct dd_ticket_list_req lr = {
		.q = dd_req_query(req, "q"),
		.viewer_id = req->who.person_id,
	};
	struct dd_ticket_page page;
	struct dd_err err;
	int csv = 0, total;
	dd_err_clear(&err);
	if (format && strcmp(format, "csv") == 0)
		csv = 1;
	else if (format && strcmp(format, "json") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'format' must be json or csv");
	if (dd_ticket_sort_parse(dd_req_query(req, "sort"), &lr.sort, &err) < 0)
		return dd_res_err(req, &err);
	if ((total = query_bool(req, "total")) < 0)
		return -1;
	if (csv) {
		/* An export is the whole list or nothing. */
		if (dd_req_query(req, "limit") || (cursor && *cursor))
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "format=csv exports the whole list: "
					   "leave out 'limit' and 'cursor'");
		lr.limit = DD_TICKET_EXPORT_MAX;
	} else {
		if (query_limit(req, &lr.limit) < 0)
			return -1;
		lr.cursor = cursor;
		lr.want_total = total;
	}
	if (dd_ticket_list(&req->ctx, &lr, &page, &err) < 0)
		return dd_res_err(req, &err);
	if (csv)
		return send_csv(req, &page);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	for (int i = 0; i < page.count; i++)
		dd_ticket_to_json(&page.items[i].ticket, j);
	dd_json_arr_end(j);
	dd_json_kstr(j, "next_cursor", page.next_cursor);
	if (page.total >= 0)
		dd_json_kint(j, "total", page.total);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_ticket_views(struct dd_request *req)
{
	struct dd_ticket_views views;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_ticket_views_get(&req->ctx, req->who.person_id, &views, &err) <
	    0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	for (int i = 0; i < views.count; i++) {
		const struct dd_ticket_view *v = &views.items[i];
		dd_json_obj_begin(j);
		dd_json_kstr(j, "id", v->id);
		dd_json_kstr(j, "name", v->name);
		dd_json_kstr(j, "query", v->query);
		dd_json_kint(j, "count", v->count);
		dd_json_kid(j, "queue_id", v->queue_id);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_kbool(j, "queues_truncated", views.queues_truncated);
	dd_json_obj_end(j);
	return 0;
}
