/*
 * pg.c - the PostgreSQL engine, on libpq.
 *
 * A connection prepares each distinct SQL text once and keeps the name in
 * a small open-addressing map keyed by that text ("dd1", "dd2", ...), so a
 * hot statement costs one round trip and no parse. Results come back whole
 * in text format; rows walk an index into the PGresult.
 *
 * When the connection drops, libpq forgets nothing but the server forgets
 * every prepared statement, so the map is marked unprepared and the next
 * call outside a transaction reconnects (PQreset) and prepares again. The
 * call that saw the loss reports 503: the caller retries, we never replay
 * a statement that may have run.
 */
#include "store/store_int.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/*
 * Distinct SQL texts prepared per connection. The application has a few
 * hundred statements at most; past this the map stops growing and further
 * texts run unprepared (PQexecParams), so a caller that builds SQL
 * dynamically cannot make a connection grow without bound.
 */
#define PG_STMT_MAX 1024
/* First size of the map; it doubles up to 2 * PG_STMT_MAX slots. */
#define PG_STMT_SLOTS_MIN 64
/* Longest statement name: "dd" and a 20-digit counter. */
#define PG_STMT_NAME_MAX 24
/* Buffer for one DD_PARAM_INT as text: sign, 19 digits, NUL. */
#define PG_INT_TEXT_MAX 24
/* Parameters formatted on the stack; more than this are allocated. */
#define PG_PARAMS_STACK 16

/* The OID of bytea (pg_type.h), to decode only what is really binary. */
#define PG_BYTEA_OID 17

/* Channels one session listens on at most. */
#define PG_LISTEN_MAX 4

struct pg_stmt {
	char *sql; /* owned copy; NULL marks a free slot */
	uint32_t hash;
	unsigned long id; /* 0 when not prepared on this session */
};

struct pg_store {
	struct dd_store base;
	PGconn *conn;
	struct pg_stmt *stmts;
	size_t slots; /* power of two */
	size_t used;
	unsigned long next_id;
	int64_t changes;
	/* Channels LISTENed on this session (a connection waits on one or
	 * two); cleared when the connection is lost. */
	char listening[PG_LISTEN_MAX][64];
	int listen_count;
};

struct pg_blob {
	unsigned char *bytes; /* from PQunescapeBytea, NULL until decoded */
	size_t len;
};

struct pg_rows {
	struct dd_rows base;
	PGresult *res;
	int nrows;
	int ncols;
	int row; /* current row, -1 before the first */
	/* Decoded bytea per column of the current row, freed by next. */
	struct pg_blob *blobs;
};

static struct pg_store *pg_store_of(struct dd_store *store)
{
	return (struct pg_store *)store;
}

static struct pg_rows *pg_rows_of(struct dd_rows *rows)
{
	return (struct pg_rows *)rows;
}

static const struct pg_rows *pg_rows_const(const struct dd_rows *rows)
{
	return (const struct pg_rows *)rows;
}

/* Copy the first line of msg to out, without trailing blanks or stop. */
static void first_line(const char *msg, char *out, size_t cap)
{
	size_t n = 0;
	if (!cap)
		return;
	if (!msg)
		msg = "";
	while (msg[n] && msg[n] != '\n' && msg[n] != '\r')
		n++;
	while (n > 0 &&
	       (msg[n - 1] == ' ' || msg[n - 1] == '\t' || msg[n - 1] == '.'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, msg, n);
	out[n] = '\0';
	if (n == 0)
		snprintf(out, cap, "unknown error");
}

/*
 * Status for a failed statement. The connection state comes first: a lost
 * server is unavailable whatever code (often none) libpq attached.
 */
static int status_of(PGconn *conn, const char *state, const char **type)
{
	*type = DD_PROBLEM_STORE;
	if (PQstatus(conn) == CONNECTION_BAD) {
		*type = DD_PROBLEM_UNAVAILABLE;
		return 503;
	}
	if (!state || strlen(state) != 5)
		return 500;
	if (!strcmp(state, "23505") || !strcmp(state, "23503")) {
		*type = DD_PROBLEM_CONFLICT;
		return 409;
	}
	/* 08P01 with the connection still up is a bind of the wrong number
	 * of parameters: our mistake, not an outage. */
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
	    (!strncmp(state, "08", 2) && strcmp(state, "08P01") != 0) ||
	    /* the server is shutting down or out of connections */
	    !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
	    !strcmp(state, "57P03") || !strcmp(state, "53300") ||
	    /* a prepared statement the session no longer has */
	    !strcmp(state, "26000")) {
		*type = DD_PROBLEM_UNAVAILABLE;
		return 503;
	}
	if (!strncmp(state, "22", 2)) {
		*type = DD_PROBLEM_BAD_REQUEST;
		return 400;
	}
	return 500;
}

/* Fill err for sql failing with res (which may be NULL) and return -1. */
static int fail_res(struct pg_store *pg, const char *sql, const PGresult *res,
		    struct dd_err *err)
{
	char what[96], why[DD_ERR_MSG_MAX];
	const char *state = NULL, *msg = NULL, *type;
	int status;

	if (res) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		if (!msg || !*msg)
			msg = PQresultErrorMessage(res);
	}
	if (!msg || !*msg)
		msg = PQerrorMessage(pg->conn);
	status = status_of(pg->conn, state, &type);
	dd_store_describe_sql(sql, what, sizeof(what));
	first_line(msg, why, sizeof(why));
	return dd_err_set(err, status, type, "statement '%s' failed: %s", what,
			  why);
}

/* Forget every server-side statement: the session that held them is
 * gone. Texts stay in the map so their slots are reused. */
static void stmts_unprepare(struct pg_store *pg)
{
	for (size_t i = 0; i < pg->slots; i++)
		pg->stmts[i].id = 0;
}

static void stmts_free(struct pg_store *pg)
{
	for (size_t i = 0; i < pg->slots; i++)
		free(pg->stmts[i].sql);
	free(pg->stmts);
	pg->stmts = NULL;
	pg->slots = pg->used = 0;
}

/* FNV-1a: short SQL texts, no adversary (the texts are ours). */
static uint32_t sql_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static struct pg_stmt *stmts_probe(struct pg_stmt *tab, size_t slots,
				   const char *sql, uint32_t hash)
{
	size_t mask = slots - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct pg_stmt *s = &tab[i];
		if (!s->sql || (s->hash == hash && !strcmp(s->sql, sql)))
			return s;
	}
}

/* Double the map. Returns 0, or -1 when out of memory (the map stays). */
static int stmts_grow(struct pg_store *pg)
{
	size_t slots = pg->slots ? pg->slots * 2 : PG_STMT_SLOTS_MIN;
	struct pg_stmt *tab = calloc(slots, sizeof(*tab));
	if (!tab)
		return -1;
	for (size_t i = 0; i < pg->slots; i++) {
		struct pg_stmt *old = &pg->stmts[i];
		if (old->sql)
			*stmts_probe(tab, slots, old->sql, old->hash) = *old;
	}
	free(pg->stmts);
	pg->stmts = tab;
	pg->slots = slots;
	return 0;
}

/*
 * The map entry for sql, added when missing. Returns NULL when the map is
 * full or memory is short: the caller then runs sql unprepared.
 */
static struct pg_stmt *stmts_get(struct pg_store *pg, const char *sql)
{
	uint32_t hash = sql_hash(sql);
	struct pg_stmt *s;

	if (pg->slots) {
		s = stmts_probe(pg->stmts, pg->slots, sql, hash);
		if (s->sql)
			return s;
	}
	if (pg->used >= PG_STMT_MAX)
		return NULL;
	/* Keep the load at most one half so probes stay short. */
	if ((pg->used + 1) * 2 > pg->slots && stmts_grow(pg) < 0)
		return NULL;
	s = stmts_probe(pg->stmts, pg->slots, sql, hash);
	s->sql = strdup(sql);
	if (!s->sql)
		return NULL;
	s->hash = hash;
	s->id = 0;
	pg->used++;
	return s;
}

/* Session settings, run after every connect and reconnect. */
static int session_setup(struct pg_store *pg, struct dd_err *err)
{
	static const char sql[] = "SET client_min_messages = warning; "
				  "SET TIME ZONE 'UTC'";
	PGresult *res = PQexec(pg->conn, sql);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = fail_res(pg, sql, res, err);
	PQclear(res);
	return rc;
}

/*
 * Make sure the connection is up before a statement. A lost connection is
 * rebuilt only outside a transaction: inside one, the server has already
 * rolled back and carrying on in a new session would split the caller's
 * unit of work. Returns 0 or -1 with err filled (503).
 */
static int pg_ready(struct pg_store *pg, struct dd_err *err)
{
	char why[DD_ERR_MSG_MAX];

	if (PQstatus(pg->conn) != CONNECTION_BAD)
		return 0;
	stmts_unprepare(pg);
	if (pg->base.in_tx)
		return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				  "connection to postgresql lost in a "
				  "transaction");
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		first_line(PQerrorMessage(pg->conn), why, sizeof(why));
		return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				  "cannot connect to postgresql: %s", why);
	}
	return session_setup(pg, err);
}

/* libpq prints notices and warnings on stderr by default. The store has
 * no log to send them to, and nothing below an error changes an outcome,
 * so they are dropped rather than interleaved with the server's logfmt. */
static void notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_open(const char *url, struct dd_store **out, struct dd_err *err)
{
	char why[DD_ERR_MSG_MAX];
	struct pg_store *pg;

	*out = NULL;
	pg = calloc(1, sizeof(*pg));
	if (!pg)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory opening postgresql");
	pg->conn = PQconnectdb(url);
	if (!pg->conn) {
		free(pg);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory opening postgresql");
	}
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		first_line(PQerrorMessage(pg->conn), why, sizeof(why));
		dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
			   "cannot connect to postgresql: %s", why);
		goto fail;
	}
	PQsetNoticeProcessor(pg->conn, notice_ignore, NULL);
	if (session_setup(pg, err) < 0)
		goto fail;
	pg->next_id = 1;
	*out = &pg->base;
	return 0;
fail:
	PQfinish(pg->conn);
	free(pg);
	return -1;
}

static void pg_close(struct dd_store *store)
{
	struct pg_store *pg = pg_store_of(store);
	PQfinish(pg->conn);
	stmts_free(pg);
	free(pg);
}

/* Prepare s on this session under a new name. Returns 0 or -1. */
static int stmt_prepare(struct pg_store *pg, struct pg_stmt *s,
			struct dd_err *err)
{
	char name[PG_STMT_NAME_MAX];
	unsigned long id = pg->next_id++;
	PGresult *res;
	int rc = 0;

	snprintf(name, sizeof(name), "dd%lu", id);
	/* Types are left to the server to infer from the SQL. */
	res = PQprepare(pg->conn, name, s->sql, 0, NULL);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		s->id = id;
	else
		rc = fail_res(pg, s->sql, res, err);
	PQclear(res);
	return rc;
}

static int64_t cmd_tuples(PGresult *res)
{
	const char *t = PQcmdTuples(res);
	return t && *t ? strtoll(t, NULL, 10) : 0;
}

static int pg_query(struct dd_store *store, const char *sql,
		    const struct dd_param *params, int n, struct dd_rows **out,
		    struct dd_err *err)
{
	struct pg_store *pg = pg_store_of(store);
	const char *vals_stack[PG_PARAMS_STACK];
	int lens_stack[PG_PARAMS_STACK], fmts_stack[PG_PARAMS_STACK];
	char ints_stack[PG_PARAMS_STACK][PG_INT_TEXT_MAX];
	const char **vals = vals_stack;
	int *lens = lens_stack, *fmts = fmts_stack;
	char(*ints)[PG_INT_TEXT_MAX] = ints_stack;
	struct pg_stmt *s;
	struct pg_rows *rows = NULL;
	PGresult *res = NULL;
	ExecStatusType st;
	int rc = -1;

	if (out)
		*out = NULL;
	if (n < 0 || (n > 0 && !params))
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "bad parameter count %d", n);
	if (pg_ready(pg, err) < 0)
		return -1;
	if (n > PG_PARAMS_STACK) {
		vals = calloc((size_t)n, sizeof(*vals));
		lens = calloc((size_t)n, sizeof(*lens));
		fmts = calloc((size_t)n, sizeof(*fmts));
		ints = calloc((size_t)n, sizeof(*ints));
		if (!vals || !lens || !fmts || !ints) {
			dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				   "out of memory binding %d parameters", n);
			goto out;
		}
	}
	for (int i = 0; i < n; i++) {
		const struct dd_param *p = &params[i];
		lens[i] = 0;
		fmts[i] = 0;
		switch (p->type) {
		case DD_PARAM_INT:
			snprintf(ints[i], PG_INT_TEXT_MAX, "%lld",
				 (long long)p->i);
			vals[i] = ints[i];
			break;
		case DD_PARAM_TEXT:
			vals[i] = p->s;
			break;
		case DD_PARAM_BLOB:
			if (p->len > INT32_MAX) {
				dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					   "parameter %d too large", i + 1);
				goto out;
			}
			/* A non-NULL pointer even for an empty blob: NULL
			 * would bind SQL NULL. */
			vals[i] = p->s ? p->s : "";
			lens[i] = (int)p->len;
			fmts[i] = 1;
			break;
		case DD_PARAM_NULL:
		default:
			vals[i] = NULL;
			break;
		}
	}

	s = stmts_get(pg, sql);
	if (s && !s->id && stmt_prepare(pg, s, err) < 0)
		goto out;
	if (s) {
		char name[PG_STMT_NAME_MAX];
		snprintf(name, sizeof(name), "dd%lu", s->id);
		res = PQexecPrepared(pg->conn, name, n, vals, lens, fmts, 0);
	} else {
		res = PQexecParams(pg->conn, sql, n, NULL, vals, lens, fmts, 0);
	}
	st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK &&
	    st != PGRES_EMPTY_QUERY) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		/* Our map no longer matches the session (DEALLOCATE ALL,
		 * DISCARD ALL, a reset): prepare afresh next time. */
		if (PQstatus(pg->conn) == CONNECTION_BAD ||
		    (state && !strcmp(state, "26000")))
			stmts_unprepare(pg);
		fail_res(pg, sql, res, err);
		goto out;
	}
	pg->changes = cmd_tuples(res);
	if (!out) {
		rc = 0;
		goto out;
	}
	rows = calloc(1, sizeof(*rows));
	if (!rows) {
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
			   "out of memory reading rows");
		goto out;
	}
	rows->base.store = store;
	rows->res = res;
	rows->nrows = PQntuples(res);
	rows->ncols = PQnfields(res);
	rows->row = -1;
	res = NULL;
	*out = &rows->base;
	rc = 0;
out:
	PQclear(res);
	if (vals != vals_stack) {
		free(vals);
		free(lens);
		free(fmts);
		free(ints);
	}
	return rc;
}

static int64_t pg_changes(struct dd_store *store)
{
	return pg_store_of(store)->changes;
}

static int pg_exec_script(struct dd_store *store, const char *sql,
			  struct dd_err *err)
{
	struct pg_store *pg = pg_store_of(store);
	PGresult *res;
	ExecStatusType st;
	int rc = 0;

	if (pg_ready(pg, err) < 0)
		return -1;
	res = PQexec(pg->conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		if (PQstatus(pg->conn) == CONNECTION_BAD)
			stmts_unprepare(pg);
		rc = fail_res(pg, sql, res, err);
	} else if (!strcmp(sql, "COMMIT") &&
		   !strcmp(PQcmdStatus(res), "ROLLBACK")) {
		/* PostgreSQL answers COMMIT of a transaction that an earlier
		 * error aborted with a successful ROLLBACK. The caller asked
		 * for its work to be kept, so that is a failure. */
		rc = dd_err_set(err, 500, DD_PROBLEM_STORE,
				"statement 'COMMIT' failed: transaction was "
				"aborted by an earlier error and rolled back");
	} else {
		pg->changes = cmd_tuples(res);
	}
	PQclear(res);
	return rc;
}

static int pg_lock(struct dd_store *store, int64_t key, struct dd_err *err)
{
	struct dd_param p = DD_P_INT(key);
	return pg_query(store, "SELECT pg_advisory_xact_lock($1)", &p, 1, NULL,
			err);
}

/* LISTEN on channel unless this session does already. 0 or -1. */
static int pg_listen(struct pg_store *pg, const char *channel,
		     struct dd_err *err)
{
	for (int i = 0; i < pg->listen_count; i++)
		if (strcmp(pg->listening[i], channel) == 0)
			return 0;
	if (pg->listen_count == PG_LISTEN_MAX ||
	    strlen(channel) >= sizeof(pg->listening[0]))
		return dd_err_set(err, 500, DD_PROBLEM_STORE,
				  "cannot listen on '%s'", channel);
	char sql[96];
	snprintf(sql, sizeof(sql), "LISTEN %s", channel);
	if (pg_exec_script(&pg->base, sql, err) < 0)
		return -1;
	snprintf(pg->listening[pg->listen_count++], sizeof(pg->listening[0]),
		 "%s", channel);
	return 0;
}

/* Take the notifications libpq has read: 1 when there were any. */
static int pg_drain_notifies(struct pg_store *pg)
{
	int notified = 0;
	PGnotify *n;
	while ((n = PQnotifies(pg->conn)) != NULL) {
		notified = 1;
		PQfreemem(n);
	}
	return notified;
}

static int pg_wait_notify(struct dd_store *store, const char *channel,
			  int extra_fd, int timeout_ms, struct dd_err *err)
{
	struct pg_store *pg = (struct pg_store *)store;
	if (pg_listen(pg, channel, err) < 0)
		return -1;
	/* Notifications may have arrived with an earlier result. */
	if (PQconsumeInput(pg->conn) == 0)
		goto lost;
	if (pg_drain_notifies(pg))
		return 1;
	struct pollfd fds[2] = {{PQsocket(pg->conn), POLLIN, 0},
				{extra_fd, POLLIN, 0}};
	if (fds[0].fd < 0)
		goto lost;
	int rc = poll(fds, extra_fd >= 0 ? 2 : 1, timeout_ms);
	if (rc < 0 && errno != EINTR)
		goto lost;
	if (rc <= 0)
		return 0;
	int rung = extra_fd >= 0 && (fds[1].revents & POLLIN);
	if (fds[0].revents) {
		if (PQconsumeInput(pg->conn) == 0)
			goto lost;
		if (pg_drain_notifies(pg))
			return 1;
	}
	return rung;
lost:
	pg->listen_count = 0;
	return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
			  "lost the database connection: %s",
			  PQerrorMessage(pg->conn));
}

static void rows_drop_blobs(struct pg_rows *rows)
{
	if (!rows->blobs)
		return;
	for (int i = 0; i < rows->ncols; i++) {
		if (rows->blobs[i].bytes) {
			PQfreemem(rows->blobs[i].bytes);
			rows->blobs[i].bytes = NULL;
			rows->blobs[i].len = 0;
		}
	}
}

static int pg_next(struct dd_rows *r, struct dd_err *err)
{
	struct pg_rows *rows = pg_rows_of(r);
	rows_drop_blobs(rows);
	if (rows->row < rows->nrows)
		rows->row++;
	return rows->row < rows->nrows ? 1 : 0;
}

static int pg_columns(const struct dd_rows *r)
{
	return pg_rows_const(r)->ncols;
}

/* Nonzero when col of the current row can be read. */
static int cell_ok(const struct pg_rows *rows, int col)
{
	return rows->row >= 0 && rows->row < rows->nrows && col >= 0 &&
	       col < rows->ncols;
}

static int pg_is_null(struct dd_rows *r, int col)
{
	struct pg_rows *rows = pg_rows_of(r);
	if (!cell_ok(rows, col))
		return 1;
	return PQgetisnull(rows->res, rows->row, col);
}

static int64_t pg_get_int(struct dd_rows *r, int col)
{
	struct pg_rows *rows = pg_rows_of(r);
	const char *v;
	if (pg_is_null(r, col))
		return 0;
	v = PQgetvalue(rows->res, rows->row, col);
	/* Booleans come back as "t" and "f" in text format. */
	if (!strcmp(v, "t"))
		return 1;
	if (!strcmp(v, "f"))
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_get_text(struct dd_rows *r, int col)
{
	struct pg_rows *rows = pg_rows_of(r);
	if (pg_is_null(r, col))
		return NULL;
	return PQgetvalue(rows->res, rows->row, col);
}

static const void *pg_get_blob(struct dd_rows *r, int col, size_t *len)
{
	struct pg_rows *rows = pg_rows_of(r);
	unsigned char *bytes;
	size_t n = 0;

	*len = 0;
	if (pg_is_null(r, col))
		return NULL;
	/* Anything but bytea is its text form already. */
	if (PQftype(rows->res, col) != PG_BYTEA_OID) {
		*len = (size_t)PQgetlength(rows->res, rows->row, col);
		return PQgetvalue(rows->res, rows->row, col);
	}
	if (!rows->blobs) {
		rows->blobs = calloc((size_t)rows->ncols, sizeof(*rows->blobs));
		if (!rows->blobs)
			return NULL;
	}
	if (!rows->blobs[col].bytes) {
		const char *text = PQgetvalue(rows->res, rows->row, col);
		bytes = PQunescapeBytea((const unsigned char *)text, &n);
		if (!bytes)
			return NULL;
		rows->blobs[col].bytes = bytes;
		rows->blobs[col].len = n;
	}
	*len = rows->blobs[col].len;
	return rows->blobs[col].bytes;
}

static void pg_rows_free(struct dd_rows *r)
{
	struct pg_rows *rows = pg_rows_of(r);
	rows_drop_blobs(rows);
	free(rows->blobs);
	PQclear(rows->res);
	free(rows);
}

const struct dd_store_engine dd_store_pg_engine = {
	.name = "postgresql",
	.kind = DD_STORE_PG,
	.id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.blob_type = "BYTEA",
	.open = pg_open,
	.close = pg_close,
	.query = pg_query,
	.changes = pg_changes,
	.exec_script = pg_exec_script,
	.begin_sql = "BEGIN",
	.lock = pg_lock,
	.wait_notify = pg_wait_notify,
	.next = pg_next,
	.columns = pg_columns,
	.is_null = pg_is_null,
	.get_int = pg_get_int,
	.get_text = pg_get_text,
	.get_blob = pg_get_blob,
	.rows_free = pg_rows_free,
};
