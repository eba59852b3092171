/*
 * delivery.h - the outbox's postman: a thread of the server that claims
 * due outbox rows (store/outbox.h) and sends them through libcurl, mail
 * by SMTP(S) to the configured relay and webhooks by HTTP(S) POST, then
 * records each outcome. Several instances may run one each on one
 * PostgreSQL database: claims never overlap.
 *
 * Outcomes: a 2xx webhook answer or an accepted SMTP transaction is
 * delivered; an SMTP 5xx or an HTTP 4xx (other than 408 and 429) will not
 * get better by waiting and makes the row dead at once; everything else
 * (no connection, time-outs, 5xx from a receiver, 4xx SMTP) is retried
 * with backoff.
 */
#ifndef DD_JOBS_DELIVERY_H
#define DD_JOBS_DELIVERY_H

#include <pthread.h>

#include "base/ctx.h"
#include "base/wakeup.h"
#include "store/outbox.h"

/*
 * The thread sleeps until a new row is committed: in this process the
 * committing connection rings the doorbell (base/wakeup.h) given to
 * dd_delivery_start, and on PostgreSQL every instance's thread LISTENs on
 * DD_OUTBOX_CHANNEL, which dd_outbox_enqueue NOTIFYs. So a page leaves
 * within milliseconds of its commit. Rows that come due by time alone
 * (retries after their backoff, rows written by another process on
 * SQLite) are looked for this often.
 */
#define DD_DELIVERY_POLL_MS 200

struct dd_delivery {
	pthread_t thread;
	pthread_mutex_t lock;
	int stop;
	int started;
	const struct dd_wakeup *wake; /* rung on commits and to stop */
	struct dd_ctx ctx;	      /* the thread's own store connection */
};

/* Start the thread with its own connection to config->db_url, woken by
 * wake (the doorbell this process's connections ring at outbox commits;
 * the caller keeps it until dd_delivery_stop; NULL: polling only). 0, or
 * -1 with err filled. */
int dd_delivery_start(struct dd_delivery *d, const struct dd_config *config,
		      const struct dd_clock *clock, struct dd_log *log,
		      const struct dd_wakeup *wake, struct dd_err *err);
/* Stop after the message in progress; close the connection. */
void dd_delivery_stop(struct dd_delivery *d);

/*
 * Send one claimed row now (the thread's work for each row; public for
 * tests and `dutydesk outbox deliver`). Returns 0 when delivered, 1 when it
 * failed and may succeed later, 2 when it failed for good; why holds a
 * one-line reason on failure.
 */
int dd_delivery_send(const struct dd_config *config,
		     const struct dd_outbox_row *row, char *why,
		     size_t why_size);

/*
 * Claim and send every due row once, recording outcomes (the thread's
 * loop body). *sent and *failed count this round. 0, or -1 with err filled.
 */
int dd_delivery_round(struct dd_ctx *ctx, int *sent, int *failed,
		      struct dd_err *err);

#endif
