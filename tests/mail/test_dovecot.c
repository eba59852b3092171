/*
 * test_dovecot.c - the IMAP poller against a real Dovecot on loopback
 * (scripts/dovecot-throwaway: its own configuration under a temporary
 * directory, never the system's), on both engines. Messages are put in
 * with IMAP APPEND (libcurl's APPEND sets \Seen, so $Dutydesk is the
 * mark the tests look at); `dutydesk mail poll` (and once the server's own job)
 * fetches them:
 *
 *   - stored, routed (a ticket, a triage item), flagged \Seen and
 *     $Dutydesk; a second poll stores nothing; the same message twice in
 *     the mailbox is stored once; the password is never shown (nor
 *     taken inside the URL); non-ASCII mailbox names are refused;
 *   - UIDVALIDITY changed (doveadm): everything is read again and
 *     nothing is stored twice;
 *   - imap_after move: stored messages move to the other mailbox; a
 *     poisonous one is stored as failed and moved too; one over
 *     max_bytes stays where it was; none of them stops the others;
 *   - a wrong password: the poll fails saying so and nothing is lost;
 *   - the server's job polls at the set interval by itself.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/harness.h"
#include "mail/imap_parse.h"
#include "support/dovecot.h"

static struct ut_dovecot dovecot;

/* Point the mail settings at mailbox. */
static void settings(struct api_server *s, const char *mailbox,
		     const char *password, const char *after,
		     const char *move_to, long max_bytes, int interval)
{
	struct api_resp *r = api_json(
		s, &s->admin, "PUT", "/api/v1/mail/settings",
		api_fmt("{\"imap_url\":\"%s\",\"imap_user\":\"%s\","
			"\"imap_password\":\"%s\",\"imap_mailbox\":\"%s\","
			"\"imap_after\":\"%s\",\"imap_move_to\":\"%s\","
			"\"max_bytes\":%ld,\"imap_interval_s\":%d}",
			dovecot.url, UT_DOVECOT_USER, password, mailbox, after,
			move_to, max_bytes, interval));
	api_expect_json(r, 200);
	assert_null(json_object_get(r->json, "imap_password"));
	assert_true(api_bool(r->json, "imap_password_set"));
}

static void append(const char *mailbox, const char *raw)
{
	if (ut_dovecot_append(&dovecot, mailbox, raw, strlen(raw)) < 0)
		fail_msg("APPEND to '%s' failed", mailbox);
}

static const char *mail(const char *from, const char *mid, const char *subject)
{
	return api_fmt("From: %s\r\nTo: support@dutydesk.test\r\n"
		       "Message-ID: <%s>\r\nSubject: %s\r\n"
		       "Content-Type: text/plain; charset=utf-8\r\n\r\n"
		       "Bitte helfen Sie.\r\n",
		       from, mid, subject);
}

static struct api_cli_run poll_now(struct api_server *s)
{
	return api_cli_env(s, s->db_url,
			   (const char *const[]){"mail", "poll", NULL});
}

/* The stored messages with this Message-ID (all of them, in *n); the
 * first or NULL. */
static json_t *by_mid(struct api_server *s, const char *mid, int *n)
{
	struct api_resp *r =
		api_get(s, &s->admin, "/api/v1/mail/messages?limit=200");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items"), *it, *first = NULL;
	size_t k;
	*n = 0;
	json_array_foreach(items, k, it)
	{
		if (strcmp(api_str(it, "message_id"), mid) == 0) {
			(*n)++;
			if (!first)
				first = it;
		}
	}
	return first;
}

static json_t *stored_once(struct api_server *s, const char *mid)
{
	int n;
	json_t *m = by_mid(s, mid, &n);
	if (n != 1)
		fail_msg("message <%s> stored %d times", mid, n);
	assert_string_equal(api_str(m, "source"), "imap");
	return m;
}

/* A customer organisation whose mail becomes tickets; its domain. */
static const char *customer(struct api_server *s)
{
	const char *domain = api_fmt("%s.example", api_unique("imap"));
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/organisations",
			 api_fmt("{\"name\":\"%s\",\"mail_domains\":[\"%s\"]}",
				 api_unique("IMAP Org"), domain));
	api_expect_json(r, 201);
	r = api_json(s, &s->editor, "POST", "/api/v1/assignment-rules",
		     api_fmt("{\"name\":\"%s\",\"conditions\":{"
			     "\"organisation_id\":[%lld]},\"actions\":{"
			     "\"priority\":3}}",
			     api_unique("imap rule"),
			     (long long)api_int(r->json, "id")));
	api_expect_json(r, 201);
	return domain;
}

static const char *new_mailbox(const char *prefix)
{
	const char *box = api_unique(prefix);
	if (ut_dovecot_create(&dovecot, box) < 0)
		fail_msg("CREATE '%s' failed", box);
	return box;
}

/* Every message in mailbox carries flag (or, with want 0, none does). */
static void flags_all(const char *mailbox, const char *flag, int want,
		      int count)
{
	char *a = ut_dovecot_command(&dovecot, mailbox, "FETCH 1:* (FLAGS)");
	assert_non_null(a);
	int lines = 0, with = 0;
	for (char *p = a; (p = strstr(p, " FETCH (")) != NULL; p++) {
		lines++;
		char *end = strchr(p, '\n');
		char *hit = strstr(p, flag);
		if (hit && (!end || hit < end))
			with++;
	}
	free(a);
	assert_int_equal(lines, count);
	assert_int_equal(with, want ? count : 0);
}

static int messages_in(const char *mailbox)
{
	char *a = ut_dovecot_command(
		&dovecot, NULL, api_fmt("STATUS \"%s\" (MESSAGES)", mailbox));
	assert_non_null(a);
	char *p = strstr(a, "MESSAGES ");
	int n = p ? atoi(p + 9) : -1;
	free(a);
	return n;
}

static void test_imap_poll_and_flag(void **state)
{
	struct api_server *s = *state;
	const char *box = new_mailbox("Support");
	const char *domain = customer(s);
	const char *known = api_fmt("%s@%s", api_unique("known"), domain);
	const char *stranger =
		api_fmt("%s@elsewhere.example", api_unique("stranger"));
	append(box, mail(api_fmt("kunde@%s", domain), known, "Drucker"));
	const char *raw = mail("someone@elsewhere.example", stranger, "Frage");
	append(box, raw);
	append(box, raw); /* the same message twice: stored once */
	settings(s, box, UT_DOVECOT_PASSWORD, "flag", "", 26214400, 60);
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/mail/settings");
	api_expect_json(r, 200);
	assert_null(json_object_get(r->json, "imap_password"));
	assert_null(strstr(r->body, UT_DOVECOT_PASSWORD));
	/* Credentials belong in their fields, where they are not shown. */
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"imap_url\":\"imap://u:secret@127.0.0.1:1\"}");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "imap_password");
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"imap_mailbox\":\"Gel\u00f6scht\"}");
	api_assert_problem(r, 400, "validation-failed");

	struct api_cli_run run = poll_now(s);
	api_expect_exit(run, 0);
	api_expect_out(run, "found 3: stored 2, stored before 1");
	json_t *m = stored_once(s, known);
	assert_string_equal(api_str(m, "status"), "ticketed");
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/tickets/%lld",
			    (long long)api_int(m, "ticket_id")));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "subject"), "Drucker");
	m = stored_once(s, stranger);
	assert_string_equal(api_str(m, "status"), "triage");
	flags_all(box, "\\Seen", 1, 3);
	flags_all(box, "$Dutydesk", 1, 3);

	/* Polling again stores nothing. */
	run = poll_now(s);
	api_expect_exit(run, 0);
	api_expect_out(run, "found 0: stored 0");
	stored_once(s, known);
	stored_once(s, stranger);
}

static void test_imap_uidvalidity_change(void **state)
{
	struct api_server *s = *state;
	const char *box = new_mailbox("Renumbered");
	const char *a = api_fmt("%s@a.example", api_unique("uv-a"));
	const char *b = api_fmt("%s@a.example", api_unique("uv-b"));
	const char *c = api_fmt("%s@a.example", api_unique("uv-c"));
	append(box, mail("x@a.example", a, "Eins"));
	append(box, mail("x@a.example", b, "Zwei"));
	settings(s, box, UT_DOVECOT_PASSWORD, "flag", "", 26214400, 60);
	struct api_cli_run run = poll_now(s);
	api_expect_exit(run, 0);
	api_expect_out(run, "stored 2");

	/* The server renumbers the mailbox (a restore, a migration): a new
	 * UIDVALIDITY, and our keyword lost with it. */
	char *st = ut_dovecot_command(
		&dovecot, NULL,
		api_fmt("STATUS \"%s\" (UIDVALIDITY UIDNEXT)", box));
	assert_non_null(st);
	int64_t uidvalidity, uidnext;
	assert_int_equal(
		dd_imap_parse_status(st, strlen(st), &uidvalidity, &uidnext),
		0);
	free(st);
	assert_int_equal(
		ut_dovecot_doveadm(
			&dovecot,
			api_fmt("mailbox update -u %s --uid-validity %lld %s",
				UT_DOVECOT_USER, (long long)uidvalidity + 17,
				box)),
		0);
	char *x = ut_dovecot_command(&dovecot, box,
				     "STORE 1:* -FLAGS ($Dutydesk)");
	assert_non_null(x);
	free(x);
	append(box, mail("x@a.example", c, "Drei"));

	run = poll_now(s);
	api_expect_exit(run, 0);
	api_expect_out(run, "found 3: stored 1, stored before 2");
	api_expect_out(run, "uidvalidity changed");
	stored_once(s, a);
	stored_once(s, b);
	stored_once(s, c);
	flags_all(box, "$Dutydesk", 1, 3);
}

static void test_imap_move_poison_and_huge(void **state)
{
	struct api_server *s = *state;
	const char *box = new_mailbox("Inbound");
	const char *done = new_mailbox("Done");
	const char *g1 = api_fmt("%s@p.example", api_unique("good1"));
	const char *g2 = api_fmt("%s@p.example", api_unique("good2"));
	append(box, mail("x@p.example", g1, "Gut eins"));
	/* No header block at all: kept, status failed. */
	const char *poison =
		api_fmt("%s\r\n\001\002\003 not a mail\r\n", api_unique("@@"));
	append(box, poison);
	/* Over max_bytes (4096 here): left in the mailbox. */
	char *huge = api_alloc(12000);
	int n = snprintf(huge, 12000,
			 "From: x@p.example\r\nMessage-ID: <%s@p.example>\r\n"
			 "Subject: gross\r\n\r\n",
			 api_unique("huge"));
	memset(huge + n, 'a', 10000);
	memcpy(huge + n + 10000, "\r\n", 3);
	append(box, huge);
	append(box, mail("x@p.example", g2, "Gut zwei"));
	settings(s, box, UT_DOVECOT_PASSWORD, "move", done, 4096, 60);

	struct api_cli_run run = poll_now(s);
	settings(s, box, UT_DOVECOT_PASSWORD, "flag", "", 26214400, 60);
	api_expect_exit(run, 0);
	api_expect_out(run, "found 4: stored 3");
	api_expect_out(run, "failed 1, left in the mailbox 1");
	assert_string_equal(api_str(stored_once(s, g1), "status"), "triage");
	assert_string_equal(api_str(stored_once(s, g2), "status"), "triage");
	struct api_resp *r = api_get(
		s, &s->admin, "/api/v1/mail/messages?status=failed&limit=200");
	api_expect_json(r, 200);
	assert_true(json_array_size(json_object_get(r->json, "items")) >= 1);
	assert_int_equal(messages_in(box), 1);
	assert_int_equal(messages_in(done), 3);
	char *left = ut_dovecot_command(&dovecot, box, "FETCH 1 (FLAGS)");
	assert_non_null(left);
	assert_null(strstr(left, "$Dutydesk"));
	free(left);
	/* The one left is not tried again on every poll. */
	run = poll_now(s);
	api_expect_exit(run, 0);
	api_expect_out(run, "found 0");
}

static void test_imap_wrong_password(void **state)
{
	struct api_server *s = *state;
	const char *box = new_mailbox("Locked");
	const char *mid = api_fmt("%s@w.example", api_unique("wrong"));
	append(box, mail("x@w.example", mid, "Passwort"));
	settings(s, box, "not-the-password", "flag", "", 26214400, 60);
	struct api_cli_run run = poll_now(s);
	api_expect_exit(run, 1);
	api_expect_err(run, "refused the login of 'support'");
	int count;
	by_mid(s, mid, &count);
	assert_int_equal(count, 0);
	flags_all(box, "$Dutydesk", 0, 1);

	settings(s, box, UT_DOVECOT_PASSWORD, "flag", "", 26214400, 60);
	run = poll_now(s);
	api_expect_exit(run, 0);
	api_expect_out(run, "stored 1");
	stored_once(s, mid);
}

static void test_imap_job_polls_by_itself(void **state)
{
	struct api_server *s = *state;
	const char *box = new_mailbox("Job");
	const char *mid = api_fmt("%s@j.example", api_unique("job"));
	append(box, mail("x@j.example", mid, "Von selbst"));
	settings(s, box, UT_DOVECOT_PASSWORD, "flag", "", 26214400, 10);
	for (int i = 0; i < 300; i++) {
		int count;
		by_mid(s, mid, &count);
		if (count == 1) {
			flags_all(box, "$Dutydesk", 1, 1);
			return;
		}
		usleep(100 * 1000);
	}
	fail_msg("the server's job did not poll the mailbox in 30 s");
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (ut_dovecot_start(&dovecot) < 0) {
		printf("[  FAILED  ] 1 test(s): Dovecot did not start\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		API_TEST(test_imap_poll_and_flag),
		API_TEST(test_imap_uidvalidity_change),
		API_TEST(test_imap_move_poison_and_huge),
		API_TEST(test_imap_wrong_password),
		API_TEST(test_imap_job_polls_by_itself),
	};
	int failed = API_RUN("mail_dovecot", tests);
	ut_dovecot_stop(&dovecot);
	curl_global_cleanup();
	return failed;
}
