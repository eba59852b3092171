/*
 * test_router.c - matching a method and path against a route table:
 * parameters, exact segments (no trailing slash), 404 versus 405 with
 * the allowed methods, HEAD served by GET; method names; and the real
 * table dd_routes, checked for well-formed patterns, no shadowed routes
 * and a few routes whose access is part of the contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"

/* Handlers for the test table: never called, only compared. */
static int h_list(struct dd_request *req)
{
	return 0;
}
static int h_create(struct dd_request *req)
{
	return 0;
}
static int h_new(struct dd_request *req)
{
	return 0;
}
static int h_get(struct dd_request *req)
{
	return 0;
}
static int h_put(struct dd_request *req)
{
	return 0;
}
static int h_delete(struct dd_request *req)
{
	return 0;
}
static int h_tag(struct dd_request *req)
{
	return 0;
}
static int h_root(struct dd_request *req)
{
	return 0;
}
static int h_five(struct dd_request *req)
{
	return 0;
}

static const struct dd_route table[] = {
    {DD_GET, "/", h_root, {DD_ROLE_NONE, 0}, 0},
    {DD_GET, "/items", h_list, {DD_ROLE_VIEWER, 0}, 0},
    {DD_POST, "/items", h_create, {DD_ROLE_EDITOR, 0}, 0},
    /* A literal segment before the parameter that would also match. */
    {DD_GET, "/items/new", h_new, {DD_ROLE_VIEWER, 0}, 0},
    {DD_GET, "/items/{id}", h_get, {DD_ROLE_VIEWER, 0}, 0},
    {DD_PUT, "/items/{id}", h_put, {DD_ROLE_EDITOR, 0}, 0},
    {DD_DELETE, "/items/{id}", h_delete, {DD_ROLE_ADMIN, 0}, 0},
    {DD_GET, "/items/{id}/tags/{tag}", h_tag, {DD_ROLE_VIEWER, 0}, 0},
    /* More parameters than a request can hold: never matches. */
    {DD_GET, "/five/{a}/{b}/{c}/{d}/{e}", h_five, {DD_ROLE_NONE, 0}, 0},
};
static const int table_n = (int)(sizeof(table) / sizeof(table[0]));

struct fx {
	struct dd_request req;
};

static int setup(void **state)
{
	static struct fx fx;
	memset(&fx, 0, sizeof(fx));
	dd_arena_init(&fx.req.arena, 1 << 16);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	dd_arena_release(&fx->req.arena);
	return 0;
}

static struct dd_request *R(void **state)
{
	return &((struct fx *)*state)->req;
}

static const struct dd_route *find(void **state, enum dd_method m,
				   const char *path, unsigned *allowed)
{
	*allowed = 0xdead;
	return dd_router_match(table, table_n, m, path, R(state), allowed);
}

static void expect_route(void **state, enum dd_method m, const char *path,
			 dd_handler want)
{
	unsigned allowed;
	const struct dd_route *r = find(state, m, path, &allowed);
	if (!r)
		fail_msg("%s %s: no route (allowed %#x)", dd_method_name(m),
			 path, allowed);
	assert_ptr_equal(r->handler, want);
	assert_int_equal(allowed, 0);
}

static void expect_404(void **state, enum dd_method m, const char *path)
{
	unsigned allowed;
	const struct dd_route *r = find(state, m, path, &allowed);
	if (r)
		fail_msg("%s '%s' matched '%s'", dd_method_name(m), path,
			 r->pattern);
	if (allowed != 0)
		fail_msg("%s '%s': allowed %#x, want 0 (404)",
			 dd_method_name(m), path, allowed);
}

static void expect_405(void **state, enum dd_method m, const char *path,
		       unsigned want)
{
	unsigned allowed;
	const struct dd_route *r = find(state, m, path, &allowed);
	if (r)
		fail_msg("%s '%s' matched '%s'", dd_method_name(m), path,
			 r->pattern);
	if (allowed != want)
		fail_msg("%s '%s': allowed %#x, want %#x", dd_method_name(m),
			 path, allowed, want);
}

static void test_literal_routes(void **state)
{
	expect_route(state, DD_GET, "/", h_root);
	expect_route(state, DD_GET, "/items", h_list);
	expect_route(state, DD_POST, "/items", h_create);
	expect_route(state, DD_GET, "/items/new", h_new);
	/* No parameters on a literal route. */
	assert_int_equal(R(state)->param_count, 0);
}

static void test_parameters(void **state)
{
	struct dd_request *req = R(state);
	expect_route(state, DD_GET, "/items/42", h_get);
	assert_int_equal(req->param_count, 1);
	assert_string_equal(req->param_names[0], "id");
	assert_string_equal(dd_req_param(req, "id"), "42");
	assert_null(dd_req_param(req, "tag"));

	expect_route(state, DD_GET, "/items/42/tags/red", h_tag);
	assert_int_equal(req->param_count, 2);
	assert_string_equal(dd_req_param(req, "id"), "42");
	assert_string_equal(dd_req_param(req, "tag"), "red");

	/* The literal route wins where it comes first; other methods on
	 * the same path fall to the parameter. */
	expect_route(state, DD_PUT, "/items/new", h_put);
	assert_string_equal(dd_req_param(req, "id"), "new");
}

static void test_parameter_values_are_raw_segments(void **state)
{
	struct dd_request *req = R(state);
	/* Whatever a segment holds is handed over as is: checking it is
	 * the handler's job (dd_req_param_id). */
	expect_route(state, DD_GET, "/items/a%2Fb", h_get);
	assert_string_equal(dd_req_param(req, "id"), "a%2Fb");
	expect_route(state, DD_GET, "/items/-1", h_get);
	assert_string_equal(dd_req_param(req, "id"), "-1");
	expect_route(state, DD_GET, "/items/..", h_get);
	assert_string_equal(dd_req_param(req, "id"), "..");
	expect_route(state, DD_GET, "/items/{id}", h_get);
	assert_string_equal(dd_req_param(req, "id"), "{id}");
	/* Values are copies in the request's arena. */
	char path[] = "/items/77";
	expect_route(state, DD_GET, path, h_get);
	path[7] = '9';
	assert_string_equal(dd_req_param(req, "id"), "77");
}

static void test_trailing_slash_and_empty_segments(void **state)
{
	expect_404(state, DD_GET, "/items/");
	expect_404(state, DD_GET, "/items/42/");
	expect_404(state, DD_GET, "/items//tags/red");
	expect_404(state, DD_GET, "/items/42/tags/");
	expect_404(state, DD_GET, "//items");
	expect_404(state, DD_GET, "/items/new/");
}

static void test_unknown_paths(void **state)
{
	expect_404(state, DD_GET, "");
	expect_404(state, DD_GET, "items");
	expect_404(state, DD_GET, "/itemsx");
	expect_404(state, DD_GET, "/item");
	expect_404(state, DD_GET, "/ITEMS");
	expect_404(state, DD_GET, "/items/42/extra");
	expect_404(state, DD_GET, "/items/42/tags");
	expect_404(state, DD_GET, "/items/42/tags/red/more");
	expect_404(state, DD_POST, "/nothing/here");
	expect_404(state, DD_GET, "/items?x=1");
}

static void test_method_not_allowed(void **state)
{
	expect_405(state, DD_DELETE, "/items", DD_GET | DD_HEAD | DD_POST);
	expect_405(state, DD_PATCH, "/items", DD_GET | DD_HEAD | DD_POST);
	expect_405(state, DD_POST, "/items/42",
		   DD_GET | DD_HEAD | DD_PUT | DD_DELETE);
	expect_405(state, DD_OPTIONS, "/items/42",
		   DD_GET | DD_HEAD | DD_PUT | DD_DELETE);
	expect_405(state, DD_POST, "/", DD_GET | DD_HEAD);
	expect_405(state, DD_DELETE, "/items/42/tags/red", DD_GET | DD_HEAD);
	/* Both the literal and the parameter route accept /items/new. */
	expect_405(state, DD_POST, "/items/new",
		   DD_GET | DD_HEAD | DD_PUT | DD_DELETE);
}

static void test_head_is_get(void **state)
{
	expect_route(state, DD_HEAD, "/items", h_list);
	expect_route(state, DD_HEAD, "/items/5/tags/x", h_tag);
	assert_string_equal(dd_req_param(R(state), "tag"), "x");
	/* HEAD on a path without GET is a 405, not a match. */
	static const struct dd_route post_only[] = {
	    {DD_POST, "/submit", h_create, {DD_ROLE_NONE, 0}, 0},
	};
	unsigned allowed = 0;
	assert_null(dd_router_match(post_only, 1, DD_HEAD, "/submit", R(state),
				    &allowed));
	assert_int_equal(allowed, DD_POST);
	assert_null(dd_router_match(post_only, 1, DD_GET, "/submit", R(state),
				    &allowed));
	assert_int_equal(allowed, DD_POST);
}

static void test_too_many_parameters_never_match(void **state)
{
	expect_404(state, DD_GET, "/five/1/2/3/4/5");
}

static void test_empty_table(void **state)
{
	unsigned allowed = 1;
	assert_null(
	    dd_router_match(table, 0, DD_GET, "/items", R(state), &allowed));
	assert_int_equal(allowed, 0);
}

static void test_method_names(void **state)
{
	static const struct {
		enum dd_method m;
		const char *name;
		int unsafe;
	} methods[] = {
	    {DD_GET, "GET", 0},		{DD_HEAD, "HEAD", 0},
	    {DD_POST, "POST", 1},	{DD_PUT, "PUT", 1},
	    {DD_PATCH, "PATCH", 1},	{DD_DELETE, "DELETE", 1},
	    {DD_OPTIONS, "OPTIONS", 0},
	};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		enum dd_method m = (enum dd_method)0;
		assert_string_equal(dd_method_name(methods[i].m),
				    methods[i].name);
		assert_int_equal(dd_method_parse(methods[i].name, &m), 0);
		assert_int_equal(m, methods[i].m);
		assert_int_equal(dd_method_unsafe(methods[i].m) != 0,
				 methods[i].unsafe);
	}
	assert_string_equal(dd_method_name((enum dd_method)(1 << 12)), "?");
}

static void test_method_parse_errors(void **state)
{
	static const char *const bad[] = {
	    "get",  "Get", "",	   "CONNECT", "TRACE",
	    "GETX", "GE",  " GET", "GET ",    "G\0T",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum dd_method m = DD_PATCH;
		assert_int_equal(dd_method_parse(bad[i], &m), -1);
		/* Untouched on failure. */
		assert_int_equal(m, DD_PATCH);
	}
}

/* dd_routes: a concrete path for a pattern, "{x}" replaced by "7". */
static void instantiate(const char *pattern, char *out, size_t cap)
{
	size_t j = 0;
	for (const char *p = pattern; *p && j + 2 < cap; p++) {
		if (*p == '{') {
			p = strchr(p, '}');
			assert_non_null(p);
			out[j++] = '7';
			continue;
		}
		out[j++] = *p;
	}
	out[j] = '\0';
}

static void test_dd_routes_well_formed(void **state)
{
	assert_true(dd_route_count > 0);
	for (int i = 0; i < dd_route_count; i++) {
		const struct dd_route *r = &dd_routes[i];
		const char *p = r->pattern;
		assert_non_null(r->handler);
		if (p[0] != '/')
			fail_msg("'%s' does not start with '/'", p);
		if (strlen(p) > 1 && p[strlen(p) - 1] == '/')
			fail_msg("'%s' ends with '/'", p);
		if (strstr(p, "//"))
			fail_msg("'%s' has an empty segment", p);
		/* One real method each; HEAD comes with GET. */
		const char *name = dd_method_name(r->method);
		enum dd_method m;
		if (dd_method_parse(name, &m) != 0 || r->method == DD_HEAD)
			fail_msg("'%s' has method %#x", p, r->method);
		/* Parameters: whole segments, named, unique, few enough. */
		int params = 0;
		const char *names[DD_ROUTE_PARAMS_MAX + 1];
		size_t lens[DD_ROUTE_PARAMS_MAX + 1];
		for (const char *q = p; (q = strchr(q, '{')) != NULL;) {
			const char *close = strchr(q, '}');
			if (!close || close == q + 1 || q[-1] != '/' ||
			    (close[1] != '/' && close[1] != '\0') ||
			    memchr(q + 1, '/', (size_t)(close - q - 1)))
				fail_msg("'%s' has a malformed parameter", p);
			if (params >= DD_ROUTE_PARAMS_MAX)
				fail_msg("'%s' has too many parameters", p);
			names[params] = q + 1;
			lens[params] = (size_t)(close - q - 1);
			for (int k = 0; k < params; k++)
				if (lens[k] == lens[params] &&
				    memcmp(names[k], names[params], lens[k]) ==
					0)
					fail_msg("'%s' repeats a parameter", p);
			params++;
			q = close + 1;
		}
		if (strchr(p, '}') && params == 0)
			fail_msg("'%s' has a stray '}'", p);
	}
}

static void test_dd_routes_each_reachable(void **state)
{
	/* Every route is the one found for its own method and a concrete
	 * path: no route is a duplicate or shadowed by an earlier one. */
	struct dd_request *req = R(state);
	for (int i = 0; i < dd_route_count; i++) {
		const struct dd_route *r = &dd_routes[i];
		char path[256];
		unsigned allowed = 0;
		instantiate(r->pattern, path, sizeof(path));
		const struct dd_route *got = dd_router_match(
		    dd_routes, dd_route_count, r->method, path, req, &allowed);
		if (got != r)
			fail_msg("%s %s (from '%s') found '%s'",
				 dd_method_name(r->method), path, r->pattern,
				 got ? got->pattern : "nothing");
		/* Every parameter came through. */
		for (int k = 0; k < req->param_count; k++)
			assert_string_equal(req->param_values[k], "7");
		if (r->method == DD_GET)
			assert_ptr_equal(
			    dd_router_match(dd_routes, dd_route_count, DD_HEAD,
					    path, req, &allowed),
			    r);
		/* The same path with a slash added is a 404. */
		strcat(path, "/");
		assert_null(dd_router_match(dd_routes, dd_route_count,
					    r->method, path, req, &allowed));
		assert_int_equal(allowed, 0);
	}
}

static const struct dd_route *real(enum dd_method m, const char *path,
				   struct dd_request *req, unsigned *allowed)
{
	return dd_router_match(dd_routes, dd_route_count, m, path, req,
			       allowed);
}

static void test_dd_routes_contract(void **state)
{
	struct dd_request *req = R(state);
	unsigned allowed = 0;
	const struct dd_route *r;

	/* Health checks are public. */
	r = real(DD_GET, "/healthz", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_NONE);
	assert_int_equal(r->access.scope, 0);
	assert_non_null(real(DD_HEAD, "/readyz", req, &allowed));

	/* Signing in is public and needs no CSRF token (there is no
	 * session yet); everything else about the session needs one. */
	r = real(DD_POST, "/api/v1/session", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_NONE);
	assert_true(r->flags & DD_ROUTE_NO_CSRF);
	r = real(DD_DELETE, "/api/v1/session", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_VIEWER);
	assert_false(r->flags & DD_ROUTE_NO_CSRF);
	assert_null(real(DD_PATCH, "/api/v1/session", req, &allowed));
	assert_int_equal(allowed, DD_GET | DD_HEAD | DD_POST | DD_DELETE);

	/* People: read for viewers, change for admins. */
	r = real(DD_GET, "/api/v1/people/12", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_VIEWER);
	assert_string_equal(dd_req_param(req, "id"), "12");
	r = real(DD_PATCH, "/api/v1/people/12", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_ADMIN);
	r = real(DD_PUT, "/api/v1/groups/3/members/9", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_ADMIN);
	assert_string_equal(dd_req_param(req, "id"), "3");
	assert_string_equal(dd_req_param(req, "person_id"), "9");

	/* Tokens and the event log are for admins only, reading too. */
	r = real(DD_GET, "/api/v1/tokens", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_ADMIN);
	r = real(DD_GET, "/api/v1/events", req, &allowed);
	assert_non_null(r);
	assert_int_equal(r->access.min_role, DD_ROLE_ADMIN);

	/* Unknown paths and trailing slashes are 404s. */
	assert_null(real(DD_GET, "/api/v1/nope", req, &allowed));
	assert_int_equal(allowed, 0);
	assert_null(real(DD_GET, "/api/v1/people/", req, &allowed));
	assert_int_equal(allowed, 0);
	assert_null(real(DD_GET, "/api/v1/people/12/", req, &allowed));
	assert_int_equal(allowed, 0);
}

static void test_dd_routes_no_public_writes_but_signin(void **state)
{
	/* A public route that changes state is a hole in the permission
	 * matrix unless it is signing in, or a one-click link whose signed
	 * single-use token is the credential (alert/ack_link.h). */
	for (int i = 0; i < dd_route_count; i++) {
		const struct dd_route *r = &dd_routes[i];
		if (!dd_method_unsafe(r->method) ||
		    r->access.min_role != DD_ROLE_NONE || r->access.scope != 0)
			continue;
		if (strcmp(r->pattern, "/api/v1/session") != 0 &&
		    strcmp(r->pattern, "/api/v1/ack/{token}") != 0)
			fail_msg("public unsafe route %s %s",
				 dd_method_name(r->method), r->pattern);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_literal_routes),
	    T(test_parameters),
	    T(test_parameter_values_are_raw_segments),
	    T(test_trailing_slash_and_empty_segments),
	    T(test_unknown_paths),
	    T(test_method_not_allowed),
	    T(test_head_is_get),
	    T(test_too_many_parameters_never_match),
	    T(test_empty_table),
	    cmocka_unit_test(test_method_names),
	    cmocka_unit_test(test_method_parse_errors),
	    cmocka_unit_test(test_dd_routes_well_formed),
	    T(test_dd_routes_each_reachable),
	    T(test_dd_routes_contract),
	    cmocka_unit_test(test_dd_routes_no_public_writes_but_signin),
#undef T
	};
	return cmocka_run_group_tests_name("http/router", tests, NULL, NULL);
}
