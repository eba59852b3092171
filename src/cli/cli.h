/*
 * cli.h - what every subcommand shares: the set-up of a context on a
 * database, option helpers and the exit codes.
 *
 * Exit codes: 0 success, 1 the work failed (message on stderr), 2 the
 * command line was wrong (message and a hint to --help on stderr).
 */
#ifndef DD_CLI_CLI_H
#define DD_CLI_CLI_H

#include "base/arena.h"
#include "base/clock.h"
#include "base/ctx.h"
#include "base/log.h"
#include "base/tz.h"
#include "store/event.h"
#include "store/store.h"

#define DD_EXIT_OK    0
#define DD_EXIT_FAIL  1
#define DD_EXIT_USAGE 2

struct dd_cli {
	struct dd_config config;
	struct dd_clock clock;
	struct dd_log log;
	struct dd_arena arena;
	struct dd_tz_cache tz_cache;
	struct dd_ctx ctx;
	struct dd_actor actor; /* "cli" */
};

/* Defaults from the environment: DUTYDESK_DB, DUTYDESK_LISTEN,
 * DUTYDESK_DEBUG. Returns DD_EXIT_OK or DD_EXIT_USAGE. */
int dd_cli_init(struct dd_cli *cli, const char *cmd);

/* Open cli->config.db_url and bring its schema up to date. Returns
 * DD_EXIT_OK, or DD_EXIT_FAIL after printing why. */
int dd_cli_open(struct dd_cli *cli, const char *cmd);
void dd_cli_close(struct dd_cli *cli);

/* Print "dutydesk CMD: MESSAGE" and the --help hint; returns
 * DD_EXIT_USAGE. */
int dd_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "dutydesk CMD: MESSAGE"; returns DD_EXIT_FAIL. */
int dd_cli_fail(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Read the first line of path ("-" for standard input) into out without
 * the newline. DD_EXIT_OK or DD_EXIT_FAIL after printing why. */
int dd_cli_read_secret(const char *cmd, const char *path, char *out,
		       size_t cap);

/* Subcommands: argc/argv start at the subcommand's name. */
int dd_cmd_serve(int argc, char **argv);
int dd_cmd_migrate(int argc, char **argv);
int dd_cmd_user(int argc, char **argv);
int dd_cmd_token(int argc, char **argv);
int dd_cmd_demo(int argc, char **argv);
int dd_cmd_routes(int argc, char **argv);
int dd_cmd_rota(int argc, char **argv);
int dd_cmd_oncall(int argc, char **argv);
int dd_cmd_ticket(int argc, char **argv);
int dd_cmd_mailgate(int argc, char **argv);
int dd_cmd_mail(int argc, char **argv);

#endif
