/*
 * res_p1_report.c - GET /api/v1/reports/p1: priority-1 alerts per week
 * with the median and longest time to acknowledge and to resolve
 * (alert/p1_report.h), as JSON or CSV.
 */
#include "alert/p1_report.h"
#include "http/report_span.h"
#include "http/resources.h"

int dd_res_p1_report(struct dd_request *req)
{
	struct dd_report_span span;
	struct dd_p1_report r;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_report_span_read(req, &span) < 0)
		return -1;
	if (dd_p1_report(&req->ctx, span.env.tz, span.from, span.to, &r,
			 &err) < 0)
		return dd_res_err(req, &err);
	if (!span.csv) {
		dd_p1_report_to_json(&r, dd_resp_json(req, 200));
		return 0;
	}
	dd_report_span_csv(req, "p1-per-week", r.first_day, r.last_day);
	dd_p1_report_to_csv(&r, &req->out);
	return 0;
}
