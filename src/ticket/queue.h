/*
 * queue.h - ticket queues: where work waits for a group (the demo's
 * Support management, Service management, Project management). A queue
 * with the owner rule "project_manager" gives each ticket to the project
 * manager of the ticket's organisation (ticket.c applies it when a ticket
 * is created or moved into the queue without an owner).
 *
 * Changes are written with their event in one transaction; updates take
 * the ETag's version (if_version > 0, 412 when stale). Strings in a
 * struct dd_queue come from the context's arena.
 */
#ifndef DD_TICKET_QUEUE_H
#define DD_TICKET_QUEUE_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

enum dd_queue_owner_rule {
	DD_QUEUE_OWNER_NONE,
	DD_QUEUE_OWNER_PROJECT_MANAGER,
};

struct dd_queue {
	int64_t id;
	const char *name;
	const char *description;
	int64_t group_id; /* 0: none */
	enum dd_queue_owner_rule owner_rule;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

/* NULL or *_set == 0 leaves a field as it is (create: its default). */
struct dd_queue_input {
	const char *name;
	const char *description;
	int group_set;
	int64_t group_id; /* 0 with group_set clears */
	int owner_rule_set;
	enum dd_queue_owner_rule owner_rule;
};

/* "none" / "project_manager"; parse returns 0 or -1. */
const char *dd_queue_owner_rule_name(enum dd_queue_owner_rule rule);
int dd_queue_owner_rule_parse(const char *name, enum dd_queue_owner_rule *rule);

/* 409 when the name is taken, 400 when group_id names no group. */
int dd_queue_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const struct dd_queue_input *in, struct dd_queue *out,
		    struct dd_err *err);
/* 404 when there is no such queue. */
int dd_queue_get(struct dd_ctx *ctx, int64_t id, struct dd_queue *out,
		 struct dd_err *err);
int dd_queue_get_by_name(struct dd_ctx *ctx, const char *name,
			 struct dd_queue *out, struct dd_err *err);
/* In id order after after_id, at most limit; fn returns nonzero to
 * stop. */
int dd_queue_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		  int (*fn)(const struct dd_queue *q, void *arg), void *arg,
		  struct dd_err *err);
int dd_queue_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, const struct dd_queue_input *in,
		    int64_t if_version, struct dd_queue *out,
		    struct dd_err *err);
/* 409 while tickets are in the queue or an assignment rule sends tickets
 * to it; its service levels go with it. */
int dd_queue_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_err *err);

void dd_queue_to_json(const struct dd_queue *q, struct dd_json_out *j);

#endif
