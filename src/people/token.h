/*
 * token.h - API tokens for integrations (mail gateway, phone system,
 * scripts). A token acts for one person, limited to its scopes. Its text
 * ("ddt_" and 43 random characters) is shown once at creation; only its
 * digest is stored. Revoked tokens stay listed for the audit trail.
 */
#ifndef DD_PEOPLE_TOKEN_H
#define DD_PEOPLE_TOKEN_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "base/secret.h"
#include "people/authz.h"
#include "store/event.h"

#define DD_TOKEN_PREFIX "ddt_"
/* Prefix, secret and NUL. */
#define DD_TOKEN_TEXT_LEN (4 + DD_SECRET_TEXT_LEN)

struct dd_token {
	int64_t id;
	int64_t person_id;
	const char *login;
	const char *name;
	unsigned scopes;
	int64_t created_at;
	int64_t created_by;   /* 0 when created from the command line */
	int64_t last_used_at; /* 0 when never used */
	int64_t revoked_at;   /* 0 while valid */
};

/* Create a token for person_id named name with scopes. text receives the
 * token, which is never stored and cannot be shown again. */
int dd_token_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t person_id, const char *name, unsigned scopes,
		    char text[DD_TOKEN_TEXT_LEN], struct dd_token *out,
		    struct dd_err *err);
/* Revoke (idempotent for revoked tokens; 404 for unknown ids). */
int dd_token_revoke(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_err *err);
int dd_token_get(struct dd_ctx *ctx, int64_t id, struct dd_token *out,
		 struct dd_err *err);
int dd_token_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		  int (*fn)(const struct dd_token *t, void *arg), void *arg,
		  struct dd_err *err);

/* Resolve a presented token into who. -1 with 401 when unknown, revoked
 * or its person is inactive. Records the last use (at most once a
 * minute, so that reads stay reads). */
int dd_token_authenticate(struct dd_ctx *ctx, const char *text,
			  struct dd_principal *who, struct dd_err *err);

void dd_token_to_json(const struct dd_token *t, struct dd_json_out *j);

#endif
