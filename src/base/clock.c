#include "base/clock.h"

#include <time.h>

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
