#include "ticket/touch.h"

#include "store/store.h"

int dd_ticket_lock(struct dd_ctx *ctx, int64_t id, struct dd_err *err)
{
	int64_t n = dd_store_exec(ctx->store,
				  "UPDATE tickets SET version = version "
				  "WHERE id = $1",
				  (struct dd_param[]){DD_P_INT(id)}, 1, err);
	if (n < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no ticket with id %lld", (long long)id);
	return 0;
}

int dd_ticket_touch(struct dd_ctx *ctx, int64_t id, int64_t now,
		    struct dd_err *err)
{
	return dd_store_exec(ctx->store,
			     "UPDATE tickets SET version = version + 1, "
			     "updated_at = $2 WHERE id = $1",
			     (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)},
			     2, err) < 0
		       ? -1
		       : 0;
}
