#include "mail/imap_state.h"

#include <string.h>

#include "store/store.h"

int dd_imap_state_claim(struct dd_ctx *ctx, const char *key, const char *owner,
			int64_t interval_ms, int64_t lease_ms, int force,
			struct dd_imap_state *st, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_rows *rows = NULL;
	memset(st, 0, sizeof(*st));
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_exec(ctx->store,
			  "INSERT INTO mail_imap_state (mailbox, uidvalidity, "
			  "last_uid, updated_at) VALUES ($1, 0, 0, $2) ON "
			  "CONFLICT (mailbox) DO NOTHING",
			  (struct dd_param[]){DD_P_TEXT(key), DD_P_INT(now)}, 2,
			  err) < 0)
		goto fail;
	int64_t n = dd_store_exec(
		ctx->store,
		"UPDATE mail_imap_state SET lease_owner = $2, lease_until = "
		"$3 WHERE mailbox = $1 AND lease_until < $4 AND ($5 = 1 OR "
		"polled_at + $6 <= $4)",
		(struct dd_param[]){DD_P_TEXT(key), DD_P_TEXT(owner),
				    DD_P_INT(now + lease_ms), DD_P_INT(now),
				    DD_P_INT(force ? 1 : 0),
				    DD_P_INT(interval_ms)},
		6, err);
	if (n < 0)
		goto fail;
	if (n == 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (dd_store_query(ctx->store,
			   "SELECT uidvalidity, last_uid, polled_at FROM "
			   "mail_imap_state WHERE mailbox = $1",
			   (struct dd_param[]){DD_P_TEXT(key)}, 1, &rows,
			   err) < 0)
		goto fail;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		st->uidvalidity = dd_rows_int(rows, 0);
		st->last_uid = dd_rows_int(rows, 1);
		st->polled_at = dd_rows_int(rows, 2);
	}
	dd_rows_free(rows);
	if (rc <= 0) {
		if (rc == 0)
			dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				   "the imap state row vanished");
		goto fail;
	}
	if (dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 1;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_imap_state_save(struct dd_ctx *ctx, const char *key, const char *owner,
		       int64_t uidvalidity, int64_t last_uid, int64_t lease_ms,
		       struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int64_t n = dd_store_exec(
		ctx->store,
		"UPDATE mail_imap_state SET uidvalidity = $3, last_uid = $4, "
		"updated_at = $5, lease_until = $6 WHERE mailbox = $1 AND "
		"lease_owner = $2 AND lease_until >= $5",
		(struct dd_param[]){DD_P_TEXT(key), DD_P_TEXT(owner),
				    DD_P_INT(uidvalidity), DD_P_INT(last_uid),
				    DD_P_INT(now), DD_P_INT(now + lease_ms)},
		6, err);
	if (n < 0)
		goto fail;
	if (n == 0) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "the claim on the imap mailbox ran out");
		goto fail;
	}
	if (dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_imap_state_release(struct dd_ctx *ctx, const char *key,
			  const char *owner, int again, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_exec(ctx->store,
			  "UPDATE mail_imap_state SET lease_owner = '', "
			  "lease_until = 0, polled_at = $3 WHERE mailbox = $1 "
			  "AND lease_owner = $2",
			  (struct dd_param[]){DD_P_TEXT(key), DD_P_TEXT(owner),
					      DD_P_INT(again ? 0 : now)},
			  3, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0) {
		dd_store_rollback(ctx->store);
		return -1;
	}
	return 0;
}
