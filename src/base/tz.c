#include "base/tz.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A zone file larger than this is not a TZif file we trust. */
#define TZ_FILE_MAX (256 * 1024)

/* A POSIX TZ date rule: Mm.w.d, Jn or n, at a time of day. */
struct tz_rule_date {
	char kind; /* 'M', 'J' or 'N' */
	int month, week, weekday, day;
	int time; /* seconds after local midnight; may be negative or > 24h */
};

struct tz_posix {
	int std_off; /* seconds east of UTC */
	int dst_off;
	int has_dst;
	struct tz_rule_date start, end;
};

struct dd_tz {
	char name[64];
	int count;	 /* transitions */
	int64_t *times;	 /* ascending instants */
	int *offsets;	 /* offset in force from times[i] */
	int initial_off; /* before the first transition */
	int has_footer;
	struct tz_posix footer;
};

/* ---- POSIX TZ strings ---- */

static const char *skip_name(const char *p)
{
	if (*p == '<') {
		const char *close = strchr(p, '>');
		return close ? close + 1 : NULL;
	}
	const char *start = p;
	while (isalpha((unsigned char)*p))
		p++;
	return p - start >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] into seconds. */
static const char *parse_hms(const char *p, int *secs)
{
	int sign = 1, h = 0, m = 0, s = 0;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		h = h * 10 + (*p++ - '0');
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			m = m * 10 + (*p++ - '0');
		if (*p == ':') {
			p++;
			while (isdigit((unsigned char)*p))
				s = s * 10 + (*p++ - '0');
		}
	}
	if (h > 167 || m > 59 || s > 59)
		return NULL;
	*secs = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *parse_num(const char *p, int *v)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	int n = 0;
	while (isdigit((unsigned char)*p) && n < 100000)
		n = n * 10 + (*p++ - '0');
	*v = n;
	return p;
}

static const char *parse_rule_date(const char *p, struct tz_rule_date *r)
{
	memset(r, 0, sizeof(*r));
	r->time = 2 * 3600;
	if (*p == 'M') {
		r->kind = 'M';
		if (!(p = parse_num(p + 1, &r->month)) || *p++ != '.' ||
		    !(p = parse_num(p, &r->week)) || *p++ != '.' ||
		    !(p = parse_num(p, &r->weekday)))
			return NULL;
		if (r->month < 1 || r->month > 12 || r->week < 1 ||
		    r->week > 5 || r->weekday > 6)
			return NULL;
	} else if (*p == 'J') {
		r->kind = 'J';
		if (!(p = parse_num(p + 1, &r->day)) || r->day < 1 ||
		    r->day > 365)
			return NULL;
	} else {
		r->kind = 'N';
		if (!(p = parse_num(p, &r->day)) || r->day > 365)
			return NULL;
	}
	if (*p == '/')
		p = parse_hms(p + 1, &r->time);
	return p;
}

static int parse_posix(const char *s, struct tz_posix *out)
{
	const char *p = skip_name(s);
	int off;
	memset(out, 0, sizeof(*out));
	if (!p || !(p = parse_hms(p, &off)))
		return -1;
	out->std_off = -off; /* POSIX counts west as positive */
	if (!*p)
		return 0;
	if (!(p = skip_name(p)))
		return -1;
	out->has_dst = 1;
	out->dst_off = out->std_off + 3600;
	if (*p && *p != ',') {
		if (!(p = parse_hms(p, &off)))
			return -1;
		out->dst_off = -off;
	}
	if (*p != ',') {
		/* No rule: the US default is obsolete; take EU-like rules
		 * would be a guess, so refuse. */
		return -1;
	}
	if (!(p = parse_rule_date(p + 1, &out->start)) || *p != ',' ||
	    !(p = parse_rule_date(p + 1, &out->end)))
		return -1;
	return *p == '\0' ? 0 : -1;
}

/* Local day number on which rule r falls in year. */
static int64_t rule_day(const struct tz_rule_date *r, int year)
{
	if (r->kind == 'J') {
		/* 1-365, February 29 never counted. */
		int64_t d = dd_date_days(year, 1, 1) + r->day - 1;
		int leap = dd_date_month_days(year, 2) == 29;
		if (leap && r->day >= 60)
			d++;
		return d;
	}
	if (r->kind == 'N')
		return dd_date_days(year, 1, 1) + r->day;
	int64_t first = dd_date_days(year, r->month, 1);
	int wd = dd_date_weekday(first) % 7; /* 0 Sunday ... 6 Saturday */
	int64_t d = first + ((r->weekday - wd + 7) % 7) + (r->week - 1) * 7;
	int64_t next_month = first + dd_date_month_days(year, r->month);
	while (d >= next_month)
		d -= 7;
	return d;
}

static int posix_offset_at(const struct tz_posix *z, int64_t t)
{
	if (!z->has_dst)
		return z->std_off;
	int64_t local_day = (t + z->std_off) / 86400 -
			    ((t + z->std_off) % 86400 < 0 ? 1 : 0);
	int y, m, d;
	dd_date_from_days(local_day, &y, &m, &d);
	/* Look at the neighbouring years too: a rule's instant in UTC may
	 * fall in another year than its local date. */
	for (int yy = y - 1; yy <= y + 1; yy++) {
		int64_t start = rule_day(&z->start, yy) * 86400 +
				z->start.time - z->std_off;
		int64_t end = rule_day(&z->end, yy) * 86400 + z->end.time -
			      z->dst_off;
		if (start < end) {
			if (t >= start && t < end)
				return z->dst_off;
		} else {
			/* Southern hemisphere: DST spans the new year. */
			int64_t next_end = rule_day(&z->end, yy + 1) * 86400 +
					   z->end.time - z->dst_off;
			if (t >= start && t < next_end)
				return z->dst_off;
		}
	}
	return z->std_off;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int parse_tzif(struct dd_tz *tz, const unsigned char *buf, size_t len)
{
	size_t pos = 0;
	int pass_v2 = 0;
	for (;;) {
		if (len - pos < 44 || memcmp(buf + pos, "TZif", 4) != 0)
			return -1;
		char version = (char)buf[pos + 4];
		uint32_t isutcnt = be32(buf + pos + 20),
			 isstdcnt = be32(buf + pos + 24),
			 leapcnt = be32(buf + pos + 28),
			 timecnt = be32(buf + pos + 32),
			 typecnt = be32(buf + pos + 36),
			 charcnt = be32(buf + pos + 40);
		size_t tsize = pass_v2 ? 8 : 4;
		if (timecnt > 100000 || typecnt == 0 || typecnt > 256 ||
		    charcnt > 100000 || leapcnt > 100000 || isutcnt > 256 ||
		    isstdcnt > 256)
			return -1;
		size_t body = timecnt * tsize + timecnt + typecnt * 6 +
			      charcnt + leapcnt * (tsize + 4) + isstdcnt +
			      isutcnt;
		pos += 44;
		if (len - pos < body)
			return -1;
		if (version >= '2' && !pass_v2) {
			pos += body;
			pass_v2 = 1;
			continue;
		}
		const unsigned char *times = buf + pos;
		const unsigned char *idx = times + timecnt * tsize;
		const unsigned char *types = idx + timecnt;
		tz->count = (int)timecnt;
		tz->times = calloc(timecnt ? timecnt : 1, sizeof(int64_t));
		tz->offsets = calloc(timecnt ? timecnt : 1, sizeof(int));
		if (!tz->times || !tz->offsets)
			return -1;
		for (uint32_t i = 0; i < timecnt; i++) {
			if (idx[i] >= typecnt)
				return -1;
			tz->times[i] = pass_v2 ? be64(times + i * 8)
					       : (int32_t)be32(times + i * 4);
			tz->offsets[i] = (int32_t)be32(types + idx[i] * 6);
		}
		/* Before the first transition: the first standard-time type
		 * (RFC 8536 section 3.2), else type 0. */
		tz->initial_off = (int32_t)be32(types);
		for (uint32_t i = 0; i < typecnt; i++)
			if (types[i * 6 + 4] == 0) {
				tz->initial_off = (int32_t)be32(types + i * 6);
				break;
			}
		pos += body;
		if (pass_v2 && pos < len && buf[pos] == '\n') {
			const char *start = (const char *)buf + pos + 1;
			const char *nl = memchr(start, '\n', len - pos - 1);
			if (nl && nl > start) {
				char rule[128];
				size_t n = (size_t)(nl - start);
				if (n < sizeof(rule)) {
					memcpy(rule, start, n);
					rule[n] = '\0';
					if (parse_posix(rule, &tz->footer) == 0)
						tz->has_footer = 1;
				}
			}
		}
		return 0;
	}
}

static int valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= 64 || name[0] == '/' || strstr(name, ".."))
		return 0;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '/' && *p != '_' &&
		    *p != '-' && *p != '+')
			return 0;
	return 1;
}

int dd_tz_load(const char *name, struct dd_tz **out, struct dd_err *err)
{
	*out = NULL;
	if (!name || !valid_name(name))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%.60s' is not a time zone name like "
				  "Europe/Berlin",
				  name ? name : "");
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/%s",
		 dir && *dir ? dir : "/usr/share/zoneinfo", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "unknown time zone '%s'", name);
	unsigned char *buf = malloc(TZ_FILE_MAX);
	size_t len = buf ? fread(buf, 1, TZ_FILE_MAX, f) : 0;
	fclose(f);
	struct dd_tz *tz = calloc(1, sizeof(*tz));
	if (!buf || !tz || parse_tzif(tz, buf, len) < 0) {
		free(buf);
		dd_tz_free(tz);
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "time zone '%s' is not a TZif file", name);
	}
	free(buf);
	snprintf(tz->name, sizeof(tz->name), "%s", name);
	*out = tz;
	return 0;
}

int dd_tz_from_posix(const char *name, const char *rule, struct dd_tz **out,
		     struct dd_err *err)
{
	struct dd_tz *tz = calloc(1, sizeof(*tz));
	*out = NULL;
	if (!tz)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (parse_posix(rule, &tz->footer) < 0) {
		free(tz);
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%.60s' is not a POSIX TZ rule", rule);
	}
	tz->has_footer = 1;
	tz->initial_off = tz->footer.std_off;
	snprintf(tz->name, sizeof(tz->name), "%s", name);
	*out = tz;
	return 0;
}

void dd_tz_free(struct dd_tz *tz)
{
	if (!tz)
		return;
	free(tz->times);
	free(tz->offsets);
	free(tz);
}

const char *dd_tz_name(const struct dd_tz *tz)
{
	return tz->name;
}

int dd_tz_offset_at(const struct dd_tz *tz, int64_t t)
{
	if (tz->count == 0 || t >= tz->times[tz->count - 1]) {
		if (tz->has_footer)
			return posix_offset_at(&tz->footer, t);
		return tz->count ? tz->offsets[tz->count - 1] : tz->initial_off;
	}
	if (t < tz->times[0])
		return tz->initial_off;
	int lo = 0, hi = tz->count - 1; /* times[lo] <= t < times[hi] */
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;
		if (tz->times[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offsets[lo];
}

int64_t dd_tz_local_to_utc(const struct dd_tz *tz, int64_t day,
			   int seconds_of_day)
{
	int64_t local = day * 86400 + seconds_of_day;
	int before = dd_tz_offset_at(tz, local - 86400);
	int after = dd_tz_offset_at(tz, local + 86400);
	int ok_before = dd_tz_offset_at(tz, local - before) == before;
	int ok_after = dd_tz_offset_at(tz, local - after) == after;
	if (ok_before && ok_after)
		/* Both readings exist in an overlap: the earlier instant is
		 * the one with the larger offset. */
		return local - (before > after ? before : after);
	if (ok_before)
		return local - before;
	if (ok_after)
		return local - after;
	/* In a gap: read the time with the offset before the gap, which
	 * lands after it. */
	return local - before;
}

void dd_tz_utc_to_local(const struct dd_tz *tz, int64_t t, struct dd_civil *out)
{
	int64_t local = t + dd_tz_offset_at(tz, t);
	int64_t day = local / 86400 - (local % 86400 < 0 ? 1 : 0);
	int64_t secs = local - day * 86400;
	dd_date_from_days(day, &out->year, &out->month, &out->day);
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
}

int64_t dd_tz_local_day(const struct dd_tz *tz, int64_t t)
{
	int64_t local = t + dd_tz_offset_at(tz, t);
	return local / 86400 - (local % 86400 < 0 ? 1 : 0);
}

void dd_tz_cache_init(struct dd_tz_cache *cache)
{
	pthread_mutex_init(&cache->lock, NULL);
	cache->count = 0;
}

void dd_tz_cache_release(struct dd_tz_cache *cache)
{
	for (int i = 0; i < cache->count; i++)
		dd_tz_free(cache->zones[i]);
	cache->count = 0;
	pthread_mutex_destroy(&cache->lock);
}

int dd_tz_cache_get(struct dd_tz_cache *cache, const char *name,
		    const struct dd_tz **out, struct dd_err *err)
{
	int rc = 0;
	pthread_mutex_lock(&cache->lock);
	for (int i = 0; i < cache->count; i++)
		if (strcmp(cache->zones[i]->name, name) == 0) {
			*out = cache->zones[i];
			goto done;
		}
	struct dd_tz *tz;
	if (dd_tz_load(name, &tz, err) < 0) {
		rc = -1;
		goto done;
	}
	if (cache->count == DD_TZ_CACHE_ZONES) {
		/* A zone is replaced only when it is configured, a handful of
		 * times in an organisation's life; keep the old ones loaded
		 * (other threads may hold them) and refuse past the limit. */
		dd_tz_free(tz);
		rc = dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				"too many time zones in use; restart dutydesk");
		goto done;
	}
	cache->zones[cache->count++] = tz;
	*out = tz;
done:
	pthread_mutex_unlock(&cache->lock);
	return rc;
}
