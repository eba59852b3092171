#include "rota/ical_feed.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/date.h"

#define PRODID "-//dutydesk//dutydesk duty rota//EN"
/* SEQUENCE counts seconds from here: small enough for 32-bit clients
 * until 2092. */
#define SEQUENCE_EPOCH_S 1704067200LL /* 2024-01-01T00:00:00Z */
/* Zone transitions one feed may list: two a year over its range. */
#define TRANSITIONS_MAX 32
/* The zone is scanned in steps this long for offset changes; no zone
 * changes its offset twice within six hours. */
#define SCAN_STEP_S (6 * 3600)
#define DAY_S	    86400LL

static pthread_once_t ical_once = PTHREAD_ONCE_INIT;

/* libical sets up its UTC zone on first use; do it once, not racing. */
static void ical_init(void)
{
	(void)icaltimezone_get_utc_timezone();
}

void dd_ical_init(void)
{
	pthread_once(&ical_once, ical_init);
}

void dd_ical_uid(int64_t day, int64_t duty_id, char out[DD_ICAL_UID_LEN])
{
	int y, m, d;
	dd_date_from_days(day, &y, &m, &d);
	snprintf(out, DD_ICAL_UID_LEN, "%04d%02d%02d-%lld@dutydesk", y, m, d,
		 (long long)duty_id);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* A floating local time: day plus minutes (1440 rolls over). */
static struct icaltimetype local_time(int64_t day, int minutes)
{
	struct icaltimetype t = icaltime_null_time();
	int y, m, d;
	dd_date_from_days(day + minutes / 1440, &y, &m, &d);
	minutes %= 1440;
	t.year = y;
	t.month = m;
	t.day = d;
	t.hour = minutes / 60;
	t.minute = minutes % 60;
	return t;
}

/* The civil time of s seconds since the epoch, shifted by offset. */
static struct icaltimetype civil_time(int64_t s, int offset)
{
	struct icaltimetype t = icaltime_null_time();
	int64_t local = s + offset, day = floor_div(local, DAY_S);
	int sod = (int)(local - day * DAY_S), y, m, d;
	dd_date_from_days(day, &y, &m, &d);
	t.year = y;
	t.month = m;
	t.day = d;
	t.hour = sod / 3600;
	t.minute = sod / 60 % 60;
	t.second = sod % 60;
	return t;
}

static struct icaltimetype utc_time(int64_t ms)
{
	struct icaltimetype t = civil_time(floor_div(ms, 1000), 0);
	t.zone = icaltimezone_get_utc_timezone();
	return t;
}

struct transition {
	int64_t at; /* seconds: the first instant of the new offset */
	int from, to;
};

/* Offset changes of tz in [from, to), in order. */
static int find_transitions(const struct dd_tz *tz, int64_t from, int64_t to,
			    struct transition *out, int cap)
{
	int n = 0, off = dd_tz_offset_at(tz, from);
	for (int64_t t = from; t < to && n < cap; t += SCAN_STEP_S) {
		int64_t next = t + SCAN_STEP_S;
		int next_off = dd_tz_offset_at(tz, next);
		if (next_off == off)
			continue;
		/* Narrow (t, next] down to the first second of the change. */
		int64_t lo = t, hi = next;
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			if (dd_tz_offset_at(tz, mid) == off)
				lo = mid;
			else
				hi = mid;
		}
		out[n++] =
			(struct transition){hi, off, dd_tz_offset_at(tz, hi)};
		off = out[n - 1].to;
		t = hi - SCAN_STEP_S; /* resume the scan at the change */
	}
	return n;
}

static icalcomponent *observance(int64_t at, int from, int to)
{
	icalcomponent *c =
		icalcomponent_new(to > from ? ICAL_XDAYLIGHT_COMPONENT
					    : ICAL_XSTANDARD_COMPONENT);
	/* DTSTART of an observance is the local time before the change. */
	icalcomponent_add_property(
		c, icalproperty_new_dtstart(civil_time(at, from)));
	icalcomponent_add_property(c, icalproperty_new_tzoffsetfrom(from));
	icalcomponent_add_property(c, icalproperty_new_tzoffsetto(to));
	return c;
}

/*
 * The zone's VTIMEZONE around [from_day, to_day]: the observance in
 * force at the start (the last change up to a year before, or, for a
 * zone without changes, one that holds from 1970), then every change
 * until the end.
 */
static icalcomponent *vtimezone(const struct dd_tz *tz, int64_t from_day,
				int64_t to_day)
{
	struct transition tr[TRANSITIONS_MAX];
	int64_t start = (from_day - 2) * DAY_S, end = (to_day + 2) * DAY_S;
	int n = find_transitions(tz, start - 370 * DAY_S, end, tr,
				 TRANSITIONS_MAX);
	int first = 0;
	while (first + 1 < n && tr[first + 1].at <= start)
		first++;
	icalcomponent *vtz = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
	icalcomponent_add_property(vtz, icalproperty_new_tzid(dd_tz_name(tz)));
	if (n == 0 || tr[0].at > start) {
		int off = dd_tz_offset_at(tz, start);
		icalcomponent_add_component(vtz, observance(0, off, off));
	}
	for (int i = first; i < n; i++)
		icalcomponent_add_component(
			vtz, observance(tr[i].at, tr[i].from, tr[i].to));
	return vtz;
}

static icalproperty *local_prop(icalproperty *p, const char *tzid)
{
	icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

static icalproperty *x_prop(const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	return p;
}

static icalcomponent *vevent(const struct dd_ical_feed *feed,
			     const struct dd_ical_event *e)
{
	char uid[DD_ICAL_UID_LEN];
	const char *tzid = dd_tz_name(feed->tz);
	int64_t changed = e->last_modified > 0 ? e->last_modified : feed->now;
	long long seq = floor_div(changed, 1000) - SEQUENCE_EPOCH_S;
	if (seq < 0)
		seq = 0;
	if (seq > INT32_MAX)
		seq = INT32_MAX;
	dd_ical_uid(e->day, e->duty_id, uid);
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(
		ev, icalproperty_new_dtstamp(utc_time(feed->now)));
	icalcomponent_add_property(
		ev, local_prop(icalproperty_new_dtstart(
				       local_time(e->day, e->start)),
			       tzid));
	icalcomponent_add_property(
		ev,
		local_prop(icalproperty_new_dtend(local_time(e->day, e->end)),
			   tzid));
	icalcomponent_add_property(ev, icalproperty_new_summary(e->summary));
	if (e->description && *e->description)
		icalcomponent_add_property(
			ev, icalproperty_new_description(e->description));
	icalcomponent_add_property(
		ev, icalproperty_new_lastmodified(utc_time(changed)));
	icalcomponent_add_property(ev, icalproperty_new_sequence((int)seq));
	icalcomponent_add_property(ev,
				   icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	return ev;
}

int dd_ical_feed_write(const struct dd_ical_feed *feed, struct dd_buf *out,
		       struct dd_err *err)
{
	struct icaldurationtype hourly = icaldurationtype_null_duration();
	hourly.hours = 1;
	dd_ical_init();

	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(
		cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalcomponent_add_property(cal, x_prop("X-WR-CALNAME", feed->name));
	icalcomponent_add_property(
		cal, x_prop("X-WR-TIMEZONE", dd_tz_name(feed->tz)));
	/* Clients poll subscriptions; ask for hourly (RFC 7986, and the
	 * older Microsoft property). */
	icalproperty *refresh = icalproperty_new_refreshinterval(hourly);
	icalproperty_add_parameter(
		refresh, icalparameter_new_value(ICAL_VALUE_DURATION));
	icalcomponent_add_property(cal, refresh);
	icalcomponent_add_property(cal, x_prop("X-PUBLISHED-TTL", "PT1H"));
	icalcomponent_add_component(
		cal, vtimezone(feed->tz, feed->from_day, feed->to_day));
	for (int i = 0; i < feed->event_count; i++)
		icalcomponent_add_component(cal,
					    vevent(feed, &feed->events[i]));

	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "libical could not write the calendar");
	int rc = dd_buf_puts(out, text);
	free(text);
	if (rc < 0)
		return dd_err_set(err, 500, DD_PROBLEM_LIMIT,
				  "the calendar grew past its limit");
	return 0;
}
