/*
 * propose.h - the fair proposal against the database: the rota's members,
 * their duty days over the trailing window, absences and already
 * published weeks go in; pairs with their explanation come out, and can
 * be saved as draft weeks.
 */
#ifndef DD_ROTA_PROPOSE_H
#define DD_ROTA_PROPOSE_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/env.h"
#include "rota/fair.h"
#include "store/event.h"

/* A proposal covers at most this many weeks (two years). */
#define DD_PROPOSAL_WEEKS_MAX 104

struct dd_proposal {
	int64_t first_week;
	int weeks;
	int trailing_weeks;
	struct dd_fair_week *out;      /* weeks entries */
	struct dd_fair_person *people; /* people_count entries */
	const char **names;	       /* display names, same order */
	int people_count;
	int64_t *days_before; /* weeks * people_count */
	int64_t *final_days;  /* people_count */
};

/* Propose weeks weeks from first_week (a Monday). All memory from the
 * context's arena. */
int dd_rota_propose(struct dd_ctx *ctx, const struct dd_rota_env *env,
		    int64_t first_week, int weeks, struct dd_proposal *out,
		    struct dd_err *err);

/* Save the proposed (not fixed, paired) weeks as drafts, replacing
 * drafts but never a published week; one transaction. *saved gets the
 * number written. */
int dd_rota_proposal_save(struct dd_ctx *ctx, const struct dd_actor *actor,
			  const struct dd_proposal *p, int *saved,
			  struct dd_err *err);

/* saved_weeks >= 0 adds how many weeks were saved as drafts. */
void dd_proposal_to_json(const struct dd_proposal *p, int saved_weeks,
			 struct dd_json_out *j);

#endif
