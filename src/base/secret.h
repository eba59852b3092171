/*
 * secret.h - random secrets and their hashes (libsodium).
 *
 * Passwords are hashed with argon2id: they are chosen by people and may be
 * weak, so guessing must be slow. API tokens and session ids are 256-bit
 * random secrets: nobody can guess them, so they are stored as a keyed-free
 * BLAKE2b-256 digest, which lets every request be checked in microseconds
 * instead of the ~100 ms an argon2id verification costs. A stolen database
 * still does not reveal a usable token.
 */
#ifndef DD_BASE_SECRET_H
#define DD_BASE_SECRET_H

#include <stddef.h>

/* Bytes of randomness in tokens and session ids. */
#define DD_SECRET_BYTES 32
/* base64url of 32 bytes without padding: 43 characters. */
#define DD_SECRET_TEXT_LEN 44
/* hex of a BLAKE2b-256 digest plus NUL. */
#define DD_SECRET_DIGEST_LEN 65
/* An argon2id hash string. */
#define DD_PASSWORD_HASH_LEN 128

/* Call once at start-up before threads start; -1 if libsodium fails. */
int dd_secret_init(void);

/* A new random secret as base64url text (DD_SECRET_TEXT_LEN with NUL). */
void dd_secret_random(char out[DD_SECRET_TEXT_LEN]);

/* The hex BLAKE2b-256 digest of text. */
void dd_secret_digest(const char *text, char out[DD_SECRET_DIGEST_LEN]);

/* Hash a password with argon2id at the interactive cost. 0 or -1. */
int dd_password_hash(const char *password, char out[DD_PASSWORD_HASH_LEN]);
/* 0 when password matches hash, -1 otherwise. */
int dd_password_verify(const char *hash, const char *password);

/* Compare two equal-length byte strings in constant time: 0 when equal. */
int dd_secret_equal(const char *a, const char *b, size_t len);

#endif
