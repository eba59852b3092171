/*
 * shift.h - shift start: when a duty's window opens, the person on duty
 * gets a notice (their duty and its hours, who holds the other duties
 * today with their phones) with a one-click readiness link ("on duty,
 * VPN works"). Without that acknowledgement 15 minutes after the notice
 * the coordinator is told, once.
 *
 * A notice is a row of shift_notices, unique per day and duty, so with
 * several instances exactly one of them sends it; the coordinator's
 * notice is claimed with a conditional update the same way.
 */
#ifndef DD_ALERT_SHIFT_H
#define DD_ALERT_SHIFT_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* The seed's readiness rule: a quarter of an hour to say so. */
#define DD_SHIFT_READY_GRACE_MS (15 * 60 * 1000LL)
/* A readiness note ("VPN works, on the train until 16:20"). */
#define DD_SHIFT_NOTE_MAX 500

struct dd_shift {
	int64_t id;
	const char *day; /* YYYY-MM-DD */
	int64_t duty_id;
	int64_t person_id;
	int64_t window_start;
	int64_t window_end;
	int64_t notified_at;
	int64_t ready_at; /* 0: not yet */
	const char *ready_note;
	int64_t escalated_at; /* 0: the coordinator was not told */
};

/* Send the notices of windows open at now and tell the coordinator of
 * shifts still unconfirmed after the grace. The counts (may be NULL) get
 * what was sent. 0 or -1. */
int dd_shift_check(struct dd_ctx *ctx, int64_t now, int *notices,
		   int *escalations, struct dd_err *err);

/* Confirm readiness (the person on duty; the caller checks who may).
 * Confirming twice keeps the first time. 404 for no such shift. */
int dd_shift_ready(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   const char *note, struct dd_shift *out, struct dd_err *err);

/* The readiness link of a start notice (alert/ack_link.h) used: its
 * single use and the confirmation in one transaction. 409 when the link
 * was used. */
struct dd_ack_token;
int dd_shift_ready_by_link(struct dd_ctx *ctx, const struct dd_actor *actor,
			   const struct dd_ack_token *t, struct dd_shift *out,
			   struct dd_err *err);

int dd_shift_get(struct dd_ctx *ctx, int64_t id, struct dd_shift *out,
		 struct dd_err *err);
/* The newest first, up to limit; fn returns nonzero to stop. */
int dd_shift_list(struct dd_ctx *ctx, int64_t before_id, int limit,
		  int (*fn)(const struct dd_shift *s, void *arg), void *arg,
		  struct dd_err *err);

void dd_shift_to_json(const struct dd_shift *s, struct dd_json_out *j);

#endif
