/*
 * message_id.h - the Message-IDs of our own outgoing mail. Each names its
 * ticket and carries an HMAC over the ticket and a random part, keyed
 * with the installation's "mail.message-id" server key, so that a reply's
 * In-Reply-To or References can be trusted to name its ticket without a
 * lookup, and nobody outside can make one that names another ticket:
 *
 *     dd.TICKET_ID.RANDOM.SIGNATURE@DOMAIN
 *
 * RANDOM is 16 hex digits (unique per message), SIGNATURE the first 20
 * hex digits (80 bits) of HMAC-SHA-256 over "TICKET_ID.RANDOM". Pure
 * functions: the key is the caller's.
 */
#ifndef DD_MAIL_MESSAGE_ID_H
#define DD_MAIL_MESSAGE_ID_H

#include <stddef.h>
#include <stdint.h>

#define DD_MAIL_KEY_BYTES 32
/* Room for one of our Message-IDs with a domain of up to 200 bytes. */
#define DD_MAIL_MESSAGE_ID_CAP 280

/* Write our Message-ID (without <>) for ticket_id into out. random16 is
 * 16 hex digits. 0, or -1 when domain is empty or too long. */
int dd_mail_message_id_make(const unsigned char key[DD_MAIL_KEY_BYTES],
			    int64_t ticket_id, const char *random16,
			    const char *domain, char *out, size_t cap);

/* Is id (without <>) one of ours? 1 with *ticket_id set when it has our
 * form and a valid signature; 0 when it does not have our form; -1 when
 * it has our form but a wrong signature (forged or another
 * installation's). */
int dd_mail_message_id_check(const unsigned char key[DD_MAIL_KEY_BYTES],
			     const char *id, int64_t *ticket_id);

/* Nonzero when id has our form (whatever its signature). */
int dd_mail_message_id_looks_ours(const char *id);

#endif
