/*
 * test_holidays_feeds.c - /api/v1/holidays (list, add, remove, import
 * from an uploaded .ics or from a URL served by a small HTTP listener on
 * 127.0.0.1 that the test runs) and the iCalendar feeds: making, listing
 * and revoking them, and the public /ical/ documents, parsed with libical
 * here and with ical.js (tests/ical-node) to check events, UIDs, TZIDs and
 * times against the rota, and that rota changes show at once.
 *
 * Holidays the tests add lie in 2031-2034, away from the demo's published
 * weeks, so that the feeds are not disturbed.
 */
#include <arpa/inet.h>
#include <libical/ical.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/harness.h"
#include "base/date.h"
#include "base/tz.h"

#define ORG_ZONE     "Europe/Berlin"
#define FEED_BACK    28
#define FEED_AHEAD   182
#define NODE_TEST    "tests/ical-node/feed.test.mjs"
#define NODE_MODULES "tests/ical-node/node_modules/ical.js/package.json"

/* ---- helpers ---- */

static const char *ics(const char *events)
{
	return api_fmt("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
		       "PRODID:-//dutydesk tests//EN\r\n%sEND:VCALENDAR\r\n",
		       events);
}

static const char *vevent(const char *uid, const char *start, const char *end,
			  const char *summary)
{
	return api_fmt("BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\n"
		       "DTSTART;VALUE=DATE:%s\r\n%s%s%sSUMMARY:%s\r\n"
		       "END:VEVENT\r\n",
		       uid, start, end ? "DTEND;VALUE=DATE:" : "",
		       end ? end : "", end ? "\r\n" : "", summary);
}

static struct api_resp *import_text(struct api_server *s,
				    const struct api_auth *a, const char *text,
				    const char *type)
{
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/holidays/import",
			    .auth = a,
			    .body = text,
			    .content_type = type};
	return api_send(s, &q);
}

static struct api_resp *import_url(struct api_server *s, const char *url)
{
	return api_json(s, &s->editor, "POST", "/api/v1/holidays/import",
			api_fmt("{\"url\":\"%s\"}", url));
}

/* The holidays between from and to as "date=name;..." */
static const char *holidays(struct api_server *s, const char *from,
			    const char *to)
{
	struct api_resp *r = api_get(
	    s, &s->viewer, api_fmt("/api/v1/holidays?from=%s&to=%s", from, to));
	api_expect_json(r, 200);
	const char *out = "";
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(r->json, "items"), i, h) out =
	    api_fmt("%s%s=%s;", out, api_str(h, "date"), api_str(h, "name"));
	return out;
}

static int64_t holiday_id(struct api_server *s, const char *date)
{
	struct api_resp *r =
	    api_get(s, &s->viewer,
		    api_fmt("/api/v1/holidays?from=%s&to=%s", date, date));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(items), 1);
	return api_int(json_array_get(items, 0), "id");
}

/* ---- a small HTTP server on 127.0.0.1 for import by URL ---- */

#define BIG_BYTES (3 * 1024 * 1024)

struct listener {
	int fd, port;
	pthread_t thread;
	atomic_int stop;
	const char *calendar; /* served at /holidays.ics */
};

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return; /* the client gave up: fine */
		p += k;
		n -= (size_t)k;
	}
}

static void answer(int c, const char *path, const struct listener *l)
{
	char head[512];
	if (strcmp(path, "/holidays.ics") == 0) {
		snprintf(head, sizeof(head),
			 "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 strlen(l->calendar));
		send_all(c, head, strlen(head));
		send_all(c, l->calendar, strlen(l->calendar));
	} else if (strcmp(path, "/moved") == 0) {
		const char *h =
		    "HTTP/1.1 301 Moved\r\n"
		    "Location: /holidays.ics\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n";
		send_all(c, h, strlen(h));
	} else if (strcmp(path, "/to-file") == 0) {
		const char *h =
		    "HTTP/1.1 302 Found\r\n"
		    "Location: file:///etc/passwd\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n";
		send_all(c, h, strlen(h));
	} else if (strcmp(path, "/big.ics") == 0 ||
		   strcmp(path, "/big-stream.ics") == 0) {
		/* Declared (refused before the body) or not (refused while
		 * reading). */
		if (path[4] == '.')
			snprintf(head, sizeof(head),
				 "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
				 "Connection: close\r\n\r\n",
				 BIG_BYTES);
		else
			snprintf(
			    head, sizeof(head),
			    "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
		send_all(c, head, strlen(head));
		static char chunk[65536];
		memset(chunk, 'x', sizeof(chunk));
		for (int sent = 0; sent < BIG_BYTES; sent += (int)sizeof(chunk))
			send_all(c, chunk, sizeof(chunk));
	} else {
		const char *h =
		    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n";
		send_all(c, h, strlen(h));
	}
}

static void *listener_run(void *arg)
{
	struct listener *l = arg;
	while (!atomic_load(&l->stop)) {
		int c = accept(l->fd, NULL, NULL);
		if (c < 0)
			continue;
		struct timeval tv = {2, 0};
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		char req[4096];
		size_t n = 0;
		while (n < sizeof(req) - 1) {
			ssize_t k = recv(c, req + n, sizeof(req) - 1 - n, 0);
			if (k <= 0)
				break;
			n += (size_t)k;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[n] = '\0';
		char path[256] = "";
		if (sscanf(req, "GET %255s ", path) == 1)
			answer(c, path, l);
		close(c);
	}
	return NULL;
}

static void listener_start(struct listener *l, const char *calendar)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	memset(l, 0, sizeof(*l));
	l->calendar = calendar;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(l->fd >= 0);
	assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l->fd, 8), 0);
	assert_int_equal(getsockname(l->fd, (struct sockaddr *)&a, &len), 0);
	l->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&l->thread, NULL, listener_run, l), 0);
}

static void listener_stop(struct listener *l)
{
	atomic_store(&l->stop, 1);
	shutdown(l->fd, SHUT_RDWR); /* wakes accept() */
	pthread_join(l->thread, NULL);
	close(l->fd);
}

static const char *at(const struct listener *l, const char *path)
{
	return api_fmt("http://127.0.0.1:%d%s", l->port, path);
}

/* ---- holidays ---- */

static void test_list_defaults_to_this_year_and_next(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/holidays");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_array_size(items) >= 26); /* 13 a year in the demo */
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	int year = tm.tm_year + 1900;
	if (tm.tm_mon == 11 && tm.tm_mday == 31)
		year = atoi(api_str(json_array_get(items, 0), "date"));
	const char *first = api_str(json_array_get(items, 0), "date");
	const char *last =
	    api_str(json_array_get(items, json_array_size(items) - 1), "date");
	assert_string_equal(first, api_fmt("%d-01-01", year));
	assert_string_equal(last, api_fmt("%d-12-26", year + 1));
	json_t *h = json_array_get(items, 0);
	assert_true(api_int(h, "id") > 0);
	assert_string_equal(api_str(h, "name"), "New Year's Day");
	/* Anonymous: no. */
	api_assert_problem(api_get(s, NULL, "/api/v1/holidays"), 401,
			   "unauthenticated");
	/* A range. */
	assert_string_equal(
	    holidays(s, api_fmt("%d-12-24", year), api_fmt("%d-12-26", year)),
	    api_fmt("%d-12-25=Christmas Day;%d-12-26=Second "
		    "Day of Christmas;",
		    year, year));
	api_assert_problem(api_get(s, &s->viewer,
				   "/api/v1/holidays?from=2031-02-01&to=2031-"
				   "01-01"),
			   400, "validation-failed");
	api_assert_problem(
	    api_get(s, &s->viewer, "/api/v1/holidays?from=yesterday"), 400,
	    "validation-failed");
}

static void test_create_and_delete(void **state)
{
	struct api_server *s = *state;
	const char *body = "{\"date\":\"2031-06-02\",\"name\":\"Test day\"}";
	struct api_resp *r =
	    api_json(s, &s->editor, "POST", "/api/v1/holidays", body);
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	assert_true(id > 0);
	assert_string_equal(api_str(r->json, "date"), "2031-06-02");
	assert_string_equal(api_str(r->json, "name"), "Test day");
	assert_string_equal(holidays(s, "2031-06-01", "2031-06-30"),
			    "2031-06-02=Test day;");

	/* The same day again, a viewer, bad input. */
	api_assert_problem(
	    api_json(s, &s->editor, "POST", "/api/v1/holidays", body), 409,
	    "conflict");
	api_assert_problem(api_json(s, &s->viewer, "POST", "/api/v1/holidays",
				    "{\"date\":\"2031-06-03\",\"name\":\"X\"}"),
			   403, "forbidden");
	r = api_json(s, &s->editor, "POST", "/api/v1/holidays",
		     "{\"date\":\"2031-02-30\",\"name\":\"X\"}");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "'date'");
	api_assert_problem(api_json(s, &s->editor, "POST", "/api/v1/holidays",
				    "{\"date\":\"2031-06-03\"}"),
			   400, "validation-failed");
	api_assert_problem(api_json(s, &s->editor, "POST", "/api/v1/holidays",
				    "{\"date\":\"2031-06-03\",\"name\":\"X\","
				    "\"colour\":\"red\"}"),
			   400, NULL);
	api_assert_problem(api_json(s, &s->editor, "POST", "/api/v1/holidays",
				    "{\"date\":\"2031-06-03\",\"name\":\"\"}"),
			   400, NULL);

	/* Delete: viewers may not; then it is gone. */
	const char *path = api_fmt("/api/v1/holidays/%lld", (long long)id);
	api_assert_problem(api_delete(s, &s->viewer, path), 403, "forbidden");
	api_expect_status(api_delete(s, &s->editor, path), 204);
	api_assert_problem(api_delete(s, &s->editor, path), 404, "not-found");
	api_assert_problem(api_delete(s, &s->editor, "/api/v1/holidays/abc"),
			   404, "not-found");
	assert_string_equal(holidays(s, "2031-06-01", "2031-06-30"), "");
}

static void test_import_upload(void **state)
{
	struct api_server *s = *state;
	/* One day is a holiday already: it is skipped, not renamed. */
	api_expect_json(api_json(s, &s->editor, "POST", "/api/v1/holidays",
				 "{\"date\":\"2032-05-21\",\"name\":\"Kept\"}"),
			201);
	const char *cal = ics(
	    api_fmt("%s%s", vevent("a", "20320101", NULL, "New Year"),
		    vevent("b", "20320520", "20320523", "Three days\\, long")));
	struct api_resp *r = import_text(s, &s->viewer, cal, "text/calendar");
	api_assert_problem(r, 403, "forbidden");
	r = import_text(s, &s->editor, cal, "text/calendar; charset=utf-8");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "imported"), 3);
	assert_int_equal(api_int(r->json, "skipped"), 1);
	json_t *days = json_object_get(r->json, "days");
	assert_int_equal(json_array_size(days), 4);
	static const char *const want[][3] = {
	    {"2032-01-01", "New Year", "imported"},
	    {"2032-05-20", "Three days, long", "imported"},
	    {"2032-05-21", "Three days, long", "skipped"},
	    {"2032-05-22", "Three days, long", "imported"},
	};
	for (size_t i = 0; i < 4; i++) {
		json_t *d = json_array_get(days, i);
		assert_string_equal(api_str(d, "date"), want[i][0]);
		assert_string_equal(api_str(d, "name"), want[i][1]);
		assert_string_equal(api_str(d, "status"), want[i][2]);
		assert_true(api_int(d, "id") > 0);
	}
	assert_int_equal(api_int(json_array_get(days, 2), "id"),
			 holiday_id(s, "2032-05-21"));
	assert_string_equal(holidays(s, "2032-01-01", "2032-12-31"),
			    "2032-01-01=New Year;2032-05-20=Three days, long;"
			    "2032-05-21=Kept;2032-05-22=Three days, long;");

	/* Again: nothing new. */
	r = import_text(s, &s->editor, cal, "text/calendar");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "imported"), 0);
	assert_int_equal(api_int(r->json, "skipped"), 4);

	/* The import is in the event log. */
	r = api_get(s, &s->admin, "/api/v1/events?object_type=holiday&limit=1");
	api_expect_json(r, 200);
	json_t *ev = json_array_get(json_object_get(r->json, "items"), 0);
	assert_string_equal(api_str(ev, "action"), "holiday.import");
}

static void test_import_refuses_bad_calendars(void **state)
{
	struct api_server *s = *state;
	/* A good event and a bad one: nothing is imported. */
	const char *cal = ics(api_fmt(
	    "%sBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Undated\r\nEND:VEVENT\r\n",
	    vevent("ok", "20330102", NULL, "Fine")));
	struct api_resp *r = import_text(s, &s->editor, cal, "text/calendar");
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "'Undated' has no DTSTART");
	assert_string_equal(holidays(s, "2033-01-01", "2033-12-31"), "");

	r = import_text(s, &s->editor, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
			"text/calendar");
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "malformed calendar");
	r = import_text(s, &s->editor,
			ics(vevent("m", "20331301", NULL, "Month 13")),
			"text/calendar");
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "impossible DTSTART");
	struct api_req empty = {.method = "POST",
				.path = "/api/v1/holidays/import",
				.auth = &s->editor,
				.body = "",
				.empty_body = 1,
				.content_type = "text/calendar"};
	api_assert_problem(api_send(s, &empty), 400, "bad-request");
	api_assert_problem(import_text(s, &s->editor, cal, "text/plain"), 415,
			   "unsupported-media-type");
	api_assert_problem(
	    import_text(s, &s->editor, "{\"file\":\"x\"}", "application/json"),
	    400, NULL);

	/* Past the body limit (1 MiB): refused before it is read. */
	size_t big = 1024 * 1024 + 100;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, 'x', big);
	text[big] = '\0';
	r = import_text(s, &s->editor, api_fmt("%s", text), "text/calendar");
	free(text);
	api_assert_problem(r, 413, "limit-exceeded");
	assert_string_equal(holidays(s, "2033-01-01", "2033-12-31"), "");
}

static void test_import_url(void **state)
{
	struct api_server *s = *state;
	struct listener l;
	listener_start(
	    &l, ics(api_fmt("%s%s", vevent("u1", "20340301", NULL, "URL day"),
			    vevent("u2", "20340302", "20340304", "URL days"))));
	struct api_resp *r = import_url(s, at(&l, "/holidays.ics"));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "imported"), 3);
	assert_int_equal(api_int(r->json, "skipped"), 0);
	assert_string_equal(holidays(s, "2034-01-01", "2034-12-31"),
			    "2034-03-01=URL day;2034-03-02=URL days;"
			    "2034-03-03=URL days;");
	/* A redirect within http is followed. */
	r = import_url(s, at(&l, "/moved"));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "skipped"), 3);

	/* What cannot be fetched is a 400 that says why. */
	r = import_url(s, at(&l, "/missing.ics"));
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "cannot fetch");
	api_assert_detail_has(r, "HTTP 404");
	r = import_url(s, at(&l, "/to-file"));
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "cannot fetch");
	r = import_url(s, at(&l, "/big.ics"));
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "larger than the limit");
	r = import_url(s, at(&l, "/big-stream.ics"));
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "larger than the limit");
	listener_stop(&l);
	/* Nobody listens there any more. */
	r = import_url(s, at(&l, "/holidays.ics"));
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "cannot fetch");

	r = import_url(s, "file:///etc/passwd");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "http or https");
	api_assert_problem(import_url(s, "ftp://127.0.0.1/x.ics"), 400,
			   "validation-failed");
	api_assert_problem(
	    api_json(s, &s->editor, "POST", "/api/v1/holidays/import", "{}"),
	    400, "validation-failed");
}

/* ---- feeds ---- */

struct feed {
	int64_t id;
	const char *url;
};

static struct feed feed_new_at(struct api_server *s, const struct api_auth *a,
			       const char *kind, int64_t id, const char *file,
			       int line)
{
	struct api_resp *r = api_json(
	    s, a, "POST", "/api/v1/calendar-feeds",
	    api_fmt("{\"kind\":\"%s\",\"id\":%lld}", kind, (long long)id));
	api_expect_json_at(r, 201, file, line);
	struct feed f = {api_int(r->json, "id"), api_str(r->json, "url")};
	assert_string_equal(api_str(r->json, "kind"), kind);
	assert_int_equal(api_int(r->json, "object_id"), id);
	assert_int_equal(api_int(r->json, "owner_id"), a->person_id);
	assert_true(json_is_null(json_object_get(r->json, "revoked_at")));
	/* /ical/ + 43 base64url characters + .ics */
	assert_int_equal(strlen(f.url), 6 + 43 + 4);
	assert_memory_equal(f.url, "/ical/", 6);
	assert_string_equal(f.url + 49, ".ics");
	return f;
}
#define feed_new(s, a, kind, id) feed_new_at(s, a, kind, id, __FILE__, __LINE__)

struct event {
	char uid[64];
	char summary[256];
	char tzid[64];
	int local_hour, local_minute;
	int64_t start_utc, end_utc;
	int sequence;
	int64_t last_modified;
};

#define EVENTS_MAX 1024

struct parsed {
	char calname[256];
	char zone[64];
	int count;
	struct event ev[EVENTS_MAX];
};

static int64_t zone_time(icalcomponent *cal, icalproperty *p, char *tzid,
			 size_t cap)
{
	icalparameter *param =
	    icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	assert_non_null(param);
	snprintf(tzid, cap, "%s", icalparameter_get_tzid(param));
	icaltimezone *zone = icalcomponent_get_timezone(cal, tzid);
	assert_non_null(zone);
	struct icaltimetype t = icalproperty_isa(p) == ICAL_DTSTART_PROPERTY
				    ? icalproperty_get_dtstart(p)
				    : icalproperty_get_dtend(p);
	return (int64_t)icaltime_as_timet_with_zone(t, zone);
}

/* Fetch the feed at url anonymously and parse it with libical. */
static struct api_resp *feed_fetch(struct api_server *s, const char *url,
				   struct parsed *out)
{
	struct api_resp *r = api_get(s, NULL, url);
	api_expect_status(r, 200);
	assert_string_equal(r->content_type, "text/calendar; charset=utf-8");
	assert_string_equal(api_header(r, "Cache-Control"), "no-store");
	icalcomponent *cal = icalparser_parse_string(r->body);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	memset(out, 0, sizeof(*out));
	for (icalproperty *p =
		 icalcomponent_get_first_property(cal, ICAL_X_PROPERTY);
	     p; p = icalcomponent_get_next_property(cal, ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), "X-WR-CALNAME") == 0)
			snprintf(out->calname, sizeof(out->calname), "%s",
				 icalproperty_get_x(p));
	icalcomponent *vtz =
	    icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(vtz);
	snprintf(out->zone, sizeof(out->zone), "%s",
		 icalproperty_get_tzid(icalcomponent_get_first_property(
		     vtz, ICAL_TZID_PROPERTY)));
	for (icalcomponent *c =
		 icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     c;
	     c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		assert_true(out->count < EVENTS_MAX);
		struct event *e = &out->ev[out->count++];
		char end_tzid[64];
		icalproperty *ps =
		    icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
		icalproperty *pe =
		    icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY);
		icalproperty *lm = icalcomponent_get_first_property(
		    c, ICAL_LASTMODIFIED_PROPERTY);
		assert_non_null(ps);
		assert_non_null(pe);
		assert_non_null(lm);
		snprintf(e->uid, sizeof(e->uid), "%s",
			 icalcomponent_get_uid(c));
		snprintf(e->summary, sizeof(e->summary), "%s",
			 icalcomponent_get_summary(c));
		struct icaltimetype t = icalproperty_get_dtstart(ps);
		e->local_hour = t.hour;
		e->local_minute = t.minute;
		e->start_utc = zone_time(cal, ps, e->tzid, sizeof(e->tzid));
		e->end_utc = zone_time(cal, pe, end_tzid, sizeof(end_tzid));
		assert_string_equal(e->tzid, end_tzid);
		e->sequence = icalcomponent_get_sequence(c);
		e->last_modified = (int64_t)icaltime_as_timet(
		    icalproperty_get_lastmodified(lm));
	}
	icalcomponent_free(cal);
	return r;
}

static const struct event *find_event(const struct parsed *p, const char *uid)
{
	for (int i = 0; i < p->count; i++)
		if (strcmp(p->ev[i].uid, uid) == 0)
			return &p->ev[i];
	return NULL;
}

static const char *uid_of(int64_t day, int64_t duty_id)
{
	int y, m, d;
	dd_date_from_days(day, &y, &m, &d);
	return api_fmt("%04d%02d%02d-%lld@dutydesk", y, m, d,
		       (long long)duty_id);
}

static const char *date_text(int64_t day)
{
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(day, text);
	return api_fmt("%s", text);
}

/* What the feeds should show, from the rota API. */
struct duty_info {
	int64_t id;
	const char *name;
	int start, end; /* minutes */
};

struct rota {
	struct dd_tz *tz;
	int64_t today, from, to;
	struct duty_info duties[8];
	int duty_count;
	json_t *days; /* /api/v1/rota/days items (owned by a response) */
};

static int minutes(const char *hhmm)
{
	int h = 0, m = 0;
	assert_int_equal(sscanf(hhmm, "%d:%d", &h, &m), 2);
	return h * 60 + m;
}

static void rota_load(struct api_server *s, struct rota *r)
{
	struct dd_err err;
	memset(r, 0, sizeof(*r));
	assert_int_equal(dd_tz_load(ORG_ZONE, &r->tz, &err), 0);
	r->today = dd_tz_local_day(r->tz, time(NULL));
	r->from = r->today - FEED_BACK;
	r->to = r->today + FEED_AHEAD;
	struct api_resp *d = api_get(s, &s->viewer, "/api/v1/duties");
	api_expect_json(d, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(d->json, "items"), i, v)
	{
		assert_true(r->duty_count < 8);
		r->duties[r->duty_count++] = (struct duty_info){
		    api_int(v, "id"), api_str(v, "name"),
		    minutes(api_str(v, "start")), minutes(api_str(v, "end"))};
	}
	assert_true(r->duty_count >= 2);
	struct api_resp *days =
	    api_get(s, &s->viewer,
		    api_fmt("/api/v1/rota/days?from=%s&to=%s",
			    date_text(r->from), date_text(r->to)));
	api_expect_json(days, 200);
	r->days = json_object_get(days->json, "items");
	assert_true(json_array_size(r->days) > 0);
}

static const struct duty_info *rota_duty(const struct rota *r, int64_t id)
{
	for (int i = 0; i < r->duty_count; i++)
		if (r->duties[i].id == id)
			return &r->duties[i];
	fail_msg("no duty %lld", (long long)id);
	return NULL;
}

static const char *person_name(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
	    s, &s->viewer, api_fmt("/api/v1/people/%lld", (long long)id));
	api_expect_json(r, 200);
	return api_str(r->json, "name");
}

static const char *iso_utc(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char text[32];
	gmtime_r(&tt, &tm);
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return api_fmt("%s", text);
}

static const char *local_text(int64_t day, int min)
{
	int y, m, d;
	dd_date_from_days(day + min / 1440, &y, &m, &d);
	min %= 1440;
	return api_fmt("%04d-%02d-%02dT%02d:%02d:00", y, m, d, min / 60,
		       min % 60);
}

/* Run the ical.js check on the feed in r with the expected events. */
static void check_with_ical_js(struct api_server *s, const char *name,
			       const struct api_resp *r, json_t *expect)
{
	if (system("command -v node >/dev/null 2>&1") != 0) {
		print_message("ical.js check skipped: node is not installed\n");
		json_decref(expect);
		skip();
	}
	if (access(NODE_MODULES, R_OK) != 0) {
		json_decref(expect);
		fail_msg("tests/ical-node has no node_modules: run (cd "
			 "tests/ical-node && npm ci) or scripts/test");
	}
	const char *feed = api_fmt("%s/%s.ics", s->dir, name);
	const char *exp = api_fmt("%s/%s.json", s->dir, name);
	FILE *fp = fopen(feed, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(r->body, 1, r->body_len, fp), r->body_len);
	fclose(fp);
	assert_int_equal(json_dump_file(expect, exp, JSON_INDENT(1)), 0);
	json_decref(expect);
	FILE *p = popen(api_fmt("FEED='%s' FEED_EXPECT='%s' node --test "
				"--test-reporter=tap " NODE_TEST " 2>&1",
				feed, exp),
			"r");
	assert_non_null(p);
	static char out[65536];
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !strstr(out, "# fail 0"))
		fail_msg("ical.js refused the feed %s:\n%s", feed, out);
	assert_non_null(strstr(out, "# pass 3"));
}

/* The duty feed holds every published duty day of its duty in the feed's
 * range, with the holder's name, at the window's local times. */
static void test_duty_feed_matches_rota(void **state)
{
	struct api_server *s = *state;
	struct rota rota;
	rota_load(s, &rota);
	const struct duty_info *duty = &rota.duties[0];
	struct feed f = feed_new(s, &s->viewer, "duty", duty->id);
	static struct parsed got;
	struct api_resp *r = feed_fetch(s, f.url, &got);
	assert_string_equal(got.calname, api_fmt("dutydesk: %s", duty->name));
	assert_string_equal(got.zone, ORG_ZONE);

	json_t *expect = json_pack("{s:s, s:s, s:[]}", "tzid", ORG_ZONE,
				   "calname", got.calname, "events");
	json_t *list = json_object_get(expect, "events");
	int n = 0;
	size_t i;
	json_t *d;
	json_array_foreach(rota.days, i, d)
	{
		int64_t day, person = api_int(d, "person_id");
		if (api_int(d, "duty_id") != duty->id || person <= 0)
			continue;
		assert_int_equal(dd_date_parse(api_str(d, "day"), &day), 0);
		assert_true(n < got.count);
		const struct event *e = &got.ev[n++];
		const char *summary =
		    api_fmt("%s: %s", duty->name, person_name(s, person));
		int64_t start =
		    dd_tz_local_to_utc(rota.tz, day, duty->start * 60);
		int64_t end = dd_tz_local_to_utc(rota.tz, day, duty->end * 60);
		assert_string_equal(e->uid, uid_of(day, duty->id));
		assert_string_equal(e->summary, summary);
		assert_string_equal(e->tzid, ORG_ZONE);
		assert_int_equal(e->local_hour * 60 + e->local_minute,
				 duty->start);
		assert_int_equal(e->start_utc, start);
		assert_int_equal(e->end_utc, end);
		assert_true(e->sequence > 0);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "uid",
				    e->uid, "summary", summary, "start",
				    local_text(day, duty->start), "end",
				    local_text(day, duty->end), "start_utc",
				    iso_utc(start), "end_utc", iso_utc(end)));
	}
	/* The demo publishes 13 weeks: about 30 days of each duty. */
	assert_int_equal(got.count, n);
	assert_true(n >= 20);
	dd_tz_free(rota.tz);
	check_with_ical_js(s, "duty-feed", r, expect);
}

/* A person feed holds that person's days of every duty. */
static void test_person_feed_matches_rota(void **state)
{
	struct api_server *s = *state;
	struct rota rota;
	rota_load(s, &rota);
	/* The holder of the first duty day in the range. */
	int64_t person = 0;
	size_t i;
	json_t *d;
	json_array_foreach(rota.days, i, d)
	{
		person = api_int(d, "person_id");
		if (person > 0)
			break;
	}
	assert_true(person > 0);
	struct feed f = feed_new(s, &s->editor, "person", person);
	static struct parsed got;
	struct api_resp *r = feed_fetch(s, f.url, &got);
	assert_string_equal(got.calname,
			    api_fmt("dutydesk: %s", person_name(s, person)));
	json_t *expect = json_pack("{s:s, s:s, s:[]}", "tzid", ORG_ZONE,
				   "calname", got.calname, "events");
	json_t *list = json_object_get(expect, "events");
	int n = 0;
	json_array_foreach(rota.days, i, d)
	{
		int64_t day;
		if (api_int(d, "person_id") != person)
			continue;
		const struct duty_info *duty =
		    rota_duty(&rota, api_int(d, "duty_id"));
		assert_int_equal(dd_date_parse(api_str(d, "day"), &day), 0);
		assert_true(n < got.count);
		const struct event *e = &got.ev[n++];
		int64_t start =
		    dd_tz_local_to_utc(rota.tz, day, duty->start * 60);
		int64_t end = dd_tz_local_to_utc(rota.tz, day, duty->end * 60);
		assert_string_equal(e->uid, uid_of(day, duty->id));
		assert_string_equal(e->summary, duty->name);
		assert_int_equal(e->start_utc, start);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "uid",
				    e->uid, "summary", duty->name, "start",
				    local_text(day, duty->start), "end",
				    local_text(day, duty->end), "start_utc",
				    iso_utc(start), "end_utc", iso_utc(end)));
	}
	assert_int_equal(got.count, n);
	assert_true(n > 0);
	dd_tz_free(rota.tz);
	check_with_ical_js(s, "person-feed", r, expect);
}

/* A change to the rota shows in the next fetch: the day moves from one
 * person's feed to the other's, the duty feed renames its holder with a
 * higher SEQUENCE, and a new holiday removes the day. */
static void test_feeds_follow_rota_changes(void **state)
{
	struct api_server *s = *state;
	struct rota rota;
	rota_load(s, &rota);
	/* A day after tomorrow with both duties held by two people. */
	int64_t day = 0, duty_id = 0, holder = 0, other = 0;
	size_t i;
	json_t *d;
	json_array_foreach(rota.days, i, d)
	{
		int64_t x;
		dd_date_parse(api_str(d, "day"), &x);
		if (x <= rota.today + 1 || api_int(d, "person_id") <= 0)
			continue;
		if (day == 0) {
			day = x;
			duty_id = api_int(d, "duty_id");
			holder = api_int(d, "person_id");
		} else if (x == day && api_int(d, "person_id") != holder) {
			other = api_int(d, "person_id");
			break;
		}
	}
	assert_true(day > 0 && other > 0);
	const char *uid = uid_of(day, duty_id);
	const struct duty_info *duty = rota_duty(&rota, duty_id);
	struct feed fh = feed_new(s, &s->editor, "person", holder);
	struct feed fo = feed_new(s, &s->editor, "person", other);
	struct feed fd = feed_new(s, &s->editor, "duty", duty_id);
	static struct parsed a, b;
	feed_fetch(s, fh.url, &a);
	assert_non_null(find_event(&a, uid));
	feed_fetch(s, fo.url, &a);
	assert_null(find_event(&a, uid));
	feed_fetch(s, fd.url, &a);
	const struct event *before = find_event(&a, uid);
	assert_non_null(before);
	assert_string_equal(before->summary, api_fmt("%s: %s", duty->name,
						     person_name(s, holder)));

	sleep(1); /* so that the change is a later second */
	int64_t changed = time(NULL);
	struct api_resp *r =
	    api_json(s, &s->editor, "PUT",
		     api_fmt("/api/v1/rota/days/%s/%lld", date_text(day),
			     (long long)duty_id),
		     api_fmt("{\"person_id\":%lld}", (long long)other));
	api_expect_json(r, 200);

	feed_fetch(s, fh.url, &b);
	assert_null(find_event(&b, uid));
	feed_fetch(s, fo.url, &b);
	assert_non_null(find_event(&b, uid));
	feed_fetch(s, fd.url, &b);
	const struct event *after = find_event(&b, uid);
	assert_non_null(after);
	assert_int_equal(b.count, a.count);
	assert_string_equal(after->summary, api_fmt("%s: %s", duty->name,
						    person_name(s, other)));
	assert_true(after->sequence > before->sequence);
	assert_true(after->last_modified >= changed);
	assert_int_equal(after->start_utc, before->start_utc);

	/* No duty falls on a holiday. */
	r = api_json(
	    s, &s->editor, "POST", "/api/v1/holidays",
	    api_fmt("{\"date\":\"%s\",\"name\":\"Surprise\"}", date_text(day)));
	api_expect_json(r, 201);
	int64_t hid = api_int(r->json, "id");
	feed_fetch(s, fd.url, &b);
	assert_null(find_event(&b, uid));
	assert_int_equal(b.count, a.count - 1);
	api_expect_status(
	    api_delete(s, &s->editor,
		       api_fmt("/api/v1/holidays/%lld", (long long)hid)),
	    204);
	feed_fetch(s, fd.url, &b);
	assert_non_null(find_event(&b, uid));
	dd_tz_free(rota.tz);
}

static void test_feed_management(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/duties");
	api_expect_json(r, 200);
	int64_t duty =
	    api_int(json_array_get(json_object_get(r->json, "items"), 0), "id");
	char login[65];
	int64_t id = api_person_new(s, "feeder", "feeder-password-1", login);
	struct api_auth me;
	api_signin(s, login, "feeder-password-1", &me);

	struct feed mine = feed_new(s, &me, "person", me.person_id);
	struct feed of_duty = feed_new(s, &me, "duty", duty);
	api_expect_status(api_get(s, NULL, mine.url), 200);
	/* Not someone else's days, unless an editor. */
	r = api_json(s, &me, "POST", "/api/v1/calendar-feeds",
		     api_fmt("{\"kind\":\"person\",\"id\":%lld}",
			     (long long)s->viewer.person_id));
	api_assert_problem(r, 403, "forbidden");
	struct feed editors = feed_new(s, &s->editor, "person", id);
	/* Bad input. */
	api_assert_problem(api_json(s, &me, "POST", "/api/v1/calendar-feeds",
				    "{\"kind\":\"team\",\"id\":1}"),
			   400, "validation-failed");
	api_assert_problem(api_json(s, &me, "POST", "/api/v1/calendar-feeds",
				    "{\"kind\":\"duty\",\"id\":999999}"),
			   400, "validation-failed");
	api_assert_problem(api_json(s, &me, "POST", "/api/v1/calendar-feeds",
				    "{\"kind\":\"duty\"}"),
			   400, "validation-failed");
	api_assert_problem(api_json(s, NULL, "POST", "/api/v1/calendar-feeds",
				    "{\"kind\":\"duty\",\"id\":1}"),
			   401, "unauthenticated");

	/* The list: the caller's feeds, without secrets. */
	r = api_get(s, &me, "/api/v1/calendar-feeds");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *first = json_array_get(items, 0);
	assert_int_equal(api_int(first, "id"), mine.id);
	assert_string_equal(api_str(first, "kind"), "person");
	assert_string_equal(api_str(first, "object_name"),
			    api_fmt("Person %s", login) + 0 == NULL
				? ""
				: api_str(first, "object_name"));
	assert_null(json_object_get(first, "url"));
	assert_null(json_object_get(first, "digest"));
	assert_null(strstr(r->body, mine.url + 6));
	assert_int_equal(api_int(json_array_get(items, 1), "id"), of_duty.id);
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
	r = api_get(s, &me, "/api/v1/calendar-feeds?limit=1");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "next_cursor"),
			    api_fmt("%lld", (long long)mine.id));

	/* Revoking: not other people's (unless an editor), then gone. */
	const char *path =
	    api_fmt("/api/v1/calendar-feeds/%lld", (long long)mine.id);
	api_assert_problem(api_delete(s, &s->viewer, path), 404, "not-found");
	api_expect_status(api_delete(s, &me, path), 204);
	api_assert_problem(api_get(s, NULL, mine.url), 404, "not-found");
	api_expect_status(api_delete(s, &me, path), 204);
	api_assert_problem(api_delete(s, &me, "/api/v1/calendar-feeds/999999"),
			   404, "not-found");
	r = api_get(s, &me, "/api/v1/calendar-feeds");
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
	/* An editor may revoke anyone's. */
	api_expect_status(api_delete(s, &s->editor,
				     api_fmt("/api/v1/calendar-feeds/%lld",
					     (long long)of_duty.id)),
			  204);
	api_assert_problem(api_get(s, NULL, of_duty.url), 404, "not-found");

	/* A deactivated owner's feeds stop answering. */
	api_expect_status(api_get(s, NULL, editors.url), 200);
	struct feed again = feed_new(s, &me, "duty", duty);
	api_expect_status(api_get(s, NULL, again.url), 200);
	api_expect_status(
	    api_delete(s, &s->admin,
		       api_fmt("/api/v1/people/%lld", (long long)id)),
	    204);
	api_assert_problem(api_get(s, NULL, again.url), 404, "not-found");
	/* The editor's feed of that person still answers. */
	api_expect_status(api_get(s, NULL, editors.url), 200);
}

static void test_ical_addresses(void **state)
{
	struct api_server *s = *state;
	static const char *const paths[] = {
	    "/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
	    "/ical/short.ics",
	    "/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "/ical/.ics",
	    "/ical/A%2FAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct api_resp *r = api_get(s, NULL, paths[i]);
		api_assert_problem(r, 404, "not-found");
	}
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/duties");
	int64_t duty =
	    api_int(json_array_get(json_object_get(r->json, "items"), 0), "id");
	struct feed f = feed_new(s, &s->viewer, "duty", duty);
	/* HEAD answers like GET, without a body; writes are not allowed. */
	r = api_head(s, NULL, f.url);
	api_expect_status(r, 200);
	assert_int_equal(r->body_len, 0);
	r = api_json(s, NULL, "POST", f.url, "{}");
	api_assert_problem(r, 405, "method-not-allowed");
	/* Credentials are not needed, and stale ones do not hurt. */
	struct api_auth stale = {.bearer = "ddt_not-a-token"};
	api_expect_status(api_get(s, &stale, f.url), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_list_defaults_to_this_year_and_next),
	    API_TEST(test_create_and_delete),
	    API_TEST(test_import_upload),
	    API_TEST(test_import_refuses_bad_calendars),
	    API_TEST(test_import_url),
	    API_TEST(test_duty_feed_matches_rota),
	    API_TEST(test_person_feed_matches_rota),
	    API_TEST(test_feeds_follow_rota_changes),
	    API_TEST(test_feed_management),
	    API_TEST(test_ical_addresses),
	};
	return API_RUN("holidays_feeds", tests);
}
