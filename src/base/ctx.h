/*
 * ctx.h - the context passed explicitly from main down: configuration,
 * clock, logger and, per request or job, a database connection and a
 * memory arena. There are no process-wide globals.
 */
#ifndef DD_BASE_CTX_H
#define DD_BASE_CTX_H

#include <stddef.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/limits.h"
#include "base/log.h"

struct dd_store;
struct dd_tz_cache;
/* Caches a server keeps for its domain modules (opaque here; NULL in
 * command-line tools). */
struct dd_oncall_cache;
struct dd_auth_cache;

struct dd_config {
	char listen_host[64];
	int listen_port;
	char db_url[DD_LIMIT_URL];
	size_t max_body;
	int threads;
	/* Take the client address from the last X-Forwarded-For entry (only
	 * behind a reverse proxy that sets it). */
	int trust_proxy;
	/* The built web UI (index.html, assets/) served at / and /assets/;
	 * serve --web-root, default "web/dist". */
	char web_root[DD_LIMIT_WEB_ROOT];
	/* The SMTP(S) relay for outgoing mail ("smtp://host:25",
	 * "smtps://user:pass@host"); empty: mail waits in the outbox. */
	char smtp_url[DD_LIMIT_URL];
	/* The default envelope sender and From of outgoing mail. */
	char mail_from[DD_LIMIT_EMAIL + 1];
	/* MiB for tickets read lately (http/ticket_cache.h); serve
	 * --cache-mb, -1 until serve knows the engine's default. */
	int cache_mb;
};

struct dd_ctx {
	const struct dd_config *config;
	const struct dd_clock *clock;
	struct dd_log *log;
	struct dd_store *store;	      /* this thread's connection */
	struct dd_arena *arena;	      /* this request's memory; may be NULL */
	struct dd_tz_cache *tz_cache; /* the process's loaded time zones */
	struct dd_oncall_cache *oncall_cache;
	struct dd_auth_cache *auth_cache; /* credentials verified lately */
};

/* Fill config with the defaults: 127.0.0.1:8080, sqlite:data/dutydesk.db,
 * the default body limit, one thread per core. */
void dd_config_defaults(struct dd_config *config);

/* Parse "HOST:PORT" (IPv6 as "[::1]:8080") into the config. Returns 0,
 * or -1 with err filled. */
struct dd_err;
int dd_config_set_listen(struct dd_config *config, const char *text,
			 struct dd_err *err);

static inline int64_t dd_ctx_now(const struct dd_ctx *ctx)
{
	return dd_clock_now(ctx->clock);
}

#endif
