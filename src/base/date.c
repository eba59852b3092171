#include "base/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t dd_date_days(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned m = (unsigned)month, d = (unsigned)day;
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void dd_date_from_days(int64_t z, int *year, int *month, int *day)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe =
		(doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)((int64_t)yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

int dd_date_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

int64_t dd_date_week_start(int64_t days)
{
	return days - (dd_date_weekday(days) - 1);
}

int dd_date_month_days(int year, int month)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	if (month == 2 &&
	    ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return mdays[(month - 1) % 12];
}

int dd_date_parse(const char *t, int64_t *days)
{
	if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)t[i]))
			return -1;
	int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 +
		(t[3] - '0');
	int m = (t[5] - '0') * 10 + (t[6] - '0');
	int d = (t[8] - '0') * 10 + (t[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > dd_date_month_days(y, m))
		return -1;
	*days = dd_date_days(y, m, d);
	return 0;
}

void dd_date_format(int64_t days, char out[DD_DATE_TEXT_LEN])
{
	int y, m, d;
	dd_date_from_days(days, &y, &m, &d);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	snprintf(out, DD_DATE_TEXT_LEN, "%04u-%02u-%02u", (unsigned)y % 10000,
		 (unsigned)m % 100, (unsigned)d % 100);
}

int dd_time_of_day_parse(const char *t, int *minutes)
{
	if (!t || strlen(t) != 5 || t[2] != ':' ||
	    !isdigit((unsigned char)t[0]) || !isdigit((unsigned char)t[1]) ||
	    !isdigit((unsigned char)t[3]) || !isdigit((unsigned char)t[4]))
		return -1;
	int h = (t[0] - '0') * 10 + (t[1] - '0');
	int m = (t[3] - '0') * 10 + (t[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

void dd_time_of_day_format(int minutes, char out[6])
{
	if (minutes < 0)
		minutes = 0;
	if (minutes > 24 * 60)
		minutes = 24 * 60;
	snprintf(out, 6, "%02u:%02u", (unsigned)(minutes / 60) % 100,
		 (unsigned)minutes % 60);
}
