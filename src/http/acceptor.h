/*
 * acceptor.h - the listening socket and the thread that accepts on it.
 *
 * libmicrohttpd's thread pool lets every worker accept on the shared
 * listening socket, and the worker that wakes first takes up to ten
 * waiting connections at once. Eight connections opened together landed
 * on two of four workers, which served their searches one after another
 * while the other two idled: eight connections searched no faster than
 * one. Here one thread accepts and hands each connection to
 * MHD_add_connection, which gives it to the worker its socket number
 * names (modulo the pool size): connections opened together are spread
 * evenly.
 */
#ifndef DD_HTTP_ACCEPTOR_H
#define DD_HTTP_ACCEPTOR_H

#include <pthread.h>

#include "base/err.h"
#include "base/log.h"

struct MHD_Daemon;

struct dd_acceptor {
	int fd;	       /* the listening socket */
	int listening; /* fd is open */
	pthread_t thread;
	int running; /* the thread was started and not yet joined */
	_Atomic int stopping;
	struct MHD_Daemon *daemon;
	struct dd_log *log;
};

/* Bind host:port (an IPv4 or IPv6 address, or "localhost") and listen.
 * Returns 0, or -1 with err filled (400 for a host that is no address,
 * 503 when the port is in use or not allowed). */
int dd_acceptor_listen(struct dd_acceptor *a, const char *host, int port,
		       struct dd_err *err);

/* Start accepting into daemon (started with MHD_USE_NO_LISTEN_SOCKET and
 * MHD_USE_ITC). Returns 0, or -1 with err filled. */
int dd_acceptor_start(struct dd_acceptor *a, struct MHD_Daemon *daemon,
		      struct dd_log *log, struct dd_err *err);

/* Stop accepting and close the listening socket; connections already
 * handed over stay with the daemon. Safe to call twice. */
void dd_acceptor_stop(struct dd_acceptor *a);

#endif
