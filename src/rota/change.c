#include "rota/change.h"

#include <string.h>

#include "base/date.h"
#include "store/store.h"

int dd_rota_day_check(const char *field, int64_t day, int64_t today,
		      struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN], last_text[DD_DATE_TEXT_LEN];
	int y, m, d;
	dd_date_from_days(today, &y, &m, &d);
	y += DD_ROTA_YEARS_AHEAD;
	if (m == 2 && d == 29)
		d = 28;
	int64_t first = dd_date_days(DD_ROTA_FIRST_YEAR, 1, 1);
	int64_t last = dd_date_days(y, m, d);
	if (day >= first && day <= last)
		return 0;
	dd_date_format(day, text);
	if (day < first)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' %s is before %d-01-01", field, text,
				  DD_ROTA_FIRST_YEAR);
	dd_date_format(last, last_text);
	return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			  "'%s' %s is more than %d years ahead (after %s)",
			  field, text, DD_ROTA_YEARS_AHEAD, last_text);
}

int dd_rota_change_begin(struct dd_ctx *ctx, struct dd_err *err)
{
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_lock(ctx->store, DD_ROTA_CHANGE_LOCK, err) < 0) {
		dd_store_rollback(ctx->store);
		return -1;
	}
	return 0;
}

int dd_rota_person_check(struct dd_ctx *ctx, int64_t id, const char *what,
			 struct dd_person *out, struct dd_err *err)
{
	struct dd_person p;
	if (dd_person_get(ctx, id, &p, err) < 0) {
		if (err->status == 404)
			dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				   "no %s with id %lld", what, (long long)id);
		return -1;
	}
	if (!p.active)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "%s '%s' is not active", what, p.login);
	if (out)
		*out = p;
	return 0;
}

struct holders {
	struct dd_assignment *out;
	int n, cap;
};

static int take_holder(const struct dd_assignment *a, void *arg)
{
	struct holders *h = arg;
	if (h->n < h->cap)
		h->out[h->n++] = *a;
	return 0;
}

int dd_rota_day_holders(struct dd_ctx *ctx, const struct dd_rota_env *env,
			int64_t day, struct dd_assignment *out, int *n,
			struct dd_err *err)
{
	struct holders h = {out, 0, env->duty_count};
	*n = 0;
	if (dd_rota_assignments(ctx, env, day, day, 0, take_holder, &h, err) <
	    0)
		return -1;
	*n = h.n;
	return 0;
}

const struct dd_assignment *dd_rota_holder_find(const struct dd_assignment *a,
						int n, int64_t person_id,
						int64_t skip_duty_id)
{
	for (int i = 0; i < n; i++)
		if (a[i].person_id == person_id && person_id != 0 &&
		    a[i].duty->id != skip_duty_id)
			return &a[i];
	return NULL;
}

const struct dd_assignment *dd_rota_holder_of(const struct dd_assignment *a,
					      int n, int64_t duty_id)
{
	for (int i = 0; i < n; i++)
		if (a[i].duty->id == duty_id)
			return &a[i];
	return NULL;
}

const struct dd_duty *dd_rota_duty_on(const struct dd_rota_env *env,
				      int64_t duty_id, int64_t day,
				      struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN];
	const struct dd_duty *duty = dd_rota_env_duty(env, duty_id);
	if (!duty) {
		dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			   "no duty with id %lld", (long long)duty_id);
		return NULL;
	}
	if (!dd_window_open_on(&env->cal, &duty->window, day)) {
		dd_date_format(day, text);
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "%s is not a duty day of '%s'", text, duty->name);
		return NULL;
	}
	return duty;
}
