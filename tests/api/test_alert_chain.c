/*
 * test_alert_chain.c - priority-1 alerting end to end on both engines,
 * with a real webhook receiver on loopback (tests/support/http_sink.h)
 * and a clock the test moves (tests/api/clockfile.h): contact methods
 * verified by the code of their test message; a P1 pages the emergency
 * duty at once, after 10 minutes the coordinator's substitute, after 20
 * the coordinator; a one-click link acknowledges (GET shows, POST acts,
 * once) and stops the escalation, a tampered or reused link is refused,
 * an expired one is gone (410); a customer's reply reopening a resolved
 * P1 re-triggers its alert;
 * a receiver that fails and recovers gets the page exactly once; the
 * technical owner's internal note reaches the communication owner; the
 * phone route dials the telephone duty inside its window and answers
 * voicemail outside; and on PostgreSQL two instances creating 100 P1s
 * send exactly 100 first pages and, escalating concurrently, exactly 100
 * second ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/clockfile.h"
#include "api/harness.h"
#include "base/timefmt.h"
#include "support/http_sink.h"

#define MIN (60 * 1000LL)
/* Tuesday 1 December 2026, 16:30 in Berlin (CET): the afternoon window
 * is open. */
#define T0 1796139000000LL

static struct ut_http_sink *sink;
static int sink_port;
/* The sink's requests before this index belong to earlier tests (and to
 * the other engine's group, whose ids repeat): looked past. */
static int sink_from;

struct people {
	int64_t emergency, telephone, substitute, coordinator;
	const char *telephone_phone;
	const char *emergency_login, *telephone_login;
};

static void sink_free(void *p)
{
	free(p);
}

/* Request i of the sink as JSON (NULL when not JSON) and its head. */
static json_t *sink_json(int i, const char **head)
{
	char *b = ut_http_sink_body(sink, i);
	char *h = ut_http_sink_head(sink, i);
	if (h)
		api_defer(sink_free, h);
	if (head)
		*head = h ? h : "";
	if (!b)
		return NULL;
	json_t *v = json_loads(b, 0, NULL);
	free(b);
	if (v)
		api_defer((void (*)(void *))json_decref, v);
	return v;
}

/* The first request from index *from on whose path is path and whose
 * event is event (and data member key == value when key is set);
 * waits up to 10 s. */
static json_t *sink_find(const char *path, const char *event, const char *key,
			 int64_t value)
{
	for (int waited = 0; waited < 10000; waited += 50) {
		int n = ut_http_sink_requests(sink);
		for (int i = sink_from; i < n; i++) {
			const char *head;
			json_t *v = sink_json(i, &head);
			if (!v || !strstr(head, api_fmt("POST %s ", path)) ||
			    strcmp(api_str(v, "event"), event) != 0)
				continue;
			json_t *data = api_obj(v, "data");
			if (key && api_int(data, key) != value)
				continue;
			return v;
		}
		usleep(50 * 1000);
	}
	return NULL;
}

/* How many requests to path of event carry data.key == value. */
static int sink_count(const char *path, const char *event, const char *key,
		      int64_t value)
{
	int n = ut_http_sink_requests(sink), count = 0;
	for (int i = sink_from; i < n; i++) {
		const char *head;
		json_t *v = sink_json(i, &head);
		if (!v || !strstr(head, api_fmt("POST %s ", path)) ||
		    strcmp(api_str(v, "event"), event) != 0)
			continue;
		if (key && api_int(api_obj(v, "data"), key) != value)
			continue;
		count++;
	}
	return count;
}

/* Per alert first .. first + n - 1: how many pages of event reached
 * path, in one pass over the sink; returns the total. */
static int sink_counts(const char *path, int64_t first, int n, int *counts)
{
	int total = 0, reqs = ut_http_sink_requests(sink);
	memset(counts, 0, sizeof(int) * (size_t)n);
	for (int i = sink_from; i < reqs; i++) {
		const char *head;
		json_t *v = sink_json(i, &head);
		if (!v || !strstr(head, api_fmt("POST %s ", path)) ||
		    strcmp(api_str(v, "event"), "p1.page") != 0)
			continue;
		int64_t a = api_int(api_obj(v, "data"), "alert_id");
		if (a >= first && a < first + n) {
			counts[a - first]++;
			total++;
		}
	}
	return total;
}

/* Who is on duty at the test clock's instant. */
static struct people people_now(struct api_server *s)
{
	struct people p = {0};
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/oncall/now");
	api_expect_json(r, 200);
	json_t *duties = json_object_get(r->json, "duties");
	if (!duties)
		duties = json_object_get(r->json, "items");
	assert_true(json_is_array(duties));
	size_t i;
	json_t *d;
	json_array_foreach(duties, i, d)
	{
		json_t *person = api_obj(d, "person");
		assert_non_null(person);
		if (api_bool(d, "takes_p1")) {
			p.emergency = api_int(person, "id");
			p.emergency_login = api_str(person, "login");
		} else {
			p.telephone = api_int(person, "id");
			p.telephone_phone = api_str(person, "phone");
			p.telephone_login = api_str(person, "login");
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

/* Give person a verified webhook to the sink at /p/ID (once per server
 * and person). */
static void hook_person(struct api_server *s, int64_t person)
{
	const char *base = api_fmt("/api/v1/people/%lld/contact-methods",
				   (long long)person);
	const char *path = api_fmt("/p/%lld", (long long)person);
	struct api_resp *r = api_get(s, &s->admin, base);
	api_expect_json(r, 200);
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(r->json, "items"), i, m)
	{
		if (strstr(api_str(m, "address"), path) &&
		    strstr(api_str(m, "address"), api_fmt(":%d/", sink_port)) &&
		    api_bool(m, "verified"))
			return;
	}
	r = api_json(s, &s->admin, "POST", base,
		     api_fmt("{\"kind\":\"webhook\",\"address\":\"http://"
			     "127.0.0.1:%d%s\",\"label\":\"pager\"}",
			     sink_port, path));
	api_expect_json(r, 201);
	assert_false(api_bool(r->json, "verified"));
	int64_t id = api_int(r->json, "id");
	/* The test message carries the code. */
	json_t *msg = sink_find(path, "contact.test", "contact_method_id", id);
	assert_non_null(msg);
	const char *code = api_str(api_obj(msg, "data"), "code");
	assert_int_equal(strlen(code), 6);
	/* A wrong code first: refused, counted. */
	const char *wrong = strcmp(code, "000000") == 0 ? "000001" : "000000";
	r = api_json(s, &s->admin, "POST",
		     api_fmt("%s/%lld/verify", base, (long long)id),
		     api_fmt("{\"code\":\"%s\"}", wrong));
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->admin, "POST",
		     api_fmt("%s/%lld/verify", base, (long long)id),
		     api_fmt("{\"code\":\"%s\"}", code));
	api_expect_json(r, 200);
	assert_true(api_bool(r->json, "verified"));
}

static json_t *raise_p1(struct api_server *s, const char *subject)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/alerts",
			 api_fmt("{\"subject\":\"%s\"}", api_unique(subject)));
	api_expect_json(r, 201);
	return r->json;
}

static json_t *alert_get(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/alerts/%lld", (long long)id));
	api_expect_json(r, 200);
	return r->json;
}

/* The people paged at step (each person once, however many of their
 * contact methods got it); only person when not 0. */
static int pages_of_step(json_t *alert_with_pages, int step, int64_t person)
{
	int64_t seen[64];
	int n = 0;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(alert_with_pages, "pages"), i, p)
	{
		int64_t who = api_int(p, "person_id");
		int dup = 0;
		if (strcmp(api_str(p, "kind"), "page") != 0 ||
		    api_int(p, "step") != step || (person && who != person))
			continue;
		for (int k = 0; k < n; k++)
			dup |= seen[k] == who;
		if (!dup && n < 64)
			seen[n++] = who;
	}
	return n;
}

/* Set the servers' time and sign the demo sessions in again (a session
 * ends after a day without use, and the tests jump days). */
static void at_time(struct api_server *s, int64_t ms)
{
	sink_from = ut_http_sink_requests(sink);
	api_clock_set(ms);
	api_signin(s, "hbrandt", API_DEMO_PASSWORD, &s->admin);
	api_signin(s, "mvogel", API_DEMO_PASSWORD, &s->editor);
	api_signin(s, "jweber", API_DEMO_PASSWORD, &s->viewer);
}

static void escalate(struct api_server *s)
{
	struct api_resp *r = api_json(s, &s->editor, "POST",
				      "/api/v1/alerts/escalate", NULL);
	api_expect_json(r, 200);
}

/* ---- tests ---- */

static void test_chain_step_by_step(void **state)
{
	struct api_server *s = *state;
	at_time(s, T0);
	struct people p = people_now(s);
	hook_person(s, p.emergency);
	hook_person(s, p.substitute);
	hook_person(s, p.coordinator);

	json_t *created = raise_p1(s, "VPN down at Acme");
	json_t *a = api_obj(created, "alert");
	int64_t id = api_int(a, "id");
	assert_string_equal(api_str(a, "state"), "triggered");
	assert_int_equal(api_int(a, "tech_owner_id"), p.emergency);
	assert_int_equal(api_int(a, "comm_owner_id"), p.telephone);
	/* Step 0 at once: the emergency duty, through its webhook. */
	assert_int_equal(pages_of_step(created, 0, p.emergency), 1);
	json_t *page = sink_find(api_fmt("/p/%lld", (long long)p.emergency),
				 "p1.page", "alert_id", id);
	assert_non_null(page);
	assert_int_equal(api_int(api_obj(page, "data"), "step"), 0);
	assert_non_null(strstr(api_str(page, "subject"), "[P1]"));
	assert_non_null(strstr(api_str(api_obj(page, "links"), "acknowledge"),
			       "/api/v1/ack/a1."));

	/* Nine minutes: nothing more. */
	api_clock_advance(9 * MIN);
	escalate(s);
	json_t *now = alert_get(s, id);
	assert_int_equal(pages_of_step(now, 1, 0), 0);
	/* Ten minutes: the coordinator's substitute. */
	api_clock_advance(1 * MIN);
	escalate(s);
	now = alert_get(s, id);
	assert_int_equal(pages_of_step(now, 1, p.substitute), 1);
	assert_int_equal(pages_of_step(now, 2, 0), 0);
	assert_non_null(sink_find(api_fmt("/p/%lld", (long long)p.substitute),
				  "p1.page", "alert_id", id));
	/* Twenty minutes: the coordinator; then nothing is left. */
	api_clock_advance(10 * MIN);
	escalate(s);
	escalate(s);
	now = alert_get(s, id);
	assert_int_equal(pages_of_step(now, 2, p.coordinator), 1);
	assert_int_equal(pages_of_step(now, 1, 0), 1);
	assert_true(json_is_null(
		json_object_get(api_obj(now, "alert"), "next_escalation_at")));
	assert_non_null(sink_find(api_fmt("/p/%lld", (long long)p.coordinator),
				  "p1.page", "alert_id", id));
	api_clock_advance(60 * MIN);
	escalate(s);
	now = alert_get(s, id);
	assert_int_equal(pages_of_step(now, 3, 0), 0);
	assert_int_equal(pages_of_step(now, 0, 0), 1);
	/* The API acknowledges; a second acknowledgement is a conflict. */
	struct api_resp *r = api_json(
		s, &s->viewer, "POST",
		api_fmt("/api/v1/alerts/%lld/acknowledge", (long long)id),
		"{}");
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "alert"), "state"),
			    "acknowledged");
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/alerts/%lld/acknowledge", (long long)id),
		     "{}");
	api_assert_problem(r, 409, "conflict");
	r = api_get(s, &s->viewer, "/api/v1/alerts?state=acknowledged");
	api_expect_json(r, 200);
	r = api_get(s, &s->viewer, "/api/v1/alerts?state=lost");
	api_assert_problem(r, 400, "validation-failed");
}

/* The path of a link (they start with the server's own address). */
static const char *link_path(const char *url)
{
	const char *p = url ? strstr(url, "/api/v1/ack/") : NULL;
	assert_non_null(p);
	return p;
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

static void test_ack_by_link(void **state)
{
	struct api_server *s = *state;
	at_time(s, T0 + 24 * 60 * MIN); /* Wednesday, 16:30 */
	struct people p = people_now(s);
	hook_person(s, p.emergency);
	int64_t id =
		api_int(api_obj(raise_p1(s, "Leitstand down"), "alert"), "id");
	json_t *page = sink_find(api_fmt("/p/%lld", (long long)p.emergency),
				 "p1.page", "alert_id", id);
	assert_non_null(page);
	const char *ack =
		link_path(api_str(api_obj(page, "links"), "acknowledge"));
	const char *res = link_path(api_str(api_obj(page, "links"), "resolve"));

	/* GET shows and changes nothing, as often as it is fetched. */
	for (int i = 0; i < 2; i++) {
		struct api_resp *r = link_req(s, "GET", ack, 1);
		api_expect_json(r, 200);
		assert_false(api_bool(r->json, "used"));
		assert_string_equal(api_str(api_obj(r->json, "alert"), "state"),
				    "triggered");
	}
	struct api_resp *r = link_req(s, "GET", ack, 0);
	api_expect_status(r, 200);
	assert_non_null(strstr(r->content_type, "text/html"));
	assert_non_null(strstr(r->body, "<form method=\"post\">"));

	/* Tampered: another alert, another action, a changed signature. */
	char *bad = (char *)api_fmt("%s", ack);
	size_t n = strlen(bad);
	bad[n - 1] = bad[n - 1] == 'a' ? 'b' : 'a';
	api_assert_problem(link_req(s, "POST", bad, 1), 403, "forbidden");
	api_assert_problem(link_req(s, "GET", bad, 1), 403, "forbidden");
	const char *other =
		api_fmt("/api/v1/ack/a1.%lld%s", (long long)id + 1,
			strchr(ack + strlen("/api/v1/ack/a1."), '.'));
	api_assert_problem(link_req(s, "POST", other, 1), 403, "forbidden");
	const char *as_resolve =
		api_fmt("/api/v1/ack/a1.%lld.resolve%s", (long long)id,
			strstr(ack, ".ack") + 4);
	api_assert_problem(link_req(s, "POST", as_resolve, 1), 403,
			   "forbidden");
	r = link_req(s, "GET", bad, 0);
	api_expect_status(r, 403);
	assert_non_null(strstr(r->body, "cannot be used"));

	/* One click acts, as the person paged, once. */
	r = link_req(s, "POST", ack, 1);
	api_expect_json(r, 200);
	assert_true(api_bool(r->json, "changed"));
	json_t *a = api_obj(r->json, "alert");
	assert_string_equal(api_str(a, "state"), "acknowledged");
	assert_string_equal(api_str(a, "acknowledged_via"), "link");
	assert_int_equal(api_int(a, "acknowledged_by"), p.emergency);
	api_assert_problem(link_req(s, "POST", ack, 1), 409, "conflict");
	r = link_req(s, "GET", ack, 1);
	api_expect_json(r, 200);
	assert_true(api_bool(r->json, "used"));

	/* Acknowledged: the substitute is never paged. */
	api_clock_advance(30 * MIN);
	escalate(s);
	json_t *now = alert_get(s, id);
	assert_int_equal(pages_of_step(now, 1, 0), 0);
	assert_int_equal(pages_of_step(now, 2, 0), 0);

	/* The resolve link of the same page still works, once. */
	r = link_req(s, "POST", res, 1);
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "alert"), "state"),
			    "resolved");
	api_assert_problem(link_req(s, "POST", res, 1), 409, "conflict");
	api_assert_problem(
		api_json(s, &s->viewer, "POST",
			 api_fmt("/api/v1/alerts/%lld/resolve", (long long)id),
			 "{}"),
		409, "conflict");
	/* The link is no credential for anything else. */
	const char *token = ack + strlen("/api/v1/ack/");
	static const char *hdr[2];
	hdr[0] = api_fmt("Authorization: Bearer %s", token);
	struct api_req q = {
		.method = "GET", .path = "/api/v1/alerts", .headers = hdr};
	api_expect_status(api_send(s, &q), 401);
}

static void test_receiver_fails_then_recovers(void **state)
{
	struct api_server *s = *state;
	at_time(s, T0 + 2 * 24 * 60 * MIN); /* Thursday, 16:30 */
	struct people p = people_now(s);
	hook_person(s, p.emergency);
	const char *path = api_fmt("/p/%lld", (long long)p.emergency);
	ut_http_sink_fail_next(sink, 2, 503);
	json_t *created = raise_p1(s, "Receiver flaps");
	int64_t id = api_int(api_obj(created, "alert"), "id");
	/* The webhook's message (the person's e-mail has its own). */
	int64_t outbox = 0;
	size_t k;
	json_t *pg;
	json_array_foreach(json_object_get(created, "pages"), k, pg)
	{
		struct api_resp *o =
			api_get(s, &s->admin,
				api_fmt("/api/v1/outbox/%lld",
					(long long)api_int(pg, "outbox_id")));
		api_expect_json(o, 200);
		if (strcmp(api_str(o->json, "kind"), "webhook") == 0)
			outbox = api_int(pg, "outbox_id");
	}
	assert_true(outbox > 0);
	/* First attempt refused; the retry waits for its backoff, which
	 * the test clock makes pass. */
	int64_t deadline = 0;
	while (sink_count(path, "p1.page", "alert_id", id) < 3 &&
	       deadline < 600) {
		api_clock_advance(2 * MIN);
		usleep(100 * 1000);
		deadline++;
	}
	assert_int_equal(sink_count(path, "p1.page", "alert_id", id), 3);
	/* Delivered: no more attempts, however long we wait. */
	struct api_resp *r;
	for (int i = 0; i < 50; i++) {
		r = api_get(s, &s->admin,
			    api_fmt("/api/v1/outbox/%lld", (long long)outbox));
		api_expect_json(r, 200);
		if (strcmp(api_str(r->json, "status"), "delivered") == 0)
			break;
		usleep(100 * 1000);
	}
	assert_string_equal(api_str(r->json, "status"), "delivered");
	assert_int_equal(api_int(r->json, "attempts"), 3);
	api_clock_advance(60 * MIN);
	usleep(800 * 1000);
	assert_int_equal(sink_count(path, "p1.page", "alert_id", id), 3);
	/* The alert escalated meanwhile: acknowledge to stop it. */
	api_json(s, &s->viewer, "POST",
		 api_fmt("/api/v1/alerts/%lld/resolve", (long long)id), "{}");
}

static void test_note_reaches_comm_owner(void **state)
{
	struct api_server *s = *state;
	struct api_auth tech;
	at_time(s, T0 + 3 * 24 * 60 * MIN); /* Friday, 16:30 */
	struct people p = people_now(s);
	hook_person(s, p.telephone);
	json_t *created = raise_p1(s, "Störung Leitstand");
	int64_t ticket = api_int(api_obj(created, "alert"), "ticket_id");
	api_signin(s, p.emergency_login, API_DEMO_PASSWORD, &tech);
	struct api_resp *r = api_json(
		s, &tech, "POST",
		api_fmt("/api/v1/tickets/%lld/articles", (long long)ticket),
		"{\"kind\":\"internal_note\",\"body\":\"Router restarted, "
		"customer may test.\"}");
	api_expect_json(r, 201);
	json_t *note = sink_find(api_fmt("/p/%lld", (long long)p.telephone),
				 "p1.note", "ticket_id", ticket);
	assert_non_null(note);
	assert_non_null(strstr(api_str(note, "text"), "Router restarted"));
	/* A note by someone else notifies nobody. */
	r = api_json(
		s, &s->editor, "POST",
		api_fmt("/api/v1/tickets/%lld/articles", (long long)ticket),
		"{\"kind\":\"internal_note\",\"body\":\"Not the owner.\"}");
	api_expect_json(r, 201);
	usleep(500 * 1000);
	assert_int_equal(sink_count(api_fmt("/p/%lld", (long long)p.telephone),
				    "p1.note", "ticket_id", ticket),
			 1);
	/* Resolving the ticket resolves its alert. */
	r = api_json(s, &s->editor, "PATCH",
		     api_fmt("/api/v1/tickets/%lld", (long long)ticket),
		     "{\"status\":\"resolved\"}");
	api_expect_json(r, 200);
	json_t *a = alert_get(s, api_int(api_obj(created, "alert"), "id"));
	assert_string_equal(api_str(api_obj(a, "alert"), "state"), "resolved");
}

static void test_phone_route(void **state)
{
	struct api_server *s = *state;
	struct api_auth pbx, reader;
	at_time(s, T0 + 7 * 24 * 60 * MIN); /* next Tuesday, 16:30 */
	struct people p = people_now(s);
	api_token_cli(s, "hbrandt", "phone:route", &pbx);
	api_token_cli(s, "hbrandt", "read", &reader);
	struct api_resp *r = api_get(s, &pbx, "/api/v1/phone/route");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "action"), "dial");
	assert_string_equal(api_str(r->json, "number"), p.telephone_phone);
	assert_int_equal(api_int(api_obj(r->json, "person"), "id"),
			 p.telephone);
	r = api_get(s, &pbx, "/api/v1/phone/route?format=text");
	api_expect_status(r, 200);
	assert_non_null(strstr(r->content_type, "text/plain"));
	assert_string_equal(r->body, api_fmt("%s\n", p.telephone_phone));
	/* 18:30: the answering machine. */
	api_clock_advance(120 * MIN);
	r = api_get(s, &pbx, "/api/v1/phone/route");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "action"), "voicemail");
	assert_string_equal(api_str(r->json, "reason"), "window closed");
	assert_null(json_object_get(r->json, "number"));
	static const char *const plain[] = {"Accept: text/plain", NULL};
	struct api_req q = {.method = "GET",
			    .path = "/api/v1/phone/route",
			    .auth = &pbx,
			    .headers = plain};
	r = api_send(s, &q);
	api_expect_status(r, 200);
	assert_string_equal(r->body, "voicemail\n");
	/* 17:59 by ?at: still dialling. */
	char at[DD_TIME_RFC3339_LEN];
	dd_time_format_rfc3339(T0 + 7 * 24 * 60 * MIN + 89 * MIN, at);
	r = api_get(s, &pbx, api_fmt("/api/v1/phone/route?at=%s", at));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "action"), "dial");
	/* Scope, arguments. */
	api_assert_problem(api_get(s, &reader, "/api/v1/phone/route"), 403,
			   "forbidden");
	api_assert_problem(api_get(s, NULL, "/api/v1/phone/route"), 401,
			   "unauthenticated");
	api_assert_problem(api_get(s, &pbx, "/api/v1/phone/route?format=xml"),
			   400, "validation-failed");
	api_assert_problem(api_get(s, &pbx, "/api/v1/phone/route?at=soon"), 400,
			   "validation-failed");
	api_assert_problem(
		api_get(s, &pbx, "/api/v1/phone/route?duty_id=999999"), 404,
		"not-found");
}

static void test_contact_method_rules(void **state)
{
	struct api_server *s = *state;
	int64_t me = s->viewer.person_id;
	const char *base =
		api_fmt("/api/v1/people/%lld/contact-methods", (long long)me);
	/* A viewer adds an e-mail address for themselves, not a webhook,
	 * and nothing for others. */
	struct api_resp *r = api_json(
		s, &s->viewer, "POST", base,
		"{\"kind\":\"webhook\",\"address\":\"http://127.0.0.1:1/x\"}");
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/people/%lld/contact-methods",
			     (long long)s->admin.person_id),
		     "{\"kind\":\"email\",\"address\":\"x@example.org\"}");
	api_assert_problem(r, 403, "forbidden");
	r = api_json(s, &s->viewer, "POST", base,
		     api_fmt("{\"kind\":\"email\",\"address\":\"%s@example."
			     "org\"}",
			     api_unique("me")));
	api_expect_json(r, 201);
	assert_false(api_bool(r->json, "verified"));
	int64_t id = api_int(r->json, "id");
	const char *bad[] = {
		"{\"kind\":\"sms\",\"address\":\"+4989\"}",
		"{\"kind\":\"email\",\"address\":\"not an address\"}",
		"{\"kind\":\"email\",\"address\":\"a@b.org\",\"format\":"
		"\"slack\"}",
		"{\"kind\":\"webhook\",\"address\":\"ftp://x.org/\"}",
		"{\"kind\":\"webhook\",\"address\":\"http://u:p@x.org/\"}",
		"{\"kind\":\"email\",\"address\":\"a@b.org\",\"extra\":1}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		api_assert_problem(api_json(s, &s->admin, "POST", base, bad[i]),
				   400, NULL);
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("%s/%lld/verify", base, (long long)id),
		     "{\"code\":\"12345\"}");
	api_assert_problem(r, 400, "validation-failed");
	/* Five wrong codes use the code up. */
	for (int i = 0; i < 5; i++)
		api_json(s, &s->viewer, "POST",
			 api_fmt("%s/%lld/verify", base, (long long)id),
			 "{\"code\":\"999999\"}");
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("%s/%lld/verify", base, (long long)id),
		     "{\"code\":\"999999\"}");
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("%s/%lld/test", base, (long long)id), NULL);
	api_expect_json(r, 202);
	r = api_get(s, &s->viewer, base);
	api_expect_json(r, 200);
	api_expect_status(api_delete(s, &s->viewer,
				     api_fmt("%s/%lld", base, (long long)id)),
			  204);
	api_assert_problem(
		api_get(s, &s->viewer, api_fmt("%s/%lld", base, (long long)id)),
		404, "not-found");
}

/* A sick-day report asks every ranked candidate through the outbox, in
 * the report's transaction (the demo people have verified e-mail). */
static void test_sick_request_notifies(void **state)
{
	struct api_server *s = *state;
	at_time(s, T0 + 6 * 24 * 60 * MIN - 6 * 60 * MIN); /* Mon 10:30 */
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/rota/days");
	api_expect_json(r, 200);
	json_t *day0 = json_array_get(json_object_get(r->json, "items"), 0);
	assert_non_null(day0);
	int64_t holder = api_int(day0, "person_id");
	r = api_json(s, &s->editor, "POST", "/api/v1/rota/sick",
		     api_fmt("{\"person_id\":%lld,\"day\":\"%s\"}",
			     (long long)holder, api_str(day0, "day")));
	api_expect_json(r, 201);
	json_t *req =
		json_array_get(json_object_get(r->json, "cover_requests"), 0);
	assert_non_null(req);
	int64_t id = api_int(req, "id");
	size_t candidates = json_array_size(json_object_get(req, "candidates"));
	assert_true(candidates > 0);
	r = api_get(s, &s->admin, "/api/v1/outbox?limit=200");
	api_expect_json(r, 200);
	json_t *outbox = json_object_get(r->json, "items");
	/* Every candidate, at their e-mail address (and any other verified
	 * method an earlier test gave them). */
	size_t i, k;
	json_t *c, *m;
	json_array_foreach(json_object_get(req, "candidates"), k, c)
	{
		struct api_resp *pr =
			api_get(s, &s->viewer,
				api_fmt("/api/v1/people/%lld",
					(long long)api_int(c, "person_id")));
		api_expect_json(pr, 200);
		int asked = 0;
		json_array_foreach(outbox, i, m)
		{
			if (strcmp(api_str(m, "purpose"),
				   "rota.sick.request") == 0 &&
			    api_int(m, "ref_id") == id &&
			    strcmp(api_str(m, "target"),
				   api_str(pr->json, "email")) == 0)
				asked++;
		}
		assert_int_equal(asked, 1);
	}
}

/* A genuine link past its 24 hours is gone (410), not forbidden: the
 * person is told to sign in instead. */
static void test_expired_link_is_gone(void **state)
{
	struct api_server *s = *state;
	at_time(s, T0 + 10 * 24 * 60 * MIN); /* Friday a week on, 16:30 */
	struct people p = people_now(s);
	hook_person(s, p.emergency);
	int64_t id = api_int(api_obj(raise_p1(s, "Old page"), "alert"), "id");
	json_t *page = sink_find(api_fmt("/p/%lld", (long long)p.emergency),
				 "p1.page", "alert_id", id);
	assert_non_null(page);
	const char *ack =
		link_path(api_str(api_obj(page, "links"), "acknowledge"));
	/* One minute before the end it still shows. */
	api_clock_advance(24 * 60 * MIN - 1 * MIN);
	api_expect_json(link_req(s, "GET", ack, 1), 200);
	api_clock_advance(1 * MIN);
	api_assert_problem(link_req(s, "GET", ack, 1), 410, "gone");
	api_assert_problem(link_req(s, "POST", ack, 1), 410, "gone");
	struct api_resp *r = link_req(s, "POST", ack, 0);
	api_expect_status(r, 410);
	assert_non_null(strstr(r->content_type, "text/html"));
	assert_non_null(strstr(r->body, "expired"));
	/* Nothing happened to the alert. */
	at_time(s, api_clock_now());
	json_t *a = alert_get(s, id);
	assert_string_equal(api_str(api_obj(a, "alert"), "state"), "triggered");
	api_expect_json(
		api_json(s, &s->viewer, "POST",
			 api_fmt("/api/v1/alerts/%lld/resolve", (long long)id),
			 "{}"),
		200);
}

/* A customer's reply reopening a resolved P1 re-triggers the same
 * alert: step 0 is paged again and the escalation runs again. */
static void test_customer_reply_retriggers(void **state)
{
	struct api_server *s = *state;
	at_time(s, T0 + 9 * 24 * 60 * MIN); /* Thursday a week on, 16:30 */
	struct people p = people_now(s);
	hook_person(s, p.emergency);
	hook_person(s, p.substitute);
	json_t *created = raise_p1(s, "Mail server down");
	int64_t id = api_int(api_obj(created, "alert"), "id");
	int64_t ticket = api_int(api_obj(created, "alert"), "ticket_id");
	const char *ep = api_fmt("/p/%lld", (long long)p.emergency);
	assert_non_null(sink_find(ep, "p1.page", "alert_id", id));
	struct api_resp *r =
		api_json(s, &s->editor, "PATCH",
			 api_fmt("/api/v1/tickets/%lld", (long long)ticket),
			 "{\"status\":\"resolved\"}");
	api_expect_json(r, 200);
	json_t *a = alert_get(s, id);
	assert_string_equal(api_str(api_obj(a, "alert"), "state"), "resolved");
	/* An internal note reopens nothing. */
	r = api_json(
		s, &s->editor, "POST",
		api_fmt("/api/v1/tickets/%lld/articles", (long long)ticket),
		"{\"kind\":\"internal_note\",\"body\":\"done\"}");
	api_expect_json(r, 201);
	a = alert_get(s, id);
	assert_string_equal(api_str(api_obj(a, "alert"), "state"), "resolved");
	/* The customer writes again: reopened, the same alert triggered. */
	api_clock_advance(5 * MIN);
	r = api_json(
		s, &s->viewer, "POST",
		api_fmt("/api/v1/tickets/%lld/articles", (long long)ticket),
		"{\"kind\":\"inbound_mail\",\"body\":\"Still down!\"}");
	api_expect_json(r, 201);
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/tickets/%lld", (long long)ticket));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "open");
	a = alert_get(s, id);
	json_t *al = api_obj(a, "alert");
	assert_string_equal(api_str(al, "state"), "triggered");
	assert_int_equal(api_int(al, "id"), id);
	/* Step 0 was paged again (on every method, as the first time);
	 * the page log keeps the first round. */
	int step0[2] = {0, 0};
	json_t *logs[2] = {json_object_get(created, "pages"),
			   json_object_get(a, "pages")};
	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *pg;
		json_array_foreach(logs[k], i, pg)
		{
			step0[k] += strcmp(api_str(pg, "kind"), "page") == 0 &&
				    api_int(pg, "step") == 0 &&
				    api_int(pg, "person_id") == p.emergency &&
				    strcmp(api_str(pg, "note"), "on duty") == 0;
		}
	}
	assert_true(step0[0] >= 1);
	assert_int_equal(step0[1], 2 * step0[0]);
	for (int w = 0;
	     w < 100 && sink_count(ep, "p1.page", "alert_id", id) < 2; w++)
		usleep(100 * 1000);
	assert_int_equal(sink_count(ep, "p1.page", "alert_id", id), 2);
	/* And escalates again from there: ten minutes on, the substitute. */
	api_clock_advance(10 * MIN);
	escalate(s);
	a = alert_get(s, id);
	assert_int_equal(pages_of_step(a, 1, p.substitute), 1);
	api_json(s, &s->editor, "POST",
		 api_fmt("/api/v1/alerts/%lld/resolve", (long long)id), "{}");
}

/* Several instances: 100 P1s created through two servers on one
 * PostgreSQL give exactly 100 first pages, and both servers' escalation
 * jobs racing on them give exactly 100 second pages. */
static void test_two_instances_hundred_p1s(void **state)
{
	struct api_server *s = *state;
	/* The last test of a group: the next engine's group loads its demo
	 * (a plan from the clock's week on) at T0 again. */
	api_clock_set(T0);
	if (!api_is_pg(s))
		skip();
	struct api_server second;
	at_time(s, T0 + 8 * 24 * 60 * MIN); /* next Wednesday, 16:30 */
	struct people p = people_now(s);
	hook_person(s, p.emergency);
	hook_person(s, p.substitute);
	assert_int_equal(api_server_attach(&second, s), 0);
	int64_t first_id = 0;
	for (int i = 0; i < 100; i++) {
		struct api_server *via = i % 2 ? &second : s;
		struct api_resp *r =
			api_json(via, &via->editor, "POST", "/api/v1/alerts",
				 api_fmt("{\"subject\":\"Storm %d\"}", i));
		api_expect_json(r, 201);
		if (i == 0)
			first_id = api_int(api_obj(r->json, "alert"), "id");
	}
	const char *ep = api_fmt("/p/%lld", (long long)p.emergency);
	const char *sp = api_fmt("/p/%lld", (long long)p.substitute);
	int counts[100];
	for (int waited = 0; waited < 300; waited++) {
		if (sink_counts(ep, first_id, 100, counts) >= 100)
			break;
		usleep(100 * 1000);
	}
	usleep(1000 * 1000);
	int total = sink_counts(ep, first_id, 100, counts);
	for (int i = 0; i < 100; i++)
		if (counts[i] != 1) {
			fprintf(stderr, "alert %lld: %d first pages\n",
				(long long)(first_id + i), counts[i]);
			api_resp_print(
				api_get(s, &s->admin,
					api_fmt("/api/v1/alerts/%lld",
						(long long)(first_id + i))));
		}
	assert_int_equal(total, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(counts[i], 1);
	/* Ten minutes later both instances' jobs escalate all at once. */
	api_clock_advance(10 * MIN);
	for (int waited = 0; waited < 300; waited++) {
		if (sink_counts(sp, first_id, 100, counts) >= 100)
			break;
		usleep(100 * 1000);
	}
	usleep(1000 * 1000);
	assert_int_equal(sink_counts(sp, first_id, 100, counts), 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(counts[i], 1);
	assert_int_equal(api_server_stop(&second), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_chain_step_by_step),
		API_TEST(test_ack_by_link),
		API_TEST(test_receiver_fails_then_recovers),
		API_TEST(test_note_reaches_comm_owner),
		API_TEST(test_phone_route),
		API_TEST(test_contact_method_rules),
		API_TEST(test_sick_request_notifies),
		API_TEST(test_expired_link_is_gone),
		API_TEST(test_customer_reply_retriggers),
		API_TEST(test_two_instances_hundred_p1s),
	};
	if (api_clock_use(T0) < 0 || ut_http_sink_start(&sink, &sink_port) < 0)
		return 1;
	int failed = API_RUN("alert_chain", tests);
	ut_http_sink_stop(sink);
	api_clock_done();
	return failed;
}
