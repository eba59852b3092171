/*
 * authz.h - roles, token scopes and the one permission decision.
 *
 * A person's role is the highest role of the groups they belong to, and at
 * least viewer: everyone signed in may read (the seed's "Users" group).
 * Editors may also change the rota and the organisation; admins may also
 * manage people, groups and tokens. A token acts for its person, limited
 * to its scopes.
 */
#ifndef DD_PEOPLE_AUTHZ_H
#define DD_PEOPLE_AUTHZ_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum dd_role {
	DD_ROLE_NONE = 0, /* a functional group that grants nothing */
	DD_ROLE_VIEWER = 1,
	DD_ROLE_EDITOR = 2,
	DD_ROLE_ADMIN = 3,
};

enum dd_scope {
	DD_SCOPE_READ = 1u << 0,
	DD_SCOPE_WRITE = 1u << 1,
	DD_SCOPE_ADMIN = 1u << 2,
	DD_SCOPE_MAIL_INGEST = 1u << 3,
	DD_SCOPE_PHONE_ROUTE = 1u << 4,
	DD_SCOPE_ALL = (1u << 5) - 1,
};

/* Who is asking: a signed-in person (session) or a token. */
struct dd_principal {
	int64_t person_id; /* 0: anonymous */
	char login[65];
	enum dd_role role;
	unsigned scopes;    /* all scopes for a session */
	int64_t token_id;   /* > 0 when authenticated by token */
	int64_t session_id; /* > 0 when authenticated by session */
	char csrf[48];	    /* the session's CSRF token */
};

/* What a route demands. */
struct dd_access {
	enum dd_role min_role; /* DD_ROLE_NONE: public, no sign-in needed */
	/* Scope a token must hold. 0 means: read for safe methods, write for
	 * unsafe ones, plus admin when min_role is admin. */
	unsigned scope;
};

/*
 * The permission decision, pure. unsafe is nonzero for methods that change
 * things. Returns 0 when allowed, or -1 with err set to 401 (not signed
 * in) or 403 (signed in, not allowed; the message names what is missing).
 */
int dd_authz_check(const struct dd_principal *who, const struct dd_access *need,
		   int unsafe, struct dd_err *err);

const char *dd_role_name(enum dd_role role);
/* 0 with *role set, -1 for an unknown name. */
int dd_role_parse(const char *name, enum dd_role *role);

/* Parse "read,write" into a mask; -1 on an unknown or repeated scope. */
int dd_scopes_parse(const char *text, unsigned *mask, struct dd_err *err);
/* The mask as "read,write" into out (cap >= 64). */
void dd_scopes_format(unsigned mask, char *out, size_t cap);
/* The name of one scope bit, or NULL. */
const char *dd_scope_name(unsigned bit);

#endif
