#include "http/router.h"

#include <string.h>

static const struct {
	enum dd_method m;
	const char *name;
} methods[] = {
	{DD_GET, "GET"},	 {DD_HEAD, "HEAD"},   {DD_POST, "POST"},
	{DD_PUT, "PUT"},	 {DD_PATCH, "PATCH"}, {DD_DELETE, "DELETE"},
	{DD_OPTIONS, "OPTIONS"},
};

int dd_method_unsafe(enum dd_method m)
{
	return m != DD_GET && m != DD_HEAD && m != DD_OPTIONS;
}

const char *dd_method_name(enum dd_method m)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (methods[i].m == m)
			return methods[i].name;
	return "?";
}

int dd_method_parse(const char *name, enum dd_method *m)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, name) == 0) {
			*m = methods[i].m;
			return 0;
		}
	return -1;
}

/* Match pattern against path; on success record parameters in req (when
 * not NULL). */
static int match(const char *pattern, const char *path, struct dd_request *req)
{
	const char *p = pattern, *s = path;
	int count = 0;
	const char *names[DD_ROUTE_PARAMS_MAX], *values[DD_ROUTE_PARAMS_MAX];
	size_t name_len[DD_ROUTE_PARAMS_MAX], value_len[DD_ROUTE_PARAMS_MAX];
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t seg = strcspn(s, "/");
			if (!close || seg == 0 || count >= DD_ROUTE_PARAMS_MAX)
				return 0;
			names[count] = p + 1;
			name_len[count] = (size_t)(close - p - 1);
			values[count] = s;
			value_len[count] = seg;
			count++;
			p = close + 1;
			s += seg;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	if (req) {
		req->param_count = count;
		for (int i = 0; i < count; i++) {
			req->param_names[i] = dd_arena_strndup(
				&req->arena, names[i], name_len[i]);
			req->param_values[i] = dd_arena_strndup(
				&req->arena, values[i], value_len[i]);
		}
	}
	return 1;
}

const struct dd_route *dd_router_match(const struct dd_route *routes, int n,
				       enum dd_method method, const char *path,
				       struct dd_request *req,
				       unsigned *allowed)
{
	enum dd_method want = method == DD_HEAD ? DD_GET : method;
	*allowed = 0;
	for (int i = 0; i < n; i++) {
		if (routes[i].method == want &&
		    match(routes[i].pattern, path, req))
			return &routes[i];
	}
	for (int i = 0; i < n; i++)
		if (match(routes[i].pattern, path, NULL)) {
			*allowed |= routes[i].method;
			if (routes[i].method == DD_GET)
				*allowed |= DD_HEAD;
		}
	return NULL;
}
