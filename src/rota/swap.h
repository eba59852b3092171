/*
 * swap.h - swap requests: a person asks a colleague to take one of their
 * duty days, or to exchange it for one of the colleague's days. The
 * colleague accepts or declines; the requester may cancel while the
 * request is open. An accepted swap writes overrides with reason
 * DD_COVER_SWAP (rota/plan.h has the precedence) and records the event
 * "swap.accepted" that tells the coordinator and the substitute.
 *
 * Who may act (the requester, the colleague, an editor for anyone) is
 * decided by the caller; these functions check the rota: only the holder
 * of a day may give it away, nobody may end up on two duties of one day,
 * and nobody may take a day inside their absence.
 */
#ifndef DD_ROTA_SWAP_H
#define DD_ROTA_SWAP_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

enum dd_swap_status {
	DD_SWAP_OPEN = 0,
	DD_SWAP_ACCEPTED = 1,
	DD_SWAP_DECLINED = 2,
	DD_SWAP_CANCELLED = 3,
};

struct dd_swap {
	int64_t id;
	int64_t requester_id;
	int64_t colleague_id;
	int64_t day;
	int64_t duty_id;
	int has_other; /* an exchange: other_day/other_duty_id are set */
	int64_t other_day;
	int64_t other_duty_id;
	enum dd_swap_status status;
	const char *note; /* from the context's arena */
	int64_t created_at;
	int64_t decided_at; /* 0 while open */
};

struct dd_swap_input {
	int64_t requester_id;
	int64_t colleague_id;
	int64_t day;
	int64_t duty_id;
	int has_other;
	int64_t other_day;
	int64_t other_duty_id;
	const char *note; /* NULL: none */
};

/* One duty on one day and who holds it. */
struct dd_slot {
	int64_t day;
	int64_t duty_id;
	int64_t person_id; /* 0: nobody */
};

/* Pure: 1 when someone holds two slots of one day (*person_id and *day
 * set), else 0. */
int dd_slots_double_booked(const struct dd_slot *slots, int n,
			   int64_t *person_id, int64_t *day);

const char *dd_swap_status_name(enum dd_swap_status status);
/* 0 with *status set, -1 for an unknown name. */
int dd_swap_status_parse(const char *name, enum dd_swap_status *status);

/*
 * Open a request, with its event. Both days must be today or later, in
 * range (400) and duty days of their duties (409); the two people must
 * differ, exist and be active (400). The requester must hold the day and,
 * for an exchange, the colleague the other day (409); the colleague must
 * not be absent on the day nor the requester on the other day, nobody may
 * end up on two duties of a day, and the requester may have only one open
 * request for a day and duty (409). When the actor is the requester the
 * message says "you do not hold ...".
 */
int dd_swap_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const struct dd_swap_input *in, struct dd_swap *out,
		   struct dd_err *err);

/* 404 when there is no such request. */
int dd_swap_get(struct dd_ctx *ctx, int64_t id, struct dd_swap *out,
		struct dd_err *err);

/*
 * Accept an open request (409 otherwise): checks again that the requester
 * (and, for an exchange, the colleague) still holds the day, then in one
 * transaction writes the overrides, marks it accepted and records
 * "swap.accepted" whose after-JSON names the coordinator and substitute
 * to notify.
 */
int dd_swap_accept(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_swap *out, struct dd_err *err);
/* Decline or cancel an open request (409 otherwise), with the event. */
int dd_swap_decline(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_swap *out, struct dd_err *err);
int dd_swap_cancel(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_swap *out, struct dd_err *err);

struct dd_swap_filter {
	int has_status;
	enum dd_swap_status status;
	int64_t person_id; /* requester or colleague; 0 for anyone */
	int64_t after_id;  /* paging: ids above this */
	int limit;
};

/* Requests matching f in id order; fn returns nonzero to stop. */
int dd_swap_list(struct dd_ctx *ctx, const struct dd_swap_filter *f,
		 int (*fn)(const struct dd_swap *s, void *arg), void *arg,
		 struct dd_err *err);

void dd_swap_to_json(const struct dd_swap *s, struct dd_json_out *j);

#endif
