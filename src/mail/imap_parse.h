/*
 * imap_parse.h - the pure parts of the IMAP poller (mail/imap.h): reading
 * the untagged responses libcurl hands over for our commands, and writing
 * a mailbox name into a command and into an imap:// URL. No I/O, so the
 * unit tests need no server.
 *
 * Responses are the text libcurl passes to its write callback for a
 * custom request: untagged lines ("* SEARCH 3 4 9\r\n"), among them
 * others the server chose to send (FLAGS, EXISTS, OK [...]) that are
 * skipped. Nothing here trusts the server: numbers are checked for range
 * (UIDs are 1 to 4294967295, RFC 3501 nz-number) and counts against the
 * caller's capacity.
 */
#ifndef DD_MAIL_IMAP_PARSE_H
#define DD_MAIL_IMAP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* The largest UID (RFC 3501: a 32-bit unsigned nz-number). */
#define DD_IMAP_UID_MAX 4294967295LL

/*
 * From "* STATUS name (UIDNEXT n UIDVALIDITY v ...)": *uidvalidity and
 * *uidnext. Returns 0 when both were found, -1 otherwise (no STATUS
 * line, a value missing or out of range).
 */
int dd_imap_parse_status(const char *text, size_t len, int64_t *uidvalidity,
			 int64_t *uidnext);

/*
 * The UIDs of every "* SEARCH ..." line in text, ascending and without
 * repeats, those not above after dropped (a search "UID n:*" always
 * matches the highest UID, even below n). At most cap are kept. Returns
 * how many were stored in uids, or -1 for a malformed SEARCH line or
 * more than cap UIDs.
 */
int dd_imap_parse_search(const char *text, size_t len, int64_t after,
			 int64_t *uids, int cap);

/*
 * The sizes in "* N FETCH (UID u RFC822.SIZE s)" lines (items in any
 * order): for each uids[i] (of n), sizes[i] becomes its size, or -1 when
 * the answer did not name it. Returns the number of sizes found.
 */
int dd_imap_parse_sizes(const char *text, size_t len, const int64_t *uids,
			int n, int64_t *sizes);

/*
 * name as an IMAP quoted string ("Support Mail" with \ and " escaped)
 * into out. Returns 0, or -1 when name is empty, holds a control
 * character or a byte above 127 (names beyond ASCII need modified
 * UTF-7, which dutydesk does not write), or does not fit.
 */
int dd_imap_quote(const char *name, char *out, size_t cap);

/*
 * name percent-encoded for the path of an imap:// URL (libcurl decodes
 * it again before it quotes the name itself). Returns 0, or -1 as for
 * dd_imap_quote.
 */
int dd_imap_url_name(const char *name, char *out, size_t cap);

/* Nonzero when name is a mailbox name the poller can use (see
 * dd_imap_quote). */
int dd_imap_name_valid(const char *name);

#endif
