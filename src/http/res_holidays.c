/*
 * res_holidays.c - /api/v1/holidays: list, add and remove public
 * holidays, and import them from an iCalendar file, sent as the body or
 * fetched from a URL.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "base/fetch.h"
#include "base/limits.h"
#include "base/tz.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "rota/holiday.h"
#include "rota/holiday_import.h"
#include "rota/settings.h"
#include "store/store.h"

/* Imports wait for each other (PostgreSQL; SQLite has one writer). */
#define IMPORT_LOCK_KEY 0x686f6c69 /* "holi" */

static int holiday_one(const struct dd_holiday *h, void *arg)
{
	dd_holiday_to_json(h, arg);
	return 0;
}

/* The organisation's current year, in its time zone. */
static int this_year(struct dd_request *req, int *year)
{
	struct dd_org_settings settings;
	const struct dd_tz *tz;
	struct dd_err err;
	int month, day;
	if (dd_settings_load(&req->ctx, &settings, &err) < 0 ||
	    dd_tz_cache_get(req->ctx.tz_cache, settings.time_zone, &tz, &err) <
		    0)
		return dd_res_err(req, &err);
	dd_date_from_days(dd_tz_local_day(tz, dd_ctx_now(&req->ctx) / 1000),
			  year, &month, &day);
	return 0;
}

int dd_res_holidays_list(struct dd_request *req)
{
	int64_t from, to;
	int year;
	struct dd_err err;
	if (this_year(req, &year) < 0 ||
	    dd_res_query_date(req, "from", dd_date_days(year, 1, 1), &from) <
		    0 ||
	    dd_res_query_date(req, "to", dd_date_days(year + 1, 12, 31), &to) <
		    0)
		return -1;
	if (to < from)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is before 'from'");
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_holiday_list(&req->ctx, from, to, holiday_one, j, &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_holidays_create(struct dd_request *req)
{
	static const char *const fields[] = {"date", "name", NULL};
	const char *date, *name;
	int64_t day;
	struct dd_holiday h;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "date", 1, 10, &date, NULL, &err) < 0 ||
	    dd_json_in_str(body, "name", 1, DD_LIMIT_NAME, &name, NULL, &err) <
		    0)
		return dd_res_err(req, &err);
	if (dd_date_parse(date, &day) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'date' must be a date like 2026-12-24");
	if (dd_holiday_create(&req->ctx, &req->actor, day, name, &h, &err) < 0)
		return dd_res_err(req, &err);
	dd_holiday_to_json(&h, dd_resp_json(req, 201));
	return 0;
}

int dd_res_holidays_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "holiday", &id) < 0)
		return -1;
	if (dd_holiday_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

/* Content-Type names media type (parameters such as charset allowed). */
static int media_is(const char *type, const char *media)
{
	size_t n = strlen(media);
	return type && strncasecmp(type, media, n) == 0 &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

static void release_buf(void *p)
{
	dd_buf_release(p);
}

/* The calendar to import: the body itself, or what the URL in a JSON
 * body gives. *source names it for the event log. */
static int import_source(struct dd_request *req, const char **text, size_t *len,
			 const char **source)
{
	static const char *const fields[] = {"url", NULL};
	const char *type = dd_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *url;
	struct dd_err err;
	dd_err_clear(&err);
	if (media_is(type, "text/calendar")) {
		*text = req->body.data ? req->body.data : "";
		*len = req->body.len;
		*source = "upload";
		return 0;
	}
	if (!media_is(type, "application/json"))
		return dd_req_fail(req, 415, DD_PROBLEM_UNSUPPORTED_MEDIA,
				   "send the calendar as Content-Type: "
				   "text/calendar, or its URL as JSON "
				   "{\"url\": ...}");
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_str(body, "url", 1, DD_LIMIT_URL, &url, NULL, &err) < 0)
		return dd_res_err(req, &err);
	if (!dd_fetch_url_allowed(url))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'url' must be an http or https URL");
	struct dd_buf *buf = dd_arena_alloc(&req->arena, sizeof(*buf));
	if (!buf)
		return dd_req_fail(req, 500, DD_PROBLEM_INTERNAL,
				   "out of memory");
	dd_buf_init(buf, DD_HOLIDAY_FETCH_BYTES);
	if (dd_req_defer(req, release_buf, buf) < 0)
		return dd_req_fail(req, 500, DD_PROBLEM_INTERNAL,
				   "too many objects held by one request");
	if (dd_fetch_url(url, DD_HOLIDAY_FETCH_TIMEOUT_MS, buf, &err) < 0)
		return dd_res_err(req, &err);
	*text = dd_buf_str(buf);
	*len = buf->len;
	*source = url;
	return 0;
}

/* Add the days not yet holidays, all or none; *ids[i] gets the new
 * holiday's id, or minus the id of the one already there. */
static int import_days(struct dd_request *req, const struct dd_holiday_set *set,
		       const char *source, int64_t *ids, int *imported,
		       struct dd_err *err)
{
	struct dd_store *store = req->ctx.store;
	*imported = 0;
	if (dd_store_begin(store, err) < 0)
		return -1;
	if (dd_store_lock(store, IMPORT_LOCK_KEY, err) < 0)
		goto fail;
	for (int i = 0; i < set->count; i++) {
		char text[DD_DATE_TEXT_LEN];
		int64_t existing = 0;
		dd_date_format(set->days[i].day, text);
		int rc = dd_store_query_int(
			store, "SELECT id FROM holidays WHERE day = $1",
			(struct dd_param[]){DD_P_TEXT(text)}, 1, &existing,
			err);
		if (rc < 0)
			goto fail;
		if (rc > 0) {
			ids[i] = -existing;
			continue;
		}
		struct dd_holiday h;
		if (dd_holiday_create(&req->ctx, &req->actor, set->days[i].day,
				      set->days[i].name, &h, err) < 0)
			goto fail;
		ids[i] = h.id;
		(*imported)++;
	}
	struct dd_buf after;
	struct dd_json_out j;
	dd_buf_init(&after, 16384);
	dd_json_out_init(&j, &after);
	dd_json_obj_begin(&j);
	dd_json_kstr(&j, "source", source);
	dd_json_kint(&j, "imported", *imported);
	dd_json_kint(&j, "skipped", set->count - *imported);
	dd_json_obj_end(&j);
	int rc = dd_event_append(store, dd_ctx_now(&req->ctx), &req->actor,
				 "holiday.import", "holiday", 0, NULL,
				 dd_buf_str(&after), err);
	dd_buf_release(&after);
	if (rc < 0 || dd_store_commit(store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(store);
	return -1;
}

int dd_res_holidays_import(struct dd_request *req)
{
	const char *text = NULL, *source = NULL;
	size_t len = 0;
	int year, imported;
	struct dd_holiday_set set;
	struct dd_err err;
	dd_err_clear(&err);
	if (import_source(req, &text, &len, &source) < 0 ||
	    this_year(req, &year) < 0)
		return -1;
	if (dd_holiday_import_parse(text, len, dd_date_days(year, 1, 1),
				    dd_date_days(year + 1, 12, 31), &req->arena,
				    &set, &err) < 0)
		return dd_res_err(req, &err);
	int64_t *ids = dd_arena_alloc(
		&req->arena, sizeof(int64_t) * (size_t)(set.count + 1));
	if (!ids)
		return dd_req_fail(req, 500, DD_PROBLEM_INTERNAL,
				   "out of memory");
	if (import_days(req, &set, source, ids, &imported, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kint(j, "imported", imported);
	dd_json_kint(j, "skipped", set.count - imported);
	dd_json_key(j, "days");
	dd_json_arr_begin(j);
	for (int i = 0; i < set.count; i++) {
		char day[DD_DATE_TEXT_LEN];
		dd_date_format(set.days[i].day, day);
		dd_json_obj_begin(j);
		dd_json_kstr(j, "date", day);
		dd_json_kstr(j, "name", set.days[i].name);
		dd_json_kstr(j, "status", ids[i] > 0 ? "imported" : "skipped");
		dd_json_kint(j, "id", ids[i] > 0 ? ids[i] : -ids[i]);
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}
