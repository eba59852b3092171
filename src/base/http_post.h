/*
 * http_post.h - one HTTP/1.1 POST over plain TCP with nothing but libc:
 * what `dutydesk mailgate` needs to hand a message to a dutydesk on
 * http:// (loopback, the usual set-up), without loading libcurl and its
 * thirty libraries into a process an MTA starts for every message.
 * https:// is not spoken here (the mailgate uses libcurl for it).
 *
 * The request carries Content-Length and "Connection: close"; the answer
 * is read to the end of the connection (chunked bodies are decoded).
 * The whole exchange is bounded by one deadline.
 */
#ifndef DD_BASE_HTTP_POST_H
#define DD_BASE_HTTP_POST_H

#include <stddef.h>

#include "base/buf.h"

/* Nonzero when url starts with "http://" (any case). */
int dd_http_post_plain(const char *url);

/*
 * POST len bytes of body to url (http://HOST[:PORT][/PATH][?QUERY]; HOST
 * a name, an IPv4 address or [IPv6]) with headers (full "Name: value"
 * lines, NULL-ended; Host, Content-Length and Connection are added) and
 * at most timeout_s seconds for everything. Returns 0 with *status and
 * the answer's body in answer (cut at its maximum), or -1 with a
 * one-line reason in why: a bad URL, no address, refused, timed out, not
 * an HTTP answer.
 */
int dd_http_post(const char *url, const char *const *headers, const void *body,
		 size_t len, int timeout_s, long *status, struct dd_buf *answer,
		 char *why, size_t why_cap);

#endif
