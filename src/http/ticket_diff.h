/*
 * ticket_diff.h - what changed between two snapshots of the event log
 * (jansson values), for a ticket's history, and writing jansson values
 * through the one JSON emitter. Pure.
 */
#ifndef DD_HTTP_TICKET_DIFF_H
#define DD_HTTP_TICKET_DIFF_H

#include <jansson.h>

#include "base/json_out.h"

/*
 * Call fn for each field whose value differs between before and after,
 * in the order of after's members, then those only in before. A missing
 * snapshot or member counts as null. Nested objects are compared member
 * by member and named with dots ("sla.state"); arrays and other values
 * are compared whole. Top-level members named in ignore (a
 * NULL-terminated list, or NULL) are skipped. before and after passed to
 * fn are never NULL (json null instead) and are borrowed for the call.
 * Returns the number of changes.
 */
int dd_json_diff(json_t *before, json_t *after, const char *const *ignore,
		 void (*fn)(const char *field, json_t *before, json_t *after,
			    void *arg),
		 void *arg);

/* Write v through the emitter (so strings are escaped as every body
 * dutydesk sends is); NULL writes null. */
void dd_json_out_jansson(struct dd_json_out *j, json_t *v);

#endif
