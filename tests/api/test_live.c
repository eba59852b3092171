/*
 * test_live.c - GET /api/v1/live, the server-sent event stream: signed-in
 * people only, a change made by anyone arrives within moments as a
 * reference without object data, a change made through a second instance
 * on the same database reaches the first instance's streams (PostgreSQL:
 * LISTEN/NOTIFY; SQLite: two processes on one file), and a server with
 * open streams still stops at once and cleanly.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/harness.h"

struct stream {
	int fd;
	char buf[65536];
	size_t len;
	int eof;
};

static void stream_open(struct stream *st, const struct api_server *s,
			const struct api_auth *a)
{
	memset(st, 0, sizeof(*st));
	st->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(st->fd >= 0);
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((uint16_t)s->port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(
		connect(st->fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	const char *req = api_fmt("GET /api/v1/live HTTP/1.1\r\n"
				  "Host: 127.0.0.1\r\n"
				  "Accept: text/event-stream\r\n"
				  "Cookie: dd_session=%s\r\n\r\n",
				  a->cookie);
	assert_int_equal(write(st->fd, req, strlen(req)), (ssize_t)strlen(req));
}

/* Read until needle has arrived (1) or timeout_ms passed (0). */
static int stream_wait(struct stream *st, const char *needle, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		if (strstr(st->buf, needle))
			return 1;
		if (st->eof)
			return 0;
		struct pollfd p = {st->fd, POLLIN, 0};
		if (poll(&p, 1, 50) > 0) {
			ssize_t n = read(st->fd, st->buf + st->len,
					 sizeof(st->buf) - 1 - st->len);
			if (n <= 0)
				st->eof = 1;
			else
				st->len += (size_t)n;
			st->buf[st->len] = '\0';
		}
	}
	return strstr(st->buf, needle) != NULL;
}

static int64_t new_ticket(struct api_server *s, const char *subject)
{
	struct api_resp *r = api_json(
		s, &s->admin, "POST", "/api/v1/tickets",
		api_fmt("{\"subject\":\"%s\",\"priority\":1,\"channel\":\"api\"}",
			subject));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static void test_signed_in_only(void **state)
{
	struct api_server *s = *state;
	api_assert_problem(api_get(s, NULL, "/api/v1/live"), 401,
			   "unauthenticated");
	struct stream st;
	stream_open(&st, s, &s->viewer);
	assert_true(stream_wait(&st, "event: hello", 3000));
	assert_non_null(strstr(st.buf, "HTTP/1.1 200"));
	assert_non_null(strcasestr(st.buf, "Content-Type: text/event-stream"));
	close(st.fd);
}

static void test_change_arrives_without_data(void **state)
{
	struct api_server *s = *state;
	struct stream st;
	stream_open(&st, s, &s->viewer);
	assert_true(stream_wait(&st, "event: hello", 3000));
	const char *subject = api_unique("Secret live subject");
	int64_t id = new_ticket(s, subject);
	const char *expect = api_fmt("\"action\":\"ticket.create\","
				     "\"object_type\":\"ticket\","
				     "\"object_id\":%lld}",
				     (long long)id);
	assert_true(stream_wait(&st, expect, 3000));
	/* A reference only: the subject is fetched with one's own rights. */
	assert_null(strstr(st.buf, subject));
	close(st.fd);
}

static void test_second_instance_and_clean_stop(void **state)
{
	struct api_server *s = *state;
	struct api_server second;
	assert_int_equal(api_server_attach(&second, s), 0);
	/* Browsers on the first instance, the change through the second. */
	struct stream st;
	stream_open(&st, s, &s->viewer);
	assert_true(stream_wait(&st, "event: hello", 3000));
	int64_t id = new_ticket(&second, api_unique("Through the second"));
	assert_true(stream_wait(
		&st,
		api_fmt("\"object_type\":\"ticket\",\"object_id\":%lld}",
			(long long)id),
		3000));
	close(st.fd);
	/* A server with an open stream stops at once, exit status 0, and
	 * the stream ends. */
	struct stream open_one;
	stream_open(&open_one, &second, &second.viewer);
	assert_true(stream_wait(&open_one, "event: hello", 3000));
	assert_int_equal(api_server_stop(&second), 0);
	stream_wait(&open_one, "never arrives", 2000);
	assert_true(open_one.eof);
	close(open_one.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_in_only),
		cmocka_unit_test(test_change_arrives_without_data),
		cmocka_unit_test(test_second_instance_and_clean_stop),
	};
	return api_run("live", tests, sizeof(tests) / sizeof(tests[0]));
}
