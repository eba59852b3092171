/*
 * phone_route.h - where the support line rings now: the person on
 * telephone duty while its window is open, the answering machine
 * otherwise (the seed: "after 18:00 the phone goes to the answering
 * machine"). The PBX asks GET /api/v1/phone/route for every call.
 */
#ifndef DD_ALERT_PHONE_ROUTE_H
#define DD_ALERT_PHONE_ROUTE_H

#include <stdint.h>

#include "base/ctx.h"
#include "rota/oncall.h"

struct dd_phone_route {
	int dial;	    /* 1: dial number; 0: voicemail */
	const char *number; /* E.164, when dialling */
	int64_t person_id;
	const char *name, *login;
	int64_t duty_id; /* the telephone duty; 0 when there is none */
	const char *duty;
	int64_t until; /* dialling: the window's end */
	/* Why voicemail: "window closed", "nobody on duty", "no phone
	 * number", "no telephone duty" (static). */
	const char *reason;
};

/*
 * The decision, pure: duty_id names the duty to route to, 0 for the
 * telephone duty (the first duty that does not take priority-1 pages,
 * else the first duty). Dial the holder's phone while the window is
 * open; voicemail otherwise.
 */
void dd_phone_route_decide(const struct dd_oncall *list, int n, int64_t duty_id,
			   struct dd_phone_route *out);

/* The route at instant at, through the server's on-call cache. 404 when
 * duty_id names no duty. */
int dd_phone_route_at(struct dd_ctx *ctx, int64_t at, int64_t duty_id,
		      struct dd_phone_route *out, struct dd_err *err);

#endif
