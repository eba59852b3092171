#include "rota/fair.h"

#include <stdlib.h>
#include <string.h>

static int absent_in_week(const struct dd_fair_input *in, int64_t person,
			  int64_t week_start)
{
	for (int a = 0; a < in->absence_count; a++) {
		const struct dd_fair_absence *ab = &in->absences[a];
		if (ab->person_id != person || ab->last_day < week_start ||
		    ab->first_day > week_start + 6)
			continue;
		for (int64_t d = week_start; d < week_start + 7; d++)
			if (d >= ab->first_day && d <= ab->last_day &&
			    dd_calendar_is_business_day(in->cal, d))
				return 1;
	}
	return 0;
}

/* a is a better candidate than b: fewer days, then fewer slot-0 days,
 * then the lower id. */
static int better(const int64_t *days, const int64_t *slot0,
		  const struct dd_fair_person *people, int a, int b)
{
	if (days[a] != days[b])
		return days[a] < days[b];
	if (slot0[a] != slot0[b])
		return slot0[a] < slot0[b];
	return people[a].id < people[b].id;
}

int dd_fair_propose(const struct dd_fair_input *in, struct dd_fair_week *out,
		    int64_t *days_before, int64_t *final_days)
{
	int n = in->people_count;
	if (!in->cal || in->weeks < 1 || n < 0)
		return -1;
	int64_t *days = calloc((size_t)n + 1, sizeof(int64_t));
	int64_t *slot0 = calloc((size_t)n + 1, sizeof(int64_t));
	int *avail = calloc((size_t)n + 1, sizeof(int));
	if (!days || !slot0 || !avail) {
		free(days);
		free(slot0);
		free(avail);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		days[i] = in->people[i].days;
		slot0[i] = in->people[i].slot0_days;
	}
	int64_t prev_a = in->prev_first, prev_b = in->prev_second;

	for (int w = 0; w < in->weeks; w++) {
		struct dd_fair_week *wk = &out[w];
		memset(wk, 0, sizeof(*wk));
		wk->week_start = in->first_week + 7 * (int64_t)w;
		if (days_before)
			memcpy(days_before + (size_t)w * (size_t)n, days,
			       (size_t)n * sizeof(int64_t));
		for (int64_t d = wk->week_start; d < wk->week_start + 7; d++)
			if (dd_calendar_is_business_day(in->cal, d))
				wk->business_days++;
		if (wk->business_days == 0) {
			wk->status = DD_FAIR_NO_BUSINESS_DAYS;
			continue;
		}
		const struct dd_fair_fixed *fx = NULL;
		for (int f = 0; f < in->fixed_count; f++)
			if (in->fixed[f].week_start == wk->week_start)
				fx = &in->fixed[f];
		if (fx) {
			int bd = wk->business_days;
			for (int i = 0; i < n; i++) {
				if (in->people[i].id == fx->first) {
					days[i] += bd;
					slot0[i] += (bd + 1) / 2;
				} else if (in->people[i].id == fx->second) {
					days[i] += bd;
					slot0[i] += bd / 2;
				}
			}
			wk->status = DD_FAIR_PAIRED;
			wk->fixed = 1;
			wk->first = fx->first;
			wk->second = fx->second;
			prev_a = fx->first;
			prev_b = fx->second;
			continue;
		}
		int count = 0;
		for (int i = 0; i < n; i++)
			if (in->people[i].in_rotation &&
			    !absent_in_week(in, in->people[i].id,
					    wk->week_start))
				avail[count++] = i;
		wk->available = count;
		if (count < 2) {
			wk->status = DD_FAIR_UNCOVERED;
			prev_a = prev_b = 0;
			continue;
		}
		/* The three best candidates, in order. */
		int best[3] = {-1, -1, -1};
		for (int k = 0; k < count; k++) {
			int c = avail[k];
			for (int slot = 0; slot < 3; slot++) {
				if (best[slot] < 0 ||
				    better(days, slot0, in->people, c,
					   best[slot])) {
					for (int s = 2; s > slot; s--)
						best[s] = best[s - 1];
					best[slot] = c;
					break;
				}
			}
		}
		int a = best[0], b = best[1];
		int64_t ida = in->people[a].id, idb = in->people[b].id;
		if (((ida == prev_a && idb == prev_b) ||
		     (ida == prev_b && idb == prev_a)) &&
		    best[2] >= 0) {
			b = best[2];
			wk->avoided_repeat = 1;
		}
		/* The first person takes slot 0 on more days when the week
		 * has an odd number of business days. */
		if (slot0[b] < slot0[a] ||
		    (slot0[b] == slot0[a] &&
		     (days[b] < days[a] ||
		      (days[b] == days[a] &&
		       in->people[b].id < in->people[a].id)))) {
			int t = a;
			a = b;
			b = t;
		}
		int bd = wk->business_days;
		days[a] += bd;
		days[b] += bd;
		slot0[a] += (bd + 1) / 2;
		slot0[b] += bd / 2;
		wk->status = DD_FAIR_PAIRED;
		wk->first = in->people[a].id;
		wk->second = in->people[b].id;
		prev_a = wk->first;
		prev_b = wk->second;
	}
	if (final_days)
		memcpy(final_days, days, (size_t)n * sizeof(int64_t));
	free(days);
	free(slot0);
	free(avail);
	return 0;
}
