/*
 * test_mail_intake.c - the support mailbox over HTTP on both engines:
 *
 *   - a message from an unknown sender is stored (raw bytes returned
 *     byte for byte) and waits in triage;
 *   - the same message again (an MTA retry, another hop's Received
 *     lines) is stored once: 200 with the first id;
 *   - an assignment rule makes a ticket of new mail (channel email, the
 *     sender's contact and organisation, the text as an inbound_mail
 *     article, the attachments on the ticket);
 *   - a reply joins its ticket by In-Reply-To, and by the subject tag
 *     when the ticket's contact writes; the same tag from a stranger goes
 *     to triage with the ticket suggested and writes nothing into it;
 *   - a reply to a resolved ticket reopens it; an auto-reply is kept
 *     internal and reopens nothing;
 *   - a delivery report lands on the ticket whose mail bounced, tagged
 *     "mail-bounce";
 *   - bad input: an empty body (400), the wrong Content-Type (415), a
 *     message over the configured size (413), no header block (stored,
 *     failed, shown, reprocessed), a token without mail:ingest (403);
 *   - the triage actions create-ticket and append, each recorded, each
 *     once (409 after), and only for the triage group once one is set.
 *
 * Every test makes its own organisation (domain) and senders.
 */
#include <string.h>
#include <unistd.h>

#include "api/harness.h"

/* ---- helpers ---- */

static struct api_resp *post_mail(struct api_server *s,
				  const struct api_auth *a, const char *raw)
{
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/mail/inbound?source=mta",
			    .auth = a,
			    .body = raw,
			    .content_type = "message/rfc822"};
	return api_send(s, &q);
}

/* A token of the admin with the mail:ingest scope only. */
static const struct api_auth *ingest_token(struct api_server *s)
{
	struct api_auth *t = api_alloc(sizeof(*t));
	api_token_new(s, s->admin.person_id, "mail:ingest", t);
	return t;
}

/* A message with the given headers (each ending in \r\n) and body. */
static const char *msg(const char *from, const char *mid, const char *extra,
		       const char *subject, const char *body)
{
	return api_fmt("From: %s\r\nTo: support@dutydesk.example\r\n"
		       "Message-ID: <%s>\r\n%sSubject: %s\r\n"
		       "Date: Mon, 2 Nov 2026 10:00:00 +0100\r\n"
		       "MIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		       from, mid, extra ? extra : "", subject, body);
}

/* A fresh domain and an organisation for it. */
static int64_t org_new(struct api_server *s, const char **domain)
{
	*domain = api_fmt("%s.example", api_unique("mailorg"));
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/organisations",
			 api_fmt("{\"name\":\"%s\",\"mail_domains\":[\"%s\"]}",
				 api_unique("Mail Org"), *domain));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

static int64_t contact_new(struct api_server *s, const char *email, int64_t org)
{
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/contacts",
		api_fmt("{\"name\":\"%s\",\"email\":\"%s\","
			"\"organisation_ids\":[%lld]}",
			api_unique("Mail Contact"), email, (long long)org));
	api_expect_json(r, 201);
	return api_int(r->json, "id");
}

/* A rule: mail from org becomes a ticket. */
static void rule_for(struct api_server *s, int64_t org)
{
	struct api_resp *r = api_json(
		s, &s->editor, "POST", "/api/v1/assignment-rules",
		api_fmt("{\"name\":\"%s\",\"conditions\":{\"organisation_id\":"
			"[%lld],\"channel\":[\"email\"]},\"actions\":{"
			"\"priority\":2}}",
			api_unique("mail rule"), (long long)org));
	api_expect_json(r, 201);
}

static json_t *ticket(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->admin, api_fmt("/api/v1/tickets/%lld", (long long)id));
	api_expect_json(r, 200);
	return r->json;
}

static json_t *articles(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->admin,
		api_fmt("/api/v1/tickets/%lld/articles", (long long)id));
	api_expect_json(r, 200);
	return json_object_get(r->json, "items");
}

/* A ticket from a mail of a known contact, through a rule. Returns the
 * ticket id; *mid the mail's Message-ID. */
static int64_t mail_ticket(struct api_server *s, const char **from,
			   const char **mid)
{
	const char *domain;
	int64_t org = org_new(s, &domain);
	*from = api_fmt("kunde@%s", domain);
	contact_new(s, *from, org);
	rule_for(s, org);
	*mid = api_fmt("%s@%s", api_unique("first"), domain);
	struct api_resp *r =
		post_mail(s, ingest_token(s),
			  msg(*from, *mid, NULL, "VPN geht nicht",
			      "Hallo,\r\nder VPN-Zugang geht seit heute "
			      "nicht."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "status"), "ticketed");
	assert_string_equal(api_str(r->json, "how"), "new-ticket");
	return api_int(r->json, "ticket_id");
}

/* ---- tests ---- */

static void test_unknown_sender_waits_in_triage(void **state)
{
	struct api_server *s = *state;
	const char *mid = api_fmt("%s@nowhere.example", api_unique("t"));
	const char *raw = msg("Fremder <fremd@nowhere.example>", mid, NULL,
			      "Frage zur Rechnung", "Guten Tag, ...");
	struct api_resp *r = post_mail(s, ingest_token(s), raw);
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	assert_string_equal(api_str(r->json, "status"), "triage");
	assert_false(api_bool(r->json, "duplicate"));
	assert_true(api_int(r->json, "triage_id") > 0);
	assert_string_equal(r->location, api_fmt("/api/v1/mail/messages/%lld",
						 (long long)id));
	/* Shown with what parsing found. */
	r = api_get(s, &s->viewer, r->location);
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "subject"), "Frage zur Rechnung");
	assert_string_equal(api_str(r->json, "from"), "fremd@nowhere.example");
	assert_string_equal(api_str(r->json, "message_id"), mid);
	assert_string_equal(api_str(r->json, "source"), "mta");
	/* The raw bytes, exactly. */
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/mail/messages/%lld/raw", (long long)id));
	api_expect_status(r, 200);
	assert_int_equal(r->body_len, strlen(raw));
	assert_memory_equal(r->body, raw, strlen(raw));
	assert_non_null(strstr(r->content_type, "message/rfc822"));
	/* In the queue. */
	r = api_get(s, &s->viewer, "/api/v1/triage?limit=500");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items"), *it;
	size_t i;
	int found = 0;
	json_array_foreach(items, i, it) if (api_int(it, "mail_id") == id)
	{
		found = 1;
		assert_string_equal(api_str(it, "reason"), "new");
		assert_string_equal(api_str(it, "status"), "open");
	}
	assert_true(found);
}

static void test_duplicate_stored_once(void **state)
{
	struct api_server *s = *state;
	const struct api_auth *t = ingest_token(s);
	const char *mid = api_fmt("%s@dup.example", api_unique("d"));
	const char *raw = msg("a@dup.example", mid, NULL, "Dup", "once");
	struct api_resp *r = post_mail(s, t, raw);
	api_expect_json(r, 201);
	int64_t id = api_int(r->json, "id");
	/* The MTA retries. */
	r = post_mail(s, t, raw);
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "id"), id);
	assert_true(api_bool(r->json, "duplicate"));
	/* The same message over another hop (IMAP copy). */
	r = post_mail(s, t,
		      api_fmt("Received: from mx2 by imap; Mon, 2 Nov 2026 "
			      "10:00:05 +0100\r\n%s",
			      raw));
	api_expect_json(r, 200);
	assert_int_equal(api_int(r->json, "id"), id);
	/* The same Message-ID with other content is another message. */
	r = post_mail(s, t, msg("a@dup.example", mid, NULL, "Dup", "twice"));
	api_expect_json(r, 201);
	assert_true(api_int(r->json, "id") != id);
}

static void test_rule_makes_ticket_with_attachment(void **state)
{
	struct api_server *s = *state;
	const char *domain;
	int64_t org = org_new(s, &domain);
	const char *from = api_fmt("anna@%s", domain);
	int64_t contact = contact_new(s, from, org);
	rule_for(s, org);
	const char *raw = api_fmt(
		"From: Anna <%s>\r\nTo: support@dutydesk.example\r\n"
		"Message-ID: <%s@%s>\r\n"
		"Subject: =?utf-8?q?St=C3=B6rung_Leitstand?=\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=B\r\n\r\n"
		"--B\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
		"Gr=FC=DFe, die Messwerte fehlen.\r\n"
		"--B\r\nContent-Type: text/plain; name=log.txt\r\n"
		"Content-Disposition: attachment; "
		"filename*=utf-8''Protokoll%%20M%%C3%%A4rz.txt\r\n\r\n"
		"line 1\r\nline 2\r\n--B--\r\n",
		from, api_unique("att"), domain);
	struct api_resp *r = post_mail(s, ingest_token(s), raw);
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "how"), "new-ticket");
	int64_t tid = api_int(r->json, "ticket_id");
	json_t *t = ticket(s, tid);
	assert_string_equal(api_str(t, "channel"), "email");
	assert_string_equal(api_str(t, "subject"), "Störung Leitstand");
	assert_int_equal(api_int(t, "organisation_id"), org);
	assert_int_equal(api_int(t, "contact_id"), contact);
	assert_int_equal(api_int(t, "priority"), 2);
	json_t *a = json_array_get(articles(s, tid), 0);
	assert_string_equal(api_str(a, "kind"), "inbound_mail");
	assert_string_equal(api_str(a, "visibility"), "customer");
	assert_int_equal(api_int(a, "author_contact_id"), contact);
	assert_string_equal(api_str(a, "body"), "Grüße, die Messwerte fehlen.");
	r = api_get(
		s, &s->admin,
		api_fmt("/api/v1/tickets/%lld/attachments", (long long)tid));
	api_expect_json(r, 200);
	json_t *f = json_array_get(json_object_get(r->json, "items"), 0);
	assert_string_equal(api_str(f, "filename"), "Protokoll März.txt");
	assert_int_equal(api_int(f, "article_id"), api_int(a, "id"));
}

static void test_reply_by_reference_and_reopen(void **state)
{
	struct api_server *s = *state;
	const char *from, *mid;
	int64_t tid = mail_ticket(s, &from, &mid);
	/* Resolved by the desk. */
	struct api_resp *r =
		api_json(s, &s->admin, "PATCH",
			 api_fmt("/api/v1/tickets/%lld", (long long)tid),
			 "{\"status\":\"resolved\"}");
	api_expect_json(r, 200);
	/* The customer answers (another address of theirs, no tag): the
	 * reference finds the ticket and reopens it. */
	r = post_mail(s, ingest_token(s),
		      msg("privat@elsewhere.example",
			  api_fmt("%s@elsewhere.example", api_unique("re")),
			  api_fmt("In-Reply-To: <%s>\r\nReferences: <%s>\r\n",
				  mid, mid),
			  "Re: VPN geht nicht", "Geht immer noch nicht."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "how"), "reference");
	assert_int_equal(api_int(r->json, "ticket_id"), tid);
	assert_string_equal(api_str(ticket(s, tid), "status"), "open");
	assert_int_equal(json_array_size(articles(s, tid)), 2);

	/* Resolved again; an out-of-office answer to the thread is kept
	 * internal and reopens nothing. */
	r = api_json(s, &s->admin, "PATCH",
		     api_fmt("/api/v1/tickets/%lld", (long long)tid),
		     "{\"status\":\"resolved\"}");
	api_expect_json(r, 200);
	r = post_mail(s, ingest_token(s),
		      msg(from, api_fmt("%s@x.example", api_unique("ooo")),
			  api_fmt("In-Reply-To: <%s>\r\nAuto-Submitted: "
				  "auto-replied\r\n",
				  mid),
			  "Abwesenheitsnotiz", "Ich bin bis Montag weg."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "how"), "reference");
	assert_string_equal(api_str(ticket(s, tid), "status"), "resolved");
	json_t *a = json_array_get(articles(s, tid), 2);
	assert_string_equal(api_str(a, "visibility"), "internal");
}

static void test_subject_tag_contact_and_stranger(void **state)
{
	struct api_server *s = *state;
	const char *from, *mid;
	int64_t tid = mail_ticket(s, &from, &mid);
	int64_t number = api_int(ticket(s, tid), "number");
	/* The ticket's contact writes a new mail with the tag. */
	struct api_resp *r = post_mail(
		s, ingest_token(s),
		msg(from, api_fmt("%s@t.example", api_unique("tag")), NULL,
		    api_fmt("Nachtrag [#%lld]", (long long)number),
		    "Noch eine Info."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "how"), "tag");
	assert_int_equal(api_int(r->json, "ticket_id"), tid);
	assert_int_equal(json_array_size(articles(s, tid)), 2);
	/* A stranger copies the tag: triage, nothing written. */
	r = post_mail(s, ingest_token(s),
		      msg("boese@attacker.example",
			  api_fmt("%s@attacker.example", api_unique("x")), NULL,
			  api_fmt("Re: [#%lld]", (long long)number),
			  "Bitte Passwort an mich."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "status"), "triage");
	assert_true(json_is_null(json_object_get(r->json, "ticket_id")));
	int64_t item = api_int(r->json, "triage_id");
	assert_int_equal(json_array_size(articles(s, tid)), 2);
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/triage/%lld", (long long)item));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "reason"), "stranger-tag");
	assert_int_equal(api_int(r->json, "suggested_ticket_id"), tid);
	/* A colleague may use the tag. */
	r = post_mail(s, ingest_token(s),
		      msg("Sabine <SKrueger@dutydesk.example>",
			  api_fmt("%s@dutydesk.example", api_unique("c")), NULL,
			  api_fmt("[#%lld] intern", (long long)number),
			  "Ich kümmere mich."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "how"), "tag");
}

static void test_bounce_flags_ticket(void **state)
{
	struct api_server *s = *state;
	const char *from, *mid;
	int64_t tid = mail_ticket(s, &from, &mid);
	const char *dsn = api_fmt(
		"From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\n"
		"To: support@dutydesk.example\r\nMessage-ID: <%s@mx>\r\n"
		"Subject: Undelivered Mail Returned to Sender\r\n"
		"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/report; "
		"report-type=delivery-status; boundary=R\r\n\r\n"
		"--R\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to "
		"inform you that your message could not be delivered.\r\n"
		"--R\r\nContent-Type: message/delivery-status\r\n\r\n"
		"Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: "
		"rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\n"
		"--R\r\nContent-Type: text/rfc822-headers\r\n\r\n"
		"From: support@dutydesk.example\r\nTo: %s\r\n"
		"Message-ID: <%s>\r\nSubject: Re: VPN\r\n--R--\r\n",
		api_unique("dsn"), from, from, mid);
	struct api_resp *r = post_mail(s, ingest_token(s), dsn);
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "status"), "bounce");
	assert_int_equal(api_int(r->json, "ticket_id"), tid);
	json_t *t = ticket(s, tid);
	json_t *tags = json_object_get(t, "tags");
	int tagged = 0;
	for (size_t i = 0; i < json_array_size(tags); i++)
		tagged |= strcmp(json_string_value(json_array_get(tags, i)),
				 "mail-bounce") == 0;
	assert_true(tagged);
	json_t *a = json_array_get(articles(s, tid), 1);
	assert_string_equal(api_str(a, "visibility"), "internal");
	assert_non_null(strstr(api_str(a, "body"), "could not be delivered"));
}

static void test_bad_input(void **state)
{
	struct api_server *s = *state;
	const struct api_auth *t = ingest_token(s);
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/mail/inbound",
			    .auth = t,
			    .body = "",
			    .empty_body = 1,
			    .content_type = "message/rfc822"};
	struct api_resp *r = api_send(s, &q);
	api_assert_problem(r, 400, "validation-failed");
	q.body = "Subject: x\r\n\r\ny";
	q.empty_body = 0;
	q.content_type = "text/plain";
	r = api_send(s, &q);
	api_assert_problem(r, 415, "unsupported-media-type");
	/* No header block: stored, failed, shown, and reprocessed. */
	r = post_mail(s, t,
		      api_fmt("\r\n\r\nno headers %s\r\n", api_unique("nh")));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "status"), "failed");
	assert_non_null(strstr(api_str(r->json, "error"), "header"));
	int64_t id = api_int(r->json, "id");
	r = api_get(s, &s->viewer, "/api/v1/mail/messages?status=failed");
	api_expect_json(r, 200);
	assert_int_equal(
		api_int(json_array_get(json_object_get(r->json, "items"), 0),
			"id"),
		id);
	r = api_json(
		s, &s->editor, "POST",
		api_fmt("/api/v1/mail/messages/%lld/reprocess", (long long)id),
		NULL);
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "failed");
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/mail/messages/%lld", (long long)id));
	assert_int_equal(api_int(r->json, "attempts"), 2);
	/* A processed message is not processed again. */
	r = post_mail(s, t,
		      msg("x@y.example",
			  api_fmt("%s@y.example", api_unique("p")), NULL, "p",
			  "p"));
	r = api_json(s, &s->editor, "POST",
		     api_fmt("/api/v1/mail/messages/%lld/reprocess",
			     (long long)api_int(r->json, "id")),
		     NULL);
	api_assert_problem(r, 409, "conflict");
	/* A token without the scope. */
	struct api_auth rw;
	api_token_new(s, s->admin.person_id, "read,write", &rw);
	r = post_mail(s, &rw, msg("x@y.example", "z@y", NULL, "z", "z"));
	api_assert_problem(r, 403, "forbidden");
	/* The size limit, configured small. */
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"max_bytes\":4096}");
	api_expect_json(r, 200);
	char big[6000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	r = post_mail(s, t, msg("x@y.example", "big@y", NULL, "big", big));
	api_assert_problem(r, 413, "limit-exceeded");
	api_assert_detail_has(r, "4096");
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"max_bytes\":26214400}");
	api_expect_json(r, 200);
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"max_bytes\":100}");
	api_assert_problem(r, 400, "validation-failed");
}

static void test_triage_actions(void **state)
{
	struct api_server *s = *state;
	const char *from, *mid;
	int64_t existing = mail_ticket(s, &from, &mid);
	/* Two mails from strangers. */
	const struct api_auth *t = ingest_token(s);
	struct api_resp *r =
		post_mail(s, t,
			  msg("neu@fremd.example",
			      api_fmt("%s@fremd.example", api_unique("a")),
			      "Cc: Tobias Lang <tlang@dutydesk.example>\r\n",
			      "Bitte neuen Zugang", "Hallo Tobias, ..."));
	api_expect_json(r, 201);
	int64_t one = api_int(r->json, "triage_id");
	r = api_get(s, &s->viewer,
		    api_fmt("/api/v1/triage/%lld", (long long)one));
	assert_true(api_int(r->json, "personal_id") > 0);
	r = post_mail(s, t,
		      msg("auch@fremd.example",
			  api_fmt("%s@fremd.example", api_unique("b")), NULL,
			  "Nachtrag", "Gehört zum VPN-Thema."));
	int64_t two = api_int(r->json, "triage_id");

	/* A triage group: only its members (and editors) may act. */
	int64_t group = api_group_new(s, "Mailbox", "none");
	char login[65];
	int64_t head = api_person_new(s, "head", "head-password-1", login);
	api_member_add(s, group, head);
	api_member_add(s, api_group_id(s, "users"), head);
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     api_fmt("{\"triage_group_id\":%lld}", (long long)group));
	api_expect_json(r, 200);
	r = api_json(
		s, &s->viewer, "POST",
		api_fmt("/api/v1/triage/%lld/create-ticket", (long long)one),
		"{}");
	api_assert_problem(r, 403, "forbidden");
	struct api_auth h;
	api_signin(s, login, "head-password-1", &h);
	r = api_json(
		s, &h, "POST",
		api_fmt("/api/v1/triage/%lld/create-ticket", (long long)one),
		api_fmt("{\"priority\":2,\"owner_id\":%lld}",
			(long long)s->viewer.person_id));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "status"), "done");
	assert_string_equal(api_str(r->json, "action"), "create-ticket");
	assert_int_equal(api_int(r->json, "done_by"), head);
	int64_t made = api_int(r->json, "ticket_id");
	json_t *tk = ticket(s, made);
	assert_string_equal(api_str(tk, "subject"), "Bitte neuen Zugang");
	assert_int_equal(api_int(tk, "priority"), 2);
	assert_int_equal(api_int(tk, "owner_id"), s->viewer.person_id);
	assert_string_equal(api_str(tk, "channel"), "email");
	assert_int_equal(json_array_size(articles(s, made)), 1);
	/* Once only. */
	r = api_json(s, &h, "POST",
		     api_fmt("/api/v1/triage/%lld/append", (long long)one),
		     api_fmt("{\"ticket_id\":%lld}", (long long)existing));
	api_assert_problem(r, 409, "conflict");
	/* Append the other to the existing ticket. */
	r = api_json(s, &h, "POST",
		     api_fmt("/api/v1/triage/%lld/append", (long long)two),
		     "{\"ticket_id\":999999999}");
	api_assert_problem(r, 404, "not-found");
	r = api_json(s, &s->editor, "POST",
		     api_fmt("/api/v1/triage/%lld/append", (long long)two),
		     api_fmt("{\"ticket_id\":%lld}", (long long)existing));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "action"), "append");
	assert_int_equal(json_array_size(articles(s, existing)), 2);
	/* Recorded. */
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/events?object_type=triage_item&"
			    "object_id=%lld",
			    (long long)two));
	api_expect_json(r, 200);
	assert_non_null(strstr(r->body, "triage.append"));
	/* Back to no group for the other tests. */
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"triage_group_id\":null}");
	api_expect_json(r, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_unknown_sender_waits_in_triage),
		API_TEST(test_duplicate_stored_once),
		API_TEST(test_rule_makes_ticket_with_attachment),
		API_TEST(test_reply_by_reference_and_reopen),
		API_TEST(test_subject_tag_contact_and_stranger),
		API_TEST(test_bounce_flags_ticket),
		API_TEST(test_bad_input),
		API_TEST(test_triage_actions),
	};
	return API_RUN("mail_intake", tests);
}
