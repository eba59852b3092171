/*
 * absence.h - absences: vacation, sick and other days a person is away,
 * entered by the person or an editor. A duty day inside an absence is
 * uncovered until someone replaces it (rota/uncovered.h); the fair
 * proposal puts nobody on duty inside one.
 *
 * An absence runs from first_day to last_day inclusive; one person's
 * absences never overlap. Cancelling keeps the row (cancelled_at) for the
 * record; a cancelled absence counts for nothing. Strings in a returned
 * struct dd_absence come from the context's arena.
 */
#ifndef DD_ROTA_ABSENCE_H
#define DD_ROTA_ABSENCE_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

enum dd_absence_kind {
	DD_ABSENCE_VACATION = 0,
	DD_ABSENCE_SICK = 1,
	DD_ABSENCE_OTHER = 2,
};

struct dd_absence {
	int64_t id;
	int64_t person_id;
	enum dd_absence_kind kind;
	int64_t first_day, last_day; /* inclusive day numbers */
	const char *note;
	int64_t created_at;
	int64_t created_by;   /* 0 when not a person */
	int64_t cancelled_at; /* 0 while in force */
};

struct dd_absence_input {
	int64_t person_id;
	enum dd_absence_kind kind;
	int64_t first_day, last_day;
	const char *note; /* NULL: none */
};

/* An absence as the pure checks see it. */
struct dd_absence_span {
	int64_t id;
	int64_t person_id;
	int64_t first_day, last_day;
	enum dd_absence_kind kind;
};

/* "vacation", "sick", "other". */
const char *dd_absence_kind_name(enum dd_absence_kind kind);
/* 0 with *kind set, -1 for an unknown name. */
int dd_absence_kind_parse(const char *name, enum dd_absence_kind *kind);

/* Pure: the span of person_id that holds day, or NULL. */
const struct dd_absence_span *
dd_absence_span_find(const struct dd_absence_span *spans, int n,
		     int64_t person_id, int64_t day);

/* Pure: the days of a new absence are in order and in range
 * (rota/change.h). 0, or -1 with a 400. */
int dd_absence_check_days(int64_t first_day, int64_t last_day, int64_t today,
			  struct dd_err *err);

/*
 * Record an absence with its event. The person must exist; the days must
 * pass dd_absence_check_days (today from the clock in the organisation's
 * zone); an absence of the same person that overlaps is refused with 409.
 * Runs its own transaction (with the rota-change lock) unless one is open,
 * then inside it.
 */
int dd_absence_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      const struct dd_absence_input *in, struct dd_absence *out,
		      struct dd_err *err);

/* 404 when there is no such absence. */
int dd_absence_get(struct dd_ctx *ctx, int64_t id, struct dd_absence *out,
		   struct dd_err *err);

/*
 * Cancel an absence (409 when it already is), with its event. Open
 * sick-cover requests it opened are cancelled too; filled ones and
 * replacements stay, because someone has agreed to take the day.
 */
int dd_absence_cancel(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, struct dd_absence *out, struct dd_err *err);

struct dd_absence_filter {
	int64_t from, to; /* overlapping [from, to]; used when has_range */
	int has_range;
	int64_t person_id; /* 0 for anyone */
	int include_cancelled;
	int64_t after_id; /* paging: ids above this */
	int limit;
};

/* Absences matching f in id order; fn returns nonzero to stop. */
int dd_absence_list(struct dd_ctx *ctx, const struct dd_absence_filter *f,
		    int (*fn)(const struct dd_absence *a, void *arg), void *arg,
		    struct dd_err *err);

/* The absences in force that overlap [from, to], into an arena array
 * (*n entries, ordered by person and first day). */
int dd_absence_spans(struct dd_ctx *ctx, int64_t from, int64_t to,
		     struct dd_absence_span **out, int *n, struct dd_err *err);

/* 1 with *absence (may be NULL) filled when person is absent on day, 0
 * when not, -1 on error. */
int dd_absence_on(struct dd_ctx *ctx, int64_t person_id, int64_t day,
		  struct dd_absence_span *absence, struct dd_err *err);

void dd_absence_to_json(const struct dd_absence *a, struct dd_json_out *j);

#endif
