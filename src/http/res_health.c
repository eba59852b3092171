#include "http/resources.h"

#include "store/store.h"

int dd_res_err(struct dd_request *req, const struct dd_err *err)
{
	req->err = *err;
	return -1;
}

int dd_res_healthz(struct dd_request *req)
{
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "status", "ok");
	dd_json_obj_end(j);
	return 0;
}

int dd_res_readyz(struct dd_request *req)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_store_ping(req->ctx.store, &err) < 0)
		return dd_req_fail(req, 503, DD_PROBLEM_UNAVAILABLE,
				   "database does not answer: %s", err.msg);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "status", "ready");
	dd_json_kstr(j, "database",
		     dd_store_kind(req->ctx.store) == DD_STORE_SQLITE
			     ? "sqlite"
			     : "postgresql");
	dd_json_obj_end(j);
	return 0;
}
