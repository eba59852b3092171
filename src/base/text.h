/*
 * text.h - checks on text that comes from outside: well-formed UTF-8, no
 * NUL or control characters, a length within limits. The message names
 * the field and the limit.
 */
#ifndef DD_BASE_TEXT_H
#define DD_BASE_TEXT_H

#include <stddef.h>

#include "base/err.h"

enum dd_text_flags {
	DD_TEXT_SINGLE_LINE = 0, /* no control characters at all */
	DD_TEXT_MULTI_LINE = 1,	 /* newlines and tabs allowed */
};

/* 0 when s is acceptable for field, else -1 with a 400 (or 413-like
 * "limit-exceeded" 400 for length) in err. min and max are in bytes. */
int dd_text_check(const char *field, const char *s, size_t min, size_t max,
		  enum dd_text_flags flags, struct dd_err *err);

/* Copy s into out (cap bytes) with ASCII letters lowered. */
void dd_text_lower(const char *s, char *out, size_t cap);

#endif
