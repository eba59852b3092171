/*
 * test_compose.c - outgoing mail built with GMime: read back with GMime's
 * own parser, UTF-8 everywhere, our Message-ID and threading headers,
 * RFC 2231 attachment names, and no way to smuggle a header in through
 * a subject or an address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gmime/gmime.h>

#include "mail/compose.h"

#define T0 ((int64_t)1795000000000)

static struct dd_arena arena;

static int setup(void **state)
{
	dd_arena_init(&arena, 1 << 20);
	return 0;
}

static int teardown(void **state)
{
	dd_arena_release(&arena);
	return 0;
}

static GMimeMessage *parse(const char *raw, size_t len)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(raw, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	return m;
}

static void test_round_trip(void **state)
{
	struct dd_err err;
	struct dd_mail_attachment att = {"Prüfbericht März.pdf",
					 "application/pdf", "%PDF-1.4\n", 9};
	struct dd_mail_header auto_sub = {"Auto-Submitted", "auto-replied"};
	struct dd_mail_out out = {
		.from = "Support <support@dutydesk.test>",
		.to = "Jürgen Groß <j.gross@example.org>, b@example.org",
		.cc = "c@example.org",
		.subject = "[#10042] Störung – Grüße",
		.text = "Grüße aus München\n",
		.message_id = "t10042.sig@dutydesk.test",
		.in_reply_to = "<abc@example.org>",
		.references = "<first@example.org> <abc@example.org>",
		.date = T0,
		.headers = &auto_sub,
		.header_count = 1,
		.attachments = &att,
		.attachment_count = 1,
	};
	char *raw;
	size_t len;
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), 0);
	assert_int_equal(strlen(raw), len);
	/* Lines end in CRLF and the raw message is 7-bit clean. */
	assert_non_null(strstr(raw, "\r\n\r\n"));
	for (size_t i = 0; i < len; i++)
		assert_true((unsigned char)raw[i] < 128);
	GMimeMessage *m = parse(raw, len);
	assert_non_null(m);
	assert_string_equal(g_mime_message_get_subject(m),
			    "[#10042] Störung – Grüße");
	assert_string_equal(g_mime_message_get_message_id(m),
			    "t10042.sig@dutydesk.test");
	GMimeObject *top = GMIME_OBJECT(m);
	assert_string_equal(g_mime_object_get_header(top, "In-Reply-To"),
			    "<abc@example.org>");
	assert_string_equal(g_mime_object_get_header(top, "Auto-Submitted"),
			    "auto-replied");
	InternetAddressList *to =
		g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO);
	assert_int_equal(internet_address_list_length(to), 2);
	assert_string_equal(internet_address_get_name(
				    internet_address_list_get_address(to, 0)),
			    "Jürgen Groß");
	GMimeObject *body = g_mime_message_get_mime_part(m);
	assert_true(GMIME_IS_MULTIPART(body));
	GMimeObject *text = g_mime_multipart_get_part(GMIME_MULTIPART(body), 0);
	assert_string_equal(
		g_mime_object_get_content_type_parameter(text, "charset"),
		"utf-8");
	char *decoded = g_mime_text_part_get_text(GMIME_TEXT_PART(text));
	assert_string_equal(decoded, "Grüße aus München\n");
	g_free(decoded);
	GMimeObject *pdf = g_mime_multipart_get_part(GMIME_MULTIPART(body), 1);
	assert_string_equal(g_mime_part_get_filename(GMIME_PART(pdf)),
			    "Prüfbericht März.pdf");
	assert_non_null(strstr(raw, "filename*=UTF-8''Pr%C3%BCfbericht"));
	g_object_unref(m);
}

static void test_generated_message_id_uses_sender_domain(void **state)
{
	struct dd_err err;
	struct dd_mail_out out = {.from = "support@desk.example.com",
				  .to = "a@example.org",
				  .subject = "hello",
				  .text = "plain ascii",
				  .date = T0};
	char *raw;
	size_t len;
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), 0);
	GMimeMessage *m = parse(raw, len);
	const char *id = g_mime_message_get_message_id(m);
	assert_non_null(id);
	assert_non_null(strstr(id, "@desk.example.com"));
	/* ASCII text goes as it is, not encoded. */
	assert_non_null(strstr(raw, "\r\n\r\nplain ascii"));
	g_object_unref(m);
}

static void test_refuses_header_injection_and_bad_addresses(void **state)
{
	struct dd_err err;
	char *raw;
	size_t len;
	struct dd_mail_out out = {.from = "support@dutydesk.test",
				  .to = "a@example.org",
				  .subject = "hi\r\nBcc: victim@example.org",
				  .text = "x",
				  .date = T0};
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), -1);
	assert_int_equal(err.status, 400);
	out.subject = "hi";
	out.to = "a@example.org\nBcc: victim@example.org";
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), -1);
	out.to = "not an address";
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), -1);
	assert_int_equal(err.status, 400);
	out.to = "";
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), -1);
	out.to = "a@example.org";
	out.from = NULL;
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), -1);
	out.from = "support@dutydesk.test";
	struct dd_mail_header h = {"X-Bad: x\r\nBcc", "v"};
	out.headers = &h;
	out.header_count = 1;
	assert_int_equal(dd_mail_compose(&arena, &out, &raw, &len, &err), -1);
}

static void test_address_only(void **state)
{
	char out[64];
	assert_int_equal(dd_mail_address_only("Jürgen <J.Gross@Example.ORG>",
					      out, sizeof(out)),
			 0);
	assert_string_equal(out, "j.gross@example.org");
	assert_int_equal(dd_mail_address_only("a@b.c", out, sizeof(out)), 0);
	assert_string_equal(out, "a@b.c");
	assert_int_equal(dd_mail_address_only("nobody", out, sizeof(out)), -1);
	assert_int_equal(dd_mail_address_only("", out, sizeof(out)), -1);
	assert_int_equal(dd_mail_address_only("a@example.org", out, 4), -1);
}

int main(void)
{
	dd_mail_library_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_generated_message_id_uses_sender_domain),
		cmocka_unit_test(
			test_refuses_header_injection_and_bad_addresses),
		cmocka_unit_test(test_address_only),
	};
	return cmocka_run_group_tests_name("mail/compose", tests, setup,
					   teardown);
}
