/*
 * table.h - plain-text columns for the CLI. Names are UTF-8
 * ("Sabine Krüger"), so widths count code points, not bytes.
 */
#ifndef DD_CLI_TABLE_H
#define DD_CLI_TABLE_H

#include <stdio.h>

/* Columns s takes on a terminal (code points; valid UTF-8 assumed). */
int dd_cli_width(const char *s);
/* Print s and pad it with spaces to width columns. */
void dd_cli_print_padded(FILE *out, const char *s, int width);

#endif
