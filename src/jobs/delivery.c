#include "jobs/delivery.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

/* Rows claimed per round: small, so one slow receiver holds up few. */
#define CLAIM_BATCH 8
/* A claim outlives the slowest send (connect + transfer time-outs) many
 * times over before another instance may take the row again. */
#define CLAIM_LEASE_MS	   (5 * 60 * 1000)
#define CONNECT_TIMEOUT_S  10
#define TRANSFER_TIMEOUT_S 30
/* Envelope recipients of one outbox mail. */
#define MAX_RECIPIENTS 100

struct body_reader {
	const char *data;
	size_t len, pos;
};

static size_t read_body(char *out, size_t size, size_t n, void *arg)
{
	struct body_reader *r = arg;
	size_t room = size * n, left = r->len - r->pos;
	size_t take = left < room ? left : room;
	memcpy(out, r->data + r->pos, take);
	r->pos += take;
	return take;
}

static size_t discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

/* Run the transfer with the time limits every delivery has; *code is the
 * last HTTP status or SMTP reply. */
static CURLcode perform(CURL *curl, long *code)
{
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)TRANSFER_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, code);
	return rc;
}

static int send_webhook(const struct dd_outbox_row *row, char *why,
			size_t why_size)
{
	if (strncmp(row->target, "http://", 7) != 0 &&
	    strncmp(row->target, "https://", 8) != 0) {
		snprintf(why, why_size, "not an http(s) URL");
		return 2;
	}
	CURL *curl = curl_easy_init();
	if (!curl) {
		snprintf(why, why_size, "cannot start libcurl");
		return 1;
	}
	char type[160], delivery[64];
	snprintf(type, sizeof(type), "Content-Type: %s",
		 row->content_type ? row->content_type : "application/json");
	/* Receivers may use this to drop a duplicate after a lost answer. */
	snprintf(delivery, sizeof(delivery), "X-Dutydesk-Delivery: %lld",
		 (long long)row->id);
	struct curl_slist *headers = curl_slist_append(NULL, type);
	headers = curl_slist_append(headers, delivery);
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(curl, CURLOPT_URL, row->target);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, row->body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)row->body_len);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "dutydesk");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	long status = 0;
	CURLcode rc = perform(curl, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK) {
		snprintf(why, why_size, "%s", curl_easy_strerror(rc));
		return 1;
	}
	if (status >= 200 && status < 300)
		return 0;
	snprintf(why, why_size, "receiver answered HTTP %ld", status);
	return status >= 400 && status < 500 && status != 408 && status != 429
		       ? 2
		       : 1;
}

/* Split "a@x, b@y" into an SMTP recipient list; NULL when none. */
static struct curl_slist *recipients(const char *target)
{
	struct curl_slist *list = NULL;
	const char *p = target;
	int n = 0;
	while (*p && n < MAX_RECIPIENTS) {
		while (*p == ',' || *p == ' ')
			p++;
		size_t len = strcspn(p, ", ");
		if (len > 0 && len < 320) {
			char addr[330];
			snprintf(addr, sizeof(addr), "<%.*s>", (int)len, p);
			list = curl_slist_append(list, addr);
			n++;
		}
		p += len;
	}
	return list;
}

static int send_mail(const struct dd_config *config,
		     const struct dd_outbox_row *row, char *why,
		     size_t why_size)
{
	if (!config->smtp_url[0]) {
		snprintf(why, why_size,
			 "no SMTP relay configured (serve --smtp-url)");
		return 1;
	}
	const char *sender =
		row->sender && *row->sender ? row->sender : config->mail_from;
	struct curl_slist *rcpt = recipients(row->target);
	if (!rcpt) {
		snprintf(why, why_size, "no recipients");
		return 2;
	}
	CURL *curl = curl_easy_init();
	if (!curl) {
		curl_slist_free_all(rcpt);
		snprintf(why, why_size, "cannot start libcurl");
		return 1;
	}
	char from[330];
	snprintf(from, sizeof(from), "<%s>", sender);
	struct body_reader reader = {row->body, row->body_len, 0};
	curl_easy_setopt(curl, CURLOPT_URL, config->smtp_url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* STARTTLS when the relay offers it; smtps:// for TLS from the
	 * start. */
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
			 (curl_off_t)row->body_len);
	long reply = 0;
	CURLcode rc = perform(curl, &reply);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	if (rc == CURLE_OK)
		return 0;
	snprintf(why, why_size, "%s (SMTP reply %ld)", curl_easy_strerror(rc),
		 reply);
	/* 5xx is the relay's final word on this mail; 4xx and no answer at
	 * all are worth another try. */
	return reply >= 500 && reply < 600 ? 2 : 1;
}

int dd_delivery_send(const struct dd_config *config,
		     const struct dd_outbox_row *row, char *why,
		     size_t why_size)
{
	why[0] = '\0';
	if (strcmp(row->kind, DD_OUTBOX_WEBHOOK) == 0)
		return send_webhook(row, why, why_size);
	if (strcmp(row->kind, DD_OUTBOX_EMAIL) == 0)
		return send_mail(config, row, why, why_size);
	snprintf(why, why_size, "unknown kind '%s'", row->kind);
	return 2;
}

int dd_delivery_round(struct dd_ctx *ctx, int *sent, int *failed,
		      struct dd_err *err)
{
	*sent = *failed = 0;
	struct dd_outbox_row rows[CLAIM_BATCH];
	int count = 0;
	if (dd_outbox_claim(ctx->store, dd_ctx_now(ctx), CLAIM_LEASE_MS, rows,
			    CLAIM_BATCH, &count, err) < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < count; i++) {
		char why[256];
		int outcome = dd_delivery_send(ctx->config, &rows[i], why,
					       sizeof(why));
		int64_t now = dd_ctx_now(ctx);
		int wrote = outcome == 0
				    ? dd_outbox_delivered(ctx->store,
							  rows[i].id, now, err)
				    : dd_outbox_failed(ctx->store, rows[i].id,
						       rows[i].attempts, now,
						       why, outcome == 2, err);
		if (outcome == 0) {
			(*sent)++;
			dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_JOBS,
				     "outbox delivered",
				     "id=%lld kind=%s purpose=%s",
				     (long long)rows[i].id, rows[i].kind,
				     rows[i].purpose);
		} else {
			(*failed)++;
			dd_log_write(ctx->log, DD_LOG_WARN, DD_SUB_JOBS,
				     "outbox delivery failed",
				     "id=%lld kind=%s attempt=%d final=%d "
				     "error=\"%s\"",
				     (long long)rows[i].id, rows[i].kind,
				     rows[i].attempts, outcome == 2, why);
		}
		if (wrote < 0)
			rc = -1; /* the lease runs out and the row is tried
				    again */
		dd_outbox_row_release(&rows[i]);
	}
	return rc;
}

static int stopping(struct dd_delivery *d)
{
	pthread_mutex_lock(&d->lock);
	int stop = d->stop;
	pthread_mutex_unlock(&d->lock);
	return stop;
}

static void *loop(void *arg)
{
	struct dd_delivery *d = arg;
	while (!stopping(d)) {
		int sent = 0, failed = 0;
		struct dd_err err;
		dd_err_clear(&err);
		if (dd_delivery_round(&d->ctx, &sent, &failed, &err) < 0)
			dd_log_write(d->ctx.log, DD_LOG_WARN, DD_SUB_JOBS,
				     "outbox round failed",
				     "status=%d detail=\"%s\"", err.status,
				     err.msg);
		dd_store_rollback(d->ctx.store);
		/* A full batch means more may be due: go on at once. */
		if (sent + failed == CLAIM_BATCH)
			continue;
		/* Rings and notifications that came during the round are
		 * kept, so the wait returns at once for them. */
		dd_err_clear(&err);
		if (dd_store_wait_notify(d->ctx.store, DD_OUTBOX_CHANNEL,
					 d->wake, DD_DELIVERY_POLL_MS,
					 &err) < 0) {
			dd_log_write(d->ctx.log, DD_LOG_WARN, DD_SUB_JOBS,
				     "outbox wait failed",
				     "status=%d detail=\"%s\"", err.status,
				     err.msg);
			/* Lost the connection: the next round's query says
			 * so too; do not spin meanwhile. */
			dd_wakeup_wait(d->wake, DD_DELIVERY_POLL_MS);
		}
	}
	return NULL;
}

int dd_delivery_start(struct dd_delivery *d, const struct dd_config *config,
		      const struct dd_clock *clock, struct dd_log *log,
		      const struct dd_wakeup *wake, struct dd_err *err)
{
	memset(d, 0, sizeof(*d));
	if (dd_store_open(config->db_url, &d->ctx.store, err) < 0)
		return -1;
	d->ctx.config = config;
	d->ctx.clock = clock;
	d->ctx.log = log;
	d->wake = wake;
	pthread_mutex_init(&d->lock, NULL);
	if (pthread_create(&d->thread, NULL, loop, d) != 0) {
		dd_store_close(d->ctx.store);
		pthread_mutex_destroy(&d->lock);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "cannot start the delivery thread");
	}
	d->started = 1;
	return 0;
}

void dd_delivery_stop(struct dd_delivery *d)
{
	if (!d->started)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_mutex_unlock(&d->lock);
	/* Without a doorbell the thread sees the flag within a poll
	 * period. */
	dd_wakeup_signal(d->wake);
	pthread_join(d->thread, NULL);
	dd_store_close(d->ctx.store);
	pthread_mutex_destroy(&d->lock);
	d->started = 0;
}
