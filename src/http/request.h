/*
 * request.h - one HTTP request as handlers see it, and the response they
 * build. Handlers never touch libmicrohttpd: they read the method, path
 * parameters, query, headers and JSON body here, and answer with a JSON
 * body (through the one emitter), an empty body, or an error in req->err
 * that the server turns into an RFC 9457 problem.
 *
 * Everything a handler allocates comes from req->arena and is freed when
 * the request ends.
 */
#ifndef DD_HTTP_REQUEST_H
#define DD_HTTP_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/ctx.h"
#include "base/err.h"
#include "base/json_out.h"
#include "people/authz.h"
#include "store/event.h"

enum dd_method {
	DD_GET = 1 << 0,
	DD_HEAD = 1 << 1,
	DD_POST = 1 << 2,
	DD_PUT = 1 << 3,
	DD_PATCH = 1 << 4,
	DD_DELETE = 1 << 5,
	DD_OPTIONS = 1 << 6,
};

#define DD_ROUTE_PARAMS_MAX	4
#define DD_RESPONSE_HEADERS_MAX 8
#define DD_REQUEST_DEFER_MAX	4

struct MHD_Connection;

struct dd_ticket_cache;

struct dd_request {
	struct MHD_Connection *conn; /* private to http/server.c */
	struct dd_ctx ctx;
	struct dd_arena arena;
	/* Tickets read lately: the server's, never NULL (off when its
	 * max_bytes is 0). */
	struct dd_ticket_cache *ticket_cache;
	enum dd_method method;
	const char *method_name;
	const char *path;
	char address[64]; /* client IP address */

	struct dd_buf body;
	int body_too_large;

	struct dd_principal who;
	struct dd_actor actor; /* who, as the event log names them */

	int param_count;
	const char *param_names[DD_ROUTE_PARAMS_MAX];
	const char *param_values[DD_ROUTE_PARAMS_MAX];

	/* The response. */
	int status;
	const char *content_type;
	struct dd_buf out;
	struct dd_json_out json;
	int header_count;
	const char *header_names[DD_RESPONSE_HEADERS_MAX];
	const char *header_values[DD_RESPONSE_HEADERS_MAX];
	/* Content-Security-Policy and Cache-Control of the response; NULL
	 * keeps the API's (nothing allowed, nothing stored). The static UI
	 * sets its own; a problem answer puts the defaults back. Static
	 * strings or the arena's. */
	const char *csp;
	const char *cache_control;
	/* Answer with a live-update stream (http/live.h), not out. */
	int live_stream;
	struct dd_err err;
	int64_t started_ms;

	/* Objects not from the arena, freed when the request ends. */
	int defer_count;
	void (*defer_fn[DD_REQUEST_DEFER_MAX])(void *);
	void *defer_arg[DD_REQUEST_DEFER_MAX];
};

typedef int (*dd_handler)(struct dd_request *req);

/* A path parameter ("{id}") by name, or NULL. */
const char *dd_req_param(struct dd_request *req, const char *name);
/* A path parameter as a positive id: 0, or -1 with a 404 naming what. */
int dd_req_param_id(struct dd_request *req, const char *name, const char *what,
		    int64_t *id);
/* A query argument (decoded) or NULL. */
const char *dd_req_query(struct dd_request *req, const char *name);
/* A request header or NULL. */
const char *dd_req_header(struct dd_request *req, const char *name);

/* ?limit= (default and maximum from limits.h) and ?cursor= (an id).
 * 0, or -1 with a 400. */
int dd_req_paging(struct dd_request *req, int *limit, int64_t *cursor);
/* If-Match: "vN" as N in *version (0 when absent). -1 with 412 for a
 * malformed value. */
int dd_req_if_match(struct dd_request *req, int64_t *version);

/* Nonzero for "application/json" and "application/...+json" media types,
 * with or without parameters. */
int dd_media_type_is_json(const char *type);

/* The body as a JSON object. Refuses a wrong Content-Type (415), an
 * empty or malformed body, invalid UTF-8 or NUL bytes (400), a body over
 * the limit (413) and nesting deeper than DD_LIMIT_JSON_DEPTH. The
 * returned object is freed when the request ends. */
json_t *dd_req_json(struct dd_request *req);

/* Call fn(p) when the request ends. 0, or -1 when too many are held. */
int dd_req_defer(struct dd_request *req, void (*fn)(void *), void *p);

/* Start a JSON response with status; write the body with the returned
 * writer. */
struct dd_json_out *dd_resp_json(struct dd_request *req, int status);
/* An empty response (204, or 201/202 without a body). */
void dd_resp_empty(struct dd_request *req, int status);
/* A plain-text response. */
void dd_resp_text(struct dd_request *req, int status, const char *type,
		  const char *text);
/* Add a response header; name and value are copied to the arena. */
void dd_resp_header(struct dd_request *req, const char *name,
		    const char *value);
/* ETag: "vN". */
void dd_resp_etag(struct dd_request *req, int64_t version);

/* Set req->err and return -1, for "return dd_req_fail(req, 404, ...)". */
int dd_req_fail(struct dd_request *req, int status, const char *type,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Write a list page's closing: the items array must be open; this closes
 * it and writes next_cursor (NULL when last is 0 or the page was not
 * full). */
void dd_resp_list_end(struct dd_request *req, int count, int limit,
		      int64_t last_id);

#endif
