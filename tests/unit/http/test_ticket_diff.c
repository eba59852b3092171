/*
 * test_ticket_diff.c - the changed fields of a history entry: members
 * changed, added and removed, nested objects named with dots, arrays
 * compared whole, ignored bookkeeping, missing snapshots; and jansson
 * values written through the emitter with its escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/ticket_diff.h"

/* The changes as "field:before>after;" text. */
struct changes {
	char text[2048];
};

static void collect(const char *field, json_t *before, json_t *after, void *arg)
{
	struct changes *c = arg;
	char *b = json_dumps(before, JSON_ENCODE_ANY | JSON_COMPACT);
	char *a = json_dumps(after, JSON_ENCODE_ANY | JSON_COMPACT);
	size_t len = strlen(c->text);
	snprintf(c->text + len, sizeof(c->text) - len, "%s:%s>%s;", field, b,
		 a);
	free(b);
	free(a);
}

static json_t *J(const char *text)
{
	json_error_t e;
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &e) : NULL;
	if (text && !v)
		fail_msg("bad test JSON '%s': %s", text, e.text);
	return v;
}

static void expect(const char *before, const char *after,
		   const char *const *ignore, const char *want, int count)
{
	struct changes c = {{0}};
	json_t *b = J(before), *a = J(after);
	int n = dd_json_diff(b, a, ignore, collect, &c);
	json_decref(b);
	json_decref(a);
	assert_string_equal(c.text, want);
	assert_int_equal(n, count);
}

static void test_changed_added_removed(void **state)
{
	(void)state;
	expect("{\"status\":\"new\",\"priority\":3}",
	       "{\"status\":\"open\",\"priority\":3}", NULL,
	       "status:\"new\">\"open\";", 1);
	expect("{\"a\":1}", "{\"a\":1,\"b\":\"x\"}", NULL, "b:null>\"x\";", 1);
	expect("{\"a\":1,\"b\":2}", "{\"a\":1}", NULL, "b:2>null;", 1);
	/* A member that is null on one side and missing on the other did
	 * not change. */
	expect("{\"a\":null}", "{}", NULL, "", 0);
	expect("{\"a\":1}", "{\"a\":1}", NULL, "", 0);
	/* Types matter: 1 is not "1". */
	expect("{\"a\":1}", "{\"a\":\"1\"}", NULL, "a:1>\"1\";", 1);
}

static void test_nested_and_arrays(void **state)
{
	(void)state;
	expect("{\"sla\":{\"state\":\"ok\",\"due\":null}}",
	       "{\"sla\":{\"state\":\"breached\",\"due\":null}}", NULL,
	       "sla.state:\"ok\">\"breached\";", 1);
	/* An object replacing null is one change, not one per member. */
	expect("{\"merged_from\":null}",
	       "{\"merged_from\":{\"id\":7,\"number\":10007}}", NULL,
	       "merged_from:null>{\"id\":7,\"number\":10007};", 1);
	expect("{\"tags\":[\"a\"]}", "{\"tags\":[\"a\",\"b\"]}", NULL,
	       "tags:[\"a\"]>[\"a\",\"b\"];", 1);
	expect("{\"tags\":[\"a\",\"b\"]}", "{\"tags\":[\"a\",\"b\"]}", NULL, "",
	       0);
}

static void test_ignore_and_missing(void **state)
{
	static const char *const ignore[] = {"version", "updated_at", NULL};
	(void)state;
	expect("{\"version\":1,\"updated_at\":\"x\",\"subject\":\"a\"}",
	       "{\"version\":2,\"updated_at\":\"y\",\"subject\":\"b\"}", ignore,
	       "subject:\"a\">\"b\";", 1);
	/* Only top-level members are ignored. */
	expect("{\"x\":{\"version\":1}}", "{\"x\":{\"version\":2}}", ignore,
	       "x.version:1>2;", 1);
	/* A creation: no before. */
	expect(NULL, "{\"version\":1,\"subject\":\"a\",\"status\":\"new\"}",
	       ignore, "subject:null>\"a\";status:null>\"new\";", 2);
	/* A deletion: no after. */
	expect("{\"subject\":\"a\"}", NULL, ignore, "subject:\"a\">null;", 1);
	expect(NULL, NULL, ignore, "", 0);
	/* Snapshots that are not objects are compared whole. */
	expect("1", "2", NULL, ":1>2;", 1);
}

static void test_emit_jansson(void **state)
{
	struct dd_buf b;
	struct dd_json_out j;
	(void)state;
	json_t *v = J("{\"s\":\"<script>&\",\"n\":-5,\"t\":true,\"f\":false,"
		      "\"z\":null,\"a\":[1,\"x\",{\"k\":[]}],\"r\":1.5}");
	dd_buf_init(&b, 4096);
	dd_json_out_init(&j, &b);
	dd_json_arr_begin(&j);
	dd_json_out_jansson(&j, v);
	dd_json_out_jansson(&j, NULL);
	dd_json_arr_end(&j);
	json_decref(v);
	char *text = dd_buf_detach(&b, NULL);
	assert_string_equal(text,
			    "[{\"s\":\"\\u003cscript\\u003e\\u0026\",\"n\":-5,"
			    "\"t\":true,\"f\":false,\"z\":null,"
			    "\"a\":[1,\"x\",{\"k\":[]}],\"r\":1.5},null]");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changed_added_removed),
		cmocka_unit_test(test_nested_and_arrays),
		cmocka_unit_test(test_ignore_and_missing),
		cmocka_unit_test(test_emit_jansson),
	};
	return cmocka_run_group_tests_name("http/ticket_diff", tests, NULL,
					   NULL);
}
