/*
 * alert_int.h - what the files of alert/ share and nobody else sees:
 * the on-call world at an instant, expanding targets into people, and
 * the page log.
 */
#ifndef DD_ALERT_ALERT_INT_H
#define DD_ALERT_ALERT_INT_H

#include <stdint.h>

#include "alert/alert_settings.h"
#include "alert/policy.h"
#include "base/ctx.h"
#include "rota/env.h"
#include "rota/oncall.h"

/* People one target reaches at most (a group, a queue's group). */
#define DD_ALERT_PEOPLE_MAX 64

/* Everything a paging decision at now needs, loaded once. */
struct dd_alert_now {
	struct dd_rota_env env;
	struct dd_oncall *oncall; /* env.duty_count entries, arena */
	int oncall_count;
	struct dd_alert_settings settings;
	struct dd_page_world world;
	char link_base[DD_ALERT_URL_MAX + 1];
};

int dd_alert_now_load(struct dd_ctx *ctx, int64_t now, struct dd_alert_now *n,
		      struct dd_err *err);

/* The active people a resolved target reaches (persons as they are,
 * groups and queues by their members), without repeats. */
int dd_alert_expand(struct dd_ctx *ctx, const struct dd_resolved *r,
		    int64_t *ids, int max, int *count, struct dd_err *err);

/* Append to the page log (alert_id 0: a notice without an alert). */
int dd_alert_log(struct dd_ctx *ctx, int64_t alert_id, const char *kind,
		 int seq, const char *target, int64_t person_id,
		 int64_t method_id, int64_t outbox_id, const char *note,
		 int64_t now, struct dd_err *err);

/* Send notice n to person_id and log one row per contact method (or one
 * saying the person cannot be reached). *reached gets the number of
 * methods. */
struct dd_notice;
int dd_alert_notify_logged(struct dd_ctx *ctx, int64_t alert_id,
			   const char *kind, int seq, const char *target,
			   int64_t person_id, const struct dd_notice *n,
			   const char *why, int64_t now, int *reached,
			   struct dd_err *err);

/* "16:30" in the organisation's zone for instant ms. */
void dd_alert_local_time(const struct dd_alert_now *n, int64_t ms, char out[6]);

/* A person's name and phone (arena strings; NULL when unknown). */
int dd_alert_person(struct dd_ctx *ctx, int64_t id, const char **name,
		    const char **phone, struct dd_err *err);

#endif
