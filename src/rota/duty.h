/*
 * duty.h - duties as data: name, the seed's responsibilities as its
 * description, the slot it takes in the weekly alternation (0: the first
 * person of the pair on the week's first business day), its service
 * window, the number the support line forwards to, and whether it takes
 * priority-1 pages.
 */
#ifndef DD_ROTA_DUTY_H
#define DD_ROTA_DUTY_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/calendar.h"
#include "store/event.h"

struct dd_duty {
	int64_t id;
	const char *name;
	const char *description;
	int slot;
	struct dd_window window;
	const char *phone; /* NULL when none */
	int takes_p1;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

struct dd_duty_input {
	const char *name;
	const char *description;
	int slot, slot_set;
	unsigned weekdays;
	int weekdays_set;
	int start, start_set; /* minutes of the day */
	int end, end_set;
	const char *phone;
	int phone_set; /* with phone NULL: clear */
	int takes_p1, takes_p1_set;
};

int dd_duty_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const struct dd_duty_input *in, struct dd_duty *out,
		   struct dd_err *err);
int dd_duty_get(struct dd_ctx *ctx, int64_t id, struct dd_duty *out,
		struct dd_err *err);
/* if_version > 0 refuses (412) a stale update. */
int dd_duty_update(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   const struct dd_duty_input *in, int64_t if_version,
		   struct dd_duty *out, struct dd_err *err);
/* Deleting a duty removes its overrides and open requests too. */
int dd_duty_delete(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_err *err);
/* All duties in id order into an arena array. */
int dd_duty_all(struct dd_ctx *ctx, struct dd_duty **out, int *count,
		struct dd_err *err);

void dd_duty_to_json(const struct dd_duty *d, struct dd_json_out *j);

#endif
