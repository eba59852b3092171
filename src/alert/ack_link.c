#include "alert/ack_link.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* 128 bits of signature: forging one is out of reach. */
#define SIG_HEX 32

const char *dd_ack_action_name(enum dd_ack_action a)
{
	return a == DD_ACK_RESOLVE ? "resolve"
	       : a == DD_ACK_READY ? "ready"
				   : "ack";
}

void dd_ack_token_format(const unsigned char key[DD_SERVER_KEY_BYTES],
			 const struct dd_ack_token *t, char *out, size_t cap)
{
	char sig[SIG_HEX + 1];
	int n = snprintf(out, cap,
			 "a1.%" PRId64 ".%s.%" PRId64 ".%" PRId64 ".%s",
			 t->object_id, dd_ack_action_name(t->action),
			 t->person_id, t->expires_s, t->nonce);
	if (n < 0 || (size_t)n + SIG_HEX + 2 > cap) {
		if (cap)
			out[0] = '\0';
		return;
	}
	dd_server_key_sign(key, out, (size_t)n, sig, SIG_HEX);
	snprintf(out + n, cap - (size_t)n, ".%s", sig);
}

/* A decimal field of 1 to 19 digits ending at '.'; advances *p. */
static int field(const char **p, int64_t *v)
{
	const char *s = *p;
	int64_t x = 0;
	int n = 0;
	while (*s >= '0' && *s <= '9' && n < 19) {
		x = x * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n == 0 || *s != '.' || (n > 1 && (*p)[0] == '0'))
		return -1;
	*v = x;
	*p = s + 1;
	return 0;
}

int dd_ack_token_parse(const unsigned char key[DD_SERVER_KEY_BYTES],
		       const char *text, struct dd_ack_token *t)
{
	const char *p = text;
	memset(t, 0, sizeof(*t));
	if (!text || strlen(text) >= DD_ACK_TOKEN_MAX ||
	    strncmp(p, "a1.", 3) != 0)
		return -1;
	p += 3;
	if (field(&p, &t->object_id) < 0 || t->object_id <= 0)
		return -1;
	if (strncmp(p, "ack.", 4) == 0) {
		t->action = DD_ACK_ACKNOWLEDGE;
		p += 4;
	} else if (strncmp(p, "resolve.", 8) == 0) {
		t->action = DD_ACK_RESOLVE;
		p += 8;
	} else if (strncmp(p, "ready.", 6) == 0) {
		t->action = DD_ACK_READY;
		p += 6;
	} else {
		return -1;
	}
	if (field(&p, &t->person_id) < 0 || field(&p, &t->expires_s) < 0)
		return -1;
	for (int i = 0; i < 16; i++) {
		char c = p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		t->nonce[i] = c;
	}
	t->nonce[16] = '\0';
	if (p[16] != '.')
		return -1;
	const char *sig = p + 17;
	if (strlen(sig) != SIG_HEX ||
	    strspn(sig, "0123456789abcdef") != SIG_HEX)
		return -1;
	if (!dd_server_key_check(key, text, (size_t)(sig - 1 - text), sig))
		return -1;
	return 0;
}

int dd_ack_link_new(struct dd_ctx *ctx, int64_t object_id,
		    enum dd_ack_action action, int64_t person_id, int64_t now,
		    char *out, size_t cap, struct dd_err *err)
{
	unsigned char key[DD_SERVER_KEY_BYTES], nonce[8];
	struct dd_ack_token t = {
		.object_id = object_id,
		.action = action,
		.person_id = person_id,
		.expires_s = (now + DD_ACK_LINK_TTL_MS) / 1000,
	};
	if (dd_server_key(ctx->store, "alert.ack", key, err) < 0)
		return -1;
	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2hex(t.nonce, sizeof(t.nonce), nonce, sizeof(nonce));
	dd_ack_token_format(key, &t, out, cap);
	sodium_memzero(key, sizeof(key));
	if (!out[0])
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "no room for a link");
	return 0;
}

int dd_ack_link_check(struct dd_ctx *ctx, const char *text, int64_t now,
		      struct dd_ack_token *t, struct dd_err *err)
{
	unsigned char key[DD_SERVER_KEY_BYTES];
	if (dd_server_key(ctx->store, "alert.ack", key, err) < 0)
		return -1;
	int rc = dd_ack_token_parse(key, text, t);
	sodium_memzero(key, sizeof(key));
	if (rc < 0)
		return dd_err_set(err, 403, DD_PROBLEM_FORBIDDEN,
				  "this is not a valid dutydesk link");
	/* Genuine but too old: 410, so a person (and a monitoring
	 * integration) can tell "sign in instead" from "not ours". */
	if (now / 1000 >= t->expires_s)
		return dd_err_set(err, 410, DD_PROBLEM_GONE,
				  "this link has expired: sign in to "
				  "dutydesk to act on the alert");
	return 0;
}

int dd_ack_link_used(struct dd_ctx *ctx, const struct dd_ack_token *t,
		     struct dd_err *err)
{
	int64_t n = 0;
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM alert_link_uses WHERE "
			       "nonce = $1",
			       (struct dd_param[]){DD_P_TEXT(t->nonce)}, 1, &n,
			       err) < 0)
		return -1;
	return n > 0;
}

int dd_ack_link_use(struct dd_ctx *ctx, const struct dd_ack_token *t,
		    int64_t now, struct dd_err *err)
{
	int used = dd_ack_link_used(ctx, t, err);
	if (used < 0)
		return -1;
	if (used == 0) {
		struct dd_param p[] = {
			DD_P_TEXT(t->nonce),
			DD_P_INT(t->object_id),
			DD_P_TEXT(dd_ack_action_name(t->action)),
			t->person_id ? DD_P_INT(t->person_id) : DD_P_NULL,
			DD_P_INT(now),
		};
		if (dd_store_exec(ctx->store,
				  "INSERT INTO alert_link_uses (nonce, "
				  "object_id, action, person_id, used_at) "
				  "VALUES ($1, $2, $3, $4, $5)",
				  p, 5, err) >= 0)
			return 0;
		if (err->status != 409)
			return -1;
	}
	return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			  "this link was used already: it works once");
}
