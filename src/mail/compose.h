/*
 * compose.h - build an outgoing RFC 5322 message with GMime: UTF-8 text,
 * RFC 2047 encoded headers, quoted-printable or base64 bodies as GMime
 * finds best, attachments with RFC 2231 names. The result is the bytes the
 * outbox hands to the SMTP relay.
 */
#ifndef DD_MAIL_COMPOSE_H
#define DD_MAIL_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

/* Call once per process before threads start (GMime's global state). */
void dd_mail_library_init(void);

struct dd_mail_attachment {
	const char *filename;	  /* UTF-8; RFC 2231-encoded when needed */
	const char *content_type; /* "application/pdf"; NULL: octet-stream */
	const void *data;
	size_t len;
};

/* One extra header, e.g. {"Auto-Submitted", "auto-generated"}. */
struct dd_mail_header {
	const char *name;
	const char *value;
};

struct dd_mail_out {
	const char *from;     /* "Support <support@example.com>" */
	const char *to;	      /* comma-separated addresses, at least one */
	const char *cc;	      /* NULL for none */
	const char *reply_to; /* NULL for none */
	const char *subject;  /* UTF-8 */
	const char *text;     /* UTF-8 plain text body */
	/* Without angle brackets; NULL: a random one at from's domain. */
	const char *message_id;
	const char *in_reply_to; /* with angle brackets, or NULL */
	const char *references;	 /* with angle brackets, or NULL */
	int64_t date;		 /* ms since the epoch, for the Date header */
	const struct dd_mail_header *headers;
	int header_count;
	const struct dd_mail_attachment *attachments;
	int attachment_count;
};

/*
 * Compose msg. On success *raw (allocated in arena, NUL-terminated) holds
 * the message with CRLF line ends and *len its length without the NUL.
 * Returns 0, or -1 with err filled (400 for a missing or malformed from/to
 * address or a header value with CR/LF in it).
 */
int dd_mail_compose(struct dd_arena *arena, const struct dd_mail_out *msg,
		    char **raw, size_t *len, struct dd_err *err);

/* The bare address of "Name <addr>" or "addr" (lower-cased) into out;
 * 0, or -1 when it holds no valid address. */
int dd_mail_address_only(const char *text, char *out, size_t size);

#endif
