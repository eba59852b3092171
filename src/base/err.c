#include "base/err.h"

#include <stdio.h>
#include <string.h>

void dd_err_clear(struct dd_err *err)
{
	if (!err)
		return;
	err->status = 0;
	err->type = NULL;
	err->msg[0] = '\0';
	err->retry_after = 0;
}

int dd_err_setv(struct dd_err *err, int status, const char *type,
		const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->status = status ? status : 500;
	err->type = type ? type : DD_PROBLEM_INTERNAL;
	err->retry_after = 0;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
}

int dd_err_set(struct dd_err *err, int status, const char *type,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dd_err_setv(err, status, type, fmt, ap);
	va_end(ap);
	return -1;
}

int dd_err_is_set(const struct dd_err *err)
{
	return err && err->status != 0;
}
