#include "mail/message.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/limits.h"
#include "mail/clean.h"
#include "store/store.h"

#define MESSAGE_COLUMNS                                                        \
	"SELECT id, source, status, size, sha256, message_id, subject,"        \
	" from_addr, from_name, flags, error, attempts, ticket_id,"            \
	" article_id, received_at, processed_at FROM mail_messages "

static const char *const sources[] = {"mta", "imap", "api", NULL};

int dd_mail_source_valid(const char *source)
{
	for (int i = 0; sources[i]; i++)
		if (source && strcmp(source, sources[i]) == 0)
			return 1;
	return 0;
}

/* The end of the header block: the offset just after the first empty
 * line, len when there is none. */
static size_t header_end(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		if (i + 1 < len && s[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n')
			return i + 3;
	}
	return len;
}

int dd_mail_raw_message_id(const void *raw, size_t len, char *out, size_t cap)
{
	const char *s = raw;
	size_t end = header_end(s, len);
	for (size_t i = 0; i + 11 < end; i++) {
		if ((i > 0 && s[i - 1] != '\n') ||
		    strncasecmp(s + i, "message-id", 10) != 0)
			continue;
		size_t j = i + 10;
		while (j < end && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= end || s[j] != ':')
			continue;
		j++;
		while (j < end && (s[j] == ' ' || s[j] == '\t' ||
				   s[j] == '\r' || s[j] == '\n'))
			j++;
		if (j >= end || s[j] != '<')
			return 0;
		size_t k = j + 1;
		while (k < end && s[k] != '>' && s[k] != '\n')
			k++;
		if (k >= end || s[k] != '>' || k == j + 1 || k - j - 1 >= cap)
			return 0;
		memcpy(out, s + j + 1, k - j - 1);
		out[k - j - 1] = '\0';
		return 1;
	}
	return 0;
}

static void hex(const unsigned char *h, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * n] = '\0';
}

void dd_mail_sha256(const void *raw, size_t len, char out[DD_MAIL_HASH_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, raw, len);
	hex(h, sizeof(h), out);
}

void dd_mail_dedupe_key(const void *raw, size_t len, const char *message_id,
			char key[DD_MAIL_HASH_LEN])
{
	if (!message_id || !*message_id) {
		dd_mail_sha256(raw, len, key);
		return;
	}
	const char *s = raw;
	size_t body = header_end(s, len);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"mid:", 4);
	crypto_hash_sha256_update(&st, (const unsigned char *)message_id,
				  strlen(message_id) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)s + body,
				  len - body);
	crypto_hash_sha256_final(&st, h);
	hex(h, sizeof(h), key);
}

int dd_mail_message_store(struct dd_ctx *ctx, const struct dd_actor *actor,
			  const char *source, const void *raw, size_t len,
			  int64_t *id, int *duplicate, struct dd_err *err)
{
	char mid_raw[DD_LIMIT_MESSAGE_ID + 1], key[DD_MAIL_HASH_LEN],
		sha[DD_MAIL_HASH_LEN];
	const char *mid = NULL;
	int64_t now = dd_ctx_now(ctx);
	*duplicate = 0;
	*id = 0;
	if (!dd_mail_source_valid(source))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "unknown mail source '%.20s'", source);
	if (dd_mail_raw_message_id(raw, len, mid_raw, sizeof(mid_raw)))
		mid = dd_mail_clean_line(ctx->arena, mid_raw,
					 DD_LIMIT_MESSAGE_ID);
	if (mid && !*mid)
		mid = NULL;
	dd_mail_dedupe_key(raw, len, mid, key);
	dd_mail_sha256(raw, len, sha);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	/* The bytes go to mail_raw (migration 9); the row keeps an empty
	 * raw column. */
	struct dd_param p[] = {
		DD_P_TEXT(source), DD_P_BLOB("", 0), DD_P_INT((int64_t)len),
		DD_P_TEXT(sha),	   DD_P_TEXT(key),   DD_P_TEXT(mid),
		DD_P_INT(now),
	};
	int rc = dd_store_query_int(
		ctx->store,
		"INSERT INTO mail_messages (source, status, raw, size, sha256, "
		"dedupe_key, message_id, received_at) VALUES ($1, 'stored', "
		"$2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING "
		"RETURNING id",
		p, 7, id, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		/* Delivered before: the row that has it. */
		if (dd_store_query_int(ctx->store,
				       "SELECT id FROM mail_messages WHERE "
				       "dedupe_key = $1",
				       (struct dd_param[]){DD_P_TEXT(key)}, 1,
				       id, err) <= 0) {
			if (!dd_err_is_set(err))
				dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
					   "the message was stored and is "
					   "gone: try again");
			goto fail;
		}
		*duplicate = 1;
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (dd_store_exec(
		    ctx->store,
		    "INSERT INTO mail_raw (mail_id, raw) VALUES ($1, $2)",
		    (struct dd_param[]){DD_P_INT(*id), DD_P_BLOB(raw, len)}, 2,
		    err) < 0)
		goto fail;
	char after[600];
	snprintf(after, sizeof(after),
		 "{\"id\":%lld,\"source\":\"%s\",\"size\":%zu,"
		 "\"sha256\":\"%s\"}",
		 (long long)*id, source, len, sha);
	if (dd_event_append(ctx->store, now, actor, "mail.store",
			    "mail_message", *id, NULL, after, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

static const char *dup_or_null(struct dd_arena *arena, const char *s)
{
	return s ? dd_arena_strdup(arena, s) : NULL;
}

static void read_row(struct dd_arena *arena, struct dd_rows *rows,
		     struct dd_mail_message *m)
{
	memset(m, 0, sizeof(*m));
	m->id = dd_rows_int(rows, 0);
	m->source = dd_rows_text(rows, 1);
	m->status = dd_rows_text(rows, 2);
	m->size = dd_rows_int(rows, 3);
	m->sha256 = dd_rows_text(rows, 4);
	m->message_id = dd_rows_text(rows, 5);
	m->subject = dd_rows_text(rows, 6);
	m->from_addr = dd_rows_text(rows, 7);
	m->from_name = dd_rows_text(rows, 8);
	m->flags = dd_rows_text(rows, 9);
	m->error = dd_rows_text(rows, 10);
	m->attempts = (int)dd_rows_int(rows, 11);
	m->ticket_id = dd_rows_int(rows, 12);
	m->article_id = dd_rows_int(rows, 13);
	m->received_at = dd_rows_int(rows, 14);
	m->processed_at = dd_rows_int(rows, 15);
	if (arena) {
		m->source = dup_or_null(arena, m->source);
		m->status = dup_or_null(arena, m->status);
		m->sha256 = dup_or_null(arena, m->sha256);
		m->message_id = dup_or_null(arena, m->message_id);
		m->subject = dup_or_null(arena, m->subject);
		m->from_addr = dup_or_null(arena, m->from_addr);
		m->from_name = dup_or_null(arena, m->from_name);
		m->flags = dup_or_null(arena, m->flags);
		m->error = dup_or_null(arena, m->error);
	}
}

int dd_mail_message_get(struct dd_ctx *ctx, int64_t id,
			struct dd_mail_message *out, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, MESSAGE_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx->arena, rows, out);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no mail message with id %lld",
				  (long long)id);
	if (!out->status)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory reading mail message %lld",
				  (long long)id);
	return 0;
}

int dd_mail_message_raw(struct dd_ctx *ctx, int64_t id, struct dd_buf *out,
			struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    "SELECT r.raw FROM mail_messages m LEFT JOIN mail_raw r ON "
		    "r.mail_id = m.id WHERE m.id = $1",
		    (struct dd_param[]){DD_P_INT(id)}, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		size_t len = 0;
		const void *bytes = dd_rows_blob(rows, 0, &len);
		if (len > 0 && (!bytes || dd_buf_append(out, bytes, len) < 0))
			rc = dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					"mail message %lld could not be read "
					"(%zu bytes)",
					(long long)id, len);
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no mail message with id %lld",
				  (long long)id);
	return 0;
}

int dd_mail_message_list(struct dd_ctx *ctx,
			 const struct dd_mail_message_filter *f,
			 int (*fn)(const struct dd_mail_message *m, void *arg),
			 void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {
		DD_P_TEXT(f->status),
		f->ticket_id ? DD_P_INT(f->ticket_id) : DD_P_NULL,
		DD_P_INT(f->before_id > 0 ? f->before_id : INT64_MAX),
		DD_P_INT(f->limit),
	};
	if (dd_store_query(
		    ctx->store,
		    MESSAGE_COLUMNS
		    "WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) AND "
		    "(CAST($2 AS BIGINT) IS NULL OR ticket_id = $2) AND "
		    "id < $3 ORDER BY id DESC "
		    "LIMIT $4",
		    p, 4, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_mail_message m;
		read_row(NULL, rows, &m);
		if (fn(&m, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

void dd_mail_flags_to_json(struct dd_json_out *j, const char *key,
			   const char *flags)
{
	dd_json_key(j, key);
	dd_json_arr_begin(j);
	for (const char *p = flags ? flags : ""; *p;) {
		size_t n = strcspn(p, ",");
		if (n)
			dd_json_strn(j, p, n);
		p += n;
		if (*p == ',')
			p++;
	}
	dd_json_arr_end(j);
}

void dd_mail_message_to_json(const struct dd_mail_message *m,
			     struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", m->id);
	dd_json_kstr(j, "source", m->source);
	dd_json_kstr(j, "status", m->status);
	dd_json_kint(j, "size", m->size);
	dd_json_kstr(j, "sha256", m->sha256);
	dd_json_kstr(j, "message_id", m->message_id);
	dd_json_kstr(j, "subject", m->subject);
	dd_json_kstr(j, "from", m->from_addr);
	dd_json_kstr(j, "from_name", m->from_name);
	dd_mail_flags_to_json(j, "flags", m->flags);
	dd_json_kstr(j, "error", m->error);
	dd_json_kint(j, "attempts", m->attempts);
	dd_json_kid(j, "ticket_id", m->ticket_id);
	dd_json_kid(j, "article_id", m->article_id);
	dd_json_ktime(j, "received_at", m->received_at);
	dd_json_ktime_or_null(j, "processed_at", m->processed_at);
	dd_json_obj_end(j);
}
