/*
 * history.h - a ticket's history: the events recorded on it (object type
 * "ticket", the ticket's id), oldest first. What changed in each is
 * worked out by the reader from the before and after snapshots (see
 * http/ticket_diff.h).
 */
#ifndef DD_TICKET_HISTORY_H
#define DD_TICKET_HISTORY_H

#include <stdint.h>

#include "base/ctx.h"
#include "store/event.h"

/*
 * Call fn for up to limit events of ticket_id with ids greater than
 * after_id (a cursor; 0 to start), oldest first. The event's strings are
 * valid only during the call; fn returns 0 to go on. Returns 0, or -1 with
 * err filled (404 when there is no such ticket).
 */
int dd_ticket_history(struct dd_ctx *ctx, int64_t ticket_id, int64_t after_id,
		      int limit,
		      int (*fn)(const struct dd_event *ev, void *arg),
		      void *arg, struct dd_err *err);

#endif
