/*
 * postfix.h - a real Postfix for a test (scripts/postfix-throwaway): its
 * own configuration and queue in a temporary directory, listening on a
 * free loopback port, delivering every mail into a Maildir the test reads
 * back. Tests run from the repository's top directory.
 */
#ifndef DD_TESTS_SUPPORT_POSTFIX_H
#define DD_TESTS_SUPPORT_POSTFIX_H

struct ut_postfix {
	char dir[128];
	int port;
};

/* Start it; with pipe_argv (a command line with Postfix's ${sender}/
 * ${recipient} macros) every mail is piped to that command instead of
 * the Maildir. 0, or -1 with the reason printed. */
int ut_postfix_start(struct ut_postfix *pf, const char *pipe_argv);
/* Stop it and remove its directory. */
void ut_postfix_stop(struct ut_postfix *pf);

/* Mails delivered to the Maildir so far. */
int ut_postfix_count(struct ut_postfix *pf);
/* Wait until at least n mails arrived, at most timeout_ms: 0, or -1. */
int ut_postfix_wait(struct ut_postfix *pf, int n, int timeout_ms);
/* A malloc'd copy of delivered mail i (sorted by file name, which is
 * roughly the order of delivery), or NULL. */
char *ut_postfix_mail(struct ut_postfix *pf, int i);

#endif
