/*
 * test_filename.c - uploaded names and media types as data: which names
 * are refused, the display name (no path separators, quotes, controls,
 * bidirectional tricks, leading dots), the Content-Disposition value
 * (RFC 6266 with an ASCII fallback and RFC 8187 encoding), the check of
 * a Content-Type, and which stored types are served as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ticket/filename.h"

static void accepted(const char *name)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_filename_check(name, &err) != 0)
		fail_msg("'%s' refused: %s", name, err.msg);
}

static void refused(const char *name, const char *why)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_filename_check(name, &err) == 0)
		fail_msg("'%s' accepted (%s)", name ? name : "(null)", why);
	assert_int_equal(err.status, 400);
}

static void test_check(void **state)
{
	char name[DD_LIMIT_FILENAME + 2];
	(void)state;
	accepted("report.pdf");
	accepted("../../etc/passwd"); /* only data: see the display name */
	accepted("a\"b.txt");
	accepted("Störungsbericht – März.docx");
	accepted("日本語.txt");
	refused(NULL, "missing");
	refused("", "empty");
	refused("x\r\nSet-Cookie: y", "CR LF");
	refused("tab\there", "tab");
	refused("nul\x7f", "DEL");
	refused("bad\xc3(utf8", "invalid UTF-8");
	refused("\xc0\xaf", "overlong");
	memset(name, 'a', DD_LIMIT_FILENAME);
	name[DD_LIMIT_FILENAME] = '\0';
	accepted(name);
	name[DD_LIMIT_FILENAME] = 'a';
	name[DD_LIMIT_FILENAME + 1] = '\0';
	refused(name, "too long");
}

static void expect_display(const char *name, const char *want)
{
	char out[DD_FILENAME_DISPLAY_CAP];
	dd_filename_display(name, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_display(void **state)
{
	(void)state;
	expect_display("report.pdf", "report.pdf");
	expect_display("../../etc/passwd", "_.._etc_passwd");
	expect_display("..\\..\\boot.ini", "_.._boot.ini");
	expect_display("/etc/passwd", "_etc_passwd");
	expect_display("a\"b.txt", "a_b.txt");
	expect_display(".htaccess", "htaccess");
	expect_display("  name.txt . ", "name.txt");
	expect_display("...", "attachment");
	expect_display(". .", "attachment");
	expect_display("Störung.txt", "Störung.txt");
	expect_display("日本語.txt", "日本語.txt");
	/* U+202E RIGHT-TO-LEFT OVERRIDE makes "invoice\u202Efdp.exe" look
	 * like invoice-exe.pdf. */
	expect_display("invoice\xe2\x80\xae"
		       "fdp.exe",
		       "invoice_fdp.exe");
	/* U+2028 LINE SEPARATOR, U+0085 NEXT LINE (C1), U+FEFF. */
	expect_display("a\xe2\x80\xa8"
		       "b\xc2\x85"
		       "c\xef\xbb\xbf"
		       "d",
		       "a_b_c_d");
	/* Controls never pass the check, but the display is safe anyway. */
	expect_display("x\r\nSet-Cookie: y", "x__Set-Cookie: y");
}

static void test_display_small_buffer(void **state)
{
	char out[6];
	(void)state;
	dd_filename_display("abcdefghij", out, sizeof(out));
	assert_string_equal(out, "abcde");
	/* A character that does not fit whole is left out. */
	dd_filename_display("abcdé", out, sizeof(out));
	assert_string_equal(out, "abcd");
}

static void expect_disposition(const char *name, const char *want)
{
	struct dd_buf b;
	dd_buf_init(&b, 4096);
	assert_int_equal(dd_filename_disposition(name, &b), 0);
	assert_string_equal(dd_buf_str(&b), want);
	assert_null(strpbrk(dd_buf_str(&b), "\r\n"));
	dd_buf_release(&b);
}

static void test_disposition(void **state)
{
	(void)state;
	expect_disposition("report.pdf", "attachment; filename=\"report.pdf\"; "
					 "filename*=UTF-8''report.pdf");
	expect_disposition("Störung ü.txt",
			   "attachment; filename=\"St_rung _.txt\"; "
			   "filename*=UTF-8''St%C3%B6rung%20%C3%BC.txt");
	expect_disposition("a\"b.txt", "attachment; filename=\"a_b.txt\"; "
				       "filename*=UTF-8''a_b.txt");
	expect_disposition("../../etc/passwd",
			   "attachment; filename=\"_.._etc_passwd\"; "
			   "filename*=UTF-8''_.._etc_passwd");
	expect_disposition("100%;x=y.txt",
			   "attachment; filename=\"100_;x=y.txt\"; "
			   "filename*=UTF-8''100%25%3Bx%3Dy.txt");
	expect_disposition("x\r\nSet-Cookie: y",
			   "attachment; filename=\"x__Set-Cookie: y\"; "
			   "filename*=UTF-8''x__Set-Cookie%3A%20y");
	expect_disposition("日本.txt",
			   "attachment; filename=\"__.txt\"; "
			   "filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt");
	expect_disposition("...", "attachment; filename=\"attachment\"; "
				  "filename*=UTF-8''attachment");
	/* RFC 8187 attr-chars stay as they are. */
	expect_disposition("a!#$&+-.^_`|~z",
			   "attachment; filename=\"a!#$&+-.^_`|~z\"; "
			   "filename*=UTF-8''a!#$&+-.^_`|~z");
}

static void test_disposition_overflow(void **state)
{
	struct dd_buf b;
	(void)state;
	dd_buf_init(&b, 16);
	assert_int_equal(dd_filename_disposition("report.pdf", &b), -1);
	dd_buf_release(&b);
}

static void type_ok(const char *in, const char *want)
{
	char text[300];
	struct dd_err err;
	snprintf(text, sizeof(text), "%s", in);
	dd_err_clear(&err);
	if (dd_media_type_check(text, &err) != 0)
		fail_msg("'%s' refused: %s", in, err.msg);
	assert_string_equal(text, want);
}

static void type_bad(const char *in)
{
	char text[400];
	struct dd_err err;
	snprintf(text, sizeof(text), "%s", in);
	dd_err_clear(&err);
	if (dd_media_type_check(text, &err) == 0)
		fail_msg("'%s' accepted", in);
	assert_int_equal(err.status, 400);
}

static void test_media_type_check(void **state)
{
	char long_type[300];
	(void)state;
	type_ok("image/png", "image/png");
	type_ok("Image/PNG", "image/png");
	type_ok("text/plain; charset=UTF-8", "text/plain; charset=UTF-8");
	type_ok("application/vnd.openxmlformats-officedocument."
		"wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument."
		"wordprocessingml.document");
	type_bad("");
	type_bad("png");
	type_bad("/png");
	type_bad("image/");
	type_bad("image /png");
	type_bad("image/png\r\nX-Evil: 1");
	type_bad("text/plain; name=\"\xc3\xa4\"");
	memset(long_type, 'a', sizeof(long_type) - 1);
	long_type[sizeof(long_type) - 1] = '\0';
	long_type[3] = '/';
	type_bad(long_type);
}

static void served(const char *stored, const char *want)
{
	assert_string_equal(dd_media_type_served(stored), want);
}

static void test_media_type_served(void **state)
{
	static const char octet[] = "application/octet-stream";
	(void)state;
	served("image/png", "image/png");
	served("text/plain; charset=utf-8", "text/plain; charset=utf-8");
	served("application/pdf", "application/pdf");
	served("video/mp4", "video/mp4");
	served("application/vnd.oasis.opendocument.text",
	       "application/vnd.oasis.opendocument.text");
	served("text/html", octet);
	served("text/html; charset=utf-8", octet);
	served("TEXT/HTML", octet);
	served("image/svg+xml", octet);
	served("application/xhtml+xml", octet);
	served("text/xml", octet);
	served("application/xml", octet);
	served("text/javascript", octet);
	served("application/javascript", octet);
	served("text/css", octet);
	served("message/rfc822", octet);
	served("multipart/x-mixed-replace", octet);
	served("video/vnd.example+xml", octet);
	served("audio/x-script", octet);
	served("application/x-unknown", octet);
	served("image/png-but-not", octet);
	served(NULL, octet);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_display_small_buffer),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_disposition_overflow),
		cmocka_unit_test(test_media_type_check),
		cmocka_unit_test(test_media_type_served),
	};
	return cmocka_run_group_tests_name("ticket/filename", tests, NULL,
					   NULL);
}
