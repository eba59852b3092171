/*
 * test_mail_gate.c - "dutydesk mailgate" as an MTA runs it: one message
 * on standard input, the exit status is all the MTA reads.
 *
 *   0   stored (and a retry of a stored message: 0 again, stored once)
 *   65  refused as a message: empty, over the configured size, over the
 *       most dutydesk takes at all (70 MB, refused before sending)
 *   75  try later: nothing listening, a server that never answers
 *       (--timeout), a token without mail:ingest, a missing token file
 *
 * Each run's stderr must be free of sanitizer reports.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/harness.h"

/* Write text to a new file in the server's directory; its path. */
static const char *file_with(struct api_server *s, const char *name,
			     const char *text)
{
	const char *path = api_fmt("%s/%s", s->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const char *token_file(struct api_server *s, const char *scopes)
{
	struct api_auth t;
	api_token_new(s, s->admin.person_id, scopes, &t);
	return file_with(s, api_unique("token"), api_fmt("%s\n", t.bearer));
}

/* Run a shell line; its exit status. stderr goes to a file that must
 * hold no sanitizer report. */
static int run(struct api_server *s, const char *line)
{
	const char *err = api_fmt("%s/%s", s->dir, api_unique("gate-err"));
	int rc = system(api_fmt("%s 2>%s", line, err));
	FILE *f = fopen(err, "r");
	if (f) {
		char buf[4096];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		if (strstr(buf, "Sanitizer") || strstr(buf, "runtime error"))
			fail_msg("sanitizer report from '%s':\n%s", line, buf);
	}
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static const char *gate(struct api_server *s, const char *url,
			const char *tokens, const char *extra)
{
	return api_fmt("%s mailgate --url %s --token-file %s%s", s->bin, url,
		       tokens, extra ? extra : "");
}

static const char *message(const char *mid)
{
	return api_fmt("From: Kunde <kunde@gate.example>\r\n"
		       "To: support@dutydesk.example\r\n"
		       "Message-ID: <%s@gate.example>\r\n"
		       "Subject: Per Mailgate\r\n\r\nHallo Support\r\n",
		       mid);
}

static void test_stored_and_retried(void **state)
{
	struct api_server *s = *state;
	const char *tokens = token_file(s, "mail:ingest");
	const char *mid = api_unique("gate");
	const char *msg = file_with(s, api_unique("msg"), message(mid));
	assert_int_equal(
		run(s, api_fmt("%s < %s", gate(s, s->base_url, tokens, NULL),
			       msg)),
		0);
	/* The MTA did not see the answer and delivers again. */
	assert_int_equal(
		run(s, api_fmt("%s < %s", gate(s, s->base_url, tokens, NULL),
			       msg)),
		0);
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/mail/messages");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items"), *it;
	size_t i;
	int n = 0;
	json_array_foreach(items, i, it)
	{
		const char *m = api_str(it, "message_id");
		if (strcmp(m, api_fmt("%s@gate.example", mid)) == 0) {
			n++;
			assert_string_equal(api_str(it, "source"), "mta");
		}
	}
	assert_int_equal(n, 1);
	/* The full inbound URL works too. */
	const char *msg2 =
		file_with(s, api_unique("msg"), message(api_unique("gate")));
	assert_int_equal(run(s, api_fmt("%s < %s",
					gate(s,
					     api_fmt("%s/api/v1/mail/inbound",
						     s->base_url),
					     tokens, NULL),
					msg2)),
			 0);
}

static void test_refused_messages_exit_65(void **state)
{
	struct api_server *s = *state;
	const char *tokens = token_file(s, "mail:ingest");
	assert_int_equal(run(s, api_fmt("%s < /dev/null",
					gate(s, s->base_url, tokens, NULL))),
			 65);
	/* Over the configured size. */
	struct api_resp *r =
		api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
			 "{\"max_bytes\":4096}");
	api_expect_json(r, 200);
	char body[6000];
	memset(body, 'y', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	const char *big = file_with(
		s, api_unique("big"),
		api_fmt("%s%s\r\n", message(api_unique("big")), body));
	int rc = run(
		s, api_fmt("%s < %s", gate(s, s->base_url, tokens, NULL), big));
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"max_bytes\":26214400}");
	api_expect_json(r, 200);
	assert_int_equal(rc, 65);
	/* 70 MB: more than dutydesk ever takes, refused before sending. */
	assert_int_equal(run(s, api_fmt("head -c 73400320 /dev/zero | %s",
					gate(s, s->base_url, tokens, NULL))),
			 65);
}

static void test_temporary_failures_exit_75(void **state)
{
	struct api_server *s = *state;
	const char *tokens = token_file(s, "mail:ingest");
	const char *msg =
		file_with(s, api_unique("msg"), message(api_unique("tmp")));
	/* Nothing listens: a port we bound and closed. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	int port = ntohs(a.sin_port);
	close(fd);
	assert_int_equal(
		run(s, api_fmt("%s < %s",
			       gate(s, api_fmt("http://127.0.0.1:%d", port),
				    tokens, NULL),
			       msg)),
		75);
	/* A server that takes the connection and never answers. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = 0;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	assert_int_equal(run(s, api_fmt("%s < %s",
					gate(s,
					     api_fmt("http://127.0.0.1:%d",
						     ntohs(a.sin_port)),
					     tokens, " --timeout 1"),
					msg)),
			 75);
	close(fd);
	/* A token without the scope: the set-up is wrong, keep the mail. */
	assert_int_equal(run(s, api_fmt("%s < %s",
					gate(s, s->base_url,
					     token_file(s, "read,write"), NULL),
					msg)),
			 75);
	assert_int_equal(
		run(s, api_fmt("%s < %s",
			       gate(s, s->base_url,
				    api_fmt("%s/missing", s->dir), NULL),
			       msg)),
		75);
	assert_int_equal(run(s, api_fmt("%s mailgate < %s", s->bin, msg)), 75);
	/* Nothing of this was stored. */
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/mail/messages");
	assert_null(strstr(r->body, "tmp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_stored_and_retried),
		API_TEST(test_refused_messages_exit_65),
		API_TEST(test_temporary_failures_exit_75),
	};
	return API_RUN("mail_gate", tests);
}
