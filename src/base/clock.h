/*
 * clock.h - where dutydesk reads the time. Part of the context so tests
 * can set and move time; nothing else calls time() or clock_gettime()
 * for wall-clock instants.
 */
#ifndef DD_BASE_CLOCK_H
#define DD_BASE_CLOCK_H

#include <stdint.h>

struct dd_clock {
	/* Milliseconds since the Unix epoch, UTC. */
	int64_t (*now_ms)(const struct dd_clock *clock);
	/* The manual clock's time (atomic: read by every worker); the file
	 * clock's last good reading. */
	_Atomic int64_t manual_ms;
	/* The file clock's file. */
	char file[256];
};

/* The system's real-time clock. */
void dd_clock_init_system(struct dd_clock *clock);
/* A clock that stands at ms until set or advanced. */
void dd_clock_init_manual(struct dd_clock *clock, int64_t ms);
void dd_clock_set(struct dd_clock *clock, int64_t ms);
/*
 * For tests of a running server: a clock that reads the instant
 * (decimal milliseconds since the epoch) from a file at every call, so
 * that a test moves the time of one or several processes by rewriting
 * the file. A read that fails keeps the last instant. Returns 0, or -1
 * when the path is too long or the file holds no instant now.
 */
int dd_clock_init_file(struct dd_clock *clock, const char *path);
void dd_clock_advance(struct dd_clock *clock, int64_t delta_ms);

int64_t dd_clock_now(const struct dd_clock *clock);

/* Monotonic milliseconds for measuring durations (never for instants). */
int64_t dd_monotonic_ms(void);

#endif
