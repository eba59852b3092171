/*
 * test_mail_pure.c - the pure parts of the mailbox without a database:
 * the subject tag and outgoing subjects, which ticket a message belongs
 * to (references first, a stranger's tag to triage, closed tickets to
 * triage), loop protection over real auto-replies, bulk mail and
 * bounces from the corpus, our signed Message-IDs (made, checked,
 * forged), "addressed personally", HTML to text and the text cleaner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "mail/clean.h"
#include "mail/html_text.h"
#include "mail/loop.h"
#include "mail/message.h"
#include "mail/message_id.h"
#include "mail/parse.h"
#include "mail/personal.h"
#include "mail/thread.h"

static struct dd_arena arena;

static int setup(void **state)
{
	dd_arena_init(&arena, 256 * 1024 * 1024);
	return 0;
}

static int teardown(void **state)
{
	dd_arena_release(&arena);
	return 0;
}

static struct dd_mail_parsed *parse_text(const char *raw)
{
	struct dd_mail_parsed *m = dd_arena_alloc(&arena, sizeof(*m));
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_mail_parse(&arena, raw, strlen(raw), m, &err) < 0)
		fail_msg("parse failed: %s", err.msg);
	return m;
}

static struct dd_mail_parsed *parse_file(const char *name)
{
	char path[512];
	const char *dir = getenv("DUTYDESK_MAIL_CORPUS");
	snprintf(path, sizeof(path), "%s/%s",
		 dir && *dir ? dir : "../shared/corpus/mail", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	struct dd_buf b;
	dd_buf_init(&b, 64 * 1024 * 1024);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dd_buf_append(&b, chunk, n);
	fclose(f);
	struct dd_mail_parsed *m = dd_arena_alloc(&arena, sizeof(*m));
	struct dd_err err;
	dd_err_clear(&err);
	int rc = dd_mail_parse(&arena, b.data, b.len, m, &err);
	dd_buf_release(&b);
	if (rc < 0)
		fail_msg("%s: %s", name, err.msg);
	return m;
}

/* ---- subject tags ---- */

static void test_subject_tag(void **state)
{
	int64_t n = 0;
	assert_true(dd_mail_subject_tag("Re: VPN down [#10042]", "", &n));
	assert_int_equal(n, 10042);
	assert_true(dd_mail_subject_tag("AW: [DD#77] Drucker", "dd", &n));
	assert_int_equal(n, 77);
	/* Another prefix, no digits, no bracket: no tag. */
	assert_false(dd_mail_subject_tag("[XY#5] x", "DD", &n));
	assert_false(dd_mail_subject_tag("[#] x", "", &n));
	assert_false(dd_mail_subject_tag("[#12 x", "", &n));
	assert_false(dd_mail_subject_tag("#12]", "", &n));
	assert_false(dd_mail_subject_tag(NULL, "", &n));
	/* The first valid tag wins. */
	assert_true(dd_mail_subject_tag("[#x] [#0] [#9]", "", &n));
	assert_int_equal(n, 9);
	assert_true(dd_mail_tag_prefix_valid(""));
	assert_true(dd_mail_tag_prefix_valid("Ticket-1_a"));
	assert_false(dd_mail_tag_prefix_valid("a b"));
	assert_false(dd_mail_tag_prefix_valid("x]"));
}

static void test_subject_for(void **state)
{
	char out[600];
	dd_mail_subject_for("VPN down", "", 10042, 1, out, sizeof(out));
	assert_string_equal(out, "Re: VPN down [#10042]");
	dd_mail_subject_for("Re: VPN down [#10042]", "", 10042, 1, out,
			    sizeof(out));
	assert_string_equal(out, "Re: VPN down [#10042]");
	dd_mail_subject_for("Drucker", "DD", 7, 0, out, sizeof(out));
	assert_string_equal(out, "Drucker [DD#7]");
	dd_mail_subject_for("", "", 7, 0, out, sizeof(out));
	assert_string_equal(out, "[#7]");
	/* A long subject is cut so that the tag stays. */
	char longs[2000];
	memset(longs, 'a', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	dd_mail_subject_for(longs, "", 123, 0, out, 100);
	assert_non_null(strstr(out, "[#123]"));
	assert_true(strlen(out) < 100);
}

/* ---- threading ---- */

static void test_thread_decide(void **state)
{
	struct dd_thread_decision d;
	struct dd_thread_facts f = {0};
	dd_mail_thread_decide(&f, &d);
	assert_int_equal(d.how, DD_THREAD_NEW);
	assert_int_equal(d.ticket_id, 0);

	/* A reference wins over a tag, even a stranger's. */
	f = (struct dd_thread_facts){
		.ref_ticket = 5, .ref_status = "resolved", .tag_ticket = 9};
	dd_mail_thread_decide(&f, &d);
	assert_int_equal(d.how, DD_THREAD_REFERENCE);
	assert_int_equal(d.ticket_id, 5);

	f = (struct dd_thread_facts){.tag_ticket = 9,
				     .tag_status = "open",
				     .tag_sender_entitled = 1};
	dd_mail_thread_decide(&f, &d);
	assert_int_equal(d.how, DD_THREAD_TAG);
	assert_int_equal(d.ticket_id, 9);

	/* A stranger copying a subject tag goes to triage. */
	f.tag_sender_entitled = 0;
	dd_mail_thread_decide(&f, &d);
	assert_int_equal(d.how, DD_THREAD_TRIAGE_STRANGER);
	assert_int_equal(d.ticket_id, 9);
	assert_string_equal(dd_mail_thread_how_name(d.how), "stranger-tag");

	/* Closed tickets are not written into. */
	f = (struct dd_thread_facts){.ref_ticket = 5, .ref_status = "closed"};
	dd_mail_thread_decide(&f, &d);
	assert_int_equal(d.how, DD_THREAD_TRIAGE_CLOSED);
	f = (struct dd_thread_facts){.tag_ticket = 5,
				     .tag_status = "closed",
				     .tag_sender_entitled = 1};
	dd_mail_thread_decide(&f, &d);
	assert_int_equal(d.how, DD_THREAD_TRIAGE_CLOSED);
}

static void test_thread_candidates(void **state)
{
	struct dd_mail_parsed *m =
		parse_text("From: a@example.org\r\n"
			   "In-Reply-To: <c@x>\r\n"
			   "References: <a@x> <b@x>\r\n <c@x>\r\n"
			   "Subject: x\r\n\r\nbody\r\n");
	const char *ids[8];
	int n = dd_mail_thread_candidates(m, ids, 8);
	assert_int_equal(n, 3);
	assert_string_equal(ids[0], "c@x");
	assert_string_equal(ids[1], "b@x");
	assert_string_equal(ids[2], "a@x");
	assert_int_equal(dd_mail_thread_candidates(m, ids, 2), 2);
	/* The threading facts of the RFC example thread. */
	struct dd_mail_parsed *r = parse_file("reply-thread-03.eml");
	n = dd_mail_thread_candidates(r, ids, 8);
	assert_true(n >= 2);
	assert_string_equal(ids[0], "3456@example.net");
}

/* ---- loop protection ---- */

static void test_loop_corpus(void **state)
{
	/* Machines: auto-replies, lists, bounces, reports. */
	static const char *const automatic[] = {"autoreply-01.eml",
						"autoreply-02.eml",
						"autoreply-03.eml",
						"autoreply-04.eml",
						"autoreply-06.eml",
						"bulk-list-01.eml",
						"dsn-postfix-01.eml",
						"dsn-exim-01.eml",
						"dsn-qmail-01.eml",
						"arf-01.eml",
						"mdn-01.eml",
						"plain-05.eml",
						NULL};
	for (int i = 0; automatic[i]; i++) {
		unsigned f = dd_mail_auto_flags(parse_file(automatic[i]), 0);
		if (dd_mail_may_autoanswer(f))
			fail_msg("%s would be answered automatically",
				 automatic[i]);
	}
	/* People. */
	static const char *const people[] = {"plain-01.eml", "reply-01.eml",
					     "rfc2047-04.eml", NULL};
	for (int i = 0; people[i]; i++) {
		unsigned f = dd_mail_auto_flags(parse_file(people[i]), 0);
		if (!dd_mail_may_autoanswer(f))
			fail_msg("%s counts as automatic", people[i]);
	}
}

static void test_loop_headers(void **state)
{
	struct {
		const char *headers;
		unsigned want;
	} cases[] = {
		{"Auto-Submitted: auto-replied\r\n", DD_MAIL_AUTO_SUBMITTED},
		{"Auto-Submitted: no\r\n", 0},
		{"Auto-Submitted: No ; comment\r\n", 0},
		{"Precedence: bulk\r\n", DD_MAIL_AUTO_BULK},
		{"Precedence: junk\r\n", DD_MAIL_AUTO_BULK},
		{"Precedence: list\r\n", DD_MAIL_AUTO_BULK},
		{"Precedence: first-class\r\n", 0},
		{"List-Id: <dev.lists.example.org>\r\n", DD_MAIL_AUTO_LIST},
		{"X-Autoreply: yes\r\n", DD_MAIL_AUTO_SUBMITTED},
		{"X-Autorespond: yes\r\n", DD_MAIL_AUTO_SUBMITTED},
		{"X-Auto-Response-Suppress: OOF, AutoReply\r\n",
		 DD_MAIL_AUTO_SUBMITTED},
		{"Return-Path: <>\r\n", DD_MAIL_AUTO_DAEMON},
		{"X-Dutydesk-Ticket: 42\r\n", DD_MAIL_AUTO_OURS},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char raw[512];
		snprintf(raw, sizeof(raw),
			 "From: Kunde <kunde@example.org>\r\n%sSubject: "
			 "x\r\n\r\nHallo\r\n",
			 cases[i].headers);
		unsigned f = dd_mail_auto_flags(parse_text(raw), 0);
		if (f != cases[i].want)
			fail_msg("'%s': flags %u, want %u", cases[i].headers, f,
				 cases[i].want);
	}
	struct dd_mail_parsed *d =
		parse_text("From: MAILER-DAEMON@mx.example.org\r\nSubject: "
			   "x\r\n\r\nx\r\n");
	assert_true(dd_mail_auto_flags(d, 0) & DD_MAIL_AUTO_DAEMON);
	assert_true(dd_mail_addr_is_daemon("postmaster@example.org"));
	assert_false(dd_mail_addr_is_daemon("postmasters@example.org"));
	/* Our own mail, known by its Message-ID. */
	assert_true(dd_mail_auto_flags(parse_text("From: a@b.c\r\n\r\nx"), 1) &
		    DD_MAIL_AUTO_OURS);
	char names[80];
	dd_mail_auto_format(DD_MAIL_AUTO_LIST | DD_MAIL_AUTO_BULK, names,
			    sizeof(names));
	assert_string_equal(names, "bulk,list");
	/* The cap: ten an hour by default, none with 0. */
	assert_true(dd_mail_autoanswer_allowed(9, 10));
	assert_false(dd_mail_autoanswer_allowed(10, 10));
	assert_false(dd_mail_autoanswer_allowed(0, 0));
}

/* ---- our Message-IDs ---- */

static void test_message_id(void **state)
{
	unsigned char key[DD_MAIL_KEY_BYTES], other[DD_MAIL_KEY_BYTES];
	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	char id[DD_MAIL_MESSAGE_ID_CAP];
	int64_t t = 0;
	assert_int_equal(dd_mail_message_id_make(key, 4242, "0123456789abcdef",
						 "support.example.com", id,
						 sizeof(id)),
			 0);
	assert_true(strncmp(id, "dd.4242.0123456789abcdef.", 25) == 0);
	assert_non_null(strstr(id, "@support.example.com"));
	assert_true(dd_mail_message_id_looks_ours(id));
	assert_int_equal(dd_mail_message_id_check(key, id, &t), 1);
	assert_int_equal(t, 4242);
	/* Another installation's key: forged. */
	assert_int_equal(dd_mail_message_id_check(other, id, &t), -1);
	/* Another ticket with the same signature: forged. */
	char forged[DD_MAIL_MESSAGE_ID_CAP];
	snprintf(forged, sizeof(forged), "dd.4243%s", id + 7);
	assert_int_equal(dd_mail_message_id_check(key, forged, &t), -1);
	/* Not our form at all. */
	assert_int_equal(dd_mail_message_id_check(key, "abc@example.org", &t),
			 0);
	assert_int_equal(dd_mail_message_id_check(key, "dd.x.y.z@a", &t), 0);
	assert_int_equal(
		dd_mail_message_id_make(key, 1, "xyz", "a.b", id, sizeof(id)),
		-1);
	assert_int_equal(dd_mail_message_id_make(key, 1, "0123456789abcdef", "",
						 id, sizeof(id)),
			 -1);
}

/* ---- addressed personally ---- */

static const struct dd_mail_colleague team[] = {
	{11, "skrueger@dutydesk.example", "Sabine Krüger"},
	{12, "tlang@dutydesk.example", "Tobias Lang"},
	{13, "abecker@dutydesk.example", "Anna Becker"},
	{14, "jweber@dutydesk.example", "Jonas Weber"},
	{15, "aweber@dutydesk.example", "Anke Weber"},
};

static void test_personal(void **state)
{
	int n = (int)(sizeof(team) / sizeof(team[0]));
	assert_int_equal(
		dd_mail_salutation("Hallo Sabine,\n\nder VPN...", team, n), 11);
	assert_int_equal(
		dd_mail_salutation("\n  Sehr geehrte Frau Krüger,", team, n),
		11);
	assert_int_equal(dd_mail_salutation("Dear Mr Lang", team, n), 12);
	assert_int_equal(dd_mail_salutation("hi anna!", team, n), 13);
	/* Two Webers: nobody. */
	assert_int_equal(dd_mail_salutation("Hallo Herr Weber,", team, n), 0);
	assert_int_equal(dd_mail_salutation("Hallo Jonas,", team, n), 14);
	/* No greeting, or a name no colleague has. */
	assert_int_equal(dd_mail_salutation("Sabine said hi", team, n), 0);
	assert_int_equal(dd_mail_salutation("Hallo Support-Team,", team, n), 0);
	assert_int_equal(dd_mail_salutation("Hilfe! Sabine", team, n), 0);

	enum dd_mail_personal_by by;
	struct dd_mail_parsed *m =
		parse_text("From: kunde@example.org\r\n"
			   "To: support@dutydesk.example\r\n"
			   "Cc: TLang@dutydesk.example\r\n"
			   "Subject: x\r\n\r\nGuten Tag,\r\n\r\nbitte...\r\n");
	assert_int_equal(dd_mail_personal(m, team, n, &by), 12);
	assert_int_equal(by, DD_PERSONAL_ADDRESS);
	m = parse_text("From: kunde@example.org\r\n"
		       "To: support@dutydesk.example\r\n"
		       "Subject: x\r\n\r\nMoin Tobias,\r\n\r\nbitte...\r\n");
	assert_int_equal(dd_mail_personal(m, team, n, &by), 12);
	assert_int_equal(by, DD_PERSONAL_SALUTATION);
	m = parse_text("From: kunde@example.org\r\n"
		       "To: support@dutydesk.example\r\n"
		       "Subject: x\r\n\r\nHallo,\r\n");
	assert_int_equal(dd_mail_personal(m, team, n, &by), 0);
	assert_int_equal(by, DD_PERSONAL_NONE);
}

/* ---- text ---- */

static void test_html_text(void **state)
{
	const char *html =
		"<html><head><title>T</title><style>p{color:red}</style>"
		"<script>alert('x')</script></head><body>"
		"<p>Hallo&nbsp;Welt &amp; Co.</p><p>Zeile&#32;2<br>Zeile 3"
		"</p><ul><li>eins</li><li>zwei</li></ul>"
		"<!-- secret --><a href=\"https://example.org/x\">Link</a> "
		"<a href=\"https://example.org/\">https://example.org/</a>"
		"<img src=x alt=\"Logo\"> &lt;b&gt; &#x263a; &unknown; a < b"
		"</body></html>";
	char *t = dd_mail_html_text(&arena, html, strlen(html));
	assert_non_null(t);
	assert_non_null(strstr(t, "Hallo Welt & Co."));
	assert_non_null(strstr(t, "Zeile 2\nZeile 3"));
	assert_non_null(strstr(t, "- eins\n- zwei"));
	assert_non_null(strstr(t, "Link<https://example.org/x>"));
	assert_null(strstr(t, "https://example.org/<"));
	assert_non_null(strstr(t, "Logo"));
	assert_non_null(strstr(t, "<b>")); /* text, decoded, not markup */
	assert_non_null(strstr(t, "\xe2\x98\xba"));
	assert_non_null(strstr(t, "&unknown;"));
	assert_non_null(strstr(t, "a < b"));
	assert_null(strstr(t, "alert"));
	assert_null(strstr(t, "color"));
	assert_null(strstr(t, "secret"));
	assert_null(strstr(t, "<p>"));
	/* Unterminated constructs end the text, never read past it. */
	const char *bad[] = {"<script>never closed",
			     "<!-- open",
			     "<a href=",
			     "<p",
			     "&#",
			     "&#x",
			     "<",
			     "&",
			     ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_non_null(
			dd_mail_html_text(&arena, bad[i], strlen(bad[i])));
}

static void test_clean(void **state)
{
	const char in[] = "a\r\nb\rc\0d\x1b[31m\xff\xc2\x85 e  \n\n\n";
	char *t = dd_mail_clean_text(&arena, in, sizeof(in) - 1);
	assert_string_equal(t, "a\nb\ncd[31m\xef\xbf\xbd e");
	char *l = dd_mail_clean_line(&arena, "  a\t b\r\n  c  ", 100);
	assert_string_equal(l, "a b c");
	/* Cut on a character boundary. */
	l = dd_mail_clean_line(&arena, "ab\xc3\xa4\xc3\xb6", 4);
	assert_string_equal(l, "ab\xc3\xa4");
	assert_null(dd_mail_clean_line(&arena, NULL, 10));
}

static void test_dedupe_key(void **state)
{
	const char a[] = "Received: by a\r\nMessage-ID: <x@y>\r\n\r\nbody\r\n";
	const char b[] = "Received: by b\r\nReceived: by c\r\nMessage-ID: "
			 "<x@y>\r\n\r\nbody\r\n";
	const char c[] = "Message-ID: <x@y>\r\n\r\nother body\r\n";
	char ka[DD_MAIL_HASH_LEN], kb[DD_MAIL_HASH_LEN], kc[DD_MAIL_HASH_LEN],
		id[64];
	assert_int_equal(
		dd_mail_raw_message_id(a, sizeof(a) - 1, id, sizeof(id)), 1);
	assert_string_equal(id, "x@y");
	dd_mail_dedupe_key(a, sizeof(a) - 1, "x@y", ka);
	dd_mail_dedupe_key(b, sizeof(b) - 1, "x@y", kb);
	dd_mail_dedupe_key(c, sizeof(c) - 1, "x@y", kc);
	/* Another hop's Received lines: the same message. */
	assert_string_equal(ka, kb);
	/* The same Message-ID with another body: not the same. */
	assert_string_not_equal(ka, kc);
	/* Without a Message-ID the whole bytes count. */
	dd_mail_dedupe_key(a, sizeof(a) - 1, NULL, kc);
	assert_string_not_equal(ka, kc);
	assert_int_equal(dd_mail_raw_message_id("Subject: x\r\n\r\n"
						"Message-ID: <in@body>",
						33, id, sizeof(id)),
			 0);
}

int main(void)
{
	dd_mail_parse_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_tag),
		cmocka_unit_test(test_subject_for),
		cmocka_unit_test(test_thread_decide),
		cmocka_unit_test(test_thread_candidates),
		cmocka_unit_test(test_loop_corpus),
		cmocka_unit_test(test_loop_headers),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_personal),
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_dedupe_key),
	};
	return cmocka_run_group_tests_name("mail/pure", tests, setup, teardown);
}
