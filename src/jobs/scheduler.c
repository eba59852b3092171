#include "jobs/scheduler.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "jobs/alerting.h"
#include "mail/imap.h"
#include "rota/uncovered.h"
#include "store/store.h"
#include "ticket/sla.h"

/* Memory one job run may use. */
#define JOB_ARENA_BYTES (16 * 1024 * 1024)
/* Uncovered days are looked for every hour: the warning horizon is days. */
#define UNCOVERED_INTERVAL_MS (60 * 60 * 1000)
/* Service levels are checked every minute: their targets are minutes. */
#define SLA_INTERVAL_MS (60 * 1000)
/* The IMAP poller looks this often whether a poll is due: the mail
 * settings' interval (10 s at least) decides, across instances. */
#define IMAP_TICK_MS (5 * 1000)

static int job_uncovered(struct dd_ctx *ctx, struct dd_err *err)
{
	struct dd_actor actor = {0, "system"};
	int total = 0, warned = 0;
	if (dd_uncovered_warn(ctx, &actor, dd_ctx_now(ctx), NULL, NULL, &total,
			      &warned, err) < 0)
		return -1;
	if (warned > 0)
		dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_JOBS,
			     "uncovered duty days ahead", "uncovered=%d new=%d",
			     total, warned);
	return 0;
}

static int job_sla(struct dd_ctx *ctx, struct dd_err *err)
{
	struct dd_actor actor = {0, "system"};
	struct dd_sla_check_stats st;
	if (dd_sla_check(ctx, &actor, dd_ctx_now(ctx), NULL, NULL, &st, err) <
	    0)
		return -1;
	if (st.warnings > 0 || st.breaches > 0)
		dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_JOBS,
			     "service levels",
			     "checked=%d warnings=%d breaches=%d", st.checked,
			     st.warnings, st.breaches);
	return 0;
}

static int job_imap(struct dd_ctx *ctx, struct dd_err *err)
{
	struct dd_actor actor = {0, "system"};
	struct dd_imap_stats st;
	/* The poll logs what it did and why it failed. */
	return dd_mail_imap_poll(ctx, &actor, 0, &st, err);
}

static void add(struct dd_scheduler *s, const char *name, int64_t interval_ms,
		int (*run)(struct dd_ctx *ctx, struct dd_err *err))
{
	if (s->count >= DD_SCHEDULER_JOBS_MAX)
		return;
	/* The first run comes soon after start, not a whole interval
	 * later. */
	s->jobs[s->count++] = (struct dd_job){name, interval_ms, run,
					      dd_monotonic_ms() + 1000};
}

static void *loop(void *arg)
{
	struct dd_scheduler *s = arg;
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		int64_t now = dd_monotonic_ms(), next = now + 60 * 1000;
		for (int i = 0; i < s->count && !s->stop; i++) {
			struct dd_job *job = &s->jobs[i];
			if (job->next_ms <= now) {
				struct dd_arena arena;
				struct dd_err err;
				dd_arena_init(&arena, JOB_ARENA_BYTES);
				s->ctx.arena = &arena;
				dd_err_clear(&err);
				pthread_mutex_unlock(&s->lock);
				int64_t started = dd_monotonic_ms();
				int rc = job->run(&s->ctx, &err);
				dd_log_write(s->ctx.log, DD_LOG_DEBUG,
					     DD_SUB_JOBS, "job ran",
					     "job=%s ms=%lld ok=%d", job->name,
					     (long long)(dd_monotonic_ms() -
							 started),
					     rc == 0);
				if (rc < 0)
					dd_log_write(s->ctx.log, DD_LOG_WARN,
						     DD_SUB_JOBS, "job failed",
						     "job=%s status=%d",
						     job->name, err.status);
				dd_store_rollback(s->ctx.store);
				pthread_mutex_lock(&s->lock);
				dd_arena_release(&arena);
				s->ctx.arena = NULL;
				job->next_ms =
					dd_monotonic_ms() + job->interval_ms;
			}
			if (job->next_ms < next)
				next = job->next_ms;
		}
		if (s->stop)
			break;
		int64_t wait = next - dd_monotonic_ms();
		if (wait > 0) {
			struct timespec until;
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += wait / 1000;
			until.tv_nsec += (wait % 1000) * 1000000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&s->wake, &s->lock, &until);
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int dd_scheduler_start(struct dd_scheduler *s, const struct dd_config *config,
		       const struct dd_clock *clock, struct dd_log *log,
		       const struct dd_wakeup *outbox_wake, struct dd_err *err)
{
	memset(s, 0, sizeof(*s));
	if (dd_store_open(config->db_url, &s->ctx.store, err) < 0)
		return -1;
	dd_store_set_wakeup(s->ctx.store, outbox_wake);
	dd_tz_cache_init(&s->tz_cache);
	s->ctx.config = config;
	s->ctx.clock = clock;
	s->ctx.log = log;
	s->ctx.tz_cache = &s->tz_cache;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &attr);
	pthread_condattr_destroy(&attr);
	add(s, "rota.uncovered.warning", UNCOVERED_INTERVAL_MS, job_uncovered);
	add(s, "ticket.sla.check", SLA_INTERVAL_MS, job_sla);
	add(s, "alert.escalate", DD_JOB_ESCALATE_INTERVAL_MS,
	    dd_job_alert_escalate);
	add(s, "alert.shift.start", DD_JOB_SHIFT_INTERVAL_MS,
	    dd_job_shift_start);
	add(s, "alert.remind", DD_JOB_REMIND_INTERVAL_MS, dd_job_alert_remind);
	add(s, "mail.imap.poll", IMAP_TICK_MS, job_imap);
	if (pthread_create(&s->thread, NULL, loop, s) != 0) {
		dd_store_close(s->ctx.store);
		dd_tz_cache_release(&s->tz_cache);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "cannot start the job thread");
	}
	s->started = 1;
	return 0;
}

void dd_scheduler_stop(struct dd_scheduler *s)
{
	if (!s->started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	dd_store_close(s->ctx.store);
	dd_tz_cache_release(&s->tz_cache);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	s->started = 0;
}
