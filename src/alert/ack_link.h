/*
 * ack_link.h - signed one-click links in pages: acknowledge or resolve
 * one alert, or confirm readiness for one shift, as the person the
 * message went to, without signing in, and nothing else.
 *
 * A token is "a1.OBJECT.ACTION.PERSON.EXPIRES.NONCE.SIG": the alert id
 * ("ack", "resolve") or shift notice id ("ready"), the action, the
 * person it was sent to, the expiry (seconds
 * since the epoch), 16 random hex digits, and 32 hex digits of
 * HMAC-SHA-256 over everything before them under the server key
 * "alert.ack" (store/server_key.h), so a token for one alert or action
 * cannot be turned into another. A link works once: its nonce is
 * recorded when used, and a second use is refused.
 */
#ifndef DD_ALERT_ACK_LINK_H
#define DD_ALERT_ACK_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "base/ctx.h"
#include "store/server_key.h"

/* A page is answered within the day; after that a link in an old mail
 * or chat message should not act on an old alert. */
#define DD_ACK_LINK_TTL_MS (24 * 3600 * 1000LL)
/* The longest token: numbers at their widest. */
#define DD_ACK_TOKEN_MAX 160

enum dd_ack_action { DD_ACK_ACKNOWLEDGE, DD_ACK_RESOLVE, DD_ACK_READY };

struct dd_ack_token {
	int64_t object_id; /* alert, or shift notice for READY */
	enum dd_ack_action action;
	int64_t person_id;
	int64_t expires_s;
	char nonce[17];
};

/* "ack", "resolve" or "ready". */
const char *dd_ack_action_name(enum dd_ack_action a);

/* Format and sign t into out (cap >= DD_ACK_TOKEN_MAX). Pure. */
void dd_ack_token_format(const unsigned char key[DD_SERVER_KEY_BYTES],
			 const struct dd_ack_token *t, char *out, size_t cap);
/* Parse and check the signature of text: 0 with *t filled, -1 when it is
 * malformed or its signature does not match (expiry is the caller's).
 * Pure. */
int dd_ack_token_parse(const unsigned char key[DD_SERVER_KEY_BYTES],
		       const char *text, struct dd_ack_token *t);

/* A new link's token for object_id/action/person, expiring
 * DD_ACK_LINK_TTL_MS after now, with a fresh nonce. 0 or -1. */
int dd_ack_link_new(struct dd_ctx *ctx, int64_t object_id,
		    enum dd_ack_action action, int64_t person_id, int64_t now,
		    char *out, size_t cap, struct dd_err *err);

/* Check text against the key and the clock: 0 with *t filled; -1 with
 * 403 (not a valid link) or 410 (expired) in err. */
int dd_ack_link_check(struct dd_ctx *ctx, const char *text, int64_t now,
		      struct dd_ack_token *t, struct dd_err *err);

/* Inside a transaction: record the use of t; 409 when it was used. */
int dd_ack_link_use(struct dd_ctx *ctx, const struct dd_ack_token *t,
		    int64_t now, struct dd_err *err);

/* Whether t was used: 1 yes, 0 no, -1 error. */
int dd_ack_link_used(struct dd_ctx *ctx, const struct dd_ack_token *t,
		     struct dd_err *err);

#endif
