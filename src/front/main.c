/*
 * main.c - the small front executable `dutydesk`.
 *
 * An MTA starts `dutydesk mailgate` once per message. The full program
 * (dutydesk-core: the server, the CLI, GMime, libpq, libcurl, ...) links
 * 57 shared libraries whose loading and relocation cost about 10 ms of
 * CPU before main runs, which capped the mailgate at a few dozen
 * messages a second. This executable links libc alone: it delivers
 * `mailgate` to an http:// URL itself (cli/mailgate.c with the plain
 * client of base/http_post.c) and for everything else replaces itself
 * with dutydesk-core, the same arguments, the same process id (so
 * `serve` under systemd or a test harness is signalled as before).
 *
 * dutydesk-core is looked for beside this executable (DUTYDESK_CORE
 * names another path). Install both into one directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/http_post.h"
#include "cli/mailgate.h"

#define CORE_NAME "dutydesk-core"
/* The MTA's "try again later" (sysexits.h EX_TEMPFAIL). */
#define EX_TEMPFAIL 75

static int run_core(char **argv, int mailgate)
{
	char path[PATH_MAX];
	const char *env = getenv("DUTYDESK_CORE");
	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
	} else {
		ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
		if (n <= 0)
			n = 0;
		path[n] = '\0';
		char *slash = strrchr(path, '/');
		size_t keep = slash ? (size_t)(slash - path) + 1 : 0;
		if (keep + sizeof(CORE_NAME) > sizeof(path))
			keep = 0;
		memcpy(path + keep, CORE_NAME, sizeof(CORE_NAME));
	}
	execv(path, argv);
	fprintf(stderr, "dutydesk: cannot run '%s': %s\n", path,
		strerror(errno));
	/* A mailgate that cannot run must make the MTA keep the mail. */
	return mailgate ? EX_TEMPFAIL : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "mailgate") == 0) {
		const char *url = dd_mailgate_url(argc - 1, argv + 1);
		if (url && dd_http_post_plain(url))
			return dd_mailgate_run(argc - 1, argv + 1, NULL);
		return run_core(argv, 1);
	}
	return run_core(argv, 0);
}
