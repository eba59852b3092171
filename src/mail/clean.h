/*
 * clean.h - text from mail made fit to store and show: valid UTF-8 (each
 * ill-formed byte becomes U+FFFD), no NUL or control characters (text
 * keeps newlines and tabs, header values keep neither), CRLF and lone CR
 * as LF. Pure functions.
 */
#ifndef DD_MAIL_CLEAN_H
#define DD_MAIL_CLEAN_H

#include <stddef.h>

#include "base/arena.h"

/* Multi-line text: len bytes at s, cleaned into a new string in arena
 * (NULL when the arena is exhausted). Trailing blank lines and spaces at
 * line ends are dropped. */
char *dd_mail_clean_text(struct dd_arena *arena, const char *s, size_t len);

/* A header value: one line, runs of white space as one space, trimmed;
 * at most max bytes, cut on a character boundary. NULL in, NULL out. */
char *dd_mail_clean_line(struct dd_arena *arena, const char *s, size_t max);

/* The longest prefix of valid UTF-8 text s of at most max bytes that ends
 * on a character boundary: its length. */
size_t dd_mail_utf8_cut(const char *s, size_t len, size_t max);

#endif
