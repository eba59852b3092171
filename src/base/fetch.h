/*
 * fetch.h - GET a document from an http or https URL with libcurl, with
 * a size and a time limit: the one way dutydesk reads from a URL a person
 * gave it (holiday calendars today).
 *
 * Only http and https are spoken, also after a redirect (at most 5), so
 * a URL cannot reach file:// or other protocols. Safe to call from any
 * thread; libcurl is initialised once on first use.
 */
#ifndef DD_BASE_FETCH_H
#define DD_BASE_FETCH_H

#include "base/buf.h"
#include "base/err.h"

/* Nonzero when url starts with http:// or https:// (any case). */
int dd_fetch_url_allowed(const char *url);

/*
 * GET url into out, which must be empty; out's maximum size is the most
 * the body may have. The answer must be a 2xx. Gives up after timeout_ms.
 * Returns 0, or -1 with a 400 (bad-request) whose message starts with
 * "cannot fetch" and says why: not an http(s) URL, the name did not
 * resolve, the connection failed or timed out, the server answered with
 * an error status, the body was larger than the limit.
 */
int dd_fetch_url(const char *url, long timeout_ms, struct dd_buf *out,
		 struct dd_err *err);

#endif
