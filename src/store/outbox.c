#include "store/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/event.h"

/* The first retry waits this long; each further one twice as long. */
#define BACKOFF_FIRST_MS (30 * 1000)
/* No wait is longer: a relay back after a night's outage gets the mail
 * within the hour. */
#define BACKOFF_MAX_MS (60 * 60 * 1000)

int64_t dd_outbox_backoff_ms(int attempts)
{
	int64_t wait = BACKOFF_FIRST_MS;
	for (int i = 1; i < attempts && wait < BACKOFF_MAX_MS; i++)
		wait *= 2;
	return wait < BACKOFF_MAX_MS ? wait : BACKOFF_MAX_MS;
}

int dd_outbox_enqueue(struct dd_store *store, int64_t now,
		      const struct dd_outbox_message *msg, int64_t *id,
		      struct dd_err *err)
{
	if (!dd_store_in_transaction(store))
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "outbox message '%s' written outside a "
				  "transaction",
				  msg->purpose);
	if (strcmp(msg->kind, DD_OUTBOX_EMAIL) != 0 &&
	    strcmp(msg->kind, DD_OUTBOX_WEBHOOK) != 0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "unknown outbox kind '%s'", msg->kind);
	if (!msg->target || !*msg->target)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "outbox message '%s' has no target",
				  msg->purpose);
	struct dd_param p[] = {
		DD_P_TEXT(msg->kind),
		DD_P_TEXT(msg->target),
		DD_P_TEXT(msg->sender),
		DD_P_TEXT(msg->content_type),
		DD_P_BLOB(msg->body ? msg->body : "", msg->body_len),
		DD_P_TEXT(msg->purpose),
		DD_P_TEXT(msg->ref_type),
		msg->ref_id > 0 ? DD_P_INT(msg->ref_id) : DD_P_NULL,
		DD_P_INT(msg->not_before > now ? msg->not_before : now),
		DD_P_INT(now),
	};
	int64_t new_id = 0;
	if (dd_store_query_int(
		    store,
		    "INSERT INTO outbox (kind, target, sender, content_type, "
		    "body, purpose, ref_type, ref_id, next_at, created_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
		    "RETURNING id",
		    p, 10, &new_id, err) < 0)
		return -1;
	/* The delivery threads hear of it at commit, not at their next
	 * poll: a page leaves within milliseconds. */
	if (dd_store_notify_on_commit(store, DD_OUTBOX_CHANNEL, err) < 0)
		return -1;
	if (id)
		*id = new_id;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void dd_outbox_row_release(struct dd_outbox_row *row)
{
	free(row->target);
	free(row->sender);
	free(row->content_type);
	free(row->body);
	free(row->purpose);
	free(row->ref_type);
	memset(row, 0, sizeof(*row));
}

static int read_claimed(struct dd_rows *rows, struct dd_outbox_row *row)
{
	memset(row, 0, sizeof(*row));
	row->id = dd_rows_int(rows, 0);
	const char *kind = dd_rows_text(rows, 1);
	snprintf(row->kind, sizeof(row->kind), "%s", kind ? kind : "");
	row->target = dup_or_null(dd_rows_text(rows, 2));
	row->sender = dup_or_null(dd_rows_text(rows, 3));
	row->content_type = dup_or_null(dd_rows_text(rows, 4));
	size_t len = 0;
	const void *body = dd_rows_blob(rows, 5, &len);
	row->body = malloc(len + 1);
	if (row->body) {
		if (len)
			memcpy(row->body, body, len);
		row->body[len] = '\0';
	}
	row->body_len = len;
	row->purpose = dup_or_null(dd_rows_text(rows, 6));
	row->ref_type = dup_or_null(dd_rows_text(rows, 7));
	row->ref_id = dd_rows_int(rows, 8);
	row->attempts = (int)dd_rows_int(rows, 9);
	row->created_at = dd_rows_int(rows, 10);
	if (!row->target || !row->body || !row->purpose) {
		dd_outbox_row_release(row);
		return -1;
	}
	return 0;
}

int dd_outbox_claim(struct dd_store *store, int64_t now, int64_t lease_ms,
		    struct dd_outbox_row *rows, int max, int *count,
		    struct dd_err *err)
{
	*count = 0;
	/* SKIP LOCKED lets several instances claim side by side without
	 * waiting for or taking each other's rows; SQLite has one writer
	 * (BEGIN IMMEDIATE), which serialises claims by itself. */
	const char *sql =
		dd_store_kind(store) == DD_STORE_PG
			? "UPDATE outbox SET status = 'sending', attempts = "
			  "attempts + 1, lease_until = $2 WHERE id IN (SELECT "
			  "id FROM outbox WHERE (status = 'pending' AND "
			  "next_at <= $1) OR (status = 'sending' AND "
			  "lease_until <= $1) ORDER BY next_at, id LIMIT $3 "
			  "FOR UPDATE SKIP LOCKED) RETURNING id, kind, target, "
			  "sender, content_type, body, purpose, ref_type, "
			  "ref_id, attempts, created_at"
			: "UPDATE outbox SET status = 'sending', attempts = "
			  "attempts + 1, lease_until = $2 WHERE id IN (SELECT "
			  "id FROM outbox WHERE (status = 'pending' AND "
			  "next_at <= $1) OR (status = 'sending' AND "
			  "lease_until <= $1) ORDER BY next_at, id LIMIT $3) "
			  "RETURNING id, kind, target, sender, content_type, "
			  "body, purpose, ref_type, ref_id, attempts, "
			  "created_at";
	/* Look before taking SQLite's write lock: the worker asks five
	 * times a second, and nearly always nothing is due. */
	int64_t due = 0;
	int found = dd_store_query_int(
		store,
		"SELECT id FROM outbox WHERE (status = 'pending' AND next_at "
		"<= $1) OR (status = 'sending' AND lease_until <= $1) LIMIT 1",
		(struct dd_param[]){DD_P_INT(now)}, 1, &due, err);
	if (found <= 0)
		return found;
	if (dd_store_begin(store, err) < 0)
		return -1;
	struct dd_rows *res = NULL;
	if (dd_store_query(store, sql,
			   (struct dd_param[]){DD_P_INT(now),
					       DD_P_INT(now + lease_ms),
					       DD_P_INT(max)},
			   3, &res, err) < 0)
		goto fail;
	int rc;
	while ((rc = dd_rows_next(res, err)) == 1 && *count < max) {
		if (read_claimed(res, &rows[*count]) < 0) {
			dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				   "out of memory reading the outbox");
			goto fail;
		}
		(*count)++;
	}
	dd_rows_free(res);
	res = NULL;
	if (rc < 0 || dd_store_commit(store, err) < 0)
		goto fail;
	return 0;
fail:
	if (res)
		dd_rows_free(res);
	for (int i = 0; i < *count; i++)
		dd_outbox_row_release(&rows[i]);
	*count = 0;
	dd_store_rollback(store);
	return -1;
}

int dd_outbox_delivered(struct dd_store *store, int64_t id, int64_t now,
			struct dd_err *err)
{
	return dd_store_exec(store,
			     "UPDATE outbox SET status = 'delivered', "
			     "delivered_at = $2, last_error = NULL, "
			     "lease_until = 0 WHERE id = $1",
			     (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)},
			     2, err) < 0
		       ? -1
		       : 0;
}

int dd_outbox_failed(struct dd_store *store, int64_t id, int attempts,
		     int64_t now, const char *error, int permanent,
		     struct dd_err *err)
{
	int dead = permanent || attempts >= DD_OUTBOX_MAX_ATTEMPTS;
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(dead ? "dead" : "pending"),
		DD_P_INT(now + dd_outbox_backoff_ms(attempts)),
		DD_P_TEXT(error ? error : "unknown error"),
	};
	return dd_store_exec(store,
			     "UPDATE outbox SET status = $2, next_at = $3, "
			     "last_error = $4, lease_until = 0 WHERE id = $1 "
			     "AND status = 'sending'",
			     p, 4, err) < 0
		       ? -1
		       : 0;
}

int dd_outbox_retry(struct dd_store *store, int64_t id, int64_t now,
		    const struct dd_actor *actor, struct dd_err *err)
{
	if (dd_store_begin(store, err) < 0)
		return -1;
	struct dd_rows *rows = NULL;
	if (dd_store_query(store, "SELECT status FROM outbox WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		goto fail;
	int rc = dd_rows_next(rows, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no outbox message %lld", (long long)id);
		goto fail;
	}
	char status[16];
	snprintf(status, sizeof(status), "%s", dd_rows_text(rows, 0));
	dd_rows_free(rows);
	rows = NULL;
	if (strcmp(status, "delivered") == 0 ||
	    strcmp(status, "sending") == 0) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "outbox message %lld is %s", (long long)id, status);
		goto fail;
	}
	if (dd_store_exec(store,
			  "UPDATE outbox SET status = 'pending', attempts = 0, "
			  "next_at = $2 WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2,
			  err) < 0)
		goto fail;
	char before[64], after[64];
	snprintf(before, sizeof(before), "{\"status\":\"%s\"}", status);
	snprintf(after, sizeof(after), "{\"status\":\"pending\"}");
	if (dd_event_append(store, now, actor, "outbox.retry", "outbox", id,
			    before, after, err) < 0 ||
	    dd_store_notify_on_commit(store, DD_OUTBOX_CHANNEL, err) < 0 ||
	    dd_store_commit(store, err) < 0)
		goto fail;
	return 0;
fail:
	if (rows)
		dd_rows_free(rows);
	dd_store_rollback(store);
	return -1;
}

int dd_outbox_list(struct dd_store *store, const struct dd_outbox_filter *f,
		   int (*fn)(const struct dd_outbox_entry *e, void *arg),
		   void *arg, struct dd_err *err)
{
	struct dd_param p[] = {
		DD_P_TEXT(f->status),
		DD_P_TEXT(f->ref_type),
		f->ref_id > 0 ? DD_P_INT(f->ref_id) : DD_P_NULL,
		f->before_id > 0 ? DD_P_INT(f->before_id) : DD_P_NULL,
		DD_P_INT(f->limit),
		f->id > 0 ? DD_P_INT(f->id) : DD_P_NULL,
	};
	struct dd_rows *rows = NULL;
	if (dd_store_query(
		    store,
		    "SELECT id, kind, status, target, purpose, ref_type, "
		    "ref_id, attempts, next_at, created_at, delivered_at, "
		    "last_error, LENGTH(body) FROM outbox"
		    " WHERE (CAST($1 AS TEXT) IS NULL OR status = $1)"
		    " AND (CAST($2 AS TEXT) IS NULL OR ref_type = $2)"
		    " AND (CAST($3 AS BIGINT) IS NULL OR ref_id = $3)"
		    " AND (CAST($4 AS BIGINT) IS NULL OR id < $4)"
		    " AND (CAST($6 AS BIGINT) IS NULL OR id = $6)"
		    " ORDER BY id DESC LIMIT $5",
		    p, 6, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) == 1) {
		struct dd_outbox_entry e = {
			.id = dd_rows_int(rows, 0),
			.kind = dd_rows_text(rows, 1),
			.status = dd_rows_text(rows, 2),
			.target = dd_rows_text(rows, 3),
			.purpose = dd_rows_text(rows, 4),
			.ref_type = dd_rows_text(rows, 5),
			.ref_id = dd_rows_int(rows, 6),
			.attempts = (int)dd_rows_int(rows, 7),
			.next_at = dd_rows_int(rows, 8),
			.created_at = dd_rows_int(rows, 9),
			.delivered_at = dd_rows_int(rows, 10),
			.last_error = dd_rows_text(rows, 11),
			.body_len = (size_t)dd_rows_int(rows, 12),
		};
		if (fn(&e, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_outbox_body(struct dd_store *store, int64_t id, char **body, size_t *len,
		   struct dd_err *err)
{
	*body = NULL;
	*len = 0;
	struct dd_rows *rows = NULL;
	if (dd_store_query(store, "SELECT body FROM outbox WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc == 1) {
		size_t n = 0;
		const void *data = dd_rows_blob(rows, 0, &n);
		*body = malloc(n + 1);
		if (!*body) {
			dd_rows_free(rows);
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "out of memory");
		}
		if (n)
			memcpy(*body, data, n);
		(*body)[n] = '\0';
		*len = n;
	}
	dd_rows_free(rows);
	return rc;
}
