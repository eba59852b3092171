#include <microhttpd.h>
#include <stdio.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "people/group.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int list_one(const struct dd_group *g, void *arg)
{
	struct list_state *st = arg;
	dd_group_to_json(g, st->j);
	st->count++;
	st->last_id = g->id;
	return 0;
}

int dd_res_groups_list(struct dd_request *req)
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
	if (dd_group_list(&req->ctx, cursor, limit, list_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

static int read_input(json_t *body, int create, struct dd_group_input *in,
		      struct dd_err *err)
{
	static const char *const fields[] = {"name", "description", "role",
					     NULL};
	const char *role = NULL;
	int rc;
	if (dd_json_in_known(body, fields, err) < 0 ||
	    dd_json_in_str(body, "name", create, DD_LIMIT_NAME, &in->name, NULL,
			   err) < 0)
		return -1;
	json_t *d = json_object_get(body, "description");
	if (d && json_is_string(d))
		in->description = json_string_value(d);
	else if (d && !json_is_null(d))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'description' must be a string");
	rc = dd_json_in_str(body, "role", 0, 16, &role, NULL, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (dd_role_parse(role, &in->role) < 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "unknown role '%s' (none, viewer, "
					  "editor or admin)",
					  role);
		in->role_set = 1;
	}
	return 0;
}

static void send_group(struct dd_request *req, int status,
		       const struct dd_group *g)
{
	dd_resp_etag(req, g->version);
	dd_group_to_json(g, dd_resp_json(req, status));
}

int dd_res_groups_create(struct dd_request *req)
{
	struct dd_group_input in = {0};
	struct dd_group g;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, 1, &in, &err) < 0 ||
	    dd_group_create(&req->ctx, &req->actor, &in, &g, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/groups/%lld",
		 (long long)g.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_group(req, 201, &g);
	return 0;
}

int dd_res_groups_get(struct dd_request *req)
{
	int64_t id;
	struct dd_group g;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "group", &id) < 0)
		return -1;
	if (dd_group_get(&req->ctx, id, &g, &err) < 0)
		return dd_res_err(req, &err);
	send_group(req, 200, &g);
	return 0;
}

int dd_res_groups_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_group_input in = {0};
	struct dd_group g;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "group", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, 0, &in, &err) < 0 ||
	    dd_group_update(&req->ctx, &req->actor, id, &in, version, &g,
			    &err) < 0)
		return dd_res_err(req, &err);
	send_group(req, 200, &g);
	return 0;
}

int dd_res_groups_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "group", &id) < 0)
		return -1;
	if (dd_group_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

static int member_one(int64_t person_id, const char *login, const char *name,
		      void *arg)
{
	struct dd_json_out *j = arg;
	dd_json_obj_begin(j);
	dd_json_kint(j, "person_id", person_id);
	dd_json_kstr(j, "login", login);
	dd_json_kstr(j, "name", name);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_group_members_list(struct dd_request *req)
{
	int64_t id;
	struct dd_group g;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "group", &id) < 0)
		return -1;
	if (dd_group_get(&req->ctx, id, &g, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_group_members(&req->ctx, id, member_one, j, &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_group_members_put(struct dd_request *req)
{
	int64_t id, person_id;
	int added = 0;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "group", &id) < 0 ||
	    dd_req_param_id(req, "person_id", "person", &person_id) < 0)
		return -1;
	if (dd_group_member_add(&req->ctx, &req->actor, id, person_id, &added,
				&err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, added ? 201 : 204);
	return 0;
}

int dd_res_group_members_delete(struct dd_request *req)
{
	int64_t id, person_id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "group", &id) < 0 ||
	    dd_req_param_id(req, "person_id", "person", &person_id) < 0)
		return -1;
	if (dd_group_member_remove(&req->ctx, &req->actor, id, person_id,
				   &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}
