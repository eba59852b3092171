#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/secret.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/router.h"
#include "people/session.h"
#include "people/token.h"
#include "rota/oncall.h"

#define SESSION_COOKIE "dd_session"
/* Seconds an idle keep-alive connection is kept. */
#define CONNECTION_TIMEOUT_S 60

static void client_address(struct MHD_Connection *conn, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, cap, "-");
	if (!info || !info->client_addr)
		return;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)cap);
}

/* The last hop of X-Forwarded-For: the address the trusted proxy saw. */
static void forwarded_address(struct MHD_Connection *conn, char *out,
			      size_t cap)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						      "X-Forwarded-For");
	if (!xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t n = strcspn(last, " ");
	unsigned char probe[sizeof(struct in6_addr)];
	char text[64];
	if (n == 0 || n >= sizeof(text))
		return;
	memcpy(text, last, n);
	text[n] = '\0';
	if (inet_pton(AF_INET, text, probe) == 1 ||
	    inet_pton(AF_INET6, text, probe) == 1)
		snprintf(out, cap, "%s", text);
}

static struct dd_request *request_new(struct dd_server *srv,
				      struct MHD_Connection *conn,
				      const char *method, const char *url)
{
	struct dd_request *req = calloc(1, sizeof(*req));
	if (!req)
		return NULL;
	req->conn = conn;
	dd_arena_init(&req->arena, DD_LIMIT_ARENA_BYTES);
	req->ctx.config = srv->config;
	req->ctx.clock = srv->clock;
	req->ctx.log = srv->log;
	req->ctx.arena = &req->arena;
	req->ctx.tz_cache = &srv->tz_cache;
	req->ctx.oncall_cache = srv->oncall_cache;
	req->ctx.auth_cache = &srv->auth_cache;
	req->ticket_cache = &srv->ticket_cache;
	req->method_name = dd_arena_strdup(&req->arena, method);
	req->path = dd_arena_strdup(&req->arena, url);
	if (dd_method_parse(method, &req->method) < 0)
		req->method = 0;
	dd_buf_init(&req->body, srv->config->max_body);
	dd_buf_init(&req->out, DD_LIMIT_RESPONSE_BYTES);
	req->started_ms = dd_monotonic_ms();
	req->status = 500;
	client_address(conn, req->address, sizeof(req->address));
	if (srv->config->trust_proxy)
		forwarded_address(conn, req->address, sizeof(req->address));
	return req;
}

static void request_free(struct dd_request *req)
{
	for (int i = 0; i < req->defer_count; i++)
		req->defer_fn[i](req->defer_arg[i]);
	dd_buf_release(&req->body);
	dd_buf_release(&req->out);
	dd_arena_release(&req->arena);
	free(req);
}

/* The path as logs and problem bodies may show it: a calendar feed's
 * path is its secret, so is a one-click link's. */
static const char *public_path(const char *path)
{
	if (strncmp(path, "/api/v1/ack/", 12) == 0)
		return "/api/v1/ack/[secret]";
	return strncmp(path, "/ical/", 6) == 0 ? "/ical/[secret]" : path;
}

/* Turn req->err into the response. */
static void set_problem(struct dd_request *req)
{
	if (!dd_err_is_set(&req->err))
		dd_err_set(&req->err, 500, DD_PROBLEM_INTERNAL,
			   "the handler failed without saying why");
	req->status = req->err.status;
	req->content_type = "application/problem+json";
	req->csp = NULL;
	req->cache_control = NULL;
	dd_buf_reset(&req->out);
	dd_problem_write(&req->out, &req->err, public_path(req->path));
	if (req->status == 401)
		dd_resp_header(req, "WWW-Authenticate",
			       "Bearer realm=\"dutydesk\"");
	if (req->err.retry_after > 0) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%d", req->err.retry_after);
		dd_resp_header(req, "Retry-After", secs);
	}
}

/* Who is asking, from a bearer token or the session cookie. Returns 0
 * (possibly anonymous) or -1 with req->err set for credentials that were
 * presented but are not valid. */
static int resolve_principal(struct dd_request *req)
{
	const char *auth = dd_req_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return dd_req_fail(req, 401, DD_PROBLEM_UNAUTHENTICATED,
					   "only 'Authorization: Bearer "
					   "TOKEN' is accepted");
		const char *token = auth + 7;
		while (*token == ' ')
			token++;
		return dd_token_authenticate(&req->ctx, token, &req->who,
					     &req->err);
	}
	const char *cookie = MHD_lookup_connection_value(
		req->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (cookie && *cookie)
		return dd_session_authenticate(&req->ctx, cookie, &req->who,
					       &req->err);
	return 0;
}

static int check_csrf(struct dd_request *req, const struct dd_route *route)
{
	if (!dd_method_unsafe(req->method) || req->who.session_id == 0 ||
	    (route->flags & DD_ROUTE_NO_CSRF))
		return 0;
	const char *sent = dd_req_header(req, "X-CSRF-Token");
	size_t n = strlen(req->who.csrf);
	if (!sent || strlen(sent) != n ||
	    dd_secret_equal(sent, req->who.csrf, n) != 0)
		return dd_req_fail(req, 403, DD_PROBLEM_CSRF,
				   "send the session's CSRF token in the "
				   "X-CSRF-Token header");
	return 0;
}

static void allow_header(struct dd_request *req, unsigned allowed)
{
	char text[80] = "";
	size_t len = 0;
	for (unsigned bit = 1; bit <= DD_OPTIONS; bit <<= 1) {
		if (!(allowed & bit))
			continue;
		int n = snprintf(text + len, sizeof(text) - len, "%s%s",
				 len ? ", " : "", dd_method_name(bit));
		if (n > 0 && (size_t)n < sizeof(text) - len)
			len += (size_t)n;
	}
	dd_resp_header(req, MHD_HTTP_HEADER_ALLOW, text);
}

/* Query arguments must be text: libmicrohttpd decodes "%00" into a NUL
 * that would silently cut the value short for every handler. */
static enum MHD_Result check_argument(void *cls, enum MHD_ValueKind kind,
				      const char *key, size_t key_size,
				      const char *value, size_t value_size)
{
	int *bad = cls;
	if ((key && strlen(key) != key_size) ||
	    (value && strlen(value) != value_size)) {
		*bad = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

static int dispatch(struct dd_server *srv, struct dd_request *req)
{
	unsigned allowed = 0;
	int bad_argument = 0;
	if (!req->method)
		return dd_req_fail(req, 405, DD_PROBLEM_METHOD,
				   "method '%.20s' is not supported",
				   req->method_name);
	MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND,
				    check_argument, &bad_argument);
	if (bad_argument)
		return dd_req_fail(req, 400, DD_PROBLEM_BAD_REQUEST,
				   "a query argument contains a NUL byte");
	const struct dd_route *route =
		dd_router_match(dd_routes, dd_route_count, req->method,
				req->path, req, &allowed);
	if (!route) {
		if (allowed) {
			allow_header(req, allowed);
			return dd_req_fail(req, 405, DD_PROBLEM_METHOD,
					   "%s is not allowed on '%.200s'",
					   req->method_name, req->path);
		}
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "no resource at '%.200s'", req->path);
	}
	int public_route = route->access.min_role == DD_ROLE_NONE &&
			   route->access.scope == 0;
	if (!public_route || (route->flags & DD_ROUTE_OPTIONAL_AUTH)) {
		if (resolve_principal(req) < 0) {
			if (!public_route || req->err.status != 401)
				return -1;
			/* A public route answers even with stale
			 * credentials: signing in must work with an old
			 * cookie. */
			memset(&req->who, 0, sizeof(req->who));
			dd_err_clear(&req->err);
		}
	}
	if (check_csrf(req, route) < 0)
		return -1;
	if (dd_authz_check(&req->who, &route->access,
			   dd_method_unsafe(req->method), &req->err) < 0)
		return -1;
	req->actor.person_id = req->who.person_id;
	req->actor.label =
		req->who.token_id
			? dd_arena_printf(&req->arena, "%s (token %lld)",
					  req->who.login,
					  (long long)req->who.token_id)
			: dd_arena_strdup(&req->arena, req->who.login);
	(void)srv;
	return route->handler(req);
}

static enum MHD_Result send_response(struct dd_request *req);

/* A live-update stream, or a 503 problem when none can be opened. */
static enum MHD_Result send_stream(struct dd_server *srv,
				   struct dd_request *req)
{
	struct MHD_Response *resp = dd_live_response(&srv->live, req->conn);
	if (!resp) {
		req->live_stream = 0;
		dd_err_set(&req->err, 503, DD_PROBLEM_UNAVAILABLE,
			   "too many live-update streams are open, or the "
			   "server is stopping");
		set_problem(req);
		dd_resp_header(req, "Retry-After", "10");
		return send_response(req);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/event-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* nginx would otherwise hold events back in its buffer. */
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	enum MHD_Result rc = MHD_queue_response(req->conn, 200, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result send_response(struct dd_request *req)
{
	size_t len = 0;
	char *data = dd_buf_detach(&req->out, &len);
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		len, data ? data : (char *)"",
		data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	if (req->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					req->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				req->cache_control ? req->cache_control
						   : "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy",
				req->csp ? req->csp
					 : "default-src 'none'; "
					   "frame-ancestors 'none'");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	for (int i = 0; i < req->header_count; i++)
		MHD_add_response_header(resp, req->header_names[i],
					req->header_values[i]);
	enum MHD_Result rc =
		MHD_queue_response(req->conn, (unsigned)req->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static void handle(struct dd_server *srv, struct dd_request *req)
{
	req->ctx.store = dd_store_pool_get(&srv->pool);
	dd_err_clear(&req->err);
	if (dispatch(srv, req) < 0 || req->out.overflow) {
		if (req->out.overflow && !dd_err_is_set(&req->err))
			dd_err_set(&req->err, 500, DD_PROBLEM_LIMIT,
				   "the response grew past its limit");
		set_problem(req);
	}
	dd_store_pool_put(&srv->pool, req->ctx.store);
	req->ctx.store = NULL;
	/* A write may have revoked, signed out or changed a role: what this
	 * process cached of credentials goes at once, before the response,
	 * not when the watcher hears of the commit. */
	if (req->method && dd_method_unsafe(req->method))
		atomic_fetch_add(&srv->live.generation, 1);
	if (req->err.status >= 500)
		dd_log_write(srv->log, DD_LOG_ERROR, DD_SUB_HTTP,
			     "request failed", "status=%d path=%s", req->status,
			     public_path(req->path));
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn,
				      const char *url, const char *method,
				      const char *version,
				      const char *upload_data,
				      size_t *upload_data_size, void **con_cls)
{
	struct dd_server *srv = cls;
	struct dd_request *req = *con_cls;
	if (!req) {
		req = request_new(srv, conn, method, url);
		if (!req)
			return MHD_NO;
		*con_cls = req;
		srv->in_flight++;
		/* A route that takes whole mail messages reads more. */
		unsigned allowed = 0;
		const struct dd_route *route =
			dd_router_match(dd_routes, dd_route_count, req->method,
					req->path, req, &allowed);
		if (route && (route->flags & DD_ROUTE_MAIL_BODY) &&
		    req->body.max < DD_LIMIT_MAIL_BYTES_MAX)
			dd_buf_init(&req->body, DD_LIMIT_MAIL_BYTES_MAX);
		/* Refuse a declared oversized body before reading it. */
		const char *cl = MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > req->body.max) {
			dd_err_set(&req->err, 413, DD_PROBLEM_LIMIT,
				   "request body is larger than the limit of "
				   "%zu bytes",
				   req->body.max);
			set_problem(req);
			return send_response(req);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!req->body_too_large &&
		    dd_buf_append(&req->body, upload_data, *upload_data_size) <
			    0)
			req->body_too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->status != 500 || dd_err_is_set(&req->err))
		return MHD_YES; /* already answered */
	if (req->body_too_large) {
		dd_err_set(&req->err, 413, DD_PROBLEM_LIMIT,
			   "request body is larger than the limit of %zu bytes",
			   req->body.max);
		set_problem(req);
	} else {
		handle(srv, req);
		if (req->live_stream && !dd_err_is_set(&req->err))
			return send_stream(srv, req);
	}
	return send_response(req);
}

static void request_completed(void *cls, struct MHD_Connection *conn,
			      void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct dd_server *srv = cls;
	struct dd_request *req = *con_cls;
	if (!req)
		return;
	if (srv->access_log) {
		char path[300], who[80];
		int64_t ms = dd_monotonic_ms() - req->started_ms;
		dd_log_write(
			srv->log, DD_LOG_INFO, DD_SUB_HTTP, "request",
			"method=%s path=%s status=%d ms=%lld addr=%s "
			"who=%s%s",
			req->method_name,
			dd_log_quote(path, sizeof(path),
				     public_path(req->path)),
			req->status, (long long)ms, req->address,
			dd_log_quote(who, sizeof(who),
				     req->who.login[0] ? req->who.login : "-"),
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
				? ""
				: " aborted=1");
	}
	request_free(req);
	*con_cls = NULL;
	srv->in_flight--;
}

int dd_server_start(struct dd_server *srv, const struct dd_config *config,
		    const struct dd_clock *clock, struct dd_log *log,
		    struct dd_err *err)
{
	srv->config = config;
	srv->clock = clock;
	srv->log = log;
	srv->in_flight = 0;
	srv->daemon = NULL;
	if (dd_store_pool_open(&srv->pool, config->db_url, config->threads,
			       err) < 0)
		return -1;
	for (int i = 0; i < srv->pool.size; i++)
		dd_store_set_wakeup(srv->pool.all[i], srv->outbox_wake);
	dd_tz_cache_init(&srv->tz_cache);
	srv->oncall_cache = dd_oncall_cache_new();
	dd_auth_cache_init(&srv->auth_cache, &srv->live.generation);
	size_t cache_bytes =
		config->cache_mb > 0 ? (size_t)config->cache_mb << 20 : 0;
	if (dd_ticket_cache_init(&srv->ticket_cache, &srv->live.generation,
				 cache_bytes) < 0) {
		dd_store_pool_close(&srv->pool);
		dd_tz_cache_release(&srv->tz_cache);
		dd_oncall_cache_free(srv->oncall_cache);
		dd_auth_cache_release(&srv->auth_cache);
		dd_ticket_cache_release(&srv->ticket_cache);
		return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				  "no memory for a ticket cache of %d MiB",
				  config->cache_mb);
	}
	if (dd_live_start(&srv->live, config, log, err) < 0) {
		dd_store_pool_close(&srv->pool);
		dd_tz_cache_release(&srv->tz_cache);
		dd_oncall_cache_free(srv->oncall_cache);
		dd_auth_cache_release(&srv->auth_cache);
		dd_ticket_cache_release(&srv->ticket_cache);
		return -1;
	}

	if (dd_acceptor_listen(&srv->acceptor, config->listen_host,
			       config->listen_port, err) < 0)
		goto fail;
	/* The acceptor hands connections over (http/acceptor.h says why);
	 * MHD_USE_ITC wakes the worker that gets one. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ITC | MHD_USE_TURBO |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET;
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, access_handler, srv,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)config->threads,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, srv,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)DD_LIMIT_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)(DD_LIMIT_HEADER_BYTES * 2), MHD_OPTION_END);
	if (!srv->daemon) {
		dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
			   "cannot start the HTTP threads");
		goto fail;
	}
	if (dd_acceptor_start(&srv->acceptor, srv->daemon, log, err) < 0)
		goto fail;
	return 0;
fail:
	dd_server_stop(srv);
	return -1;
}

void dd_server_quiesce(struct dd_server *srv)
{
	/* Streams never end by themselves: end them so that waiting for
	 * requests in flight can finish. */
	dd_live_close_all(&srv->live);
	dd_acceptor_stop(&srv->acceptor);
}

int dd_server_wait_idle(struct dd_server *srv, int grace_ms)
{
	int64_t until = dd_monotonic_ms() + grace_ms;
	while (srv->in_flight > 0) {
		if (dd_monotonic_ms() >= until)
			return -1;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return 0;
}

void dd_server_stop(struct dd_server *srv)
{
	dd_live_close_all(&srv->live);
	dd_acceptor_stop(&srv->acceptor);
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	dd_live_stop(&srv->live);
	dd_store_pool_close(&srv->pool);
	dd_tz_cache_release(&srv->tz_cache);
	dd_oncall_cache_free(srv->oncall_cache);
	dd_auth_cache_release(&srv->auth_cache);
	dd_ticket_cache_release(&srv->ticket_cache);
	srv->oncall_cache = NULL;
}
