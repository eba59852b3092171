#include <string.h>

#include "http/resources.h"
#include "store/outbox.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int entry_one(const struct dd_outbox_entry *e, void *arg)
{
	struct list_state *st = arg;
	struct dd_json_out *j = st->j;
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", e->id);
	dd_json_kstr(j, "kind", e->kind);
	dd_json_kstr(j, "status", e->status);
	dd_json_kstr(j, "target", e->target);
	dd_json_kstr(j, "purpose", e->purpose);
	dd_json_kstr(j, "ref_type", e->ref_type);
	dd_json_kid(j, "ref_id", e->ref_id);
	dd_json_kint(j, "attempts", e->attempts);
	dd_json_ktime(j, "next_attempt_at", e->next_at);
	dd_json_ktime(j, "created_at", e->created_at);
	dd_json_ktime_or_null(j, "delivered_at", e->delivered_at);
	dd_json_kstr(j, "last_error", e->last_error);
	dd_json_kint(j, "size", (int64_t)e->body_len);
	dd_json_obj_end(j);
	st->count++;
	st->last_id = e->id;
	return 0;
}

int dd_res_outbox_list(struct dd_request *req)
{
	struct dd_outbox_filter f = {0};
	struct dd_err err;
	int64_t cursor;
	dd_err_clear(&err);
	if (dd_req_paging(req, &f.limit, &cursor) < 0)
		return -1;
	f.before_id = cursor;
	f.status = dd_req_query(req, "status");
	if (f.status && strcmp(f.status, "pending") != 0 &&
	    strcmp(f.status, "sending") != 0 &&
	    strcmp(f.status, "delivered") != 0 && strcmp(f.status, "dead") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'status' must be pending, sending, "
				   "delivered or dead");
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_outbox_list(req->ctx.store, &f, entry_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, f.limit, st.last_id);
	return 0;
}

int dd_res_outbox_get(struct dd_request *req)
{
	int64_t id, found = 0;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "outbox message", &id) < 0)
		return -1;
	int rc = dd_store_query_int(
		req->ctx.store, "SELECT id FROM outbox WHERE id = $1",
		(struct dd_param[]){DD_P_INT(id)}, 1, &found, &err);
	if (rc < 0)
		return dd_res_err(req, &err);
	if (rc == 0)
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "no outbox message %lld", (long long)id);
	struct dd_outbox_filter f = {.id = id, .limit = 1};
	struct list_state st = {.j = dd_resp_json(req, 200)};
	if (dd_outbox_list(req->ctx.store, &f, entry_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	return 0;
}

int dd_res_outbox_retry(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "outbox message", &id) < 0)
		return -1;
	if (dd_outbox_retry(req->ctx.store, id, dd_ctx_now(&req->ctx),
			    &req->actor, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 202);
	return 0;
}
