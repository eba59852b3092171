#include "store/event.h"

int dd_event_append(struct dd_store *store, int64_t at,
		    const struct dd_actor *actor, const char *action,
		    const char *object_type, int64_t object_id,
		    const char *before_json, const char *after_json,
		    struct dd_err *err)
{
	if (!dd_store_in_transaction(store))
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "event '%s' written outside a transaction",
				  action);
	struct dd_param p[] = {
		DD_P_INT(at),
		actor->person_id > 0 ? DD_P_INT(actor->person_id) : DD_P_NULL,
		DD_P_TEXT(actor->label ? actor->label : "system"),
		DD_P_TEXT(action),
		DD_P_TEXT(object_type),
		object_id > 0 ? DD_P_INT(object_id) : DD_P_NULL,
		DD_P_TEXT(before_json),
		DD_P_TEXT(after_json),
	};
	if (dd_store_exec(store,
			  "INSERT INTO events (at, actor_id, actor, action, "
			  "object_type, object_id, before_json, after_json) "
			  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			  p, 8, err) < 0)
		return -1;
	return dd_change_announce(store, err);
}

int dd_change_announce(struct dd_store *store, struct dd_err *err)
{
	if (!dd_store_in_transaction(store))
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "a change announced outside a transaction");
	if (dd_store_exec(store,
			  "UPDATE change_counter SET n = n + 1 WHERE id = 1",
			  NULL, 0, err) < 0)
		return -1;
	/* Delivered at commit, once per transaction however many events it
	 * has: every instance's live streams learn of the change at once. */
	if (dd_store_kind(store) == DD_STORE_PG &&
	    dd_store_exec_script(store, "NOTIFY " DD_STORE_CHANGE_CHANNEL,
				 err) < 0)
		return -1;
	return 0;
}

int dd_change_version(struct dd_store *store, int64_t *version,
		      struct dd_err *err)
{
	*version = 0;
	return dd_store_query_int(store,
				  "SELECT n FROM change_counter WHERE id = 1",
				  NULL, 0, version, err) < 0
		       ? -1
		       : 0;
}

int dd_event_list(struct dd_store *store, const struct dd_event_filter *f,
		  int (*fn)(const struct dd_event *ev, void *arg), void *arg,
		  struct dd_err *err)
{
	/* One statement for every filter combination: an unset filter
	 * compares against NULL and is skipped by the OR. The casts tell
	 * PostgreSQL the parameters' types where NULL alone would not. */
	struct dd_param p[] = {
		DD_P_TEXT(f->object_type),
		f->object_id > 0 ? DD_P_INT(f->object_id) : DD_P_NULL,
		f->since_ms > 0 ? DD_P_INT(f->since_ms) : DD_P_NULL,
		f->until_ms > 0 ? DD_P_INT(f->until_ms) : DD_P_NULL,
		f->before_id > 0 ? DD_P_INT(f->before_id) : DD_P_NULL,
		DD_P_INT(f->limit),
	};
	struct dd_rows *rows;
	if (dd_store_query(
		    store,
		    "SELECT id, at, actor_id, actor, action, object_type, "
		    "object_id, before_json, after_json FROM events"
		    " WHERE (CAST($1 AS TEXT) IS NULL OR object_type = $1)"
		    " AND (CAST($2 AS BIGINT) IS NULL OR object_id = $2)"
		    " AND (CAST($3 AS BIGINT) IS NULL OR at >= $3)"
		    " AND (CAST($4 AS BIGINT) IS NULL OR at < $4)"
		    " AND (CAST($5 AS BIGINT) IS NULL OR id < $5)"
		    " ORDER BY id DESC LIMIT $6",
		    p, 6, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_event ev = {
			.id = dd_rows_int(rows, 0),
			.at = dd_rows_int(rows, 1),
			.actor_id = dd_rows_int(rows, 2),
			.actor = dd_rows_text(rows, 3),
			.action = dd_rows_text(rows, 4),
			.object_type = dd_rows_text(rows, 5),
			.object_id = dd_rows_int(rows, 6),
			.before_json = dd_rows_text(rows, 7),
			.after_json = dd_rows_text(rows, 8),
		};
		if (fn(&ev, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}
