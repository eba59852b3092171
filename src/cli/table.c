#include "cli/table.h"

#include <string.h>

#include "base/utf8.h"

int dd_cli_width(const char *s)
{
	return s ? (int)dd_utf8_count(s, strlen(s)) : 0;
}

void dd_cli_print_padded(FILE *out, const char *s, int width)
{
	fputs(s ? s : "", out);
	for (int w = dd_cli_width(s); w < width; w++)
		fputc(' ', out);
}
