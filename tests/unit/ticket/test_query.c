/*
 * test_query.c - the ticket query language without a database: filters
 * and their values, comma lists and ranges, quoted values and phrases,
 * folded words, every error message a person can provoke, the limits,
 * hostile input, and the FTS5 and tsquery expressions built from the
 * words (always quoted, whatever was typed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ticket/query.h"

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

static struct dd_query parse_ok(const char *q)
{
	struct dd_query out;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_query_parse(q, &arena, &out, &err) < 0)
		fail_msg("'%s' was refused: %s", q, err.msg);
	return out;
}

/* q is refused with status 400, the slug, and a message holding text. */
static void expect_error(const char *q, const char *slug, const char *text)
{
	struct dd_query out;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_query_parse(q, &arena, &out, &err) == 0)
		fail_msg("'%s' was accepted", q);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, slug);
	if (!strstr(err.msg, text))
		fail_msg("'%s': message '%s' lacks '%s'", q, err.msg, text);
}

static void test_empty(void **state)
{
	struct dd_query q = parse_ok(NULL);
	assert_int_equal(q.filter_count + q.text_count, 0);
	q = parse_ok("");
	assert_int_equal(q.filter_count + q.text_count, 0);
	q = parse_ok("  \t\n ");
	assert_int_equal(q.filter_count + q.text_count, 0);
}

static void test_status_priority_channel(void **state)
{
	struct dd_query q = parse_ok("status:open");
	assert_int_equal(q.filter_count, 1);
	assert_int_equal(q.filters[0].field, DD_QF_STATUS);
	assert_int_equal(q.filters[0].mask, 1u << 1);
	q = parse_ok("Status:OPEN,pending,new");
	assert_int_equal(q.filters[0].mask, DD_QUERY_STATUS_ACTIVE);
	q = parse_ok("prio:1");
	assert_int_equal(q.filters[0].field, DD_QF_PRIORITY);
	assert_int_equal(q.filters[0].mask, 1u << 1);
	q = parse_ok("priority:1..2");
	assert_int_equal(q.filters[0].mask, (1u << 1) | (1u << 2));
	q = parse_ok("prio:2..4,1");
	assert_int_equal(q.filters[0].mask, 0x1eu);
	q = parse_ok("prio:3..3");
	assert_int_equal(q.filters[0].mask, 1u << 3);
	q = parse_ok("channel:phone,email");
	assert_int_equal(q.filters[0].field, DD_QF_CHANNEL);
	assert_int_equal(q.filters[0].mask, 0x3u);
}

static void test_refs(void **state)
{
	struct dd_query q = parse_ok("org:acme queue:12 org:none");
	assert_int_equal(q.filter_count, 3);
	assert_int_equal(q.filters[0].field, DD_QF_ORG);
	assert_string_equal(q.filters[0].name, "acme");
	assert_int_equal(q.filters[0].id, 0);
	assert_int_equal(q.filters[1].field, DD_QF_QUEUE);
	assert_int_equal(q.filters[1].id, 12);
	assert_null(q.filters[1].name);
	assert_true(q.filters[2].is_none);
	/* Quoted values hold spaces and commas, case is kept for names. */
	q = parse_ok("queue:\"Service Management\" org:\"Acme, Inc.\"");
	assert_string_equal(q.filters[0].name, "Service Management");
	assert_string_equal(q.filters[1].name, "Acme, Inc.");
	q = parse_ok("organisation:Müller");
	assert_string_equal(q.filters[0].name, "Müller");
	q = parse_ok("queue:None");
	assert_true(q.filters[0].is_none);
}

static void test_owner_tag_number_is(void **state)
{
	struct dd_query q = parse_ok("owner:me");
	assert_int_equal(q.filters[0].field, DD_QF_OWNER);
	assert_true(q.filters[0].is_me);
	assert_int_equal(q.filters[0].count, 0);
	q = parse_ok("owner:none,MVogel,me");
	assert_true(q.filters[0].is_none);
	assert_true(q.filters[0].is_me);
	assert_int_equal(q.filters[0].count, 1);
	assert_string_equal(q.filters[0].values[0], "mvogel");
	q = parse_ok("tag:vpn,Urgent tag:os:linux");
	assert_int_equal(q.filters[0].count, 2);
	assert_string_equal(q.filters[0].values[1], "urgent");
	assert_string_equal(q.filters[1].values[0], "os:linux");
	q = parse_ok("number:10042,#10043");
	assert_int_equal(q.filters[0].count, 2);
	assert_int_equal(q.filters[0].numbers[0], 10042);
	assert_int_equal(q.filters[0].numbers[1], 10043);
	q = parse_ok("is:overdue is:Unassigned is:due-today");
	assert_int_equal(q.filters[0].is, DD_QIS_OVERDUE);
	assert_int_equal(q.filters[1].is, DD_QIS_UNASSIGNED);
	assert_int_equal(q.filters[2].is, DD_QIS_DUE_TODAY);
}

static void test_words(void **state)
{
	struct dd_query q = parse_ok("Störung  VPN");
	assert_int_equal(q.filter_count, 0);
	assert_int_equal(q.text_count, 2);
	assert_string_equal(q.texts[0].words, "stoerung");
	assert_string_equal(q.texts[0].typed, "Störung");
	assert_int_equal(q.texts[0].word_count, 1);
	assert_string_equal(q.texts[1].words, "vpn");
	/* The same word in every spelling. */
	assert_string_equal(parse_ok("STÖRUNG").texts[0].words, "stoerung");
	assert_string_equal(parse_ok("Stoerung").texts[0].words, "stoerung");
	assert_string_equal(parse_ok("Straße").texts[0].words, "strasse");
	/* A word that folds into several is a phrase. */
	q = parse_ok("e-mail");
	assert_int_equal(q.text_count, 1);
	assert_string_equal(q.texts[0].words, "e mail");
	assert_int_equal(q.texts[0].word_count, 2);
	/* Words that look like filters but are not. */
	q = parse_ok("10:30 c++ -x");
	assert_int_equal(q.text_count, 3);
	assert_string_equal(q.texts[0].words, "10 30");
	assert_string_equal(q.texts[1].words, "c");
	assert_string_equal(q.texts[2].words, "x");
}

static void test_phrases(void **state)
{
	struct dd_query q =
		parse_ok("status:open \"Drucker druckt  nicht\" acme");
	assert_int_equal(q.filter_count, 1);
	assert_int_equal(q.text_count, 2);
	assert_string_equal(q.texts[0].words, "drucker druckt nicht");
	assert_int_equal(q.texts[0].word_count, 3);
	assert_string_equal(q.texts[1].words, "acme");
	/* A quote ends a word and starts a phrase. */
	q = parse_ok("abc\"def ghi\"jkl");
	assert_int_equal(q.text_count, 3);
	assert_string_equal(q.texts[0].words, "abc");
	assert_string_equal(q.texts[1].words, "def ghi");
	assert_string_equal(q.texts[2].words, "jkl");
	/* A filter name inside a phrase is text. */
	q = parse_ok("\"status:open\"");
	assert_int_equal(q.filter_count, 0);
	assert_string_equal(q.texts[0].words, "status open");
}

static void test_errors(void **state)
{
	expect_error("foo:bar", "validation-failed", "unknown filter 'foo'");
	expect_error("http://example.org", "validation-failed",
		     "unknown filter 'http'");
	expect_error("prio:7", "validation-failed", "prio must be 1 to 4");
	expect_error("priority:0", "validation-failed",
		     "priority must be 1 to 4");
	expect_error("prio:1..5", "validation-failed", "prio must be 1 to 4");
	expect_error("prio:high", "validation-failed", "prio must be 1 to 4");
	expect_error("prio:3..1", "validation-failed", "low to high");
	expect_error("prio:12", "validation-failed", "not '12'");
	expect_error("status:done", "validation-failed",
		     "unknown status 'done'");
	expect_error("status:open,", "validation-failed", "unknown status ''");
	expect_error("channel:fax", "validation-failed",
		     "unknown channel 'fax'");
	expect_error("number:abc", "validation-failed",
		     "number must be a ticket number");
	expect_error("number:0", "validation-failed", "not '0'");
	expect_error("number:1234567890123456789", "validation-failed",
		     "ticket number");
	expect_error("is:late", "validation-failed", "is: takes overdue");
	expect_error("is:overdue,unassigned", "validation-failed", "is: takes");
	expect_error("org:12x", "validation-failed", "name or an id");
	expect_error("tag:VPN!", "validation-failed", "tag 'vpn!'");
	expect_error("status:", "validation-failed", "'status:' needs a value");
	expect_error("owner:\"\"", "validation-failed", "needs a value");
	expect_error("status: open", "validation-failed", "needs a value");
	expect_error("\"unclosed", "validation-failed", "quote is not closed");
	expect_error("queue:\"unclosed", "validation-failed",
		     "quote is not closed");
	expect_error("\" OR 1=1 --", "validation-failed",
		     "quote is not closed");
	expect_error("*", "validation-failed", "'*' holds no letters");
	expect_error("vpn --", "validation-failed", "'--' holds no letters");
	expect_error("\"\"", "validation-failed", "holds no letters");
	expect_error("a\x01"
		     "b",
		     "validation-failed", "control character");
	expect_error("a\xff", "validation-failed", "UTF-8");
}

static void test_limits(void **state)
{
	char q[2048];
	memset(q, 'a', DD_QUERY_MAX_BYTES);
	q[DD_QUERY_MAX_BYTES] = '\0';
	struct dd_query out = parse_ok(q); /* one long word is fine */
	assert_int_equal(out.text_count, 1);
	q[DD_QUERY_MAX_BYTES] = 'a';
	q[DD_QUERY_MAX_BYTES + 1] = '\0';
	expect_error(q, "limit-exceeded", "1000 bytes");

	/* Terms. */
	size_t n = 0;
	for (int i = 0; i < DD_QUERY_TERMS_MAX; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, "w%d ", i);
	out = parse_ok(q);
	assert_int_equal(out.text_count, DD_QUERY_TERMS_MAX);
	snprintf(q + n, sizeof(q) - n, "status:open");
	expect_error(q, "limit-exceeded", "at most 24 terms");

	/* Values in a list, words in a phrase, a name's length. */
	expect_error("number:1,2,3,4,5,6,7,8,9", "limit-exceeded",
		     "at most 8 values");
	parse_ok("number:1,2,3,4,5,6,7,8");
	expect_error("\"a b c d e f g h i j k l m n o p q\"", "limit-exceeded",
		     "at most 16 words");
	memset(q, 'x', 300);
	memcpy(q, "org:", 4);
	q[300] = '\0';
	expect_error(q, "limit-exceeded", "longer than 200 bytes");
}

static void test_hostile(void **state)
{
	/* FTS syntax and SQL in words are just words. */
	struct dd_query q = parse_ok("NEAR( a* OR 1=1; DROP TABLE tickets");
	assert_int_equal(q.filter_count, 0);
	assert_int_equal(q.text_count, 7);
	assert_string_equal(q.texts[0].words, "near");
	assert_string_equal(q.texts[1].words, "a");
	assert_string_equal(q.texts[2].words, "or");
	assert_string_equal(q.texts[3].words, "1 1");
	assert_string_equal(q.texts[6].words, "tickets");
	/* An escaped NUL as JSON writes it is a word, a lone quote or
	 * backslash is nothing to search for. */
	q = parse_ok("\\u0000");
	assert_string_equal(q.texts[0].words, "u0000");
	expect_error("'", "validation-failed", "holds no letters");
	expect_error("\\", "validation-failed", "holds no letters");
}

static const char *fts5(const char *q, int any)
{
	static char out[4096];
	struct dd_query p = parse_ok(q);
	struct dd_buf b;
	dd_buf_init(&b, sizeof(out) - 1);
	assert_int_equal(dd_query_fts5(p.texts, p.text_count, any, &b), 0);
	snprintf(out, sizeof(out), "%s", dd_buf_str(&b));
	dd_buf_release(&b);
	return out;
}

static const char *tsq(const char *q, int any)
{
	static char out[4096];
	struct dd_query p = parse_ok(q);
	struct dd_buf b;
	dd_buf_init(&b, sizeof(out) - 1);
	assert_int_equal(dd_query_tsquery(p.texts, p.text_count, any, &b), 0);
	snprintf(out, sizeof(out), "%s", dd_buf_str(&b));
	dd_buf_release(&b);
	return out;
}

static void test_expressions(void **state)
{
	assert_string_equal(fts5("Störung", 0), "\"stoerung\"");
	assert_string_equal(fts5("vpn \"exact phrase\" prio:1", 0),
			    "\"vpn\" AND \"exact phrase\"");
	assert_string_equal(fts5("vpn NEAR(", 1), "\"vpn\" OR \"near\"");
	assert_string_equal(tsq("Störung", 0), "'stoerung'");
	assert_string_equal(tsq("vpn \"exact phrase\"", 0),
			    "'vpn' & ('exact' <-> 'phrase')");
	assert_string_equal(tsq("a e-mail", 1), "'a' | ('e' <-> 'mail')");
}

/* The quoting itself, on words the parser would never produce. */
static void test_quoting(void **state)
{
	struct dd_query_text t[2] = {
		{.words = "a\"b", .word_count = 1, .typed = ""},
		{.words = "it's a\\b", .word_count = 2, .typed = ""},
	};
	struct dd_buf b;
	dd_buf_init(&b, 256);
	assert_int_equal(dd_query_fts5(t, 2, 0, &b), 0);
	assert_string_equal(dd_buf_str(&b), "\"a\"\"b\" AND \"it's a\\b\"");
	dd_buf_reset(&b);
	assert_int_equal(dd_query_tsquery(t, 2, 0, &b), 0);
	assert_string_equal(dd_buf_str(&b), "'a\"b' & ('it''s' <-> 'a\\\\b')");
	dd_buf_release(&b);
	/* Overflow is reported. */
	dd_buf_init(&b, 4);
	assert_int_equal(dd_query_fts5(t, 2, 0, &b), -1);
	dd_buf_release(&b);
}

/* Random queries from the characters that matter (quotes, colons,
 * commas, dots, filter names, UTF-8 pieces, controls): parsing never
 * crashes, fails only with a 400, and what it accepts holds only folded
 * words (lower-case letters, digits, other scripts, single spaces) and
 * quotes safely in both expression languages. */
static void test_fuzz(void **state)
{
	static const char *const pieces[] = {"\"",
					     ":",
					     ",",
					     ".",
					     "..",
					     " ",
					     "\t",
					     "status",
					     "prio",
					     "org",
					     "owner",
					     "tag",
					     "is",
					     "number",
					     "queue",
					     "channel",
					     "open",
					     "1",
					     "4",
					     "9",
					     "me",
					     "none",
					     "a",
					     "Z",
					     "ö",
					     "ß",
					     "\xc3",
					     "\xff",
					     "\x01",
					     "-",
					     "*",
					     "(",
					     "'",
					     "\\",
					     "<->",
					     "&",
					     "|",
					     "NEAR",
					     "OR",
					     "#",
					     "%",
					     "_",
					     "\xe2\x80\x8b",
					     "\xf0\x9f\x98\x80",
					     "Ĳ",
					     "ﬁ"};
	const size_t n_pieces = sizeof(pieces) / sizeof(pieces[0]);
	uint64_t x = 0x9e3779b97f4a7c15u;
	char q[DD_QUERY_MAX_BYTES + 64];
	for (int round = 0; round < 20000; round++) {
		size_t len = 0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int parts = (int)(x % 40);
		for (int i = 0; i < parts; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			const char *piece = pieces[x % n_pieces];
			size_t pl = strlen(piece);
			if (len + pl >= sizeof(q))
				break;
			memcpy(q + len, piece, pl);
			len += pl;
		}
		q[len] = '\0';
		dd_arena_release(&arena); /* each round starts empty */
		struct dd_query out;
		struct dd_err err;
		dd_err_clear(&err);
		if (dd_query_parse(q, &arena, &out, &err) < 0) {
			if (err.status != 400)
				fail_msg("'%s': status %d", q, err.status);
			continue;
		}
		for (int i = 0; i < out.text_count; i++) {
			const char *w = out.texts[i].words;
			assert_non_null(w);
			assert_true(w[0] && w[0] != ' ' &&
				    w[strlen(w) - 1] != ' ');
			for (const char *c = w; *c; c++)
				if ((unsigned char)*c < 0x80 &&
				    !((*c >= 'a' && *c <= 'z') ||
				      (*c >= '0' && *c <= '9') ||
				      (*c == ' ' && c[1] != ' ')))
					fail_msg("'%s' gave the word '%s'", q,
						 w);
		}
		struct dd_buf b;
		dd_buf_init(&b, 16 * 1024);
		assert_int_equal(
			dd_query_fts5(out.texts, out.text_count, 1, &b), 0);
		size_t quotes = 0;
		for (size_t i = 0; i < b.len; i++)
			quotes += b.data[i] == '"';
		assert_int_equal(quotes, 2 * (size_t)out.text_count);
		dd_buf_reset(&b);
		assert_int_equal(
			dd_query_tsquery(out.texts, out.text_count, 0, &b), 0);
		quotes = 0;
		for (size_t i = 0; i < b.len; i++)
			quotes += b.data[i] == '\'';
		assert_int_equal(quotes % 2, 0);
		dd_buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_status_priority_channel),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_owner_tag_number_is),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_phrases),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
