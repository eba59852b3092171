/*
 * res_phone_route.c - GET /api/v1/phone/route: where the PBX rings the
 * support line now (alert/phone_route.h). Tokens need the phone:route
 * scope. JSON by default; text/plain (the number, or "voicemail", and a
 * newline) when the client asks for it with Accept: text/plain or
 * ?format=text, which is what Asterisk's CURL() and FreeSWITCH's curl
 * application read most easily. ?at=RFC3339 asks about another instant
 * (for testing a dialplan); ?duty_id= routes to another duty.
 */
#include <stdio.h>
#include <string.h>

#include "alert/phone_route.h"
#include "base/timefmt.h"
#include "http/resources.h"

int dd_res_phone_route(struct dd_request *req)
{
	struct dd_phone_route r;
	struct dd_err err;
	int64_t at = dd_ctx_now(&req->ctx), duty = 0;
	const char *format = dd_req_query(req, "format");
	const char *at_text = dd_req_query(req, "at");
	const char *accept = dd_req_header(req, "Accept");
	int text = 0;
	if (format) {
		if (strcmp(format, "text") == 0)
			text = 1;
		else if (strcmp(format, "json") != 0)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'format' must be json or text");
	} else if (accept && strstr(accept, "text/plain") &&
		   !strstr(accept, "json")) {
		text = 1;
	}
	if (at_text && dd_time_parse_rfc3339(at_text, &at) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'at' must be an RFC 3339 time");
	if (dd_res_query_id(req, "duty_id", &duty) < 0)
		return -1;
	if (dd_phone_route_at(&req->ctx, at, duty, &r, &err) < 0)
		return dd_res_err(req, &err);
	if (text) {
		char *body =
			r.dial ? dd_arena_printf(&req->arena, "%s\n", r.number)
			       : dd_arena_strdup(&req->arena, "voicemail\n");
		dd_resp_text(req, 200, "text/plain; charset=utf-8",
			     body ? body : "voicemail\n");
		return 0;
	}
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "action", r.dial ? "dial" : "voicemail");
	if (r.dial)
		dd_json_kstr(j, "number", r.number);
	dd_json_key(j, "person");
	if (r.person_id) {
		dd_json_obj_begin(j);
		dd_json_kint(j, "id", r.person_id);
		dd_json_kstr(j, "login", r.login);
		dd_json_kstr(j, "name", r.name);
		dd_json_obj_end(j);
	} else {
		dd_json_null(j);
	}
	if (r.duty_id) {
		dd_json_kint(j, "duty_id", r.duty_id);
		dd_json_kstr(j, "duty", r.duty);
	} else {
		dd_json_knull(j, "duty_id");
		dd_json_knull(j, "duty");
	}
	if (r.dial)
		dd_json_ktime(j, "until", r.until);
	else
		dd_json_knull(j, "until");
	dd_json_kstr(j, "reason", r.reason);
	dd_json_ktime(j, "at", at);
	dd_json_obj_end(j);
	return 0;
}
