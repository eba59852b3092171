/*
 * utf8.h - UTF-8 validation. Text enters dutydesk only as valid UTF-8
 * without NUL bytes; these checks are where that is decided.
 */
#ifndef DD_BASE_UTF8_H
#define DD_BASE_UTF8_H

#include <stddef.h>

/* Length (1-4) of the well-formed UTF-8 sequence at s (at most avail
 * bytes), or 0 if it is not well formed (overlong, surrogate, > U+10FFFF,
 * truncated). */
size_t dd_utf8_char_len(const char *s, size_t avail);

/* Nonzero when s[0..len) is well-formed UTF-8 with no NUL byte. */
int dd_utf8_valid(const char *s, size_t len);

/* Number of code points in valid UTF-8 text. */
size_t dd_utf8_count(const char *s, size_t len);

#endif
