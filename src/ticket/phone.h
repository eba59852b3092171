/*
 * phone.h - phone tickets: the colleague on telephone duty takes a call,
 * types a note, and gets a ticket while the caller is still on the line.
 *
 * The caller's number (as the phone system or the person gives it:
 * "+49 89 1234-567", "0049 89 ...") is normalised to E.164. It finds the
 * contact whose phone is exactly that number (when exactly one has it),
 * else the organisation with the longest matching phone prefix. A
 * contact's organisation is used when the contact belongs to exactly
 * one; with several, the prefix decides when it names one of them.
 * Organisation or contact given in the call override what the number
 * found. A ticket without both is flagged needs_completion: someone has
 * to fill in who called. The ticket has channel phone, its subject is
 * the note's first line, the note becomes its first article (an
 * internal phone note by the person who took the call), and the
 * assignment rules run as on every new ticket. Ticket, article, index
 * and events are written in one transaction: all or nothing.
 */
#ifndef DD_TICKET_PHONE_H
#define DD_TICKET_PHONE_H

#include <stddef.h>
#include <stdint.h>

#include "base/ctx.h"
#include "base/limits.h"
#include "store/event.h"
#include "ticket/ticket.h"

/* A phone note: what a person types during a call. 64 KiB is pages of
 * it; longer text is an e-mail or an attachment. */
#define DD_PHONE_NOTE_MAX (64 * 1024)
/* A subject taken from the note is cut to this many bytes: a line a
 * person reads in a list. */
#define DD_PHONE_SUBJECT_CUT 120

enum dd_phone_match {
	DD_PHONE_MATCH_NONE,
	DD_PHONE_MATCH_CONTACT,
	DD_PHONE_MATCH_ORGANISATION,
};

struct dd_phone_call {
	const char *caller;		     /* required */
	const char *note;		     /* required */
	int priority;			     /* 0: default (or the rules') */
	const char *subject;		     /* NULL: from the note */
	int64_t contact_id, organisation_id; /* 0: from the number */
};

struct dd_phone_result {
	struct dd_ticket ticket;
	enum dd_phone_match matched; /* what the number found */
	int64_t article_id;
};

/* What a caller's number finds, before any ticket is written: what the
 * intake of a call from it would file it under when nobody overrides. */
struct dd_phone_lookup {
	char number[DD_LIMIT_PHONE + 1]; /* E.164 */
	enum dd_phone_match matched;
	int contacts;		 /* contacts with exactly this number (0-2) */
	int64_t contact_id;	 /* the one contact with it, else 0 */
	int64_t prefix_org_id;	 /* the longest prefix's organisation, 0 */
	int64_t organisation_id; /* the contact's (as the intake picks it),
				  * else the prefix's; 0 for none */
};

/* "none", "contact", "organisation". */
const char *dd_phone_match_name(enum dd_phone_match m);

/* Pure: the subject for note into out (cap > DD_PHONE_SUBJECT_CUT): its
 * first line with control characters as spaces, trimmed and cut to
 * DD_PHONE_SUBJECT_CUT bytes on a character boundary; "Call from
 * <number>" when that leaves nothing. */
void dd_phone_subject(const char *note, const char *number, char *out,
		      size_t cap);

/* Look caller (as typed: "+49 89 ...", "0049 ...") up: 0 with out
 * filled, or -1 with err (400 for a number that is not international). */
int dd_phone_lookup(struct dd_ctx *ctx, const char *caller,
		    struct dd_phone_lookup *out, struct dd_err *err);

/* Take a call: 201-worthy result in out, or -1 with err (400 for a bad
 * number, note or id; 503 when the database is busy). */
int dd_phone_intake(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const struct dd_phone_call *call,
		    struct dd_phone_result *out, struct dd_err *err);

#endif
