/*
 * test_articles.c - articles on tickets on both engines: notes and
 * replies with their visibility and authors, the checks on bad input
 * (nothing half-written), paging oldest first, the first-response and
 * reopening rules, permissions, and the time accounting report over the
 * minutes worked (JSON and CSV, per ticket and per person).
 */
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "store/store.h"

#define PASSWORD "articles-test-password"

/* ---- helpers ---- */

/* A JSON body from a jansson object (which this steals). */
static const char *body_of(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	const char *copy = api_fmt("%s", text);
	free(text);
	return copy;
}

static json_t *ticket_new(struct api_server *s, const char *subject)
{
	struct api_resp *r =
		api_json(s, &s->viewer, "POST", "/api/v1/tickets",
			 body_of(json_pack("{ss}", "subject", subject)));
	api_expect_json(r, 201);
	return r->json;
}

static json_t *ticket_get(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/tickets/%lld", (long long)id));
	api_expect_json(r, 200);
	return r->json;
}

static struct api_resp *post_article(struct api_server *s,
				     const struct api_auth *a, int64_t id,
				     const char *body)
{
	return api_json(s, a, "POST",
			api_fmt("/api/v1/tickets/%lld/articles", (long long)id),
			body);
}

/* Add an article and insist on 201. */
static json_t *article(struct api_server *s, const struct api_auth *a,
		       int64_t id, const char *kind, const char *text,
		       int minutes)
{
	struct api_resp *r = post_article(
		s, a, id,
		body_of(json_pack("{ss ss si}", "kind", kind, "body", text,
				  "minutes", minutes)));
	api_expect_json(r, 201);
	return r->json;
}

static json_t *articles(struct api_server *s, int64_t id, const char *query)
{
	struct api_resp *r = api_get(s, &s->viewer,
				     api_fmt("/api/v1/tickets/%lld/articles%s",
					     (long long)id, query));
	api_expect_json(r, 200);
	return r->json;
}

static size_t count_articles(struct api_server *s, int64_t id)
{
	return json_array_size(
		json_object_get(articles(s, id, "?limit=500"), "items"));
}

static void set_status(struct api_server *s, int64_t id, const char *status)
{
	struct api_resp *r =
		api_json(s, &s->viewer, "PATCH",
			 api_fmt("/api/v1/tickets/%lld", (long long)id),
			 body_of(json_pack("{ss}", "status", status)));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), status);
}

static int is_null(const json_t *o, const char *key)
{
	return json_is_null(json_object_get(o, key));
}

/* ---- tests ---- */

static void test_notes_and_replies(void **state)
{
	struct api_server *s = *state;
	json_t *t = ticket_new(s, "Printer on fire");
	int64_t id = api_int(t, "id"), version = api_int(t, "version");

	json_t *a = article(s, &s->viewer, id, "internal_note",
			    "Called the fire brigade.\nThen IT.", 5);
	assert_string_equal(api_str(a, "kind"), "internal_note");
	assert_string_equal(api_str(a, "visibility"), "internal");
	assert_int_equal(api_int(a, "author_id"), s->viewer.person_id);
	assert_true(is_null(a, "author_contact_id"));
	assert_string_equal(api_str(a, "body"),
			    "Called the fire brigade.\nThen IT.");
	assert_int_equal(api_int(a, "minutes"), 5);
	assert_int_equal(api_int(a, "ticket_id"), id);

	a = article(s, &s->editor, id, "phone_note", "Customer says: smoke.",
		    0);
	assert_string_equal(api_str(a, "visibility"), "customer");
	assert_int_equal(api_int(a, "author_id"), s->editor.person_id);
	a = article(s, &s->viewer, id, "outbound_reply",
		    "We are on it – Grüße, Ihr Support", 10);
	assert_string_equal(api_str(a, "visibility"), "customer");
	/* An inbound mail is the customer's: no person wrote it. */
	a = article(s, &s->viewer, id, "inbound_mail", "Danke!", 0);
	assert_true(is_null(a, "author_id"));
	assert_string_equal(api_str(a, "visibility"), "customer");
	struct api_resp *r =
		post_article(s, &s->viewer, id,
			     "{\"kind\":\"phone_note\",\"body\":\"private\","
			     "\"visibility\":\"internal\"}");
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "visibility"), "internal");

	/* Oldest first, all five; each raised the ticket's version. */
	json_t *items = json_object_get(articles(s, id, ""), "items");
	assert_int_equal(json_array_size(items), 5);
	assert_string_equal(api_str(json_array_get(items, 0), "kind"),
			    "internal_note");
	assert_string_equal(api_str(json_array_get(items, 4), "kind"),
			    "phone_note");
	for (size_t i = 1; i < 5; i++)
		assert_true(api_int(json_array_get(items, i), "id") >
			    api_int(json_array_get(items, i - 1), "id"));
	assert_int_equal(api_int(ticket_get(s, id), "version"), version + 5);
}

static void test_bad_input(void **state)
{
	struct api_server *s = *state;
	int64_t id = api_int(ticket_new(s, "Bad input"), "id");
	int64_t version = api_int(ticket_get(s, id), "version");
	static const struct {
		const char *body;
		const char *slug;
	} bad[] = {
		{"{\"kind\":\"memo\",\"body\":\"x\"}", "validation-failed"},
		{"{\"body\":\"x\"}", "validation-failed"},
		{"{\"kind\":\"phone_note\"}", "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"\"}",
		 "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":7}", "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"a\\u0001b\"}",
		 "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"a\\u0000b\"}",
		 "invalid-json"},
		{"{\"kind\":\"internal_note\",\"body\":\"x\","
		 "\"visibility\":\"customer\"}",
		 "validation-failed"},
		{"{\"kind\":\"outbound_reply\",\"body\":\"x\","
		 "\"visibility\":\"internal\"}",
		 "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"x\",\"visibility\":"
		 "\"all\"}",
		 "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"x\",\"minutes\":-1}",
		 "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"x\",\"minutes\":1441}",
		 "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"x\",\"minutes\":1.5}",
		 "validation-failed"},
		{"{\"kind\":\"inbound_mail\",\"body\":\"x\",\"minutes\":3}",
		 "validation-failed"},
		{"{\"kind\":\"outbound_reply\",\"body\":\"x\",\"contact_id\":"
		 "1}",
		 "validation-failed"},
		{"{\"kind\":\"inbound_mail\",\"body\":\"x\","
		 "\"contact_id\":999999999}",
		 "validation-failed"},
		{"{\"kind\":\"phone_note\",\"body\":\"x\",\"author_id\":1}",
		 "validation-failed"},
		{"[1]", "invalid-json"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_resp *r =
			post_article(s, &s->viewer, id, bad[i].body);
		api_assert_problem(r, 400, bad[i].slug);
	}
	/* Invalid UTF-8 in the body. */
	static const char latin1[] =
		"{\"kind\":\"phone_note\",\"body\":\"St\xf6"
		"rung\"}";
	api_assert_problem(post_article(s, &s->viewer, id, latin1), 400,
			   "invalid-json");
	/* The body limit is 256 KiB: one byte more is refused, the limit
	 * itself is fine. */
	size_t limit = 256 * 1024;
	char *text = api_alloc(limit + 2);
	memset(text, 'x', limit + 1);
	api_assert_problem(
		post_article(s, &s->viewer, id,
			     body_of(json_pack("{ss ss}", "kind", "phone_note",
					       "body", text))),
		400, "limit-exceeded");
	/* Wrong media type, unknown ticket. */
	struct api_req q = {
		.method = "POST",
		.path = api_fmt("/api/v1/tickets/%lld/articles", (long long)id),
		.auth = &s->viewer,
		.body = "kind=phone_note",
		.content_type = "application/x-www-form-urlencoded"};
	api_assert_problem(api_send(s, &q), 415, "unsupported-media-type");
	api_assert_problem(
		post_article(s, &s->viewer, 999999999,
			     "{\"kind\":\"phone_note\",\"body\":\"x\"}"),
		404, "not-found");
	api_assert_problem(
		api_get(s, &s->viewer, "/api/v1/tickets/999999999/articles"),
		404, "not-found");
	/* Nothing was written by any of them. */
	assert_int_equal(count_articles(s, id), 0);
	assert_int_equal(api_int(ticket_get(s, id), "version"), version);

	text[limit] = '\0';
	struct api_resp *r =
		post_article(s, &s->viewer, id,
			     body_of(json_pack("{ss ss}", "kind", "phone_note",
					       "body", text)));
	api_expect_json(r, 201);
	assert_int_equal(strlen(api_str(r->json, "body")), limit);
	r = post_article(
		s, &s->viewer, id,
		"{\"kind\":\"phone_note\",\"body\":\"x\",\"minutes\":1440}");
	api_expect_json(r, 201);
}

static void test_paging(void **state)
{
	struct api_server *s = *state;
	int64_t id = api_int(ticket_new(s, "Paging"), "id");
	for (int i = 0; i < 5; i++)
		article(s, &s->viewer, id, "internal_note",
			api_fmt("note %d", i), 0);
	json_t *page = articles(s, id, "?limit=2");
	json_t *items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(api_str(json_array_get(items, 0), "body"),
			    "note 0");
	const char *cursor = api_str(page, "next_cursor");
	page = articles(s, id, api_fmt("?limit=2&cursor=%s", cursor));
	items = json_object_get(page, "items");
	assert_string_equal(api_str(json_array_get(items, 0), "body"),
			    "note 2");
	cursor = api_str(page, "next_cursor");
	page = articles(s, id, api_fmt("?limit=2&cursor=%s", cursor));
	items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(api_str(json_array_get(items, 0), "body"),
			    "note 4");
	assert_true(is_null(page, "next_cursor"));
	api_assert_problem(
		api_get(s, &s->viewer,
			api_fmt("/api/v1/tickets/%lld/articles?limit=0",
				(long long)id)),
		400, "validation-failed");
}

static void test_first_response(void **state)
{
	struct api_server *s = *state;
	int64_t id = api_int(ticket_new(s, "First response"), "id");
	assert_true(is_null(ticket_get(s, id), "first_response_at"));
	/* Notes to ourselves and the customer's own mails are no
	 * response. */
	article(s, &s->viewer, id, "internal_note", "looking", 0);
	article(s, &s->viewer, id, "inbound_mail", "hello?", 0);
	article(s, &s->viewer, id, "web", "hello??", 0);
	assert_true(is_null(ticket_get(s, id), "first_response_at"));
	json_t *a = article(s, &s->viewer, id, "phone_note", "called back", 0);
	json_t *t = ticket_get(s, id);
	assert_string_equal(api_str(t, "first_response_at"),
			    api_str(a, "created_at"));
	/* The first one stays. */
	article(s, &s->viewer, id, "outbound_reply", "as discussed", 0);
	assert_string_equal(api_str(ticket_get(s, id), "first_response_at"),
			    api_str(a, "created_at"));

	int64_t other = api_int(ticket_new(s, "First response by mail"), "id");
	a = article(s, &s->editor, other, "outbound_reply", "Dear customer", 0);
	assert_string_equal(api_str(ticket_get(s, other), "first_response_at"),
			    api_str(a, "created_at"));
}

static void test_reopen(void **state)
{
	struct api_server *s = *state;
	int64_t id = api_int(ticket_new(s, "Reopen"), "id");
	set_status(s, id, "resolved");
	/* Staff replies and internal notes leave it resolved. */
	article(s, &s->viewer, id, "outbound_reply", "Fixed, see above", 0);
	article(s, &s->viewer, id, "internal_note", "done", 0);
	assert_string_equal(api_str(ticket_get(s, id), "status"), "resolved");
	/* An inbound mail kept internal (a forwarded one) does too. */
	struct api_resp *r =
		post_article(s, &s->viewer, id,
			     "{\"kind\":\"inbound_mail\",\"body\":\"fwd\","
			     "\"visibility\":\"internal\"}");
	api_expect_json(r, 201);
	assert_string_equal(api_str(ticket_get(s, id), "status"), "resolved");
	/* The customer writes again: open. */
	article(s, &s->viewer, id, "inbound_mail", "Still broken!", 0);
	json_t *t = ticket_get(s, id);
	assert_string_equal(api_str(t, "status"), "open");
	assert_true(is_null(t, "resolved_at"));
	/* Through the web form too. */
	set_status(s, id, "resolved");
	article(s, &s->viewer, id, "web", "Really still broken", 0);
	assert_string_equal(api_str(ticket_get(s, id), "status"), "open");
	/* A closed ticket stays closed. */
	set_status(s, id, "closed");
	article(s, &s->viewer, id, "inbound_mail", "Hello?", 0);
	assert_string_equal(api_str(ticket_get(s, id), "status"), "closed");
	/* A pending or new ticket keeps its status. */
	int64_t other = api_int(ticket_new(s, "New stays new"), "id");
	article(s, &s->viewer, other, "inbound_mail", "more info", 0);
	assert_string_equal(api_str(ticket_get(s, other), "status"), "new");
}

static void test_permissions(void **state)
{
	struct api_server *s = *state;
	int64_t id = api_int(ticket_new(s, "Permissions"), "id");
	const char *path =
		api_fmt("/api/v1/tickets/%lld/articles", (long long)id);
	const char *note = "{\"kind\":\"internal_note\",\"body\":\"x\"}";
	api_expect_status(api_json(s, NULL, "POST", path, note), 401);
	api_expect_status(api_get(s, NULL, path), 401);
	struct api_auth reader, writer;
	api_token_new(s, s->viewer.person_id, "read", &reader);
	api_token_new(s, s->viewer.person_id, "read,write", &writer);
	api_assert_problem(api_json(s, &reader, "POST", path, note), 403,
			   "forbidden");
	api_expect_json(api_get(s, &reader, path), 200);
	struct api_resp *r = api_json(s, &writer, "POST", path, note);
	api_expect_json(r, 201);
	/* A token writes for its person. */
	assert_int_equal(api_int(r->json, "author_id"), s->viewer.person_id);
	/* A session without its CSRF token is refused. */
	struct api_req q = {.method = "POST",
			    .path = path,
			    .auth = &s->viewer,
			    .body = note,
			    .omit_csrf = 1};
	api_assert_problem(api_send(s, &q), 403, "csrf-token-missing");
}

/* The row of the time report whose key is id. */
static json_t *report_row(json_t *report, const char *key, int64_t id)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(report, "items"), i, row)
	{
		if (api_int(row, key) == id)
			return row;
	}
	return NULL;
}

static void test_time_report(void **state)
{
	struct api_server *s = *state;
	char login[65];
	struct api_auth me;
	int64_t person = api_person_new(s, "tr", PASSWORD, login);
	api_signin(s, login, PASSWORD, &me);
	int64_t t1 = api_int(ticket_new(s, "Time one"), "id");
	int64_t t2 = api_int(ticket_new(s, "Time two, \"quoted\""), "id");
	article(s, &me, t1, "phone_note", "call", 30);
	article(s, &me, t1, "internal_note", "analysis", 45);
	article(s, &me, t2, "outbound_reply", "answer", 20);
	article(s, &s->viewer, t2, "internal_note", "review", 15);
	article(s, &me, t2, "internal_note", "no time", 0);

	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/reports/time");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "group_by"), "ticket");
	json_t *row = report_row(r->json, "ticket_id", t1);
	assert_non_null(row);
	assert_int_equal(api_int(row, "minutes"), 75);
	assert_int_equal(api_int(row, "articles"), 2);
	assert_string_equal(api_str(row, "subject"), "Time one");
	assert_true(json_is_number(json_object_get(row, "hours")));
	assert_true(json_number_value(json_object_get(row, "hours")) == 1.25);
	row = report_row(r->json, "ticket_id", t2);
	assert_int_equal(api_int(row, "minutes"), 35);
	assert_int_equal(api_int(row, "articles"), 2);
	assert_true(api_int(r->json, "total_minutes") >= 110);
	assert_false(api_bool(r->json, "truncated"));

	/* Per person: this person's minutes only. */
	r = api_get(s, &s->viewer, "/api/v1/reports/time?group_by=person");
	api_expect_json(r, 200);
	row = report_row(r->json, "person_id", person);
	assert_non_null(row);
	assert_int_equal(api_int(row, "minutes"), 95);
	assert_int_equal(api_int(row, "articles"), 3);
	/* Per organisation: these tickets have none. */
	r = api_get(s, &s->viewer,
		    "/api/v1/reports/time?group_by=organisation");
	api_expect_json(r, 200);
	size_t i;
	int64_t none = -1;
	json_array_foreach(json_object_get(r->json, "items"), i, row)
	{
		if (is_null(row, "organisation_id"))
			none = api_int(row, "minutes");
	}
	assert_true(none >= 110);

	/* Explicit days: today has it all, a month long past nothing. */
	const char *today = api_str(r->json, "to");
	r = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/reports/time?from=%s&to=%s", today, today));
	api_expect_json(r, 200);
	assert_int_equal(
		api_int(report_row(r->json, "ticket_id", t1), "minutes"), 75);
	r = api_get(s, &s->viewer,
		    "/api/v1/reports/time?from=2020-01-01&to=2020-01-31");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "total_minutes"), 0);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);

	/* CSV: a header, the subject quoted. */
	r = api_get(s, &s->viewer, "/api/v1/reports/time?format=csv");
	api_expect_status(r, 200);
	assert_non_null(strstr(r->content_type, "text/csv"));
	assert_non_null(strstr(api_header(r, "Content-Disposition"),
			       "attachment; filename=\"time-ticket-"));
	static const char head[] =
		"ticket_id,number,subject,minutes,hours,articles\r\n";
	assert_int_equal(strncmp(r->body, head, strlen(head)), 0);
	assert_non_null(strstr(r->body, api_fmt("%lld,", (long long)t2)));
	assert_non_null(strstr(r->body, ",\"Time two, \"\"quoted\"\"\",35,"
					"0.58,2\r\n"));
	r = api_get(s, &s->viewer,
		    "/api/v1/reports/time?format=csv&group_by=person");
	api_expect_status(r, 200);
	assert_non_null(strstr(r->body, api_fmt("%lld,", (long long)person)));

	/* Bad queries. */
	static const char *const bad[] = {
		"group_by=queue",
		"format=xml",
		"from=2026-02-30",
		"to=tomorrow",
		"from=2026-03-01&to=2026-02-01",
		"from=2024-01-01&to=2026-01-01",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		r = api_get(s, &s->viewer,
			    api_fmt("/api/v1/reports/time?%s", bad[k]));
		api_assert_problem(r, 400, NULL);
	}
	api_expect_status(api_get(s, NULL, "/api/v1/reports/time"), 401);
}

/* GET /api/v1/tickets?q=query (query already URL-encoded) lists id. */
static int search_finds(struct api_server *s, const char *query, int64_t id)
{
	struct api_resp *r =
		api_get(s, &s->viewer,
			api_fmt("/api/v1/tickets?q=%s&limit=100", query));
	api_expect_json(r, 200);
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(r->json, "items"), i, t)
	{
		if (api_int(t, "id") == id)
			return 1;
	}
	return 0;
}

/* The article's words are in the ticket's search documents,
 * normalised ("Störung" as "stoerung"), and in the engine's index of
 * the ticket's one search document. */
static void test_search_index(void **state)
{
	struct api_server *s = *state;
	int64_t id = api_int(ticket_new(s, "Index"), "id");
	json_t *a = article(s, &s->viewer, id, "inbound_mail",
			    "Große Störung im Rechenzentrum Quxwerk", 0);
	struct dd_store *db;
	struct dd_err err;
	int64_t n = -1;
	if (dd_store_open(s->db_url, &db, &err) < 0)
		fail_msg("cannot open the test database: %s", err.msg);
	const char *source =
		api_fmt("article:%lld", (long long)api_int(a, "id"));
	struct dd_param p[] = {DD_P_INT(id), DD_P_TEXT(source)};
	assert_int_equal(dd_store_query_int(
				 db,
				 "SELECT COUNT(*) FROM search_docs WHERE "
				 "ticket_id = $1 AND source = $2 AND text LIKE "
				 "'%grosse stoerung%quxwerk%'",
				 p, 2, &n, &err),
			 1);
	assert_int_equal(n, 1);
	/* The ticket's one search document (ticket/search_index.h). */
	const char *sql =
		api_is_pg(s)
			? "SELECT COUNT(*) FROM ticket_search WHERE ticket_id "
			  "= $1 AND tsv @@ to_tsquery('simple', 'quxwerk & "
			  "stoerung')"
			: "SELECT COUNT(*) FROM ticket_fts WHERE rowid = $1 "
			  "AND "
			  "ticket_fts MATCH 'quxwerk stoerung'";
	assert_int_equal(dd_store_query_int(db, sql, p, 1, &n, &err), 1);
	assert_int_equal(n, 1);
	dd_store_close(db);

	/* And the search finds the ticket by the article's words, typed
	 * either way. */
	assert_true(search_finds(s, "Stoerung+quxwerk", id));
	assert_true(search_finds(s, "st%C3%B6rung", id));
	assert_false(search_finds(s, "quxwerk+rechenzentrumxyz", id));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_notes_and_replies),
		API_TEST(test_bad_input),
		API_TEST(test_paging),
		API_TEST(test_first_response),
		API_TEST(test_reopen),
		API_TEST(test_permissions),
		API_TEST(test_time_report),
		API_TEST(test_search_index),
	};
	return API_RUN("articles", tests);
}
