/*
 * html_text.h - the text a person reads in an HTML mail, for a message
 * that has no text/plain part. The result is plain text, never HTML:
 * tags are dropped, script, style, head and comments with their content,
 * block elements (p, div, br, li, tr, headings, blockquote) become line
 * breaks, list items get "- ", character references are decoded, and
 * white space is collapsed as a browser would. Links keep their text and
 * add the target in angle brackets when it differs. Pure, linear in the
 * input, no recursion.
 */
#ifndef DD_MAIL_HTML_TEXT_H
#define DD_MAIL_HTML_TEXT_H

#include <stddef.h>

#include "base/arena.h"

/* len bytes of UTF-8 HTML into a new string in arena (NULL when the arena
 * is exhausted). The output is at most about as long as the input. */
char *dd_mail_html_text(struct dd_arena *arena, const char *html, size_t len);

#endif
