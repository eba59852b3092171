#include "jobs/alerting.h"

#include "alert/alert.h"
#include "alert/reminder.h"
#include "alert/shift.h"

int dd_job_alert_escalate(struct dd_ctx *ctx, struct dd_err *err)
{
	int fired = 0;
	if (dd_alert_escalate(ctx, dd_ctx_now(ctx), &fired, err) < 0)
		return -1;
	if (fired > 0)
		dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_JOBS,
			     "alerts escalated", "steps=%d", fired);
	return 0;
}

int dd_job_shift_start(struct dd_ctx *ctx, struct dd_err *err)
{
	int notices = 0, told = 0;
	if (dd_shift_check(ctx, dd_ctx_now(ctx), &notices, &told, err) < 0)
		return -1;
	if (notices > 0 || told > 0)
		dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_JOBS,
			     "shift notices", "notices=%d coordinator=%d",
			     notices, told);
	return 0;
}

int dd_job_alert_remind(struct dd_ctx *ctx, struct dd_err *err)
{
	int listed = 0;
	if (dd_alert_remind(ctx, dd_ctx_now(ctx), &listed, err) < 0)
		return -1;
	if (listed > 0)
		dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_JOBS,
			     "priority-1 reminder sent", "alerts=%d", listed);
	return 0;
}
