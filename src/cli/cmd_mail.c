/*
 * cmd_mail.c - "dutydesk mail": the stored messages of the support
 * mailbox on the database directly. "mail list" prints them, "mail
 * reprocess ID" runs a stored or failed message through parsing and
 * routing again, "mail ingest" takes one message from standard input
 * as the server would (for imports and tests), "mail poll" polls the
 * IMAP mailbox once now (as serve's job does at the set interval).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "cli/table.h"
#include <time.h>

#include "mail/imap.h"
#include "mail/intake.h"
#include "mail/message.h"

static const char help[] =
	"usage: dutydesk mail list [--status STATUS] [--limit N] [--db URL]\n"
	"       dutydesk mail reprocess ID [--db URL]\n"
	"       dutydesk mail ingest [--source mta|imap|api] [--db URL] < "
	"MSG\n"
	"       dutydesk mail poll [--db URL]\n\n"
	"list       the stored messages, newest first: STATUS is stored,\n"
	"           failed, ticketed, triage, bounce or ignored; at most N\n"
	"           (1-500, default 50)\n"
	"reprocess  parse and route a stored or failed message again\n"
	"ingest     store and process one message read from standard input\n"
	"poll       read the IMAP mailbox of the mail settings once, now\n"
	"           (waits up to a minute while another instance polls)\n\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

static void print_outcome(const struct dd_mail_outcome *o)
{
	printf("message %lld: %s", (long long)o->id,
	       o->status ? o->status : "-");
	if (o->duplicate)
		printf(" (stored before)");
	if (o->ticket_id)
		printf(", ticket id %lld", (long long)o->ticket_id);
	if (o->triage_id)
		printf(", triage item %lld", (long long)o->triage_id);
	if (o->error)
		printf(": %s", o->error);
	printf("\n");
}

static int row(const struct dd_mail_message *m, void *arg)
{
	(void)arg;
	char ticket[24] = "-";
	if (m->ticket_id)
		snprintf(ticket, sizeof(ticket), "%lld",
			 (long long)m->ticket_id);
	printf("%-8lld %-9s %-8s ", (long long)m->id, m->status, ticket);
	dd_cli_print_padded(stdout, m->from_addr ? m->from_addr : "-", 32);
	printf(" %.100s%s%s\n", m->subject ? m->subject : "-",
	       m->error ? "  ! " : "", m->error ? m->error : "");
	return 0;
}

/* Seconds "mail poll" waits for another instance's poll to end. */
#define POLL_WAIT_S 60

static int poll_once(struct dd_cli *cli, struct dd_err *err)
{
	struct dd_imap_stats st;
	for (int i = 0; i < POLL_WAIT_S * 5; i++) {
		if (dd_mail_imap_poll(&cli->ctx, &cli->actor, 1, &st, err) < 0)
			return dd_cli_fail("mail poll", "%s", err->msg);
		if (!st.configured)
			return dd_cli_fail("mail poll",
					   "no imap_url in the mail settings");
		if (st.claimed) {
			printf("found %d: stored %d, stored before %d, "
			       "failed %d, left in the mailbox %d, vanished "
			       "%d, not marked %d%s%s\n",
			       st.found, st.stored, st.duplicates, st.failed,
			       st.refused, st.vanished, st.mark_errors,
			       st.uidvalidity_changed ? "; uidvalidity changed"
						      : "",
			       st.more ? "; more to come" : "");
			return DD_EXIT_OK;
		}
		nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
	}
	return dd_cli_fail("mail poll",
			   "another instance kept polling the mailbox for %d "
			   "seconds",
			   POLL_WAIT_S);
}

int dd_cmd_mail(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"status", required_argument, NULL, 's'},
		{"limit", required_argument, NULL, 'l'},
		{"source", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	struct dd_err err;
	const char *status = NULL, *source = "api";
	int limit = 50, rc, c;
	dd_err_clear(&err);
	if ((rc = dd_cli_init(&cli, "mail")) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		char *end;
		long v;
		switch (c) {
		case 'd':
			if (strlen(optarg) >= sizeof(cli.config.db_url))
				return dd_cli_usage_error("mail",
							  "--db is too long");
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
			break;
		case 's':
			status = optarg;
			break;
		case 'S':
			if (!dd_mail_source_valid(optarg))
				return dd_cli_usage_error(
					"mail",
					"--source must be mta, imap or api");
			source = optarg;
			break;
		case 'l':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 500)
				return dd_cli_usage_error(
					"mail", "--limit must be 1 to 500");
			limit = (int)v;
			break;
		case 'h':
			fputs(help, stdout);
			return DD_EXIT_OK;
		case ':':
			return dd_cli_usage_error("mail", "'%s' needs a value",
						  argv[optind - 1]);
		default:
			return dd_cli_usage_error("mail", "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return dd_cli_usage_error("mail", "say list, reprocess or "
						  "ingest");
	const char *sub = argv[optind++];
	int64_t id = 0;
	if (strcmp(sub, "reprocess") == 0) {
		char *end;
		if (optind >= argc)
			return dd_cli_usage_error("mail reprocess",
						  "which message? (an id)");
		id = strtoll(argv[optind++], &end, 10);
		if (*end || id < 1)
			return dd_cli_usage_error("mail reprocess",
						  "'%s' is not a message id",
						  argv[optind - 1]);
	} else if (strcmp(sub, "list") != 0 && strcmp(sub, "ingest") != 0 &&
		   strcmp(sub, "poll") != 0) {
		return dd_cli_usage_error("mail", "unknown subcommand '%s'",
					  sub);
	}
	if (optind < argc)
		return dd_cli_usage_error("mail", "unexpected argument '%s'",
					  argv[optind]);
	if ((rc = dd_cli_open(&cli, "mail")) != DD_EXIT_OK)
		return rc;
	struct dd_mail_outcome o;
	if (strcmp(sub, "reprocess") == 0) {
		if (dd_mail_process(&cli.ctx, &cli.actor, id, &o, &err) < 0) {
			dd_cli_close(&cli);
			return dd_cli_fail("mail reprocess", "%s", err.msg);
		}
		print_outcome(&o);
		dd_cli_close(&cli);
		return strcmp(o.status, "failed") == 0 ? DD_EXIT_FAIL
						       : DD_EXIT_OK;
	}
	if (strcmp(sub, "poll") == 0) {
		rc = poll_once(&cli, &err);
		dd_cli_close(&cli);
		return rc;
	}
	if (strcmp(sub, "ingest") == 0) {
		struct dd_buf msg;
		char chunk[65536];
		size_t n;
		dd_buf_init(&msg, DD_LIMIT_MAIL_BYTES_MAX);
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			if (dd_buf_append(&msg, chunk, n) < 0)
				break;
		if (msg.overflow) {
			dd_buf_release(&msg);
			dd_cli_close(&cli);
			return dd_cli_fail(
				"mail ingest",
				"the message is larger than %d bytes",
				DD_LIMIT_MAIL_BYTES_MAX);
		}
		rc = dd_mail_ingest(&cli.ctx, &cli.actor, source,
				    msg.data ? msg.data : "", msg.len, &o,
				    &err);
		dd_buf_release(&msg);
		dd_cli_close(&cli);
		if (rc < 0)
			return dd_cli_fail("mail ingest", "%s", err.msg);
		print_outcome(&o);
		return DD_EXIT_OK;
	}
	struct dd_mail_message_filter f = {.status = status, .limit = limit};
	printf("%-8s %-9s %-8s ", "ID", "STATUS", "TICKET");
	dd_cli_print_padded(stdout, "FROM", 32);
	printf(" SUBJECT\n");
	if (dd_mail_message_list(&cli.ctx, &f, row, NULL, &err) < 0) {
		dd_cli_close(&cli);
		return dd_cli_fail("mail list", "%s", err.msg);
	}
	dd_cli_close(&cli);
	return DD_EXIT_OK;
}
