/*
 * attachment.h - files on tickets, stored once by content.
 *
 * The bytes of a file live in blobs, keyed by the hex SHA-256 of the
 * content: the same file attached to ten tickets is stored once. An
 * attachment row names the ticket (and optionally the article it came
 * with), the blob, the name and Content-Type as uploaded, and the size.
 * Names are data only (see filename.h); nothing here touches the file
 * system.
 *
 * Limits (base/limits.h): a file is 1 byte to the smaller of
 * DD_LIMIT_ATTACHMENT_BYTES and the server's body limit, a ticket holds
 * at most DD_LIMIT_ATTACHMENTS_PER_TICKET files, a name at most
 * DD_LIMIT_FILENAME bytes. Blobs are never deleted: attachments are not
 * either.
 *
 * Strings in a struct dd_attachment come from the context's arena.
 */
#ifndef DD_TICKET_ATTACHMENT_H
#define DD_TICKET_ATTACHMENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* Hex SHA-256 and its NUL. */
#define DD_ATTACHMENT_HASH_LEN 65

struct dd_attachment {
	int64_t id;
	int64_t ticket_id;
	int64_t article_id; /* 0: not attached to an article */
	char hash[DD_ATTACHMENT_HASH_LEN];
	const char *filename;	  /* as uploaded; show dd_filename_display */
	const char *content_type; /* as uploaded; send dd_media_type_served */
	int64_t size;
	int64_t created_at;
};

/* The hex SHA-256 of len bytes at data. */
void dd_attachment_hash(const void *data, size_t len,
			char out[DD_ATTACHMENT_HASH_LEN]);

/* The largest file this server takes: DD_LIMIT_ATTACHMENT_BYTES, or the
 * body limit when that is smaller. */
size_t dd_attachment_max_bytes(const struct dd_ctx *ctx);

/*
 * Attach len bytes at data to ticket_id, in one transaction with its
 * search entry (the name), the ticket's new version and the event
 * "ticket.attachment". article_id (0 for none) must be an article of the
 * ticket. content_type NULL is application/octet-stream; it is checked
 * and lowered in place. out (may be NULL) receives the attachment.
 * Returns 0, or -1 with err filled: 404 no such ticket, 409 a merged
 * ticket, 413 a file over the limit, 400 an empty file, a bad name,
 * Content-Type or article, or a ticket with the most files already.
 * When the caller already holds a transaction the file joins it, and the
 * caller commits or rolls back.
 */
int dd_attachment_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t ticket_id, int64_t article_id,
			 const char *filename, char *content_type,
			 const void *data, size_t len,
			 struct dd_attachment *out, struct dd_err *err);

/* The attachment id; with data not NULL its bytes are appended to data.
 * 404 when there is no such attachment. */
int dd_attachment_get(struct dd_ctx *ctx, int64_t id, struct dd_attachment *out,
		      struct dd_buf *data, struct dd_err *err);

/* Call fn for up to limit attachments of ticket_id, oldest first, with
 * ids greater than after_id. The attachment is valid only during the
 * call; fn returns 0 to go on. 404 when there is no such ticket. */
int dd_attachment_list(struct dd_ctx *ctx, int64_t ticket_id, int64_t after_id,
		       int limit,
		       int (*fn)(const struct dd_attachment *a, void *arg),
		       void *arg, struct dd_err *err);

/* The attachment as JSON: its display name, not the name as uploaded. */
void dd_attachment_to_json(const struct dd_attachment *a,
			   struct dd_json_out *j);

#endif
