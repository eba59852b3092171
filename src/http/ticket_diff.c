#include "http/ticket_diff.h"

#include <stdio.h>
#include <string.h>

/* Field names nest at most as deep as the emitter does; longer names are
 * cut (they are for people to read). */
#define FIELD_MAX 256

struct diff {
	const char *const *ignore;
	void (*fn)(const char *field, json_t *before, json_t *after, void *arg);
	void *arg;
	int count;
};

static int ignored(const struct diff *d, const char *prefix, const char *key)
{
	if (*prefix || !d->ignore)
		return 0;
	for (const char *const *i = d->ignore; *i; i++)
		if (strcmp(*i, key) == 0)
			return 1;
	return 0;
}

static void diff_value(struct diff *d, const char *field, json_t *b, json_t *a,
		       int depth);

/* Compare the members of two objects (either may be NULL: empty). */
static void diff_members(struct diff *d, const char *prefix, json_t *b,
			 json_t *a, int depth)
{
	const char *key;
	json_t *v;
	char field[FIELD_MAX];
	json_object_foreach(a, key, v)
	{
		if (ignored(d, prefix, key))
			continue;
		snprintf(field, sizeof(field), "%s%s", prefix, key);
		diff_value(d, field, b ? json_object_get(b, key) : NULL, v,
			   depth);
	}
	json_object_foreach(b, key, v)
	{
		if (ignored(d, prefix, key) || (a && json_object_get(a, key)))
			continue;
		snprintf(field, sizeof(field), "%s%s", prefix, key);
		diff_value(d, field, v, NULL, depth);
	}
}

static void diff_value(struct diff *d, const char *field, json_t *b, json_t *a,
		       int depth)
{
	json_t *null = json_null();
	if (!b)
		b = null;
	if (!a)
		a = null;
	if (json_is_object(b) && json_is_object(a) &&
	    depth < DD_JSON_OUT_DEPTH) {
		char prefix[FIELD_MAX];
		snprintf(prefix, sizeof(prefix), "%s.", field);
		diff_members(d, prefix, b, a, depth + 1);
		return;
	}
	if (json_equal(b, a))
		return;
	d->count++;
	d->fn(field, b, a, d->arg);
}

int dd_json_diff(json_t *before, json_t *after, const char *const *ignore,
		 void (*fn)(const char *field, json_t *before, json_t *after,
			    void *arg),
		 void *arg)
{
	struct diff d = {.ignore = ignore, .fn = fn, .arg = arg};
	if (json_is_object(before) || json_is_object(after)) {
		diff_members(&d, "", json_is_object(before) ? before : NULL,
			     json_is_object(after) ? after : NULL, 1);
	} else if (!json_equal(before ? before : json_null(),
			       after ? after : json_null())) {
		d.count++;
		fn("", before ? before : json_null(),
		   after ? after : json_null(), arg);
	}
	return d.count;
}

void dd_json_out_jansson(struct dd_json_out *j, json_t *v)
{
	const char *key;
	json_t *m;
	size_t i;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT:
		dd_json_obj_begin(j);
		json_object_foreach(v, key, m)
		{
			dd_json_key(j, key);
			dd_json_out_jansson(j, m);
		}
		dd_json_obj_end(j);
		break;
	case JSON_ARRAY:
		dd_json_arr_begin(j);
		json_array_foreach(v, i, m) dd_json_out_jansson(j, m);
		dd_json_arr_end(j);
		break;
	case JSON_STRING:
		dd_json_strn(j, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		dd_json_int(j, (int64_t)json_integer_value(v));
		break;
	case JSON_REAL: {
		char text[40];
		snprintf(text, sizeof(text), "%.17g", json_real_value(v));
		dd_json_raw(j, text);
		break;
	}
	case JSON_TRUE:
	case JSON_FALSE:
		dd_json_bool(j, json_is_true(v));
		break;
	case JSON_NULL:
	default:
		dd_json_null(j);
		break;
	}
}
