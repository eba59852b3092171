/*
 * test_merge_history.c - merging tickets and their history on both
 * engines: a merge moves articles, attachments, search documents and
 * tags (the union) to the target and closes the source, whose number
 * keeps resolving to the target; the refusals (into itself, into a
 * merged ticket, a ticket merged already, unknown tickets, too many tags,
 * a stale If-Match) change nothing; nothing more can be added to a
 * merged ticket. The history lists a ticket's events oldest first with
 * the fields each one changed.
 */
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "store/store.h"

/* ---- helpers ---- */

static const char *body_of(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	const char *copy = api_fmt("%s", text);
	free(text);
	return copy;
}

static json_t *ticket_new(struct api_server *s, const char *body)
{
	struct api_resp *r =
		api_json(s, &s->viewer, "POST", "/api/v1/tickets", body);
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

static json_t *article(struct api_server *s, int64_t id, const char *kind,
		       const char *text)
{
	struct api_resp *r = api_json(
		s, &s->viewer, "POST",
		api_fmt("/api/v1/tickets/%lld/articles", (long long)id),
		body_of(json_pack("{ss ss}", "kind", kind, "body", text)));
	api_expect_json(r, 201);
	return r->json;
}

static struct api_resp *attach(struct api_server *s, int64_t id,
			       const char *name, const char *text)
{
	struct api_req q = {
		.method = "POST",
		.path = api_fmt("/api/v1/tickets/%lld/attachments?filename=%s",
				(long long)id, name),
		.auth = &s->viewer,
		.body = text,
		.content_type = "text/plain"};
	return api_send(s, &q);
}

static struct api_resp *merge(struct api_server *s, int64_t source,
			      int64_t into)
{
	return api_json(
		s, &s->viewer, "POST",
		api_fmt("/api/v1/tickets/%lld/merge", (long long)source),
		api_fmt("{\"into\":%lld}", (long long)into));
}

static json_t *items_of(struct api_server *s, const char *path)
{
	struct api_resp *r = api_get(s, &s->viewer, path);
	api_expect_json(r, 200);
	return json_object_get(r->json, "items");
}

static json_t *history(struct api_server *s, int64_t id)
{
	return items_of(s, api_fmt("/api/v1/tickets/%lld/history?limit=500",
				   (long long)id));
}

static int has_tag(const json_t *t, const char *tag)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(t, "tags"), i, v)
	{
		if (strcmp(json_string_value(v), tag) == 0)
			return 1;
	}
	return 0;
}

/* GET /api/v1/tickets?q=word lists id. */
static int search_finds(struct api_server *s, const char *word, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/tickets?q=%s&limit=100", word));
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

/* Rows of sql with one integer and one text parameter. */
static int64_t db_count(struct api_server *s, const char *sql, int64_t id,
			const char *text)
{
	struct dd_store *db;
	struct dd_err err;
	int64_t n = -1;
	if (dd_store_open(s->db_url, &db, &err) < 0)
		fail_msg("cannot open the test database: %s", err.msg);
	struct dd_param p[] = {DD_P_INT(id), DD_P_TEXT(text)};
	if (dd_store_query_int(db, sql, p, 2, &n, &err) < 0)
		fail_msg("query failed: %s", err.msg);
	dd_store_close(db);
	return n;
}

/* The change to field in a history item, or NULL. */
static json_t *change(const json_t *item, const char *field)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(item, "changes"), i, c)
	{
		if (strcmp(api_str(c, "field"), field) == 0)
			return c;
	}
	return NULL;
}

/* The changed fields of an item as "a,b,c". */
static const char *fields(const json_t *item)
{
	size_t i;
	json_t *c;
	const char *out = "";
	json_array_foreach(json_object_get(item, "changes"), i, c)
	{
		out = api_fmt("%s%s%s", out, *out ? "," : "",
			      api_str(c, "field"));
	}
	return out;
}

/* ---- tests ---- */

static void test_merge_moves_everything(void **state)
{
	struct api_server *s = *state;
	json_t *src = ticket_new(s, "{\"subject\":\"Mailserver Zwiebelfeld "
				    "down\",\"tags\":[\"mail\",\"outage\"]}");
	json_t *dst = ticket_new(s, "{\"subject\":\"No mail since 9\","
				    "\"tags\":[\"mail\",\"customer\"]}");
	int64_t a = api_int(src, "id"), b = api_int(dst, "id");
	int64_t a_number = api_int(src, "number");
	article(s, a, "inbound_mail", "Nothing arrives");
	article(s, a, "internal_note", "Queue full of Quackelbrief");
	article(s, b, "phone_note", "Called about mail");
	api_expect_json(attach(s, a, "mailq.txt", "queue dump"), 201);

	struct api_resp *r = merge(s, a, b);
	api_expect_json(r, 200);
	/* The answer is the target, with the union of tags. */
	assert_int_equal(api_int(r->json, "id"), b);
	assert_true(has_tag(r->json, "mail") && has_tag(r->json, "outage") &&
		    has_tag(r->json, "customer"));
	assert_int_equal(json_array_size(json_object_get(r->json, "tags")), 3);
	assert_string_equal(
		r->etag,
		api_fmt("\"v%lld\"", (long long)api_int(r->json, "version")));
	assert_true(api_int(r->json, "version") > api_int(dst, "version"));

	json_t *t = ticket_get(s, a);
	assert_int_equal(api_int(t, "merged_into"), b);
	assert_string_equal(api_str(t, "status"), "closed");
	assert_true(json_is_string(json_object_get(t, "closed_at")));
	/* The old number resolves to the target. */
	r = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/ticket-numbers/%lld", (long long)a_number));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "id"), b);

	/* Articles and attachments moved, oldest first. */
	json_t *items = items_of(
		s, api_fmt("/api/v1/tickets/%lld/articles", (long long)b));
	assert_int_equal(json_array_size(items), 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(api_int(json_array_get(items, i), "ticket_id"),
				 b);
	assert_string_equal(api_str(json_array_get(items, 0), "body"),
			    "Nothing arrives");
	assert_int_equal(json_array_size(items_of(
				 s, api_fmt("/api/v1/tickets/%lld/articles",
					    (long long)a))),
			 0);
	items = items_of(
		s, api_fmt("/api/v1/tickets/%lld/attachments", (long long)b));
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(api_int(json_array_get(items, 0), "ticket_id"), b);
	assert_int_equal(json_array_size(items_of(
				 s, api_fmt("/api/v1/tickets/%lld/attachments",
					    (long long)a))),
			 0);

	/* Search documents: the source has none left; the target holds
	 * the moved articles, the file name and the old subject. */
	assert_int_equal(
		db_count(
			s,
			"SELECT COUNT(*) FROM search_docs WHERE ticket_id = $1 "
			"OR source = $2",
			a, "-"),
		0);
	assert_int_equal(db_count(s,
				  "SELECT COUNT(*) FROM search_docs WHERE "
				  "ticket_id = $1 AND source = $2 AND text "
				  "LIKE '%zwiebelfeld%'",
				  b, api_fmt("merged:%lld", (long long)a)),
			 1);
	assert_int_equal(db_count(s,
				  "SELECT COUNT(*) FROM search_docs WHERE "
				  "ticket_id = $1 AND source <> $2 AND text "
				  "LIKE '%quackelbrief%'",
				  b, "subject"),
			 1);
	assert_int_equal(db_count(s,
				  "SELECT COUNT(*) FROM search_docs WHERE "
				  "ticket_id = $1 AND source LIKE $2",
				  b, "attachment:%"),
			 1);
	/* The target's own subject is still its subject. */
	assert_int_equal(db_count(s,
				  "SELECT COUNT(*) FROM search_docs WHERE "
				  "ticket_id = $1 AND source = $2 AND text "
				  "LIKE 'no mail since 9%'",
				  b, "subject"),
			 1);

	/* The search finds the target by the source's words, and never
	 * the merged ticket. */
	assert_true(search_finds(s, "zwiebelfeld", b));
	assert_true(search_finds(s, "quackelbrief", b));
	assert_true(search_finds(s, "mailq", b));
	assert_false(search_finds(s, "zwiebelfeld", a));

	/* Nothing more goes to the merged ticket. */
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/tickets/%lld/articles", (long long)a),
		     "{\"kind\":\"internal_note\",\"body\":\"late\"}");
	api_assert_problem(r, 409, "conflict");
	api_assert_problem(attach(s, a, "late.txt", "late"), 409, "conflict");
	r = api_json(s, &s->viewer, "PATCH",
		     api_fmt("/api/v1/tickets/%lld", (long long)a),
		     "{\"priority\":2}");
	api_assert_problem(r, 409, "conflict");
}

static void test_merge_refusals(void **state)
{
	struct api_server *s = *state;
	int64_t a = api_int(ticket_new(s, "{\"subject\":\"R a\"}"), "id");
	int64_t b = api_int(ticket_new(s, "{\"subject\":\"R b\"}"), "id");
	int64_t c = api_int(ticket_new(s, "{\"subject\":\"R c\"}"), "id");
	int64_t b_version = api_int(ticket_get(s, b), "version");
	article(s, a, "internal_note", "stays");

	api_assert_problem(merge(s, a, a), 409, "conflict");
	api_assert_problem(merge(s, a, 999999999), 400, "validation-failed");
	api_assert_problem(merge(s, 999999999, a), 404, "not-found");
	const char *path = api_fmt("/api/v1/tickets/%lld/merge", (long long)a);
	static const char *const bad[] = {
		"{}",
		"{\"into\":\"2\"}",
		"{\"into\":0}",
		"{\"into\":-3}",
		"{\"into\":2,\"keep\":true}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		api_assert_problem(
			api_json(s, &s->viewer, "POST", path, bad[i]), 400,
			"validation-failed");
	/* A stale If-Match. */
	int64_t a_version = api_int(ticket_get(s, a), "version");
	struct api_resp *r = api_json_h(
		s, &s->viewer, "POST", path,
		api_fmt("{\"into\":%lld}", (long long)b),
		api_fmt("If-Match: \"v%lld\"", (long long)a_version - 1));
	api_assert_problem(r, 412, "precondition-failed");
	/* Permissions: a read token, no session. */
	struct api_auth reader;
	api_token_new(s, s->viewer.person_id, "read", &reader);
	api_assert_problem(api_json(s, &reader, "POST", path,
				    api_fmt("{\"into\":%lld}", (long long)b)),
			   403, "forbidden");
	api_expect_status(api_json(s, NULL, "POST", path,
				   api_fmt("{\"into\":%lld}", (long long)b)),
			  401);
	/* Nothing changed so far. */
	assert_true(
		json_is_null(json_object_get(ticket_get(s, a), "merged_into")));
	assert_int_equal(api_int(ticket_get(s, b), "version"), b_version);

	/* With the right If-Match it works; then A is merged already, and
	 * nothing merges into it. */
	r = api_json_h(s, &s->viewer, "POST", path,
		       api_fmt("{\"into\":%lld}", (long long)b),
		       api_fmt("If-Match: \"v%lld\"", (long long)a_version));
	api_expect_json(r, 200);
	r = merge(s, a, c);
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "merged already");
	r = merge(s, c, a);
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "merge into that one");
	assert_true(
		json_is_null(json_object_get(ticket_get(s, c), "merged_into")));
	/* A chain: B into C; A's number now resolves to C. */
	api_expect_json(merge(s, b, c), 200);
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/ticket-numbers/%lld",
			    (long long)api_int(ticket_get(s, a), "number")));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "id"), c);
	assert_int_equal(json_array_size(items_of(
				 s, api_fmt("/api/v1/tickets/%lld/articles",
					    (long long)c))),
			 1);
}

static void test_merge_too_many_tags(void **state)
{
	struct api_server *s = *state;
	json_t *ta = json_array(), *tb = json_array();
	for (int i = 0; i < 20; i++) {
		json_array_append_new(ta, json_string(api_fmt("a%d", i)));
		json_array_append_new(tb, json_string(api_fmt("b%d", i)));
	}
	json_array_append_new(tb, json_string("a0"));
	int64_t a =
		api_int(ticket_new(s, body_of(json_pack("{ss so}", "subject",
							"Tags a", "tags", ta))),
			"id");
	int64_t b =
		api_int(ticket_new(s, body_of(json_pack("{ss so}", "subject",
							"Tags b", "tags", tb))),
			"id");
	struct api_resp *r = merge(s, a, b);
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, "40 tags");
	assert_true(
		json_is_null(json_object_get(ticket_get(s, a), "merged_into")));
	assert_int_equal(
		json_array_size(json_object_get(ticket_get(s, b), "tags")), 21);
}

static void test_history(void **state)
{
	struct api_server *s = *state;
	json_t *t = ticket_new(s, "{\"subject\":\"History\",\"priority\":3}");
	int64_t id = api_int(t, "id");
	struct api_resp *r =
		api_json(s, &s->editor, "PATCH",
			 api_fmt("/api/v1/tickets/%lld", (long long)id),
			 "{\"subject\":\"History, renamed\",\"priority\":2}");
	api_expect_json(r, 200);
	json_t *a = article(s, id, "outbound_reply", "We are looking into it");
	r = api_json(s, &s->viewer, "PATCH",
		     api_fmt("/api/v1/tickets/%lld", (long long)id),
		     "{\"status\":\"resolved\"}");
	api_expect_json(r, 200);
	article(s, id, "inbound_mail", "It is back!");
	api_expect_json(attach(s, id, "trace.txt", "trace"), 201);

	json_t *items = history(s, id);
	assert_int_equal(json_array_size(items), 8);
	static const char *const actions[] = {
		"ticket.create", "ticket.update",     "ticket.article",
		"ticket.update", "ticket.update",     "ticket.article",
		"ticket.update", "ticket.attachment",
	};
	for (size_t i = 0; i < 8; i++) {
		json_t *it = json_array_get(items, i);
		assert_string_equal(api_str(it, "action"), actions[i]);
		assert_true(json_is_string(json_object_get(it, "at")));
		if (i > 0)
			assert_true(
				api_int(it, "id") >
				api_int(json_array_get(items, i - 1), "id"));
	}
	/* Created: what it was created with. */
	json_t *it = json_array_get(items, 0);
	assert_string_equal(api_str(it, "actor"), s->viewer.login);
	assert_int_equal(api_int(it, "actor_id"), s->viewer.person_id);
	json_t *c = change(it, "subject");
	assert_true(json_is_null(json_object_get(c, "before")));
	assert_string_equal(api_str(c, "after"), "History");
	assert_null(change(it, "id"));
	assert_null(change(it, "version"));
	/* The editor's update: exactly the two fields. */
	it = json_array_get(items, 1);
	assert_string_equal(api_str(it, "actor"), s->editor.login);
	assert_string_equal(fields(it), "subject,priority");
	c = change(it, "priority");
	assert_int_equal(api_int(c, "before"), 3);
	assert_int_equal(api_int(c, "after"), 2);
	/* The reply: the article (no body, an excerpt), and as an update
	 * the first response it set. */
	it = json_array_get(items, 2);
	assert_string_equal(fields(it), "");
	json_t *art = api_obj(it, "article");
	assert_non_null(art);
	assert_int_equal(api_int(art, "id"), api_int(a, "id"));
	assert_string_equal(api_str(art, "kind"), "outbound_reply");
	assert_string_equal(api_str(art, "excerpt"), "We are looking into it");
	assert_null(json_object_get(art, "body"));
	assert_string_equal(fields(json_array_get(items, 3)),
			    "first_response_at");
	/* Resolved, then reopened by the customer's mail. */
	assert_string_equal(fields(json_array_get(items, 4)),
			    "status,resolved_at");
	it = json_array_get(items, 6);
	assert_string_equal(fields(it), "status,resolved_at");
	c = change(it, "status");
	assert_string_equal(api_str(c, "before"), "resolved");
	assert_string_equal(api_str(c, "after"), "open");
	it = json_array_get(items, 7);
	assert_string_equal(api_str(api_obj(it, "attachment"), "filename"),
			    "trace.txt");

	/* Paging, oldest first. */
	r = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/tickets/%lld/history?limit=3", (long long)id));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 3);
	const char *cursor = api_str(r->json, "next_cursor");
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/tickets/%lld/history?limit=3&cursor=%s",
			    (long long)id, cursor));
	api_expect_json(r, 200);
	assert_string_equal(
		api_str(json_array_get(json_object_get(r->json, "items"), 0),
			"action"),
		"ticket.update");
	assert_int_equal(
		api_int(json_array_get(json_object_get(r->json, "items"), 0),
			"id"),
		api_int(json_array_get(items, 3), "id"));
	api_assert_problem(
		api_get(s, &s->viewer, "/api/v1/tickets/999999999/history"),
		404, "not-found");
	api_expect_status(
		api_get(s, NULL,
			api_fmt("/api/v1/tickets/%lld/history", (long long)id)),
		401);
}

static void test_history_of_a_merge(void **state)
{
	struct api_server *s = *state;
	json_t *src = ticket_new(s, "{\"subject\":\"Dup\",\"tags\":[\"x\"]}");
	json_t *dst = ticket_new(s, "{\"subject\":\"Orig\"}");
	int64_t a = api_int(src, "id"), b = api_int(dst, "id");
	api_expect_json(merge(s, a, b), 200);

	json_t *items = history(s, a);
	json_t *last = json_array_get(items, json_array_size(items) - 1);
	assert_string_equal(api_str(last, "action"), "ticket.merge");
	assert_string_equal(fields(last), "status,merged_into,resolved_at,"
					  "closed_at");
	assert_int_equal(api_int(change(last, "merged_into"), "after"), b);

	items = history(s, b);
	last = json_array_get(items, json_array_size(items) - 1);
	assert_string_equal(api_str(last, "action"), "ticket.merge.target");
	assert_string_equal(fields(last), "tags,merged_from");
	json_t *from = json_object_get(change(last, "merged_from"), "after");
	assert_int_equal(api_int(from, "id"), a);
	assert_int_equal(api_int(from, "number"), api_int(src, "number"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_merge_moves_everything),
		API_TEST(test_merge_refusals),
		API_TEST(test_merge_too_many_tags),
		API_TEST(test_history),
		API_TEST(test_history_of_a_merge),
	};
	return API_RUN("merge_history", tests);
}
