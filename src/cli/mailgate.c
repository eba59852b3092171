/*
 * mailgate.c - the mailgate command's body (cli/mailgate.h); the exit
 * statuses are described in cmd_mailgate.c.
 */
#include "cli/mailgate.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/http_post.h"
#include "base/limits.h"

#define EX_DATAERR  65
#define EX_TEMPFAIL 75

/* Seconds the whole request may take by default. */
#define MAILGATE_TIMEOUT_S 60
/* A server's answer: a small JSON document or problem. */
#define ANSWER_MAX (64 * 1024)

static const char help[] =
	"usage: dutydesk mailgate --url URL --token-file FILE [--source mta]\n"
	"                         [--timeout SECONDS]\n\n"
	"Read one message on standard input and post it to the dutydesk at\n"
	"URL (http://host:port, or the full .../api/v1/mail/inbound URL)\n"
	"with the token in FILE (its first line; the token needs the scope\n"
	"mail:ingest). For an MTA's pipe transport or aliases file.\n\n"
	"Exit status: 0 stored; 65 the server refused the message (empty,\n"
	"too large, not a message); 75 try again later (server unreachable,\n"
	"timeout, 5xx, token refused, bad set-up).\n\n"
	"  --source NAME      mta (default), imap or api\n"
	"  --timeout SECONDS  for the whole request (default 60)\n";

static int fail(int code, const char *fmt, const char *arg)
{
	fprintf(stderr, "dutydesk mailgate: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return code;
}

/* The "detail" of a problem answer, for the log line. */
static const char *detail(const char *body, char *out, size_t cap)
{
	const char *d = body ? strstr(body, "\"detail\":\"") : NULL;
	if (!d)
		return "";
	d += 10;
	size_t n = 0;
	while (d[n] && d[n] != '"' && n + 1 < cap)
		n++;
	memcpy(out, d, n);
	out[n] = '\0';
	return out;
}

const char *dd_mailgate_url(int argc, char **argv)
{
	const char *url = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--url") == 0 && i + 1 < argc)
			url = argv[++i];
		else if (strncmp(argv[i], "--url=", 6) == 0)
			url = argv[i] + 6;
		else if (strcmp(argv[i], "--token-file") == 0 ||
			 strcmp(argv[i], "--source") == 0 ||
			 strcmp(argv[i], "--timeout") == 0)
			i++;
	}
	return url;
}

int dd_mailgate_run(int argc, char **argv, dd_mailgate_post_fn tls_post)
{
	static const struct option opts[] = {
		{"url", required_argument, NULL, 'u'},
		{"token-file", required_argument, NULL, 't'},
		{"source", required_argument, NULL, 's'},
		{"timeout", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	const char *url = NULL, *token_file = NULL, *source = "mta";
	long timeout = MAILGATE_TIMEOUT_S;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'u':
			url = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'T':
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout < 1 || timeout > 3600)
				return fail(EX_TEMPFAIL,
					    "--timeout must be 1 to 3600 "
					    "seconds%s",
					    "");
			break;
		case 'h':
			fputs(help, stdout);
			return 0;
		default:
			return fail(EX_TEMPFAIL, "bad option '%s' (see --help)",
				    argv[optind - 1]);
		}
	}
	if (!url || !token_file)
		return fail(EX_TEMPFAIL,
			    "--url and --token-file are required%s", "");
	if (strcmp(source, "mta") && strcmp(source, "imap") &&
	    strcmp(source, "api"))
		return fail(EX_TEMPFAIL, "--source must be mta, imap or api%s",
			    "");

	char token[512];
	FILE *f = fopen(token_file, "r");
	if (!f)
		return fail(EX_TEMPFAIL, "cannot read the token file '%s'",
			    token_file);
	if (!fgets(token, sizeof(token), f)) {
		fclose(f);
		return fail(EX_TEMPFAIL, "the token file '%s' is empty",
			    token_file);
	}
	fclose(f);
	token[strcspn(token, "\r\n")] = '\0';

	/* The message: read whole, up to the largest the server takes. */
	struct dd_buf msg, answer;
	dd_buf_init(&msg, DD_LIMIT_MAIL_BYTES_MAX);
	dd_buf_init(&answer, ANSWER_MAX);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (dd_buf_append(&msg, chunk, n) < 0)
			break;
	if (ferror(stdin)) {
		dd_buf_release(&msg);
		return fail(EX_TEMPFAIL, "cannot read the message: %s",
			    strerror(errno));
	}
	if (msg.overflow) {
		dd_buf_release(&msg);
		return fail(EX_DATAERR,
			    "the message is larger than the most dutydesk "
			    "takes%s",
			    "");
	}
	if (msg.len == 0) {
		dd_buf_release(&msg);
		return fail(EX_DATAERR, "the message is empty%s", "");
	}

	char full[DD_LIMIT_URL + 64], auth[600];
	size_t ul = strlen(url);
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	if (strstr(url, "/api/v1/mail/inbound"))
		snprintf(full, sizeof(full), "%.*s%ssource=%s", (int)ul, url,
			 strchr(url, '?') ? "&" : "?", source);
	else
		snprintf(full, sizeof(full),
			 "%.*s/api/v1/mail/inbound?source=%s", (int)ul, url,
			 source);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);

	const char *headers[] = {auth, "Content-Type: message/rfc822", NULL};
	long status = 0;
	char reason[400] = "";
	int rc;
	if (dd_http_post_plain(full))
		rc = dd_http_post(full, headers, msg.data, msg.len,
				  (int)timeout, &status, &answer, reason,
				  sizeof(reason));
	else if (tls_post)
		rc = tls_post(full, headers, msg.data, msg.len, timeout,
			      &status, &answer, reason, sizeof(reason));
	else {
		snprintf(reason, sizeof(reason),
			 "'%.200s' is not an http:// URL", url);
		rc = -1;
	}
	dd_buf_release(&msg);

	char why[300];
	int code;
	if (rc < 0) {
		code = fail(EX_TEMPFAIL, "cannot deliver to dutydesk: %s",
			    reason);
	} else if (status == 200 || status == 201) {
		code = 0;
	} else if (status == 400 || status == 413 || status == 415 ||
		   status == 422) {
		code = fail(EX_DATAERR, "dutydesk refused the message: %s",
			    detail(dd_buf_str(&answer), why, sizeof(why)));
	} else {
		char line[400];
		snprintf(line, sizeof(line), "dutydesk answered %ld: %s",
			 status, detail(dd_buf_str(&answer), why, sizeof(why)));
		code = fail(EX_TEMPFAIL, "%s", line);
	}
	dd_buf_release(&answer);
	return code;
}
