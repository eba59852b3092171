/*
 * outbox.h - the durable outbox: every message dutydesk sends (a mail, a
 * webhook call) is first a row here, written in the same transaction as
 * its cause (a P1 ticket, an accepted swap, a reply). A delivery worker
 * (jobs/delivery.c) claims due rows, sends them and records the outcome,
 * so a failing relay or receiver delays a message but never loses it, and
 * a rolled-back cause sends nothing.
 *
 * States: pending -> sending -> delivered, or back to pending with a later
 * next_at after a failure (exponential backoff), or dead after the last
 * attempt (visible in the API, retried by hand). A claim is a lease: a row
 * left in "sending" by a crashed process is claimed again once its lease
 * has run out. On PostgreSQL claims use FOR UPDATE SKIP LOCKED, so with
 * several instances each row is sent by exactly one of them. A new row
 * wakes the delivery threads at its commit (DD_OUTBOX_CHANNEL).
 */
#ifndef DD_STORE_OUTBOX_H
#define DD_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* What kind of delivery a row needs. */
#define DD_OUTBOX_EMAIL	  "email"   /* SMTP: body is a whole RFC 5322 message */
#define DD_OUTBOX_WEBHOOK "webhook" /* HTTP POST of body to target */

/* Announced at the commit of every new (or retried) row
 * (dd_store_notify_on_commit): PostgreSQL NOTIFY for the delivery threads
 * of every instance, and the connection's doorbell for this process's. */
#define DD_OUTBOX_CHANNEL "dutydesk_outbox"

/* Attempts before a row is dead: with the backoff below (30 s doubling,
 * capped at one hour) that is about eight hours of retrying. */
#define DD_OUTBOX_MAX_ATTEMPTS 14

struct dd_outbox_message {
	const char *kind; /* DD_OUTBOX_EMAIL or DD_OUTBOX_WEBHOOK */
	/* email: envelope recipients, comma-separated addresses;
	 * webhook: the http(s) URL. */
	const char *target;
	/* email: envelope sender; NULL for the configured default.
	 * webhook: unused. */
	const char *sender;
	/* webhook: Content-Type of body (NULL: application/json). */
	const char *content_type;
	const char *body; /* bytes, not necessarily NUL-terminated */
	size_t body_len;
	/* Why it is sent, for people reading the outbox: "p1.page",
	 * "mail.reply", "rota.swap.accepted", ... */
	const char *purpose;
	/* What caused it, e.g. "ticket" 42; NULL/0 when nothing. */
	const char *ref_type;
	int64_t ref_id;
	/* Not before this instant (ms); 0 for at once. */
	int64_t not_before;
};

/*
 * Add a message. Must run inside the transaction of its cause. *id (if
 * not NULL) receives the row's id. Returns 0 or -1 with err filled.
 */
int dd_outbox_enqueue(struct dd_store *store, int64_t now,
		      const struct dd_outbox_message *msg, int64_t *id,
		      struct dd_err *err);

/* A claimed row, as the delivery worker sees it. */
struct dd_outbox_row {
	int64_t id;
	char kind[16];
	char *target;
	char *sender;
	char *content_type;
	char *body;
	size_t body_len;
	char *purpose;
	char *ref_type;
	int64_t ref_id;
	int attempts; /* including the one now claimed */
	int64_t created_at;
};

/*
 * Claim up to max due rows (pending with next_at <= now, or sending with
 * an expired lease) for lease_ms. Fills rows[0..*count). Strings are
 * malloc'd; free them with dd_outbox_row_release. Runs its own
 * transaction. Returns 0 or -1 with err filled.
 */
int dd_outbox_claim(struct dd_store *store, int64_t now, int64_t lease_ms,
		    struct dd_outbox_row *rows, int max, int *count,
		    struct dd_err *err);
void dd_outbox_row_release(struct dd_outbox_row *row);

/* Record a successful delivery. 0 or -1. */
int dd_outbox_delivered(struct dd_store *store, int64_t id, int64_t now,
			struct dd_err *err);

/*
 * Record a failed attempt: back to pending with next_at after the backoff
 * for this attempt, or dead when permanent is set or attempts reached
 * DD_OUTBOX_MAX_ATTEMPTS. error is a one-line reason kept on the row.
 * 0 or -1.
 */
int dd_outbox_failed(struct dd_store *store, int64_t id, int attempts,
		     int64_t now, const char *error, int permanent,
		     struct dd_err *err);

/* The wait before attempt number attempts + 1 (ms). Pure. */
int64_t dd_outbox_backoff_ms(int attempts);

/*
 * Put a dead (or pending) row back to pending, due now, with its attempts
 * reset. Returns 0, or -1 with err filled (404 when there is no such row,
 * 409 when it was already delivered). Records an event by actor.
 */
struct dd_actor;
int dd_outbox_retry(struct dd_store *store, int64_t id, int64_t now,
		    const struct dd_actor *actor, struct dd_err *err);

/* One row for listing (no body). */
struct dd_outbox_entry {
	int64_t id;
	const char *kind;
	const char *status; /* pending, sending, delivered, dead */
	const char *target;
	const char *purpose;
	const char *ref_type;
	int64_t ref_id;
	int attempts;
	int64_t next_at;
	int64_t created_at;
	int64_t delivered_at; /* 0 when not delivered */
	const char *last_error;
	size_t body_len;
};

struct dd_outbox_filter {
	int64_t id;	      /* one row; 0 for any */
	const char *status;   /* NULL for any */
	const char *ref_type; /* NULL for any */
	int64_t ref_id;	      /* 0 for any */
	int64_t before_id;    /* cursor: rows older than this id; 0 */
	int limit;
};

/* Call fn for each matching row, newest first; strings valid only during
 * the call. fn returns 0 to go on. 0 or -1. */
int dd_outbox_list(struct dd_store *store, const struct dd_outbox_filter *f,
		   int (*fn)(const struct dd_outbox_entry *e, void *arg),
		   void *arg, struct dd_err *err);

/* The body of one row into a malloc'd buffer the caller frees. 1 found,
 * 0 not found, -1 error. */
int dd_outbox_body(struct dd_store *store, int64_t id, char **body, size_t *len,
		   struct dd_err *err);

#endif
