/*
 * test_json_out.c - the one JSON emitter: commas and nesting, string
 * escaping (quotes, backslash, control characters, <>&, U+2028/2029,
 * invalid UTF-8), null strings, raw JSON and times. Output is compared
 * byte for byte where the exact form matters and always parsed back with
 * jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/json_out.h"

struct fx {
	struct dd_buf buf;
	struct dd_json_out j;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	dd_buf_init(&f->buf, 1 << 20);
	dd_json_out_init(&f->j, &f->buf);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	dd_buf_release(&f->buf);
	free(f);
	return 0;
}

static struct dd_json_out *J(void **state)
{
	return &((struct fx *)*state)->j;
}

static const char *out(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->buf.overflow, 0);
	return dd_buf_str(&f->buf);
}

/* Parse the output with jansson; the test fails on invalid JSON. */
static json_t *parse(void **state)
{
	json_error_t e;
	const char *text = out(state);
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (!v)
		fail_msg("output is not JSON: %s at %d: %s", e.text, e.position,
			 text);
	return v;
}

/* A string written on its own, parsed back. */
static void check_roundtrip_str(const char *s, size_t len,
				const char *expect_text, size_t expect_len)
{
	struct dd_buf buf;
	struct dd_json_out j;
	json_error_t e;
	dd_buf_init(&buf, 1 << 16);
	dd_json_out_init(&j, &buf);
	dd_json_strn(&j, s, len);
	assert_int_equal(buf.overflow, 0);
	json_t *v =
	    json_loads(dd_buf_str(&buf), JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (!v)
		fail_msg("not JSON: %s: %s", e.text, dd_buf_str(&buf));
	assert_true(json_is_string(v));
	assert_int_equal(json_string_length(v), expect_len);
	assert_memory_equal(json_string_value(v), expect_text, expect_len);
	json_decref(v);
	dd_buf_release(&buf);
}

static void test_empty_containers(void **state)
{
	dd_json_obj_begin(J(state));
	dd_json_key(J(state), "a");
	dd_json_obj_begin(J(state));
	dd_json_obj_end(J(state));
	dd_json_key(J(state), "b");
	dd_json_arr_begin(J(state));
	dd_json_arr_end(J(state));
	dd_json_obj_end(J(state));
	assert_string_equal(out(state), "{\"a\":{},\"b\":[]}");
	json_t *v = parse(state);
	assert_int_equal(json_object_size(v), 2);
	json_decref(v);
}

static void test_commas_and_nesting(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", 7);
	dd_json_kstr(j, "name", "ann");
	dd_json_key(j, "list");
	dd_json_arr_begin(j);
	dd_json_int(j, 1);
	dd_json_int(j, 2);
	dd_json_obj_begin(j);
	dd_json_knull(j, "x");
	dd_json_kbool(j, "y", 1);
	dd_json_obj_end(j);
	dd_json_arr_begin(j);
	dd_json_arr_end(j);
	dd_json_str(j, "s");
	dd_json_arr_end(j);
	dd_json_kbool(j, "ok", 0);
	dd_json_key(j, "deep");
	dd_json_arr_begin(j);
	dd_json_arr_begin(j);
	dd_json_arr_begin(j);
	dd_json_null(j);
	dd_json_arr_end(j);
	dd_json_arr_end(j);
	dd_json_bool(j, 1);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	assert_string_equal(out(state),
			    "{\"id\":7,\"name\":\"ann\",\"list\":[1,2,{\"x\":"
			    "null,\"y\":true},[],\"s\"],\"ok\":false,"
			    "\"deep\":[[[null]],true]}");
	json_t *v = parse(state);
	json_t *expect = json_pack(
	    "{s:i, s:s, s:[i,i,{s:n,s:b},[],s], s:b, s:[[[n]],b]}", "id", 7,
	    "name", "ann", "list", 1, 2, "x", "y", 1, "s", "ok", 0, "deep", 1);
	assert_non_null(expect);
	assert_true(json_equal(v, expect));
	json_decref(v);
	json_decref(expect);
}

static void test_top_level_array_of_objects(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_arr_begin(j);
	for (int i = 0; i < 3; i++) {
		dd_json_obj_begin(j);
		dd_json_kint(j, "i", i);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	assert_string_equal(out(state), "[{\"i\":0},{\"i\":1},{\"i\":2}]");
	json_t *v = parse(state);
	assert_int_equal(json_array_size(v), 3);
	json_decref(v);
}

static void test_scalars_at_top_level(void **state)
{
	dd_json_int(J(state), -5);
	assert_string_equal(out(state), "-5");
}

static void test_int_extremes(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_arr_begin(j);
	dd_json_int(j, INT64_MIN);
	dd_json_int(j, INT64_MAX);
	dd_json_int(j, 0);
	dd_json_int(j, -1);
	dd_json_arr_end(j);
	assert_string_equal(out(state), "[-9223372036854775808,"
					"9223372036854775807,0,-1]");
	json_t *v = parse(state);
	assert_true(json_integer_value(json_array_get(v, 0)) == INT64_MIN);
	assert_true(json_integer_value(json_array_get(v, 1)) == INT64_MAX);
	json_decref(v);
}

static void test_escape_quote_backslash(void **state)
{
	dd_json_str(J(state), "say \"hi\" \\ back\\slash /");
	assert_string_equal(out(state),
			    "\"say \\\"hi\\\" \\\\ back\\\\slash /\"");
	json_t *v = parse(state);
	assert_string_equal(json_string_value(v),
			    "say \"hi\" \\ back\\slash /");
	json_decref(v);
}

static void test_escape_control_characters(void **state)
{
	dd_json_str(J(state), "a\nb\rc\td\x01"
			      "e\x1f"
			      "f\x08g\x0ch\x1bi\x7fj");
	/* \n \r \t by name, other controls as \u00XX; DEL is legal JSON
	 * and passes. */
	assert_string_equal(out(state),
			    "\"a\\nb\\rc\\td\\u0001e\\u001ff\\u0008g\\u000ch"
			    "\\u001bi\x7fj\"");
	json_t *v = parse(state);
	assert_string_equal(json_string_value(v), "a\nb\rc\td\x01"
						  "e\x1f"
						  "f\x08g\x0ch\x1bi\x7fj");
	json_decref(v);
}

static void test_every_control_character(void **state)
{
	/* Each byte below 0x20 alone, and no raw control byte in output. */
	for (int c = 1; c < 0x20; c++) {
		char s[2] = {(char)c, 0};
		struct dd_buf buf;
		struct dd_json_out j;
		dd_buf_init(&buf, 64);
		dd_json_out_init(&j, &buf);
		dd_json_str(&j, s);
		for (size_t i = 0; i < buf.len; i++)
			assert_true((unsigned char)buf.data[i] >= 0x20);
		dd_buf_release(&buf);
		check_roundtrip_str(s, 1, s, 1);
	}
}

static void test_escape_html_characters(void **state)
{
	dd_json_str(J(state), "</script><b>&amp;</b>");
	const char *text = out(state);
	assert_string_equal(text, "\"\\u003c/script\\u003e\\u003cb\\u003e"
				  "\\u0026amp;\\u003c/b\\u003e\"");
	assert_null(strpbrk(text, "<>&"));
	json_t *v = parse(state);
	assert_string_equal(json_string_value(v), "</script><b>&amp;</b>");
	json_decref(v);
}

static void test_escape_line_separators(void **state)
{
	/* U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end lines in
	 * JavaScript; the neighbours U+2027 and U+202A pass unchanged. */
	dd_json_str(J(state), "a\xe2\x80\xa8"
			      "b\xe2\x80\xa9"
			      "c\xe2\x80\xa7"
			      "d\xe2\x80\xaa"
			      "e");
	assert_string_equal(out(state), "\"a\\u2028b\\u2029c\xe2\x80\xa7"
					"d\xe2\x80\xaa"
					"e\"");
	json_t *v = parse(state);
	assert_string_equal(json_string_value(v), "a\xe2\x80\xa8"
						  "b\xe2\x80\xa9"
						  "c\xe2\x80\xa7"
						  "d\xe2\x80\xaa"
						  "e");
	json_decref(v);
}

static void test_valid_utf8_passes(void **state)
{
	const char *s = "Grüße € 日本 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf";
	dd_json_str(J(state), s);
	char expect[128];
	snprintf(expect, sizeof(expect), "\"%s\"", s);
	assert_string_equal(out(state), expect);
	json_t *v = parse(state);
	assert_string_equal(json_string_value(v), s);
	json_decref(v);
}

static void test_invalid_utf8_replaced(void **state)
{
	static const struct {
		const char *in;
		const char *json; /* expected output */
	} cases[] = {
	    {"a\xff"
	     "b",
	     "\"a\\ufffdb\""},
	    {"\x80", "\"\\ufffd\""},
	    /* Overlong '/' and NUL. */
	    {"\xc0\xaf", "\"\\ufffd\\ufffd\""},
	    {"\xc0\x80", "\"\\ufffd\\ufffd\""},
	    {"\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""},
	    /* A UTF-16 surrogate. */
	    {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},
	    /* Above U+10FFFF. */
	    {"\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
	    /* Truncated at the end of the string. */
	    {"ok\xe2\x82", "\"ok\\ufffd\\ufffd\""},
	    {"\xf0\x9f\x98", "\"\\ufffd\\ufffd\\ufffd\""},
	    /* A bad byte does not swallow the ASCII after it. */
	    {"\xc3"
	     "\"<",
	     "\"\\ufffd\\\"\\u003c\""},
	    /* Valid text around the damage survives. */
	    {"\xc3\xa4\xff\xc3\xa4", "\"\xc3\xa4\\ufffd\xc3\xa4\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dd_buf buf;
		struct dd_json_out j;
		dd_buf_init(&buf, 256);
		dd_json_out_init(&j, &buf);
		dd_json_str(&j, cases[i].in);
		if (strcmp(dd_buf_str(&buf), cases[i].json) != 0)
			fail_msg("case %zu: got %s want %s", i,
				 dd_buf_str(&buf), cases[i].json);
		json_error_t e;
		json_t *v = json_loads(dd_buf_str(&buf), JSON_DECODE_ANY, &e);
		if (!v)
			fail_msg("case %zu: not JSON: %s", i, e.text);
		json_decref(v);
		dd_buf_release(&buf);
	}
}

static void test_strn_embedded_nul(void **state)
{
	dd_json_strn(J(state), "a\0b", 3);
	assert_string_equal(out(state), "\"a\\u0000b\"");
	check_roundtrip_str("a\0b", 3, "a\0b", 3);
	/* strn stops at len, not at the first NUL. */
	check_roundtrip_str("abcdef", 3, "abc", 3);
	check_roundtrip_str("", 0, "", 0);
}

static void test_null_strings(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "a", NULL);
	dd_json_key(j, "b");
	dd_json_str(j, NULL);
	dd_json_key(j, "c");
	dd_json_strn(j, NULL, 5);
	dd_json_kstr(j, "d", "");
	dd_json_obj_end(j);
	assert_string_equal(out(state),
			    "{\"a\":null,\"b\":null,\"c\":null,\"d\":\"\"}");
	json_t *v = parse(state);
	assert_true(json_is_null(json_object_get(v, "a")));
	assert_true(json_is_null(json_object_get(v, "c")));
	assert_string_equal(json_string_value(json_object_get(v, "d")), "");
	json_decref(v);
}

static void test_zero_ids_and_times_are_null(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_obj_begin(j);
	dd_json_kid(j, "a", 0);
	dd_json_kid(j, "b", 42);
	dd_json_ktime_or_null(j, "c", 0);
	dd_json_ktime_or_null(j, "d", 1000);
	dd_json_obj_end(j);
	assert_string_equal(out(state),
			    "{\"a\":null,\"b\":42,\"c\":null,"
			    "\"d\":\"1970-01-01T00:00:01.000Z\"}");
}

static void test_keys_are_escaped(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_obj_begin(j);
	dd_json_kint(j, "we\"ird\n<key>", 1);
	dd_json_kint(j, "bad\xff", 2);
	dd_json_obj_end(j);
	assert_string_equal(out(state), "{\"we\\\"ird\\n\\u003ckey\\u003e\":1,"
					"\"bad\\ufffd\":2}");
	json_t *v = parse(state);
	assert_int_equal(
	    json_integer_value(json_object_get(v, "we\"ird\n<key>")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(v, "bad\xef\xbf\xbd")), 2);
	json_decref(v);
}

static void test_raw(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_obj_begin(j);
	dd_json_key(j, "before");
	dd_json_raw(j, "{\"x\":[1,2],\"y\":\"<\"}");
	dd_json_key(j, "after");
	dd_json_raw(j, NULL);
	dd_json_key(j, "empty");
	dd_json_raw(j, "");
	dd_json_key(j, "list");
	dd_json_arr_begin(j);
	dd_json_raw(j, "1");
	dd_json_raw(j, "[]");
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	/* Raw text is copied as is: it is already JSON. */
	assert_string_equal(out(state),
			    "{\"before\":{\"x\":[1,2],\"y\":\"<\"},\"after\":"
			    "null,\"empty\":null,\"list\":[1,[]]}");
	json_t *v = parse(state);
	assert_true(json_is_null(json_object_get(v, "after")));
	assert_true(json_is_null(json_object_get(v, "empty")));
	json_decref(v);
}

static void test_times(void **state)
{
	struct dd_json_out *j = J(state);
	dd_json_obj_begin(j);
	dd_json_ktime(j, "epoch", 0);
	dd_json_ktime(j, "at", 1795767300123LL);
	dd_json_ktime(j, "before", -1);
	dd_json_key(j, "list");
	dd_json_arr_begin(j);
	dd_json_time(j, 951868800000LL);
	dd_json_time(j, 1709251199999LL);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	assert_string_equal(out(state),
			    "{\"epoch\":\"1970-01-01T00:00:00.000Z\","
			    "\"at\":\"2026-11-27T08:15:00.123Z\","
			    "\"before\":\"1969-12-31T23:59:59.999Z\","
			    "\"list\":[\"2000-03-01T00:00:00.000Z\","
			    "\"2024-02-29T23:59:59.999Z\"]}");
	json_t *v = parse(state);
	assert_int_equal(json_object_size(v), 4);
	json_decref(v);
}

static void test_person_like_document(void **state)
{
	/* A realistic body with hostile values, compared after parsing. */
	struct dd_json_out *j = J(state);
	const char *name =
	    "O'Brien \"Bob\" <bob@example.org> & co\t\xe2\x80\xa8";
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", 42);
	dd_json_kstr(j, "name", name);
	dd_json_kstr(j, "phone", NULL);
	dd_json_kbool(j, "active", 1);
	dd_json_ktime(j, "created_at", 1795767300000LL);
	dd_json_key(j, "groups");
	dd_json_arr_begin(j);
	dd_json_str(j, "ops");
	dd_json_str(j, "on\\call");
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	json_t *v = parse(state);
	json_t *expect =
	    json_pack("{s:i, s:s, s:n, s:b, s:s, s:[s,s]}", "id", 42, "name",
		      name, "phone", "active", 1, "created_at",
		      "2026-11-27T08:15:00.000Z", "groups", "ops", "on\\call");
	assert_non_null(expect);
	assert_true(json_equal(v, expect));
	json_decref(v);
	json_decref(expect);
}

static void test_too_deep_marks_overflow(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < DD_JSON_OUT_DEPTH + 5; i++)
		dd_json_arr_begin(&f->j);
	assert_int_equal(f->buf.overflow, 1);
}

static void test_depth_limit_exactly(void **state)
{
	/* DD_JSON_OUT_DEPTH - 1 levels still fit. */
	struct fx *f = *state;
	for (int i = 0; i < DD_JSON_OUT_DEPTH - 1; i++)
		dd_json_arr_begin(&f->j);
	dd_json_int(&f->j, 1);
	dd_json_int(&f->j, 2);
	for (int i = 0; i < DD_JSON_OUT_DEPTH - 1; i++)
		dd_json_arr_end(&f->j);
	json_t *v = parse(state);
	assert_true(json_is_array(v));
	json_decref(v);
}

static void test_small_buffer_overflows(void **state)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 16);
	dd_json_out_init(&j, &buf);
	dd_json_obj_begin(&j);
	dd_json_kstr(&j, "name", "a long value that does not fit");
	dd_json_obj_end(&j);
	/* The caller sees the overflow; nothing past the maximum. */
	assert_int_equal(buf.overflow, 1);
	assert_true(buf.len <= 16);
	dd_buf_release(&buf);
}

static void test_many_strings_roundtrip(void **state)
{
	/* Pseudo-random valid UTF-8 strings from a fixed alphabet of
	 * awkward pieces, each written and parsed back unchanged. */
	static const char *const pieces[] = {
	    "a",
	    "\"",
	    "\\",
	    "/",
	    "<",
	    ">",
	    "&",
	    "\n",
	    "\t",
	    "\x01",
	    "\x7f",
	    "\xc3\xa9",
	    "\xe2\x82\xac",
	    "\xf0\x9f\x92\xa9",
	    "\xe2\x80\xa8",
	    " ",
	};
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	uint32_t seed = 12345;
	for (int round = 0; round < 500; round++) {
		char s[256];
		size_t len = 0;
		int n = (int)(seed % 20);
		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % np];
			size_t pl = strlen(p);
			memcpy(s + len, p, pl);
			len += pl;
		}
		s[len] = '\0';
		seed = seed * 1103515245u + 12345u;
		check_roundtrip_str(s, len, s, len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_empty_containers),
	    T(test_commas_and_nesting),
	    T(test_top_level_array_of_objects),
	    T(test_scalars_at_top_level),
	    T(test_int_extremes),
	    T(test_escape_quote_backslash),
	    T(test_escape_control_characters),
	    T(test_every_control_character),
	    T(test_escape_html_characters),
	    T(test_escape_line_separators),
	    T(test_valid_utf8_passes),
	    T(test_invalid_utf8_replaced),
	    T(test_strn_embedded_nul),
	    T(test_null_strings),
	    T(test_zero_ids_and_times_are_null),
	    T(test_keys_are_escaped),
	    T(test_raw),
	    T(test_times),
	    T(test_person_like_document),
	    T(test_too_deep_marks_overflow),
	    T(test_depth_limit_exactly),
	    T(test_small_buffer_overflows),
	    T(test_many_strings_roundtrip),
#undef T
	};
	return cmocka_run_group_tests_name("base/json_out", tests, NULL, NULL);
}
