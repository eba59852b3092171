#include "ticket/ticket.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "base/text.h"
#include "rota/env.h"
#include "rota/oncall.h"
#include "store/store.h"
#include "ticket/rules.h"
#include "ticket/search_index.h"
#include "ticket/search_text.h"
#include "ticket/touch.h"
#include "ticket/sla.h"

/* A search document is at most this long (the rest is not indexed). */
#define SEARCH_DOC_MAX (256 * 1024)

static const char *const statuses[] = {"new", "open", "pending", "resolved",
				       "closed"};
static const char *const channels[] = {"phone", "email", "web", "api"};

int dd_ticket_status_valid(const char *status)
{
	for (size_t i = 0; i < 5; i++)
		if (status && strcmp(status, statuses[i]) == 0)
			return 1;
	return 0;
}

int dd_ticket_channel_valid(const char *channel)
{
	for (size_t i = 0; i < 4; i++)
		if (channel && strcmp(channel, channels[i]) == 0)
			return 1;
	return 0;
}

int dd_ticket_transition_check(const char *from, const char *to,
			       struct dd_err *err)
{
	if (!dd_ticket_status_valid(to))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "unknown status '%.20s' (new, open, pending, "
				  "resolved or closed)",
				  to ? to : "");
	if (strcmp(from, to) == 0)
		return 0;
	/* Nothing goes back to new: it means nobody has looked yet. */
	if (strcmp(to, "new") == 0)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "a %s ticket cannot become new again", from);
	return 0;
}

int dd_ticket_tag_check(const char *tag, struct dd_err *err)
{
	size_t n = tag ? strlen(tag) : 0;
	if (n == 0 || n > DD_TICKET_TAG_LEN)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a tag has 1 to %d characters",
				  DD_TICKET_TAG_LEN);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tag[i];
		if (!(islower(c) || isdigit(c) || c == '-' || c == '_' ||
		      c == '.' || c == ':'))
			return dd_err_set(
				err, 400, DD_PROBLEM_VALIDATION,
				"tag '%.64s' may hold only lower-case "
				"letters, digits, '-', '_', '.' and "
				"':'",
				tag);
	}
	return 0;
}

void dd_ticket_to_json(const struct dd_ticket *t, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", t->id);
	dd_json_kint(j, "number", t->number);
	dd_json_kstr(j, "subject", t->subject);
	dd_json_kstr(j, "status", t->status);
	dd_json_kint(j, "priority", t->priority);
	dd_json_kstr(j, "channel", t->channel);
	dd_json_kid(j, "organisation_id", t->organisation_id);
	dd_json_kid(j, "contact_id", t->contact_id);
	dd_json_kid(j, "queue_id", t->queue_id);
	dd_json_kid(j, "owner_id", t->owner_id);
	dd_json_kid(j, "comm_owner_id", t->comm_owner_id);
	dd_json_kid(j, "tech_owner_id", t->tech_owner_id);
	dd_json_kstr(j, "caller_phone", t->caller_phone);
	dd_json_kbool(j, "needs_completion", t->needs_completion);
	dd_json_ktime_or_null(j, "due_at", t->due_at);
	dd_json_kid(j, "merged_into", t->merged_into);
	dd_json_ktime_or_null(j, "first_response_at", t->first_response_at);
	dd_json_ktime_or_null(j, "resolved_at", t->resolved_at);
	dd_json_ktime_or_null(j, "closed_at", t->closed_at);
	dd_json_key(j, "sla");
	dd_json_obj_begin(j);
	dd_json_kstr(j, "state", t->sla_state);
	dd_json_ktime_or_null(j, "first_response_due", t->sla_response_due);
	dd_json_ktime_or_null(j, "resolution_due", t->sla_resolution_due);
	dd_json_obj_end(j);
	dd_json_key(j, "tags");
	dd_json_arr_begin(j);
	for (int i = 0; i < t->tag_count; i++)
		dd_json_str(j, t->tags[i]);
	dd_json_arr_end(j);
	dd_json_kint(j, "version", t->version);
	dd_json_ktime(j, "created_at", t->created_at);
	dd_json_ktime(j, "updated_at", t->updated_at);
	dd_json_obj_end(j);
}

char *dd_ticket_snapshot(const struct dd_ticket *t)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 64 * 1024);
	dd_json_out_init(&j, &buf);
	dd_ticket_to_json(t, &j);
	return dd_buf_detach(&buf, NULL);
}

void dd_ticket_read_row(struct dd_arena *arena, struct dd_rows *rows,
			struct dd_ticket *t)
{
	memset(t, 0, sizeof(*t));
	t->id = dd_rows_int(rows, 0);
	t->number = dd_rows_int(rows, 1);
	t->subject = dd_arena_strdup(arena, dd_rows_text(rows, 2));
	t->status = dd_arena_strdup(arena, dd_rows_text(rows, 3));
	t->priority = (int)dd_rows_int(rows, 4);
	t->channel = dd_arena_strdup(arena, dd_rows_text(rows, 5));
	t->organisation_id = dd_rows_int(rows, 6);
	t->contact_id = dd_rows_int(rows, 7);
	t->queue_id = dd_rows_int(rows, 8);
	t->owner_id = dd_rows_int(rows, 9);
	t->comm_owner_id = dd_rows_int(rows, 10);
	t->tech_owner_id = dd_rows_int(rows, 11);
	t->caller_phone = dd_arena_strdup(arena, dd_rows_text(rows, 12));
	t->needs_completion = dd_rows_int(rows, 13) != 0;
	t->due_at = dd_rows_int(rows, 14);
	t->merged_into = dd_rows_int(rows, 15);
	t->first_response_at = dd_rows_int(rows, 16);
	t->resolved_at = dd_rows_int(rows, 17);
	t->closed_at = dd_rows_int(rows, 18);
	t->sla_response_due = dd_rows_int(rows, 19);
	t->sla_resolution_due = dd_rows_int(rows, 20);
	t->sla_state = dd_arena_strdup(arena, dd_rows_text(rows, 21));
	t->version = dd_rows_int(rows, 22);
	t->created_at = dd_rows_int(rows, 23);
	t->updated_at = dd_rows_int(rows, 24);
}

/*
 * The ticket and its tags in one statement: a row per tag (one with a
 * NULL tag when it has none), the ticket's columns repeated. A read is a
 * round trip to PostgreSQL, and GET /api/v1/tickets/{id} made three (the
 * credential, the ticket, its tags).
 */
#define TICKET_SELECT                                                          \
	"SELECT " DD_TICKET_COLUMNS ", g.tag FROM tickets t LEFT JOIN"         \
	" ticket_tags g ON g.ticket_id = t.id "
#define TICKET_TAG_COLUMN 25

static int get_where(struct dd_ctx *ctx, const char *sql, int64_t key,
		     const char *what, struct dd_ticket *out,
		     struct dd_err *err)
{
	struct dd_rows *rows;
	int rc, found = 0;
	if (dd_store_query(ctx->store, sql, (struct dd_param[]){DD_P_INT(key)},
			   1, &rows, err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (!found++)
			dd_ticket_read_row(ctx->arena, rows, out);
		const char *tag = dd_rows_text(rows, TICKET_TAG_COLUMN);
		if (tag && out->tag_count < DD_TICKET_TAGS_MAX)
			out->tags[out->tag_count++] =
				dd_arena_strdup(ctx->arena, tag);
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (!found)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no ticket %s %lld", what, (long long)key);
	return 0;
}

int dd_ticket_load(struct dd_ctx *ctx, int64_t id, struct dd_ticket *out,
		   struct dd_err *err)
{
	return get_where(ctx, TICKET_SELECT "WHERE t.id = $1 ORDER BY g.tag",
			 id, "with id", out, err);
}

int dd_ticket_get(struct dd_ctx *ctx, int64_t id, struct dd_ticket *out,
		  struct dd_err *err)
{
	return dd_ticket_load(ctx, id, out, err);
}

int dd_ticket_get_by_number(struct dd_ctx *ctx, int64_t number,
			    struct dd_ticket *out, struct dd_err *err)
{
	if (get_where(ctx, TICKET_SELECT "WHERE t.number = $1 ORDER BY g.tag",
		      number, "number", out, err) < 0)
		return -1;
	/* Follow merges (a chain is short: each merge points at a live
	 * ticket, but a later merge of that one adds a step). */
	for (int hops = 0; out->merged_into && hops < 16; hops++)
		if (dd_ticket_load(ctx, out->merged_into, out, err) < 0)
			return -1;
	return 0;
}

int dd_ticket_index(struct dd_ctx *ctx, int64_t ticket_id, const char *source,
		    const char *text, struct dd_err *err)
{
	struct dd_buf norm;
	dd_buf_init(&norm, SEARCH_DOC_MAX);
	/* Past the limit the document is cut, not refused: search covers
	 * the first 256 KiB of a text. */
	dd_search_normalise(text, &norm);
	struct dd_param p[] = {DD_P_INT(ticket_id), DD_P_TEXT(source),
			       DD_P_TEXT(dd_buf_str(&norm))};
	int rc = 0;
	int64_t replaced = dd_store_exec(ctx->store,
					 "DELETE FROM search_docs WHERE "
					 "ticket_id = $1 AND source = $2",
					 p, 2, err);
	if (replaced < 0 ||
	    dd_store_exec(ctx->store,
			  "INSERT INTO search_docs (ticket_id, source, text) "
			  "VALUES ($1, $2, $3)",
			  p, 3, err) < 0)
		rc = -1;
	/* A new article or attachment name is appended to the ticket's
	 * search document; a subject, or a document written again, changes
	 * what is already there, so the document is written anew. */
	else if (replaced == 0 && strcmp(source, "subject") != 0)
		rc = dd_search_index_append(ctx, ticket_id, dd_buf_str(&norm),
					    err);
	else
		rc = dd_search_index_rebuild(ctx, ticket_id, err);
	dd_buf_release(&norm);
	return rc;
}

/* Check that id names a row of table (400 naming field otherwise). */
static int exists(struct dd_ctx *ctx, const char *sql, int64_t id,
		  const char *field, struct dd_err *err)
{
	int64_t n = 0;
	if (!id)
		return 0;
	if (dd_store_query_int(ctx->store, sql,
			       (struct dd_param[]){DD_P_INT(id)}, 1, &n,
			       err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' names nothing (id %lld)", field,
				  (long long)id);
	return 0;
}

static int check_refs(struct dd_ctx *ctx, const struct dd_ticket *t,
		      struct dd_err *err)
{
	static const char person[] =
		"SELECT COUNT(*) FROM people WHERE id = $1 AND active = 1";
	return exists(ctx, "SELECT COUNT(*) FROM organisations WHERE id = $1",
		      t->organisation_id, "organisation_id", err) < 0 ||
			       exists(ctx,
				      "SELECT COUNT(*) FROM contacts WHERE id "
				      "= $1",
				      t->contact_id, "contact_id", err) < 0 ||
			       exists(ctx,
				      "SELECT COUNT(*) FROM queues WHERE id = "
				      "$1",
				      t->queue_id, "queue_id", err) < 0 ||
			       exists(ctx, person, t->owner_id, "owner_id",
				      err) < 0 ||
			       exists(ctx, person, t->comm_owner_id,
				      "comm_owner_id", err) < 0 ||
			       exists(ctx, person, t->tech_owner_id,
				      "tech_owner_id", err) < 0
		       ? -1
		       : 0;
}

/* Merge in over t, checking each field. */
static int apply(const struct dd_ticket_input *in, struct dd_ticket *t,
		 struct dd_err *err)
{
	if (in->subject) {
		if (dd_text_check("subject", in->subject, 1,
				  DD_TICKET_SUBJECT_MAX, DD_TEXT_SINGLE_LINE,
				  err) < 0)
			return -1;
		t->subject = in->subject;
	}
	if (in->priority) {
		if (in->priority < 1 || in->priority > 4)
			return dd_err_set(
				err, 400, DD_PROBLEM_VALIDATION,
				"'priority' must be 1 (a fault) to 4");
		t->priority = in->priority;
	}
	if (in->channel) {
		if (!dd_ticket_channel_valid(in->channel))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "unknown channel '%.20s' (phone, "
					  "email, web or api)",
					  in->channel);
		t->channel = in->channel;
	}
	if (in->organisation_set)
		t->organisation_id = in->organisation_id;
	if (in->contact_set)
		t->contact_id = in->contact_id;
	if (in->queue_set)
		t->queue_id = in->queue_id;
	if (in->owner_set)
		t->owner_id = in->owner_id;
	if (in->comm_owner_set)
		t->comm_owner_id = in->comm_owner_id;
	if (in->tech_owner_set)
		t->tech_owner_id = in->tech_owner_id;
	if (in->due_set)
		t->due_at = in->due_at;
	if (in->caller_phone)
		t->caller_phone = in->caller_phone;
	if (in->needs_completion_set)
		t->needs_completion = in->needs_completion;
	if (in->tags_set) {
		if (in->tag_count > DD_TICKET_TAGS_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
					  "a ticket has at most %d tags",
					  DD_TICKET_TAGS_MAX);
		for (int i = 0; i < in->tag_count; i++)
			if (dd_ticket_tag_check(in->tags[i], err) < 0)
				return -1;
		t->tag_count = in->tag_count;
		for (int i = 0; i < in->tag_count; i++)
			t->tags[i] = in->tags[i];
	}
	return 0;
}

static int write_tags(struct dd_ctx *ctx, const struct dd_ticket *t,
		      struct dd_err *err)
{
	if (dd_store_exec(ctx->store,
			  "DELETE FROM ticket_tags WHERE ticket_id = $1",
			  (struct dd_param[]){DD_P_INT(t->id)}, 1, err) < 0)
		return -1;
	for (int i = 0; i < t->tag_count; i++) {
		int dup = 0;
		for (int k = 0; k < i; k++)
			dup |= strcmp(t->tags[k], t->tags[i]) == 0;
		if (dup)
			continue;
		if (dd_store_exec(ctx->store,
				  "INSERT INTO ticket_tags (ticket_id, tag) "
				  "VALUES ($1, $2)",
				  (struct dd_param[]){DD_P_INT(t->id),
						      DD_P_TEXT(t->tags[i])},
				  2, err) < 0)
			return -1;
	}
	return 0;
}

static int p1_owners(struct dd_ctx *ctx, int64_t now,
		     const struct dd_ticket_input *in, struct dd_ticket *t,
		     struct dd_err *err);

/* Defaults that need the rota: the due time and priority-1 owners. */
static int rota_defaults(struct dd_ctx *ctx, int64_t now,
			 const struct dd_ticket_input *in, struct dd_ticket *t,
			 struct dd_err *err)
{
	struct dd_rota_env env;
	int64_t today;
	if (dd_rota_env_load_at(ctx, now, &env, &today, err) < 0)
		return -1;
	if (!in->due_set) {
		int64_t day = dd_calendar_next_business_day(&env.cal, today);
		t->due_at = dd_tz_local_to_utc(env.tz, day,
					       env.settings.core_start * 60) *
			    1000;
	}
	return p1_owners(ctx, now, in, t, err);
}

/* A priority-1 ticket's owners when not given: today's telephone duty
 * communicates with the customer, the emergency duty fixes the fault. */
static int p1_owners(struct dd_ctx *ctx, int64_t now,
		     const struct dd_ticket_input *in, struct dd_ticket *t,
		     struct dd_err *err)
{
	if (t->priority != 1)
		return 0;
	struct dd_oncall *list;
	int n;
	if (dd_oncall_lookup(ctx, ctx->oncall_cache, now, &list, &n, err) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		int64_t holder = list[i].assignment.person_id;
		if (!holder)
			continue;
		if (list[i].duty->takes_p1 && !in->tech_owner_set &&
		    !t->tech_owner_id)
			t->tech_owner_id = holder;
		if (!list[i].duty->takes_p1 && !in->comm_owner_set &&
		    !t->comm_owner_id)
			t->comm_owner_id = holder;
	}
	return 0;
}

/* A queue that gives tickets to the organisation's project manager. */
static int queue_owner(struct dd_ctx *ctx, struct dd_ticket *t,
		       struct dd_err *err)
{
	int64_t pm = 0;
	if (!t->queue_id || !t->organisation_id || t->owner_id)
		return 0;
	int rc = dd_store_query_int(
		ctx->store,
		"SELECT o.project_manager_id FROM queues q, organisations o "
		"WHERE q.id = $1 AND o.id = $2 AND q.owner_rule = "
		"'project_manager'",
		(struct dd_param[]){DD_P_INT(t->queue_id),
				    DD_P_INT(t->organisation_id)},
		2, &pm, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		t->owner_id = pm;
	return 0;
}

static struct dd_param id_or_null(int64_t id)
{
	return id ? DD_P_INT(id) : DD_P_NULL;
}

void dd_ticket_alert_view(const struct dd_ticket *t, struct dd_alert_ticket *a)
{
	*a = (struct dd_alert_ticket){
		.id = t->id,
		.number = t->number,
		.subject = t->subject,
		.priority = t->priority,
		.status = t->status,
		.merged_into = t->merged_into,
		.comm_owner_id = t->comm_owner_id,
		.tech_owner_id = t->tech_owner_id,
	};
}

int dd_ticket_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_ticket_input *in, struct dd_ticket *out,
		     struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), number = 0, id = 0;
	struct dd_ticket t = {.status = "new",
			      .priority = 3,
			      .channel = "api",
			      .sla_state = "none"};
	struct dd_rules_applied applied;
	/* A caller that holds a transaction (phone intake writes the first
	 * article with the ticket) gets the ticket inside it and commits. */
	int own = !dd_store_in_transaction(ctx->store);
	if (!in->subject)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'subject' is required");
	if (apply(in, &t, err) < 0)
		return -1;
	if (in->status) {
		if (dd_ticket_transition_check("new", in->status, err) < 0)
			return -1;
		t.status = in->status;
	}
	if (own && dd_store_begin(ctx->store, err) < 0)
		return -1;
	/* The assignment rules decide queue, owner and priority before the
	 * queue's owner rule and the priority-1 owners look at them. */
	if (check_refs(ctx, &t, err) < 0 ||
	    dd_rules_apply(ctx, in, &t, &applied, err) < 0 ||
	    queue_owner(ctx, &t, err) < 0 ||
	    rota_defaults(ctx, now, in, &t, err) < 0)
		goto fail;
	if (dd_store_query_int(
		    ctx->store,
		    "UPDATE ticket_counter SET n = n + 1 WHERE id = 1 "
		    "RETURNING n",
		    NULL, 0, &number, err) < 0)
		goto fail;
	int resolved = strcmp(t.status, "resolved") == 0 ||
		       strcmp(t.status, "closed") == 0;
	struct dd_param p[] = {
		DD_P_INT(number),
		DD_P_TEXT(t.subject),
		DD_P_TEXT(t.status),
		DD_P_INT(t.priority),
		DD_P_TEXT(t.channel),
		id_or_null(t.organisation_id),
		id_or_null(t.contact_id),
		id_or_null(t.queue_id),
		id_or_null(t.owner_id),
		id_or_null(t.comm_owner_id),
		id_or_null(t.tech_owner_id),
		DD_P_TEXT(t.caller_phone),
		DD_P_INT(t.needs_completion),
		t.due_at ? DD_P_INT(t.due_at) : DD_P_NULL,
		DD_P_INT(now),
		resolved ? DD_P_INT(now) : DD_P_NULL,
		strcmp(t.status, "pending") == 0 ? DD_P_INT(now) : DD_P_NULL,
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO tickets (number, subject, status, priority, "
		    "channel, organisation_id, contact_id, queue_id, owner_id, "
		    "comm_owner_id, tech_owner_id, caller_phone, "
		    "needs_completion, due_at, created_at, updated_at, "
		    "resolved_at, pending_since) VALUES ($1, $2, $3, $4, $5, "
		    "$6, "
		    "$7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17) "
		    "RETURNING id",
		    p, 17, &id, err) < 0)
		goto fail;
	t.id = id;
	/* Service levels: the dues from now, when a policy applies. */
	if (dd_sla_ticket_created(ctx, &t, now, err) < 0)
		goto fail;
	if (write_tags(ctx, &t, err) < 0 ||
	    dd_ticket_index(ctx, id, "subject", t.subject, err) < 0 ||
	    dd_ticket_load(ctx, id, out, err) < 0)
		goto fail;
	char *a = dd_ticket_snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "ticket.create",
				 "ticket", id, NULL, a, err);
	free(a);
	/* A priority-1 ticket pages at once, in this transaction. */
	struct dd_alert_ticket av;
	dd_ticket_alert_view(out, &av);
	if (rc == 0)
		rc = dd_alert_ticket_changed(ctx, actor, NULL, &av, now, err);
	if (rc < 0 || dd_rules_record(ctx, actor, now, id, &applied, err) < 0 ||
	    (own && dd_store_commit(ctx->store, err) < 0))
		goto fail;
	return 0;
fail:
	if (own)
		dd_store_rollback(ctx->store);
	return -1;
}

int dd_ticket_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, const struct dd_ticket_input *in,
		     int64_t if_version, struct dd_ticket *out,
		     struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_ticket before, t;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	/* Writers of one ticket take turns (articles and merges lock it
	 * too), so the If-Match check sees the latest version. */
	if (dd_ticket_lock(ctx, id, err) < 0 ||
	    dd_ticket_load(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "ticket %lld was changed meanwhile (version %lld, "
			   "not %lld): reload and try again",
			   (long long)before.number, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	if (before.merged_into) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "ticket %lld was merged into another ticket",
			   (long long)before.number);
		goto fail;
	}
	t = before;
	if (apply(in, &t, err) < 0)
		goto fail;
	int64_t resolved_at = t.resolved_at, closed_at = t.closed_at;
	int64_t pending_since = 0, paused = 0;
	if (in->status) {
		if (dd_ticket_transition_check(before.status, in->status, err) <
		    0)
			goto fail;
		t.status = in->status;
	}
	int changed_status = strcmp(t.status, before.status) != 0;
	if (changed_status) {
		if (strcmp(t.status, "resolved") == 0)
			resolved_at = now;
		if (strcmp(t.status, "closed") == 0) {
			closed_at = now;
			if (!resolved_at)
				resolved_at = now;
		}
		if (strcmp(t.status, "open") == 0 ||
		    strcmp(t.status, "pending") == 0) {
			resolved_at = 0;
			closed_at = 0;
		}
	}
	/* Moved into a project-manager queue (or to another organisation
	 * there) without an owner: the project manager takes it. */
	if ((t.queue_id != before.queue_id ||
	     t.organisation_id != before.organisation_id) &&
	    queue_owner(ctx, &t, err) < 0)
		goto fail;
	/* Raised to priority 1: the duties become its owners. */
	if (before.priority != 1 && t.priority == 1 &&
	    p1_owners(ctx, now, in, &t, err) < 0)
		goto fail;
	if (check_refs(ctx, &t, err) < 0)
		goto fail;
	/* The service-level clock pauses while a ticket is pending. */
	if (dd_store_query_int(ctx->store,
			       "SELECT COALESCE(pending_since, 0) FROM tickets "
			       "WHERE id = $1",
			       (struct dd_param[]){DD_P_INT(id)}, 1,
			       &pending_since, err) < 0)
		goto fail;
	if (changed_status && strcmp(before.status, "pending") == 0 &&
	    pending_since)
		paused = now - pending_since;
	int64_t new_pending = strcmp(t.status, "pending") == 0
				      ? (changed_status ? now : pending_since)
				      : 0;
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(t.subject),
		DD_P_TEXT(t.status),
		DD_P_INT(t.priority),
		DD_P_TEXT(t.channel),
		id_or_null(t.organisation_id),
		id_or_null(t.contact_id),
		id_or_null(t.queue_id),
		id_or_null(t.owner_id),
		id_or_null(t.comm_owner_id),
		id_or_null(t.tech_owner_id),
		DD_P_TEXT(t.caller_phone),
		DD_P_INT(t.needs_completion),
		t.due_at ? DD_P_INT(t.due_at) : DD_P_NULL,
		DD_P_INT(now),
		resolved_at ? DD_P_INT(resolved_at) : DD_P_NULL,
		closed_at ? DD_P_INT(closed_at) : DD_P_NULL,
		new_pending ? DD_P_INT(new_pending) : DD_P_NULL,
		DD_P_INT(paused),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE tickets SET subject = $2, status = $3, "
			  "priority = $4, channel = $5, organisation_id = $6, "
			  "contact_id = $7, queue_id = $8, owner_id = $9, "
			  "comm_owner_id = $10, tech_owner_id = $11, "
			  "caller_phone = $12, needs_completion = $13, "
			  "due_at = $14, updated_at = $15, resolved_at = $16, "
			  "closed_at = $17, pending_since = $18, "
			  "paused_ms = paused_ms + $19, version = version + 1 "
			  "WHERE id = $1",
			  p, 19, err) < 0)
		goto fail;
	/* Service levels: new dues for a new queue or priority, later dues
	 * after a pause, and the state now. */
	if (dd_sla_ticket_updated(ctx, &before, pending_since, now, err) < 0)
		goto fail;
	if ((in->tags_set && write_tags(ctx, &t, err) < 0) ||
	    (in->subject && strcmp(in->subject, before.subject) != 0 &&
	     dd_ticket_index(ctx, id, "subject", t.subject, err) < 0) ||
	    dd_ticket_load(ctx, id, out, err) < 0)
		goto fail;
	char *b = dd_ticket_snapshot(&before), *a = dd_ticket_snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "ticket.update",
				 "ticket", id, b, a, err);
	free(b);
	free(a);
	/* Became a priority-1 fault: page; stopped being one: resolve. */
	struct dd_alert_ticket ab, aa;
	dd_ticket_alert_view(&before, &ab);
	dd_ticket_alert_view(out, &aa);
	if (rc == 0)
		rc = dd_alert_ticket_changed(ctx, actor, &ab, &aa, now, err);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
