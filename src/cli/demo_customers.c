#include "cli/demo_customers.h"

#include <string.h>

#include "people/group.h"
#include "people/person.h"
#include "ticket/customer.h"
#include "ticket/queue.h"
#include "ticket/rules.h"

/* The seed's three destinations; the queue gets the group of the same
 * name from the demo's groups. */
static const struct {
	const char *name, *description;
	enum dd_queue_owner_rule owner_rule;
} demo_queues[] = {
	{"Support management",
	 "Support requests: questions, how-tos, "
	 "small fixes.",
	 DD_QUEUE_OWNER_NONE},
	{"Service management",
	 "Service requests: changes to operated "
	 "systems, accounts, faults after triage.",
	 DD_QUEUE_OWNER_NONE},
	{"Project management",
	 "Requests for the customer's project: the "
	 "organisation's project manager owns them.",
	 DD_QUEUE_OWNER_PROJECT_MANAGER},
};

/* Invented organisations: example domains, Munich-area and other German
 * number blocks that belong to nobody in particular. '|' separates list
 * entries. */
static const struct {
	const char *name, *domains, *phones, *pm, *notes;
} demo_orgs[] = {
	{"Alpenblick Logistik GmbH",
	 "alpenblick.example|alpenblick-logistik.example", "+49 89 4711",
	 "rdietrich",
	 "Fleet management platform. Maintenance window Tuesdays "
	 "06:00-08:00."},
	{"Isarwerk Stadtwerke", "isarwerk.example", "+49 821 3300", "ifuchs",
	 "Municipal utility: grid monitoring runs around the clock; outages "
	 "are priority 1."},
	{"Nordlicht Versicherung AG", "nordlicht-versicherung.example",
	 "+49 40 6655", "kbaumann",
	 "Customer portal and document archive in their own data centre."},
	{"Bergbahn Tegelberg KG", "tegelberg.example",
	 "+49 8362 9870|+49 8362 9871", "rdietrich",
	 "Ticket shop and turnstiles; seasonal, busiest December to March."},
};

/* orgs: '|'-separated organisation names. */
static const struct {
	const char *name, *email, *phone, *orgs;
} demo_contacts[] = {
	{"Franziska Obermaier", "f.obermaier@alpenblick.example",
	 "+49 89 4711 20", "Alpenblick Logistik GmbH"},
	{"Stefan Huber", "s.huber@isarwerk.example", "+49 821 3300 115",
	 "Isarwerk Stadtwerke"},
	{"Claudia Petersen", "c.petersen@nordlicht-versicherung.example",
	 "+49 40 6655 301", "Nordlicht Versicherung AG"},
	{"Martin Keller", "m.keller@keller-it.example", "+49 171 5550123",
	 "Alpenblick Logistik GmbH|Bergbahn Tegelberg KG"},
};

/* Split s at '|' into at most max parts (copies in cli's arena). */
static int split(struct dd_cli *cli, const char *s, const char **parts, int max)
{
	int n = 0;
	while (*s && n < max) {
		size_t len = strcspn(s, "|");
		parts[n++] = dd_arena_strndup(&cli->arena, s, len);
		s += len;
		if (*s == '|')
			s++;
	}
	return n;
}

/* The index of the demo organisation called name, -1 for none. */
static int org_index(const char *name)
{
	for (size_t i = 0; i < sizeof(demo_orgs) / sizeof(demo_orgs[0]); i++)
		if (strcmp(demo_orgs[i].name, name) == 0)
			return (int)i;
	return -1;
}

int dd_demo_customers(struct dd_cli *cli)
{
	struct dd_err err;
	int64_t queue_ids[3], org_ids[4];
	dd_err_clear(&err);
	for (size_t i = 0; i < 3; i++) {
		struct dd_group g;
		struct dd_queue q;
		struct dd_queue_input in = {
			.name = demo_queues[i].name,
			.description = demo_queues[i].description,
			.owner_rule = demo_queues[i].owner_rule,
			.owner_rule_set = 1,
		};
		if (dd_group_get_by_name(&cli->ctx, demo_queues[i].name, &g,
					 &err) == 0) {
			in.group_id = g.id;
			in.group_set = 1;
		}
		if (dd_queue_create(&cli->ctx, &cli->actor, &in, &q, &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
		queue_ids[i] = q.id;
	}
	for (size_t i = 0; i < 4; i++) {
		struct dd_organisation o;
		struct dd_person pm;
		struct dd_organisation_input in = {
			.name = demo_orgs[i].name,
			.notes = demo_orgs[i].notes,
			.domains_set = 1,
			.phones_set = 1,
			.project_manager_set = 1,
		};
		in.domain_count = split(cli, demo_orgs[i].domains, in.domains,
					DD_ORG_DOMAINS_MAX);
		in.phone_count = split(cli, demo_orgs[i].phones, in.phones,
				       DD_ORG_PHONES_MAX);
		if (dd_person_get_by_login(&cli->ctx, demo_orgs[i].pm, &pm,
					   &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
		in.project_manager_id = pm.id;
		if (dd_organisation_create(&cli->ctx, &cli->actor, &in, &o,
					   &err) < 0)
			return dd_cli_fail("demo", "%s", err.msg);
		org_ids[i] = o.id;
	}
	for (size_t i = 0; i < sizeof(demo_contacts) / sizeof(demo_contacts[0]);
	     i++) {
		struct dd_contact c;
		const char *names[4];
		struct dd_contact_input in = {
			.name = demo_contacts[i].name,
			.email = demo_contacts[i].email,
			.email_set = 1,
			.phone = demo_contacts[i].phone,
			.phone_set = 1,
			.orgs_set = 1,
		};
		int n = split(cli, demo_contacts[i].orgs, names, 4);
		for (int k = 0; k < n; k++) {
			int at = org_index(names[k]);
			if (at >= 0)
				in.org_ids[in.org_count++] = org_ids[at];
		}
		if (dd_contact_create(&cli->ctx, &cli->actor, &in, &c, &err) <
		    0)
			return dd_cli_fail("demo", "%s", err.msg);
	}
	/* A utility's outage is a fault; project customers go to their
	 * project manager. The first runs on, so an Isarwerk outage is
	 * both priority 1 and Ines Fuchs's. */
	struct dd_rule r;
	struct dd_rule_input faults = {
		.name = "Isarwerk outages are faults",
		.cont = 1,
		.cont_set = 1,
		.when_set = 1,
		.when = {.org_count = 1,
			 .org_ids = {org_ids[1]},
			 .word_count = 3,
			 .words = {"Störung", "Ausfall", "outage"}},
		.then_set = 1,
		.then = {.priority = 1},
	};
	struct dd_rule_input projects = {
		.name = "Project customers to their project manager",
		.when_set = 1,
		.when = {.org_count = 3,
			 .org_ids = {org_ids[0], org_ids[1], org_ids[2]},
			 .channels =
				 DD_RULE_CHANNEL_PHONE | DD_RULE_CHANNEL_EMAIL},
		.then_set = 1,
		.then = {.queue_id = queue_ids[2]},
	};
	if (dd_rule_create(&cli->ctx, &cli->actor, &faults, &r, &err) < 0 ||
	    dd_rule_create(&cli->ctx, &cli->actor, &projects, &r, &err) < 0)
		return dd_cli_fail("demo", "%s", err.msg);
	return DD_EXIT_OK;
}
