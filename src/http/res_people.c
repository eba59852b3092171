#include <microhttpd.h>
#include <stdio.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "people/person.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int list_one(const struct dd_person *p, void *arg)
{
	struct list_state *st = arg;
	dd_person_to_json(p, st->j);
	st->count++;
	st->last_id = p->id;
	return 0;
}

int dd_res_people_list(struct dd_request *req)
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
	if (dd_person_list(&req->ctx, cursor, limit, list_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

static void send_person(struct dd_request *req, int status,
			const struct dd_person *p)
{
	dd_resp_etag(req, p->version);
	dd_person_to_json(p, dd_resp_json(req, status));
}

/* Read the person fields of a create or update body into in. */
static int read_input(json_t *body, int create, struct dd_person_input *in,
		      struct dd_err *err)
{
	static const char *const create_fields[] = {
		"login", "name", "email", "phone", "active", "password", NULL};
	static const char *const update_fields[] = {"login", "name",   "email",
						    "phone", "active", NULL};
	int phone_null = 0, rc;
	if (dd_json_in_known(body, create ? create_fields : update_fields,
			     err) < 0)
		return -1;
	if (dd_json_in_str(body, "login", create, DD_LIMIT_LOGIN, &in->login,
			   NULL, err) < 0 ||
	    dd_json_in_str(body, "name", create, DD_LIMIT_NAME, &in->name, NULL,
			   err) < 0 ||
	    dd_json_in_str(body, "email", create, DD_LIMIT_EMAIL, &in->email,
			   NULL, err) < 0)
		return -1;
	rc = dd_json_in_str(body, "phone", 0, 64, &in->phone, &phone_null, err);
	if (rc < 0)
		return -1;
	in->phone_set = rc == 1;
	rc = dd_json_in_bool(body, "active", 0, &in->active, err);
	if (rc < 0)
		return -1;
	in->active_set = rc == 1;
	if (create && dd_json_in_str(body, "password", 0, DD_LIMIT_PASSWORD_MAX,
				     &in->password, NULL, err) < 0)
		return -1;
	return 0;
}

int dd_res_people_create(struct dd_request *req)
{
	struct dd_person_input in = {0};
	struct dd_person p;
	struct dd_err err;
	json_t *body = dd_req_json(req);
	dd_err_clear(&err);
	if (!body)
		return -1;
	if (read_input(body, 1, &in, &err) < 0 ||
	    dd_person_create(&req->ctx, &req->actor, &in, &p, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/people/%lld",
		 (long long)p.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_person(req, 201, &p);
	return 0;
}

int dd_res_people_get(struct dd_request *req)
{
	int64_t id;
	struct dd_person p;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "person", &id) < 0)
		return -1;
	if (dd_person_get(&req->ctx, id, &p, &err) < 0)
		return dd_res_err(req, &err);
	send_person(req, 200, &p);
	return 0;
}

int dd_res_people_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_person_input in = {0};
	struct dd_person p;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "person", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, 0, &in, &err) < 0)
		return dd_res_err(req, &err);
	if (id == req->who.person_id && in.active_set && !in.active)
		return dd_req_fail(req, 409, DD_PROBLEM_CONFLICT,
				   "you cannot deactivate yourself");
	if (dd_person_update(&req->ctx, &req->actor, id, &in, version, &p,
			     &err) < 0)
		return dd_res_err(req, &err);
	send_person(req, 200, &p);
	return 0;
}

int dd_res_people_delete(struct dd_request *req)
{
	/* People are referenced by the event log, tickets and the rota, so
	 * deleting deactivates: the person can no longer sign in, their
	 * sessions end, their tokens stop working, history keeps them. */
	int64_t id, version;
	struct dd_person_input in = {.active = 0, .active_set = 1};
	struct dd_person p;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "person", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	if (id == req->who.person_id)
		return dd_req_fail(req, 409, DD_PROBLEM_CONFLICT,
				   "you cannot deactivate yourself");
	if (dd_person_update(&req->ctx, &req->actor, id, &in, version, &p,
			     &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_people_password(struct dd_request *req)
{
	static const char *const fields[] = {"password", NULL};
	int64_t id;
	const char *password;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "person", &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "password", 1, DD_LIMIT_PASSWORD_MAX,
			   &password, NULL, &err) < 0 ||
	    dd_person_set_password(
		    &req->ctx, &req->actor, id, password,
		    id == req->who.person_id ? req->who.session_id : 0,
		    &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}
