/*
 * notify.h - telling a person something through their contact methods:
 * an e-mail (composed with GMime, marked Auto-Submitted so that
 * vacation responders stay quiet), or a webhook call with a generic JSON
 * body or a Slack/Mattermost-compatible {"text": ...}. Every message is
 * a row of the durable outbox (store/outbox.h) written in the caller's
 * transaction: a rolled-back cause sends nothing, a failing receiver
 * delays a message but never loses it.
 *
 * This file knows people and their contact methods only: the rota and
 * the tickets call it (swap notices, P1 notes) without it calling back.
 */
#ifndef DD_ALERT_NOTIFY_H
#define DD_ALERT_NOTIFY_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"

/* Contact methods one person may have: enough for mail, a phone
 * gateway and a chat. */
#define DD_NOTIFY_METHODS_MAX 16
/* A webhook body never needs more: the text is a few lines. */
#define DD_NOTIFY_BODY_MAX (64 * 1024)

struct dd_notice {
	/* What it is: "p1.page", "p1.note", "shift.start", ... (the
	 * outbox purpose and the generic body's "event"). */
	const char *event;
	const char *subject; /* one line */
	const char *text;    /* plain text, lines separated by '\n' */
	/* Extra data for the generic JSON body: the text of a JSON object,
	 * or NULL. */
	const char *data_json;
	/* One-click links, NULL when none. */
	const char *ack_url;
	const char *resolve_url;
	/* What caused it, for the outbox ("alert" 12). */
	const char *ref_type;
	int64_t ref_id;
};

/* Where a notice goes. */
struct dd_notify_to {
	int64_t method_id;
	const char *kind;    /* "email" or "webhook" */
	const char *address; /* the address or URL */
	const char *format;  /* webhooks: "generic" or "slack" */
};

/* The webhook body for format into out (pure): "slack" gives
 * {"text": subject, text and links}, anything else the generic
 * {"event", "subject", "text", "links", "data", "sent_at"}. -1 when it
 * does not fit. */
int dd_notify_webhook_body(const struct dd_notice *n, const char *format,
			   int64_t now, struct dd_buf *out);

/* The plain text of a mail or chat message: the text and the links. */
void dd_notify_text(const struct dd_notice *n, struct dd_buf *out);

/* Enqueue n to one contact method (verified or not: verification
 * messages go to unverified ones). *outbox_id gets the row. Inside the
 * caller's transaction. 0 or -1. */
int dd_notify_method(struct dd_ctx *ctx, const struct dd_notify_to *to,
		     const struct dd_notice *n, int64_t now, int64_t *outbox_id,
		     struct dd_err *err);

struct dd_notify_sent {
	int64_t method_id;
	int64_t outbox_id;
};

/* Enqueue n to every verified contact method of person_id; sent[] (may
 * be NULL) gets up to max of them, *count how many were sent (0: the
 * person cannot be reached). Inside the caller's transaction. 0 or -1. */
int dd_notify_person(struct dd_ctx *ctx, int64_t person_id,
		     const struct dd_notice *n, int64_t now,
		     struct dd_notify_sent *sent, int max, int *count,
		     struct dd_err *err);

/* Send n to each person of ids[0..count) once: zeros and repeats are
 * skipped. Inside the caller's transaction. 0 or -1. */
int dd_notify_people(struct dd_ctx *ctx, const int64_t *ids, int count,
		     const struct dd_notice *n, int64_t now,
		     struct dd_err *err);

/* A person's name for a message text, from the context's arena ("person
 * N" when there is none or the database fails: a notice must not fail
 * its cause over a name). */
const char *dd_notify_name(struct dd_ctx *ctx, int64_t id);

#endif
