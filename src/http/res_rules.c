/*
 * res_rules.c - /api/v1/assignment-rules: the ordered rules that set a
 * new ticket's queue, owner and priority (ticket/rules.h). Everyone
 * signed in reads; editors change and reorder (routes.c).
 *
 * Conditions are read here with jansson into the domain's struct and
 * stored normalised by the domain: single values become lists, a
 * priority range {"min": 1, "max": 2} becomes the list [1, 2].
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/rules.h"

/* A value or an array of values of key in obj: fn(v) for each. */
static int each_value(json_t *obj, const char *key, size_t max,
		      int (*fn)(json_t *v, void *arg, struct dd_err *err),
		      void *arg, struct dd_err *err)
{
	json_t *v = json_object_get(obj, key), *item;
	size_t i;
	if (!json_is_array(v))
		return fn(v, arg, err);
	if (json_array_size(v) > max)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "'conditions.%s' lists at most %zu entries",
				  key, max);
	json_array_foreach(v, i, item)
	{
		if (fn(item, arg, err) < 0)
			return -1;
	}
	return 0;
}

static int add_org(json_t *v, void *arg, struct dd_err *err)
{
	struct dd_rule_when *w = arg;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'conditions.organisation_id' must be an id "
				  "or a list of ids");
	w->org_ids[w->org_count++] = json_integer_value(v);
	return 0;
}

static int add_channel(json_t *v, void *arg, struct dd_err *err)
{
	struct dd_rule_when *w = arg;
	unsigned bit = json_is_string(v)
			       ? dd_rule_channel_bit(json_string_value(v))
			       : 0;
	if (!bit)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'conditions.channel' must name phone, "
				  "email, web or api");
	w->channels |= bit;
	return 0;
}

static int add_priority(json_t *v, void *arg, struct dd_err *err)
{
	struct dd_rule_when *w = arg;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 4)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'conditions.priority' must be priorities "
				  "from 1 to 4: a number, a list or "
				  "{\"min\": 1, \"max\": 2}");
	w->priorities |= 1u << json_integer_value(v);
	return 0;
}

static int add_word(json_t *v, void *arg, struct dd_err *err)
{
	struct dd_rule_when *w = arg;
	if (!json_is_string(v) ||
	    json_string_length(v) != strlen(json_string_value(v)))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'conditions.subject_words' must be a list "
				  "of words");
	w->words[w->word_count++] = json_string_value(v);
	return 0;
}

static int read_priority_range(json_t *v, struct dd_rule_when *w,
			       struct dd_err *err)
{
	static const char *const fields[] = {"min", "max", NULL};
	long long lo = 1, hi = 4;
	if (dd_json_in_known(v, fields, err) < 0 ||
	    dd_json_in_int(v, "min", 0, 1, 4, &lo, err) < 0 ||
	    dd_json_in_int(v, "max", 0, 1, 4, &hi, err) < 0)
		return -1;
	if (lo > hi)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'conditions.priority' has min above max");
	for (long long p = lo; p <= hi; p++)
		w->priorities |= 1u << p;
	return 0;
}

static int read_conditions(json_t *c, struct dd_rule_when *w,
			   struct dd_err *err)
{
	static const char *const fields[] = {"organisation_id", "channel",
					     "priority", "subject_words", NULL};
	memset(w, 0, sizeof(*w));
	if (!json_is_object(c))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'conditions' must be an object");
	if (dd_json_in_known(c, fields, err) < 0)
		return -1;
	json_t *p = json_object_get(c, "priority");
	if ((json_object_get(c, "organisation_id") &&
	     each_value(c, "organisation_id", DD_RULE_LIST_MAX, add_org, w,
			err) < 0) ||
	    (json_object_get(c, "channel") &&
	     each_value(c, "channel", 4, add_channel, w, err) < 0) ||
	    (json_object_get(c, "subject_words") &&
	     each_value(c, "subject_words", DD_RULE_LIST_MAX, add_word, w,
			err) < 0))
		return -1;
	if (json_is_object(p))
		return read_priority_range(p, w, err);
	if (p && each_value(c, "priority", 4, add_priority, w, err) < 0)
		return -1;
	return 0;
}

static int read_actions(json_t *a, struct dd_rule_then *t, struct dd_err *err)
{
	static const char *const fields[] = {"queue_id", "owner_id", "priority",
					     NULL};
	long long prio = 0;
	memset(t, 0, sizeof(*t));
	if (!json_is_object(a))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'actions' must be an object");
	if (dd_json_in_known(a, fields, err) < 0 ||
	    dd_res_read_id(a, "queue_id", 0, &t->queue_id, err) < 0 ||
	    dd_res_read_id(a, "owner_id", 0, &t->owner_id, err) < 0 ||
	    dd_json_in_int(a, "priority", 0, 1, 4, &prio, err) < 0)
		return -1;
	t->priority = (int)prio;
	return 0;
}

static int read_input(json_t *body, int create, struct dd_rule_input *in,
		      struct dd_err *err)
{
	static const char *const fields[] = {
		"name", "enabled", "continue", "conditions", "actions", NULL};
	int rc;
	if (dd_json_in_known(body, fields, err) < 0 ||
	    dd_json_in_str(body, "name", create, DD_LIMIT_NAME, &in->name, NULL,
			   err) < 0)
		return -1;
	if ((rc = dd_json_in_bool(body, "enabled", 0, &in->enabled, err)) < 0)
		return -1;
	in->enabled_set = rc;
	if ((rc = dd_json_in_bool(body, "continue", 0, &in->cont, err)) < 0)
		return -1;
	in->cont_set = rc;
	json_t *c = json_object_get(body, "conditions");
	if (c && !json_is_null(c)) {
		if (read_conditions(c, &in->when, err) < 0)
			return -1;
		in->when_set = 1;
	} else if (c) {
		in->when_set = 1; /* null: no conditions, every ticket */
	}
	json_t *a = json_object_get(body, "actions");
	if (create && !a)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'actions' is required");
	if (a) {
		if (read_actions(a, &in->then, err) < 0)
			return -1;
		in->then_set = 1;
	}
	return 0;
}

static void send_rule(struct dd_request *req, int status,
		      const struct dd_rule *r)
{
	dd_resp_etag(req, r->version);
	dd_rule_to_json(r, dd_resp_json(req, status));
}

static int send_list(struct dd_request *req)
{
	struct dd_rule *list;
	int count;
	struct dd_err err;
	if (dd_rule_list(&req->ctx, &list, &count, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	for (int i = 0; i < count; i++)
		dd_rule_to_json(&list[i], j);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_rules_list(struct dd_request *req)
{
	return send_list(req);
}

int dd_res_rules_create(struct dd_request *req)
{
	struct dd_rule_input in = {0};
	struct dd_rule r;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, 1, &in, &err) < 0 ||
	    dd_rule_create(&req->ctx, &req->actor, &in, &r, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/assignment-rules/%lld",
		 (long long)r.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_rule(req, 201, &r);
	return 0;
}

int dd_res_rules_get(struct dd_request *req)
{
	int64_t id;
	struct dd_rule r;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "assignment rule", &id) < 0)
		return -1;
	if (dd_rule_get(&req->ctx, id, &r, &err) < 0)
		return dd_res_err(req, &err);
	send_rule(req, 200, &r);
	return 0;
}

int dd_res_rules_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_rule_input in = {0};
	struct dd_rule r;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "assignment rule", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, 0, &in, &err) < 0 ||
	    dd_rule_update(&req->ctx, &req->actor, id, &in, version, &r, &err) <
		    0)
		return dd_res_err(req, &err);
	send_rule(req, 200, &r);
	return 0;
}

int dd_res_rules_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "assignment rule", &id) < 0)
		return -1;
	if (dd_rule_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_rules_order(struct dd_request *req)
{
	static const char *const fields[] = {"ids", NULL};
	int64_t ids[DD_RULES_MAX];
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	json_t *arr = json_object_get(body, "ids"), *v;
	size_t i;
	if (dd_json_in_known(body, fields, &err) < 0)
		return dd_res_err(req, &err);
	if (!json_is_array(arr))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'ids' must be the list of every rule's id "
				   "in the new order");
	if (json_array_size(arr) > DD_RULES_MAX)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "there are at most %d assignment rules",
				   DD_RULES_MAX);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'ids' must be a list of ids");
		ids[i] = json_integer_value(v);
	}
	if (dd_rule_order(&req->ctx, &req->actor, ids,
			  (int)json_array_size(arr), &err) < 0)
		return dd_res_err(req, &err);
	return send_list(req);
}
