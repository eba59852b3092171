/*
 * harness.h - end-to-end API tests against the real server.
 *
 * Each test binary runs its cmocka tests once per store engine: a
 * "sqlite" group always, a "pg" group when DUTYDESK_TEST_PG_URL names a
 * PostgreSQL server the tests may create databases on. The group setup
 * starts one server for the whole group:
 *
 *   - a fresh temporary directory, and a fresh database in it (SQLite) or
 *     a fresh database dd_api_PID_N on the PostgreSQL server,
 *   - the demo organisation loaded with "dutydesk demo",
 *   - "dutydesk serve" on a free port of 127.0.0.1, its output in
 *     DIR/server.log, polled on /healthz until it answers, with the web
 *     UI's root in DIR/web (absent: a test that serves files makes it),
 *   - sessions of the demo admin (hbrandt), editor (mvogel) and viewer
 *     (jweber) signed in.
 *
 * The group teardown sends SIGTERM and insists on exit status 0 (that is
 * the graceful shutdown test), on a log free of sanitizer reports and
 * error lines, then removes the database and the directory. The binary
 * run is DUTYDESK_BIN, default build/test/dutydesk (relative to the
 * working directory: run the tests from the repository root). The
 * directory is kept (and named on stderr) when the server fails to start
 * or to stop cleanly, and always with DUTYDESK_TEST_KEEP=1. Servers and
 * CLI commands are killed when the test process dies, so a crashed test
 * leaves nothing running.
 *
 * Tests share one server, so each test makes its own people and groups
 * with names from api_unique() and never changes the demo people. The
 * server throttles failed sign-ins per client address too, and never
 * forgets them on success: send deliberate failures from another
 * loopback address (the source of api_signin_try and struct api_req,
 * e.g. "127.0.0.11"), or every later sign-in of the group gets 429.
 *
 * Memory: every response, every string from api_fmt() and api_unique()
 * and every block from api_alloc() belongs to the running test and is
 * freed by api_test_teardown (register tests with API_TEST). Tests free
 * nothing.
 *
 * Assertions that take __FILE__/__LINE__ (the api_expect_* and
 * api_assert_* macros) report the caller's line, and print the request
 * and the response body when they fail.
 */
#ifndef DD_TESTS_API_HARNESS_H
#define DD_TESTS_API_HARNESS_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <sys/types.h>

#define API_DEMO_PASSWORD  "dutydesk-demo"
#define API_PROBLEM_PREFIX "urn:dutydesk:problem:"

/* Credentials a request is sent with. All empty: anonymous. */
struct api_auth {
	char cookie[128]; /* dd_session cookie value, "" for none */
	char csrf[128];	  /* the session's CSRF token */
	char bearer[128]; /* bearer token, "" for none */
	int64_t person_id;
	int64_t token_id; /* for tokens made through the API */
	char login[65];
};

struct api_server {
	const char *engine; /* "sqlite" or "pg" */
	const char *bin;    /* the dutydesk binary */
	char dir[256];	    /* temporary directory: logs, SQLite file */
	char db_url[1200];
	char pg_admin_url[1024]; /* DUTYDESK_TEST_PG_URL, "" for SQLite */
	char pg_db[64];		 /* database made for this server */
	char log_path[300];
	char base_url[64]; /* http://127.0.0.1:PORT */
	int port;
	pid_t pid;
	void *curl; /* CURL *, kept for connection reuse */
	/* Demo sessions, signed in at start. */
	struct api_auth admin, editor, viewer;
};

#define API_HEADERS_MAX 32

struct api_resp {
	const char *method; /* what was sent, for messages */
	const char *path;
	long status; /* 0 when the transfer failed */
	char curl_error[256];
	char *body; /* NUL-terminated; body_len excludes the NUL */
	size_t body_len;
	json_t *json;	  /* the parsed body when it is JSON, else NULL */
	int json_invalid; /* a JSON Content-Type with a body jansson refused */
	int header_count;
	char *header_names[API_HEADERS_MAX];
	char *header_values[API_HEADERS_MAX];
	/* The headers tests look at most; NULL when absent. */
	const char *content_type, *location, *etag, *allow, *set_cookie,
		*retry_after, *www_authenticate;
};

/* One request. Only method and path are required. */
struct api_req {
	const char *method;
	const char *path; /* starts with '/' */
	const struct api_auth *auth;
	const char *body; /* NULL: no body */
	size_t body_len;  /* bytes of body; 0 with body: strlen(body) */
	int empty_body;	  /* send body as zero bytes (Content-Length: 0) */
	/* NULL: "application/json" when there is a body; "": no
	 * Content-Type header at all. */
	const char *content_type;
	const char *const *headers; /* extra "Name: value", NULL-ended */
	const char *source;	    /* local address to connect from */
	int omit_csrf; /* send the session cookie without X-CSRF-Token */
	int chunked;   /* send the body with Transfer-Encoding: chunked */
	/* A streaming answer (server-sent events): stop reading after this
	 * many ms and keep the status and what came; 0: read to the end. */
	int stream_ms;
};

/* Run tests as group "name/sqlite", then "name/pg" when
 * DUTYDESK_TEST_PG_URL is set. Returns the number of failures (for
 * main's exit status). */
int api_run(const char *name, const struct CMUnitTest *tests, size_t n);
#define API_RUN(name, tests)                                                   \
	api_run(name, tests, sizeof(tests) / sizeof((tests)[0]))

/* Frees what the test allocated through the harness. */
int api_test_teardown(void **state);
#define API_TEST(f) cmocka_unit_test_teardown(f, api_test_teardown)

/* Start and stop a server by hand (the group setup does it for tests).
 * 0, or -1 with the reason printed; stop reports a non-zero exit. */
int api_server_start(struct api_server *s, const char *engine);
int api_server_stop(struct api_server *s);
/* Start a second server process on first's database (several instances
 * behind a load balancer), with the demo people signed in anew. Stop it
 * with api_server_stop before first. 0 or -1. */
int api_server_attach(struct api_server *second,
		      const struct api_server *first);
int api_is_pg(const struct api_server *s);

/* The monotonic clock in ms, and a pause, for tests that wait for
 * another process to catch up. */
int64_t api_now_ms(void);
void api_sleep_ms(int ms);

/* Requests. The response belongs to the running test. */
struct api_resp *api_send(struct api_server *s, const struct api_req *r);
struct api_resp *api_get(struct api_server *s, const struct api_auth *a,
			 const char *path);
struct api_resp *api_head(struct api_server *s, const struct api_auth *a,
			  const char *path);
struct api_resp *api_delete(struct api_server *s, const struct api_auth *a,
			    const char *path);
/* method with a JSON body (NULL for none). */
struct api_resp *api_json(struct api_server *s, const struct api_auth *a,
			  const char *method, const char *path,
			  const char *body);
/* Like api_json with one extra request header ("If-Match: ..."). */
struct api_resp *api_json_h(struct api_server *s, const struct api_auth *a,
			    const char *method, const char *path,
			    const char *body, const char *header);

/* Call fn(p) when the running test ends. */
void api_defer(void (*fn)(void *), void *p);
/* n zeroed bytes of memory of the running test (never NULL). */
void *api_alloc(size_t n);
/* printf into memory of the running test. */
const char *api_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prefix" and a number never handed out before by this process: a
 * fresh login or group name. */
const char *api_unique(const char *prefix);

/* A response header by name (case-insensitive), or NULL. */
const char *api_header(const struct api_resp *r, const char *name);

/* JSON readers that never crash on a missing member: "(missing)",
 * API_MISSING and -1 stand for a member that is absent or of another
 * type. */
#define API_MISSING INT64_MIN
const char *api_str(const json_t *obj, const char *key);
int64_t api_int(const json_t *obj, const char *key);
int api_bool(const json_t *obj, const char *key);
/* obj[key] when it is an object, else NULL. */
json_t *api_obj(const json_t *obj, const char *key);

/* Sign in. api_signin_try sends the request (from source when not NULL)
 * and returns the response; api_signin insists on 201 and fills out. */
struct api_resp *api_signin_try(struct api_server *s, const char *source,
				const char *login, const char *password);
#define api_signin(s, login, password, out)                                    \
	api_signin_at(s, login, password, out, __FILE__, __LINE__)
void api_signin_at(struct api_server *s, const char *login,
		   const char *password, struct api_auth *out, const char *file,
		   int line);

/* A token made by "dutydesk token create --login L --scopes SCOPES". */
#define api_token_cli(s, login, scopes, out)                                   \
	api_token_cli_at(s, login, scopes, out, __FILE__, __LINE__)
void api_token_cli_at(struct api_server *s, const char *login,
		      const char *scopes, struct api_auth *out,
		      const char *file, int line);
/* A token made by the admin through POST /api/v1/tokens; scopes as
 * "read,write". Fills out (bearer, token_id, person_id, login). */
#define api_token_new(s, person_id, scopes, out)                               \
	api_token_new_at(s, person_id, scopes, out, __FILE__, __LINE__)
void api_token_new_at(struct api_server *s, int64_t person_id,
		      const char *scopes, struct api_auth *out,
		      const char *file, int line);

/* A new active person (login from api_unique(prefix)) made by the admin,
 * with password (NULL: none). Returns the id; login receives the login
 * when not NULL. */
#define api_person_new(s, prefix, password, login)                             \
	api_person_new_at(s, prefix, password, login, __FILE__, __LINE__)
int64_t api_person_new_at(struct api_server *s, const char *prefix,
			  const char *password, char login[65],
			  const char *file, int line);
/* A new group with role ("none", "viewer", "editor", "admin"). */
#define api_group_new(s, prefix, role)                                         \
	api_group_new_at(s, prefix, role, __FILE__, __LINE__)
int64_t api_group_new_at(struct api_server *s, const char *prefix,
			 const char *role, const char *file, int line);
/* Put person_id into group_id (201 or 204). */
#define api_member_add(s, group_id, person_id)                                 \
	api_member_add_at(s, group_id, person_id, __FILE__, __LINE__)
void api_member_add_at(struct api_server *s, int64_t group_id,
		       int64_t person_id, const char *file, int line);
/* The id of the group named name (paging through all groups). */
#define api_group_id(s, name) api_group_id_at(s, name, __FILE__, __LINE__)
int64_t api_group_id_at(struct api_server *s, const char *name,
			const char *file, int line);
/* How many people the server lists (paging through all). */
#define api_count_people(s) api_count_people_at(s, __FILE__, __LINE__)
int api_count_people_at(struct api_server *s, const char *file, int line);

/* The response has this status. */
#define api_expect_status(r, status)                                           \
	api_expect_status_at(r, status, __FILE__, __LINE__)
void api_expect_status_at(const struct api_resp *r, long status,
			  const char *file, int line);
/* The response is a JSON object with this status. */
#define api_expect_json(r, status)                                             \
	api_expect_json_at(r, status, __FILE__, __LINE__)
void api_expect_json_at(const struct api_resp *r, long status, const char *file,
			int line);
/* An RFC 9457 problem: status, Content-Type application/problem+json,
 * "type" API_PROBLEM_PREFIX SLUG (any slug when slug is NULL), a
 * non-empty "detail", "title", and "status" equal to the HTTP status. */
#define api_assert_problem(r, status, slug)                                    \
	api_assert_problem_at(r, status, slug, __FILE__, __LINE__)
void api_assert_problem_at(const struct api_resp *r, long status,
			   const char *slug, const char *file, int line);
/* The problem's "detail" contains text. */
#define api_assert_detail_has(r, text)                                         \
	api_assert_detail_has_at(r, text, __FILE__, __LINE__)
void api_assert_detail_has_at(const struct api_resp *r, const char *text,
			      const char *file, int line);

/* One run of the dutydesk binary (api_cli): its exit status (-1 when
 * killed or not run) and its standard output and error, in memory of the
 * running test. */
struct api_cli_run {
	int status;
	const char *out, *err;
};
/* Run s->bin with args (NULL-ended, after the program name), stdin from
 * /dev/null, killed after 60 s. db, when not NULL, is put in
 * DUTYDESK_DB; DUTYDESK_DB is removed from the environment otherwise.
 * Fails the test when the run's stderr holds a sanitizer report. */
struct api_cli_run api_cli_env(struct api_server *s, const char *db,
			       const char *const *args);
#define api_cli(s, ...)                                                        \
	api_cli_env(s, NULL, (const char *const[]){__VA_ARGS__, NULL})
/* The run exited with status; its stdout, or its stderr, contains text.
 * Print both streams when they fail. */
#define api_expect_exit(r, status)                                             \
	api_expect_exit_at(&(r), status, __FILE__, __LINE__)
void api_expect_exit_at(const struct api_cli_run *r, int status,
			const char *file, int line);
#define api_expect_out(r, text)                                                \
	api_expect_out_at(&(r), text, __FILE__, __LINE__)
void api_expect_out_at(const struct api_cli_run *r, const char *text,
		       const char *file, int line);
#define api_expect_err(r, text)                                                \
	api_expect_err_at(&(r), text, __FILE__, __LINE__)
void api_expect_err_at(const struct api_cli_run *r, const char *text,
		       const char *file, int line);

/* Print what was sent and what came back (for fail messages). */
void api_resp_print(const struct api_resp *r);

#endif
