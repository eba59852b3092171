/*
 * test_http_post.c - the mailgate's plain HTTP client (base/http_post.h)
 * against a one-shot server in a child process: the request it sends,
 * plain and chunked answers, an early close, a silent server (the
 * deadline), nothing listening, and URLs it must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/http_post.h"

struct server {
	int port;
	pid_t pid;
	int pipe_fd; /* what the child received */
};

/* A child that accepts one connection, reads the request (up to the
 * blank line and Content-Length bytes), sends answer (NULL: says
 * nothing until killed) and closes. */
static void serve(struct server *s, const char *answer)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), p[2];
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pipe(p), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		close(p[0]);
		int c = accept(fd, NULL, NULL);
		char buf[8192];
		size_t got = 0;
		ssize_t n;
		while (got < sizeof(buf) - 1 &&
		       (n = read(c, buf + got, sizeof(buf) - 1 - got)) > 0) {
			got += (size_t)n;
			buf[got] = '\0';
			char *end = strstr(buf, "\r\n\r\n");
			char *cl = strstr(buf, "Content-Length: ");
			if (end && cl &&
			    got >= (size_t)(end + 4 - buf) +
					    (size_t)atoi(cl + 16))
				break;
		}
		if (write(p[1], buf, got) < 0)
			_exit(1);
		close(p[1]);
		if (!answer)
			pause();
		if (write(c, answer, strlen(answer)) < 0)
			_exit(1);
		close(c);
		_exit(0);
	}
	close(fd);
	close(p[1]);
	s->pipe_fd = p[0];
}

static void finish(struct server *s, char *got, size_t cap)
{
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	ssize_t n = read(s->pipe_fd, got, cap - 1);
	got[n > 0 ? n : 0] = '\0';
	close(s->pipe_fd);
}

static const char *const headers[] = {"Authorization: Bearer t0k",
				      "Content-Type: message/rfc822", NULL};

static void test_plain_answer(void **state)
{
	struct server s;
	struct dd_buf answer;
	char why[300], url[100], got[8192];
	long status;
	serve(&s, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
		  "Content-Length: 9\r\n\r\n{\"id\":42}");
	snprintf(url, sizeof(url),
		 "http://127.0.0.1:%d/api/v1/mail/inbound?source=mta", s.port);
	dd_buf_init(&answer, 1024);
	assert_int_equal(dd_http_post(url, headers, "Subject: x\r\n\r\nhi", 16,
				      5, &status, &answer, why, sizeof(why)),
			 0);
	assert_int_equal(status, 201);
	assert_string_equal(dd_buf_str(&answer), "{\"id\":42}");
	dd_buf_release(&answer);
	finish(&s, got, sizeof(got));
	assert_non_null(strstr(got, "POST /api/v1/mail/inbound?source=mta "
				    "HTTP/1.1\r\n"));
	assert_non_null(strstr(got, "\r\nHost: 127.0.0.1:"));
	assert_non_null(strstr(got, "\r\nAuthorization: Bearer t0k\r\n"));
	assert_non_null(strstr(got, "\r\nContent-Length: 16\r\n"));
	assert_non_null(strstr(got, "\r\n\r\nSubject: x\r\n\r\nhi"));
}

static void test_chunked_answer(void **state)
{
	struct server s;
	struct dd_buf answer;
	char why[300], url[100], got[8192];
	long status;
	serve(&s, "HTTP/1.1 413 Too Large\r\nTransfer-Encoding: chunked\r\n\r\n"
		  "5\r\n{\"det\r\n7\r\nail\":1}\r\n0\r\n\r\n");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", s.port);
	dd_buf_init(&answer, 1024);
	assert_int_equal(dd_http_post(url, headers, "x", 1, 5, &status, &answer,
				      why, sizeof(why)),
			 0);
	assert_int_equal(status, 413);
	assert_string_equal(dd_buf_str(&answer), "{\"detail\":1}");
	dd_buf_release(&answer);
	finish(&s, got, sizeof(got));
	assert_non_null(strstr(got, "POST / HTTP/1.1\r\n"));
}

static void test_failures(void **state)
{
	struct server s;
	struct dd_buf answer;
	char why[300], url[100], got[8192];
	long status;
	dd_buf_init(&answer, 1024);
	/* Not HTTP. */
	serve(&s, "SMTP ready\r\n");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
	assert_int_equal(dd_http_post(url, headers, "x", 1, 5, &status, &answer,
				      why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "not HTTP"));
	finish(&s, got, sizeof(got));
	/* Silent: the deadline. */
	serve(&s, NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
	assert_int_equal(dd_http_post(url, headers, "x", 1, 1, &status, &answer,
				      why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "timeout"));
	finish(&s, got, sizeof(got));
	/* Nothing listens any more on that port. */
	assert_int_equal(dd_http_post(url, headers, "x", 1, 1, &status, &answer,
				      why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "cannot connect"));
	dd_buf_release(&answer);
}

static void test_bad_urls(void **state)
{
	static const char *const bad[] = {
		"https://127.0.0.1/", "ftp://x/",     "http://",
		"http://:80/",	      "http://h:0/",  "http://h:99999/",
		"http://h:8o/",	      "http://[::1/", "http://h/a b",
		"http://h/\r\nX: y",  "http://h\\x/",
	};
	struct dd_buf answer;
	char why[300];
	long status;
	dd_buf_init(&answer, 1024);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dd_http_post(bad[i], headers, "x", 1, 1, &status, &answer,
				 why, sizeof(why)) != -1)
			fail_msg("'%s' was taken", bad[i]);
		assert_int_equal(status, 0);
	}
	dd_buf_release(&answer);
	assert_true(dd_http_post_plain("HTTP://x"));
	assert_false(dd_http_post_plain("https://x"));
	assert_false(dd_http_post_plain(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_answer),
		cmocka_unit_test(test_chunked_answer),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_bad_urls),
	};
	return cmocka_run_group_tests_name("base_http_post", tests, NULL, NULL);
}
