#include "ticket/article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "base/text.h"
#include "base/utf8.h"
#include "store/store.h"
#include "ticket/sla.h"
#include "ticket/ticket.h"
#include "ticket/touch.h"

#define ARTICLE_COLUMNS                                                        \
	"SELECT id, ticket_id, kind, visibility, author_id,"                   \
	" author_contact_id, body, minutes, created_at FROM articles "

static const char *const kinds[] = {"inbound_mail", "outbound_reply",
				    "phone_note", "internal_note", "web"};

int dd_article_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

int dd_article_kind_inbound(const char *kind)
{
	return kind &&
	       (strcmp(kind, "inbound_mail") == 0 || strcmp(kind, "web") == 0);
}

int dd_article_check(const struct dd_article_input *in, struct dd_err *err)
{
	if (!in->kind)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'kind' is required");
	if (!dd_article_kind_valid(in->kind))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "unknown kind '%.30s' (inbound_mail, "
				  "outbound_reply, phone_note, internal_note "
				  "or web)",
				  in->kind);
	if (dd_text_check("body", in->body, 1, DD_LIMIT_ARTICLE_BODY,
			  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	if (in->visibility && strcmp(in->visibility, "customer") != 0 &&
	    strcmp(in->visibility, "internal") != 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "unknown visibility '%.30s' (customer or "
				  "internal)",
				  in->visibility);
	/* Refused rather than corrected: a client that asks for a
	 * customer-visible internal note has misunderstood something. */
	if (strcmp(in->kind, "internal_note") == 0 && in->visibility &&
	    strcmp(in->visibility, "internal") != 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "an internal_note is always internal");
	if (strcmp(in->kind, "outbound_reply") == 0 && in->visibility &&
	    strcmp(in->visibility, "customer") != 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "an outbound_reply goes to the customer: "
				  "use an internal_note for internal text");
	if (in->minutes < 0 || in->minutes > DD_ARTICLE_MINUTES_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'minutes' must be 0 to %d",
				  DD_ARTICLE_MINUTES_MAX);
	if (dd_article_kind_inbound(in->kind)) {
		if (in->author_id)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "an %s article is written by a "
					  "contact, not a person",
					  in->kind);
		if (in->minutes)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "minutes are worked by people: an "
					  "%s article has none",
					  in->kind);
	} else {
		if (!in->author_id)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "a %s is written by a person",
					  in->kind);
		if (in->author_contact_id)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "a %s is written by a person, not "
					  "a contact",
					  in->kind);
	}
	return 0;
}

int dd_article_reopens(const struct dd_article *a, const char *status)
{
	return dd_article_kind_inbound(a->kind) && a->visibility &&
	       strcmp(a->visibility, "customer") == 0 && status &&
	       strcmp(status, "resolved") == 0;
}

int dd_article_responds(const struct dd_article *a)
{
	return a->author_id && a->kind &&
	       (strcmp(a->kind, "outbound_reply") == 0 ||
		strcmp(a->kind, "phone_note") == 0);
}

/* The length of the longest prefix of s of at most max bytes that ends
 * on a character boundary (s is valid UTF-8). */
static size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t n = 0;
	while (n < len) {
		size_t c = dd_utf8_char_len(s + n, len - n);
		if (c == 0 || n + c > max)
			break;
		n += c;
	}
	return n;
}

void dd_article_to_json(const struct dd_article *a, int full,
			struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", a->id);
	dd_json_kint(j, "ticket_id", a->ticket_id);
	dd_json_kstr(j, "kind", a->kind);
	dd_json_kstr(j, "visibility", a->visibility);
	dd_json_kid(j, "author_id", a->author_id);
	dd_json_kid(j, "author_contact_id", a->author_contact_id);
	if (full) {
		dd_json_kstr(j, "body", a->body);
	} else {
		size_t len = strlen(a->body);
		dd_json_kint(j, "body_bytes", (int64_t)len);
		dd_json_key(j, "excerpt");
		dd_json_strn(j, a->body,
			     utf8_prefix(a->body, len, DD_ARTICLE_EXCERPT));
	}
	dd_json_kint(j, "minutes", a->minutes);
	dd_json_ktime(j, "created_at", a->created_at);
	dd_json_obj_end(j);
}

static char *article_snapshot(const struct dd_article *a)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 64 * 1024);
	dd_json_out_init(&j, &buf);
	dd_article_to_json(a, 0, &j);
	return dd_buf_detach(&buf, NULL);
}

/* Fill a from the current row; strings are the row's (valid until the
 * next row) unless arena is given. */
static void read_row(struct dd_arena *arena, struct dd_rows *rows,
		     struct dd_article *a)
{
	memset(a, 0, sizeof(*a));
	a->id = dd_rows_int(rows, 0);
	a->ticket_id = dd_rows_int(rows, 1);
	a->kind = dd_rows_text(rows, 2);
	a->visibility = dd_rows_text(rows, 3);
	a->author_id = dd_rows_int(rows, 4);
	a->author_contact_id = dd_rows_int(rows, 5);
	a->body = dd_rows_text(rows, 6);
	a->minutes = (int)dd_rows_int(rows, 7);
	a->created_at = dd_rows_int(rows, 8);
	if (arena) {
		a->kind = dd_arena_strdup(arena, a->kind);
		a->visibility = dd_arena_strdup(arena, a->visibility);
		a->body = dd_arena_strdup(arena, a->body);
	}
}

int dd_article_get(struct dd_ctx *ctx, int64_t id, struct dd_article *out,
		   struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, ARTICLE_COLUMNS "WHERE id = $1",
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
				  "no article with id %lld", (long long)id);
	if (!out->body)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory reading article %lld",
				  (long long)id);
	return 0;
}

int dd_article_list(struct dd_ctx *ctx, int64_t ticket_id, int64_t after_id,
		    int limit, int (*fn)(const struct dd_article *a, void *arg),
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
			   ARTICLE_COLUMNS "WHERE ticket_id = $1 AND id > $2 "
					   "ORDER BY id LIMIT $3",
			   (struct dd_param[]){DD_P_INT(ticket_id),
					       DD_P_INT(after_id),
					       DD_P_INT(limit)},
			   3, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_article a;
		read_row(NULL, rows, &a);
		if (fn(&a, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The contact an inbound article is from: the one named, which must
 * exist, or the ticket's (0 when it has none). */
static int inbound_contact(struct dd_ctx *ctx, const struct dd_ticket *t,
			   int64_t named, int64_t *contact, struct dd_err *err)
{
	int64_t n = 0;
	*contact = named ? named : t->contact_id;
	if (!named)
		return 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM contacts WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(named)}, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'contact_id' names nothing (id %lld)",
				  (long long)named);
	return 0;
}

static struct dd_param id_or_null(int64_t id)
{
	return id ? DD_P_INT(id) : DD_P_NULL;
}

/* Append ticket.update with the ticket's before and after. */
static int ticket_event(struct dd_ctx *ctx, const struct dd_actor *actor,
			int64_t now, const struct dd_ticket *before,
			const struct dd_ticket *after, struct dd_err *err)
{
	char *b = dd_ticket_snapshot(before), *a = dd_ticket_snapshot(after);
	int rc = dd_event_append(ctx->store, now, actor, "ticket.update",
				 "ticket", after->id, b, a, err);
	free(b);
	free(a);
	return rc;
}

int dd_article_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t ticket_id, const struct dd_article_input *in,
		      struct dd_article *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_ticket before, after;
	struct dd_article a = {.ticket_id = ticket_id,
			       .kind = in->kind,
			       .body = in->body,
			       .minutes = in->minutes,
			       .author_id = in->author_id,
			       .created_at = now};
	if (dd_article_check(in, err) < 0)
		return -1;
	a.visibility = in->visibility				? in->visibility
		       : strcmp(in->kind, "internal_note") == 0 ? "internal"
								: "customer";
	/* A caller that holds a transaction (mail intake writes the
	 * article with the stored message's new state) gets the article
	 * inside it and commits. */
	int own = !dd_store_in_transaction(ctx->store);
	if (own && dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_ticket_lock(ctx, ticket_id, err) < 0 ||
	    dd_ticket_load(ctx, ticket_id, &before, err) < 0)
		goto fail;
	if (before.merged_into) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "ticket %lld was merged into another ticket: add "
			   "the article there",
			   (long long)before.number);
		goto fail;
	}
	int inbound = dd_article_kind_inbound(in->kind);
	if (inbound && inbound_contact(ctx, &before, in->author_contact_id,
				       &a.author_contact_id, err) < 0)
		goto fail;
	struct dd_param p[] = {
		DD_P_INT(ticket_id),
		DD_P_TEXT(a.kind),
		DD_P_TEXT(a.visibility),
		id_or_null(a.author_id),
		id_or_null(a.author_contact_id),
		DD_P_TEXT(a.body),
		DD_P_INT(a.minutes),
		DD_P_INT(now),
	};
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO articles (ticket_id, kind, "
			       "visibility, author_id, author_contact_id, "
			       "body, minutes, created_at) VALUES ($1, $2, $3, "
			       "$4, $5, $6, $7, $8) RETURNING id",
			       p, 8, &a.id, err) < 0)
		goto fail;
	char source[40];
	snprintf(source, sizeof(source), "article:%lld", (long long)a.id);
	if (dd_ticket_index(ctx, ticket_id, source, a.body, err) < 0)
		goto fail;

	/* The rules an article has on its ticket. */
	int reopen = dd_article_reopens(&a, before.status);
	int responds = !before.first_response_at && dd_article_responds(&a);
	int changed = reopen || responds;
	struct dd_param u[] = {
		DD_P_INT(ticket_id),
		DD_P_INT(now),
		DD_P_TEXT(reopen ? "open" : before.status),
		id_or_null(reopen ? 0 : before.resolved_at),
		id_or_null(reopen ? 0 : before.closed_at),
		id_or_null(responds ? now : before.first_response_at),
	};
	/* The service level sees a first response or a reopening at once
	 * (ticket/sla.h), before the after snapshot is taken. */
	if (dd_store_exec(ctx->store,
			  "UPDATE tickets SET version = version + 1, "
			  "updated_at = $2, status = $3, resolved_at = $4, "
			  "closed_at = $5, first_response_at = $6 "
			  "WHERE id = $1",
			  u, 6, err) < 0 ||
	    (changed && dd_sla_ticket_refresh(ctx, ticket_id, now, err) < 0) ||
	    dd_ticket_load(ctx, ticket_id, &after, err) < 0)
		goto fail;
	char *snap = article_snapshot(&a);
	int rc = dd_event_append(ctx->store, now, actor, "ticket.article",
				 "ticket", ticket_id, NULL, snap, err);
	free(snap);
	if (rc < 0)
		goto fail;
	if (changed && ticket_event(ctx, actor, now, &before, &after, err) < 0)
		goto fail;
	/* A customer's reply that reopens a resolved P1 re-triggers its
	 * alert: the same alert, paged again from the first step
	 * (alert/alert.h). */
	if (reopen) {
		struct dd_alert_ticket ab, aa;
		dd_ticket_alert_view(&before, &ab);
		dd_ticket_alert_view(&after, &aa);
		if (dd_alert_ticket_changed(ctx, actor, &ab, &aa, now, err) < 0)
			goto fail;
	}
	/* The technical owner's internal note on a P1 reaches the
	 * communication owner at once (alert/alert.h). */
	if (strcmp(a.kind, "internal_note") == 0) {
		struct dd_alert_ticket av;
		dd_ticket_alert_view(&after, &av);
		if (dd_alert_ticket_note(ctx, &av, a.author_id, a.id, a.body,
					 now, err) < 0)
			goto fail;
	}
	if (own && dd_store_commit(ctx->store, err) < 0)
		goto fail;
	if (out) {
		*out = a;
		out->kind = dd_arena_strdup(ctx->arena, a.kind);
		out->visibility = dd_arena_strdup(ctx->arena, a.visibility);
		out->body = dd_arena_strdup(ctx->arena, a.body);
	}
	return 0;
fail:
	if (own)
		dd_store_rollback(ctx->store);
	return -1;
}
