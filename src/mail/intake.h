/*
 * intake.h - a message arrives: its raw bytes are stored first (one
 * transaction, mail/message.h), then it is parsed (mail/parse.h) and
 * routed in a second transaction:
 *
 *   - our own outgoing mail come back (its Message-ID is one we sent):
 *     kept, status ignored;
 *   - a delivery report whose returned message is one of ours: an
 *     internal article on the ticket whose mail bounced, which is tagged
 *     "mail-bounce" (status bounce); a report naming no ticket goes to
 *     triage;
 *   - a reply (mail/thread.h) joins its ticket as an inbound_mail article
 *     with its attachments (a resolved ticket is reopened; mail from a
 *     machine is kept internal and reopens nothing);
 *   - new mail from a person becomes a ticket when an assignment rule
 *     matches it (channel email, the sender's contact and organisation),
 *     else it waits in the triage queue (mail/triage.h), flagged when it
 *     is addressed personally to a colleague.
 *
 * Each message is processed on its own with its own memory (an arena of
 * DD_LIMIT_MAIL_PARSE_BYTES) and bounded work (the parser's limits), so
 * one huge or poisonous message never stalls the rest. When processing
 * fails the message stays, status failed with the reason, and
 * dd_mail_process may be run on it again (dutydesk mail reprocess ID).
 */
#ifndef DD_MAIL_INTAKE_H
#define DD_MAIL_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "base/ctx.h"
#include "store/event.h"

struct dd_mail_outcome {
	int64_t id;	    /* the stored message */
	int duplicate;	    /* stored before: nothing else was done */
	const char *status; /* the message's status now */
	/* How it was routed: "reference", "tag", "new-ticket", "triage",
	 * "bounce", "ignored", "failed"; NULL for a duplicate. */
	const char *how;
	int64_t ticket_id; /* 0: none */
	int64_t article_id;
	int64_t triage_id;
	const char *error; /* why processing failed, NULL otherwise */
};

/*
 * Take len raw bytes from source ("mta", "imap", "api"). Returns 0 once
 * the message is stored (also when processing then failed: out->status
 * is "failed"), or -1 with err filled when it was not stored: 400 for an
 * empty message, 413 for one over the configured size, 503 when the
 * database cannot take it (the sender should retry).
 */
int dd_mail_ingest(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const char *source, const void *raw, size_t len,
		   struct dd_mail_outcome *out, struct dd_err *err);

/*
 * Process (again) the stored message id: status stored or failed only.
 * Returns 0 with out filled (also when it failed again: out->status),
 * or -1 with err filled: 404 no such message, 409 already processed.
 */
int dd_mail_process(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_mail_outcome *out,
		    struct dd_err *err);

#endif
