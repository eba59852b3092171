/*
 * test_postfix.c - the mailbox against a real Postfix on loopback
 * (scripts/postfix-throwaway: its own configuration under a temporary
 * directory, never the system's), on both engines:
 *
 *   - inbound: a mail submitted to Postfix over SMTP is handed by its
 *     pipe(8) transport to `dutydesk mailgate` (as user nobody, like a
 *     production master.cf) and ends up as a ticket;
 *   - outbound: a reply on that ticket leaves through the outbox and the
 *     delivery worker (serve's DUTYDESK_SMTP_URL points at a second
 *     Postfix) and arrives in that Postfix's Maildir, where the test
 *     reads it back: our Message-ID naming the ticket, In-Reply-To the
 *     customer's mail, the tag in the subject, the UTF-8 text decoded as
 *     sent.
 */
#include <curl/curl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/harness.h"
#include "mail/parse.h"
#include "support/postfix.h"

/* The Postfix the server sends through (started in main). */
static struct ut_postfix relay;

struct upload {
	const char *data;
	size_t len, pos;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t room = size * n, left = u->len - u->pos;
	size_t k = left < room ? left : room;
	memcpy(buf, u->data + u->pos, k);
	u->pos += k;
	return k;
}

/* Submit raw to the Postfix at port over SMTP. */
static void smtp_submit(int port, const char *from, const char *to,
			const char *raw)
{
	CURL *c = curl_easy_init();
	assert_non_null(c);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct upload u = {raw, strlen(raw), 0};
	curl_easy_setopt(c, CURLOPT_URL,
			 api_fmt("smtp://127.0.0.1:%d/test.local", port));
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		fail_msg("SMTP submission failed: %s", curl_easy_strerror(rc));
}

/* The message with this Message-ID once it is processed, or NULL after
 * timeout_s. */
static json_t *wait_message(struct api_server *s, const char *mid,
			    int timeout_s)
{
	for (int i = 0; i < timeout_s * 10; i++) {
		struct api_resp *r =
			api_get(s, &s->admin, "/api/v1/mail/messages?limit=50");
		json_t *items = json_object_get(r->json, "items"), *it;
		size_t k;
		json_array_foreach(
			items, k,
			it) if (strcmp(api_str(it, "message_id"), mid) == 0 &&
				strcmp(api_str(it, "status"), "stored") !=
					0) return it;
		usleep(100 * 1000);
	}
	return NULL;
}

/* A customer organisation whose mail becomes tickets; its domain. */
static const char *customer(struct api_server *s)
{
	const char *domain = api_fmt("%s.example", api_unique("pf"));
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/organisations",
			 api_fmt("{\"name\":\"%s\",\"mail_domains\":[\"%s\"]}",
				 api_unique("PF Org"), domain));
	api_expect_json(r, 201);
	r = api_json(s, &s->editor, "POST", "/api/v1/assignment-rules",
		     api_fmt("{\"name\":\"%s\",\"conditions\":{"
			     "\"organisation_id\":[%lld]},\"actions\":{"
			     "\"priority\":3}}",
			     api_unique("pf rule"),
			     (long long)api_int(r->json, "id")));
	api_expect_json(r, 201);
	return domain;
}

static void test_postfix_pipe_to_ticket(void **state)
{
	struct api_server *s = *state;
	struct api_auth t;
	api_token_new(s, s->admin.person_id, "mail:ingest", &t);
	/* The pipe runs as nobody: the token file and the binary must be
	 * readable by it. */
	char token_path[] = "/tmp/dd-pf-token-XXXXXX";
	int fd = mkstemp(token_path);
	assert_true(fd >= 0);
	assert_true(write(fd, t.bearer, strlen(t.bearer)) > 0);
	close(fd);
	chmod(token_path, 0644);
	char bin[PATH_MAX];
	assert_non_null(realpath(s->bin, bin));
	struct ut_postfix mx;
	const char *argv = api_fmt("%s mailgate --url %s --token-file %s", bin,
				   s->base_url, token_path);
	assert_int_equal(ut_postfix_start(&mx, argv), 0);

	const char *domain = customer(s);
	const char *mid = api_fmt("%s@%s", api_unique("pipe"), domain);
	const char *from = api_fmt("kunde@%s", domain);
	smtp_submit(mx.port, from, "support@dutydesk.test",
		    api_fmt("From: Kunde <%s>\r\nTo: support@dutydesk.test\r\n"
			    "Message-ID: <%s>\r\nSubject: Server down\r\n"
			    "Content-Type: text/plain; charset=utf-8\r\n"
			    "\r\nDer Server antwortet nicht.\r\n",
			    from, mid));
	json_t *m = wait_message(s, mid, 60);
	ut_postfix_stop(&mx);
	unlink(token_path);
	if (!m)
		fail_msg("the mail did not arrive through Postfix's pipe");
	assert_string_equal(api_str(m, "source"), "mta");
	assert_string_equal(api_str(m, "status"), "ticketed");
	struct api_resp *r =
		api_get(s, &s->admin,
			api_fmt("/api/v1/tickets/%lld",
				(long long)api_int(m, "ticket_id")));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "subject"), "Server down");
	assert_string_equal(api_str(r->json, "channel"), "email");
}

static void test_reply_through_postfix(void **state)
{
	struct api_server *s = *state;
	const char *domain = customer(s);
	const char *mid = api_fmt("%s@%s", api_unique("orig"), domain);
	const char *from = api_fmt("kunde@%s", domain);
	struct api_req q = {
		.method = "POST",
		.path = "/api/v1/mail/inbound",
		.auth = &s->admin,
		.body = api_fmt("From: %s\r\nTo: support@dutydesk.test\r\n"
				"Message-ID: <%s>\r\nSubject: Backup\r\n\r\n"
				"Das Backup lief nicht.\r\n",
				from, mid),
		.content_type = "message/rfc822"};
	struct api_resp *r = api_send(s, &q);
	api_expect_json(r, 201);
	int64_t tid = api_int(r->json, "ticket_id");
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/tickets/%lld", (long long)tid));
	int64_t number = api_int(r->json, "number");
	int before = ut_postfix_count(&relay);
	const char *text = "Grüße aus dem Support: das Backup läuft wieder.";
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/tickets/%lld/replies", (long long)tid),
		     api_fmt("{\"body\":\"%s\"}", text));
	api_expect_json(r, 201);
	const char *our_id = api_str(r->json, "message_id");
	if (ut_postfix_wait(&relay, before + 1, 60000) < 0)
		fail_msg("the reply did not arrive in the Maildir");
	/* Find ours among what arrived (both engines share the relay). */
	char *mail = NULL;
	for (int i = 0; i < ut_postfix_count(&relay) && !mail; i++) {
		char *one = ut_postfix_mail(&relay, i);
		if (one && strstr(one, our_id))
			mail = one;
		else
			free(one);
	}
	if (!mail) {
		/* Another engine's mail may have been the one counted. */
		ut_postfix_wait(&relay, before + 2, 30000);
		for (int i = 0; i < ut_postfix_count(&relay) && !mail; i++) {
			char *one = ut_postfix_mail(&relay, i);
			if (one && strstr(one, our_id))
				mail = one;
			else
				free(one);
		}
	}
	assert_non_null(mail);
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_err err;
	dd_arena_init(&arena, 64 * 1024 * 1024);
	dd_err_clear(&err);
	int rc = dd_mail_parse(&arena, mail, strlen(mail), &m, &err);
	free(mail);
	assert_int_equal(rc, 0);
	assert_string_equal(m.message_id, our_id);
	assert_string_equal(m.in_reply_to, mid);
	assert_string_equal(m.subject,
			    api_fmt("Re: Backup [#%lld]", (long long)number));
	assert_string_equal(m.text, text);
	assert_int_equal(m.to.count, 1);
	assert_string_equal(m.to.items[0].addr, from);
	assert_string_equal(m.from.addr, "support@dutydesk.test");
	dd_arena_release(&arena);
	/* Delivered, says the outbox. */
	for (int i = 0; i < 50; i++) {
		r = api_get(
			s, &s->admin,
			api_fmt("/api/v1/outbox?ref_type=ticket&ref_id=%lld",
				(long long)tid));
		json_t *it =
			json_array_get(json_object_get(r->json, "items"), 0);
		if (it && strcmp(api_str(it, "status"), "delivered") == 0)
			return;
		usleep(100 * 1000);
	}
	fail_msg("the outbox does not say delivered");
}

int main(void)
{
	dd_mail_parse_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (ut_postfix_start(&relay, NULL) < 0) {
		printf("[  FAILED  ] 1 test(s): Postfix did not start\n");
		return 1;
	}
	setenv("DUTYDESK_SMTP_URL", api_fmt("smtp://127.0.0.1:%d", relay.port),
	       1);
	setenv("DUTYDESK_MAIL_FROM", "support@dutydesk.test", 1);
	const struct CMUnitTest tests[] = {
		API_TEST(test_postfix_pipe_to_ticket),
		API_TEST(test_reply_through_postfix),
	};
	int failed = API_RUN("mail_postfix", tests);
	ut_postfix_stop(&relay);
	return failed;
}
