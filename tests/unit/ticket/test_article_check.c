/*
 * test_article_check.c - the checks on an article before it is written:
 * kinds, visibility rules (internal notes are internal, replies go to
 * the customer), who may author which kind, minutes, the body's
 * length, UTF-8 and control characters; which articles reopen a ticket
 * or count as its first response; the event log's excerpt. Pure: no
 * database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/limits.h"
#include "ticket/article.h"

static void ok(struct dd_article_input in)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_article_check(&in, &err) != 0)
		fail_msg("refused (%s, %s): %s", in.kind ? in.kind : "-",
			 in.visibility ? in.visibility : "-", err.msg);
}

static void bad(struct dd_article_input in, const char *slug, const char *words)
{
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_article_check(&in, &err) == 0)
		fail_msg("accepted (%s, %s)", in.kind ? in.kind : "-",
			 in.visibility ? in.visibility : "-");
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, slug);
	if (!strstr(err.msg, words))
		fail_msg("'%s' does not say '%s'", err.msg, words);
}

static void test_kinds(void **state)
{
	(void)state;
	assert_true(dd_article_kind_valid("inbound_mail"));
	assert_true(dd_article_kind_valid("web"));
	assert_false(dd_article_kind_valid("memo"));
	assert_false(dd_article_kind_valid(NULL));
	assert_true(dd_article_kind_inbound("inbound_mail"));
	assert_true(dd_article_kind_inbound("web"));
	assert_false(dd_article_kind_inbound("phone_note"));
	assert_false(dd_article_kind_inbound(NULL));
	ok((struct dd_article_input){
		.kind = "internal_note", .body = "x", .author_id = 1});
	ok((struct dd_article_input){
		.kind = "phone_note", .body = "x", .author_id = 1});
	ok((struct dd_article_input){.kind = "inbound_mail", .body = "x"});
	ok((struct dd_article_input){
		.kind = "web", .body = "x", .author_contact_id = 9});
	bad((struct dd_article_input){.body = "x", .author_id = 1},
	    "validation-failed", "'kind' is required");
	bad((struct dd_article_input){.kind = "fax",
				      .body = "x",
				      .author_id = 1},
	    "validation-failed", "unknown kind 'fax'");
}

static void test_visibility(void **state)
{
	(void)state;
	ok((struct dd_article_input){.kind = "internal_note",
				     .body = "x",
				     .visibility = "internal",
				     .author_id = 1});
	ok((struct dd_article_input){.kind = "phone_note",
				     .body = "x",
				     .visibility = "internal",
				     .author_id = 1});
	ok((struct dd_article_input){
		.kind = "inbound_mail", .body = "x", .visibility = "internal"});
	bad((struct dd_article_input){.kind = "internal_note",
				      .body = "x",
				      .visibility = "customer",
				      .author_id = 1},
	    "validation-failed", "always internal");
	bad((struct dd_article_input){.kind = "outbound_reply",
				      .body = "x",
				      .visibility = "internal",
				      .author_id = 1},
	    "validation-failed", "goes to the customer");
	bad((struct dd_article_input){.kind = "phone_note",
				      .body = "x",
				      .visibility = "public",
				      .author_id = 1},
	    "validation-failed", "unknown visibility");
}

static void test_authors_and_minutes(void **state)
{
	(void)state;
	bad((struct dd_article_input){.kind = "outbound_reply", .body = "x"},
	    "validation-failed", "written by a person");
	bad((struct dd_article_input){.kind = "outbound_reply",
				      .body = "x",
				      .author_id = 1,
				      .author_contact_id = 2},
	    "validation-failed", "not a contact");
	bad((struct dd_article_input){.kind = "inbound_mail",
				      .body = "x",
				      .author_id = 1},
	    "validation-failed", "not a person");
	bad((struct dd_article_input){.kind = "web", .body = "x", .minutes = 5},
	    "validation-failed", "has none");
	ok((struct dd_article_input){.kind = "phone_note",
				     .body = "x",
				     .author_id = 1,
				     .minutes = DD_ARTICLE_MINUTES_MAX});
	bad((struct dd_article_input){.kind = "phone_note",
				      .body = "x",
				      .author_id = 1,
				      .minutes = DD_ARTICLE_MINUTES_MAX + 1},
	    "validation-failed", "'minutes' must be 0 to 1440");
	bad((struct dd_article_input){.kind = "phone_note",
				      .body = "x",
				      .author_id = 1,
				      .minutes = -1},
	    "validation-failed", "'minutes'");
}

static void test_body(void **state)
{
	(void)state;
	ok((struct dd_article_input){.kind = "phone_note",
				     .body = "Zeile 1\r\n\tZeile 2 – Störung",
				     .author_id = 1});
	bad((struct dd_article_input){.kind = "phone_note", .author_id = 1},
	    "validation-failed", "'body' is required");
	bad((struct dd_article_input){.kind = "phone_note",
				      .body = "",
				      .author_id = 1},
	    "validation-failed", "must not be empty");
	bad((struct dd_article_input){.kind = "phone_note",
				      .body = "bell\a",
				      .author_id = 1},
	    "validation-failed", "control character");
	bad((struct dd_article_input){.kind = "phone_note",
				      .body = "St\xf6rung",
				      .author_id = 1},
	    "validation-failed", "not valid UTF-8");
	char *big = malloc(DD_LIMIT_ARTICLE_BODY + 2);
	assert_non_null(big);
	memset(big, 'y', DD_LIMIT_ARTICLE_BODY + 1);
	big[DD_LIMIT_ARTICLE_BODY + 1] = '\0';
	struct dd_err err;
	struct dd_article_input in = {
		.kind = "phone_note", .body = big, .author_id = 1};
	dd_err_clear(&err);
	assert_int_equal(dd_article_check(&in, &err), -1);
	assert_string_equal(err.type, "limit-exceeded");
	big[DD_LIMIT_ARTICLE_BODY] = '\0';
	ok(in);
	free(big);
}

static void test_rules(void **state)
{
	struct dd_article mail = {.kind = "inbound_mail",
				  .visibility = "customer",
				  .author_contact_id = 4};
	struct dd_article web = {.kind = "web", .visibility = "customer"};
	struct dd_article fwd = {.kind = "inbound_mail",
				 .visibility = "internal"};
	struct dd_article reply = {.kind = "outbound_reply",
				   .visibility = "customer",
				   .author_id = 2};
	struct dd_article call = {
		.kind = "phone_note", .visibility = "internal", .author_id = 2};
	struct dd_article note = {.kind = "internal_note",
				  .visibility = "internal",
				  .author_id = 2};
	struct dd_article gateway = {.kind = "outbound_reply",
				     .visibility = "customer"};
	(void)state;
	/* Reopening: the customer's words on a resolved ticket. */
	assert_true(dd_article_reopens(&mail, "resolved"));
	assert_true(dd_article_reopens(&web, "resolved"));
	assert_false(dd_article_reopens(&fwd, "resolved"));
	assert_false(dd_article_reopens(&reply, "resolved"));
	assert_false(dd_article_reopens(&note, "resolved"));
	assert_false(dd_article_reopens(&mail, "closed"));
	assert_false(dd_article_reopens(&mail, "pending"));
	assert_false(dd_article_reopens(&mail, "new"));
	assert_false(dd_article_reopens(&mail, NULL));
	/* A response: a person's reply or call, whatever its visibility. */
	assert_true(dd_article_responds(&reply));
	assert_true(dd_article_responds(&call));
	assert_false(dd_article_responds(&note));
	assert_false(dd_article_responds(&mail));
	assert_false(dd_article_responds(&gateway));
}

static void test_excerpt(void **state)
{
	/* The event log's copy: the length and a prefix cut at a character
	 * boundary. */
	char body[DD_ARTICLE_EXCERPT + 8];
	struct dd_buf b;
	struct dd_json_out j;
	(void)state;
	memset(body, 'a', DD_ARTICLE_EXCERPT - 1);
	memcpy(body + DD_ARTICLE_EXCERPT - 1, "\xc3\xb6zz", 5);
	struct dd_article a = {.id = 7,
			       .ticket_id = 3,
			       .kind = "inbound_mail",
			       .visibility = "customer",
			       .author_contact_id = 4,
			       .body = body,
			       .created_at = 0};
	dd_buf_init(&b, 4096);
	dd_json_out_init(&j, &b);
	dd_article_to_json(&a, 0, &j);
	const char *text = dd_buf_str(&b);
	assert_null(strstr(text, "\"body\""));
	assert_non_null(strstr(text, "\"body_bytes\":203"));
	assert_non_null(strstr(text, "\"author_id\":null"));
	assert_non_null(strstr(text, "\"author_contact_id\":4"));
	/* 199 a's, and the ö (2 bytes) would end at 201 > 200: cut. */
	const char *e = strstr(text, "\"excerpt\":\"");
	assert_non_null(e);
	e += strlen("\"excerpt\":\"");
	assert_int_equal(strspn(e, "a"), DD_ARTICLE_EXCERPT - 1);
	assert_int_equal(e[DD_ARTICLE_EXCERPT - 1], '"');
	dd_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_authors_and_minutes),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_excerpt),
	};
	return cmocka_run_group_tests_name("ticket/article_check", tests, NULL,
					   NULL);
}
