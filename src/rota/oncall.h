/*
 * oncall.h - who is on duty at an instant: for each duty, the person
 * holding it while its window is open, and why; nobody outside the
 * window. This is what paging and the phone system ask.
 */
#ifndef DD_ROTA_ONCALL_H
#define DD_ROTA_ONCALL_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/assign.h"
#include "rota/env.h"

struct dd_oncall {
	const struct dd_duty *duty;
	int open;	      /* the window is open at the instant */
	int64_t day;	      /* the instant's local day */
	int64_t window_start; /* today's window (ms), 0 if none */
	int64_t window_end;
	struct dd_assignment assignment; /* valid when open */
	const char *name;		 /* the person's, NULL when nobody */
	const char *phone;
	const char *login;
};

/* One entry per duty (env->duty_count) into an arena array. */
int dd_oncall_at(struct dd_ctx *ctx, const struct dd_rota_env *env,
		 int64_t at_ms, struct dd_oncall **out, struct dd_err *err);

void dd_oncall_to_json(const struct dd_oncall *o, struct dd_json_out *j);

/*
 * The on-call cache: a process keeps the day's duties, windows and
 * holders, keyed by the change counter (store/event.h) and the day. Every
 * change raises the counter, so one cheap query tells whether the cached
 * day still holds; this is what makes the lookup as fast as reading one
 * person. Thread-safe.
 */
struct dd_oncall_cache;
struct dd_oncall_cache *dd_oncall_cache_new(void);
void dd_oncall_cache_free(struct dd_oncall_cache *cache);

/* Who is on duty at at_ms, through cache (NULL: no cache). *out gets
 * *count entries from the context's arena. */
int dd_oncall_lookup(struct dd_ctx *ctx, struct dd_oncall_cache *cache,
		     int64_t at_ms, struct dd_oncall **out, int *count,
		     struct dd_err *err);

#endif
