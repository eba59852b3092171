#include "mail/append.h"

#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "mail/clean.h"
#include "mail/lookup.h"
#include "store/store.h"
#include "ticket/article.h"
#include "ticket/attachment.h"
#include "ticket/filename.h"

/* Room kept in an article for the notes about what was left out. */
#define NOTE_ROOM 1024

const char *dd_mail_article_text(struct dd_arena *arena,
				 const struct dd_mail_parsed *m,
				 int64_t mail_id, const char *prefix)
{
	const char *text = m->text && *m->text ? m->text : NULL;
	size_t len = text ? strlen(text) : 0;
	size_t plen = prefix ? strlen(prefix) : 0;
	size_t room = DD_LIMIT_ARTICLE_BODY - NOTE_ROOM - plen;
	size_t keep = dd_mail_utf8_cut(text ? text : "", len, room);
	char note[NOTE_ROOM];
	note[0] = '\0';
	if (!text)
		snprintf(note, sizeof(note), "(The mail has no text%s.)",
			 m->part_count ? ", only attachments" : "");
	else if (keep < len)
		snprintf(note, sizeof(note),
			 "\n\n[The text was cut at %zu KiB: the whole mail is "
			 "kept as mail message %lld.]",
			 keep / 1024, (long long)mail_id);
	if (m->parts_dropped)
		snprintf(note + strlen(note), sizeof(note) - strlen(note),
			 "%s[%d part%s of the mail %s kept only in the raw "
			 "mail message %lld.]",
			 text ? "\n\n" : " ", m->parts_dropped,
			 m->parts_dropped == 1 ? "" : "s",
			 m->parts_dropped == 1 ? "is" : "are",
			 (long long)mail_id);
	return dd_arena_printf(arena, "%s%.*s%s", prefix ? prefix : "",
			       (int)keep, text ? text : "", note);
}

int dd_mail_message_outcome(struct dd_ctx *ctx, int64_t mail_id,
			    const char *status, int64_t ticket_id,
			    int64_t article_id, const struct dd_mail_parsed *m,
			    const char *flags, const char *error,
			    struct dd_err *err)
{
	struct dd_param p[] = {
		DD_P_INT(mail_id),
		DD_P_TEXT(status),
		ticket_id ? DD_P_INT(ticket_id) : DD_P_NULL,
		article_id ? DD_P_INT(article_id) : DD_P_NULL,
		DD_P_TEXT(m ? m->subject : NULL),
		DD_P_TEXT(m ? m->from.addr : NULL),
		DD_P_TEXT(m ? m->from.name : NULL),
		DD_P_TEXT(flags ? flags : ""),
		DD_P_TEXT(error),
		DD_P_INT(dd_ctx_now(ctx)),
	};
	return dd_store_exec(ctx->store,
			     "UPDATE mail_messages SET status = $2, ticket_id "
			     "= $3, article_id = $4, subject = COALESCE($5, "
			     "subject), from_addr = COALESCE($6, from_addr), "
			     "from_name = COALESCE($7, from_name), flags = $8, "
			     "error = $9, processed_at = $10 WHERE id = $1",
			     p, 10, err) < 0
		       ? -1
		       : 0;
}

/* One attachment; a file the ticket cannot take (too big, a bad name,
 * the ticket full) is counted in *skipped, not an error. */
static int attach(struct dd_ctx *ctx, const struct dd_actor *actor,
		  int64_t ticket_id, int64_t article_id,
		  const struct dd_mail_part *p, int *skipped,
		  struct dd_err *err)
{
	struct dd_err e;
	char name[DD_LIMIT_FILENAME + 1];
	dd_err_clear(&e);
	snprintf(name, sizeof(name), "%s", p->filename);
	if (dd_filename_check(name, &e) < 0)
		snprintf(name, sizeof(name), "attachment");
	char *type = dd_arena_strdup(ctx->arena, p->content_type);
	if (!type || dd_media_type_check(type, &e) < 0)
		type = dd_arena_strdup(ctx->arena, "application/octet-stream");
	dd_err_clear(&e);
	if (dd_attachment_create(ctx, actor, ticket_id, article_id, name, type,
				 p->data, p->len, NULL, &e) == 0)
		return 0;
	if (e.status >= 500) {
		*err = e;
		return -1;
	}
	(*skipped)++;
	return 0;
}

int dd_mail_append(struct dd_ctx *ctx, const struct dd_actor *actor,
		   int64_t ticket_id, int64_t mail_id,
		   const struct dd_mail_parsed *m, const char *prefix,
		   int internal, int64_t *article_id, struct dd_err *err)
{
	int64_t contact = 0, org = 0;
	struct dd_article a;
	if (dd_mail_find_contact(ctx, m->from.addr, &contact, &org, err) < 0)
		return -1;
	const char *body = dd_mail_article_text(ctx->arena, m, mail_id, prefix);
	if (!body)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory for the article");
	struct dd_article_input in = {
		.kind = "inbound_mail",
		.body = body,
		.visibility = internal ? "internal" : "customer",
		.author_contact_id = contact,
	};
	if (dd_article_create(ctx, actor, ticket_id, &in, &a, err) < 0)
		return -1;
	*article_id = a.id;
	/* Attachments of mail are not bounded by the HTTP body limit (the
	 * message's own size limit applied): up to the attachment limit
	 * per file. */
	struct dd_config cfg = *ctx->config;
	if (cfg.max_body < DD_LIMIT_ATTACHMENT_BYTES)
		cfg.max_body = DD_LIMIT_ATTACHMENT_BYTES;
	struct dd_ctx actx = *ctx;
	actx.config = &cfg;
	int skipped = 0;
	for (int i = 0; i < m->part_count; i++)
		if (attach(&actx, actor, ticket_id, a.id, &m->parts[i],
			   &skipped, err) < 0)
			return -1;
	if (skipped) {
		/* Say so on the ticket: an internal note by nobody is not
		 * possible, so an internal inbound line. */
		char note[200];
		snprintf(note, sizeof(note),
			 "%d attachment%s of mail message %lld could not be "
			 "attached (too large, or the ticket holds the most "
			 "files): %s in the raw message.",
			 skipped, skipped == 1 ? "" : "s", (long long)mail_id,
			 skipped == 1 ? "it is" : "they are");
		struct dd_article_input n = {.kind = "inbound_mail",
					     .body = note,
					     .visibility = "internal"};
		if (dd_article_create(ctx, actor, ticket_id, &n, NULL, err) < 0)
			return -1;
	}
	return dd_mail_index_message_id(ctx, m->message_id, ticket_id, "in",
					mail_id, err);
}
