/*
 * problem.h - RFC 9457 problem details: application/problem+json bodies
 * with a stable type URI ("urn:dutydesk:problem:SLUG"), the status's
 * title, the status, a human detail and the request path as instance.
 */
#ifndef DD_HTTP_PROBLEM_H
#define DD_HTTP_PROBLEM_H

#include "base/buf.h"
#include "base/err.h"

#define DD_PROBLEM_URI_PREFIX "urn:dutydesk:problem:"

/* The reason phrase of an HTTP status ("Not Found"). */
const char *dd_http_status_title(int status);

/* Write the problem body for err into out. */
void dd_problem_write(struct dd_buf *out, const struct dd_err *err,
		      const char *instance);

#endif
