/*
 * jourfixe.h - the report the weekly jour fixe works from (seed: who
 * takes which service is decided weekly in the jour fixe): next week's
 * plan, the duty days ahead that nobody covers, the swap requests still
 * open, the absences ahead and, once tickets exist, last week's
 * priority-1 tickets.
 *
 * For the jour fixe held in week W (a Monday):
 *   - next week is W+7..W+13, shown with draft weeks as they would be
 *     once published, because confirming the draft is the meeting's job;
 *   - "ahead" is the four weeks W+7..W+34: uncovered duty days and
 *     absences are listed for it;
 *   - an uncovered duty day is one where nobody is on duty in the
 *     published rota (no plan, a draft plan), or where the person on duty
 *     after all changes is absent that day (an absence not cancelled with
 *     first_day <= day <= last_day);
 *   - open swap requests are those on a day from W on;
 *   - last week (W-7..W-1) would give the priority-1 tickets.
 */
#ifndef DD_ROTA_JOURFIXE_H
#define DD_ROTA_JOURFIXE_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/assign.h"
#include "rota/week.h"
#include "rota/who.h"

/* Swap requests and absences a report lists at most; past this the
 * report says it is truncated. */
#define DD_JOURFIXE_LIST_MAX 500
/* The weeks "ahead" covers. */
#define DD_JOURFIXE_AHEAD_WEEKS 4

enum dd_jf_uncovered_why {
	DD_JF_UNCOVERED_NO_PLAN, /* no plan for the week, nobody set */
	DD_JF_UNCOVERED_DRAFT,	 /* the week's plan is not published yet */
	DD_JF_UNCOVERED_ABSENT,	 /* the person on duty is absent */
};

struct dd_jf_uncovered {
	struct dd_assignment a;
	enum dd_jf_uncovered_why why;
	int64_t absence_id; /* DD_JF_UNCOVERED_ABSENT */
	const char *absence_kind;
};

struct dd_jf_swap {
	int64_t id;
	int64_t requester_id, colleague_id;
	int64_t day, duty_id;
	int64_t other_day, other_duty_id; /* 0 when not an exchange */
	const char *note;
	int64_t created_at;
};

struct dd_jf_absence {
	int64_t id, person_id;
	const char *kind;
	int64_t first_day, last_day;
};

struct dd_jourfixe {
	int64_t week;	   /* the Monday of the jour fixe's week */
	int64_t next_week; /* week + 7 */
	int64_t ahead_from, ahead_to;
	int has_plan;
	struct dd_week_plan plan; /* next week's, when has_plan */
	const struct dd_duty *duties;
	int duty_count;
	struct dd_assignment *next_days; /* next week, drafts included */
	int next_day_count;
	struct dd_jf_uncovered *uncovered;
	int uncovered_count;
	struct dd_jf_swap *swaps;
	int swap_count;
	struct dd_jf_absence *absences;
	int absence_count;
	int truncated;		 /* a list reached DD_JOURFIXE_LIST_MAX */
	struct dd_who_cache who; /* everyone the report names */
};

/* Build the report for the jour fixe in the week that holds day. All
 * memory from the context's arena. 0, or -1 with err filled. */
int dd_jourfixe_build(struct dd_ctx *ctx, int64_t day, struct dd_jourfixe *out,
		      struct dd_err *err);

void dd_jourfixe_to_json(const struct dd_jourfixe *r, struct dd_json_out *j);

const char *dd_jf_uncovered_why_name(enum dd_jf_uncovered_why why);

#endif
