/*
 * imap_state.h - what the IMAP poller (mail/imap.h) keeps per mailbox in
 * mail_imap_state: the mailbox's UIDVALIDITY and the highest UID handled
 * (every message up to it is stored, refused or gone), and a claim so
 * that with several instances on one database only one polls a mailbox
 * at a time.
 *
 * The claim is a lease (lease_owner until lease_until), taken with a
 * conditional update in a short transaction of its own, so it works the
 * same on SQLite and PostgreSQL and a crashed poller's claim simply runs
 * out. Every save renews it and checks it is still ours. polled_at, set
 * when a claim ends, spaces polls by the settings' interval across all
 * instances.
 *
 * The key names the mailbox: server URL, user and mailbox name, so a new
 * server or mailbox starts from nothing.
 */
#ifndef DD_MAIL_IMAP_STATE_H
#define DD_MAIL_IMAP_STATE_H

#include <stdint.h>

#include "base/ctx.h"

struct dd_imap_state {
	int64_t uidvalidity; /* 0: never polled */
	int64_t last_uid;
	int64_t polled_at;
};

/*
 * Claim key for owner until now + lease_ms when nobody holds it and,
 * unless force, its last poll ended interval_ms ago or more. Returns 1
 * with st filled when claimed, 0 when busy or not due, -1 with err
 * filled. Not inside a transaction: it runs its own.
 */
int dd_imap_state_claim(struct dd_ctx *ctx, const char *key, const char *owner,
			int64_t interval_ms, int64_t lease_ms, int force,
			struct dd_imap_state *st, struct dd_err *err);

/* Record uidvalidity and last_uid and renew the lease. 0, or -1 with err
 * filled: 409 when the claim is no longer owner's (it ran out and
 * another instance took it: stop polling). */
int dd_imap_state_save(struct dd_ctx *ctx, const char *key, const char *owner,
		       int64_t uidvalidity, int64_t last_uid, int64_t lease_ms,
		       struct dd_err *err);

/* End owner's claim. again: the poll stopped early with work left, so
 * the next one is due at once; else polled_at is now. 0 or -1. */
int dd_imap_state_release(struct dd_ctx *ctx, const char *key,
			  const char *owner, int again, struct dd_err *err);

#endif
