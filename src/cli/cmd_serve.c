#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/server.h"
#include "base/wakeup.h"
#include "jobs/delivery.h"
#include "jobs/scheduler.h"

static const char help[] =
	"usage: dutydesk serve [--listen HOST:PORT] [--db URL] [--threads N]\n"
	"                      [--max-body BYTES] [--no-access-log] "
	"[--no-jobs]\n"
	"                      [--trust-proxy] [--web-root DIR]\n"
	"                      [--smtp-url URL] [--mail-from ADDRESS]\n"
	"                      [--cache-mb N]\n\n"
	"Run the HTTP server. The schema is migrated at start. SIGTERM or\n"
	"SIGINT stop accepting, finish requests in flight and exit 0;\n"
	"SIGUSR1 toggles debug logging of every subsystem.\n\n"
	"  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080,\n"
	"                      environment DUTYDESK_LISTEN)\n"
	"  --db URL            sqlite:PATH or postgresql://... (default\n"
	"                      sqlite:data/dutydesk.db, environment "
	"DUTYDESK_DB)\n"
	"  --threads N         worker threads, one database connection each\n"
	"                      (default: one per core, two on PostgreSQL)\n"
	"  --max-body BYTES    largest JSON request body (default 1048576)\n"
	"  --no-access-log     do not log one line per request\n"
	"  --no-jobs           do not run the background jobs here (for\n"
	"                      instances that only serve requests)\n"
	"  --trust-proxy       take the client address from the last\n"
	"                      X-Forwarded-For entry (behind nginx/HAProxy)\n"
	"  --web-root DIR      the built web UI served at / (default "
	"web/dist,\n"
	"                      built by 'npm ci && npm run build' in web/)\n"
	"  --smtp-url URL      the relay for outgoing mail: smtp://HOST:PORT\n"
	"                      (STARTTLS when offered) or smtps://...;\n"
	"                      user:password@ in the URL to log in\n"
	"                      (environment DUTYDESK_SMTP_URL; without it\n"
	"                      mail waits in the outbox)\n"
	"  --mail-from ADDRESS sender of outgoing mail (environment\n"
	"                      DUTYDESK_MAIL_FROM, default "
	"dutydesk@localhost)\n"
	"  --cache-mb N        memory for tickets read lately, answered\n"
	"                      without asking the database until anything\n"
	"                      changes (default 128 on PostgreSQL, 0 = off;\n"
	"                      off on SQLite, whose reads need no round "
	"trip)\n";

static int set_text(char *out, size_t size, const char *value, const char *name)
{
	if (strlen(value) >= size)
		return dd_cli_usage_error("serve", "%s is too long", name);
	snprintf(out, size, "%s", value);
	return DD_EXIT_OK;
}

int dd_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"db", required_argument, NULL, 'd'},
		{"threads", required_argument, NULL, 't'},
		{"max-body", required_argument, NULL, 'b'},
		{"no-access-log", no_argument, NULL, 'n'},
		{"no-jobs", no_argument, NULL, 'j'},
		{"trust-proxy", no_argument, NULL, 'p'},
		{"web-root", required_argument, NULL, 'w'},
		{"smtp-url", required_argument, NULL, 's'},
		{"mail-from", required_argument, NULL, 'f'},
		{"cache-mb", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	struct dd_cli cli;
	struct dd_err err;
	int access_log = 1, jobs = 1, threads_set = 0, rc, c;
	if ((rc = dd_cli_init(&cli, "serve")) != DD_EXIT_OK)
		return rc;
	const char *env_smtp = getenv("DUTYDESK_SMTP_URL"),
		   *env_from = getenv("DUTYDESK_MAIL_FROM");
	if (env_smtp &&
	    (rc = set_text(cli.config.smtp_url, sizeof(cli.config.smtp_url),
			   env_smtp, "DUTYDESK_SMTP_URL")) != DD_EXIT_OK)
		return rc;
	if (env_from &&
	    (rc = set_text(cli.config.mail_from, sizeof(cli.config.mail_from),
			   env_from, "DUTYDESK_MAIL_FROM")) != DD_EXIT_OK)
		return rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		char *end;
		long v;
		switch (c) {
		case 'l':
			if (dd_config_set_listen(&cli.config, optarg, &err) < 0)
				return dd_cli_usage_error("serve", "%s",
							  err.msg);
			break;
		case 'd':
			if (strlen(optarg) >= sizeof(cli.config.db_url))
				return dd_cli_usage_error("serve",
							  "--db is too long");
			snprintf(cli.config.db_url, sizeof(cli.config.db_url),
				 "%s", optarg);
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > DD_LIMIT_THREADS_MAX)
				return dd_cli_usage_error(
					"serve", "--threads must be 1 to %d",
					DD_LIMIT_THREADS_MAX);
			cli.config.threads = (int)v;
			threads_set = 1;
			break;
		case 'b':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1024 || v > DD_LIMIT_BODY_MAX)
				return dd_cli_usage_error(
					"serve",
					"--max-body must be 1024 to %d bytes",
					DD_LIMIT_BODY_MAX);
			cli.config.max_body = (size_t)v;
			break;
		case 'n':
			access_log = 0;
			break;
		case 'j':
			jobs = 0;
			break;
		case 'p':
			cli.config.trust_proxy = 1;
			break;
		case 'w': {
			size_t n = strlen(optarg);
			while (n > 1 && optarg[n - 1] == '/')
				n--; /* "dist/" and "dist" are one folder */
			if (n == 0 || n >= sizeof(cli.config.web_root))
				return dd_cli_usage_error(
					"serve",
					"--web-root must be 1 to %d bytes",
					(int)sizeof(cli.config.web_root) - 1);
			memcpy(cli.config.web_root, optarg, n);
			cli.config.web_root[n] = '\0';
			break;
		}
		case 's':
			if (strncmp(optarg, "smtp://", 7) != 0 &&
			    strncmp(optarg, "smtps://", 8) != 0)
				return dd_cli_usage_error(
					"serve", "--smtp-url must start with "
						 "smtp:// or smtps://");
			if ((rc = set_text(cli.config.smtp_url,
					   sizeof(cli.config.smtp_url), optarg,
					   "--smtp-url")) != DD_EXIT_OK)
				return rc;
			break;
		case 'f':
			if (!strchr(optarg, '@') || strpbrk(optarg, "<> \r\n"))
				return dd_cli_usage_error(
					"serve",
					"--mail-from must be a bare "
					"address like support@example.com");
			if ((rc = set_text(cli.config.mail_from,
					   sizeof(cli.config.mail_from), optarg,
					   "--mail-from")) != DD_EXIT_OK)
				return rc;
			break;
		case 'c':
			v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 0 ||
			    v > DD_LIMIT_CACHE_MB_MAX)
				return dd_cli_usage_error(
					"serve", "--cache-mb must be 0 to %d",
					DD_LIMIT_CACHE_MB_MAX);
			cli.config.cache_mb = (int)v;
			break;
		case 'h':
			fputs(help, stdout);
			return DD_EXIT_OK;
		case ':':
			return dd_cli_usage_error("serve", "'%s' needs a value",
						  argv[optind - 1]);
		default:
			return dd_cli_usage_error("serve",
						  "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return dd_cli_usage_error("serve", "unexpected argument '%s'",
					  argv[optind]);
	/* Migrate with a short-lived connection; the server opens its own
	 * pool. */
	if ((rc = dd_cli_open(&cli, "serve")) != DD_EXIT_OK)
		return rc;
	/* On PostgreSQL a worker waits for the backend's answer to each
	 * statement while the backend needs a core: two workers a core keep
	 * the cores busy (a third more GETs by id on two cores, bench/README.md
	 * "Tickets"). SQLite answers in the worker's own thread, where more
	 * workers than cores only contend for its locks. */
	if (!threads_set && dd_store_kind(cli.ctx.store) == DD_STORE_PG)
		cli.config.threads =
			cli.config.threads * 2 > DD_LIMIT_THREADS_MAX
				? DD_LIMIT_THREADS_MAX
				: cli.config.threads * 2;
	/* A read on PostgreSQL is a round trip to another process, on
	 * SQLite a function call: only the first gains from the cache. */
	if (cli.config.cache_mb < 0)
		cli.config.cache_mb =
			dd_store_kind(cli.ctx.store) == DD_STORE_PG ? 128 : 0;
	dd_store_close(cli.ctx.store);
	cli.ctx.store = NULL;

	/* Block the signals in every thread (the server's threads inherit
	 * the mask) and take them here with sigwait. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	/* Requests and jobs ring it after committing an outbox row; the
	 * delivery thread waits on it. */
	struct dd_wakeup outbox_wake;
	if (dd_wakeup_init(&outbox_wake, &err) < 0) {
		dd_cli_close(&cli);
		return dd_cli_fail("serve", "%s", err.msg);
	}
	struct dd_server srv;
	memset(&srv, 0, sizeof(srv));
	srv.access_log = access_log;
	srv.outbox_wake = &outbox_wake;
	if (dd_server_start(&srv, &cli.config, &cli.clock, &cli.log, &err) <
	    0) {
		dd_wakeup_release(&outbox_wake);
		dd_cli_close(&cli);
		return dd_cli_fail("serve", "%s", err.msg);
	}
	struct dd_scheduler sched;
	memset(&sched, 0, sizeof(sched));
	if (jobs && dd_scheduler_start(&sched, &cli.config, &cli.clock,
				       &cli.log, &outbox_wake, &err) < 0) {
		dd_server_stop(&srv);
		dd_wakeup_release(&outbox_wake);
		dd_cli_close(&cli);
		return dd_cli_fail("serve", "%s", err.msg);
	}
	struct dd_delivery delivery;
	memset(&delivery, 0, sizeof(delivery));
	if (jobs && dd_delivery_start(&delivery, &cli.config, &cli.clock,
				      &cli.log, &outbox_wake, &err) < 0) {
		dd_scheduler_stop(&sched);
		dd_server_stop(&srv);
		dd_wakeup_release(&outbox_wake);
		dd_cli_close(&cli);
		return dd_cli_fail("serve", "%s", err.msg);
	}
	dd_log_write(&cli.log, DD_LOG_INFO, DD_SUB_MAIN, "listening",
		     "url=http://%s:%d db=%s threads=%d",
		     cli.config.listen_host, cli.config.listen_port,
		     strncmp(cli.config.db_url, "sqlite:", 7) == 0
			     ? "sqlite"
			     : "postgresql",
		     cli.config.threads);
	for (;;) {
		int sig = 0;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1) {
			cli.log.debug_mask =
				cli.log.debug_mask ? 0 : DD_SUB_ALL;
			dd_log_write(&cli.log, DD_LOG_INFO, DD_SUB_MAIN,
				     "debug logging toggled", "debug=%s",
				     cli.log.debug_mask ? "on" : "off");
			continue;
		}
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	dd_log_write(&cli.log, DD_LOG_INFO, DD_SUB_MAIN, "shutting down",
		     "in_flight=%d", srv.in_flight);
	dd_server_quiesce(&srv);
	if (dd_server_wait_idle(&srv, DD_LIMIT_SHUTDOWN_GRACE_MS) < 0)
		dd_log_write(&cli.log, DD_LOG_WARN, DD_SUB_MAIN,
			     "requests still in flight at the end of the grace "
			     "period",
			     "in_flight=%d", srv.in_flight);
	dd_server_stop(&srv);
	dd_delivery_stop(&delivery);
	dd_scheduler_stop(&sched);
	dd_wakeup_release(&outbox_wake);
	dd_log_write(&cli.log, DD_LOG_INFO, DD_SUB_MAIN, "stopped", NULL);
	dd_cli_close(&cli);
	return DD_EXIT_OK;
}
