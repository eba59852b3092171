/*
 * pool.h - a fixed set of database connections shared by worker threads.
 *
 * Each request borrows one connection for its whole life and gives it
 * back; with one connection per worker thread nobody ever waits, and the
 * mutex costs nanoseconds. Borrowing blocks while all are out.
 */
#ifndef DD_STORE_POOL_H
#define DD_STORE_POOL_H

#include <pthread.h>

#include "store/store.h"

struct dd_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t available;
	int size;
	int free_count;
	struct dd_store **all;
	struct dd_store **free_list;
};

/* Open size connections to url. Returns 0, or -1 with err filled (and
 * nothing left open). */
int dd_store_pool_open(struct dd_store_pool *pool, const char *url, int size,
		       struct dd_err *err);
/* Close every connection; all must have been given back. */
void dd_store_pool_close(struct dd_store_pool *pool);

/* A connection for the caller's exclusive use until dd_store_pool_put. */
struct dd_store *dd_store_pool_get(struct dd_store_pool *pool);
/* Give a connection back; an open transaction is rolled back. */
void dd_store_pool_put(struct dd_store_pool *pool, struct dd_store *store);

#endif
