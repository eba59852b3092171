#include "alert/reminder.h"

#include <stdio.h>
#include <string.h>

#include "alert/alert_int.h"
#include "alert/notify.h"
#include "store/store.h"

struct item {
	int64_t alert_id, number, triggered_at;
	char state[16];
	char subject[160];
};

int dd_alert_remind(struct dd_ctx *ctx, int64_t now, int *alerts,
		    struct dd_err *err)
{
	struct dd_alert_now n;
	struct item items[DD_REMINDER_LIST_MAX];
	int count = 0;
	int64_t total = 0, holder = 0;
	if (alerts)
		*alerts = 0;
	if (dd_alert_now_load(ctx, now, &n, err) < 0)
		return -1;
	/* The telephone duty: open now, not the one that takes P1 pages. */
	for (int i = 0; i < n.oncall_count && !holder; i++)
		if (n.oncall[i].open && !n.oncall[i].duty->takes_p1)
			holder = n.oncall[i].assignment.person_id;
	if (!holder)
		return 0;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT a.id, t.number, a.triggered_at, a.state, "
			   "t.subject FROM alerts a JOIN tickets t ON t.id = "
			   "a.ticket_id WHERE a.state <> 'resolved' ORDER BY "
			   "CASE a.state WHEN 'triggered' THEN 0 ELSE 1 END, "
			   "a.id LIMIT $1",
			   (struct dd_param[]){DD_P_INT(DD_REMINDER_LIST_MAX)},
			   1, &rows, err) < 0)
		goto fail;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 &&
	       count < DD_REMINDER_LIST_MAX) {
		struct item *it = &items[count++];
		it->alert_id = dd_rows_int(rows, 0);
		it->number = dd_rows_int(rows, 1);
		it->triggered_at = dd_rows_int(rows, 2);
		snprintf(it->state, sizeof(it->state), "%s",
			 dd_rows_text(rows, 3));
		snprintf(it->subject, sizeof(it->subject), "%s",
			 dd_rows_text(rows, 4) ? dd_rows_text(rows, 4) : "");
	}
	dd_rows_free(rows);
	if (rc < 0 || dd_store_query_int(ctx->store,
					 "SELECT COUNT(*) FROM alerts WHERE "
					 "state <> 'resolved'",
					 NULL, 0, &total, err) < 0)
		goto fail;
	if (count == 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	/* Claim this hour: the one instance whose insert wins sends. */
	int64_t hour = now / DD_REMINDER_INTERVAL_MS, claimed = 0;
	rc = dd_store_query_int(
		ctx->store,
		"INSERT INTO alert_reminders (hour, person_id, "
		"alerts, sent_at) VALUES ($1, $2, $3, $4) ON "
		"CONFLICT (hour) DO NOTHING RETURNING hour",
		(struct dd_param[]){DD_P_INT(hour), DD_P_INT(holder),
				    DD_P_INT(total), DD_P_INT(now)},
		4, &claimed, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	struct dd_buf text;
	dd_buf_init(&text, 64 * 1024);
	dd_buf_printf(&text, "%lld priority-1 alert%s not resolved yet:\n\n",
		      (long long)total, total == 1 ? " is" : "s are");
	for (int i = 0; i < count; i++) {
		char at[6];
		dd_alert_local_time(&n, items[i].triggered_at, at);
		dd_buf_printf(&text, "#%lld %s (%s since %s)\n",
			      (long long)items[i].number, items[i].subject,
			      items[i].state, at);
	}
	if (total > count)
		dd_buf_printf(&text, "... and %lld more\n",
			      (long long)(total - count));
	char *body = dd_arena_strdup(ctx->arena, dd_buf_str(&text));
	dd_buf_release(&text);
	char *subject =
		dd_arena_printf(ctx->arena, "[P1] reminder: %lld open alert%s",
				(long long)total, total == 1 ? "" : "s");
	char *data = dd_arena_printf(ctx->arena, "{\"open_alerts\":%lld}",
				     (long long)total);
	if (!body || !subject || !data) {
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL, "out of memory");
		goto fail;
	}
	struct dd_notice notice = {
		.event = "p1.reminder",
		.subject = subject,
		.text = body,
		.data_json = data,
		.ref_type = "person",
		.ref_id = holder,
	};
	struct dd_notify_sent sent[DD_NOTIFY_METHODS_MAX];
	int reached = 0;
	if (dd_notify_person(ctx, holder, &notice, now, sent,
			     DD_NOTIFY_METHODS_MAX, &reached, err) < 0)
		goto fail;
	for (int i = 0; i < count; i++)
		if (dd_alert_log(ctx, items[i].alert_id, "reminder", -1,
				 "telephone duty", holder,
				 reached ? sent[0].method_id : 0,
				 reached ? sent[0].outbox_id : 0,
				 reached ? "hourly reminder"
					 : "not reached: no verified contact "
					   "method",
				 now, err) < 0)
			goto fail;
	if (dd_store_commit(ctx->store, err) < 0)
		goto fail;
	if (alerts)
		*alerts = count;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
