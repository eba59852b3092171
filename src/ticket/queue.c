#include "ticket/queue.h"

#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "store/store.h"
#include "ticket/rules.h"

#define SNAPSHOT_MAX (16 * 1024)

#define QUEUE_COLUMNS                                                          \
	"SELECT id, name, description, COALESCE(group_id, 0), owner_rule,"     \
	" version, created_at, updated_at FROM queues "

const char *dd_queue_owner_rule_name(enum dd_queue_owner_rule rule)
{
	return rule == DD_QUEUE_OWNER_PROJECT_MANAGER ? "project_manager"
						      : "none";
}

int dd_queue_owner_rule_parse(const char *name, enum dd_queue_owner_rule *rule)
{
	if (name && strcmp(name, "none") == 0)
		*rule = DD_QUEUE_OWNER_NONE;
	else if (name && strcmp(name, "project_manager") == 0)
		*rule = DD_QUEUE_OWNER_PROJECT_MANAGER;
	else
		return -1;
	return 0;
}

void dd_queue_to_json(const struct dd_queue *q, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", q->id);
	dd_json_kstr(j, "name", q->name);
	dd_json_kstr(j, "description", q->description);
	dd_json_kid(j, "group_id", q->group_id);
	dd_json_kstr(j, "owner_rule", dd_queue_owner_rule_name(q->owner_rule));
	dd_json_kint(j, "version", q->version);
	dd_json_ktime(j, "created_at", q->created_at);
	dd_json_ktime(j, "updated_at", q->updated_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_queue *q)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, SNAPSHOT_MAX);
	dd_json_out_init(&j, &buf);
	dd_queue_to_json(q, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_queue *q)
{
	q->id = dd_rows_int(rows, 0);
	q->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	q->description = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	q->group_id = dd_rows_int(rows, 3);
	if (dd_queue_owner_rule_parse(dd_rows_text(rows, 4), &q->owner_rule) <
	    0)
		q->owner_rule = DD_QUEUE_OWNER_NONE;
	q->version = dd_rows_int(rows, 5);
	q->created_at = dd_rows_int(rows, 6);
	q->updated_at = dd_rows_int(rows, 7);
}

static int get_one(struct dd_ctx *ctx, const char *sql, struct dd_param key,
		   struct dd_queue *out, struct dd_err *err)
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
					  "no queue with id %lld",
					  (long long)key.i);
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no queue named '%.100s'", key.s);
	}
	return 0;
}

int dd_queue_get(struct dd_ctx *ctx, int64_t id, struct dd_queue *out,
		 struct dd_err *err)
{
	return get_one(ctx, QUEUE_COLUMNS "WHERE id = $1", DD_P_INT(id), out,
		       err);
}

int dd_queue_get_by_name(struct dd_ctx *ctx, const char *name,
			 struct dd_queue *out, struct dd_err *err)
{
	return get_one(ctx, QUEUE_COLUMNS "WHERE name = $1", DD_P_TEXT(name),
		       out, err);
}

int dd_queue_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		  int (*fn)(const struct dd_queue *q, void *arg), void *arg,
		  struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {DD_P_INT(after_id), DD_P_INT(limit)};
	if (dd_store_query(ctx->store,
			   QUEUE_COLUMNS "WHERE id > $1 ORDER BY id LIMIT $2",
			   p, 2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_queue q;
		read_row(ctx, rows, &q);
		if (fn(&q, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int check_input(const struct dd_queue_input *in, int create,
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
	if (in->owner_rule_set && in->owner_rule != DD_QUEUE_OWNER_NONE &&
	    in->owner_rule != DD_QUEUE_OWNER_PROJECT_MANAGER)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "unknown owner rule");
	return 0;
}

static int check_group(struct dd_ctx *ctx, int64_t group_id, struct dd_err *err)
{
	int64_t n = 0;
	if (!group_id)
		return 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM groups WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(group_id)}, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'group_id' names no group (id %lld)",
				  (long long)group_id);
	return 0;
}

static int name_taken(struct dd_err *err, const char *name)
{
	if (err->status == 409)
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "a queue named '%.100s' already exists", name);
	return -1;
}

int dd_queue_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const struct dd_queue_input *in, struct dd_queue *out,
		    struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), id = 0;
	int64_t group = in->group_set ? in->group_id : 0;
	if (check_input(in, 1, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (check_group(ctx, group, err) < 0)
		goto fail;
	struct dd_param p[] = {
		DD_P_TEXT(in->name),
		DD_P_TEXT(in->description ? in->description : ""),
		group ? DD_P_INT(group) : DD_P_NULL,
		DD_P_TEXT(dd_queue_owner_rule_name(
			in->owner_rule_set ? in->owner_rule
					   : DD_QUEUE_OWNER_NONE)),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO queues (name, description, group_id, "
		    "owner_rule, created_at, updated_at) VALUES ($1, "
		    "$2, $3, $4, $5, $5) RETURNING id",
		    p, 5, &id, err) < 0) {
		name_taken(err, in->name);
		goto fail;
	}
	if (dd_queue_get(ctx, id, out, err) < 0)
		goto fail;
	char *after = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "queue.create",
				 "queue", id, NULL, after, err);
	free(after);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_queue_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, const struct dd_queue_input *in,
		    int64_t if_version, struct dd_queue *out,
		    struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_queue before;
	if (check_input(in, 0, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_queue_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		dd_err_set(
			err, 412, DD_PROBLEM_PRECONDITION,
			"queue '%.100s' was changed meanwhile (version %lld, "
			"not %lld): reload and try again",
			before.name, (long long)before.version,
			(long long)if_version);
		goto fail;
	}
	int64_t group = in->group_set ? in->group_id : before.group_id;
	if (in->group_set && check_group(ctx, group, err) < 0)
		goto fail;
	const char *name = in->name ? in->name : before.name;
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(name),
		DD_P_TEXT(in->description ? in->description
					  : before.description),
		group ? DD_P_INT(group) : DD_P_NULL,
		DD_P_TEXT(dd_queue_owner_rule_name(
			in->owner_rule_set ? in->owner_rule
					   : before.owner_rule)),
		DD_P_INT(now),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE queues SET name = $2, description = $3, "
			  "group_id = $4, owner_rule = $5, updated_at = $6, "
			  "version = version + 1 WHERE id = $1",
			  p, 6, err) < 0) {
		name_taken(err, name);
		goto fail;
	}
	if (dd_queue_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "queue.update",
				 "queue", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_queue_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), tickets = 0;
	struct dd_queue before;
	const char *rule = NULL;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_queue_get(ctx, id, &before, err) < 0 ||
	    dd_store_query_int(
		    ctx->store,
		    "SELECT COUNT(*) FROM tickets WHERE queue_id = $1",
		    (struct dd_param[]){DD_P_INT(id)}, 1, &tickets, err) < 0 ||
	    dd_rules_using(ctx, id, 0, &rule, err) < 0)
		goto fail;
	if (tickets) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "queue '%.100s' holds %lld tickets: move them first",
			   before.name, (long long)tickets);
		goto fail;
	}
	if (rule) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "assignment rule '%.100s' sends tickets to queue "
			   "'%.100s': change the rule first",
			   rule, before.name);
		goto fail;
	}
	/* Its service levels go by ON DELETE CASCADE. */
	if (dd_store_exec(ctx->store, "DELETE FROM queues WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "queue.delete",
				 "queue", id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
