/* The iCalendar feed writer: the generated text is parsed back with
 * libical and checked for its calendar properties, the VTIMEZONE, the
 * events' UIDs, TZIDs and local times, and their instants across the
 * daylight-saving changes of 2026-03-29 and 2026-10-25, which must agree
 * with the tz database the server places windows with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "base/date.h"
#include "rota/ical_feed.h"

#define NOW_MS 1795000000000LL /* 2026-11-19T09:46:40Z */

struct fixture {
	struct dd_tz *berlin, *utc;
	struct dd_buf out;
	icalcomponent *cal;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct dd_err err;
	if (!f || dd_tz_load("Europe/Berlin", &f->berlin, &err) < 0 ||
	    dd_tz_load("UTC", &f->utc, &err) < 0)
		return -1;
	dd_buf_init(&f->out, 1 << 20);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f->cal)
		icalcomponent_free(f->cal);
	dd_buf_release(&f->out);
	dd_tz_free(f->berlin);
	dd_tz_free(f->utc);
	free(f);
	return 0;
}

static const char *prop_text(icalcomponent *c, icalproperty_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(c, kind);
	return p ? icalproperty_get_value_as_string(p) : NULL;
}

static const char *x_prop(icalcomponent *c, const char *name)
{
	for (icalproperty *p =
		 icalcomponent_get_first_property(c, ICAL_X_PROPERTY);
	     p; p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

/* Write feed, parse it back into f->cal; the text must be CRLF lines of
 * at most 75 octets. */
static void write_and_parse(struct fixture *f, const struct dd_ical_feed *feed)
{
	struct dd_err err;
	dd_buf_reset(&f->out);
	assert_int_equal(dd_ical_feed_write(feed, &f->out, &err), 0);
	const char *text = dd_buf_str(&f->out);
	for (const char *line = text; *line;) {
		const char *end = strstr(line, "\r\n");
		assert_non_null(end);
		assert_true(end - line <= 75);
		line = end + 2;
	}
	if (f->cal)
		icalcomponent_free(f->cal);
	f->cal = icalparser_parse_string(text);
	assert_non_null(f->cal);
	assert_int_equal(icalcomponent_isa(f->cal), ICAL_VCALENDAR_COMPONENT);
	assert_null(
	    icalcomponent_get_first_property(f->cal, ICAL_XLICERROR_PROPERTY));
}

struct seen {
	const char *uid, *summary, *tzid;
	struct icaltimetype start, end;
	int64_t start_utc, end_utc; /* seconds, through the VTIMEZONE */
	int sequence;
	struct icaltimetype last_modified, stamp;
};

static int64_t instant(icalcomponent *cal, icalproperty *p,
		       struct icaltimetype t, const char **tzid)
{
	icalparameter *param =
	    icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	assert_non_null(param);
	*tzid = icalparameter_get_tzid(param);
	icaltimezone *zone = icalcomponent_get_timezone(cal, *tzid);
	assert_non_null(zone);
	return (int64_t)icaltime_as_timet_with_zone(t, zone);
}

/* The events of f->cal in order, at most cap. */
static int events(struct fixture *f, struct seen *out, int cap)
{
	int n = 0;
	for (icalcomponent *ev = icalcomponent_get_first_component(
		 f->cal, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(f->cal,
						       ICAL_VEVENT_COMPONENT)) {
		assert_true(n < cap);
		struct seen *s = &out[n++];
		icalproperty *ps =
		    icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		icalproperty *pe =
		    icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
		const char *tzid_end;
		assert_non_null(ps);
		assert_non_null(pe);
		s->uid = icalcomponent_get_uid(ev);
		s->summary = icalcomponent_get_summary(ev);
		s->start = icalproperty_get_dtstart(ps);
		s->end = icalproperty_get_dtend(pe);
		s->start_utc = instant(f->cal, ps, s->start, &s->tzid);
		s->end_utc = instant(f->cal, pe, s->end, &tzid_end);
		assert_string_equal(s->tzid, tzid_end);
		s->sequence = icalcomponent_get_sequence(ev);
		s->stamp = icalcomponent_get_dtstamp(ev);
		icalproperty *lm = icalcomponent_get_first_property(
		    ev, ICAL_LASTMODIFIED_PROPERTY);
		assert_non_null(lm);
		s->last_modified = icalproperty_get_lastmodified(lm);
	}
	return n;
}

static int64_t utc_s(int y, int mo, int d, int h, int mi)
{
	return dd_date_days(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static void test_uid(void **state)
{
	char uid[DD_ICAL_UID_LEN];
	(void)state;
	dd_ical_uid(dd_date_days(2026, 10, 23), 1, uid);
	assert_string_equal(uid, "20261023-1@dutydesk");
	dd_ical_uid(dd_date_days(2026, 1, 5), 123456789012LL, uid);
	assert_string_equal(uid, "20260105-123456789012@dutydesk");
}

static void test_calendar_properties(void **state)
{
	struct fixture *f = *state;
	struct dd_ical_event ev[] = {
	    {dd_date_days(2026, 11, 23), 1, 960, 1080,
	     "Telephone service: J\xc3\xbcrgen M\xc3\xbcller; day, one",
	     "Takes calls.\nForwards P1 faults; at once, always.",
	     NOW_MS - 3600000},
	};
	struct dd_ical_feed feed = {"dutydesk: Telephone service",
				    f->berlin,
				    NOW_MS,
				    dd_date_days(2026, 11, 1),
				    dd_date_days(2026, 11, 30),
				    ev,
				    1};
	write_and_parse(f, &feed);
	assert_string_equal(prop_text(f->cal, ICAL_VERSION_PROPERTY), "2.0");
	assert_non_null(
	    strstr(prop_text(f->cal, ICAL_PRODID_PROPERTY), "dutydesk"));
	assert_int_equal(icalcomponent_get_method(f->cal), ICAL_METHOD_PUBLISH);
	assert_string_equal(x_prop(f->cal, "X-WR-CALNAME"),
			    "dutydesk: Telephone service");
	assert_string_equal(x_prop(f->cal, "X-WR-TIMEZONE"), "Europe/Berlin");

	struct seen s[4];
	assert_int_equal(events(f, s, 4), 1);
	assert_string_equal(s[0].uid, "20261123-1@dutydesk");
	/* Text with ';' and ',' and non-ASCII comes back as it went in. */
	assert_string_equal(s[0].summary, ev[0].summary);
	icalcomponent *e0 =
	    icalcomponent_get_first_component(f->cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_description(e0),
			    ev[0].description);
	assert_string_equal(s[0].tzid, "Europe/Berlin");
	assert_int_equal(s[0].start.hour, 16);
	assert_int_equal(s[0].end.hour, 18);
	assert_false(s[0].start.is_date);
	/* DTSTAMP is the feed's time, LAST-MODIFIED the event's change,
	 * SEQUENCE its seconds since 2024-01-01. */
	assert_int_equal(icaltime_as_timet(s[0].stamp), NOW_MS / 1000);
	assert_true(icaltime_is_utc(s[0].stamp));
	assert_int_equal(icaltime_as_timet(s[0].last_modified),
			 NOW_MS / 1000 - 3600);
	assert_int_equal(s[0].sequence, NOW_MS / 1000 - 3600 - 1704067200);
}

/* The autumn change: 2026-10-25 03:00 CEST becomes 02:00 CET. */
static void test_autumn_dst(void **state)
{
	struct fixture *f = *state;
	struct dd_ical_event ev[] = {
	    {dd_date_days(2026, 10, 23), 1, 960, 1080, "Fri", NULL, 0},
	    {dd_date_days(2026, 10, 24), 2, 60, 240, "Sat night", NULL, 0},
	    {dd_date_days(2026, 10, 25), 2, 60, 240, "Sun night", NULL, 0},
	    {dd_date_days(2026, 10, 26), 1, 960, 1080, "Mon", NULL, 0},
	    {dd_date_days(2026, 10, 27), 2, 1200, 1440, "To midnight", NULL, 0},
	};
	struct dd_ical_feed feed = {"dutydesk: autumn",
				    f->berlin,
				    NOW_MS,
				    dd_date_days(2026, 10, 1),
				    dd_date_days(2026, 11, 30),
				    ev,
				    5};
	write_and_parse(f, &feed);
	struct seen s[8];
	assert_int_equal(events(f, s, 8), 5);
	for (int i = 0; i < 5; i++) {
		char uid[DD_ICAL_UID_LEN];
		dd_ical_uid(ev[i].day, ev[i].duty_id, uid);
		assert_string_equal(s[i].uid, uid);
		assert_string_equal(s[i].tzid, "Europe/Berlin");
		/* Each start agrees with the server's tz database. */
		assert_int_equal(
		    s[i].start_utc,
		    dd_tz_local_to_utc(f->berlin, ev[i].day, ev[i].start * 60));
	}
	/* 16:00 is 14:00Z in summer time and 15:00Z after the change. */
	assert_int_equal(s[0].start.hour, 16);
	assert_int_equal(s[0].start_utc, utc_s(2026, 10, 23, 14, 0));
	assert_int_equal(s[0].end_utc, utc_s(2026, 10, 23, 16, 0));
	assert_int_equal(s[3].start.hour, 16);
	assert_int_equal(s[3].start_utc, utc_s(2026, 10, 26, 15, 0));
	/* 01:00-04:00 on the night of the change lasts four hours. */
	assert_int_equal(s[2].start_utc, utc_s(2026, 10, 24, 23, 0));
	assert_int_equal(s[2].end_utc, utc_s(2026, 10, 25, 3, 0));
	assert_int_equal(s[1].end_utc - s[1].start_utc, 3 * 3600);
	/* A window to 24:00 ends at 00:00 the next day. */
	assert_int_equal(s[4].end.day, 28);
	assert_int_equal(s[4].end.hour, 0);
	assert_int_equal(s[4].end_utc, utc_s(2026, 10, 27, 23, 0));

	/* The VTIMEZONE: named as the zone, changing at 01:00Z. */
	icalcomponent *vtz =
	    icalcomponent_get_first_component(f->cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(vtz);
	assert_string_equal(prop_text(vtz, ICAL_TZID_PROPERTY),
			    "Europe/Berlin");
	int standard = 0;
	for (icalcomponent *o = icalcomponent_get_first_component(
		 vtz, ICAL_XSTANDARD_COMPONENT);
	     o; o = icalcomponent_get_next_component(
		    vtz, ICAL_XSTANDARD_COMPONENT)) {
		struct icaltimetype t = icalcomponent_get_dtstart(o);
		if (t.year == 2026 && t.month == 10 && t.day == 25) {
			assert_int_equal(t.hour, 3);
			standard++;
		}
	}
	assert_int_equal(standard, 1);
}

/* The spring change: 2026-03-29 02:00 CET becomes 03:00 CEST. */
static void test_spring_dst(void **state)
{
	struct fixture *f = *state;
	struct dd_ical_event ev[] = {
	    {dd_date_days(2026, 3, 27), 1, 960, 1080, "Fri", NULL, 0},
	    {dd_date_days(2026, 3, 30), 1, 960, 1080, "Mon", NULL, 0},
	};
	struct dd_ical_feed feed = {"dutydesk: spring",
				    f->berlin,
				    NOW_MS,
				    dd_date_days(2026, 3, 1),
				    dd_date_days(2026, 4, 30),
				    ev,
				    2};
	write_and_parse(f, &feed);
	struct seen s[4];
	assert_int_equal(events(f, s, 4), 2);
	assert_int_equal(s[0].start_utc, utc_s(2026, 3, 27, 15, 0));
	assert_int_equal(s[1].start_utc, utc_s(2026, 3, 30, 14, 0));
	icalcomponent *vtz =
	    icalcomponent_get_first_component(f->cal, ICAL_VTIMEZONE_COMPONENT);
	icalcomponent *day =
	    icalcomponent_get_first_component(vtz, ICAL_XDAYLIGHT_COMPONENT);
	assert_non_null(day);
	struct icaltimetype t = icalcomponent_get_dtstart(day);
	assert_int_equal(t.year, 2026);
	assert_int_equal(t.month, 3);
	assert_int_equal(t.day, 29);
	assert_int_equal(t.hour, 2);
}

static void test_zone_without_changes(void **state)
{
	struct fixture *f = *state;
	struct dd_ical_event ev[] = {
	    {dd_date_days(2026, 10, 26), 3, 960, 1080, "UTC duty", NULL, 0},
	};
	struct dd_ical_feed feed = {"dutydesk: utc",
				    f->utc,
				    NOW_MS,
				    dd_date_days(2026, 10, 1),
				    dd_date_days(2026, 11, 30),
				    ev,
				    1};
	write_and_parse(f, &feed);
	struct seen s[2];
	assert_int_equal(events(f, s, 2), 1);
	assert_string_equal(s[0].tzid, "UTC");
	assert_int_equal(s[0].start_utc, utc_s(2026, 10, 26, 16, 0));
	icalcomponent *vtz =
	    icalcomponent_get_first_component(f->cal, ICAL_VTIMEZONE_COMPONENT);
	assert_int_equal(
	    icalcomponent_count_components(vtz, ICAL_ANY_COMPONENT), 1);
}

static void test_empty_feed_and_overflow(void **state)
{
	struct fixture *f = *state;
	struct dd_ical_feed feed = {"dutydesk: nobody",
				    f->berlin,
				    NOW_MS,
				    dd_date_days(2026, 10, 1),
				    dd_date_days(2026, 11, 30),
				    NULL,
				    0};
	write_and_parse(f, &feed);
	assert_null(
	    icalcomponent_get_first_component(f->cal, ICAL_VEVENT_COMPONENT));
	assert_non_null(icalcomponent_get_first_component(
	    f->cal, ICAL_VTIMEZONE_COMPONENT));

	struct dd_buf small;
	struct dd_err err;
	dd_buf_init(&small, 64);
	assert_int_equal(dd_ical_feed_write(&feed, &small, &err), -1);
	assert_int_equal(err.status, 500);
	dd_buf_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uid),
	    cmocka_unit_test(test_calendar_properties),
	    cmocka_unit_test(test_autumn_dst),
	    cmocka_unit_test(test_spring_dst),
	    cmocka_unit_test(test_zone_without_changes),
	    cmocka_unit_test(test_empty_feed_and_overflow),
	};
	int rc = cmocka_run_group_tests_name("rota/ical_feed", tests, setup,
					     teardown);
	icalmemory_free_ring();
	icaltimezone_free_builtin_timezones();
	return rc;
}
