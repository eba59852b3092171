#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "base/timefmt.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "http/ticket_cache.h"
#include "ticket/ticket.h"

/* An id member that may be null (clears): sets *id and *set. */
static int read_id(json_t *body, const char *key, int64_t *id, int *set,
		   struct dd_err *err)
{
	json_t *v = json_object_get(body, key);
	long long n;
	if (!v)
		return 0;
	*set = 1;
	if (json_is_null(v)) {
		*id = 0;
		return 0;
	}
	if (dd_json_in_int(body, key, 0, 1, INT64_MAX, &n, err) < 0)
		return -1;
	*id = n;
	return 0;
}

int dd_res_ticket_read_input(json_t *body, const char *const *fields,
			     struct dd_ticket_input *in, struct dd_err *err)
{
	long long prio;
	int rc;
	if (fields && dd_json_in_known(body, fields, err) < 0)
		return -1;
	if (dd_json_in_str(body, "subject", 0, DD_TICKET_SUBJECT_MAX,
			   &in->subject, NULL, err) < 0 ||
	    dd_json_in_str(body, "status", 0, 16, &in->status, NULL, err) < 0 ||
	    dd_json_in_str(body, "channel", 0, 16, &in->channel, NULL, err) < 0)
		return -1;
	if ((rc = dd_json_in_int(body, "priority", 0, 1, 4, &prio, err)) < 0)
		return -1;
	if (rc)
		in->priority = (int)prio;
	if (read_id(body, "organisation_id", &in->organisation_id,
		    &in->organisation_set, err) < 0 ||
	    read_id(body, "contact_id", &in->contact_id, &in->contact_set,
		    err) < 0 ||
	    read_id(body, "queue_id", &in->queue_id, &in->queue_set, err) < 0 ||
	    read_id(body, "owner_id", &in->owner_id, &in->owner_set, err) < 0 ||
	    read_id(body, "comm_owner_id", &in->comm_owner_id,
		    &in->comm_owner_set, err) < 0 ||
	    read_id(body, "tech_owner_id", &in->tech_owner_id,
		    &in->tech_owner_set, err) < 0)
		return -1;
	json_t *due = json_object_get(body, "due_at");
	if (due) {
		in->due_set = 1;
		if (json_is_null(due)) {
			in->due_at = 0;
		} else if (!json_is_string(due) ||
			   dd_time_parse_rfc3339(json_string_value(due),
						 &in->due_at) < 0) {
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'due_at' must be an RFC 3339 time");
		}
	}
	if ((rc = dd_json_in_bool(body, "needs_completion", 0,
				  &in->needs_completion, err)) < 0)
		return -1;
	in->needs_completion_set = rc;
	json_t *tags = json_object_get(body, "tags");
	if (tags) {
		size_t i;
		json_t *v;
		if (!json_is_array(tags))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'tags' must be an array of strings");
		if (json_array_size(tags) > DD_TICKET_TAGS_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					  "a ticket has at most %d tags",
					  DD_TICKET_TAGS_MAX);
		json_array_foreach(tags, i, v)
		{
			if (!json_is_string(v))
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "'tags' must be an array of "
						  "strings");
			in->tags[i] = json_string_value(v);
		}
		in->tag_count = (int)json_array_size(tags);
		in->tags_set = 1;
	}
	return 0;
}

void dd_res_ticket_send(struct dd_request *req, int status,
			const struct dd_ticket *t)
{
	dd_resp_etag(req, t->version);
	dd_ticket_to_json(t, dd_resp_json(req, status));
}

int dd_res_tickets_create(struct dd_request *req)
{
	static const char *const fields[] = {"subject",
					     "status",
					     "priority",
					     "channel",
					     "organisation_id",
					     "contact_id",
					     "queue_id",
					     "owner_id",
					     "comm_owner_id",
					     "tech_owner_id",
					     "due_at",
					     "needs_completion",
					     "tags",
					     NULL};
	struct dd_ticket_input in = {0};
	struct dd_ticket t;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_res_ticket_read_input(body, fields, &in, &err) < 0 ||
	    dd_ticket_create(&req->ctx, &req->actor, &in, &t, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/tickets/%lld",
		 (long long)t.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	dd_res_ticket_send(req, 201, &t);
	return 0;
}

int dd_res_tickets_get(struct dd_request *req)
{
	int64_t id;
	struct dd_ticket t;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "ticket", &id) < 0)
		return -1;
	struct dd_ticket_cache *cache = req->ticket_cache;
	int64_t version;
	dd_resp_json(req, 200);
	if (dd_ticket_cache_get(cache, id, &req->out, &version)) {
		dd_resp_etag(req, version);
		return 0;
	}
	/* Read before the database: a change committed after this read
	 * makes what is kept below stale at once. */
	int64_t generation = dd_ticket_cache_generation(cache);
	if (dd_ticket_get(&req->ctx, id, &t, &err) < 0)
		return dd_res_err(req, &err);
	dd_res_ticket_send(req, 200, &t);
	if (!req->out.overflow)
		dd_ticket_cache_put(cache, id, generation, t.version,
				    req->out.data, req->out.len);
	return 0;
}

int dd_res_tickets_by_number(struct dd_request *req)
{
	int64_t number;
	struct dd_ticket t;
	struct dd_err err;
	if (dd_req_param_id(req, "number", "ticket", &number) < 0)
		return -1;
	if (dd_ticket_get_by_number(&req->ctx, number, &t, &err) < 0)
		return dd_res_err(req, &err);
	dd_res_ticket_send(req, 200, &t);
	return 0;
}

int dd_res_tickets_update(struct dd_request *req)
{
	static const char *const fields[] = {"subject",
					     "status",
					     "priority",
					     "channel",
					     "organisation_id",
					     "contact_id",
					     "queue_id",
					     "owner_id",
					     "comm_owner_id",
					     "tech_owner_id",
					     "due_at",
					     "needs_completion",
					     "tags",
					     NULL};
	int64_t id, version;
	struct dd_ticket_input in = {0};
	struct dd_ticket t;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_res_ticket_read_input(body, fields, &in, &err) < 0 ||
	    dd_ticket_update(&req->ctx, &req->actor, id, &in, version, &t,
			     &err) < 0)
		return dd_res_err(req, &err);
	dd_res_ticket_send(req, 200, &t);
	return 0;
}
