#include "rota/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/tz.h"
#include "rota/calendar.h"
#include "store/store.h"

static const char *const weekday_names[] = {"mon", "tue", "wed", "thu",
					    "fri", "sat", "sun"};

int dd_weekdays_parse(const char *text, unsigned *mask)
{
	unsigned m = 0;
	const char *p = text;
	if (!p)
		return -1;
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = 0;
		for (int i = 0; i < 7; i++)
			if (n == 3 && strncmp(p, weekday_names[i], 3) == 0) {
				m |= DD_WEEKDAY_BIT(i + 1);
				found = 1;
			}
		if (!found)
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	*mask = m;
	return 0;
}

void dd_weekdays_format(unsigned mask, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < 7; i++) {
		if (!(mask & DD_WEEKDAY_BIT(i + 1)))
			continue;
		int n = snprintf(out + len, cap - len, "%s%s", len ? "," : "",
				 weekday_names[i]);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
}

void dd_settings_defaults(struct dd_org_settings *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->time_zone, sizeof(s->time_zone), DD_DEFAULT_TIME_ZONE);
	s->workdays = DD_WEEKDAYS_MON_FRI;
	s->core_start = 8 * 60;
	s->core_end = 16 * 60;
	s->uncovered_warning_days = 14;
	s->trailing_weeks = 12;
}

static void apply(struct dd_org_settings *s, const char *key, const char *v)
{
	long n = strtol(v, NULL, 10);
	int minutes;
	if (strcmp(key, "time_zone") == 0)
		snprintf(s->time_zone, sizeof(s->time_zone), "%s", v);
	else if (strcmp(key, "workdays") == 0)
		dd_weekdays_parse(v, &s->workdays);
	else if (strcmp(key, "core_start") == 0 &&
		 dd_time_of_day_parse(v, &minutes) == 0)
		s->core_start = minutes;
	else if (strcmp(key, "core_end") == 0 &&
		 dd_time_of_day_parse(v, &minutes) == 0)
		s->core_end = minutes;
	else if (strcmp(key, "uncovered_warning_days") == 0)
		s->uncovered_warning_days = (int)n;
	else if (strcmp(key, "trailing_weeks") == 0)
		s->trailing_weeks = (int)n;
	else if (strcmp(key, "coordinator_id") == 0)
		s->coordinator_id = n;
	else if (strcmp(key, "substitute_id") == 0)
		s->substitute_id = n;
	else if (strcmp(key, "mailbox_head_id") == 0)
		s->mailbox_head_id = n;
	else if (strcmp(key, "mailbox_substitute_id") == 0)
		s->mailbox_substitute_id = n;
}

int dd_settings_load(struct dd_ctx *ctx, struct dd_org_settings *s,
		     struct dd_err *err)
{
	struct dd_rows *rows;
	dd_settings_defaults(s);
	if (dd_store_query(ctx->store,
			   "SELECT key, value, updated_at FROM org_settings",
			   NULL, 0, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		apply(s, dd_rows_text(rows, 0), dd_rows_text(rows, 1));
		if (dd_rows_int(rows, 2) > s->version)
			s->version = dd_rows_int(rows, 2);
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

void dd_settings_to_json(const struct dd_org_settings *s, struct dd_json_out *j)
{
	char days[40], start[6], end[6];
	dd_weekdays_format(s->workdays, days, sizeof(days));
	dd_time_of_day_format(s->core_start, start);
	dd_time_of_day_format(s->core_end, end);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "time_zone", s->time_zone);
	dd_json_key(j, "workdays");
	dd_json_arr_begin(j);
	for (int i = 0; i < 7; i++)
		if (s->workdays & DD_WEEKDAY_BIT(i + 1))
			dd_json_str(j, weekday_names[i]);
	dd_json_arr_end(j);
	dd_json_kstr(j, "core_start", start);
	dd_json_kstr(j, "core_end", end);
	dd_json_kint(j, "uncovered_warning_days", s->uncovered_warning_days);
	dd_json_kint(j, "trailing_weeks", s->trailing_weeks);
	const char *role_keys[] = {"coordinator_id", "substitute_id",
				   "mailbox_head_id", "mailbox_substitute_id"};
	int64_t role_ids[] = {s->coordinator_id, s->substitute_id,
			      s->mailbox_head_id, s->mailbox_substitute_id};
	for (int i = 0; i < 4; i++) {
		if (role_ids[i])
			dd_json_kint(j, role_keys[i], role_ids[i]);
		else
			dd_json_knull(j, role_keys[i]);
	}
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_org_settings *s)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 4096);
	dd_json_out_init(&j, &buf);
	dd_settings_to_json(s, &j);
	return dd_buf_detach(&buf, NULL);
}

static int person_exists(struct dd_ctx *ctx, int64_t id, const char *what,
			 struct dd_err *err)
{
	int64_t n = 0;
	if (id == 0)
		return 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM people WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(id)}, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' names no person (id %lld)", what,
				  (long long)id);
	return 0;
}

int dd_settings_save(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_org_settings *s, struct dd_err *err)
{
	const struct dd_tz *tz;
	int64_t now = dd_ctx_now(ctx);
	if (dd_tz_cache_get(ctx->tz_cache, s->time_zone, &tz, err) < 0)
		return -1;
	if (s->workdays == 0 || (s->workdays & ~0xfeu))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'workdays' needs at least one weekday");
	if (s->core_start < 0 || s->core_end > 1440 ||
	    s->core_start >= s->core_end)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "core hours must start before they end");
	if (s->uncovered_warning_days < 0 || s->uncovered_warning_days > 365)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'uncovered_warning_days' must be 0 to 365");
	if (s->trailing_weeks < 1 || s->trailing_weeks > 104)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'trailing_weeks' must be 1 to 104");
	struct dd_org_settings before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (person_exists(ctx, s->coordinator_id, "coordinator_id", err) < 0 ||
	    person_exists(ctx, s->substitute_id, "substitute_id", err) < 0 ||
	    person_exists(ctx, s->mailbox_head_id, "mailbox_head_id", err) <
		    0 ||
	    person_exists(ctx, s->mailbox_substitute_id,
			  "mailbox_substitute_id", err) < 0 ||
	    dd_settings_load(ctx, &before, err) < 0)
		goto fail;
	char days[40], start[6], end[6], warn[16], trail[16], ids[4][24];
	dd_weekdays_format(s->workdays, days, sizeof(days));
	dd_time_of_day_format(s->core_start, start);
	dd_time_of_day_format(s->core_end, end);
	snprintf(warn, sizeof(warn), "%d", s->uncovered_warning_days);
	snprintf(trail, sizeof(trail), "%d", s->trailing_weeks);
	snprintf(ids[0], sizeof(ids[0]), "%lld", (long long)s->coordinator_id);
	snprintf(ids[1], sizeof(ids[1]), "%lld", (long long)s->substitute_id);
	snprintf(ids[2], sizeof(ids[2]), "%lld", (long long)s->mailbox_head_id);
	snprintf(ids[3], sizeof(ids[3]), "%lld",
		 (long long)s->mailbox_substitute_id);
	const char *keys[] = {"time_zone",
			      "workdays",
			      "core_start",
			      "core_end",
			      "uncovered_warning_days",
			      "trailing_weeks",
			      "coordinator_id",
			      "substitute_id",
			      "mailbox_head_id",
			      "mailbox_substitute_id"};
	const char *values[] = {s->time_zone, days,   start,  end,    warn,
				trail,	      ids[0], ids[1], ids[2], ids[3]};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct dd_param p[] = {DD_P_TEXT(keys[i]), DD_P_TEXT(values[i]),
				       DD_P_INT(now)};
		if (dd_store_exec(ctx->store,
				  "DELETE FROM org_settings WHERE key = $1", p,
				  1, err) < 0 ||
		    dd_store_exec(ctx->store,
				  "INSERT INTO org_settings (key, value, "
				  "updated_at) VALUES ($1, $2, $3)",
				  p, 3, err) < 0)
			goto fail;
	}
	char *b = snapshot(&before), *a = snapshot(s);
	int rc = dd_event_append(ctx->store, now, actor, "settings.update",
				 "settings", 0, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
