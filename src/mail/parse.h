/*
 * parse.h - an RFC 5322 message read with GMime 3 into plain C: decoded
 * headers (RFC 2047), addresses, the readable text in UTF-8 (text/plain
 * preferred, HTML turned into text when that is all there is; HTML is
 * never kept as HTML), attachments with their RFC 2231 names, inline
 * images, signed and encrypted parts kept as attachments, and what a
 * delivery report says about the message that bounced.
 *
 * Every string is valid UTF-8 without NUL bytes; text keeps newlines and
 * tabs and no other control characters; header values are single lines.
 * Everything is allocated in the arena given to dd_mail_parse and lives
 * as long as it. GMime's own objects are freed before it returns.
 *
 * Limits (base/limits.h): nesting DD_LIMIT_MAIL_DEPTH, parts
 * DD_LIMIT_MAIL_PARTS, addresses per header DD_LIMIT_MAIL_ADDRESSES,
 * references DD_LIMIT_MAIL_REFERENCES. What goes past a limit is counted
 * and flagged, never a failure: the raw message keeps it all.
 */
#ifndef DD_MAIL_PARSE_H
#define DD_MAIL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/limits.h"

struct dd_mail_addr {
	const char *name; /* display name, "" when none */
	const char *addr; /* "local@domain" as written, lower-cased domain */
};

struct dd_mail_addrs {
	int count; /* kept, at most DD_LIMIT_MAIL_ADDRESSES */
	int total; /* in the header */
	struct dd_mail_addr *items;
};

struct dd_mail_part {
	const char *filename;	  /* never empty: a name is made up if none */
	const char *content_type; /* "type/subtype", lower case */
	const char *content_id;	  /* without <>, NULL when none */
	int is_inline;		  /* an inline image or a related part */
	const void *data;	  /* decoded bytes */
	size_t len;
};

/* The headers that say whether a message was sent by a machine. Values
 * are as decoded, NULL when absent. */
struct dd_mail_auto_headers {
	const char *auto_submitted;
	const char *precedence;
	const char *list_id;
	const char *list_unsubscribe;
	const char *x_autoreply;
	const char *x_autorespond;
	const char *x_auto_response_suppress;
	const char *return_path; /* "" for the null path <> */
	const char *x_dutydesk;	 /* our own outgoing mail carries it */
};

enum dd_mail_report {
	DD_MAIL_REPORT_NONE,
	DD_MAIL_REPORT_DELIVERY, /* multipart/report; delivery-status */
	DD_MAIL_REPORT_OTHER,	 /* feedback, disposition, ... */
};

struct dd_mail_parsed {
	const char *message_id;	 /* without <>, NULL when none */
	const char *subject;	 /* "" when none */
	const char *in_reply_to; /* first id, without <>, NULL when none */
	int ref_count;
	const char **refs;	      /* References, oldest first, without <> */
	struct dd_mail_addr from;     /* addr NULL when none */
	struct dd_mail_addr reply_to; /* addr NULL when none */
	struct dd_mail_addr sender;   /* addr NULL when none */
	struct dd_mail_addrs to, cc;
	int64_t date; /* ms, 0 when none or unreadable */
	struct dd_mail_auto_headers autoh;

	const char *text;   /* the readable text, "" when there is none */
	int text_from_html; /* the text was made from HTML */
	int encrypted;	    /* the content is encrypted (kept as a part) */
	int signed_;	    /* the content is signed (signature kept) */

	int part_count; /* attachments kept */
	struct dd_mail_part *parts;
	int parts_dropped; /* past the limits: in the raw message only */
	int too_deep;	   /* nesting went past DD_LIMIT_MAIL_DEPTH */

	enum dd_mail_report report;
	/* A delivery report's original Message-ID (from its returned
	 * message or headers, or a "Message-ID:" line of its text), NULL
	 * when it names none. */
	const char *bounced_message_id;
};

/* Call before threads start: GMime's global state (idempotent; the
 * parser also makes sure once by itself). */
void dd_mail_parse_init(void);

/*
 * Parse len bytes at raw into out, allocating from arena. Returns 0, or
 * -1 with err filled: 422 when the bytes are not a message at all (empty,
 * no header block), 413 when the arena is exhausted (a message whose
 * decoded parts do not fit), 500 when GMime fails.
 */
int dd_mail_parse(struct dd_arena *arena, const void *raw, size_t len,
		  struct dd_mail_parsed *out, struct dd_err *err);

#endif
