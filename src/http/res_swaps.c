/*
 * res_swaps.c - swap requests. Open to viewers: people swap their own
 * duties. The requester asks and may cancel, the colleague accepts or
 * declines, an editor may do any of it for anyone.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "rota/swap.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int swap_one(const struct dd_swap *s, void *arg)
{
	struct list_state *st = arg;
	dd_swap_to_json(s, st->j);
	st->count++;
	st->last_id = s->id;
	return 0;
}

int dd_res_swaps_list(struct dd_request *req)
{
	struct dd_swap_filter f = {0};
	struct dd_err err;
	const char *status = dd_req_query(req, "status");
	if (dd_req_paging(req, &f.limit, &f.after_id) < 0 ||
	    dd_res_query_id(req, "person_id", &f.person_id) < 0)
		return -1;
	if (status) {
		if (dd_swap_status_parse(status, &f.status) < 0)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'status' must be open, accepted, "
					   "declined or cancelled");
		f.has_status = 1;
	}
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_swap_list(&req->ctx, &f, swap_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, f.limit, st.last_id);
	return 0;
}

int dd_res_swaps_create(struct dd_request *req)
{
	static const char *const fields[] = {
		"requester_id", "colleague_id",	 "day",	 "duty_id",
		"other_day",	"other_duty_id", "note", NULL};
	struct dd_swap_input in = {.requester_id = req->who.person_id};
	struct dd_swap s;
	struct dd_err err;
	int has_day = 0, has_duty = 0;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_res_read_id(body, "requester_id", 0, &in.requester_id, &err) <
		    0 ||
	    dd_res_read_id(body, "colleague_id", 1, &in.colleague_id, &err) <
		    0 ||
	    dd_res_read_day(body, "day", 1, &in.day, &err) < 0 ||
	    dd_res_read_id(body, "duty_id", 1, &in.duty_id, &err) < 0 ||
	    (has_day = dd_res_read_day(body, "other_day", 0, &in.other_day,
				       &err)) < 0 ||
	    (has_duty = dd_res_read_id(body, "other_duty_id", 0,
				       &in.other_duty_id, &err)) < 0)
		return dd_res_err(req, &err);
	if (has_day != has_duty)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "an exchange names both 'other_day' and "
				   "'other_duty_id'");
	in.has_other = has_day;
	json_t *n = json_object_get(body, "note");
	if (n && json_is_string(n))
		in.note = json_string_value(n);
	else if (n && !json_is_null(n))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'note' must be a string");
	if (dd_res_self_or_editor(req, in.requester_id) < 0)
		return -1;
	if (dd_swap_create(&req->ctx, &req->actor, &in, &s, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/swaps/%lld",
		 (long long)s.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	dd_swap_to_json(&s, dd_resp_json(req, 201));
	return 0;
}

int dd_res_swaps_get(struct dd_request *req)
{
	int64_t id;
	struct dd_swap s;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "swap request", &id) < 0)
		return -1;
	if (dd_swap_get(&req->ctx, id, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_swap_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

enum decision { ACCEPT, DECLINE, CANCEL };

static int decide(struct dd_request *req, enum decision what)
{
	int64_t id;
	struct dd_swap s;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "swap request", &id) < 0 ||
	    dd_res_body_none(req) < 0)
		return -1;
	if (dd_swap_get(&req->ctx, id, &s, &err) < 0)
		return dd_res_err(req, &err);
	/* The colleague answers, the requester withdraws. */
	int64_t who = what == CANCEL ? s.requester_id : s.colleague_id;
	if (who != req->who.person_id && req->who.role < DD_ROLE_EDITOR)
		return dd_req_fail(req, 403, DD_PROBLEM_FORBIDDEN,
				   what == CANCEL
					   ? "only the requester or an editor "
					     "may cancel swap request %lld"
					   : "only the colleague asked or an "
					     "editor may answer swap request "
					     "%lld",
				   (long long)id);
	int rc = what == ACCEPT
			 ? dd_swap_accept(&req->ctx, &req->actor, id, &s, &err)
		 : what == DECLINE
			 ? dd_swap_decline(&req->ctx, &req->actor, id, &s, &err)
			 : dd_swap_cancel(&req->ctx, &req->actor, id, &s, &err);
	if (rc < 0)
		return dd_res_err(req, &err);
	dd_swap_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

int dd_res_swaps_accept(struct dd_request *req)
{
	return decide(req, ACCEPT);
}

int dd_res_swaps_decline(struct dd_request *req)
{
	return decide(req, DECLINE);
}

int dd_res_swaps_cancel(struct dd_request *req)
{
	return decide(req, CANCEL);
}
