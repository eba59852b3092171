/*
 * server.h - the HTTP server: libmicrohttpd with its epoll thread and a
 * pool of worker threads, one database connection per worker.
 *
 * Every request goes the same way: body read up to the limit, route
 * matched (404/405), who is asking resolved (bearer token or session
 * cookie), CSRF checked for cookie-authenticated writes, the route's
 * access demanded, the handler run, the response or problem sent, one
 * access-log line written.
 */
#ifndef DD_HTTP_SERVER_H
#define DD_HTTP_SERVER_H

#include "base/ctx.h"
#include "base/tz.h"
#include "http/acceptor.h"
#include "http/live.h"
#include "http/ticket_cache.h"
#include "people/auth_cache.h"
#include "store/pool.h"

struct MHD_Daemon;

struct dd_server {
	const struct dd_config *config;
	const struct dd_clock *clock;
	struct dd_log *log;
	struct dd_store_pool pool;
	struct dd_tz_cache tz_cache;
	struct dd_oncall_cache *oncall_cache;
	struct dd_auth_cache auth_cache;     /* follows live.generation */
	struct dd_ticket_cache ticket_cache; /* follows live.generation */
	struct MHD_Daemon *daemon;
	struct dd_acceptor acceptor; /* hands connections to daemon */
	struct dd_live live;	     /* server-sent event streams */
	_Atomic int in_flight;	/* requests between first byte and response */
	_Atomic int access_log; /* nonzero: one line per request */
	/* Rung after a request commits an outbox row (store/store.h
	 * dd_store_set_wakeup); set before dd_server_start, may be NULL. */
	const struct dd_wakeup *outbox_wake;
};

/* Open the database pool and start listening. Returns 0, or -1 with err
 * filled (nothing left running). */
int dd_server_start(struct dd_server *srv, const struct dd_config *config,
		    const struct dd_clock *clock, struct dd_log *log,
		    struct dd_err *err);

/* Stop accepting new connections; requests in flight go on. */
void dd_server_quiesce(struct dd_server *srv);
/* Wait until no request is in flight, at most grace_ms. 0 when idle. */
int dd_server_wait_idle(struct dd_server *srv, int grace_ms);
/* Stop the threads, close connections and the database pool. */
void dd_server_stop(struct dd_server *srv);

#endif
