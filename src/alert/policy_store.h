/*
 * policy_store.h - escalation policies in the database: create, read,
 * replace and delete, each change with its event; and the policy that
 * applies to priority-1 alerts. Strings come from the context's arena.
 */
#ifndef DD_ALERT_POLICY_STORE_H
#define DD_ALERT_POLICY_STORE_H

#include <stdint.h>

#include "alert/policy.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* A name and a description are what people read in a list. */
#define DD_POLICY_NAME_MAX	  200
#define DD_POLICY_DESCRIPTION_MAX 2000

/* Create p (its id, version and times are filled into out). 409 when the
 * name is taken, 400 for a bad policy or a target that names nothing. */
int dd_policy_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_policy *p, struct dd_policy *out,
		     struct dd_err *err);
/* 404 when there is none. */
int dd_policy_get(struct dd_ctx *ctx, int64_t id, struct dd_policy *out,
		  struct dd_err *err);
/* Replace name, description, repeats and steps. if_version > 0 refuses a
 * stale update (412). */
int dd_policy_replace(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, const struct dd_policy *p, int64_t if_version,
		      struct dd_policy *out, struct dd_err *err);
/* Alerts that used it keep escalating by the built-in default. */
int dd_policy_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, struct dd_err *err);
/* Every policy in id order (they are few); fn returns nonzero to stop. */
int dd_policy_list(struct dd_ctx *ctx,
		   int (*fn)(const struct dd_policy *p, void *arg), void *arg,
		   struct dd_err *err);

/* The policy with id, or the built-in default when id is 0 or the
 * policy is gone. 0 or -1. */
int dd_policy_load_or_default(struct dd_ctx *ctx, int64_t id,
			      struct dd_policy *out, struct dd_err *err);

void dd_policy_to_json(const struct dd_policy *p, struct dd_json_out *j);

#endif
