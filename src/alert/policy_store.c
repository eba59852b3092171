#include "alert/policy_store.h"

#include <stdlib.h>
#include <string.h>

#include "alert/alert_settings.h"
#include "base/text.h"
#include "store/store.h"

void dd_policy_to_json(const struct dd_policy *p, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kid(j, "id", p->id);
	dd_json_kstr(j, "name", p->name);
	dd_json_kstr(j, "description", p->description ? p->description : "");
	dd_json_kint(j, "repeat_count", p->repeat_count);
	dd_json_kint(j, "repeat_delay_minutes", p->repeat_delay_minutes);
	dd_json_key(j, "steps");
	dd_json_arr_begin(j);
	for (int i = 0; i < p->step_count; i++) {
		dd_json_obj_begin(j);
		dd_json_kint(j, "delay_minutes", p->steps[i].delay_minutes);
		dd_json_key(j, "target");
		dd_alert_target_to_json(&p->steps[i].target, j);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	if (p->id) {
		dd_json_kint(j, "version", p->version);
		dd_json_ktime(j, "created_at", p->created_at);
		dd_json_ktime(j, "updated_at", p->updated_at);
	}
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_policy *p)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 16 * 1024);
	dd_json_out_init(&j, &buf);
	dd_policy_to_json(p, &j);
	return dd_buf_detach(&buf, NULL);
}

static int load_steps(struct dd_ctx *ctx, struct dd_policy *p,
		      struct dd_err *err)
{
	struct dd_rows *rows;
	p->step_count = 0;
	if (dd_store_query(ctx->store,
			   "SELECT delay_minutes, target_kind, target_id FROM "
			   "escalation_steps WHERE policy_id = $1 ORDER BY "
			   "position",
			   (struct dd_param[]){DD_P_INT(p->id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 &&
	       p->step_count < DD_POLICY_STEPS_MAX) {
		struct dd_policy_step *s = &p->steps[p->step_count++];
		s->delay_minutes = (int)dd_rows_int(rows, 0);
		if (dd_target_kind_parse(dd_rows_text(rows, 1),
					 &s->target.kind) < 0)
			s->target.kind = DD_TARGET_NONE;
		s->target.id = dd_rows_int(rows, 2);
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

#define POLICY_SELECT                                                          \
	"SELECT id, name, description, repeat_count, repeat_delay_minutes, "   \
	"version, created_at, updated_at FROM escalation_policies "

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->id = dd_rows_int(rows, 0);
	p->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	p->description = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	p->repeat_count = (int)dd_rows_int(rows, 3);
	p->repeat_delay_minutes = (int)dd_rows_int(rows, 4);
	p->version = dd_rows_int(rows, 5);
	p->created_at = dd_rows_int(rows, 6);
	p->updated_at = dd_rows_int(rows, 7);
}

int dd_policy_get(struct dd_ctx *ctx, int64_t id, struct dd_policy *out,
		  struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, POLICY_SELECT "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no escalation policy with id %lld",
				  (long long)id);
	return load_steps(ctx, out, err);
}

int dd_policy_load_or_default(struct dd_ctx *ctx, int64_t id,
			      struct dd_policy *out, struct dd_err *err)
{
	if (id) {
		if (dd_policy_get(ctx, id, out, err) == 0) {
			if (out->step_count > 0)
				return 0;
		} else if (err->status != 404) {
			return -1;
		}
	}
	dd_policy_default(out);
	return 0;
}

int dd_policy_list(struct dd_ctx *ctx,
		   int (*fn)(const struct dd_policy *p, void *arg), void *arg,
		   struct dd_err *err)
{
	struct dd_rows *rows;
	int64_t ids[256];
	int n = 0;
	if (dd_store_query(ctx->store,
			   "SELECT id FROM escalation_policies ORDER BY id "
			   "LIMIT 256",
			   NULL, 0, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0)
		ids[n++] = dd_rows_int(rows, 0);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct dd_policy p;
		if (dd_policy_get(ctx, ids[i], &p, err) < 0)
			return -1;
		if (fn(&p, arg) != 0)
			break;
	}
	return 0;
}

/* Check p's texts, shape and targets (inside the transaction). */
static int check(struct dd_ctx *ctx, const struct dd_policy *p,
		 struct dd_err *err)
{
	if (dd_text_check("name", p->name, 1, DD_POLICY_NAME_MAX,
			  DD_TEXT_SINGLE_LINE, err) < 0 ||
	    (p->description && dd_text_check("description", p->description, 0,
					     DD_POLICY_DESCRIPTION_MAX,
					     DD_TEXT_MULTI_LINE, err) < 0) ||
	    dd_policy_check(p, err) < 0)
		return -1;
	for (int i = 0; i < p->step_count; i++) {
		char what[32];
		snprintf(what, sizeof(what), "step %d", i + 1);
		if (dd_alert_target_exists(ctx, &p->steps[i].target, what,
					   err) < 0)
			return -1;
	}
	return 0;
}

static int write_steps(struct dd_ctx *ctx, int64_t id,
		       const struct dd_policy *p, struct dd_err *err)
{
	if (dd_store_exec(ctx->store,
			  "DELETE FROM escalation_steps WHERE policy_id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		return -1;
	for (int i = 0; i < p->step_count; i++) {
		const struct dd_policy_step *s = &p->steps[i];
		struct dd_param q[] = {
			DD_P_INT(id),
			DD_P_INT(i),
			DD_P_INT(s->delay_minutes),
			DD_P_TEXT(dd_target_kind_name(s->target.kind)),
			s->target.id ? DD_P_INT(s->target.id) : DD_P_NULL,
		};
		if (dd_store_exec(ctx->store,
				  "INSERT INTO escalation_steps (policy_id, "
				  "position, delay_minutes, target_kind, "
				  "target_id) VALUES ($1, $2, $3, $4, $5)",
				  q, 5, err) < 0)
			return -1;
	}
	return 0;
}

int dd_policy_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_policy *p, struct dd_policy *out,
		     struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), id = 0;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (check(ctx, p, err) < 0)
		goto fail;
	struct dd_param q[] = {
		DD_P_TEXT(p->name),
		DD_P_TEXT(p->description ? p->description : ""),
		DD_P_INT(p->repeat_count),
		DD_P_INT(p->repeat_delay_minutes),
		DD_P_INT(now),
	};
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO escalation_policies (name, "
			       "description, repeat_count, "
			       "repeat_delay_minutes, created_at, updated_at) "
			       "VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
			       q, 5, &id, err) < 0) {
		if (err->status == 409)
			dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				   "an escalation policy named '%.200s' "
				   "exists",
				   p->name);
		goto fail;
	}
	if (write_steps(ctx, id, p, err) < 0 ||
	    dd_policy_get(ctx, id, out, err) < 0)
		goto fail;
	char *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "policy.create",
				 "escalation_policy", id, NULL, a, err);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_policy_replace(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, const struct dd_policy *p, int64_t if_version,
		      struct dd_policy *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_policy before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_policy_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && if_version != before.version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "escalation policy %lld was changed meanwhile "
			   "(version %lld, not %lld)",
			   (long long)id, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	if (check(ctx, p, err) < 0)
		goto fail;
	struct dd_param q[] = {
		DD_P_INT(id),
		DD_P_TEXT(p->name),
		DD_P_TEXT(p->description ? p->description : ""),
		DD_P_INT(p->repeat_count),
		DD_P_INT(p->repeat_delay_minutes),
		DD_P_INT(now),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE escalation_policies SET name = $2, "
			  "description = $3, repeat_count = $4, "
			  "repeat_delay_minutes = $5, updated_at = $6, "
			  "version = version + 1 WHERE id = $1",
			  q, 6, err) < 0) {
		if (err->status == 409)
			dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				   "an escalation policy named '%.200s' "
				   "exists",
				   p->name);
		goto fail;
	}
	if (write_steps(ctx, id, p, err) < 0 ||
	    dd_policy_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "policy.update",
				 "escalation_policy", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_policy_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_policy before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_policy_get(ctx, id, &before, err) < 0)
		goto fail;
	struct dd_param q[] = {DD_P_INT(id)};
	if (dd_store_exec(ctx->store,
			  "UPDATE alert_settings SET p1_policy_id = NULL "
			  "WHERE p1_policy_id = $1",
			  q, 1, err) < 0 ||
	    dd_store_exec(ctx->store,
			  "UPDATE alerts SET policy_id = NULL WHERE "
			  "policy_id = $1",
			  q, 1, err) < 0 ||
	    dd_store_exec(ctx->store,
			  "DELETE FROM escalation_steps WHERE policy_id = $1",
			  q, 1, err) < 0 ||
	    dd_store_exec(ctx->store,
			  "DELETE FROM escalation_policies WHERE id = $1", q, 1,
			  err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "policy.delete",
				 "escalation_policy", id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
