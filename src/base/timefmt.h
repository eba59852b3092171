/*
 * timefmt.h - instants as text. An instant is int64 milliseconds since
 * the Unix epoch, UTC; on the wire it is RFC 3339.
 */
#ifndef DD_BASE_TIMEFMT_H
#define DD_BASE_TIMEFMT_H

#include <stdint.h>

/* "2026-11-27T08:15:00.123Z" plus NUL. */
#define DD_TIME_RFC3339_LEN 32

/* Format ms as RFC 3339 UTC with milliseconds into out. */
void dd_time_format_rfc3339(int64_t ms, char out[DD_TIME_RFC3339_LEN]);

/* Parse RFC 3339 ("2026-11-27T08:15:00Z", fractional seconds and numeric
 * offsets allowed; a bare date "2026-11-27" is midnight UTC). Returns 0
 * with *ms set, -1 when text is not such a time. */
int dd_time_parse_rfc3339(const char *text, int64_t *ms);

#endif
