#include "base/secret.h"

#include <sodium.h>
#include <string.h>

int dd_secret_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void dd_secret_random(char out[DD_SECRET_TEXT_LEN])
{
	unsigned char raw[DD_SECRET_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, DD_SECRET_TEXT_LEN, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void dd_secret_digest(const char *text, char out[DD_SECRET_DIGEST_LEN])
{
	unsigned char digest[32];
	crypto_generichash(digest, sizeof(digest), (const unsigned char *)text,
			   strlen(text), NULL, 0);
	sodium_bin2hex(out, DD_SECRET_DIGEST_LEN, digest, sizeof(digest));
}

int dd_password_hash(const char *password, char out[DD_PASSWORD_HASH_LEN])
{
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
		       ? 0
		       : -1;
}

int dd_password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash)
		return -1;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0
		       ? 0
		       : -1;
}

int dd_secret_equal(const char *a, const char *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0 ? 0 : -1;
}
