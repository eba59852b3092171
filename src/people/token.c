#include "people/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "people/auth_cache.h"
#include "store/store.h"

/* Last use is written at most this often per token. */
#define TOKEN_TOUCH_MS (60 * 1000)

#define TOKEN_COLUMNS                                                          \
	"SELECT t.id, t.person_id, p.login, t.name, t.scopes, t.created_at,"   \
	" t.created_by, t.last_used_at, t.revoked_at FROM tokens t"            \
	" JOIN people p ON p.id = t.person_id "

void dd_token_to_json(const struct dd_token *t, struct dd_json_out *j)
{
	char scopes[96];
	dd_scopes_format(t->scopes, scopes, sizeof(scopes));
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", t->id);
	dd_json_kint(j, "person_id", t->person_id);
	dd_json_kstr(j, "login", t->login);
	dd_json_kstr(j, "name", t->name);
	dd_json_key(j, "scopes");
	dd_json_arr_begin(j);
	for (unsigned bit = 1; bit <= DD_SCOPE_ALL; bit <<= 1)
		if (t->scopes & bit)
			dd_json_str(j, dd_scope_name(bit));
	dd_json_arr_end(j);
	dd_json_ktime(j, "created_at", t->created_at);
	dd_json_ktime_or_null(j, "last_used_at", t->last_used_at);
	dd_json_ktime_or_null(j, "revoked_at", t->revoked_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_token *t)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 4096);
	dd_json_out_init(&j, &buf);
	dd_token_to_json(t, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_token *t)
{
	unsigned scopes = 0;
	t->id = dd_rows_int(rows, 0);
	t->person_id = dd_rows_int(rows, 1);
	t->login = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	t->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 3));
	if (dd_scopes_parse(dd_rows_text(rows, 4), &scopes, NULL) < 0)
		scopes = 0;
	t->scopes = scopes;
	t->created_at = dd_rows_int(rows, 5);
	t->created_by = dd_rows_int(rows, 6);
	t->last_used_at = dd_rows_int(rows, 7);
	t->revoked_at = dd_rows_int(rows, 8);
}

int dd_token_get(struct dd_ctx *ctx, int64_t id, struct dd_token *out,
		 struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, TOKEN_COLUMNS "WHERE t.id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no token with id %lld", (long long)id);
	return rc < 0 ? -1 : 0;
}

int dd_token_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		  int (*fn)(const struct dd_token *t, void *arg), void *arg,
		  struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    TOKEN_COLUMNS "WHERE t.id > $1 ORDER BY t.id LIMIT $2",
		    (struct dd_param[]){DD_P_INT(after_id), DD_P_INT(limit)}, 2,
		    &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_token t;
		read_row(ctx, rows, &t);
		if (fn(&t, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_token_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t person_id, const char *name, unsigned scopes,
		    char text[DD_TOKEN_TEXT_LEN], struct dd_token *out,
		    struct dd_err *err)
{
	char secret[DD_SECRET_TEXT_LEN];
	char digest[DD_SECRET_DIGEST_LEN];
	char scope_text[96];
	int64_t now = dd_ctx_now(ctx), id = 0, active = 0;
	if (dd_text_check("name", name, 1, DD_LIMIT_NAME, DD_TEXT_SINGLE_LINE,
			  err) < 0)
		return -1;
	if (scopes == 0 || (scopes & ~(unsigned)DD_SCOPE_ALL))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a token needs at least one known scope");
	dd_secret_random(secret);
	snprintf(text, DD_TOKEN_TEXT_LEN, DD_TOKEN_PREFIX "%s", secret);
	dd_secret_digest(text, digest);
	dd_scopes_format(scopes, scope_text, sizeof(scope_text));
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int rc = dd_store_query_int(
		ctx->store, "SELECT active FROM people WHERE id = $1",
		(struct dd_param[]){DD_P_INT(person_id)}, 1, &active, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no person with id %lld", (long long)person_id);
		goto fail;
	}
	if (!active) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "person %lld is not active", (long long)person_id);
		goto fail;
	}
	struct dd_param p[] = {
		DD_P_INT(person_id),
		DD_P_TEXT(name),
		DD_P_TEXT(digest),
		DD_P_TEXT(scope_text),
		DD_P_INT(now),
		actor->person_id > 0 ? DD_P_INT(actor->person_id) : DD_P_NULL,
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO tokens (person_id, name, digest, "
		    "scopes, created_at, created_by) VALUES ($1, $2, "
		    "$3, $4, $5, $6) RETURNING id",
		    p, 6, &id, err) < 0)
		goto fail;
	if (dd_token_get(ctx, id, out, err) < 0)
		goto fail;
	char *a = snapshot(out);
	rc = dd_event_append(ctx->store, now, actor, "token.create", "token",
			     id, NULL, a, err);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_token_revoke(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_token before, after;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_token_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.revoked_at) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (dd_store_exec(ctx->store,
			  "UPDATE tokens SET revoked_at = $2 WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2,
			  err) < 0 ||
	    dd_token_get(ctx, id, &after, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(&after);
	int rc = dd_event_append(ctx->store, now, actor, "token.revoke",
				 "token", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_token_authenticate(struct dd_ctx *ctx, const char *text,
			  struct dd_principal *who, struct dd_err *err)
{
	char digest[DD_SECRET_DIGEST_LEN];
	const char *refusal = "unknown or revoked token";
	if (strncmp(text, DD_TOKEN_PREFIX, strlen(DD_TOKEN_PREFIX)) != 0 ||
	    strlen(text) != DD_TOKEN_TEXT_LEN - 1)
		return dd_err_set(err, 401, DD_PROBLEM_UNAUTHENTICATED, "%s",
				  refusal);
	dd_secret_digest(text, digest);
	int64_t now = dd_ctx_now(ctx);
	struct dd_auth_cache *cache = ctx->auth_cache;
	if (cache && dd_auth_cache_get(cache, DD_AUTH_TOKEN, digest, now, who))
		return 0;
	/* Before the read: a change committed during it moves this on. */
	int64_t generation = cache ? dd_auth_cache_generation(cache) : 0;
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    "SELECT t.id, t.person_id, t.scopes, t.last_used_at, "
		    "p.login,"
		    " (SELECT COALESCE(MAX(g.role), 0) FROM memberships m"
		    " JOIN groups g ON g.id = m.group_id"
		    " WHERE m.person_id = p.id)"
		    " FROM tokens t JOIN people p ON p.id = t.person_id"
		    " WHERE t.digest = $1 AND t.revoked_at IS NULL"
		    " AND p.active = 1",
		    (struct dd_param[]){DD_P_TEXT(digest)}, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	int64_t last_used = 0;
	if (rc > 0) {
		unsigned scopes = 0;
		memset(who, 0, sizeof(*who));
		who->token_id = dd_rows_int(rows, 0);
		who->person_id = dd_rows_int(rows, 1);
		if (dd_scopes_parse(dd_rows_text(rows, 2), &scopes, NULL) == 0)
			who->scopes = scopes;
		last_used = dd_rows_int(rows, 3);
		snprintf(who->login, sizeof(who->login), "%s",
			 dd_rows_text(rows, 4));
		int64_t role = dd_rows_int(rows, 5);
		who->role = role < DD_ROLE_VIEWER ? DD_ROLE_VIEWER
						  : (enum dd_role)role;
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 401, DD_PROBLEM_UNAUTHENTICATED, "%s",
				  refusal);
	if (now - last_used >= TOKEN_TOUCH_MS) {
		struct dd_err ignored;
		/* Not worth failing the request for. */
		dd_store_exec(
			ctx->store,
			"UPDATE tokens SET last_used_at = $2 WHERE id = $1",
			(struct dd_param[]){DD_P_INT(who->token_id),
					    DD_P_INT(now)},
			2, &ignored);
		last_used = now;
	}
	if (cache)
		dd_auth_cache_put(cache, DD_AUTH_TOKEN, digest, generation, now,
				  0, last_used + TOKEN_TOUCH_MS, who);
	return 0;
}
