/*
 * log.h - logfmt lines on a stream (stderr by default):
 *
 *   ts=2026-11-27T08:15:00.123Z level=warn sub=store msg="..." key=value
 *
 * Debug lines are switched per subsystem at run time (SIGUSR1 in serve
 * toggles all of them; DUTYDESK_DEBUG=http,store at start-up).
 */
#ifndef DD_BASE_LOG_H
#define DD_BASE_LOG_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "base/clock.h"

enum dd_log_level { DD_LOG_DEBUG, DD_LOG_INFO, DD_LOG_WARN, DD_LOG_ERROR };

enum dd_log_subsystem {
	DD_SUB_MAIN = 1u << 0,
	DD_SUB_HTTP = 1u << 1,
	DD_SUB_STORE = 1u << 2,
	DD_SUB_AUTH = 1u << 3,
	DD_SUB_JOBS = 1u << 4,
	DD_SUB_MAIL = 1u << 5,
	DD_SUB_ROTA = 1u << 6,
	DD_SUB_ALL = 0xffffffffu,
};

struct dd_log {
	FILE *out;
	const struct dd_clock *clock;
	_Atomic unsigned debug_mask; /* subsystems whose debug lines show */
	pthread_mutex_t lock;	     /* one line at a time */
};

void dd_log_init(struct dd_log *log, FILE *out, const struct dd_clock *clock);
void dd_log_release(struct dd_log *log);

/* Parse "http,store" (or "all") into a mask; unknown names are ignored. */
unsigned dd_log_parse_mask(const char *names);

/*
 * Write one line. kv_fmt (may be NULL) is a printf format for the fields
 * after msg, already in logfmt ("id=%lld path=%s"); string values that may
 * hold spaces or quotes must go through dd_log_quote.
 */
void dd_log_write(struct dd_log *log, enum dd_log_level level,
		  enum dd_log_subsystem sub, const char *msg,
		  const char *kv_fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* s as a logfmt value, quoted and escaped when needed, into out. */
const char *dd_log_quote(char *out, size_t cap, const char *s);

#endif
