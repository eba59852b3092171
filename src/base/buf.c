#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dd_buf_init(struct dd_buf *buf, size_t max)
{
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
	buf->max = max;
	buf->overflow = 0;
}

void dd_buf_release(struct dd_buf *buf)
{
	free(buf->data);
	size_t max = buf->max;
	dd_buf_init(buf, max);
}

void dd_buf_reset(struct dd_buf *buf)
{
	buf->len = 0;
	buf->overflow = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

static int grow(struct dd_buf *buf, size_t extra)
{
	if (buf->overflow)
		return -1;
	if (extra > buf->max || buf->len > buf->max - extra) {
		buf->overflow = 1;
		return -1;
	}
	size_t need = buf->len + extra + 1;
	if (need <= buf->cap)
		return 0;
	size_t cap = buf->cap ? buf->cap : 256;
	while (cap < need)
		cap *= 2;
	if (cap > buf->max + 1)
		cap = buf->max + 1;
	char *p = realloc(buf->data, cap);
	if (!p) {
		buf->overflow = 1;
		return -1;
	}
	buf->data = p;
	buf->cap = cap;
	return 0;
}

int dd_buf_append(struct dd_buf *buf, const void *data, size_t len)
{
	if (grow(buf, len) < 0)
		return -1;
	if (len)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
	return 0;
}

int dd_buf_puts(struct dd_buf *buf, const char *s)
{
	return dd_buf_append(buf, s, strlen(s));
}

int dd_buf_putc(struct dd_buf *buf, char c)
{
	return dd_buf_append(buf, &c, 1);
}

int dd_buf_printf(struct dd_buf *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(buf, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->len += (size_t)n;
	return 0;
}

const char *dd_buf_str(const struct dd_buf *buf)
{
	return buf->data ? buf->data : "";
}

char *dd_buf_detach(struct dd_buf *buf, size_t *len)
{
	char *p = buf->data;
	if (len)
		*len = buf->len;
	size_t max = buf->max;
	dd_buf_init(buf, max);
	return p;
}
