#include "base/csv.h"

#include <string.h>

void dd_csv_init(struct dd_csv *c, struct dd_buf *out)
{
	c->out = out;
	c->cells = 0;
}

static void separate(struct dd_csv *c)
{
	if (c->cells++ > 0)
		dd_buf_putc(c->out, ',');
}

int dd_csv_is_formula(const char *s)
{
	return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
		     s[0] == '\t' || s[0] == '\r');
}

void dd_csv_text(struct dd_csv *c, const char *s)
{
	separate(c);
	if (!s || !*s)
		return;
	int guard = dd_csv_is_formula(s);
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		dd_buf_putc(c->out, '"');
	if (guard)
		dd_buf_putc(c->out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			dd_buf_putc(c->out, '"');
		dd_buf_putc(c->out, *p);
	}
	if (quote)
		dd_buf_putc(c->out, '"');
}

void dd_csv_int(struct dd_csv *c, int64_t v)
{
	separate(c);
	dd_buf_printf(c->out, "%lld", (long long)v);
}

void dd_csv_raw(struct dd_csv *c, const char *s)
{
	separate(c);
	dd_buf_puts(c->out, s ? s : "");
}

void dd_csv_row_end(struct dd_csv *c)
{
	dd_buf_puts(c->out, "\r\n");
	c->cells = 0;
}
