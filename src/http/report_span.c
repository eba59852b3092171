#include "http/report_span.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "http/resources.h"

/* The default span: this week and the eleven before it. */
#define DEFAULT_WEEKS 12

int dd_report_span_read(struct dd_request *req, struct dd_report_span *span)
{
	const char *format = dd_req_query(req, "format");
	struct dd_err err;
	dd_err_clear(&err);
	memset(span, 0, sizeof(*span));
	if (format && strcmp(format, "csv") == 0)
		span->csv = 1;
	else if (format && strcmp(format, "json") != 0)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'format' must be json or csv");
	/* Weeks are the organisation's: from its time zone's midnights. */
	if (dd_rota_env_load(&req->ctx, 0, 0, &span->env, &err) < 0)
		return dd_res_err(req, &err);
	int64_t today = dd_rota_env_today(&span->env, dd_ctx_now(&req->ctx));
	if (dd_res_query_date(req, "to", today, &span->to) < 0 ||
	    dd_res_query_date(req, "from",
			      dd_date_week_start(span->to) -
				      7 * (DEFAULT_WEEKS - 1),
			      &span->from) < 0)
		return -1;
	if (span->to < span->from)
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is before 'from'");
	if (span->to - span->from >= DD_LIMIT_REPORT_DAYS)
		return dd_req_fail(req, 400, DD_PROBLEM_LIMIT,
				   "a report spans at most %d days",
				   DD_LIMIT_REPORT_DAYS);
	/* Whole weeks: the last one ends on a Sunday, which must be a date
	 * (years up to 9999). */
	if (dd_date_week_start(span->to) + 6 > dd_date_days(9999, 12, 31))
		return dd_req_fail(req, 400, DD_PROBLEM_VALIDATION,
				   "'to' is too far ahead");
	return 0;
}

void dd_report_span_csv(struct dd_request *req, const char *name,
			int64_t first, int64_t last)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN], disposition[128];
	dd_date_format(first, a);
	dd_date_format(last, b);
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"%s-%s-%s.csv\"", name, a, b);
	dd_resp_text(req, 200, "text/csv; charset=utf-8", "");
	dd_resp_header(req, "Content-Disposition", disposition);
}
