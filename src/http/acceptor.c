#include "http/acceptor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "http/problem.h"

/* Waiting connections the kernel queues while the thread hands one over. */
#define LISTEN_BACKLOG 1024
/* A pause after running out of descriptors or memory, so that the loop
 * does not spin on a listening socket that stays readable. */
#define ACCEPT_RETRY_MS 50

static int parse_address(const char *host, int port,
			 struct sockaddr_storage *addr, socklen_t *len)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
	memset(addr, 0, sizeof(*addr));
	if (strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return 0;
	}
	return -1;
}

int dd_acceptor_listen(struct dd_acceptor *a, const char *host, int port,
		       struct dd_err *err)
{
	struct sockaddr_storage addr;
	socklen_t len;
	memset(a, 0, sizeof(*a));
	a->fd = -1;
	if (parse_address(host, port, &addr, &len) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
				  "listen host '%s' is not an IP address",
				  host);
	int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				  "cannot open a socket: %s", strerror(errno));
	int on = 1;
	/* A restart must not wait for the last run's connections to leave
	 * TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (addr.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&addr, len) < 0 ||
	    listen(fd, LISTEN_BACKLOG) < 0) {
		close(fd);
		return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				  "cannot listen on %s:%d (in use, or not "
				  "allowed)",
				  host, port);
	}
	a->fd = fd;
	a->listening = 1;
	return 0;
}

static void pause_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void *accept_loop(void *arg)
{
	struct dd_acceptor *a = arg;
	int64_t warned_ms = 0;
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof(addr);
		int fd = accept4(a->fd, (struct sockaddr *)&addr, &len,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd >= 0) {
			/* MHD closes the socket itself when it cannot
			 * take it (the connection limit). */
			if (MHD_add_connection(a->daemon, fd,
					       (struct sockaddr *)&addr,
					       len) != MHD_YES &&
			    dd_monotonic_ms() - warned_ms > 1000) {
				warned_ms = dd_monotonic_ms();
				dd_log_write(a->log, DD_LOG_WARN, DD_SUB_HTTP,
					     "connection refused",
					     "reason=\"at the connection "
					     "limit or out of memory\"");
			}
			continue;
		}
		if (atomic_load(&a->stopping))
			break;
		if (errno == EINTR || errno == ECONNABORTED ||
		    errno == EPROTO || errno == EAGAIN)
			continue;
		if (dd_monotonic_ms() - warned_ms > 1000) {
			warned_ms = dd_monotonic_ms();
			dd_log_write(a->log, DD_LOG_WARN, DD_SUB_HTTP,
				     "accept failed", "error=\"%s\"",
				     strerror(errno));
		}
		pause_ms(ACCEPT_RETRY_MS);
	}
	return NULL;
}

int dd_acceptor_start(struct dd_acceptor *a, struct MHD_Daemon *daemon,
		      struct dd_log *log, struct dd_err *err)
{
	a->daemon = daemon;
	a->log = log;
	atomic_store(&a->stopping, 0);
	if (pthread_create(&a->thread, NULL, accept_loop, a) != 0)
		return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				  "cannot start the accepting thread");
	a->running = 1;
	return 0;
}

void dd_acceptor_stop(struct dd_acceptor *a)
{
	atomic_store(&a->stopping, 1);
	/* Linux wakes a thread blocked in accept() on a socket that is shut
	 * down; closing it alone would not. */
	if (a->listening)
		shutdown(a->fd, SHUT_RDWR);
	if (a->running)
		pthread_join(a->thread, NULL);
	a->running = 0;
	if (a->listening)
		close(a->fd);
	a->listening = 0;
	a->fd = -1;
}
