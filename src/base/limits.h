/*
 * limits.h - every limit dutydesk enforces, in one place, each with the
 * reason for its number. A request that goes past one gets a 4xx that names
 * the limit; nothing is truncated silently.
 */
#ifndef DD_BASE_LIMITS_H
#define DD_BASE_LIMITS_H

/* A JSON request body. The largest legitimate body is a person or ticket
 * with a long note; 1 MiB leaves two orders of magnitude of room while
 * keeping a flood of bodies from exhausting memory. Configurable with
 * serve --max-body. */
#define DD_LIMIT_BODY_DEFAULT (1024 * 1024)
/* The most --max-body may raise it to. Attachments are uploaded as the
 * raw request body, so a file is at most the body limit too: raise it to
 * DD_LIMIT_ATTACHMENT_BYTES (10 MiB) to take files of that size. */
#define DD_LIMIT_BODY_MAX (64 * 1024 * 1024)

/* Total size of the request line and headers. Browsers send ~1-2 KiB;
 * 16 KiB matches common proxies (nginx large_client_header_buffers). */
#define DD_LIMIT_HEADER_BYTES (16 * 1024)

/* Concurrent connections per instance; beyond it libmicrohttpd refuses. */
#define DD_LIMIT_CONNECTIONS 1024

/* A request's memory arena. A response larger than this is a bug or an
 * abuse: list endpoints page instead. */
#define DD_LIMIT_ARENA_BYTES (32 * 1024 * 1024)
/* A response body (JSON lists are paged well below this). */
#define DD_LIMIT_RESPONSE_BYTES (16 * 1024 * 1024)

/* Field lengths in bytes (UTF-8). */
#define DD_LIMIT_LOGIN	     64	  /* fits e-mail local parts and Unix names */
#define DD_LIMIT_NAME	     200  /* display names and group names */
#define DD_LIMIT_EMAIL	     254  /* RFC 5321 path limit */
#define DD_LIMIT_PHONE	     16	  /* E.164: '+' and at most 15 digits */
#define DD_LIMIT_DESCRIPTION 2000 /* free text on groups and tokens */
#define DD_LIMIT_URL	     2048 /* database URLs and links */
/* Passwords: at least 8 (NIST SP 800-63B), at most 1024 so that hashing
 * cost stays bounded. */
#define DD_LIMIT_PASSWORD_MIN 8
#define DD_LIMIT_PASSWORD_MAX 1024

/* Lists. */
#define DD_LIMIT_PAGE_DEFAULT 50  /* rows a list returns without ?limit */
#define DD_LIMIT_PAGE_MAX     500 /* rows a list returns at most */
#define DD_LIMIT_SCOPES	      16  /* scopes on one token */
#define DD_LIMIT_JSON_DEPTH   16  /* nesting in request bodies */

/* Articles on tickets. A body holds a mail with its quoted thread or a
 * long log excerpt: 256 KiB is ten times a long thread, and the search
 * index covers the first 256 KiB of a text anyway. */
#define DD_LIMIT_ARTICLE_BODY (256 * 1024)
/* Attachments. One file: screenshots, office documents and log files fit
 * in 10 MiB; bigger files belong on a file share. A file travels in one
 * request body and one response, so it is also never more than the
 * server's body limit (serve --max-body, default 1 MiB) nor
 * DD_LIMIT_RESPONSE_BYTES. */
#define DD_LIMIT_ATTACHMENT_BYTES (10 * 1024 * 1024)
/* Files on one ticket: a long case has a few dozen; 100 bounds what one
 * ticket can hold (1000 MiB) and fits its list in one page. A merge may
 * exceed it (it never fails for that); uploads are then refused. */
#define DD_LIMIT_ATTACHMENTS_PER_TICKET 100
/* A file name in bytes of UTF-8: 255 is what common file systems (ext4,
 * APFS, NTFS) allow for one name. */
#define DD_LIMIT_FILENAME 255
/* A stored Content-Type: RFC 6838 gives type and subtype 127 characters
 * each; real ones with a charset are under 100. */
#define DD_LIMIT_MEDIA_TYPE 255
/* Reports: time accounting rows (one per ticket at most) and the days a
 * report may span (a year with room for a fiscal year's ends). Beyond
 * the rows a report says it was truncated. */
#define DD_LIMIT_REPORT_ROWS 10000
#define DD_LIMIT_REPORT_DAYS 400

/* The web UI's files (serve --web-root). A file is read whole into
 * memory per request: the largest one, the script bundle, is ~30 KiB;
 * 4 MiB leaves room for images and fonts and keeps a stray big file in
 * the web root from costing much memory. The web root's path: 1 KiB is
 * deep enough for any install location and leaves room below PATH_MAX
 * for "/assets/" and a file name. */
#define DD_LIMIT_STATIC_FILE (4 * 1024 * 1024)
#define DD_LIMIT_WEB_ROOT    1024

/* Sign-in throttling: failures counted over this window, per login and
 * per client address. After DD_LIMIT_SIGNIN_FREE failures each further
 * attempt waits twice as long as the one before, up to the window. */
#define DD_LIMIT_SIGNIN_WINDOW_S (15 * 60)
#define DD_LIMIT_SIGNIN_FREE	 5
/* Per client address the free failures are many more: behind a NAT or a
 * reverse proxy without --trust-proxy, everyone shares one address, and a
 * stranger's five bad guesses must not lock the whole team out. Guessing
 * one login's password stays slow through the per-login count. */
#define DD_LIMIT_SIGNIN_FREE_ADDRESS 50

/* Sessions: a browser session lasts a working week at most, and ends
 * earlier after a day without use. */
#define DD_LIMIT_SESSION_TTL_S	(7 * 24 * 3600)
#define DD_LIMIT_SESSION_IDLE_S (24 * 3600)
/* How often a session's last use is written: every request would turn
 * every read into a write. */
#define DD_LIMIT_SESSION_TOUCH_S 300

/* Worker threads: one per core is the measured optimum (DESIGN.md); more
 * than 64 only adds database connections. */
#define DD_LIMIT_THREADS_MAX 64

/* The ticket cache (serve --cache-mb): 64 GiB is more than any help
 * desk's tickets; the limit only catches a typo of a few digits. */
#define DD_LIMIT_CACHE_MB_MAX 65536

/* Graceful shutdown: requests in flight get this long to finish. */
#define DD_LIMIT_SHUTDOWN_GRACE_MS 10000

/* Mail (src/mail/). A message is refused at the configured size
 * (mail settings, default 25 MiB: what common providers accept); the
 * setting may not exceed DD_LIMIT_MAIL_BYTES_MAX, which is also the body
 * a POST /api/v1/mail/inbound may carry, so a 200 MB message is refused
 * with 413 from its Content-Length or as soon as it passes this size. */
#define DD_LIMIT_MAIL_BYTES_DEFAULT (25 * 1024 * 1024)
#define DD_LIMIT_MAIL_BYTES_MIN	    (4 * 1024)
#define DD_LIMIT_MAIL_BYTES_MAX	    (64 * 1024 * 1024)
/* MIME nesting: real mail nests 3-5 deep (a forward of a signed reply
 * with an alternative body); 32 is generous and keeps a crafted
 * "endless" nesting from costing stack or time. Deeper parts are kept in
 * the raw message only. */
#define DD_LIMIT_MAIL_DEPTH 32
/* Parts of one message looked at: a message with more is a bomb, not
 * mail; the rest stays in the raw message. */
#define DD_LIMIT_MAIL_PARTS 500
/* Attachments taken from one message onto its ticket. */
#define DD_LIMIT_MAIL_ATTACHMENTS 50
/* Addresses kept per header (To, Cc): enough for any real recipient
 * list; a message with 10,000 recipients keeps the first ones and the
 * count. */
#define DD_LIMIT_MAIL_ADDRESSES 100
/* References kept from one message: threads deeper than this match on
 * their newest ids. */
#define DD_LIMIT_MAIL_REFERENCES 50
/* A Message-ID (RFC 5322 has no limit; 998 is the line limit, real ones
 * are under 100). */
#define DD_LIMIT_MESSAGE_ID 250
/* The memory parsing one message may take besides GMime's own: its text
 * and decoded attachments, about three times the largest message. */
#define DD_LIMIT_MAIL_PARSE_BYTES (3 * DD_LIMIT_MAIL_BYTES_MAX)

#endif
