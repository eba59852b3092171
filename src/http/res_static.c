/*
 * res_static.c - the built web UI: "/" answers index.html and
 * "/assets/{file}" the hashed scripts, styles and images Vite writes,
 * from the web root (serve --web-root, default web/dist).
 *
 * index.html is revalidated on every load (Cache-Control: no-cache, with
 * an ETag so that the answer is usually an empty 304); assets carry a
 * content hash in their names and are cached for a year. HTML gets a
 * Content-Security-Policy that lets the page load its own scripts,
 * styles and API answers and nothing else: no inline scripts, no other
 * origins, no framing. The pages are public; the data behind them needs
 * a session.
 */
#include <stdio.h>
#include <string.h>

#include "http/resources.h"
#include "http/static_file.h"

#define UI_CSP                                                                 \
	"default-src 'self'; script-src 'self'; style-src 'self'; "            \
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "        \
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
#define CACHE_REVALIDATE "no-cache"
#define CACHE_IMMUTABLE	 "public, max-age=31536000, immutable"

/* Nonzero when If-None-Match names etag (or is "*"). */
static int not_modified(struct dd_request *req, const char *etag)
{
	const char *inm = dd_req_header(req, "If-None-Match");
	if (!inm)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	/* A list of tags, possibly weak ("W/..."): compare weakly, as
	 * RFC 9110 asks for If-None-Match. Our tags hold no commas or
	 * quotes inside, so finding one in the list is a match. */
	return strstr(inm, etag) != NULL;
}

static int serve_file(struct dd_request *req, const char *dir, const char *name,
		      const char *cache_control)
{
	struct dd_static_file info;
	struct dd_err err;
	char etag[64];
	dd_err_clear(&err);
	dd_buf_reset(&req->out);
	if (dd_static_read(dir, name, DD_LIMIT_STATIC_FILE, &req->out, &info,
			   &err) < 0) {
		dd_buf_reset(&req->out);
		return dd_res_err(req, &err);
	}
	const char *type = dd_static_content_type(name);
	dd_static_etag(&info, etag, sizeof(etag));
	dd_resp_header(req, "ETag", etag);
	req->cache_control = cache_control;
	if (strncmp(type, "text/html", 9) == 0)
		req->csp = UI_CSP;
	if (not_modified(req, etag)) {
		dd_resp_empty(req, 304);
		return 0;
	}
	req->status = 200;
	req->content_type = type;
	return 0;
}

int dd_res_ui_index(struct dd_request *req)
{
	const char *root = req->ctx.config->web_root;
	if (serve_file(req, root, "index.html", CACHE_REVALIDATE) == 0)
		return 0;
	if (req->err.status == 404)
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "the web UI is not built: no index.html "
				   "in '%.200s' (run 'npm ci && npm run "
				   "build' in web/, or serve --web-root DIR)",
				   root);
	return -1;
}

int dd_res_ui_asset(struct dd_request *req)
{
	const char *name = dd_req_param(req, "file");
	char dir[DD_LIMIT_WEB_ROOT + 16];
	if (!dd_static_name_ok(name))
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "no asset of that name");
	snprintf(dir, sizeof(dir), "%s/assets", req->ctx.config->web_root);
	return serve_file(req, dir, name, CACHE_IMMUTABLE);
}
