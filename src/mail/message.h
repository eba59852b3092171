/*
 * message.h - stored inbound messages (mail_messages): the raw bytes
 * first, in one transaction, before anything is parsed, then the state
 * processing left them in:
 *
 *   stored    kept, not yet processed (or processing was interrupted)
 *   failed    processing failed: error says why; reprocess to retry
 *   ticketed  an article of ticket_id (article_id)
 *   triage    waiting in the triage queue
 *   bounce    a delivery report attached to the ticket whose mail bounced
 *   ignored   our own outgoing mail come back
 *
 * The same message delivered twice (an MTA retrying, an IMAP re-fetch)
 * is stored once: the dedupe key is the hex SHA-256 of its Message-ID
 * and its body (the bytes after the header block, so that added
 * Received lines do not count), or of all its bytes when it has no
 * Message-ID. Strings come from the context's arena.
 */
#ifndef DD_MAIL_MESSAGE_H
#define DD_MAIL_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

#define DD_MAIL_HASH_LEN 65 /* hex SHA-256 and NUL */

struct dd_mail_message {
	int64_t id;
	const char *source; /* mta, imap, api */
	const char *status;
	int64_t size;
	const char *sha256;
	const char *message_id; /* NULL when none */
	const char *subject;	/* NULL until parsed */
	const char *from_addr;
	const char *from_name;
	const char *flags; /* "auto-submitted,list,personal", "" */
	const char *error; /* NULL unless failed */
	int attempts;
	int64_t ticket_id;  /* 0: none */
	int64_t article_id; /* 0: none */
	int64_t received_at;
	int64_t processed_at; /* 0: not yet */
};

/* Pure: the Message-ID in the raw header block (without <>, at most
 * cap - 1 bytes) into out; 0 when there is none. */
int dd_mail_raw_message_id(const void *raw, size_t len, char *out, size_t cap);
/* Pure: the dedupe key (see above) and the hex SHA-256 of all bytes. */
void dd_mail_dedupe_key(const void *raw, size_t len, const char *message_id,
			char key[DD_MAIL_HASH_LEN]);
void dd_mail_sha256(const void *raw, size_t len, char out[DD_MAIL_HASH_LEN]);

/* Nonzero for a known source name. */
int dd_mail_source_valid(const char *source);

/*
 * Store len raw bytes from source in one transaction of its own, status
 * stored, with the event "mail.store". *id is the new row, or the row
 * already holding the same message with *duplicate set (nothing is
 * written then). Returns 0 or -1 with err filled.
 */
int dd_mail_message_store(struct dd_ctx *ctx, const struct dd_actor *actor,
			  const char *source, const void *raw, size_t len,
			  int64_t *id, int *duplicate, struct dd_err *err);

/* 404 when there is no such message. */
int dd_mail_message_get(struct dd_ctx *ctx, int64_t id,
			struct dd_mail_message *out, struct dd_err *err);
/* The raw bytes appended to out (404 when no such message). */
int dd_mail_message_raw(struct dd_ctx *ctx, int64_t id, struct dd_buf *out,
			struct dd_err *err);

struct dd_mail_message_filter {
	const char *status; /* NULL for any */
	int64_t ticket_id;  /* 0 for any */
	int64_t before_id;  /* cursor: older than this id; 0 */
	int limit;
};
/* Newest first; the message is valid only during fn; fn returns 0 to go
 * on. */
int dd_mail_message_list(struct dd_ctx *ctx,
			 const struct dd_mail_message_filter *f,
			 int (*fn)(const struct dd_mail_message *m, void *arg),
			 void *arg, struct dd_err *err);

/* The comma-separated flags of a message ("loop,personal") as a JSON
 * array under key; NULL or "" is []. */
void dd_mail_flags_to_json(struct dd_json_out *j, const char *key,
			   const char *flags);
void dd_mail_message_to_json(const struct dd_mail_message *m,
			     struct dd_json_out *j);

#endif
