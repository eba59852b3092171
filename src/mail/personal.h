/*
 * personal.h - mail "addressed personally" to a colleague (the seed: the
 * head of mailbox forwards it, or makes a ticket for them), pure: To or
 * Cc holds the colleague's own address, or the salutation names them
 * ("Hallo Sabine,", "Dear Mr Lang", "Sehr geehrte Frau Krüger"). A name
 * two colleagues share names nobody.
 */
#ifndef DD_MAIL_PERSONAL_H
#define DD_MAIL_PERSONAL_H

#include <stdint.h>

#include "mail/parse.h"

struct dd_mail_colleague {
	int64_t id;
	const char *email; /* lower case */
	const char *name;  /* "Sabine Krüger" */
};

enum dd_mail_personal_by {
	DD_PERSONAL_NONE,
	DD_PERSONAL_ADDRESS,
	DD_PERSONAL_SALUTATION,
};

/* The colleague m is addressed to personally, 0 when none; *by says
 * how. */
int64_t dd_mail_personal(const struct dd_mail_parsed *m,
			 const struct dd_mail_colleague *c, int n,
			 enum dd_mail_personal_by *by);

/* Pure helper: the colleague the first line of text greets by first or
 * last name, 0 when none or ambiguous. */
int64_t dd_mail_salutation(const char *text, const struct dd_mail_colleague *c,
			   int n);

#endif
