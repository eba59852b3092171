/*
 * search_text.h - the one normalisation of text for full-text search,
 * applied to documents when they are indexed and to words when they are
 * searched, so that "Störung", "STÖRUNG" and "Stoerung" all become
 * "stoerung" (and "ß" becomes "ss") on both engines. Pure.
 */
#ifndef DD_TICKET_SEARCH_TEXT_H
#define DD_TICKET_SEARCH_TEXT_H

#include "base/buf.h"

/*
 * Append the normalised form of text to out: letters lowered (ASCII, and
 * the Latin-1 and Latin Extended-A letters German and its neighbours
 * use), German umlauts and ß transliterated (also when written
 * decomposed, "o" and a combining diaeresis), other accents dropped,
 * ligatures (Œ, Ĳ, ﬁ) and full-width letters and digits spelt out, Greek
 * and Cyrillic capitals lowered, invisible joiners (soft hyphen, zero
 * width joiners, BOM) removed, and everything else that is not a letter
 * or digit (punctuation, symbols, emoji, invalid UTF-8) turned into one
 * space. Letters of other scripts are kept as they are. Words are
 * separated by single spaces; the output may end with one.
 *
 * Returns 0, or -1 when out overflows (out keeps what fitted).
 */
int dd_search_normalise(const char *text, struct dd_buf *out);

#endif
