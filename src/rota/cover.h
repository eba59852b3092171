/*
 * cover.h - sick today. Reporting sick records a one-day sick absence
 * and, for each duty the person holds that day, opens a cover request to
 * ranked colleagues: rota members in rotation, active, not absent and not
 * on a duty that day. The first candidate who accepts gets the day (an
 * override with reason DD_COVER_SICK, the highest precedence); an editor
 * may force anyone instead.
 *
 * First acceptance wins, also across instances: filling is a conditional
 * UPDATE ... WHERE status = 'open' inside a transaction, and whoever
 * changes no row has lost (409).
 *
 * Candidates are ranked by availability (free the day before and after
 * comes first: no duty, no absence there), then by the fewest duty days
 * over the trailing window (settings.trailing_weeks before the day), then
 * by person id, so the same rota gives the same ranking.
 */
#ifndef DD_ROTA_COVER_H
#define DD_ROTA_COVER_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "rota/absence.h"
#include "store/event.h"

enum dd_cover_status {
	DD_COVER_REQUEST_OPEN = 0,
	DD_COVER_REQUEST_FILLED = 1,
	DD_COVER_REQUEST_CANCELLED = 2,
};

/* A candidate as the ranking sees it. */
struct dd_cover_option {
	int64_t person_id;
	int busy_nearby;     /* on duty or absent the day before or after */
	int64_t recent_days; /* duty days in the trailing window */
};

struct dd_cover_candidate {
	int64_t person_id;
	const char *login; /* from the context's arena */
	const char *name;
	int rank;	     /* 1 is asked first */
	const char *answer;  /* "pending", "accepted", "declined", "too-late" */
	int64_t answered_at; /* 0 while pending */
	/* How the rank came about; only known when the request is opened
	 * (recent_days -1 otherwise). */
	int busy_nearby;
	int64_t recent_days;
};

struct dd_cover_request {
	int64_t id;
	int64_t day;
	int64_t duty_id;
	int64_t absent_id;  /* who is sick */
	int64_t absence_id; /* 0 when none */
	enum dd_cover_status status;
	int64_t filled_by; /* 0 while open */
	int forced;	   /* an editor chose */
	int64_t created_at;
	int64_t filled_at;
	int64_t version;
	struct dd_cover_candidate *candidates; /* from the arena, rank order */
	int candidate_count;
};

/* Pure: sort options by availability, recent days and person id. */
void dd_cover_rank(struct dd_cover_option *o, int n);

const char *dd_cover_status_name(enum dd_cover_status status);
/* 0 with *status set, -1 for an unknown name. */
int dd_cover_status_parse(const char *name, enum dd_cover_status *status);

struct dd_sick_report {
	struct dd_absence absence;
	struct dd_cover_request *requests; /* from the arena */
	int request_count;
};

/*
 * Report person_id sick on day, in one transaction: the sick absence
 * (409 when the person is already absent that day) and a cover request
 * for each duty they hold that day, with its candidates and events. The
 * person must exist and be active (400); day must be in range (400).
 */
int dd_sick_report(struct dd_ctx *ctx, const struct dd_actor *actor,
		   int64_t person_id, int64_t day, struct dd_sick_report *out,
		   struct dd_err *err);

/* The request with its candidates; 404 when there is none. */
int dd_cover_get(struct dd_ctx *ctx, int64_t id, struct dd_cover_request *out,
		 struct dd_err *err);

struct dd_cover_filter {
	int has_status;
	enum dd_cover_status status;
	int64_t after_id; /* paging: ids above this */
	int limit;
};

/* Requests matching f in id order, each with its candidates; fn returns
 * nonzero to stop. */
int dd_cover_list(struct dd_ctx *ctx, const struct dd_cover_filter *f,
		  int (*fn)(const struct dd_cover_request *r, void *arg),
		  void *arg, struct dd_err *err);

/*
 * person_id, a candidate (403 otherwise), takes the open request (409
 * when it is filled or cancelled, also when another acceptance got there
 * first). They must still be free that day: not absent, not on another
 * duty (409). Writes the sick-cover override, marks the other pending
 * candidates too late, with the event. out gets the request after.
 */
int dd_cover_accept(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, int64_t person_id, struct dd_cover_request *out,
		    struct dd_err *err);

/* A candidate says no (403 for anyone else, 409 when the request is not
 * open or they have accepted). */
int dd_cover_decline(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, int64_t person_id,
		     struct dd_cover_request *out, struct dd_err *err);

/* An editor forces person_id (any active person who is free that day,
 * candidate or not) onto the open request. */
int dd_cover_assign(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, int64_t person_id, struct dd_cover_request *out,
		    struct dd_err *err);

void dd_cover_to_json(const struct dd_cover_request *r, struct dd_json_out *j);

#endif
