#include "mail/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "mail/append.h"
#include "mail/clean.h"
#include "mail/lookup.h"
#include "mail/loop.h"
#include "mail/message.h"
#include "mail/outbound.h"
#include "mail/parse.h"
#include "mail/personal.h"
#include "mail/settings.h"
#include "mail/thread.h"
#include "mail/triage.h"
#include "store/store.h"
#include "ticket/rules.h"
#include "ticket/search_text.h"
#include "ticket/ticket.h"

/* Colleagues looked at for "addressed personally". */
#define COLLEAGUES_MAX 2000
/* Message-IDs of one message looked up for threading. */
#define CANDIDATES_MAX 20

/* What routing decided, for the outcome and the event. */
struct route {
	const char *status;
	const char *how;
	int64_t ticket_id, article_id, triage_id;
};

/* The ticket a referenced Message-ID names: one we stored (sent or
 * received), merges followed. */
static int by_references(struct dd_ctx *ctx, const struct dd_mail_parsed *m,
			 int64_t *ticket_id, struct dd_err *err)
{
	const char *ids[CANDIDATES_MAX];
	int n = dd_mail_thread_candidates(m, ids, CANDIDATES_MAX);
	*ticket_id = 0;
	for (int i = 0; i < n && !*ticket_id; i++) {
		int outbound;
		/* One of our signed ids names its ticket by itself (also
		 * when the index lost it); a forged one counts for nothing. */
		if (dd_mail_our_ticket(ctx, ids[i], ticket_id, err) < 0)
			return -1;
		if (!*ticket_id &&
		    dd_mail_ticket_by_message_id(ctx, ids[i], ticket_id,
						 &outbound, err) < 0)
			return -1;
	}
	return 0;
}

static int ticket_status(struct dd_ctx *ctx, int64_t id, const char **status,
			 struct dd_err *err)
{
	struct dd_ticket t;
	if (dd_ticket_load(ctx, id, &t, err) < 0)
		return -1;
	*status = t.status;
	return 0;
}

/* The subject for a ticket made from m: cut to the ticket's limit. */
static const char *ticket_subject(struct dd_arena *arena,
				  const struct dd_mail_parsed *m)
{
	const char *s = m->subject && *m->subject ? m->subject : NULL;
	if (!s) {
		const char *who = m->from.addr ? m->from.addr
					       : "an unknown "
						 "sender";
		return dd_arena_printf(arena, "Mail from %.200s", who);
	}
	size_t keep = dd_mail_utf8_cut(s, strlen(s), DD_TICKET_SUBJECT_MAX);
	return dd_arena_strndup(arena, s, keep);
}

/* Would an assignment rule take a new ticket with these facts? */
static int rule_matches(struct dd_ctx *ctx, int64_t org_id, const char *subject,
			int *matches, struct dd_err *err)
{
	struct dd_rule *rules;
	int n = 0;
	*matches = 0;
	if (dd_rule_list(ctx, &rules, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	struct dd_buf norm;
	dd_buf_init(&norm, 64 * 1024);
	dd_search_normalise(subject, &norm);
	struct dd_rule_facts facts = {.organisation_id = org_id,
				      .channel = "email",
				      .priority = 3,
				      .subject = dd_buf_str(&norm)};
	struct dd_rule_keep keep = {0};
	struct dd_rule_outcome outcome;
	dd_rules_decide(rules, n, &facts, &keep, &outcome);
	dd_buf_release(&norm);
	*matches = outcome.count > 0;
	return 0;
}

/* A new ticket from m, its first article the mail. */
static int new_ticket(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t mail_id, const struct dd_mail_parsed *m,
		      int64_t contact, int64_t org, struct route *r,
		      struct dd_err *err)
{
	struct dd_ticket t;
	struct dd_ticket_input in = {
		.subject = ticket_subject(ctx->arena, m),
		.channel = "email",
		.organisation_id = org,
		.organisation_set = org != 0,
		.contact_id = contact,
		.contact_set = contact != 0,
		.needs_completion = !org || !contact,
		.needs_completion_set = 1,
	};
	if (!in.subject)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_ticket_create(ctx, actor, &in, &t, err) < 0 ||
	    dd_mail_append(ctx, actor, t.id, mail_id, m, NULL, 0,
			   &r->article_id, err) < 0)
		return -1;
	r->ticket_id = t.id;
	r->status = "ticketed";
	r->how = "new-ticket";
	return 0;
}

static int to_triage(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t mail_id, const struct dd_mail_parsed *m,
		     const char *reason, int64_t suggested, int64_t *personal,
		     struct route *r, struct dd_err *err)
{
	struct dd_mail_colleague *colleagues;
	int n = 0;
	enum dd_mail_personal_by by;
	if (dd_mail_colleagues(ctx, &colleagues, &n, COLLEAGUES_MAX, err) < 0)
		return -1;
	*personal = dd_mail_personal(m, colleagues, n, &by);
	if (dd_triage_add(ctx, actor, mail_id, reason, *personal, suggested,
			  &r->triage_id, err) < 0)
		return -1;
	r->status = "triage";
	r->how = "triage";
	r->ticket_id = 0;
	return 0;
}

/* A delivery report: onto the ticket whose mail bounced. 1 when it was
 * placed, 0 when it names no ticket of ours. */
static int bounce(struct dd_ctx *ctx, const struct dd_actor *actor,
		  int64_t mail_id, const struct dd_mail_parsed *m,
		  struct route *r, struct dd_err *err)
{
	int64_t ticket = 0;
	int outbound = 0;
	if (!m->bounced_message_id ||
	    dd_mail_ticket_by_message_id(ctx, m->bounced_message_id, &ticket,
					 &outbound, err) < 0)
		return dd_err_is_set(err) ? -1 : 0;
	if (!ticket)
		return 0;
	char *prefix = dd_arena_printf(
		ctx->arena,
		"Delivery failure: a mail of this ticket could not be "
		"delivered (Message-ID <%s>).\n\n",
		m->bounced_message_id);
	if (!prefix)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_mail_append(ctx, actor, ticket, mail_id, m, prefix, 1,
			   &r->article_id, err) < 0)
		return -1;
	/* The flag: a tag a view can find. */
	if (dd_store_exec(ctx->store,
			  "INSERT INTO ticket_tags (ticket_id, tag) VALUES "
			  "($1, 'mail-bounce') ON CONFLICT DO NOTHING",
			  (struct dd_param[]){DD_P_INT(ticket)}, 1, err) < 0)
		return -1;
	char after[300];
	snprintf(after, sizeof(after),
		 "{\"mail_id\":%lld,\"article_id\":%lld,\"tag\":\"mail-"
		 "bounce\"}",
		 (long long)mail_id, (long long)r->article_id);
	if (dd_event_append(ctx->store, dd_ctx_now(ctx), actor,
			    "ticket.mail.bounce", "ticket", ticket, NULL, after,
			    err) < 0)
		return -1;
	r->ticket_id = ticket;
	r->status = "bounce";
	r->how = "bounce";
	return 1;
}

static int route(struct dd_ctx *ctx, const struct dd_actor *actor,
		 int64_t mail_id, const struct dd_mail_parsed *m,
		 const struct dd_mail_settings *s, struct route *r,
		 char *flags_text, size_t flags_cap, struct dd_err *err)
{
	int64_t ours_ticket = 0, personal = 0;
	int outbound = 0;
	if (m->message_id &&
	    dd_mail_ticket_by_message_id(ctx, m->message_id, &ours_ticket,
					 &outbound, err) < 0)
		return -1;
	if (!outbound && m->message_id) {
		int64_t signed_ticket = 0;
		if (dd_mail_our_ticket(ctx, m->message_id, &signed_ticket,
				       err) < 0)
			return -1;
		outbound = signed_ticket != 0;
	}
	int from_us = dd_mail_settings_is_ours(s, m->from.addr);
	unsigned flags = dd_mail_auto_flags(m, outbound || from_us);
	dd_mail_auto_format(flags, flags_text, flags_cap);
	/* Our own mail come back (a copy to our own address). */
	if (outbound) {
		r->status = "ignored";
		r->how = "ignored";
		return 0;
	}
	if (m->report == DD_MAIL_REPORT_DELIVERY ||
	    (flags & DD_MAIL_AUTO_DAEMON)) {
		int rc = bounce(ctx, actor, mail_id, m, r, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		if (m->report == DD_MAIL_REPORT_DELIVERY)
			return to_triage(ctx, actor, mail_id, m, "bounce", 0,
					 &personal, r, err);
	}

	struct dd_thread_facts facts = {0};
	struct dd_thread_decision d;
	int64_t number;
	if (by_references(ctx, m, &facts.ref_ticket, err) < 0)
		return -1;
	if (facts.ref_ticket &&
	    ticket_status(ctx, facts.ref_ticket, &facts.ref_status, err) < 0)
		return -1;
	if (!facts.ref_ticket &&
	    dd_mail_subject_tag(m->subject, s->tag_prefix, &number)) {
		struct dd_ticket t;
		struct dd_err e;
		dd_err_clear(&e);
		if (dd_ticket_get_by_number(ctx, number, &t, &e) == 0) {
			facts.tag_ticket = t.id;
			facts.tag_status = t.status;
			if (dd_mail_sender_entitled(ctx, t.id, m->from.addr,
						    &facts.tag_sender_entitled,
						    err) < 0)
				return -1;
		} else if (e.status != 404) {
			*err = e;
			return -1;
		}
	}
	dd_mail_thread_decide(&facts, &d);
	int automatic = (flags & DD_MAIL_AUTO_MACHINE) != 0;
	switch (d.how) {
	case DD_THREAD_REFERENCE:
	case DD_THREAD_TAG:
		if (dd_mail_append(ctx, actor, d.ticket_id, mail_id, m, NULL,
				   automatic, &r->article_id, err) < 0)
			return -1;
		r->ticket_id = d.ticket_id;
		r->status = "ticketed";
		r->how = dd_mail_thread_how_name(d.how);
		return 0;
	case DD_THREAD_TRIAGE_STRANGER:
	case DD_THREAD_TRIAGE_CLOSED:
		return to_triage(ctx, actor, mail_id, m,
				 dd_mail_thread_how_name(d.how), d.ticket_id,
				 &personal, r, err);
	case DD_THREAD_NEW:
		break;
	}
	if (automatic)
		return to_triage(ctx, actor, mail_id, m, "automatic", 0,
				 &personal, r, err);
	int64_t contact = 0, org = 0;
	int matches = 0;
	if (dd_mail_find_contact(ctx, m->from.addr, &contact, &org, err) < 0 ||
	    (!org &&
	     dd_mail_find_org_by_domain(ctx, m->from.addr, &org, err) < 0) ||
	    rule_matches(ctx, org, ticket_subject(ctx->arena, m), &matches,
			 err) < 0)
		return -1;
	if (matches) {
		int sent = 0;
		if (new_ticket(ctx, actor, mail_id, m, contact, org, r, err) <
			    0 ||
		    (s->acknowledge &&
		     dd_mail_acknowledge(ctx, r->ticket_id, m, flags,
					 s->autoreply_cap, &sent, err) < 0))
			return -1;
		return 0;
	}
	return to_triage(ctx, actor, mail_id, m, "new", 0, &personal, r, err);
}

/* Record a failure in its own transaction; the message stays. */
static void mark_failed(struct dd_ctx *ctx, const struct dd_actor *actor,
			int64_t id, const struct dd_mail_parsed *m,
			const char *why)
{
	struct dd_err err;
	char after[DD_ERR_MSG_MAX + 100];
	struct dd_buf esc;
	dd_err_clear(&err);
	dd_buf_init(&esc, sizeof(after));
	struct dd_json_out j;
	dd_json_out_init(&j, &esc);
	dd_json_obj_begin(&j);
	dd_json_kstr(&j, "status", "failed");
	dd_json_kstr(&j, "error", why);
	dd_json_obj_end(&j);
	if (dd_store_begin(ctx->store, &err) < 0 ||
	    dd_store_exec(ctx->store,
			  "UPDATE mail_messages SET attempts = attempts + 1 "
			  "WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, &err) < 0 ||
	    dd_mail_message_outcome(ctx, id, "failed", 0, 0, m, "", why, &err) <
		    0 ||
	    dd_event_append(ctx->store, dd_ctx_now(ctx), actor, "mail.failed",
			    "mail_message", id, NULL, dd_buf_str(&esc),
			    &err) < 0 ||
	    dd_store_commit(ctx->store, &err) < 0) {
		dd_store_rollback(ctx->store);
		dd_log_write(ctx->log, DD_LOG_ERROR, DD_SUB_MAIL,
			     "mail failure not recorded", "id=%lld status=%d",
			     (long long)id, err.status);
	}
	dd_buf_release(&esc);
	dd_log_write(ctx->log, DD_LOG_WARN, DD_SUB_MAIL, "mail failed",
		     "id=%lld", (long long)id);
}

/* Parse and route raw (the stored message id) with the mail settings
 * given (read once per message: the intake has them already), or read
 * here when settings is NULL. */
static int process_raw(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t id, const void *raw, size_t len,
		       const struct dd_mail_settings *settings,
		       struct dd_mail_outcome *out, struct dd_err *err)
{
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_err perr;
	struct route r = {0};
	char flags[128] = "";
	dd_err_clear(&perr);
	dd_arena_init(&arena, DD_LIMIT_MAIL_PARSE_BYTES);
	out->id = id;
	int parsed = dd_mail_parse(&arena, raw, len, &m, &perr) == 0;
	if (!parsed) {
		mark_failed(ctx, actor, id, NULL, perr.msg);
		out->status = "failed";
		out->how = "failed";
		out->error = dd_arena_strdup(ctx->arena, perr.msg);
		dd_arena_release(&arena);
		return 0;
	}
	/* Routing writes with the context's arena for what it returns and
	 * the message's arena for everything else. */
	struct dd_ctx rctx = *ctx;
	rctx.arena = &arena;
	struct dd_mail_settings s;
	if (dd_store_begin(ctx->store, err) < 0)
		goto hard;
	int64_t claimed = dd_store_exec(
		ctx->store,
		"UPDATE mail_messages SET attempts = attempts + 1 WHERE id = "
		"$1 AND status IN ('stored', 'failed')",
		(struct dd_param[]){DD_P_INT(id)}, 1, err);
	if (claimed < 0)
		goto hard;
	if (claimed == 0) {
		dd_store_rollback(ctx->store);
		dd_arena_release(&arena);
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "mail message %lld was processed already",
				  (long long)id);
	}
	if (settings)
		s = *settings;
	else if (dd_mail_settings_get(&rctx, &s, err) < 0)
		goto soft;
	if (route(&rctx, actor, id, &m, &s, &r, flags, sizeof(flags), err) <
		    0 ||
	    dd_mail_message_outcome(&rctx, id, r.status, r.ticket_id,
				    r.article_id, &m, flags, NULL, err) < 0)
		goto soft;
	char after[400];
	snprintf(after, sizeof(after),
		 "{\"status\":\"%s\",\"how\":\"%s\",\"ticket_id\":%lld,"
		 "\"article_id\":%lld,\"triage_id\":%lld}",
		 r.status, r.how, (long long)r.ticket_id,
		 (long long)r.article_id, (long long)r.triage_id);
	if (dd_event_append(ctx->store, dd_ctx_now(ctx), actor, "mail.process",
			    "mail_message", id, NULL, after, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto soft;
	out->status = r.status;
	out->how = r.how;
	out->ticket_id = r.ticket_id;
	out->article_id = r.article_id;
	out->triage_id = r.triage_id;
	dd_arena_release(&arena);
	return 0;
soft:
	/* The routing failed: the message is kept as failed, unless the
	 * database is away (then it stays "stored" for a retry). */
	dd_store_rollback(ctx->store);
	if (err->status != 503) {
		mark_failed(ctx, actor, id, &m, err->msg);
		out->status = "failed";
		out->how = "failed";
		out->error = dd_arena_strdup(ctx->arena, err->msg);
		dd_err_clear(err);
		dd_arena_release(&arena);
		return 0;
	}
hard:
	dd_store_rollback(ctx->store);
	dd_arena_release(&arena);
	return -1;
}

int dd_mail_ingest(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const char *source, const void *raw, size_t len,
		   struct dd_mail_outcome *out, struct dd_err *err)
{
	struct dd_mail_settings s;
	memset(out, 0, sizeof(*out));
	if (len == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "the message is empty");
	if (dd_mail_settings_get(ctx, &s, err) < 0)
		return -1;
	if ((int64_t)len > s.max_bytes)
		return dd_err_set(err, 413, DD_PROBLEM_LIMIT,
				  "the message has %zu bytes, more than the "
				  "limit of %lld bytes (mail settings "
				  "max_bytes)",
				  len, (long long)s.max_bytes);
	if (dd_mail_message_store(ctx, actor, source, raw, len, &out->id,
				  &out->duplicate, err) < 0)
		return -1;
	if (out->duplicate) {
		struct dd_mail_message m;
		if (dd_mail_message_get(ctx, out->id, &m, err) < 0)
			return -1;
		out->status = m.status;
		out->ticket_id = m.ticket_id;
		out->article_id = m.article_id;
		return 0;
	}
	if (process_raw(ctx, actor, out->id, raw, len, &s, out, err) < 0) {
		/* Stored: the message is safe; the caller learns it is
		 * waiting. */
		out->status = "stored";
		out->how = NULL;
		out->error = dd_arena_strdup(ctx->arena, err->msg);
		dd_err_clear(err);
	}
	return 0;
}

int dd_mail_process(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_mail_outcome *out, struct dd_err *err)
{
	struct dd_mail_message m;
	struct dd_buf raw;
	memset(out, 0, sizeof(*out));
	if (dd_mail_message_get(ctx, id, &m, err) < 0)
		return -1;
	if (strcmp(m.status, "stored") != 0 && strcmp(m.status, "failed") != 0)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "mail message %lld is %s: only stored or "
				  "failed messages are processed again",
				  (long long)id, m.status);
	dd_buf_init(&raw, DD_LIMIT_MAIL_BYTES_MAX + 1);
	if (dd_mail_message_raw(ctx, id, &raw, err) < 0) {
		dd_buf_release(&raw);
		return -1;
	}
	int rc = process_raw(ctx, actor, id, raw.data ? raw.data : "", raw.len,
			     NULL, out, err);
	dd_buf_release(&raw);
	return rc;
}
