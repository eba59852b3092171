/*
 * alerting.h - the alerting jobs the scheduler runs: escalation of
 * unacknowledged alerts (every few seconds: steps are minutes apart and
 * a page should leave within seconds of its step being due), shift-start
 * notices and their readiness check (every minute), and the hourly
 * reminder to the telephone duty (checked every five minutes; each hour
 * is sent once). Each is safe with several instances (alert/alert.h,
 * alert/shift.h, alert/reminder.h).
 */
#ifndef DD_JOBS_ALERTING_H
#define DD_JOBS_ALERTING_H

#include "base/ctx.h"
#include "base/err.h"

#define DD_JOB_ESCALATE_INTERVAL_MS (5 * 1000)
#define DD_JOB_SHIFT_INTERVAL_MS    (60 * 1000)
#define DD_JOB_REMIND_INTERVAL_MS   (5 * 60 * 1000)

int dd_job_alert_escalate(struct dd_ctx *ctx, struct dd_err *err);
int dd_job_shift_start(struct dd_ctx *ctx, struct dd_err *err);
int dd_job_alert_remind(struct dd_ctx *ctx, struct dd_err *err);

#endif
