/*
 * test_alert_mail.c - priority-1 paging and the on-call notices end to
 * end through a real Postfix on loopback (scripts/postfix-throwaway: it
 * takes every recipient into one Maildir, which the test reads back and
 * parses), on both engines, with a clock the test moves
 * (tests/api/clockfile.h). The demo people's verified e-mail methods are
 * the contact methods; the server's relay is that Postfix
 * (DUTYDESK_SMTP_URL).
 *
 *   - a P1 pages the emergency duty by mail (Auto-Submitted:
 *     auto-generated); the acknowledgement link taken from the mail shows
 *     a page with one button on GET and acknowledges on POST, and the
 *     escalation stops;
 *   - shift start: when the window opens both people on duty get their
 *     duty, the other's name and phone and a readiness link; one confirms
 *     by the link, the other by nobody: 15 minutes later the coordinator
 *     is told, exactly once (on PostgreSQL with a second instance checking
 *     too); the API confirms as well;
 *   - the hourly reminder reaches the telephone duty with the open P1s,
 *     unacknowledged first, once per hour, and not at all with nothing
 *     open;
 *   - an accepted swap reaches the coordinator, the substitute and the
 *     requester; an uncovered day ahead the coordinator, the substitute
 *     and the absent holder; a sick-day request every ranked candidate.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/clockfile.h"
#include "api/harness.h"
#include "base/date.h"
#include "mail/parse.h"
#include "support/postfix.h"

#define MIN  (60 * 1000LL)
#define HOUR (60 * MIN)
#define DAY  (24 * HOUR)
/* Tuesday 1 December 2026, 16:30 in Berlin (CET, UTC+1): the afternoon
 * window is open. */
#define T0 1796139000000LL

static struct ut_postfix relay;

/* ---- the Maildir ---- */

/* What a test looks at in one delivered mail (strings from api_fmt). */
struct mail {
	const char *subject, *text, *to, *auto_submitted, *suppress;
};

/* Forget what arrived so far: each test reads only its own mail. */
static void maildir_clear(void)
{
	const char *sub[] = {"new", "cur", "tmp"};
	for (int k = 0; k < 3; k++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/maildir/%s", relay.dir,
			 sub[k]);
		DIR *d = opendir(path);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char file[600];
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			unlink(file);
		}
		closedir(d);
	}
}

/* Parse delivered mail i into out: 0, or -1 when there is none. */
static int mail_read(int i, struct mail *out)
{
	char *raw = ut_postfix_mail(&relay, i);
	if (!raw)
		return -1;
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_err err;
	dd_arena_init(&arena, 4 * 1024 * 1024);
	dd_err_clear(&err);
	int rc = dd_mail_parse(&arena, raw, strlen(raw), &m, &err);
	free(raw);
	if (rc == 0) {
		out->subject = api_fmt("%s", m.subject);
		out->text = api_fmt("%s", m.text);
		out->to = api_fmt("%s", m.to.count ? m.to.items[0].addr : "");
		out->auto_submitted = api_fmt(
			"%s",
			m.autoh.auto_submitted ? m.autoh.auto_submitted : "");
		out->suppress =
			api_fmt("%s", m.autoh.x_auto_response_suppress
					      ? m.autoh.x_auto_response_suppress
					      : "");
	}
	dd_arena_release(&arena);
	return rc;
}

/* How many delivered mails go to addr with subject containing subject
 * (and text containing text when not NULL); *first (may be NULL) gets
 * the first of them. */
static int mails_count(const char *addr, const char *subject, const char *text,
		       struct mail *first)
{
	int n = ut_postfix_count(&relay), found = 0;
	for (int i = 0; i < n; i++) {
		struct mail m;
		if (mail_read(i, &m) < 0 || strcmp(m.to, addr) != 0 ||
		    !strstr(m.subject, subject) ||
		    (text && !strstr(m.text, text)))
			continue;
		if (found++ == 0 && first)
			*first = m;
	}
	return found;
}

/* Wait up to 20 s for such a mail; fails the test without one. */
static struct mail mail_wait(const char *addr, const char *subject,
			     const char *text)
{
	struct mail m;
	for (int waited = 0; waited < 20000; waited += 200) {
		if (mails_count(addr, subject, text, &m) > 0)
			return m;
		usleep(200 * 1000);
	}
	fail_msg("no mail to %s with subject '%s'", addr, subject);
	return m;
}

/* Give the delivery thread time to send what it would (a mail that
 * should not come). */
static void settle(void)
{
	usleep(1500 * 1000);
}

/* ---- the organisation ---- */

struct people {
	int64_t emergency, telephone, substitute, coordinator;
	const char *emergency_login, *telephone_login;
	const char *emergency_name, *telephone_name;
	const char *emergency_phone, *telephone_phone;
	const char *emergency_duty, *telephone_duty;
};

/* Who is on duty at the clock's instant (the window open). */
static struct people people_now(struct api_server *s)
{
	struct people p = {0};
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/oncall/now");
	api_expect_json(r, 200);
	size_t i;
	json_t *d;
	json_t *duties = json_object_get(r->json, "duties");
	assert_true(json_is_array(duties));
	json_array_foreach(duties, i, d)
	{
		json_t *person = api_obj(d, "person");
		assert_non_null(person);
		if (api_bool(d, "takes_p1")) {
			p.emergency = api_int(person, "id");
			p.emergency_login = api_str(person, "login");
			p.emergency_name = api_str(person, "name");
			p.emergency_phone = api_str(person, "phone");
			p.emergency_duty = api_str(d, "duty");
		} else {
			p.telephone = api_int(person, "id");
			p.telephone_login = api_str(person, "login");
			p.telephone_name = api_str(person, "name");
			p.telephone_phone = api_str(person, "phone");
			p.telephone_duty = api_str(d, "duty");
		}
	}
	r = api_get(s, &s->viewer, "/api/v1/calendar");
	api_expect_json(r, 200);
	p.coordinator = api_int(r->json, "coordinator_id");
	p.substitute = api_int(r->json, "substitute_id");
	assert_true(p.emergency > 0 && p.telephone > 0);
	assert_true(p.coordinator > 0 && p.substitute > 0);
	return p;
}

/* A person's verified e-mail address (the demo gives everyone one). */
static const char *mail_of(struct api_server *s, int64_t person)
{
	struct api_resp *r =
		api_get(s, &s->admin,
			api_fmt("/api/v1/people/%lld/contact-methods",
				(long long)person));
	api_expect_json(r, 200);
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(r->json, "items"), i, m)
	{
		if (strcmp(api_str(m, "kind"), "email") == 0 &&
		    api_bool(m, "verified"))
			return api_str(m, "address");
	}
	fail_msg("person %lld has no verified e-mail", (long long)person);
	return NULL;
}

/* Move the servers' clock, forget earlier mail and sign the demo
 * sessions in again (a session ends after a day without use). */
static void at_time(struct api_server *s, int64_t ms)
{
	api_clock_set(ms);
	maildir_clear();
	api_signin(s, "hbrandt", API_DEMO_PASSWORD, &s->admin);
	api_signin(s, "mvogel", API_DEMO_PASSWORD, &s->editor);
	api_signin(s, "jweber", API_DEMO_PASSWORD, &s->viewer);
}

/* Resolve every alert not resolved yet, so reminders start from none. */
static void resolve_all(struct api_server *s)
{
	const char *states[] = {"triggered", "acknowledged"};
	for (int k = 0; k < 2; k++) {
		struct api_resp *r =
			api_get(s, &s->viewer,
				api_fmt("/api/v1/alerts?state=%s&limit=200",
					states[k]));
		api_expect_json(r, 200);
		size_t i;
		json_t *a;
		json_array_foreach(json_object_get(r->json, "items"), i, a)
		{
			api_json(s, &s->editor, "POST",
				 api_fmt("/api/v1/alerts/%lld/resolve",
					 (long long)api_int(a, "id")),
				 "{}");
		}
	}
}

/* The path of the link after label ("Acknowledge: ") in text; it must
 * start with the server's own address. */
static const char *link_after(struct api_server *s, const char *text,
			      const char *label)
{
	const char *p = strstr(text, label);
	assert_non_null(p);
	p += strlen(label);
	size_t n = strcspn(p, " \r\n");
	const char *url = api_fmt("%.*s", (int)n, p);
	assert_true(strncmp(url, s->base_url, strlen(s->base_url)) == 0);
	assert_non_null(strstr(url, "/api/v1/ack/a1."));
	return url + strlen(s->base_url);
}

static struct api_resp *link_req(struct api_server *s, const char *method,
				 const char *path, int json)
{
	static const char *const accept_json[] = {"Accept: application/json",
						  NULL};
	struct api_req q = {.method = method,
			    .path = path,
			    .headers = json ? accept_json : NULL,
			    .empty_body = strcmp(method, "POST") == 0};
	return api_send(s, &q);
}

/* ---- tests ---- */

/* The whole chain by mail: P1 -> outbox -> Postfix -> Maildir -> link
 * -> acknowledged -> no further step. */
static void test_p1_page_by_mail(void **state)
{
	struct api_server *s = *state;
	at_time(s, T0);
	struct people p = people_now(s);
	struct api_resp *r = api_json(s, &s->editor, "POST", "/api/v1/alerts",
				      "{\"subject\":\"Leitstand offline\"}");
	api_expect_json(r, 201);
	json_t *a = api_obj(r->json, "alert");
	int64_t id = api_int(a, "id");
	int64_t number = api_int(a, "ticket_number");
	const char *subject = api_fmt("[P1] #%lld", (long long)number);
	struct mail m = mail_wait(mail_of(s, p.emergency), subject, NULL);
	assert_non_null(strstr(m.subject, "Leitstand offline"));
	assert_string_equal(m.auto_submitted, "auto-generated");
	assert_string_equal(m.suppress, "All");
	/* The page's outbox row went out by SMTP. */
	int delivered = 0;
	for (int i = 0; i < 50 && !delivered; i++) {
		r = api_get(s, &s->admin,
			    api_fmt("/api/v1/outbox?ref_type=alert&ref_id=%lld",
				    (long long)id));
		api_expect_json(r, 200);
		size_t k;
		json_t *o;
		json_array_foreach(json_object_get(r->json, "items"), k, o)
		{
			delivered |=
				strcmp(api_str(o, "kind"), "email") == 0 &&
				strcmp(api_str(o, "status"), "delivered") == 0;
		}
		if (!delivered)
			usleep(100 * 1000);
	}
	assert_true(delivered);

	const char *ack = link_after(s, m.text, "Acknowledge: ");
	/* GET: a page with one button, nothing changed. */
	r = link_req(s, "GET", ack, 0);
	api_expect_status(r, 200);
	assert_non_null(strstr(r->content_type, "text/html"));
	assert_non_null(strstr(r->body, "<form method=\"post\">"));
	assert_non_null(strstr(r->body, "<button"));
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/alerts/%lld", (long long)id));
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "alert"), "state"),
			    "triggered");
	/* POST (the button): acknowledged, as the person paged. */
	r = link_req(s, "POST", ack, 0);
	api_expect_status(r, 200);
	assert_non_null(strstr(r->content_type, "text/html"));
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/alerts/%lld", (long long)id));
	api_expect_json(r, 200);
	a = api_obj(r->json, "alert");
	assert_string_equal(api_str(a, "state"), "acknowledged");
	assert_string_equal(api_str(a, "acknowledged_via"), "link");
	assert_int_equal(api_int(a, "acknowledged_by"), p.emergency);
	/* Escalation stops: 30 minutes on, no second or third step. */
	api_clock_advance(30 * MIN);
	r = api_json(s, &s->editor, "POST", "/api/v1/alerts/escalate", NULL);
	api_expect_json(r, 200);
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/alerts/%lld", (long long)id));
	api_expect_json(r, 200);
	size_t i;
	json_t *pg;
	json_array_foreach(json_object_get(r->json, "pages"), i, pg)
	{
		if (strcmp(api_str(pg, "kind"), "page") == 0)
			assert_int_equal(api_int(pg, "step"), 0);
	}
	settle();
	assert_int_equal(
		mails_count(mail_of(s, p.substitute), subject, NULL, NULL), 0);
	assert_int_equal(
		mails_count(mail_of(s, p.coordinator), subject, NULL, NULL), 0);
	/* The link works once. */
	api_assert_problem(link_req(s, "POST", ack, 1), 409, "conflict");
}

/* POST /api/v1/shifts/check through s (and second when not NULL). */
static void shift_check(struct api_server *s, struct api_server *second)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/shifts/check", NULL);
	api_expect_json(r, 200);
	if (second) {
		r = api_json(second, &second->editor, "POST",
			     "/api/v1/shifts/check", NULL);
		api_expect_json(r, 200);
	}
}

/* The shift of (day, person) from GET /api/v1/shifts, or NULL. */
static json_t *shift_of(struct api_server *s, const char *day, int64_t person)
{
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/shifts?limit=100");
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		if (strcmp(api_str(v, "day"), day) == 0 &&
		    api_int(v, "person_id") == person)
			return v;
	}
	return NULL;
}

static void test_shift_start(void **state)
{
	struct api_server *s = *state;
	struct api_server second;
	struct api_server *two = NULL;
	/* Wednesday 2 December, 15:50: the window opens at 16:00. */
	int64_t open = T0 + DAY - 30 * MIN;
	const char *day = "2026-12-02";
	at_time(s, open - 10 * MIN);
	if (api_is_pg(s)) {
		assert_int_equal(api_server_attach(&second, s), 0);
		two = &second;
	}
	shift_check(s, two);
	assert_null(shift_of(s, day, 0));
	api_clock_set(open + 15 * 1000);
	struct people p = people_now(s);
	const char *em = mail_of(s, p.emergency), *tm = mail_of(s, p.telephone),
		   *cm = mail_of(s, p.coordinator);
	shift_check(s, two);
	shift_check(s, two);
	/* Both get their notice: their duty, the other's name and phone,
	 * the readiness link. */
	struct mail me = mail_wait(em, "On duty: ", NULL);
	struct mail mt = mail_wait(tm, "On duty: ", NULL);
	assert_non_null(strstr(me.subject, p.emergency_duty));
	assert_non_null(strstr(me.text, api_fmt("You are on %s today, 16:00",
						p.emergency_duty)));
	assert_non_null(
		strstr(me.text, api_fmt("%s: %s, %s", p.telephone_duty,
					p.telephone_name, p.telephone_phone)));
	assert_non_null(strstr(
		mt.text, api_fmt("You are on %s today", p.telephone_duty)));
	assert_non_null(
		strstr(mt.text, api_fmt("%s: %s, %s", p.emergency_duty,
					p.emergency_name, p.emergency_phone)));
	assert_string_equal(me.auto_submitted, "auto-generated");
	json_t *se = shift_of(s, day, p.emergency);
	json_t *st = shift_of(s, day, p.telephone);
	assert_non_null(se);
	assert_non_null(st);
	assert_false(api_bool(se, "ready"));

	/* The emergency duty confirms with the link of the mail: GET
	 * shows, POST confirms. */
	const char *ready = link_after(s, me.text, "VPN works:\n");
	struct api_resp *r = link_req(s, "GET", ready, 0);
	api_expect_status(r, 200);
	assert_non_null(strstr(r->body, "<form method=\"post\">"));
	assert_false(api_bool(shift_of(s, day, p.emergency), "ready"));
	r = link_req(s, "POST", ready, 1);
	api_expect_json(r, 200);
	assert_true(api_bool(api_obj(r->json, "shift"), "ready"));
	assert_true(api_bool(shift_of(s, day, p.emergency), "ready"));

	/* 16:14: not yet; 16:15: the coordinator is told of the
	 * telephone duty only, once, however often and wherever the check
	 * runs. */
	api_clock_set(open + 14 * MIN);
	shift_check(s, two);
	settle();
	assert_int_equal(mails_count(cm, "Not confirmed: ", day, NULL), 0);
	api_clock_set(open + 15 * MIN + 30 * 1000);
	shift_check(s, two);
	shift_check(s, two);
	struct mail mc = mail_wait(cm, "Not confirmed: ", day);
	assert_non_null(strstr(mc.subject, p.telephone_name));
	assert_non_null(strstr(mc.text, p.telephone_phone));
	api_clock_set(open + 40 * MIN);
	shift_check(s, two);
	settle();
	assert_int_equal(mails_count(cm, "Not confirmed: ", day, NULL), 1);
	assert_int_equal(mails_count(em, "On duty: ", NULL, NULL), 1);
	assert_int_equal(mails_count(tm, "On duty: ", NULL, NULL), 1);
	assert_int_equal(
		mails_count(cm, api_fmt("Not confirmed: %s", p.emergency_name),
			    day, NULL),
		0);
	st = shift_of(s, day, p.telephone);
	assert_true(json_is_string(json_object_get(st, "coordinator_told_at")));

	/* Late, by the API, as the person on duty (others may not). */
	struct api_auth tel;
	api_signin(s, p.telephone_login, API_DEMO_PASSWORD, &tel);
	const char *path = api_fmt("/api/v1/shifts/%lld/ready",
				   (long long)api_int(st, "id"));
	api_assert_problem(api_json(s, &s->viewer, "POST", path, "{}"), 403,
			   "forbidden");
	r = api_json(s, &tel, "POST", path, "{\"note\":\"VPN ok now\"}");
	api_expect_json(r, 200);
	assert_true(api_bool(r->json, "ready"));
	assert_string_equal(api_str(r->json, "ready_note"), "VPN ok now");
	if (two)
		assert_int_equal(api_server_stop(two), 0);
}

static void remind(struct api_server *s, struct api_server *second)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/alerts/remind", NULL);
	api_expect_json(r, 200);
	if (second) {
		r = api_json(second, &second->editor, "POST",
			     "/api/v1/alerts/remind", NULL);
		api_expect_json(r, 200);
	}
}

static void test_hourly_reminder(void **state)
{
	struct api_server *s = *state;
	struct api_server second;
	struct api_server *two = NULL;
	/* Thursday 3 December, 16:05. */
	at_time(s, T0 + 2 * DAY - 25 * MIN);
	if (api_is_pg(s)) {
		assert_int_equal(api_server_attach(&second, s), 0);
		two = &second;
	}
	struct people p = people_now(s);
	const char *tm = mail_of(s, p.telephone);
	/* Nothing open: no reminder. */
	resolve_all(s);
	remind(s, two);
	settle();
	assert_int_equal(mails_count(tm, "[P1] reminder", NULL, NULL), 0);
	/* Two open, one of them acknowledged. */
	int64_t num[2], ids[2];
	for (int i = 0; i < 2; i++) {
		struct api_resp *r = api_json(
			s, &s->editor, "POST", "/api/v1/alerts",
			api_fmt("{\"subject\":\"Reminder case %d\"}", i));
		api_expect_json(r, 201);
		num[i] = api_int(api_obj(r->json, "alert"), "ticket_number");
		ids[i] = api_int(api_obj(r->json, "alert"), "id");
	}
	api_expect_json(api_json(s, &s->viewer, "POST",
				 api_fmt("/api/v1/alerts/%lld/acknowledge",
					 (long long)ids[0]),
				 "{}"),
			200);
	api_clock_advance(2 * MIN);
	remind(s, two);
	remind(s, two);
	struct mail m = mail_wait(tm, "[P1] reminder: 2 open alerts", NULL);
	/* Unacknowledged first. */
	const char *a0 = strstr(m.text, api_fmt("#%lld ", (long long)num[0]));
	const char *a1 = strstr(m.text, api_fmt("#%lld ", (long long)num[1]));
	assert_non_null(a0);
	assert_non_null(a1);
	assert_true(a1 < a0);
	assert_non_null(strstr(a1, "(triggered since"));
	assert_non_null(strstr(a0, "(acknowledged since"));
	/* Once in the hour. */
	api_clock_advance(30 * MIN);
	remind(s, two);
	settle();
	assert_int_equal(mails_count(tm, "[P1] reminder", NULL, NULL), 1);
	/* The next hour (17:07): again, with what is still open. */
	api_expect_json(api_json(s, &s->editor, "POST",
				 api_fmt("/api/v1/alerts/%lld/resolve",
					 (long long)ids[0]),
				 "{}"),
			200);
	api_clock_advance(30 * MIN);
	remind(s, two);
	mail_wait(tm, "[P1] reminder: 1 open alert", NULL);
	settle();
	assert_int_equal(mails_count(tm, "[P1] reminder", NULL, NULL), 2);
	resolve_all(s);
	if (two)
		assert_int_equal(api_server_stop(two), 0);
}

/* The people of the rota and the duties, from the API. */
struct rota {
	int64_t tel, emg;
};

static struct rota rota_duties(struct api_server *s)
{
	struct rota d = {0};
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/duties");
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		if (api_int(v, "slot") == 0)
			d.tel = api_int(v, "id");
		else
			d.emg = api_int(v, "id");
	}
	return d;
}

/* Who holds duty on day (YYYY-MM-DD). */
static int64_t holder(struct api_server *s, const char *day, int64_t duty)
{
	struct api_resp *r =
		api_get(s, &s->viewer,
			api_fmt("/api/v1/rota/days?from=%s&to=%s", day, day));
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		if (api_int(v, "duty_id") == duty)
			return api_int(v, "person_id");
	}
	fail_msg("duty %lld does not run on %s", (long long)duty, day);
	return 0;
}

/* A rota member other than the listed ones, and their login. */
static int64_t member_not(struct api_server *s, const int64_t * not, int n,
			  const char **login)
{
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/rota/members");
	api_expect_json(r, 200);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "items"), i, v)
	{
		int64_t id = api_int(v, "person_id");
		int skip = 0;
		for (int k = 0; k < n; k++)
			skip |= id == not [k];
		if (!skip) {
			*login = api_str(v, "login");
			return id;
		}
	}
	fail_msg("no free rota member");
	return 0;
}

static const char *login_of(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/people/%lld", (long long)id));
	api_expect_json(r, 200);
	return api_str(r->json, "login");
}

static void test_rota_notices(void **state)
{
	struct api_server *s = *state;
	/* Friday 4 December, 10:00. */
	at_time(s, T0 + 3 * DAY - 6 * HOUR - 30 * MIN);
	struct rota d = rota_duties(s);
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/calendar");
	api_expect_json(r, 200);
	int64_t coord = api_int(r->json, "coordinator_id"),
		subst = api_int(r->json, "substitute_id");
	const char *cm = mail_of(s, coord), *sm = mail_of(s, subst);

	/* A swap: Wednesday 9 December's telephone duty to a colleague
	 * on no duty that day. */
	const char *day = "2026-12-09";
	int64_t a = holder(s, day, d.tel), b = holder(s, day, d.emg);
	const char *c_login;
	int64_t busy[] = {a, b, coord, subst};
	int64_t c = member_not(s, busy, 4, &c_login);
	struct api_auth as_a, as_c;
	api_signin(s, login_of(s, a), API_DEMO_PASSWORD, &as_a);
	api_signin(s, c_login, API_DEMO_PASSWORD, &as_c);
	r = api_json(s, &as_a, "POST", "/api/v1/swaps",
		     api_fmt("{\"day\":\"%s\",\"duty_id\":%lld,"
			     "\"colleague_id\":%lld}",
			     day, (long long)d.tel, (long long)c));
	api_expect_json(r, 201);
	int64_t swap = api_int(r->json, "id");
	r = api_json(s, &as_c, "POST",
		     api_fmt("/api/v1/swaps/%lld/accept", (long long)swap),
		     NULL);
	api_expect_json(r, 200);
	const char *subject = api_fmt("Swap accepted: %s", day);
	mail_wait(cm, subject, NULL);
	mail_wait(sm, subject, NULL);
	struct mail m = mail_wait(mail_of(s, a), subject, NULL);
	assert_string_equal(m.auto_submitted, "auto-generated");
	settle();
	/* Nobody else: the colleague who took it knows already. */
	assert_int_equal(mails_count(mail_of(s, c), subject, NULL, NULL), 0);

	/* An absence makes Thursday 10 December's emergency duty
	 * uncovered: the warning reaches coordinator, substitute and the
	 * absent holder, once. */
	const char *uday = "2026-12-10";
	int64_t h = holder(s, uday, d.emg);
	r = api_json(s, &s->editor, "POST", "/api/v1/absences",
		     api_fmt("{\"person_id\":%lld,\"kind\":\"other\","
			     "\"first_day\":\"%s\",\"last_day\":\"%s\"}",
			     (long long)h, uday, uday));
	api_expect_json(r, 201);
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/uncovered/check",
		     NULL);
	api_expect_json(r, 200);
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/uncovered/check",
		     NULL);
	api_expect_json(r, 200);
	const char *usubject = api_fmt("Uncovered: ");
	mail_wait(cm, usubject, uday);
	mail_wait(sm, usubject, uday);
	mail_wait(mail_of(s, h), usubject, uday);
	settle();
	assert_int_equal(mails_count(cm, api_fmt("%s", uday), NULL, NULL), 1);

	/* Sick today (Friday): every ranked candidate is asked. */
	const char *today = "2026-12-04";
	int64_t sick = holder(s, today, d.tel);
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/sick",
		     api_fmt("{\"person_id\":%lld,\"day\":\"%s\"}",
			     (long long)sick, today));
	api_expect_json(r, 201);
	json_t *req =
		json_array_get(json_object_get(r->json, "cover_requests"), 0);
	assert_non_null(req);
	size_t i;
	json_t *cand;
	int asked = 0;
	json_array_foreach(json_object_get(req, "candidates"), i, cand)
	{
		int64_t who = api_int(cand, "person_id");
		m = mail_wait(mail_of(s, who), "Cover needed: ", today);
		asked++;
	}
	assert_true(asked > 0);
	settle();
	assert_int_equal(
		mails_count(mail_of(s, sick), "Cover needed: ", today, NULL),
		0);
	/* The last test of a group: the next engine's group loads its demo
	 * (a plan from the clock's week on) at T0 again. */
	api_clock_set(T0);
}

int main(void)
{
	dd_mail_parse_init();
	if (ut_postfix_start(&relay, NULL) < 0) {
		printf("[  FAILED  ] 1 test(s): Postfix did not start\n");
		return 1;
	}
	setenv("DUTYDESK_SMTP_URL", api_fmt("smtp://127.0.0.1:%d", relay.port),
	       1);
	setenv("DUTYDESK_MAIL_FROM", "support@dutydesk.test", 1);
	if (api_clock_use(T0) < 0) {
		ut_postfix_stop(&relay);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		API_TEST(test_p1_page_by_mail),
		API_TEST(test_shift_start),
		API_TEST(test_hourly_reminder),
		API_TEST(test_rota_notices),
	};
	int failed = API_RUN("alert_mail", tests);
	api_clock_done();
	ut_postfix_stop(&relay);
	return failed;
}
