/*
 * outbound.h - mail we send: replies on tickets, answers and forwards
 * from the triage queue, and the automatic acknowledgement of a new
 * ticket. Each is composed with GMime (mail/compose.h: UTF-8, the
 * encoding GMime finds best, attachments) and put into the durable
 * outbox (store/outbox.h) in the same transaction as the article or the
 * triage action that causes it, so a failing relay delays it and a
 * rolled-back cause sends nothing.
 *
 * Our mail carries our own Message-ID (mail/message_id.h: the ticket and
 * an HMAC under the "mail.message-id" server key), In-Reply-To and
 * References of the thread, the ticket tag in the subject and the header
 * X-Dutydesk-Ticket, so replies thread back and our own mail coming back
 * is known. It is sent from the mailbox's first address (mail settings),
 * else the server's --mail-from.
 */
#ifndef DD_MAIL_OUTBOUND_H
#define DD_MAIL_OUTBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "base/ctx.h"
#include "mail/message_id.h"
#include "mail/parse.h"
#include "store/event.h"

/* Attachments of the ticket one reply may carry, and their bytes in
 * all: a reply is a message, not a file transfer. */
#define DD_MAIL_REPLY_ATTACHMENTS_MAX  10
#define DD_MAIL_REPLY_ATTACHMENT_BYTES (10 * 1024 * 1024)
/* References kept in an outgoing mail: the newest of the thread. */
#define DD_MAIL_REFERENCES_OUT 10

/* The installation's key for our Message-IDs (created on first use). */
int dd_mail_key(struct dd_ctx *ctx, unsigned char key[DD_MAIL_KEY_BYTES],
		struct dd_err *err);

/* The ticket one of our signed Message-IDs names: 1 with *ticket_id,
 * 0 when id is not ours or its signature is wrong. */
int dd_mail_our_ticket(struct dd_ctx *ctx, const char *id, int64_t *ticket_id,
		       struct dd_err *err);

struct dd_mail_reply_input {
	const char *body; /* required, UTF-8 text */
	/* Recipients; NULL: the sender of the ticket's latest mail, else
	 * its contact. */
	const char *to;
	const char *cc;
	int attachment_count;
	int64_t attachment_ids[DD_MAIL_REPLY_ATTACHMENTS_MAX];
};

struct dd_mail_sent {
	int64_t article_id; /* 0 for mail without an article */
	int64_t outbox_id;
	const char *message_id; /* ours, without <> */
	const char *to;
	const char *subject;
};

/*
 * Reply on ticket_id as actor (a person): an outbound_reply article and
 * the mail in the outbox, one transaction. Returns 0, or -1 with err
 * filled: 404 no such ticket (or attachment of it), 400 bad input or no
 * address to send to, 409 a merged ticket, 413 attachments too large.
 */
int dd_mail_reply(struct dd_ctx *ctx, const struct dd_actor *actor,
		  int64_t ticket_id, const struct dd_mail_reply_input *in,
		  struct dd_mail_sent *out, struct dd_err *err);

/*
 * Inside the caller's transaction: compose and enqueue one mail. from
 * NULL: ours. ticket_id > 0 gives it our signed Message-ID for that
 * ticket (indexed for threading) and the X-Dutydesk-Ticket header;
 * headers are extra ones (Auto-Submitted). purpose names it in the
 * outbox.
 */
struct dd_mail_header;
struct dd_mail_attachment;
struct dd_mail_send {
	const char *to, *cc, *subject, *text;
	int64_t ticket_id;
	const char *in_reply_to; /* without <>, NULL */
	const char *references;	 /* "<a> <b>", NULL */
	const struct dd_mail_header *headers;
	int header_count;
	const struct dd_mail_attachment *attachments;
	int attachment_count;
	const char *purpose;
	const char *ref_type;
	int64_t ref_id;
};
int dd_mail_send(struct dd_ctx *ctx, const struct dd_mail_send *in,
		 struct dd_mail_sent *out, struct dd_err *err);

/*
 * Inside intake's transaction: the automatic acknowledgement of a new
 * ticket made from m (mail settings acknowledge), unless m was sent by a
 * machine (mail/loop.h) or its sender had autoreply_cap automatic
 * answers this hour. *sent says whether one went out.
 */
int dd_mail_acknowledge(struct dd_ctx *ctx, int64_t ticket_id,
			const struct dd_mail_parsed *m, unsigned auto_flags,
			int cap, int *sent, struct dd_err *err);

#endif
