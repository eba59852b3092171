/*
 * res_reports.c - reports on the rota: duty hours per person and month
 * (JSON or CSV) and the jour-fixe report.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "http/resources.h"
#include "rota/env.h"
#include "rota/hours.h"
#include "rota/jourfixe.h"

int dd_res_rota_hours(struct dd_request *req)
{
	const char *month = dd_req_query(req, "month");
	const char *format = dd_req_query(req, "format");
	struct dd_hours_report r;
	struct dd_err err;
	int year, mon, csv = 0;
	if (!month)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'month' is required, like 2026-11");
	if (dd_hours_month_parse(month, &year, &mon) < 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'month' must be a month like 2026-11");
	if (format && strcmp(format, "csv") == 0)
		csv = 1;
	else if (format && strcmp(format, "json") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'format' must be json or csv");
	if (dd_hours_month(&req->ctx, year, mon, &r, &err) < 0)
		return dd_res_err(req, &err);
	if (!csv) {
		dd_hours_to_json(&r, dd_resp_json(req, 200));
		return 0;
	}
	char disposition[80];
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"duty-hours-%04d-%02d.csv\"", year,
		 mon);
	dd_resp_text(req, 200, "text/csv; charset=utf-8", "");
	dd_resp_header(req, "Content-Disposition", disposition);
	dd_hours_to_csv(&r, &req->out);
	return 0;
}

int dd_res_rota_jourfixe(struct dd_request *req)
{
	struct dd_jourfixe r;
	struct dd_err err;
	int64_t day;
	int64_t now_day;
	if (dd_rota_today(&req->ctx, &now_day, &err) < 0)
		return dd_res_err(req, &err);
	if (dd_res_query_date(req, "week", now_day, &day) < 0)
		return -1;
	/* The report reaches five weeks past the week's Monday; dates end
	 * with the year 9999. */
	if (dd_date_week_start(day) + 7 * (DD_JOURFIXE_AHEAD_WEEKS + 1) >
	    dd_date_days(9999, 12, 31))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'week' is too far ahead");
	if (dd_jourfixe_build(&req->ctx, day, &r, &err) < 0)
		return dd_res_err(req, &err);
	dd_jourfixe_to_json(&r, dd_resp_json(req, 200));
	return 0;
}
