#include "mail/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "mail/append.h"
#include "mail/clean.h"
#include "mail/lookup.h"
#include "mail/message.h"
#include "mail/compose.h"
#include "mail/outbound.h"
#include "mail/parse.h"
#include "mail/settings.h"
#include "base/text.h"
#include "people/person.h"
#include "store/store.h"
#include "ticket/ticket.h"

#define TRIAGE_COLUMNS                                                         \
	"SELECT t.id, t.mail_id, t.reason, t.personal_id,"                     \
	" t.suggested_ticket_id, t.status, t.action, t.done_by, t.done_at,"    \
	" t.ticket_id, t.version, t.created_at, m.subject, m.from_addr,"       \
	" m.from_name, m.flags, m.received_at FROM triage_items t JOIN"        \
	" mail_messages m ON m.id = t.mail_id "

int dd_triage_add(struct dd_ctx *ctx, const struct dd_actor *actor,
		  int64_t mail_id, const char *reason, int64_t personal_id,
		  int64_t suggested_ticket_id, int64_t *id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_param p[] = {
		DD_P_INT(mail_id),
		DD_P_TEXT(reason),
		personal_id ? DD_P_INT(personal_id) : DD_P_NULL,
		suggested_ticket_id ? DD_P_INT(suggested_ticket_id) : DD_P_NULL,
		DD_P_INT(now),
	};
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO triage_items (mail_id, reason, "
			       "personal_id, suggested_ticket_id, created_at) "
			       "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			       p, 5, id, err) < 0)
		return -1;
	char after[300];
	snprintf(after, sizeof(after),
		 "{\"id\":%lld,\"mail_id\":%lld,\"reason\":\"%s\","
		 "\"personal_id\":%lld,\"suggested_ticket_id\":%lld}",
		 (long long)*id, (long long)mail_id, reason,
		 (long long)personal_id, (long long)suggested_ticket_id);
	return dd_event_append(ctx->store, now, actor, "triage.add",
			       "triage_item", *id, NULL, after, err);
}

static const char *dup(struct dd_arena *arena, const char *s)
{
	return s ? dd_arena_strdup(arena, s) : NULL;
}

static void read_row(struct dd_arena *arena, struct dd_rows *rows,
		     struct dd_triage_item *t)
{
	memset(t, 0, sizeof(*t));
	t->id = dd_rows_int(rows, 0);
	t->mail_id = dd_rows_int(rows, 1);
	t->reason = dd_rows_text(rows, 2);
	t->personal_id = dd_rows_int(rows, 3);
	t->suggested_ticket_id = dd_rows_int(rows, 4);
	t->status = dd_rows_text(rows, 5);
	t->action = dd_rows_text(rows, 6);
	t->done_by = dd_rows_int(rows, 7);
	t->done_at = dd_rows_int(rows, 8);
	t->ticket_id = dd_rows_int(rows, 9);
	t->version = dd_rows_int(rows, 10);
	t->created_at = dd_rows_int(rows, 11);
	t->subject = dd_rows_text(rows, 12);
	t->from_addr = dd_rows_text(rows, 13);
	t->from_name = dd_rows_text(rows, 14);
	t->flags = dd_rows_text(rows, 15);
	t->received_at = dd_rows_int(rows, 16);
	if (arena) {
		t->reason = dup(arena, t->reason);
		t->status = dup(arena, t->status);
		t->action = dup(arena, t->action);
		t->subject = dup(arena, t->subject);
		t->from_addr = dup(arena, t->from_addr);
		t->from_name = dup(arena, t->from_name);
		t->flags = dup(arena, t->flags);
	}
}

int dd_triage_get(struct dd_ctx *ctx, int64_t id, struct dd_triage_item *out,
		  struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, TRIAGE_COLUMNS "WHERE t.id = $1",
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
				  "no triage item with id %lld", (long long)id);
	return 0;
}

int dd_triage_list(struct dd_ctx *ctx, const char *status, int64_t before_id,
		   int limit,
		   int (*fn)(const struct dd_triage_item *t, void *arg),
		   void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {
		DD_P_TEXT(status),
		DD_P_INT(before_id > 0 ? before_id : INT64_MAX),
		DD_P_INT(limit),
	};
	if (dd_store_query(ctx->store,
			   TRIAGE_COLUMNS
			   "WHERE (CAST($1 AS TEXT) IS NULL OR t.status = $1) "
			   "AND t.id < $2 ORDER BY t.id DESC LIMIT $3",
			   p, 3, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_triage_item t;
		read_row(NULL, rows, &t);
		if (fn(&t, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_triage_may_act(struct dd_ctx *ctx, int64_t person_id, int is_editor,
		      int *allowed, struct dd_err *err)
{
	struct dd_mail_settings s;
	*allowed = 0;
	if (dd_mail_settings_get(ctx, &s, err) < 0)
		return -1;
	if (is_editor || !s.triage_group_id) {
		*allowed = 1;
		return 0;
	}
	int64_t n = 0;
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM memberships WHERE "
			       "group_id = $1 AND person_id = $2",
			       (struct dd_param[]){DD_P_INT(s.triage_group_id),
						   DD_P_INT(person_id)},
			       2, &n, err) < 0)
		return -1;
	*allowed = n > 0;
	return 0;
}

/* Inside the transaction: the item, locked, and open. */
static int claim(struct dd_ctx *ctx, int64_t id, struct dd_triage_item *t,
		 struct dd_err *err)
{
	if (dd_store_exec(ctx->store,
			  "UPDATE triage_items SET version = version WHERE id "
			  "= $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0 ||
	    dd_triage_get(ctx, id, t, err) < 0)
		return -1;
	if (strcmp(t->status, "open") != 0)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "triage item %lld was handled already (%s)",
				  (long long)id,
				  t->action ? t->action : "done");
	return 0;
}

/* The stored message parsed again, in arena. */
static int reparse(struct dd_ctx *ctx, struct dd_arena *arena, int64_t mail_id,
		   struct dd_mail_parsed *m, struct dd_err *err)
{
	struct dd_buf raw;
	dd_buf_init(&raw, DD_LIMIT_MAIL_BYTES_MAX + 1);
	int rc = dd_mail_message_raw(ctx, mail_id, &raw, err);
	if (rc == 0)
		rc = dd_mail_parse(arena, raw.data ? raw.data : "", raw.len, m,
				   err);
	dd_buf_release(&raw);
	return rc;
}

/* Close the item with action and ticket, record the event and the
 * message's new state. */
static int finish(struct dd_ctx *ctx, const struct dd_actor *actor,
		  const struct dd_triage_item *before, const char *action,
		  int64_t ticket_id, int64_t article_id,
		  const struct dd_mail_parsed *m, const char *extra,
		  struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_param p[] = {
		DD_P_INT(before->id),
		DD_P_TEXT(action),
		actor->person_id ? DD_P_INT(actor->person_id) : DD_P_NULL,
		DD_P_INT(now),
		ticket_id ? DD_P_INT(ticket_id) : DD_P_NULL,
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE triage_items SET status = 'done', action = "
			  "$2, done_by = $3, done_at = $4, ticket_id = $5, "
			  "version = version + 1 WHERE id = $1",
			  p, 5, err) < 0)
		return -1;
	if (ticket_id && dd_mail_message_outcome(
				 ctx, before->mail_id, "ticketed", ticket_id,
				 article_id, m, before->flags, NULL, err) < 0)
		return -1;
	char name[40], after[600];
	snprintf(name, sizeof(name), "triage.%s", action);
	snprintf(after, sizeof(after),
		 "{\"id\":%lld,\"mail_id\":%lld,\"action\":\"%s\","
		 "\"ticket_id\":%lld%s%s}",
		 (long long)before->id, (long long)before->mail_id, action,
		 (long long)ticket_id, extra ? "," : "", extra ? extra : "");
	return dd_event_append(ctx->store, now, actor, name, "triage_item",
			       before->id, "{\"status\":\"open\"}", after, err);
}

int dd_triage_create_ticket(struct dd_ctx *ctx, const struct dd_actor *actor,
			    int64_t id, const struct dd_triage_ticket *in,
			    struct dd_triage_item *out, struct dd_err *err)
{
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_triage_item t;
	struct dd_ticket ticket;
	int64_t contact = 0, org = 0, article = 0;
	dd_arena_init(&arena, DD_LIMIT_MAIL_PARSE_BYTES);
	if (dd_store_begin(ctx->store, err) < 0)
		goto out;
	if (claim(ctx, id, &t, err) < 0 ||
	    reparse(ctx, &arena, t.mail_id, &m, err) < 0 ||
	    dd_mail_find_contact(ctx, m.from.addr, &contact, &org, err) < 0 ||
	    (!org &&
	     dd_mail_find_org_by_domain(ctx, m.from.addr, &org, err) < 0))
		goto fail;
	const char *subject = in->subject;
	if (!subject) {
		const char *s = m.subject && *m.subject ? m.subject : NULL;
		subject = s ? dd_arena_strndup(
				      &arena, s,
				      dd_mail_utf8_cut(s, strlen(s),
						       DD_TICKET_SUBJECT_MAX))
			    : dd_arena_printf(&arena, "Mail from %.200s",
					      m.from.addr ? m.from.addr
							  : "an unknown "
							    "sender");
	}
	struct dd_ticket_input ti = {
		.subject = subject,
		.channel = "email",
		.priority = in->priority,
		.organisation_id = org,
		.organisation_set = org != 0,
		.contact_id = contact,
		.contact_set = contact != 0,
		.queue_id = in->queue_id,
		.queue_set = in->queue_id != 0,
		.owner_id = in->owner_id,
		.owner_set = in->owner_id != 0,
		.needs_completion = !org || !contact,
		.needs_completion_set = 1,
	};
	if (dd_ticket_create(ctx, actor, &ti, &ticket, err) < 0 ||
	    dd_mail_append(ctx, actor, ticket.id, t.mail_id, &m, NULL, 0,
			   &article, err) < 0 ||
	    finish(ctx, actor, &t, "create-ticket", ticket.id, article, &m,
		   NULL, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	dd_arena_release(&arena);
	return dd_triage_get(ctx, id, out, err);
fail:
	dd_store_rollback(ctx->store);
out:
	dd_arena_release(&arena);
	return -1;
}

int dd_triage_append(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, int64_t ticket_id, struct dd_triage_item *out,
		     struct dd_err *err)
{
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_triage_item t;
	int64_t article = 0, live = ticket_id, n = 0;
	dd_arena_init(&arena, DD_LIMIT_MAIL_PARSE_BYTES);
	if (dd_store_begin(ctx->store, err) < 0)
		goto out;
	if (claim(ctx, id, &t, err) < 0 ||
	    dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM tickets WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(ticket_id)}, 1, &n, err) < 0)
		goto fail;
	if (n == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no ticket with id %lld", (long long)ticket_id);
		goto fail;
	}
	if (dd_mail_follow_merges(ctx, &live, err) < 0 ||
	    reparse(ctx, &arena, t.mail_id, &m, err) < 0 ||
	    dd_mail_append(ctx, actor, live, t.mail_id, &m, NULL, 0, &article,
			   err) < 0 ||
	    finish(ctx, actor, &t, "append", live, article, &m, NULL, err) <
		    0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	dd_arena_release(&arena);
	return dd_triage_get(ctx, id, out, err);
fail:
	dd_store_rollback(ctx->store);
out:
	dd_arena_release(&arena);
	return -1;
}

/* "Re: subject" / "Fwd: subject" unless it starts so already. */
static const char *prefixed(struct dd_arena *arena, const char *prefix,
			    const char *subject)
{
	size_t n = strlen(prefix);
	if (strncasecmp(subject, prefix, n) == 0)
		return subject;
	return dd_arena_printf(arena, "%s %s", prefix, subject);
}

/* The thread of m for References: its own and its ids. */
static const char *thread_of(struct dd_arena *arena,
			     const struct dd_mail_parsed *m)
{
	struct dd_buf b;
	dd_buf_init(&b, 16 * 1024);
	int first = m->ref_count > 9 ? m->ref_count - 9 : 0;
	for (int i = first; i < m->ref_count; i++)
		dd_buf_printf(&b, "%s<%s>", b.len ? " " : "", m->refs[i]);
	if (m->message_id)
		dd_buf_printf(&b, "%s<%s>", b.len ? " " : "", m->message_id);
	const char *out = b.len && !b.overflow
				  ? dd_arena_strdup(arena, dd_buf_str(&b))
				  : NULL;
	dd_buf_release(&b);
	return out;
}

int dd_triage_answer(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, const char *body, int64_t *outbox_id,
		     struct dd_triage_item *out, struct dd_err *err)
{
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_triage_item t;
	struct dd_mail_sent sent;
	if (dd_text_check("body", body, 1, DD_LIMIT_ARTICLE_BODY,
			  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	dd_arena_init(&arena, DD_LIMIT_MAIL_PARSE_BYTES);
	if (dd_store_begin(ctx->store, err) < 0)
		goto out;
	if (claim(ctx, id, &t, err) < 0 ||
	    reparse(ctx, &arena, t.mail_id, &m, err) < 0)
		goto fail;
	const char *to = m.reply_to.addr ? m.reply_to.addr : m.from.addr;
	if (!to) {
		dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			   "the mail names no sender to answer");
		goto fail;
	}
	struct dd_mail_send send = {
		.to = to,
		.subject = prefixed(
			&arena, "Re:", *m.subject ? m.subject : "Your mail"),
		.text = body,
		.in_reply_to = m.message_id,
		.references = thread_of(&arena, &m),
		.purpose = "triage.answer",
		.ref_type = "triage_item",
		.ref_id = id,
	};
	if (!send.subject || dd_mail_send(ctx, &send, &sent, err) < 0)
		goto fail;
	char extra[400], safe[201];
	snprintf(safe, sizeof(safe), "%s", to);
	for (char *p = safe; *p; p++)
		if (*p == '"' || *p == '\\')
			*p = '_'; /* the event's JSON stays JSON */
	snprintf(extra, sizeof(extra), "\"outbox_id\":%lld,\"to\":\"%s\"",
		 (long long)sent.outbox_id, safe);
	if (finish(ctx, actor, &t, "answer", 0, 0, &m, extra, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	*outbox_id = sent.outbox_id;
	dd_arena_release(&arena);
	return dd_triage_get(ctx, id, out, err);
fail:
	dd_store_rollback(ctx->store);
out:
	dd_arena_release(&arena);
	return -1;
}

int dd_triage_forward(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, int64_t person_id, const char *note,
		      int64_t *outbox_id, struct dd_triage_item *out,
		      struct dd_err *err)
{
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_triage_item t;
	struct dd_mail_sent sent;
	struct dd_person p;
	struct dd_buf raw;
	if (note && dd_text_check("note", note, 0, DD_LIMIT_ARTICLE_BODY,
				  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	dd_arena_init(&arena, DD_LIMIT_MAIL_PARSE_BYTES);
	dd_buf_init(&raw, DD_LIMIT_MAIL_BYTES_MAX + 1);
	if (dd_store_begin(ctx->store, err) < 0)
		goto out;
	if (claim(ctx, id, &t, err) < 0)
		goto fail;
	if (dd_person_get(ctx, person_id, &p, err) < 0 || !p.active) {
		if (err->status == 404 || !dd_err_is_set(err))
			dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				   "'person_id' names no active colleague "
				   "(id %lld)",
				   (long long)person_id);
		goto fail;
	}
	if (dd_mail_message_raw(ctx, t.mail_id, &raw, err) < 0 ||
	    dd_mail_parse(&arena, raw.data ? raw.data : "", raw.len, &m, err) <
		    0)
		goto fail;
	const char *text = dd_arena_printf(
		&arena,
		"%s%s---------- Forwarded message ----------\nFrom: %s%s%s%s\n"
		"Subject: %s\n\n%s\n",
		note ? note : "", note && *note ? "\n\n" : "", m.from.name,
		*m.from.name ? " <" : "", m.from.addr ? m.from.addr : "",
		*m.from.name ? ">" : "", m.subject, m.text);
	struct dd_mail_attachment original = {
		.filename = "forwarded-message.eml",
		.content_type = "message/rfc822",
		.data = raw.data,
		.len = raw.len,
	};
	struct dd_mail_send send = {
		.to = p.email,
		.subject = prefixed(&arena,
				    "Fwd:", *m.subject ? m.subject : "a mail"),
		.text = text,
		.attachments = &original,
		.attachment_count = 1,
		.purpose = "triage.forward",
		.ref_type = "triage_item",
		.ref_id = id,
	};
	if (!text || !send.subject || dd_mail_send(ctx, &send, &sent, err) < 0)
		goto fail;
	char extra[200];
	snprintf(extra, sizeof(extra), "\"outbox_id\":%lld,\"person_id\":%lld",
		 (long long)sent.outbox_id, (long long)person_id);
	if (finish(ctx, actor, &t, "forward", 0, 0, &m, extra, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	*outbox_id = sent.outbox_id;
	dd_buf_release(&raw);
	dd_arena_release(&arena);
	return dd_triage_get(ctx, id, out, err);
fail:
	dd_store_rollback(ctx->store);
out:
	dd_buf_release(&raw);
	dd_arena_release(&arena);
	return -1;
}

void dd_triage_to_json(const struct dd_triage_item *t, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", t->id);
	dd_json_kint(j, "mail_id", t->mail_id);
	dd_json_kstr(j, "reason", t->reason);
	dd_json_kid(j, "personal_id", t->personal_id);
	dd_json_kid(j, "suggested_ticket_id", t->suggested_ticket_id);
	dd_json_kstr(j, "status", t->status);
	dd_json_kstr(j, "action", t->action);
	dd_json_kid(j, "done_by", t->done_by);
	dd_json_ktime_or_null(j, "done_at", t->done_at);
	dd_json_kid(j, "ticket_id", t->ticket_id);
	dd_json_kint(j, "version", t->version);
	dd_json_ktime(j, "created_at", t->created_at);
	dd_json_kstr(j, "subject", t->subject);
	dd_json_kstr(j, "from", t->from_addr);
	dd_json_kstr(j, "from_name", t->from_name);
	dd_mail_flags_to_json(j, "flags", t->flags);
	dd_json_ktime(j, "received_at", t->received_at);
	dd_json_obj_end(j);
}
