/*
 * test_log.c - logfmt lines: value quoting, whole lines written to a
 * temporary file and read back, levels, the per-subsystem debug mask and
 * its parser, and lines from several threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/log.h"

/* 2026-11-27T08:15:00.123Z */
#define NOW_MS 1795767300123LL
#define TS     "ts=2026-11-27T08:15:00.123Z "

struct fx {
	FILE *f;
	struct dd_clock clock;
	struct dd_log log;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	if (!x)
		return -1;
	x->f = tmpfile();
	if (!x->f) {
		free(x);
		return -1;
	}
	dd_clock_init_manual(&x->clock, NOW_MS);
	dd_log_init(&x->log, x->f, &x->clock);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	dd_log_release(&x->log);
	fclose(x->f);
	free(x);
	return 0;
}

static struct dd_log *L(void **state)
{
	return &((struct fx *)*state)->log;
}

/* Everything written so far (malloc'd). */
static char *contents(void **state)
{
	struct fx *x = *state;
	fflush(x->f);
	long n = ftell(x->f);
	assert_true(n >= 0);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	rewind(x->f);
	assert_int_equal(fread(s, 1, (size_t)n, x->f), (size_t)n);
	s[n] = '\0';
	fseek(x->f, 0, SEEK_END);
	return s;
}

static void expect_contents(void **state, const char *want)
{
	char *got = contents(state);
	assert_string_equal(got, want);
	free(got);
}

static void check_quote(const char *in, const char *want)
{
	char out[256];
	const char *r = dd_log_quote(out, sizeof(out), in);
	assert_ptr_equal(r, out);
	if (strcmp(out, want) != 0)
		fail_msg("quote: got [%s] want [%s]", out, want);
}

static void test_quote_plain(void **state)
{
	check_quote("abc", "abc");
	check_quote("/api/v1/people/7", "/api/v1/people/7");
	check_quote("a-b_c.d:e", "a-b_c.d:e");
}

static void test_quote_needs_quotes(void **state)
{
	check_quote("", "\"\"");
	check_quote(NULL, "\"\"");
	check_quote("a b", "\"a b\"");
	check_quote("k=v", "\"k=v\"");
	check_quote("say \"hi\"", "\"say \\\"hi\\\"\"");
	check_quote("back\\slash", "\"back\\\\slash\"");
	check_quote("two\nlines", "\"two\\nlines\"");
	/* Other control characters cannot forge a line: replaced. */
	check_quote("a\rb", "\"a?b\"");
	check_quote("tab\there", "\"tab?here\"");
	check_quote("esc\x1b[31m", "\"esc?[31m\"");
	check_quote("del\x7f", "\"del?\"");
}

static void test_quote_forged_fields(void **state)
{
	/* A hostile value cannot add a field or a line of its own. */
	check_quote("x level=error msg=pwned", "\"x level=error msg=pwned\"");
	check_quote("x\nts=1 level=error", "\"x\\nts=1 level=error\"");
	check_quote("\" level=error", "\"\\\" level=error\"");
}

static void test_quote_utf8_kept(void **state)
{
	char out[64];
	dd_log_quote(out, sizeof(out), "Grüße");
	/* Quoted or not, the bytes are unchanged. */
	assert_non_null(strstr(out, "Grüße"));
}

static void test_quote_truncates(void **state)
{
	char out[8];
	dd_log_quote(out, sizeof(out), "abcdefghijkl");
	assert_string_equal(out, "abcdefg");
	/* A truncated quoted value still ends with its quote. */
	dd_log_quote(out, sizeof(out), "a b c d e f g h");
	assert_int_equal(out[0], '"');
	assert_int_equal(out[strlen(out) - 1], '"');
	assert_true(strlen(out) < sizeof(out));
	/* An escape is never cut in half. */
	dd_log_quote(out, sizeof(out), "\"\"\"\"\"\"");
	assert_string_equal(out, "\"\\\"\\\"\"");
}

static void test_quote_tiny_buffers(void **state)
{
	/* Regression: with cap 1 or 2 a quoted value wrote its closing
	 * quote and NUL past the end of out. */
	for (size_t cap = 0; cap <= 6; cap++) {
		static const char *const inputs[] = {"plain", "needs quote",
						     "\"", ""};
		for (size_t i = 0; i < 4; i++) {
			char out[16];
			memset(out, '#', sizeof(out));
			const char *r = dd_log_quote(out, cap, inputs[i]);
			assert_non_null(r);
			for (size_t k = cap; k < sizeof(out); k++)
				if (out[k] != '#')
					fail_msg("cap %zu input '%s': byte %zu "
						 "written",
						 cap, inputs[i], k);
			if (cap > 0) {
				assert_ptr_equal(r, out);
				assert_true(strlen(out) < cap);
			} else {
				assert_string_equal(r, "");
			}
		}
	}
}

static void test_write_line(void **state)
{
	dd_log_write(L(state), DD_LOG_INFO, DD_SUB_HTTP, "request done",
		     "status=%d path=%s", 200, "/x");
	expect_contents(state, TS "level=info sub=http msg=\"request done\" "
				  "status=200 path=/x\n");
}

static void test_write_without_fields(void **state)
{
	dd_log_write(L(state), DD_LOG_WARN, DD_SUB_STORE, "slow", NULL);
	expect_contents(state, TS "level=warn sub=store msg=slow\n");
}

static void test_levels_and_subsystems(void **state)
{
	struct dd_log *log = L(state);
	dd_log_write(log, DD_LOG_INFO, DD_SUB_MAIN, "a", NULL);
	dd_log_write(log, DD_LOG_WARN, DD_SUB_AUTH, "b", NULL);
	dd_log_write(log, DD_LOG_ERROR, DD_SUB_JOBS, "c", NULL);
	dd_log_write(log, DD_LOG_ERROR, DD_SUB_MAIL, "d", NULL);
	dd_log_write(log, DD_LOG_ERROR, DD_SUB_ROTA, "e", NULL);
	/* An unknown subsystem is named main. */
	dd_log_write(log, DD_LOG_INFO, (enum dd_log_subsystem)(1u << 20), "f",
		     NULL);
	expect_contents(
	    state, TS
	    "level=info sub=main msg=a\n" TS "level=warn sub=auth msg=b\n" TS
	    "level=error sub=jobs msg=c\n" TS "level=error sub=mail msg=d\n" TS
	    "level=error sub=rota msg=e\n" TS "level=info sub=main msg=f\n");
}

static void test_time_comes_from_clock(void **state)
{
	struct fx *x = *state;
	dd_clock_set(&x->clock, 0);
	dd_log_write(&x->log, DD_LOG_INFO, DD_SUB_MAIN, "epoch", NULL);
	dd_clock_advance(&x->clock, 1500);
	dd_log_write(&x->log, DD_LOG_INFO, DD_SUB_MAIN, "later", NULL);
	expect_contents(state,
			"ts=1970-01-01T00:00:00.000Z level=info sub=main "
			"msg=epoch\n"
			"ts=1970-01-01T00:00:01.500Z level=info sub=main "
			"msg=later\n");
}

static void test_debug_mask(void **state)
{
	struct dd_log *log = L(state);
	/* Off by default. */
	dd_log_write(log, DD_LOG_DEBUG, DD_SUB_HTTP, "hidden", NULL);
	expect_contents(state, "");
	log->debug_mask = DD_SUB_STORE | DD_SUB_AUTH;
	dd_log_write(log, DD_LOG_DEBUG, DD_SUB_HTTP, "still hidden", NULL);
	dd_log_write(log, DD_LOG_DEBUG, DD_SUB_STORE, "shown", "n=%d", 1);
	dd_log_write(log, DD_LOG_DEBUG, DD_SUB_AUTH, "shown", NULL);
	/* The mask is for debug lines only. */
	dd_log_write(log, DD_LOG_INFO, DD_SUB_HTTP, "info", NULL);
	expect_contents(state, TS "level=debug sub=store msg=shown n=1\n" TS
				  "level=debug sub=auth msg=shown\n" TS
				  "level=info sub=http msg=info\n");
	/* Switched off again at run time. */
	log->debug_mask = 0;
	dd_log_write(log, DD_LOG_DEBUG, DD_SUB_STORE, "gone", NULL);
	char *s = contents(state);
	assert_null(strstr(s, "gone"));
	free(s);
	log->debug_mask = DD_SUB_ALL;
	dd_log_write(log, DD_LOG_DEBUG, DD_SUB_ROTA, "all", NULL);
	s = contents(state);
	assert_non_null(strstr(s, "level=debug sub=rota msg=all\n"));
	free(s);
}

static void test_hostile_message(void **state)
{
	dd_log_write(L(state), DD_LOG_WARN, DD_SUB_AUTH,
		     "bad login \"x\"\nts=0 level=error msg=forged", NULL);
	char *s = contents(state);
	/* One line, the forged part inside the quoted msg. */
	assert_int_equal(strchr(s, '\n') - s + 1, (long)strlen(s));
	assert_string_equal(s, TS "level=warn sub=auth msg=\"bad login "
				  "\\\"x\\\"\\nts=0 level=error "
				  "msg=forged\"\n");
	free(s);
}

static void test_long_lines_are_cut(void **state)
{
	char big[5000];
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dd_log_write(L(state), DD_LOG_INFO, DD_SUB_MAIN, big, "k=%s", big);
	char *s = contents(state);
	size_t n = strlen(s);
	/* One line of at most 2047 bytes and its newline. */
	assert_true(n <= 2048);
	assert_int_equal(s[n - 1], '\n');
	assert_ptr_equal(strchr(s, '\n'), s + n - 1);
	assert_memory_equal(s, TS "level=info sub=main msg=",
			    strlen(TS "level=info sub=main msg="));
	free(s);
	/* The next line starts cleanly. */
	dd_log_write(L(state), DD_LOG_INFO, DD_SUB_MAIN, "next", NULL);
	s = contents(state);
	assert_non_null(strstr(s, "\n" TS "level=info sub=main msg=next\n"));
	free(s);
}

static void test_null_log(void **state)
{
	/* Library code may run without a logger. */
	dd_log_write(NULL, DD_LOG_ERROR, DD_SUB_MAIN, "nobody hears", NULL);
}

#define THREADS 4
#define LINES	200

static void *write_many(void *arg)
{
	struct dd_log *log = arg;
	for (int i = 0; i < LINES; i++)
		dd_log_write(log, DD_LOG_INFO, DD_SUB_JOBS, "tick", "i=%d", i);
	return NULL;
}

static void test_threads_write_whole_lines(void **state)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(
		    pthread_create(&t[i], NULL, write_many, L(state)), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	char *s = contents(state);
	int lines = 0;
	for (char *line = s; *line; lines++) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_memory_equal(line, TS "level=info sub=jobs msg=tick i=",
				    strlen(TS "level=info sub=jobs msg=tick "
					      "i="));
		line = nl + 1;
	}
	assert_int_equal(lines, THREADS * LINES);
	free(s);
}

static void test_parse_mask(void **state)
{
	assert_int_equal(dd_log_parse_mask("http"), DD_SUB_HTTP);
	assert_int_equal(dd_log_parse_mask("http,store"),
			 DD_SUB_HTTP | DD_SUB_STORE);
	assert_int_equal(dd_log_parse_mask("main,http,store,auth,jobs,mail,"
					   "rota"),
			 DD_SUB_MAIN | DD_SUB_HTTP | DD_SUB_STORE |
			     DD_SUB_AUTH | DD_SUB_JOBS | DD_SUB_MAIL |
			     DD_SUB_ROTA);
	assert_int_equal(dd_log_parse_mask("all"), DD_SUB_ALL);
	assert_int_equal(dd_log_parse_mask("http,all"), DD_SUB_ALL);
	/* Unknown names are ignored; known ones still count. */
	assert_int_equal(dd_log_parse_mask("bogus"), 0);
	assert_int_equal(dd_log_parse_mask("bogus,auth"), DD_SUB_AUTH);
	assert_int_equal(dd_log_parse_mask("htt"), 0);
	assert_int_equal(dd_log_parse_mask("https"), 0);
	assert_int_equal(dd_log_parse_mask("alll"), 0);
	/* Empty parts and stray commas. */
	assert_int_equal(dd_log_parse_mask(""), 0);
	assert_int_equal(dd_log_parse_mask(NULL), 0);
	assert_int_equal(dd_log_parse_mask(",,http,,store,"),
			 DD_SUB_HTTP | DD_SUB_STORE);
	assert_int_equal(dd_log_parse_mask(","), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    cmocka_unit_test(test_quote_plain),
	    cmocka_unit_test(test_quote_needs_quotes),
	    cmocka_unit_test(test_quote_forged_fields),
	    cmocka_unit_test(test_quote_utf8_kept),
	    cmocka_unit_test(test_quote_truncates),
	    cmocka_unit_test(test_quote_tiny_buffers),
	    T(test_write_line),
	    T(test_write_without_fields),
	    T(test_levels_and_subsystems),
	    T(test_time_comes_from_clock),
	    T(test_debug_mask),
	    T(test_hostile_message),
	    T(test_long_lines_are_cut),
	    cmocka_unit_test(test_null_log),
	    T(test_threads_write_whole_lines),
	    cmocka_unit_test(test_parse_mask),
#undef T
	};
	return cmocka_run_group_tests_name("base/log", tests, NULL, NULL);
}
