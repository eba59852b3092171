/*
 * res_sla.c - service levels: /api/v1/sla-policies (list, create, get,
 * change, delete) and POST /api/v1/sla/check, which runs the job that
 * moves tickets to warning or breached now instead of within the minute.
 */
#include <microhttpd.h>
#include <stdio.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/sla.h"

/* Items a check answers with; the counts cover the rest. */
#define CHECK_ITEMS_MAX 500

/* An id or priority member that may be null (any): 1 present, 0 absent,
 * -1 error. */
static int read_nullable(json_t *body, const char *key, long long min,
			 long long max, long long *out, struct dd_err *err)
{
	json_t *v = json_object_get(body, key);
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = 0;
		return 1;
	}
	if (dd_json_in_int(body, key, 1, min, max, out, err) < 0)
		return -1;
	return 1;
}

static int read_minutes(json_t *body, const char *key, int *out, int *set,
			struct dd_err *err)
{
	long long n;
	int rc = dd_json_in_int(body, key, 0, 1, DD_SLA_MINUTES_MAX, &n, err);
	if (rc < 0)
		return -1;
	if (rc) {
		*out = (int)n;
		*set = 1;
	}
	return 0;
}

static int read_input(json_t *body, struct dd_sla_policy_input *in,
		      struct dd_err *err)
{
	static const char *const fields[] = {
		"queue_id",	      "priority",     "first_response_minutes",
		"resolution_minutes", "warn_percent", NULL};
	long long n;
	int rc;
	if (dd_json_in_known(body, fields, err) < 0)
		return -1;
	if ((rc = read_nullable(body, "queue_id", 1, INT64_MAX, &n, err)) < 0)
		return -1;
	in->queue_id = n;
	in->queue_set = rc;
	if ((rc = read_nullable(body, "priority", 1, 4, &n, err)) < 0)
		return -1;
	in->priority = (int)n;
	in->priority_set = rc;
	if (read_minutes(body, "first_response_minutes",
			 &in->first_response_minutes, &in->first_response_set,
			 err) < 0 ||
	    read_minutes(body, "resolution_minutes", &in->resolution_minutes,
			 &in->resolution_set, err) < 0)
		return -1;
	if ((rc = dd_json_in_int(body, "warn_percent", 0, 1, 99, &n, err)) < 0)
		return -1;
	in->warn_percent = (int)n;
	in->warn_set = rc;
	return 0;
}

static void send_policy(struct dd_request *req, int status,
			const struct dd_sla_policy *p)
{
	dd_resp_etag(req, p->version);
	dd_sla_policy_to_json(p, dd_resp_json(req, status));
}

int dd_res_sla_policies_list(struct dd_request *req)
{
	struct dd_sla_policy *all;
	int n;
	struct dd_err err;
	if (dd_sla_policy_all(&req->ctx, &all, &n, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	for (int i = 0; i < n; i++)
		dd_sla_policy_to_json(&all[i], j);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_sla_policies_create(struct dd_request *req)
{
	struct dd_sla_policy_input in = {0};
	struct dd_sla_policy p;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, &in, &err) < 0 ||
	    dd_sla_policy_create(&req->ctx, &req->actor, &in, &p, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/sla-policies/%lld",
		 (long long)p.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_policy(req, 201, &p);
	return 0;
}

int dd_res_sla_policies_get(struct dd_request *req)
{
	int64_t id;
	struct dd_sla_policy p;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "service-level policy", &id) < 0)
		return -1;
	if (dd_sla_policy_get(&req->ctx, id, &p, &err) < 0)
		return dd_res_err(req, &err);
	send_policy(req, 200, &p);
	return 0;
}

int dd_res_sla_policies_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_sla_policy_input in = {0};
	struct dd_sla_policy p;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "service-level policy", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, &in, &err) < 0 ||
	    dd_sla_policy_update(&req->ctx, &req->actor, id, &in, version, &p,
				 &err) < 0)
		return dd_res_err(req, &err);
	send_policy(req, 200, &p);
	return 0;
}

int dd_res_sla_policies_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "service-level policy", &id) < 0)
		return -1;
	if (dd_sla_policy_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

struct check_out {
	struct dd_json_out *j;
	int items;
	int truncated;
};

static int check_one(const struct dd_sla_change *c, void *arg)
{
	struct check_out *o = arg;
	if (o->items >= CHECK_ITEMS_MAX) {
		o->truncated = 1;
		return 0;
	}
	o->items++;
	dd_json_obj_begin(o->j);
	dd_json_kint(o->j, "ticket_id", c->ticket_id);
	dd_json_kint(o->j, "number", c->number);
	dd_json_kstr(o->j, "from", dd_sla_state_name(c->from));
	dd_json_kstr(o->j, "to", dd_sla_state_name(c->to));
	dd_json_kstr(o->j, "target", dd_sla_target_name(c->target));
	if (c->due)
		dd_json_ktime(o->j, "due", c->due);
	else
		dd_json_knull(o->j, "due");
	dd_json_kbool(o->j, "event", c->event);
	dd_json_obj_end(o->j);
	return 0;
}

int dd_res_sla_check(struct dd_request *req)
{
	struct dd_sla_check_stats stats;
	struct dd_err err;
	struct dd_buf items;
	struct dd_json_out ij;
	if (dd_res_body_none(req) < 0)
		return -1;
	/* The changes are gathered apart: the counts come first. */
	dd_buf_init(&items, DD_LIMIT_RESPONSE_BYTES);
	dd_json_out_init(&ij, &items);
	dd_json_arr_begin(&ij);
	struct check_out o = {&ij, 0, 0};
	int rc = dd_sla_check(&req->ctx, &req->actor, dd_ctx_now(&req->ctx),
			      check_one, &o, &stats, &err);
	dd_json_arr_end(&ij);
	if (rc < 0) {
		dd_buf_release(&items);
		return dd_res_err(req, &err);
	}
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kint(j, "checked", stats.checked);
	dd_json_kint(j, "changed", stats.changed);
	dd_json_kint(j, "warnings", stats.warnings);
	dd_json_kint(j, "breaches", stats.breaches);
	dd_json_key(j, "items");
	dd_json_raw(j, dd_buf_str(&items));
	dd_json_kbool(j, "truncated", o.truncated);
	dd_json_obj_end(j);
	dd_buf_release(&items);
	return 0;
}
