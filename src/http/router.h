/*
 * router.h - the table of routes and matching a request against it.
 *
 * A route is a method, a path pattern with {name} parameters, a handler
 * and what access it demands. The table in routes.c is the one place where
 * the permission matrix is written down; the server enforces it before
 * any handler runs.
 */
#ifndef DD_HTTP_ROUTER_H
#define DD_HTTP_ROUTER_H

#include "http/request.h"
#include "people/authz.h"

enum dd_route_flags {
	/* Unsafe, but needs no CSRF token: signing in (there is no session
	 * yet). */
	DD_ROUTE_NO_CSRF = 1 << 0,
	/* Public, but a presented session or token is still resolved (so
	 * the handler can say who is signed in). */
	DD_ROUTE_OPTIONAL_AUTH = 1 << 1,
	/* The body is a whole mail message: up to DD_LIMIT_MAIL_BYTES_MAX
	 * instead of the server's JSON body limit (the handler applies the
	 * configured mail size). */
	DD_ROUTE_MAIL_BODY = 1 << 2,
};

struct dd_route {
	enum dd_method method;
	const char *pattern;
	dd_handler handler;
	struct dd_access access;
	unsigned flags;
};

extern const struct dd_route dd_routes[];
extern const int dd_route_count;

/* Nonzero for methods that change state. */
int dd_method_unsafe(enum dd_method m);
/* "GET" for DD_GET, and so on. */
const char *dd_method_name(enum dd_method m);
/* 0 with *m set, or -1 for an unknown method. */
int dd_method_parse(const char *name, enum dd_method *m);

/*
 * Find the route for method and path. On a match, fills req's path
 * parameters (strings from req's arena) and returns the route. Otherwise
 * returns NULL and sets *allowed to the methods the path does accept
 * (0: no such path -> 404; nonzero -> 405 with Allow). HEAD matches GET.
 */
const struct dd_route *dd_router_match(const struct dd_route *routes, int n,
				       enum dd_method method, const char *path,
				       struct dd_request *req,
				       unsigned *allowed);

#endif
