/* Fetching a URL: only http(s), a 2xx, within the size limit, no
 * redirect to another protocol; each failure says why. A listener thread
 * on 127.0.0.1 plays the web server. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/fetch.h"

struct server {
	int fd, port;
	pthread_t thread;
	atomic_int stop;
};

static void reply(int c, const char *text)
{
	size_t n = strlen(text);
	while (n > 0) {
		ssize_t k = send(c, text, n, MSG_NOSIGNAL);
		if (k <= 0)
			return;
		text += k;
		n -= (size_t)k;
	}
}

static void *serve(void *arg)
{
	static char big[4096];
	struct server *s = arg;
	memset(big, 'x', sizeof(big) - 1);
	while (!atomic_load(&s->stop)) {
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			continue;
		char req[2048] = "", path[128] = "";
		ssize_t n = recv(c, req, sizeof(req) - 1, 0);
		if (n > 0 && sscanf(req, "GET %127s", path) == 1) {
			if (strcmp(path, "/ok") == 0)
				reply(c,
				      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
				      "Connection: close\r\n\r\nhello");
			else if (strcmp(path, "/error") == 0)
				reply(c,
				      "HTTP/1.1 500 Oops\r\nContent-Length: 0"
				      "\r\nConnection: close\r\n\r\n");
			else if (strcmp(path, "/to-file") == 0)
				reply(c,
				      "HTTP/1.1 302 Found\r\nLocation: "
				      "file:///etc/hostname\r\nContent-Length:"
				      " 0\r\nConnection: close\r\n\r\n");
			else if (strcmp(path, "/big") == 0) {
				reply(c, "HTTP/1.1 200 OK\r\nConnection: close"
					 "\r\n\r\n");
				reply(c, big);
			}
		}
		close(c);
	}
	return NULL;
}

static int setup(void **state)
{
	static struct server s;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s.fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s.fd < 0 || bind(s.fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s.fd, 8) < 0 ||
	    getsockname(s.fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	s.port = ntohs(a.sin_port);
	if (pthread_create(&s.thread, NULL, serve, &s) != 0)
		return -1;
	*state = &s;
	return 0;
}

static int teardown(void **state)
{
	struct server *s = *state;
	atomic_store(&s->stop, 1);
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
	return 0;
}

/* Fetch path from the listener into a buffer of max bytes. */
static int get(struct server *s, const char *path, size_t max,
	       struct dd_buf *out, struct dd_err *err)
{
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	dd_buf_init(out, max);
	dd_err_clear(err);
	return dd_fetch_url(url, 5000, out, err);
}

static void test_allowed(void **state)
{
	(void)state;
	assert_true(dd_fetch_url_allowed("http://example.org/a.ics"));
	assert_true(dd_fetch_url_allowed("HTTPS://example.org/a.ics"));
	assert_false(dd_fetch_url_allowed("file:///etc/passwd"));
	assert_false(dd_fetch_url_allowed("ftp://example.org/a.ics"));
	assert_false(dd_fetch_url_allowed("httpx://example.org"));
	assert_false(dd_fetch_url_allowed(""));
	assert_false(dd_fetch_url_allowed(NULL));

	struct dd_buf out;
	struct dd_err err;
	dd_buf_init(&out, 100);
	assert_int_equal(dd_fetch_url("gopher://x/", 1000, &out, &err), -1);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.msg, "only http and https"));
	dd_buf_release(&out);
}

static void test_ok(void **state)
{
	struct dd_buf out;
	struct dd_err err;
	assert_int_equal(get(*state, "/ok", 100, &out, &err), 0);
	assert_string_equal(dd_buf_str(&out), "hello");
	dd_buf_release(&out);
}

static void test_failures_say_why(void **state)
{
	static const struct {
		const char *path, *says;
		size_t max;
	} cases[] = {
	    {"/error", "the server answered HTTP 500", 100},
	    {"/missing", "cannot fetch", 100}, /* closed without answer */
	    {"/to-file", "cannot fetch", 100},
	    {"/big", "larger than the limit of 100 bytes", 100},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dd_buf out;
		struct dd_err err;
		int rc = get(*state, cases[i].path, cases[i].max, &out, &err);
		dd_buf_release(&out);
		if (rc != -1 || err.status != 400 ||
		    !strstr(err.msg, cases[i].says) ||
		    strncmp(err.msg, "cannot fetch", 12) != 0)
			fail_msg("%s: rc %d, '%s'", cases[i].path, rc, err.msg);
	}
}

static void test_connection_refused(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	char url[96];
	struct dd_buf out;
	struct dd_err err;
	(void)state;
	/* A port that was free a moment ago: nobody listens there. */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x.ics",
		 ntohs(a.sin_port));
	dd_buf_init(&out, 100);
	assert_int_equal(dd_fetch_url(url, 5000, &out, &err), -1);
	dd_buf_release(&out);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.msg, "cannot fetch"));
	assert_non_null(strstr(err.msg, url));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_allowed),
	    cmocka_unit_test(test_ok),
	    cmocka_unit_test(test_failures_say_why),
	    cmocka_unit_test(test_connection_refused),
	};
	return cmocka_run_group_tests_name("base/fetch", tests, setup,
					   teardown);
}
