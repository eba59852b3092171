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
#include "cli/demo_alerting.h"
#include "cli/demo_customers.h"
#include "people/group.h"
#include "people/person.h"
#include "rota/duty.h"
#include "rota/env.h"
#include "rota/holiday.h"
#include "rota/member.h"
#include "rota/propose.h"
#include "rota/settings.h"
#include "rota/week.h"

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
	{"editors", "May change the rota and the organisation.",
	 DD_ROLE_EDITOR},
	{"users", "May read everything.", DD_ROLE_VIEWER},
	{"Support coordination",
	 "Coordinator and substitute: get swap notices, "
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
	{"hbrandt", "Helga Brandt", "+4989555010",
	 "admins|editors|Support coordination"},
	{"mvogel", "Mirko Vogel", "+4989555011",
	 "editors|Support coordination"},
	{"skrueger", "Sabine Krüger", "+4989555020",
	 "users|Support team|Head of mailbox"},
	{"tlang", "Tobias Lang", "+4989555021",
	 "users|Support team|Head of mailbox"},
	{"abecker", "Anna Becker", "+4989555022",
	 "users|Support team|Support management"},
	{"jweber", "Jonas Weber", "+4989555023", "users|Support team"},
	{"lhoffmann", "Lea Hoffmann", "+4989555024",
	 "users|Support team|Service management"},
	{"fwagner", "Felix Wagner", "+4989555025", "users|Support team"},
	{"mschulz", "Mia Schulz", "+4989555026", "users|Support team"},
	{"prichter", "Paul Richter", "+4989555027", "users|Support team"},
	{"rdietrich", "Ralf Dietrich", "+4989555030",
	 "users|Project management"},
	{"ifuchs", "Ines Fuchs", "+4989555031", "users|Project management"},
	{"kbaumann", "Karl Baumann", "+4989555032", "users|Project management"},
};

/* Weeks of published plan the demo starts with: this week and twelve
 * more. */
#define DEMO_PLAN_WEEKS 13

static const struct {
	const char *name, *description;
	int slot, takes_p1;
	const char *phone;
} demo_duties[] = {
	{"Telephone service",
	 "Takes calls on the support number 16:00-18:00; creates tickets for "
	 "phone and e-mail requests and assigns them for the next business "
	 "day; forwards priority-1 faults at once to technical emergency; "
	 "owns communication with the customer in priority-1 cases; after "
	 "18:00 the answering machine takes over.",
	 0, 0, "+4989555000"},
	{"Technical emergency preparedness",
	 "Reachable by phone until 18:00 with a computer and VPN access; "
	 "processes priority-1 tickets and ideally closes them; keeps "
	 "telephone service up to date.",
	 1, 1, "+4989555001"},
};

static int person_id(struct dd_cli *cli, const char *login, int64_t *id,
		     struct dd_err *err)
{
	struct dd_person p;
	if (dd_person_get_by_login(&cli->ctx, login, &p, err) < 0)
		return -1;
	*id = p.id;
	return 0;
}

/* Settings, duties, rota members, holidays and a published fair plan. */
static int load_rota(struct dd_cli *cli)
{
	struct dd_err err;
	struct dd_org_settings s;
	dd_err_clear(&err);
	if (dd_settings_load(&cli->ctx, &s, &err) < 0 ||
	    person_id(cli, "hbrandt", &s.coordinator_id, &err) < 0 ||
	    person_id(cli, "mvogel", &s.substitute_id, &err) < 0 ||
	    person_id(cli, "skrueger", &s.mailbox_head_id, &err) < 0 ||
	    person_id(cli, "tlang", &s.mailbox_substitute_id, &err) < 0 ||
	    dd_settings_save(&cli->ctx, &cli->actor, &s, &err) < 0)
		return dd_cli_fail("demo", "%s", err.msg);
	for (size_t i = 0; i < sizeof(demo_duties) / sizeof(demo_duties[0]);
	     i++) {
		struct dd_duty d;
		struct dd_duty_input in = {
			.name = demo_duties[i].name,
			.description = demo_duties[i].description,
			.slot = demo_duties[i].slot,
			.slot_set = 1,
			.phone = demo_duties[i].phone,
			.phone_set = 1,
			.takes_p1 = demo_duties[i].takes_p1,
			.takes_p1_set = 1,
		};
		if (dd_duty_create(&cli->ctx, &cli->actor, &in, &d, &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
	}
	for (size_t i = 0; i < sizeof(demo_people) / sizeof(demo_people[0]);
	     i++) {
		int64_t id;
		int created;
		if (!strstr(demo_people[i].groups, "Support team"))
			continue;
		if (person_id(cli, demo_people[i].login, &id, &err) < 0 ||
		    dd_rota_member_set(&cli->ctx, &cli->actor, id, 1, &created,
				       &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
	}
	struct dd_rota_env env;
	int64_t today;
	if (dd_rota_today(&cli->ctx, &today, &err) < 0)
		return dd_cli_fail("demo", "%s", err.msg);
	int year, month, day;
	dd_date_from_days(today, &year, &month, &day);
	for (int y = year; y <= year + 1; y++) {
		int64_t days[16];
		const char *names[16];
		int n = dd_holidays_bavaria(y, days, names);
		for (int i = 0; i < n; i++) {
			struct dd_holiday h;
			if (dd_holiday_create(&cli->ctx, &cli->actor, days[i],
					      names[i], &h, &err) < 0 &&
			    err.status != 409)
				return dd_cli_fail("demo", "%s", err.msg);
		}
	}
	int64_t first = dd_date_week_start(today);
	struct dd_proposal p;
	int saved;
	if (dd_rota_env_load(&cli->ctx, first, first + 7 * DEMO_PLAN_WEEKS,
			     &env, &err) < 0 ||
	    dd_rota_propose(&cli->ctx, &env, first, DEMO_PLAN_WEEKS, &p, &err) <
		    0 ||
	    dd_rota_proposal_save(&cli->ctx, &cli->actor, &p, &saved, &err) < 0)
		return dd_cli_fail("demo", "%s", err.msg);
	for (int w = 0; w < DEMO_PLAN_WEEKS; w++) {
		struct dd_week_plan plan;
		if (p.out[w].status != DD_FAIR_PAIRED)
			continue;
		if (dd_week_publish(&cli->ctx, &cli->actor, p.out[w].week_start,
				    &plan, &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
	}
	return DD_EXIT_OK;
}

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
	int rc = load_rota(cli);
	if (rc != DD_EXIT_OK)
		return rc;
	if ((rc = dd_demo_customers(cli)) != DD_EXIT_OK)
		return rc;
	if ((rc = dd_demo_alerting(cli)) != DD_EXIT_OK)
		return rc;
	printf("demo organisation loaded: %zu people, %zu groups, 2 duties, "
	       "a published plan for %d weeks\n",
	       sizeof(demo_people) / sizeof(demo_people[0]),
	       sizeof(demo_groups) / sizeof(demo_groups[0]), DEMO_PLAN_WEEKS);
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
