/*
 * res_shifts.c - shift-start notices and readiness (alert/shift.h): the
 * list, one notice, the readiness confirmation by the person on duty
 * (or an editor), and the on-demand run of the shift-start job.
 */
#include <stdio.h>
#include <string.h>

#include "alert/shift.h"
#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int shift_one(const struct dd_shift *s, void *arg)
{
	struct list_state *st = arg;
	dd_shift_to_json(s, st->j);
	st->count++;
	st->last_id = s->id;
	return 0;
}

int dd_res_shifts_list(struct dd_request *req)
{
	int limit;
	int64_t cursor;
	struct dd_err err;
	if (dd_req_paging(req, &limit, &cursor) < 0)
		return -1;
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_shift_list(&req->ctx, cursor, limit, shift_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

int dd_res_shifts_get(struct dd_request *req)
{
	int64_t id;
	struct dd_shift s;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "shift", &id) < 0)
		return -1;
	if (dd_shift_get(&req->ctx, id, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_shift_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

int dd_res_shifts_ready(struct dd_request *req)
{
	static const char *const fields[] = {"note", NULL};
	int64_t id;
	const char *note = NULL;
	struct dd_shift s;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "shift", &id) < 0)
		return -1;
	if (req->body.len > 0) {
		json_t *body = dd_req_json(req);
		if (!body)
			return -1;
		if (dd_json_in_known(body, fields, &err) < 0 ||
		    dd_json_in_str(body, "note", 0, DD_SHIFT_NOTE_MAX, &note,
				   NULL, &err) < 0)
			return dd_res_err(req, &err);
	}
	if (dd_shift_get(&req->ctx, id, &s, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_res_self_or_editor(req, s.person_id) < 0)
		return -1;
	if (dd_shift_ready(&req->ctx, &req->actor, id, note, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_shift_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

int dd_res_shifts_check(struct dd_request *req)
{
	int notices = 0, told = 0;
	struct dd_err err;
	if (dd_res_body_none(req) < 0)
		return -1;
	if (dd_shift_check(&req->ctx, dd_ctx_now(&req->ctx), &notices, &told,
			   &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kint(j, "notices_sent", notices);
	dd_json_kint(j, "coordinator_told", told);
	dd_json_obj_end(j);
	return 0;
}
