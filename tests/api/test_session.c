/*
 * test_session.c - signing in and out, the session cookie, the CSRF
 * token, changing one's password, and throttling failed sign-ins.
 *
 * Failed sign-ins are counted per login and per client address, and the
 * address count survives a successful sign-in. So every test that fails
 * a sign-in on purpose sends it from its own loopback address
 * (127.0.0.N), and the other tests' sign-ins from 127.0.0.1 stay free.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/limits.h"
#include "api/harness.h"

#define PW  "first-password-1"
#define PW2 "second-password-2"

/* A new person with password PW, signed in. */
static int64_t person_signed_in(struct api_server *s, struct api_auth *a,
				char login[65])
{
	int64_t id = api_person_new(s, "sess", PW, login);
	api_signin(s, login, PW, a);
	assert_int_equal(a->person_id, id);
	return id;
}

/* The version of person id, read by the admin. */
static int64_t person_version(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
	    s, &s->admin, api_fmt("/api/v1/people/%lld", (long long)id));
	api_expect_json(r, 200);
	return api_int(r->json, "version");
}

static void test_signin_ok(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t id = api_person_new(s, "sess", PW, login);
	struct api_resp *r = api_signin_try(s, NULL, login, PW);
	api_expect_json(r, 201);

	/* The cookie: HttpOnly, SameSite=Lax, for the whole site. */
	assert_non_null(r->set_cookie);
	assert_true(strncmp(r->set_cookie, "dd_session=", 11) == 0);
	assert_non_null(strstr(r->set_cookie, "; HttpOnly"));
	assert_non_null(strstr(r->set_cookie, "; SameSite=Lax"));
	assert_non_null(strstr(r->set_cookie, "; Path=/"));
	assert_non_null(strstr(r->set_cookie, "Max-Age="));
	size_t cookie_len = strcspn(r->set_cookie + 11, ";");
	assert_true(cookie_len >= 40);

	/* The body: the person, a CSRF token and the expiry. */
	const char *csrf = api_str(r->json, "csrf_token");
	assert_true(strlen(csrf) >= 40);
	assert_true(strncmp(csrf, r->set_cookie + 11, cookie_len) != 0);
	json_t *p = api_obj(r->json, "person");
	assert_non_null(p);
	assert_int_equal(api_int(p, "id"), id);
	assert_string_equal(api_str(p, "login"), login);
	assert_string_equal(api_str(p, "role"), "viewer");
	assert_null(json_object_get(p, "password"));
	assert_null(json_object_get(p, "password_hash"));
	assert_null(strstr(r->body, PW));
	assert_true(json_is_string(json_object_get(r->json, "expires_at")));

	/* Logins are not case-sensitive. */
	char upper[65];
	for (size_t i = 0; i <= strlen(login); i++)
		upper[i] = (char)(login[i] >= 'a' && login[i] <= 'z'
				      ? login[i] - 'a' + 'A'
				      : login[i]);
	struct api_auth a;
	api_signin(s, upper, PW, &a);
	assert_int_equal(a.person_id, id);
	assert_string_equal(a.login, login);

	/* A stale cookie does not stand in the way of signing in. */
	struct api_auth stale = {0};
	strcpy(stale.cookie, "stale-cookie-from-last-week");
	const char *body =
	    api_fmt("{\"login\":\"%s\",\"password\":\"%s\"}", login, PW);
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/session",
			    .auth = &stale,
			    .body = body};
	r = api_send(s, &q);
	api_expect_json(r, 201);
	assert_non_null(r->set_cookie);
}

static void test_signin_wrong_password_401(void **state)
{
	struct api_server *s = *state;
	const char *from = "127.0.0.11";
	char login[65];
	api_person_new(s, "sess", PW, login);

	/* Recording the failure once failed with a 500 on PostgreSQL (a
	 * statement named $3 with two parameters bound). */
	struct api_resp *wrong =
	    api_signin_try(s, from, login, "not-the-password");
	api_assert_problem(wrong, 401, "unauthenticated");
	assert_null(wrong->set_cookie);
	assert_null(json_object_get(wrong->json, "csrf_token"));

	/* An unknown login gets the very same answer: no way to learn
	 * which logins exist. */
	struct api_resp *unknown =
	    api_signin_try(s, from, api_unique("nobody"), "not-the-password");
	api_assert_problem(unknown, 401, "unauthenticated");
	assert_null(unknown->set_cookie);
	assert_string_equal(api_str(wrong->json, "detail"),
			    api_str(unknown->json, "detail"));

	/* So does a login that cannot exist. */
	struct api_resp *bad =
	    api_signin_try(s, from, "no such login!", "not-the-password");
	api_assert_problem(bad, 401, "unauthenticated");
	assert_string_equal(api_str(bad->json, "detail"),
			    api_str(wrong->json, "detail"));

	/* A person without a password cannot sign in at all. */
	char nopw[65];
	api_person_new(s, "nopw", NULL, nopw);
	struct api_resp *r = api_signin_try(s, from, nopw, "");
	api_expect_status(r, 401);
	r = api_signin_try(s, "127.0.0.12", nopw, "any-password-at-all");
	api_assert_problem(r, 401, "unauthenticated");
	assert_string_equal(api_str(r->json, "detail"),
			    api_str(wrong->json, "detail"));
}

static void test_signin_validation(void **state)
{
	struct api_server *s = *state;
	static const char *const bodies[] = {
	    "{\"login\":\"hbrandt\"}",
	    "{\"password\":\"dutydesk-demo\"}",
	    "{\"login\":\"hbrandt\",\"password\":\"dutydesk-demo\","
	    "\"remember\":true}",
	    "{\"login\":42,\"password\":\"dutydesk-demo\"}",
	    "{\"login\":\"hbrandt\",\"password\":null}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct api_req q = {.method = "POST",
				    .path = "/api/v1/session",
				    .body = bodies[i],
				    .source = "127.0.0.13"};
		struct api_resp *r = api_send(s, &q);
		api_assert_problem(r, 400, "validation-failed");
		assert_null(r->set_cookie);
	}
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/session",
			    .body = "login=hbrandt&password=dutydesk-demo",
			    .content_type = "application/x-www-form-urlencoded",
			    .source = "127.0.0.13"};
	api_assert_problem(api_send(s, &q), 415, "unsupported-media-type");
}

static void test_session_get(void **state)
{
	struct api_server *s = *state;
	struct api_auth a;
	char login[65];
	int64_t id = person_signed_in(s, &a, login);

	struct api_resp *r = api_get(s, &a, "/api/v1/session");
	api_expect_json(r, 200);
	assert_int_equal(api_int(api_obj(r->json, "person"), "id"), id);
	assert_string_equal(api_str(api_obj(r->json, "person"), "login"),
			    login);
	assert_string_equal(api_str(r->json, "csrf_token"), a.csrf);
	assert_null(r->set_cookie);

	/* Nobody signed in. */
	api_assert_problem(api_get(s, NULL, "/api/v1/session"), 401,
			   "unauthenticated");

	/* A cookie the server never gave out, of the right length and
	 * not. */
	struct api_auth forged = a;
	forged.cookie[0] = forged.cookie[0] == 'A' ? 'B' : 'A';
	r = api_get(s, &forged, "/api/v1/session");
	api_assert_problem(r, 401, "unauthenticated");
	strcpy(forged.cookie, "short");
	api_assert_problem(api_get(s, &forged, "/api/v1/session"), 401,
			   "unauthenticated");

	/* A token sees its person, and no CSRF token: it needs none. */
	struct api_auth t;
	api_token_new(s, id, "read", &t);
	r = api_get(s, &t, "/api/v1/session");
	api_expect_json(r, 200);
	assert_int_equal(api_int(api_obj(r->json, "person"), "id"), id);
	assert_true(json_is_null(json_object_get(r->json, "csrf_token")));
}

static void test_csrf(void **state)
{
	struct api_server *s = *state;
	struct api_auth a, other;
	char login[65];
	int64_t id = person_signed_in(s, &a, login);
	api_signin(s, login, PW, &other);
	const char *change =
	    "{\"current_password\":\"" PW "\",\"new_password\":\"" PW2 "\"}";

	/* Without the header. */
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/me/password",
			    .auth = &a,
			    .body = change,
			    .omit_csrf = 1};
	struct api_resp *r = api_send(s, &q);
	api_assert_problem(r, 403, "csrf-token-missing");
	api_assert_detail_has(r, "X-CSRF-Token");

	/* With a wrong one, one of the right length, and another
	 * session's. */
	struct api_auth wrong = a;
	strcpy(wrong.csrf, "wrong");
	q.auth = &wrong;
	q.omit_csrf = 0;
	api_assert_problem(api_send(s, &q), 403, "csrf-token-missing");
	wrong = a;
	wrong.csrf[3] = wrong.csrf[3] == 'x' ? 'y' : 'x';
	api_assert_problem(api_send(s, &q), 403, "csrf-token-missing");
	wrong = a;
	strcpy(wrong.csrf, other.csrf);
	api_assert_problem(api_send(s, &q), 403, "csrf-token-missing");
	wrong = a;
	strcat(wrong.csrf, "x");
	api_assert_problem(api_send(s, &q), 403, "csrf-token-missing");

	/* Nothing changed: the old password still signs in, the new one
	 * does not, both sessions still work, the version is the same. */
	assert_int_equal(person_version(s, id), 1);
	api_expect_status(api_get(s, &a, "/api/v1/session"), 200);
	api_expect_status(api_get(s, &other, "/api/v1/session"), 200);
	api_expect_status(api_signin_try(s, "127.0.0.14", login, PW2), 401);
	struct api_auth again;
	api_signin(s, login, PW, &again);

	/* The admin's unsafe requests are checked the same way. */
	int before = api_count_people(s);
	struct api_req create = {
	    .method = "POST",
	    .path = "/api/v1/people",
	    .auth = &s->admin,
	    .body = api_fmt("{\"login\":\"%s\",\"name\":\"X\","
			    "\"email\":\"%s@example.org\"}",
			    api_unique("csrf"), api_unique("csrf")),
	    .omit_csrf = 1};
	api_assert_problem(api_send(s, &create), 403, "csrf-token-missing");
	assert_int_equal(api_count_people(s), before);
	struct api_req patch = {
	    .method = "PATCH",
	    .path = api_fmt("/api/v1/people/%lld", (long long)id),
	    .auth = &s->admin,
	    .body = "{\"name\":\"Changed without CSRF\"}",
	    .omit_csrf = 1};
	api_assert_problem(api_send(s, &patch), 403, "csrf-token-missing");
	struct api_req del = {.method = "DELETE",
			      .path =
				  api_fmt("/api/v1/people/%lld", (long long)id),
			      .auth = &s->admin,
			      .omit_csrf = 1};
	api_assert_problem(api_send(s, &del), 403, "csrf-token-missing");
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/people/%lld", (long long)id));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "name"),
			    api_fmt("Test Person %s", login));
	assert_int_equal(api_bool(r->json, "active"), 1);
	assert_int_equal(api_int(r->json, "version"), 1);

	/* Signing out needs it too. */
	struct api_req out = {.method = "DELETE",
			      .path = "/api/v1/session",
			      .auth = &a,
			      .omit_csrf = 1};
	api_assert_problem(api_send(s, &out), 403, "csrf-token-missing");
	api_expect_status(api_get(s, &a, "/api/v1/session"), 200);

	/* A bearer token needs no CSRF token: it is not sent by
	 * browsers on their own. */
	struct api_auth t;
	api_token_new(s, s->admin.person_id, "read,write,admin", &t);
	r = api_json(s, &t, "PATCH",
		     api_fmt("/api/v1/people/%lld", (long long)id),
		     "{\"name\":\"Changed by token\"}");
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "name"), "Changed by token");

	/* Safe requests need none. */
	q = (struct api_req){.method = "GET",
			     .path = "/api/v1/people?limit=1",
			     .auth = &a,
			     .omit_csrf = 1};
	api_expect_status(api_send(s, &q), 200);
}

static void test_signout(void **state)
{
	struct api_server *s = *state;
	struct api_auth a, b;
	char login[65];
	person_signed_in(s, &a, login);
	api_signin(s, login, PW, &b);
	assert_string_not_equal(a.cookie, b.cookie);
	assert_string_not_equal(a.csrf, b.csrf);

	struct api_resp *r = api_delete(s, &a, "/api/v1/session");
	api_expect_status(r, 204);
	assert_int_equal(r->body_len, 0);
	assert_non_null(r->set_cookie);
	assert_true(strncmp(r->set_cookie, "dd_session=;", 12) == 0);
	assert_non_null(strstr(r->set_cookie, "Max-Age=0"));

	/* The cookie is dead for reads and writes. */
	api_assert_problem(api_get(s, &a, "/api/v1/session"), 401,
			   "unauthenticated");
	api_assert_problem(api_get(s, &a, "/api/v1/people"), 401,
			   "unauthenticated");
	api_assert_problem(api_delete(s, &a, "/api/v1/session"), 401,
			   "unauthenticated");
	/* The person's other session lives on. */
	api_expect_status(api_get(s, &b, "/api/v1/session"), 200);

	/* A token is no session to end. */
	struct api_auth t;
	api_token_new(s, b.person_id, "read,write", &t);
	r = api_delete(s, &t, "/api/v1/session");
	api_assert_problem(r, 400, "bad-request");
	api_expect_status(api_get(s, &t, "/api/v1/session"), 200);
}

static void test_password_change(void **state)
{
	struct api_server *s = *state;
	struct api_auth a, b;
	char login[65];
	int64_t id = person_signed_in(s, &a, login);
	api_signin(s, login, PW, &b);
	const char *path = "/api/v1/me/password";

	/* Wrong current password: 403, nothing changes. */
	struct api_resp *r = api_json(s, &a, "POST", path,
				      "{\"current_password\":\"guessing-123\","
				      "\"new_password\":\"" PW2 "\"}");
	api_assert_problem(r, 403, "forbidden");
	assert_int_equal(person_version(s, id), 1);
	api_expect_status(api_get(s, &b, "/api/v1/session"), 200);

	/* A new password that is too short, missing or unknown fields:
	 * 400, nothing changes. */
	r = api_json(s, &a, "POST", path,
		     "{\"current_password\":\"" PW
		     "\",\"new_password\":\"short\"}");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "8");
	r = api_json(s, &a, "POST", path, "{\"current_password\":\"" PW "\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &a, "POST", path,
		     "{\"current_password\":\"" PW "\",\"new_password\":\"" PW2
		     "\",\"confirm\":\"" PW2 "\"}");
	api_assert_problem(r, 400, "validation-failed");
	assert_int_equal(person_version(s, id), 1);

	/* The right one: 204, this session stays, the others end. */
	r = api_json(s, &a, "POST", path,
		     "{\"current_password\":\"" PW "\",\"new_password\":\"" PW2
		     "\"}");
	api_expect_status(r, 204);
	assert_int_equal(r->body_len, 0);
	api_expect_status(api_get(s, &a, "/api/v1/session"), 200);
	api_assert_problem(api_get(s, &b, "/api/v1/session"), 401,
			   "unauthenticated");
	assert_int_equal(person_version(s, id), 2);

	/* The new password works, the old one does not. */
	struct api_auth c;
	api_signin(s, login, PW2, &c);
	assert_int_equal(c.person_id, id);
	api_assert_problem(api_signin_try(s, "127.0.0.15", login, PW), 401,
			   "unauthenticated");

	/* The event says that it changed, never what it is. */
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/events?object_type=person&object_id=%lld",
			    (long long)id));
	api_expect_json(r, 200);
	assert_null(strstr(r->body, PW2));
	assert_null(strstr(r->body, "argon2"));
	json_t *items = json_object_get(r->json, "items");
	int found = 0;
	size_t i;
	json_t *ev;
	json_array_foreach(items, i, ev)
	{
		if (strcmp(api_str(ev, "action"), "person.password") != 0)
			continue;
		found++;
		assert_true(json_is_null(json_object_get(ev, "before")));
		assert_true(json_is_null(json_object_get(ev, "after")));
		assert_string_equal(api_str(ev, "actor"), login);
	}
	assert_int_equal(found, 1);
}

/* Guessing the current password through a session is throttled like
 * signing in, per person. */
static void test_password_change_throttled(void **state)
{
	struct api_server *s = *state;
	struct api_auth a, other;
	char login[65], other_login[65];
	int64_t id = person_signed_in(s, &a, login);
	int64_t other_id = person_signed_in(s, &other, other_login);
	const char *path = "/api/v1/me/password";
	for (int i = 0; i < 5; i++) {
		struct api_resp *r =
		    api_json(s, &a, "POST", path,
			     api_fmt("{\"current_password\":\"guess-%d-xyz\","
				     "\"new_password\":\"" PW2 "\"}",
				     i));
		api_assert_problem(r, 403, "forbidden");
	}
	struct api_resp *r = api_json(s, &a, "POST", path,
				      "{\"current_password\":\"" PW
				      "\",\"new_password\":\"" PW2 "\"}");
	api_assert_problem(r, 429, "too-many-requests");
	assert_non_null(r->retry_after);
	assert_true(atoi(r->retry_after) >= 1);
	/* Nothing changed. */
	assert_int_equal(person_version(s, id), 1);
	api_expect_status(api_get(s, &a, "/api/v1/session"), 200);
	struct api_auth again;
	api_signin(s, login, PW, &again);
	/* Another person is not held up. */
	r = api_json(s, &other, "POST", path,
		     "{\"current_password\":\"" PW "\",\"new_password\":\"" PW2
		     "\"}");
	api_expect_status(r, 204);
	assert_int_equal(person_version(s, other_id), 2);
}

static void test_deactivated_cannot_sign_in(void **state)
{
	struct api_server *s = *state;
	char login[65];
	int64_t id = api_person_new(s, "sess", PW, login);
	api_expect_status(
	    api_delete(s, &s->admin,
		       api_fmt("/api/v1/people/%lld", (long long)id)),
	    204);
	struct api_resp *r = api_signin_try(s, "127.0.0.16", login, PW);
	api_assert_problem(r, 401, "unauthenticated");
	assert_null(r->set_cookie);
}

/* Failures counted for one login, each from another address: the sixth
 * attempt is refused even with the right password. */
static void test_throttle_per_login(void **state)
{
	struct api_server *s = *state;
	char login[65];
	api_person_new(s, "throttle", PW, login);
	for (int i = 0; i < 5; i++) {
		struct api_resp *r = api_signin_try(
		    s, api_fmt("127.0.0.%d", 21 + i), login, "wrong-password");
		api_assert_problem(r, 401, "unauthenticated");
		assert_null(r->retry_after);
	}
	struct api_resp *r = api_signin_try(s, "127.0.0.26", login, PW);
	api_assert_problem(r, 429, "too-many-requests");
	assert_string_equal(api_str(r->json, "title"), "Too Many Requests");
	assert_null(r->set_cookie);
	assert_non_null(r->retry_after);
	int wait = atoi(r->retry_after);
	assert_in_range(wait, 1, 15 * 60);
	api_assert_detail_has(r, api_fmt("%d seconds", wait));

	/* Once the wait is over, the right password works, and clears
	 * the count for the login. */
	struct timespec ts = {wait, 200 * 1000 * 1000};
	nanosleep(&ts, NULL);
	r = api_signin_try(s, "127.0.0.27", login, PW);
	api_expect_json(r, 201);
	r = api_signin_try(s, "127.0.0.28", login, "wrong-password");
	api_assert_problem(r, 401, "unauthenticated");
}

/* Failures counted for one address, each for another login: the next
 * sign-in from there is refused, from elsewhere it is not. */
static void test_throttle_per_address(void **state)
{
	struct api_server *s = *state;
	const char *from = "127.0.0.31";
	char login[65];
	api_person_new(s, "throttle", PW, login);
	/* One address gets many more free failures than one login (a team
	 * behind one NAT must not be locked out by a stranger), then it
	 * waits too. */
	for (int i = 0; i < DD_LIMIT_SIGNIN_FREE_ADDRESS; i++) {
		struct api_resp *r = api_signin_try(
		    s, from, api_unique("ghost"), "wrong-password");
		api_assert_problem(r, 401, "unauthenticated");
	}
	struct api_resp *r = api_signin_try(s, from, login, PW);
	api_assert_problem(r, 429, "too-many-requests");
	assert_non_null(r->retry_after);
	assert_true(atoi(r->retry_after) >= 1);
	r = api_signin_try(s, "127.0.0.32", login, PW);
	api_expect_json(r, 201);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    API_TEST(test_signin_ok),
	    API_TEST(test_signin_wrong_password_401),
	    API_TEST(test_signin_validation),
	    API_TEST(test_session_get),
	    API_TEST(test_csrf),
	    API_TEST(test_signout),
	    API_TEST(test_password_change),
	    API_TEST(test_password_change_throttled),
	    API_TEST(test_deactivated_cannot_sign_in),
	    API_TEST(test_throttle_per_login),
	    API_TEST(test_throttle_per_address),
	};
	return API_RUN("session", tests);
}
