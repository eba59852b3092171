#include "mail/message_id.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANDOM_HEX 16
#define SIG_HEX	   20

static void sign(const unsigned char key[DD_MAIL_KEY_BYTES], const char *msg,
		 size_t len, char out[SIG_HEX + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, DD_MAIL_KEY_BYTES);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < SIG_HEX / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[SIG_HEX] = '\0';
}

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int dd_mail_message_id_make(const unsigned char key[DD_MAIL_KEY_BYTES],
			    int64_t ticket_id, const char *random16,
			    const char *domain, char *out, size_t cap)
{
	char msg[64], sig[SIG_HEX + 1];
	if (!domain || !*domain || strlen(domain) > 200 ||
	    strlen(random16) != RANDOM_HEX || !all_hex(random16, RANDOM_HEX))
		return -1;
	int n = snprintf(msg, sizeof(msg), "%lld.%s", (long long)ticket_id,
			 random16);
	sign(key, msg, (size_t)n, sig);
	n = snprintf(out, cap, "dd.%s.%s@%s", msg, sig, domain);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Split id into its ticket, the signed text and the signature. */
static int split(const char *id, int64_t *ticket_id, size_t *signed_len,
		 const char **sig)
{
	if (!id || strncmp(id, "dd.", 3) != 0)
		return 0;
	const char *p = id + 3, *q = p;
	while (*q >= '0' && *q <= '9')
		q++;
	if (q == p || q - p > 18 || *q != '.')
		return 0;
	const char *r = q + 1;
	if (strlen(r) < RANDOM_HEX + 1 + SIG_HEX + 2 ||
	    !all_hex(r, RANDOM_HEX) || r[RANDOM_HEX] != '.')
		return 0;
	const char *s = r + RANDOM_HEX + 1;
	if (!all_hex(s, SIG_HEX) || s[SIG_HEX] != '@' || !s[SIG_HEX + 1])
		return 0;
	*ticket_id = strtoll(p, NULL, 10);
	*signed_len = (size_t)(s - 1 - p);
	*sig = s;
	return *ticket_id > 0;
}

int dd_mail_message_id_looks_ours(const char *id)
{
	int64_t t;
	size_t n;
	const char *sig;
	return split(id, &t, &n, &sig);
}

int dd_mail_message_id_check(const unsigned char key[DD_MAIL_KEY_BYTES],
			     const char *id, int64_t *ticket_id)
{
	int64_t t;
	size_t n;
	const char *sig;
	char want[SIG_HEX + 1];
	if (!split(id, &t, &n, &sig))
		return 0;
	sign(key, id + 3, n, want);
	if (sodium_memcmp(want, sig, SIG_HEX) != 0)
		return -1;
	*ticket_id = t;
	return 1;
}
