/*
 * res_mail.c - the support mailbox: a message in (POST
 * /api/v1/mail/inbound, the raw RFC 5322 bytes as the body, for the
 * mailgate and other integrations with the mail:ingest scope), the
 * stored messages with their raw bytes, reprocessing a failed one, and
 * the mailbox settings.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/json_in.h"
#include "http/resources.h"
#include "mail/intake.h"
#include "mail/message.h"
#include "mail/outbound.h"
#include "mail/settings.h"

static void outcome_json(struct dd_json_out *j, const struct dd_mail_outcome *o)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", o->id);
	dd_json_kbool(j, "duplicate", o->duplicate);
	dd_json_kstr(j, "status", o->status);
	dd_json_kstr(j, "how", o->how);
	dd_json_kid(j, "ticket_id", o->ticket_id);
	dd_json_kid(j, "article_id", o->article_id);
	dd_json_kid(j, "triage_id", o->triage_id);
	dd_json_kstr(j, "error", o->error);
	dd_json_obj_end(j);
}

int dd_res_mail_inbound(struct dd_request *req)
{
	struct dd_mail_outcome o;
	struct dd_err err;
	dd_err_clear(&err);
	const char *source = dd_req_query(req, "source");
	if (!source)
		source = "api";
	if (!dd_mail_source_valid(source))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'source' must be mta, imap or api");
	if (req->body_too_large)
		return dd_req_fail(req, 413, DD_PROBLEM_LIMIT,
				   "the message is larger than %d bytes",
				   DD_LIMIT_MAIL_BYTES_MAX);
	const char *type = dd_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!type || strncasecmp(type, "message/rfc822", 14) != 0 ||
	    (type[14] != '\0' && type[14] != ';' && type[14] != ' '))
		return dd_req_fail(req, 415, DD_PROBLEM_UNSUPPORTED_MEDIA,
				   "send the message as the body with "
				   "Content-Type message/rfc822");
	if (dd_mail_ingest(&req->ctx, &req->actor, source, req->body.data,
			   req->body.len, &o, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/mail/messages/%lld",
		 (long long)o.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	outcome_json(dd_resp_json(req, o.duplicate ? 200 : 201), &o);
	return 0;
}

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int message_one(const struct dd_mail_message *m, void *arg)
{
	struct list_state *st = arg;
	dd_mail_message_to_json(m, st->j);
	st->count++;
	st->last_id = m->id;
	return 0;
}

static const char *const statuses[] = {
	"stored", "failed", "ticketed", "triage", "bounce", "ignored", NULL};

int dd_res_mail_messages_list(struct dd_request *req)
{
	struct dd_err err;
	struct dd_mail_message_filter f = {0};
	int64_t cursor;
	dd_err_clear(&err);
	if (dd_req_paging(req, &f.limit, &cursor) < 0 ||
	    dd_res_query_id(req, "ticket_id", &f.ticket_id) < 0)
		return -1;
	f.before_id = cursor;
	f.status = dd_req_query(req, "status");
	if (f.status) {
		int ok = 0;
		for (int i = 0; statuses[i]; i++)
			ok |= strcmp(f.status, statuses[i]) == 0;
		if (!ok)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'status' must be stored, failed, "
					   "ticketed, triage, bounce or "
					   "ignored");
	}
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_mail_message_list(&req->ctx, &f, message_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, f.limit, st.last_id);
	return 0;
}

int dd_res_mail_messages_get(struct dd_request *req)
{
	struct dd_mail_message m;
	struct dd_err err;
	int64_t id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "mail message", &id) < 0)
		return -1;
	if (dd_mail_message_get(&req->ctx, id, &m, &err) < 0)
		return dd_res_err(req, &err);
	dd_mail_message_to_json(&m, dd_resp_json(req, 200));
	return 0;
}

int dd_res_mail_messages_raw(struct dd_request *req)
{
	struct dd_err err;
	int64_t id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "mail message", &id) < 0)
		return -1;
	/* A message may be larger than other responses. */
	dd_buf_release(&req->out);
	dd_buf_init(&req->out, DD_LIMIT_MAIL_BYTES_MAX + 1);
	dd_resp_text(req, 200, "message/rfc822", "");
	if (dd_mail_message_raw(&req->ctx, id, &req->out, &err) < 0)
		return dd_res_err(req, &err);
	char disposition[80];
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"mail-%lld.eml\"", (long long)id);
	dd_resp_header(req, "Content-Disposition", disposition);
	return 0;
}

int dd_res_mail_messages_reprocess(struct dd_request *req)
{
	struct dd_mail_outcome o;
	struct dd_err err;
	int64_t id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "mail message", &id) < 0 ||
	    dd_res_body_none(req) < 0)
		return -1;
	if (dd_mail_process(&req->ctx, &req->actor, id, &o, &err) < 0)
		return dd_res_err(req, &err);
	outcome_json(dd_resp_json(req, 200), &o);
	return 0;
}

int dd_res_mail_settings_get(struct dd_request *req)
{
	struct dd_mail_settings s;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_mail_settings_get(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, s.version);
	dd_mail_settings_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

int dd_res_mail_settings_put(struct dd_request *req)
{
	static const char *const fields[] = {"tag_prefix",	"addresses",
					     "triage_group_id", "autoreply_cap",
					     "acknowledge",	"max_bytes",
					     "imap_url",	"imap_user",
					     "imap_password",	"imap_mailbox",
					     "imap_interval_s", "imap_after",
					     "imap_move_to",	NULL};
	struct dd_mail_settings_input in = {0};
	struct dd_mail_settings s;
	struct dd_err err;
	int64_t if_version;
	long long v;
	int b, is_null = 0;
	dd_err_clear(&err);
	if (dd_req_if_match(req, &if_version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "tag_prefix", 0, 64, &in.tag_prefix, NULL,
			   &err) < 0 ||
	    dd_json_in_str(body, "imap_url", 0, DD_LIMIT_URL, &in.imap_url,
			   NULL, &err) < 0 ||
	    dd_json_in_str(body, "imap_user", 0, DD_MAIL_IMAP_FIELD_MAX,
			   &in.imap_user, NULL, &err) < 0 ||
	    dd_json_in_str(body, "imap_password", 0, DD_MAIL_IMAP_FIELD_MAX,
			   &in.imap_password, NULL, &err) < 0 ||
	    dd_json_in_str(body, "imap_mailbox", 0, DD_MAIL_IMAP_FIELD_MAX,
			   &in.imap_mailbox, NULL, &err) < 0 ||
	    dd_json_in_str(body, "imap_after", 0, 16, &in.imap_after, NULL,
			   &err) < 0 ||
	    dd_json_in_str(body, "imap_move_to", 0, DD_MAIL_IMAP_FIELD_MAX,
			   &in.imap_move_to, NULL, &err) < 0)
		return dd_res_err(req, &err);
	int rc = dd_json_in_int(body, "autoreply_cap", 0, 0,
				DD_MAIL_AUTOREPLY_CAP_MAX, &v, &err);
	if (rc < 0)
		return dd_res_err(req, &err);
	if (rc > 0) {
		in.autoreply_cap_set = 1;
		in.autoreply_cap = (int)v;
	}
	rc = dd_json_in_int(body, "max_bytes", 0, DD_LIMIT_MAIL_BYTES_MIN,
			    DD_LIMIT_MAIL_BYTES_MAX, &v, &err);
	if (rc < 0)
		return dd_res_err(req, &err);
	if (rc > 0) {
		in.max_bytes_set = 1;
		in.max_bytes = v;
	}
	rc = dd_json_in_int(body, "imap_interval_s", 0,
			    DD_MAIL_IMAP_INTERVAL_MIN,
			    DD_MAIL_IMAP_INTERVAL_MAX, &v, &err);
	if (rc < 0)
		return dd_res_err(req, &err);
	if (rc > 0) {
		in.imap_interval_set = 1;
		in.imap_interval_s = (int)v;
	}
	rc = dd_json_in_bool(body, "acknowledge", 0, &b, &err);
	if (rc < 0)
		return dd_res_err(req, &err);
	if (rc > 0) {
		in.acknowledge_set = 1;
		in.acknowledge = b;
	}
	json_t *g = json_object_get(body, "triage_group_id");
	if (g) {
		in.triage_group_set = 1;
		is_null = json_is_null(g);
		if (!is_null && dd_res_read_id(body, "triage_group_id", 0,
					       &in.triage_group_id, &err) < 0)
			return dd_res_err(req, &err);
	}
	json_t *list = json_object_get(body, "addresses");
	if (list) {
		if (!json_is_array(list))
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'addresses' must be a list of "
					   "e-mail addresses");
		if (json_array_size(list) > DD_MAIL_ADDRESSES_MAX)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'addresses' holds at most %d "
					   "addresses",
					   DD_MAIL_ADDRESSES_MAX);
		in.addresses_set = 1;
		size_t i;
		json_t *a;
		json_array_foreach(list, i, a)
		{
			if (!json_is_string(a))
				return dd_req_fail(req, 400,
						   DD_PROBLEM_VALIDATION,
						   "'addresses' must be a list "
						   "of strings");
			in.addresses[in.address_count++] = json_string_value(a);
		}
	}
	if (dd_mail_settings_update(&req->ctx, &req->actor, &in, if_version, &s,
				    &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, s.version);
	dd_mail_settings_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

/* POST /api/v1/tickets/{id}/replies: a reply to the customer, as an
 * outbound_reply article and a mail in the outbox. */
int dd_res_tickets_replies(struct dd_request *req)
{
	static const char *const fields[] = {"body", "to", "cc",
					     "attachment_ids", NULL};
	struct dd_mail_reply_input in = {0};
	struct dd_mail_sent sent;
	struct dd_err err;
	int64_t id;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "ticket", &id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "to", 0, 4096, &in.to, NULL, &err) < 0 ||
	    dd_json_in_str(body, "cc", 0, 4096, &in.cc, NULL, &err) < 0)
		return dd_res_err(req, &err);
	json_t *text = json_object_get(body, "body");
	if (!json_is_string(text))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'body' is required (the reply's text)");
	in.body = json_string_value(text);
	json_t *ids = json_object_get(body, "attachment_ids");
	if (ids) {
		if (!json_is_array(ids) ||
		    json_array_size(ids) > DD_MAIL_REPLY_ATTACHMENTS_MAX)
			return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
					   "'attachment_ids' must be a list of "
					   "at most %d attachment ids",
					   DD_MAIL_REPLY_ATTACHMENTS_MAX);
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return dd_req_fail(req, 400,
						   DD_PROBLEM_VALIDATION,
						   "'attachment_ids' must hold "
						   "positive ids");
			in.attachment_ids[in.attachment_count++] =
				json_integer_value(v);
		}
	}
	if (dd_mail_reply(&req->ctx, &req->actor, id, &in, &sent, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 201);
	dd_json_obj_begin(j);
	dd_json_kint(j, "article_id", sent.article_id);
	dd_json_kint(j, "outbox_id", sent.outbox_id);
	dd_json_kstr(j, "message_id", sent.message_id);
	dd_json_kstr(j, "to", sent.to);
	dd_json_kstr(j, "subject", sent.subject);
	dd_json_obj_end(j);
	return 0;
}
