#include "ticket/search_index.h"

#include <string.h>

#include "store/store.h"

/*
 * Appending one document. The running total and the decision whether
 * the document still fits are computed in the statement, on the row it
 * locks, so that two writers on one ticket cannot both squeeze in. $1
 * the ticket, $2 the separator and the folded text, $3 its bytes, $4
 * DD_SEARCH_TEXT_MAX. A ticket without a row gets one (with an empty
 * subject) rather than losing the document.
 */
static const char sqlite_append[] =
	"INSERT INTO ticket_search (ticket_id, text_bytes, subject, body)"
	" VALUES ($1, $3, '', CASE WHEN $3 <= $4 THEN $2 ELSE '' END)"
	" ON CONFLICT (ticket_id) DO UPDATE SET"
	" body = CASE WHEN ticket_search.text_bytes + $3 <= $4"
	" THEN ticket_search.body || $2 ELSE ticket_search.body END,"
	" text_bytes = ticket_search.text_bytes + $3";
/* PostgreSQL concatenates tsvectors: the positions of the right one are
 * moved past the left one's last, so the separator keeps its gap. */
static const char pg_append[] =
	"INSERT INTO ticket_search (ticket_id, text_bytes, tsv)"
	" VALUES ($1, CAST($3 AS BIGINT), CASE WHEN CAST($3 AS BIGINT) <="
	" CAST($4 AS BIGINT) THEN to_tsvector('simple', CAST($2 AS TEXT))"
	" ELSE CAST('' AS tsvector) END)"
	" ON CONFLICT (ticket_id) DO UPDATE SET"
	" tsv = CASE WHEN ticket_search.text_bytes + CAST($3 AS BIGINT) <="
	" CAST($4 AS BIGINT) THEN ticket_search.tsv || to_tsvector('simple',"
	" CAST($2 AS TEXT)) ELSE ticket_search.tsv END,"
	" text_bytes = ticket_search.text_bytes + CAST($3 AS BIGINT)";

/* The whole document: $1 the ticket, $2 the running total, $3 the
 * subject, $4 the body. */
static const char sqlite_write[] =
	"INSERT INTO ticket_search (ticket_id, text_bytes, subject, body)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id) DO UPDATE SET"
	" text_bytes = excluded.text_bytes, subject = excluded.subject,"
	" body = excluded.body";
static const char pg_write[] =
	"INSERT INTO ticket_search (ticket_id, text_bytes, tsv)"
	" VALUES ($1, $2, setweight(to_tsvector('simple', CAST($3 AS TEXT)),"
	" 'A') || to_tsvector('simple', CAST($4 AS TEXT)))"
	" ON CONFLICT (ticket_id) DO UPDATE SET"
	" text_bytes = excluded.text_bytes, tsv = excluded.tsv";

int dd_search_body_add(struct dd_buf *body, int64_t *text_bytes,
		       const char *folded)
{
	size_t len = strlen(folded);
	*text_bytes += (int64_t)(len + DD_SEARCH_DOC_SEPARATOR_LEN);
	if (*text_bytes > DD_SEARCH_TEXT_MAX)
		return 0;
	dd_buf_puts(body, DD_SEARCH_DOC_SEPARATOR);
	dd_buf_append(body, folded, len);
	return 1;
}

int dd_search_index_append(struct dd_ctx *ctx, int64_t ticket_id,
			   const char *folded, struct dd_err *err)
{
	size_t len = strlen(folded);
	struct dd_buf doc;
	/* A folded document is at most 256 KiB (dd_ticket_index cuts it). */
	dd_buf_init(&doc, len + DD_SEARCH_DOC_SEPARATOR_LEN);
	dd_buf_puts(&doc, DD_SEARCH_DOC_SEPARATOR);
	dd_buf_append(&doc, folded, len);
	struct dd_param p[] = {
		DD_P_INT(ticket_id),
		DD_P_TEXT(dd_buf_str(&doc)),
		DD_P_INT(len + DD_SEARCH_DOC_SEPARATOR_LEN),
		DD_P_INT(DD_SEARCH_TEXT_MAX),
	};
	int64_t rc = doc.overflow
			     ? dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "out of memory indexing a document")
			     : dd_store_exec(ctx->store,
					     dd_store_kind(ctx->store) ==
							     DD_STORE_SQLITE
						     ? sqlite_append
						     : pg_append,
					     p, 4, err);
	dd_buf_release(&doc);
	return rc < 0 ? -1 : 0;
}

int dd_search_index_rebuild(struct dd_ctx *ctx, int64_t ticket_id,
			    struct dd_err *err)
{
	struct dd_buf subject, body;
	struct dd_rows *rows;
	int64_t text_bytes = 0;
	int docs = 0, rc;
	if (dd_store_query(ctx->store,
			   "SELECT source, text FROM search_docs WHERE "
			   "ticket_id = $1 ORDER BY id",
			   (struct dd_param[]){DD_P_INT(ticket_id)}, 1, &rows,
			   err) < 0)
		return -1;
	/* A folded subject is far shorter than a body; the same bound
	 * keeps one rule for both. */
	dd_buf_init(&subject, DD_SEARCH_TEXT_MAX);
	dd_buf_init(&body, DD_SEARCH_TEXT_MAX);
	while ((rc = dd_rows_next(rows, err)) > 0) {
		const char *source = dd_rows_text(rows, 0);
		const char *text = dd_rows_text(rows, 1);
		docs++;
		if (source && strcmp(source, "subject") == 0) {
			dd_buf_reset(&subject);
			dd_buf_puts(&subject, text ? text : "");
		} else {
			dd_search_body_add(&body, &text_bytes,
					   text ? text : "");
		}
	}
	dd_rows_free(rows);
	if (rc == 0 && (subject.overflow || body.overflow))
		rc = dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				"the search document of ticket %lld is too "
				"large",
				(long long)ticket_id);
	if (rc == 0 && docs == 0)
		rc = dd_store_exec(ctx->store,
				   "DELETE FROM ticket_search WHERE ticket_id "
				   "= $1",
				   (struct dd_param[]){DD_P_INT(ticket_id)}, 1,
				   err) < 0
			     ? -1
			     : 0;
	else if (rc == 0)
		rc = dd_store_exec(ctx->store,
				   dd_store_kind(ctx->store) == DD_STORE_SQLITE
					   ? sqlite_write
					   : pg_write,
				   (struct dd_param[]){
					   DD_P_INT(ticket_id),
					   DD_P_INT(text_bytes),
					   DD_P_TEXT(dd_buf_str(&subject)),
					   DD_P_TEXT(dd_buf_str(&body))},
				   4, err) < 0
			     ? -1
			     : 0;
	dd_buf_release(&subject);
	dd_buf_release(&body);
	return rc < 0 ? -1 : 0;
}
