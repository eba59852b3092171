/*
 * res_cover.c - sick today and the cover requests it opens. Reporting
 * sick and answering a request are open to viewers (for themselves);
 * reporting someone else sick or forcing a choice needs an editor.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "rota/cover.h"
#include "rota/env.h"

int dd_res_sick_create(struct dd_request *req)
{
	static const char *const fields[] = {"person_id", "day", NULL};
	int64_t person_id = req->who.person_id, day = 0;
	int has_day = 0;
	struct dd_sick_report r;
	struct dd_err err;
	dd_err_clear(&err);
	/* An empty body means: me, today. */
	if (req->body.len > 0) {
		json_t *body = dd_req_json(req);
		if (!body)
			return -1;
		if (dd_json_in_known(body, fields, &err) < 0 ||
		    dd_res_read_id(body, "person_id", 0, &person_id, &err) <
			    0 ||
		    (has_day = dd_res_read_day(body, "day", 0, &day, &err)) < 0)
			return dd_res_err(req, &err);
	}
	if (dd_res_self_or_editor(req, person_id) < 0)
		return -1;
	if (!has_day) {
		if (dd_rota_today(&req->ctx, &day, &err) < 0)
			return dd_res_err(req, &err);
	}
	if (dd_sick_report(&req->ctx, &req->actor, person_id, day, &r, &err) <
	    0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 201);
	dd_json_obj_begin(j);
	dd_json_key(j, "absence");
	dd_absence_to_json(&r.absence, j);
	dd_json_key(j, "cover_requests");
	dd_json_arr_begin(j);
	for (int i = 0; i < r.request_count; i++)
		dd_cover_to_json(&r.requests[i], j);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int cover_one(const struct dd_cover_request *c, void *arg)
{
	struct list_state *st = arg;
	dd_cover_to_json(c, st->j);
	st->count++;
	st->last_id = c->id;
	return 0;
}

int dd_res_cover_list(struct dd_request *req)
{
	struct dd_cover_filter f = {0};
	struct dd_err err;
	const char *status = dd_req_query(req, "status");
	if (dd_req_paging(req, &f.limit, &f.after_id) < 0)
		return -1;
	if (status) {
		if (dd_cover_status_parse(status, &f.status) < 0)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'status' must be open, filled or "
					   "cancelled");
		f.has_status = 1;
	}
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_cover_list(&req->ctx, &f, cover_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, f.limit, st.last_id);
	return 0;
}

int dd_res_cover_get(struct dd_request *req)
{
	int64_t id;
	struct dd_cover_request c;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "cover request", &id) < 0)
		return -1;
	if (dd_cover_get(&req->ctx, id, &c, &err) < 0)
		return dd_res_err(req, &err);
	dd_cover_to_json(&c, dd_resp_json(req, 200));
	return 0;
}

/* accept and decline: the signed-in person answers for themselves. */
static int answer(struct dd_request *req, int accept)
{
	int64_t id;
	struct dd_cover_request c;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "cover request", &id) < 0 ||
	    dd_res_body_none(req) < 0)
		return -1;
	int rc = accept ? dd_cover_accept(&req->ctx, &req->actor, id,
					  req->who.person_id, &c, &err)
			: dd_cover_decline(&req->ctx, &req->actor, id,
					   req->who.person_id, &c, &err);
	if (rc < 0)
		return dd_res_err(req, &err);
	dd_cover_to_json(&c, dd_resp_json(req, 200));
	return 0;
}

int dd_res_cover_accept(struct dd_request *req)
{
	return answer(req, 1);
}

int dd_res_cover_decline(struct dd_request *req)
{
	return answer(req, 0);
}

int dd_res_cover_assign(struct dd_request *req)
{
	static const char *const fields[] = {"person_id", NULL};
	int64_t id, person_id = 0;
	struct dd_cover_request c;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "cover request", &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_res_read_id(body, "person_id", 1, &person_id, &err) < 0 ||
	    dd_cover_assign(&req->ctx, &req->actor, id, person_id, &c, &err) <
		    0)
		return dd_res_err(req, &err);
	dd_cover_to_json(&c, dd_resp_json(req, 200));
	return 0;
}
