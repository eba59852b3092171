/*
 * reminder.h - the seed's safety net: while the telephone duty's window
 * is open, once an hour its holder gets the list of priority-1 alerts
 * not yet resolved (unacknowledged ones first). Immediate paging does
 * the real work; the reminder makes sure nothing is forgotten.
 *
 * An hour is claimed with a row keyed by the hour, so with several
 * instances exactly one sends it.
 */
#ifndef DD_ALERT_REMINDER_H
#define DD_ALERT_REMINDER_H

#include <stdint.h>

#include "base/ctx.h"

#define DD_REMINDER_INTERVAL_MS (60 * 60 * 1000LL)
/* A reminder lists this many alerts; more are counted, not listed. */
#define DD_REMINDER_LIST_MAX 50

/* Send this hour's reminder if it is due. *alerts (may be NULL) gets the
 * number of alerts listed, 0 when nothing was sent. 0 or -1. */
int dd_alert_remind(struct dd_ctx *ctx, int64_t now, int *alerts,
		    struct dd_err *err);

#endif
