#include "alert/notify.h"

#include <stdio.h>
#include <string.h>

#include "alert/alert_settings.h"
#include "base/json_out.h"
#include "mail/compose.h"
#include "store/outbox.h"
#include "store/store.h"

void dd_notify_text(const struct dd_notice *n, struct dd_buf *out)
{
	dd_buf_puts(out, n->text ? n->text : "");
	if (n->ack_url || n->resolve_url)
		dd_buf_puts(out, "\n");
	if (n->ack_url)
		dd_buf_printf(out, "\nAcknowledge: %s", n->ack_url);
	if (n->resolve_url)
		dd_buf_printf(out, "\nResolve: %s", n->resolve_url);
	dd_buf_puts(out, "\n");
}

int dd_notify_webhook_body(const struct dd_notice *n, const char *format,
			   int64_t now, struct dd_buf *out)
{
	struct dd_json_out j;
	dd_json_out_init(&j, out);
	dd_json_obj_begin(&j);
	if (format && strcmp(format, "slack") == 0) {
		/* Slack and Mattermost both take {"text"} and turn bare URLs
		 * into links; their own link syntaxes differ. */
		struct dd_buf text;
		dd_buf_init(&text, DD_NOTIFY_BODY_MAX);
		dd_buf_printf(&text, "*%s*\n", n->subject ? n->subject : "");
		dd_notify_text(n, &text);
		dd_json_kstr(&j, "text", dd_buf_str(&text));
		int over = text.overflow;
		dd_buf_release(&text);
		dd_json_obj_end(&j);
		return over || out->overflow ? -1 : 0;
	}
	dd_json_kstr(&j, "event", n->event);
	dd_json_kstr(&j, "subject", n->subject);
	dd_json_kstr(&j, "text", n->text);
	dd_json_key(&j, "links");
	dd_json_obj_begin(&j);
	if (n->ack_url)
		dd_json_kstr(&j, "acknowledge", n->ack_url);
	if (n->resolve_url)
		dd_json_kstr(&j, "resolve", n->resolve_url);
	dd_json_obj_end(&j);
	dd_json_key(&j, "data");
	dd_json_raw(&j, n->data_json ? n->data_json : "{}");
	dd_json_ktime(&j, "sent_at", now);
	dd_json_obj_end(&j);
	return out->overflow ? -1 : 0;
}

static int email(struct dd_ctx *ctx, const struct dd_notify_to *to,
		 const struct dd_notice *n, int64_t now,
		 struct dd_outbox_message *m, struct dd_err *err)
{
	struct dd_alert_settings s;
	struct dd_buf text;
	char *raw = NULL;
	size_t len = 0;
	if (dd_alert_settings_load(ctx, &s, err) < 0)
		return -1;
	dd_buf_init(&text, DD_NOTIFY_BODY_MAX);
	dd_notify_text(n, &text);
	/* A page is machine-made: no vacation replies, no Outlook
	 * auto-responses (RFC 3834). */
	static const struct dd_mail_header headers[] = {
		{"Auto-Submitted", "auto-generated"},
		{"X-Auto-Response-Suppress", "All"},
	};
	char from_text[DD_ALERT_FROM_MAX + 64];
	dd_alert_mail_from(ctx, &s, from_text, sizeof(from_text));
	char *from = dd_arena_strdup(ctx->arena, from_text);
	struct dd_mail_out mail = {
		.from = from,
		.to = to->address,
		.subject = n->subject,
		.text = dd_buf_str(&text),
		.date = now,
		.headers = headers,
		.header_count = 2,
	};
	int rc = text.overflow
			 ? dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				      "the message is too long")
			 : dd_mail_compose(ctx->arena, &mail, &raw, &len, err);
	dd_buf_release(&text);
	if (rc < 0 || !from)
		return rc < 0 ? -1
			      : dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					   "out of memory");
	m->kind = DD_OUTBOX_EMAIL;
	m->target = to->address;
	m->body = raw;
	m->body_len = len;
	return 0;
}

int dd_notify_method(struct dd_ctx *ctx, const struct dd_notify_to *to,
		     const struct dd_notice *n, int64_t now, int64_t *outbox_id,
		     struct dd_err *err)
{
	struct dd_outbox_message m = {
		.purpose = n->event,
		.ref_type = n->ref_type,
		.ref_id = n->ref_id,
	};
	struct dd_buf body;
	int rc;
	dd_buf_init(&body, DD_NOTIFY_BODY_MAX);
	if (strcmp(to->kind, "email") == 0) {
		rc = email(ctx, to, n, now, &m, err);
	} else {
		rc = dd_notify_webhook_body(n, to->format, now, &body);
		if (rc < 0)
			dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				   "the message is too long");
		m.kind = DD_OUTBOX_WEBHOOK;
		m.target = to->address;
		m.content_type = "application/json";
		m.body = dd_buf_str(&body);
		m.body_len = body.len;
	}
	if (rc == 0)
		rc = dd_outbox_enqueue(ctx->store, now, &m, outbox_id, err);
	dd_buf_release(&body);
	return rc;
}

int dd_notify_person(struct dd_ctx *ctx, int64_t person_id,
		     const struct dd_notice *n, int64_t now,
		     struct dd_notify_sent *sent, int max, int *count,
		     struct dd_err *err)
{
	struct dd_notify_to to[DD_NOTIFY_METHODS_MAX];
	struct dd_rows *rows;
	int k = 0, rc;
	*count = 0;
	if (dd_store_query(ctx->store,
			   "SELECT m.id, m.kind, m.address, m.format FROM "
			   "contact_methods m, people p WHERE m.person_id = $1 "
			   "AND p.id = m.person_id AND p.active = 1 AND "
			   "m.verified_at IS NOT NULL ORDER BY m.id",
			   (struct dd_param[]){DD_P_INT(person_id)}, 1, &rows,
			   err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0 &&
	       k < DD_NOTIFY_METHODS_MAX) {
		to[k].method_id = dd_rows_int(rows, 0);
		to[k].kind = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
		to[k].address =
			dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
		to[k].format =
			dd_arena_strdup(ctx->arena, dd_rows_text(rows, 3));
		k++;
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = 0; i < k; i++) {
		int64_t id = 0;
		if (!to[i].kind || !to[i].address || !to[i].format)
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "out of memory");
		if (dd_notify_method(ctx, &to[i], n, now, &id, err) < 0)
			return -1;
		if (sent && *count < max)
			sent[*count] =
				(struct dd_notify_sent){to[i].method_id, id};
		(*count)++;
	}
	return 0;
}

int dd_notify_people(struct dd_ctx *ctx, const int64_t *ids, int count,
		     const struct dd_notice *n, int64_t now, struct dd_err *err)
{
	for (int i = 0; i < count; i++) {
		int dup = ids[i] == 0, reached;
		for (int k = 0; k < i && !dup; k++)
			dup = ids[k] == ids[i];
		if (!dup && dd_notify_person(ctx, ids[i], n, now, NULL, 0,
					     &reached, err) < 0)
			return -1;
	}
	return 0;
}

const char *dd_notify_name(struct dd_ctx *ctx, int64_t id)
{
	struct dd_rows *rows;
	struct dd_err err;
	const char *name = NULL;
	if (dd_store_query(ctx->store, "SELECT name FROM people WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   &err) == 0) {
		if (dd_rows_next(rows, &err) > 0)
			name = dd_arena_strdup(ctx->arena,
					       dd_rows_text(rows, 0));
		dd_rows_free(rows);
	}
	if (!name)
		name = dd_arena_printf(ctx->arena, "person %lld",
				       (long long)id);
	return name ? name : "someone";
}
