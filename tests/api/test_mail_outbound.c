/*
 * test_mail_outbound.c - mail dutydesk sends, on both engines (no relay
 * is configured, so every mail waits in the outbox where the test reads
 * it):
 *
 *   - a reply on a ticket is an outbound_reply article (the ticket's
 *     first response) and a mail to the sender of the ticket's latest
 *     mail; the customer's answer to it joins the ticket by our signed
 *     Message-ID, also from an address nobody knows; the same id with
 *     another ticket's number (forged) joins nothing;
 *   - a reply may carry the ticket's attachments, not another ticket's;
 *     a ticket without any address needs 'to';
 *   - triage: answer goes to the sender, forward to the colleague;
 *   - the automatic acknowledgement of a new ticket: at most the cap per
 *     address and hour, never to an auto-reply or a list.
 */
#include <string.h>

#include "api/harness.h"

static struct api_resp *post_mail(struct api_server *s, const char *raw)
{
	struct api_req q = {.method = "POST",
			    .path = "/api/v1/mail/inbound",
			    .auth = &s->admin,
			    .body = raw,
			    .content_type = "message/rfc822"};
	return api_send(s, &q);
}

static const char *msg(const char *from, const char *mid, const char *extra,
		       const char *subject, const char *body)
{
	return api_fmt("From: %s\r\nTo: support@dutydesk.example\r\n"
		       "Message-ID: <%s>\r\n%sSubject: %s\r\n\r\n%s\r\n",
		       from, mid, extra ? extra : "", subject, body);
}

/* An organisation with a domain and a rule that makes its mail
 * tickets; the domain. */
static const char *customer(struct api_server *s)
{
	const char *domain = api_fmt("%s.example", api_unique("out"));
	struct api_resp *r =
		api_json(s, &s->editor, "POST", "/api/v1/organisations",
			 api_fmt("{\"name\":\"%s\",\"mail_domains\":[\"%s\"]}",
				 api_unique("Out Org"), domain));
	api_expect_json(r, 201);
	int64_t org = api_int(r->json, "id");
	r = api_json(s, &s->editor, "POST", "/api/v1/assignment-rules",
		     api_fmt("{\"name\":\"%s\",\"conditions\":{"
			     "\"organisation_id\":[%lld]},\"actions\":{"
			     "\"priority\":3}}",
			     api_unique("out rule"), (long long)org));
	api_expect_json(r, 201);
	return domain;
}

/* The outbox rows (newest first) of purpose to target. */
static int outbox_count(struct api_server *s, const char *purpose,
			const char *target)
{
	struct api_resp *r = api_get(s, &s->admin, "/api/v1/outbox?limit=500");
	api_expect_json(r, 200);
	json_t *items = json_object_get(r->json, "items"), *it;
	size_t i;
	int n = 0;
	json_array_foreach(
		items, i,
		it) if (strcmp(api_str(it, "purpose"), purpose) == 0 &&
			strcmp(api_str(it, "target"), target) == 0) n++;
	return n;
}

static json_t *ticket(struct api_server *s, int64_t id)
{
	struct api_resp *r = api_get(
		s, &s->admin, api_fmt("/api/v1/tickets/%lld", (long long)id));
	api_expect_json(r, 200);
	return r->json;
}

static void test_reply_threads_back(void **state)
{
	struct api_server *s = *state;
	const char *domain = customer(s);
	const char *from = api_fmt("kunde@%s", domain);
	struct api_resp *r =
		post_mail(s, msg(api_fmt("Kunde <%s>", from),
				 api_fmt("%s@%s", api_unique("q"), domain),
				 NULL, "Drucker druckt nicht", "Hilfe"));
	api_expect_json(r, 201);
	int64_t tid = api_int(r->json, "ticket_id");
	assert_true(tid > 0);
	int64_t number = api_int(ticket(s, tid), "number");

	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/tickets/%lld/replies", (long long)tid),
		     "{\"body\":\"Bitte starten Sie den Drucker neu.\\n\\n"
		     "Grüße\"}");
	api_expect_json(r, 201);
	const char *our_id = api_str(r->json, "message_id");
	assert_true(strncmp(our_id, api_fmt("dd.%lld.", (long long)tid),
			    strlen(api_fmt("dd.%lld.", (long long)tid))) == 0);
	assert_string_equal(api_str(r->json, "to"), from);
	assert_string_equal(
		api_str(r->json, "subject"),
		api_fmt("Re: Drucker druckt nicht [#%lld]", (long long)number));
	int64_t outbox = api_int(r->json, "outbox_id");
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/outbox/%lld", (long long)outbox));
	api_expect_json(r, 200);
	assert_string_equal(api_str(r->json, "kind"), "email");
	assert_string_equal(api_str(r->json, "target"), from);
	assert_string_equal(api_str(r->json, "purpose"), "mail.reply");
	/* No relay is configured: the mail waits (the delivery thread, woken
	 * at commit, may be trying it right now), never lost or dead. */
	const char *status = api_str(r->json, "status");
	assert_true(strcmp(status, "pending") == 0 ||
		    strcmp(status, "sending") == 0);
	/* The article, and the first response. */
	json_t *t = ticket(s, tid);
	assert_false(json_is_null(json_object_get(t, "first_response_at")));
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/tickets/%lld/articles", (long long)tid));
	json_t *a = json_array_get(json_object_get(r->json, "items"), 1);
	assert_string_equal(api_str(a, "kind"), "outbound_reply");
	assert_int_equal(api_int(a, "author_id"), s->viewer.person_id);

	/* The answer comes from an address nobody knows, with a subject
	 * without the tag: our Message-ID says which ticket. */
	r = post_mail(s, msg("privat@elsewhere.example",
			     api_fmt("%s@elsewhere.example", api_unique("a")),
			     api_fmt("In-Reply-To: <%s>\r\n", our_id),
			     "AW: Drucker", "Geht wieder, danke."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "how"), "reference");
	assert_int_equal(api_int(r->json, "ticket_id"), tid);

	/* Our id with another ticket's number, signature kept: forged. */
	const char *forged =
		api_fmt("dd.%lld%s", (long long)tid + 1,
			our_id + strlen(api_fmt("dd.%lld", (long long)tid)));
	r = post_mail(s, msg("boese@attacker.example",
			     api_fmt("%s@attacker.example", api_unique("f")),
			     api_fmt("In-Reply-To: <%s>\r\n", forged), "Re: x",
			     "Gib mir Zugang."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "status"), "triage");

	/* Our own mail coming back (a copy to our address): ignored. */
	r = post_mail(s, msg("support@dutydesk.example", our_id, NULL,
			     "Re: Drucker", "Bitte starten..."));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "status"), "ignored");
}

static void test_reply_attachments_and_recipients(void **state)
{
	struct api_server *s = *state;
	/* A ticket without mail and without contact. */
	struct api_resp *r = api_json(
		s, &s->viewer, "POST", "/api/v1/tickets",
		api_fmt("{\"subject\":\"%s\"}", api_unique("No mail")));
	api_expect_json(r, 201);
	int64_t tid = api_int(r->json, "id");
	const char *path =
		api_fmt("/api/v1/tickets/%lld/replies", (long long)tid);
	r = api_json(s, &s->viewer, "POST", path, "{\"body\":\"Hallo\"}");
	api_assert_problem(r, 400, "validation-failed");
	api_assert_detail_has(r, "'to'");
	r = api_json(s, &s->viewer, "POST", path,
		     "{\"body\":\"Hallo\",\"to\":\"not an address\"}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->viewer, "POST", path, "{\"to\":\"a@b.example\"}");
	api_assert_problem(r, 400, "validation-failed");
	/* A file of this ticket goes along; one of another does not. */
	struct api_req up = {
		.method = "POST",
		.path = api_fmt("/api/v1/tickets/%lld/attachments?filename="
				"Anleitung.txt",
				(long long)tid),
		.auth = &s->viewer,
		.body = "Schritt 1: ...\n",
		.content_type = "text/plain"};
	r = api_send(s, &up);
	api_expect_json(r, 201);
	int64_t file = api_int(r->json, "id");
	r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
		     "{\"subject\":\"other\"}");
	int64_t other = api_int(r->json, "id");
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/tickets/%lld/replies", (long long)other),
		     api_fmt("{\"body\":\"x\",\"to\":\"a@b.example\","
			     "\"attachment_ids\":[%lld]}",
			     (long long)file));
	api_assert_problem(r, 404, "not-found");
	r = api_json(s, &s->viewer, "POST", path,
		     api_fmt("{\"body\":\"Anbei die Anleitung.\",\"to\":"
			     "\"Kunde <kunde@b.example>, k2@b.example\","
			     "\"attachment_ids\":[%lld]}",
			     (long long)file));
	api_expect_json(r, 201);
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/outbox/%lld",
			    (long long)api_int(r->json, "outbox_id")));
	assert_string_equal(api_str(r->json, "target"),
			    "kunde@b.example,k2@b.example");
	assert_true(api_int(r->json, "size") > 300);
}

static void test_triage_answer_and_forward(void **state)
{
	struct api_server *s = *state;
	const char *from = api_fmt("%s@fremd.example", api_unique("tr"));
	struct api_resp *r = post_mail(
		s, msg(from, api_fmt("%s@fremd.example", api_unique("m")),
		       "Reply-To: antwort@fremd.example\r\n", "Kurze Frage",
		       "Haben Sie morgen offen?"));
	api_expect_json(r, 201);
	int64_t one = api_int(r->json, "triage_id");
	r = post_mail(s, msg(from, api_fmt("%s@fremd.example", api_unique("m")),
			     NULL, "Für Jonas", "Hallo Jonas, ..."));
	int64_t two = api_int(r->json, "triage_id");

	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/triage/%lld/answer", (long long)one),
		     "{\"body\":\"Ja, ab 8 Uhr.\"}");
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "item"), "action"),
			    "answer");
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/outbox/%lld",
			    (long long)api_int(r->json, "outbox_id")));
	assert_string_equal(api_str(r->json, "target"),
			    "antwort@fremd.example");
	assert_string_equal(api_str(r->json, "purpose"), "triage.answer");

	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/triage/%lld/forward", (long long)two),
		     "{\"person_id\":999999}");
	api_assert_problem(r, 400, "validation-failed");
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/triage/%lld/forward", (long long)two),
		     api_fmt("{\"person_id\":%lld,\"note\":\"Für dich.\"}",
			     (long long)s->viewer.person_id));
	api_expect_json(r, 200);
	assert_string_equal(api_str(api_obj(r->json, "item"), "action"),
			    "forward");
	r = api_get(s, &s->admin,
		    api_fmt("/api/v1/outbox/%lld",
			    (long long)api_int(r->json, "outbox_id")));
	assert_string_equal(api_str(r->json, "target"),
			    "jweber@dutydesk.example");
	/* Done once. */
	r = api_json(s, &s->viewer, "POST",
		     api_fmt("/api/v1/triage/%lld/answer", (long long)two),
		     "{\"body\":\"x\"}");
	api_assert_problem(r, 409, "conflict");
}

static void test_acknowledgement_capped(void **state)
{
	struct api_server *s = *state;
	const char *domain = customer(s);
	struct api_resp *r =
		api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
			 "{\"acknowledge\":true,\"autoreply_cap\":"
			 "2,\"tag_prefix\":\"DD\"}");
	api_expect_json(r, 200);
	const char *from = api_fmt("viel@%s", domain);
	for (int i = 0; i < 4; i++) {
		r = post_mail(s,
			      msg(from,
				  api_fmt("%s@%s", api_unique("ack"), domain),
				  NULL, api_fmt("Anfrage %d", i), "Bitte"));
		api_expect_json(r, 201);
		assert_string_equal(api_str(r->json, "how"), "new-ticket");
	}
	assert_int_equal(outbox_count(s, "mail.acknowledge", from), 2);
	/* An auto-reply and list mail from the same customer get none. */
	const char *ooo = api_fmt("urlaub@%s", domain);
	r = post_mail(s, msg(ooo, api_fmt("%s@%s", api_unique("o"), domain),
			     "Auto-Submitted: auto-replied\r\n", "Urlaub",
			     "Bin weg"));
	api_expect_json(r, 201);
	const char *list = api_fmt("liste@%s", domain);
	r = post_mail(s, msg(list, api_fmt("%s@%s", api_unique("l"), domain),
			     "List-Id: <news.example>\r\n", "News", "News"));
	api_expect_json(r, 201);
	assert_int_equal(outbox_count(s, "mail.acknowledge", ooo), 0);
	assert_int_equal(outbox_count(s, "mail.acknowledge", list), 0);
	/* A person at the same customer gets one. */
	const char *other = api_fmt("andere@%s", domain);
	r = post_mail(s, msg(other, api_fmt("%s@%s", api_unique("p"), domain),
			     NULL, "Frage", "Frage"));
	assert_int_equal(outbox_count(s, "mail.acknowledge", other), 1);
	/* The tag has the prefix now. The sender's domain alone does not
	 * entitle them to write into the ticket (no contact); a colleague
	 * may. */
	int64_t number =
		api_int(ticket(s, api_int(r->json, "ticket_id")), "number");
	const char *tagged = api_fmt("Re: Frage [DD#%lld]", (long long)number);
	r = post_mail(s, msg(other, api_fmt("%s@%s", api_unique("p"), domain),
			     NULL, tagged, "Nachtrag"));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "status"), "triage");
	r = post_mail(s, msg("tlang@dutydesk.example",
			     api_fmt("%s@dutydesk.example", api_unique("p")),
			     NULL, tagged, "Intern"));
	api_expect_json(r, 201);
	assert_string_equal(api_str(r->json, "how"), "tag");
	/* "[#N]" without the prefix is no tag any more. */
	r = post_mail(s,
		      msg("tlang@dutydesk.example",
			  api_fmt("%s@dutydesk.example", api_unique("p")), NULL,
			  api_fmt("[#%lld]", (long long)number), "Intern"));
	assert_string_equal(api_str(r->json, "status"), "triage");
	r = api_json(s, &s->admin, "PUT", "/api/v1/mail/settings",
		     "{\"acknowledge\":false,\"autoreply_cap\":10,"
		     "\"tag_prefix\":\"\"}");
	api_expect_json(r, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_reply_threads_back),
		API_TEST(test_reply_attachments_and_recipients),
		API_TEST(test_triage_answer_and_forward),
		API_TEST(test_acknowledgement_capped),
	};
	return API_RUN("mail_outbound", tests);
}
