/*
 * test_authz.c - the one permission decision, dd_authz_check, over its
 * whole table (anonymous, each role, each set of token scopes, safe and
 * unsafe methods, routes with and without an explicit scope), and the
 * role and scope names, parser and formatter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "people/authz.h"

static const struct dd_access PUBLIC = {DD_ROLE_NONE, 0};
static const struct dd_access VIEWER = {DD_ROLE_VIEWER, 0};
static const struct dd_access EDITOR = {DD_ROLE_EDITOR, 0};
static const struct dd_access ADMIN = {DD_ROLE_ADMIN, 0};

static struct dd_principal session(enum dd_role role)
{
	struct dd_principal p;
	memset(&p, 0, sizeof(p));
	p.person_id = 7;
	snprintf(p.login, sizeof(p.login), "ann");
	p.role = role;
	p.scopes = DD_SCOPE_ALL;
	p.session_id = 3;
	return p;
}

static struct dd_principal token(enum dd_role role, unsigned scopes)
{
	struct dd_principal p = session(role);
	p.session_id = 0;
	p.token_id = 11;
	p.scopes = scopes;
	return p;
}

/* Run the check; return the status (0 when allowed) and check the
 * error's shape. */
static int decide(const struct dd_principal *who, struct dd_access need,
		  int unsafe, struct dd_err *err)
{
	dd_err_clear(err);
	int rc = dd_authz_check(who, &need, unsafe, err);
	if (rc == 0) {
		assert_false(dd_err_is_set(err));
		return 0;
	}
	assert_int_equal(rc, -1);
	if (err->status == 401)
		assert_string_equal(err->type, DD_PROBLEM_UNAUTHENTICATED);
	else if (err->status == 403)
		assert_string_equal(err->type, DD_PROBLEM_FORBIDDEN);
	else
		fail_msg("unexpected status %d", err->status);
	return err->status;
}

static void test_public_routes(void **state)
{
	struct dd_err err;
	struct dd_principal anon;
	memset(&anon, 0, sizeof(anon));
	struct dd_principal weak = token(DD_ROLE_NONE, 0);
	/* Anyone, signed in or not, safe or unsafe. */
	assert_int_equal(decide(NULL, PUBLIC, 0, &err), 0);
	assert_int_equal(decide(NULL, PUBLIC, 1, &err), 0);
	assert_int_equal(decide(&anon, PUBLIC, 1, &err), 0);
	assert_int_equal(decide(&weak, PUBLIC, 0, &err), 0);
	assert_int_equal(decide(&weak, PUBLIC, 1, &err), 0);
}

static void test_anonymous_is_401(void **state)
{
	struct dd_err err;
	struct dd_principal anon;
	memset(&anon, 0, sizeof(anon));
	/* All scopes but no person is still nobody. */
	anon.scopes = DD_SCOPE_ALL;
	anon.role = DD_ROLE_ADMIN;
	const struct dd_access needs[] = {VIEWER, EDITOR, ADMIN};
	for (size_t i = 0; i < 3; i++)
		for (int unsafe = 0; unsafe <= 1; unsafe++) {
			assert_int_equal(decide(NULL, needs[i], unsafe, &err),
					 401);
			assert_string_equal(err.msg,
					    "sign in or send a bearer token");
			assert_int_equal(decide(&anon, needs[i], unsafe, &err),
					 401);
		}
	/* A negative id is not a person either. */
	anon.person_id = -1;
	assert_int_equal(decide(&anon, VIEWER, 0, &err), 401);
}

static void test_explicit_scope_without_role_needs_a_principal(void **state)
{
	/* A route with no role but a scope (an integration endpoint) is not
	 * public: it needs a token with that scope. */
	struct dd_err err;
	const struct dd_access ingest = {DD_ROLE_NONE, DD_SCOPE_MAIL_INGEST};
	assert_int_equal(decide(NULL, ingest, 1, &err), 401);
	struct dd_principal t = token(DD_ROLE_VIEWER, DD_SCOPE_MAIL_INGEST);
	assert_int_equal(decide(&t, ingest, 1, &err), 0);
	t.scopes = DD_SCOPE_READ | DD_SCOPE_WRITE;
	assert_int_equal(decide(&t, ingest, 1, &err), 403);
	assert_string_equal(err.msg,
			    "this token lacks the scope 'mail:ingest'");
}

static void test_session_roles(void **state)
{
	struct dd_err err;
	struct dd_principal viewer = session(DD_ROLE_VIEWER);
	struct dd_principal editor = session(DD_ROLE_EDITOR);
	struct dd_principal admin = session(DD_ROLE_ADMIN);
	struct dd_principal none = session(DD_ROLE_NONE);

	for (int unsafe = 0; unsafe <= 1; unsafe++) {
		assert_int_equal(decide(&viewer, VIEWER, unsafe, &err), 0);
		assert_int_equal(decide(&editor, VIEWER, unsafe, &err), 0);
		assert_int_equal(decide(&admin, VIEWER, unsafe, &err), 0);
		assert_int_equal(decide(&editor, EDITOR, unsafe, &err), 0);
		assert_int_equal(decide(&admin, EDITOR, unsafe, &err), 0);
		assert_int_equal(decide(&admin, ADMIN, unsafe, &err), 0);

		assert_int_equal(decide(&viewer, EDITOR, unsafe, &err), 403);
		assert_string_equal(
		    err.msg,
		    "this needs the role 'editor' (you have 'viewer')");
		assert_int_equal(decide(&viewer, ADMIN, unsafe, &err), 403);
		assert_string_equal(
		    err.msg, "this needs the role 'admin' (you have 'viewer')");
		assert_int_equal(decide(&editor, ADMIN, unsafe, &err), 403);
		assert_string_equal(
		    err.msg, "this needs the role 'admin' (you have 'editor')");
		assert_int_equal(decide(&none, VIEWER, unsafe, &err), 403);
		assert_string_equal(
		    err.msg, "this needs the role 'viewer' (you have 'none')");
	}
}

static void test_token_scopes(void **state)
{
	struct dd_err err;
	/* An admin's token, limited to its scopes. */
	struct dd_principal t = token(DD_ROLE_ADMIN, DD_SCOPE_READ);
	assert_int_equal(decide(&t, VIEWER, 0, &err), 0);
	assert_int_equal(decide(&t, VIEWER, 1, &err), 403);
	assert_string_equal(err.msg, "this token lacks the scope 'write'");
	/* Admin routes need the admin scope as well as read or write. */
	assert_int_equal(decide(&t, ADMIN, 0, &err), 403);
	assert_string_equal(err.msg, "this token lacks the scope 'admin'");
	assert_int_equal(decide(&t, ADMIN, 1, &err), 403);
	assert_string_equal(err.msg,
			    "this token lacks the scope 'write,admin'");

	t.scopes = DD_SCOPE_READ | DD_SCOPE_ADMIN;
	assert_int_equal(decide(&t, ADMIN, 0, &err), 0);
	assert_int_equal(decide(&t, ADMIN, 1, &err), 403);
	assert_string_equal(err.msg, "this token lacks the scope 'write'");

	t.scopes = DD_SCOPE_WRITE | DD_SCOPE_ADMIN;
	assert_int_equal(decide(&t, ADMIN, 1, &err), 0);
	/* Write does not imply read. */
	assert_int_equal(decide(&t, ADMIN, 0, &err), 403);
	assert_string_equal(err.msg, "this token lacks the scope 'read'");
	assert_int_equal(decide(&t, VIEWER, 0, &err), 403);

	/* Editor routes need no admin scope. */
	t.scopes = DD_SCOPE_WRITE;
	assert_int_equal(decide(&t, EDITOR, 1, &err), 0);

	/* A token with no scopes at all may do nothing that needs one. */
	t.scopes = 0;
	assert_int_equal(decide(&t, VIEWER, 0, &err), 403);
	assert_string_equal(err.msg, "this token lacks the scope 'read'");
}

static void test_scope_cannot_raise_role(void **state)
{
	/* The admin scope on a viewer's token grants nothing more. */
	struct dd_err err;
	struct dd_principal t = token(DD_ROLE_VIEWER, DD_SCOPE_ALL);
	assert_int_equal(decide(&t, VIEWER, 1, &err), 0);
	assert_int_equal(decide(&t, EDITOR, 1, &err), 403);
	assert_int_equal(decide(&t, ADMIN, 0, &err), 403);
	assert_string_equal(err.msg,
			    "this needs the role 'admin' (you have 'viewer')");
}

static void test_explicit_scope_replaces_default(void **state)
{
	/* A route naming a scope needs exactly that, whatever the method. */
	struct dd_err err;
	const struct dd_access route = {DD_ROLE_VIEWER, DD_SCOPE_PHONE_ROUTE};
	struct dd_principal t = token(DD_ROLE_VIEWER, DD_SCOPE_PHONE_ROUTE);
	assert_int_equal(decide(&t, route, 0, &err), 0);
	assert_int_equal(decide(&t, route, 1, &err), 0);
	t.scopes = DD_SCOPE_READ | DD_SCOPE_WRITE | DD_SCOPE_ADMIN;
	assert_int_equal(decide(&t, route, 0, &err), 403);
	assert_string_equal(err.msg,
			    "this token lacks the scope 'phone:route'");
	/* Sessions hold every scope. */
	struct dd_principal s = session(DD_ROLE_VIEWER);
	assert_int_equal(decide(&s, route, 1, &err), 0);
	/* The role still applies. */
	const struct dd_access admin_route = {DD_ROLE_ADMIN,
					      DD_SCOPE_MAIL_INGEST};
	t = token(DD_ROLE_EDITOR, DD_SCOPE_MAIL_INGEST);
	assert_int_equal(decide(&t, admin_route, 1, &err), 403);
	assert_string_equal(err.msg,
			    "this needs the role 'admin' (you have 'editor')");
	/* Several scopes on one route: all of them are needed. */
	const struct dd_access both = {DD_ROLE_VIEWER,
				       DD_SCOPE_READ | DD_SCOPE_MAIL_INGEST};
	t = token(DD_ROLE_VIEWER, DD_SCOPE_READ);
	assert_int_equal(decide(&t, both, 0, &err), 403);
	assert_string_equal(err.msg,
			    "this token lacks the scope 'mail:ingest'");
}

/* The rules as the header states them, written out independently. */
static int expected(int anonymous, enum dd_role role, unsigned scopes,
		    struct dd_access need, int unsafe)
{
	if (need.min_role == DD_ROLE_NONE && need.scope == 0)
		return 0;
	if (anonymous)
		return 401;
	unsigned want = need.scope;
	if (want == 0) {
		want = unsafe ? DD_SCOPE_WRITE : DD_SCOPE_READ;
		if (need.min_role == DD_ROLE_ADMIN)
			want |= DD_SCOPE_ADMIN;
	}
	for (unsigned bit = 1; bit <= DD_SCOPE_PHONE_ROUTE; bit <<= 1)
		if ((want & bit) && !(scopes & bit))
			return 403;
	if ((int)role < (int)need.min_role)
		return 403;
	return 0;
}

/* One cell of the table; returns 1 when allowed. */
static int check_cell(int anonymous, int role, unsigned scopes, int min,
		      unsigned scope, int unsafe)
{
	struct dd_principal who = token((enum dd_role)role, scopes);
	struct dd_access need = {(enum dd_role)min, scope};
	struct dd_err err;
	if (anonymous)
		who.person_id = 0;
	int got = decide(&who, need, unsafe, &err);
	int want =
	    expected(anonymous, (enum dd_role)role, scopes, need, unsafe);
	if (got != want)
		fail_msg("anon=%d role=%d scopes=%#x need=(%d,%#x) unsafe=%d: "
			 "got %d want %d",
			 anonymous, role, scopes, min, scope, unsafe, got,
			 want);
	return got == 0;
}

static void test_whole_table(void **state)
{
	/* Every role, every subset of scopes, anonymous or not, safe and
	 * unsafe, against every kind of route. */
	const unsigned route_scopes[] = {0,
					 DD_SCOPE_READ,
					 DD_SCOPE_WRITE,
					 DD_SCOPE_ADMIN,
					 DD_SCOPE_MAIL_INGEST,
					 DD_SCOPE_PHONE_ROUTE};
	const int n_scopes = (int)(sizeof(route_scopes) / sizeof(unsigned));
	int cases = 0, allowed = 0;
	for (int who = 0; who < 2 * 4 * 32; who++) {
		int anonymous = who / 128, role = who / 32 % 4;
		unsigned scopes = (unsigned)who % 32;
		for (int need = 0; need < 4 * n_scopes * 2; need++) {
			int min = need / (n_scopes * 2);
			unsigned scope = route_scopes[need / 2 % n_scopes];
			allowed += check_cell(anonymous, role, scopes, min,
					      scope, need % 2);
			cases++;
		}
	}
	assert_int_equal(cases, 2 * 4 * 32 * 4 * 6 * 2);
	/* Both outcomes occur many times: the table is not degenerate. */
	assert_true(allowed > 500);
	assert_true(cases - allowed > 500);
}

static void test_role_names(void **state)
{
	assert_string_equal(dd_role_name(DD_ROLE_NONE), "none");
	assert_string_equal(dd_role_name(DD_ROLE_VIEWER), "viewer");
	assert_string_equal(dd_role_name(DD_ROLE_EDITOR), "editor");
	assert_string_equal(dd_role_name(DD_ROLE_ADMIN), "admin");
	assert_string_equal(dd_role_name((enum dd_role)7), "none");
	assert_string_equal(dd_role_name((enum dd_role) - 1), "none");
}

static void test_role_parse(void **state)
{
	enum dd_role r;
	for (int i = DD_ROLE_NONE; i <= DD_ROLE_ADMIN; i++) {
		r = (enum dd_role)99;
		assert_int_equal(
		    dd_role_parse(dd_role_name((enum dd_role)i), &r), 0);
		assert_int_equal(r, i);
	}
	r = DD_ROLE_VIEWER;
	assert_int_equal(dd_role_parse("Admin", &r), -1);
	assert_int_equal(dd_role_parse("root", &r), -1);
	assert_int_equal(dd_role_parse("", &r), -1);
	assert_int_equal(dd_role_parse("admin ", &r), -1);
	assert_int_equal(dd_role_parse(NULL, &r), -1);
	/* A failed parse leaves the role alone. */
	assert_int_equal(r, DD_ROLE_VIEWER);
}

static void test_scope_names(void **state)
{
	assert_string_equal(dd_scope_name(DD_SCOPE_READ), "read");
	assert_string_equal(dd_scope_name(DD_SCOPE_WRITE), "write");
	assert_string_equal(dd_scope_name(DD_SCOPE_ADMIN), "admin");
	assert_string_equal(dd_scope_name(DD_SCOPE_MAIL_INGEST), "mail:ingest");
	assert_string_equal(dd_scope_name(DD_SCOPE_PHONE_ROUTE), "phone:route");
	assert_null(dd_scope_name(0));
	assert_null(dd_scope_name(DD_SCOPE_READ | DD_SCOPE_WRITE));
	assert_null(dd_scope_name(1u << 5));
}

static void check_parse(const char *text, unsigned want)
{
	struct dd_err err;
	unsigned mask = 0xdead;
	dd_err_clear(&err);
	if (dd_scopes_parse(text, &mask, &err) != 0)
		fail_msg("'%s' refused: %s", text, err.msg);
	assert_int_equal(mask, want);
}

static void check_parse_fails(const char *text, const char *msg)
{
	struct dd_err err;
	unsigned mask = 0xdead;
	dd_err_clear(&err);
	assert_int_equal(dd_scopes_parse(text, &mask, &err), -1);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, DD_PROBLEM_VALIDATION);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("'%s': message '%s' want '%s'", text ? text : "NULL",
			 err.msg, msg);
	/* The mask is only written on success. */
	assert_int_equal(mask, 0xdead);
}

static void test_scopes_parse(void **state)
{
	check_parse("read", DD_SCOPE_READ);
	check_parse("read,write", DD_SCOPE_READ | DD_SCOPE_WRITE);
	check_parse("write,read", DD_SCOPE_READ | DD_SCOPE_WRITE);
	check_parse("read,write,admin,mail:ingest,phone:route", DD_SCOPE_ALL);
	check_parse("phone:route", DD_SCOPE_PHONE_ROUTE);
}

static void test_scopes_parse_errors(void **state)
{
	const char *known = " (known: read, write, admin, mail:ingest, "
			    "phone:route)";
	char want[200];
	check_parse_fails(NULL, "a token needs at least one scope");
	check_parse_fails("", "a token needs at least one scope");
	check_parse_fails("read,read", "scope 'read' given twice");
	check_parse_fails("read,write,read", "scope 'read' given twice");
	check_parse_fails("read,", "empty scope after ','");
	snprintf(want, sizeof(want), "unknown scope ''%s", known);
	check_parse_fails(",read", want);
	check_parse_fails("read,,write", want);
	check_parse_fails(",", want);
	snprintf(want, sizeof(want), "unknown scope 'Read'%s", known);
	check_parse_fails("Read", want);
	snprintf(want, sizeof(want), "unknown scope 'reading'%s", known);
	check_parse_fails("reading", want);
	snprintf(want, sizeof(want), "unknown scope 'rea'%s", known);
	check_parse_fails("rea", want);
	snprintf(want, sizeof(want), "unknown scope ' write'%s", known);
	check_parse_fails("read, write", want);
	snprintf(want, sizeof(want), "unknown scope 'mail'%s", known);
	check_parse_fails("mail", want);
	/* A long unknown name is cut to 40 bytes in the message. */
	snprintf(want, sizeof(want), "unknown scope '%.40s'%s",
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 known);
	check_parse_fails(
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    want);
}

static void test_scopes_format(void **state)
{
	char out[64];
	dd_scopes_format(0, out, sizeof(out));
	assert_string_equal(out, "");
	dd_scopes_format(DD_SCOPE_READ, out, sizeof(out));
	assert_string_equal(out, "read");
	/* Canonical order whatever the bits. */
	dd_scopes_format(DD_SCOPE_ADMIN | DD_SCOPE_READ, out, sizeof(out));
	assert_string_equal(out, "read,admin");
	dd_scopes_format(DD_SCOPE_ALL, out, sizeof(out));
	assert_string_equal(out, "read,write,admin,mail:ingest,phone:route");
	/* Unknown bits are ignored. */
	dd_scopes_format(DD_SCOPE_WRITE | 1u << 9, out, sizeof(out));
	assert_string_equal(out, "write");
}

static void test_scopes_format_fits_documented_cap(void **state)
{
	/* The header asks for cap >= 64: every mask fits, with room. */
	char out[80];
	for (unsigned m = 0; m <= DD_SCOPE_ALL; m++) {
		memset(out, '#', sizeof(out));
		dd_scopes_format(m, out, 64);
		assert_true(strlen(out) < 64);
		for (size_t i = 64; i < sizeof(out); i++)
			assert_int_equal(out[i], '#');
	}
}

static void test_scopes_roundtrip(void **state)
{
	for (unsigned m = 1; m <= DD_SCOPE_ALL; m++) {
		char text[64];
		unsigned back = 0;
		struct dd_err err;
		dd_err_clear(&err);
		dd_scopes_format(m, text, sizeof(text));
		assert_int_equal(dd_scopes_parse(text, &back, &err), 0);
		assert_int_equal(back, m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public_routes),
	    cmocka_unit_test(test_anonymous_is_401),
	    cmocka_unit_test(
		test_explicit_scope_without_role_needs_a_principal),
	    cmocka_unit_test(test_session_roles),
	    cmocka_unit_test(test_token_scopes),
	    cmocka_unit_test(test_scope_cannot_raise_role),
	    cmocka_unit_test(test_explicit_scope_replaces_default),
	    cmocka_unit_test(test_whole_table),
	    cmocka_unit_test(test_role_names),
	    cmocka_unit_test(test_role_parse),
	    cmocka_unit_test(test_scope_names),
	    cmocka_unit_test(test_scopes_parse),
	    cmocka_unit_test(test_scopes_parse_errors),
	    cmocka_unit_test(test_scopes_format),
	    cmocka_unit_test(test_scopes_format_fits_documented_cap),
	    cmocka_unit_test(test_scopes_roundtrip),
	};
	return cmocka_run_group_tests_name("people/authz", tests, NULL, NULL);
}
