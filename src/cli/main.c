/*
 * main.c - dutydesk-core, the whole dutydesk command: one subcommand per
 * file. Users run it through the small front `dutydesk` (src/front/),
 * which handles the mailgate over http:// itself and execs this for
 * everything else.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "mail/compose.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	/* Needs libcurl and GMime set up (process-wide state, before any
	 * thread starts); the others skip their start-up cost. */
	int libraries;
} commands[] = {
	{"serve", dd_cmd_serve, "run the HTTP server", 1},
	{"migrate", dd_cmd_migrate, "bring the database schema up to date", 0},
	{"user", dd_cmd_user, "add people, set passwords (user add|passwd)", 0},
	{"token", dd_cmd_token, "create and revoke API tokens", 0},
	{"demo", dd_cmd_demo, "load the invented demo organisation", 1},
	{"routes", dd_cmd_routes, "list the HTTP API's routes", 0},
	{"rota", dd_cmd_rota, "show the week's plan, propose a fair plan", 1},
	{"oncall", dd_cmd_oncall, "who is on duty now (or --at a time)", 1},
	{"ticket", dd_cmd_ticket, "list, show and create tickets", 1},
	/* mailgate sets up libcurl itself and needs no GMime. */
	{"mailgate", dd_cmd_mailgate, "deliver one message from an MTA", 0},
	{"mail", dd_cmd_mail, "stored mail: list, reprocess, ingest, poll", 1},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: dutydesk COMMAND [OPTIONS]\n\n"
		     "A support desk with a duty rota and priority-1 "
		     "escalation.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\nRun 'dutydesk COMMAND --help' for a command's "
		     "options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DD_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return DD_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			if (commands[i].libraries) {
				curl_global_init(CURL_GLOBAL_DEFAULT);
				dd_mail_library_init();
			}
			return commands[i].run(argc - 1, argv + 1);
		}
	fprintf(stderr, "dutydesk: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return DD_EXIT_USAGE;
}
