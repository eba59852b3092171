/*
 * cmd_rota.c - "dutydesk rota show" prints a week's plan as a table;
 * "dutydesk rota propose" prints the fair proposal with its explanation
 * and can save it as draft weeks.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "rota/assign.h"
#include "rota/env.h"
#include "rota/propose.h"
#include "rota/week.h"
#include "rota/who.h"

static const char help[] =
	"usage: dutydesk rota show [--week YYYY-MM-DD] [--db URL]\n"
	"       dutydesk rota propose --weeks N [--from YYYY-MM-DD] [--save] "
	"[--db URL]\n\n"
	"show     print the plan of the week that holds --week (default: this\n"
	"         week): for each day with a duty, who holds each duty and\n"
	"         why (plan, plan day, swap, replacement, sick cover). A week\n"
	"         still in draft is shown as it would be once published.\n"
	"propose  print a fair proposal of weekly pairs for N weeks (1-104)\n"
	"         from the week that holds --from (default: next week), with\n"
	"         everyone's duty days when each week was decided. --save\n"
	"         stores the proposed weeks as drafts (published weeks are\n"
	"         never changed); an editor publishes them.\n\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

/* The last day a date may name (base/date.h). */
#define DATE_MAX dd_date_days(9999, 12, 31)

static const char *const weekday_names[] = {"",	   "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat", "Sun"};

/* ---- show ---- */

struct week_days {
	struct dd_assignment *items;
	int count, cap;
};

static int collect(const struct dd_assignment *a, void *arg)
{
	struct week_days *w = arg;
	if (w->count < w->cap)
		w->items[w->count++] = *a;
	return 0;
}

/* "Name (reason)" or "nobody" for one assignment, from the arena. */
static const char *cell(struct dd_cli *cli, struct dd_who_cache *who,
			const struct dd_assignment *a, struct dd_err *err)
{
	const struct dd_who *w;
	if (!a->person_id)
		return "nobody";
	if (dd_who_get(&cli->ctx, who, a->person_id, &w, err) < 0)
		return NULL;
	return dd_arena_printf(&cli->arena, "%s (%s)", w->name,
			       dd_cover_reason_name(a->reason));
}

static int show(struct dd_cli *cli, const char *cmd, int64_t day, int day_set)
{
	struct dd_rota_env env;
	struct dd_week_plan plan;
	struct dd_who_cache who;
	struct dd_err err, lookup;
	char text[DD_DATE_TEXT_LEN];
	dd_err_clear(&err);
	dd_who_cache_init(&who);
	if (!day_set) {
		if (dd_rota_today(&cli->ctx, &day, &err) < 0)
			return dd_cli_fail(cmd, "%s", err.msg);
	}
	int64_t week = dd_date_week_start(day);
	if (dd_rota_env_load(&cli->ctx, week, week + 6, &env, &err) < 0)
		return dd_cli_fail(cmd, "%s", err.msg);
	int has_plan = dd_week_get(&cli->ctx, week, &plan, &lookup) == 0;
	if (!has_plan && lookup.status != 404)
		return dd_cli_fail(cmd, "%s", lookup.msg);
	struct week_days days = {
		.items = dd_arena_alloc(&cli->arena,
					sizeof(struct dd_assignment) * 7 *
						(size_t)(env.duty_count + 1)),
		.cap = 7 * env.duty_count,
	};
	if (!days.items)
		return dd_cli_fail(cmd, "out of memory");
	if (dd_rota_assignments(&cli->ctx, &env, week, week + 6, 1, collect,
				&days, &err) < 0)
		return dd_cli_fail(cmd, "%s", err.msg);

	dd_date_format(week, text);
	printf("Week of %s", text);
	if (has_plan) {
		const struct dd_who *a, *b;
		if (dd_who_get(&cli->ctx, &who, plan.first, &a, &err) < 0 ||
		    dd_who_get(&cli->ctx, &who, plan.second, &b, &err) < 0)
			return dd_cli_fail(cmd, "%s", err.msg);
		printf(" (%s): %s and %s",
		       plan.published ? "published" : "draft", a->name,
		       b->name);
		if (plan.note && *plan.note)
			printf(" - %s", plan.note);
		printf("\n");
	} else {
		printf(": no plan\n");
	}
	if (env.duty_count == 0) {
		printf("no duties are defined\n");
		return DD_EXIT_OK;
	}

	/* Cells first, so that each column is as wide as its widest. */
	int rows = 7, cols = env.duty_count;
	const char **cells = dd_arena_alloc(
		&cli->arena, sizeof(char *) * (size_t)(rows * cols + 1));
	int *widths = dd_arena_alloc(&cli->arena, sizeof(int) * (size_t)cols);
	if (!cells || !widths)
		return dd_cli_fail(cmd, "out of memory");
	for (int i = 0; i < days.count; i++) {
		const struct dd_assignment *a = &days.items[i];
		int r = (int)(a->day - week);
		int c = (int)(a->duty - env.duties);
		const char *s = cell(cli, &who, a, &err);
		if (!s)
			return dd_cli_fail(cmd, "%s", err.msg);
		cells[r * cols + c] = s;
	}
	for (int c = 0; c < cols; c++) {
		widths[c] = dd_cli_width(env.duties[c].name);
		for (int r = 0; r < rows; r++)
			if (cells[r * cols + c] &&
			    dd_cli_width(cells[r * cols + c]) > widths[c])
				widths[c] = dd_cli_width(cells[r * cols + c]);
	}
	printf("\n");
	dd_cli_print_padded(stdout, "day", 14);
	for (int c = 0; c < cols; c++) {
		fputs("  ", stdout);
		dd_cli_print_padded(stdout, env.duties[c].name,
				    c + 1 < cols ? widths[c] : 0);
	}
	printf("\n");
	for (int r = 0; r < rows; r++) {
		int64_t d = week + r;
		int any = 0;
		for (int c = 0; c < cols; c++)
			any |= cells[r * cols + c] != NULL;
		int workday = (env.settings.workdays &
			       DD_WEEKDAY_BIT(dd_date_weekday(d))) != 0;
		if (!any && !(workday && dd_calendar_is_holiday(&env.cal, d)))
			continue;
		dd_date_format(d, text);
		printf("%s %s  ", weekday_names[dd_date_weekday(d)], text);
		if (!any) {
			printf("holiday, no duty\n");
			continue;
		}
		for (int c = 0; c < cols; c++) {
			if (c)
				fputs("  ", stdout);
			dd_cli_print_padded(
				stdout,
				cells[r * cols + c] ? cells[r * cols + c] : "-",
				c + 1 < cols ? widths[c] : 0);
		}
		printf("\n");
	}
	return DD_EXIT_OK;
}

/* ---- propose ---- */

struct ranked {
	int index;
	int64_t days;
	int64_t id;
};

static int ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->days != b->days)
		return a->days < b->days ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static const char *name_of(const struct dd_proposal *p, int64_t id)
{
	for (int i = 0; i < p->people_count; i++)
		if (p->people[i].id == id)
			return p->names[i];
	return "?";
}

/* "days so far: A 10, B 11, ..." wrapped below column 12. */
static void print_explanation(const struct dd_proposal *p, int w,
			      struct ranked *order)
{
	int n = 0;
	for (int i = 0; i < p->people_count; i++) {
		if (!p->people[i].in_rotation)
			continue;
		order[n].index = i;
		order[n].id = p->people[i].id;
		order[n].days =
			p->days_before[(size_t)w * (size_t)p->people_count +
				       (size_t)i];
		n++;
	}
	qsort(order, (size_t)n, sizeof(*order), ranked_cmp);
	int col = printf("            days so far:");
	for (int k = 0; k < n; k++) {
		char entry[300];
		snprintf(entry, sizeof(entry), " %s %lld%s",
			 p->names[order[k].index], (long long)order[k].days,
			 k + 1 < n ? "," : "");
		const char *e = entry;
		if (col + dd_cli_width(e) > 78 && col > 24) {
			printf("\n            ");
			col = 12;
			e++; /* no leading space on a new line */
		}
		fputs(e, stdout);
		col += dd_cli_width(e);
	}
	printf("\n");
}

static int propose(struct dd_cli *cli, const char *cmd, int weeks, int64_t from,
		   int from_set, int save)
{
	struct dd_rota_env env;
	struct dd_proposal p;
	struct dd_err err;
	char text[DD_DATE_TEXT_LEN];
	int saved = 0;
	dd_err_clear(&err);
	if (!from_set) {
		if (dd_rota_today(&cli->ctx, &from, &err) < 0)
			return dd_cli_fail(cmd, "%s", err.msg);
		from += 7;
	}
	int64_t first = dd_date_week_start(from);
	if (dd_rota_env_load(&cli->ctx, first, first + 7 * weeks - 1, &env,
			     &err) < 0 ||
	    dd_rota_propose(&cli->ctx, &env, first, weeks, &p, &err) < 0)
		return dd_cli_fail(cmd, "%s", err.msg);
	if (save &&
	    dd_rota_proposal_save(&cli->ctx, &cli->actor, &p, &saved, &err) < 0)
		return dd_cli_fail(cmd, "%s", err.msg);
	struct ranked *order = dd_arena_alloc(
		&cli->arena, sizeof(*order) * (size_t)(p.people_count + 1));
	if (!order)
		return dd_cli_fail(cmd, "out of memory");

	dd_date_format(first, text);
	printf("Fair proposal: %d week%s from %s, trailing window %d weeks\n",
	       weeks, weeks == 1 ? "" : "s", text, p.trailing_weeks);
	printf("Each week takes the two available people with the fewest duty "
	       "days so far.\n\n");
	for (int w = 0; w < p.weeks; w++) {
		const struct dd_fair_week *wk = &p.out[w];
		dd_date_format(wk->week_start, text);
		printf("%s  ", text);
		switch (wk->status) {
		case DD_FAIR_PAIRED:
			printf("%s + %s", name_of(&p, wk->first),
			       name_of(&p, wk->second));
			if (wk->fixed)
				printf("  [already published]");
			if (wk->avoided_repeat)
				printf("  [not last week's pair again]");
			printf("\n");
			break;
		case DD_FAIR_NO_BUSINESS_DAYS:
			printf("no business days, nothing to cover\n");
			continue;
		case DD_FAIR_UNCOVERED:
			printf("UNCOVERED: %d available, two are needed\n",
			       wk->available);
			break;
		}
		if (!wk->fixed)
			print_explanation(&p, w, order);
	}
	printf("\nDuty days per person (trailing window -> after the "
	       "proposal):\n");
	int width = 0;
	for (int i = 0; i < p.people_count; i++)
		if (dd_cli_width(p.names[i]) > width)
			width = dd_cli_width(p.names[i]);
	for (int i = 0; i < p.people_count; i++) {
		printf("  ");
		dd_cli_print_padded(stdout, p.names[i], width);
		printf("  %3lld -> %3lld%s\n", (long long)p.people[i].days,
		       (long long)p.final_days[i],
		       p.people[i].in_rotation ? "" : "  (out of rotation)");
	}
	if (save)
		printf("\nsaved %d week%s as drafts; an editor publishes "
		       "them\n",
		       saved, saved == 1 ? "" : "s");
	return DD_EXIT_OK;
}

/* ---- the command ---- */

int dd_cmd_rota(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"week", required_argument, NULL, 'w'},
		{"weeks", required_argument, NULL, 'n'},
		{"from", required_argument, NULL, 'f'},
		{"save", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	int64_t day = 0, from = 0;
	int day_set = 0, from_set = 0, save = 0, weeks = 0, rc, c;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_USAGE : DD_EXIT_OK;
	}
	int is_show = strcmp(argv[1], "show") == 0;
	if (!is_show && strcmp(argv[1], "propose") != 0)
		return dd_cli_usage_error("rota",
					  "unknown subcommand '%s' (show or "
					  "propose)",
					  argv[1]);
	const char *cmd = is_show ? "rota show" : "rota propose";
	if ((rc = dd_cli_init(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":h", opts, NULL)) != -1) {
		char *end;
		long n;
		switch (c) {
		case 'd':
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
			break;
		case 'w':
			if (!is_show)
				return dd_cli_usage_error(
					cmd, "--week belongs to 'rota show'");
			if (dd_date_parse(optarg, &day) < 0)
				return dd_cli_usage_error(
					cmd,
					"--week must be a date like "
					"2026-11-30, not '%s'",
					optarg);
			day_set = 1;
			break;
		case 'n':
			if (is_show)
				return dd_cli_usage_error(
					cmd, "--weeks belongs to 'rota "
					     "propose'");
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 ||
			    n > DD_PROPOSAL_WEEKS_MAX)
				return dd_cli_usage_error(
					cmd,
					"--weeks must be 1 to %d, not '%s'",
					DD_PROPOSAL_WEEKS_MAX, optarg);
			weeks = (int)n;
			break;
		case 'f':
			if (is_show)
				return dd_cli_usage_error(
					cmd,
					"--from belongs to 'rota propose'");
			if (dd_date_parse(optarg, &from) < 0)
				return dd_cli_usage_error(
					cmd,
					"--from must be a date like "
					"2026-11-30, not '%s'",
					optarg);
			from_set = 1;
			break;
		case 's':
			if (is_show)
				return dd_cli_usage_error(
					cmd,
					"--save belongs to 'rota propose'");
			save = 1;
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
	if (!is_show && !weeks)
		return dd_cli_usage_error(cmd, "--weeks is required");
	/* Dates end with the year 9999. */
	if ((day_set && dd_date_week_start(day) + 6 > DATE_MAX) ||
	    (from_set && dd_date_week_start(from) + 7 * weeks > DATE_MAX))
		return dd_cli_usage_error(cmd, "the weeks asked for end after "
					       "9999-12-31");
	if ((rc = dd_cli_open(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	rc = is_show ? show(&cli, cmd, day, day_set)
		     : propose(&cli, cmd, weeks, from, from_set, save);
	dd_cli_close(&cli);
	return rc;
}
