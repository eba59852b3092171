/*
 * append.h - a parsed message written onto a ticket, inside the caller's
 * transaction: an inbound_mail article with the message's text (cut at
 * the article limit, with a note), from the sender's contact when there
 * is one; its attachments (each file up to DD_LIMIT_ATTACHMENT_BYTES:
 * larger ones, and those past the ticket's limit, stay in the raw
 * message and the article says so); its Message-ID indexed for
 * threading; and the stored message marked ticketed.
 */
#ifndef DD_MAIL_APPEND_H
#define DD_MAIL_APPEND_H

#include <stdint.h>

#include "base/ctx.h"
#include "mail/parse.h"
#include "store/event.h"

/* The article body for m (arena): its text, or a line saying it has
 * none; cut to fit an article, with what was left out named. prefix
 * (may be NULL) goes first. */
const char *dd_mail_article_text(struct dd_arena *arena,
				 const struct dd_mail_parsed *m,
				 int64_t mail_id, const char *prefix);

/* internal: the article is internal (mail sent by a machine, a bounce),
 * so it reopens nothing. */
int dd_mail_append(struct dd_ctx *ctx, const struct dd_actor *actor,
		   int64_t ticket_id, int64_t mail_id,
		   const struct dd_mail_parsed *m, const char *prefix,
		   int internal, int64_t *article_id, struct dd_err *err);

/* Set the stored message's outcome: status, ticket and article (0 for
 * none), what parsing found (subject, sender; m may be NULL), flags
 * text, error (NULL), processed now. */
int dd_mail_message_outcome(struct dd_ctx *ctx, int64_t mail_id,
			    const char *status, int64_t ticket_id,
			    int64_t article_id, const struct dd_mail_parsed *m,
			    const char *flags, const char *error,
			    struct dd_err *err);

#endif
