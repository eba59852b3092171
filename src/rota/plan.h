/*
 * plan.h - who is on a duty on a day, from the weekly pair and the
 * changes made to it (pure).
 *
 * A week's plan names a pair. On the week's first business day the first
 * person has the duty of slot 0 (telephone service) and the second the
 * duty of slot 1 (technical emergency); they swap on every following
 * business day, holidays skipped. Changes to single days override the
 * pair with a precedence: sick cover over vacation replacement over swap
 * over a day set explicitly in the plan over the pair.
 */
#ifndef DD_ROTA_PLAN_H
#define DD_ROTA_PLAN_H

#include <stdint.h>

#include "rota/calendar.h"

struct dd_week_pair {
	int64_t week_start; /* a Monday */
	int64_t first;	    /* person ids */
	int64_t second;
};

enum dd_cover_reason {
	DD_COVER_PLAN = 0, /* the week's pair */
	DD_COVER_DAY = 1,  /* a day set explicitly in the plan */
	DD_COVER_SWAP = 2, /* an accepted swap */
	DD_COVER_REPLACEMENT =
		3,	   /* a vacation (or other absence) replacement */
	DD_COVER_SICK = 4, /* sick cover */
};

/* A change that puts person on a duty on a day. */
struct dd_cover {
	int64_t person_id;
	enum dd_cover_reason reason;
	int64_t id; /* later changes of equal precedence win */
};

/* Index of day among its week's business days (0-based), -1 when day is
 * not a business day. */
int dd_plan_day_index(const struct dd_calendar *cal, int64_t day);

/* The person the pair puts on the duty of slot (0 or 1) on day; 0 when
 * day is not a business day or not in the pair's week. */
int64_t dd_plan_assignee(const struct dd_calendar *cal,
			 const struct dd_week_pair *pair, int64_t day,
			 int slot);

/* The winning change among n (NULL when n is 0). */
const struct dd_cover *dd_cover_pick(const struct dd_cover *covers, int n);

const char *dd_cover_reason_name(enum dd_cover_reason reason);

#endif
