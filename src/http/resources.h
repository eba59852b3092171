/*
 * resources.h - the handlers, one file per resource (res_*.c). The route
 * table in routes.c names them with their access.
 */
#ifndef DD_HTTP_RESOURCES_H
#define DD_HTTP_RESOURCES_H

#include "http/request.h"

/* res_health.c */
int dd_res_healthz(struct dd_request *req);
int dd_res_readyz(struct dd_request *req);

/* res_session.c */
int dd_res_session_create(struct dd_request *req);
int dd_res_session_get(struct dd_request *req);
int dd_res_session_delete(struct dd_request *req);
int dd_res_me_password(struct dd_request *req);

/* res_people.c */
int dd_res_people_list(struct dd_request *req);
int dd_res_people_create(struct dd_request *req);
int dd_res_people_get(struct dd_request *req);
int dd_res_people_update(struct dd_request *req);
int dd_res_people_delete(struct dd_request *req);
int dd_res_people_password(struct dd_request *req);

/* res_groups.c */
int dd_res_groups_list(struct dd_request *req);
int dd_res_groups_create(struct dd_request *req);
int dd_res_groups_get(struct dd_request *req);
int dd_res_groups_update(struct dd_request *req);
int dd_res_groups_delete(struct dd_request *req);
int dd_res_group_members_list(struct dd_request *req);
int dd_res_group_members_put(struct dd_request *req);
int dd_res_group_members_delete(struct dd_request *req);

/* res_tokens.c */
int dd_res_tokens_list(struct dd_request *req);
int dd_res_tokens_create(struct dd_request *req);
int dd_res_tokens_get(struct dd_request *req);
int dd_res_tokens_delete(struct dd_request *req);

/* res_events.c */
int dd_res_events_list(struct dd_request *req);

/* Copy a domain error into the request: "return dd_res_err(req, &err)". */
int dd_res_err(struct dd_request *req, const struct dd_err *err);

#endif
