#include "base/log.h"

#include <stdarg.h>
#include <string.h>

#include "base/timefmt.h"

static const char *level_names[] = {"debug", "info", "warn", "error"};

static const struct {
	const char *name;
	enum dd_log_subsystem sub;
} sub_names[] = {
	{"main", DD_SUB_MAIN}, {"http", DD_SUB_HTTP}, {"store", DD_SUB_STORE},
	{"auth", DD_SUB_AUTH}, {"jobs", DD_SUB_JOBS}, {"mail", DD_SUB_MAIL},
	{"rota", DD_SUB_ROTA},
};

void dd_log_init(struct dd_log *log, FILE *out, const struct dd_clock *clock)
{
	log->out = out;
	log->clock = clock;
	log->debug_mask = 0;
	pthread_mutex_init(&log->lock, NULL);
}

void dd_log_release(struct dd_log *log)
{
	pthread_mutex_destroy(&log->lock);
}

unsigned dd_log_parse_mask(const char *names)
{
	unsigned mask = 0;
	if (!names)
		return 0;
	const char *p = names;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 3 && strncmp(p, "all", 3) == 0)
			mask = DD_SUB_ALL;
		for (size_t i = 0; i < sizeof(sub_names) / sizeof(sub_names[0]);
		     i++)
			if (strlen(sub_names[i].name) == n &&
			    strncmp(p, sub_names[i].name, n) == 0)
				mask |= sub_names[i].sub;
		p += n;
		if (*p == ',')
			p++;
	}
	return mask;
}

static const char *sub_name(enum dd_log_subsystem sub)
{
	for (size_t i = 0; i < sizeof(sub_names) / sizeof(sub_names[0]); i++)
		if (sub_names[i].sub == sub)
			return sub_names[i].name;
	return "main";
}

const char *dd_log_quote(char *out, size_t cap, const char *s)
{
	if (cap == 0)
		return "";
	if (!s)
		s = "";
	int plain = *s != '\0';
	for (const char *p = s; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    (unsigned char)*p == 0x7f)
			plain = 0;
	size_t j = 0;
	if (plain) {
		for (; *s && j + 1 < cap; s++)
			out[j++] = *s;
		out[j] = '\0';
		return out;
	}
	if (cap < 3) { /* no room for the two quotes and the NUL */
		out[0] = '\0';
		return out;
	}
	out[j++] = '"';
	for (; *s && j + 3 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[j++] = '\\';
			out[j++] = (char)c;
		} else if (c == '\n') {
			out[j++] = '\\';
			out[j++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			out[j++] = '?';
		} else {
			out[j++] = (char)c;
		}
	}
	out[j++] = '"';
	out[j] = '\0';
	return out;
}

void dd_log_write(struct dd_log *log, enum dd_log_level level,
		  enum dd_log_subsystem sub, const char *msg,
		  const char *kv_fmt, ...)
{
	if (!log)
		return;
	if (level == DD_LOG_DEBUG && !(log->debug_mask & sub))
		return;
	char ts[DD_TIME_RFC3339_LEN];
	char qmsg[512];
	dd_time_format_rfc3339(dd_clock_now(log->clock), ts);
	dd_log_quote(qmsg, sizeof(qmsg), msg);
	char line[2048];
	int n = snprintf(line, sizeof(line), "ts=%s level=%s sub=%s msg=%s", ts,
			 level_names[level], sub_name(sub), qmsg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (kv_fmt && (size_t)n + 2 < sizeof(line)) {
		line[n++] = ' ';
		va_list ap;
		va_start(ap, kv_fmt);
		int m = vsnprintf(line + n, sizeof(line) - (size_t)n, kv_fmt,
				  ap);
		va_end(ap);
		if (m > 0)
			n += m;
		if ((size_t)n >= sizeof(line))
			n = sizeof(line) - 1;
	}
	pthread_mutex_lock(&log->lock);
	fwrite(line, 1, (size_t)n, log->out);
	fputc('\n', log->out);
	fflush(log->out);
	pthread_mutex_unlock(&log->lock);
}
