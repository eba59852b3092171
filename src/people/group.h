/*
 * group.h - groups of people. A group may grant a role (viewer, editor,
 * admin) or none: functional groups such as "Support management" exist
 * for assigning work. Strings are allocated from the context's arena.
 */
#ifndef DD_PEOPLE_GROUP_H
#define DD_PEOPLE_GROUP_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "people/authz.h"
#include "store/event.h"

struct dd_group {
	int64_t id;
	const char *name;
	const char *description;
	enum dd_role role;
	int64_t member_count;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

struct dd_group_input {
	const char *name;
	const char *description;
	enum dd_role role;
	int role_set;
};

int dd_group_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const struct dd_group_input *in, struct dd_group *out,
		    struct dd_err *err);
int dd_group_get(struct dd_ctx *ctx, int64_t id, struct dd_group *out,
		 struct dd_err *err);
int dd_group_get_by_name(struct dd_ctx *ctx, const char *name,
			 struct dd_group *out, struct dd_err *err);
int dd_group_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		  int (*fn)(const struct dd_group *g, void *arg), void *arg,
		  struct dd_err *err);
/* if_version > 0 refuses (412) a stale update. */
int dd_group_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, const struct dd_group_input *in,
		    int64_t if_version, struct dd_group *out,
		    struct dd_err *err);
/* Delete a group and its memberships. Refuses (409) to remove the last
 * admin group that still has members, so nobody locks everyone out. */
int dd_group_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_err *err);

/* Add (idempotent: *added 0 when already a member) or remove (404 when
 * not a member) a person. Removing the last admin is refused (409). */
int dd_group_member_add(struct dd_ctx *ctx, const struct dd_actor *actor,
			int64_t group_id, int64_t person_id, int *added,
			struct dd_err *err);
int dd_group_member_remove(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t group_id, int64_t person_id,
			   struct dd_err *err);
/* Member ids and logins of a group in person id order. */
int dd_group_members(struct dd_ctx *ctx, int64_t group_id,
		     int (*fn)(int64_t person_id, const char *login,
			       const char *name, void *arg),
		     void *arg, struct dd_err *err);

/* The group named name, created with role when it does not exist yet. */
int dd_group_ensure(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const char *name, enum dd_role role, struct dd_group *out,
		    struct dd_err *err);

void dd_group_to_json(const struct dd_group *g, struct dd_json_out *j);

#endif
