#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "store/migrate.h"

int dd_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "dutydesk %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'dutydesk %s --help'.\n", cmd);
	return DD_EXIT_USAGE;
}

int dd_cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "dutydesk %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return DD_EXIT_FAIL;
}

int dd_cli_init(struct dd_cli *cli, const char *cmd)
{
	struct dd_err err;
	memset(cli, 0, sizeof(*cli));
	dd_config_defaults(&cli->config);
	dd_clock_init_system(&cli->clock);
	dd_log_init(&cli->log, stderr, &cli->clock);
	cli->log.debug_mask = dd_log_parse_mask(getenv("DUTYDESK_DEBUG"));
	dd_arena_init(&cli->arena, DD_LIMIT_ARENA_BYTES);
	dd_tz_cache_init(&cli->tz_cache);
	cli->ctx.tz_cache = &cli->tz_cache;
	cli->actor.person_id = 0;
	cli->actor.label = "cli";
	const char *db = getenv("DUTYDESK_DB");
	if (db && *db) {
		if (strlen(db) >= sizeof(cli->config.db_url))
			return dd_cli_usage_error(cmd,
						  "DUTYDESK_DB is too long");
		snprintf(cli->config.db_url, sizeof(cli->config.db_url), "%s",
			 db);
	}
	/* Tests move the time of running servers (base/clock.h). */
	const char *clock_file = getenv("DUTYDESK_TEST_CLOCK_FILE");
	if (clock_file && *clock_file &&
	    dd_clock_init_file(&cli->clock, clock_file) < 0)
		return dd_cli_usage_error(cmd,
					  "DUTYDESK_TEST_CLOCK_FILE '%s' holds "
					  "no instant in milliseconds",
					  clock_file);
	const char *listen = getenv("DUTYDESK_LISTEN");
	if (listen && *listen &&
	    dd_config_set_listen(&cli->config, listen, &err) < 0)
		return dd_cli_usage_error(cmd, "DUTYDESK_LISTEN: %s", err.msg);
	if (dd_secret_init() < 0)
		return dd_cli_fail(cmd, "libsodium cannot start");
	return DD_EXIT_OK;
}

int dd_cli_open(struct dd_cli *cli, const char *cmd)
{
	struct dd_err err;
	int applied = 0;
	if (!dd_store_url_valid(cli->config.db_url))
		return dd_cli_usage_error(cmd,
					  "unknown database url '%s' (want "
					  "sqlite:PATH or postgresql://...)",
					  cli->config.db_url);
	if (dd_store_open(cli->config.db_url, &cli->ctx.store, &err) < 0)
		return dd_cli_fail(cmd, "%s", err.msg);
	if (dd_migrate_run(cli->ctx.store, dd_clock_now(&cli->clock), &applied,
			   &err) < 0) {
		dd_store_close(cli->ctx.store);
		cli->ctx.store = NULL;
		return dd_cli_fail(cmd, "%s", err.msg);
	}
	if (applied > 0)
		dd_log_write(&cli->log, DD_LOG_INFO, DD_SUB_STORE,
			     "schema migrated", "applied=%d version=%d",
			     applied, dd_migrate_latest());
	cli->ctx.config = &cli->config;
	cli->ctx.clock = &cli->clock;
	cli->ctx.log = &cli->log;
	cli->ctx.arena = &cli->arena;
	return DD_EXIT_OK;
}

void dd_cli_close(struct dd_cli *cli)
{
	dd_store_close(cli->ctx.store);
	cli->ctx.store = NULL;
	dd_arena_release(&cli->arena);
	dd_tz_cache_release(&cli->tz_cache);
	dd_log_release(&cli->log);
}

int dd_cli_read_secret(const char *cmd, const char *path, char *out, size_t cap)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f)
		return dd_cli_fail(cmd, "cannot read '%s': %s", path,
				   strerror(errno));
	if (!fgets(out, (int)cap, f)) {
		if (f != stdin)
			fclose(f);
		return dd_cli_fail(cmd, "'%s' is empty", path);
	}
	if (f != stdin)
		fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return DD_EXIT_OK;
}
