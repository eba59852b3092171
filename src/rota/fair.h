/*
 * fair.h - the fair proposal of weekly pairs (pure, deterministic).
 *
 * For each week in turn, the two available people with the fewest duty
 * days so far (the trailing window plus what this proposal has already
 * given them) form the pair; the same pair as the week before is avoided
 * when anyone else is available; people out of rotation, or absent on any
 * business day of the week, are skipped. Of the two, the one with fewer
 * slot-0 (telephone) days goes first, because the first person takes
 * slot 0 on the odd-numbered days and so on more days in a week of five.
 * Ties fall to the lower person id, so the same inputs give the same plan.
 */
#ifndef DD_ROTA_FAIR_H
#define DD_ROTA_FAIR_H

#include <stdint.h>

#include "rota/calendar.h"

struct dd_fair_person {
	int64_t id;
	int in_rotation;
	int64_t days;	    /* duty days in the trailing window */
	int64_t slot0_days; /* of which on the slot-0 duty */
};

struct dd_fair_absence {
	int64_t person_id;
	int64_t first_day, last_day; /* inclusive */
};

struct dd_fair_fixed {
	int64_t week_start;
	int64_t first, second;
};

struct dd_fair_input {
	const struct dd_calendar *cal;
	int64_t first_week; /* a Monday */
	int weeks;
	const struct dd_fair_person *people;
	int people_count;
	const struct dd_fair_absence *absences;
	int absence_count;
	int64_t prev_first, prev_second; /* the week before; 0 if none */
	/* Weeks whose pair is already decided (published): kept as they
	 * are and counted. */
	const struct dd_fair_fixed *fixed;
	int fixed_count;
};

enum dd_fair_status {
	DD_FAIR_PAIRED,
	DD_FAIR_NO_BUSINESS_DAYS, /* nothing to cover */
	DD_FAIR_UNCOVERED,	  /* fewer than two people available */
};

struct dd_fair_week {
	int64_t week_start;
	enum dd_fair_status status;
	int business_days;
	int64_t first, second;
	int avoided_repeat; /* the least loaded pair was last week's pair */
	int fixed;	    /* taken from in->fixed, not proposed */
	int available;	    /* people who could take this week */
};

/*
 * Propose pairs for in->weeks weeks into out (in->weeks entries). When
 * days_before is not NULL it receives, for week w and person i (in the
 * order of in->people), the duty days person i had when week w was
 * decided, at days_before[w * people_count + i]: the explanation of each
 * choice. final_days (people_count entries, may be NULL) receives the
 * totals after the last week. Returns 0, or -1 when an argument is out of
 * range (weeks < 1, no calendar).
 */
int dd_fair_propose(const struct dd_fair_input *in, struct dd_fair_week *out,
		    int64_t *days_before, int64_t *final_days);

#endif
