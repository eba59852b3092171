/*
 * buf.h - a growable byte buffer with a maximum size (curl's dynbuf).
 *
 * Growing past the maximum fails: the buffer keeps what it had and
 * remembers the overflow, so a writer can append many pieces and check
 * once at the end.
 */
#ifndef DD_BASE_BUF_H
#define DD_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct dd_buf {
	char *data; /* NUL-terminated after every append; NULL while empty */
	size_t len;
	size_t cap;
	size_t max;   /* most bytes the buffer may hold */
	int overflow; /* set once an append did not fit */
};

/* Set up a caller-owned, empty buffer that may grow to max bytes. */
void dd_buf_init(struct dd_buf *buf, size_t max);
/* Free the memory; the buffer is empty and usable again. */
void dd_buf_release(struct dd_buf *buf);
/* Forget the contents, keep the memory and the overflow flag cleared. */
void dd_buf_reset(struct dd_buf *buf);

/* Each returns 0, or -1 (and sets overflow) when the bytes do not fit. */
int dd_buf_append(struct dd_buf *buf, const void *data, size_t len);
int dd_buf_puts(struct dd_buf *buf, const char *s);
int dd_buf_putc(struct dd_buf *buf, char c);
int dd_buf_printf(struct dd_buf *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The contents as a string ("" when empty); valid until the next change. */
const char *dd_buf_str(const struct dd_buf *buf);

/* Hand the memory to the caller (free() it); the buffer becomes empty. */
char *dd_buf_detach(struct dd_buf *buf, size_t *len);

#endif
