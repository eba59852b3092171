/*
 * http_sink.h - a real HTTP receiver on loopback for tests of webhooks:
 * a thread that accepts connections, reads each request (headers and a
 * Content-Length body), keeps it, and answers with 200 or with a status
 * the test asked for. Used by unit and API tests alike.
 */
#ifndef DD_TESTS_SUPPORT_HTTP_SINK_H
#define DD_TESTS_SUPPORT_HTTP_SINK_H

#include <stddef.h>

struct ut_http_sink;

/* Start listening on 127.0.0.1 at a free port (in *port). 0 or -1. */
int ut_http_sink_start(struct ut_http_sink **out, int *port);
/* Stop the thread, close the socket, free everything. */
void ut_http_sink_stop(struct ut_http_sink *sink);

/* Answer the next n requests with status (e.g. 500) instead of 200. */
void ut_http_sink_fail_next(struct ut_http_sink *sink, int n, int status);

/* Requests received so far, and those answered with 2xx. */
int ut_http_sink_requests(struct ut_http_sink *sink);
int ut_http_sink_accepted(struct ut_http_sink *sink);

/* Wait until at least n requests were answered with 2xx, at most
 * timeout_ms. 0 when reached, -1 on time-out. */
int ut_http_sink_wait(struct ut_http_sink *sink, int n, int timeout_ms);

/* A malloc'd copy of request i's body (NUL-terminated) and of its request
 * line and headers; NULL when there is no such request. */
char *ut_http_sink_body(struct ut_http_sink *sink, int i);
char *ut_http_sink_head(struct ut_http_sink *sink, int i);

#endif
