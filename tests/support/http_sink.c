#include "support/http_sink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUESTS	  4096
#define MAX_REQUEST_BYTES (4 * 1024 * 1024)

struct request {
	char *head;
	char *body;
	int status;
};

struct ut_http_sink {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int stop;
	int fail_left, fail_status;
	int count, accepted;
	struct request requests[MAX_REQUESTS];
};

static void serve_one(struct ut_http_sink *s, int conn)
{
	char *buf = malloc(MAX_REQUEST_BYTES + 1);
	size_t len = 0;
	char *body = NULL;
	size_t want = 0;
	if (!buf)
		return;
	for (;;) {
		struct pollfd p = {conn, POLLIN, 0};
		if (poll(&p, 1, 5000) <= 0)
			goto out;
		ssize_t n = read(conn, buf + len, MAX_REQUEST_BYTES - len);
		if (n <= 0)
			goto out;
		len += (size_t)n;
		buf[len] = '\0';
		if (!body) {
			char *end = strstr(buf, "\r\n\r\n");
			if (!end)
				continue;
			*end = '\0';
			const char *cl = strcasestr(buf, "\ncontent-length:");
			want = cl ? strtoul(cl + 16, NULL, 10) : 0;
			body = end + 4;
		}
		if ((size_t)(buf + len - body) >= want)
			break;
	}
	pthread_mutex_lock(&s->lock);
	int status = 200;
	if (s->fail_left > 0) {
		s->fail_left--;
		status = s->fail_status;
	}
	if (s->count < MAX_REQUESTS) {
		struct request *r = &s->requests[s->count++];
		r->head = strdup(buf);
		r->body = strndup(body, want);
		r->status = status;
		if (status >= 200 && status < 300)
			s->accepted++;
	}
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	char reply[128];
	int n = snprintf(reply, sizeof(reply),
			 "HTTP/1.1 %d X\r\nContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n",
			 status);
	if (write(conn, reply, (size_t)n) < 0)
		goto out;
out:
	free(buf);
}

static void *loop(void *arg)
{
	struct ut_http_sink *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->lock);
		int stop = s->stop;
		pthread_mutex_unlock(&s->lock);
		if (stop)
			break;
		struct pollfd p = {s->fd, POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		int conn = accept(s->fd, NULL, NULL);
		if (conn < 0)
			continue;
		serve_one(s, conn);
		close(conn);
	}
	return NULL;
}

int ut_http_sink_start(struct ut_http_sink **out, int *port)
{
	struct ut_http_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof(a);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s->fd, 64) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &alen) < 0) {
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return -1;
	}
	*port = ntohs(a.sin_port);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->changed, NULL);
	if (pthread_create(&s->thread, NULL, loop, s) != 0) {
		close(s->fd);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void ut_http_sink_stop(struct ut_http_sink *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	close(s->fd);
	for (int i = 0; i < s->count; i++) {
		free(s->requests[i].head);
		free(s->requests[i].body);
	}
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->changed);
	free(s);
}

void ut_http_sink_fail_next(struct ut_http_sink *s, int n, int status)
{
	pthread_mutex_lock(&s->lock);
	s->fail_left = n;
	s->fail_status = status;
	pthread_mutex_unlock(&s->lock);
}

int ut_http_sink_requests(struct ut_http_sink *s)
{
	pthread_mutex_lock(&s->lock);
	int n = s->count;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int ut_http_sink_accepted(struct ut_http_sink *s)
{
	pthread_mutex_lock(&s->lock);
	int n = s->accepted;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int ut_http_sink_wait(struct ut_http_sink *s, int n, int timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int rc = 0;
	pthread_mutex_lock(&s->lock);
	while (s->accepted < n && rc == 0)
		if (pthread_cond_timedwait(&s->changed, &s->lock, &until) ==
		    ETIMEDOUT)
			rc = s->accepted >= n ? 0 : -1;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static char *copy_of(struct ut_http_sink *s, int i, int head)
{
	char *out = NULL;
	pthread_mutex_lock(&s->lock);
	if (i >= 0 && i < s->count) {
		const char *v =
			head ? s->requests[i].head : s->requests[i].body;
		out = v ? strdup(v) : NULL;
	}
	pthread_mutex_unlock(&s->lock);
	return out;
}

char *ut_http_sink_body(struct ut_http_sink *s, int i)
{
	return copy_of(s, i, 0);
}

char *ut_http_sink_head(struct ut_http_sink *s, int i)
{
	return copy_of(s, i, 1);
}
