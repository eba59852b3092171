/*
 * res_articles.c - articles on a ticket: add one, list them oldest first.
 */
#include <string.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/article.h"

/* A page of articles stops early when the response comes near its limit:
 * a page of 500 bodies of 256 KiB would not fit. The margin holds one
 * more article at the worst escaping (6 bytes for a '<'). */
#define PAGE_BUDGET (DD_LIMIT_RESPONSE_BYTES - 6 * DD_LIMIT_ARTICLE_BODY - 4096)

/* The body member: a string with newlines allowed (the domain checks
 * length, UTF-8 and control characters). */
static int read_body(json_t *body, const char **out, struct dd_err *err)
{
	json_t *v = json_object_get(body, "body");
	*out = NULL;
	if (!v || json_is_null(v))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'body' is required");
	if (!json_is_string(v))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'body' must be a string");
	if (json_string_length(v) != strlen(json_string_value(v)))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'body' contains a NUL byte");
	*out = json_string_value(v);
	return 0;
}

int dd_res_articles_create(struct dd_request *req)
{
	static const char *const fields[] = {
		"kind", "body", "visibility", "minutes", "contact_id", NULL};
	struct dd_article_input in = {0};
	struct dd_article a;
	struct dd_err err;
	long long minutes = 0, contact = 0;
	int64_t id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "kind", 1, 32, &in.kind, NULL, &err) < 0 ||
	    dd_json_in_str(body, "visibility", 0, 16, &in.visibility, NULL,
			   &err) < 0 ||
	    read_body(body, &in.body, &err) < 0 ||
	    dd_json_in_int(body, "minutes", 0, 0, DD_ARTICLE_MINUTES_MAX,
			   &minutes, &err) < 0 ||
	    dd_json_in_int(body, "contact_id", 0, 1, INT64_MAX, &contact,
			   &err) < 0)
		return dd_res_err(req, &err);
	in.minutes = (int)minutes;
	in.author_contact_id = contact;
	/* Staff write replies and notes; inbound articles are the
	 * customer's words, entered for them. */
	if (!dd_article_kind_inbound(in.kind))
		in.author_id = req->actor.person_id;
	if (dd_article_create(&req->ctx, &req->actor, id, &in, &a, &err) < 0)
		return dd_res_err(req, &err);
	dd_article_to_json(&a, 1, dd_resp_json(req, 201));
	return 0;
}

struct list_state {
	struct dd_request *req;
	int count;
	int64_t last_id;
	int full; /* stopped before the response grew too large */
};

static int article_one(const struct dd_article *a, void *arg)
{
	struct list_state *st = arg;
	if (st->req->out.len > PAGE_BUDGET) {
		st->full = 1;
		return 1;
	}
	dd_article_to_json(a, 1, &st->req->json);
	st->count++;
	st->last_id = a->id;
	return 0;
}

int dd_res_articles_list(struct dd_request *req)
{
	struct dd_err err;
	int64_t id, cursor;
	int limit;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0 ||
	    dd_req_paging(req, &limit, &cursor) < 0)
		return -1;
	struct list_state st = {.req = req};
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_article_list(&req->ctx, id, cursor, limit, article_one, &st,
			    &err) < 0)
		return dd_res_err(req, &err);
	/* A page cut short by size still has a next page. */
	dd_resp_list_end(req, st.full ? limit : st.count, limit, st.last_id);
	return 0;
}
