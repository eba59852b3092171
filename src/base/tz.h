/*
 * tz.h - a time zone from the system tz database (TZif files, RFC 8536),
 * for turning civil times such as "16:00 in Europe/Berlin" into instants
 * and back, correctly across daylight-saving changes.
 *
 * A loaded zone is immutable: share it between threads freely. Nothing
 * here touches the process's TZ or the C library's time zone state.
 */
#ifndef DD_BASE_TZ_H
#define DD_BASE_TZ_H

#include <pthread.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

struct dd_tz;

/* Load zone name ("Europe/Berlin", "UTC") from $TZDIR or
 * /usr/share/zoneinfo. 0 with *out set (free with dd_tz_free), or -1 with
 * a 400 for an unknown or malformed name. */
int dd_tz_load(const char *name, struct dd_tz **out, struct dd_err *err);
void dd_tz_free(struct dd_tz *tz);
const char *dd_tz_name(const struct dd_tz *tz);

/* Seconds east of UTC in force at instant t (seconds since the epoch). */
int dd_tz_offset_at(const struct dd_tz *tz, int64_t t);

/* The instant (seconds) of local civil time day (a day number) plus
 * seconds_of_day. In a spring-forward gap the time is moved forward by the
 * gap (02:30 becomes 03:30); in an autumn overlap the earlier instant is
 * taken. */
int64_t dd_tz_local_to_utc(const struct dd_tz *tz, int64_t day,
			   int seconds_of_day);

/* Local civil time of instant t. */
void dd_tz_utc_to_local(const struct dd_tz *tz, int64_t t,
			struct dd_civil *out);
/* The local day number of instant t. */
int64_t dd_tz_local_day(const struct dd_tz *tz, int64_t t);

/* Parse a POSIX TZ rule string such as "CET-1CEST,M3.5.0,M10.5.0/3" into
 * a zone without a transition table (used for the TZif footer and by
 * tests). */
int dd_tz_from_posix(const char *name, const char *rule, struct dd_tz **out,
		     struct dd_err *err);

/*
 * A process's loaded zones, shared by every thread: reading a zone file
 * per request would cost a file read on every on-call lookup. Zones stay
 * loaded until the cache is released.
 */
#define DD_TZ_CACHE_ZONES 16

struct dd_tz_cache {
	pthread_mutex_t lock;
	int count;
	struct dd_tz *zones[DD_TZ_CACHE_ZONES];
};

void dd_tz_cache_init(struct dd_tz_cache *cache);
void dd_tz_cache_release(struct dd_tz_cache *cache);
/* The zone named name, loaded on first use; valid until the cache is
 * released. 0, or -1 with a 400 for an unknown name. */
int dd_tz_cache_get(struct dd_tz_cache *cache, const char *name,
		    const struct dd_tz **out, struct dd_err *err);

#endif
