/*
 * env.h - what rota computations need, loaded once per request: the
 * settings, the time zone, the holidays around a range of days, the
 * calendar built from them, and the duties.
 */
#ifndef DD_ROTA_ENV_H
#define DD_ROTA_ENV_H

#include "base/ctx.h"
#include "rota/calendar.h"
#include "rota/duty.h"
#include "rota/settings.h"

struct dd_rota_env {
	struct dd_org_settings settings;
	const struct dd_tz *tz;
	struct dd_calendar cal;
	int64_t *holidays; /* from the arena */
	int holiday_count;
	struct dd_duty *duties; /* from the arena */
	int duty_count;
};

/* Load for days from_day..to_day (holidays a week either side, so that
 * week-based questions inside the range are answered right). */
int dd_rota_env_load(struct dd_ctx *ctx, int64_t from_day, int64_t to_day,
		     struct dd_rota_env *env, struct dd_err *err);

/* Load for the local day of at_ms (*day set), with holidays around it:
 * what an on-call lookup needs, without a second round trip. */
int dd_rota_env_load_at(struct dd_ctx *ctx, int64_t at_ms,
			struct dd_rota_env *env, int64_t *day,
			struct dd_err *err);

/* Today in the organisation's time zone by the context's clock: only the
 * settings and the zone are read, for callers that need nothing else. */
int dd_rota_today(struct dd_ctx *ctx, int64_t *today, struct dd_err *err);

/* The duty with id, or NULL. */
const struct dd_duty *dd_rota_env_duty(const struct dd_rota_env *env,
				       int64_t id);

/* Today in the organisation's time zone. */
int64_t dd_rota_env_today(const struct dd_rota_env *env, int64_t now_ms);

#endif
