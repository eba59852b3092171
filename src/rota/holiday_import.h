/*
 * holiday_import.h - public holidays out of an iCalendar (.ics) file,
 * parsed with libical (pure: text in, days out, no I/O).
 *
 * Every VEVENT gives the days it covers with its SUMMARY as the name:
 *   - an all-day event (DTSTART;VALUE=DATE) covers DTSTART up to, not
 *     including, DTEND (or DTSTART plus DURATION's days); without either
 *     it covers its one day. Multi-day events give each of their days.
 *   - an event with a time of day covers the date of its DTSTART as
 *     written (in its own TZID, or the UTC date for a "Z" time).
 *   - RRULE and RDATE occurrences (less EXDATE) are expanded, but only
 *     those inside [window_from, window_to]: a yearly rule has no end, and
 *     holidays of past decades are of no use to a rota. A plain event is
 *     taken whatever its date.
 *   - STATUS:CANCELLED events are left out.
 * A file that is not a well-formed VCALENDAR is refused with a 400 that
 * names the problem: libical's own complaints (X-LIC-ERROR), an event
 * without DTSTART or SUMMARY, an impossible date, a name that is not
 * one line of UTF-8 within DD_LIMIT_NAME bytes.
 */
#ifndef DD_ROTA_HOLIDAY_IMPORT_H
#define DD_ROTA_HOLIDAY_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

/* Days one import may bring. A region's holidays for ten years are about
 * 150 days and a school-holiday calendar a few hundred more; past this
 * number the file is not a holiday calendar. */
#define DD_HOLIDAY_IMPORT_DAYS_MAX 2000
/* The longest single event: a year. Longer "holidays" are mistakes. */
#define DD_HOLIDAY_IMPORT_SPAN_MAX 366
/* A calendar fetched from a URL: public-holiday feeds of a whole country
 * for several years are well under 200 KiB. */
#define DD_HOLIDAY_FETCH_BYTES (2 * 1024 * 1024)
/* How long fetching it may take: it blocks one worker thread. */
#define DD_HOLIDAY_FETCH_TIMEOUT_MS 10000

struct dd_holiday_day {
	int64_t day;
	const char *name;
};

struct dd_holiday_set {
	struct dd_holiday_day *days; /* ascending; equal days in file order */
	int count;
};

/*
 * Parse len bytes of iCalendar text into *out. Recurring events are
 * expanded within [window_from, window_to] (day numbers). The array and
 * the names are allocated from arena and live as long as it. Returns 0,
 * or -1 with err filled: 400 (bad-request) for a malformed calendar, 400
 * (limit-exceeded) past DD_HOLIDAY_IMPORT_DAYS_MAX days, 500 when the
 * arena is full.
 */
int dd_holiday_import_parse(const char *text, size_t len, int64_t window_from,
			    int64_t window_to, struct dd_arena *arena,
			    struct dd_holiday_set *out, struct dd_err *err);

#endif
