/*
 * test_ticket_search.c - GET /api/v1/tickets (search, filters, paging,
 * CSV) and GET /api/v1/tickets/views on both engines.
 *
 * Tickets are created through POST /api/v1/tickets with German and
 * English subjects. The server is shared by all tests, so each test puts
 * a marker word of its own into its subjects and searches with it.
 * Organisations, queues, a second search document (as an article would
 * add) and a merge are written straight into the database as fixtures:
 * the tests are about finding tickets, not about making those.
 *
 * What is checked: umlauts and ß in every spelling find the same ticket;
 * a ticket whose short subject holds the word ranks above one where the
 * word comes late in a long subject, and above one where it is only in
 * an article; every word must occur in the ticket, not necessarily in one
 * document; ties go to the newer ticket; filters combine; phrases keep
 * their order; cursors page through lists of every sort; merged tickets
 * are not listed; hostile queries get a clear 400 or an empty list,
 * never a 500 (the harness also insists on a log without errors); the
 * CSV export quotes and defuses; each view's count is what its query
 * lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/harness.h"
#include "base/tz.h"
#include "store/store.h"
#include "ticket/ticket.h"
#include "ticket/ticket_list.h"

/* ---- helpers ---- */

/* A word of letters only (one token after folding), new each call. */
static const char *marker(void)
{
	static int counter;
	unsigned n = (unsigned)getpid() * 1000u + (unsigned)++counter;
	char w[16];
	int i = 0;
	w[i++] = 'm';
	w[i++] = 'k';
	while (n && i < 14) {
		w[i++] = (char)('a' + n % 26);
		n /= 26;
	}
	w[i] = '\0';
	return api_fmt("%s", w);
}

/* s percent-encoded for a query string. */
static const char *enc(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = api_alloc(3 * n + 1), *w = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			*w++ = (char)*p;
		} else {
			*w++ = '%';
			*w++ = hex[*p >> 4];
			*w++ = hex[*p & 15];
		}
	}
	*w = '\0';
	return out;
}

/* A new ticket: subject, and extra JSON members ("\"priority\":1"). */
static json_t *ticket(struct api_server *s, const char *subject,
		      const char *extra)
{
	json_t *str = json_string(subject);
	char *js = json_dumps(str, JSON_ENCODE_ANY);
	const char *body = api_fmt("{\"subject\":%s%s%s}", js, extra ? "," : "",
				   extra ? extra : "");
	free(js);
	json_decref(str);
	struct api_resp *r =
		api_json(s, &s->viewer, "POST", "/api/v1/tickets", body);
	api_expect_json(r, 201);
	return r->json;
}

static void patch(struct api_server *s, json_t *t, const char *body)
{
	struct api_resp *r = api_json(
		s, &s->viewer, "PATCH",
		api_fmt("/api/v1/tickets/%lld", (long long)api_int(t, "id")),
		body);
	api_expect_json(r, 200);
}

static long long num(json_t *t)
{
	return (long long)api_int(t, "number");
}

/* GET /api/v1/tickets?q=Q&EXTRA as who. */
static struct api_resp *list_as(struct api_server *s, const struct api_auth *a,
				const char *q, const char *extra)
{
	return api_get(s, a,
		       api_fmt("/api/v1/tickets?q=%s%s%s", enc(q),
			       extra ? "&" : "", extra ? extra : ""));
}

/* The numbers a list answered, "10004,10002", insisting on 200. */
#define found(s, q, extra) found_at(s, q, extra, __FILE__, __LINE__)
static const char *found_at(struct api_server *s, const char *q,
			    const char *extra, const char *file, int line)
{
	struct api_resp *r = list_as(s, &s->viewer, q, extra);
	api_expect_json_at(r, 200, file, line);
	char *out = api_alloc(8192);
	size_t len = 0, i;
	json_t *t;
	json_array_foreach(json_object_get(r->json, "items"), i, t)
	{
		len += (size_t)snprintf(out + len, 8192 - len, "%s%lld",
					i ? "," : "",
					(long long)api_int(t, "number"));
	}
	return out;
}

static const char *nums(int n, ...)
{
	va_list ap;
	char *out = api_alloc(1024);
	size_t len = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, 1024 - len, "%s%lld",
					i ? "," : "",
					num(va_arg(ap, json_t *)));
	va_end(ap);
	return out;
}

/* The test server's database, for fixtures. */
static struct dd_store *db(struct api_server *s)
{
	struct dd_store *st;
	struct dd_err err;
	if (dd_store_open(s->db_url, &st, &err) < 0)
		fail_msg("cannot open %s: %s", s->db_url, err.msg);
	return st;
}

static int64_t insert_named(struct api_server *s, const char *table,
			    const char *name)
{
	struct dd_store *st = db(s);
	struct dd_err err;
	int64_t id = 0;
	if (dd_store_query_int(st,
			       api_fmt("INSERT INTO %s (name, created_at, "
				       "updated_at) VALUES "
				       "($1, 0, 0) RETURNING id",
				       table),
			       (struct dd_param[]){DD_P_TEXT(name)}, 1, &id,
			       &err) < 0)
		fail_msg("insert into %s: %s", table, err.msg);
	dd_store_close(st);
	return id;
}

/* A second search document on the ticket, as an article adds one. */
static void index_article(struct api_server *s, json_t *t, const char *text)
{
	struct dd_store *st = db(s);
	struct dd_ctx ctx = {.store = st};
	struct dd_err err;
	if (dd_ticket_index(&ctx, api_int(t, "id"), "article:999", text, &err) <
	    0)
		fail_msg("index: %s", err.msg);
	dd_store_close(st);
}

static void exec_sql(struct api_server *s, const char *sql, int64_t a,
		     int64_t b)
{
	struct dd_store *st = db(s);
	struct dd_err err;
	if (dd_store_exec(st, sql,
			  (struct dd_param[]){DD_P_INT(a), DD_P_INT(b)}, 2,
			  &err) < 0)
		fail_msg("%s: %s", sql, err.msg);
	dd_store_close(st);
}

/* ---- tests ---- */

static void test_umlauts_and_sharp_s(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *de = ticket(s, api_fmt("Störung im Netzwerk %s", m), NULL);
	json_t *en = ticket(s, api_fmt("Network outage %s", m), NULL);
	json_t *street = ticket(s, api_fmt("Straße gesperrt %s", m), NULL);
	const char *want = nums(1, de);
	assert_string_equal(found(s, api_fmt("Störung %s", m), NULL), want);
	assert_string_equal(found(s, api_fmt("Stoerung %s", m), NULL), want);
	assert_string_equal(found(s, api_fmt("störung %s", m), NULL), want);
	assert_string_equal(found(s, api_fmt("STÖRUNG %s", m), NULL), want);
	assert_string_equal(found(s, api_fmt("STOERUNG %s", m), NULL), want);
	/* Decomposed ö (o and a combining diaeresis). */
	assert_string_equal(found(s, api_fmt("Sto\xcc\x88rung %s", m), NULL),
			    want);
	assert_string_equal(found(s, api_fmt("Strasse %s", m), NULL),
			    nums(1, street));
	assert_string_equal(found(s, api_fmt("STRASSE %s", m), NULL),
			    nums(1, street));
	assert_string_equal(found(s, api_fmt("straße %s", m), NULL),
			    nums(1, street));
	assert_string_equal(found(s, api_fmt("outage %s", m), NULL),
			    nums(1, en));
	/* Every word must match. */
	assert_string_equal(found(s, api_fmt("Störung outage %s", m), NULL),
			    "");
}

static void test_relevance(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	/* The word late in a long subject, created first so that age does
	 * not decide. */
	json_t *late = ticket(
		s,
		api_fmt("Printer in the second floor office stopped working "
			"after "
			"the long weekend and the laptop also lost its vpn %s",
			m),
		NULL);
	json_t *article = ticket(s, api_fmt("Anfrage von Kunde %s", m), NULL);
	index_article(s, article,
		      "Guten Tag, seit heute morgen geht unser VPN nicht mehr, "
		      "bitte um Rückruf. Mit freundlichen Grüßen");
	json_t *subject = ticket(s, api_fmt("VPN down %s", m), NULL);
	struct api_resp *r = list_as(s, &s->viewer, api_fmt("vpn %s", m), NULL);
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(items), 3);
	assert_int_equal(api_int(json_array_get(items, 0), "number"),
			 num(subject));
	/* The article's words count for its ticket: "vpn" is only there,
	 * the marker only in the subject. */
	assert_string_equal(found(s, api_fmt("rueckruf %s", m), NULL),
			    nums(1, article));
	assert_string_equal(found(s, "Rückruf freundlichen", NULL),
			    nums(1, article));
	(void)late;

	/* Ties: the same subject twice, the newer first. */
	const char *t = marker();
	json_t *older = ticket(s, api_fmt("Gleicher Betreff %s", t), NULL);
	json_t *newer = ticket(s, api_fmt("Gleicher Betreff %s", t), NULL);
	assert_string_equal(found(s, t, NULL), nums(2, newer, older));
	/* An explicit sort orders matches by that instead. */
	assert_string_equal(found(s, t, "sort=number"), nums(2, newer, older));
	patch(s, older, "{\"priority\":1}");
	assert_string_equal(found(s, t, "sort=updated"), nums(2, older, newer));
	assert_string_equal(found(s, t, "sort=priority"),
			    nums(2, older, newer));
	/* Relevance needs words. */
	r = list_as(s, &s->viewer, "prio:1", "sort=relevance");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "needs words");
}

static void test_filters_combine(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *t1 = ticket(s, api_fmt("Eins %s", m),
			    "\"priority\":1,\"channel\":\"phone\","
			    "\"tags\":[\"vpn\"]");
	json_t *t2 = ticket(s, api_fmt("Two %s", m),
			    "\"priority\":2,\"channel\":\"email\","
			    "\"tags\":[\"vpn\",\"urgent\"]");
	json_t *t3 = ticket(s, api_fmt("Drei %s", m),
			    "\"priority\":3,\"channel\":\"phone\"");
	patch(s, t1, "{\"status\":\"open\"}");
	assert_string_equal(found(s, api_fmt("%s prio:1", m), NULL),
			    nums(1, t1));
	assert_string_equal(
		found(s, api_fmt("%s priority:1..2", m), "sort=number"),
		nums(2, t2, t1));
	assert_string_equal(found(s, api_fmt("%s prio:1,3", m), "sort=number"),
			    nums(2, t3, t1));
	assert_string_equal(
		found(s, api_fmt("%s tag:vpn channel:email", m), NULL),
		nums(1, t2));
	assert_string_equal(found(s, api_fmt("%s tag:vpn tag:urgent", m), NULL),
			    nums(1, t2));
	assert_string_equal(
		found(s, api_fmt("%s channel:phone", m), "sort=number"),
		nums(2, t3, t1));
	assert_string_equal(found(s, api_fmt("%s status:open", m), NULL),
			    nums(1, t1));
	assert_string_equal(
		found(s, api_fmt("%s status:new,pending", m), "sort=number"),
		nums(2, t3, t2));
	assert_string_equal(found(s, api_fmt("number:%lld", num(t3)), NULL),
			    nums(1, t3));
	assert_string_equal(
		found(s, api_fmt("number:%lld,#%lld", num(t3), num(t1)),
		      "sort=number"),
		nums(2, t3, t1));

	/* Organisations and queues, by id and by name (case-insensitive
	 * prefix; quoted with spaces). */
	const char *org_name = api_fmt("Acme %s GmbH", m);
	int64_t org = insert_named(s, "organisations", org_name);
	int64_t queue =
		insert_named(s, "queues", api_fmt("Service %s management", m));
	json_t *t4 =
		ticket(s, api_fmt("Vier %s", m),
		       api_fmt("\"organisation_id\":%lld,\"queue_id\":%lld",
			       (long long)org, (long long)queue));
	const char *w4 = nums(1, t4);
	assert_string_equal(found(s, api_fmt("org:%lld", (long long)org), NULL),
			    w4);
	assert_string_equal(found(s, api_fmt("org:acme %s", m), NULL), w4);
	assert_string_equal(found(s, api_fmt("org:\"ACME %s\"", m), NULL), w4);
	assert_string_equal(found(s, api_fmt("queue:\"service %s\"", m), NULL),
			    w4);
	assert_string_equal(
		found(s, api_fmt("queue:%lld %s", (long long)queue, m), NULL),
		w4);
	assert_string_equal(found(s, api_fmt("%s org:none", m), "sort=number"),
			    nums(3, t3, t2, t1));
	assert_string_equal(found(s, api_fmt("%s queue:none prio:2", m), NULL),
			    nums(1, t2));
	/* LIKE's wildcards are literal in a name. */
	struct api_resp *r =
		list_as(s, &s->viewer, api_fmt("org:%%%s", m), NULL);
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "unknown organisation");
	r = list_as(s, &s->viewer, "org:nosuchorganisationatall", NULL);
	api_assert_problem(r, 400, "validation-failed");
	r = list_as(s, &s->viewer, "queue:999999", NULL);
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "no queue with id 999999");
	r = list_as(s, &s->viewer, "queue:billingxyz", NULL);
	api_assert_detail_has(r, "unknown queue 'billingxyz'");

	/* Owners: a login, me, none. */
	patch(s, t2,
	      api_fmt("{\"owner_id\":%lld}", (long long)s->viewer.person_id));
	assert_string_equal(
		found(s, api_fmt("%s owner:%s", m, s->viewer.login), NULL),
		nums(1, t2));
	assert_string_equal(found(s, api_fmt("%s owner:me", m), NULL),
			    nums(1, t2));
	struct api_resp *mine =
		list_as(s, &s->editor, api_fmt("%s owner:me", m), NULL);
	api_expect_json(mine, 200);
	assert_int_equal(json_array_size(json_object_get(mine->json, "items")),
			 0);
	assert_string_equal(
		found(s, api_fmt("%s owner:none", m), "sort=number"),
		nums(3, t4, t3, t1));
	assert_string_equal(
		found(s, api_fmt("%s is:unassigned prio:3", m), "sort=number"),
		nums(2, t4, t3));
	assert_string_equal(found(s, api_fmt("%s owner:none,me prio:1..2", m),
				  "sort=number"),
			    nums(2, t2, t1));
	r = list_as(s, &s->viewer, "owner:nobody-like-this", NULL);
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "unknown login 'nobody-like-this'");

	/* Due: overdue is past due and not resolved; due today is today in
	 * the organisation's zone (the demo's Europe/Berlin). */
	struct dd_tz *tz;
	struct dd_err err;
	if (dd_tz_load("Europe/Berlin", &tz, &err) < 0)
		fail_msg("%s", err.msg);
	int64_t now = (int64_t)time(NULL);
	int64_t start = dd_tz_local_to_utc(tz, dd_tz_local_day(tz, now), 0);
	dd_tz_free(tz);
	int64_t due = (start + now) / 2; /* earlier today */
	struct tm tm;
	time_t due_t = (time_t)due;
	gmtime_r(&due_t, &tm);
	char text[32];
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
	patch(s, t3, api_fmt("{\"due_at\":\"%s\"}", text));
	patch(s, t1,
	      api_fmt("{\"due_at\":\"%s\",\"status\":\"resolved\"}", text));
	assert_string_equal(found(s, api_fmt("%s is:overdue", m), NULL),
			    nums(1, t3));
	assert_string_equal(
		found(s, api_fmt("%s is:due-today", m), "sort=number"),
		nums(2, t3, t1));
	assert_string_equal(
		found(s, api_fmt("%s is:due-today status:resolved", m), NULL),
		nums(1, t1));
	/* Sorted by due time: soonest first, none last. */
	assert_string_equal(found(s, api_fmt("%s", m), "sort=due&limit=2"),
			    nums(2, t1, t3));
}

static void test_phrases(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *a = ticket(s, api_fmt("Drucker druckt nicht %s", m), NULL);
	json_t *b = ticket(s, api_fmt("Nicht druckt der Drucker %s", m), NULL);
	assert_string_equal(found(s, api_fmt("\"druckt nicht\" %s", m), NULL),
			    nums(1, a));
	assert_string_equal(
		found(s, api_fmt("druckt nicht %s", m), "sort=number"),
		nums(2, b, a));
	assert_string_equal(found(s, api_fmt("\"DRUCKER DRUCKT\" %s", m), NULL),
			    nums(1, a));
	/* A word that folds into two is a phrase: "E-Mail" finds
	 * "e mail", not "mail ... e". */
	json_t *c = ticket(s, api_fmt("Keine E-Mail seit gestern %s", m), NULL);
	ticket(s, api_fmt("Mail kommt nicht an, e %s", m), NULL);
	assert_string_equal(found(s, api_fmt("e-mail %s", m), NULL),
			    nums(1, c));
	assert_string_equal(found(s, api_fmt("\"keine e mail\" %s", m), NULL),
			    nums(1, c));
	/* Phrases with umlauts in any spelling. */
	json_t *d = ticket(s, api_fmt("Große Störung im Rechenzentrum %s", m),
			   NULL);
	assert_string_equal(
		found(s, api_fmt("\"grosse stoerung\" %s", m), NULL),
		nums(1, d));
	assert_string_equal(found(s, api_fmt("\"Störung große\" %s", m), NULL),
			    "");
}

/* Page through q with limit 3; the numbers of all pages in order. */
static const char *all_pages(struct api_server *s, const char *q,
			     const char *sort, int expect_pages)
{
	char *out = api_alloc(4096);
	size_t len = 0;
	const char *cursor = "";
	int pages = 0;
	for (;;) {
		struct api_resp *r =
			list_as(s, &s->viewer, q,
				api_fmt("limit=3&sort=%s&cursor=%s", sort,
					enc(cursor)));
		api_expect_json(r, 200);
		size_t i;
		json_t *t, *items = json_object_get(r->json, "items");
		json_array_foreach(items, i, t)
		{
			len += (size_t)snprintf(
				out + len, 4096 - len, "%s%lld", len ? "," : "",
				(long long)api_int(t, "number"));
		}
		pages++;
		json_t *next = json_object_get(r->json, "next_cursor");
		if (json_is_null(next))
			break;
		assert_true(json_is_string(next));
		assert_int_equal(json_array_size(items), 3);
		cursor = api_fmt("%s", json_string_value(next));
		if (pages > 10)
			fail_msg("too many pages");
	}
	assert_int_equal(pages, expect_pages);
	return out;
}

static void test_paging(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *t[7];
	for (int i = 0; i < 7; i++)
		t[i] = ticket(s, api_fmt("Seite %d %s", i, m),
			      api_fmt("\"priority\":%d", 1 + i % 4));
	/* Same updated_at for two tickets: the id decides. */
	exec_sql(s, "UPDATE tickets SET updated_at = $2 WHERE id = $1",
		 api_int(t[3], "id"), 1700000000000);
	exec_sql(s, "UPDATE tickets SET updated_at = $2 WHERE id = $1",
		 api_int(t[4], "id"), 1700000000000);
	const char *newest = nums(7, t[6], t[5], t[2], t[1], t[0], t[4], t[3]);
	const char *by_number =
		nums(7, t[6], t[5], t[4], t[3], t[2], t[1], t[0]);
	const char *filter = api_fmt("%s prio:1..4", m);
	/* A 7-ticket list in pages of 3: 3 + 3 + 1. */
	assert_string_equal(all_pages(s, filter, "updated", 3), newest);
	assert_string_equal(all_pages(s, filter, "number", 3), by_number);
	assert_string_equal(all_pages(s, filter, "created", 3), by_number);
	assert_string_equal(all_pages(s, filter, "priority", 3),
			    nums(7, t[0], t[4], t[5], t[1], t[6], t[2], t[3]));
	assert_string_equal(all_pages(s, filter, "due", 3),
			    nums(7, t[0], t[1], t[2], t[3], t[4], t[5], t[6]));
	/* Ranked: paged by position. */
	const char *ranked = all_pages(s, m, "relevance", 3);
	assert_int_equal(strlen(ranked), strlen(newest));
	/* Six tickets: two full pages, and no third. */
	assert_string_equal(
		all_pages(s, api_fmt("%s prio:1..3", m), "number", 2),
		nums(6, t[6], t[5], t[4], t[2], t[1], t[0]));

	/* total on request. */
	struct api_resp *r =
		list_as(s, &s->viewer, filter, "limit=2&total=true");
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "total"), 7);
	r = list_as(s, &s->viewer, m, "limit=2&total=true");
	assert_int_equal(api_int(r->json, "total"), 7);
	r = list_as(s, &s->viewer, filter, "limit=2");
	assert_null(json_object_get(r->json, "total"));

	/* Cursors of another sort, or made up, are refused. */
	r = list_as(s, &s->viewer, filter, "limit=2&sort=updated");
	const char *cur = api_str(r->json, "next_cursor");
	r = list_as(s, &s->viewer, filter,
		    api_fmt("sort=number&cursor=%s", enc(cur)));
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "cursor");
	static const char *const bad[] = {
		"x",	 "u1",	      "u1.",  "u1.2.3",
		"u-.1",	 "u1.2;DROP", "r1",   "u99999999999999999999.1",
		"u 1.2", "u1.2 ",     "p1.2", "n1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = list_as(s, &s->viewer, filter,
			    api_fmt("sort=updated&cursor=%s", enc(bad[i])));
		api_assert_problem(r, 400, "validation-failed");
	}
	static const char *const bad_ranked[] = {"r-1", "r99999999", "r",
						 "u1.2", "r1.2"};
	for (size_t i = 0; i < sizeof(bad_ranked) / sizeof(bad_ranked[0]);
	     i++) {
		r = list_as(s, &s->viewer, m,
			    api_fmt("cursor=%s", enc(bad_ranked[i])));
		api_assert_problem(r, 400, "validation-failed");
	}
	/* The last ranked position answers an empty page. */
	r = list_as(s, &s->viewer, m, "cursor=r10000");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
}

static void test_merged_not_listed(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *into = ticket(s, api_fmt("Hauptticket %s", m), NULL);
	json_t *gone = ticket(s, api_fmt("Doppelt %s", m), NULL);
	exec_sql(s, "UPDATE tickets SET merged_into = $2 WHERE id = $1",
		 api_int(gone, "id"), api_int(into, "id"));
	assert_string_equal(found(s, m, NULL), nums(1, into));
	assert_string_equal(found(s, api_fmt("doppelt %s", m), NULL), "");
	/* The old number finds the ticket it went into. */
	assert_string_equal(found(s, api_fmt("number:%lld", num(gone)), NULL),
			    nums(1, into));
}

static void test_tags_and_json(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *t = ticket(s, api_fmt("Mit Schlagworten %s", m),
			   "\"tags\":[\"vpn\",\"acme\",\"a:b\"]");
	ticket(s, api_fmt("Ohne Schlagworte %s", m), NULL);
	struct api_resp *r = list_as(s, &s->viewer, m, "sort=number");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *with = json_array_get(items, 1);
	assert_int_equal(api_int(with, "id"), api_int(t, "id"));
	json_t *tags = json_object_get(with, "tags");
	assert_int_equal(json_array_size(tags), 3);
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "a:b");
	assert_string_equal(json_string_value(json_array_get(tags, 2)), "vpn");
	assert_int_equal(json_array_size(json_object_get(
				 json_array_get(items, 0), "tags")),
			 0);
	/* The same object GET /tickets/{id} answers. */
	struct api_resp *one = api_get(
		s, &s->viewer,
		api_fmt("/api/v1/tickets/%lld", (long long)api_int(t, "id")));
	api_expect_json(one, 200);
	assert_true(json_equal(one->json, with));
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
	/* Without q: every ticket, newest change first. */
	r = api_get(s, &s->viewer, "/api/v1/tickets?limit=1");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
	assert_true(json_is_string(json_object_get(r->json, "next_cursor")));
	r = api_get(s, NULL, "/api/v1/tickets");
	api_expect_status(r, 401);
	r = api_get(s, NULL, "/api/v1/tickets/views");
	api_expect_status(r, 401);
}

static void test_hostile_queries(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	ticket(s, api_fmt("Harmlos %s", m), NULL);
	struct {
		const char *q;
		int status; /* 400, or 200 with an empty list */
		const char *detail;
	} cases[] = {
		{"\" OR 1=1 --", 400, "quote is not closed"},
		{"OR 1=1 --", 400, "no letters or digits"},
		{"x' OR '1'='1", 200, NULL},
		{"'; DROP TABLE tickets; --", 400, "no letters or digits"},
		{"tickets; DROP TABLE tickets", 200, NULL},
		{"NEAR(", 200, NULL},
		{"NEAR(a b, 2)", 200, NULL},
		{"a AND b OR NOT c", 200, NULL},
		{"col:value", 400, "unknown filter 'col'"},
		{"text:abc", 400, "unknown filter 'text'"},
		{"*", 400, "no letters or digits"},
		{"abc*", 200, NULL},
		{"^abc", 200, NULL},
		{"\"unbalanced", 400, "quote is not closed"},
		{"a \"b c\" \"d", 400, "quote is not closed"},
		{"\\u0000", 200, NULL},
		{"!@#$%^&*()", 400, "no letters or digits"},
		{"status:open) OR (1=1", 400, "unknown status"},
		{"prio:7", 400, "prio must be 1 to 4"},
		{"prio:-1", 400, "prio must be 1 to 4"},
		{"priority:1..9", 400, "priority must be 1 to 4"},
		{"foo:bar", 400, "unknown filter 'foo'"},
		{"number:1e9", 400, "ticket number"},
		{"number:99999999999999999999", 400, "ticket number"},
		{"org:12abc", 400, "name or an id"},
		{"tag:<script>", 400, "tag '<script>'"},
		{"is:everything", 400, "is: takes"},
		{"'abc'&'def'", 200, NULL},
		{"abc<->def|!ghi:*", 200, NULL},
		{"& | <->", 400, "no letters or digits"},
		{"zzqx\xf0\x9f\x98\x80", 200, NULL},
		{"\xf0\x9f\x98\x80", 400, "no letters or digits"},
		{"\xe2\x80\x8b", 400, "no letters or digits"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct api_resp *r = list_as(s, &s->viewer, cases[i].q, NULL);
		if (cases[i].status == 400) {
			api_assert_problem(r, 400, NULL);
			api_assert_detail_has(r, cases[i].detail);
		} else {
			api_expect_json(r, 200);
			assert_int_equal(json_array_size(json_object_get(
						 r->json, "items")),
					 0);
		}
		/* The same as CSV: the same answer, never a 500. */
		r = list_as(s, &s->viewer, cases[i].q, "format=csv");
		assert_int_equal(r->status, cases[i].status);
	}
	/* Bytes that are not text. */
	struct api_resp *r =
		api_get(s, &s->viewer, "/api/v1/tickets?q=abc%FF%FE");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "UTF-8");
	r = api_get(s, &s->viewer, "/api/v1/tickets?q=abc%01def");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "control character");
	/* A NUL byte is refused for every argument by the server, rather
	 * than cutting the query short there. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/tickets?q=%s%%00%%22", enc(m)));
	api_assert_problem(r, 400, "bad-request");
	api_assert_detail_has(r, "NUL");
	/* 10 kB of query, 1001 bytes, 25 terms. */
	char *big = api_alloc(10 * 1024 + 1);
	memset(big, 'a', 10 * 1024);
	r = list_as(s, &s->viewer, big, NULL);
	api_assert_problem(r, 400, "limit-exceeded");
	api_assert_detail_has(r, "1000 bytes");
	big[1001] = '\0';
	r = list_as(s, &s->viewer, big, NULL);
	api_assert_problem(r, 400, "limit-exceeded");
	big[1000] = '\0';
	r = list_as(s, &s->viewer, big, NULL);
	api_expect_json(r, 200);
	char many[256] = "";
	for (int i = 0; i < 25; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
			 "w%d ", i);
	r = list_as(s, &s->viewer, many, NULL);
	api_assert_problem(r, 400, "limit-exceeded");
	api_assert_detail_has(r, "at most 24 terms");
	/* Other parameters. */
	static const char *const bad[] = {
		"sort=bogus",  "limit=0",
		"limit=501",   "limit=-1",
		"limit=abc",   "format=xml",
		"total=maybe", "limit=99999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = list_as(s, &s->viewer, m, bad[i]);
		api_assert_problem(r, 400, "validation-failed");
	}
	/* Everything still there. */
	assert_string_equal(found(s, m, NULL),
			    found(s, api_fmt("harmlos %s", m), NULL));
}

static void test_csv(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *a = ticket(s, api_fmt("Krüger, \"Annie\" %s", m),
			   "\"priority\":2,\"tags\":[\"vpn\",\"acme\"]");
	json_t *b = ticket(s, api_fmt("=HYPERLINK(\"http://x\") %s", m), NULL);
	json_t *c = ticket(s, api_fmt("-2+3 %s", m), "\"channel\":\"web\"");
	struct api_resp *r =
		list_as(s, &s->viewer, m, "format=csv&sort=number");
	api_expect_status(r, 200);
	assert_string_equal(r->content_type, "text/csv; charset=utf-8");
	const char *cd = api_header(r, "Content-Disposition");
	assert_non_null(cd);
	assert_string_equal(cd, "attachment; filename=\"tickets.csv\"");
	assert_null(r->json);
	/* A header row and three rows, CRLF, newest number first. */
	const char *head = "number,subject,status,priority,channel,"
			   "organisation,queue,owner,due_at,created_at,"
			   "updated_at,tags\r\n";
	assert_true(strncmp(r->body, head, strlen(head)) == 0);
	const char *row = r->body + strlen(head);
	assert_true(strncmp(row,
			    api_fmt("%lld,'-2+3 %s,new,3,web,,,,", num(c), m),
			    strlen(api_fmt("%lld,'-2+3 %s,new,3,web,,,,",
					   num(c), m))) == 0);
	assert_non_null(strstr(
		r->body,
		api_fmt("\r\n%lld,\"'=HYPERLINK(\"\"http://x\"\") %s\",new,",
			num(b), m)));
	assert_non_null(strstr(
		r->body,
		api_fmt("\r\n%lld,\"Krüger, \"\"Annie\"\" %s\",new,2,api,,,,",
			num(a), m)));
	assert_non_null(strstr(r->body, ",acme vpn\r\n"));
	int lines = 0;
	for (const char *p = r->body; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, 4);
	/* An empty list is the header alone. */
	r = list_as(s, &s->viewer, api_fmt("%s prio:4", m), "format=csv");
	api_expect_status(r, 200);
	assert_string_equal(r->body, head);
	/* An export is the whole list: no paging. */
	r = list_as(s, &s->viewer, m, "format=csv&limit=2");
	api_assert_problem(r, 400, "validation-failed");
	r = list_as(s, &s->viewer, m, "format=csv&cursor=u1.1");
	api_assert_problem(r, 400, "validation-failed");
	r = list_as(s, &s->viewer, "prio:9", "format=csv");
	api_assert_problem(r, 400, "validation-failed");

	/* More than the 10,000 an export holds is refused, not cut, also
	 * when the list is ranked and pages no further than 10,000: closed
	 * tickets with their search rows, written straight into the
	 * database. */
	const char *many = marker();
	struct dd_store *st = db(s);
	struct dd_err err;
	struct dd_param p[] = {DD_P_INT(DD_TICKET_EXPORT_MAX + 1),
			       DD_P_TEXT(many)};
	if (dd_store_exec(st,
			  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
			  "i + 1 FROM n WHERE i < $1) INSERT INTO tickets "
			  "(number, subject, status, priority, channel, "
			  "created_at, updated_at) SELECT 900000000 + i, $2, "
			  "'closed', 4, 'api', 0, 0 FROM n",
			  p, 2, &err) < 0 ||
	    dd_store_exec(
		    st,
		    api_is_pg(s)
			    ? "INSERT INTO ticket_search (ticket_id, "
			      "text_bytes, tsv) SELECT id, 0, "
			      "setweight(to_tsvector('simple', subject), "
			      "'A') FROM tickets WHERE subject = $1"
			    : "INSERT INTO ticket_search (ticket_id, "
			      "text_bytes, subject, body) SELECT id, 0, "
			      "subject, '' FROM tickets WHERE subject = $1",
		    p + 1, 1, &err) < 0)
		fail_msg("bulk tickets: %s", err.msg);
	dd_store_close(st);
	r = list_as(s, &s->viewer, many, "format=csv");
	api_assert_problem(r, 400, "limit-exceeded");
	api_assert_detail_has(r, "more than 10000 tickets");
	r = list_as(s, &s->viewer, many, "format=csv&sort=number");
	api_assert_problem(r, 400, "limit-exceeded");
	/* The ranked list itself ends at its last position. */
	r = list_as(s, &s->viewer, many, "limit=2&cursor=r9998&total=true");
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
	assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
	assert_int_equal(api_int(r->json, "total"), DD_TICKET_EXPORT_MAX + 1);
}

static void test_views(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	json_t *t = ticket(s, api_fmt("Meins %s", m), "\"priority\":1");
	patch(s, t,
	      api_fmt("{\"owner_id\":%lld}", (long long)s->viewer.person_id));
	int64_t queue = insert_named(s, "queues", api_fmt("Queue %s", m));
	ticket(s, api_fmt("In der Queue %s", m),
	       api_fmt("\"queue_id\":%lld", (long long)queue));
	json_t *closed = ticket(s, api_fmt("Erledigt %s", m),
				api_fmt("\"queue_id\":%lld", (long long)queue));
	patch(s, closed, "{\"status\":\"closed\"}");

	static const char *const ids[] = {"mine", "unassigned", "p1",
					  "due-today", "overdue"};
	struct api_resp *r = api_get(s, &s->viewer, "/api/v1/tickets/views");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items");
	assert_true(json_array_size(items) >= 6);
	assert_false(api_bool(r->json, "queues_truncated"));
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(api_str(json_array_get(items, i), "id"),
				    ids[i]);
	assert_string_equal(api_str(json_array_get(items, 0), "query"),
			    "owner:me status:new,open,pending");
	size_t i;
	json_t *v;
	int queue_seen = 0;
	json_array_foreach(items, i, v)
	{
		/* Each count is what the view's query lists. */
		struct api_resp *l = list_as(s, &s->viewer, api_str(v, "query"),
					     "limit=1&total=true");
		api_expect_json(l, 200);
		assert_int_equal(api_int(v, "count"),
				 api_int(l->json, "total"));
		if (api_int(v, "queue_id") == queue) {
			queue_seen = 1;
			assert_int_equal(api_int(v, "count"), 1);
			assert_string_equal(api_str(v, "name"),
					    api_fmt("Queue %s", m));
			assert_string_equal(
				api_str(v, "id"),
				api_fmt("queue:%lld", (long long)queue));
		}
	}
	assert_true(queue_seen);
	assert_true(api_int(json_array_get(items, 0), "count") >= 1);
	assert_true(api_int(json_array_get(items, 2), "count") >= 1);
	/* Mine is the caller's. */
	r = api_get(s, &s->editor, "/api/v1/tickets/views");
	api_expect_json(r, 200);
	json_t *emine = json_array_get(json_object_get(r->json, "items"), 0);
	struct api_resp *l =
		list_as(s, &s->editor, api_str(emine, "query"), "total=true");
	assert_int_equal(api_int(emine, "count"), api_int(l->json, "total"));
	/* A ticket of the viewer's is not the editor's. */
	assert_string_equal(found(s, api_fmt("%s owner:me", m), NULL),
			    nums(1, t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_umlauts_and_sharp_s),
		API_TEST(test_relevance),
		API_TEST(test_filters_combine),
		API_TEST(test_phrases),
		API_TEST(test_paging),
		API_TEST(test_merged_not_listed),
		API_TEST(test_tags_and_json),
		API_TEST(test_hostile_queries),
		API_TEST(test_csv),
		API_TEST(test_views),
	};
	return API_RUN("ticket_search", tests);
}
