/*
 * json_out.h - the one JSON emitter: a streaming writer into a dd_buf.
 *
 * Every JSON body dutydesk sends, and the before/after snapshots in the
 * event log, are written through it (request bodies are parsed with
 * jansson in http/). Commas and nesting are tracked here so callers only
 * name keys and values. Strings are escaped for JSON and, so that a body
 * pasted into HTML cannot close a script element, '<', '>' and '&' are
 * written as \u escapes. Invalid UTF-8 is replaced by U+FFFD.
 */
#ifndef DD_BASE_JSON_OUT_H
#define DD_BASE_JSON_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Deeper output is a programming error; the writer marks the buffer as
 * overflowed. */
#define DD_JSON_OUT_DEPTH 32

struct dd_json_out {
	struct dd_buf *out;
	int depth;
	int need_comma[DD_JSON_OUT_DEPTH];
	int after_key;
};

void dd_json_out_init(struct dd_json_out *j, struct dd_buf *out);

void dd_json_obj_begin(struct dd_json_out *j);
void dd_json_obj_end(struct dd_json_out *j);
void dd_json_arr_begin(struct dd_json_out *j);
void dd_json_arr_end(struct dd_json_out *j);
void dd_json_key(struct dd_json_out *j, const char *key);

/* A NULL string is written as null. */
void dd_json_str(struct dd_json_out *j, const char *s);
void dd_json_strn(struct dd_json_out *j, const char *s, size_t len);
void dd_json_int(struct dd_json_out *j, int64_t v);
void dd_json_bool(struct dd_json_out *j, int v);
void dd_json_null(struct dd_json_out *j);
/* An instant in milliseconds as an RFC 3339 UTC string. */
void dd_json_time(struct dd_json_out *j, int64_t ms);
/* Text that is already JSON (from the database); NULL writes null. */
void dd_json_raw(struct dd_json_out *j, const char *json);

/* Key and value in one call. */
void dd_json_kstr(struct dd_json_out *j, const char *key, const char *s);
void dd_json_kint(struct dd_json_out *j, const char *key, int64_t v);
void dd_json_kbool(struct dd_json_out *j, const char *key, int v);
void dd_json_ktime(struct dd_json_out *j, const char *key, int64_t ms);
void dd_json_knull(struct dd_json_out *j, const char *key);
/* 0 means "none" in our rows (ids start at 1, instants are never the
 * epoch itself): these write null for it. */
void dd_json_kid(struct dd_json_out *j, const char *key, int64_t id);
void dd_json_ktime_or_null(struct dd_json_out *j, const char *key, int64_t ms);

#endif
