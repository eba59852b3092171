#include "people/group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "store/store.h"

#define SNAPSHOT_MAX (64 * 1024)

#define GROUP_COLUMNS                                                          \
	"SELECT g.id, g.name, g.description, g.role, g.version,"               \
	" g.created_at, g.updated_at,"                                         \
	" (SELECT COUNT(*) FROM memberships m WHERE m.group_id = g.id)"        \
	" FROM groups g "

void dd_group_to_json(const struct dd_group *g, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", g->id);
	dd_json_kstr(j, "name", g->name);
	dd_json_kstr(j, "description", g->description);
	dd_json_kstr(j, "role", dd_role_name(g->role));
	dd_json_kint(j, "member_count", g->member_count);
	dd_json_kint(j, "version", g->version);
	dd_json_ktime(j, "created_at", g->created_at);
	dd_json_ktime(j, "updated_at", g->updated_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_group *g)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, SNAPSHOT_MAX);
	dd_json_out_init(&j, &buf);
	dd_group_to_json(g, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_group *g)
{
	g->id = dd_rows_int(rows, 0);
	g->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	g->description = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	g->role = (enum dd_role)dd_rows_int(rows, 3);
	g->version = dd_rows_int(rows, 4);
	g->created_at = dd_rows_int(rows, 5);
	g->updated_at = dd_rows_int(rows, 6);
	g->member_count = dd_rows_int(rows, 7);
}

static int get_one(struct dd_ctx *ctx, const char *sql, struct dd_param key,
		   struct dd_group *out, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, sql, &key, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (key.type == DD_PARAM_INT)
			return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
					  "no group with id %lld",
					  (long long)key.i);
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no group named '%.100s'", key.s);
	}
	return 0;
}

int dd_group_get(struct dd_ctx *ctx, int64_t id, struct dd_group *out,
		 struct dd_err *err)
{
	return get_one(ctx, GROUP_COLUMNS "WHERE g.id = $1", DD_P_INT(id), out,
		       err);
}

int dd_group_get_by_name(struct dd_ctx *ctx, const char *name,
			 struct dd_group *out, struct dd_err *err)
{
	if (dd_text_check("group", name, 1, DD_LIMIT_NAME, DD_TEXT_SINGLE_LINE,
			  err) < 0)
		return -1;
	return get_one(ctx, GROUP_COLUMNS "WHERE g.name = $1", DD_P_TEXT(name),
		       out, err);
}

int dd_group_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		  int (*fn)(const struct dd_group *g, void *arg), void *arg,
		  struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {DD_P_INT(after_id), DD_P_INT(limit)};
	if (dd_store_query(ctx->store,
			   GROUP_COLUMNS
			   "WHERE g.id > $1 ORDER BY g.id LIMIT $2",
			   p, 2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_group g;
		read_row(ctx, rows, &g);
		if (fn(&g, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int check_input(const struct dd_group_input *in, int create,
		       struct dd_err *err)
{
	if ((create || in->name) &&
	    dd_text_check("name", in->name, 1, DD_LIMIT_NAME,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	if (in->description &&
	    dd_text_check("description", in->description, 0,
			  DD_LIMIT_DESCRIPTION, DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	if (in->role_set &&
	    (in->role < DD_ROLE_NONE || in->role > DD_ROLE_ADMIN))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "unknown role");
	return 0;
}

static int name_taken(struct dd_err *err, const char *name)
{
	if (err->status == 409)
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "a group named '%.100s' already exists", name);
	return -1;
}

int dd_group_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const struct dd_group_input *in, struct dd_group *out,
		    struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), id = 0;
	if (check_input(in, 1, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_param p[] = {
		DD_P_TEXT(in->name),
		DD_P_TEXT(in->description ? in->description : ""),
		DD_P_INT(in->role_set ? in->role : DD_ROLE_NONE),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO groups (name, description, role, "
		    "created_at, updated_at) VALUES ($1, $2, $3, $4, "
		    "$4) RETURNING id",
		    p, 4, &id, err) < 0) {
		name_taken(err, in->name);
		goto fail;
	}
	if (dd_group_get(ctx, id, out, err) < 0)
		goto fail;
	char *after = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "group.create",
				 "group", id, NULL, after, err);
	free(after);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* Nonzero when removing `removed` (a whole group, or one member of it)
 * would leave no member in any admin group. Runs inside the caller's
 * transaction. */
static int leaves_no_admin(struct dd_ctx *ctx, int64_t group_id,
			   int64_t person_id, int *result, struct dd_err *err)
{
	int64_t remaining = 0;
	struct dd_param p[] = {DD_P_INT(group_id), DD_P_INT(person_id)};
	if (dd_store_query_int(
		    ctx->store,
		    "SELECT COUNT(*) FROM memberships m JOIN groups g ON g.id "
		    "= "
		    "m.group_id JOIN people p ON p.id = m.person_id WHERE "
		    "g.role "
		    "= 3 AND p.active = 1 AND NOT (m.group_id = $1 AND ($2 = 0 "
		    "OR m.person_id = $2))",
		    p, 2, &remaining, err) < 0)
		return -1;
	*result = remaining == 0;
	return 0;
}

int dd_group_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, const struct dd_group_input *in,
		    int64_t if_version, struct dd_group *out,
		    struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	if (check_input(in, 0, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_group before;
	if (dd_group_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "group %lld was changed meanwhile (version %lld, "
			   "not %lld): reload and try again",
			   (long long)id, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	if (in->role_set && before.role == DD_ROLE_ADMIN &&
	    in->role != DD_ROLE_ADMIN) {
		int none = 0;
		if (leaves_no_admin(ctx, id, 0, &none, err) < 0)
			goto fail;
		if (none) {
			dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				   "group '%.100s' holds the last admins: give "
				   "someone else the admin role first",
				   before.name);
			goto fail;
		}
	}
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(in->name ? in->name : before.name),
		DD_P_TEXT(in->description ? in->description
					  : before.description),
		DD_P_INT(in->role_set ? in->role : before.role),
		DD_P_INT(now),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE groups SET name = $2, description = $3, "
			  "role = $4, updated_at = $5, version = version + 1 "
			  "WHERE id = $1",
			  p, 5, err) < 0) {
		name_taken(err, in->name ? in->name : before.name);
		goto fail;
	}
	if (dd_group_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "group.update",
				 "group", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_group_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_group before;
	if (dd_group_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.role == DD_ROLE_ADMIN) {
		int none = 0;
		if (leaves_no_admin(ctx, id, 0, &none, err) < 0)
			goto fail;
		if (none) {
			dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				   "group '%.100s' holds the last admins: give "
				   "someone else the admin role first",
				   before.name);
			goto fail;
		}
	}
	if (dd_store_exec(ctx->store,
			  "DELETE FROM memberships WHERE group_id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0 ||
	    dd_store_exec(ctx->store, "DELETE FROM groups WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "group.delete",
				 "group", id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

static char *membership_json(int64_t group_id, int64_t person_id)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 256);
	dd_json_out_init(&j, &buf);
	dd_json_obj_begin(&j);
	dd_json_kint(&j, "group_id", group_id);
	dd_json_kint(&j, "person_id", person_id);
	dd_json_obj_end(&j);
	return dd_buf_detach(&buf, NULL);
}

int dd_group_member_add(struct dd_ctx *ctx, const struct dd_actor *actor,
			int64_t group_id, int64_t person_id, int *added,
			struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), exists = 0;
	*added = 0;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_param key[] = {DD_P_INT(group_id), DD_P_INT(person_id)};
	if (dd_store_query_int(
		    ctx->store,
		    "SELECT (SELECT COUNT(*) FROM groups WHERE id = $1)"
		    " + 2 * (SELECT COUNT(*) FROM people WHERE id = $2)"
		    " + 4 * (SELECT COUNT(*) FROM memberships WHERE"
		    " group_id = $1 AND person_id = $2)",
		    key, 2, &exists, err) < 0)
		goto fail;
	if (!(exists & 1)) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no group with id %lld", (long long)group_id);
		goto fail;
	}
	if (!(exists & 2)) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no person with id %lld", (long long)person_id);
		goto fail;
	}
	if (exists & 4) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (dd_store_exec(ctx->store,
			  "INSERT INTO memberships (group_id, person_id, "
			  "created_at) VALUES ($1, $2, $3)",
			  (struct dd_param[]){DD_P_INT(group_id),
					      DD_P_INT(person_id),
					      DD_P_INT(now)},
			  3, err) < 0)
		goto fail;
	char *a = membership_json(group_id, person_id);
	int rc = dd_event_append(ctx->store, now, actor, "group.member.add",
				 "group", group_id, NULL, a, err);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	*added = 1;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_group_member_remove(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t group_id, int64_t person_id,
			   struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), role = 0;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int rc = dd_store_query_int(
		ctx->store,
		"SELECT g.role FROM memberships m JOIN groups g ON g.id = "
		"m.group_id WHERE m.group_id = $1 AND m.person_id = $2",
		(struct dd_param[]){DD_P_INT(group_id), DD_P_INT(person_id)}, 2,
		&role, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "person %lld is not a member of group %lld",
			   (long long)person_id, (long long)group_id);
		goto fail;
	}
	if (role == DD_ROLE_ADMIN) {
		int none = 0;
		if (leaves_no_admin(ctx, group_id, person_id, &none, err) < 0)
			goto fail;
		if (none) {
			dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				   "person %lld is the last admin: make "
				   "someone else admin first",
				   (long long)person_id);
			goto fail;
		}
	}
	if (dd_store_exec(ctx->store,
			  "DELETE FROM memberships WHERE group_id = $1 AND "
			  "person_id = $2",
			  (struct dd_param[]){DD_P_INT(group_id),
					      DD_P_INT(person_id)},
			  2, err) < 0)
		goto fail;
	char *b = membership_json(group_id, person_id);
	rc = dd_event_append(ctx->store, now, actor, "group.member.remove",
			     "group", group_id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_group_members(struct dd_ctx *ctx, int64_t group_id,
		     int (*fn)(int64_t person_id, const char *login,
			       const char *name, void *arg),
		     void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT p.id, p.login, p.name FROM memberships m "
			   "JOIN people p ON p.id = m.person_id "
			   "WHERE m.group_id = $1 ORDER BY p.id",
			   (struct dd_param[]){DD_P_INT(group_id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0)
		if (fn(dd_rows_int(rows, 0), dd_rows_text(rows, 1),
		       dd_rows_text(rows, 2), arg) != 0)
			break;
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_group_ensure(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const char *name, enum dd_role role, struct dd_group *out,
		    struct dd_err *err)
{
	if (dd_group_get_by_name(ctx, name, out, err) == 0)
		return 0;
	if (err->status != 404)
		return -1;
	struct dd_group_input in = {.name = name, .role = role, .role_set = 1};
	return dd_group_create(ctx, actor, &in, out, err);
}
