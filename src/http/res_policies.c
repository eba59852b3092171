/*
 * res_policies.c - escalation policies (alert/policy_store.h) and the
 * alerting settings (alert/alert_settings.h): read by everyone signed
 * in, changed by editors.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "alert/alert_settings.h"
#include "alert/policy_store.h"
#include "http/json_in.h"
#include "http/resources.h"

/* {"kind": ..., "id": ...} or null into t. */
static int read_target(json_t *v, const char *what, int allow_null,
		       struct dd_alert_target *t, struct dd_err *err)
{
	static const char *const fields[] = {"kind", "id", NULL};
	const char *kind;
	long long id = 0;
	t->kind = DD_TARGET_NONE;
	t->id = 0;
	if (!v || json_is_null(v)) {
		if (allow_null)
			return 0;
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "%s needs a target", what);
	}
	if (!json_is_object(v))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "%s must be an object {\"kind\", \"id\"}",
				  what);
	if (dd_json_in_known(v, fields, err) < 0 ||
	    dd_json_in_str(v, "kind", 1, 32, &kind, NULL, err) < 0 ||
	    dd_json_in_int(v, "id", 0, 0, INT64_MAX, &id, err) < 0)
		return -1;
	if (dd_target_kind_parse(kind, &t->kind) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "%s: unknown kind '%.32s' (duty, person, "
				  "group, queue, coordinator or substitute)",
				  what, kind);
	t->id = id;
	return 0;
}

static int read_policy(struct dd_request *req, struct dd_policy *p,
		       struct dd_err *err)
{
	static const char *const fields[] = {
		"name",	 "description", "repeat_count", "repeat_delay_minutes",
		"steps", NULL};
	static const char *const step_fields[] = {"delay_minutes", "target",
						  NULL};
	long long repeat = 0, delay = 10;
	memset(p, 0, sizeof(*p));
	json_t *body = dd_req_json(req);
	if (!body)
		return -2;
	if (dd_json_in_known(body, fields, err) < 0 ||
	    dd_json_in_str(body, "name", 1, 1000, &p->name, NULL, err) < 0 ||
	    dd_json_in_str(body, "description", 0, 10000, &p->description, NULL,
			   err) < 0 ||
	    dd_json_in_int(body, "repeat_count", 0, 0, 1000, &repeat, err) <
		    0 ||
	    dd_json_in_int(body, "repeat_delay_minutes", 0, 0, 100000, &delay,
			   err) < 0)
		return -1;
	p->repeat_count = (int)repeat;
	p->repeat_delay_minutes = (int)delay;
	json_t *steps = json_object_get(body, "steps");
	if (!steps || !json_is_array(steps))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'steps' must be an array of steps");
	if (json_array_size(steps) > DD_POLICY_STEPS_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "a policy has at most %d steps",
				  DD_POLICY_STEPS_MAX);
	size_t i;
	json_t *s;
	json_array_foreach(steps, i, s)
	{
		char what[32];
		long long d = 0;
		snprintf(what, sizeof(what), "step %zu", i + 1);
		if (!json_is_object(s))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "%s must be an object", what);
		if (dd_json_in_known(s, step_fields, err) < 0 ||
		    dd_json_in_int(s, "delay_minutes", 1, 0, 100000, &d, err) <
			    0 ||
		    read_target(json_object_get(s, "target"), what, 0,
				&p->steps[i].target, err) < 0)
			return -1;
		p->steps[i].delay_minutes = (int)d;
		p->step_count++;
	}
	return 0;
}

static int policy_one(const struct dd_policy *p, void *arg)
{
	dd_policy_to_json(p, arg);
	return 0;
}

int dd_res_policies_list(struct dd_request *req)
{
	struct dd_err err;
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_policy_list(&req->ctx, policy_one, j, &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_key(j, "default");
	struct dd_policy d;
	dd_policy_default(&d);
	dd_policy_to_json(&d, j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_policies_create(struct dd_request *req)
{
	struct dd_policy in, out;
	struct dd_err err;
	dd_err_clear(&err);
	int rc = read_policy(req, &in, &err);
	if (rc == -2)
		return -1;
	if (rc < 0 ||
	    dd_policy_create(&req->ctx, &req->actor, &in, &out, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/escalation-policies/%lld",
		 (long long)out.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	dd_resp_etag(req, out.version);
	dd_policy_to_json(&out, dd_resp_json(req, 201));
	return 0;
}

int dd_res_policies_get(struct dd_request *req)
{
	int64_t id;
	struct dd_policy p;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "escalation policy", &id) < 0)
		return -1;
	if (dd_policy_get(&req->ctx, id, &p, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, p.version);
	dd_policy_to_json(&p, dd_resp_json(req, 200));
	return 0;
}

int dd_res_policies_put(struct dd_request *req)
{
	int64_t id, version;
	struct dd_policy in, out;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "escalation policy", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	int rc = read_policy(req, &in, &err);
	if (rc == -2)
		return -1;
	if (rc < 0 || dd_policy_replace(&req->ctx, &req->actor, id, &in,
					version, &out, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, out.version);
	dd_policy_to_json(&out, dd_resp_json(req, 200));
	return 0;
}

int dd_res_policies_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "escalation policy", &id) < 0)
		return -1;
	if (dd_policy_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_alert_settings_get(struct dd_request *req)
{
	struct dd_alert_settings s;
	struct dd_err err;
	if (dd_alert_settings_load(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, s.version);
	dd_alert_settings_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

int dd_res_alert_settings_put(struct dd_request *req)
{
	static const char *const fields[] = {
		"p1_policy_id", "core_hours_target", "out_of_hours_target",
		"public_url",	"mail_from",	     NULL};
	struct dd_alert_settings s;
	struct dd_err err;
	int64_t version;
	const char *url = NULL, *from = NULL;
	dd_err_clear(&err);
	if (dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_alert_settings_load(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	json_t *policy = json_object_get(body, "p1_policy_id");
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "public_url", 0, DD_ALERT_URL_MAX, &url, NULL,
			   &err) < 0 ||
	    dd_json_in_str(body, "mail_from", 0, DD_ALERT_FROM_MAX, &from, NULL,
			   &err) < 0)
		return dd_res_err(req, &err);
	if (policy) {
		if (json_is_null(policy))
			s.p1_policy_id = 0;
		else if (dd_res_read_id(body, "p1_policy_id", 1,
					&s.p1_policy_id, &err) < 0)
			return dd_res_err(req, &err);
	}
	if ((json_object_get(body, "core_hours_target") &&
	     read_target(json_object_get(body, "core_hours_target"),
			 "'core_hours_target'", 1, &s.core_target, &err) < 0) ||
	    (json_object_get(body, "out_of_hours_target") &&
	     read_target(json_object_get(body, "out_of_hours_target"),
			 "'out_of_hours_target'", 1, &s.off_target, &err) < 0))
		return dd_res_err(req, &err);
	if (url)
		snprintf(s.public_url, sizeof(s.public_url), "%s", url);
	if (from)
		snprintf(s.mail_from, sizeof(s.mail_from), "%s", from);
	if (dd_alert_settings_save(&req->ctx, &req->actor, &s, version, &err) <
		    0 ||
	    dd_alert_settings_load(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, s.version);
	dd_alert_settings_to_json(&s, dd_resp_json(req, 200));
	return 0;
}
