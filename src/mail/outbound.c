#include "mail/outbound.h"

#include <gmime/gmime.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "mail/compose.h"
#include "mail/lookup.h"
#include "mail/loop.h"
#include "mail/settings.h"
#include "mail/thread.h"
#include "store/outbox.h"
#include "store/server_key.h"
#include "store/store.h"
#include "ticket/article.h"
#include "ticket/attachment.h"
#include "ticket/customer.h"
#include "ticket/ticket.h"
#include "ticket/touch.h"

/* Envelope recipients of one mail: To and Cc together. */
#define RECIPIENTS_MAX 50

int dd_mail_key(struct dd_ctx *ctx, unsigned char key[DD_MAIL_KEY_BYTES],
		struct dd_err *err)
{
	_Static_assert(DD_MAIL_KEY_BYTES == DD_SERVER_KEY_BYTES,
		       "one key size");
	return dd_server_key(ctx->store, "mail.message-id", key, err);
}

int dd_mail_our_ticket(struct dd_ctx *ctx, const char *id, int64_t *ticket_id,
		       struct dd_err *err)
{
	unsigned char key[DD_MAIL_KEY_BYTES];
	*ticket_id = 0;
	if (!dd_mail_message_id_looks_ours(id))
		return 0;
	if (dd_mail_key(ctx, key, err) < 0)
		return -1;
	int rc = dd_mail_message_id_check(key, id, ticket_id);
	sodium_memzero(key, sizeof(key));
	if (rc != 1) {
		*ticket_id = 0;
		return 0;
	}
	int64_t n = 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM tickets WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(*ticket_id)}, 1, &n, err) < 0)
		return -1;
	if (n == 0) {
		*ticket_id = 0;
		return 0;
	}
	return dd_mail_follow_merges(ctx, ticket_id, err) < 0 ? -1 : 1;
}

/* Our sender address: the mailbox's first, else --mail-from. */
static const char *our_from(struct dd_ctx *ctx,
			    const struct dd_mail_settings *s)
{
	if (s->address_count > 0)
		return s->addresses[0];
	if (ctx->config && ctx->config->mail_from[0])
		return ctx->config->mail_from;
	return "dutydesk@localhost";
}

static void random_hex(char out[17])
{
	unsigned char b[8];
	static const char hex[] = "0123456789abcdef";
	randombytes_buf(b, sizeof(b));
	for (int i = 0; i < 8; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[16] = '\0';
}

/* The bare addresses of To and Cc, comma-separated, for the envelope.
 * -1 when one is not a mail address or there are too many. */
static int envelope(struct dd_arena *arena, const char *to, const char *cc,
		    const char **out)
{
	struct dd_buf b;
	int n = 0, rc = 0;
	dd_buf_init(&b, 64 * 1024);
	const char *lists[] = {to, cc};
	for (int l = 0; l < 2 && rc == 0; l++) {
		if (!lists[l] || !*lists[l])
			continue;
		InternetAddressList *parsed =
			internet_address_list_parse(NULL, lists[l]);
		int count = parsed ? internet_address_list_length(parsed) : 0;
		if (count == 0)
			rc = -1;
		for (int i = 0; i < count && rc == 0; i++) {
			InternetAddress *a =
				internet_address_list_get_address(parsed, i);
			const char *addr =
				INTERNET_ADDRESS_IS_MAILBOX(a)
					? internet_address_mailbox_get_addr(
						  INTERNET_ADDRESS_MAILBOX(a))
					: NULL;
			if (!addr || !strchr(addr, '@') || ++n > RECIPIENTS_MAX)
				rc = -1;
			else
				dd_buf_printf(&b, "%s%s", b.len ? "," : "",
					      addr);
		}
		if (parsed)
			g_object_unref(parsed);
	}
	if (rc == 0 && (n == 0 || b.overflow))
		rc = -1;
	*out = rc == 0 ? dd_arena_strdup(arena, dd_buf_str(&b)) : NULL;
	dd_buf_release(&b);
	return rc == 0 && *out ? 0 : -1;
}

int dd_mail_send(struct dd_ctx *ctx, const struct dd_mail_send *in,
		 struct dd_mail_sent *out, struct dd_err *err)
{
	struct dd_mail_settings s;
	char mid[DD_MAIL_MESSAGE_ID_CAP], rnd[17];
	const char *rcpt;
	memset(out, 0, sizeof(*out));
	if (dd_mail_settings_get(ctx, &s, err) < 0)
		return -1;
	const char *from = our_from(ctx, &s);
	const char *at = strrchr(from, '@');
	const char *domain = at && at[1] ? at + 1 : "dutydesk.invalid";
	random_hex(rnd);
	if (in->ticket_id > 0) {
		unsigned char key[DD_MAIL_KEY_BYTES];
		if (dd_mail_key(ctx, key, err) < 0)
			return -1;
		int rc = dd_mail_message_id_make(key, in->ticket_id, rnd,
						 domain, mid, sizeof(mid));
		sodium_memzero(key, sizeof(key));
		if (rc < 0)
			return dd_err_set(
				err, 500, DD_PROBLEM_INTERNAL,
				"cannot make a Message-ID at '%.100s'", domain);
	} else {
		char more[17];
		random_hex(more);
		snprintf(mid, sizeof(mid), "dd-%s%s@%.200s", rnd, more, domain);
	}
	if (envelope(ctx->arena, in->to, in->cc, &rcpt) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "not a list of mail addresses: '%.200s'",
				  in->to ? in->to : "");
	struct dd_mail_header headers[8];
	int hn = 0;
	char ticket_header[24];
	for (int i = 0; i < in->header_count && hn < 6; i++)
		headers[hn++] = in->headers[i];
	if (in->ticket_id > 0) {
		snprintf(ticket_header, sizeof(ticket_header), "%lld",
			 (long long)in->ticket_id);
		headers[hn++] = (struct dd_mail_header){"X-Dutydesk-Ticket",
							ticket_header};
	}
	char *irt = in->in_reply_to ? dd_arena_printf(ctx->arena, "<%s>",
						      in->in_reply_to)
				    : NULL;
	struct dd_mail_out m = {
		.from = from,
		.to = in->to,
		.cc = in->cc,
		.subject = in->subject,
		.text = in->text,
		.message_id = mid,
		.in_reply_to = irt,
		.references = in->references,
		.date = dd_ctx_now(ctx),
		.headers = headers,
		.header_count = hn,
		.attachments = in->attachments,
		.attachment_count = in->attachment_count,
	};
	char *raw;
	size_t len;
	if (dd_mail_compose(ctx->arena, &m, &raw, &len, err) < 0)
		return -1;
	struct dd_outbox_message ob = {
		.kind = DD_OUTBOX_EMAIL,
		.target = rcpt,
		.body = raw,
		.body_len = len,
		.purpose = in->purpose,
		.ref_type = in->ref_type,
		.ref_id = in->ref_id,
	};
	if (dd_outbox_enqueue(ctx->store, dd_ctx_now(ctx), &ob, &out->outbox_id,
			      err) < 0)
		return -1;
	if (in->ticket_id > 0 &&
	    dd_mail_index_message_id(ctx, mid, in->ticket_id, "out", 0, err) <
		    0)
		return -1;
	out->message_id = dd_arena_strdup(ctx->arena, mid);
	out->to = dd_arena_strdup(ctx->arena, in->to);
	out->subject = dd_arena_strdup(ctx->arena, in->subject);
	return 0;
}

/* "<a> <b>": the ticket's newest Message-IDs, oldest first. */
static const char *references(struct dd_ctx *ctx, int64_t ticket_id,
			      struct dd_err *err)
{
	struct dd_rows *rows;
	const char *ids[DD_MAIL_REFERENCES_OUT];
	int n = 0;
	if (dd_store_query(
		    ctx->store,
		    "SELECT message_id FROM mail_message_ids WHERE "
		    "ticket_id = $1 ORDER BY id DESC LIMIT $2",
		    (struct dd_param[]){DD_P_INT(ticket_id),
					DD_P_INT(DD_MAIL_REFERENCES_OUT)},
		    2, &rows, err) < 0)
		return NULL;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && n < DD_MAIL_REFERENCES_OUT)
		ids[n++] = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 0));
	dd_rows_free(rows);
	if (rc < 0)
		return NULL;
	struct dd_buf b;
	dd_buf_init(&b, 8 * 1024);
	for (int i = n - 1; i >= 0; i--)
		if (ids[i])
			dd_buf_printf(&b, "%s<%s>", b.len ? " " : "", ids[i]);
	const char *out = dd_arena_strdup(ctx->arena, dd_buf_str(&b));
	dd_buf_release(&b);
	return out;
}

/* The ticket's latest inbound mail from a person: its sender and
 * Message-ID (either may be NULL). */
static int latest_mail(struct dd_ctx *ctx, int64_t ticket_id,
		       const struct dd_mail_settings *s, const char **from,
		       const char **mid, struct dd_err *err)
{
	struct dd_rows *rows;
	*from = *mid = NULL;
	if (dd_store_query(ctx->store,
			   "SELECT from_addr, message_id, flags FROM "
			   "mail_messages WHERE ticket_id = $1 AND status = "
			   "'ticketed' ORDER BY id DESC LIMIT 20",
			   (struct dd_param[]){DD_P_INT(ticket_id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		const char *f = dd_rows_text(rows, 0);
		const char *flags = dd_rows_text(rows, 2);
		/* Not a machine's, not our own address. */
		if (!f || (flags && *flags) || dd_mail_settings_is_ours(s, f))
			continue;
		*from = dd_arena_strdup(ctx->arena, f);
		const char *m = dd_rows_text(rows, 1);
		*mid = m ? dd_arena_strdup(ctx->arena, m) : NULL;
		break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_mail_reply(struct dd_ctx *ctx, const struct dd_actor *actor,
		  int64_t ticket_id, const struct dd_mail_reply_input *in,
		  struct dd_mail_sent *out, struct dd_err *err)
{
	struct dd_ticket t;
	struct dd_mail_settings s;
	struct dd_article a;
	struct dd_mail_attachment files[DD_MAIL_REPLY_ATTACHMENTS_MAX];
	struct dd_buf data[DD_MAIL_REPLY_ATTACHMENTS_MAX];
	int nfiles = 0, rc = -1;
	size_t total = 0;
	memset(out, 0, sizeof(*out));
	if (dd_text_check("body", in->body, 1, DD_LIMIT_ARTICLE_BODY,
			  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	if (in->attachment_count < 0 ||
	    in->attachment_count > DD_MAIL_REPLY_ATTACHMENTS_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a reply carries at most %d attachments",
				  DD_MAIL_REPLY_ATTACHMENTS_MAX);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_ticket_lock(ctx, ticket_id, err) < 0 ||
	    dd_ticket_load(ctx, ticket_id, &t, err) < 0 ||
	    dd_mail_settings_get(ctx, &s, err) < 0)
		goto out;
	if (t.merged_into) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "ticket %lld was merged into another ticket: reply "
			   "there",
			   (long long)t.number);
		goto out;
	}
	const char *to = in->to, *last_from, *last_mid;
	if (latest_mail(ctx, ticket_id, &s, &last_from, &last_mid, err) < 0)
		goto out;
	if (!to || !*to)
		to = last_from;
	if ((!to || !*to) && t.contact_id) {
		struct dd_contact c;
		if (dd_contact_get(ctx, t.contact_id, &c, err) < 0)
			goto out;
		to = c.email;
	}
	if (!to || !*to) {
		dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			   "ticket %lld has no mail to answer and no contact "
			   "with an address: give 'to'",
			   (long long)t.number);
		goto out;
	}
	for (int i = 0; i < in->attachment_count; i++) {
		struct dd_attachment at;
		dd_buf_init(&data[nfiles], DD_MAIL_REPLY_ATTACHMENT_BYTES + 1);
		nfiles++;
		if (dd_attachment_get(ctx, in->attachment_ids[i], &at,
				      &data[nfiles - 1], err) < 0)
			goto out;
		if (at.ticket_id != ticket_id) {
			dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				   "ticket %lld has no attachment %lld",
				   (long long)t.number,
				   (long long)in->attachment_ids[i]);
			goto out;
		}
		total += data[nfiles - 1].len;
		if (total > DD_MAIL_REPLY_ATTACHMENT_BYTES) {
			dd_err_set(err, 413, DD_PROBLEM_LIMIT,
				   "a reply's attachments may have %d bytes "
				   "in all",
				   DD_MAIL_REPLY_ATTACHMENT_BYTES);
			goto out;
		}
		files[nfiles - 1] = (struct dd_mail_attachment){
			.filename = at.filename,
			.content_type = at.content_type,
			.data = data[nfiles - 1].data,
			.len = data[nfiles - 1].len};
	}
	struct dd_article_input ai = {.kind = "outbound_reply",
				      .body = in->body,
				      .author_id = actor->person_id};
	if (dd_article_create(ctx, actor, ticket_id, &ai, &a, err) < 0)
		goto out;
	char subject[DD_TICKET_SUBJECT_MAX + 80];
	dd_mail_subject_for(t.subject, s.tag_prefix, t.number, 1, subject,
			    sizeof(subject));
	const char *refs = references(ctx, ticket_id, err);
	if (!refs)
		goto out;
	struct dd_mail_send send = {
		.to = to,
		.cc = in->cc,
		.subject = subject,
		.text = in->body,
		.ticket_id = ticket_id,
		.in_reply_to = last_mid,
		.references = *refs ? refs : NULL,
		.attachments = files,
		.attachment_count = nfiles,
		.purpose = "mail.reply",
		.ref_type = "ticket",
		.ref_id = ticket_id,
	};
	if (dd_mail_send(ctx, &send, out, err) < 0)
		goto out;
	out->article_id = a.id;
	char after[600];
	snprintf(after, sizeof(after),
		 "{\"article_id\":%lld,\"outbox_id\":%lld,\"message_id\":"
		 "\"%.280s\"}",
		 (long long)a.id, (long long)out->outbox_id, out->message_id);
	if (dd_event_append(ctx->store, dd_ctx_now(ctx), actor,
			    "ticket.mail.reply", "ticket", ticket_id, NULL,
			    after, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		dd_store_rollback(ctx->store);
	for (int i = 0; i < nfiles; i++)
		dd_buf_release(&data[i]);
	return rc;
}

int dd_mail_acknowledge(struct dd_ctx *ctx, int64_t ticket_id,
			const struct dd_mail_parsed *m, unsigned auto_flags,
			int cap, int *sent, struct dd_err *err)
{
	*sent = 0;
	const char *to = m->reply_to.addr ? m->reply_to.addr : m->from.addr;
	if (!to || !dd_mail_may_autoanswer(auto_flags))
		return 0;
	int64_t hour = dd_ctx_now(ctx) / (3600 * 1000), n = 0;
	if (dd_store_query_int(
		    ctx->store,
		    "SELECT n FROM mail_autoreply_counts WHERE "
		    "address = $1 AND hour = $2",
		    (struct dd_param[]){DD_P_TEXT(to), DD_P_INT(hour)}, 2, &n,
		    err) < 0)
		return -1;
	if (!dd_mail_autoanswer_allowed((int)n, cap))
		return 0;
	if (dd_store_exec(ctx->store,
			  "INSERT INTO mail_autoreply_counts (address, hour, "
			  "n) VALUES ($1, $2, 1) ON CONFLICT (address, hour) "
			  "DO UPDATE SET n = mail_autoreply_counts.n + 1",
			  (struct dd_param[]){DD_P_TEXT(to), DD_P_INT(hour)}, 2,
			  err) < 0)
		return -1;
	struct dd_ticket t;
	struct dd_mail_settings s;
	if (dd_ticket_load(ctx, ticket_id, &t, err) < 0 ||
	    dd_mail_settings_get(ctx, &s, err) < 0)
		return -1;
	char subject[DD_TICKET_SUBJECT_MAX + 80], tag[64];
	dd_mail_subject_for(t.subject, s.tag_prefix, t.number, 1, subject,
			    sizeof(subject));
	snprintf(tag, sizeof(tag), "[%s#%lld]", s.tag_prefix,
		 (long long)t.number);
	const char *text = dd_arena_printf(
		ctx->arena,
		"Thank you for your message. We have opened ticket %s for it "
		"and will answer as soon as we can.\n\nPlease keep %s in the "
		"subject when you write to us about this matter.\n\n-- \nThis "
		"is an automatic answer.\n",
		tag, tag);
	static const struct dd_mail_header auto_headers[] = {
		{"Auto-Submitted", "auto-replied"},
		{"X-Auto-Response-Suppress", "All"},
	};
	struct dd_mail_send send = {
		.to = to,
		.subject = subject,
		.text = text,
		.ticket_id = ticket_id,
		.in_reply_to = m->message_id,
		.headers = auto_headers,
		.header_count = 2,
		.purpose = "mail.acknowledge",
		.ref_type = "ticket",
		.ref_id = ticket_id,
	};
	struct dd_mail_sent out;
	if (!text || dd_mail_send(ctx, &send, &out, err) < 0)
		return -1;
	*sent = 1;
	return 0;
}
