/*
 * uncovered.h - duty days nobody will serve: the person who holds the day
 * (after swaps, replacements and sick cover) is absent on it. Such a day
 * stays uncovered until someone replaces it, which writes an override
 * with reason DD_COVER_REPLACEMENT; a warning is recorded once per day
 * and duty when it comes closer than the organisation's warning horizon.
 */
#ifndef DD_ROTA_UNCOVERED_H
#define DD_ROTA_UNCOVERED_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/absence.h"
#include "rota/assign.h"
#include "rota/env.h"
#include "store/event.h"

struct dd_uncovered {
	int64_t day;
	const struct dd_duty *duty;
	int64_t person_id;	     /* the absent holder */
	enum dd_cover_reason reason; /* how they hold it */
	int64_t absence_id;
	enum dd_absence_kind kind;
};

/* Pure: the uncovered entry of assignment a, given the absences in force
 * around it. 1 with *out filled when a's holder is absent that day, else
 * 0 (nobody on duty counts as not uncovered: there is no plan yet). */
int dd_uncovered_of(const struct dd_assignment *a,
		    const struct dd_absence_span *spans, int n,
		    struct dd_uncovered *out);

/*
 * Call fn for every uncovered duty day in [from, to] (published weeks
 * only), in day then duty order; env must cover the range. fn returns
 * nonzero to stop. 0 or -1.
 */
int dd_uncovered_list(struct dd_ctx *ctx, const struct dd_rota_env *env,
		      int64_t from, int64_t to,
		      int (*fn)(const struct dd_uncovered *u, void *arg),
		      void *arg, struct dd_err *err);

/*
 * The warning job: for the uncovered days from today (in the
 * organisation's zone at now_ms) to less than
 * settings.uncovered_warning_days days ahead, record the event
 * "rota.uncovered.warning" (object: the duty; after: the day, the absent
 * person and the coordinator and substitute to notify) unless one was
 * recorded for that day and duty before. fn (may be NULL) is called for
 * each new warning. *total gets the uncovered days in the horizon,
 * *warned the new warnings. Each warning is its own transaction, so
 * several instances running the job at once warn once. 0 or -1.
 */
int dd_uncovered_warn(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t now_ms,
		      int (*fn)(const struct dd_uncovered *u, void *arg),
		      void *arg, int *total, int *warned, struct dd_err *err);

/*
 * Put person_id on duty_id on day as a replacement, with the override's
 * event. The day must run the duty (409) and be in range; the person must
 * be active, not absent that day and not already on a duty that day
 * (409). Without any_day (a person volunteering for themselves) the day
 * must be uncovered and not in the past (400); with it (an editor) any
 * duty day will do. out (may be NULL) gets the day's new assignment.
 */
int dd_replacement_set(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t day, int64_t duty_id, int64_t person_id,
		       int any_day, struct dd_assignment *out,
		       struct dd_err *err);

/* The entry as JSON (day, duty, person, absence). */
void dd_uncovered_to_json(const struct dd_uncovered *u, struct dd_json_out *j);

#endif
