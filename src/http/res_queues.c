/*
 * res_queues.c - /api/v1/queues: where tickets wait for a group. Everyone
 * signed in reads; editors change (routes.c).
 */
#include <microhttpd.h>
#include <stdio.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/queue.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int list_one(const struct dd_queue *q, void *arg)
{
	struct list_state *st = arg;
	dd_queue_to_json(q, st->j);
	st->count++;
	st->last_id = q->id;
	return 0;
}

int dd_res_queues_list(struct dd_request *req)
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
	if (dd_queue_list(&req->ctx, cursor, limit, list_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

static int read_input(json_t *body, int create, struct dd_queue_input *in,
		      struct dd_err *err)
{
	static const char *const fields[] = {"name", "description", "group_id",
					     "owner_rule", NULL};
	const char *rule = NULL;
	int rc;
	if (dd_json_in_known(body, fields, err) < 0 ||
	    dd_json_in_str(body, "name", create, DD_LIMIT_NAME, &in->name, NULL,
			   err) < 0)
		return -1;
	json_t *d = json_object_get(body, "description");
	if (d && json_is_string(d))
		in->description = json_string_value(d);
	else if (d && json_is_null(d))
		in->description = "";
	else if (d)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'description' must be a string");
	json_t *g = json_object_get(body, "group_id");
	if (g) {
		in->group_set = 1;
		if (!json_is_null(g) &&
		    dd_res_read_id(body, "group_id", 1, &in->group_id, err) < 0)
			return -1;
	}
	rc = dd_json_in_str(body, "owner_rule", 0, 32, &rule, NULL, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (dd_queue_owner_rule_parse(rule, &in->owner_rule) < 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "unknown owner rule '%.32s' (none or "
					  "project_manager)",
					  rule);
		in->owner_rule_set = 1;
	}
	return 0;
}

static void send_queue(struct dd_request *req, int status,
		       const struct dd_queue *q)
{
	dd_resp_etag(req, q->version);
	dd_queue_to_json(q, dd_resp_json(req, status));
}

int dd_res_queues_create(struct dd_request *req)
{
	struct dd_queue_input in = {0};
	struct dd_queue q;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, 1, &in, &err) < 0 ||
	    dd_queue_create(&req->ctx, &req->actor, &in, &q, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/queues/%lld",
		 (long long)q.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_queue(req, 201, &q);
	return 0;
}

int dd_res_queues_get(struct dd_request *req)
{
	int64_t id;
	struct dd_queue q;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "queue", &id) < 0)
		return -1;
	if (dd_queue_get(&req->ctx, id, &q, &err) < 0)
		return dd_res_err(req, &err);
	send_queue(req, 200, &q);
	return 0;
}

int dd_res_queues_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_queue_input in = {0};
	struct dd_queue q;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "queue", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, 0, &in, &err) < 0 ||
	    dd_queue_update(&req->ctx, &req->actor, id, &in, version, &q,
			    &err) < 0)
		return dd_res_err(req, &err);
	send_queue(req, 200, &q);
	return 0;
}

int dd_res_queues_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "queue", &id) < 0)
		return -1;
	if (dd_queue_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}
