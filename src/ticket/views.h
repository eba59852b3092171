/*
 * views.h - the ticket views a desk works from, with their counts: mine,
 * unassigned, open priority 1, due today, overdue, and one per queue.
 * Each view is a query string of the query language (ticket/query.h), so
 * the list behind a count is GET /api/v1/tickets?q=THAT, and a count is
 * always what that list holds.
 */
#ifndef DD_TICKET_VIEWS_H
#define DD_TICKET_VIEWS_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/err.h"

/* Queue views listed at most: a desk has a handful of queues; a list
 * without a bound is a response without one. */
#define DD_TICKET_VIEW_QUEUES_MAX 200

struct dd_ticket_view {
	const char *id;	   /* "mine", "unassigned", "p1", "due-today",
			      "overdue", or "queue:ID" */
	const char *name;  /* for people: "Mine", a queue's name */
	const char *query; /* the view's query string */
	int64_t queue_id;  /* a queue view's queue, else 0 */
	int64_t count;
};

struct dd_ticket_views {
	struct dd_ticket_view *items; /* from ctx->arena */
	int count;
	int queues_truncated; /* more queues than DD_TICKET_VIEW_QUEUES_MAX */
};

/*
 * The views for viewer_id ("mine" is theirs; 0 counts nothing as mine),
 * with their counts. "Open" means not yet resolved: new, open or
 * pending. Everything in out comes from ctx->arena. Returns 0, or -1 with
 * err filled (store errors).
 */
int dd_ticket_views_get(struct dd_ctx *ctx, int64_t viewer_id,
			struct dd_ticket_views *out, struct dd_err *err);

#endif
