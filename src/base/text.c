#include "base/text.h"

#include <ctype.h>
#include <string.h>

#include "base/utf8.h"

int dd_text_check(const char *field, const char *s, size_t min, size_t max,
		  enum dd_text_flags flags, struct dd_err *err)
{
	if (!s)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' is required", field);
	size_t len = strlen(s);
	if (len > max)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "'%s' is longer than the limit of %zu bytes",
				  field, max);
	if (len < min)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  min == 1 ? "'%s' must not be empty"
					   : "'%s' is shorter than %zu bytes",
				  field, min);
	if (!dd_utf8_valid(s, len))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' is not valid UTF-8", field);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7f)
			continue;
		if (flags == DD_TEXT_MULTI_LINE &&
		    (c == '\n' || c == '\r' || c == '\t'))
			continue;
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' contains a control character", field);
	}
	return 0;
}

void dd_text_lower(const char *s, char *out, size_t cap)
{
	size_t i = 0;
	if (cap == 0)
		return;
	for (; s[i] && i + 1 < cap; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}
