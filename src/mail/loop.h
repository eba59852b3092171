/*
 * loop.h - mail loop protection, pure: whether a message was sent by a
 * machine (an auto-reply, a bounce, a list, bulk mail, our own outgoing
 * mail), so that dutydesk never answers it automatically, and the cap on
 * automatic answers to one address.
 *
 * No automatic mail is ever sent in answer to: Auto-Submitted other than
 * "no" (RFC 3834), Precedence bulk, junk or list, a List-Id or
 * List-Unsubscribe header (RFC 2369/2919), X-Autoreply or X-Autorespond,
 * X-Auto-Response-Suppress naming AutoReply or All, a subject that
 * auto-responders use when they send none of these ("Auto reply:",
 * "Automatic reply:", "Out of Office", "Abwesenheitsnotiz"), a null return path
 * (a bounce), a mailer-daemon or postmaster sender, a delivery or other
 * report, or our own outgoing mail (X-Dutydesk-Ticket, or one of our
 * Message-IDs).
 */
#ifndef DD_MAIL_LOOP_H
#define DD_MAIL_LOOP_H

#include <stdint.h>

#include "mail/parse.h"

enum dd_mail_auto {
	DD_MAIL_AUTO_SUBMITTED = 1 << 0, /* Auto-Submitted, X-Autoreply... */
	DD_MAIL_AUTO_BULK = 1 << 1,	 /* Precedence bulk/junk/list */
	DD_MAIL_AUTO_LIST = 1 << 2,	 /* List-Id, List-Unsubscribe */
	DD_MAIL_AUTO_DAEMON = 1 << 3,	 /* mailer-daemon, postmaster, <> */
	DD_MAIL_AUTO_REPORT = 1 << 4,	 /* multipart/report */
	DD_MAIL_AUTO_OURS = 1 << 5,	 /* our own outgoing mail */
	/* A sender nobody reads (noreply@, no-reply@, donotreply@): no
	 * answer goes there, but the mail itself is a person's matter (a
	 * monitoring system's alert may well become a ticket). */
	DD_MAIL_AUTO_NOREPLY = 1 << 6,
};
/* The bits that say a machine wrote the message. */
#define DD_MAIL_AUTO_MACHINE (~(unsigned)DD_MAIL_AUTO_NOREPLY)

/* The DD_MAIL_AUTO_* bits that hold for m. ours: nonzero when the
 * caller found the message's Message-ID among our own. */
unsigned dd_mail_auto_flags(const struct dd_mail_parsed *m, int ours);

/* Nonzero when an automatic answer may go to a message with flags. */
int dd_mail_may_autoanswer(unsigned flags);

/* The flags as "auto-submitted,list" into out (cap >= 80). */
void dd_mail_auto_format(unsigned flags, char *out, size_t cap);

/* Nonzero when the local part of addr (lower case) is one a machine
 * sends from: mailer-daemon, postmaster. */
int dd_mail_addr_is_daemon(const char *addr);
/* Nonzero for noreply, no-reply, no_reply, donotreply, do-not-reply. */
int dd_mail_addr_is_noreply(const char *addr);

/* Automatic answers to one address per hour (mail settings,
 * autoreply_cap): nonzero when one more may go after sent_this_hour. */
int dd_mail_autoanswer_allowed(int sent_this_hour, int cap);

#endif
