/*
 * dovecot.h - a real Dovecot IMAP server for a test
 * (scripts/dovecot-throwaway): its own configuration, state and Maildir
 * in a temporary directory, listening on a free loopback port, one user
 * (UT_DOVECOT_USER / UT_DOVECOT_PASSWORD). Tests put messages in with
 * IMAP APPEND and look at flags with IMAP commands, both through
 * libcurl (curl_global_init first). Tests run from the repository's top
 * directory.
 */
#ifndef DD_TESTS_SUPPORT_DOVECOT_H
#define DD_TESTS_SUPPORT_DOVECOT_H

#define UT_DOVECOT_USER	    "support"
#define UT_DOVECOT_PASSWORD "support-pw"

struct ut_dovecot {
	char dir[128];
	int port;
	char url[64]; /* imap://127.0.0.1:PORT */
};

/* Start it: 0, or -1 with the reason printed. */
int ut_dovecot_start(struct ut_dovecot *d);
/* Stop it and remove its directory. */
void ut_dovecot_stop(struct ut_dovecot *d);

/* Create mailbox (CREATE): 0 or -1. */
int ut_dovecot_create(struct ut_dovecot *d, const char *mailbox);
/* Append len bytes of raw to mailbox: 0 or -1. */
int ut_dovecot_append(struct ut_dovecot *d, const char *mailbox,
		      const char *raw, size_t len);
/* Run an IMAP command (with mailbox selected first when not NULL) and
 * return its untagged answer, malloc'd, or NULL when it failed. */
char *ut_dovecot_command(struct ut_dovecot *d, const char *mailbox,
			 const char *command);
/* Run "doveadm -c CONF ARGS" for this instance: its exit status. */
int ut_dovecot_doveadm(struct ut_dovecot *d, const char *args);

#endif
