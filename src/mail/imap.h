/*
 * imap.h - the support mailbox read over IMAP(S) with libcurl (the mail
 * settings' imap_* fields, mail/settings.h).
 *
 * One poll: STATUS gives the mailbox's UIDVALIDITY and UIDNEXT; when
 * UIDVALIDITY is not the one remembered (mail/imap_state.h), every UID is
 * new again and the poll starts over from the first (the intake's dedupe
 * key keeps a re-fetched message from being stored twice). UID SEARCH,
 * in windows of UIDs above the last one handled, lists the messages not
 * yet carrying our $Dutydesk keyword; a UID FETCH of RFC822.SIZE refuses
 * what is larger than the settings' max_bytes before it is downloaded.
 * Each message is fetched by UID (the URL carries the UIDVALIDITY, so a
 * mailbox renumbered meanwhile is noticed) and handed to the intake
 * (mail/intake.h), which stores its raw bytes first; only then is it
 * marked in the mailbox: imap_after "flag" sets \Seen and $Dutydesk,
 * "move" moves it to imap_move_to (UID MOVE, or COPY, \Deleted and UID
 * EXPUNGE where MOVE is missing). The last UID is saved after each
 * message.
 *
 * Nothing is lost: a message the database cannot take (503) ends the poll
 * without passing it, so the next poll fetches it again; one too large or
 * empty is left in the mailbox untouched, with a warning logged; a message
 * that fails to parse is stored as failed (the intake's rule) and marked
 * like any other. A poll ends after DD_IMAP_POLL_MESSAGES messages or
 * DD_IMAP_POLL_MS and the next one continues at once.
 */
#ifndef DD_MAIL_IMAP_H
#define DD_MAIL_IMAP_H

#include "base/ctx.h"
#include "store/event.h"

/* Messages one poll takes at most, and its time budget: a job must not
 * hold the scheduler thread for long; the rest follows at the next tick. */
#define DD_IMAP_POLL_MESSAGES 500
#define DD_IMAP_POLL_MS	      (30 * 1000)
/* A claim on a mailbox lasts this long without a save (a fetch may take
 * DD_IMAP_FETCH_TIMEOUT_S). */
#define DD_IMAP_LEASE_MS (5 * 60 * 1000)
/* Seconds one IMAP command (a fetch of up to max_bytes) may take. */
#define DD_IMAP_FETCH_TIMEOUT_S 120
/* UIDs one UID SEARCH covers: its answer fits libcurl's line buffer. */
#define DD_IMAP_SEARCH_WINDOW 1000

struct dd_imap_stats {
	int configured; /* an imap_url is set */
	int claimed;	/* this poll ran (not busy elsewhere, not too soon) */
	int uidvalidity_changed;
	int found;	 /* messages listed by the search */
	int stored;	 /* new messages stored */
	int duplicates;	 /* stored before (re-fetched) */
	int failed;	 /* stored, but processing failed */
	int refused;	 /* left in the mailbox: too large or empty */
	int vanished;	 /* expunged by someone else before the fetch */
	int mark_errors; /* stored, but the flag or move failed */
	int more;	 /* stopped at the budget with work left */
};

/*
 * Poll the configured mailbox once. force: even when the last poll was
 * less than imap_interval_s ago (the command line's "mail poll").
 * Returns 0 with st filled (also when nothing is configured or another
 * instance is polling: st->configured, st->claimed), or -1 with err
 * filled: 502 the server refused the login or a command, 503 it cannot
 * be reached or the database is away, 400 the settings are unusable.
 * Messages handled before a failure stay handled.
 */
int dd_mail_imap_poll(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int force, struct dd_imap_stats *st, struct dd_err *err);

#endif
