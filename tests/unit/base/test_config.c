/*
 * test_config.c - configuration defaults and the listen address:
 * HOST:PORT, bracketed IPv6, and every way a port or host can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/ctx.h"
#include "base/err.h"

static void test_defaults(void **state)
{
	struct dd_config c;
	memset(&c, 0x5a, sizeof(c));
	dd_config_defaults(&c);
	assert_string_equal(c.listen_host, "127.0.0.1");
	assert_int_equal(c.listen_port, 8080);
	assert_string_equal(c.db_url, "sqlite:data/dutydesk.db");
	assert_int_equal(c.max_body, DD_LIMIT_BODY_DEFAULT);
	assert_true(c.threads >= 1);
	assert_true(c.threads <= DD_LIMIT_THREADS_MAX);
	assert_string_equal(c.web_root, "web/dist");
}

static void check_listen(const char *text, const char *host, int port)
{
	struct dd_config c;
	struct dd_err err;
	dd_config_defaults(&c);
	dd_err_clear(&err);
	if (dd_config_set_listen(&c, text, &err) != 0)
		fail_msg("'%s' refused: %s", text, err.msg);
	assert_string_equal(c.listen_host, host);
	assert_int_equal(c.listen_port, port);
	assert_false(dd_err_is_set(&err));
}

static void test_host_port(void **state)
{
	check_listen("0.0.0.0:9000", "0.0.0.0", 9000);
	check_listen("127.0.0.1:8080", "127.0.0.1", 8080);
	check_listen("localhost:1", "localhost", 1);
	check_listen("desk.example.org:65535", "desk.example.org", 65535);
	check_listen("h:080", "h", 80);
}

static void test_ipv6(void **state)
{
	check_listen("[::1]:8080", "::1", 8080);
	check_listen("[::]:443", "::", 443);
	check_listen("[2001:db8::42]:65535", "2001:db8::42", 65535);
	check_listen("[fe80::1%eth0]:8080", "fe80::1%eth0", 8080);
}

static void test_longest_host(void **state)
{
	struct dd_config c;
	char text[128];
	char host[sizeof(c.listen_host)];
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	snprintf(text, sizeof(text), "%s:80", host);
	check_listen(text, host, 80);
}

static void check_refused(const char *text)
{
	struct dd_config c;
	struct dd_err err;
	dd_config_defaults(&c);
	dd_err_clear(&err);
	if (dd_config_set_listen(&c, text, &err) != -1)
		fail_msg("'%s' accepted as %s port %d", text, c.listen_host,
			 c.listen_port);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.type, DD_PROBLEM_BAD_REQUEST);
	/* The message quotes the offending text (Redis style). */
	char want[160];
	snprintf(want, sizeof(want), "bad listen address '%.80s'", text);
	if (strncmp(err.msg, want, strlen(want)) != 0)
		fail_msg("message '%s' does not start with '%s'", err.msg,
			 want);
	/* A refused address leaves the configuration as it was. */
	assert_string_equal(c.listen_host, "127.0.0.1");
	assert_int_equal(c.listen_port, 8080);
}

static void test_bad_ports(void **state)
{
	static const char *const bad[] = {
	    "host:0",	 "host:65536", "host:99999999999999999999",
	    "host:-1",	 "host:-0",    "host:80x",
	    "host:x80",	 "host:8 0",   "host:80 ",
	    "host:0x50", "host:",      "host:1e3",
	    "[::1]:0",	 "[::1]:",     "[::1]:70000",
	    "host:80:",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_refused(bad[i]);
}

static void test_port_needs_digits(void **state)
{
	/* strtol would skip the blank and take the sign: a port is
	 * digits only. */
	check_refused("host: 80");
	check_refused("host:+80");
	check_refused("host:\t80");
	check_refused("[::1]: 8080");
}

static void test_bad_hosts(void **state)
{
	static const char *const bad[] = {
	    "",		 "8080", ":8080",     "host",	 "[::1]",
	    "[::1]8080", "[::1", "::1]:8080", "[]:8080", "[:8080",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_refused(bad[i]);
}

static void test_host_too_long(void **state)
{
	struct dd_config c;
	char text[200];
	char host[sizeof(c.listen_host) + 1];
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	snprintf(text, sizeof(text), "%s:80", host);
	check_refused(text);
	snprintf(text, sizeof(text), "[%s]:80", host);
	check_refused(text);
}

static void test_long_text_message_is_bounded(void **state)
{
	struct dd_config c;
	struct dd_err err;
	char text[1000];
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	dd_config_defaults(&c);
	dd_err_clear(&err);
	assert_int_equal(dd_config_set_listen(&c, text, &err), -1);
	assert_true(strlen(err.msg) < DD_ERR_MSG_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_host_port),
	    cmocka_unit_test(test_ipv6),
	    cmocka_unit_test(test_longest_host),
	    cmocka_unit_test(test_bad_ports),
	    cmocka_unit_test(test_port_needs_digits),
	    cmocka_unit_test(test_bad_hosts),
	    cmocka_unit_test(test_host_too_long),
	    cmocka_unit_test(test_long_text_message_is_bounded),
	};
	return cmocka_run_group_tests_name("base/config", tests, NULL, NULL);
}
