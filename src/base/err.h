/*
 * err.h - the error that library code fills for its caller.
 *
 * Library functions return 0 on success or a negative value on failure and,
 * on failure, fill a caller-supplied struct dd_err. The HTTP layer turns it
 * into an RFC 9457 problem body; the CLI prints its message. Only main and
 * start-up code may exit.
 */
#ifndef DD_BASE_ERR_H
#define DD_BASE_ERR_H

#include <stdarg.h>

/* Stable problem slugs. The problem type URI is "urn:dutydesk:problem:SLUG". */
#define DD_PROBLEM_BAD_REQUEST	     "bad-request"
#define DD_PROBLEM_INVALID_JSON	     "invalid-json"
#define DD_PROBLEM_VALIDATION	     "validation-failed"
#define DD_PROBLEM_LIMIT	     "limit-exceeded"
#define DD_PROBLEM_UNAUTHENTICATED   "unauthenticated"
#define DD_PROBLEM_FORBIDDEN	     "forbidden"
#define DD_PROBLEM_CSRF		     "csrf-token-missing"
#define DD_PROBLEM_NOT_FOUND	     "not-found"
#define DD_PROBLEM_METHOD	     "method-not-allowed"
#define DD_PROBLEM_CONFLICT	     "conflict"
#define DD_PROBLEM_GONE		     "gone"
#define DD_PROBLEM_PRECONDITION	     "precondition-failed"
#define DD_PROBLEM_TOO_MANY	     "too-many-requests"
#define DD_PROBLEM_UNSUPPORTED_MEDIA "unsupported-media-type"
#define DD_PROBLEM_STORE	     "store-failure"
#define DD_PROBLEM_INTERNAL	     "internal-error"
#define DD_PROBLEM_UNAVAILABLE	     "service-unavailable"

#define DD_ERR_MSG_MAX 300

struct dd_err {
	int status; /* HTTP status that fits the failure, 500 if unknown */
	const char *type; /* one of the DD_PROBLEM_* slugs (static storage) */
	char msg[DD_ERR_MSG_MAX];
	/* Seconds a client should wait before retrying, 0 if not applicable. */
	int retry_after;
};

/* Clear an error to "no error". */
void dd_err_clear(struct dd_err *err);

/*
 * Fill err (if not NULL) and return -1, so that callers can write
 * "return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND, "no person %lld", id);".
 */
int dd_err_set(struct dd_err *err, int status, const char *type,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int dd_err_setv(struct dd_err *err, int status, const char *type,
		const char *fmt, va_list ap);

/* Nonzero when err holds an error. */
int dd_err_is_set(const struct dd_err *err);

#endif
