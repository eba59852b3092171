#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/timefmt.h"
#include "http/resources.h"
#include "store/event.h"

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int event_one(const struct dd_event *ev, void *arg)
{
	struct list_state *st = arg;
	struct dd_json_out *j = st->j;
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", ev->id);
	dd_json_ktime(j, "at", ev->at);
	dd_json_kid(j, "actor_id", ev->actor_id);
	dd_json_kstr(j, "actor", ev->actor);
	dd_json_kstr(j, "action", ev->action);
	dd_json_kstr(j, "object_type", ev->object_type);
	dd_json_kid(j, "object_id", ev->object_id);
	/* Snapshots were written by the JSON emitter: emit as they are. */
	dd_json_key(j, "before");
	dd_json_raw(j, ev->before_json);
	dd_json_key(j, "after");
	dd_json_raw(j, ev->after_json);
	dd_json_obj_end(j);
	st->count++;
	st->last_id = ev->id;
	return 0;
}

static int time_arg(struct dd_request *req, const char *name, int64_t *ms)
{
	const char *v = dd_req_query(req, name);
	*ms = 0;
	if (!v)
		return 0;
	if (dd_time_parse_rfc3339(v, ms) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'%s' is not an RFC 3339 time like "
				   "2026-11-27T08:00:00Z",
				   name);
	return 0;
}

int dd_res_events_list(struct dd_request *req)
{
	struct dd_event_filter f = {0};
	struct dd_err err;
	int64_t cursor;
	dd_err_clear(&err);
	if (dd_req_paging(req, &f.limit, &cursor) < 0 ||
	    time_arg(req, "since", &f.since_ms) < 0 ||
	    time_arg(req, "until", &f.until_ms) < 0)
		return -1;
	f.before_id = cursor;
	f.object_type = dd_req_query(req, "object_type");
	if (f.object_type && dd_text_check("object_type", f.object_type, 1, 40,
					   DD_TEXT_SINGLE_LINE, &err) < 0)
		return dd_res_err(req, &err);
	const char *oid = dd_req_query(req, "object_id");
	if (oid) {
		char *end;
		errno = 0;
		long long v = strtoll(oid, &end, 10);
		/* ERANGE: a number past int64 must not turn into its
		 * maximum. */
		if (!*oid || *end || v < 1 || errno == ERANGE)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'object_id' must be a positive "
					   "number");
		f.object_id = v;
	}
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_event_list(req->ctx.store, &f, event_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, f.limit, st.last_id);
	return 0;
}
