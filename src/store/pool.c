#include "store/pool.h"

#include <stdlib.h>

int dd_store_pool_open(struct dd_store_pool *pool, const char *url, int size,
		       struct dd_err *err)
{
	pool->size = 0;
	pool->free_count = 0;
	pool->all = calloc((size_t)size, sizeof(*pool->all));
	pool->free_list = calloc((size_t)size, sizeof(*pool->free_list));
	if (!pool->all || !pool->free_list) {
		free(pool->all);
		free(pool->free_list);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->available, NULL);
	for (int i = 0; i < size; i++) {
		if (dd_store_open(url, &pool->all[i], err) < 0) {
			pool->free_count = pool->size;
			dd_store_pool_close(pool);
			return -1;
		}
		pool->free_list[i] = pool->all[i];
		pool->size++;
	}
	pool->free_count = size;
	return 0;
}

void dd_store_pool_close(struct dd_store_pool *pool)
{
	for (int i = 0; i < pool->size; i++)
		dd_store_close(pool->all[i]);
	free(pool->all);
	free(pool->free_list);
	pool->all = pool->free_list = NULL;
	pool->size = pool->free_count = 0;
	pthread_cond_destroy(&pool->available);
	pthread_mutex_destroy(&pool->lock);
}

struct dd_store *dd_store_pool_get(struct dd_store_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	while (pool->free_count == 0)
		pthread_cond_wait(&pool->available, &pool->lock);
	struct dd_store *store = pool->free_list[--pool->free_count];
	pthread_mutex_unlock(&pool->lock);
	return store;
}

void dd_store_pool_put(struct dd_store_pool *pool, struct dd_store *store)
{
	if (!store)
		return;
	dd_store_rollback(store);
	pthread_mutex_lock(&pool->lock);
	pool->free_list[pool->free_count++] = store;
	pthread_cond_signal(&pool->available);
	pthread_mutex_unlock(&pool->lock);
}
