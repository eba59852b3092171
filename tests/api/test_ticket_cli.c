/*
 * test_ticket_cli.c - "dutydesk ticket list|show|create" against the test
 * server's database, on both engines: what the CLI creates the API
 * returns (and finds), what the API creates the CLI lists and shows, the
 * query language with its errors, --db or DUTYDESK_DB, --help, exit 2 on
 * a wrong command line (a bad --q, an unknown queue, a missing number)
 * and 1 when the work fails (no such ticket, no database).
 *
 * The binary is the harness's (DUTYDESK_BIN, default build/test/dutydesk,
 * a sanitizer build): its standard error must stay free of sanitizer
 * reports on every run. The process runner is the harness's
 * (api_cli).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/harness.h"
#include "store/store.h"

/* A word of letters only (one token after folding), new each call. */
static const char *marker(void)
{
	static int counter;
	unsigned n = (unsigned)getpid() * 1000u + (unsigned)++counter;
	char w[16];
	int i = 0;
	w[i++] = 'c';
	w[i++] = 'l';
	while (n && i < 14) {
		w[i++] = (char)('a' + n % 26);
		n /= 26;
	}
	w[i] = '\0';
	return api_fmt("%s", w);
}

/* The ticket with number as the API answers it. */
static json_t *ticket_by_number(struct api_server *s, const char *number)
{
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/ticket-numbers/%s", number));
	api_expect_json(r, 200);
	return r->json;
}

/* The number "ticket create" printed, without the newline. */
static const char *printed_number(const struct api_cli_run *c)
{
	size_t n = strcspn(c->out, "\n");
	assert_true(n > 0 && n < 20);
	assert_string_equal(c->out + n, "\n");
	return api_fmt("%.*s", (int)n, c->out);
}

static int64_t queue_new(struct api_server *s, const char *name)
{
	struct dd_store *st;
	struct dd_err err;
	int64_t id = 0;
	if (dd_store_open(s->db_url, &st, &err) < 0 ||
	    dd_store_query_int(st,
			       "INSERT INTO queues (name, created_at, "
			       "updated_at) VALUES ($1, 0, 0) RETURNING id",
			       (struct dd_param[]){DD_P_TEXT(name)}, 1, &id,
			       &err) < 0)
		fail_msg("queue: %s", err.msg);
	dd_store_close(st);
	return id;
}

static void test_create_and_show(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	const char *subject = api_fmt("Störung beim Kunden, Leitung tot %s", m);
	struct api_cli_run c = api_cli(s, "ticket", "create", "--subject",
				       subject, "--priority", "2", "--channel",
				       "email", "--db", s->db_url);
	api_expect_exit(c, 0);
	const char *number = printed_number(&c);
	json_t *t = ticket_by_number(s, number);
	assert_string_equal(api_str(t, "subject"), subject);
	assert_int_equal(api_int(t, "priority"), 2);
	assert_string_equal(api_str(t, "channel"), "email");
	assert_string_equal(api_str(t, "status"), "new");
	assert_true(json_is_string(json_object_get(t, "due_at")));
	/* The API finds it: the CLI indexed the subject. */
	struct api_resp *r = api_get(
		s, &s->viewer, api_fmt("/api/v1/tickets?q=stoerung%%20%s", m));
	api_expect_json(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);

	c = api_cli(s, "ticket", "show", number, "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, api_fmt("Ticket %s: %s\n", number, subject));
	api_expect_out(c, "  priority      2\n");
	api_expect_out(c, "  channel       email\n");
	api_expect_out(c, "  queue         -\n");
	api_expect_out(c, "Europe/Berlin");

	/* Defaults: priority 3, channel phone; a queue by name or id;
	 * DUTYDESK_DB stands in for --db. */
	int64_t queue = queue_new(s, api_fmt("CLI Queue %s", m));
	c = api_cli_env(s, s->db_url,
			(const char *const[]){"ticket", "create", "--subject",
					      api_fmt("Anruf %s", m), "--queue",
					      api_fmt("cli queue %s", m),
					      NULL});
	api_expect_exit(c, 0);
	t = ticket_by_number(s, printed_number(&c));
	assert_int_equal(api_int(t, "priority"), 3);
	assert_string_equal(api_str(t, "channel"), "phone");
	assert_int_equal(api_int(t, "queue_id"), queue);
	c = api_cli(s, "ticket", "create", "--subject", api_fmt("Zwei %s", m),
		    "--queue", api_fmt("%lld", (long long)queue), "--priority",
		    "1", "--db", s->db_url);
	api_expect_exit(c, 0);
	number = printed_number(&c);
	t = ticket_by_number(s, number);
	assert_int_equal(api_int(t, "queue_id"), queue);
	assert_int_equal(api_int(t, "priority"), 1);
	c = api_cli(s, "ticket", "show", number, "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, "  priority      1 (fault)\n");
	api_expect_out(c, api_fmt("  queue         CLI Queue %s\n", m));
	api_expect_out(c, "  comm. owner");

	/* Tickets made through the API show with their owner and tags. */
	r = api_json(s, &s->viewer, "POST", "/api/v1/tickets",
		     api_fmt("{\"subject\":\"API %s\",\"tags\":[\"vpn\","
			     "\"acme\"],\"owner_id\":%lld}",
			     m, (long long)s->viewer.person_id));
	api_expect_json(r, 201);
	c = api_cli(s, "ticket", "show",
		    api_fmt("%lld", (long long)api_int(r->json, "number")),
		    "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, "  tags          acme, vpn\n");
	api_expect_out(c, api_fmt("  owner         %s\n", s->viewer.login));

	/* Wrong: exit 2 before or after opening the database. */
	c = api_cli(s, "ticket", "create", "--subject", "x", "--queue",
		    "no such queue", "--db", s->db_url);
	api_expect_exit(c, 2);
	api_expect_err(c, "unknown queue 'no such queue'");
	c = api_cli(s, "ticket", "create", "--subject", "x", "--queue",
		    "999999", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "create", "--db", s->db_url);
	api_expect_exit(c, 2);
	api_expect_err(c, "--subject is required");
	c = api_cli(s, "ticket", "create", "--subject", "", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "create", "--subject", "two\nlines", "--db",
		    s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "create", "--subject", "x", "--priority", "7");
	api_expect_exit(c, 2);
	api_expect_err(c, "--priority must be 1 (a fault) to 4");
	c = api_cli(s, "ticket", "create", "--subject", "x", "--channel",
		    "fax");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "create", "--subject", "x", "--q", "vpn");
	api_expect_exit(c, 2);
	api_expect_err(c, "'ticket create' does not take --q");
	/* Show: a number is needed, and one that exists. */
	c = api_cli(s, "ticket", "show", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "show", "abc", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "show", "0", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "show", "1", "2", "--db", s->db_url);
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "show", "999999999", "--db", s->db_url);
	api_expect_exit(c, 1);
	api_expect_err(c, "dutydesk ticket show: no ticket number 999999999");
}

static void test_list(void **state)
{
	struct api_server *s = *state;
	const char *m = marker();
	struct api_resp *a =
		api_json(s, &s->viewer, "POST", "/api/v1/tickets",
			 api_fmt("{\"subject\":\"Drucker druckt nicht %s\","
				 "\"priority\":1}",
				 m));
	api_expect_json(a, 201);
	struct api_resp *b = api_json(
		s, &s->viewer, "POST", "/api/v1/tickets",
		api_fmt("{\"subject\":\"Straßensperre vor dem Büro %s\"}", m));
	api_expect_json(b, 201);
	long long na = (long long)api_int(a->json, "number");
	long long nb = (long long)api_int(b->json, "number");

	struct api_cli_run c =
		api_cli(s, "ticket", "list", "--q", m, "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, "number  prio  status  due");
	api_expect_out(c, api_fmt("Drucker druckt nicht %s\n", m));
	api_expect_out(c, api_fmt("Straßensperre vor dem Büro %s\n", m));
	/* With words, best match first: the shorter subject. */
	assert_true(strstr(c.out, api_fmt("%lld ", na)) <
		    strstr(c.out, api_fmt("%lld ", nb)));

	c = api_cli(s, "ticket", "list", "--q",
		    api_fmt("STRASSENSPERRE buero %s", m), "--db", s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, api_fmt("%lld ", nb));
	assert_null(strstr(c.out, api_fmt("%lld ", na)));
	c = api_cli(s, "ticket", "list", "--q", api_fmt("%s prio:1", m), "--db",
		    s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, api_fmt("%lld   1     new", na));
	assert_null(strstr(c.out, api_fmt("%lld ", nb)));
	c = api_cli(s, "ticket", "list", "--q", api_fmt("%s prio:4", m), "--db",
		    s->db_url);
	api_expect_exit(c, 0);
	assert_string_equal(c.out, "no tickets match\n");
	c = api_cli(s, "ticket", "list", "--q", m, "--limit", "1", "--db",
		    s->db_url);
	api_expect_exit(c, 0);
	api_expect_out(c, "(the first 1; more tickets match");
	/* Without --q: every ticket, at most --limit. */
	c = api_cli_env(
		s, s->db_url,
		(const char *const[]){"ticket", "list", "--limit", "2", NULL});
	api_expect_exit(c, 0);
	api_expect_out(c, "more tickets match");

	/* A query the language refuses is a wrong command line. */
	c = api_cli(s, "ticket", "list", "--q", "foo:bar", "--db", s->db_url);
	api_expect_exit(c, 2);
	api_expect_err(c, "unknown filter 'foo'");
	c = api_cli(s, "ticket", "list", "--q", "prio:7");
	api_expect_exit(c, 2);
	api_expect_err(c, "prio must be 1 to 4");
	c = api_cli(s, "ticket", "list", "--q", "\"unclosed");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "list", "--q", "owner:me", "--db", s->db_url);
	api_expect_exit(c, 2);
	api_expect_err(c, "owner:me needs a signed-in person");
	c = api_cli(s, "ticket", "list", "--q", "queue:nosuchqueuehere", "--db",
		    s->db_url);
	api_expect_exit(c, 2);
	api_expect_err(c, "unknown queue 'nosuchqueuehere'");
	c = api_cli(s, "ticket", "list", "--limit", "0");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "list", "--limit", "10001");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "list", "--q");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "list", "--subject", "x");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "list", "extra", "--db", s->db_url);
	api_expect_exit(c, 2);
}

static void test_usage(void **state)
{
	struct api_server *s = *state;
	struct api_cli_run c = api_cli(s, "ticket", "--help");
	api_expect_exit(c, 0);
	api_expect_out(c, "usage: dutydesk ticket list");
	c = api_cli(s, "ticket", "show", "--help");
	api_expect_exit(c, 0);
	api_expect_out(c, "dutydesk ticket show NUMBER");
	c = api_cli(s, "ticket");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "delete");
	api_expect_exit(c, 2);
	api_expect_err(c, "unknown subcommand 'delete'");
	c = api_cli(s, "ticket", "list", "--frobnicate");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "list", "--db", "mysql://nope");
	api_expect_exit(c, 2);
	c = api_cli(s, "ticket", "list", "--db",
		    api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	api_expect_exit(c, 1);
	api_expect_err(c, "dutydesk ticket list:");
	c = api_cli(s, "ticket", "create", "--subject", "x", "--db",
		    api_fmt("sqlite:%s/no/such/dir/x.db", s->dir));
	api_expect_exit(c, 1);
	c = api_cli(s, "help");
	api_expect_exit(c, 0);
	api_expect_out(c, "ticket   list, show and create tickets");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		API_TEST(test_create_and_show),
		API_TEST(test_list),
		API_TEST(test_usage),
	};
	return API_RUN("ticket_cli", tests);
}
