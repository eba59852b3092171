#include "ticket/history.h"

#include "store/store.h"

int dd_ticket_history(struct dd_ctx *ctx, int64_t ticket_id, int64_t after_id,
		      int limit,
		      int (*fn)(const struct dd_event *ev, void *arg),
		      void *arg, struct dd_err *err)
{
	int64_t n = 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM tickets WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(ticket_id)}, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no ticket with id %lld",
				  (long long)ticket_id);
	/* dd_event_list reads newest first; a history reads forwards, on
	 * the index events_object (object_type, object_id, id). */
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    "SELECT id, at, actor_id, actor, action, object_type, "
		    "object_id, before_json, after_json FROM events "
		    "WHERE object_type = 'ticket' AND object_id = $1 "
		    "AND id > $2 ORDER BY id LIMIT $3",
		    (struct dd_param[]){DD_P_INT(ticket_id), DD_P_INT(after_id),
					DD_P_INT(limit)},
		    3, &rows, err) < 0)
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
