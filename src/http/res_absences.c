/*
 * res_absences.c - absences, uncovered duty days and replacements.
 *
 * The routes are open to viewers because people enter their own
 * absences and volunteer themselves; acting for someone else needs the
 * editor role, which the handlers check (dd_res_self_or_editor).
 */
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "rota/absence.h"
#include "rota/assign.h"
#include "rota/env.h"
#include "rota/uncovered.h"

/* The most days one uncovered-days question may span (a year and a
 * bit, as for the rota's days). */
#define RANGE_DAYS_MAX 400
/* Uncovered days listed without ?to: four weeks. */
#define UNCOVERED_DEFAULT_DAYS 28

int dd_res_self_or_editor(struct dd_request *req, int64_t person_id)
{
	if (person_id == req->who.person_id || req->who.role >= DD_ROLE_EDITOR)
		return 0;
	return dd_req_fail(req, 403, DD_PROBLEM_FORBIDDEN,
			   "only an editor may act for another person (%lld)",
			   (long long)person_id);
}

int dd_res_body_none(struct dd_request *req)
{
	static const char *const none[] = {NULL};
	struct dd_err err;
	if (req->body.len == 0)
		return 0;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	dd_err_clear(&err);
	if (dd_json_in_known(body, none, &err) < 0)
		return dd_res_err(req, &err);
	return 0;
}

int dd_res_read_day(json_t *body, const char *key, int required, int64_t *day,
		    struct dd_err *err)
{
	const char *text;
	int rc = dd_json_in_str(body, key, required, 10, &text, NULL, err);
	if (rc <= 0)
		return rc;
	if (dd_date_parse(text, day) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be a date like 2026-11-27", key);
	return 1;
}

int dd_res_read_id(json_t *body, const char *key, int required, int64_t *id,
		   struct dd_err *err)
{
	long long n;
	int rc = dd_json_in_int(body, key, required, 1, INT64_MAX, &n, err);
	if (rc > 0)
		*id = n;
	return rc;
}

/* A positive id query argument: 0 (absent leaves *id 0), or -1. */
int dd_res_query_id(struct dd_request *req, const char *name, int64_t *id)
{
	const char *v = dd_req_query(req, name);
	*id = 0;
	if (!v)
		return 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n < 1 || n == LLONG_MAX)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'%s' must be a positive number", name);
	*id = n;
	return 0;
}

static int64_t today(struct dd_request *req)
{
	struct dd_err err;
	int64_t day;
	if (dd_rota_today(&req->ctx, &day, &err) < 0) {
		dd_res_err(req, &err);
		return INT64_MIN;
	}
	return day;
}

/* ---- absences ---- */

struct list_state {
	struct dd_json_out *j;
	int count;
	int64_t last_id;
};

static int absence_one(const struct dd_absence *a, void *arg)
{
	struct list_state *st = arg;
	dd_absence_to_json(a, st->j);
	st->count++;
	st->last_id = a->id;
	return 0;
}

int dd_res_absences_list(struct dd_request *req)
{
	struct dd_absence_filter f = {0};
	struct dd_err err;
	const char *from = dd_req_query(req, "from");
	const char *to = dd_req_query(req, "to");
	const char *cancelled = dd_req_query(req, "include_cancelled");
	if (dd_req_paging(req, &f.limit, &f.after_id) < 0 ||
	    dd_res_query_id(req, "person_id", &f.person_id) < 0 ||
	    dd_res_query_date(req, "from", 0, &f.from) < 0 ||
	    dd_res_query_date(req, "to", dd_date_days(9999, 12, 31), &f.to) < 0)
		return -1;
	if (cancelled && strcmp(cancelled, "true") != 0 &&
	    strcmp(cancelled, "false") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'include_cancelled' must be true or false");
	f.include_cancelled = cancelled && strcmp(cancelled, "true") == 0;
	f.has_range = from || to;
	if (f.to < f.from)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is before 'from'");
	struct list_state st = {.j = dd_resp_json(req, 200)};
	dd_json_obj_begin(st.j);
	dd_json_key(st.j, "items");
	dd_json_arr_begin(st.j);
	if (dd_absence_list(&req->ctx, &f, absence_one, &st, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_list_end(req, st.count, f.limit, st.last_id);
	return 0;
}

int dd_res_absences_create(struct dd_request *req)
{
	static const char *const fields[] = {"person_id", "kind", "first_day",
					     "last_day",  "note", NULL};
	struct dd_absence_input in = {.person_id = req->who.person_id};
	struct dd_absence a;
	struct dd_err err;
	const char *kind;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_res_read_id(body, "person_id", 0, &in.person_id, &err) < 0 ||
	    dd_json_in_str(body, "kind", 1, 16, &kind, NULL, &err) < 0 ||
	    dd_res_read_day(body, "first_day", 1, &in.first_day, &err) < 0 ||
	    dd_res_read_day(body, "last_day", 1, &in.last_day, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_absence_kind_parse(kind, &in.kind) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'kind' must be vacation, sick or other");
	json_t *n = json_object_get(body, "note");
	if (n && json_is_string(n))
		in.note = json_string_value(n);
	else if (n && !json_is_null(n))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'note' must be a string");
	if (dd_res_self_or_editor(req, in.person_id) < 0)
		return -1;
	if (dd_absence_create(&req->ctx, &req->actor, &in, &a, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/absences/%lld",
		 (long long)a.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	dd_absence_to_json(&a, dd_resp_json(req, 201));
	return 0;
}

int dd_res_absences_get(struct dd_request *req)
{
	int64_t id;
	struct dd_absence a;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "absence", &id) < 0)
		return -1;
	if (dd_absence_get(&req->ctx, id, &a, &err) < 0)
		return dd_res_err(req, &err);
	dd_absence_to_json(&a, dd_resp_json(req, 200));
	return 0;
}

int dd_res_absences_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_absence a;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "absence", &id) < 0)
		return -1;
	if (dd_absence_get(&req->ctx, id, &a, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_res_self_or_editor(req, a.person_id) < 0)
		return -1;
	if (dd_absence_cancel(&req->ctx, &req->actor, id, &a, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}

/* ---- uncovered days ---- */

static int uncovered_one(const struct dd_uncovered *u, void *arg)
{
	dd_uncovered_to_json(u, arg);
	return 0;
}

int dd_res_uncovered_list(struct dd_request *req)
{
	struct dd_rota_env env;
	struct dd_err err;
	int64_t from, to, now_day = today(req);
	if (now_day == INT64_MIN)
		return -1;
	if (dd_res_query_date(req, "from", now_day, &from) < 0 ||
	    dd_res_query_date(req, "to", from + UNCOVERED_DEFAULT_DAYS - 1,
			      &to) < 0)
		return -1;
	if (to < from)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is before 'from'");
	if (to - from > RANGE_DAYS_MAX)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "a range of at most %d days",
				   RANGE_DAYS_MAX);
	if (dd_rota_env_load(&req->ctx, from, to, &env, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	if (dd_uncovered_list(&req->ctx, &env, from, to, uncovered_one, j,
			      &err) < 0)
		return dd_res_err(req, &err);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_uncovered_check(struct dd_request *req)
{
	struct dd_org_settings s;
	struct dd_err err;
	struct dd_buf items;
	struct dd_json_out ij;
	int total, warned;
	if (dd_res_body_none(req) < 0)
		return -1;
	if (dd_settings_load(&req->ctx, &s, &err) < 0)
		return dd_res_err(req, &err);
	/* The new warnings are gathered apart: the counts come first. */
	dd_buf_init(&items, DD_LIMIT_RESPONSE_BYTES);
	dd_json_out_init(&ij, &items);
	dd_json_arr_begin(&ij);
	int rc =
		dd_uncovered_warn(&req->ctx, &req->actor, dd_ctx_now(&req->ctx),
				  uncovered_one, &ij, &total, &warned, &err);
	dd_json_arr_end(&ij);
	if (rc < 0) {
		dd_buf_release(&items);
		return dd_res_err(req, &err);
	}
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_kint(j, "horizon_days", s.uncovered_warning_days);
	dd_json_kint(j, "uncovered", total);
	dd_json_kint(j, "warned", warned);
	dd_json_key(j, "items");
	dd_json_raw(j, dd_buf_str(&items));
	dd_json_obj_end(j);
	dd_buf_release(&items);
	return 0;
}

/* ---- replacements ---- */

int dd_res_replacements_create(struct dd_request *req)
{
	static const char *const fields[] = {"day", "duty_id", "person_id",
					     NULL};
	int64_t day = 0, duty_id = 0, person_id = req->who.person_id;
	struct dd_assignment a;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (dd_json_in_known(body, fields, &err) < 0 ||
	    dd_res_read_day(body, "day", 1, &day, &err) < 0 ||
	    dd_res_read_id(body, "duty_id", 1, &duty_id, &err) < 0 ||
	    dd_res_read_id(body, "person_id", 0, &person_id, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_res_self_or_editor(req, person_id) < 0)
		return -1;
	int editor = req->who.role >= DD_ROLE_EDITOR;
	if (dd_replacement_set(&req->ctx, &req->actor, day, duty_id, person_id,
			       editor, &a, &err) < 0)
		return dd_res_err(req, &err);
	dd_res_assignment_json(dd_resp_json(req, 201), &a);
	return 0;
}
