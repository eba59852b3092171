/*
 * res_feeds.c - iCalendar feeds: /api/v1/calendar-feeds to make, list
 * and revoke them, and the public /ical/{file} that calendar apps poll
 * (the secret in the file name is the only credential).
 */
#include <string.h>

#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "rota/feed.h"

#define ICAL_SUFFIX ".ics"

static int is_editor(const struct dd_request *req)
{
	return req->who.role >= DD_ROLE_EDITOR;
}

int dd_res_feeds_create(struct dd_request *req)
{
	static const char *const fields[] = {"kind", "id", NULL};
	const char *kind_text;
	long long id;
	enum dd_feed_kind kind;
	char secret[DD_SECRET_TEXT_LEN];
	struct dd_feed f;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "kind", 1, 16, &kind_text, NULL, &err) < 0 ||
	    dd_json_in_int(body, "id", 1, 1, INT64_MAX, &id, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_feed_kind_parse(kind_text, &kind) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'kind' must be \"person\" or \"duty\"");
	/* Anyone may follow their own duties and any duty; following
	 * someone else's days is for editors. */
	if (kind == DD_FEED_PERSON && id != req->who.person_id &&
	    !is_editor(req))
		return dd_req_fail(req, 403, DD_PROBLEM_FORBIDDEN,
				   "a feed of another person's duties needs "
				   "the editor role");
	if (dd_feed_create(&req->ctx, &req->actor, kind, id, req->who.person_id,
			   secret, &f, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 201);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", f.id);
	dd_json_kstr(j, "kind", dd_feed_kind_name(f.kind));
	dd_json_kint(j, "object_id", f.object_id);
	dd_json_kstr(j, "object_name", f.object_name);
	dd_json_kint(j, "owner_id", f.owner_id);
	dd_json_ktime(j, "created_at", f.created_at);
	dd_json_knull(j, "revoked_at");
	dd_json_kstr(
		j, "url",
		dd_arena_printf(&req->arena, "/ical/%s" ICAL_SUFFIX, secret));
	dd_json_obj_end(j);
	return 0;
}

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int list_one(const struct dd_feed *f, void *arg)
{
	struct list_state *st = arg;
	dd_feed_to_json(f, st->j);
	st->count++;
	st->last_id = f->id;
	return 0;
}

int dd_res_feeds_list(struct dd_request *req)
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
	if (dd_feed_list(&req->ctx, req->who.person_id, cursor, limit, list_one,
			 &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

int dd_res_feeds_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_feed f;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "calendar feed", &id) < 0)
		return -1;
	if (dd_feed_get(&req->ctx, id, &f, &err) < 0)
		return dd_res_err(req, &err);
	/* Other people's feeds are not even said to exist. */
	if (f.owner_id != req->who.person_id && !is_editor(req))
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "no calendar feed with id %lld",
				   (long long)id);
	if (dd_feed_revoke(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_ical_get(struct dd_request *req)
{
	const char *file = dd_req_param(req, "file");
	size_t n = file ? strlen(file) : 0, suffix = strlen(ICAL_SUFFIX);
	struct dd_feed f;
	struct dd_buf cal;
	struct dd_err err;
	if (n <= suffix || strcmp(file + n - suffix, ICAL_SUFFIX) != 0)
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "no calendar feed at this address");
	const char *secret = dd_arena_strndup(&req->arena, file, n - suffix);
	if (dd_feed_find(&req->ctx, secret, &f, &err) < 0)
		return dd_res_err(req, &err);
	dd_buf_init(&cal, DD_LIMIT_RESPONSE_BYTES);
	if (dd_feed_render(&req->ctx, &f, &cal, &err) < 0) {
		dd_buf_release(&cal);
		return dd_res_err(req, &err);
	}
	dd_resp_text(req, 200, "text/calendar; charset=utf-8",
		     dd_buf_str(&cal));
	dd_buf_release(&cal);
	return 0;
}
