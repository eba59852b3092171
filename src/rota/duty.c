#include "rota/duty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "people/person.h"
#include "rota/settings.h"
#include "store/store.h"

#define DUTY_COLUMNS                                                           \
	"SELECT id, name, description, slot, weekdays, start_minute,"          \
	" end_minute, phone, takes_p1, version, created_at, updated_at"        \
	" FROM duties "

/* More duties than this is not a rota anyone can read. */
#define DUTIES_MAX 64

void dd_duty_to_json(const struct dd_duty *d, struct dd_json_out *j)
{
	char days[40], start[6], end[6];
	dd_weekdays_format(d->window.weekdays, days, sizeof(days));
	dd_time_of_day_format(d->window.start, start);
	dd_time_of_day_format(d->window.end, end);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", d->id);
	dd_json_kstr(j, "name", d->name);
	dd_json_kstr(j, "description", d->description);
	dd_json_kint(j, "slot", d->slot);
	dd_json_key(j, "weekdays");
	dd_json_arr_begin(j);
	const char *p = days;
	while (*p) {
		dd_json_strn(j, p, 3);
		p += 3;
		if (*p == ',')
			p++;
	}
	dd_json_arr_end(j);
	dd_json_kstr(j, "start", start);
	dd_json_kstr(j, "end", end);
	dd_json_kstr(j, "phone", d->phone);
	dd_json_kbool(j, "takes_p1", d->takes_p1);
	dd_json_kint(j, "version", d->version);
	dd_json_ktime(j, "created_at", d->created_at);
	dd_json_ktime(j, "updated_at", d->updated_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_duty *d)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 16384);
	dd_json_out_init(&j, &buf);
	dd_duty_to_json(d, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_duty *d)
{
	d->id = dd_rows_int(rows, 0);
	d->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	d->description = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	d->slot = (int)dd_rows_int(rows, 3);
	d->window.weekdays = (unsigned)dd_rows_int(rows, 4);
	d->window.start = (int)dd_rows_int(rows, 5);
	d->window.end = (int)dd_rows_int(rows, 6);
	d->phone = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 7));
	d->takes_p1 = dd_rows_int(rows, 8) != 0;
	d->version = dd_rows_int(rows, 9);
	d->created_at = dd_rows_int(rows, 10);
	d->updated_at = dd_rows_int(rows, 11);
}

int dd_duty_get(struct dd_ctx *ctx, int64_t id, struct dd_duty *out,
		struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, DUTY_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no duty with id %lld", (long long)id);
	return rc < 0 ? -1 : 0;
}

int dd_duty_all(struct dd_ctx *ctx, struct dd_duty **out, int *count,
		struct dd_err *err)
{
	struct dd_rows *rows;
	*count = 0;
	*out = dd_arena_alloc(ctx->arena, sizeof(struct dd_duty) * DUTIES_MAX);
	if (!*out)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(ctx->store, DUTY_COLUMNS "ORDER BY id", NULL, 0,
			   &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && *count < DUTIES_MAX)
		read_row(ctx, rows, &(*out)[(*count)++]);
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* Merge in over base (for update) and check the result. */
static int check(const struct dd_duty_input *in, struct dd_duty *d,
		 char phone[DD_LIMIT_PHONE + 1], struct dd_err *err)
{
	if (in->name) {
		if (dd_text_check("name", in->name, 1, DD_LIMIT_NAME,
				  DD_TEXT_SINGLE_LINE, err) < 0)
			return -1;
		d->name = in->name;
	}
	if (in->description) {
		if (dd_text_check("description", in->description, 0,
				  DD_LIMIT_DESCRIPTION, DD_TEXT_MULTI_LINE,
				  err) < 0)
			return -1;
		d->description = in->description;
	}
	if (in->slot_set)
		d->slot = in->slot;
	if (in->weekdays_set)
		d->window.weekdays = in->weekdays;
	if (in->start_set)
		d->window.start = in->start;
	if (in->end_set)
		d->window.end = in->end;
	if (in->takes_p1_set)
		d->takes_p1 = in->takes_p1;
	if (in->phone_set) {
		if (in->phone) {
			if (dd_person_normalise_phone(in->phone, phone, err) <
			    0)
				return -1;
			d->phone = phone;
		} else {
			d->phone = NULL;
		}
	}
	if (!d->name)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'name' is required");
	if (d->slot != 0 && d->slot != 1)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'slot' must be 0 (first of the pair on the "
				  "week's first day) or 1");
	if (d->window.weekdays == 0 || (d->window.weekdays & ~0xfeu))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'weekdays' needs at least one weekday");
	if (d->window.start < 0 || d->window.end > 1440 ||
	    d->window.end <= d->window.start)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "the window must end after it starts, on "
				  "the same day");
	return 0;
}

static int name_taken(struct dd_err *err, const char *name)
{
	if (err->status == 409)
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "a duty named '%.100s' already exists", name);
	return -1;
}

int dd_duty_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const struct dd_duty_input *in, struct dd_duty *out,
		   struct dd_err *err)
{
	char phone[DD_LIMIT_PHONE + 1];
	struct dd_duty d = {.description = "",
			    .window = {DD_WEEKDAYS_MON_FRI, 16 * 60, 18 * 60}};
	int64_t now = dd_ctx_now(ctx), id = 0;
	if (!in->slot_set)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'slot' is required");
	if (check(in, &d, phone, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_param p[] = {
		DD_P_TEXT(d.name),
		DD_P_TEXT(d.description),
		DD_P_INT(d.slot),
		DD_P_INT(d.window.weekdays),
		DD_P_INT(d.window.start),
		DD_P_INT(d.window.end),
		DD_P_TEXT(d.phone),
		DD_P_INT(d.takes_p1),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO duties (name, description, slot, "
		    "weekdays, start_minute, end_minute, phone, "
		    "takes_p1, created_at, updated_at) VALUES ($1, "
		    "$2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
		    p, 9, &id, err) < 0) {
		name_taken(err, d.name);
		goto fail;
	}
	if (dd_duty_get(ctx, id, out, err) < 0)
		goto fail;
	char *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "duty.create", "duty",
				 id, NULL, a, err);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_duty_update(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   const struct dd_duty_input *in, int64_t if_version,
		   struct dd_duty *out, struct dd_err *err)
{
	char phone[DD_LIMIT_PHONE + 1];
	int64_t now = dd_ctx_now(ctx);
	struct dd_duty before, d;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_duty_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "duty %lld was changed meanwhile (version %lld, not "
			   "%lld): reload and try again",
			   (long long)id, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	d = before;
	if (check(in, &d, phone, err) < 0)
		goto fail;
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(d.name),
		DD_P_TEXT(d.description),
		DD_P_INT(d.slot),
		DD_P_INT(d.window.weekdays),
		DD_P_INT(d.window.start),
		DD_P_INT(d.window.end),
		DD_P_TEXT(d.phone),
		DD_P_INT(d.takes_p1),
		DD_P_INT(now),
	};
	if (dd_store_exec(
		    ctx->store,
		    "UPDATE duties SET name = $2, description = $3, "
		    "slot = $4, weekdays = $5, start_minute = $6, "
		    "end_minute = $7, phone = $8, takes_p1 = $9, "
		    "updated_at = $10, version = version + 1 WHERE id = $1",
		    p, 10, err) < 0) {
		name_taken(err, d.name);
		goto fail;
	}
	if (dd_duty_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "duty.update", "duty",
				 id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_duty_delete(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_duty before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_duty_get(ctx, id, &before, err) < 0 ||
	    dd_store_exec(ctx->store, "DELETE FROM duties WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "duty.delete", "duty",
				 id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
