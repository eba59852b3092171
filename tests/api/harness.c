/*
 * harness.c - the server, the HTTP client and the helpers behind
 * harness.h.
 */
#include "api/harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long the server may take to answer /healthz after it starts. */
#define READY_TIMEOUT_MS 10000
/* How long it may take to exit after SIGTERM: the server's own grace
 * period for requests in flight is 10 s. */
#define STOP_TIMEOUT_MS 15000
/* A CLI command (demo, token create). */
#define CMD_TIMEOUT_MS 60000
/* A CLI run of a test (a sanitizer build, a busy box). */
#define CLI_TIMEOUT_MS 60000
/* One HTTP request. */
#define REQUEST_TIMEOUT_MS 30000

/* ---- memory of the running test ---- */

struct pool_item {
	struct pool_item *next;
	void *p;
	void (*fn)(void *);
};

static struct pool_item *pool;

static void pool_add(void *p, void (*fn)(void *))
{
	struct pool_item *it = malloc(sizeof(*it));
	if (!it) {
		fn(p);
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	it->p = p;
	it->fn = fn;
	it->next = pool;
	pool = it;
}

/* Free what was allocated after mark (NULL: everything). */
static void pool_release_to(struct pool_item *mark)
{
	while (pool && pool != mark) {
		struct pool_item *it = pool;
		pool = it->next;
		it->fn(it->p);
		free(it);
	}
}

static void pool_release(void)
{
	pool_release_to(NULL);
}

int api_test_teardown(void **state)
{
	(void)state;
	pool_release();
	return 0;
}

void api_defer(void (*fn)(void *), void *p)
{
	pool_add(p, fn);
}

void *api_alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	pool_add(p, free);
	return p;
}

const char *api_fmt(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	pool_add(s, free);
	return s;
}

const char *api_unique(const char *prefix)
{
	static int counter;
	counter++;
	return api_fmt("%s%d-%d", prefix, (int)getpid() % 1000, counter);
}

/* ---- failing with the caller's line ---- */

static void failf(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void failf(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_error(fmt, ap);
	va_end(ap);
	print_error("\n");
	_fail(file, line);
}

void api_resp_print(const struct api_resp *r)
{
	if (!r) {
		print_error("  (no response)\n");
		return;
	}
	print_error("  request: %s %.300s\n", r->method, r->path);
	if (r->status == 0)
		print_error("  transfer failed: %s\n", r->curl_error);
	print_error("  status: %ld, Content-Type: %s\n", r->status,
		    r->content_type ? r->content_type : "(none)");
	if (r->body_len)
		print_error("  body: %.2000s%s\n", r->body,
			    r->body_len > 2000 ? "..." : "");
}

/* ---- JSON readers ---- */

const char *api_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : "(missing)";
}

int64_t api_int(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v)
				  : API_MISSING;
}

int api_bool(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

json_t *api_obj(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_object(v) ? v : NULL;
}

/* ---- child processes ---- */

int64_t api_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void api_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* waitpid with a timeout: 1 with *status, 0 on timeout, -1 on error. */
static int wait_timeout(pid_t pid, int timeout_ms, int *status)
{
	int64_t until = api_now_ms() + timeout_ms;
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (api_now_ms() >= until)
			return 0;
		api_sleep_ms(20);
	}
}

/* Start argv with stdin from /dev/null, stderr (and stdout unless
 * stdout_fd >= 0) appended to log_path. The child is killed when this
 * process dies, so that a crashed test leaves no server behind. */
static int spawn(char *const argv[], const char *log_path, int stdout_fd,
		 pid_t *pid)
{
	int logfd =
	    open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t parent = getpid();
	if (logfd < 0 || nullfd < 0) {
		fprintf(stderr, "harness: cannot open '%s': %s\n", log_path,
			strerror(errno));
		goto fail;
	}
	*pid = fork();
	if (*pid < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		goto fail;
	}
	if (*pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (dup2(nullfd, 0) < 0 ||
		    dup2(stdout_fd >= 0 ? stdout_fd : logfd, 1) < 0 ||
		    dup2(logfd, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(logfd);
	close(nullfd);
	return 0;
fail:
	if (logfd >= 0)
		close(logfd);
	if (nullfd >= 0)
		close(nullfd);
	return -1;
}

/* Run argv to its end. Its standard output goes to out (NUL-terminated,
 * truncated to cap) when out is not NULL, else to log_path like its
 * standard error. Returns the exit status, or -1 when it could not run,
 * was killed or took too long. */
static int run_cmd(char *const argv[], const char *log_path, char *out,
		   size_t cap)
{
	int fds[2] = {-1, -1}, status = 0;
	size_t len = 0;
	pid_t pid;
	if (out && pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (spawn(argv, log_path, out ? fds[1] : -1, &pid) < 0) {
		if (out) {
			close(fds[0]);
			close(fds[1]);
		}
		return -1;
	}
	int64_t until = api_now_ms() + CMD_TIMEOUT_MS;
	if (out) {
		close(fds[1]);
		out[0] = '\0';
		for (;;) {
			struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
			int left = (int)(until - api_now_ms());
			if (left <= 0 || poll(&pfd, 1, left) <= 0)
				break;
			char chunk[512];
			ssize_t n = read(fds[0], chunk, sizeof(chunk));
			if (n <= 0)
				break;
			for (ssize_t i = 0; i < n && len + 1 < cap; i++)
				out[len++] = chunk[i];
			out[len] = '\0';
		}
		close(fds[0]);
	}
	int left = (int)(until - api_now_ms());
	if (wait_timeout(pid, left > 0 ? left : 1, &status) != 1) {
		fprintf(stderr, "harness: '%s %s' did not finish\n", argv[0],
			argv[1]);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The last lines of a log, to stderr. */
static void print_tail(const char *path, int lines)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char *ring[64] = {0};
	char buf[1024];
	int n = 0;
	if (lines > 64)
		lines = 64;
	while (fgets(buf, sizeof(buf), f)) {
		free(ring[n % lines]);
		ring[n % lines] = strdup(buf);
		n++;
	}
	fclose(f);
	fprintf(stderr, "---- last lines of %s ----\n", path);
	for (int i = n > lines ? n - lines : 0; i < n; i++)
		fputs(ring[i % lines] ? ring[i % lines] : "", stderr);
	for (int i = 0; i < lines; i++)
		free(ring[i]);
	fprintf(stderr, "----\n");
}

/* Lines in a log that mean something went wrong on the server side:
 * sanitizer reports, and error lines (the server logs every 5xx). */
static int log_has_trouble(const char *path)
{
	static const char *const marks[] = {
	    "AddressSanitizer",
	    "LeakSanitizer",
	    "runtime error:",
	    "level=error",
	};
	FILE *f = fopen(path, "r");
	char buf[2048];
	int found = 0;
	if (!f)
		return 0;
	while (fgets(buf, sizeof(buf), f))
		for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
			if (strstr(buf, marks[i])) {
				if (found < 5)
					fprintf(stderr, "harness: %s: %s", path,
						buf);
				found++;
			}
	fclose(f);
	return found;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* ---- PostgreSQL scratch databases ---- */

/* url with its path (the database name) replaced by db. */
static int url_with_db(const char *url, const char *db, char *out, size_t cap)
{
	const char *scheme = strstr(url, "://");
	if (!scheme)
		return -1;
	const char *authority = scheme + 3;
	const char *rest = authority + strcspn(authority, "/?#");
	const char *query = rest + strcspn(rest, "?#");
	int n =
	    snprintf(out, cap, "%.*s/%s%s", (int)(rest - url), url, db, query);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static void pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_exec(const char *url, const char *sql, int quiet)
{
	PGconn *conn = PQconnectdb(url);
	int rc = -1;
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "harness: cannot connect to PostgreSQL: %s",
			PQerrorMessage(conn));
		PQfinish(conn);
		return -1;
	}
	/* "does not exist, skipping" and the like. */
	PQsetNoticeProcessor(conn, pg_quiet, NULL);
	PGresult *res = PQexec(conn, sql);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		rc = 0;
	else if (!quiet)
		fprintf(stderr, "harness: '%s' failed: %s", sql,
			PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
	return rc;
}

static int pg_create(struct api_server *s)
{
	static int counter;
	const char *url = getenv("DUTYDESK_TEST_PG_URL");
	if (!url || !*url) {
		fprintf(stderr, "harness: DUTYDESK_TEST_PG_URL is not set\n");
		return -1;
	}
	snprintf(s->pg_admin_url, sizeof(s->pg_admin_url), "%s", url);
	snprintf(s->pg_db, sizeof(s->pg_db), "dd_api_%d_%d", (int)getpid(),
		 ++counter);
	if (url_with_db(url, s->pg_db, s->db_url, sizeof(s->db_url)) < 0) {
		fprintf(stderr, "harness: DUTYDESK_TEST_PG_URL is not a "
				"postgresql:// URL\n");
		s->pg_db[0] = '\0';
		return -1;
	}
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", s->pg_db);
	pg_exec(url, sql, 1);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", s->pg_db);
	if (pg_exec(url, sql, 0) < 0) {
		s->pg_db[0] = '\0';
		return -1;
	}
	return 0;
}

static int pg_drop(struct api_server *s)
{
	char sql[128];
	if (!s->pg_db[0])
		return 0;
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", s->pg_db);
	if (pg_exec(s->pg_admin_url, sql, 1) < 0) {
		/* A connection left behind (a CLI killed mid-way) holds
		 * it: throw it out. */
		snprintf(sql, sizeof(sql),
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->pg_db);
		if (pg_exec(s->pg_admin_url, sql, 0) < 0)
			return -1;
	}
	s->pg_db[0] = '\0';
	return 0;
}

/* ---- the server ---- */

int api_is_pg(const struct api_server *s)
{
	return strcmp(s->engine, "pg") == 0;
}

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int port = -1;
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static size_t discard_cb(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

/* Poll /healthz: 0 once it answers 200, -1 when the server died, -2 on
 * timeout. */
static int wait_ready(struct api_server *s)
{
	int64_t until = api_now_ms() + READY_TIMEOUT_MS;
	char url[128];
	snprintf(url, sizeof(url), "%s/healthz", s->base_url);
	while (api_now_ms() < until) {
		int status;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		CURL *c = curl_easy_init();
		long code = 0;
		if (c) {
			curl_easy_setopt(c, CURLOPT_URL, url);
			curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1000L);
			curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
			curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
			if (curl_easy_perform(c) == CURLE_OK)
				curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE,
						  &code);
			curl_easy_cleanup(c);
		}
		if (code == 200)
			return 0;
		api_sleep_ms(50);
	}
	return -2;
}

static int spawn_server(struct api_server *s)
{
	char listen[64], threads[] = "2", web_root[300];
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
	/* DIR/web, which does not exist until a test makes it: "/" is a
	 * 404 whether or not web/dist has been built. */
	snprintf(web_root, sizeof(web_root), "%s/web", s->dir);
	char *argv[] = {
	    (char *)s->bin, "serve",	 "--listen",   listen,	 "--db",
	    s->db_url,	    "--threads", threads,      "--web-root", web_root,
	    NULL,
	};
	return spawn(argv, s->log_path, -1, &s->pid);
}

/* Sign in a demo person at start, without cmocka asserts. */
static int signin_quiet(struct api_server *s, const char *login,
			struct api_auth *out);

/* Undo what start did so far. */
static void cleanup(struct api_server *s, int keep)
{
	if (s->curl) {
		curl_easy_cleanup(s->curl);
		s->curl = NULL;
	}
	if (s->pid > 0) {
		int status;
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
		s->pid = 0;
	}
	pg_drop(s);
	if (s->dir[0]) {
		const char *k = getenv("DUTYDESK_TEST_KEEP");
		if (keep || (k && *k && strcmp(k, "0") != 0))
			fprintf(stderr, "harness: kept %s\n", s->dir);
		else
			nftw(s->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		s->dir[0] = '\0';
	}
}

/* Start the server process on a free port and wait until it answers.
 * The port may be taken between choosing and listening: try again with
 * another. 0 or -1. */
static int listen_and_wait(struct api_server *s)
{
	for (int attempt = 0;; attempt++) {
		s->port = free_port();
		if (s->port < 0) {
			fprintf(stderr, "harness: no free port\n");
			return -1;
		}
		snprintf(s->base_url, sizeof(s->base_url),
			 "http://127.0.0.1:%d", s->port);
		if (spawn_server(s) < 0)
			return -1;
		int rc = wait_ready(s);
		if (rc == 0)
			return 0;
		if (rc == -2) {
			fprintf(stderr,
				"harness: the server did not answer /healthz "
				"within %d ms\n",
				READY_TIMEOUT_MS);
			print_tail(s->log_path, 30);
			return -1;
		}
		if (attempt == 2) {
			fprintf(stderr, "harness: the server did not start\n");
			print_tail(s->log_path, 30);
			return -1;
		}
	}
}

int api_server_start(struct api_server *s, const char *engine)
{
	const char *bin = getenv("DUTYDESK_BIN");
	const char *tmp = getenv("TMPDIR");
	char cli_log[300];
	/* Keep what the running test allocated before. */
	struct pool_item *mark = pool;
	memset(s, 0, sizeof(*s));
	s->engine = engine;
	s->bin = bin && *bin ? bin : "build/test/dutydesk";
	if (access(s->bin, X_OK) != 0) {
		fprintf(stderr,
			"harness: no dutydesk binary at '%s' (build it with "
			"'make build/test/dutydesk', or set DUTYDESK_BIN)\n",
			s->bin);
		return -1;
	}
	snprintf(s->dir, sizeof(s->dir), "%s/dd-api-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir)) {
		fprintf(stderr, "harness: mkdtemp: %s\n", strerror(errno));
		s->dir[0] = '\0';
		return -1;
	}
	snprintf(s->log_path, sizeof(s->log_path), "%s/server.log", s->dir);
	snprintf(cli_log, sizeof(cli_log), "%s/cli.log", s->dir);
	if (api_is_pg(s)) {
		if (pg_create(s) < 0)
			goto fail;
	} else {
		snprintf(s->db_url, sizeof(s->db_url), "sqlite:%s/dutydesk.db",
			 s->dir);
	}

	char *demo[] = {(char *)s->bin, "demo", "--db", s->db_url, NULL};
	int rc = run_cmd(demo, cli_log, NULL, 0);
	if (rc != 0) {
		fprintf(stderr, "harness: 'dutydesk demo' exited with %d\n",
			rc);
		print_tail(cli_log, 20);
		goto fail;
	}

	if (listen_and_wait(s) < 0)
		goto fail;
	s->curl = curl_easy_init();
	if (!s->curl)
		goto fail;
	if (signin_quiet(s, "hbrandt", &s->admin) < 0 ||
	    signin_quiet(s, "mvogel", &s->editor) < 0 ||
	    signin_quiet(s, "jweber", &s->viewer) < 0)
		goto fail;
	pool_release_to(mark);
	return 0;
fail:
	pool_release_to(mark);
	cleanup(s, 1);
	return -1;
}

int api_server_attach(struct api_server *second,
		      const struct api_server *first)
{
	struct pool_item *mark = pool;
	memset(second, 0, sizeof(*second));
	second->engine = first->engine;
	second->bin = first->bin;
	snprintf(second->db_url, sizeof(second->db_url), "%s", first->db_url);
	/* pg_db stays empty: the first server's database is not ours to
	 * drop. */
	const char *tmp = getenv("TMPDIR");
	snprintf(second->dir, sizeof(second->dir), "%s/dd-api-2-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(second->dir)) {
		fprintf(stderr, "harness: mkdtemp: %s\n", strerror(errno));
		second->dir[0] = '\0';
		return -1;
	}
	snprintf(second->log_path, sizeof(second->log_path), "%s/server.log",
		 second->dir);
	if (listen_and_wait(second) < 0)
		goto fail;
	second->curl = curl_easy_init();
	if (!second->curl)
		goto fail;
	if (signin_quiet(second, "hbrandt", &second->admin) < 0 ||
	    signin_quiet(second, "mvogel", &second->editor) < 0 ||
	    signin_quiet(second, "jweber", &second->viewer) < 0)
		goto fail;
	pool_release_to(mark);
	return 0;
fail:
	pool_release_to(mark);
	cleanup(second, 1);
	return -1;
}

int api_server_stop(struct api_server *s)
{
	int rc = 0, status = 0;
	char cli_log[300];
	/* Close the kept-alive connection first, as a browser would. */
	if (s->curl) {
		curl_easy_cleanup(s->curl);
		s->curl = NULL;
	}
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		int w = wait_timeout(s->pid, STOP_TIMEOUT_MS, &status);
		if (w != 1) {
			fprintf(stderr,
				"harness: the server did not exit within %d "
				"ms of SIGTERM\n",
				STOP_TIMEOUT_MS);
			rc = -1;
		} else {
			s->pid = 0;
			if (WIFSIGNALED(status)) {
				fprintf(stderr,
					"harness: the server died of signal "
					"%d\n",
					WTERMSIG(status));
				rc = -1;
			} else if (WEXITSTATUS(status) != 0) {
				fprintf(stderr,
					"harness: the server exited with %d "
					"after SIGTERM\n",
					WEXITSTATUS(status));
				rc = -1;
			}
		}
	}
	snprintf(cli_log, sizeof(cli_log), "%s/cli.log", s->dir);
	if (s->dir[0] &&
	    (log_has_trouble(s->log_path) || log_has_trouble(cli_log)))
		rc = -1;
	if (rc < 0 && s->dir[0])
		print_tail(s->log_path, 40);
	cleanup(s, rc < 0);
	return rc;
}

/* ---- the HTTP client ---- */

static void resp_free(void *p)
{
	struct api_resp *r = p;
	for (int i = 0; i < r->header_count; i++) {
		free(r->header_names[i]);
		free(r->header_values[i]);
	}
	json_decref(r->json);
	free(r->body);
	free(r);
}

static size_t write_cb(char *data, size_t size, size_t n, void *ud)
{
	struct api_resp *r = ud;
	size_t len = size * n;
	char *grown = realloc(r->body, r->body_len + len + 1);
	if (!grown)
		return 0;
	memcpy(grown + r->body_len, data, len);
	r->body = grown;
	r->body_len += len;
	r->body[r->body_len] = '\0';
	return len;
}

static size_t header_cb(char *data, size_t size, size_t n, void *ud)
{
	struct api_resp *r = ud;
	size_t len = size * n;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after "100 Continue"): forget the
		 * headers of the one before. */
		for (int i = 0; i < r->header_count; i++) {
			free(r->header_names[i]);
			free(r->header_values[i]);
		}
		r->header_count = 0;
		return len;
	}
	const char *colon = memchr(data, ':', len);
	if (!colon || r->header_count >= API_HEADERS_MAX)
		return len;
	const char *v = colon + 1, *end = data + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
			   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	r->header_names[r->header_count] =
	    strndup(data, (size_t)(colon - data));
	r->header_values[r->header_count] = strndup(v, (size_t)(end - v));
	r->header_count++;
	return len;
}

struct reader {
	const char *p;
	size_t left;
};

/* Hands the body out in small pieces, so that chunked uploads really
 * come in several chunks. */
static size_t read_cb(char *buf, size_t size, size_t n, void *ud)
{
	struct reader *rd = ud;
	size_t want = size * n;
	if (want > 16384)
		want = 16384;
	if (want > rd->left)
		want = rd->left;
	memcpy(buf, rd->p, want);
	rd->p += want;
	rd->left -= want;
	return want;
}

const char *api_header(const struct api_resp *r, const char *name)
{
	for (int i = 0; i < r->header_count; i++)
		if (strcasecmp(r->header_names[i], name) == 0)
			return r->header_values[i];
	return NULL;
}

static int is_json_type(const char *type)
{
	if (!type)
		return 0;
	size_t n = strcspn(type, ";");
	return (n == 16 && strncasecmp(type, "application/json", 16) == 0) ||
	       (n > 5 && strncasecmp(type + n - 5, "+json", 5) == 0);
}

struct api_resp *api_send(struct api_server *s, const struct api_req *q)
{
	struct api_resp *r = calloc(1, sizeof(*r));
	struct curl_slist *h = NULL;
	struct reader rd = {0};
	CURL *c;
	if (!r)
		abort();
	pool_add(r, resp_free);
	r->method = api_fmt("%s", q->method);
	r->path = api_fmt("%s", q->path);

	/* A connection bound to another source address must not be
	 * reused for the requests after this one: own handle. */
	c = q->source ? curl_easy_init() : s->curl;
	if (!c) {
		snprintf(r->curl_error, sizeof(r->curl_error), "no handle");
		return r;
	}
	if (c == s->curl)
		curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, api_fmt("%s%s", s->base_url, q->path));
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)REQUEST_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->curl_error);
	if (q->source)
		curl_easy_setopt(c, CURLOPT_INTERFACE,
				 api_fmt("host!%s", q->source));

	if (q->auth) {
		if (q->auth->cookie[0])
			h = curl_slist_append(
			    h,
			    api_fmt("Cookie: dd_session=%s", q->auth->cookie));
		if (q->auth->cookie[0] && q->auth->csrf[0] && !q->omit_csrf)
			h = curl_slist_append(
			    h, api_fmt("X-CSRF-Token: %s", q->auth->csrf));
		if (q->auth->bearer[0])
			h = curl_slist_append(
			    h, api_fmt("Authorization: Bearer %s",
				       q->auth->bearer));
	}
	int has_body = q->body || q->empty_body;
	if (has_body || (q->content_type && q->content_type[0])) {
		if (!q->content_type)
			h = curl_slist_append(h,
					      "Content-Type: application/json");
		else if (!q->content_type[0])
			h = curl_slist_append(h, "Content-Type:");
		else
			h = curl_slist_append(
			    h, api_fmt("Content-Type: %s", q->content_type));
	}
	for (const char *const *e = q->headers; e && *e; e++)
		h = curl_slist_append(h, *e);

	if (strcmp(q->method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (strcmp(q->method, "GET") != 0 || has_body) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
	}
	if (has_body) {
		const char *body = q->body ? q->body : "";
		size_t len = q->empty_body ? 0
			     : q->body_len ? q->body_len
					   : strlen(body);
		if (q->chunked) {
			rd.p = body;
			rd.left = len;
			h = curl_slist_append(h, "Transfer-Encoding: chunked");
			curl_easy_setopt(c, CURLOPT_POST, 1L);
			curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
			curl_easy_setopt(c, CURLOPT_READDATA, &rd);
		} else {
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)len);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		}
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)q->stream_ms);
	CURLcode done = curl_easy_perform(c);
	if (done == CURLE_OK ||
	    (q->stream_ms > 0 && done == CURLE_OPERATION_TIMEDOUT))
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	else
		r->status = 0;
	curl_slist_free_all(h);
	if (c != s->curl)
		curl_easy_cleanup(c);

	r->content_type = api_header(r, "Content-Type");
	r->location = api_header(r, "Location");
	r->etag = api_header(r, "ETag");
	r->allow = api_header(r, "Allow");
	r->set_cookie = api_header(r, "Set-Cookie");
	r->retry_after = api_header(r, "Retry-After");
	r->www_authenticate = api_header(r, "WWW-Authenticate");
	if (!r->body) {
		r->body = calloc(1, 1);
		if (!r->body)
			abort();
	}
	if (r->body_len > 0 && is_json_type(r->content_type)) {
		json_error_t e;
		r->json = json_loadb(r->body, r->body_len, 0, &e);
		if (!r->json)
			r->json_invalid = 1;
	}
	return r;
}

struct api_resp *api_get(struct api_server *s, const struct api_auth *a,
			 const char *path)
{
	struct api_req q = {.method = "GET", .path = path, .auth = a};
	return api_send(s, &q);
}

struct api_resp *api_head(struct api_server *s, const struct api_auth *a,
			  const char *path)
{
	struct api_req q = {.method = "HEAD", .path = path, .auth = a};
	return api_send(s, &q);
}

struct api_resp *api_delete(struct api_server *s, const struct api_auth *a,
			    const char *path)
{
	struct api_req q = {.method = "DELETE", .path = path, .auth = a};
	return api_send(s, &q);
}

struct api_resp *api_json(struct api_server *s, const struct api_auth *a,
			  const char *method, const char *path,
			  const char *body)
{
	struct api_req q = {
	    .method = method, .path = path, .auth = a, .body = body};
	return api_send(s, &q);
}

struct api_resp *api_json_h(struct api_server *s, const struct api_auth *a,
			    const char *method, const char *path,
			    const char *body, const char *header)
{
	const char *headers[] = {header, NULL};
	struct api_req q = {.method = method,
			    .path = path,
			    .auth = a,
			    .body = body,
			    .headers = headers};
	return api_send(s, &q);
}

/* ---- assertions ---- */

void api_expect_status_at(const struct api_resp *r, long status,
			  const char *file, int line)
{
	if (r->status != status) {
		print_error("expected status %ld, got %ld\n", status,
			    r->status);
		api_resp_print(r);
		_fail(file, line);
	}
}

void api_expect_json_at(const struct api_resp *r, long status, const char *file,
			int line)
{
	api_expect_status_at(r, status, file, line);
	if (!r->content_type ||
	    strncmp(r->content_type, "application/json", 16) != 0) {
		print_error("expected Content-Type application/json\n");
		api_resp_print(r);
		_fail(file, line);
	}
	if (!json_is_object(r->json)) {
		print_error("expected a JSON object%s\n",
			    r->json_invalid ? " (the body is not JSON)" : "");
		api_resp_print(r);
		_fail(file, line);
	}
}

void api_assert_problem_at(const struct api_resp *r, long status,
			   const char *slug, const char *file, int line)
{
	const char *why = NULL;
	api_expect_status_at(r, status, file, line);
	const char *type = json_string_value(json_object_get(r->json, "type"));
	const char *detail =
	    json_string_value(json_object_get(r->json, "detail"));
	json_t *st = json_object_get(r->json, "status");
	if (!r->content_type ||
	    strcmp(r->content_type, "application/problem+json") != 0)
		why = "Content-Type is not application/problem+json";
	else if (!json_is_object(r->json))
		why = "the body is not a JSON object";
	else if (!type || strncmp(type, API_PROBLEM_PREFIX,
				  strlen(API_PROBLEM_PREFIX)) != 0)
		why = "\"type\" does not start with " API_PROBLEM_PREFIX;
	else if (slug && strcmp(type + strlen(API_PROBLEM_PREFIX), slug) != 0)
		why = "\"type\" is not the expected problem";
	else if (!detail || !*detail)
		why = "no \"detail\"";
	else if (!json_is_string(json_object_get(r->json, "title")))
		why = "no \"title\"";
	else if (!json_is_integer(st) || json_integer_value(st) != status)
		why = "\"status\" differs from the HTTP status";
	if (why) {
		print_error("not the expected problem (%ld %s%s): %s\n", status,
			    API_PROBLEM_PREFIX, slug ? slug : "*", why);
		api_resp_print(r);
		_fail(file, line);
	}
}

void api_assert_detail_has_at(const struct api_resp *r, const char *text,
			      const char *file, int line)
{
	const char *detail =
	    json_string_value(json_object_get(r->json, "detail"));
	if (!detail || !strstr(detail, text)) {
		print_error("\"detail\" does not contain '%s'\n", text);
		api_resp_print(r);
		_fail(file, line);
	}
}

/* ---- sessions, tokens, people, groups ---- */

struct api_resp *api_signin_try(struct api_server *s, const char *source,
				const char *login, const char *password)
{
	json_t *b =
	    json_pack("{s:s, s:s}", "login", login, "password", password);
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	if (!text)
		abort();
	pool_add(text, free);
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/session",
			    .body = text,
			    .source = source};
	return api_send(s, &q);
}

/* Fill out from a 201 sign-in; -1 when something is missing. */
static int auth_from_signin(const struct api_resp *r, struct api_auth *out)
{
	const char *sc = r->set_cookie;
	memset(out, 0, sizeof(*out));
	if (r->status != 201 || !sc || strncmp(sc, "dd_session=", 11) != 0)
		return -1;
	size_t n = strcspn(sc + 11, ";");
	if (n == 0 || n >= sizeof(out->cookie))
		return -1;
	memcpy(out->cookie, sc + 11, n);
	out->cookie[n] = '\0';
	const char *csrf =
	    json_string_value(json_object_get(r->json, "csrf_token"));
	json_t *person = api_obj(r->json, "person");
	if (!csrf || !person)
		return -1;
	snprintf(out->csrf, sizeof(out->csrf), "%s", csrf);
	out->person_id = api_int(person, "id");
	snprintf(out->login, sizeof(out->login), "%s",
		 api_str(person, "login"));
	return 0;
}

static int signin_quiet(struct api_server *s, const char *login,
			struct api_auth *out)
{
	struct api_resp *r = api_signin_try(s, NULL, login, API_DEMO_PASSWORD);
	if (auth_from_signin(r, out) < 0) {
		fprintf(stderr, "harness: cannot sign in as '%s': %ld %s\n",
			login, r->status, r->body);
		return -1;
	}
	return 0;
}

void api_signin_at(struct api_server *s, const char *login,
		   const char *password, struct api_auth *out, const char *file,
		   int line)
{
	struct api_resp *r = api_signin_try(s, NULL, login, password);
	if (auth_from_signin(r, out) < 0) {
		print_error("sign-in as '%s' failed\n", login);
		api_resp_print(r);
		_fail(file, line);
	}
}

void api_token_cli_at(struct api_server *s, const char *login,
		      const char *scopes, struct api_auth *out,
		      const char *file, int line)
{
	char text[4096], cli_log[300];
	char *argv[] = {(char *)s->bin, "token",   "create",	  "--db",
			s->db_url,	"--login", (char *)login, "--scopes",
			(char *)scopes, NULL};
	snprintf(cli_log, sizeof(cli_log), "%s/cli.log", s->dir);
	memset(out, 0, sizeof(*out));
	int rc = run_cmd(argv, cli_log, text, sizeof(text));
	if (rc != 0)
		failf(file, line, "'dutydesk token create' exited with %d: %s",
		      rc, text);
	/* The token is alone on the last line. */
	size_t len = strlen(text);
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	const char *last = strrchr(text, '\n');
	last = last ? last + 1 : text;
	if (strncmp(last, "ddt_", 4) != 0 ||
	    strlen(last) >= sizeof(out->bearer))
		failf(file, line, "no token on the last line of: %s", text);
	memcpy(out->bearer, last, strlen(last) + 1);
	snprintf(out->login, sizeof(out->login), "%.64s", login);
}

void api_token_new_at(struct api_server *s, int64_t person_id,
		      const char *scopes, struct api_auth *out,
		      const char *file, int line)
{
	json_t *arr = json_array();
	const char *p = scopes;
	while (*p) {
		size_t n = strcspn(p, ",");
		json_array_append_new(arr, json_stringn(p, n));
		p += n;
		if (*p == ',')
			p++;
	}
	json_t *b =
	    json_pack("{s:I, s:s, s:o}", "person_id", (json_int_t)person_id,
		      "name", api_unique("token"), "scopes", arr);
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	pool_add(text, free);
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/tokens", text);
	api_expect_json_at(r, 201, file, line);
	json_t *t = api_obj(r->json, "token");
	const char *secret =
	    json_string_value(json_object_get(r->json, "secret"));
	if (!t || !secret || strlen(secret) >= sizeof(out->bearer)) {
		print_error("no token and secret in the answer\n");
		api_resp_print(r);
		_fail(file, line);
	}
	memset(out, 0, sizeof(*out));
	snprintf(out->bearer, sizeof(out->bearer), "%s", secret);
	out->token_id = api_int(t, "id");
	out->person_id = api_int(t, "person_id");
	snprintf(out->login, sizeof(out->login), "%s", api_str(t, "login"));
}

int64_t api_person_new_at(struct api_server *s, const char *prefix,
			  const char *password, char login[65],
			  const char *file, int line)
{
	const char *l = api_unique(prefix);
	json_t *b = json_pack("{s:s, s:s, s:s}", "login", l, "name",
			      api_fmt("Test Person %s", l), "email",
			      api_fmt("%s@example.org", l));
	if (password)
		json_object_set_new(b, "password", json_string(password));
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	pool_add(text, free);
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/people", text);
	api_expect_json_at(r, 201, file, line);
	if (login)
		snprintf(login, 65, "%s", l);
	return api_int(r->json, "id");
}

int64_t api_group_new_at(struct api_server *s, const char *prefix,
			 const char *role, const char *file, int line)
{
	json_t *b =
	    json_pack("{s:s, s:s}", "name", api_unique(prefix), "role", role);
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	pool_add(text, free);
	struct api_resp *r =
	    api_json(s, &s->admin, "POST", "/api/v1/groups", text);
	api_expect_json_at(r, 201, file, line);
	return api_int(r->json, "id");
}

void api_member_add_at(struct api_server *s, int64_t group_id,
		       int64_t person_id, const char *file, int line)
{
	struct api_resp *r =
	    api_json(s, &s->admin, "PUT",
		     api_fmt("/api/v1/groups/%lld/members/%lld",
			     (long long)group_id, (long long)person_id),
		     NULL);
	if (r->status != 201 && r->status != 204) {
		print_error("adding person %lld to group %lld failed\n",
			    (long long)person_id, (long long)group_id);
		api_resp_print(r);
		_fail(file, line);
	}
}

int64_t api_group_id_at(struct api_server *s, const char *name,
			const char *file, int line)
{
	const char *cursor = "";
	for (int pages = 0; pages < 100; pages++) {
		struct api_resp *r =
		    api_get(s, &s->admin,
			    api_fmt("/api/v1/groups?limit=500%s%s",
				    *cursor ? "&cursor=" : "", cursor));
		api_expect_json_at(r, 200, file, line);
		size_t i;
		json_t *g;
		json_array_foreach(json_object_get(r->json, "items"), i, g)
		{
			if (strcmp(api_str(g, "name"), name) == 0)
				return api_int(g, "id");
		}
		const char *next =
		    json_string_value(json_object_get(r->json, "next_cursor"));
		if (!next)
			break;
		cursor = api_fmt("%s", next);
	}
	failf(file, line, "no group named '%s'", name);
	return -1;
}

int api_count_people_at(struct api_server *s, const char *file, int line)
{
	const char *cursor = "";
	int count = 0;
	for (int pages = 0; pages < 1000; pages++) {
		struct api_resp *r =
		    api_get(s, &s->admin,
			    api_fmt("/api/v1/people?limit=500%s%s",
				    *cursor ? "&cursor=" : "", cursor));
		api_expect_json_at(r, 200, file, line);
		json_t *items = json_object_get(r->json, "items");
		if (!json_is_array(items))
			failf(file, line, "no items in the people list");
		count += (int)json_array_size(items);
		const char *next =
		    json_string_value(json_object_get(r->json, "next_cursor"));
		if (!next)
			return count;
		cursor = api_fmt("%s", next);
	}
	failf(file, line, "the people list does not end");
	return -1;
}

/* ---- running the groups ---- */

/* cmocka reports a failed group setup or teardown but does not count it
 * in what it returns: count it here, so that a server that does not
 * start or does not shut down cleanly fails the binary. */
static int group_failures;

static int group_setup(void **state, const char *engine)
{
	struct api_server *s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	if (api_server_start(s, engine) < 0) {
		free(s);
		group_failures++;
		return -1;
	}
	*state = s;
	return 0;
}

static int setup_sqlite(void **state)
{
	return group_setup(state, "sqlite");
}

static int setup_pg(void **state)
{
	return group_setup(state, "pg");
}

static int group_teardown(void **state)
{
	struct api_server *s = *state;
	pool_release();
	if (!s)
		return 0;
	int rc = api_server_stop(s);
	if (rc < 0)
		group_failures++;
	free(s);
	*state = NULL;
	return rc;
}

int api_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	char group[128];
	int failed;
	const char *pg = getenv("DUTYDESK_TEST_PG_URL");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(group, sizeof(group), "%s/sqlite", name);
	failed = _cmocka_run_group_tests(group, tests, n, setup_sqlite,
					 group_teardown);
	if (pg && *pg) {
		snprintf(group, sizeof(group), "%s/pg", name);
		failed += _cmocka_run_group_tests(group, tests, n, setup_pg,
						  group_teardown);
	} else {
		fflush(stdout);
		fprintf(stderr,
			"pg: skipped, DUTYDESK_TEST_PG_URL is not set\n");
	}
	curl_global_cleanup();
	return failed != 0 || group_failures != 0;
}

/* ---- CLI runs ---- */

extern char **environ;

static const char *cli_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(f);
	fclose(mem);
	const char *copy = api_fmt("%s", text ? text : "");
	free(text);
	return copy;
}

/*
 * Run the dutydesk binary with args (NULL-ended, after the program
 * name). db, when not NULL, is put in DUTYDESK_DB; DUTYDESK_DB is
 * removed from the environment otherwise.
 */
struct api_cli_run api_cli_env(struct api_server *s, const char *db,
			       const char *const *args)
{
	static int counter;
	struct api_cli_run run = {.status = -1};
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)s->bin;
	for (; *args && argc < 31; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;

	char *envp[512];
	int envc = 0;
	for (char **e = environ; *e && envc < 510; e++)
		if (strncmp(*e, "DUTYDESK_DB=", 12) != 0)
			envp[envc++] = *e;
	if (db)
		envp[envc++] = (char *)api_fmt("DUTYDESK_DB=%s", db);
	envp[envc] = NULL;

	counter++;
	const char *out = api_fmt("%s/cli-%d.out", s->dir, counter);
	const char *err = api_fmt("%s/cli-%d.err", s->dir, counter);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		fail_msg("cannot start %s: %s", argv[0], strerror(rc));
	int64_t until = api_now_ms() + CLI_TIMEOUT_MS;
	int wstatus = 0;
	for (;;) {
		pid_t w = waitpid(pid, &wstatus, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			fail_msg("waitpid: %s", strerror(errno));
		if (api_now_ms() > until) {
			kill(pid, SIGKILL);
			waitpid(pid, &wstatus, 0);
			fail_msg("'dutydesk %s' did not finish", argv[1]);
		}
		struct timespec nap = {0, 10 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	run.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	run.out = cli_slurp(out);
	run.err = cli_slurp(err);
	unlink(out);
	unlink(err);
	if (strstr(run.err, "Sanitizer") || strstr(run.err, "runtime error:"))
		fail_msg("'dutydesk %s' reported:\n%s", argv[1], run.err);
	return run;
}

void api_expect_exit_at(const struct api_cli_run *r, int status,
			const char *file, int line)
{
	if (r->status != status) {
		print_error("exit status %d, expected %d\n--- stdout\n%s\n"
			    "--- stderr\n%s\n",
			    r->status, status, r->out, r->err);
		_fail(file, line);
	}
}

void api_expect_out_at(const struct api_cli_run *r, const char *text,
		       const char *file, int line)
{
	if (!strstr(r->out, text)) {
		print_error("stdout lacks '%s':\n%s\n--- stderr\n%s\n", text,
			    r->out, r->err);
		_fail(file, line);
	}
}

void api_expect_err_at(const struct api_cli_run *r, const char *text,
		       const char *file, int line)
{
	if (!strstr(r->err, text)) {
		print_error("stderr lacks '%s':\n%s\n--- stdout\n%s\n", text,
			    r->err, r->out);
		_fail(file, line);
	}
}
