/*
 * merge.h - merging one ticket into another: two reports of the same
 * case become one.
 *
 * In one transaction the source's articles, attachments and search
 * documents move to the target, the target gets the union of both
 * tickets' tags, and the source is closed with merged_into pointing at the
 * target, so its number keeps resolving there (dd_ticket_get_by_number).
 * Both tickets get a new version and an event: "ticket.merge" on the
 * source, "ticket.merge.target" on the target, whose after snapshot also
 * names the source in "merged_from" ({id, number}).
 *
 * What stays: the source's own event history, its tags (so its snapshot
 * stays what it was), and the target's service-level times (the target's
 * customer is the one waiting).
 */
#ifndef DD_TICKET_MERGE_H
#define DD_TICKET_MERGE_H

#include <stdint.h>

#include "base/ctx.h"
#include "store/event.h"
#include "ticket/ticket.h"

/*
 * Merge source_id into into_id. if_version > 0 refuses (412) when the
 * source's version is another. target (may be NULL) receives the target
 * after the merge. Returns 0, or -1 with err filled: 404 no such source,
 * 400 no such target, 409 for merging a ticket into itself, into a
 * merged ticket, a ticket merged already, or when the union of tags
 * would exceed DD_TICKET_TAGS_MAX.
 */
int dd_ticket_merge(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t source_id, int64_t into_id, int64_t if_version,
		    struct dd_ticket *target, struct dd_err *err);

#endif
