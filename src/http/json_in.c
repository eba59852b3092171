#include "http/json_in.h"

#include <string.h>

#include "base/text.h"

int dd_json_in_known(json_t *obj, const char *const *allowed,
		     struct dd_err *err)
{
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = 1;
		if (!ok)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "unknown field '%.60s'", key);
	}
	return 0;
}

int dd_json_in_str(json_t *obj, const char *key, int required, size_t max,
		   const char **out, int *is_null, struct dd_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (is_null)
		*is_null = 0;
	if (!v || (json_is_null(v) && !is_null)) {
		if (required)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'%s' is required", key);
		return 0;
	}
	if (json_is_null(v)) {
		*is_null = 1;
		return 1;
	}
	if (!json_is_string(v))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be a string", key);
	/* jansson already refused invalid UTF-8 and \u0000 while parsing;
	 * the text check adds control characters and the length. */
	if (json_string_length(v) != strlen(json_string_value(v)))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' contains a NUL byte", key);
	if (dd_text_check(key, json_string_value(v), 0, max,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	*out = json_string_value(v);
	return 1;
}

int dd_json_in_bool(json_t *obj, const char *key, int required, int *out,
		    struct dd_err *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		if (required)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'%s' is required", key);
		return 0;
	}
	if (!json_is_boolean(v))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be true or false", key);
	*out = json_is_true(v);
	return 1;
}

int dd_json_in_int(json_t *obj, const char *key, int required, long long min,
		   long long max, long long *out, struct dd_err *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		if (required)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'%s' is required", key);
		return 0;
	}
	if (!json_is_integer(v))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be a whole number", key);
	long long n = json_integer_value(v);
	if (n < min || n > max)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be between %lld and %lld", key,
				  min, max);
	*out = n;
	return 1;
}

int dd_json_in_depth(json_t *v)
{
	int deepest = 0;
	if (json_is_object(v)) {
		const char *key;
		json_t *child;
		json_object_foreach(v, key, child)
		{
			int d = dd_json_in_depth(child);
			if (d > deepest)
				deepest = d;
		}
		return deepest + 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *child;
		json_array_foreach(v, i, child)
		{
			int d = dd_json_in_depth(child);
			if (d > deepest)
				deepest = d;
		}
		return deepest + 1;
	}
	return 0;
}
