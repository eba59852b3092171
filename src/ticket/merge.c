#include "ticket/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "store/store.h"
#include "ticket/search_index.h"
#include "ticket/sla.h"
#include "ticket/touch.h"

/* Lock both rows, the lower id first, so that two merges of the same
 * pair in opposite directions cannot deadlock. A target that does not
 * exist is the body's fault (400), a source that does not the path's
 * (404). */
static int lock_pair(struct dd_ctx *ctx, int64_t source, int64_t target,
		     struct dd_err *err)
{
	int64_t first = source < target ? source : target;
	int64_t second = source < target ? target : source;
	int64_t ids[2] = {first, second};
	for (int i = 0; i < 2; i++) {
		if (dd_ticket_lock(ctx, ids[i], err) == 0)
			continue;
		if (ids[i] == target && err->status == 404)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'into' names no ticket (id %lld)",
					  (long long)target);
		return -1;
	}
	return 0;
}

/* How many distinct tags the two tickets have together. */
static int tag_union(const struct dd_ticket *a, const struct dd_ticket *b)
{
	int n = a->tag_count;
	for (int i = 0; i < b->tag_count; i++) {
		int dup = 0;
		for (int k = 0; k < a->tag_count; k++)
			dup |= strcmp(a->tags[k], b->tags[i]) == 0;
		n += !dup;
	}
	return n;
}

static int refuse(const struct dd_ticket *source,
		  const struct dd_ticket *target, struct dd_err *err)
{
	if (source->merged_into)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "ticket %lld was merged already",
				  (long long)source->number);
	if (target->merged_into)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "ticket %lld was merged into another "
				  "ticket: merge into that one",
				  (long long)target->number);
	int tags = tag_union(target, source);
	if (tags > DD_TICKET_TAGS_MAX)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "together the tickets have %d tags, more "
				  "than the %d a ticket holds: remove some "
				  "first",
				  tags, DD_TICKET_TAGS_MAX);
	return 0;
}

/* Move what belongs to the case from source to target. */
static int move(struct dd_ctx *ctx, int64_t source, int64_t target,
		struct dd_err *err)
{
	char subject[40];
	snprintf(subject, sizeof(subject), "merged:%lld", (long long)source);
	struct dd_param p[] = {DD_P_INT(source), DD_P_INT(target),
			       DD_P_TEXT(subject)};
	/* Articles, attachments and their search documents keep their
	 * names ("article:ID" is unique across tickets); the source's
	 * subject becomes a document of its own on the target, so that
	 * searching the old subject finds the ticket the case lives in. */
	static const char *const sql[] = {
		"UPDATE articles SET ticket_id = $2 WHERE ticket_id = $1",
		"UPDATE attachments SET ticket_id = $2 WHERE ticket_id = $1",
		"UPDATE search_docs SET ticket_id = $2 WHERE ticket_id = $1 "
		"AND source <> 'subject'",
		"INSERT INTO ticket_tags (ticket_id, tag) SELECT "
		"CAST($2 AS BIGINT), s.tag "
		"FROM ticket_tags s WHERE s.ticket_id = $1 AND NOT EXISTS "
		"(SELECT 1 FROM ticket_tags t WHERE t.ticket_id = $2 AND "
		"t.tag = s.tag)",
	};
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (dd_store_exec(ctx->store, sql[i], p, 2, err) < 0)
			return -1;
	if (dd_store_exec(ctx->store,
			  "UPDATE search_docs SET ticket_id = $2, source = $3 "
			  "WHERE ticket_id = $1 AND source = 'subject'",
			  p, 3, err) < 0)
		return -1;
	/* The target's search document now holds both tickets' texts; the
	 * source has none left, so it can no longer match a search. */
	return dd_search_index_rebuild(ctx, target, err) < 0 ||
			       dd_search_index_rebuild(ctx, source, err) < 0
		       ? -1
		       : 0;
}

/* The target's after snapshot with "merged_from" added: the emitter
 * closed the object, so the member goes in before the last '}'. */
static char *target_snapshot(const struct dd_ticket *target,
			     const struct dd_ticket *source)
{
	char *snap = dd_ticket_snapshot(target);
	char extra[96];
	if (!snap)
		return NULL;
	size_t len = strlen(snap);
	int n = snprintf(extra, sizeof(extra),
			 ",\"merged_from\":{\"id\":%lld,\"number\":%lld}}",
			 (long long)source->id, (long long)source->number);
	char *out = len && snap[len - 1] == '}' ? realloc(snap, len + (size_t)n)
						: NULL;
	if (!out)
		return snap;
	memcpy(out + len - 1, extra, (size_t)n + 1);
	return out;
}

int dd_ticket_merge(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t source_id, int64_t into_id, int64_t if_version,
		    struct dd_ticket *target, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_ticket src_before, src_after, dst_before, dst_after;
	if (source_id == into_id)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "a ticket cannot be merged into itself");
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (lock_pair(ctx, source_id, into_id, err) < 0 ||
	    dd_ticket_load(ctx, source_id, &src_before, err) < 0 ||
	    dd_ticket_load(ctx, into_id, &dst_before, err) < 0)
		goto fail;
	if (if_version > 0 && src_before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "ticket %lld was changed meanwhile (version %lld, "
			   "not %lld): reload and try again",
			   (long long)src_before.number,
			   (long long)src_before.version,
			   (long long)if_version);
		goto fail;
	}
	if (refuse(&src_before, &dst_before, err) < 0 ||
	    move(ctx, source_id, into_id, err) < 0)
		goto fail;
	/* The source is closed (so resolved, for its service level); a
	 * pending pause ends with it. */
	struct dd_param p[] = {DD_P_INT(source_id), DD_P_INT(into_id),
			       DD_P_INT(now)};
	if (dd_store_exec(
		    ctx->store,
		    "UPDATE tickets SET merged_into = $2, status = "
		    "'closed', closed_at = COALESCE(closed_at, $3), "
		    "resolved_at = COALESCE(resolved_at, $3), "
		    "paused_ms = paused_ms + COALESCE($3 - pending_since, "
		    "0), pending_since = NULL, version = version + 1, "
		    "updated_at = $3 WHERE id = $1",
		    p, 3, err) < 0 ||
	    dd_sla_ticket_refresh(ctx, source_id, now, err) < 0 ||
	    dd_ticket_touch(ctx, into_id, now, err) < 0 ||
	    dd_ticket_load(ctx, source_id, &src_after, err) < 0 ||
	    dd_ticket_load(ctx, into_id, &dst_after, err) < 0)
		goto fail;
	char *sb = dd_ticket_snapshot(&src_before),
	     *sa = dd_ticket_snapshot(&src_after),
	     *db = dd_ticket_snapshot(&dst_before),
	     *da = target_snapshot(&dst_after, &src_after);
	int rc = dd_event_append(ctx->store, now, actor, "ticket.merge",
				 "ticket", source_id, sb, sa, err);
	if (rc == 0)
		rc = dd_event_append(ctx->store, now, actor,
				     "ticket.merge.target", "ticket", into_id,
				     db, da, err);
	free(sb);
	free(sa);
	free(db);
	free(da);
	/* A merged P1 is closed: its alert ends (the target keeps its
	 * own). */
	struct dd_alert_ticket ab, aa;
	dd_ticket_alert_view(&src_before, &ab);
	dd_ticket_alert_view(&src_after, &aa);
	if (rc == 0)
		rc = dd_alert_ticket_changed(ctx, actor, &ab, &aa, now, err);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	if (target)
		*target = dst_after;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
