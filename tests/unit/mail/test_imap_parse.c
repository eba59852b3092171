/*
 * test_imap_parse.c - the IMAP poller's pure parts (mail/imap_parse.h):
 * STATUS and SEARCH answers as libcurl hands them over (with the other
 * untagged lines servers send in between), sizes from FETCH, hostile
 * and malformed answers, and mailbox names in commands and URLs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mail/imap_parse.h"

static int status(const char *text, int64_t *v, int64_t *n)
{
	return dd_imap_parse_status(text, strlen(text), v, n);
}

static void test_status(void **state)
{
	int64_t v = 0, n = 0;
	assert_int_equal(status("* STATUS INBOX (UIDNEXT 2 UIDVALIDITY "
				"1795750810)\r\n",
				&v, &n),
			 0);
	assert_int_equal(v, 1795750810);
	assert_int_equal(n, 2);
	/* Order, case, a quoted name with a parenthesis, other lines. */
	assert_int_equal(status("* OK still here\r\n* status \"A (b)\" "
				"(uidvalidity 7 uidnext 4294967296)\r\n",
				&v, &n),
			 0);
	assert_int_equal(v, 7);
	assert_int_equal(n, 4294967296LL);
}

static void test_status_bad(void **state)
{
	int64_t v, n;
	assert_int_equal(status("", &v, &n), -1);
	assert_int_equal(status("* STATUS INBOX (UIDNEXT 2)\r\n", &v, &n), -1);
	assert_int_equal(
		status("* STATUS INBOX (UIDNEXT 2 UIDVALIDITY 0)\r\n", &v, &n),
		-1);
	assert_int_equal(status("* STATUS INBOX (UIDNEXT 2 UIDVALIDITY "
				"99999999999)\r\n",
				&v, &n),
			 -1);
	assert_int_equal(
		status("* STATUS INBOX (UIDNEXT x UIDVALIDITY 3)", &v, &n), -1);
	assert_int_equal(
		status("* STATUSX INBOX (UIDNEXT 2 UIDVALIDITY 3)", &v, &n),
		-1);
	/* No MYUIDVALIDITY-style look-alikes. */
	assert_int_equal(
		status("* STATUS INBOX (UIDNEXT 2 XUIDVALIDITY 3)", &v, &n),
		-1);
}

static int search(const char *text, int64_t after, int64_t *uids, int cap)
{
	return dd_imap_parse_search(text, strlen(text), after, uids, cap);
}

static void test_search(void **state)
{
	int64_t u[8];
	/* Dovecot answered with FLAGS and OK lines after SEARCH once a new
	 * keyword appeared. */
	assert_int_equal(search("* SEARCH 9 3 4 3\r\n* FLAGS (\\Seen "
				"$Dutydesk)\r\n* OK [PERMANENTFLAGS (\\*)] "
				"Flags permitted.\r\n",
				0, u, 8),
			 3);
	assert_int_equal(u[0], 3);
	assert_int_equal(u[1], 4);
	assert_int_equal(u[2], 9);
	/* "UID 5:*" matches the highest UID even below 5. */
	assert_int_equal(search("* SEARCH 2\r\n", 4, u, 8), 0);
	assert_int_equal(search("* SEARCH\r\n", 0, u, 8), 0);
	assert_int_equal(search("", 0, u, 8), 0);
	assert_int_equal(search("* SEARCH 1 2\r\n* SEARCH 7\n", 1, u, 8), 2);
	assert_int_equal(u[0], 2);
	assert_int_equal(u[1], 7);
	assert_int_equal(search("* SEARCH 4294967295\r\n", 0, u, 8), 1);
	assert_int_equal(u[0], 4294967295LL);
}

static void test_search_bad(void **state)
{
	int64_t u[2];
	assert_int_equal(search("* SEARCH 1 2 3\r\n", 0, u, 2), -1);
	assert_int_equal(search("* SEARCH 1 x\r\n", 0, u, 2), -1);
	assert_int_equal(search("* SEARCH 0\r\n", 0, u, 2), -1);
	assert_int_equal(search("* SEARCH -1\r\n", 0, u, 2), -1);
	assert_int_equal(search("* SEARCH 4294967296\r\n", 0, u, 2), -1);
	assert_int_equal(search("* SEARCH 12345678901234567890\r\n", 0, u, 2),
			 -1);
	assert_int_equal(search("* SEARCH 1(MODSEQ 5)\r\n", 0, u, 2), -1);
	/* Not a SEARCH line: ignored. */
	assert_int_equal(search("* SEARCHED 1\r\n* 3 EXISTS\r\n", 0, u, 2), 0);
}

static void test_sizes(void **state)
{
	int64_t uids[3] = {5, 7, 9}, sizes[3];
	const char *a = "* 1 FETCH (UID 5 RFC822.SIZE 120)\r\n"
			"* 2 FETCH (RFC822.SIZE 70000000 UID 7)\r\n"
			"* 3 FETCH (UID 8 RFC822.SIZE 1)\r\n"
			"* 4 FETCH (FLAGS (\\Seen))\r\n";
	assert_int_equal(dd_imap_parse_sizes(a, strlen(a), uids, 3, sizes), 2);
	assert_int_equal(sizes[0], 120);
	assert_int_equal(sizes[1], 70000000);
	assert_int_equal(sizes[2], -1);
	const char *bad = "* x FETCH (UID 5 RFC822.SIZE 1)\r\n"
			  "* 1 FETCH (UID 5 RFC822.SIZE abc)\r\n";
	assert_int_equal(dd_imap_parse_sizes(bad, strlen(bad), uids, 3, sizes),
			 0);
	assert_int_equal(sizes[0], -1);
}

static void test_names(void **state)
{
	char out[64];
	assert_int_equal(dd_imap_quote("INBOX", out, sizeof(out)), 0);
	assert_string_equal(out, "\"INBOX\"");
	assert_int_equal(dd_imap_quote("Sup \"port\\x", out, sizeof(out)), 0);
	assert_string_equal(out, "\"Sup \\\"port\\\\x\"");
	assert_int_equal(dd_imap_quote("", out, sizeof(out)), -1);
	assert_int_equal(dd_imap_quote("a\r\nb", out, sizeof(out)), -1);
	assert_int_equal(dd_imap_quote("Ablage/Erledigt", out, sizeof(out)), 0);
	assert_int_equal(dd_imap_quote("Gel\xc3\xb6scht", out, sizeof(out)),
			 -1);
	assert_int_equal(dd_imap_quote("INBOX", out, 7), -1);
	assert_int_equal(dd_imap_quote("INBOX", out, 8), 0);
	assert_int_equal(
		dd_imap_url_name("Support Mail/2026;x", out, sizeof(out)), 0);
	assert_string_equal(out, "Support%20Mail%2F2026%3Bx");
	assert_int_equal(dd_imap_url_name("a%b", out, 4), -1);
	assert_int_equal(dd_imap_url_name("\x7f", out, sizeof(out)), -1);
	assert_true(dd_imap_name_valid("INBOX"));
	assert_false(dd_imap_name_valid(NULL));
	assert_false(dd_imap_name_valid("tab\there"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_bad),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_bad),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests_name("mail_imap_parse", tests, NULL,
					   NULL);
}
