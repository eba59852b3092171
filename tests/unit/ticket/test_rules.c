/*
 * test_rules.c - assignment rules without a database: word
 * normalisation, matching each condition, the ordered decision with
 * "continue" and kept fields, and the stored text (round trip and a
 * reader that refuses what the writer never writes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ticket/rules.h"
#include "ticket/search_text.h"

/* The normalised subject, as dd_rules_apply builds it. */
static const char *norm(const char *subject)
{
	static char out[1024];
	struct dd_buf b;
	dd_buf_init(&b, sizeof(out) - 1);
	dd_search_normalise(subject, &b);
	snprintf(out, sizeof(out), "%s", dd_buf_str(&b));
	dd_buf_release(&b);
	return out;
}

static void test_channel_bits(void **state)
{
	assert_int_equal(dd_rule_channel_bit("phone"), DD_RULE_CHANNEL_PHONE);
	assert_int_equal(dd_rule_channel_bit("email"), DD_RULE_CHANNEL_EMAIL);
	assert_int_equal(dd_rule_channel_bit("web"), DD_RULE_CHANNEL_WEB);
	assert_int_equal(dd_rule_channel_bit("api"), DD_RULE_CHANNEL_API);
	assert_int_equal(dd_rule_channel_bit("fax"), 0);
	assert_int_equal(dd_rule_channel_bit("Phone"), 0);
	assert_int_equal(dd_rule_channel_bit(NULL), 0);
}

static void test_word_normalise(void **state)
{
	char w[DD_RULE_WORD_MAX + 1];
	struct dd_err err;
	assert_int_equal(dd_rule_word_normalise("Störung", w, sizeof(w), &err),
			 0);
	assert_string_equal(w, "stoerung");
	assert_int_equal(
		dd_rule_word_normalise("  VPN -- DOWN! ", w, sizeof(w), &err),
		0);
	assert_string_equal(w, "vpn down");
	assert_int_equal(dd_rule_word_normalise("Straße", w, sizeof(w), &err),
			 0);
	assert_string_equal(w, "strasse");
	assert_int_equal(dd_rule_word_normalise("!!! ...", w, sizeof(w), &err),
			 -1);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, DD_PROBLEM_VALIDATION);
	char longword[DD_RULE_WORD_MAX + 2];
	memset(longword, 'a', sizeof(longword) - 1);
	longword[sizeof(longword) - 1] = '\0';
	assert_int_equal(dd_rule_word_normalise(longword, w, sizeof(w), &err),
			 -1);
	assert_string_equal(err.type, DD_PROBLEM_LIMIT);
	longword[DD_RULE_WORD_MAX] = '\0';
	assert_int_equal(dd_rule_word_normalise(longword, w, sizeof(w), &err),
			 0);
	assert_int_equal(strlen(w), DD_RULE_WORD_MAX);
}

static void test_subject_words(void **state)
{
	const char *s = norm("STÖRUNGEN im Netz: VPN-Zugang down");
	/* A word matches the start of a subject word, umlauts either way. */
	assert_true(dd_rule_subject_has(s, "stoerung"));
	assert_true(dd_rule_subject_has(s, "stoerungen"));
	assert_true(dd_rule_subject_has(s, "vpn"));
	assert_true(dd_rule_subject_has(s, "vpn zugang"));
	assert_true(dd_rule_subject_has(s, "netz"));
	assert_true(dd_rule_subject_has(s, "down"));
	/* Not in the middle of a word. */
	assert_false(dd_rule_subject_has(s, "rungen"));
	assert_false(dd_rule_subject_has(s, "zugang down x"));
	assert_false(dd_rule_subject_has(norm("Stromausfall"), "ausfall"));
	assert_true(dd_rule_subject_has(norm("Ausfall Strom"), "ausfall"));
	assert_false(dd_rule_subject_has(NULL, "x"));
	assert_false(dd_rule_subject_has(s, ""));
}

static struct dd_rule_facts facts(int64_t org, const char *channel, int prio,
				  const char *subject)
{
	struct dd_rule_facts f = {.organisation_id = org,
				  .channel = channel,
				  .priority = prio,
				  .subject = norm(subject)};
	return f;
}

static void test_matches_each_condition(void **state)
{
	struct dd_rule_when w = {0};
	struct dd_rule_facts f = facts(7, "phone", 3, "Drucker streikt");
	/* No conditions: every ticket. */
	assert_true(dd_rule_matches(&w, &f));

	w.org_count = 2;
	w.org_ids[0] = 5;
	w.org_ids[1] = 7;
	assert_true(dd_rule_matches(&w, &f));
	f.organisation_id = 6;
	assert_false(dd_rule_matches(&w, &f));
	f.organisation_id = 0; /* no organisation never matches a list */
	assert_false(dd_rule_matches(&w, &f));
	f.organisation_id = 5;

	w.channels = DD_RULE_CHANNEL_PHONE | DD_RULE_CHANNEL_EMAIL;
	assert_true(dd_rule_matches(&w, &f));
	f.channel = "web";
	assert_false(dd_rule_matches(&w, &f));
	f.channel = "email";
	assert_true(dd_rule_matches(&w, &f));

	w.priorities = (1u << 1) | (1u << 2);
	assert_false(dd_rule_matches(&w, &f));
	f.priority = 2;
	assert_true(dd_rule_matches(&w, &f));
	f.priority = 9;
	assert_false(dd_rule_matches(&w, &f));
	f.priority = 1;

	w.word_count = 2;
	w.words[0] = "ausfall";
	w.words[1] = "stoerung";
	assert_false(dd_rule_matches(&w, &f));
	f.subject = norm("Störung beim Drucker");
	assert_true(dd_rule_matches(&w, &f));
	/* All conditions must hold: one failing is enough. */
	f.channel = "api";
	assert_false(dd_rule_matches(&w, &f));
}

static struct dd_rule rule(int64_t id, int cont, int64_t queue, int64_t owner,
			   int prio)
{
	struct dd_rule r = {.id = id, .enabled = 1, .cont = cont};
	r.then.queue_id = queue;
	r.then.owner_id = owner;
	r.then.priority = prio;
	return r;
}

static void test_first_match_wins(void **state)
{
	struct dd_rule rules[3] = {rule(1, 0, 10, 0, 0), rule(2, 0, 20, 0, 0),
				   rule(3, 0, 30, 0, 0)};
	struct dd_rule_keep keep = {0};
	struct dd_rule_outcome o;
	struct dd_rule_facts f = facts(1, "email", 3, "Hallo");
	rules[0].when.channels = DD_RULE_CHANNEL_PHONE; /* does not match */
	dd_rules_decide(rules, 3, &f, &keep, &o);
	assert_int_equal(o.count, 1);
	assert_int_equal(o.index[0], 1);
	assert_int_equal(o.set.queue_id, 20);
	assert_int_equal(o.applied[0].queue_id, 20);
	/* Disabled rules are skipped. */
	rules[1].enabled = 0;
	dd_rules_decide(rules, 3, &f, &keep, &o);
	assert_int_equal(o.count, 1);
	assert_int_equal(o.index[0], 2);
	assert_int_equal(o.set.queue_id, 30);
	/* Nothing matches: nothing set. */
	rules[2].when.priorities = 1u << 1;
	dd_rules_decide(rules, 3, &f, &keep, &o);
	assert_int_equal(o.count, 0);
	assert_int_equal(o.set.queue_id, 0);
	assert_int_equal(o.set.owner_id, 0);
	assert_int_equal(o.set.priority, 0);
}

static void test_continue_chains(void **state)
{
	/* Rule 1 raises the priority and goes on; rule 2 matches on the
	 * raised priority; rule 3 is never reached. */
	struct dd_rule rules[3] = {rule(1, 1, 10, 0, 1), rule(2, 1, 20, 99, 0),
				   rule(3, 0, 30, 0, 4)};
	rules[0].when.word_count = 1;
	rules[0].when.words[0] = "stoerung";
	rules[1].when.priorities = 1u << 1;
	rules[2].when.channels = DD_RULE_CHANNEL_WEB;
	struct dd_rule_keep keep = {0};
	struct dd_rule_outcome o;
	struct dd_rule_facts f = facts(1, "phone", 3, "STÖRUNG Leitstand");
	dd_rules_decide(rules, 3, &f, &keep, &o);
	assert_int_equal(o.count, 2);
	assert_int_equal(o.index[0], 0);
	assert_int_equal(o.index[1], 1);
	/* The later rule overrides the earlier one's queue. */
	assert_int_equal(o.set.queue_id, 20);
	assert_int_equal(o.set.owner_id, 99);
	assert_int_equal(o.set.priority, 1);
	assert_int_equal(f.priority, 1);
	assert_int_equal(o.applied[0].queue_id, 10);
	assert_int_equal(o.applied[0].priority, 1);
	assert_int_equal(o.applied[1].queue_id, 20);
	assert_int_equal(o.applied[1].priority, 0);
	/* A continuing last rule just ends the run. */
	rules[2].when.channels = 0;
	rules[2].cont = 1;
	f = facts(1, "phone", 3, "STÖRUNG Leitstand");
	dd_rules_decide(rules, 3, &f, &keep, &o);
	assert_int_equal(o.count, 3);
	assert_int_equal(o.set.priority, 4);
}

static void test_kept_fields(void **state)
{
	struct dd_rule rules[1] = {rule(1, 0, 10, 11, 1)};
	struct dd_rule_keep keep = {.queue = 1, .priority = 1};
	struct dd_rule_outcome o;
	struct dd_rule_facts f = facts(1, "phone", 3, "x");
	dd_rules_decide(rules, 1, &f, &keep, &o);
	/* The rule matched (and counts as applied), but only the owner was
	 * the rule's to set. */
	assert_int_equal(o.count, 1);
	assert_int_equal(o.set.queue_id, 0);
	assert_int_equal(o.set.owner_id, 11);
	assert_int_equal(o.set.priority, 0);
	assert_int_equal(f.priority, 3);
	assert_int_equal(o.applied[0].queue_id, 0);
	assert_int_equal(o.applied[0].owner_id, 11);
}

static void test_encode_decode(void **state)
{
	struct dd_arena arena;
	struct dd_buf c, a;
	struct dd_rule r = rule(1, 1, 3, 4, 2), back;
	dd_arena_init(&arena, 1 << 20);
	r.when.org_count = 2;
	r.when.org_ids[0] = 5;
	r.when.org_ids[1] = 9;
	r.when.channels = DD_RULE_CHANNEL_PHONE | DD_RULE_CHANNEL_API;
	r.when.priorities = (1u << 1) | (1u << 4);
	r.when.word_count = 2;
	r.when.words[0] = "stoerung";
	r.when.words[1] = "vpn zugang";
	dd_buf_init(&c, DD_RULE_TEXT_MAX);
	dd_buf_init(&a, DD_RULE_TEXT_MAX);
	assert_int_equal(dd_rule_encode(&r, &c, &a), 0);
	assert_string_equal(dd_buf_str(&c),
			    "{\"organisation_id\":[5,9],\"channel\":[\"phone\","
			    "\"api\"],\"priority\":[1,4],\"subject_words\":["
			    "\"stoerung\",\"vpn zugang\"]}");
	assert_string_equal(dd_buf_str(&a),
			    "{\"queue_id\":3,\"owner_id\":4,"
			    "\"priority\":2,\"continue\":true}");
	memset(&back, 0, sizeof(back));
	assert_int_equal(
		dd_rule_decode(&arena, dd_buf_str(&c), dd_buf_str(&a), &back),
		0);
	assert_int_equal(back.when.org_count, 2);
	assert_int_equal(back.when.org_ids[1], 9);
	assert_int_equal(back.when.channels, r.when.channels);
	assert_int_equal(back.when.priorities, r.when.priorities);
	assert_int_equal(back.when.word_count, 2);
	assert_string_equal(back.when.words[1], "vpn zugang");
	assert_int_equal(back.then.queue_id, 3);
	assert_int_equal(back.then.owner_id, 4);
	assert_int_equal(back.then.priority, 2);
	assert_int_equal(back.cont, 1);

	/* An empty rule is two empty objects. */
	struct dd_rule empty = {0};
	dd_buf_reset(&c);
	dd_buf_reset(&a);
	assert_int_equal(dd_rule_encode(&empty, &c, &a), 0);
	assert_string_equal(dd_buf_str(&c), "{}");
	assert_string_equal(dd_buf_str(&a), "{}");
	assert_int_equal(dd_rule_decode(&arena, " { } ", "{}", &back), 0);
	assert_int_equal(back.when.org_count, 0);
	assert_int_equal(back.cont, 0);

	/* Non-ASCII words survive, written raw or escaped. */
	assert_int_equal(dd_rule_decode(&arena,
					"{\"subject_words\":[\"\\u00fcber\","
					"\"\xc3\xbc\"]}",
					"{}", &back),
			 0);
	assert_string_equal(back.when.words[0], "\xc3\xbc"
						"ber");
	assert_string_equal(back.when.words[1], "\xc3\xbc");
	dd_buf_release(&c);
	dd_buf_release(&a);
	dd_arena_release(&arena);
}

static void test_decode_refuses(void **state)
{
	static const char *const bad_conditions[] = {
		"",
		"{",
		"[]",
		"{\"org\":[1]}",
		"{\"organisation_id\":1}",
		"{\"organisation_id\":[0]}",
		"{\"organisation_id\":[\"1\"]}",
		"{\"channel\":[\"fax\"]}",
		"{\"priority\":[5]}",
		"{\"priority\":[1,2,3,4,1]}",
		"{\"subject_words\":[\"\"]}",
		"{\"subject_words\":[\"a\\x\"]}",
		"{\"subject_words\":[\"\\ud800\"]}",
		"{\"subject_words\":[\"\\u0000\"]}",
		"{\"subject_words\":[\"a\"]} x",
		"{\"subject_words\":[\"a\"],}",
		"{\"subject_words\":[\"a\"]",
		"{\"subject_words\":[\"abc",
	};
	static const char *const bad_actions[] = {
		"",
		"{\"queue_id\":0}",
		"{\"priority\":5}",
		"{\"continue\":1}",
		"{\"queue_id\":\"3\"}",
		"{\"queue_id\":-}",
		"{\"other\":1}",
		"{\"owner_id\":2}}",
	};
	struct dd_arena arena;
	struct dd_rule r;
	dd_arena_init(&arena, 1 << 20);
	for (size_t i = 0; i < sizeof(bad_conditions) / sizeof(*bad_conditions);
	     i++)
		if (dd_rule_decode(&arena, bad_conditions[i], "{}", &r) != -1)
			fail_msg("conditions '%s' were accepted",
				 bad_conditions[i]);
	for (size_t i = 0; i < sizeof(bad_actions) / sizeof(*bad_actions); i++)
		if (dd_rule_decode(&arena, "{}", bad_actions[i], &r) != -1)
			fail_msg("actions '%s' were accepted", bad_actions[i]);
	/* Too many organisations for one condition. */
	char many[1024] = "{\"organisation_id\":[";
	for (int i = 1; i <= DD_RULE_LIST_MAX + 1; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
			 "%s%d", i > 1 ? "," : "", i);
	strcat(many, "]}");
	assert_int_equal(dd_rule_decode(&arena, many, "{}", &r), -1);
	dd_arena_release(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channel_bits),
		cmocka_unit_test(test_word_normalise),
		cmocka_unit_test(test_subject_words),
		cmocka_unit_test(test_matches_each_condition),
		cmocka_unit_test(test_first_match_wins),
		cmocka_unit_test(test_continue_chains),
		cmocka_unit_test(test_kept_fields),
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_decode_refuses),
	};
	return cmocka_run_group_tests_name("ticket/rules", tests, NULL, NULL);
}
