#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "people/person.h"
#include "people/token.h"

static const char help[] =
	"usage: dutydesk token create --login L --scopes a,b [--name N] "
	"[--db URL]\n"
	"       dutydesk token revoke --id N [--db URL]\n\n"
	"create  make an API token that acts for person L with the scopes\n"
	"        given (read, write, admin, mail:ingest, phone:route) and\n"
	"        print it alone on the last line of standard output. It is\n"
	"        shown only this once.\n"
	"revoke  stop token N from working (it stays listed).\n\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

int dd_cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"login", required_argument, NULL, 'l'},
		{"scopes", required_argument, NULL, 's'},
		{"name", required_argument, NULL, 'n'},
		{"id", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	struct dd_err err;
	const char *login = NULL, *scopes_text = NULL, *name = NULL;
	long long id = 0;
	int rc, c;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_USAGE : DD_EXIT_OK;
	}
	int create = strcmp(argv[1], "create") == 0;
	if (!create && strcmp(argv[1], "revoke") != 0)
		return dd_cli_usage_error("token",
					  "unknown subcommand '%s' "
					  "(create or revoke)",
					  argv[1]);
	const char *cmd = create ? "token create" : "token revoke";
	if ((rc = dd_cli_init(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'd':
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
			break;
		case 'l':
			login = optarg;
			break;
		case 's':
			scopes_text = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'i':
			id = strtoll(optarg, &end, 10);
			if (*end || id < 1)
				return dd_cli_usage_error(
					cmd, "--id must be a token id");
			break;
		case 'h':
			fputs(help, stdout);
			return DD_EXIT_OK;
		case ':':
			return dd_cli_usage_error(cmd, "'%s' needs a value",
						  argv[optind]);
		default:
			return dd_cli_usage_error(cmd, "unknown option '%s'",
						  argv[optind]);
		}
	}
	if (optind < argc - 1)
		return dd_cli_usage_error(cmd, "unexpected argument '%s'",
					  argv[optind + 1]);
	unsigned scopes = 0;
	if (create) {
		if (!login || !scopes_text)
			return dd_cli_usage_error(cmd, "--login and --scopes "
						       "are required");
		if (dd_scopes_parse(scopes_text, &scopes, &err) < 0)
			return dd_cli_usage_error(cmd, "%s", err.msg);
	} else if (!id) {
		return dd_cli_usage_error(cmd, "--id is required");
	}
	if ((rc = dd_cli_open(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	if (create) {
		struct dd_person p;
		struct dd_token t;
		char text[DD_TOKEN_TEXT_LEN];
		if (dd_person_get_by_login(&cli.ctx, login, &p, &err) < 0 ||
		    dd_token_create(&cli.ctx, &cli.actor, p.id,
				    name ? name : "created on the command line",
				    scopes, text, &t, &err) < 0) {
			rc = dd_cli_fail(cmd, "%s", err.msg);
		} else {
			printf("token %lld for %s, scopes %s\n",
			       (long long)t.id, p.login, scopes_text);
			printf("%s\n", text);
		}
	} else if (dd_token_revoke(&cli.ctx, &cli.actor, id, &err) < 0) {
		rc = dd_cli_fail(cmd, "%s", err.msg);
	} else {
		printf("token %lld revoked\n", id);
	}
	dd_cli_close(&cli);
	return rc;
}
