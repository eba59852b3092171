/*
 * member.h - who takes part in the rota. A member may be out of rotation
 * for a while (long illness, parental leave): the fair proposal skips
 * them, their existing duties stand.
 */
#ifndef DD_ROTA_MEMBER_H
#define DD_ROTA_MEMBER_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

struct dd_rota_member {
	int64_t person_id;
	const char *login;
	const char *name;
	int in_rotation;
	int active; /* the person's own flag */
};

/* Members in person id order. */
int dd_rota_member_list(struct dd_ctx *ctx,
			int (*fn)(const struct dd_rota_member *m, void *arg),
			void *arg, struct dd_err *err);
/* Add or change a member (*created 1 when added). */
int dd_rota_member_set(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t person_id, int in_rotation, int *created,
		       struct dd_err *err);
int dd_rota_member_remove(struct dd_ctx *ctx, const struct dd_actor *actor,
			  int64_t person_id, struct dd_err *err);

void dd_rota_member_to_json(const struct dd_rota_member *m,
			    struct dd_json_out *j);

#endif
