#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/migrate.h"

static const char help[] =
	"usage: dutydesk migrate [--db URL]\n\n"
	"Bring the database schema up to date and print its version. Safe to\n"
	"run again and from several hosts at once. Refuses a database that a\n"
	"newer dutydesk has migrated.\n\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

int dd_cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	int rc, c;
	if ((rc = dd_cli_init(&cli, "migrate")) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'd') {
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
		} else if (c == 'h') {
			fputs(help, stdout);
			return DD_EXIT_OK;
		} else if (c == ':') {
			return dd_cli_usage_error("migrate",
						  "'%s' needs a value",
						  argv[optind - 1]);
		} else {
			return dd_cli_usage_error("migrate",
						  "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return dd_cli_usage_error("migrate", "unexpected argument '%s'",
					  argv[optind]);
	if ((rc = dd_cli_open(&cli, "migrate")) != DD_EXIT_OK)
		return rc;
	printf("schema version %d\n", dd_migrate_latest());
	dd_cli_close(&cli);
	return DD_EXIT_OK;
}
