#include "ticket/views.h"

#include <string.h>

#include "store/store.h"
#include "ticket/ticket_list.h"

#define ACTIVE "status:new,open,pending"

static const struct {
	const char *id, *name, *query;
} fixed[] = {
	{"mine", "Mine", "owner:me " ACTIVE},
	{"unassigned", "Unassigned", "is:unassigned " ACTIVE},
	{"p1", "Open priority 1", "prio:1 " ACTIVE},
	{"due-today", "Due today", "is:due-today " ACTIVE},
	{"overdue", "Overdue", "is:overdue"},
};
#define FIXED ((int)(sizeof(fixed) / sizeof(fixed[0])))

int dd_ticket_views_get(struct dd_ctx *ctx, int64_t viewer_id,
			struct dd_ticket_views *out, struct dd_err *err)
{
	memset(out, 0, sizeof(*out));
	out->items = dd_arena_alloc(
		ctx->arena,
		sizeof(*out->items) * (FIXED + DD_TICKET_VIEW_QUEUES_MAX));
	if (!out->items)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory listing views");
	for (int i = 0; i < FIXED; i++) {
		struct dd_ticket_view *v = &out->items[out->count++];
		v->id = fixed[i].id;
		v->name = fixed[i].name;
		v->query = fixed[i].query;
		if (strcmp(v->id, "mine") == 0 && !viewer_id)
			continue;
		if (dd_ticket_count(ctx, v->query, viewer_id, &v->count, err) <
		    0)
			return -1;
	}
	/* Each queue's open tickets, as "queue:ID status:new,open,pending"
	 * counts them, in one round trip. */
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    "SELECT q.id, q.name, (SELECT COUNT(*) FROM tickets t "
		    "WHERE "
		    "t.queue_id = q.id AND t.merged_into IS NULL AND t.status "
		    "IN ('new', 'open', 'pending')) FROM queues q ORDER BY "
		    "q.name, q.id LIMIT $1",
		    (struct dd_param[]){
			    DD_P_INT(DD_TICKET_VIEW_QUEUES_MAX + 1)},
		    1, &rows, err) < 0)
		return -1;
	int rc, queues = 0;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (queues == DD_TICKET_VIEW_QUEUES_MAX) {
			out->queues_truncated = 1;
			break;
		}
		struct dd_ticket_view *v = &out->items[out->count++];
		int64_t id = dd_rows_int(rows, 0);
		v->queue_id = id;
		v->id = dd_arena_printf(ctx->arena, "queue:%lld",
					(long long)id);
		v->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
		v->query = dd_arena_printf(ctx->arena, "queue:%lld " ACTIVE,
					   (long long)id);
		v->count = dd_rows_int(rows, 2);
		queues++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}
