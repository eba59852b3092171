/*
 * wakeup.h - a doorbell between threads of one process: one thread rings
 * (after committing work for another), the other waits on it with a
 * time-out, alone or beside other file descriptors in poll(2). It is an
 * eventfd, so ringing never blocks, many rings before a wait count as
 * one, and the waiter may also watch a database socket at the same time
 * (store/store.h dd_store_wait_notify).
 *
 * Used for the outbox: a request that commits an outbox row rings, and
 * the delivery thread sends the row at once instead of at its next poll.
 */
#ifndef DD_BASE_WAKEUP_H
#define DD_BASE_WAKEUP_H

#include "base/err.h"

struct dd_wakeup {
	int fd; /* the eventfd; -1 when not open */
};

/* Open it. 0, or -1 with err filled. */
int dd_wakeup_init(struct dd_wakeup *w, struct dd_err *err);
/* Close it; safe on one never opened (fd -1) or already released. */
void dd_wakeup_release(struct dd_wakeup *w);

/* Ring: wakes a waiter now or the next one to wait. Thread-safe, never
 * blocks; a NULL or closed w is ignored. */
void dd_wakeup_signal(const struct dd_wakeup *w);
/* Forget rings so far (before doing the work they asked for). */
void dd_wakeup_clear(const struct dd_wakeup *w);
/* Wait until rung or timeout_ms passed, and clear: 1 rung, 0 not. */
int dd_wakeup_wait(const struct dd_wakeup *w, int timeout_ms);
/* The descriptor to poll for POLLIN, -1 for NULL. */
int dd_wakeup_fd(const struct dd_wakeup *w);

#endif
