#include "rota/env.h"

#include <string.h>

#include "store/store.h"

/* Holidays in one request's range: a few dozen a year. */
#define HOLIDAYS_MAX 4096

static int load_settings(struct dd_ctx *ctx, struct dd_rota_env *env,
			 struct dd_err *err)
{
	memset(env, 0, sizeof(*env));
	if (dd_settings_load(ctx, &env->settings, err) < 0 ||
	    dd_tz_cache_get(ctx->tz_cache, env->settings.time_zone, &env->tz,
			    err) < 0)
		return -1;
	return 0;
}

static int load_range(struct dd_ctx *ctx, int64_t from_day, int64_t to_day,
		      struct dd_rota_env *env, struct dd_err *err);

int dd_rota_env_load(struct dd_ctx *ctx, int64_t from_day, int64_t to_day,
		     struct dd_rota_env *env, struct dd_err *err)
{
	if (load_settings(ctx, env, err) < 0)
		return -1;
	return load_range(ctx, from_day, to_day, env, err);
}

int dd_rota_today(struct dd_ctx *ctx, int64_t *today, struct dd_err *err)
{
	struct dd_rota_env env;
	if (load_settings(ctx, &env, err) < 0)
		return -1;
	*today = dd_rota_env_today(&env, dd_ctx_now(ctx));
	return 0;
}

int dd_rota_env_load_at(struct dd_ctx *ctx, int64_t at_ms,
			struct dd_rota_env *env, int64_t *day,
			struct dd_err *err)
{
	if (load_settings(ctx, env, err) < 0)
		return -1;
	*day = dd_rota_env_today(env, at_ms);
	return load_range(ctx, *day, *day, env, err);
}

static int load_range(struct dd_ctx *ctx, int64_t from_day, int64_t to_day,
		      struct dd_rota_env *env, struct dd_err *err)
{
	char from[DD_DATE_TEXT_LEN], to[DD_DATE_TEXT_LEN];
	dd_date_format(from_day - 7, from);
	dd_date_format(to_day + 7, to);
	env->holidays =
		dd_arena_alloc(ctx->arena, sizeof(int64_t) * HOLIDAYS_MAX);
	if (!env->holidays)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT day FROM holidays WHERE day >= $1 AND "
			   "day <= $2 ORDER BY day",
			   (struct dd_param[]){DD_P_TEXT(from), DD_P_TEXT(to)},
			   2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 &&
	       env->holiday_count < HOLIDAYS_MAX) {
		int64_t d;
		if (dd_date_parse(dd_rows_text(rows, 0), &d) == 0)
			env->holidays[env->holiday_count++] = d;
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	env->cal = (struct dd_calendar){
		.tz = env->tz,
		.workdays = env->settings.workdays,
		.core_start = env->settings.core_start,
		.core_end = env->settings.core_end,
		.holidays = env->holidays,
		.holiday_count = env->holiday_count,
	};
	return dd_duty_all(ctx, &env->duties, &env->duty_count, err);
}

const struct dd_duty *dd_rota_env_duty(const struct dd_rota_env *env,
				       int64_t id)
{
	for (int i = 0; i < env->duty_count; i++)
		if (env->duties[i].id == id)
			return &env->duties[i];
	return NULL;
}

int64_t dd_rota_env_today(const struct dd_rota_env *env, int64_t now_ms)
{
	return dd_tz_local_day(env->tz, now_ms / 1000);
}
