/*
 * alert_settings.h - how alerting is set up for the organisation: the
 * priority-1 escalation policy (none: the built-in default of
 * alert/policy.h), where a duty step goes while the duty's window is
 * closed (inside core hours; outside all hours), the public URL that
 * one-click links start with, and the From address of pages.
 */
#ifndef DD_ALERT_ALERT_SETTINGS_H
#define DD_ALERT_ALERT_SETTINGS_H

#include <stdint.h>

#include "alert/policy.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* A public URL is a link people click: the usual URL limit is ample. */
#define DD_ALERT_URL_MAX  512
#define DD_ALERT_FROM_MAX 320

struct dd_alert_settings {
	int64_t p1_policy_id;		    /* 0: the built-in default */
	struct dd_alert_target core_target; /* kind NONE: nobody */
	struct dd_alert_target off_target;
	/* "https://desk.example.com" without a trailing slash; "" when not
	 * set (links then use the address the server listens on). */
	char public_url[DD_ALERT_URL_MAX + 1];
	char mail_from[DD_ALERT_FROM_MAX + 1]; /* "" for the default */
	int64_t version;
	int64_t updated_at;
};

/* Load the settings. 0 or -1. */
int dd_alert_settings_load(struct dd_ctx *ctx, struct dd_alert_settings *s,
			   struct dd_err *err);
/* Check (fallback targets are a person, group or queue that exists, or
 * none; the policy exists; the URL is http(s) without query or
 * fragment; the From address is an address) and store them with the
 * event "alert.settings.update". if_version > 0 refuses a stale update
 * (412). 0 or -1. */
int dd_alert_settings_save(struct dd_ctx *ctx, const struct dd_actor *actor,
			   const struct dd_alert_settings *s,
			   int64_t if_version, struct dd_err *err);

/* The base of links ("https://desk.example.com") into out: the public
 * URL, else http://HOST:PORT of the configuration. */
void dd_alert_link_base(const struct dd_ctx *ctx,
			const struct dd_alert_settings *s, char *out,
			size_t cap);
/* The From of pages into out: the setting, else "dutydesk <ADDRESS>"
 * with the server's --mail-from. */
void dd_alert_mail_from(const struct dd_ctx *ctx,
			const struct dd_alert_settings *s, char *out,
			size_t cap);

void dd_alert_settings_to_json(const struct dd_alert_settings *s,
			       struct dd_json_out *j);
/* {"kind": ..., "id": ...} or null for NONE. */
void dd_alert_target_to_json(const struct dd_alert_target *t,
			     struct dd_json_out *j);
/* Inside a transaction: 0 when the target's object exists (400 naming
 * what otherwise). */
int dd_alert_target_exists(struct dd_ctx *ctx, const struct dd_alert_target *t,
			   const char *what, struct dd_err *err);

#endif
