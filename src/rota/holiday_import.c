#include "rota/holiday_import.h"

#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/text.h"
#include "rota/ical_feed.h"

/* Occurrences a recurrence rule may be stepped through before the window
 * ends: a daily rule from 1900 to the window is about 47,000. */
#define RECUR_STEPS_MAX 100000
/* EXDATEs of one event. */
#define EXDATES_MAX 1000
/* How much of libical's complaint goes into the message. */
#define COMPLAINT_MAX 160

struct entry {
	int64_t day;
	int seq; /* file order, to keep the sort stable */
	const char *name;
};

struct parse {
	struct dd_arena *arena;
	int64_t window_from, window_to;
	struct entry *entries;
	int count;
	int64_t exdates[EXDATES_MAX];
	int exdate_count;
	struct dd_err *err;
};

static int malformed(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int malformed(struct parse *p, const char *fmt, ...)
{
	char msg[DD_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dd_err_set(p->err, 400, DD_PROBLEM_BAD_REQUEST,
			  "malformed calendar: %s", msg);
}

/* The day of t, or -1 (with the problem named) when t is no real date. */
static int time_day(struct parse *p, struct icaltimetype t, const char *what,
		    const char *event, int64_t *day)
{
	if (icaltime_is_null_time(t) || t.year < 1900 || t.year > 9999 ||
	    t.month < 1 || t.month > 12 || t.day < 1 ||
	    t.day > dd_date_month_days(t.year, t.month) ||
	    (!t.is_date && (t.hour < 0 || t.hour > 23 || t.minute < 0 ||
			    t.minute > 59 || t.second < 0 || t.second > 60)))
		return malformed(p, "event '%.80s' has an impossible %s", event,
				 what);
	*day = dd_date_days(t.year, t.month, t.day);
	return 0;
}

/* Refuse a component on which libical noted a parse error. */
static int check_complaints(struct parse *p, icalcomponent *c,
			    const char *event)
{
	icalproperty *e =
		icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	if (!e)
		return 0;
	const char *why = icalproperty_get_xlicerror(e);
	if (event)
		return malformed(p, "event '%.80s': %.*s", event, COMPLAINT_MAX,
				 why ? why : "unreadable");
	return malformed(p, "%.*s", COMPLAINT_MAX, why ? why : "unreadable");
}

static int add_days(struct parse *p, int64_t first, int span, const char *name)
{
	for (int k = 0; k < span; k++) {
		if (p->count >= DD_HOLIDAY_IMPORT_DAYS_MAX)
			return dd_err_set(p->err, 400, DD_PROBLEM_LIMIT,
					  "the calendar gives more than %d "
					  "days; import at most %d at once",
					  DD_HOLIDAY_IMPORT_DAYS_MAX,
					  DD_HOLIDAY_IMPORT_DAYS_MAX);
		p->entries[p->count] =
			(struct entry){first + k, p->count, name};
		p->count++;
	}
	return 0;
}

static int excluded(const struct parse *p, int64_t day)
{
	for (int i = 0; i < p->exdate_count; i++)
		if (p->exdates[i] == day)
			return 1;
	return 0;
}

/* An occurrence of a recurring event: taken when inside the window. */
static int add_occurrence(struct parse *p, int64_t day, int span,
			  const char *name)
{
	if (day < p->window_from || day > p->window_to || excluded(p, day))
		return 0;
	return add_days(p, day, span, name);
}

/* How many days an all-day event starting on start covers. */
static int event_span(struct parse *p, icalcomponent *ev, const char *name,
		      int64_t start, int *span)
{
	icalproperty *end =
		icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
	icalproperty *dur =
		icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
	int64_t n = 1;
	if (end) {
		struct icaltimetype t = icalproperty_get_dtend(end);
		int64_t last;
		if (time_day(p, t, "DTEND", name, &last) < 0)
			return -1;
		if (t.is_date)
			n = last - start;
	} else if (dur) {
		struct icaldurationtype d = icalproperty_get_duration(dur);
		if (!d.is_neg)
			n = (int64_t)d.weeks * 7 + d.days;
	}
	if (n < 1)
		n = 1;
	if (n > DD_HOLIDAY_IMPORT_SPAN_MAX)
		return malformed(
			p, "event '%.80s' spans %lld days, more than %d", name,
			(long long)n, DD_HOLIDAY_IMPORT_SPAN_MAX);
	*span = (int)n;
	return 0;
}

static int collect_exdates(struct parse *p, icalcomponent *ev, const char *name)
{
	p->exdate_count = 0;
	for (icalproperty *x =
		     icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY);
	     x; x = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		int64_t day;
		if (time_day(p, icalproperty_get_exdate(x), "EXDATE", name,
			     &day) < 0)
			return -1;
		if (p->exdate_count >= EXDATES_MAX)
			return malformed(p,
					 "event '%.80s' has more than %d "
					 "EXDATEs",
					 name, EXDATES_MAX);
		p->exdates[p->exdate_count++] = day;
	}
	return 0;
}

static int expand_rrule(struct parse *p, icalproperty *rule,
			struct icaltimetype start, int span, const char *name)
{
	struct icalrecurrencetype r = icalproperty_get_rrule(rule);
	if (r.freq == ICAL_NO_RECURRENCE)
		return malformed(p, "event '%.80s' has an unreadable RRULE",
				 name);
	icalrecur_iterator *it = icalrecur_iterator_new(r, start);
	if (!it)
		return malformed(p,
				 "event '%.80s' has an RRULE libical cannot "
				 "expand",
				 name);
	int rc = 0;
	for (int step = 0;; step++) {
		if (step >= RECUR_STEPS_MAX) {
			rc = malformed(p, "event '%.80s' recurs too often",
				       name);
			break;
		}
		struct icaltimetype t = icalrecur_iterator_next(it);
		int64_t day;
		if (icaltime_is_null_time(t))
			break;
		if ((rc = time_day(p, t, "occurrence", name, &day)) < 0)
			break;
		if (day > p->window_to)
			break;
		if ((rc = add_occurrence(p, day, span, name)) < 0)
			break;
	}
	icalrecur_iterator_free(it);
	return rc;
}

static int take_event(struct parse *p, icalcomponent *ev)
{
	const char *summary = icalcomponent_get_summary(ev);
	icalproperty *start =
		icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	icalproperty *rule =
		icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	icalproperty *rdate =
		icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY);
	const char *label = summary && *summary ? summary : "(no SUMMARY)";
	struct dd_err text_err;
	int64_t day;
	int span = 1;

	if (check_complaints(p, ev, label) < 0)
		return -1;
	if (!start)
		return malformed(p, "event '%.80s' has no DTSTART", label);
	struct icaltimetype t = icalproperty_get_dtstart(start);
	if (time_day(p, t, "DTSTART", label, &day) < 0)
		return -1;
	if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
		return 0;
	if (!summary || !*summary) {
		char text[DD_DATE_TEXT_LEN];
		dd_date_format(day, text);
		return malformed(p, "the event on %s has no SUMMARY", text);
	}
	if (dd_text_check("SUMMARY", summary, 1, DD_LIMIT_NAME,
			  DD_TEXT_SINGLE_LINE, &text_err) < 0)
		return dd_err_set(p->err, 400, DD_PROBLEM_BAD_REQUEST,
				  "malformed calendar: event '%.40s': %s",
				  summary, text_err.msg);
	const char *name = dd_arena_strdup(p->arena, summary);
	if (!name)
		return dd_err_set(p->err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (t.is_date && event_span(p, ev, label, day, &span) < 0)
		return -1;
	if (!rule && !rdate)
		return add_days(p, day, span, name);

	if (collect_exdates(p, ev, name) < 0)
		return -1;
	if (rule) {
		if (expand_rrule(p, rule, t, span, name) < 0)
			return -1;
	} else if (add_occurrence(p, day, span, name) < 0) {
		return -1;
	}
	for (; rdate;
	     rdate = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype r = icalproperty_get_rdate(rdate);
		struct icaltimetype when =
			icaltime_is_null_time(r.time) ? r.period.start : r.time;
		if (time_day(p, when, "RDATE", name, &day) < 0 ||
		    add_occurrence(p, day, span, name) < 0)
			return -1;
	}
	return 0;
}

static int take_calendar(struct parse *p, icalcomponent *cal)
{
	if (check_complaints(p, cal, NULL) < 0)
		return -1;
	for (icalcomponent *ev = icalcomponent_get_first_component(
		     cal, ICAL_VEVENT_COMPONENT);
	     ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (take_event(p, ev) < 0)
			return -1;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->seq - y->seq;
}

int dd_holiday_import_parse(const char *text, size_t len, int64_t window_from,
			    int64_t window_to, struct dd_arena *arena,
			    struct dd_holiday_set *out, struct dd_err *err)
{
	struct parse *p = dd_arena_alloc(arena, sizeof(*p));
	icalcomponent *root = NULL;
	int rc = -1;
	out->days = NULL;
	out->count = 0;
	if (!p)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	*p = (struct parse){.arena = arena,
			    .window_from = window_from,
			    .window_to = window_to,
			    .err = err};
	if (len == 0)
		return dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
				  "the calendar is empty");
	if (memchr(text, '\0', len))
		return malformed(p, "it holds a NUL byte");
	char *copy = dd_arena_strndup(arena, text, len);
	p->entries = dd_arena_alloc(arena, sizeof(struct entry) *
						   DD_HOLIDAY_IMPORT_DAYS_MAX);
	if (!copy || !p->entries)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");

	dd_ical_init();
	root = icalparser_parse_string(copy);
	if (!root)
		return malformed(p, "no complete BEGIN:VCALENDAR ... "
				    "END:VCALENDAR");
	icalcomponent_kind kind = icalcomponent_isa(root);
	if (kind == ICAL_VCALENDAR_COMPONENT) {
		if (take_calendar(p, root) < 0)
			goto out;
	} else if (kind == ICAL_XROOT_COMPONENT) {
		/* Several top-level components: each must be a VCALENDAR. */
		for (icalcomponent *c = icalcomponent_get_first_component(
			     root, ICAL_ANY_COMPONENT);
		     c; c = icalcomponent_get_next_component(
				root, ICAL_ANY_COMPONENT)) {
			if (icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT) {
				malformed(p, "expected VCALENDAR, found %s",
					  icalcomponent_kind_to_string(
						  icalcomponent_isa(c)));
				goto out;
			}
			if (take_calendar(p, c) < 0)
				goto out;
		}
	} else {
		malformed(p, "expected VCALENDAR, found %s",
			  icalcomponent_kind_to_string(kind));
		goto out;
	}

	qsort(p->entries, (size_t)p->count, sizeof(struct entry), entry_cmp);
	out->days = dd_arena_alloc(arena, sizeof(struct dd_holiday_day) *
						  (size_t)(p->count + 1));
	if (!out->days) {
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL, "out of memory");
		goto out;
	}
	for (int i = 0; i < p->count; i++)
		out->days[i] = (struct dd_holiday_day){p->entries[i].day,
						       p->entries[i].name};
	out->count = p->count;
	rc = 0;
out:
	icalcomponent_free(root);
	return rc;
}
