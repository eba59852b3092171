/*
 * res_customers.c - /api/v1/organisations and /api/v1/contacts: customer
 * organisations and their contacts, with contact memberships at
 * /api/v1/contacts/{id}/organisations/{org_id}. Everyone signed in reads;
 * editors change (routes.c).
 */
#include <microhttpd.h>
#include <stdio.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/customer.h"

/* An optional multi-line text member (null counts as ""); the domain
 * checks its length. 0 absent, 1 present, -1 error. */
static int read_text(json_t *body, const char *key, const char **out,
		     struct dd_err *err)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = "";
		return 1;
	}
	if (!json_is_string(v))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be a string", key);
	*out = json_string_value(v);
	return 1;
}

/* An array of strings into items (at most max). 0 absent, 1 present. */
static int read_strings(json_t *body, const char *key, const char **items,
			int max, int *count, struct dd_err *err)
{
	json_t *arr = json_object_get(body, key), *v;
	size_t i;
	*count = 0;
	if (!arr)
		return 0;
	if (json_is_null(arr))
		return 1;
	if (!json_is_array(arr))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be an array of strings", key);
	if (json_array_size(arr) > (size_t)max)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "'%s' holds at most %d entries", key, max);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'%s' must be an array of strings",
					  key);
		items[i] = json_string_value(v);
	}
	*count = (int)json_array_size(arr);
	return 1;
}

/* An id member that may be null (clears): 0 absent, 1 present. */
static int read_nullable_id(json_t *body, const char *key, int64_t *id,
			    struct dd_err *err)
{
	json_t *v = json_object_get(body, key);
	*id = 0;
	if (!v)
		return 0;
	if (json_is_null(v))
		return 1;
	if (dd_res_read_id(body, key, 1, id, err) < 0)
		return -1;
	return 1;
}

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

/* ---- organisations ---- */

static int read_org(json_t *body, int create, struct dd_organisation_input *in,
		    struct dd_err *err)
{
	static const char *const fields[] = {
		"name",		  "mail_domains",
		"phone_prefixes", "project_manager_id",
		"notes",	  NULL};
	int rc;
	if (dd_json_in_known(body, fields, err) < 0 ||
	    dd_json_in_str(body, "name", create, DD_LIMIT_NAME, &in->name, NULL,
			   err) < 0 ||
	    read_text(body, "notes", &in->notes, err) < 0)
		return -1;
	if ((rc = read_strings(body, "mail_domains", in->domains,
			       DD_ORG_DOMAINS_MAX, &in->domain_count, err)) < 0)
		return -1;
	in->domains_set = rc;
	if ((rc = read_strings(body, "phone_prefixes", in->phones,
			       DD_ORG_PHONES_MAX, &in->phone_count, err)) < 0)
		return -1;
	in->phones_set = rc;
	if ((rc = read_nullable_id(body, "project_manager_id",
				   &in->project_manager_id, err)) < 0)
		return -1;
	in->project_manager_set = rc;
	return 0;
}

static void send_org(struct dd_request *req, int status,
		     const struct dd_organisation *o)
{
	dd_resp_etag(req, o->version);
	dd_organisation_to_json(o, dd_resp_json(req, status));
}

static int org_one(const struct dd_organisation *o, void *arg)
{
	struct list_state *st = arg;
	dd_organisation_to_json(o, st->j);
	st->count++;
	st->last_id = o->id;
	return 0;
}

int dd_res_organisations_list(struct dd_request *req)
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
	if (dd_organisation_list(&req->ctx, cursor, limit, org_one, &st, &err) <
	    0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

int dd_res_organisations_create(struct dd_request *req)
{
	struct dd_organisation_input in = {0};
	struct dd_organisation o;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_org(body, 1, &in, &err) < 0 ||
	    dd_organisation_create(&req->ctx, &req->actor, &in, &o, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/organisations/%lld",
		 (long long)o.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_org(req, 201, &o);
	return 0;
}

int dd_res_organisations_get(struct dd_request *req)
{
	int64_t id;
	struct dd_organisation o;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "organisation", &id) < 0)
		return -1;
	if (dd_organisation_get(&req->ctx, id, &o, &err) < 0)
		return dd_res_err(req, &err);
	send_org(req, 200, &o);
	return 0;
}

int dd_res_organisations_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_organisation_input in = {0};
	struct dd_organisation o;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "organisation", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_org(body, 0, &in, &err) < 0 ||
	    dd_organisation_update(&req->ctx, &req->actor, id, &in, version, &o,
				   &err) < 0)
		return dd_res_err(req, &err);
	send_org(req, 200, &o);
	return 0;
}

int dd_res_organisations_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "organisation", &id) < 0)
		return -1;
	if (dd_organisation_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

/* ---- contacts ---- */

static int read_contact(json_t *body, int create, struct dd_contact_input *in,
			struct dd_err *err)
{
	static const char *const fields[] = {
		"name", "email", "phone", "notes", "organisation_ids", NULL};
	int null = 0, rc;
	if (dd_json_in_known(body, fields, err) < 0 ||
	    dd_json_in_str(body, "name", create, DD_LIMIT_NAME, &in->name, NULL,
			   err) < 0 ||
	    read_text(body, "notes", &in->notes, err) < 0)
		return -1;
	if ((rc = dd_json_in_str(body, "email", 0, DD_LIMIT_EMAIL, &in->email,
				 &null, err)) < 0)
		return -1;
	in->email_set = rc;
	if ((rc = dd_json_in_str(body, "phone", 0, 64, &in->phone, &null,
				 err)) < 0)
		return -1;
	in->phone_set = rc;
	json_t *orgs = json_object_get(body, "organisation_ids"), *v;
	if (orgs) {
		size_t i;
		if (!json_is_array(orgs))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'organisation_ids' must be an array "
					  "of ids");
		if (json_array_size(orgs) > DD_CONTACT_ORGS_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					  "a contact belongs to at most %d "
					  "organisations",
					  DD_CONTACT_ORGS_MAX);
		json_array_foreach(orgs, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "'organisation_ids' must be "
						  "an array of ids");
			in->org_ids[i] = json_integer_value(v);
		}
		in->org_count = (int)json_array_size(orgs);
		in->orgs_set = 1;
	}
	return 0;
}

static void send_contact(struct dd_request *req, int status,
			 const struct dd_contact *c)
{
	dd_resp_etag(req, c->version);
	dd_contact_to_json(c, dd_resp_json(req, status));
}

static int contact_one(const struct dd_contact *c, void *arg)
{
	struct list_state *st = arg;
	dd_contact_to_json(c, st->j);
	st->count++;
	st->last_id = c->id;
	return 0;
}

int dd_res_contacts_list(struct dd_request *req)
{
	int limit;
	int64_t cursor, org;
	struct dd_err err;
	if (dd_req_paging(req, &limit, &cursor) < 0 ||
	    dd_res_query_id(req, "organisation_id", &org) < 0)
		return -1;
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_contact_list(&req->ctx, org, cursor, limit, contact_one, &st,
			    &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

int dd_res_contacts_create(struct dd_request *req)
{
	struct dd_contact_input in = {0};
	struct dd_contact c;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_contact(body, 1, &in, &err) < 0 ||
	    dd_contact_create(&req->ctx, &req->actor, &in, &c, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/contacts/%lld",
		 (long long)c.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_contact(req, 201, &c);
	return 0;
}

int dd_res_contacts_get(struct dd_request *req)
{
	int64_t id;
	struct dd_contact c;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "contact", &id) < 0)
		return -1;
	if (dd_contact_get(&req->ctx, id, &c, &err) < 0)
		return dd_res_err(req, &err);
	send_contact(req, 200, &c);
	return 0;
}

int dd_res_contacts_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_contact_input in = {0};
	struct dd_contact c;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "contact", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_contact(body, 0, &in, &err) < 0 ||
	    dd_contact_update(&req->ctx, &req->actor, id, &in, version, &c,
			      &err) < 0)
		return dd_res_err(req, &err);
	send_contact(req, 200, &c);
	return 0;
}

int dd_res_contacts_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "contact", &id) < 0)
		return -1;
	if (dd_contact_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_contact_orgs_put(struct dd_request *req)
{
	int64_t id, org;
	int added = 0;
	struct dd_contact c;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "contact", &id) < 0 ||
	    dd_req_param_id(req, "org_id", "organisation", &org) < 0 ||
	    dd_res_body_none(req) < 0)
		return -1;
	if (dd_contact_org_add(&req->ctx, &req->actor, id, org, &added, &c,
			       &err) < 0)
		return dd_res_err(req, &err);
	send_contact(req, added ? 201 : 200, &c);
	return 0;
}

int dd_res_contact_orgs_delete(struct dd_request *req)
{
	int64_t id, org;
	struct dd_contact c;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "contact", &id) < 0 ||
	    dd_req_param_id(req, "org_id", "organisation", &org) < 0)
		return -1;
	if (dd_contact_org_remove(&req->ctx, &req->actor, id, org, &c, &err) <
	    0)
		return dd_res_err(req, &err);
	send_contact(req, 200, &c);
	return 0;
}
