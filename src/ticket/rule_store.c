/*
 * rule_store.c - assignment rules in the database, and their run when a
 * ticket is created (see rules.h for what a rule means).
 */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "store/store.h"
#include "ticket/rules.h"
#include "ticket/search_text.h"

#define SNAPSHOT_MAX (64 * 1024)
/* Serialises changes to the list on PostgreSQL: the count limit, the
 * next position and a reorder see every other change whole. */
#define RULES_LOCK_KEY 0x72756c65 /* "rule" */

#define RULE_COLUMNS                                                           \
	"SELECT id, position, name, enabled, conditions, actions, version,"    \
	" created_at, updated_at FROM assignment_rules "

static char *snapshot(const struct dd_rule *r)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, SNAPSHOT_MAX);
	dd_json_out_init(&j, &buf);
	dd_rule_to_json(r, &j);
	return dd_buf_detach(&buf, NULL);
}

static int read_row(struct dd_ctx *ctx, struct dd_rows *rows, struct dd_rule *r,
		    struct dd_err *err)
{
	memset(r, 0, sizeof(*r));
	r->id = dd_rows_int(rows, 0);
	r->position = (int)dd_rows_int(rows, 1);
	r->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	r->enabled = dd_rows_int(rows, 3) != 0;
	r->version = dd_rows_int(rows, 6);
	r->created_at = dd_rows_int(rows, 7);
	r->updated_at = dd_rows_int(rows, 8);
	if (dd_rule_decode(ctx->arena, dd_rows_text(rows, 4),
			   dd_rows_text(rows, 5), r) < 0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "assignment rule %lld is stored in a form "
				  "this version cannot read",
				  (long long)r->id);
	return 0;
}

int dd_rule_get(struct dd_ctx *ctx, int64_t id, struct dd_rule *out,
		struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, RULE_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0 && read_row(ctx, rows, out, err) < 0)
		rc = -1;
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no assignment rule with id %lld",
				  (long long)id);
	return 0;
}

int dd_rule_list(struct dd_ctx *ctx, struct dd_rule **out, int *count,
		 struct dd_err *err)
{
	struct dd_rows *rows;
	int64_t n = 0;
	*count = 0;
	*out = NULL;
	/* Count first: most desks have a handful of rules, and a ticket
	 * creation should not take room for a hundred. */
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM assignment_rules", NULL, 0,
			       &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (n > DD_RULES_MAX)
		n = DD_RULES_MAX;
	struct dd_rule *list =
		dd_arena_alloc(ctx->arena, sizeof(*list) * (size_t)n);
	*out = list;
	if (!list)
		return dd_err_set(err, 500, DD_PROBLEM_LIMIT,
				  "no memory for the assignment rules");
	if (dd_store_query(ctx->store,
			   RULE_COLUMNS "ORDER BY position, id LIMIT $1",
			   (struct dd_param[]){DD_P_INT(DD_RULES_MAX)}, 1,
			   &rows, err) < 0)
		return -1;
	int rc = 0;
	while (*count < n && (rc = dd_rows_next(rows, err)) > 0) {
		if (read_row(ctx, rows, &list[*count], err) < 0) {
			rc = -1;
			break;
		}
		(*count)++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* in's conditions normalised into w: organisations sorted without
 * repeats, words normalised (arena) without repeats. */
static int normalise_when(struct dd_ctx *ctx, const struct dd_rule_when *in,
			  struct dd_rule_when *w, struct dd_err *err)
{
	memset(w, 0, sizeof(*w));
	if (in->org_count < 0 || in->org_count > DD_RULE_LIST_MAX ||
	    in->word_count < 0 || in->word_count > DD_RULE_LIST_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "a condition lists at most %d entries",
				  DD_RULE_LIST_MAX);
	int64_t orgs[DD_RULE_LIST_MAX];
	memcpy(orgs, in->org_ids, sizeof(int64_t) * (size_t)in->org_count);
	qsort(orgs, (size_t)in->org_count, sizeof(int64_t), cmp_id);
	for (int i = 0; i < in->org_count; i++)
		if (i == 0 || orgs[i] != orgs[i - 1])
			w->org_ids[w->org_count++] = orgs[i];
	w->channels = in->channels;
	w->priorities = in->priorities & 0x1eu;
	for (int i = 0; i < in->word_count; i++) {
		char word[DD_RULE_WORD_MAX + 1];
		int dup = 0;
		if (dd_rule_word_normalise(in->words[i], word, sizeof(word),
					   err) < 0)
			return -1;
		for (int k = 0; k < w->word_count; k++)
			dup |= strcmp(w->words[k], word) == 0;
		if (dup)
			continue;
		w->words[w->word_count] = dd_arena_strdup(ctx->arena, word);
		if (!w->words[w->word_count])
			return dd_err_set(err, 500, DD_PROBLEM_LIMIT,
					  "no memory for a rule");
		w->word_count++;
	}
	return 0;
}

static int count_of(struct dd_ctx *ctx, const char *sql, int64_t id, int64_t *n,
		    struct dd_err *err)
{
	return dd_store_query_int(ctx->store, sql,
				  (struct dd_param[]){DD_P_INT(id)}, 1, n, err);
}

static const char queue_exists[] = "SELECT COUNT(*) FROM queues WHERE id = $1";
static const char person_active[] =
	"SELECT COUNT(*) FROM people WHERE id = $1 AND active = 1";

/* Inside the transaction: what r names exists, and it does something. */
static int check_rule(struct dd_ctx *ctx, const struct dd_rule *r,
		      struct dd_err *err)
{
	int64_t n = 0;
	if (dd_text_check("name", r->name, 1, DD_LIMIT_NAME,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	if (!r->then.queue_id && !r->then.owner_id && !r->then.priority)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a rule needs at least one action: "
				  "'queue_id', 'owner_id' or 'priority'");
	if (r->then.priority < 0 || r->then.priority > 4)
		return dd_err_set(
			err, 400, DD_PROBLEM_VALIDATION,
			"'actions.priority' must be 1 (a fault) to 4");
	for (int i = 0; i < r->when.org_count; i++) {
		if (count_of(ctx,
			     "SELECT COUNT(*) FROM organisations WHERE "
			     "id = $1",
			     r->when.org_ids[i], &n, err) < 0)
			return -1;
		if (n == 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'conditions.organisation_id' names "
					  "no organisation (id %lld)",
					  (long long)r->when.org_ids[i]);
	}
	if (r->then.queue_id) {
		if (count_of(ctx, queue_exists, r->then.queue_id, &n, err) < 0)
			return -1;
		if (n == 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'actions.queue_id' names no queue "
					  "(id %lld)",
					  (long long)r->then.queue_id);
	}
	if (r->then.owner_id) {
		if (count_of(ctx, person_active, r->then.owner_id, &n, err) < 0)
			return -1;
		if (n == 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'actions.owner_id' names no active "
					  "person (id %lld)",
					  (long long)r->then.owner_id);
	}
	return 0;
}

/* Write r's name, enabled flag, conditions and actions to row id. */
static int write_rule(struct dd_ctx *ctx, const struct dd_rule *r, int64_t now,
		      int create, int64_t *id, struct dd_err *err)
{
	struct dd_buf cond, act;
	int rc = -1;
	dd_buf_init(&cond, DD_RULE_TEXT_MAX);
	dd_buf_init(&act, DD_RULE_TEXT_MAX);
	if (dd_rule_encode(r, &cond, &act) < 0) {
		dd_err_set(err, 400, DD_PROBLEM_LIMIT,
			   "the rule is larger than %d bytes",
			   DD_RULE_TEXT_MAX);
		goto out;
	}
	struct dd_param p[] = {
		DD_P_INT(*id),
		DD_P_TEXT(r->name),
		DD_P_INT(r->enabled),
		DD_P_TEXT(dd_buf_str(&cond)),
		DD_P_TEXT(dd_buf_str(&act)),
		DD_P_INT(now),
	};
	if (create)
		rc = dd_store_query_int(
			     ctx->store,
			     "INSERT INTO assignment_rules (position, name, "
			     "enabled, "
			     "conditions, actions, created_at, updated_at) "
			     "VALUES "
			     "((SELECT COALESCE(MAX(position), 0) + 1 FROM "
			     "assignment_rules), $1, $2, $3, $4, $5, $5) "
			     "RETURNING id",
			     p + 1, 5, id, err) < 0
			     ? -1
			     : 0;
	else
		rc = dd_store_exec(ctx->store,
				   "UPDATE assignment_rules SET name = $2, "
				   "enabled = $3, conditions = $4, actions = "
				   "$5, updated_at = $6, version = version + 1 "
				   "WHERE id = $1",
				   p, 6, err) < 0
			     ? -1
			     : 0;
out:
	dd_buf_release(&cond);
	dd_buf_release(&act);
	return rc;
}

static int finish(struct dd_ctx *ctx, const struct dd_actor *actor,
		  const char *action, int64_t id, int64_t now,
		  const struct dd_rule *before, struct dd_rule *out,
		  struct dd_err *err)
{
	if (dd_rule_get(ctx, id, out, err) < 0)
		return -1;
	char *b = before ? snapshot(before) : NULL, *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, action,
				 "assignment_rule", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0)
		return -1;
	return dd_store_commit(ctx->store, err);
}

int dd_rule_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const struct dd_rule_input *in, struct dd_rule *out,
		   struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), id = 0, n = 0;
	struct dd_rule r = {.name = in->name, .enabled = 1};
	if (!in->name)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'name' is required");
	if (in->enabled_set)
		r.enabled = in->enabled != 0;
	if (in->cont_set)
		r.cont = in->cont != 0;
	if (in->then_set)
		r.then = in->then;
	if (in->when_set && normalise_when(ctx, &in->when, &r.when, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_lock(ctx->store, RULES_LOCK_KEY, err) < 0 ||
	    check_rule(ctx, &r, err) < 0 ||
	    dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM assignment_rules", NULL, 0,
			       &n, err) < 0)
		goto fail;
	if (n >= DD_RULES_MAX) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "there are already %d assignment rules, the most "
			   "there may be",
			   DD_RULES_MAX);
		goto fail;
	}
	if (write_rule(ctx, &r, now, 1, &id, err) < 0 ||
	    finish(ctx, actor, "assignment_rule.create", id, now, NULL, out,
		   err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_rule_update(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   const struct dd_rule_input *in, int64_t if_version,
		   struct dd_rule *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_rule before, r;
	struct dd_rule_when when;
	if (in->when_set && normalise_when(ctx, &in->when, &when, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_rule_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "assignment rule '%.100s' was changed meanwhile "
			   "(version %lld, not %lld): reload and try again",
			   before.name, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	r = before;
	if (in->name)
		r.name = in->name;
	if (in->enabled_set)
		r.enabled = in->enabled != 0;
	if (in->cont_set)
		r.cont = in->cont != 0;
	if (in->when_set)
		r.when = when;
	if (in->then_set)
		r.then = in->then;
	if (check_rule(ctx, &r, err) < 0 ||
	    write_rule(ctx, &r, now, 0, &id, err) < 0 ||
	    finish(ctx, actor, "assignment_rule.update", id, now, &before, out,
		   err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_rule_delete(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_rule before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_rule_get(ctx, id, &before, err) < 0 ||
	    dd_store_exec(ctx->store,
			  "DELETE FROM assignment_rules WHERE id = "
			  "$1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor,
				 "assignment_rule.delete", "assignment_rule",
				 id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* The ids as a JSON array, for the order event. */
static char *ids_json(const int64_t *ids, int n)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, SNAPSHOT_MAX);
	dd_json_out_init(&j, &buf);
	dd_json_obj_begin(&j);
	dd_json_key(&j, "order");
	dd_json_arr_begin(&j);
	for (int i = 0; i < n; i++)
		dd_json_int(&j, ids[i]);
	dd_json_arr_end(&j);
	dd_json_obj_end(&j);
	return dd_buf_detach(&buf, NULL);
}

int dd_rule_order(struct dd_ctx *ctx, const struct dd_actor *actor,
		  const int64_t *ids, int n, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_rule *list;
	int count;
	int64_t before[DD_RULES_MAX];
	if (n < 0 || n > DD_RULES_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "there are at most %d assignment rules",
				  DD_RULES_MAX);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_lock(ctx->store, RULES_LOCK_KEY, err) < 0 ||
	    dd_rule_list(ctx, &list, &count, err) < 0)
		goto fail;
	if (n != count) {
		dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			   "'ids' must name every assignment rule once (%d "
			   "rules, %d ids)",
			   count, n);
		goto fail;
	}
	for (int i = 0; i < count; i++)
		before[i] = list[i].id;
	for (int i = 0; i < n; i++) {
		int known = 0;
		for (int k = 0; k < count; k++)
			known |= list[k].id == ids[i];
		for (int k = 0; k < i; k++)
			if (ids[k] == ids[i])
				known = 0;
		if (!known) {
			dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				   "'ids' must name every assignment rule "
				   "once: %lld is unknown or repeated",
				   (long long)ids[i]);
			goto fail;
		}
	}
	for (int i = 0; i < n; i++)
		if (dd_store_exec(ctx->store,
				  "UPDATE assignment_rules SET position = $2, "
				  "version = version + 1, updated_at = $3 "
				  "WHERE id = $1 AND position <> $2",
				  (struct dd_param[]){DD_P_INT(ids[i]),
						      DD_P_INT(i + 1),
						      DD_P_INT(now)},
				  3, err) < 0)
			goto fail;
	char *b = ids_json(before, count), *a = ids_json(ids, n);
	int rc =
		dd_event_append(ctx->store, now, actor, "assignment_rule.order",
				"assignment_rule", 0, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_rules_using(struct dd_ctx *ctx, int64_t queue_id, int64_t person_id,
		   const char **name, struct dd_err *err)
{
	struct dd_rule *list;
	int count;
	*name = NULL;
	if (dd_rule_list(ctx, &list, &count, err) < 0)
		return -1;
	for (int i = 0; i < count && !*name; i++)
		if ((queue_id > 0 && list[i].then.queue_id == queue_id) ||
		    (person_id > 0 && list[i].then.owner_id == person_id))
			*name = list[i].name;
	return 0;
}

/* Whether an action's target still exists; a gone one is skipped. */
static int target_ok(struct dd_ctx *ctx, const char *sql, int64_t id,
		     const char *what, const struct dd_rule *r, int *ok,
		     struct dd_err *err)
{
	int64_t n = 0;
	*ok = 1;
	if (!id)
		return 0;
	if (count_of(ctx, sql, id, &n, err) < 0)
		return -1;
	if (n == 0) {
		char q[256];
		*ok = 0;
		dd_log_write(ctx->log, DD_LOG_WARN, DD_SUB_MAIN,
			     "assignment rule action skipped",
			     "rule=%lld name=%s %s=%lld", (long long)r->id,
			     dd_log_quote(q, sizeof(q), r->name), what,
			     (long long)id);
	}
	return 0;
}

int dd_rules_apply(struct dd_ctx *ctx, const struct dd_ticket_input *in,
		   struct dd_ticket *t, struct dd_rules_applied *applied,
		   struct dd_err *err)
{
	struct dd_rule *list;
	int count;
	applied->count = 0;
	if (dd_rule_list(ctx, &list, &count, err) < 0)
		return -1;
	if (count == 0)
		return 0;
	struct dd_buf subject;
	dd_buf_init(&subject, 4 * DD_TICKET_SUBJECT_MAX + 16);
	dd_search_normalise(t->subject, &subject);
	struct dd_rule_facts facts = {
		.organisation_id = t->organisation_id,
		.channel = t->channel,
		.priority = t->priority,
		.subject = dd_buf_str(&subject),
	};
	struct dd_rule_keep keep = {.queue = in->queue_set,
				    .owner = in->owner_set,
				    .priority = in->priority != 0};
	struct dd_rule_outcome outcome, *o = &outcome;
	dd_rules_decide(list, count, &facts, &keep, o);
	dd_buf_release(&subject);
	for (int i = 0; i < o->count; i++) {
		const struct dd_rule *r = &list[o->index[i]];
		struct dd_rule_then did = o->applied[i];
		int ok;
		if (target_ok(ctx, queue_exists, did.queue_id, "queue_id", r,
			      &ok, err) < 0)
			return -1;
		if (!ok)
			did.queue_id = 0;
		if (target_ok(ctx, person_active, did.owner_id, "owner_id", r,
			      &ok, err) < 0)
			return -1;
		if (!ok)
			did.owner_id = 0;
		/* Later rules override earlier ones. */
		if (did.queue_id)
			t->queue_id = did.queue_id;
		if (did.owner_id)
			t->owner_id = did.owner_id;
		if (did.priority)
			t->priority = did.priority;
		applied->ids[applied->count] = r->id;
		applied->names[applied->count] = r->name;
		applied->set[applied->count] = did;
		applied->count++;
	}
	return 0;
}

int dd_rules_record(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t now, int64_t ticket_id,
		    const struct dd_rules_applied *applied, struct dd_err *err)
{
	for (int i = 0; i < applied->count; i++) {
		const struct dd_rule_then *s = &applied->set[i];
		struct dd_buf buf;
		struct dd_json_out j;
		dd_buf_init(&buf, SNAPSHOT_MAX);
		dd_json_out_init(&j, &buf);
		dd_json_obj_begin(&j);
		dd_json_kint(&j, "rule_id", applied->ids[i]);
		dd_json_kstr(&j, "name", applied->names[i]);
		dd_json_key(&j, "set");
		dd_json_obj_begin(&j);
		if (s->queue_id)
			dd_json_kint(&j, "queue_id", s->queue_id);
		if (s->owner_id)
			dd_json_kint(&j, "owner_id", s->owner_id);
		if (s->priority)
			dd_json_kint(&j, "priority", s->priority);
		dd_json_obj_end(&j);
		dd_json_obj_end(&j);
		int rc = dd_event_append(ctx->store, now, actor, "ticket.rule",
					 "ticket", ticket_id, NULL,
					 dd_buf_str(&buf), err);
		dd_buf_release(&buf);
		if (rc < 0)
			return -1;
	}
	return 0;
}
