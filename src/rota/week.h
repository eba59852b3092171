/*
 * week.h - the weekly plans: a pair per week, drafted, then published by
 * an editor. Only published weeks put anyone on duty.
 */
#ifndef DD_ROTA_WEEK_H
#define DD_ROTA_WEEK_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

struct dd_week_plan {
	int64_t id;
	int64_t week_start; /* a Monday (day number) */
	int64_t first;
	int64_t second;
	int published;
	const char *note;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
	int64_t published_at; /* 0 while a draft */
};

/* 404 when the week has no plan. */
int dd_week_get(struct dd_ctx *ctx, int64_t week_start,
		struct dd_week_plan *out, struct dd_err *err);
/* Plans with week_start in [from, to], ascending. */
int dd_week_list(struct dd_ctx *ctx, int64_t from, int64_t to,
		 int (*fn)(const struct dd_week_plan *w, void *arg), void *arg,
		 struct dd_err *err);
/* Create the week's plan as a draft, or change its pair (a published week
 * stays published: the change takes effect at once). week_start must be
 * a Monday; the two people must differ and exist. if_version > 0 refuses
 * (412) a stale update. */
int dd_week_set(struct dd_ctx *ctx, const struct dd_actor *actor,
		int64_t week_start, int64_t first, int64_t second,
		const char *note, int64_t if_version, struct dd_week_plan *out,
		struct dd_err *err);
int dd_week_publish(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t week_start, struct dd_week_plan *out,
		    struct dd_err *err);
int dd_week_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		   int64_t week_start, struct dd_err *err);

void dd_week_to_json(const struct dd_week_plan *w, struct dd_json_out *j);

#endif
