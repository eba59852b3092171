#include "rota/member.h"

#include <stdio.h>

#include "store/store.h"

void dd_rota_member_to_json(const struct dd_rota_member *m,
			    struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "person_id", m->person_id);
	dd_json_kstr(j, "login", m->login);
	dd_json_kstr(j, "name", m->name);
	dd_json_kbool(j, "in_rotation", m->in_rotation);
	dd_json_kbool(j, "active", m->active);
	dd_json_obj_end(j);
}

int dd_rota_member_list(struct dd_ctx *ctx,
			int (*fn)(const struct dd_rota_member *m, void *arg),
			void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT m.person_id, p.login, p.name, m.in_rotation,"
			   " p.active FROM rota_members m JOIN people p ON"
			   " p.id = m.person_id ORDER BY m.person_id",
			   NULL, 0, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_rota_member m = {
			.person_id = dd_rows_int(rows, 0),
			.login = dd_rows_text(rows, 1),
			.name = dd_rows_text(rows, 2),
			.in_rotation = dd_rows_int(rows, 3) != 0,
			.active = dd_rows_int(rows, 4) != 0,
		};
		if (fn(&m, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int event(struct dd_ctx *ctx, const struct dd_actor *actor,
		 const char *action, int64_t person_id, int in_rotation,
		 int removed, struct dd_err *err)
{
	char json[96];
	snprintf(json, sizeof(json), "{\"person_id\":%lld,\"in_rotation\":%s}",
		 (long long)person_id, in_rotation ? "true" : "false");
	return dd_event_append(ctx->store, dd_ctx_now(ctx), actor, action,
			       "rota_member", person_id, removed ? json : NULL,
			       removed ? NULL : json, err);
}

int dd_rota_member_set(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t person_id, int in_rotation, int *created,
		       struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), exists = 0, person = 0;
	*created = 0;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_query_int(
		    ctx->store,
		    "SELECT (SELECT COUNT(*) FROM people WHERE id = $1)"
		    " + 2 * (SELECT COUNT(*) FROM rota_members"
		    " WHERE person_id = $1)",
		    (struct dd_param[]){DD_P_INT(person_id)}, 1, &person,
		    err) < 0)
		goto fail;
	if (!(person & 1)) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no person with id %lld", (long long)person_id);
		goto fail;
	}
	exists = person & 2;
	struct dd_param p[] = {DD_P_INT(person_id), DD_P_INT(in_rotation != 0),
			       DD_P_INT(now)};
	if (dd_store_exec(
		    ctx->store,
		    exists ? "UPDATE rota_members SET in_rotation = $2, "
			     "updated_at = $3 WHERE person_id = $1"
			   : "INSERT INTO rota_members (person_id, "
			     "in_rotation, created_at, updated_at) VALUES "
			     "($1, $2, $3, $3)",
		    p, 3, err) < 0 ||
	    event(ctx, actor, exists ? "rota.member.update" : "rota.member.add",
		  person_id, in_rotation, 0, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	*created = !exists;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_rota_member_remove(struct dd_ctx *ctx, const struct dd_actor *actor,
			  int64_t person_id, struct dd_err *err)
{
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int64_t n = dd_store_exec(
		ctx->store, "DELETE FROM rota_members WHERE person_id = $1",
		(struct dd_param[]){DD_P_INT(person_id)}, 1, err);
	if (n < 0)
		goto fail;
	if (n == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "person %lld is not in the rota",
			   (long long)person_id);
		goto fail;
	}
	if (event(ctx, actor, "rota.member.remove", person_id, 0, 1, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
