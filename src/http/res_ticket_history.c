/*
 * res_ticket_history.c - a ticket's history from the event log, oldest
 * first, with what changed in each event worked out from its snapshots.
 */
#include <string.h>

#include "http/resources.h"
#include "http/ticket_diff.h"
#include "ticket/history.h"

/* Bookkeeping that changes with every change. */
static const char *const ignored[] = {"id", "version", "updated_at", NULL};

struct history_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static void change_one(const char *field, json_t *before, json_t *after,
		       void *arg)
{
	struct dd_json_out *j = arg;
	dd_json_obj_begin(j);
	dd_json_kstr(j, "field", field);
	dd_json_key(j, "before");
	dd_json_out_jansson(j, before);
	dd_json_key(j, "after");
	dd_json_out_jansson(j, after);
	dd_json_obj_end(j);
}

/* Events that record a thing added to the ticket carry that thing, not
 * the ticket: they are shown as it, under this member. */
static const char *added_member(const char *action)
{
	if (strcmp(action, "ticket.article") == 0)
		return "article";
	if (strcmp(action, "ticket.attachment") == 0)
		return "attachment";
	return NULL;
}

static json_t *parse(const char *text)
{
	return text ? json_loads(text, 0, NULL) : NULL;
}

static int event_one(const struct dd_event *ev, void *arg)
{
	struct history_state *st = arg;
	struct dd_json_out *j = st->j;
	const char *added = added_member(ev->action);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", ev->id);
	dd_json_ktime(j, "at", ev->at);
	dd_json_kid(j, "actor_id", ev->actor_id);
	dd_json_kstr(j, "actor", ev->actor);
	dd_json_kstr(j, "action", ev->action);
	dd_json_key(j, "changes");
	dd_json_arr_begin(j);
	if (!added) {
		json_t *before = parse(ev->before_json),
		       *after = parse(ev->after_json);
		dd_json_diff(before, after, ignored, change_one, j);
		json_decref(before);
		json_decref(after);
	}
	dd_json_arr_end(j);
	if (added) {
		/* Written by the emitter: sent as it is. */
		dd_json_key(j, added);
		dd_json_raw(j, ev->after_json);
	}
	dd_json_obj_end(j);
	st->count++;
	st->last_id = ev->id;
	return 0;
}

int dd_res_tickets_history(struct dd_request *req)
{
	struct dd_err err;
	int64_t id, cursor;
	int limit;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0 ||
	    dd_req_paging(req, &limit, &cursor) < 0)
		return -1;
	struct history_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_ticket_history(&req->ctx, id, cursor, limit, event_one, &st,
			      &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}
