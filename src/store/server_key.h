/*
 * server_key.h - secret keys shared by every instance of one installation,
 * kept in the database (so several dutydesk processes on one PostgreSQL
 * sign and check alike) and created on first use.
 *
 * Uses: the HMAC in our outgoing Message-IDs (a reply's In-Reply-To can be
 * trusted to name its ticket), signed one-click acknowledgement links.
 * A key per purpose, so a value signed for one use is never valid for
 * another.
 */
#ifndef DD_STORE_SERVER_KEY_H
#define DD_STORE_SERVER_KEY_H

#include <stddef.h>

#include "base/err.h"
#include "store/store.h"

#define DD_SERVER_KEY_BYTES 32

/*
 * The key for purpose ("mail.message-id", "alert.ack", ...), created with
 * fresh randomness the first time it is asked for. Safe to call inside or
 * outside a transaction; two processes racing to create it agree on one.
 * Returns 0 or -1 with err filled.
 */
int dd_server_key(struct dd_store *store, const char *purpose,
		  unsigned char key[DD_SERVER_KEY_BYTES], struct dd_err *err);

/*
 * HMAC-SHA-256 of msg under key, as lower-case hex truncated to hex_len
 * characters (at most 64); out must hold hex_len + 1 bytes.
 */
void dd_server_key_sign(const unsigned char key[DD_SERVER_KEY_BYTES],
			const char *msg, size_t msg_len, char *out,
			size_t hex_len);

/* Nonzero when hex (NUL-terminated) equals the first strlen(hex) digits
 * of the signature of msg, compared in constant time; hexes shorter than
 * 16 digits never match. */
int dd_server_key_check(const unsigned char key[DD_SERVER_KEY_BYTES],
			const char *msg, size_t msg_len, const char *hex);

#endif
