#include "http/live.h"

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "store/event.h"
#include "store/store.h"

/* Streams one server keeps open: each holds a connection of the
 * connection limit. */
#define STREAMS_MAX 256
/* Bytes waiting for one slow stream; past this it is told to reload. */
#define STREAM_BUFFER 32768
/* How long the watcher waits for a notification (PostgreSQL) or sleeps
 * between looks at the change counter (SQLite). */
#define WAIT_PG_MS     1000
#define WAIT_SQLITE_MS 250
/* A comment line this often keeps proxies from closing idle streams. */
#define PING_MS (20 * 1000)
/* New events sent per look; more means a bulk change: "resync". */
#define EVENTS_PER_LOOK 100
/* Ids below the highest sent that are looked at again, for events whose
 * transactions committed after a later id's. */
#define LATE_WINDOW 200

struct dd_live_stream {
	struct dd_live *live;
	struct MHD_Connection *conn;
	struct dd_live_stream *next;
	char buf[STREAM_BUFFER];
	size_t len;
	int suspended;
	int closed;
	int overflowed;
};

static void stream_put(struct dd_live_stream *s, const char *text, size_t n)
{
	if (s->overflowed)
		return;
	if (s->len + n > sizeof(s->buf)) {
		static const char resync[] = "event: resync\ndata: {}\n\n";
		/* Too far behind: drop what waits and tell it to reload. */
		memcpy(s->buf, resync, sizeof(resync) - 1);
		s->len = sizeof(resync) - 1;
		s->overflowed = 1;
		return;
	}
	memcpy(s->buf + s->len, text, n);
	s->len += n;
}

static void wake(struct dd_live_stream *s)
{
	if (s->suspended) {
		s->suspended = 0;
		MHD_resume_connection(s->conn);
	}
}

static void broadcast(struct dd_live *live, const char *text, size_t n)
{
	pthread_mutex_lock(&live->lock);
	for (struct dd_live_stream *s = live->streams; s; s = s->next) {
		stream_put(s, text, n);
		wake(s);
	}
	pthread_mutex_unlock(&live->lock);
}

static ssize_t read_stream(void *cls, uint64_t pos, char *out, size_t max)
{
	struct dd_live_stream *s = cls;
	struct dd_live *live = s->live;
	ssize_t n = 0;
	(void)pos;
	pthread_mutex_lock(&live->lock);
	if (s->len > 0) {
		size_t take = s->len < max ? s->len : max;
		memcpy(out, s->buf, take);
		memmove(s->buf, s->buf + take, s->len - take);
		s->len -= take;
		if (s->len == 0)
			s->overflowed = 0;
		n = (ssize_t)take;
	} else if (s->closed) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		/* Nothing to send: leave the event loop until the watcher
		 * has something (wake). */
		s->suspended = 1;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&live->lock);
	return n;
}

static void free_stream(void *cls)
{
	struct dd_live_stream *s = cls;
	struct dd_live *live = s->live;
	pthread_mutex_lock(&live->lock);
	for (struct dd_live_stream **p = &live->streams; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			live->stream_count--;
			break;
		}
	pthread_mutex_unlock(&live->lock);
	free(s);
}

struct MHD_Response *dd_live_response(struct dd_live *live,
				      struct MHD_Connection *conn)
{
	struct dd_live_stream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->live = live;
	s->conn = conn;
	pthread_mutex_lock(&live->lock);
	if (live->closing || live->stream_count >= STREAMS_MAX) {
		pthread_mutex_unlock(&live->lock);
		free(s);
		return NULL;
	}
	char hello[128];
	int n = snprintf(hello, sizeof(hello),
			 "retry: 3000\nevent: hello\ndata: {\"version\":%lld}"
			 "\n\n",
			 (long long)live->version);
	stream_put(s, hello, (size_t)n);
	s->next = live->streams;
	live->streams = s;
	live->stream_count++;
	pthread_mutex_unlock(&live->lock);
	struct MHD_Response *r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 4096, read_stream, s, free_stream);
	if (!r)
		free_stream(s);
	return r;
}

int dd_live_count(struct dd_live *live)
{
	pthread_mutex_lock(&live->lock);
	int n = live->stream_count;
	pthread_mutex_unlock(&live->lock);
	return n;
}

static int seen_before(struct dd_live *live, int64_t id)
{
	for (int i = 0; i < DD_LIVE_SEEN; i++)
		if (live->seen[i] == id)
			return 1;
	return 0;
}

/* Send the events committed since the last look. */
static void send_new_events(struct dd_live *live)
{
	struct dd_err err;
	struct dd_rows *rows = NULL;
	int64_t from = live->max_event_id - LATE_WINDOW;
	if (from < live->start_event_id)
		from = live->start_event_id;
	if (dd_store_query(live->store,
			   "SELECT id, at, action, object_type, object_id "
			   "FROM events WHERE id > $1 ORDER BY id LIMIT $2",
			   (struct dd_param[]){
				   DD_P_INT(from > 0 ? from : 0),
				   DD_P_INT(LATE_WINDOW + EVENTS_PER_LOOK)},
			   2, &rows, &err) < 0) {
		dd_log_write(live->log, DD_LOG_WARN, DD_SUB_HTTP,
			     "live updates cannot read events", "detail=\"%s\"",
			     err.msg);
		return;
	}
	char text[512];
	int sent = 0, rc;
	while ((rc = dd_rows_next(rows, &err)) == 1) {
		int64_t id = dd_rows_int(rows, 0);
		if (seen_before(live, id))
			continue;
		if (sent == EVENTS_PER_LOOK) {
			static const char resync[] =
				"event: resync\ndata: {}\n\n";
			broadcast(live, resync, sizeof(resync) - 1);
			live->max_event_id = id; /* skip the rest */
			break;
		}
		const char *type = dd_rows_text(rows, 3);
		const char *action = dd_rows_text(rows, 2);
		/* Actions and object types are our own identifiers
		 * ("ticket.update"): no JSON escaping needed. */
		int n = snprintf(
			text, sizeof(text),
			"id: %lld\nevent: change\ndata: {\"id\":%lld,"
			"\"at\":%lld,\"action\":\"%s\",\"object_type\":"
			"\"%s\",\"object_id\":%lld}\n\n",
			(long long)id, (long long)id,
			(long long)dd_rows_int(rows, 1), action ? action : "",
			type ? type : "", (long long)dd_rows_int(rows, 4));
		if (n > 0 && (size_t)n < sizeof(text))
			broadcast(live, text, (size_t)n);
		live->seen[live->seen_next] = id;
		live->seen_next = (live->seen_next + 1) % DD_LIVE_SEEN;
		if (id > live->max_event_id)
			live->max_event_id = id;
		sent++;
	}
	dd_rows_free(rows);
}

static void *watch(void *arg)
{
	struct dd_live *live = arg;
	int wait_ms = dd_store_kind(live->store) == DD_STORE_PG
			      ? WAIT_PG_MS
			      : WAIT_SQLITE_MS;
	for (;;) {
		pthread_mutex_lock(&live->lock);
		int stop = live->stop;
		pthread_mutex_unlock(&live->lock);
		if (stop)
			break;
		struct dd_err err;
		dd_err_clear(&err);
		if (dd_store_wait_change(live->store, wait_ms, &err) < 0) {
			dd_log_write(live->log, DD_LOG_WARN, DD_SUB_HTTP,
				     "live updates lost the database",
				     "detail=\"%s\"", err.msg);
			/* Changes may pass unheard now: what the caches
			 * hold must not outlive a second of that. */
			atomic_fetch_add(&live->generation, 1);
			struct timespec ts = {1, 0};
			nanosleep(&ts, NULL);
			continue;
		}
		int64_t version = 0;
		if (dd_change_version(live->store, &version, &err) == 0 &&
		    version != live->version) {
			live->version = version;
			atomic_fetch_add(&live->generation, 1);
			send_new_events(live);
		}
		int64_t now = dd_monotonic_ms();
		if (now - live->last_ping_ms >= PING_MS) {
			live->last_ping_ms = now;
			broadcast(live, ": ping\n\n", 8);
		}
	}
	return NULL;
}

int dd_live_start(struct dd_live *live, const struct dd_config *config,
		  struct dd_log *log, struct dd_err *err)
{
	memset(live, 0, sizeof(*live));
	live->log = log;
	if (dd_store_open(config->db_url, &live->store, err) < 0)
		return -1;
	int64_t max_id = 0;
	if (dd_change_version(live->store, &live->version, err) < 0 ||
	    dd_store_query_int(live->store, "SELECT MAX(id) FROM events", NULL,
			       0, &max_id, err) < 0) {
		dd_store_close(live->store);
		return -1;
	}
	live->max_event_id = max_id;
	live->start_event_id = max_id;
	live->last_ping_ms = dd_monotonic_ms();
	pthread_mutex_init(&live->lock, NULL);
	if (pthread_create(&live->thread, NULL, watch, live) != 0) {
		pthread_mutex_destroy(&live->lock);
		dd_store_close(live->store);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "cannot start the live-update thread");
	}
	live->started = 1;
	return 0;
}

void dd_live_close_all(struct dd_live *live)
{
	if (!live->started)
		return;
	pthread_mutex_lock(&live->lock);
	live->closing = 1;
	for (struct dd_live_stream *s = live->streams; s; s = s->next) {
		s->closed = 1;
		wake(s);
	}
	pthread_mutex_unlock(&live->lock);
}

void dd_live_stop(struct dd_live *live)
{
	if (!live->started)
		return;
	pthread_mutex_lock(&live->lock);
	live->stop = 1;
	pthread_mutex_unlock(&live->lock);
	pthread_join(live->thread, NULL);
	dd_store_close(live->store);
	pthread_mutex_destroy(&live->lock);
	live->started = 0;
}
