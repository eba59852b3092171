#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "base/secret.h"
#include "cli/cli.h"
#include "people/group.h"
#include "people/person.h"

static const char help[] =
	"usage: dutydesk user add --login L --name N --email E --group G\n"
	"                         [--group G ...] [--phone P]\n"
	"                         [--password-file F] [--db URL]\n"
	"       dutydesk user passwd --login L [--password-file F] [--db URL]\n"
	"\n"
	"add     add a person and put them in each --group (by name). The\n"
	"        groups 'admins', 'editors' and 'users' are created with the\n"
	"        role of their name if they do not exist. Without\n"
	"        --password-file a random password is generated and printed.\n"
	"passwd  set a person's password from the first line of F ('-' reads\n"
	"        standard input; without --password-file, standard input).\n"
	"        Ends the person's sessions.\n\n"
	"  --db URL   sqlite:PATH or postgresql://... (default\n"
	"             sqlite:data/dutydesk.db, environment DUTYDESK_DB)\n";

#define GROUPS_MAX 16

/* The role a well-known group name is created with. */
static enum dd_role role_for(const char *group)
{
	if (strcmp(group, "admins") == 0)
		return DD_ROLE_ADMIN;
	if (strcmp(group, "editors") == 0)
		return DD_ROLE_EDITOR;
	if (strcmp(group, "users") == 0)
		return DD_ROLE_VIEWER;
	return DD_ROLE_NONE;
}

static int user_add(struct dd_cli *cli, const struct dd_person_input *in,
		    const char **groups, int ngroups, int generated)
{
	struct dd_err err;
	struct dd_person p;
	dd_err_clear(&err);
	/* Resolve groups before creating anyone, so a typo adds nobody. */
	for (int i = 0; i < ngroups; i++) {
		struct dd_group g;
		if (role_for(groups[i]) == DD_ROLE_NONE &&
		    dd_group_get_by_name(&cli->ctx, groups[i], &g, &err) < 0)
			return dd_cli_fail("user add", "%s", err.msg);
	}
	if (dd_person_create(&cli->ctx, &cli->actor, in, &p, &err) < 0)
		return dd_cli_fail("user add", "%s", err.msg);
	for (int i = 0; i < ngroups; i++) {
		struct dd_group g;
		int added;
		if (dd_group_ensure(&cli->ctx, &cli->actor, groups[i],
				    role_for(groups[i]), &g, &err) < 0 ||
		    dd_group_member_add(&cli->ctx, &cli->actor, g.id, p.id,
					&added, &err) < 0)
			return dd_cli_fail("user add", "%s", err.msg);
	}
	printf("added %s (id %lld, role %s)\n", p.login, (long long)p.id,
	       dd_role_name(p.role));
	if (generated)
		printf("password: %s\n", in->password);
	return DD_EXIT_OK;
}

static int user_passwd(struct dd_cli *cli, const char *login,
		       const char *password)
{
	struct dd_err err;
	struct dd_person p;
	if (dd_person_get_by_login(&cli->ctx, login, &p, &err) < 0 ||
	    dd_person_set_password(&cli->ctx, &cli->actor, p.id, password, 0,
				   &err) < 0)
		return dd_cli_fail("user passwd", "%s", err.msg);
	printf("password of %s changed\n", p.login);
	return DD_EXIT_OK;
}

int dd_cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"login", required_argument, NULL, 'l'},
		{"name", required_argument, NULL, 'n'},
		{"email", required_argument, NULL, 'e'},
		{"phone", required_argument, NULL, 'p'},
		{"group", required_argument, NULL, 'g'},
		{"password-file", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	struct dd_person_input in = {0};
	const char *groups[GROUPS_MAX];
	const char *password_file = NULL;
	char password[DD_LIMIT_PASSWORD_MAX + 2];
	int ngroups = 0, rc, c, generated = 0;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_USAGE : DD_EXIT_OK;
	}
	const char *sub = argv[1];
	int add = strcmp(sub, "add") == 0;
	if (!add && strcmp(sub, "passwd") != 0)
		return dd_cli_usage_error("user",
					  "unknown subcommand '%s' "
					  "(add or passwd)",
					  sub);
	const char *cmd = add ? "user add" : "user passwd";
	if ((rc = dd_cli_init(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
			break;
		case 'l':
			in.login = optarg;
			break;
		case 'n':
			in.name = optarg;
			break;
		case 'e':
			in.email = optarg;
			break;
		case 'p':
			in.phone = optarg;
			break;
		case 'g':
			if (ngroups >= GROUPS_MAX)
				return dd_cli_usage_error(
					cmd, "more than %d --group options",
					GROUPS_MAX);
			groups[ngroups++] = optarg;
			break;
		case 'f':
			password_file = optarg;
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
	if (!in.login)
		return dd_cli_usage_error(cmd, "--login is required");
	if (add) {
		if (!in.name || !in.email)
			return dd_cli_usage_error(cmd, "--name and --email are "
						       "required");
		if (ngroups == 0)
			return dd_cli_usage_error(
				cmd, "--group is required (for example "
				     "'users', 'editors' or 'admins')");
	}
	if (password_file || !add) {
		if ((rc = dd_cli_read_secret(
			     cmd, password_file ? password_file : "-", password,
			     sizeof(password))) != DD_EXIT_OK)
			return rc;
	} else {
		dd_secret_random(password);
		password[20] = '\0';
		generated = 1;
	}
	in.password = password;
	if ((rc = dd_cli_open(&cli, cmd)) != DD_EXIT_OK)
		return rc;
	rc = add ? user_add(&cli, &in, groups, ngroups, generated)
		 : user_passwd(&cli, in.login, password);
	dd_cli_close(&cli);
	return rc;
}
