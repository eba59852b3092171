#include "http/request.h"

#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_in.h"

const char *dd_req_param(struct dd_request *req, const char *name)
{
	for (int i = 0; i < req->param_count; i++)
		if (strcmp(req->param_names[i], name) == 0)
			return req->param_values[i];
	return NULL;
}

/* A positive decimal id without sign, spaces or leading zeros. */
static int parse_id(const char *s, int64_t *id)
{
	if (!s || !*s || *s == '0' || strlen(s) > 18)
		return -1;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
	}
	*id = v;
	return 0;
}

int dd_req_param_id(struct dd_request *req, const char *name, const char *what,
		    int64_t *id)
{
	const char *s = dd_req_param(req, name);
	if (parse_id(s, id) < 0)
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "no %s with id '%.40s'", what, s ? s : "");
	return 0;
}

const char *dd_req_query(struct dd_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *dd_req_header(struct dd_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

int dd_req_paging(struct dd_request *req, int *limit, int64_t *cursor)
{
	const char *l = dd_req_query(req, "limit");
	const char *c = dd_req_query(req, "cursor");
	*limit = DD_LIMIT_PAGE_DEFAULT;
	*cursor = 0;
	if (l) {
		int64_t v;
		if (parse_id(l, &v) < 0 || v > DD_LIMIT_PAGE_MAX)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'limit' must be a number from 1 "
					   "to %d",
					   DD_LIMIT_PAGE_MAX);
		*limit = (int)v;
	}
	if (c && *c && parse_id(c, cursor) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'cursor' is not a cursor this server gave "
				   "out");
	return 0;
}

int dd_req_if_match(struct dd_request *req, int64_t *version)
{
	const char *h = dd_req_header(req, MHD_HTTP_HEADER_IF_MATCH);
	*version = 0;
	if (!h)
		return 0;
	const char *p = h;
	if (strncmp(p, "W/", 2) == 0)
		p += 2;
	int64_t v;
	char inner[24];
	size_t n = strlen(p);
	if (n < 4 || n > 22 || p[0] != '"' || p[1] != 'v' || p[n - 1] != '"')
		goto bad;
	memcpy(inner, p + 2, n - 3);
	inner[n - 3] = '\0';
	if (parse_id(inner, &v) < 0)
		goto bad;
	*version = v;
	return 0;
bad:
	return dd_req_fail(req, 412, DD_PROBLEM_PRECONDITION,
			   "If-Match '%.30s' is not an ETag this server gave "
			   "out",
			   h);
}

static void free_json(void *p)
{
	json_decref(p);
}

int dd_media_type_is_json(const char *type)
{
	/* The media type ends at ';' (parameters such as charset) or
	 * white space. */
	size_t n = strcspn(type, "; \t");
	if (n == 16 && strncasecmp(type, "application/json", 16) == 0)
		return 1;
	const char *slash = memchr(type, '/', n);
	return slash && n >= 5 && strncasecmp(type + n - 5, "+json", 5) == 0 &&
	       strncasecmp(type, "application/", 12) == 0;
}

json_t *dd_req_json(struct dd_request *req)
{
	const char *type = dd_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (req->body_too_large) {
		dd_req_fail(
			req, 413, DD_PROBLEM_LIMIT,
			"request body is larger than the limit of %zu bytes",
			req->ctx.config->max_body);
		return NULL;
	}
	if (!type || !dd_media_type_is_json(type)) {
		dd_req_fail(req, 415, DD_PROBLEM_UNSUPPORTED_MEDIA,
			    "send the body as Content-Type: application/json");
		return NULL;
	}
	if (req->body.len == 0) {
		dd_req_fail(req, 400, DD_PROBLEM_INVALID_JSON,
			    "the request body is empty; a JSON object is "
			    "expected");
		return NULL;
	}
	json_error_t jerr;
	json_t *root = json_loadb(req->body.data, req->body.len,
				  JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		dd_req_fail(req, 400, DD_PROBLEM_INVALID_JSON,
			    "body is not valid JSON: %s (line %d, column %d)",
			    jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	if (dd_req_defer(req, free_json, root) < 0) {
		json_decref(root);
		dd_req_fail(req, 500, DD_PROBLEM_INTERNAL,
			    "too many objects held by one request");
		return NULL;
	}
	if (!json_is_object(root)) {
		dd_req_fail(req, 400, DD_PROBLEM_INVALID_JSON,
			    "the body must be a JSON object");
		return NULL;
	}
	if (dd_json_in_depth(root) > DD_LIMIT_JSON_DEPTH) {
		dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
			    "the body nests deeper than the limit of %d",
			    DD_LIMIT_JSON_DEPTH);
		return NULL;
	}
	return root;
}

struct dd_json_out *dd_resp_json(struct dd_request *req, int status)
{
	req->status = status;
	req->content_type = "application/json";
	dd_buf_reset(&req->out);
	dd_json_out_init(&req->json, &req->out);
	return &req->json;
}

void dd_resp_empty(struct dd_request *req, int status)
{
	req->status = status;
	req->content_type = NULL;
	dd_buf_reset(&req->out);
}

void dd_resp_text(struct dd_request *req, int status, const char *type,
		  const char *text)
{
	req->status = status;
	req->content_type = type;
	dd_buf_reset(&req->out);
	dd_buf_puts(&req->out, text);
}

void dd_resp_header(struct dd_request *req, const char *name, const char *value)
{
	if (req->header_count >= DD_RESPONSE_HEADERS_MAX)
		return;
	req->header_names[req->header_count] =
		dd_arena_strdup(&req->arena, name);
	req->header_values[req->header_count] =
		dd_arena_strdup(&req->arena, value);
	req->header_count++;
}

void dd_resp_etag(struct dd_request *req, int64_t version)
{
	char tag[32];
	snprintf(tag, sizeof(tag), "\"v%lld\"", (long long)version);
	dd_resp_header(req, MHD_HTTP_HEADER_ETAG, tag);
}

int dd_req_fail(struct dd_request *req, int status, const char *type,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dd_err_setv(&req->err, status, type, fmt, ap);
	va_end(ap);
	return -1;
}

int dd_req_defer(struct dd_request *req, void (*fn)(void *), void *p)
{
	if (req->defer_count >= DD_REQUEST_DEFER_MAX)
		return -1;
	req->defer_fn[req->defer_count] = fn;
	req->defer_arg[req->defer_count] = p;
	req->defer_count++;
	return 0;
}

void dd_resp_list_end(struct dd_request *req, int count, int limit,
		      int64_t last_id)
{
	struct dd_json_out *j = &req->json;
	dd_json_arr_end(j);
	if (count == limit && last_id > 0) {
		char cursor[24];
		snprintf(cursor, sizeof(cursor), "%lld", (long long)last_id);
		dd_json_kstr(j, "next_cursor", cursor);
	} else {
		dd_json_knull(j, "next_cursor");
	}
	dd_json_obj_end(j);
}
