/*
 * csv.h - writing CSV (RFC 4180) for spreadsheets: comma-separated
 * cells, CRLF line ends, a cell quoted when it holds a comma, a quote, a
 * CR or an LF, with quotes doubled inside.
 *
 * Text cells are also defused against formula injection (OWASP "CSV
 * injection"): a spreadsheet runs a cell that starts with '=', '+', '-'
 * or '@' (and, in some, a tab or CR) as a formula, so such a cell gets a
 * leading single quote and is shown as text. Numbers written with
 * dd_csv_int are left alone.
 */
#ifndef DD_BASE_CSV_H
#define DD_BASE_CSV_H

#include <stdint.h>

#include "base/buf.h"

struct dd_csv {
	struct dd_buf *out;
	int cells; /* cells written on the current row */
};

void dd_csv_init(struct dd_csv *c, struct dd_buf *out);
/* A text cell (NULL is an empty cell), quoted and defused as needed. */
void dd_csv_text(struct dd_csv *c, const char *s);
/* A number cell. */
void dd_csv_int(struct dd_csv *c, int64_t v);
/* A cell written as it is: only for text known to need neither quoting
 * nor defusing, such as a formatted decimal. */
void dd_csv_raw(struct dd_csv *c, const char *s);
/* End the row with CRLF. */
void dd_csv_row_end(struct dd_csv *c);

/* Nonzero when text would be read as a formula. */
int dd_csv_is_formula(const char *s);

#endif
