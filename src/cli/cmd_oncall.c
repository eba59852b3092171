/*
 * cmd_oncall.c - "dutydesk oncall": who is on duty now (or at an
 * instant), per duty, with the phone to ring; what GET /api/v1/oncall
 * answers, for a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/timefmt.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "rota/env.h"
#include "rota/oncall.h"

static const char help[] =
	"usage: dutydesk oncall [--at TIME] [--db URL]\n\n"
	"Print, for each duty, who is on duty now (or at TIME) with their\n"
	"phone number and why (plan, plan day, swap, replacement, sick\n"
	"cover), or 'nobody (window closed)' outside the duty's window.\n\n"
	"  --at TIME  an RFC 3339 time, e.g. 2026-11-27T16:30:00+01:00\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

static void print_local(const struct dd_tz *tz, int64_t ms, int with_date)
{
	struct dd_civil c;
	int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	dd_tz_utc_to_local(tz, secs, &c);
	if (with_date)
		printf("%04d-%02d-%02d ", c.year, c.month, c.day);
	printf("%02d:%02d", c.hour, c.minute);
}

static int run(struct dd_cli *cli, int64_t at)
{
	struct dd_rota_env env;
	struct dd_oncall *list;
	struct dd_err err;
	char utc[DD_TIME_RFC3339_LEN];
	int64_t day;
	dd_err_clear(&err);
	if (dd_rota_env_load_at(&cli->ctx, at, &env, &day, &err) < 0 ||
	    dd_oncall_at(&cli->ctx, &env, at, &list, &err) < 0)
		return dd_cli_fail("oncall", "%s", err.msg);
	dd_time_format_rfc3339(at, utc);
	printf("On duty at ");
	print_local(env.tz, at, 1);
	printf(" %s (%s)\n", dd_tz_name(env.tz), utc);
	if (env.duty_count == 0) {
		printf("no duties are defined\n");
		return DD_EXIT_OK;
	}
	int width = 0;
	for (int i = 0; i < env.duty_count; i++)
		if (dd_cli_width(env.duties[i].name) > width)
			width = dd_cli_width(env.duties[i].name);
	for (int i = 0; i < env.duty_count; i++) {
		const struct dd_oncall *o = &list[i];
		printf("  ");
		dd_cli_print_padded(stdout, o->duty->name, width);
		printf("  ");
		if (!o->open) {
			printf("nobody (window closed)\n");
			continue;
		}
		if (!o->assignment.person_id) {
			printf("nobody (uncovered) until ");
			print_local(env.tz, o->window_end, 0);
			printf("\n");
			continue;
		}
		printf("%s, %s (%s) until ", o->name,
		       o->phone ? o->phone : "no phone",
		       dd_cover_reason_name(o->assignment.reason));
		print_local(env.tz, o->window_end, 0);
		printf("\n");
	}
	return DD_EXIT_OK;
}

int dd_cmd_oncall(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"at", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	int64_t at = 0;
	int at_set = 0, rc, c;
	if ((rc = dd_cli_init(&cli, "oncall")) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
			break;
		case 'a':
			if (dd_time_parse_rfc3339(optarg, &at) < 0)
				return dd_cli_usage_error(
					"oncall",
					"--at must be an RFC 3339 time like "
					"2026-11-27T16:30:00+01:00, not '%s'",
					optarg);
			at_set = 1;
			break;
		case 'h':
			fputs(help, stdout);
			return DD_EXIT_OK;
		case ':':
			return dd_cli_usage_error("oncall",
						  "'%s' needs a value",
						  argv[optind - 1]);
		default:
			return dd_cli_usage_error("oncall",
						  "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return dd_cli_usage_error("oncall", "unexpected argument '%s'",
					  argv[optind]);
	if ((rc = dd_cli_open(&cli, "oncall")) != DD_EXIT_OK)
		return rc;
	rc = run(&cli, at_set ? at : dd_clock_now(&cli.clock));
	dd_cli_close(&cli);
	return rc;
}
