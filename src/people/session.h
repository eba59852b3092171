/*
 * session.h - browser sessions: sign-in, the session cookie, the CSRF
 * token, sign-out, and slowing down repeated failed sign-ins.
 *
 * The cookie holds a 256-bit random secret; the database keeps only its
 * digest. Each session has its own CSRF token, which the browser sends in
 * the X-CSRF-Token header on every unsafe request.
 */
#ifndef DD_PEOPLE_SESSION_H
#define DD_PEOPLE_SESSION_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/secret.h"
#include "people/authz.h"

struct dd_session_new {
	int64_t session_id;
	int64_t person_id;
	char cookie[DD_SECRET_TEXT_LEN]; /* the secret for the cookie */
	char csrf[DD_SECRET_TEXT_LEN];
	int64_t expires_at;
};

/*
 * Check login and password and open a session. address is the client's
 * IP address (for throttling). Failures are counted per login and per
 * address; after DD_LIMIT_SIGNIN_FREE failures in the window, attempts
 * are refused with 429 (err->retry_after set) until a doubling delay has
 * passed. Returns 0, or -1 with 401, 429 or a store error.
 */
int dd_session_signin(struct dd_ctx *ctx, const char *login,
		      const char *password, const char *address,
		      struct dd_session_new *out, struct dd_err *err);

/* Resolve a session cookie into who (all scopes, the session's CSRF).
 * -1 with 401 when unknown, expired, idle too long or the person is
 * inactive. */
int dd_session_authenticate(struct dd_ctx *ctx, const char *cookie,
			    struct dd_principal *who, struct dd_err *err);

/* End a session (idempotent). */
int dd_session_signout(struct dd_ctx *ctx, int64_t session_id,
		       struct dd_err *err);

/* Throttling by a free-form key ("login:NAME", "passwd:ID"): -1 with a
 * 429 (retry_after set) while the key must wait, else 0. */
int dd_session_throttle_check(struct dd_ctx *ctx, const char *key,
			      struct dd_err *err);
/* Count a failure for key in its own transaction. */
int dd_session_throttle_fail(struct dd_ctx *ctx, const char *key,
			     struct dd_err *err);

/* Pure: seconds to wait before the next attempt after failures failures,
 * the last at last_ms, at now_ms; 0 when an attempt may be made now. */
int dd_session_throttle_wait(int64_t failures, int64_t last_ms, int64_t now_ms);
/* The same with free_failures attempts before any wait. */
int dd_session_throttle_wait_after(int64_t failures, int64_t free_failures,
				   int64_t last_ms, int64_t now_ms);

#endif
