#include "ticket/attachment.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "ticket/filename.h"
#include "ticket/ticket.h"
#include "ticket/touch.h"

_Static_assert(DD_LIMIT_ATTACHMENT_BYTES <= DD_LIMIT_RESPONSE_BYTES,
	       "an attachment is sent back in one response");

#define ATTACHMENT_COLUMNS                                                     \
	"SELECT a.id, a.ticket_id, a.article_id, a.hash, a.filename,"          \
	" a.content_type, a.size, a.created_at"

void dd_attachment_hash(const void *data, size_t len,
			char out[DD_ATTACHMENT_HASH_LEN])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, data, len);
	sodium_bin2hex(out, DD_ATTACHMENT_HASH_LEN, digest, sizeof(digest));
}

size_t dd_attachment_max_bytes(const struct dd_ctx *ctx)
{
	size_t body = ctx->config ? ctx->config->max_body : 0;
	return body && body < DD_LIMIT_ATTACHMENT_BYTES
		       ? body
		       : DD_LIMIT_ATTACHMENT_BYTES;
}

void dd_attachment_to_json(const struct dd_attachment *a, struct dd_json_out *j)
{
	char display[DD_FILENAME_DISPLAY_CAP], link[48];
	dd_filename_display(a->filename, display, sizeof(display));
	snprintf(link, sizeof(link), "/api/v1/attachments/%lld",
		 (long long)a->id);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", a->id);
	dd_json_kint(j, "ticket_id", a->ticket_id);
	dd_json_kid(j, "article_id", a->article_id);
	dd_json_kstr(j, "filename", display);
	dd_json_kstr(j, "content_type", a->content_type);
	dd_json_kint(j, "size", a->size);
	dd_json_kstr(j, "sha256", a->hash);
	dd_json_kstr(j, "download", link);
	dd_json_ktime(j, "created_at", a->created_at);
	dd_json_obj_end(j);
}

static char *attachment_snapshot(const struct dd_attachment *a)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 16 * 1024);
	dd_json_out_init(&j, &buf);
	dd_attachment_to_json(a, &j);
	return dd_buf_detach(&buf, NULL);
}

/* Fill a from the current row; strings are the row's unless arena. */
static void read_row(struct dd_arena *arena, struct dd_rows *rows,
		     struct dd_attachment *a)
{
	memset(a, 0, sizeof(*a));
	a->id = dd_rows_int(rows, 0);
	a->ticket_id = dd_rows_int(rows, 1);
	a->article_id = dd_rows_int(rows, 2);
	snprintf(a->hash, sizeof(a->hash), "%s",
		 dd_rows_text(rows, 3) ? dd_rows_text(rows, 3) : "");
	a->filename = dd_rows_text(rows, 4);
	a->content_type = dd_rows_text(rows, 5);
	a->size = dd_rows_int(rows, 6);
	a->created_at = dd_rows_int(rows, 7);
	if (arena) {
		a->filename = dd_arena_strdup(arena, a->filename);
		a->content_type = dd_arena_strdup(arena, a->content_type);
	}
}

/* The checks that need no database. */
static int check_input(struct dd_ctx *ctx, const char *filename,
		       char *content_type, size_t len, struct dd_err *err)
{
	size_t max = dd_attachment_max_bytes(ctx);
	if (dd_filename_check(filename, err) < 0 ||
	    dd_media_type_check(content_type, err) < 0)
		return -1;
	if (len == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "the file is empty: send its bytes as the "
				  "request body");
	if (len > max)
		return dd_err_set(err, 413, DD_PROBLEM_LIMIT,
				  "a file may have at most %zu bytes", max);
	return 0;
}

/* The ticket takes another file: it exists, is not merged, has room,
 * and article_id (when given) is one of its articles. */
static int check_ticket(struct dd_ctx *ctx, int64_t ticket_id,
			int64_t article_id, struct dd_ticket *t,
			struct dd_err *err)
{
	int64_t n = 0;
	if (dd_ticket_lock(ctx, ticket_id, err) < 0 ||
	    dd_ticket_load(ctx, ticket_id, t, err) < 0)
		return -1;
	if (t->merged_into)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "ticket %lld was merged into another "
				  "ticket: attach the file there",
				  (long long)t->number);
	if (article_id) {
		if (dd_store_query_int(ctx->store,
				       "SELECT COUNT(*) FROM articles WHERE "
				       "id = $1 AND ticket_id = $2",
				       (struct dd_param[]){DD_P_INT(article_id),
							   DD_P_INT(ticket_id)},
				       2, &n, err) < 0)
			return -1;
		if (n == 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'article_id' %lld is not an "
					  "article of this ticket",
					  (long long)article_id);
	}
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM attachments WHERE "
			       "ticket_id = $1",
			       (struct dd_param[]){DD_P_INT(ticket_id)}, 1, &n,
			       err) < 0)
		return -1;
	if (n >= DD_LIMIT_ATTACHMENTS_PER_TICKET)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "a ticket holds at most %d files",
				  DD_LIMIT_ATTACHMENTS_PER_TICKET);
	return 0;
}

/* Store the bytes unless a blob with their hash exists. Asking first
 * spares sending a large file to the database twice; ON CONFLICT covers
 * two uploads of the same file at once. */
static int blob_put(struct dd_ctx *ctx, const char *hash, const void *data,
		    size_t len, int64_t now, struct dd_err *err)
{
	int64_t n = 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM blobs WHERE hash = $1",
		    (struct dd_param[]){DD_P_TEXT(hash)}, 1, &n, err) < 0)
		return -1;
	if (n > 0)
		return 0;
	struct dd_param p[] = {DD_P_TEXT(hash), DD_P_INT((int64_t)len),
			       DD_P_BLOB(data, len), DD_P_INT(now)};
	return dd_store_exec(ctx->store,
			     "INSERT INTO blobs (hash, size, data, created_at) "
			     "VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO "
			     "NOTHING",
			     p, 4, err) < 0
		       ? -1
		       : 0;
}

int dd_attachment_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t ticket_id, int64_t article_id,
			 const char *filename, char *content_type,
			 const void *data, size_t len,
			 struct dd_attachment *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	char octet[] = "application/octet-stream";
	char *type = content_type ? content_type : octet;
	struct dd_ticket t;
	struct dd_attachment a = {.ticket_id = ticket_id,
				  .article_id = article_id,
				  .filename = filename,
				  .content_type = type,
				  .size = (int64_t)len,
				  .created_at = now};
	if (check_input(ctx, filename, type, len, err) < 0)
		return -1;
	dd_attachment_hash(data, len, a.hash);
	/* A caller that holds a transaction (mail intake) gets the file
	 * inside it and commits. */
	int own = !dd_store_in_transaction(ctx->store);
	if (own && dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (check_ticket(ctx, ticket_id, article_id, &t, err) < 0 ||
	    blob_put(ctx, a.hash, data, len, now, err) < 0)
		goto fail;
	struct dd_param p[] = {
		DD_P_INT(ticket_id),
		article_id ? DD_P_INT(article_id) : DD_P_NULL,
		DD_P_TEXT(a.hash),
		DD_P_TEXT(a.filename),
		DD_P_TEXT(a.content_type),
		DD_P_INT(a.size),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO attachments (ticket_id, article_id, "
		    "hash, filename, content_type, size, created_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		    p, 7, &a.id, err) < 0)
		goto fail;
	/* The name is searchable: "the ticket with the invoice PDF". */
	char source[40];
	snprintf(source, sizeof(source), "attachment:%lld", (long long)a.id);
	if (dd_ticket_index(ctx, ticket_id, source, a.filename, err) < 0 ||
	    dd_ticket_touch(ctx, ticket_id, now, err) < 0)
		goto fail;
	char *snap = attachment_snapshot(&a);
	int rc = dd_event_append(ctx->store, now, actor, "ticket.attachment",
				 "ticket", ticket_id, NULL, snap, err);
	free(snap);
	if (rc < 0 || (own && dd_store_commit(ctx->store, err) < 0))
		goto fail;
	if (out) {
		*out = a;
		out->filename = dd_arena_strdup(ctx->arena, a.filename);
		out->content_type = dd_arena_strdup(ctx->arena, a.content_type);
	}
	return 0;
fail:
	if (own)
		dd_store_rollback(ctx->store);
	return -1;
}

int dd_attachment_get(struct dd_ctx *ctx, int64_t id, struct dd_attachment *out,
		      struct dd_buf *data, struct dd_err *err)
{
	struct dd_rows *rows;
	const char *sql =
		data ? ATTACHMENT_COLUMNS ", b.data FROM attachments a "
					  "JOIN blobs b ON b.hash = a.hash "
					  "WHERE a.id = $1"
		     : ATTACHMENT_COLUMNS " FROM attachments a WHERE a.id = $1";
	if (dd_store_query(ctx->store, sql, (struct dd_param[]){DD_P_INT(id)},
			   1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		read_row(ctx->arena, rows, out);
		if (data) {
			size_t len = 0;
			const void *bytes = dd_rows_blob(rows, 8, &len);
			if (!bytes || dd_buf_append(data, bytes, len) < 0) {
				dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					   "attachment %lld could not be read "
					   "(%zu bytes)",
					   (long long)id, len);
				rc = -1;
			}
		}
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no attachment with id %lld", (long long)id);
	return 0;
}

int dd_attachment_list(struct dd_ctx *ctx, int64_t ticket_id, int64_t after_id,
		       int limit,
		       int (*fn)(const struct dd_attachment *a, void *arg),
		       void *arg, struct dd_err *err)
{
	int64_t n = 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM tickets WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(ticket_id)}, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no ticket with id %lld",
				  (long long)ticket_id);
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   ATTACHMENT_COLUMNS " FROM attachments a WHERE "
					      "a.ticket_id = $1 AND a.id > $2 "
					      "ORDER BY a.id LIMIT $3",
			   (struct dd_param[]){DD_P_INT(ticket_id),
					       DD_P_INT(after_id),
					       DD_P_INT(limit)},
			   3, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_attachment a;
		read_row(NULL, rows, &a);
		if (fn(&a, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}
