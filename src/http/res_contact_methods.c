/*
 * res_contact_methods.c - a person's contact methods
 * (alert/contact_method.h) under /api/v1/people/{id}/contact-methods.
 * People manage their own e-mail methods; editors manage anyone's.
 * Webhooks need an editor: a webhook makes the server send requests to
 * a URL of the caller's choice, which in an internal network is a door
 * to other services, so only the people trusted with the organisation
 * may add one.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "alert/contact_method.h"
#include "http/json_in.h"
#include "http/resources.h"

static int person_param(struct dd_request *req, int64_t *person)
{
	if (dd_req_param_id(req, "id", "person", person) < 0 ||
	    dd_res_self_or_editor(req, *person) < 0)
		return -1;
	return 0;
}

static int method_one(const struct dd_contact_method *m, void *arg)
{
	dd_contact_method_to_json(m, arg);
	return 0;
}

int dd_res_contact_methods_list(struct dd_request *req)
{
	int64_t person;
	struct dd_err err;
	if (person_param(req, &person) < 0)
		return -1;
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_contact_method_list(&req->ctx, person, method_one, j, &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_contact_methods_create(struct dd_request *req)
{
	static const char *const fields[] = {"kind", "address", "format",
					     "label", NULL};
	int64_t person;
	struct dd_contact_method_input in = {0};
	struct dd_contact_method m;
	struct dd_err err;
	dd_err_clear(&err);
	if (person_param(req, &person) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "kind", 1, 16, &in.kind, NULL, &err) < 0 ||
	    dd_json_in_str(body, "address", 1, DD_CONTACT_URL_MAX, &in.address,
			   NULL, &err) < 0 ||
	    dd_json_in_str(body, "format", 0, 16, &in.format, NULL, &err) < 0 ||
	    dd_json_in_str(body, "label", 0, DD_CONTACT_LABEL_MAX, &in.label,
			   NULL, &err) < 0)
		return dd_res_err(req, &err);
	if (strcmp(in.kind, "webhook") == 0 && req->who.role < DD_ROLE_EDITOR)
		return dd_req_fail(req, 403, DD_PROBLEM_FORBIDDEN,
				   "only an editor may add a webhook");
	if (dd_contact_method_create(&req->ctx, &req->actor, person, &in, &m,
				     &err) < 0)
		return dd_res_err(req, &err);
	char location[96];
	snprintf(location, sizeof(location),
		 "/api/v1/people/%lld/contact-methods/%lld", (long long)person,
		 (long long)m.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	dd_contact_method_to_json(&m, dd_resp_json(req, 201));
	return 0;
}

static int ids(struct dd_request *req, int64_t *person, int64_t *id)
{
	if (person_param(req, person) < 0 ||
	    dd_req_param_id(req, "method_id", "contact method", id) < 0)
		return -1;
	return 0;
}

int dd_res_contact_methods_get(struct dd_request *req)
{
	int64_t person, id;
	struct dd_contact_method m;
	struct dd_err err;
	if (ids(req, &person, &id) < 0)
		return -1;
	if (dd_contact_method_get(&req->ctx, person, id, &m, &err) < 0)
		return dd_res_err(req, &err);
	dd_contact_method_to_json(&m, dd_resp_json(req, 200));
	return 0;
}

int dd_res_contact_methods_delete(struct dd_request *req)
{
	int64_t person, id;
	struct dd_err err;
	if (ids(req, &person, &id) < 0)
		return -1;
	if (dd_contact_method_delete(&req->ctx, &req->actor, person, id, &err) <
	    0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_contact_methods_test(struct dd_request *req)
{
	int64_t person, id;
	struct dd_contact_method m;
	struct dd_err err;
	if (ids(req, &person, &id) < 0 || dd_res_body_none(req) < 0)
		return -1;
	if (dd_contact_method_send_test(&req->ctx, &req->actor, person, id, &m,
					&err) < 0)
		return dd_res_err(req, &err);
	dd_contact_method_to_json(&m, dd_resp_json(req, 202));
	return 0;
}

int dd_res_contact_methods_verify(struct dd_request *req)
{
	static const char *const fields[] = {"code", NULL};
	int64_t person, id;
	const char *code;
	struct dd_contact_method m;
	struct dd_err err;
	dd_err_clear(&err);
	if (ids(req, &person, &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "code", 1, 16, &code, NULL, &err) < 0 ||
	    dd_contact_method_verify(&req->ctx, &req->actor, person, id, code,
				     &m, &err) < 0)
		return dd_res_err(req, &err);
	dd_contact_method_to_json(&m, dd_resp_json(req, 200));
	return 0;
}
