/*
 * hours.h - duty hours per person and month: the duty days each person
 * actually held (after swaps, replacements and sick cover; published
 * weeks only) and the hours of those duties' windows, computed from the
 * windows' instants so that a day on which the clocks change counts the
 * hours that really passed.
 *
 * Support time is normal working time, not overtime (the seed), so every
 * row is marked with the work-time kind "normal".
 *
 * A person's hours are the length of the union of their windows on each
 * day: someone who holds both duties on one day, whose windows coincide,
 * works those hours once. by_duty counts each duty on its own.
 */
#ifndef DD_ROTA_HOURS_H
#define DD_ROTA_HOURS_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/duty.h"

#define DD_WORK_TIME_NORMAL "normal"

struct dd_hours_duty {
	int days;
	int64_t minutes;
};

struct dd_hours_person {
	int64_t person_id;
	const char *login;
	const char *name;
	int days;	 /* days with at least one duty */
	int64_t minutes; /* the union of the day's windows, summed */
	struct dd_hours_duty *by_duty; /* one per report duty, same order */
};

struct dd_hours_report {
	int year, month;
	int64_t first_day, last_day;
	int complete; /* the month is over in the organisation's time zone */
	const struct dd_duty *duties;
	int duty_count;
	struct dd_hours_person *people; /* by name, then id */
	int people_count;
	int days;	 /* sum of the people's days */
	int64_t minutes; /* sum of the people's minutes */
	int unstaffed;	 /* duty days with nobody on duty */
};

/* "2026-10" into year and month (years 1900-9999). 0 or -1. */
int dd_hours_month_parse(const char *text, int *year, int *month);

/* The report for a month. All memory from the context's arena. 0, or -1
 * with err filled. */
int dd_hours_month(struct dd_ctx *ctx, int year, int month,
		   struct dd_hours_report *out, struct dd_err *err);

/* Minutes as decimal hours, at most two decimals ("2", "1.5", "0.33"). */
void dd_hours_format(int64_t minutes, char out[32]);

void dd_hours_to_json(const struct dd_hours_report *r, struct dd_json_out *j);
/* A header row and one row per person, RFC 4180 with CRLF; cells that a
 * spreadsheet would run as formulas are defused (base/csv.h). */
void dd_hours_to_csv(const struct dd_hours_report *r, struct dd_buf *out);

#endif
