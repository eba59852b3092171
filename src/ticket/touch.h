/*
 * touch.h - what the modules that add to a ticket (articles,
 * attachments, merge) do to the ticket row itself, inside their own
 * transaction.
 */
#ifndef DD_TICKET_TOUCH_H
#define DD_TICKET_TOUCH_H

#include <stdint.h>

#include "base/ctx.h"

/*
 * Lock the ticket's row until the transaction ends, so that two writers
 * on one ticket take turns and each reads what the other wrote: a no-op
 * UPDATE, which takes the row lock on PostgreSQL (SQLite's transaction
 * already holds the one write lock). Call it before reading the ticket.
 * Returns 0, or -1 with err filled (404 for no such ticket).
 */
int dd_ticket_lock(struct dd_ctx *ctx, int64_t id, struct dd_err *err);

/* Raise the ticket's version and set updated_at to now: something was
 * added to it. Returns 0 or -1 with err filled. */
int dd_ticket_touch(struct dd_ctx *ctx, int64_t id, int64_t now,
		    struct dd_err *err);

#endif
