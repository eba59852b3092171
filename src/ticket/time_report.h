/*
 * time_report.h - time accounting: the minutes worked on articles in a
 * span of time, summed per ticket, per customer organisation (of the
 * ticket) or per person (the article's author).
 *
 * An article counts in the span its created_at falls in; articles
 * without minutes do not count. A merged ticket's articles count on the
 * ticket they were moved to. Strings come from the context's arena.
 */
#ifndef DD_TICKET_TIME_REPORT_H
#define DD_TICKET_TIME_REPORT_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"

enum dd_time_group {
	DD_TIME_BY_TICKET,
	DD_TIME_BY_ORGANISATION,
	DD_TIME_BY_PERSON,
};

struct dd_time_row {
	int64_t id;	   /* ticket, organisation or person; 0: none */
	int64_t number;	   /* the ticket's number (by ticket only) */
	const char *label; /* subject, organisation or person name */
	int64_t minutes;
	int64_t articles; /* articles with minutes */
};

struct dd_time_report {
	enum dd_time_group group;
	int64_t from_ms, to_ms;	       /* [from, to) */
	const char *from_day, *to_day; /* as asked, for the output */
	struct dd_time_row *rows;      /* most minutes first */
	int count;
	int truncated; /* more than DD_LIMIT_REPORT_ROWS groups */
	int64_t total_minutes;
	int64_t total_articles;
};

/* "ticket", "organisation", "person": 0 with *group set, else -1. */
int dd_time_group_parse(const char *name, enum dd_time_group *group);
const char *dd_time_group_name(enum dd_time_group group);

/* Sum [from_ms, to_ms) grouped by group into r (rows from the arena).
 * Returns 0 or -1 with err filled. */
int dd_time_report(struct dd_ctx *ctx, enum dd_time_group group,
		   int64_t from_ms, int64_t to_ms, struct dd_time_report *r,
		   struct dd_err *err);

void dd_time_report_to_json(const struct dd_time_report *r,
			    struct dd_json_out *j);
/* CSV with a header row; minutes as a number and as hours (h:mm). */
void dd_time_report_to_csv(const struct dd_time_report *r, struct dd_buf *out);

#endif
