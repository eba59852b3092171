/*
 * business_time.h - arithmetic in business time: the time inside core
 * hours on the business days of a calendar (rota/calendar.h: workdays,
 * core hours, holidays, time zone). Service levels count in it: "four
 * business hours" from Friday 15:00 with core hours 08:00-17:00 ends on
 * Monday at 10:00.
 *
 * Pure functions of their inputs, no I/O. Instants are milliseconds since
 * the epoch (UTC); core hours are civil times of the organisation's zone
 * turned into instants day by day with the tz database, so a DST change
 * moves nothing: 08:00 stays 08:00, and a day whose core hours span the
 * change (say 00:00-24:00 on 2026-03-29) is an hour shorter or longer.
 *
 * The calendar's holidays must cover the span asked about: a holiday that
 * was not loaded counts as a business day.
 */
#ifndef DD_TICKET_BUSINESS_TIME_H
#define DD_TICKET_BUSINESS_TIME_H

#include <stdint.h>

#include "rota/calendar.h"

/* How far ahead dd_business_add looks for business time: ten years is
 * more than any service level, and a calendar without business time
 * (no workdays) must not loop for ever. */
#define DD_BUSINESS_SCAN_DAYS 3660
/* The longest span dd_business_between counts; longer spans are cut to
 * it (a century of days is a few milliseconds of work; an instant read
 * from a damaged row must not cost minutes). */
#define DD_BUSINESS_SPAN_DAYS 36600

/* Nonzero when cal has business time at all: some workday and core hours
 * that start before they end. */
int dd_business_calendar_valid(const struct dd_calendar *cal);

/*
 * The instant amount_ms of business time after from_ms, into *out. An
 * instant outside core hours starts at the next business day's (or the
 * same day's later) core start; an amount that ends exactly at the end of
 * a day's core hours ends there, not at the next day's start. An amount
 * of 0 gives from_ms itself. Returns 0, or -1 when amount_ms is negative
 * or there is not enough business time within DD_BUSINESS_SCAN_DAYS, or
 * from_ms lies more than 2^53 ms from 1970 (*out is then from_ms).
 */
int dd_business_add(const struct dd_calendar *cal, int64_t from_ms,
		    int64_t amount_ms, int64_t *out);

/* Like dd_business_add with whole minutes. */
int dd_business_add_minutes(const struct dd_calendar *cal, int64_t from_ms,
			    int64_t minutes, int64_t *out);

/*
 * Business time in milliseconds from from_ms to to_ms: the overlap of
 * [from_ms, to_ms) with core hours of business days. Negative when to_ms
 * is before from_ms (the same amount, minus). Spans longer than
 * DD_BUSINESS_SPAN_DAYS days are counted over that many days only.
 */
int64_t dd_business_between(const struct dd_calendar *cal, int64_t from_ms,
			    int64_t to_ms);

/* Like dd_business_between in whole minutes, rounded toward zero. */
int64_t dd_business_minutes_between(const struct dd_calendar *cal,
				    int64_t from_ms, int64_t to_ms);

/* The first instant at or after at_ms that lies in core hours of a
 * business day (at_ms itself when it does), into *out. 0, or -1 as
 * dd_business_add. */
int dd_business_next_open(const struct dd_calendar *cal, int64_t at_ms,
			  int64_t *out);

#endif
