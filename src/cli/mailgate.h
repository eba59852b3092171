/*
 * mailgate.h - "dutydesk mailgate", the MTA's delivery command, shared by
 * the two executables (cli/cmd_mailgate.c in dutydesk-core, and the
 * small front dutydesk of src/front/): options, the token file, the
 * message on standard input, the POST and the exit status (see
 * cmd_mailgate.c for what each status means).
 *
 * An http:// URL is spoken with base/http_post.h (libc only); any other
 * goes through tls_post, which the core fills with libcurl. The front
 * never calls this for anything but http:// (it runs the core instead),
 * so it passes NULL.
 */
#ifndef DD_CLI_MAILGATE_H
#define DD_CLI_MAILGATE_H

#include <stddef.h>

#include "base/buf.h"

/* POST body to url with headers (NULL-ended) within timeout_s: 0 with
 * *status and the answer, or -1 with a one-line reason in why. */
typedef int (*dd_mailgate_post_fn)(const char *url, const char *const *headers,
				   const void *body, size_t len, long timeout_s,
				   long *status, struct dd_buf *answer,
				   char *why, size_t why_cap);

/* Run the command (argv[0] "mailgate"); returns the exit status. */
int dd_mailgate_run(int argc, char **argv, dd_mailgate_post_fn tls_post);

/* The value of --url in argv (argv[0] "mailgate"), or NULL: for the
 * front, to decide whether it can deliver itself. */
const char *dd_mailgate_url(int argc, char **argv);

#endif
