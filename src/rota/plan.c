#include "rota/plan.h"

#include <stddef.h>

int dd_plan_day_index(const struct dd_calendar *cal, int64_t day)
{
	if (!dd_calendar_is_business_day(cal, day))
		return -1;
	int index = 0;
	for (int64_t d = dd_date_week_start(day); d < day; d++)
		if (dd_calendar_is_business_day(cal, d))
			index++;
	return index;
}

int64_t dd_plan_assignee(const struct dd_calendar *cal,
			 const struct dd_week_pair *pair, int64_t day, int slot)
{
	if (dd_date_week_start(day) != pair->week_start)
		return 0;
	int index = dd_plan_day_index(cal, day);
	if (index < 0)
		return 0;
	int first_has_slot0 = index % 2 == 0;
	if (slot == 0)
		return first_has_slot0 ? pair->first : pair->second;
	return first_has_slot0 ? pair->second : pair->first;
}

const struct dd_cover *dd_cover_pick(const struct dd_cover *covers, int n)
{
	const struct dd_cover *best = NULL;
	for (int i = 0; i < n; i++) {
		const struct dd_cover *c = &covers[i];
		if (!best || c->reason > best->reason ||
		    (c->reason == best->reason && c->id > best->id))
			best = c;
	}
	return best;
}

const char *dd_cover_reason_name(enum dd_cover_reason reason)
{
	switch (reason) {
	case DD_COVER_PLAN:
		return "plan";
	case DD_COVER_DAY:
		return "plan day";
	case DD_COVER_SWAP:
		return "swap";
	case DD_COVER_REPLACEMENT:
		return "replacement";
	case DD_COVER_SICK:
		return "sick cover";
	}
	return "plan";
}
