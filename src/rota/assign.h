/*
 * assign.h - who actually holds each duty on each day: the published
 * week's pair, overridden by explicit plan days, swaps, replacements and
 * sick cover (rota/plan.h has the precedence), and the overrides that
 * record those changes.
 */
#ifndef DD_ROTA_ASSIGN_H
#define DD_ROTA_ASSIGN_H

#include <stdint.h>

#include "base/ctx.h"
#include "rota/env.h"
#include "rota/plan.h"
#include "store/event.h"

struct dd_assignment {
	int64_t day;
	const struct dd_duty *duty;
	int64_t person_id;  /* 0: nobody */
	int64_t planned_id; /* the pair's person; 0 without a plan */
	enum dd_cover_reason reason;
	int64_t override_id; /* 0 when the pair decides */
	int draft;	     /* decided by a draft week */
};

/*
 * Call fn for every duty day in [from, to] (days on which a duty's window
 * is open), in day then duty order. With include_drafts, draft weeks count
 * as if published (for previews); otherwise a draft week puts nobody on
 * duty, though swaps and covers still do. fn returns nonzero to stop.
 */
int dd_rota_assignments(struct dd_ctx *ctx, const struct dd_rota_env *env,
			int64_t from, int64_t to, int include_drafts,
			int (*fn)(const struct dd_assignment *a, void *arg),
			void *arg, struct dd_err *err);

/* The assignment of one duty on one day; 404 when the duty does not run
 * that day. */
int dd_rota_assignment(struct dd_ctx *ctx, const struct dd_rota_env *env,
		       int64_t day, const struct dd_duty *duty,
		       struct dd_assignment *out, struct dd_err *err);

/* Record that person holds duty on day for reason, with the event; runs
 * inside the caller's transaction. *id (may be NULL) gets the override's
 * id. */
int dd_rota_override_add(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t day, int64_t duty_id, int64_t person_id,
			 enum dd_cover_reason reason, const char *source_type,
			 int64_t source_id, int64_t *id, struct dd_err *err);

#endif
