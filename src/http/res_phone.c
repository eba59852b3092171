/*
 * res_phone.c - POST /api/v1/tickets/phone: a ticket from a phone call,
 * taken while the caller is on the line (ticket/phone.h); GET
 * /api/v1/tickets/phone/lookup: what a caller's number finds, for the
 * intake form while the number is typed. Open to every signed-in person
 * and to tokens with the write (intake) or read (lookup) scope:
 * telephone duty is done by viewers.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/customer.h"
#include "ticket/phone.h"

int dd_res_tickets_phone(struct dd_request *req)
{
	static const char *const fields[] = {
		"caller",	   "note", "priority", "subject", "contact_id",
		"organisation_id", NULL};
	struct dd_phone_call call = {0};
	struct dd_phone_result *res;
	struct dd_err err;
	long long prio = 0;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "caller", 1, 64, &call.caller, NULL, &err) <
		    0 ||
	    dd_json_in_str(body, "subject", 0, DD_TICKET_SUBJECT_MAX,
			   &call.subject, NULL, &err) < 0 ||
	    dd_json_in_int(body, "priority", 0, 1, 4, &prio, &err) < 0 ||
	    dd_res_read_id(body, "contact_id", 0, &call.contact_id, &err) < 0 ||
	    dd_res_read_id(body, "organisation_id", 0, &call.organisation_id,
			   &err) < 0)
		return dd_res_err(req, &err);
	call.priority = (int)prio;
	/* The note is multi-line text: its type here, its length and
	 * characters in the domain. */
	json_t *note = json_object_get(body, "note");
	if (!note || json_is_null(note))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'note' is required");
	if (!json_is_string(note))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'note' must be a string");
	call.note = json_string_value(note);
	res = dd_arena_alloc(&req->arena, sizeof(*res));
	if (!res)
		return dd_req_fail(req, 500, DD_PROBLEM_LIMIT,
				   "no memory for the ticket");
	if (dd_phone_intake(&req->ctx, &req->actor, &call, res, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/tickets/%lld",
		 (long long)res->ticket.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	dd_resp_etag(req, res->ticket.version);
	struct dd_json_out *j = dd_resp_json(req, 201);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "matched", dd_phone_match_name(res->matched));
	dd_json_kint(j, "article_id", res->article_id);
	dd_json_key(j, "ticket");
	dd_ticket_to_json(&res->ticket, j);
	dd_json_obj_end(j);
	return 0;
}

/* The organisation or contact as a member named key, null for none; a
 * record that cannot be read (deleted between the lookup and here) is
 * null too. */
static void org_member(struct dd_request *req, struct dd_json_out *j,
		       int64_t id)
{
	struct dd_organisation o;
	struct dd_err err;
	dd_json_key(j, "organisation");
	if (id && dd_organisation_get(&req->ctx, id, &o, &err) == 0)
		dd_organisation_to_json(&o, j);
	else
		dd_json_null(j);
}

static void contact_member(struct dd_request *req, struct dd_json_out *j,
			   int64_t id)
{
	struct dd_contact c;
	struct dd_err err;
	dd_json_key(j, "contact");
	if (id && dd_contact_get(&req->ctx, id, &c, &err) == 0)
		dd_contact_to_json(&c, j);
	else
		dd_json_null(j);
}

int dd_res_tickets_phone_lookup(struct dd_request *req)
{
	struct dd_phone_lookup found;
	struct dd_err err;
	dd_err_clear(&err);
	const char *caller = dd_req_query(req, "caller");
	if (!caller)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'caller' is required");
	if (strlen(caller) > 64)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "'caller' is longer than 64 bytes");
	if (dd_phone_lookup(&req->ctx, caller, &found, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "caller", found.number);
	dd_json_kstr(j, "matched", dd_phone_match_name(found.matched));
	dd_json_kint(j, "contacts_with_number", found.contacts);
	contact_member(req, j, found.contact_id);
	org_member(req, j, found.organisation_id);
	dd_json_obj_end(j);
	return 0;
}
