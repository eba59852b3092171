#include "api/clockfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[256];
static int64_t current;

void api_clock_set(int64_t ms)
{
	char tmp[300];
	/* Write a new file and rename it over the old one, so that a
	 * server never reads half a number. */
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "clockfile: cannot write '%s'\n", tmp);
		abort();
	}
	fprintf(f, "%lld\n", (long long)ms);
	fclose(f);
	if (rename(tmp, path) != 0)
		abort();
	current = ms;
}

int api_clock_use(int64_t ms)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/dd-clock-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "clockfile: mkstemp failed\n");
		return -1;
	}
	close(fd);
	api_clock_set(ms);
	setenv("DUTYDESK_TEST_CLOCK_FILE", path, 1);
	return 0;
}

void api_clock_done(void)
{
	if (path[0])
		unlink(path);
}

void api_clock_advance(int64_t delta_ms)
{
	api_clock_set(current + delta_ms);
}

int64_t api_clock_now(void)
{
	return current;
}
