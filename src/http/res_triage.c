/*
 * res_triage.c - the head of mailbox's queue (mail/triage.h): the list,
 * one item, and the actions, each one request. Everyone signed in reads
 * the queue; the actions need the triage role (the configured group) or
 * an editor, which the handler checks.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "http/json_in.h"
#include "http/resources.h"
#include "mail/triage.h"
#include "ticket/ticket.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int item_one(const struct dd_triage_item *t, void *arg)
{
	struct list_state *st = arg;
	dd_triage_to_json(t, st->j);
	st->count++;
	st->last_id = t->id;
	return 0;
}

int dd_res_triage_list(struct dd_request *req)
{
	struct dd_err err;
	int64_t cursor;
	int limit;
	dd_err_clear(&err);
	if (dd_req_paging(req, &limit, &cursor) < 0)
		return -1;
	const char *status = dd_req_query(req, "status");
	if (!status)
		status = "open";
	if (strcmp(status, "open") != 0 && strcmp(status, "done") != 0 &&
	    strcmp(status, "all") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'status' must be open, done or all");
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_triage_list(&req->ctx,
			   strcmp(status, "all") == 0 ? NULL : status, cursor,
			   limit, item_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

int dd_res_triage_get(struct dd_request *req)
{
	struct dd_triage_item t;
	struct dd_err err;
	int64_t id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "triage item", &id) < 0)
		return -1;
	if (dd_triage_get(&req->ctx, id, &t, &err) < 0)
		return dd_res_err(req, &err);
	dd_triage_to_json(&t, dd_resp_json(req, 200));
	return 0;
}

/* The item's id, once the signed-in person may act on the queue. */
static int may_act(struct dd_request *req, int64_t *id)
{
	struct dd_err err;
	int allowed = 0;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "triage item", id) < 0)
		return -1;
	if (dd_triage_may_act(&req->ctx, req->who.person_id,
			      req->who.role >= DD_ROLE_EDITOR, &allowed,
			      &err) < 0)
		return dd_res_err(req, &err);
	if (!allowed)
		return dd_req_fail(req, 403, DD_PROBLEM_FORBIDDEN,
				   "sorting the mailbox needs the triage role "
				   "(the group in the mail settings) or an "
				   "editor");
	return 0;
}

int dd_res_triage_create_ticket(struct dd_request *req)
{
	static const char *const fields[] = {"queue_id", "owner_id", "priority",
					     "subject", NULL};
	struct dd_triage_ticket in = {0};
	struct dd_triage_item t;
	struct dd_err err;
	int64_t id;
	long long prio = 0;
	dd_err_clear(&err);
	if (may_act(req, &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_res_read_id(body, "queue_id", 0, &in.queue_id, &err) < 0 ||
	    dd_res_read_id(body, "owner_id", 0, &in.owner_id, &err) < 0 ||
	    dd_json_in_int(body, "priority", 0, 1, 4, &prio, &err) < 0 ||
	    dd_json_in_str(body, "subject", 0, DD_TICKET_SUBJECT_MAX,
			   &in.subject, NULL, &err) < 0)
		return dd_res_err(req, &err);
	in.priority = (int)prio;
	if (dd_triage_create_ticket(&req->ctx, &req->actor, id, &in, &t, &err) <
	    0)
		return dd_res_err(req, &err);
	dd_triage_to_json(&t, dd_resp_json(req, 200));
	return 0;
}

int dd_res_triage_append(struct dd_request *req)
{
	static const char *const fields[] = {"ticket_id", NULL};
	struct dd_triage_item t;
	struct dd_err err;
	int64_t id, ticket_id = 0;
	dd_err_clear(&err);
	if (may_act(req, &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_res_read_id(body, "ticket_id", 1, &ticket_id, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_triage_append(&req->ctx, &req->actor, id, ticket_id, &t, &err) <
	    0)
		return dd_res_err(req, &err);
	dd_triage_to_json(&t, dd_resp_json(req, 200));
	return 0;
}

static void sent_json(struct dd_request *req, const struct dd_triage_item *t,
		      int64_t outbox_id)
{
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kint(j, "outbox_id", outbox_id);
	dd_json_key(j, "item");
	dd_triage_to_json(t, j);
	dd_json_obj_end(j);
}

int dd_res_triage_answer(struct dd_request *req)
{
	static const char *const fields[] = {"body", NULL};
	struct dd_triage_item t;
	struct dd_err err;
	int64_t id, outbox_id = 0;
	dd_err_clear(&err);
	if (may_act(req, &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0)
		return dd_res_err(req, &err);
	json_t *text = json_object_get(body, "body");
	if (!json_is_string(text))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'body' is required (the answer's text)");
	if (dd_triage_answer(&req->ctx, &req->actor, id,
			     json_string_value(text), &outbox_id, &t, &err) < 0)
		return dd_res_err(req, &err);
	sent_json(req, &t, outbox_id);
	return 0;
}

int dd_res_triage_forward(struct dd_request *req)
{
	static const char *const fields[] = {"person_id", "note", NULL};
	struct dd_triage_item t;
	struct dd_err err;
	int64_t id, person = 0, outbox_id = 0;
	dd_err_clear(&err);
	if (may_act(req, &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_res_read_id(body, "person_id", 1, &person, &err) < 0)
		return dd_res_err(req, &err);
	json_t *note = json_object_get(body, "note");
	if (note && !json_is_null(note) && !json_is_string(note))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'note' must be a string");
	if (dd_triage_forward(&req->ctx, &req->actor, id, person,
			      note && json_is_string(note)
				      ? json_string_value(note)
				      : NULL,
			      &outbox_id, &t, &err) < 0)
		return dd_res_err(req, &err);
	sent_json(req, &t, outbox_id);
	return 0;
}
