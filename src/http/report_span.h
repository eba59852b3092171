/*
 * report_span.h - what the weekly reports (/api/v1/reports/tickets,
 * /api/v1/reports/p1) read from a request alike: ?format=json|csv and the
 * days ?from= and ?to= (default: this week and the eleven before it, in
 * the organisation's time zone), and the CSV answer's headers.
 */
#ifndef DD_HTTP_REPORT_SPAN_H
#define DD_HTTP_REPORT_SPAN_H

#include <stdint.h>

#include "http/request.h"
#include "rota/env.h"

struct dd_report_span {
	struct dd_rota_env env; /* the organisation's zone and calendar */
	int64_t from, to;	/* day numbers, from <= to */
	int csv;		/* ?format=csv */
};

/* Read and check the span. 0, or -1 with the request's 400 problem set. */
int dd_report_span_read(struct dd_request *req, struct dd_report_span *span);

/* Start a CSV answer named "NAME-FIRST-LAST.csv" (first and last are day
 * numbers); the caller writes the rows into req->out. */
void dd_report_span_csv(struct dd_request *req, const char *name,
			int64_t first, int64_t last);

#endif
