#include "people/authz.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[] = {"none", "viewer", "editor", "admin"};

static const struct {
	const char *name;
	unsigned bit;
} scope_names[] = {
	{"read", DD_SCOPE_READ},
	{"write", DD_SCOPE_WRITE},
	{"admin", DD_SCOPE_ADMIN},
	{"mail:ingest", DD_SCOPE_MAIL_INGEST},
	{"phone:route", DD_SCOPE_PHONE_ROUTE},
};
#define SCOPE_COUNT (sizeof(scope_names) / sizeof(scope_names[0]))

const char *dd_role_name(enum dd_role role)
{
	return role >= DD_ROLE_NONE && role <= DD_ROLE_ADMIN ? role_names[role]
							     : "none";
}

int dd_role_parse(const char *name, enum dd_role *role)
{
	for (int i = 0; i <= DD_ROLE_ADMIN; i++)
		if (name && strcmp(name, role_names[i]) == 0) {
			*role = (enum dd_role)i;
			return 0;
		}
	return -1;
}

const char *dd_scope_name(unsigned bit)
{
	for (size_t i = 0; i < SCOPE_COUNT; i++)
		if (scope_names[i].bit == bit)
			return scope_names[i].name;
	return NULL;
}

int dd_scopes_parse(const char *text, unsigned *mask, struct dd_err *err)
{
	unsigned m = 0;
	const char *p = text;
	if (!p || !*p)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a token needs at least one scope");
	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned bit = 0;
		for (size_t i = 0; i < SCOPE_COUNT; i++)
			if (strlen(scope_names[i].name) == n &&
			    strncmp(p, scope_names[i].name, n) == 0)
				bit = scope_names[i].bit;
		if (!bit)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "unknown scope '%.*s' (known: read, "
					  "write, admin, mail:ingest, "
					  "phone:route)",
					  (int)(n > 40 ? 40 : n), p);
		if (m & bit)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "scope '%.*s' given twice", (int)n,
					  p);
		m |= bit;
		p += n;
		if (*p == ',') {
			p++;
			if (!*p)
				return dd_err_set(err, 400,
						  DD_PROBLEM_VALIDATION,
						  "empty scope after ','");
		}
	}
	*mask = m;
	return 0;
}

void dd_scopes_format(unsigned mask, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < SCOPE_COUNT; i++) {
		if (!(mask & scope_names[i].bit))
			continue;
		int n = snprintf(out + len, cap - len, "%s%s", len ? "," : "",
				 scope_names[i].name);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
}

int dd_authz_check(const struct dd_principal *who, const struct dd_access *need,
		   int unsafe, struct dd_err *err)
{
	if (need->min_role == DD_ROLE_NONE && need->scope == 0)
		return 0;
	if (!who || who->person_id <= 0)
		return dd_err_set(err, 401, DD_PROBLEM_UNAUTHENTICATED,
				  "sign in or send a bearer token");
	unsigned scope = need->scope;
	if (!scope) {
		scope = unsafe ? DD_SCOPE_WRITE : DD_SCOPE_READ;
		if (need->min_role == DD_ROLE_ADMIN)
			scope |= DD_SCOPE_ADMIN;
	}
	if ((who->scopes & scope) != scope) {
		char names[64];
		dd_scopes_format(scope & ~who->scopes, names, sizeof(names));
		return dd_err_set(err, 403, DD_PROBLEM_FORBIDDEN,
				  "this token lacks the scope '%s'", names);
	}
	if (who->role < need->min_role)
		return dd_err_set(err, 403, DD_PROBLEM_FORBIDDEN,
				  "this needs the role '%s' (you have '%s')",
				  dd_role_name(need->min_role),
				  dd_role_name(who->role));
	return 0;
}
