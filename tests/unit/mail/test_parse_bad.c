/*
 * test_parse_bad.c - hostile and broken messages: each is parsed into
 * something or refused with a clear error, never a crash, a hang or a
 * leak (the sanitizers watch): no bytes, no header block, NUL bytes,
 * 10,000 recipients, broken base64, "endless" multipart and message
 * nesting, a thousand attachments, a 30 MB text, an unknown charset,
 * raw 8-bit Big5 in a subject, HTML only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "mail/parse.h"

static struct dd_arena arena;

static int setup_one(void **state)
{
	dd_arena_init(&arena, DD_LIMIT_MAIL_PARSE_BYTES);
	return 0;
}

static int teardown_one(void **state)
{
	dd_arena_release(&arena);
	return 0;
}

static int parse(const char *raw, size_t len, struct dd_mail_parsed *m,
		 struct dd_err *err)
{
	dd_err_clear(err);
	return dd_mail_parse(&arena, raw, len, m, err);
}

static void test_empty_and_headerless(void **state)
{
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse("", 0, &m, &err), -1);
	assert_int_equal(err.status, 422);
	assert_non_null(strstr(err.msg, "empty"));
	const char *no_head = "\r\n\r\njust a body, no header block\r\n";
	assert_int_equal(parse(no_head, strlen(no_head), &m, &err), -1);
	assert_int_equal(err.status, 422);
	assert_non_null(strstr(err.msg, "header"));
	const char *junk = "\x01\x02\x03 binary";
	assert_int_equal(parse(junk, strlen(junk), &m, &err), -1);
	/* Leading blank lines and an mbox line are fine. */
	const char *mbox = "\n\nFrom sender Mon Jan 1 00:00:00 2024\n"
			   "Subject: ok\n\nbody\n";
	assert_int_equal(parse(mbox, strlen(mbox), &m, &err), 0);
	assert_string_equal(m.subject, "ok");
	assert_string_equal(m.text, "body");
}

static void test_nul_bytes(void **state)
{
	const char raw[] = "From: a\0b@example.org\r\nSubject: x\0y\r\n\r\n"
			   "one\0two\r\n";
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse(raw, sizeof(raw) - 1, &m, &err), 0);
	assert_true(dd_utf8_valid(m.text, strlen(m.text)));
	assert_true(dd_utf8_valid(m.subject, strlen(m.subject)));
	assert_non_null(strstr(m.text, "one"));
}

static void test_ten_thousand_recipients(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 16 * 1024 * 1024);
	dd_buf_puts(&b, "From: sender@example.org\r\nTo: ");
	for (int i = 0; i < 10000; i++)
		dd_buf_printf(&b, "%sr%d@example.org", i ? ",\r\n " : "", i);
	dd_buf_puts(&b, "\r\nSubject: many\r\n\r\nhi\r\n");
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse(b.data, b.len, &m, &err), 0);
	assert_int_equal(m.to.total, 10000);
	assert_int_equal(m.to.count, DD_LIMIT_MAIL_ADDRESSES);
	assert_string_equal(m.to.items[0].addr, "r0@example.org");
	dd_buf_release(&b);
}

static void test_broken_base64(void **state)
{
	const char *raw =
		"From: a@example.org\r\nSubject: b64\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
		"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n"
		"SGFsbG8gV2VsdA=!!*&%$==\r\nno=base64 here\r\n"
		"--XX\r\nContent-Type: application/pdf; name=r.pdf\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n"
		"JVBERi0x===LjQKJ\x01\x02\xff\r\n"
		"--XX--\r\n";
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse(raw, strlen(raw), &m, &err), 0);
	assert_true(strncmp(m.text, "Hallo Welt", 10) == 0);
	assert_int_equal(m.part_count, 1);
	assert_string_equal(m.parts[0].filename, "r.pdf");
	assert_true(dd_utf8_valid(m.text, strlen(m.text)));
}

static void test_endless_nesting(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 64 * 1024 * 1024);
	dd_buf_puts(&b, "From: a@example.org\r\nSubject: deep\r\n"
			"MIME-Version: 1.0\r\n");
	for (int i = 0; i < 10000; i++)
		dd_buf_printf(&b,
			      "Content-Type: multipart/mixed; boundary=\"b%d\""
			      "\r\n\r\n--b%d\r\n",
			      i, i);
	dd_buf_puts(&b, "Content-Type: text/plain\r\n\r\ninnermost\r\n");
	struct dd_mail_parsed m;
	struct dd_err err;
	time_t t0 = time(NULL);
	assert_int_equal(parse(b.data, b.len, &m, &err), 0);
	assert_true(m.too_deep);
	assert_true(m.parts_dropped > 0);
	assert_true(time(NULL) - t0 < 20);

	/* Messages inside messages. */
	dd_buf_reset(&b);
	dd_buf_puts(&b, "From: a@example.org\r\nSubject: deep\r\n");
	for (int i = 0; i < 5000; i++)
		dd_buf_printf(&b,
			      "Content-Type: message/rfc822\r\n\r\n"
			      "Subject: level %d\r\n",
			      i);
	dd_buf_puts(&b, "\r\ninnermost\r\n");
	assert_int_equal(parse(b.data, b.len, &m, &err), 0);
	dd_buf_release(&b);
}

static void test_many_parts(void **state)
{
	struct dd_buf b;
	dd_buf_init(&b, 16 * 1024 * 1024);
	dd_buf_puts(&b, "From: a@example.org\r\nSubject: parts\r\n"
			"MIME-Version: 1.0\r\n"
			"Content-Type: multipart/mixed; boundary=P\r\n\r\n"
			"--P\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
	for (int i = 0; i < 1000; i++)
		dd_buf_printf(&b,
			      "--P\r\nContent-Type: application/octet-stream; "
			      "name=f%d.bin\r\n\r\ndata %d\r\n",
			      i, i);
	dd_buf_puts(&b, "--P--\r\n");
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse(b.data, b.len, &m, &err), 0);
	assert_int_equal(m.part_count, DD_LIMIT_MAIL_ATTACHMENTS);
	assert_true(m.parts_dropped >= 1000 - DD_LIMIT_MAIL_ATTACHMENTS);
	assert_string_equal(m.text, "hello");
	dd_buf_release(&b);
}

static void test_big_text(void **state)
{
	size_t n = 30 * 1024 * 1024;
	char *raw = malloc(n + 200);
	assert_non_null(raw);
	int h = snprintf(raw, 200,
			 "From: a@example.org\r\nSubject: big\r\n"
			 "\r\n");
	for (size_t i = (size_t)h; i < n; i++)
		raw[i] = (i % 72 == 0) ? '\n' : (char)('a' + i % 26);
	struct dd_mail_parsed m;
	struct dd_err err;
	time_t t0 = time(NULL);
	assert_int_equal(parse(raw, n, &m, &err), 0);
	assert_true(strlen(m.text) > 20 * 1024 * 1024);
	assert_true(time(NULL) - t0 < 30);
	free(raw);
}

static void test_charsets(void **state)
{
	/* Unknown charset: read as windows-1252, valid UTF-8 out. */
	const char *unknown = "From: a@example.org\r\nSubject: u\r\n"
			      "Content-Type: text/plain; charset=x-nonsense\r\n"
			      "\r\nGr\xfc\xdf Gott\r\n";
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse(unknown, strlen(unknown), &m, &err), 0);
	assert_string_equal(m.text, "Gr\xc3\xbc\xc3\x9f Gott");
	/* A raw Big5 subject is read with the text's charset. */
	const char *big5 = "From: a@example.org\r\n"
			   "Subject: \xa4\xa4\xa4\xe5\r\n"
			   "Content-Type: text/plain; charset=big5\r\n"
			   "\r\n\xa4\xa4\xa4\xe5\r\n";
	assert_int_equal(parse(big5, strlen(big5), &m, &err), 0);
	assert_string_equal(m.text, "\xe4\xb8\xad\xe6\x96\x87"); /* 中文 */
	assert_string_equal(m.subject, "\xe4\xb8\xad\xe6\x96\x87");
	/* RFC 2047 in the subject, RFC 2231 in a file name. */
	const char *enc =
		"From: =?utf-8?q?J=C3=B6rg?= <j@example.org>\r\n"
		"Subject: =?iso-8859-1?q?St=F6rung?=\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\n"
		"Content-Type: text/plain\r\n\r\nx\r\n--Z\r\n"
		"Content-Type: application/pdf\r\nContent-Disposition: "
		"attachment; filename*=utf-8''Gr%C3%BC%C3%9Fe.pdf\r\n\r\n"
		"%PDF\r\n--Z--\r\n";
	assert_int_equal(parse(enc, strlen(enc), &m, &err), 0);
	assert_string_equal(m.subject, "St\xc3\xb6rung");
	assert_string_equal(m.from.name, "J\xc3\xb6rg");
	assert_int_equal(m.part_count, 1);
	assert_string_equal(m.parts[0].filename, "Gr\xc3\xbc\xc3\x9f"
						 "e.pdf");
}

static void test_html_only(void **state)
{
	const char *raw =
		"From: a@example.org\r\nSubject: h\r\n"
		"Content-Type: text/html; charset=utf-8\r\n\r\n"
		"<html><body><p>Hallo <b>Team</b>,</p>"
		"<script>steal()</script><p>VPN&nbsp;down</p></body></html>";
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse(raw, strlen(raw), &m, &err), 0);
	assert_true(m.text_from_html);
	assert_string_equal(m.text, "Hallo Team,\n\nVPN down");
}

static void test_encrypted_kept(void **state)
{
	const char *raw =
		"From: a@example.org\r\nSubject: secret\r\nMIME-Version: "
		"1.0\r\n"
		"Content-Type: multipart/encrypted; "
		"protocol=\"application/pgp-encrypted\"; boundary=E\r\n\r\n"
		"--E\r\nContent-Type: application/pgp-encrypted\r\n\r\n"
		"Version: 1\r\n--E\r\nContent-Type: application/octet-stream; "
		"name=encrypted.asc\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n"
		"hQEMA\r\n-----END PGP MESSAGE-----\r\n--E--\r\n";
	struct dd_mail_parsed m;
	struct dd_err err;
	assert_int_equal(parse(raw, strlen(raw), &m, &err), 0);
	assert_true(m.encrypted);
	assert_int_equal(m.part_count, 1);
	assert_string_equal(m.parts[0].filename, "encrypted.asc");
}

int main(void)
{
	dd_mail_parse_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_and_headerless,
						setup_one, teardown_one),
		cmocka_unit_test_setup_teardown(test_nul_bytes, setup_one,
						teardown_one),
		cmocka_unit_test_setup_teardown(test_ten_thousand_recipients,
						setup_one, teardown_one),
		cmocka_unit_test_setup_teardown(test_broken_base64, setup_one,
						teardown_one),
		cmocka_unit_test_setup_teardown(test_endless_nesting, setup_one,
						teardown_one),
		cmocka_unit_test_setup_teardown(test_many_parts, setup_one,
						teardown_one),
		cmocka_unit_test_setup_teardown(test_big_text, setup_one,
						teardown_one),
		cmocka_unit_test_setup_teardown(test_charsets, setup_one,
						teardown_one),
		cmocka_unit_test_setup_teardown(test_html_only, setup_one,
						teardown_one),
		cmocka_unit_test_setup_teardown(test_encrypted_kept, setup_one,
						teardown_one),
	};
	return cmocka_run_group_tests_name("mail/bad-input", tests, NULL, NULL);
}
