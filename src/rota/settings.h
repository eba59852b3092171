/*
 * settings.h - the organisation's settings: its time zone, workdays, core
 * hours, the rota's parameters and the people in its roles (support
 * coordinator and substitute, head of mailbox and substitute). Stored as
 * key/value rows; missing keys take the defaults below.
 */
#ifndef DD_ROTA_SETTINGS_H
#define DD_ROTA_SETTINGS_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

#define DD_DEFAULT_TIME_ZONE "Europe/Berlin"

struct dd_org_settings {
	char time_zone[64];
	unsigned workdays; /* DD_WEEKDAY_BIT set (rota/calendar.h) */
	int core_start;	   /* minutes of the day */
	int core_end;
	int uncovered_warning_days; /* warn this many days ahead */
	int trailing_weeks;	    /* the fair proposal's window */
	int64_t coordinator_id;	    /* 0 when not set */
	int64_t substitute_id;
	int64_t mailbox_head_id;
	int64_t mailbox_substitute_id;
	int64_t version; /* the newest update's time, for ETags */
};

void dd_settings_defaults(struct dd_org_settings *s);
/* Load the settings (defaults for what is not stored). */
int dd_settings_load(struct dd_ctx *ctx, struct dd_org_settings *s,
		     struct dd_err *err);
/* Check and store all settings in one transaction with an event. The time
 * zone must exist, core hours start before they end, people exist. */
int dd_settings_save(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_org_settings *s, struct dd_err *err);

void dd_settings_to_json(const struct dd_org_settings *s,
			 struct dd_json_out *j);

/* "mon,tue,wed,thu,fri" <-> a weekday mask. */
int dd_weekdays_parse(const char *text, unsigned *mask);
void dd_weekdays_format(unsigned mask, char *out, size_t cap);

#endif
