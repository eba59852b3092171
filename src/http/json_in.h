/*
 * json_in.h - reading fields of a JSON request body (jansson) with the
 * checks every field needs: the right type, text rules and length limits
 * from base/text.h, and no unknown fields (a typo must not be silently
 * ignored).
 */
#ifndef DD_HTTP_JSON_IN_H
#define DD_HTTP_JSON_IN_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"

/* Refuse members of obj not in allowed (a NULL-terminated list). */
int dd_json_in_known(json_t *obj, const char *const *allowed,
		     struct dd_err *err);

/* A string member. Returns 1 with *out set when present, 0 when absent
 * (an error if required), -1 on error. A JSON null counts as absent
 * unless *is_null is given, where it is reported as present with *out
 * NULL. */
int dd_json_in_str(json_t *obj, const char *key, int required, size_t max,
		   const char **out, int *is_null, struct dd_err *err);
/* A boolean member: 1 present, 0 absent, -1 error. */
int dd_json_in_bool(json_t *obj, const char *key, int required, int *out,
		    struct dd_err *err);
/* An integer member within [min, max]: 1 present, 0 absent, -1 error. */
int dd_json_in_int(json_t *obj, const char *key, int required, long long min,
		   long long max, long long *out, struct dd_err *err);

/* The depth of nested arrays and objects in v. */
int dd_json_in_depth(json_t *v);

#endif
