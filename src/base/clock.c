#include "base/clock.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t system_now(const struct dd_clock *clock)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t manual_now(const struct dd_clock *clock)
{
	return clock->manual_ms;
}

/* The instant in path: 0 with *ms set, -1 when there is none. */
static int read_file(const char *path, int64_t *ms)
{
	char text[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	char *end;
	long long v = strtoll(text, &end, 10);
	if (end == text || v <= 0 || (*end && *end != '\n'))
		return -1;
	*ms = v;
	return 0;
}

static int64_t file_now(const struct dd_clock *clock)
{
	int64_t ms;
	struct dd_clock *c = (struct dd_clock *)clock;
	if (read_file(clock->file, &ms) == 0)
		c->manual_ms = ms;
	return c->manual_ms;
}

int dd_clock_init_file(struct dd_clock *clock, const char *path)
{
	int64_t ms;
	if (strlen(path) >= sizeof(clock->file) || read_file(path, &ms) < 0)
		return -1;
	snprintf(clock->file, sizeof(clock->file), "%s", path);
	clock->manual_ms = ms;
	clock->now_ms = file_now;
	return 0;
}

void dd_clock_init_system(struct dd_clock *clock)
{
	clock->now_ms = system_now;
	clock->manual_ms = 0;
}

void dd_clock_init_manual(struct dd_clock *clock, int64_t ms)
{
	clock->now_ms = manual_now;
	clock->manual_ms = ms;
}

void dd_clock_set(struct dd_clock *clock, int64_t ms)
{
	clock->manual_ms = ms;
}

void dd_clock_advance(struct dd_clock *clock, int64_t delta_ms)
{
	clock->manual_ms += delta_ms;
}

int64_t dd_clock_now(const struct dd_clock *clock)
{
	return clock->now_ms(clock);
}

int64_t dd_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
