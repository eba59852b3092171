#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/router.h"

int dd_cmd_routes(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		fputs("usage: dutydesk routes\n\nPrint every HTTP route as "
		      "METHOD PATH ROLE, one a line.\n",
		      stdout);
		return DD_EXIT_OK;
	}
	if (argc > 1)
		return dd_cli_usage_error("routes", "unexpected argument '%s'",
					  argv[1]);
	for (int i = 0; i < dd_route_count; i++)
		printf("%s %s %s\n", dd_method_name(dd_routes[i].method),
		       dd_routes[i].pattern,
		       dd_routes[i].access.min_role == DD_ROLE_NONE
			       ? "public"
			       : dd_role_name(dd_routes[i].access.min_role));
	return DD_EXIT_OK;
}
