#include "mail/thread.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mail/clean.h"

int dd_mail_tag_prefix_valid(const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;
	if (!prefix || n > DD_MAIL_TAG_PREFIX_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)prefix[i]) && prefix[i] != '-' &&
		    prefix[i] != '_')
			return 0;
	return 1;
}

int dd_mail_subject_tag(const char *subject, const char *prefix,
			int64_t *number)
{
	size_t pn = prefix ? strlen(prefix) : 0;
	for (const char *p = subject ? strchr(subject, '[') : NULL; p;
	     p = strchr(p + 1, '[')) {
		const char *q = p + 1;
		if (pn && strncasecmp(q, prefix, pn) != 0)
			continue;
		q += pn;
		if (*q != '#')
			continue;
		q++;
		int64_t v = 0;
		int digits = 0;
		while (*q >= '0' && *q <= '9' && digits < 18) {
			v = v * 10 + (*q - '0');
			q++;
			digits++;
		}
		if (digits == 0 || *q != ']' || v <= 0)
			continue;
		*number = v;
		return 1;
	}
	return 0;
}

void dd_mail_subject_for(const char *subject, const char *prefix,
			 int64_t number, int reply, char *out, size_t cap)
{
	int64_t have = 0;
	const char *s = subject ? subject : "";
	int has_tag = dd_mail_subject_tag(s, prefix, &have) && have == number;
	int has_re = strncasecmp(s, "re:", 3) == 0;
	char tag[64];
	snprintf(tag, sizeof(tag), "[%s#%lld]", prefix ? prefix : "",
		 (long long)number);
	/* The subject is cut so that the tag always fits. */
	size_t room = cap > strlen(tag) + 8 ? cap - strlen(tag) - 8 : 0;
	size_t keep = dd_mail_utf8_cut(s, strlen(s), room);
	snprintf(out, cap, "%s%.*s%s%s", reply && !has_re ? "Re: " : "",
		 (int)keep, s, has_tag ? "" : (keep ? " " : ""),
		 has_tag ? "" : tag);
}

int dd_mail_thread_candidates(const struct dd_mail_parsed *m, const char **ids,
			      int max)
{
	int n = 0;
	if (m->in_reply_to && n < max)
		ids[n++] = m->in_reply_to;
	for (int i = m->ref_count - 1; i >= 0 && n < max; i--) {
		int seen = 0;
		for (int k = 0; k < n && !seen; k++)
			seen = strcmp(ids[k], m->refs[i]) == 0;
		if (!seen)
			ids[n++] = m->refs[i];
	}
	return n;
}

static int closed(const char *status)
{
	return status && strcmp(status, "closed") == 0;
}

void dd_mail_thread_decide(const struct dd_thread_facts *f,
			   struct dd_thread_decision *d)
{
	d->how = DD_THREAD_NEW;
	d->ticket_id = 0;
	if (f->ref_ticket) {
		d->ticket_id = f->ref_ticket;
		d->how = closed(f->ref_status) ? DD_THREAD_TRIAGE_CLOSED
					       : DD_THREAD_REFERENCE;
		return;
	}
	if (f->tag_ticket) {
		d->ticket_id = f->tag_ticket;
		if (!f->tag_sender_entitled)
			d->how = DD_THREAD_TRIAGE_STRANGER;
		else if (closed(f->tag_status))
			d->how = DD_THREAD_TRIAGE_CLOSED;
		else
			d->how = DD_THREAD_TAG;
	}
}

const char *dd_mail_thread_how_name(enum dd_thread_how how)
{
	switch (how) {
	case DD_THREAD_REFERENCE:
		return "reference";
	case DD_THREAD_TAG:
		return "tag";
	case DD_THREAD_TRIAGE_STRANGER:
		return "stranger-tag";
	case DD_THREAD_TRIAGE_CLOSED:
		return "closed-ticket";
	default:
		return "new";
	}
}
