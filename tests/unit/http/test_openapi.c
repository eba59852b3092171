/*
 * test_openapi.c - docs/openapi.yaml and the route table say the same.
 *
 * The document is read with libyaml from DUTYDESK_OPENAPI, or from
 * docs/openapi.yaml below the current directory (tests run from the repo
 * root). Every (METHOD, path) under `paths` must be a route in routes.c
 * and every route must be there (HEAD is implied by GET and not listed);
 * each operation's x-dutydesk-role must name the route's least role
 * ("public" for none); its security must match what the server demands
 * (no credentials for a public route; otherwise the session cookie, with
 * the CSRF header exactly on the unsafe routes that check it, or a bearer
 * token with exactly the scopes dd_authz_check asks of it); and every
 * {name} in a path must be declared as a path parameter. Each mismatch is
 * reported by name, all of them in one failure. The last tests feed the
 * checker a doctored route table to show that it notices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yaml.h>

#include "http/router.h"
#include "people/authz.h"

#define DEFAULT_PATH "docs/openapi.yaml"

/* One operation of the document: a method under a path. */
struct doc_op {
	char *method; /* upper case: "GET" */
	char *path;
	int line;	   /* of the method key, 1-based */
	char *role;	   /* x-dutydesk-role, NULL when absent */
	int sec_public;	   /* security is an empty list: no credentials */
	int sec_session;   /* a requirement names sessionCookie */
	int sec_csrf;	   /* ... together with csrfToken */
	int sec_bearer;	   /* a requirement names bearerToken */
	unsigned scopes;   /* ... with these scopes */
	char *sec_error;   /* what was wrong with its security, or NULL */
	char *params;	   /* declared path parameters: ",id,person_id," */
	char *param_error; /* a parameter that could not be read, or NULL */
};

struct openapi {
	char file[512];
	char error[1024]; /* why loading failed; empty when it did not */
	char version[32];
	int servers_ok; /* servers is exactly [{url: /}] */
	struct doc_op *ops;
	int n_ops;
};

/* Mismatches, one a line, with their count. */
struct report {
	char text[32768];
	size_t len;
	int count;
};

__attribute__((format(printf, 2, 3))) static void
report_add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	r->count++;
	if (r->len + 1 >= sizeof(r->text))
		return;
	va_start(ap, fmt);
	int n = vsnprintf(r->text + r->len, sizeof(r->text) - r->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	r->len += (size_t)n;
	if (r->len >= sizeof(r->text) - 1)
		r->len = sizeof(r->text) - 1;
	else
		r->text[r->len++] = '\n';
	r->text[r->len] = '\0';
}

static void report_fail(const struct report *r, const struct openapi *api,
			const char *what)
{
	if (r->count > 0)
		fail_msg("%s and src/http/routes.c disagree on %s (%d):\n%s",
			 api->file, what, r->count, r->text);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

__attribute__((format(printf, 1, 2))) static char *xprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return xstrdup(buf);
}

/* ---- reading the YAML document ---- */

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE
		   ? (const char *)n->data.scalar.value
		   : NULL;
}

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *map,
			    const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(d, p->key));
		if (k && strcmp(k, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static const char *map_str(yaml_document_t *d, yaml_node_t *map,
			   const char *key)
{
	return scalar(map_get(d, map, key));
}

static int seq_len(yaml_node_t *n)
{
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return -1;
	return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_at(yaml_document_t *d, yaml_node_t *n, int i)
{
	return yaml_document_get_node(d, n->data.sequence.items.start[i]);
}

/* The lower-case keys of a path item that are operations. */
static const char *const http_methods[] = {
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
};

static int is_http_method(const char *key)
{
	for (size_t i = 0; i < sizeof(http_methods) / sizeof(http_methods[0]);
	     i++)
		if (strcmp(key, http_methods[i]) == 0)
			return 1;
	return 0;
}

/* Read one security requirement list (a YAML sequence of mappings from
 * scheme name to scopes) into op. */
static void read_security(yaml_document_t *d, yaml_node_t *sec,
			  struct doc_op *op)
{
	int n = seq_len(sec);
	if (n < 0) {
		op->sec_error = xstrdup("'security' is not a list");
		return;
	}
	op->sec_public = n == 0;
	for (int i = 0; i < n; i++) {
		yaml_node_t *req = seq_at(d, sec, i);
		if (req->type != YAML_MAPPING_NODE) {
			op->sec_error =
			    xstrdup("a security requirement is not a map");
			return;
		}
		int session = 0, csrf = 0;
		for (yaml_node_pair_t *p = req->data.mapping.pairs.start;
		     p < req->data.mapping.pairs.top; p++) {
			const char *scheme =
			    scalar(yaml_document_get_node(d, p->key));
			yaml_node_t *scopes =
			    yaml_document_get_node(d, p->value);
			int m = seq_len(scopes);
			if (!scheme || m < 0) {
				op->sec_error =
				    xstrdup("a security requirement is not "
					    "'scheme: [scopes]'");
				return;
			}
			if (strcmp(scheme, "sessionCookie") == 0) {
				session = 1;
			} else if (strcmp(scheme, "csrfToken") == 0) {
				csrf = 1;
			} else if (strcmp(scheme, "bearerToken") == 0) {
				op->sec_bearer = 1;
				for (int j = 0; j < m; j++) {
					const char *name =
					    scalar(seq_at(d, scopes, j));
					unsigned bit = 0;
					if (!name ||
					    dd_scopes_parse(name, &bit, NULL) <
						0 ||
					    (bit & (bit - 1)) != 0) {
						op->sec_error = xprintf(
						    "unknown scope '%s'",
						    name ? name : "?");
						return;
					}
					op->scopes |= bit;
				}
			} else {
				op->sec_error = xprintf(
				    "unknown security scheme '%s'", scheme);
				return;
			}
		}
		if (csrf && !session) {
			op->sec_error = xstrdup(
			    "csrfToken is required without sessionCookie");
			return;
		}
		if (session) {
			op->sec_session = 1;
			op->sec_csrf = csrf;
		}
	}
}

/* Add the path parameters declared in params (a sequence of parameter
 * objects or local $refs to #/components/parameters/NAME) to op. */
static void read_params(yaml_document_t *d, yaml_node_t *root,
			yaml_node_t *params, struct doc_op *op)
{
	static const char prefix[] = "#/components/parameters/";
	int n = seq_len(params);
	if (!params)
		return;
	if (n < 0) {
		op->param_error = xstrdup("'parameters' is not a list");
		return;
	}
	for (int i = 0; i < n; i++) {
		yaml_node_t *p = seq_at(d, params, i);
		const char *ref = map_str(d, p, "$ref");
		if (ref) {
			if (strncmp(ref, prefix, sizeof(prefix) - 1) != 0) {
				op->param_error =
				    xprintf("cannot follow $ref '%s'", ref);
				return;
			}
			p = map_get(d,
				    map_get(d, map_get(d, root, "components"),
					    "parameters"),
				    ref + sizeof(prefix) - 1);
			if (!p) {
				op->param_error = xprintf(
				    "$ref '%s' names no parameter", ref);
				return;
			}
		}
		const char *in = map_str(d, p, "in");
		const char *name = map_str(d, p, "name");
		if (!in || !name) {
			op->param_error =
			    xstrdup("a parameter lacks 'in' or 'name'");
			return;
		}
		if (strcmp(in, "path") != 0)
			continue;
		char *joined = xprintf("%s%s,", op->params, name);
		free(op->params);
		op->params = joined;
	}
}

static void openapi_free(struct openapi *api)
{
	for (int i = 0; i < api->n_ops; i++) {
		struct doc_op *op = &api->ops[i];
		free(op->method);
		free(op->path);
		free(op->role);
		free(op->sec_error);
		free(op->params);
		free(op->param_error);
	}
	free(api->ops);
	api->ops = NULL;
	api->n_ops = 0;
}

/* Walk the parsed document into api. 0, or -1 with api->error set. */
static int collect(yaml_document_t *d, struct openapi *api)
{
	yaml_node_t *root = yaml_document_get_root_node(d);
	if (!root || root->type != YAML_MAPPING_NODE) {
		snprintf(api->error, sizeof(api->error),
			 "'%s' is not a YAML mapping", api->file);
		return -1;
	}
	const char *version = map_str(d, root, "openapi");
	snprintf(api->version, sizeof(api->version), "%s",
		 version ? version : "");
	yaml_node_t *servers = map_get(d, root, "servers");
	const char *url = seq_len(servers) == 1
			      ? map_str(d, seq_at(d, servers, 0), "url")
			      : NULL;
	api->servers_ok = url && strcmp(url, "/") == 0;

	yaml_node_t *global_sec = map_get(d, root, "security");
	yaml_node_t *paths = map_get(d, root, "paths");
	if (!paths || paths->type != YAML_MAPPING_NODE) {
		snprintf(api->error, sizeof(api->error),
			 "'%s' has no 'paths' mapping", api->file);
		return -1;
	}
	int cap = 0;
	for (yaml_node_pair_t *pp = paths->data.mapping.pairs.start;
	     pp < paths->data.mapping.pairs.top; pp++) {
		const char *path = scalar(yaml_document_get_node(d, pp->key));
		yaml_node_t *item = yaml_document_get_node(d, pp->value);
		if (!path || !item || item->type != YAML_MAPPING_NODE) {
			snprintf(
			    api->error, sizeof(api->error),
			    "'%s' line %lu: a path item is not a mapping",
			    api->file,
			    (unsigned long)(yaml_document_get_node(d, pp->key)
						->start_mark.line +
					    1));
			return -1;
		}
		yaml_node_t *path_params = map_get(d, item, "parameters");
		for (yaml_node_pair_t *mp = item->data.mapping.pairs.start;
		     mp < item->data.mapping.pairs.top; mp++) {
			yaml_node_t *key = yaml_document_get_node(d, mp->key);
			yaml_node_t *opn = yaml_document_get_node(d, mp->value);
			const char *m = scalar(key);
			if (!m || !is_http_method(m))
				continue;
			if (api->n_ops == cap) {
				cap = cap ? cap * 2 : 32;
				struct doc_op *grown = realloc(
				    api->ops, (size_t)cap * sizeof(*grown));
				if (!grown)
					abort();
				api->ops = grown;
			}
			struct doc_op *op = &api->ops[api->n_ops++];
			memset(op, 0, sizeof(*op));
			op->method = xstrdup(m);
			for (char *c = op->method; *c; c++)
				*c = (char)(*c - 'a' + 'A');
			op->path = xstrdup(path);
			op->line = (int)key->start_mark.line + 1;
			const char *role = map_str(d, opn, "x-dutydesk-role");
			op->role = role ? xstrdup(role) : NULL;
			yaml_node_t *sec = map_get(d, opn, "security");
			if (sec || global_sec)
				read_security(d, sec ? sec : global_sec, op);
			op->params = xstrdup(",");
			read_params(d, root, path_params, op);
			if (!op->param_error)
				read_params(d, root,
					    map_get(d, opn, "parameters"), op);
		}
	}
	return 0;
}

/* Load the document named by DUTYDESK_OPENAPI or DEFAULT_PATH. 0, or -1
 * with api->error set. */
static int openapi_load(struct openapi *api)
{
	const char *env = getenv("DUTYDESK_OPENAPI");
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = -1;
	memset(api, 0, sizeof(*api));
	snprintf(api->file, sizeof(api->file), "%s",
		 env && *env ? env : DEFAULT_PATH);
	FILE *f = fopen(api->file, "rb");
	if (!f) {
		snprintf(api->error, sizeof(api->error),
			 "cannot open '%s' (run from the repo root or set "
			 "DUTYDESK_OPENAPI)",
			 api->file);
		return -1;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		snprintf(api->error, sizeof(api->error),
			 "cannot set up the YAML parser");
		return -1;
	}
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(api->error, sizeof(api->error), "'%s' line %lu: %s",
			 api->file, (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "not YAML");
		goto out;
	}
	rc = collect(&doc, api);
	yaml_document_delete(&doc);
out:
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}

/* ---- what the route table demands ---- */

/* The role an operation must name: the route's least role, "public" when
 * it needs none. */
static const char *route_role(const struct dd_route *r)
{
	return r->access.min_role == DD_ROLE_NONE
		   ? "public"
		   : dd_role_name(r->access.min_role);
}

/* Whether the server lets anyone in, asked of the one permission
 * decision rather than restated. */
static int route_public(const struct dd_route *r)
{
	struct dd_principal nobody;
	struct dd_err err;
	memset(&nobody, 0, sizeof(nobody));
	dd_err_clear(&err);
	return dd_authz_check(&nobody, &r->access, dd_method_unsafe(r->method),
			      &err) == 0;
}

/* The scopes a token needs on r: each scope whose absence alone makes an
 * admin's token be refused. */
static unsigned route_scopes(const struct dd_route *r)
{
	unsigned need = 0;
	for (unsigned bit = 1; bit <= DD_SCOPE_ALL; bit <<= 1) {
		struct dd_principal who;
		struct dd_err err;
		memset(&who, 0, sizeof(who));
		who.person_id = 1;
		who.token_id = 1;
		who.role = DD_ROLE_ADMIN;
		who.scopes = DD_SCOPE_ALL & ~bit;
		dd_err_clear(&err);
		if (dd_authz_check(&who, &r->access,
				   dd_method_unsafe(r->method), &err) < 0)
			need |= bit;
	}
	return need;
}

/* Whether a session must send X-CSRF-Token (server.c check_csrf). */
static int route_csrf(const struct dd_route *r)
{
	return dd_method_unsafe(r->method) && !(r->flags & DD_ROUTE_NO_CSRF);
}

static const struct doc_op *find_op(const struct openapi *api,
				    const char *method, const char *path)
{
	for (int i = 0; i < api->n_ops; i++)
		if (strcmp(api->ops[i].method, method) == 0 &&
		    strcmp(api->ops[i].path, path) == 0)
			return &api->ops[i];
	return NULL;
}

static const struct dd_route *find_route(const struct dd_route *routes, int n,
					 const char *method, const char *path)
{
	for (int i = 0; i < n; i++)
		if (strcmp(dd_method_name(routes[i].method), method) == 0 &&
		    strcmp(routes[i].pattern, path) == 0)
			return &routes[i];
	return NULL;
}

/* ---- the checks; each returns the number of mismatches ---- */

static int check_operations(const struct openapi *api,
			    const struct dd_route *routes, int n,
			    struct report *r)
{
	for (int i = 0; i < n; i++) {
		const char *m = dd_method_name(routes[i].method);
		if (!find_op(api, m, routes[i].pattern))
			report_add(r,
				   "'%s %s' is a route but is not documented",
				   m, routes[i].pattern);
		for (int j = 0; j < i; j++)
			if (routes[j].method == routes[i].method &&
			    strcmp(routes[j].pattern, routes[i].pattern) == 0)
				report_add(r, "'%s %s' is routed twice", m,
					   routes[i].pattern);
	}
	for (int i = 0; i < api->n_ops; i++) {
		const struct doc_op *op = &api->ops[i];
		if (!find_route(routes, n, op->method, op->path))
			report_add(r,
				   "'%s %s' (line %d) is documented but is not "
				   "a route%s",
				   op->method, op->path, op->line,
				   strcmp(op->method, "HEAD") == 0
				       ? " (HEAD is implied by GET)"
				       : "");
		for (int j = 0; j < i; j++)
			if (strcmp(api->ops[j].method, op->method) == 0 &&
			    strcmp(api->ops[j].path, op->path) == 0)
				report_add(r,
					   "'%s %s' is documented twice (lines "
					   "%d and %d)",
					   op->method, op->path,
					   api->ops[j].line, op->line);
	}
	return r->count;
}

static int check_roles(const struct openapi *api, const struct dd_route *routes,
		       int n, struct report *r)
{
	for (int i = 0; i < n; i++) {
		const char *m = dd_method_name(routes[i].method);
		const struct doc_op *op = find_op(api, m, routes[i].pattern);
		const char *want = route_role(&routes[i]);
		if (!op)
			continue; /* check_operations reports it */
		if (!op->role)
			report_add(r,
				   "'%s %s' (line %d) has no x-dutydesk-role "
				   "(the route demands '%s')",
				   m, routes[i].pattern, op->line, want);
		else if (strcmp(op->role, want) != 0)
			report_add(r,
				   "'%s %s' (line %d) has x-dutydesk-role '%s' "
				   "but the route demands '%s'",
				   m, routes[i].pattern, op->line, op->role,
				   want);
	}
	return r->count;
}

static int check_security(const struct openapi *api,
			  const struct dd_route *routes, int n,
			  struct report *r)
{
	for (int i = 0; i < n; i++) {
		const struct dd_route *rt = &routes[i];
		const char *m = dd_method_name(rt->method);
		const struct doc_op *op = find_op(api, m, rt->pattern);
		if (!op)
			continue;
		if (op->sec_error) {
			report_add(r, "'%s %s' (line %d): %s", m, rt->pattern,
				   op->line, op->sec_error);
			continue;
		}
		if (route_public(rt)) {
			if (!op->sec_public)
				report_add(r,
					   "'%s %s' (line %d) is public: its "
					   "security must be []",
					   m, rt->pattern, op->line);
			continue;
		}
		if (op->sec_public || !op->sec_session || !op->sec_bearer) {
			report_add(r,
				   "'%s %s' (line %d) needs sign-in: its "
				   "security must offer sessionCookie and "
				   "bearerToken",
				   m, rt->pattern, op->line);
			continue;
		}
		if (op->sec_csrf != route_csrf(rt))
			report_add(r,
				   "'%s %s' (line %d) %s csrfToken with "
				   "sessionCookie but the server %s it",
				   m, rt->pattern, op->line,
				   op->sec_csrf ? "asks for" : "lacks",
				   route_csrf(rt) ? "checks"
						  : "does not check");
		unsigned want = route_scopes(rt);
		if (op->scopes != want) {
			char have_s[96], want_s[96];
			dd_scopes_format(op->scopes, have_s, sizeof(have_s));
			dd_scopes_format(want, want_s, sizeof(want_s));
			report_add(r,
				   "'%s %s' (line %d) asks a token for scopes "
				   "[%s] but the server needs [%s]",
				   m, rt->pattern, op->line, have_s, want_s);
		}
	}
	return r->count;
}

static int check_path_params(const struct openapi *api, struct report *r)
{
	for (int i = 0; i < api->n_ops; i++) {
		const struct doc_op *op = &api->ops[i];
		char templ[512] = ",";
		size_t len = 1;
		if (op->param_error) {
			report_add(r, "'%s %s' (line %d): %s", op->method,
				   op->path, op->line, op->param_error);
			continue;
		}
		for (const char *p = strchr(op->path, '{'); p;
		     p = strchr(p + 1, '{')) {
			const char *close = strchr(p, '}');
			if (!close)
				break;
			int n = snprintf(templ + len, sizeof(templ) - len,
					 "%.*s,", (int)(close - p - 1), p + 1);
			if (n > 0 && (size_t)n < sizeof(templ) - len)
				len += (size_t)n;
			char needle[128];
			snprintf(needle, sizeof(needle), ",%.*s,",
				 (int)(close - p - 1), p + 1);
			if (!strstr(op->params, needle))
				report_add(r,
					   "'%s %s' (line %d) declares no path "
					   "parameter '%.*s'",
					   op->method, op->path, op->line,
					   (int)(close - p - 1), p + 1);
		}
		/* And no declared path parameter that the path lacks. */
		for (const char *p = op->params + 1; *p;) {
			size_t n = strcspn(p, ",");
			char needle[128];
			snprintf(needle, sizeof(needle), ",%.*s,", (int)n, p);
			if (!strstr(templ, needle))
				report_add(r,
					   "'%s %s' (line %d) declares path "
					   "parameter '%.*s' that the path "
					   "lacks",
					   op->method, op->path, op->line,
					   (int)n, p);
			p += n + (p[n] == ',');
		}
	}
	return r->count;
}

/* ---- tests ---- */

static int group_setup(void **state)
{
	struct openapi *api = calloc(1, sizeof(*api));
	if (!api)
		return -1;
	if (openapi_load(api) < 0)
		openapi_free(api); /* keep api->error for the tests */
	*state = api;
	return 0;
}

static int group_teardown(void **state)
{
	struct openapi *api = *state;
	openapi_free(api);
	free(api);
	return 0;
}

static const struct openapi *need_doc(void **state)
{
	const struct openapi *api = *state;
	if (api->error[0])
		fail_msg("%s", api->error);
	return api;
}

static void test_document_header(void **state)
{
	const struct openapi *api = need_doc(state);
	if (strncmp(api->version, "3.1.", 4) != 0)
		fail_msg("'%s' says openapi '%s', not 3.1.x", api->file,
			 api->version);
	if (!api->servers_ok)
		fail_msg("'%s': servers must be exactly [{url: /}] (no real "
			 "host)",
			 api->file);
	assert_true(api->n_ops > 0);
}

static void test_operations_match_routes(void **state)
{
	const struct openapi *api = need_doc(state);
	struct report r = {.len = 0};
	check_operations(api, dd_routes, dd_route_count, &r);
	report_fail(&r, api, "operations");
	assert_int_equal(api->n_ops, dd_route_count);
}

static void test_roles_match_access(void **state)
{
	const struct openapi *api = need_doc(state);
	struct report r = {.len = 0};
	check_roles(api, dd_routes, dd_route_count, &r);
	report_fail(&r, api, "roles");
}

static void test_security_matches_access(void **state)
{
	const struct openapi *api = need_doc(state);
	struct report r = {.len = 0};
	check_security(api, dd_routes, dd_route_count, &r);
	report_fail(&r, api, "security");
}

static void test_path_parameters_declared(void **state)
{
	const struct openapi *api = need_doc(state);
	struct report r = {.len = 0};
	check_path_params(api, &r);
	report_fail(&r, api, "path parameters");
}

/* A copy of the route table with room for changes. */
#define DOCTORED_MAX 256

static int doctored(struct dd_route *out, int extra)
{
	assert_true(dd_route_count + extra <= DOCTORED_MAX);
	memcpy(out, dd_routes, (size_t)dd_route_count * sizeof(*out));
	return dd_route_count;
}

/* The checks' counts on the real table, so that the tests below see only
 * what their doctoring adds, even while the document is out of step. */
static int baseline(int (*check)(const struct openapi *,
				 const struct dd_route *, int, struct report *),
		    const struct openapi *api)
{
	static struct report r;
	memset(&r, 0, sizeof(r));
	return check(api, dd_routes, dd_route_count, &r);
}

static void test_checker_sees_undocumented_route(void **state)
{
	const struct openapi *api = need_doc(state);
	struct dd_route routes[DOCTORED_MAX];
	int n = doctored(routes, 1);
	struct report r = {.len = 0};
	routes[n++] = (struct dd_route){
	    DD_POST, "/api/v1/undocumented", NULL, {DD_ROLE_EDITOR, 0}, 0};
	assert_int_equal(check_operations(api, routes, n, &r),
			 baseline(check_operations, api) + 1);
	assert_non_null(strstr(r.text, "'POST /api/v1/undocumented' is a "
				       "route but is not documented"));
}

static void test_checker_sees_removed_route(void **state)
{
	const struct openapi *api = need_doc(state);
	struct dd_route routes[DOCTORED_MAX];
	int n = doctored(routes, 0);
	struct report r = {.len = 0};
	char want[256];
	const struct dd_route gone = routes[n - 1];
	n--;
	snprintf(want, sizeof(want), "'%s %s' (line ",
		 dd_method_name(gone.method), gone.pattern);
	assert_int_equal(check_operations(api, routes, n, &r),
			 baseline(check_operations, api) + 1);
	assert_non_null(strstr(r.text, want));
	assert_non_null(strstr(r.text, "is documented but is not a route"));
}

static void test_checker_sees_wrong_access(void **state)
{
	const struct openapi *api = need_doc(state);
	struct dd_route routes[DOCTORED_MAX];
	int n = doctored(routes, 0);
	int changed = -1;
	for (int i = 0; i < n && changed < 0; i++)
		if (routes[i].method == DD_GET &&
		    routes[i].access.min_role == DD_ROLE_VIEWER)
			changed = i;
	assert_true(changed >= 0);
	routes[changed].access.min_role = DD_ROLE_ADMIN;

	struct report roles = {.len = 0}, sec = {.len = 0};
	assert_int_equal(check_roles(api, routes, n, &roles),
			 baseline(check_roles, api) + 1);
	assert_non_null(strstr(roles.text, "the route demands 'admin'"));
	/* An admin route asks a token for the admin scope as well. */
	assert_int_equal(check_security(api, routes, n, &sec),
			 baseline(check_security, api) + 1);
	assert_non_null(strstr(sec.text, "the server needs [read,admin]"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_document_header),
	    cmocka_unit_test(test_operations_match_routes),
	    cmocka_unit_test(test_roles_match_access),
	    cmocka_unit_test(test_security_matches_access),
	    cmocka_unit_test(test_path_parameters_declared),
	    cmocka_unit_test(test_checker_sees_undocumented_route),
	    cmocka_unit_test(test_checker_sees_removed_route),
	    cmocka_unit_test(test_checker_sees_wrong_access),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
