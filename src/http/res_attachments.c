/*
 * res_attachments.c - files on tickets: upload one as the raw request
 * body, list a ticket's files, download one.
 *
 * A download is sent with the stored Content-Type only when that type is
 * passive (ticket/filename.h), always as an attachment with a sanitised
 * name, and, like every response, with nosniff and a CSP that allows
 * nothing: a file uploaded by anyone never runs as a page of ours.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/resources.h"
#include "ticket/attachment.h"
#include "ticket/filename.h"

int dd_res_attachments_create(struct dd_request *req)
{
	struct dd_attachment a;
	struct dd_err err;
	int64_t id, article_id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0 ||
	    dd_res_query_id(req, "article_id", &article_id) < 0)
		return -1;
	if (req->body_too_large)
		return dd_req_fail(req, 413, DD_PROBLEM_LIMIT,
				   "a file may have at most %zu bytes",
				   dd_attachment_max_bytes(&req->ctx));
	const char *type = dd_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	/* A browser form would send the file wrapped in multipart: storing
	 * the wrapping as the file helps nobody. */
	if (type && strncasecmp(type, "multipart/", 10) == 0)
		return dd_req_fail(req, 415, DD_PROBLEM_UNSUPPORTED_MEDIA,
				   "send the file itself as the body with its "
				   "own Content-Type, not a multipart form");
	char *copy = type ? dd_arena_strdup(&req->arena, type) : NULL;
	if (type && !copy)
		return dd_req_fail(req, 500, DD_PROBLEM_INTERNAL,
				   "out of memory");
	if (dd_attachment_create(&req->ctx, &req->actor, id, article_id,
				 dd_req_query(req, "filename"), copy,
				 req->body.data, req->body.len, &a, &err) < 0)
		return dd_res_err(req, &err);
	char location[48];
	snprintf(location, sizeof(location), "/api/v1/attachments/%lld",
		 (long long)a.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	dd_attachment_to_json(&a, dd_resp_json(req, 201));
	return 0;
}

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int attachment_one(const struct dd_attachment *a, void *arg)
{
	struct list_state *st = arg;
	dd_attachment_to_json(a, st->j);
	st->count++;
	st->last_id = a->id;
	return 0;
}

int dd_res_attachments_list(struct dd_request *req)
{
	struct dd_err err;
	int64_t id, cursor;
	int limit;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0 ||
	    dd_req_paging(req, &limit, &cursor) < 0)
		return -1;
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_attachment_list(&req->ctx, id, cursor, limit, attachment_one,
			       &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, limit, st.last_id);
	return 0;
}

int dd_res_attachments_get(struct dd_request *req)
{
	struct dd_attachment a;
	struct dd_err err;
	struct dd_buf disposition;
	int64_t id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "attachment", &id) < 0)
		return -1;
	/* The bytes go straight into the response body (binary-safe). */
	dd_resp_text(req, 200, NULL, "");
	if (dd_attachment_get(&req->ctx, id, &a, &req->out, &err) < 0)
		return dd_res_err(req, &err);
	req->content_type = dd_arena_strdup(
		&req->arena, dd_media_type_served(a.content_type));
	/* A name of 255 bytes percent-encodes to at most 765, twice. */
	dd_buf_init(&disposition, 4096);
	if (dd_filename_disposition(a.filename, &disposition) < 0) {
		dd_buf_release(&disposition);
		return dd_req_fail(req, 500, DD_PROBLEM_INTERNAL,
				   "the file name of attachment %lld does not "
				   "fit a header",
				   (long long)id);
	}
	dd_resp_header(req, "Content-Disposition", dd_buf_str(&disposition));
	dd_buf_release(&disposition);
	return 0;
}
