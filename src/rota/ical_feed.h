/*
 * ical_feed.h - an iCalendar (RFC 5545) document of duty days, built with
 * libical (pure: events in, text out, no I/O).
 *
 * The calendar carries PRODID, VERSION 2.0, METHOD PUBLISH, its name
 * (X-WR-CALNAME), a hint to refresh hourly, and a VTIMEZONE for the
 * organisation's zone made from the same tz database that places the
 * duty windows, holding just the transitions around the events (so the
 * feed stays small and agrees with the server to the second). Each event
 * has:
 *   - UID "YYYYMMDD-<duty id>@dutydesk": one day's duty keeps its UID
 *     whoever holds it, so a client replaces the event on a change,
 *   - DTSTART/DTEND in local time with TZID=<the zone>, at the window's
 *     civil times (a window ending at 24:00 ends at 00:00 the next day),
 *   - DTSTAMP (the time the feed was made), LAST-MODIFIED (the newest
 *     change that shaped the event) and SEQUENCE (that change in seconds
 *     since 2024-01-01, so it only grows),
 *   - SUMMARY, and DESCRIPTION when one is given.
 */
#ifndef DD_ROTA_ICAL_FEED_H
#define DD_ROTA_ICAL_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/tz.h"

/* "20261023-" + an id + "@dutydesk" + NUL. */
#define DD_ICAL_UID_LEN 48

struct dd_ical_event {
	int64_t day; /* local day */
	int64_t duty_id;
	int start, end; /* minutes of the day, start < end <= 1440 */
	const char *summary;
	const char *description; /* NULL: none */
	int64_t last_modified;	 /* ms; 0: the feed's time */
};

struct dd_ical_feed {
	const char *name; /* X-WR-CALNAME */
	const struct dd_tz *tz;
	int64_t now; /* ms: DTSTAMP */
	/* The days the VTIMEZONE must cover (the events' range). */
	int64_t from_day, to_day;
	const struct dd_ical_event *events;
	int event_count;
};

/* Set up libical's process-wide state (its UTC zone) once, safely from
 * any thread. Everything here that uses libical calls it first. */
void dd_ical_init(void);

/* The UID of duty_id's event on day into out. */
void dd_ical_uid(int64_t day, int64_t duty_id, char out[DD_ICAL_UID_LEN]);

/*
 * Write feed as iCalendar text (CRLF lines, folded at 75 octets) to out.
 * Returns 0, or -1 with err filled: 500 when libical fails or out is
 * full.
 */
int dd_ical_feed_write(const struct dd_ical_feed *feed, struct dd_buf *out,
		       struct dd_err *err);

#endif
