#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "people/person.h"
#include "people/token.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int list_one(const struct dd_token *t, void *arg)
{
	struct list_state *st = arg;
	dd_token_to_json(t, st->j);
	st->count++;
	st->last_id = t->id;
	return 0;
}

int dd_res_tokens_list(struct dd_request *req)
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
	if (dd_token_list(&req->ctx, cursor, limit, list_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

/* The scopes of a create body: an array of names. */
static int read_scopes(json_t *body, unsigned *mask, struct dd_err *err)
{
	json_t *arr = json_object_get(body, "scopes");
	size_t i;
	json_t *v;
	*mask = 0;
	if (!arr || !json_is_array(arr) || json_array_size(arr) == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'scopes' must be a non-empty array of "
				  "scope names");
	if (json_array_size(arr) > DD_LIMIT_SCOPES)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "'scopes' has more than %d entries",
				  DD_LIMIT_SCOPES);
	json_array_foreach(arr, i, v)
	{
		unsigned bit = 0;
		if (!json_is_string(v) ||
		    dd_scopes_parse(json_string_value(v), &bit, err) < 0 ||
		    (bit & (bit - 1)) != 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'scopes' entry %zu is not a scope "
					  "name (read, write, admin, "
					  "mail:ingest, phone:route)",
					  i);
		if (*mask & bit)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "scope '%s' given twice",
					  json_string_value(v));
		*mask |= bit;
	}
	return 0;
}

int dd_res_tokens_create(struct dd_request *req)
{
	static const char *const fields[] = {"person_id", "login", "name",
					     "scopes", NULL};
	long long person_id = 0;
	const char *login = NULL, *name = NULL;
	unsigned scopes;
	struct dd_err err;
	struct dd_token t;
	char text[DD_TOKEN_TEXT_LEN];
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_int(body, "person_id", 0, 1, INT64_MAX, &person_id,
			   &err) < 0 ||
	    dd_json_in_str(body, "login", 0, DD_LIMIT_LOGIN, &login, NULL,
			   &err) < 0 ||
	    dd_json_in_str(body, "name", 1, DD_LIMIT_NAME, &name, NULL, &err) <
		    0 ||
	    read_scopes(body, &scopes, &err) < 0)
		return dd_res_err(req, &err);
	if (!person_id && login) {
		struct dd_person p;
		if (dd_person_get_by_login(&req->ctx, login, &p, &err) < 0)
			return dd_res_err(req, &err);
		person_id = p.id;
	}
	if (!person_id)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "name the token's person with 'person_id' "
				   "or 'login'");
	if (dd_token_create(&req->ctx, &req->actor, person_id, name, scopes,
			    text, &t, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/tokens/%lld",
		 (long long)t.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	struct dd_json_out *j = dd_resp_json(req, 201);
	dd_json_obj_begin(j);
	dd_json_key(j, "token");
	dd_token_to_json(&t, j);
	/* Shown once: only the digest is stored. */
	dd_json_kstr(j, "secret", text);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_tokens_get(struct dd_request *req)
{
	int64_t id;
	struct dd_token t;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "token", &id) < 0)
		return -1;
	if (dd_token_get(&req->ctx, id, &t, &err) < 0)
		return dd_res_err(req, &err);
	dd_token_to_json(&t, dd_resp_json(req, 200));
	return 0;
}

int dd_res_tokens_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "token", &id) < 0)
		return -1;
	if (dd_token_revoke(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}
