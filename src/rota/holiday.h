/*
 * holiday.h - public holidays: no duty falls on one, and due dates skip
 * them. Imported from iCalendar files or URLs (holiday_import.c) or
 * entered one by one.
 */
#ifndef DD_ROTA_HOLIDAY_H
#define DD_ROTA_HOLIDAY_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

struct dd_holiday {
	int64_t id;
	int64_t day;
	const char *name;
	int64_t created_at;
};

/* Add a holiday; 409 when the day already is one. Runs its own
 * transaction unless one is open (then inside it). */
int dd_holiday_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t day, const char *name, struct dd_holiday *out,
		      struct dd_err *err);
int dd_holiday_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, struct dd_err *err);
/* Holidays with day in [from, to], ascending. */
int dd_holiday_list(struct dd_ctx *ctx, int64_t from, int64_t to,
		    int (*fn)(const struct dd_holiday *h, void *arg), void *arg,
		    struct dd_err *err);

/* Easter Sunday of year (Gregorian), for generating holiday data. */
int64_t dd_easter_sunday(int year);

/* The German nationwide and Bavarian public holidays of year, into
 * out[] (at most 16) with English names; returns the count. */
int dd_holidays_bavaria(int year, int64_t *days, const char **names);

void dd_holiday_to_json(const struct dd_holiday *h, struct dd_json_out *j);

#endif
