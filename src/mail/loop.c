#include "mail/loop.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int dd_mail_addr_is_daemon(const char *addr)
{
	if (!addr)
		return 0;
	const char *at = strchr(addr, '@');
	size_t n = at ? (size_t)(at - addr) : strlen(addr);
	return (n == 13 && strncasecmp(addr, "mailer-daemon", 13) == 0) ||
	       (n == 10 && strncasecmp(addr, "postmaster", 10) == 0);
}

int dd_mail_addr_is_noreply(const char *addr)
{
	static const char *const names[] = {
		"noreply",	"no-reply",	"no_reply", "donotreply",
		"do-not-reply", "do_not_reply", NULL};
	const char *at = addr ? strchr(addr, '@') : NULL;
	size_t n = at ? (size_t)(at - addr) : 0;
	for (int i = 0; at && names[i]; i++)
		if (n == strlen(names[i]) &&
		    strncasecmp(addr, names[i], n) == 0)
			return 1;
	return 0;
}

/* A token of a header value, case-insensitively, as a whole word. */
static int has_word(const char *value, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = value; p && *p; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		int before = p == value || p[-1] == ' ' || p[-1] == ',' ||
			     p[-1] == ';' || p[-1] == '\t';
		char after = p[n];
		if (before && (after == '\0' || after == ' ' || after == ',' ||
			       after == ';' || after == '\t'))
			return 1;
	}
	return 0;
}

static int starts_word(const char *value, const char *word)
{
	while (value && (*value == ' ' || *value == '\t'))
		value++;
	size_t n = strlen(word);
	return value && strncasecmp(value, word, n) == 0 &&
	       (value[n] == '\0' || value[n] == ' ' || value[n] == ';' ||
		value[n] == '\t');
}

/* Subjects auto-responders put on their answers when they send none of
 * the headers (Apple's vacation notice, older Exchange servers). */
static const char *const auto_subjects[] = {"auto reply:",
					    "auto-reply:",
					    "autoreply:",
					    "automatic reply:",
					    "auto response:",
					    "autorespons",
					    "automatische antwort:",
					    "out of office",
					    "abwesenheitsnotiz",
					    "réponse automatique",
					    NULL};

static int auto_subject(const char *subject)
{
	for (int i = 0; subject && auto_subjects[i]; i++)
		if (strncasecmp(subject, auto_subjects[i],
				strlen(auto_subjects[i])) == 0)
			return 1;
	return 0;
}

unsigned dd_mail_auto_flags(const struct dd_mail_parsed *m, int ours)
{
	const struct dd_mail_auto_headers *h = &m->autoh;
	unsigned f = 0;
	if (h->auto_submitted && !starts_word(h->auto_submitted, "no"))
		f |= DD_MAIL_AUTO_SUBMITTED;
	if (h->x_autoreply || h->x_autorespond || auto_subject(m->subject))
		f |= DD_MAIL_AUTO_SUBMITTED;
	if (h->x_auto_response_suppress &&
	    (has_word(h->x_auto_response_suppress, "all") ||
	     has_word(h->x_auto_response_suppress, "autoreply") ||
	     has_word(h->x_auto_response_suppress, "oof")))
		f |= DD_MAIL_AUTO_SUBMITTED;
	if (h->precedence && (starts_word(h->precedence, "bulk") ||
			      starts_word(h->precedence, "junk") ||
			      starts_word(h->precedence, "list")))
		f |= DD_MAIL_AUTO_BULK;
	if (h->list_id || h->list_unsubscribe)
		f |= DD_MAIL_AUTO_LIST;
	if ((h->return_path && !*h->return_path) ||
	    dd_mail_addr_is_daemon(m->from.addr) ||
	    dd_mail_addr_is_daemon(m->sender.addr))
		f |= DD_MAIL_AUTO_DAEMON;
	if (m->report != DD_MAIL_REPORT_NONE)
		f |= DD_MAIL_AUTO_REPORT;
	if (ours || h->x_dutydesk)
		f |= DD_MAIL_AUTO_OURS;
	if (dd_mail_addr_is_noreply(m->from.addr) ||
	    dd_mail_addr_is_noreply(m->reply_to.addr))
		f |= DD_MAIL_AUTO_NOREPLY;
	return f;
}

int dd_mail_may_autoanswer(unsigned flags)
{
	return flags == 0;
}

void dd_mail_auto_format(unsigned flags, char *out, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{DD_MAIL_AUTO_SUBMITTED, "auto-submitted"},
		{DD_MAIL_AUTO_BULK, "bulk"},
		{DD_MAIL_AUTO_LIST, "list"},
		{DD_MAIL_AUTO_DAEMON, "daemon"},
		{DD_MAIL_AUTO_REPORT, "report"},
		{DD_MAIL_AUTO_OURS, "ours"},
		{DD_MAIL_AUTO_NOREPLY, "noreply"},
	};
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		int n = snprintf(out + len, cap - len, "%s%s", len ? "," : "",
				 names[i].name);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
}

int dd_mail_autoanswer_allowed(int sent_this_hour, int cap)
{
	return cap > 0 && sent_this_hour < cap;
}
