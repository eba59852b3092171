/*
 * test_customers.c - customer organisations, contacts and their
 * memberships, queues and assignment rules over the API on both engines:
 * CRUD with ETags and events, normalised input (domains lowered, phone
 * numbers in E.164, rule words transliterated), validation (a duplicate
 * name 409, a bad phone 400, an unknown project manager 400, unknown
 * fields 400) that leaves nothing behind, viewers reading but not
 * writing, and a ticket moved into a project-manager queue going to the
 * organisation's project manager.
 *
 * The demo's queues, organisations and rules stay as they are: each test
 * makes its own, and its rules name only its own organisations, so that
 * tickets of other tests never match them.
 */
#include <string.h>

#include "api/harness.h"

/* ---- helpers ---- */

static int64_t org_new(struct api_server *s, const char *extra)
{
	const char *name = api_unique("Org");
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/organisations",
			 api_fmt("{\"name\":\"%s\"%s%s}", name,
				 extra ? "," : "", extra ? extra : ""));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static int64_t queue_new(struct api_server *s, const char *owner_rule)
{
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/queues",
			 api_fmt("{\"name\":\"%s\",\"owner_rule\":\"%s\"}",
				 api_unique("Queue"), owner_rule));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

/* The number of events of action on object (admin's event list). */
static int count_events(struct api_server *s, const char *type, int64_t id,
			const char *action)
{
	struct api_resp *r = api_get(
		s, &s->admin,
		api_fmt("/api/v1/"
			"events?object_type=%s&object_id=%lld&limit=500",
			type, (long long)id));
	api_expect_json(r, 200);
	int n = 0;
	size_t i;
	json_t *ev;
	json_array_foreach(json_object_get(r->json, "items"), i, ev)
	{
		n += strcmp(api_str(ev, "action"), action) == 0;
	}
	return n;
}

/* Whether an organisation of this name is listed. */
static int org_listed(struct api_server *s, const char *name)
{
	const char *path = "/api/v1/organisations?limit=500";
	for (;;) {
		struct api_resp *r = api_get(s, &s->viewer, path);
		api_expect_json(r, 200);
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(r->json, "items"), i, o)
		{
			if (strcmp(api_str(o, "name"), name) == 0)
				return 1;
		}
		json_t *next = json_object_get(r->json, "next_cursor");
		if (!json_is_string(next))
			return 0;
		path = api_fmt("/api/v1/organisations?limit=500&cursor=%s",
			       json_string_value(next));
	}
}

/* ---- organisations ---- */

static void test_organisation_crud(void **state)
{
	struct api_server *s = *state;
	int64_t pm = api_person_new(s, "pm", NULL, NULL);
	const char *name = api_unique("Müller Logistik");
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/organisations",
		api_fmt("{\"name\":\"%s\",\"mail_domains\":["
			"\"Mueller-%lld.EXAMPLE\",\"mail.mueller-%lld."
			"example\","
			"\"mueller-%lld.example\"],\"phone_prefixes\":[\"+49 "
			"89 "
			"%lld\",\"0049 (30) %lld-0\"],\"project_manager_id\":"
			"%lld,\"notes\":\"Line one\\nline two\"}",
			name, (long long)pm, (long long)pm, (long long)pm,
			(long long)(1000 + pm), (long long)(2000 + pm),
			(long long)pm));
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	assert_non_null(r->location);
	assert_string_equal(r->location, api_fmt("/api/v1/organisations/%lld",
						 (long long)id));
	assert_string_equal(r->etag, "\"v1\"");
	assert_string_equal(api_str(r->json, "name"), name);
	json_t *domains = json_object_get(r->json, "mail_domains");
	/* Lowered, and the repeated domain kept once. */
	assert_int_equal(json_array_size(domains), 2);
	assert_string_equal(json_string_value(json_array_get(domains, 0)),
			    api_fmt("mueller-%lld.example", (long long)pm));
	json_t *phones = json_object_get(r->json, "phone_prefixes");
	assert_int_equal(json_array_size(phones), 2);
	assert_string_equal(json_string_value(json_array_get(phones, 0)),
			    api_fmt("+4989%lld", (long long)(1000 + pm)));
	assert_string_equal(json_string_value(json_array_get(phones, 1)),
			    api_fmt("+4930%lld0", (long long)(2000 + pm)));
	assert_int_equal(api_int(r->json, "project_manager_id"), pm);
	assert_string_equal(api_str(r->json, "notes"), "Line one\nline two");

	/* Everyone signed in reads. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/organisations/%lld", (long long)id));
	api_expect_json(r, 200);
	assert_string_equal(r->etag, "\"v1\"");
	assert_true(org_listed(s, name));

	/* A change with the current ETag; a stale one changes nothing. */
	const char *path = api_fmt("/api/v1/organisations/%lld", (long long)id);
	r = api_json_h(s, &s->editor, "PATCH", path,
		       "{\"project_manager_id\":null,\"phone_prefixes\":[]}",
		       "If-Match: \"v1\"");
	api_expect_json(r, 200);
	assert_string_equal(r->etag, "\"v2\"");
	assert_true(
		json_is_null(json_object_get(r->json, "project_manager_id")));
	assert_int_equal(
		json_array_size(json_object_get(r->json, "phone_prefixes")), 0);
	/* Untouched lists stay. */
	assert_int_equal(
		json_array_size(json_object_get(r->json, "mail_domains")), 2);
	r = api_json_h(s, &s->editor, "PATCH", path, "{\"notes\":\"lost\"}",
		       "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");
	r = api_get(s, &s->viewer, path);
	assert_string_equal(api_str(r->json, "notes"), "Line one\nline two");
	assert_int_equal(api_int(r->json, "version"), 2);

	assert_int_equal(
		count_events(s, "organisation", id, "organisation.create"), 1);
	assert_int_equal(
		count_events(s, "organisation", id, "organisation.update"), 1);

	r = api_delete(s, &s->editor, path);
	api_expect_status(r, 204);
	r = api_get(s, &s->viewer, path);
	api_assert_problem(r, 404, "not-found");
	assert_int_equal(
		count_events(s, "organisation", id, "organisation.delete"), 1);
	assert_false(org_listed(s, name));
}

static void test_organisation_validation(void **state)
{
	struct api_server *s = *state;
	int64_t pm = api_person_new(s, "pmv", NULL, NULL);
	const char *name = api_unique("Dup");
	int64_t first =
		org_new(s, api_fmt("\"mail_domains\":[\"dup%lld.example\"],"
				   "\"phone_prefixes\":[\"+49 711 %lld\"]",
				   (long long)pm, (long long)pm));
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/organisations",
			 api_fmt("{\"name\":\"%s\"}", name));
	api_expect_json(r, 201);

	/* A duplicate name is a conflict, on create and on rename. */
	r = api_json(s, &s->editor, "POST", "/api/v1/organisations",
		     api_fmt("{\"name\":\"%s\"}", name));
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, name);
	r = api_json(s, &s->editor, "PATCH",
		     api_fmt("/api/v1/organisations/%lld", (long long)first),
		     api_fmt("{\"name\":\"%s\"}", name));
	api_assert_problem(r, 409, "conflict");

	struct {
		const char *body;
		long status;
		const char *slug;
		const char *detail;
	} cases[] = {
		{"\"phone_prefixes\":[\"089 1234\"]", 400, "validation-failed",
		 "phone_prefixes"},
		{"\"phone_prefixes\":[\"+49 89 abc\"]", 400,
		 "validation-failed", "phone_prefixes"},
		{"\"phone_prefixes\":[\"+0\"]", 400, "validation-failed", NULL},
		{"\"phone_prefixes\":\"+4989\"", 400, "validation-failed",
		 NULL},
		{"\"phone_prefixes\":[4989]", 400, "validation-failed", NULL},
		{"\"project_manager_id\":999999", 400, "validation-failed",
		 "project manager"},
		{"\"project_manager_id\":0", 400, "validation-failed", NULL},
		{"\"project_manager_id\":\"5\"", 400, "validation-failed",
		 NULL},
		{"\"mail_domains\":[\"not a domain\"]", 400,
		 "validation-failed", "mail_domains"},
		{"\"mail_domains\":[\"localhost\"]", 400, "validation-failed",
		 NULL},
		{"\"colour\":\"red\"", 400, "validation-failed", "colour"},
		{"\"notes\":5", 400, "validation-failed", "notes"},
		/* Taken by the first organisation. */
		{api_fmt("\"mail_domains\":[\"DUP%lld.example\"]",
			 (long long)pm),
		 409, "conflict", "mail domain"},
		{api_fmt("\"phone_prefixes\":[\"+49711%lld\"]", (long long)pm),
		 409, "conflict", "phone prefix"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *n = api_unique("Bad");
		r = api_json(s, &s->editor, "POST", "/api/v1/organisations",
			     api_fmt("{\"name\":\"%s\",%s}", n, cases[i].body));
		api_assert_problem(r, cases[i].status, cases[i].slug);
		if (cases[i].detail)
			api_assert_detail_has(r, cases[i].detail);
		/* Nothing half-written. */
		assert_false(org_listed(s, n));
	}
	/* A deactivated person is no project manager. */
	r = api_json(s, &s->admin, "PATCH",
		     api_fmt("/api/v1/people/%lld", (long long)pm),
		     "{\"active\":false}");
	api_expect_json(r, 200);
	r = api_json(s, &s->editor, "POST", "/api/v1/organisations",
		     api_fmt("{\"name\":\"%s\",\"project_manager_id\":%lld}",
			     api_unique("Gone"), (long long)pm));
	api_assert_problem(r, 400, "validation-failed");

	/* Limits. */
	char longname[300];
	memset(longname, 'x', 201);
	longname[201] = '\0';
	r = api_json(s, &s->editor, "POST", "/api/v1/organisations",
		     api_fmt("{\"name\":\"%s\"}", longname));
	api_assert_problem(r, 400, "limit-exceeded");
	r = api_json(s, &s->editor, "POST", "/api/v1/organisations",
		     "{\"name\":\"\"}");
	api_assert_problem(r, 400, NULL);
	r = api_json(s, &s->editor, "POST", "/api/v1/organisations", "{}");
	api_assert_problem(r, 400, "validation-failed");
	char *many = api_alloc(64 * 40);
	strcpy(many, "{\"name\":\"Many\",\"mail_domains\":[");
	for (int i = 0; i < 33; i++)
		sprintf(many + strlen(many), "%s\"d%d.example\"", i ? "," : "",
			i);
	strcat(many, "]}");
	r = api_json(s, &s->editor, "POST", "/api/v1/organisations", many);
	api_assert_problem(r, 400, "limit-exceeded");
	/* Deleting what does not exist. */
	r = api_delete(s, &s->editor, "/api/v1/organisations/999999");
	api_assert_problem(r, 404, "not-found");
}

/* ---- contacts ---- */

static void test_contacts(void **state)
{
	struct api_server *s = *state;
	int64_t a = org_new(s, NULL), b = org_new(s, NULL);
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/contacts",
			 api_fmt("{\"name\":\"Erika Mustermann\",\"email\":"
				 "\"Erika.M@Example.ORG\",\"phone\":\"+49 (89) "
				 "555-1234\","
				 "\"organisation_ids\":[%lld,%lld,%lld]}",
				 (long long)b, (long long)a, (long long)b));
	api_expect_json(r, 201);
	int64_t c = api_int(r->json, "id");
	const char *path = api_fmt("/api/v1/contacts/%lld", (long long)c);
	assert_string_equal(r->location, path);
	assert_string_equal(api_str(r->json, "email"), "erika.m@example.org");
	assert_string_equal(api_str(r->json, "phone"), "+49895551234");
	json_t *orgs = json_object_get(r->json, "organisation_ids");
	assert_int_equal(json_array_size(orgs), 2);
	assert_int_equal(json_integer_value(json_array_get(orgs, 0)),
			 a < b ? a : b);

	/* Listed by organisation. */
	r = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/contacts?organisation_id=%lld", (long long)a));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
	r = api_get(s, &s->viewer, "/api/v1/contacts?organisation_id=x");
	api_assert_problem(r, 400, "validation-failed");

	/* Membership: remove, remove again (404), add back (201), add
	 * again (200, nothing changes). */
	const char *mpath =
		api_fmt("%s/organisations/%lld", path, (long long)a);
	r = api_delete(s, &s->editor, mpath);
	api_expect_json(r, 200);
	assert_int_equal(
		json_array_size(json_object_get(r->json, "organisation_ids")),
		1);
	r = api_delete(s, &s->editor, mpath);
	api_assert_problem(r, 404, "not-found");
	r = api_json(s, &s->editor, "PUT", mpath, NULL);
	api_expect_json(r, 201);
	int64_t v = api_int(r->json, "version");
	r = api_json(s, &s->editor, "PUT", mpath, NULL);
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "version"), v);
	r = api_json(s, &s->editor, "PUT",
		     api_fmt("%s/organisations/999999", path), NULL);
	api_assert_problem(r, 404, "not-found");
	r = api_json(s, &s->editor, "PUT",
		     "/api/v1/contacts/999999/"
		     "organisations/1",
		     NULL);
	api_assert_problem(r, 404, "not-found");
	assert_int_equal(
		count_events(s, "contact", c, "contact.organisation.add"), 1);
	assert_int_equal(
		count_events(s, "contact", c, "contact.organisation.remove"),
		1);

	/* Clear the e-mail, keep the rest; stale ETag refused. */
	r = api_json_h(s, &s->editor, "PATCH", path, "{\"email\":null}",
		       api_fmt("If-Match: \"v%lld\"", (long long)v));
	api_expect_json(r, 200);
	assert_true(json_is_null(json_object_get(r->json, "email")));
	assert_string_equal(api_str(r->json, "phone"), "+49895551234");
	r = api_json_h(s, &s->editor, "PATCH", path, "{\"name\":\"X\"}",
		       api_fmt("If-Match: \"v%lld\"", (long long)v));
	api_assert_problem(r, 412, "precondition-failed");

	/* Validation, nothing written. */
	r = api_json(s, &s->editor, "PATCH", path, "{\"phone\":\"0171 5\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PATCH", path, "{\"email\":\"nope\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PATCH", path,
		     "{\"organisation_ids\":[999999]}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PATCH", path, "{\"age\":3}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PATCH", path,
		     "{\"organisation_ids\":\"1\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer, path);
	assert_string_equal(api_str(r->json, "name"), "Erika Mustermann");
	assert_int_equal(
		json_array_size(json_object_get(r->json, "organisation_ids")),
		2);
	r = api_json(s, &s->editor, "POST", "/api/v1/contacts",
		     api_fmt("{\"name\":\"Half\",\"organisation_ids\":[%lld,"
			     "999999]}",
			     (long long)a));
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/contacts?organisation_id=%lld", (long long)a));
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);

	/* Deleting an organisation ends its memberships. */
	r = api_delete(s, &s->editor,
		       api_fmt("/api/v1/organisations/%lld", (long long)b));
	api_expect_status(r, 204);
	r = api_get(s, &s->viewer, path);
	assert_int_equal(
		json_array_size(json_object_get(r->json, "organisation_ids")),
		1);
	r = api_delete(s, &s->editor, path);
	api_expect_status(r, 204);
	r = api_get(s, &s->viewer, path);
	api_assert_problem(r, 404, "not-found");
}

/* ---- queues ---- */

static void test_queues(void **state)
{
	struct api_server *s = *state;
	int64_t group = api_group_new(s, "qg", "none");
	const char *name = api_unique("Billing");
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/queues",
		api_fmt("{\"name\":\"%s\",\"description\":\"Invoices\\nand "
			"dunning\",\"group_id\":%lld}",
			name, (long long)group));
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	const char *path = api_fmt("/api/v1/queues/%lld", (long long)id);
	assert_string_equal(api_str(r->json, "owner_rule"), "none");
	assert_int_equal(api_int(r->json, "group_id"), group);
	assert_string_equal(r->etag, "\"v1\"");

	r = api_json(s, &s->editor, "POST", "/api/v1/queues",
		     api_fmt("{\"name\":\"%s\"}", name));
	api_assert_problem(r, 409, "conflict");
	r = api_json(s, &s->editor, "POST", "/api/v1/queues",
		     "{\"name\":\"Q x\",\"owner_rule\":\"boss\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "POST", "/api/v1/queues",
		     "{\"name\":\"Q y\",\"group_id\":999999}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "POST", "/api/v1/queues",
		     "{\"name\":\"Q z\",\"sla\":1}");
	api_assert_problem(r, 400, "validation-failed");

	r = api_json_h(s, &s->editor, "PATCH", path,
		       "{\"owner_rule\":\"project_manager\",\"group_id\":null}",
		       "If-Match: \"v1\"");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "owner_rule"), "project_manager");
	assert_true(json_is_null(json_object_get(r->json, "group_id")));
	assert_string_equal(api_str(r->json, "description"),
			    "Invoices\nand dunning");
	r = api_json_h(s, &s->editor, "PATCH", path,
		       "{\"owner_rule\":\"none\"}", "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");

	/* Listed for viewers. */
	r = api_get(s, &s->viewer, "/api/v1/queues?limit=500");
	api_expect_json(r, 200);
	int found = 0;
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(r->json, "items"), i, q)
	{
		found += api_int(q, "id") == id;
	}
	assert_int_equal(found, 1);

	/* A queue with tickets stays; an empty one goes. */
	r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
		     api_fmt("{\"subject\":\"In the queue\",\"queue_id\":%lld}",
			     (long long)id));
	api_expect_json(r, 201);
	r = api_delete(s, &s->editor, path);
	api_assert_problem(r, 409, "conflict");
	int64_t empty = queue_new(s, "none");
	r = api_delete(s, &s->editor,
		       api_fmt("/api/v1/queues/%lld", (long long)empty));
	api_expect_status(r, 204);
	assert_int_equal(count_events(s, "queue", empty, "queue.delete"), 1);
}

/* ---- permissions ---- */

static void test_viewer_reads_only(void **state)
{
	struct api_server *s = *state;
	int64_t org = org_new(s, NULL);
	struct api_resp *r = api_json(s, &s->editor, "POST", "/api/v1/contacts",
				      "{\"name\":\"Read Only\"}");
	api_expect_json(r, 201);
	int64_t contact = api_int(r->json, "id");
	int64_t queue = queue_new(s, "none");
	r = api_json(s, &s->editor, "POST", "/api/v1/assignment-rules",
		     api_fmt("{\"name\":\"%s\",\"conditions\":{"
			     "\"organisation_id\":%lld},\"actions\":{"
			     "\"queue_id\":%lld}}",
			     api_unique("perm"), (long long)org,
			     (long long)queue));
	api_expect_json(r, 201);
	int64_t rule = api_int(r->json, "id");

	struct {
		const char *method, *path, *body;
	} writes[] = {
		{"POST", "/api/v1/organisations", "{\"name\":\"V\"}"},
		{"PATCH", api_fmt("/api/v1/organisations/%lld", (long long)org),
		 "{\"notes\":\"v\"}"},
		{"DELETE",
		 api_fmt("/api/v1/organisations/%lld", (long long)org), NULL},
		{"POST", "/api/v1/contacts", "{\"name\":\"V\"}"},
		{"PATCH", api_fmt("/api/v1/contacts/%lld", (long long)contact),
		 "{\"notes\":\"v\"}"},
		{"DELETE", api_fmt("/api/v1/contacts/%lld", (long long)contact),
		 NULL},
		{"PUT",
		 api_fmt("/api/v1/contacts/%lld/organisations/%lld",
			 (long long)contact, (long long)org),
		 NULL},
		{"DELETE",
		 api_fmt("/api/v1/contacts/%lld/organisations/%lld",
			 (long long)contact, (long long)org),
		 NULL},
		{"POST", "/api/v1/queues", "{\"name\":\"V\"}"},
		{"PATCH", api_fmt("/api/v1/queues/%lld", (long long)queue),
		 "{\"name\":\"V\"}"},
		{"DELETE", api_fmt("/api/v1/queues/%lld", (long long)queue),
		 NULL},
		{"POST", "/api/v1/assignment-rules",
		 "{\"name\":\"V\",\"actions\":{\"priority\":1}}"},
		{"PATCH",
		 api_fmt("/api/v1/assignment-rules/%lld", (long long)rule),
		 "{\"enabled\":false}"},
		{"DELETE",
		 api_fmt("/api/v1/assignment-rules/%lld", (long long)rule),
		 NULL},
		{"PUT", "/api/v1/assignment-rules/order", "{\"ids\":[]}"},
	};
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		r = api_json(s, &s->viewer, writes[i].method, writes[i].path,
			     writes[i].body);
		api_assert_problem(r, 403, "forbidden");
		r = api_json(s, NULL, writes[i].method, writes[i].path,
			     writes[i].body);
		api_expect_status(r, 401);
	}
	const char *reads[] = {
		"/api/v1/organisations",
		api_fmt("/api/v1/organisations/%lld", (long long)org),
		"/api/v1/contacts",
		api_fmt("/api/v1/contacts/%lld", (long long)contact),
		"/api/v1/queues",
		api_fmt("/api/v1/queues/%lld", (long long)queue),
		"/api/v1/assignment-rules",
		api_fmt("/api/v1/assignment-rules/%lld", (long long)rule),
	};
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		r = api_get(s, &s->viewer, reads[i]);
		api_expect_json(r, 200);
		r = api_get(s, NULL, reads[i]);
		api_expect_status(r, 401);
	}
	/* A token with only the read scope reads but does not write, even
	 * for an editor. */
	struct api_auth tok;
	api_token_new(s, s->editor.person_id, "read", &tok);
	r = api_get(s, &tok, "/api/v1/organisations");
	api_expect_json(r, 200);
	r = api_json(s, &tok, "POST", "/api/v1/organisations",
		     "{\"name\":\"Token\"}");
	api_assert_problem(r, 403, "forbidden");
	/* Nothing the refused requests touched has changed. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/organisations/%lld", (long long)org));
	assert_int_equal(api_int(r->json, "version"), 1);
	r = api_json(s, &s->editor, "DELETE",
		     api_fmt("/api/v1/assignment-rules/%lld", (long long)rule),
		     NULL);
	api_expect_status(r, 204);
}

/* ---- the project manager's queue ---- */

static void test_project_manager_queue(void **state)
{
	struct api_server *s = *state;
	int64_t pm = api_person_new(s, "pmq", NULL, NULL);
	int64_t other = api_person_new(s, "own", NULL, NULL);
	int64_t org = org_new(
		s, api_fmt("\"project_manager_id\":%lld", (long long)pm));
	int64_t pmq = queue_new(s, "project_manager");
	int64_t plain = queue_new(s, "none");

	/* Created in the queue: the project manager owns it. */
	struct api_resp *r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
				      api_fmt("{\"subject\":\"Create in PM "
					      "queue\",\"organisation_id\":"
					      "%lld,\"queue_id\":%lld}",
					      (long long)org, (long long)pmq));
	api_expect_json(r, 201);
	assert_int_equal(api_int(r->json, "owner_id"), pm);

	/* Moved into it without an owner: the same. */
	r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
		     api_fmt("{\"subject\":\"Move to PM queue\","
			     "\"organisation_id\":%lld,\"queue_id\":%lld}",
			     (long long)org, (long long)plain));
	api_expect_json(r, 201);
	int64_t t = api_int(r->json, "id");
	assert_true(json_is_null(json_object_get(r->json, "owner_id")));
	const char *path = api_fmt("/api/v1/tickets/%lld", (long long)t);
	r = api_json(s, &s->viewer, "PATCH", path,
		     api_fmt("{\"queue_id\":%lld}", (long long)pmq));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "owner_id"), pm);

	/* An owner already there (or given with the move) stays. */
	r = api_json(s, &s->viewer, "PATCH", path,
		     api_fmt("{\"queue_id\":%lld,\"owner_id\":%lld}",
			     (long long)plain, (long long)other));
	api_expect_json(r, 200);
	r = api_json(s, &s->viewer, "PATCH", path,
		     api_fmt("{\"queue_id\":%lld}", (long long)pmq));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "owner_id"), other);

	/* No organisation: nobody to give it to. */
	r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
		     api_fmt("{\"subject\":\"No org\",\"queue_id\":%lld}",
			     (long long)pmq));
	api_expect_json(r, 201);
	assert_true(json_is_null(json_object_get(r->json, "owner_id")));
}

/* ---- assignment rules ---- */

static void test_rules_crud(void **state)
{
	struct api_server *s = *state;
	int64_t org = org_new(s, NULL);
	int64_t queue = queue_new(s, "none");
	int64_t owner = api_person_new(s, "ro", NULL, NULL);
	const char *name = api_unique("Faults");
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/assignment-rules",
		api_fmt("{\"name\":\"%s\",\"continue\":true,\"conditions\":{"
			"\"organisation_id\":[%lld,%lld],\"channel\":\"phone\","
			"\"priority\":{\"min\":1,\"max\":2},\"subject_words\":["
			"\"STÖRUNG\",\" VPN  down "
			"\",\"störung\"]},\"actions\":{"
			"\"queue_id\":%lld,\"owner_id\":%lld,\"priority\":1}}",
			name, (long long)org, (long long)org, (long long)queue,
			(long long)owner));
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	const char *path =
		api_fmt("/api/v1/assignment-rules/%lld", (long long)id);
	assert_string_equal(r->location, path);
	assert_string_equal(r->etag, "\"v1\"");
	assert_true(api_bool(r->json, "enabled"));
	assert_true(api_bool(r->json, "continue"));
	json_t *c = api_obj(r->json, "conditions");
	assert_non_null(c);
	assert_int_equal(json_array_size(json_object_get(c, "organisation_id")),
			 1);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(c, "channel"), 0)),
			    "phone");
	json_t *prio = json_object_get(c, "priority");
	assert_int_equal(json_array_size(prio), 2);
	assert_int_equal(json_integer_value(json_array_get(prio, 1)), 2);
	json_t *words = json_object_get(c, "subject_words");
	assert_int_equal(json_array_size(words), 2);
	assert_string_equal(json_string_value(json_array_get(words, 0)),
			    "stoerung");
	assert_string_equal(json_string_value(json_array_get(words, 1)),
			    "vpn down");
	json_t *a = api_obj(r->json, "actions");
	assert_int_equal(api_int(a, "queue_id"), queue);
	assert_int_equal(api_int(a, "owner_id"), owner);
	assert_int_equal(api_int(a, "priority"), 1);

	/* Change: conditions replaced as a whole, actions too. */
	r = api_json_h(s, &s->editor, "PATCH", path,
		       "{\"enabled\":false,\"conditions\":{\"priority\":[4,3,"
		       "3]},\"actions\":{\"priority\":2}}",
		       "If-Match: \"v1\"");
	api_expect_json(r, 200);
	assert_false(api_bool(r->json, "enabled"));
	c = api_obj(r->json, "conditions");
	assert_int_equal(json_array_size(json_object_get(c, "organisation_id")),
			 0);
	assert_int_equal(json_array_size(json_object_get(c, "priority")), 2);
	a = api_obj(r->json, "actions");
	assert_true(json_is_null(json_object_get(a, "queue_id")));
	assert_int_equal(api_int(a, "priority"), 2);
	r = api_json_h(s, &s->editor, "PATCH", path, "{\"enabled\":true}",
		       "If-Match: \"v1\"");
	api_assert_problem(r, 412, "precondition-failed");

	/* Validation: each is refused and nothing is stored. */
	const char *bad[] = {
		"{\"name\":\"n\"}",
		"{\"name\":\"n\",\"actions\":{}}",
		"{\"name\":\"n\",\"actions\":{\"queue_id\":999999}}",
		"{\"name\":\"n\",\"actions\":{\"owner_id\":999999}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":7}}",
		"{\"name\":\"n\",\"actions\":{\"colour\":1}}",
		"{\"name\":\"n\",\"actions\":[]}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"channel\":\"fax\"}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"priority\":{\"min\":3,\"max\":1}}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"priority\":[0]}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"priority\":{\"lo\":1}}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"organisation_id\":999999}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"subject_words\":[\"!!!\"]}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"subject_words\":[5]}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":{"
		"\"sender\":\"x\"}}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"conditions\":"
		"[]}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"stop\":true}",
		"{\"name\":\"n\",\"actions\":{\"priority\":1},\"continue\":1}",
		"{\"name\":\"\",\"actions\":{\"priority\":1}}",
	};
	r = api_get(s, &s->viewer, "/api/v1/assignment-rules");
	size_t before = json_array_size(json_object_get(r->json, "items"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_json(s, &s->editor, "POST", "/api/v1/assignment-rules",
			     bad[i]);
		if (r->status != 400)
			fail_msg("rule %s: %ld", bad[i], r->status);
		api_assert_problem(r, 400, NULL);
	}
	r = api_get(s, &s->viewer, "/api/v1/assignment-rules");
	assert_int_equal(json_array_size(json_object_get(r->json, "items")),
			 before);

	/* A queue a rule sends tickets to cannot go. */
	r = api_json(
		s, &s->editor, "PATCH", path,
		api_fmt("{\"actions\":{\"queue_id\":%lld}}", (long long)queue));
	api_expect_json(r, 200);
	r = api_delete(s, &s->editor,
		       api_fmt("/api/v1/queues/%lld", (long long)queue));
	api_assert_problem(r, 409, "conflict");
	api_assert_detail_has(r, name);

	assert_int_equal(count_events(s, "assignment_rule", id,
				      "assignment_rule.create"),
			 1);
	assert_int_equal(count_events(s, "assignment_rule", id,
				      "assignment_rule.update"),
			 2);
	r = api_delete(s, &s->editor, path);
	api_expect_status(r, 204);
	r = api_get(s, &s->viewer, path);
	api_assert_problem(r, 404, "not-found");
}

static void test_rules_order(void **state)
{
	struct api_server *s = *state;
	int64_t org = org_new(s, NULL);
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		struct api_resp *r = api_json(
			s, &s->editor, "POST", "/api/v1/assignment-rules",
			api_fmt("{\"name\":\"%s\",\"conditions\":{"
				"\"organisation_id\":%lld},\"actions\":{"
				"\"priority\":%d}}",
				api_unique("ord"), (long long)org, i + 1));
		api_expect_json(r, 201);
		ids[i] = api_int(r->json, "id");
	}
	/* New rules go to the end. */
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/assignment-rules");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	size_t n = json_array_size(items);
	assert_true(n >= 3);
	assert_int_equal(api_int(json_array_get(items, n - 1), "id"), ids[2]);
	assert_int_equal(api_int(json_array_get(items, n - 3), "id"), ids[0]);

	/* Reverse everything. */
	char *body = api_alloc(32 * (n + 2));
	strcpy(body, "{\"ids\":[");
	for (size_t i = 0; i < n; i++)
		sprintf(body + strlen(body), "%s%lld", i ? "," : "",
			(long long)api_int(json_array_get(items, n - 1 - i),
					   "id"));
	strcat(body, "]}");
	r = api_json(s, &s->editor, "PUT", "/api/v1/assignment-rules/order",
		     body);
	api_expect_json(r, 200);
	json_t *now = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(now), n);
	assert_int_equal(api_int(json_array_get(now, 0), "id"), ids[2]);
	assert_int_equal(api_int(json_array_get(now, 0), "position"), 1);
	assert_int_equal(api_int(json_array_get(now, 2), "id"), ids[0]);

	/* Not every rule, a repeat, an unknown id: refused, order kept. */
	r = api_json(s, &s->editor, "PUT", "/api/v1/assignment-rules/order",
		     api_fmt("{\"ids\":[%lld]}", (long long)ids[0]));
	api_assert_problem(r, 400, "validation-failed");
	if (n >= 2) {
		char *rep = api_alloc(32 * (n + 2));
		strcpy(rep, "{\"ids\":[");
		for (size_t i = 0; i < n; i++)
			sprintf(rep + strlen(rep), "%s%lld", i ? "," : "",
				(long long)ids[0]);
		strcat(rep, "]}");
		r = api_json(s, &s->editor, "PUT",
			     "/api/v1/assignment-rules/order", rep);
		api_assert_problem(r, 400, "validation-failed");
	}
	r = api_json(s, &s->editor, "PUT", "/api/v1/assignment-rules/order",
		     "{\"ids\":\"all\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->editor, "PUT", "/api/v1/assignment-rules/order",
		     "{\"order\":[]}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_get(s, &s->viewer, "/api/v1/assignment-rules");
	assert_int_equal(
		api_int(json_array_get(json_object_get(r->json, "items"), 0),
			"id"),
		ids[2]);
	for (int i = 0; i < 3; i++) {
		r = api_delete(s, &s->editor,
			       api_fmt("/api/v1/assignment-rules/%lld",
				       (long long)ids[i]));
		api_expect_status(r, 204);
	}
}

static void test_demo_data(void **state)
{
	struct api_server *s = *state;
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/queues");
	api_expect_json(r, 200);
	const char *names[] = {"Support management", "Service management",
			       "Project management"};
	for (int k = 0; k < 3; k++) {
		int found = 0;
		size_t i;
		json_t *q;
		json_array_foreach(json_object_get(r->json, "items"), i, q)
		{
			if (strcmp(api_str(q, "name"), names[k]) == 0) {
				found = 1;
				assert_string_equal(api_str(q, "owner_rule"),
						    k == 2 ? "project_manager"
							   : "none");
				assert_false(json_is_null(
					json_object_get(q, "group_id")));
			}
		}
		if (!found)
			fail_msg("no demo queue '%s'", names[k]);
	}
	r = api_get(s, &s->viewer, "/api/v1/organisations/1");
	api_expect_json(r, 200);
	assert_false(
		json_is_null(json_object_get(r->json, "project_manager_id")));
	assert_true(json_array_size(json_object_get(r->json, "mail_domains")) >
		    0);
	r = api_get(s, &s->viewer, "/api/v1/contacts");
	api_expect_json(r, 200);
	assert_true(json_array_size(json_object_get(r->json, "items")) >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_demo_data),
		API_TEST(test_organisation_crud),
		API_TEST(test_organisation_validation),
		API_TEST(test_contacts),
		API_TEST(test_queues),
		API_TEST(test_viewer_reads_only),
		API_TEST(test_project_manager_queue),
		API_TEST(test_rules_crud),
		API_TEST(test_rules_order),
	};
	return API_RUN("customers", tests);
}
