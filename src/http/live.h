/*
 * live.h - live updates for browsers: server-sent events at
 * GET /api/v1/live. One thread per server watches for committed changes
 * (PostgreSQL LISTEN/NOTIFY, so a change made through any instance
 * reaches the browsers of every instance; on SQLite the change counter,
 * four times a second) and sends each new event's reference (id, action,
 * object) to every open stream. Streams carry no object data: a browser
 * fetches what changed with its own permissions.
 *
 * A stream is a libmicrohttpd response whose reader suspends the
 * connection while there is nothing to send and is resumed by the
 * watcher, so an idle stream costs no thread and no polling.
 */
#ifndef DD_HTTP_LIVE_H
#define DD_HTTP_LIVE_H

#include <pthread.h>
#include <stdint.h>

#include "base/ctx.h"

struct MHD_Connection;
struct MHD_Response;
struct dd_live_stream;

/* Events remembered to spot one committed late with a lower id. */
#define DD_LIVE_SEEN 512

struct dd_live {
	pthread_mutex_t lock;
	pthread_t thread;
	int started, stop, closing;
	struct dd_live_stream *streams;
	int stream_count;
	struct dd_store *store; /* the watcher's own connection */
	struct dd_log *log;
	int64_t version;	/* change counter last seen */
	int64_t max_event_id;	/* highest event id sent */
	int64_t start_event_id; /* highest at start: older ones are history */
	int64_t seen[DD_LIVE_SEEN]; /* ids sent lately (a ring) */
	int seen_next;
	int64_t last_ping_ms;
	/* Bumped (atomically, no lock) each time the watcher sees the change
	 * counter move: what was read from the database before may be
	 * stale (people/auth_cache.h). */
	_Atomic int64_t generation;
};

/* Start the watcher with its own connection to config->db_url. 0, or -1
 * with err filled. */
int dd_live_start(struct dd_live *live, const struct dd_config *config,
		  struct dd_log *log, struct dd_err *err);
/* End every stream (at shutdown, before waiting for requests). */
void dd_live_close_all(struct dd_live *live);
/* Stop the watcher; every stream must have ended. */
void dd_live_stop(struct dd_live *live);

/* A response streaming to conn, or NULL when too many streams are open
 * (the caller answers 503). */
struct MHD_Response *dd_live_response(struct dd_live *live,
				      struct MHD_Connection *conn);

/* Streams open now. */
int dd_live_count(struct dd_live *live);

#endif
