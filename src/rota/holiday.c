#include "rota/holiday.h"

#include <stdio.h>

#include "base/date.h"
#include "base/text.h"
#include "store/store.h"

void dd_holiday_to_json(const struct dd_holiday *h, struct dd_json_out *j)
{
	char day[DD_DATE_TEXT_LEN];
	dd_date_format(h->day, day);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", h->id);
	dd_json_kstr(j, "date", day);
	dd_json_kstr(j, "name", h->name);
	dd_json_obj_end(j);
}

int dd_holiday_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t day, const char *name, struct dd_holiday *out,
		      struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN];
	int64_t now = dd_ctx_now(ctx), id = 0;
	int own_tx = !dd_store_in_transaction(ctx->store);
	dd_date_format(day, text);
	if (dd_text_check("name", name, 1, DD_LIMIT_NAME, DD_TEXT_SINGLE_LINE,
			  err) < 0)
		return -1;
	if (own_tx && dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO holidays (day, name, created_at) "
			       "VALUES ($1, $2, $3) RETURNING id",
			       (struct dd_param[]){DD_P_TEXT(text),
						   DD_P_TEXT(name),
						   DD_P_INT(now)},
			       3, &id, err) < 0) {
		if (err->status == 409)
			dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				   "%s is already a holiday", text);
		goto fail;
	}
	*out = (struct dd_holiday){id, day, name, now};
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 1024);
	dd_json_out_init(&j, &buf);
	dd_holiday_to_json(out, &j);
	int rc = dd_event_append(ctx->store, now, actor, "holiday.create",
				 "holiday", id, NULL, dd_buf_str(&buf), err);
	dd_buf_release(&buf);
	if (rc < 0 || (own_tx && dd_store_commit(ctx->store, err) < 0))
		goto fail;
	return 0;
fail:
	if (own_tx)
		dd_store_rollback(ctx->store);
	return -1;
}

int dd_holiday_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int64_t n =
		dd_store_exec(ctx->store, "DELETE FROM holidays WHERE id = $1",
			      (struct dd_param[]){DD_P_INT(id)}, 1, err);
	if (n < 0)
		goto fail;
	if (n == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no holiday with id %lld", (long long)id);
		goto fail;
	}
	if (dd_event_append(ctx->store, now, actor, "holiday.delete", "holiday",
			    id, NULL, NULL, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_holiday_list(struct dd_ctx *ctx, int64_t from, int64_t to,
		    int (*fn)(const struct dd_holiday *h, void *arg), void *arg,
		    struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	dd_date_format(from, a);
	dd_date_format(to, b);
	if (dd_store_query(ctx->store,
			   "SELECT id, day, name, created_at FROM holidays "
			   "WHERE day >= $1 AND day <= $2 ORDER BY day",
			   (struct dd_param[]){DD_P_TEXT(a), DD_P_TEXT(b)}, 2,
			   &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_holiday h = {.id = dd_rows_int(rows, 0),
				       .name = dd_rows_text(rows, 2),
				       .created_at = dd_rows_int(rows, 3)};
		if (dd_date_parse(dd_rows_text(rows, 1), &h.day) < 0)
			continue;
		if (fn(&h, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int64_t dd_easter_sunday(int year)
{
	/* The anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;
	return dd_date_days(year, month, day);
}

int dd_holidays_bavaria(int year, int64_t *days, const char **names)
{
	int64_t easter = dd_easter_sunday(year);
	int n = 0;
#define ADD(d, nm)                                                             \
	do {                                                                   \
		days[n] = (d);                                                 \
		names[n] = (nm);                                               \
		n++;                                                           \
	} while (0)
	ADD(dd_date_days(year, 1, 1), "New Year's Day");
	ADD(dd_date_days(year, 1, 6), "Epiphany (Bavaria)");
	ADD(easter - 2, "Good Friday");
	ADD(easter + 1, "Easter Monday");
	ADD(dd_date_days(year, 5, 1), "Labour Day");
	ADD(easter + 39, "Ascension Day");
	ADD(easter + 50, "Whit Monday");
	ADD(easter + 60, "Corpus Christi (Bavaria)");
	ADD(dd_date_days(year, 8, 15), "Assumption Day (Bavaria)");
	ADD(dd_date_days(year, 10, 3), "Day of German Unity");
	ADD(dd_date_days(year, 11, 1), "All Saints' Day (Bavaria)");
	ADD(dd_date_days(year, 12, 25), "Christmas Day");
	ADD(dd_date_days(year, 12, 26), "Second Day of Christmas");
#undef ADD
	return n;
}
