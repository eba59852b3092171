/*
 * res_alerts.c - priority-1 alerts: list, raise (a P1 ticket from an
 * integration such as monitoring), read with the page log, acknowledge,
 * resolve; and the on-demand runs of the escalation and the hourly
 * reminder that the jobs do by themselves (alert/alert.h).
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "alert/alert.h"
#include "alert/reminder.h"
#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "ticket/ticket.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int alert_one(const struct dd_alert *a, void *arg)
{
	struct list_state *st = arg;
	dd_alert_to_json(a, st->j);
	st->count++;
	st->last_id = a->id;
	return 0;
}

int dd_res_alerts_list(struct dd_request *req)
{
	struct dd_alert_filter f = {0};
	struct dd_err err;
	const char *state = dd_req_query(req, "state");
	if (dd_req_paging(req, &f.limit, &f.before_id) < 0)
		return -1;
	if (state && strcmp(state, "triggered") != 0 &&
	    strcmp(state, "acknowledged") != 0 &&
	    strcmp(state, "resolved") != 0 && strcmp(state, "open") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'state' must be triggered, acknowledged, "
				   "resolved or open");
	f.state = state;
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_alert_list(&req->ctx, &f, alert_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, f.limit, st.last_id);
	return 0;
}

static int page_one(const struct dd_alert_page *p, void *arg)
{
	dd_alert_page_to_json(p, arg);
	return 0;
}

/* The alert with its page log. */
static int send_alert(struct dd_request *req, int status,
		      const struct dd_alert *a)
{
	struct dd_err err;
	struct dd_json_out *j = dd_resp_json(req, status);
	dd_json_obj_begin(j);
	dd_json_key(j, "alert");
	dd_alert_to_json(a, j);
	dd_json_key(j, "pages");
	dd_json_arr_begin(j);
	if (dd_alert_pages(&req->ctx, a->id, page_one, j, &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_alerts_create(struct dd_request *req)
{
	static const char *const fields[] = {"subject", "organisation_id",
					     "queue_id", NULL};
	struct dd_ticket_input in = {.priority = 1, .channel = "api"};
	struct dd_ticket t;
	struct dd_alert a;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "subject", 1, DD_TICKET_SUBJECT_MAX,
			   &in.subject, NULL, &err) < 0 ||
	    dd_res_read_id(body, "organisation_id", 0, &in.organisation_id,
			   &err) < 0 ||
	    dd_res_read_id(body, "queue_id", 0, &in.queue_id, &err) < 0)
		return dd_res_err(req, &err);
	in.organisation_set = in.organisation_id != 0;
	in.queue_set = in.queue_id != 0;
	if (dd_ticket_create(&req->ctx, &req->actor, &in, &t, &err) < 0)
		return dd_res_err(req, &err);
	int found = dd_alert_of_ticket(&req->ctx, t.id, &a, &err);
	if (found < 0)
		return dd_res_err(req, &err);
	if (found == 0)
		/* An assignment rule lowered the priority: a ticket, no
		 * alert. */
		return dd_req_fail(req, 409, DD_PROBLEM_CONFLICT,
				   "ticket %lld was made, but an assignment "
				   "rule gave it priority %d: no alert",
				   (long long)t.number, t.priority);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/alerts/%lld",
		 (long long)a.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	return send_alert(req, 201, &a);
}

int dd_res_alerts_get(struct dd_request *req)
{
	int64_t id;
	struct dd_alert a;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "alert", &id) < 0)
		return -1;
	if (dd_alert_get(&req->ctx, id, &a, &err) < 0)
		return dd_res_err(req, &err);
	return send_alert(req, 200, &a);
}

static int decide(struct dd_request *req, int resolve)
{
	int64_t id;
	struct dd_alert a;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "alert", &id) < 0 ||
	    dd_res_body_none(req) < 0)
		return -1;
	int rc = resolve ? dd_alert_resolve(&req->ctx, &req->actor, id,
					    req->who.person_id, "api", &a, &err)
			 : dd_alert_acknowledge(&req->ctx, &req->actor, id,
						req->who.person_id, "api", &a,
						&err);
	if (rc < 0)
		return dd_res_err(req, &err);
	return send_alert(req, 200, &a);
}

int dd_res_alerts_acknowledge(struct dd_request *req)
{
	return decide(req, 0);
}

int dd_res_alerts_resolve(struct dd_request *req)
{
	return decide(req, 1);
}

int dd_res_alerts_escalate(struct dd_request *req)
{
	struct dd_err err;
	int fired = 0;
	if (dd_res_body_none(req) < 0)
		return -1;
	if (dd_alert_escalate(&req->ctx, dd_ctx_now(&req->ctx), &fired, &err) <
	    0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kint(j, "steps_fired", fired);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_alerts_remind(struct dd_request *req)
{
	struct dd_err err;
	int listed = 0;
	if (dd_res_body_none(req) < 0)
		return -1;
	if (dd_alert_remind(&req->ctx, dd_ctx_now(&req->ctx), &listed, &err) <
	    0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kint(j, "alerts_listed", listed);
	dd_json_obj_end(j);
	return 0;
}
