/*
 * test_attachments.c - files on tickets on both engines: a byte-exact
 * round trip (every byte value, NUL included), one blob for the same
 * bytes uploaded twice, the limits (size 413; count, name and media type
 * 400; nothing half-written), hostile and Unicode file names in the JSON
 * and in Content-Disposition, active types (HTML, SVG) served as
 * application/octet-stream, listing, articles, and permissions.
 *
 * The server runs with the default body limit of 1 MiB (the harness has
 * no way to raise it), which is then also the largest file.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "store/store.h"

#define FILE_MAX (1024 * 1024)

/* ---- helpers ---- */

static int64_t ticket_new(struct api_server *s, const char *subject)
{
	struct api_resp *r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
				      api_fmt("{\"subject\":\"%s\"}", subject));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static int64_t ticket_version(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/tickets/%lld", (long long)id));
	api_expect_json(r, 200);
	return api_int(r->json, "version");
}

/* name percent-encoded for a query string. */
static const char *pct(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(name);
	char *out = api_alloc(3 * len + 1), *o = out;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* POST the bytes as a file; query is "?filename=..." or the like; type
 * "" sends no Content-Type. */
static struct api_resp *upload_q(struct api_server *s, const struct api_auth *a,
				 int64_t id, const char *query,
				 const void *data, size_t len, const char *type)
{
	struct api_req q = {
		.method = "POST",
		.path = api_fmt("/api/v1/tickets/%lld/attachments%s",
				(long long)id, query),
		.auth = a,
		.body = data ? data : "",
		.body_len = len,
		.empty_body = len == 0,
		.content_type = type,
	};
	return api_send(s, &q);
}

static struct api_resp *upload(struct api_server *s, int64_t id,
			       const char *name, const void *data, size_t len,
			       const char *type)
{
	return upload_q(s, &s->viewer, id, api_fmt("?filename=%s", pct(name)),
			data, len, type);
}

static json_t *upload_ok(struct api_server *s, int64_t id, const char *name,
			 const void *data, size_t len, const char *type)
{
	struct api_resp *r = upload(s, id, name, data, len, type);
	api_expect_json(r, 201);
	assert_string_equal(r->location,
			    api_fmt("/api/v1/attachments/%lld",
				    (long long)api_int(r->json, "id")));
	return r->json;
}

static struct api_resp *download(struct api_server *s, int64_t id)
{
	return api_get(s, &s->viewer,
		       api_fmt("/api/v1/attachments/%lld", (long long)id));
}

static const char *sha256_hex(const void *data, size_t len)
{
	unsigned char d[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(d) + 1];
	crypto_hash_sha256(d, data, len);
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	return api_fmt("%s", hex);
}

/* Rows of sql with one text parameter, straight from the database. */
static int64_t db_count(struct api_server *s, const char *sql, const char *arg)
{
	struct dd_store *db;
	struct dd_err err;
	int64_t n = -1;
	if (dd_store_open(s->db_url, &db, &err) < 0)
		fail_msg("cannot open the test database: %s", err.msg);
	struct dd_param p[] = {DD_P_TEXT(arg)};
	if (dd_store_query_int(db, sql, p, 1, &n, &err) < 0)
		fail_msg("query failed: %s", err.msg);
	dd_store_close(db);
	return n;
}

static size_t list_count(struct api_server *s, int64_t id)
{
	struct api_resp *r =
		api_get(s, &s->viewer,
			api_fmt("/api/v1/tickets/%lld/attachments?limit=500",
				(long long)id));
	api_expect_json(r, 200);
	return json_array_size(json_object_get(r->json, "items"));
}

/* ---- tests ---- */

static void test_round_trip(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, "Round trip");
	int64_t version = ticket_version(s, id);
	/* Every byte value, NUL first, a few times over. */
	size_t len = 4 * 256 + 3;
	unsigned char *data = api_alloc(len);
	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)(i % 256);
	json_t *a = upload_ok(s, id, "dump.bin", data, len,
			      "application/octet-stream");
	assert_int_equal(api_int(a, "size"), len);
	assert_int_equal(api_int(a, "ticket_id"), id);
	assert_true(json_is_null(json_object_get(a, "article_id")));
	assert_string_equal(api_str(a, "filename"), "dump.bin");
	assert_string_equal(api_str(a, "content_type"),
			    "application/octet-stream");
	assert_string_equal(api_str(a, "sha256"), sha256_hex(data, len));
	assert_string_equal(api_str(a, "download"),
			    api_fmt("/api/v1/attachments/%lld",
				    (long long)api_int(a, "id")));
	assert_int_equal(ticket_version(s, id), version + 1);

	struct api_resp *r = download(s, api_int(a, "id"));
	api_expect_status(r, 200);
	assert_int_equal(r->body_len, len);
	assert_memory_equal(r->body, data, len);
	assert_string_equal(r->content_type, "application/octet-stream");
	assert_string_equal(api_header(r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(api_header(r, "Content-Disposition"),
			    "attachment; filename=\"dump.bin\"; "
			    "filename*=UTF-8''dump.bin");
	r = api_head(s, &s->viewer,
		     api_fmt("/api/v1/attachments/%lld",
			     (long long)api_int(a, "id")));
	api_expect_status(r, 200);
	assert_int_equal(r->body_len, 0);

	/* A text file keeps its type; a type's case is normalised; no
	 * Content-Type at all is a byte stream. */
	a = upload_ok(s, id, "notes.txt", "hello\n", 6,
		      "text/plain; charset=utf-8");
	r = download(s, api_int(a, "id"));
	assert_string_equal(r->content_type, "text/plain; charset=utf-8");
	assert_string_equal(r->body, "hello\n");
	a = upload_ok(s, id, "shot.png", "\x89PNG\r\n\x1a\n", 8, "Image/PNG");
	assert_string_equal(api_str(a, "content_type"), "image/png");
	assert_string_equal(download(s, api_int(a, "id"))->content_type,
			    "image/png");
	a = upload_ok(s, id, "blob", "xyz", 3, "");
	assert_string_equal(api_str(a, "content_type"),
			    "application/octet-stream");

	/* Listed oldest first. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/tickets/%lld/attachments", (long long)id));
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(items), 4);
	assert_string_equal(api_str(json_array_get(items, 0), "filename"),
			    "dump.bin");
	assert_string_equal(api_str(json_array_get(items, 3), "filename"),
			    "blob");
	api_assert_problem(download(s, 999999999), 404, "not-found");
	api_assert_problem(api_get(s, &s->viewer, "/api/v1/attachments/x1"),
			   404, "not-found");
	api_assert_problem(
		api_get(s, &s->viewer, "/api/v1/tickets/999999999/attachments"),
		404, "not-found");
}

static void test_dedup(void **state)
{
	struct api_server *s = *state;
	int64_t t1 = ticket_new(s, "Dedup one"),
		t2 = ticket_new(s, "Dedup two");
	const char *text = api_fmt("the same log file %s\n", api_unique("d"));
	size_t len = strlen(text);
	json_t *a = upload_ok(s, t1, "log.txt", text, len, "text/plain");
	json_t *b =
		upload_ok(s, t2, "copy of log.txt", text, len, "text/plain");
	json_t *c = upload_ok(s, t1, "again.txt", text, len, "text/plain");
	assert_true(api_int(a, "id") != api_int(b, "id"));
	assert_string_equal(api_str(a, "sha256"), api_str(b, "sha256"));
	assert_string_equal(api_str(a, "sha256"), api_str(c, "sha256"));
	/* Three attachments, one blob. */
	const char *hash = sha256_hex(text, len);
	assert_int_equal(
		db_count(s, "SELECT COUNT(*) FROM blobs WHERE hash = $1", hash),
		1);
	assert_int_equal(
		db_count(s, "SELECT COUNT(*) FROM attachments WHERE hash = $1",
			 hash),
		3);
	/* Each downloads as itself. */
	struct api_resp *r = download(s, api_int(b, "id"));
	assert_string_equal(r->body, text);
	assert_non_null(strstr(api_header(r, "Content-Disposition"),
			       "filename=\"copy of log.txt\""));
}

static void test_limits(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, "Limits");
	int64_t version = ticket_version(s, id);
	char *big = api_alloc(FILE_MAX + 1);
	memset(big, 'a', FILE_MAX + 1);
	/* Over the body limit, which is the file limit here. */
	struct api_resp *r = upload(s, id, "big.bin", big, FILE_MAX + 1,
				    "application/octet-stream");
	api_assert_problem(r, 413, "limit-exceeded");
	/* Names: missing, empty, too long, not UTF-8, with CR LF. */
	r = upload_q(s, &s->viewer, id, "", "x", 1, "text/plain");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "filename");
	r = upload_q(s, &s->viewer, id, "?filename=", "x", 1, "text/plain");
	api_assert_problem(r, 400, "validation-failed");
	char name[300];
	memset(name, 'n', 256);
	name[256] = '\0';
	api_assert_problem(upload(s, id, name, "x", 1, "text/plain"), 400,
			   "limit-exceeded");
	r = upload_q(s, &s->viewer, id, "?filename=%FF.txt", "x", 1,
		     "text/plain");
	api_assert_problem(r, 400, "validation-failed");
	r = upload(s, id, "x\r\nSet-Cookie: y", "x", 1, "text/plain");
	api_assert_problem(r, 400, "validation-failed");
	assert_null(r->set_cookie);
	/* An empty file, a bad type, a form instead of a file. */
	api_assert_problem(upload(s, id, "empty.txt", NULL, 0, "text/plain"),
			   400, "validation-failed");
	api_assert_problem(upload(s, id, "a.txt", "x", 1, "text"), 400,
			   "validation-failed");
	api_assert_problem(upload(s, id, "a.txt", "x", 1, "text /plain"), 400,
			   "validation-failed");
	api_assert_problem(upload(s, id, "a.txt", "--b\r\n", 5,
				  "multipart/form-data; boundary=b"),
			   415, "unsupported-media-type");
	/* Articles that are not this ticket's, a ticket that is not. */
	api_assert_problem(upload_q(s, &s->viewer, id,
				    "?filename=a.txt&article_id=999999999", "x",
				    1, "text/plain"),
			   400, "validation-failed");
	api_assert_problem(upload_q(s, &s->viewer, id,
				    "?filename=a.txt&article_id=one", "x", 1,
				    "text/plain"),
			   400, "validation-failed");
	api_assert_problem(upload(s, 999999999, "a.txt", "x", 1, "text/plain"),
			   404, "not-found");
	/* None of it was kept. */
	assert_int_equal(list_count(s, id), 0);
	assert_int_equal(ticket_version(s, id), version);

	/* The limits themselves are fine. */
	memset(name, 'n', 255);
	name[255] = '\0';
	upload_ok(s, id, name, "x", 1, "text/plain");
	json_t *a = upload_ok(s, id, "max.bin", big, FILE_MAX,
			      "application/octet-stream");
	r = download(s, api_int(a, "id"));
	assert_int_equal(r->body_len, FILE_MAX);
	assert_memory_equal(r->body, big, FILE_MAX);
}

static void test_count_limit(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, "Count limit");
	for (int i = 0; i < 100; i++) {
		const char *text = api_fmt("file %d", i);
		struct api_resp *r = upload(s, id, api_fmt("f%d.txt", i), text,
					    strlen(text), "text/plain");
		api_expect_json(r, 201);
	}
	struct api_resp *r =
		upload(s, id, "one-too-many.txt", "x", 1, "text/plain");
	api_assert_problem(r, 400, "limit-exceeded");
	assert_int_equal(list_count(s, id), 100);
	/* Paged like every list. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/tickets/%lld/attachments", (long long)id));
	assert_int_equal(json_array_size(json_object_get(r->json, "items")),
			 50);
	assert_true(json_is_string(json_object_get(r->json, "next_cursor")));
}

static void test_hostile_names(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, "Hostile names");
	static const struct {
		const char *name, *shown, *disposition;
	} cases[] = {
		{"../../etc/passwd", "_.._etc_passwd",
		 "attachment; filename=\"_.._etc_passwd\"; "
		 "filename*=UTF-8''_.._etc_passwd"},
		{"a\"b.txt", "a_b.txt",
		 "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a_b.txt"},
		{"C:\\Windows\\win.ini", "C:_Windows_win.ini",
		 "attachment; filename=\"C:_Windows_win.ini\"; "
		 "filename*=UTF-8''C%3A_Windows_win.ini"},
		{".bashrc", "bashrc",
		 "attachment; filename=\"bashrc\"; filename*=UTF-8''bashrc"},
		{"Störung 日本.txt", "Störung 日本.txt",
		 "attachment; filename=\"St_rung __.txt\"; "
		 "filename*=UTF-8''St%C3%B6rung%20%E6%97%A5%E6%9C%AC.txt"},
		{"invoice\xe2\x80\xae"
		 "fdp.exe",
		 "invoice_fdp.exe",
		 "attachment; filename=\"invoice_fdp.exe\"; "
		 "filename*=UTF-8''invoice_fdp.exe"},
		{"100%; x=y", "100%; x=y",
		 "attachment; filename=\"100_; x=y\"; "
		 "filename*=UTF-8''100%25%3B%20x%3Dy"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *a = upload_ok(s, id, cases[i].name, "data", 4,
				      "text/plain");
		assert_string_equal(api_str(a, "filename"), cases[i].shown);
		struct api_resp *r = download(s, api_int(a, "id"));
		api_expect_status(r, 200);
		assert_string_equal(api_header(r, "Content-Disposition"),
				    cases[i].disposition);
		assert_null(r->set_cookie);
	}
}

static void test_active_types(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, "Active content");
	static const char *const active[] = {
		"text/html",	  "text/html; charset=utf-8",
		"image/svg+xml",  "application/xhtml+xml",
		"text/xml",	  "application/javascript",
		"text/css",	  "application/x-shockwave-flash",
		"message/rfc822", "application/x-made-up",
	};
	const char *html = "<html><script>alert(document.cookie)</script>";
	for (size_t i = 0; i < sizeof(active) / sizeof(active[0]); i++) {
		json_t *a = upload_ok(s, id, "page.html", html, strlen(html),
				      active[i]);
		/* Stored as sent, served as bytes. */
		assert_string_equal(api_str(a, "content_type"), active[i]);
		struct api_resp *r = download(s, api_int(a, "id"));
		api_expect_status(r, 200);
		assert_string_equal(r->content_type,
				    "application/octet-stream");
		assert_string_equal(api_header(r, "X-Content-Type-Options"),
				    "nosniff");
		assert_non_null(strstr(api_header(r, "Content-Security-Policy"),
				       "default-src 'none'"));
		assert_non_null(strstr(api_header(r, "Content-Disposition"),
				       "attachment;"));
		assert_string_equal(r->body, html);
	}
}

static void test_articles_and_permissions(void **state)
{
	struct api_server *s = *state;
	int64_t id = ticket_new(s, "With article"),
		other = ticket_new(s, "Other");
	struct api_resp *r = api_json(
		s, &s->viewer, "POST",
		api_fmt("/api/v1/tickets/%lld/articles", (long long)id),
		"{\"kind\":\"inbound_mail\",\"body\":\"see attached\"}");
	api_expect_json(r, 201);
	int64_t article = api_int(r->json, "id");
	r = upload_q(s, &s->viewer, id,
		     api_fmt("?filename=scan.pdf&article_id=%lld",
			     (long long)article),
		     "%PDF-1.4", 8, "application/pdf");
	api_expect_json(r, 201);
	assert_int_equal(api_int(r->json, "article_id"), article);
	int64_t att = api_int(r->json, "id");
	assert_string_equal(download(s, att)->content_type, "application/pdf");
	/* The article belongs to another ticket. */
	r = upload_q(s, &s->viewer, other,
		     api_fmt("?filename=scan.pdf&article_id=%lld",
			     (long long)article),
		     "%PDF-1.4", 8, "application/pdf");
	api_assert_problem(r, 400, "validation-failed");

	const char *path = api_fmt("/api/v1/attachments/%lld", (long long)att);
	api_expect_status(api_get(s, NULL, path), 401);
	struct api_auth reader;
	api_token_new(s, s->viewer.person_id, "read", &reader);
	r = api_get(s, &reader, path);
	api_expect_status(r, 200);
	assert_memory_equal(r->body, "%PDF-1.4", 8);
	r = upload_q(s, &reader, id, "?filename=x.txt", "x", 1, "text/plain");
	api_assert_problem(r, 403, "forbidden");
	r = upload_q(s, NULL, id, "?filename=x.txt", "x", 1, "text/plain");
	api_expect_status(r, 401);
	struct api_req q = {.method = "POST",
			    .path = api_fmt("/api/v1/tickets/%lld/attachments"
					    "?filename=x.txt",
					    (long long)id),
			    .auth = &s->viewer,
			    .body = "x",
			    .content_type = "text/plain",
			    .omit_csrf = 1};
	api_assert_problem(api_send(s, &q), 403, "csrf-token-missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_round_trip),
		API_TEST(test_dedup),
		API_TEST(test_limits),
		API_TEST(test_count_limit),
		API_TEST(test_hostile_names),
		API_TEST(test_active_types),
		API_TEST(test_articles_and_permissions),
	};
	return API_RUN("attachments", tests);
}
