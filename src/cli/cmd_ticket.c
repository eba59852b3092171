/*
 * cmd_ticket.c - "dutydesk ticket list" searches tickets with the query
 * language of GET /api/v1/tickets and prints them as a table; "ticket
 * show" prints one ticket; "ticket create" opens one, with the same
 * defaults as the API (due time, priority-1 owners).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/timefmt.h"
#include "base/tz.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "rota/settings.h"
#include "ticket/query.h"
#include "ticket/ticket.h"
#include "ticket/ticket_list.h"

static const char help[] =
	"usage: dutydesk ticket list [--q QUERY] [--limit N] [--db URL]\n"
	"       dutydesk ticket show NUMBER [--db URL]\n"
	"       dutydesk ticket create --subject TEXT [--priority N]\n"
	"                              [--channel CHANNEL] [--queue NAME]\n"
	"                              [--db URL]\n\n"
	"list    print the tickets QUERY finds (default: all), newest change\n"
	"        first, or best match first when QUERY has words; at most N\n"
	"        (1-10000, default 50). QUERY is what the search box takes:\n"
	"        status:open,pending prio:1 priority:1..2 org:NAME|ID\n"
	"        queue:NAME|ID owner:LOGIN|none tag:TAG channel:phone\n"
	"        number:N is:overdue is:unassigned is:due-today \"a phrase\"\n"
	"        and words (see docs/tickets.md). owner:me needs a person\n"
	"        and works only through the API.\n"
	"show    print the ticket with NUMBER (a merged ticket's number shows\n"
	"        the ticket it was merged into).\n"
	"create  open a ticket: priority 1 (a fault) to 4 (default 3),\n"
	"        channel phone, email, web or api (default phone), queue by\n"
	"        name or id. Prints the new ticket's number.\n\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

/* The organisation's time zone, for printing instants. */
static const struct dd_tz *org_tz(struct dd_cli *cli, struct dd_err *err)
{
	struct dd_org_settings s;
	const struct dd_tz *tz;
	if (dd_settings_load(&cli->ctx, &s, err) < 0 ||
	    dd_tz_cache_get(&cli->tz_cache, s.time_zone, &tz, err) < 0)
		return NULL;
	return tz;
}

/* "2026-11-27 08:00" in tz, from the arena; "-" for no time. */
static const char *local_time(struct dd_cli *cli, const struct dd_tz *tz,
			      int64_t ms)
{
	struct dd_civil c;
	if (!ms)
		return "-";
	int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	dd_tz_utc_to_local(tz, secs, &c);
	return dd_arena_printf(&cli->arena, "%04d-%02d-%02d %02d:%02d", c.year,
			       c.month, c.day, c.hour, c.minute);
}

/* ---- list ---- */

static int list(struct dd_cli *cli, const char *cmd, const char *q, int limit)
{
	struct dd_ticket_list_req req = {.q = q, .limit = limit};
	struct dd_ticket_page page;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_ticket_list(&cli->ctx, &req, &page, &err) < 0) {
		/* A query the engine refuses is a wrong command line. */
		if (err.status == 400)
			return dd_cli_usage_error(cmd, "--q: %s", err.msg);
		return dd_cli_fail(cmd, "%s", err.msg);
	}
	if (page.count == 0) {
		printf("no tickets match\n");
		return DD_EXIT_OK;
	}
	const struct dd_tz *tz = org_tz(cli, &err);
	if (!tz)
		return dd_cli_fail(cmd, "%s", err.msg);
	enum { NUMBER, PRIO, STATUS, DUE, OWNER, SUBJECT, COLS };
	static const char *const head[COLS] = {"number", "prio",  "status",
					       "due",	 "owner", "subject"};
	int widths[COLS];
	const char **cells = dd_arena_alloc(
		&cli->arena, sizeof(char *) * (size_t)page.count * COLS);
	if (!cells)
		return dd_cli_fail(cmd, "out of memory");
	for (int c = 0; c < COLS; c++)
		widths[c] = dd_cli_width(head[c]);
	for (int i = 0; i < page.count; i++) {
		const struct dd_ticket_item *it = &page.items[i];
		const char **row = cells + (size_t)i * COLS;
		row[NUMBER] = dd_arena_printf(&cli->arena, "%lld",
					      (long long)it->ticket.number);
		row[PRIO] =
			dd_arena_printf(&cli->arena, "%d", it->ticket.priority);
		row[STATUS] = it->ticket.status;
		row[DUE] = local_time(cli, tz, it->ticket.due_at);
		row[OWNER] = it->owner_login ? it->owner_login : "-";
		row[SUBJECT] = it->ticket.subject;
		for (int c = 0; c < COLS; c++) {
			if (!row[c])
				return dd_cli_fail(cmd, "out of memory");
			if (dd_cli_width(row[c]) > widths[c])
				widths[c] = dd_cli_width(row[c]);
		}
	}
	for (int c = 0; c < COLS; c++) {
		if (c)
			fputs("  ", stdout);
		dd_cli_print_padded(stdout, head[c],
				    c + 1 < COLS ? widths[c] : 0);
	}
	printf("\n");
	for (int i = 0; i < page.count; i++) {
		for (int c = 0; c < COLS; c++) {
			if (c)
				fputs("  ", stdout);
			dd_cli_print_padded(stdout, cells[(size_t)i * COLS + c],
					    c + 1 < COLS ? widths[c] : 0);
		}
		printf("\n");
	}
	if (page.more)
		printf("(the first %d; more tickets match: raise --limit or "
		       "narrow --q)\n",
		       page.count);
	return DD_EXIT_OK;
}

/* ---- show ---- */

static int show(struct dd_cli *cli, const char *cmd, int64_t number)
{
	struct dd_ticket t;
	struct dd_err err;
	struct dd_rows *rows;
	const char *names[6] = {NULL};
	dd_err_clear(&err);
	if (dd_ticket_get_by_number(&cli->ctx, number, &t, &err) < 0)
		return dd_cli_fail(cmd, "%s", err.msg);
	const struct dd_tz *tz = org_tz(cli, &err);
	if (!tz)
		return dd_cli_fail(cmd, "%s", err.msg);
	struct dd_param p[6];
	int64_t ids[6] = {t.organisation_id, t.queue_id,      t.owner_id,
			  t.comm_owner_id,   t.tech_owner_id, t.contact_id};
	for (int i = 0; i < 6; i++)
		p[i] = ids[i] ? DD_P_INT(ids[i]) : DD_P_NULL;
	if (dd_store_query(
		    cli->ctx.store,
		    "SELECT (SELECT name FROM organisations WHERE id = $1),"
		    " (SELECT name FROM queues WHERE id = $2),"
		    " (SELECT login FROM people WHERE id = $3),"
		    " (SELECT login FROM people WHERE id = $4),"
		    " (SELECT login FROM people WHERE id = $5),"
		    " (SELECT name FROM contacts WHERE id = $6)",
		    p, 6, &rows, &err) < 0)
		return dd_cli_fail(cmd, "%s", err.msg);
	int rc = dd_rows_next(rows, &err);
	for (int i = 0; rc > 0 && i < 6; i++)
		if (dd_rows_text(rows, i))
			names[i] = dd_arena_strdup(&cli->arena,
						   dd_rows_text(rows, i));
	dd_rows_free(rows);
	if (rc < 0)
		return dd_cli_fail(cmd, "%s", err.msg);

	if (t.number != number)
		printf("(ticket %lld was merged into %lld)\n",
		       (long long)number, (long long)t.number);
	printf("Ticket %lld: %s\n", (long long)t.number, t.subject);
	printf("  status        %s\n", t.status);
	printf("  priority      %d%s\n", t.priority,
	       t.priority == 1 ? " (fault)" : "");
	printf("  channel       %s\n", t.channel);
	printf("  organisation  %s\n", names[0] ? names[0] : "-");
	printf("  contact       %s\n", names[5] ? names[5] : "-");
	if (t.caller_phone)
		printf("  caller        %s\n", t.caller_phone);
	printf("  queue         %s\n", names[1] ? names[1] : "-");
	printf("  owner         %s\n", names[2] ? names[2] : "-");
	if (t.comm_owner_id || t.tech_owner_id || t.priority == 1) {
		printf("  comm. owner   %s\n", names[3] ? names[3] : "-");
		printf("  tech. owner   %s\n", names[4] ? names[4] : "-");
	}
	printf("  due           %s %s\n", local_time(cli, tz, t.due_at),
	       t.due_at ? dd_tz_name(tz) : "");
	printf("  tags          ");
	for (int i = 0; i < t.tag_count; i++)
		printf("%s%s", i ? ", " : "", t.tags[i]);
	printf("%s\n", t.tag_count ? "" : "-");
	if (t.needs_completion)
		printf("  needs completion\n");
	printf("  created       %s\n", local_time(cli, tz, t.created_at));
	printf("  updated       %s (version %lld)\n",
	       local_time(cli, tz, t.updated_at), (long long)t.version);
	return DD_EXIT_OK;
}

/* ---- create ---- */

/* The one queue named by id or (case-insensitive) full name. 0 with *id
 * set, or an exit code after printing why. */
static int find_queue(struct dd_cli *cli, const char *cmd, const char *text,
		      int64_t *id)
{
	struct dd_err err;
	int64_t n = 0;
	char *end;
	long long v = strtoll(text, &end, 10);
	int numeric = *text >= '1' && *text <= '9' && !*end;
	int rc = dd_store_query_int(
		cli->ctx.store,
		numeric ? "SELECT id FROM queues WHERE id = $1"
			: "SELECT MIN(id) FROM queues WHERE lower(name) = "
			  "lower($1) HAVING COUNT(*) = 1",
		numeric ? (struct dd_param[]){DD_P_INT(v)}
			: (struct dd_param[]){DD_P_TEXT(text)},
		1, &n, &err);
	if (rc < 0)
		return dd_cli_fail(cmd, "%s", err.msg);
	if (rc == 0 || n == 0)
		return dd_cli_usage_error(cmd, "unknown queue '%s'", text);
	*id = n;
	return 0;
}

static int create(struct dd_cli *cli, const char *cmd,
		  struct dd_ticket_input *in, const char *queue)
{
	struct dd_ticket t;
	struct dd_err err;
	dd_err_clear(&err);
	if (queue) {
		int rc = find_queue(cli, cmd, queue, &in->queue_id);
		if (rc)
			return rc;
		in->queue_set = 1;
	}
	if (dd_ticket_create(&cli->ctx, &cli->actor, in, &t, &err) < 0) {
		if (err.status == 400)
			return dd_cli_usage_error(cmd, "%s", err.msg);
		return dd_cli_fail(cmd, "%s", err.msg);
	}
	printf("%lld\n", (long long)t.number);
	return DD_EXIT_OK;
}

/* ---- the command ---- */

enum sub { LIST, SHOW, CREATE };

int dd_cmd_ticket(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"q", required_argument, NULL, 'q'},
		{"limit", required_argument, NULL, 'l'},
		{"subject", required_argument, NULL, 's'},
		{"priority", required_argument, NULL, 'p'},
		{"channel", required_argument, NULL, 'c'},
		{"queue", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	/* Which options each subcommand takes. */
	static const char *const allowed[] = {"dqlh", "dh", "dspcuh"};
	static const char *const names[] = {"ticket list", "ticket show",
					    "ticket create"};
	struct dd_cli cli;
	struct dd_ticket_input in = {.channel = "phone"};
	const char *q = NULL, *queue = NULL;
	int limit = DD_LIMIT_PAGE_DEFAULT, rc, c;
	enum sub sub;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_USAGE : DD_EXIT_OK;
	}
	if (strcmp(argv[1], "list") == 0)
		sub = LIST;
	else if (strcmp(argv[1], "show") == 0)
		sub = SHOW;
	else if (strcmp(argv[1], "create") == 0)
		sub = CREATE;
	else
		return dd_cli_usage_error("ticket",
					  "unknown subcommand '%s' (list, show "
					  "or create)",
					  argv[1]);
	const char *cmd = names[sub];
	if ((rc = dd_cli_init(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":h", opts, NULL)) != -1) {
		char *end;
		long n;
		if (c != ':' && c != '?' && !strchr(allowed[sub], c)) {
			const char *name = "?";
			for (const struct option *o = opts; o->name; o++)
				if (o->val == c)
					name = o->name;
			return dd_cli_usage_error(
				cmd, "'%s' does not take --%s", cmd, name);
		}
		switch (c) {
		case 'd':
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
			break;
		case 'q':
			q = optarg;
			break;
		case 'l':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 ||
			    n > DD_TICKET_EXPORT_MAX)
				return dd_cli_usage_error(
					cmd,
					"--limit must be 1 to %d, not '%s'",
					DD_TICKET_EXPORT_MAX, optarg);
			limit = (int)n;
			break;
		case 's':
			in.subject = optarg;
			break;
		case 'p':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 4)
				return dd_cli_usage_error(
					cmd,
					"--priority must be 1 (a fault) to "
					"4, not '%s'",
					optarg);
			in.priority = (int)n;
			break;
		case 'c':
			if (!dd_ticket_channel_valid(optarg))
				return dd_cli_usage_error(
					cmd,
					"--channel must be phone, email, web "
					"or api, not '%s'",
					optarg);
			in.channel = optarg;
			break;
		case 'u':
			queue = optarg;
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
	int64_t number = 0;
	int positional = argc - 1 - optind;
	if (sub == SHOW) {
		if (positional < 1)
			return dd_cli_usage_error(cmd, "which ticket? give its "
						       "number");
		const char *s = argv[optind + 1];
		char *end;
		long long v = strtoll(s, &end, 10);
		if (*s < '1' || *s > '9' || *end || strlen(s) > 18)
			return dd_cli_usage_error(
				cmd, "'%s' is not a ticket number", s);
		number = v;
		positional--;
		optind++;
	}
	if (positional > 0)
		return dd_cli_usage_error(cmd, "unexpected argument '%s'",
					  argv[optind + 1]);
	if (sub == CREATE) {
		struct dd_err err;
		if (!in.subject)
			return dd_cli_usage_error(cmd, "--subject is required");
		if (dd_text_check("subject", in.subject, 1,
				  DD_TICKET_SUBJECT_MAX, DD_TEXT_SINGLE_LINE,
				  &err) < 0)
			return dd_cli_usage_error(cmd, "--subject: %s",
						  err.msg);
	}
	if (sub == LIST && q) {
		/* Check the syntax before opening the database. */
		struct dd_query parsed;
		struct dd_arena scratch;
		struct dd_err err;
		dd_arena_init(&scratch, DD_LIMIT_ARENA_BYTES);
		rc = dd_query_parse(q, &scratch, &parsed, &err);
		dd_arena_release(&scratch);
		if (rc < 0)
			return dd_cli_usage_error(cmd, "--q: %s", err.msg);
	}
	if ((rc = dd_cli_open(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	switch (sub) {
	case LIST:
		rc = list(&cli, cmd, q, limit);
		break;
	case SHOW:
		rc = show(&cli, cmd, number);
		break;
	case CREATE:
		rc = create(&cli, cmd, &in, queue);
		break;
	}
	dd_cli_close(&cli);
	return rc;
}
