#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/timefmt.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "people/person.h"
#include "rota/assign.h"
#include "rota/env.h"
#include "rota/member.h"
#include "rota/oncall.h"
#include "rota/propose.h"
#include "rota/settings.h"
#include "rota/week.h"

/* The most days one request may ask about (a year and a bit). */
#define RANGE_DAYS_MAX 400

int dd_res_query_date(struct dd_request *req, const char *name, int64_t dflt,
		      int64_t *day)
{
	const char *v = dd_req_query(req, name);
	*day = dflt;
	if (!v)
		return 0;
	if (dd_date_parse(v, day) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'%s' must be a date like 2026-11-27", name);
	return 0;
}

int dd_res_param_date(struct dd_request *req, const char *name, int64_t *day)
{
	const char *v = dd_req_param(req, name);
	if (dd_date_parse(v, day) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'%.20s' is not a date like 2026-11-27",
				   v ? v : "");
	return 0;
}

/* Today in the organisation's zone; -1 with req->err set on failure. */
static int today(struct dd_request *req, int64_t *day)
{
	struct dd_err err;
	if (dd_rota_today(&req->ctx, day, &err) < 0)
		return dd_res_err(req, &err);
	return 0;
}

/* ---- calendar settings ---- */

int dd_res_calendar_get(struct dd_request *req)
{
	struct dd_org_settings s;
	struct dd_err err;
	if (dd_settings_load(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_settings_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

static int read_person_id(json_t *body, const char *key, int64_t *id,
			  struct dd_err *err)
{
	json_t *v = json_object_get(body, key);
	long long n;
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*id = 0;
		return 0;
	}
	if (dd_json_in_int(body, key, 0, 1, INT64_MAX, &n, err) < 0)
		return -1;
	*id = n;
	return 0;
}

int dd_res_calendar_put(struct dd_request *req)
{
	static const char *const fields[] = {"time_zone",
					     "workdays",
					     "core_start",
					     "core_end",
					     "uncovered_warning_days",
					     "trailing_weeks",
					     "coordinator_id",
					     "substitute_id",
					     "mailbox_head_id",
					     "mailbox_substitute_id",
					     NULL};
	struct dd_org_settings s;
	struct dd_err err;
	const char *tz;
	long long n;
	int present, rc;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_settings_load(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_json_in_known(body, fields, &err) < 0)
		return dd_res_err(req, &err);
	if ((rc = dd_json_in_str(body, "time_zone", 0, 63, &tz, NULL, &err)) <
	    0)
		return dd_res_err(req, &err);
	if (rc)
		snprintf(s.time_zone, sizeof(s.time_zone), "%s", tz);
	unsigned days;
	if (dd_res_read_weekdays(body, "workdays", &days, &present, &err) < 0)
		return dd_res_err(req, &err);
	if (present)
		s.workdays = days;
	if (dd_res_read_time(body, "core_start", &s.core_start, &err) < 0 ||
	    dd_res_read_time(body, "core_end", &s.core_end, &err) < 0)
		return dd_res_err(req, &err);
	if ((rc = dd_json_in_int(body, "uncovered_warning_days", 0, 0, 365, &n,
				 &err)) < 0)
		return dd_res_err(req, &err);
	if (rc)
		s.uncovered_warning_days = (int)n;
	if ((rc = dd_json_in_int(body, "trailing_weeks", 0, 1, 104, &n, &err)) <
	    0)
		return dd_res_err(req, &err);
	if (rc)
		s.trailing_weeks = (int)n;
	if (read_person_id(body, "coordinator_id", &s.coordinator_id, &err) <
		    0 ||
	    read_person_id(body, "substitute_id", &s.substitute_id, &err) < 0 ||
	    read_person_id(body, "mailbox_head_id", &s.mailbox_head_id, &err) <
		    0 ||
	    read_person_id(body, "mailbox_substitute_id",
			   &s.mailbox_substitute_id, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_settings_save(&req->ctx, &req->actor, &s, &err) < 0 ||
	    dd_settings_load(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	dd_settings_to_json(&s, dd_resp_json(req, 200));
	return 0;
}

/* ---- members ---- */

static int member_one(const struct dd_rota_member *m, void *arg)
{
	dd_rota_member_to_json(m, arg);
	return 0;
}

int dd_res_members_list(struct dd_request *req)
{
	struct dd_err err;
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_rota_member_list(&req->ctx, member_one, j, &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_members_put(struct dd_request *req)
{
	static const char *const fields[] = {"in_rotation", NULL};
	int64_t id;
	int in_rotation = 1, created;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "person_id", "person", &id) < 0)
		return -1;
	/* An empty body means: in rotation. */
	if (req->body.len > 0) {
		json_t *body = dd_req_json(req);
		if (!body)
			return -1;
		if (dd_json_in_known(body, fields, &err) < 0 ||
		    dd_json_in_bool(body, "in_rotation", 0, &in_rotation,
				    &err) < 0)
			return dd_res_err(req, &err);
	}
	if (dd_rota_member_set(&req->ctx, &req->actor, id, in_rotation,
			       &created, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, created ? 201 : 204);
	return 0;
}

int dd_res_members_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "person_id", "person", &id) < 0)
		return -1;
	if (dd_rota_member_remove(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

/* ---- weeks ---- */

static int week_one(const struct dd_week_plan *w, void *arg)
{
	dd_week_to_json(w, arg);
	return 0;
}

static int week_param(struct dd_request *req, int64_t *week)
{
	if (dd_res_param_date(req, "week", week) < 0)
		return -1;
	if (dd_date_weekday(*week) != 1)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "a week is named by its Monday");
	return 0;
}

/* from/to query arguments, defaulting to [dflt_from, dflt_from+span]. */
static int range(struct dd_request *req, int64_t dflt_from, int span,
		 int64_t *from, int64_t *to)
{
	if (dd_res_query_date(req, "from", dflt_from, from) < 0 ||
	    dd_res_query_date(req, "to", *from + span, to) < 0)
		return -1;
	if (*to < *from)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is before 'from'");
	/* from and to are both included: to - from + 1 days. */
	if (*to - *from >= RANGE_DAYS_MAX)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "a range of at most %d days",
				   RANGE_DAYS_MAX);
	return 0;
}

int dd_res_weeks_list(struct dd_request *req)
{
	struct dd_err err;
	int64_t from, to;
	int64_t now_day;
	if (today(req, &now_day) < 0 ||
	    range(req, dd_date_week_start(now_day), 12 * 7, &from, &to) < 0)
		return -1;
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_week_list(&req->ctx, dd_date_week_start(from), to, week_one, j,
			 &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_weeks_get(struct dd_request *req)
{
	int64_t week;
	struct dd_week_plan w;
	struct dd_err err;
	if (week_param(req, &week) < 0)
		return -1;
	if (dd_week_get(&req->ctx, week, &w, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, w.version);
	dd_week_to_json(&w, dd_resp_json(req, 200));
	return 0;
}

int dd_res_weeks_put(struct dd_request *req)
{
	static const char *const fields[] = {"first_person_id",
					     "second_person_id", "note", NULL};
	int64_t week, version;
	long long first, second;
	const char *note = NULL;
	struct dd_week_plan w;
	struct dd_err err;
	dd_err_clear(&err);
	if (week_param(req, &week) < 0 || dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_int(body, "first_person_id", 1, 1, INT64_MAX, &first,
			   &err) < 0 ||
	    dd_json_in_int(body, "second_person_id", 1, 1, INT64_MAX, &second,
			   &err) < 0)
		return dd_res_err(req, &err);
	json_t *n = json_object_get(body, "note");
	if (n && json_is_string(n))
		note = json_string_value(n);
	else if (n && !json_is_null(n))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'note' must be a string");
	if (dd_week_set(&req->ctx, &req->actor, week, first, second, note,
			version, &w, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, w.version);
	dd_week_to_json(&w, dd_resp_json(req, 200));
	return 0;
}

int dd_res_weeks_delete(struct dd_request *req)
{
	int64_t week;
	struct dd_err err;
	if (week_param(req, &week) < 0)
		return -1;
	if (dd_week_delete(&req->ctx, &req->actor, week, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

int dd_res_weeks_publish(struct dd_request *req)
{
	int64_t week;
	struct dd_week_plan w;
	struct dd_err err;
	if (week_param(req, &week) < 0)
		return -1;
	if (dd_week_publish(&req->ctx, &req->actor, week, &w, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_etag(req, w.version);
	dd_week_to_json(&w, dd_resp_json(req, 200));
	return 0;
}

/* ---- days ---- */

void dd_res_assignment_json(struct dd_json_out *j,
			    const struct dd_assignment *a)
{
	char day[DD_DATE_TEXT_LEN];
	dd_date_format(a->day, day);
	dd_json_obj_begin(j);
	dd_json_kstr(j, "day", day);
	dd_json_kint(j, "duty_id", a->duty->id);
	dd_json_kstr(j, "duty", a->duty->name);
	dd_json_kid(j, "person_id", a->person_id);
	dd_json_kid(j, "planned_person_id", a->planned_id);
	dd_json_kstr(j, "reason",
		     a->person_id ? dd_cover_reason_name(a->reason) : NULL);
	dd_json_kbool(j, "draft", a->draft);
	dd_json_obj_end(j);
}

static int day_one(const struct dd_assignment *a, void *arg)
{
	dd_res_assignment_json(arg, a);
	return 0;
}

int dd_res_days_list(struct dd_request *req)
{
	struct dd_rota_env env;
	struct dd_err err;
	int64_t from, to;
	int64_t now_day;
	if (today(req, &now_day) < 0 ||
	    range(req, dd_date_week_start(now_day), 6, &from, &to) < 0)
		return -1;
	const char *drafts = dd_req_query(req, "drafts");
	int include_drafts = drafts && strcmp(drafts, "true") == 0;
	if (dd_rota_env_load(&req->ctx, from, to, &env, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_rota_assignments(&req->ctx, &env, from, to, include_drafts,
				day_one, j, &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_days_put(struct dd_request *req)
{
	static const char *const fields[] = {"person_id", NULL};
	int64_t day, duty_id;
	long long person;
	struct dd_rota_env env;
	struct dd_assignment a;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_res_param_date(req, "day", &day) < 0 ||
	    dd_req_param_id(req, "duty_id", "duty", &duty_id) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_int(body, "person_id", 1, 1, INT64_MAX, &person, &err) <
		    0)
		return dd_res_err(req, &err);
	if (dd_rota_env_load(&req->ctx, day, day, &env, &err) < 0)
		return dd_res_err(req, &err);
	const struct dd_duty *duty = dd_rota_env_duty(&env, duty_id);
	if (!duty)
		return dd_req_fail(req, 404, DD_PROBLEM_NOT_FOUND,
				   "no duty with id %lld", (long long)duty_id);
	if (!dd_window_open_on(&env.cal, &duty->window, day))
		return dd_req_fail(req, 409, DD_PROBLEM_CONFLICT,
				   "duty '%s' does not run on that day",
				   duty->name);
	struct dd_person p;
	if (dd_person_get(&req->ctx, person, &p, &err) < 0) {
		/* An unknown person is bad input; a failing database is
		 * not. */
		if (err.status == 404) {
			err.status = 400;
			err.type = DD_PROBLEM_VALIDATION;
		}
		return dd_res_err(req, &err);
	}
	if (!p.active)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "person %lld is not active", person);
	if (dd_store_begin(req->ctx.store, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_rota_override_add(&req->ctx, &req->actor, day, duty_id, person,
				 DD_COVER_DAY, "plan", 0, NULL, &err) < 0 ||
	    dd_store_commit(req->ctx.store, &err) < 0) {
		dd_store_rollback(req->ctx.store);
		return dd_res_err(req, &err);
	}
	if (dd_rota_assignment(&req->ctx, &env, day, duty, &a, &err) < 0)
		return dd_res_err(req, &err);
	dd_res_assignment_json(dd_resp_json(req, 200), &a);
	return 0;
}

/* ---- proposals ---- */

int dd_res_proposals_create(struct dd_request *req)
{
	static const char *const fields[] = {"weeks", "first_week", "save",
					     NULL};
	long long weeks = 12;
	const char *first_text = NULL;
	int save = 0, saved = 0;
	int64_t first;
	struct dd_rota_env env;
	struct dd_proposal p;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_json_in_int(body, "weeks", 0, 1, DD_PROPOSAL_WEEKS_MAX, &weeks,
			   &err) < 0 ||
	    dd_json_in_str(body, "first_week", 0, 10, &first_text, NULL, &err) <
		    0 ||
	    dd_json_in_bool(body, "save", 0, &save, &err) < 0)
		return dd_res_err(req, &err);
	int64_t now_day;
	if (today(req, &now_day) < 0)
		return -1;
	first = dd_date_week_start(now_day) + 7;
	if (first_text && (dd_date_parse(first_text, &first) < 0 ||
			   dd_date_weekday(first) != 1))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'first_week' must be a Monday like "
				   "2026-11-30");
	int64_t last = first + 7 * weeks - 1;
	if (dd_rota_env_load(&req->ctx, first, last, &env, &err) < 0 ||
	    dd_rota_propose(&req->ctx, &env, first, (int)weeks, &p, &err) < 0)
		return dd_res_err(req, &err);
	if (save &&
	    dd_rota_proposal_save(&req->ctx, &req->actor, &p, &saved, &err) < 0)
		return dd_res_err(req, &err);
	dd_proposal_to_json(&p, save ? saved : -1,
			    dd_resp_json(req, save ? 201 : 200));
	return 0;
}

/* ---- on call ---- */

static int oncall_answer(struct dd_request *req, int64_t at)
{
	struct dd_oncall *list;
	struct dd_err err;
	int count;
	if (dd_oncall_lookup(&req->ctx, req->ctx.oncall_cache, at, &list,
			     &count, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_ktime(j, "at", at);
	dd_json_key(j, "duties");
	dd_json_arr_begin(j);
	for (int i = 0; i < count; i++)
		dd_oncall_to_json(&list[i], j);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_oncall_now(struct dd_request *req)
{
	return oncall_answer(req, dd_ctx_now(&req->ctx));
}

int dd_res_oncall_at(struct dd_request *req)
{
	const char *at_text = dd_req_query(req, "at");
	int64_t at = dd_ctx_now(&req->ctx);
	if (at_text && dd_time_parse_rfc3339(at_text, &at) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'at' must be an RFC 3339 time like "
				   "2026-11-27T16:30:00+01:00");
	return oncall_answer(req, at);
}
