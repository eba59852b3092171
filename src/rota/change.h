/*
 * change.h - what the changes to the plan share (absences, swaps,
 * replacements, sick cover): the range of days a change may name, the
 * checks on the people it names, who holds which duty on a day, and one
 * lock that serialises every change.
 *
 * A change is checked and then written (an override, rota/assign.h). Two
 * changes checked at once could both pass and together break a rule (one
 * person on both duties of a day), so each runs in a transaction that
 * holds the rota-change lock: SQLite already serialises writers, and
 * PostgreSQL takes an advisory lock until the transaction ends.
 */
#ifndef DD_ROTA_CHANGE_H
#define DD_ROTA_CHANGE_H

#include <stdint.h>

#include "base/ctx.h"
#include "people/person.h"
#include "rota/assign.h"
#include "rota/env.h"

/* The advisory lock key of rota changes ("dd-rota1"). */
#define DD_ROTA_CHANGE_LOCK 0x64642d726f746131LL

/* The earliest day a change may name. */
#define DD_ROTA_FIRST_YEAR 2000
/* How far ahead a change may reach, in years. */
#define DD_ROTA_YEARS_AHEAD 2

/*
 * Pure: 0 when day lies between 2000-01-01 and the same date two years
 * after today (Feb 29 counts as Feb 28), else -1 with a 400 naming field.
 */
int dd_rota_day_check(const char *field, int64_t day, int64_t today,
		      struct dd_err *err);

/* Begin a transaction and take the rota-change lock. On failure nothing
 * is left open. 0 or -1. */
int dd_rota_change_begin(struct dd_ctx *ctx, struct dd_err *err);

/*
 * The person a change names, which must exist (400 "no <what> with id N"
 * otherwise) and be active (400). out (may be NULL) gets the person, its
 * strings from the context's arena.
 */
int dd_rota_person_check(struct dd_ctx *ctx, int64_t id, const char *what,
			 struct dd_person *out, struct dd_err *err);

/*
 * Who holds each duty that runs on day (published weeks and overrides).
 * out needs room for env->duty_count entries; *n gets how many duties run
 * that day. env must cover day. 0 or -1.
 */
int dd_rota_day_holders(struct dd_ctx *ctx, const struct dd_rota_env *env,
			int64_t day, struct dd_assignment *out, int *n,
			struct dd_err *err);

/* Pure: the entry of holders[0..n) that person_id holds, NULL if none;
 * skip_duty_id (0 for none) is passed over. */
const struct dd_assignment *dd_rota_holder_find(const struct dd_assignment *a,
						int n, int64_t person_id,
						int64_t skip_duty_id);

/* Pure: the entry of holders[0..n) for duty_id, NULL if it does not run. */
const struct dd_assignment *dd_rota_holder_of(const struct dd_assignment *a,
					      int n, int64_t duty_id);

/*
 * The duty of id that must run on day: 400 for an unknown duty, 409 when
 * its window is not open that day (a weekend, a holiday). NULL then.
 */
const struct dd_duty *dd_rota_duty_on(const struct dd_rota_env *env,
				      int64_t duty_id, int64_t day,
				      struct dd_err *err);

#endif
