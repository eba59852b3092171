/*
 * lookup.h - what the mail modules ask the database: who a sender is,
 * which ticket a Message-ID belongs to, and the Message-ID index itself.
 * Inside or outside the caller's transaction.
 */
#ifndef DD_MAIL_LOOKUP_H
#define DD_MAIL_LOOKUP_H

#include <stdint.h>

#include "base/ctx.h"
#include "mail/personal.h"

/* The contact with e-mail addr (lowest id), 0 when none; its only
 * organisation in *org_id (0 when none or several). */
int dd_mail_find_contact(struct dd_ctx *ctx, const char *addr,
			 int64_t *contact_id, int64_t *org_id,
			 struct dd_err *err);
/* The organisation one of whose mail domains is addr's, 0 when none. */
int dd_mail_find_org_by_domain(struct dd_ctx *ctx, const char *addr,
			       int64_t *org_id, struct dd_err *err);
/* The active colleague with e-mail addr, 0 when none. */
int dd_mail_find_colleague(struct dd_ctx *ctx, const char *addr,
			   int64_t *person_id, struct dd_err *err);
/* Nonzero in *entitled when addr may write into ticket_id by its
 * subject tag: the ticket's contact, a contact of its organisation, or
 * a colleague. */
int dd_mail_sender_entitled(struct dd_ctx *ctx, int64_t ticket_id,
			    const char *addr, int *entitled,
			    struct dd_err *err);
/* The ticket a stored Message-ID (inbound or outbound) belongs to,
 * merges followed, 0 when none; *outbound set when we sent it. */
int dd_mail_ticket_by_message_id(struct dd_ctx *ctx, const char *message_id,
				 int64_t *ticket_id, int *outbound,
				 struct dd_err *err);
/* Follow merged_into from *ticket_id to the live ticket. */
int dd_mail_follow_merges(struct dd_ctx *ctx, int64_t *ticket_id,
			  struct dd_err *err);
/* Record that message_id belongs to ticket_id (direction "in" with the
 * stored mail_id, or "out"). */
int dd_mail_index_message_id(struct dd_ctx *ctx, const char *message_id,
			     int64_t ticket_id, const char *direction,
			     int64_t mail_id, struct dd_err *err);
/* Every active colleague (arena array), at most max. */
int dd_mail_colleagues(struct dd_ctx *ctx, struct dd_mail_colleague **out,
		       int *count, int max, struct dd_err *err);

#endif
