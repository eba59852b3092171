#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "people/person.h"
#include "people/session.h"

static void write_session(struct dd_request *req, int64_t person_id,
			  const char *csrf, int64_t expires_at)
{
	struct dd_person p;
	struct dd_err err;
	struct dd_json_out *j = dd_resp_json(req, req->status);
	dd_json_obj_begin(j);
	if (dd_person_get(&req->ctx, person_id, &p, &err) == 0) {
		dd_json_key(j, "person");
		dd_person_to_json(&p, j);
	}
	dd_json_kstr(j, "csrf_token", csrf);
	if (expires_at)
		dd_json_ktime(j, "expires_at", expires_at);
	dd_json_obj_end(j);
}

int dd_res_session_create(struct dd_request *req)
{
	static const char *const fields[] = {"login", "password", NULL};
	const char *login, *password;
	struct dd_err err;
	struct dd_session_new s;
	json_t *body = dd_req_json(req);
	dd_err_clear(&err);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "login", 1, DD_LIMIT_LOGIN, &login, NULL,
			   &err) < 0 ||
	    dd_json_in_str(body, "password", 1, DD_LIMIT_PASSWORD_MAX,
			   &password, NULL, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_session_signin(&req->ctx, login, password, req->address, &s,
			      &err) < 0)
		return dd_res_err(req, &err);
	char cookie[160];
	/* Secure is left to the reverse proxy's scheme: dutydesk itself
	 * listens on plain HTTP on loopback (docs/operations.md). */
	snprintf(cookie, sizeof(cookie),
		 "dd_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d",
		 s.cookie, DD_LIMIT_SESSION_TTL_S);
	dd_resp_header(req, MHD_HTTP_HEADER_SET_COOKIE, cookie);
	req->status = 201;
	write_session(req, s.person_id, s.csrf, s.expires_at);
	return 0;
}

int dd_res_session_get(struct dd_request *req)
{
	req->status = 200;
	write_session(req, req->who.person_id,
		      req->who.session_id ? req->who.csrf : NULL, 0);
	return 0;
}

int dd_res_session_delete(struct dd_request *req)
{
	struct dd_err err;
	if (req->who.session_id == 0)
		return dd_req_fail(req, 400, DD_PROBLEM_BAD_REQUEST,
				   "a token is not a session: revoke it "
				   "instead");
	if (dd_session_signout(&req->ctx, req->who.session_id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_header(
		req, MHD_HTTP_HEADER_SET_COOKIE,
		"dd_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_me_password(struct dd_request *req)
{
	static const char *const fields[] = {"current_password", "new_password",
					     NULL};
	const char *current, *next;
	struct dd_err err;
	int64_t id = 0;
	json_t *body = dd_req_json(req);
	dd_err_clear(&err);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "current_password", 1, DD_LIMIT_PASSWORD_MAX,
			   &current, NULL, &err) < 0 ||
	    dd_json_in_str(body, "new_password", 1, DD_LIMIT_PASSWORD_MAX,
			   &next, NULL, &err) < 0)
		return dd_res_err(req, &err);
	/* Guessing the current password through a stolen session is
	 * throttled like signing in. */
	char key[48];
	snprintf(key, sizeof(key), "passwd:%lld",
		 (long long)req->who.person_id);
	if (dd_session_throttle_check(&req->ctx, key, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_person_authenticate(&req->ctx, req->who.login, current, &id,
				   &err) < 0 ||
	    id != req->who.person_id) {
		if (err.status >= 500)
			return dd_res_err(req, &err);
		if (dd_session_throttle_fail(&req->ctx, key, &err) < 0)
			return dd_res_err(req, &err);
		return dd_req_fail(req, 403, DD_PROBLEM_FORBIDDEN,
				   "the current password is wrong");
	}
	if (dd_person_set_password(&req->ctx, &req->actor, id, next,
				   req->who.session_id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}
