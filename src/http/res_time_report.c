/*
 * res_time_report.c - time accounting: minutes worked on articles per
 * ticket, organisation or person, as JSON or CSV.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/tz.h"
#include "http/resources.h"
#include "rota/env.h"
#include "ticket/time_report.h"

int dd_res_time_report(struct dd_request *req)
{
	const char *format = dd_req_query(req, "format");
	const char *group_name = dd_req_query(req, "group_by");
	struct dd_time_report r;
	struct dd_rota_env env;
	struct dd_err err;
	enum dd_time_group group = DD_TIME_BY_TICKET;
	int64_t from, to;
	int csv = 0, y, m, d;
	dd_err_clear(&err);
	if (format && strcmp(format, "csv") == 0)
		csv = 1;
	else if (format && strcmp(format, "json") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'format' must be json or csv");
	if (group_name && dd_time_group_parse(group_name, &group) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'group_by' must be ticket, organisation or "
				   "person");
	/* Days are the organisation's: from its time zone's midnight. */
	if (dd_rota_env_load(&req->ctx, 0, 0, &env, &err) < 0)
		return dd_res_err(req, &err);
	int64_t today = dd_rota_env_today(&env, dd_ctx_now(&req->ctx));
	dd_date_from_days(today, &y, &m, &d);
	if (dd_res_query_date(req, "from", dd_date_days(y, m, 1), &from) < 0 ||
	    dd_res_query_date(req, "to", today, &to) < 0)
		return -1;
	if (to < from)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is before 'from'");
	if (to - from >= DD_LIMIT_REPORT_DAYS)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "a report spans at most %d days",
				   DD_LIMIT_REPORT_DAYS);
	/* to is included: the span ends at the next day's midnight. */
	int64_t from_ms = dd_tz_local_to_utc(env.tz, from, 0) * 1000;
	int64_t to_ms = dd_tz_local_to_utc(env.tz, to + 1, 0) * 1000;
	if (dd_time_report(&req->ctx, group, from_ms, to_ms, &r, &err) < 0)
		return dd_res_err(req, &err);
	char from_text[DD_DATE_TEXT_LEN], to_text[DD_DATE_TEXT_LEN];
	dd_date_format(from, from_text);
	dd_date_format(to, to_text);
	r.from_day = from_text;
	r.to_day = to_text;
	if (!csv) {
		dd_time_report_to_json(&r, dd_resp_json(req, 200));
		return 0;
	}
	char disposition[96];
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"time-%s-%s-%s.csv\"",
		 dd_time_group_name(group), from_text, to_text);
	dd_resp_text(req, 200, "text/csv; charset=utf-8", "");
	dd_resp_header(req, "Content-Disposition", disposition);
	dd_time_report_to_csv(&r, &req->out);
	return 0;
}
