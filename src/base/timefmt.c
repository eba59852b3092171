#include "base/timefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no time zone state is touched. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe =
		(doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void dd_time_format_rfc3339(int64_t ms, char out[DD_TIME_RFC3339_LEN])
{
	int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int frac = (int)(ms - secs * 1000);
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t rem = secs - days * 86400;
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	/* RFC 3339 has four-digit years; instants outside are clamped. */
	int year = y < 0 ? 0 : y > 9999 ? 9999 : (int)y;
	snprintf(out, DD_TIME_RFC3339_LEN,
		 "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", year, m % 100, d % 100,
		 (unsigned)(rem / 3600) % 100, (unsigned)(rem / 60 % 60) % 100,
		 (unsigned)(rem % 60) % 100, (unsigned)frac % 1000);
}

static int digits(const char **p, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return 0;
}

int dd_time_parse_rfc3339(const char *text, int64_t *ms)
{
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0, frac_ms = 0;
	if (!p || digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    digits(&p, 2, &mo) < 0 || *p++ != '-' || digits(&p, 2, &d) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
		return -1;
	int64_t offset_s = 0;
	if (*p != '\0') {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		p++;
		if (digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    digits(&p, 2, &mi) < 0 || *p++ != ':' ||
		    digits(&p, 2, &s) < 0)
			return -1;
		if (h > 23 || mi > 59 || s > 60)
			return -1;
		if (*p == '.') {
			p++;
			int scale = 100, n = 0;
			while (isdigit((unsigned char)*p)) {
				frac_ms += (*p - '0') * scale;
				scale /= 10;
				p++;
				n++;
			}
			if (n == 0)
				return -1;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om;
			p++;
			if (digits(&p, 2, &oh) < 0 || *p++ != ':' ||
			    digits(&p, 2, &om) < 0 || oh > 23 || om > 59)
				return -1;
			offset_s = sign * (oh * 3600 + om * 60);
		} else {
			return -1;
		}
		if (*p != '\0')
			return -1;
	}
	int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		       h * 3600 + mi * 60 + (s == 60 ? 59 : s) - offset_s;
	*ms = secs * 1000 + frac_ms;
	return 0;
}
