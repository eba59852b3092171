/*
 * scheduler.h - the clock's work: jobs that run every so often in a
 * thread of the server (the uncovered-duty warning, service levels,
 * IMAP polling; later escalation and reminders).
 *
 * Each job is written so that several instances may run it at once on one
 * PostgreSQL database: the job itself takes the locks it needs. The
 * scheduler has its own database connection and memory arena per run.
 */
#ifndef DD_JOBS_SCHEDULER_H
#define DD_JOBS_SCHEDULER_H

#include <pthread.h>
#include <stdint.h>

#include "base/ctx.h"
#include "base/tz.h"
#include "base/wakeup.h"

#define DD_SCHEDULER_JOBS_MAX 16

struct dd_job {
	const char *name;
	int64_t interval_ms;
	/* Do the work; 0, or -1 with err filled (logged, retried next
	 * interval). */
	int (*run)(struct dd_ctx *ctx, struct dd_err *err);
	int64_t next_ms; /* monotonic time of the next run */
};

struct dd_scheduler {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	int started;
	struct dd_ctx ctx; /* store and tz cache owned by the scheduler */
	struct dd_tz_cache tz_cache;
	int count;
	struct dd_job jobs[DD_SCHEDULER_JOBS_MAX];
};

/* Register the standard jobs and start the thread with its own
 * connection to config->db_url, which rings outbox_wake (may be NULL)
 * after committing outbox rows (escalation pages, shift notices,
 * reminders). Returns 0, or -1 with err filled. */
int dd_scheduler_start(struct dd_scheduler *s, const struct dd_config *config,
		       const struct dd_clock *clock, struct dd_log *log,
		       const struct dd_wakeup *outbox_wake, struct dd_err *err);
/* Stop the thread after the job in progress and close the connection. */
void dd_scheduler_stop(struct dd_scheduler *s);

#endif
