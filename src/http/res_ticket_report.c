/*
 * res_ticket_report.c - GET /api/v1/reports/tickets: tickets per week by
 * channel (ticket/week_report.h), as JSON or CSV.
 */
#include "http/report_span.h"
#include "http/resources.h"
#include "ticket/week_report.h"

int dd_res_ticket_report(struct dd_request *req)
{
	struct dd_report_span span;
	struct dd_week_report r;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_report_span_read(req, &span) < 0)
		return -1;
	if (dd_week_report(&req->ctx, span.env.tz, span.from, span.to, &r,
			   &err) < 0)
		return dd_res_err(req, &err);
	if (!span.csv) {
		dd_week_report_to_json(&r, dd_resp_json(req, 200));
		return 0;
	}
	dd_report_span_csv(req, "tickets-per-week", r.first_day, r.last_day);
	dd_week_report_to_csv(&r, &req->out);
	return 0;
}
