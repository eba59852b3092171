/*
 * thread.h - which ticket a message belongs to, pure. intake.c looks the
 * facts up (the ticket of each referenced Message-ID, the ticket a
 * subject tag names, who the sender is) and this decides:
 *
 *   1. A Message-ID in In-Reply-To or References that names a ticket (one
 *      of our own signed ids, or any id stored with a ticket, inbound or
 *      outbound) joins the message to that ticket. In-Reply-To counts
 *      first, then References from the newest.
 *   2. Else a ticket tag in the subject ("[#10042]", or "[PREFIX#10042]"
 *      with the configured prefix) joins it, but only when the sender is
 *      the ticket's contact, a contact of the ticket's organisation or a
 *      colleague: a stranger must not write into someone else's ticket
 *      by copying a subject, so their mail goes to triage with the ticket
 *      suggested.
 *   3. Else the message is new.
 *
 * A message that would join a closed ticket goes to triage with that
 * ticket suggested (a closed case stays closed; someone decides). A
 * resolved ticket is joined and reopened (ticket/article.h).
 */
#ifndef DD_MAIL_THREAD_H
#define DD_MAIL_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "mail/parse.h"

/* The tag's prefix: letters, digits, '-' and '_', at most this long. */
#define DD_MAIL_TAG_PREFIX_MAX 32

/* The number of the first "[PREFIX#NUMBER]" tag in subject (prefix
 * compared without regard to case; "" for "[#NUMBER]"): 1 with *number
 * set, 0 when there is none. */
int dd_mail_subject_tag(const char *subject, const char *prefix,
			int64_t *number);

/* A valid tag prefix (see above; "" is valid). */
int dd_mail_tag_prefix_valid(const char *prefix);

/* The subject of an outgoing mail on a ticket into out: subject with the
 * tag "[PREFIX#NUMBER]" appended unless it already holds it, and "Re: "
 * in front when reply is set and it does not start with one. */
void dd_mail_subject_for(const char *subject, const char *prefix,
			 int64_t number, int reply, char *out, size_t cap);

/* The Message-IDs to look up, most telling first: In-Reply-To, then
 * References newest first, without repeats. Fills ids[0..return). */
int dd_mail_thread_candidates(const struct dd_mail_parsed *m, const char **ids,
			      int max);

enum dd_thread_how {
	DD_THREAD_NEW,		   /* joins nothing */
	DD_THREAD_REFERENCE,	   /* joins by a Message-ID */
	DD_THREAD_TAG,		   /* joins by the subject tag */
	DD_THREAD_TRIAGE_STRANGER, /* a tag from someone not entitled */
	DD_THREAD_TRIAGE_CLOSED,   /* would join a closed ticket */
};

struct dd_thread_facts {
	int64_t ref_ticket;	/* found by a Message-ID, 0 when none */
	const char *ref_status; /* that ticket's status */
	int64_t tag_ticket;	/* named by the subject tag, 0 when none */
	const char *tag_status;
	/* The sender is the tag ticket's contact, a contact of its
	 * organisation, or a colleague. */
	int tag_sender_entitled;
};

struct dd_thread_decision {
	enum dd_thread_how how;
	int64_t ticket_id; /* joined or suggested; 0 for new */
};

void dd_mail_thread_decide(const struct dd_thread_facts *f,
			   struct dd_thread_decision *d);

/* "new", "reference", "tag", "stranger-tag", "closed-ticket". */
const char *dd_mail_thread_how_name(enum dd_thread_how how);

#endif
