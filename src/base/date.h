/*
 * date.h - civil dates of the proleptic Gregorian calendar as day numbers
 * (days since 1970-01-01), without any time zone. Dates are stored and
 * sent as "YYYY-MM-DD".
 */
#ifndef DD_BASE_DATE_H
#define DD_BASE_DATE_H

#include <stdint.h>

/* "2026-11-27" plus NUL. */
#define DD_DATE_TEXT_LEN 11

struct dd_civil {
	int year, month, day;	  /* 1-12, 1-31 */
	int hour, minute, second; /* 0-23, 0-59, 0-59 */
};

int64_t dd_date_days(int year, int month, int day);
void dd_date_from_days(int64_t days, int *year, int *month, int *day);
/* ISO weekday: 1 Monday ... 7 Sunday. */
int dd_date_weekday(int64_t days);
/* The Monday of the ISO week that holds days. */
int64_t dd_date_week_start(int64_t days);
/* Days in a month of a year. */
int dd_date_month_days(int year, int month);

/* Parse "YYYY-MM-DD" (a real date, years 1900-9999) into a day number.
 * 0 or -1. */
int dd_date_parse(const char *text, int64_t *days);
void dd_date_format(int64_t days, char out[DD_DATE_TEXT_LEN]);

/* Parse "HH:MM" (00:00-24:00) into minutes of the day. 0 or -1. */
int dd_time_of_day_parse(const char *text, int *minutes);
/* "HH:MM" plus NUL into out[6]. */
void dd_time_of_day_format(int minutes, char out[6]);

#endif
