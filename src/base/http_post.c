#include "base/http_post.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The answer's header block at most: dutydesk sends a few hundred bytes. */
#define HEAD_MAX (64 * 1024)

int dd_http_post_plain(const char *url)
{
	return url && strncasecmp(url, "http://", 7) == 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(char *why, size_t cap, const char *fmt, const char *arg)
{
	snprintf(why, cap, fmt, arg);
	return -1;
}

/* Split url into host, port and the request target. */
static int split(const char *url, char *host, size_t host_cap, char *port,
		 size_t port_cap, const char **target)
{
	const char *p = url + 7, *end;
	if (*p == '[') {
		end = strchr(p, ']');
		if (!end || (size_t)(end - p - 1) >= host_cap || end == p + 1)
			return -1;
		memcpy(host, p + 1, (size_t)(end - p - 1));
		host[end - p - 1] = '\0';
		p = end + 1;
	} else {
		size_t n = strcspn(p, ":/?#");
		if (n == 0 || n >= host_cap)
			return -1;
		memcpy(host, p, n);
		host[n] = '\0';
		p += n;
	}
	if (*p == ':') {
		size_t n = strspn(p + 1, "0123456789");
		if (n == 0 || n > 5 || n >= port_cap || atoi(p + 1) < 1 ||
		    atoi(p + 1) > 65535)
			return -1;
		memcpy(port, p + 1, n);
		port[n] = '\0';
		p += n + 1;
	} else {
		snprintf(port, port_cap, "80");
	}
	if (*p && *p != '/' && *p != '?')
		return -1;
	*target = p;
	for (const char *q = p; *q; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7f)
			return -1;
	return 0;
}

/* Wait for fd to be ready for events until the deadline: 1, 0 on time-out,
 * -1 on error. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd = {.fd = fd, .events = events};
		int rc = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static int connect_to(const char *host, const char *port, int64_t deadline,
		      char *why, size_t cap)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0) {
		snprintf(why, cap, "cannot resolve '%.200s': %s", host,
			 gai_strerror(rc));
		return -1;
	}
	int fd = -1, err = 0;
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
			    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			int w = wait_fd(fd, POLLOUT, deadline);
			socklen_t len = sizeof(err);
			if (w > 0 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) ==
				    0 &&
			    err == 0)
				break;
			if (w == 0)
				err = ETIMEDOUT;
		} else {
			err = errno;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(why, cap, "cannot connect to '%.200s' port %s: %s",
			 host, port, strerror(err ? err : ECONNREFUSED));
	return fd;
}

static int send_all(int fd, const char *data, size_t len, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			return -1;
		if (wait_fd(fd, POLLOUT, deadline) <= 0)
			return -1;
	}
	return 0;
}

/* Decode a chunked body in place; its new length, or -1. */
static long dechunk(char *b, size_t len)
{
	size_t in = 0, out = 0;
	for (;;) {
		char *end;
		if (in >= len)
			return -1;
		unsigned long n = strtoul(b + in, &end, 16);
		char *eol = memchr(b + in, '\n', len - in);
		if (!eol || end == b + in)
			return -1;
		in = (size_t)(eol - b) + 1;
		if (n == 0)
			return (long)out;
		if (n > len - in)
			return -1;
		memmove(b + out, b + in, n);
		out += n;
		in += n;
		if (in < len && b[in] == '\r')
			in++;
		if (in < len && b[in] == '\n')
			in++;
	}
}

int dd_http_post(const char *url, const char *const *headers, const void *body,
		 size_t len, int timeout_s, long *status, struct dd_buf *answer,
		 char *why, size_t why_cap)
{
	char host[256], port[8];
	const char *target;
	int64_t deadline = now_ms() + (int64_t)timeout_s * 1000;
	*status = 0;
	if (!dd_http_post_plain(url) ||
	    split(url, host, sizeof(host), port, sizeof(port), &target) < 0)
		return fail(why, why_cap, "'%.200s' is not an http:// URL",
			    url);
	struct dd_buf req, in;
	dd_buf_init(&req, HEAD_MAX);
	dd_buf_printf(&req, "POST %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\n",
		      *target ? target : "/", strchr(host, ':') ? "[" : "",
		      host, strchr(host, ':') ? "]" : "",
		      strcmp(port, "80") ? ":" : "",
		      strcmp(port, "80") ? port : "");
	for (int i = 0; headers && headers[i]; i++)
		dd_buf_printf(&req, "%s\r\n", headers[i]);
	dd_buf_printf(&req, "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		      len);
	if (req.overflow) {
		dd_buf_release(&req);
		return fail(why, why_cap, "the request headers are too long%s",
			    "");
	}
	int fd = connect_to(host, port, deadline, why, why_cap);
	if (fd < 0) {
		dd_buf_release(&req);
		return -1;
	}
	int rc = -1;
	dd_buf_init(&in, HEAD_MAX + answer->max);
	if (send_all(fd, req.data, req.len, deadline) < 0 ||
	    send_all(fd, body, len, deadline) < 0) {
		/* The server may have answered early (413) and closed: read
		 * what it said before giving up. */
		shutdown(fd, SHUT_WR);
	}
	for (;;) {
		char chunk[16384];
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n > 0) {
			dd_buf_append(&in, chunk, (size_t)n);
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			break;
		int w = wait_fd(fd, POLLIN, deadline);
		if (w == 0) {
			fail(why, why_cap,
			     "no answer from the server within the timeout%s",
			     "");
			goto out;
		}
		if (w < 0)
			break;
	}
	char *data = in.data;
	int major, minor;
	if (!data ||
	    sscanf(data, "HTTP/%d.%d %ld", &major, &minor, status) != 3 ||
	    *status < 100 || *status > 999) {
		*status = 0;
		fail(why, why_cap, "the server's answer is not HTTP%s",
		     in.len ? "" : " (the connection closed without one)");
		goto out;
	}
	char *head_end = strstr(data, "\r\n\r\n");
	if (head_end) {
		char *b = head_end + 4;
		size_t blen = in.len - (size_t)(b - data);
		*head_end = '\0';
		int chunked = 0;
		for (char *h = strstr(data, "\r\n"); h;
		     h = strstr(h + 2, "\r\n"))
			if (strncasecmp(h + 2, "Transfer-Encoding:", 18) == 0 &&
			    strstr(h + 2, "chunked"))
				chunked = 1;
		if (chunked) {
			long d = dechunk(b, blen);
			blen = d < 0 ? 0 : (size_t)d;
		}
		dd_buf_append(answer, b, blen);
	}
	rc = 0;
out:
	close(fd);
	dd_buf_release(&req);
	dd_buf_release(&in);
	return rc;
}
