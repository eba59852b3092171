/*
 * cmd_demo.c - the demo organisation: invented people in the shape of the
 * seed's team (a coordinator and substitute, a head of mailbox and
 * substitute among eight support colleagues, project managers) and the
 * groups that give roles and assign work.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "people/group.h"
#include "people/person.h"

#define DEMO_PASSWORD "dutydesk-demo"

static const char help[] =
	"usage: dutydesk demo [--db URL]\n\n"
	"Load the invented demo organisation (people, groups; every password\n"
	"is '" DEMO_PASSWORD "'). Does nothing when it is already loaded.\n\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

static const struct {
	const char *name;
	const char *description;
	enum dd_role role;
} demo_groups[] = {
	{"admins", "May manage people, groups and tokens.", DD_ROLE_ADMIN},
	{"editors", "May change the rota and the organisation.", DD_ROLE_EDITOR},
	{"users", "May read everything.", DD_ROLE_VIEWER},
	{"Support coordination", "Coordinator and substitute: get swap notices, "
				 "last escalation step.",
	 DD_ROLE_NONE},
	{"Head of mailbox", "Sorts the support mailbox.", DD_ROLE_NONE},
	{"Support team", "Colleagues who take telephone and emergency duty.",
	 DD_ROLE_NONE},
	{"Support management", "Queue for support requests.", DD_ROLE_NONE},
	{"Service management", "Queue for service requests.", DD_ROLE_NONE},
	{"Project management", "Customers' project managers.", DD_ROLE_NONE},
};

/* groups: a '|'-separated list of group names. */
static const struct {
	const char *login, *name, *phone, *groups;
} demo_people[] = {
	{"hbrandt", "Helga Brandt", "+4989555010", "admins|editors|Support coordination"},
	{"mvogel", "Mirko Vogel", "+4989555011", "editors|Support coordination"},
	{"skrueger", "Sabine Krüger", "+4989555020", "users|Support team|Head of mailbox"},
	{"tlang", "Tobias Lang", "+4989555021", "users|Support team|Head of mailbox"},
	{"abecker", "Anna Becker", "+4989555022", "users|Support team|Support management"},
	{"jweber", "Jonas Weber", "+4989555023", "users|Support team"},
	{"lhoffmann", "Lea Hoffmann", "+4989555024", "users|Support team|Service management"},
	{"fwagner", "Felix Wagner", "+4989555025", "users|Support team"},
	{"mschulz", "Mia Schulz", "+4989555026", "users|Support team"},
	{"prichter", "Paul Richter", "+4989555027", "users|Support team"},
	{"rdietrich", "Ralf Dietrich", "+4989555030", "users|Project management"},
	{"ifuchs", "Ines Fuchs", "+4989555031", "users|Project management"},
	{"kbaumann", "Karl Baumann", "+4989555032", "users|Project management"},
};

static int load(struct dd_cli *cli)
{
	struct dd_err err;
	struct dd_person existing;
	dd_err_clear(&err);
	if (dd_person_get_by_login(&cli->ctx, demo_people[0].login, &existing,
				   &err) == 0) {
		printf("the demo organisation is already loaded\n");
		return DD_EXIT_OK;
	}
	if (err.status != 404)
		return dd_cli_fail("demo", "%s", err.msg);
	for (size_t i = 0; i < sizeof(demo_groups) / sizeof(demo_groups[0]);
	     i++) {
		struct dd_group g;
		struct dd_group_input in = {
			.name = demo_groups[i].name,
			.description = demo_groups[i].description,
			.role = demo_groups[i].role,
			.role_set = 1,
		};
		if (dd_group_get_by_name(&cli->ctx, in.name, &g, &err) == 0)
			continue;
		if (dd_group_create(&cli->ctx, &cli->actor, &in, &g, &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
	}
	for (size_t i = 0; i < sizeof(demo_people) / sizeof(demo_people[0]);
	     i++) {
		char email[128];
		struct dd_person p;
		snprintf(email, sizeof(email), "%s@dutydesk.example",
			 demo_people[i].login);
		struct dd_person_input in = {
			.login = demo_people[i].login,
			.name = demo_people[i].name,
			.email = email,
			.phone = demo_people[i].phone,
			.password = DEMO_PASSWORD,
		};
		if (dd_person_create(&cli->ctx, &cli->actor, &in, &p, &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
		const char *g = demo_people[i].groups;
		while (*g) {
			char name[DD_LIMIT_NAME + 1];
			size_t n = strcspn(g, "|");
			struct dd_group group;
			int added;
			snprintf(name, sizeof(name), "%.*s", (int)n, g);
			if (dd_group_get_by_name(&cli->ctx, name, &group,
						 &err) < 0 ||
			    dd_group_member_add(&cli->ctx, &cli->actor,
						group.id, p.id, &added,
						&err) < 0)
				return dd_cli_fail("demo", "%s", err.msg);
			g += n;
			if (*g == '|')
				g++;
		}
	}
	printf("demo organisation loaded: %zu people, %zu groups\n",
	       sizeof(demo_people) / sizeof(demo_people[0]),
	       sizeof(demo_groups) / sizeof(demo_groups[0]));
	return DD_EXIT_OK;
}

int dd_cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	int rc, c;
	if ((rc = dd_cli_init(&cli, "demo")) != DD_EXIT_OK)
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
			return dd_cli_usage_error("demo", "'%s' needs a value",
						  argv[optind - 1]);
		} else {
			return dd_cli_usage_error("demo", "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return dd_cli_usage_error("demo", "unexpected argument '%s'",
					  argv[optind]);
	if ((rc = dd_cli_open(&cli, "demo")) != DD_EXIT_OK)
		return rc;
	rc = load(&cli);
	if (rc == DD_EXIT_OK)
		printf("sign in as 'hbrandt' (coordinator, admin), 'mvogel' "
		       "(editor) or 'jweber' (viewer) with the password '%s'\n",
		       DEMO_PASSWORD);
	dd_cli_close(&cli);
	return rc;
}
