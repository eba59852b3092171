/*
 * test_phone_lookup.c - the pure parts of customers and phone intake:
 * mail domains and phone prefixes as organisations store them, the
 * longest prefix a caller's number matches, and the subject a phone
 * ticket takes from its note.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ticket/customer.h"
#include "ticket/phone.h"

static void test_domains(void **state)
{
	char d[DD_ORG_DOMAIN_LEN + 1];
	struct dd_err err;
	assert_int_equal(dd_customer_check_domain("mail_domains", "Example.ORG",
						  d, &err),
			 0);
	assert_string_equal(d, "example.org");
	assert_int_equal(dd_customer_check_domain("mail_domains",
						  "mail.alpen-blick.example", d,
						  &err),
			 0);
	static const char *const bad[] = {
		"",
		"example",
		"-a.example",
		"a-.example",
		"a..example",
		".example",
		"example.",
		"exa mple.org",
		"a@example.org",
		"bücher.example",
		"a_b.example",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (dd_customer_check_domain("mail_domains", bad[i], d, &err) !=
		    -1)
			fail_msg("domain '%s' was accepted", bad[i]);
		assert_int_equal(err.status, 400);
	}
	char label[80];
	memset(label, 'a', 64);
	strcpy(label + 64, ".example");
	assert_int_equal(dd_customer_check_domain("d", label, d, &err), -1);
	strcpy(label + 63, ".example");
	assert_int_equal(dd_customer_check_domain("d", label, d, &err), 0);
}

static void test_phones(void **state)
{
	char p[DD_LIMIT_PHONE + 1];
	struct dd_err err;
	assert_int_equal(
		dd_customer_check_phone("phone_prefixes", "+49 89", p, &err),
		0);
	assert_string_equal(p, "+4989");
	assert_int_equal(dd_customer_check_phone("phone_prefixes",
						 "0049 (89) 4711-20", p, &err),
			 0);
	assert_string_equal(p, "+4989471120");
	assert_int_equal(
		dd_customer_check_phone("phone_prefixes", "089 4711", p, &err),
		-1);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.msg, "phone_prefixes"));
	assert_int_equal(dd_customer_check_phone("x", "+49 89 1234 5678 9012 3",
						 p, &err),
			 -1);
}

static void test_longest_prefix(void **state)
{
	assert_int_equal(dd_phone_prefix_match("+49894711200", "+4989"), 5);
	assert_int_equal(
		dd_phone_prefix_match("+49894711200", "+4989 +49894711 +4930"),
		9);
	assert_int_equal(dd_phone_prefix_match("+49894711200", "+4930 +4940"),
			 0);
	/* A whole number is its own longest prefix. */
	assert_int_equal(dd_phone_prefix_match("+4989471", "+4989471"), 8);
	/* A prefix longer than the number does not match. */
	assert_int_equal(dd_phone_prefix_match("+4989", "+49894711"), 0);
	assert_int_equal(dd_phone_prefix_match("+4989", ""), 0);
	assert_int_equal(dd_phone_prefix_match("+4989", NULL), 0);
	assert_int_equal(dd_phone_prefix_match("+4989", "  +49  "), 3);
}

static void test_subject_from_note(void **state)
{
	char s[DD_PHONE_SUBJECT_CUT + 64];
	dd_phone_subject("VPN down at the warehouse\nsince 9:00", "+4989", s,
			 sizeof(s));
	assert_string_equal(s, "VPN down at the warehouse");
	dd_phone_subject("\n\n  \tDrucker\tstreikt  \r\nmehr", "+4989", s,
			 sizeof(s));
	assert_string_equal(s, "Drucker streikt");
	dd_phone_subject(" \n \n", "+49891234", s, sizeof(s));
	assert_string_equal(s, "Call from +49891234");
	dd_phone_subject("", "+49891234", s, sizeof(s));
	assert_string_equal(s, "Call from +49891234");

	/* Cut at 120 bytes, never inside a character: 119 ASCII bytes and
	 * an umlaut would end at byte 121. */
	char note[400];
	memset(note, 'a', 119);
	strcpy(note + 119, "\xc3\xbc and more");
	dd_phone_subject(note, "+4989", s, sizeof(s));
	assert_int_equal(strlen(s), 119);
	memset(note, 'a', 118);
	strcpy(note + 118, "\xc3\xbc and more");
	dd_phone_subject(note, "+4989", s, sizeof(s));
	assert_int_equal(strlen(s), 120);
	assert_string_equal(s + 118, "\xc3\xbc");
	/* Three- and four-byte characters across the cut. */
	memset(note, 'a', 118);
	strcpy(note + 118, "\xe2\x82\xac rest");
	dd_phone_subject(note, "+4989", s, sizeof(s));
	assert_int_equal(strlen(s), 118);
	memset(note, 'a', 117);
	strcpy(note + 117, "\xf0\x9f\x93\x9e rest");
	dd_phone_subject(note, "+4989", s, sizeof(s));
	assert_int_equal(strlen(s), 117);
	memset(note, 'a', 116);
	strcpy(note + 116, "\xf0\x9f\x93\x9e rest");
	dd_phone_subject(note, "+4989", s, sizeof(s));
	assert_int_equal(strlen(s), 120);
	/* A line of exactly 120 bytes is kept whole. */
	memset(note, 'b', 120);
	strcpy(note + 120, "\nnext");
	dd_phone_subject(note, "+4989", s, sizeof(s));
	assert_int_equal(strlen(s), 120);
}

static void test_match_names(void **state)
{
	assert_string_equal(dd_phone_match_name(DD_PHONE_MATCH_NONE), "none");
	assert_string_equal(dd_phone_match_name(DD_PHONE_MATCH_CONTACT),
			    "contact");
	assert_string_equal(dd_phone_match_name(DD_PHONE_MATCH_ORGANISATION),
			    "organisation");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_phones),
		cmocka_unit_test(test_longest_prefix),
		cmocka_unit_test(test_subject_from_note),
		cmocka_unit_test(test_match_names),
	};
	return cmocka_run_group_tests_name("ticket/phone_lookup", tests, NULL,
					   NULL);
}
