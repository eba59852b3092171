#include "people/session.h"

#include <stdio.h>
#include <string.h>

#include "people/auth_cache.h"
#include "people/person.h"
#include "store/event.h"
#include "store/store.h"

int dd_session_throttle_wait(int64_t failures, int64_t last_ms, int64_t now_ms)
{
	return dd_session_throttle_wait_after(failures, DD_LIMIT_SIGNIN_FREE,
					      last_ms, now_ms);
}

int dd_session_throttle_wait_after(int64_t failures, int64_t free_failures,
				   int64_t last_ms, int64_t now_ms)
{
	if (failures < free_failures)
		return 0;
	int64_t wait_s = 1;
	for (int64_t i = free_failures; i < failures; i++) {
		wait_s *= 2;
		if (wait_s >= DD_LIMIT_SIGNIN_WINDOW_S) {
			wait_s = DD_LIMIT_SIGNIN_WINDOW_S;
			break;
		}
	}
	int64_t until = last_ms + wait_s * 1000;
	if (now_ms >= until)
		return 0;
	return (int)((until - now_ms + 999) / 1000);
}

/* Failures and the latest failure for key within the window. */
static int failures_for(struct dd_ctx *ctx, const char *key, int64_t now,
			int64_t *count, int64_t *last, struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {
		DD_P_TEXT(key),
		DD_P_INT(now - (int64_t)DD_LIMIT_SIGNIN_WINDOW_S * 1000),
	};
	if (dd_store_query(ctx->store,
			   "SELECT COUNT(*), MAX(at) FROM signin_failures "
			   "WHERE key = $1 AND at >= $2",
			   p, 2, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	*count = rc > 0 ? dd_rows_int(rows, 0) : 0;
	*last = rc > 0 ? dd_rows_int(rows, 1) : 0;
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int record_failure(struct dd_ctx *ctx, const char *key, int64_t now,
			  struct dd_err *err)
{
	struct dd_param p[] = {
		DD_P_TEXT(key),
		DD_P_INT(now),
		DD_P_INT(now - (int64_t)DD_LIMIT_SIGNIN_WINDOW_S * 1000),
	};
	if (dd_store_exec(
		    ctx->store,
		    "DELETE FROM signin_failures WHERE key = $1 AND at < $2",
		    (struct dd_param[]){p[0], p[2]}, 2, err) < 0)
		return -1;
	return dd_store_exec(ctx->store,
			     "INSERT INTO signin_failures (key, at) "
			     "VALUES ($1, $2)",
			     p, 2, err) < 0
		       ? -1
		       : 0;
}

int dd_session_throttle_check(struct dd_ctx *ctx, const char *key,
			      struct dd_err *err)
{
	int64_t n, last, now = dd_ctx_now(ctx);
	if (failures_for(ctx, key, now, &n, &last, err) < 0)
		return -1;
	int wait = dd_session_throttle_wait(n, last, now);
	if (wait > 0) {
		dd_err_set(err, 429, DD_PROBLEM_TOO_MANY,
			   "too many failed attempts: try again in %d seconds",
			   wait);
		err->retry_after = wait;
		return -1;
	}
	return 0;
}

int dd_session_throttle_fail(struct dd_ctx *ctx, const char *key,
			     struct dd_err *err)
{
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (record_failure(ctx, key, dd_ctx_now(ctx), err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0) {
		dd_store_rollback(ctx->store);
		return -1;
	}
	return 0;
}

int dd_session_signin(struct dd_ctx *ctx, const char *login,
		      const char *password, const char *address,
		      struct dd_session_new *out, struct dd_err *err)
{
	char login_key[DD_LIMIT_LOGIN + 16], addr_key[80];
	int64_t now = dd_ctx_now(ctx);
	char lowered[DD_LIMIT_LOGIN + 1];
	snprintf(lowered, sizeof(lowered), "%s", login ? login : "");
	for (char *c = lowered; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	snprintf(login_key, sizeof(login_key), "login:%s", lowered);
	snprintf(addr_key, sizeof(addr_key), "addr:%s",
		 address ? address : "-");

	int64_t n1, last1, n2, last2;
	if (failures_for(ctx, login_key, now, &n1, &last1, err) < 0 ||
	    failures_for(ctx, addr_key, now, &n2, &last2, err) < 0)
		return -1;
	int wait = dd_session_throttle_wait(n1, last1, now);
	int wait2 = dd_session_throttle_wait_after(
		n2, DD_LIMIT_SIGNIN_FREE_ADDRESS, last2, now);
	if (wait2 > wait)
		wait = wait2;
	if (wait > 0) {
		dd_err_set(err, 429, DD_PROBLEM_TOO_MANY,
			   "too many failed sign-ins: try again in %d seconds",
			   wait);
		err->retry_after = wait;
		return -1;
	}

	int64_t person_id = 0;
	if (dd_person_authenticate(ctx, login, password, &person_id, err) < 0) {
		if (err->status != 401)
			return -1;
		struct dd_err saved = *err, store_err;
		if (dd_store_begin(ctx->store, &store_err) < 0)
			return -1;
		if (record_failure(ctx, login_key, now, &store_err) < 0 ||
		    record_failure(ctx, addr_key, now, &store_err) < 0 ||
		    dd_store_commit(ctx->store, &store_err) < 0) {
			dd_store_rollback(ctx->store);
			*err = store_err;
			return -1;
		}
		*err = saved;
		return -1;
	}

	char digest[DD_SECRET_DIGEST_LEN];
	dd_secret_random(out->cookie);
	dd_secret_random(out->csrf);
	dd_secret_digest(out->cookie, digest);
	out->person_id = person_id;
	out->expires_at = now + (int64_t)DD_LIMIT_SESSION_TTL_S * 1000;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_param p[] = {
		DD_P_TEXT(digest),    DD_P_INT(person_id),
		DD_P_TEXT(out->csrf), DD_P_TEXT(address),
		DD_P_INT(now),	      DD_P_INT(out->expires_at),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO sessions (digest, person_id, csrf, "
		    "address, created_at, last_seen_at, expires_at) "
		    "VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
		    p, 6, &out->session_id, err) < 0)
		goto fail;
	if (dd_store_exec(
		    ctx->store, "DELETE FROM signin_failures WHERE key = $1",
		    (struct dd_param[]){DD_P_TEXT(login_key)}, 1, err) < 0 ||
	    dd_store_exec(
		    ctx->store,
		    "DELETE FROM sessions WHERE person_id = $1 AND "
		    "expires_at < $2",
		    (struct dd_param[]){DD_P_INT(person_id), DD_P_INT(now)}, 2,
		    err) < 0)
		goto fail;
	struct dd_actor actor = {.person_id = person_id, .label = lowered};
	if (dd_event_append(ctx->store, now, &actor, "session.signin", "person",
			    person_id, NULL, NULL, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_session_authenticate(struct dd_ctx *ctx, const char *cookie,
			    struct dd_principal *who, struct dd_err *err)
{
	char digest[DD_SECRET_DIGEST_LEN];
	const char *refusal = "your session has ended: sign in again";
	if (strlen(cookie) != DD_SECRET_TEXT_LEN - 1)
		return dd_err_set(err, 401, DD_PROBLEM_UNAUTHENTICATED, "%s",
				  refusal);
	dd_secret_digest(cookie, digest);
	struct dd_rows *rows;
	int64_t now = dd_ctx_now(ctx);
	struct dd_auth_cache *cache = ctx->auth_cache;
	if (cache &&
	    dd_auth_cache_get(cache, DD_AUTH_SESSION, digest, now, who))
		return 0;
	/* Before the read: a change committed during it moves this on. */
	int64_t generation = cache ? dd_auth_cache_generation(cache) : 0;
	if (dd_store_query(
		    ctx->store,
		    "SELECT s.id, s.person_id, s.csrf, s.last_seen_at, p.login,"
		    " (SELECT COALESCE(MAX(g.role), 0) FROM memberships m"
		    " JOIN groups g ON g.id = m.group_id"
		    " WHERE m.person_id = p.id), s.expires_at"
		    " FROM sessions s JOIN people p ON p.id = s.person_id"
		    " WHERE s.digest = $1 AND s.expires_at > $2 AND p.active = "
		    "1",
		    (struct dd_param[]){DD_P_TEXT(digest), DD_P_INT(now)}, 2,
		    &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	int64_t last_seen = 0, expires_at = 0;
	if (rc > 0) {
		memset(who, 0, sizeof(*who));
		expires_at = dd_rows_int(rows, 6);
		who->session_id = dd_rows_int(rows, 0);
		who->person_id = dd_rows_int(rows, 1);
		snprintf(who->csrf, sizeof(who->csrf), "%s",
			 dd_rows_text(rows, 2));
		last_seen = dd_rows_int(rows, 3);
		snprintf(who->login, sizeof(who->login), "%s",
			 dd_rows_text(rows, 4));
		int64_t role = dd_rows_int(rows, 5);
		who->role = role < DD_ROLE_VIEWER ? DD_ROLE_VIEWER
						  : (enum dd_role)role;
		who->scopes = DD_SCOPE_ALL;
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0 ||
	    now - last_seen > (int64_t)DD_LIMIT_SESSION_IDLE_S * 1000)
		return dd_err_set(err, 401, DD_PROBLEM_UNAUTHENTICATED, "%s",
				  refusal);
	if (now - last_seen >= (int64_t)DD_LIMIT_SESSION_TOUCH_S * 1000) {
		struct dd_err ignored;
		dd_store_exec(
			ctx->store,
			"UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
			(struct dd_param[]){DD_P_INT(who->session_id),
					    DD_P_INT(now)},
			2, &ignored);
		last_seen = now;
	}
	/* Touched before it could idle out: the touch time bounds the
	 * idle check too. */
	if (cache)
		dd_auth_cache_put(
			cache, DD_AUTH_SESSION, digest, generation, now,
			expires_at,
			last_seen + (int64_t)DD_LIMIT_SESSION_TOUCH_S * 1000,
			who);
	return 0;
}

int dd_session_signout(struct dd_ctx *ctx, int64_t session_id,
		       struct dd_err *err)
{
	if (ctx->auth_cache)
		dd_auth_cache_forget_session(ctx->auth_cache, session_id);
	/* A change like any other: other instances drop what they cached
	 * of the session when they learn of it. */
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_exec(ctx->store, "DELETE FROM sessions WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(session_id)}, 1,
			  err) < 0 ||
	    dd_change_announce(ctx->store, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0) {
		dd_store_rollback(ctx->store);
		return -1;
	}
	return 0;
}
