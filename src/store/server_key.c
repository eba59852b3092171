#include "store/server_key.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

static int read_key(struct dd_store *store, const char *purpose,
		    unsigned char key[DD_SERVER_KEY_BYTES], struct dd_err *err)
{
	struct dd_rows *rows = NULL;
	if (dd_store_query(
		    store, "SELECT key FROM server_keys WHERE purpose = $1",
		    (struct dd_param[]){DD_P_TEXT(purpose)}, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc == 1) {
		size_t len = 0;
		const void *data = dd_rows_blob(rows, 0, &len);
		if (len != DD_SERVER_KEY_BYTES) {
			dd_rows_free(rows);
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "server key '%s' has %zu bytes",
					  purpose, len);
		}
		memcpy(key, data, DD_SERVER_KEY_BYTES);
	}
	dd_rows_free(rows);
	return rc;
}

int dd_server_key(struct dd_store *store, const char *purpose,
		  unsigned char key[DD_SERVER_KEY_BYTES], struct dd_err *err)
{
	int rc = read_key(store, purpose, key, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	/* First use: whoever inserts first wins; everyone then reads the
	 * winner's key, so two instances never sign with different keys. */
	unsigned char fresh[DD_SERVER_KEY_BYTES];
	randombytes_buf(fresh, sizeof(fresh));
	struct dd_param p[] = {
		DD_P_TEXT(purpose),
		DD_P_BLOB(fresh, sizeof(fresh)),
		DD_P_INT((int64_t)time(NULL) * 1000),
	};
	int own = !dd_store_in_transaction(store);
	if (own && dd_store_begin(store, err) < 0)
		return -1;
	if (dd_store_exec(
		    store,
		    "INSERT INTO server_keys (purpose, key, created_at) "
		    "VALUES ($1, $2, $3) ON CONFLICT (purpose) DO NOTHING",
		    p, 3, err) < 0)
		goto fail;
	if (own && dd_store_commit(store, err) < 0)
		goto fail;
	sodium_memzero(fresh, sizeof(fresh));
	rc = read_key(store, purpose, key, err);
	if (rc == 0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "server key '%s' vanished", purpose);
	return rc < 0 ? -1 : 0;
fail:
	sodium_memzero(fresh, sizeof(fresh));
	if (own)
		dd_store_rollback(store);
	return -1;
}

void dd_server_key_sign(const unsigned char key[DD_SERVER_KEY_BYTES],
			const char *msg, size_t msg_len, char *out,
			size_t hex_len)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, msg_len, key);
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	if (hex_len > 2 * crypto_auth_hmacsha256_BYTES)
		hex_len = 2 * crypto_auth_hmacsha256_BYTES;
	memcpy(out, hex, hex_len);
	out[hex_len] = '\0';
}

int dd_server_key_check(const unsigned char key[DD_SERVER_KEY_BYTES],
			const char *msg, size_t msg_len, const char *hex)
{
	size_t n = strlen(hex);
	if (n < 16 || n > 2 * crypto_auth_hmacsha256_BYTES)
		return 0;
	char expected[2 * crypto_auth_hmacsha256_BYTES + 1];
	dd_server_key_sign(key, msg, msg_len, expected, n);
	return sodium_memcmp(expected, hex, n) == 0;
}
