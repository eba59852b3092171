/*
 * res_ticket_merge.c - merging a ticket into another.
 */
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/merge.h"

int dd_res_tickets_merge(struct dd_request *req)
{
	static const char *const fields[] = {"into", NULL};
	struct dd_ticket target;
	struct dd_err err;
	int64_t id, version;
	long long into = 0;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_int(body, "into", 1, 1, INT64_MAX, &into, &err) < 0 ||
	    dd_ticket_merge(&req->ctx, &req->actor, id, into, version, &target,
			    &err) < 0)
		return dd_res_err(req, &err);
	dd_res_ticket_send(req, 200, &target);
	return 0;
}
