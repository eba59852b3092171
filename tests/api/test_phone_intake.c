/*
 * test_phone_intake.c - POST /api/v1/tickets/phone on both engines: a
 * known contact's call, a number only an organisation's prefix covers
 * (the longest wins), an unknown caller flagged for completion, the note
 * as the first (internal, phone) article, assignment rules applied and
 * recorded as "ticket.rule" events, a priority-1 call with today's
 * telephone and emergency duty as owners, and bad input (a number that
 * is not international, a note of 1 MB, unknown fields) refused with
 * nothing half-written: the ticket counter has not moved. The lookup
 * (GET /api/v1/tickets/phone/lookup) finds what the intake files a call
 * under, for every kind of match, and writes nothing.
 *
 * Each test makes its own organisations (with number blocks no other
 * test uses) and its rules name only them, so tickets elsewhere never
 * match.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/harness.h"
#include "base/date.h"
#include "base/tz.h"

/* ---- helpers ---- */

/* A fresh number block "+49 5DDDD" for this test's organisation. */
static const char *block(void)
{
	static int n;
	return api_fmt("+49 5%04d%03d", (int)(getpid() % 10000), ++n);
}

static int64_t org_new(struct api_server *s, const char *prefix, int64_t pm)
{
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/organisations",
		api_fmt("{\"name\":\"%s\",\"phone_prefixes\":[\"%s\"]%s}",
			api_unique("Caller Org"), prefix,
			pm ? api_fmt(",\"project_manager_id\":%lld",
				     (long long)pm)
			   : ""));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static int64_t contact_new(struct api_server *s, const char *phone,
			   const char *orgs)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/contacts",
			 api_fmt("{\"name\":\"%s\",\"phone\":\"%s\","
				 "\"organisation_ids\":[%s]}",
				 api_unique("Caller"), phone, orgs));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static struct api_resp *call(struct api_server *s, const struct api_auth *a,
			     const char *body)
{
	return api_json(s, a, "POST", "/api/v1/tickets/phone", body);
}

/* The ticket of a 201 answer, checked for what every phone ticket has. */
static json_t *ticket_of(struct api_resp *r, const char *matched)
{
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "matched"), matched);
	json_t *t = api_obj(r->json, "ticket");
	assert_non_null(t);
	assert_string_equal(api_str(t, "channel"), "phone");
	assert_string_equal(api_str(t, "status"), "new");
	assert_non_null(r->location);
	assert_string_equal(r->location, api_fmt("/api/v1/tickets/%lld",
						 (long long)api_int(t, "id")));
	assert_string_equal(r->etag, api_fmt("\"v%lld\"",
					     (long long)api_int(t, "version")));
	assert_true(api_int(r->json, "article_id") > 0);
	return t;
}

/* Events on a ticket, oldest first is not needed: count by action. */
static json_t *ticket_events(struct api_server *s, int64_t ticket)
{
	struct api_resp *r = api_get(
		s, &s->admin,
		api_fmt("/api/v1/events?object_type=ticket&object_id=%lld"
			"&limit=500",
			(long long)ticket));
	api_expect_json(r, 200);
	return json_object_get(r->json, "items");
}

static int count_action(json_t *events, const char *action)
{
	int n = 0;
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		n += strcmp(api_str(ev, "action"), action) == 0;
	}
	return n;
}

/* The number the next ticket will get, by making one: after refused
 * requests it must be exactly one more than before them. */
static int64_t next_number(struct api_server *s)
{
	struct api_resp *r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
				      "{\"subject\":\"counter probe\"}");
	api_expect_json(r, 201);
	return api_int(r->json, "number");
}

static int64_t today_berlin(void)
{
	struct dd_tz *tz;
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &tz, &err) < 0)
		fail_msg("cannot load Europe/Berlin: %s", err.msg);
	int64_t day = dd_tz_local_day(tz, (int64_t)time(NULL));
	dd_tz_free(tz);
	return day;
}

/* Today's holder of the duty named name (0 when nobody). */
static int64_t holder_today(struct api_server *s, const char *name)
{
	char text[DD_DATE_TEXT_LEN];
	dd_date_format(today_berlin(), text);
	struct api_resp *r =
		api_get(s, &s->viewer,
			api_fmt("/api/v1/rota/days?from=%s&to=%s", text, text));
	api_expect_json(r, 200);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r->json, "items"), i, d)
	{
		if (strcmp(api_str(d, "duty"), name) == 0) {
			int64_t p = api_int(d, "person_id");
			return p == API_MISSING ? 0 : p;
		}
	}
	return 0;
}

static int64_t id_or_zero(json_t *t, const char *key)
{
	json_t *v = json_object_get(t, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* ---- tests ---- */

static void test_known_contact(void **state)
{
	struct api_server *s = *state;
	const char *prefix = block();
	int64_t org = org_new(s, prefix, 0);
	int64_t contact = contact_new(s, api_fmt("%s 77", prefix),
				      api_fmt("%lld", (long long)org));
	/* The caller's number as a phone system may send it. */
	char caller[64];
	snprintf(caller, sizeof(caller), "00%s-77", prefix + 1);
	struct api_resp *r =
		call(s, &s->viewer,
		     api_fmt("{\"caller\":\"%s\",\"note\":\"Drucker im Lager "
			     "streikt\\nSeit heute früh, Modell XY.\"}",
			     caller));
	json_t *t = ticket_of(r, "contact");
	assert_int_equal(api_int(t, "contact_id"), contact);
	assert_int_equal(api_int(t, "organisation_id"), org);
	assert_false(api_bool(t, "needs_completion"));
	assert_string_equal(api_str(t, "subject"), "Drucker im Lager streikt");
	assert_int_equal(api_int(t, "priority"), 3);
	char e164[32];
	size_t n = 0;
	for (const char *p = prefix; *p; p++)
		if (*p != ' ')
			e164[n++] = *p;
	strcpy(e164 + n, "77");
	assert_string_equal(api_str(t, "caller_phone"), e164);

	/* The note is the first article: internal, a phone note by the
	 * person who took the call, found by search. */
	int64_t id = api_int(t, "id");
	json_t *events = ticket_events(s, id);
	assert_int_equal(count_action(events, "ticket.create"), 1);
	assert_int_equal(count_action(events, "ticket.article"), 1);
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/tickets/%lld/articles", (long long)id));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *a = json_array_get(items, 0);
	assert_string_equal(api_str(a, "kind"), "phone_note");
	assert_string_equal(api_str(a, "visibility"), "internal");
	assert_int_equal(api_int(a, "author_id"), s->viewer.person_id);
	assert_string_equal(api_str(a, "body"), "Drucker im Lager streikt\n"
						"Seit heute früh, Modell XY.");
	/* A given subject wins over the note's first line. */
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s\",\"note\":\"Rückruf erbeten\","
			 "\"subject\":\"Rechnung März\",\"priority\":2}",
			 caller));
	t = ticket_of(r, "contact");
	assert_string_equal(api_str(t, "subject"), "Rechnung März");
	assert_int_equal(api_int(t, "priority"), 2);
}

static void test_prefix_match(void **state)
{
	struct api_server *s = *state;
	const char *wide = block();
	const char *narrow = api_fmt("%s 12", wide);
	int64_t pm = api_person_new(s, "pmp", NULL, NULL);
	int64_t org_wide = org_new(s, wide, 0);
	int64_t org_narrow = org_new(s, narrow, pm);

	/* The longest prefix wins. */
	struct api_resp *r =
		call(s, &s->viewer,
		     api_fmt("{\"caller\":\"%s 345\",\"note\":\"Anruf aus der "
			     "Zentrale\"}",
			     narrow));
	json_t *t = ticket_of(r, "organisation");
	assert_int_equal(api_int(t, "organisation_id"), org_narrow);
	assert_true(json_is_null(json_object_get(t, "contact_id")));
	/* The organisation is known, who called is not. */
	assert_true(api_bool(t, "needs_completion"));
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 99 1\",\"note\":\"Anruf\"}", wide));
	t = ticket_of(r, "organisation");
	assert_int_equal(api_int(t, "organisation_id"), org_wide);

	/* A contact in two organisations: the prefix decides between
	 * them; a given organisation overrides. */
	int64_t both = contact_new(s, api_fmt("%s 555", narrow),
				   api_fmt("%lld,%lld", (long long)org_wide,
					   (long long)org_narrow));
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 555\",\"note\":\"Wer bin ich?\"}",
			 narrow));
	t = ticket_of(r, "contact");
	assert_int_equal(api_int(t, "contact_id"), both);
	assert_int_equal(api_int(t, "organisation_id"), org_narrow);
	assert_false(api_bool(t, "needs_completion"));
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 555\",\"note\":\"Für die andere\","
			 "\"organisation_id\":%lld}",
			 narrow, (long long)org_wide));
	t = ticket_of(r, "contact");
	assert_int_equal(api_int(t, "organisation_id"), org_wide);

	/* Two contacts with one number (a switchboard): no guess at the
	 * person, the organisation still by prefix. */
	contact_new(s, api_fmt("%s 600", narrow),
		    api_fmt("%lld", (long long)org_narrow));
	contact_new(s, api_fmt("%s 600", narrow),
		    api_fmt("%lld", (long long)org_narrow));
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 600\",\"note\":\"Zentrale\"}",
			 narrow));
	t = ticket_of(r, "organisation");
	assert_true(json_is_null(json_object_get(t, "contact_id")));
	assert_int_equal(api_int(t, "organisation_id"), org_narrow);
}

static void test_unknown_caller(void **state)
{
	struct api_server *s = *state;
	const char *unknown = api_fmt("%s 000", block());
	struct api_resp *r = call(
		s, &s->viewer,
		api_fmt("{\"caller\":\"%s\",\"note\":\" \\n \"}", unknown));
	json_t *t = ticket_of(r, "none");
	assert_true(api_bool(t, "needs_completion"));
	assert_true(json_is_null(json_object_get(t, "organisation_id")));
	assert_true(json_is_null(json_object_get(t, "contact_id")));
	/* Nothing in the note: the subject names the number. */
	assert_true(strncmp(api_str(t, "subject"), "Call from +49", 13) == 0);

	/* A long first line is cut to 120 bytes on a character. */
	char note[400];
	memset(note, 'x', 119);
	strcpy(note + 119, "ü und mehr");
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s\",\"note\":\"%s\"}", unknown, note));
	t = ticket_of(r, "none");
	assert_int_equal(strlen(api_str(t, "subject")), 119);

	/* Completing it later clears the flag. */
	int64_t org = org_new(s, block(), 0);
	r = api_json(
		s, &s->viewer, "PATCH",
		api_fmt("/api/v1/tickets/%lld", (long long)api_int(t, "id")),
		api_fmt("{\"organisation_id\":%lld,\"needs_completion\":false}",
			(long long)org));
	api_expect_json(r, 200);
	assert_false(api_bool(r->json, "needs_completion"));
}

static void test_rules_applied_and_recorded(void **state)
{
	struct api_server *s = *state;
	const char *prefix = block();
	int64_t pm = api_person_new(s, "pmr", NULL, NULL);
	int64_t org = org_new(s, prefix, pm);
	struct api_resp *r = api_json(s, &s->editor, "POST", "/api/v1/queues",
				      api_fmt("{\"name\":\"%s\",\"owner_rule\":"
					      "\"project_manager\"}",
					      api_unique("PM queue")));
	api_expect_json(r, 201);
	int64_t pmq = api_int(r->json, "id");
	const char *faults = api_unique("Faults");
	const char *to_pm = api_unique("To PM");
	/* Rule 1 makes an outage a fault and goes on; rule 2 sends the
	 * organisation's phone calls to its project manager's queue. */
	r = api_json(
		s, &s->editor, "POST", "/api/v1/assignment-rules",
		api_fmt("{\"name\":\"%s\",\"continue\":true,\"conditions\":"
			"{\"organisation_id\":%lld,\"subject_words\":["
			"\"störung\",\"ausfall\"]},\"actions\":{"
			"\"priority\":1}}",
			faults, (long long)org));
	api_expect_json(r, 201);
	int64_t rule1 = api_int(r->json, "id");
	r = api_json(
		s, &s->editor, "POST", "/api/v1/assignment-rules",
		api_fmt("{\"name\":\"%s\",\"conditions\":{"
			"\"organisation_id\":[%lld],\"channel\":[\"phone\"]},"
			"\"actions\":{\"queue_id\":%lld}}",
			to_pm, (long long)org, (long long)pmq));
	api_expect_json(r, 201);
	int64_t rule2 = api_int(r->json, "id");

	/* "STOERUNG" finds "störung": both rules apply. */
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 1\",\"note\":\"STOERUNG im "
			 "Leitstand\"}",
			 prefix));
	json_t *t = ticket_of(r, "organisation");
	assert_int_equal(api_int(t, "priority"), 1);
	assert_int_equal(api_int(t, "queue_id"), pmq);
	assert_int_equal(api_int(t, "owner_id"), pm);
	json_t *events = ticket_events(s, api_int(t, "id"));
	assert_int_equal(count_action(events, "ticket.rule"), 2);
	int seen1 = 0, seen2 = 0;
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		if (strcmp(api_str(ev, "action"), "ticket.rule") != 0)
			continue;
		json_t *after = api_obj(ev, "after");
		assert_non_null(after);
		if (api_int(after, "rule_id") == rule1) {
			seen1 = 1;
			assert_string_equal(api_str(after, "name"), faults);
			assert_int_equal(
				api_int(api_obj(after, "set"), "priority"), 1);
		} else if (api_int(after, "rule_id") == rule2) {
			seen2 = 1;
			assert_string_equal(api_str(after, "name"), to_pm);
			assert_int_equal(
				api_int(api_obj(after, "set"), "queue_id"),
				pmq);
		}
	}
	assert_true(seen1 && seen2);

	/* Without the words only rule 2 applies; a priority the caller
	 * gives is the caller's. */
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 2\",\"note\":\"Frage zur "
			 "Rechnung\",\"priority\":4}",
			 prefix));
	t = ticket_of(r, "organisation");
	assert_int_equal(api_int(t, "priority"), 4);
	assert_int_equal(api_int(t, "queue_id"), pmq);
	assert_int_equal(
		count_action(ticket_events(s, api_int(t, "id")), "ticket.rule"),
		1);

	/* A disabled rule does nothing; another organisation's call
	 * matches neither. */
	r = api_json(s, &s->editor, "PATCH",
		     api_fmt("/api/v1/assignment-rules/%lld", (long long)rule2),
		     "{\"enabled\":false}");
	api_expect_json(r, 200);
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 3\",\"note\":\"Ausfall Netz\"}",
			 prefix));
	t = ticket_of(r, "organisation");
	assert_int_equal(api_int(t, "priority"), 1);
	assert_true(json_is_null(json_object_get(t, "queue_id")));
	r = call(
		s, &s->viewer,
		api_fmt("{\"caller\":\"%s 9\",\"note\":\"Ausfall\"}", block()));
	t = ticket_of(r, "none");
	assert_int_equal(api_int(t, "priority"), 3);
	assert_int_equal(
		count_action(ticket_events(s, api_int(t, "id")), "ticket.rule"),
		0);

	/* Rules run for tickets made with POST /tickets too. */
	r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
		     api_fmt("{\"subject\":\"Störung Server\","
			     "\"organisation_id\":%lld}",
			     (long long)org));
	api_expect_json(r, 201);
	assert_int_equal(api_int(r->json, "priority"), 1);

	for (int k = 0; k < 2; k++) {
		r = api_delete(s, &s->editor,
			       api_fmt("/api/v1/assignment-rules/%lld",
				       (long long)(k ? rule2 : rule1)));
		api_expect_status(r, 204);
	}
}

static void test_priority_one_owners(void **state)
{
	struct api_server *s = *state;
	int64_t phone_duty = holder_today(s, "Telephone service");
	int64_t emergency = holder_today(s, "Technical emergency preparedness");
	struct api_resp *r =
		call(s, &s->viewer,
		     api_fmt("{\"caller\":\"%s 1\",\"note\":\"Alles steht\","
			     "\"priority\":1}",
			     block()));
	json_t *t = ticket_of(r, "none");
	assert_int_equal(api_int(t, "priority"), 1);
	/* Today's telephone duty talks to the customer, emergency duty
	 * fixes it (nobody on a day without duty). */
	assert_int_equal(id_or_zero(t, "comm_owner_id"), phone_duty);
	assert_int_equal(id_or_zero(t, "tech_owner_id"), emergency);
	/* Not priority 1: no such owners. */
	r = call(s, &s->viewer,
		 api_fmt("{\"caller\":\"%s 2\",\"note\":\"Kein Notfall\"}",
			 block()));
	t = ticket_of(r, "none");
	assert_true(json_is_null(json_object_get(t, "comm_owner_id")));
	assert_true(json_is_null(json_object_get(t, "tech_owner_id")));
}

static void test_bad_input_writes_nothing(void **state)
{
	struct api_server *s = *state;
	const char *prefix = block();
	int64_t before = next_number(s);
	struct {
		const char *body;
		long status;
		const char *slug;
		const char *detail;
	} cases[] = {
		{"{\"caller\":\"089 1234567\",\"note\":\"n\"}", 400,
		 "validation-failed", "caller"},
		{"{\"caller\":\"+49 89 abc\",\"note\":\"n\"}", 400,
		 "validation-failed", "caller"},
		{"{\"caller\":\"+0 89\",\"note\":\"n\"}", 400,
		 "validation-failed", "caller"},
		{"{\"caller\":\"+49 89 1234 5678 9012 3\",\"note\":\"n\"}", 400,
		 "validation-failed", "caller"},
		{"{\"caller\":\"\",\"note\":\"n\"}", 400, "validation-failed",
		 "caller"},
		{"{\"note\":\"n\"}", 400, "validation-failed", "caller"},
		{"{\"caller\":4989,\"note\":\"n\"}", 400, "validation-failed",
		 "caller"},
		{api_fmt("{\"caller\":\"%s\"}", prefix), 400,
		 "validation-failed", "note"},
		{api_fmt("{\"caller\":\"%s\",\"note\":\"\"}", prefix), 400,
		 NULL, "note"},
		{api_fmt("{\"caller\":\"%s\",\"note\":7}", prefix), 400,
		 "validation-failed", "note"},
		{api_fmt("{\"caller\":\"%s\",\"note\":\"n\",\"priority\":7}",
			 prefix),
		 400, "validation-failed", "priority"},
		{api_fmt("{\"caller\":\"%s\",\"note\":\"n\",\"contact_id\":"
			 "999999}",
			 prefix),
		 400, "validation-failed", "contact_id"},
		{api_fmt("{\"caller\":\"%s\",\"note\":\"n\",\"organisation_"
			 "id\":"
			 "999999}",
			 prefix),
		 400, "validation-failed", "organisation_id"},
		{api_fmt("{\"caller\":\"%s\",\"note\":\"n\",\"queue\":1}",
			 prefix),
		 400, "validation-failed", "queue"},
		{api_fmt("{\"caller\":\"%s\",\"note\":\"n\",\"subject\":\"a\\nb"
			 "\"}",
			 prefix),
		 400, "validation-failed", "subject"},
		{api_fmt("{\"caller\":\"%s\",\"note\":\"bell \\u0007\"}",
			 prefix),
		 400, "validation-failed", "note"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct api_resp *r = call(s, &s->viewer, cases[i].body);
		if (r->status != cases[i].status)
			fail_msg("%s: %ld", cases[i].body, r->status);
		api_assert_problem(r, cases[i].status, cases[i].slug);
		if (cases[i].detail)
			api_assert_detail_has(r, cases[i].detail);
	}
	/* A note past its limit (64 KiB) in a body within the body limit,
	 * and a note of 1 MB past the body limit. */
	size_t big = 100 * 1024;
	char *body = api_alloc(big + 200);
	int n = snprintf(body, 200, "{\"caller\":\"%s\",\"note\":\"", prefix);
	memset(body + n, 'a', big);
	strcpy(body + n + big, "\"}");
	struct api_resp *r = call(s, &s->viewer, body);
	api_assert_problem(r, 400, "limit-exceeded");
	api_assert_detail_has(r, "note");
	big = 1024 * 1024;
	body = api_alloc(big + 200);
	n = snprintf(body, 200, "{\"caller\":\"%s\",\"note\":\"", prefix);
	memset(body + n, 'a', big);
	strcpy(body + n + big, "\"}");
	r = call(s, &s->viewer, body);
	api_assert_problem(r, 413, "limit-exceeded");
	/* Not JSON. */
	r = api_send(s,
		     &(struct api_req){.method = "POST",
				       .path = "/api/v1/tickets/phone",
				       .auth = &s->viewer,
				       .body = "caller=+4989",
				       .content_type = "application/x-www-form-"
						       "urlencoded"});
	api_assert_problem(r, 415, NULL);

	/* Not one of them made a ticket. */
	assert_int_equal(next_number(s), before + 1);
}

static void test_access(void **state)
{
	struct api_server *s = *state;
	const char *body =
		api_fmt("{\"caller\":\"%s 1\",\"note\":\"access\"}", block());
	int64_t before = next_number(s);
	struct api_resp *r = call(s, NULL, body);
	api_expect_status(r, 401);
	r = api_send(s, &(struct api_req){.method = "POST",
					  .path = "/api/v1/tickets/phone",
					  .auth = &s->viewer,
					  .body = body,
					  .omit_csrf = 1});
	api_assert_problem(r, 403, "csrf-token-missing");
	struct api_auth ro, rw;
	api_token_new(s, s->viewer.person_id, "read", &ro);
	r = call(s, &ro, body);
	api_assert_problem(r, 403, "forbidden");
	assert_int_equal(next_number(s), before + 1);
	/* A phone system's token with the write scope may. */
	api_token_new(s, s->viewer.person_id, "write", &rw);
	r = call(s, &rw, body);
	ticket_of(r, "none");
}

/* GET /api/v1/tickets/phone/lookup for the number as typed. */
static struct api_resp *lookup(struct api_server *s, const struct api_auth *a,
			       const char *caller)
{
	char q[256];
	size_t n = 0;
	for (const char *c = caller; *c && n + 4 < sizeof(q); c++) {
		if (*c == '+' || *c == ' ' || *c == '&' || *c == '%') {
			snprintf(q + n, 4, "%%%02X", (unsigned char)*c);
			n += 3;
		} else {
			q[n++] = *c;
		}
	}
	q[n] = '\0';
	return api_get(s, a,
		       api_fmt("/api/v1/tickets/phone/lookup?caller=%s", q));
}

/* The lookup names what the intake then files the call under. */
static void lookup_then_call(struct api_server *s, const char *caller,
			     const char *matched, int64_t contact, int64_t org)
{
	struct api_resp *r = lookup(s, &s->viewer, caller);
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "matched"), matched);
	json_t *c = json_object_get(r->json, "contact");
	json_t *o = json_object_get(r->json, "organisation");
	if (contact) {
		assert_int_equal(api_int(c, "id"), contact);
		assert_non_null(api_str(c, "name"));
	} else {
		assert_true(json_is_null(c));
	}
	if (org) {
		assert_int_equal(api_int(o, "id"), org);
		assert_true(
			json_is_array(json_object_get(o, "phone_prefixes")));
	} else {
		assert_true(json_is_null(o));
	}
	const char *e164 = api_str(r->json, "caller");
	assert_int_equal(e164[0], '+');
	assert_null(strchr(e164, ' '));
	json_t *t = ticket_of(
		call(s, &s->viewer,
		     api_fmt("{\"caller\":\"%s\",\"note\":\"lookup\"}",
			     caller)),
		matched);
	assert_int_equal(id_or_zero(t, "contact_id"), contact);
	assert_int_equal(id_or_zero(t, "organisation_id"), org);
	assert_string_equal(api_str(t, "caller_phone"), e164);
}

static void test_lookup(void **state)
{
	struct api_server *s = *state;
	const char *wide = block();
	const char *narrow = api_fmt("%s 12", wide);
	int64_t org_wide = org_new(s, wide, 0);
	int64_t org_narrow = org_new(s, narrow, 0);
	int64_t one = contact_new(s, api_fmt("%s 77", wide),
				  api_fmt("%lld", (long long)org_wide));
	int64_t both = contact_new(s, api_fmt("%s 555", narrow),
				   api_fmt("%lld,%lld", (long long)org_wide,
					   (long long)org_narrow));
	contact_new(s, api_fmt("%s 600", narrow),
		    api_fmt("%lld", (long long)org_narrow));
	contact_new(s, api_fmt("%s 600", narrow),
		    api_fmt("%lld", (long long)org_narrow));

	/* A contact, typed with 00 and a dash. */
	char typed[64];
	snprintf(typed, sizeof(typed), "00%s-77", wide + 1);
	lookup_then_call(s, typed, "contact", one, org_wide);
	/* The longest prefix; a contact of two organisations gets the
	 * prefix's; a switchboard number names no contact. */
	lookup_then_call(s, api_fmt("%s 9", narrow), "organisation", 0,
			 org_narrow);
	lookup_then_call(s, api_fmt("%s 9", wide), "organisation", 0, org_wide);
	lookup_then_call(s, api_fmt("%s 555", narrow), "contact", both,
			 org_narrow);
	lookup_then_call(s, api_fmt("%s 600", narrow), "organisation", 0,
			 org_narrow);
	struct api_resp *r = lookup(s, &s->viewer, api_fmt("%s 600", narrow));
	assert_int_equal(api_int(r->json, "contacts_with_number"), 2);
	lookup_then_call(s, api_fmt("%s 000", block()), "none", 0, 0);

	/* Nothing is written by a lookup; bad numbers are the intake's 400;
	 * anonymous callers get nothing. */
	int64_t before = next_number(s);
	for (int i = 0; i < 3; i++)
		api_expect_json(lookup(s, &s->viewer, api_fmt("%s 9", narrow)),
				200);
	api_assert_detail_has(lookup(s, &s->viewer, "089 1234567"),
			      "not an international number");
	api_assert_problem(lookup(s, &s->viewer, "+49 abc"), 400, NULL);
	api_assert_problem(
		api_get(s, &s->viewer, "/api/v1/tickets/phone/lookup"), 400,
		NULL);
	char longer[80];
	memset(longer, '1', 70);
	longer[0] = '+';
	longer[70] = '\0';
	api_assert_problem(lookup(s, &s->viewer, longer), 400,
			   "limit-exceeded");
	api_expect_status(lookup(s, NULL, api_fmt("%s 9", narrow)), 401);
	struct api_auth ro;
	api_token_new(s, s->viewer.person_id, "read", &ro);
	api_expect_json(lookup(s, &ro, api_fmt("%s 9", narrow)), 200);
	assert_int_equal(next_number(s), before + 1);
}

static void test_fast_enough(void **state)
{
	struct api_server *s = *state;
	const char *prefix = block();
	int64_t org = org_new(s, prefix, 0);
	contact_new(s, api_fmt("%s 5", prefix),
		    api_fmt("%lld", (long long)org));
	/* A person is on the phone: 50 calls in a row, sanitizers and
	 * all, stay well under a second each on average. */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 50; i++) {
		struct api_resp *r =
			call(s, &s->viewer,
			     api_fmt("{\"caller\":\"%s 5\",\"note\":\"Anruf "
				     "%d\"}",
				     prefix, i));
		api_expect_json(r, 201);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1000.0 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("phone intake: %.1f ms per call (sanitizer build)\n",
		      ms / 50);
	assert_true(ms / 50 < 500.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_known_contact),
		API_TEST(test_prefix_match),
		API_TEST(test_unknown_caller),
		API_TEST(test_rules_applied_and_recorded),
		API_TEST(test_priority_one_owners),
		API_TEST(test_bad_input_writes_nothing),
		API_TEST(test_access),
		API_TEST(test_lookup),
		API_TEST(test_fast_enough),
	};
	return API_RUN("phone_intake", tests);
}
