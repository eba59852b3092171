/*
 * res_ticket_report.c - GET /api/v1/reports/tickets: tickets per week by
 * channel (ticket/week_report.h), as JSON or CSV.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "http/resources.h"
#include "rota/env.h"
#include "ticket/week_report.h"

/* The default span: this week and the eleven before it. */
#define DEFAULT_WEEKS 12

int dd_res_ticket_report(struct dd_request *req)
{
	const char *format = dd_req_query(req, "format");
	struct dd_week_report r;
	struct dd_rota_env env;
	struct dd_err err;
	int64_t from, to;
	int csv = 0;
	dd_err_clear(&err);
	if (format && strcmp(format, "csv") == 0)
		csv = 1;
	else if (format && strcmp(format, "json") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'format' must be json or csv");
	/* Weeks are the organisation's: from its time zone's midnights. */
	if (dd_rota_env_load(&req->ctx, 0, 0, &env, &err) < 0)
		return dd_res_err(req, &err);
	int64_t today = dd_rota_env_today(&env, dd_ctx_now(&req->ctx));
	if (dd_res_query_date(req, "to", today, &to) < 0 ||
	    dd_res_query_date(req, "from",
			      dd_date_week_start(to) - 7 * (DEFAULT_WEEKS - 1),
			      &from) < 0)
		return -1;
	if (to < from)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is before 'from'");
	if (to - from >= DD_LIMIT_REPORT_DAYS)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "a report spans at most %d days",
				   DD_LIMIT_REPORT_DAYS);
	/* Whole weeks: the last one ends on a Sunday, which must be a date
	 * (years up to 9999). */
	if (dd_date_week_start(to) + 6 > dd_date_days(9999, 12, 31))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is too far ahead");
	if (dd_week_report(&req->ctx, env.tz, from, to, &r, &err) < 0)
		return dd_res_err(req, &err);
	if (!csv) {
		dd_week_report_to_json(&r, dd_resp_json(req, 200));
		return 0;
	}
	char first[DD_DATE_TEXT_LEN], last[DD_DATE_TEXT_LEN];
	char disposition[96];
	dd_date_format(r.first_day, first);
	dd_date_format(r.last_day, last);
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"tickets-per-week-%s-%s.csv\"", first,
		 last);
	dd_resp_text(req, 200, "text/csv; charset=utf-8", "");
	dd_resp_header(req, "Content-Disposition", disposition);
	dd_week_report_to_csv(&r, &req->out);
	return 0;
}
