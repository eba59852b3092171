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

/* res_duties.c */
int dd_res_duties_list(struct dd_request *req);
int dd_res_duties_create(struct dd_request *req);
int dd_res_duties_get(struct dd_request *req);
int dd_res_duties_update(struct dd_request *req);
int dd_res_duties_delete(struct dd_request *req);
/* Shared readers: weekdays as ["mon", ...] (0 or -1; *present set), and
 * "HH:MM" (1 present, 0 absent, -1 error). */
int dd_res_read_weekdays(json_t *body, const char *key, unsigned *mask,
			 int *present, struct dd_err *err);
int dd_res_read_time(json_t *body, const char *key, int *minutes,
		     struct dd_err *err);

/* res_rota.c */
int dd_res_calendar_get(struct dd_request *req);
int dd_res_calendar_put(struct dd_request *req);
int dd_res_members_list(struct dd_request *req);
int dd_res_members_put(struct dd_request *req);
int dd_res_members_delete(struct dd_request *req);
int dd_res_weeks_list(struct dd_request *req);
int dd_res_weeks_get(struct dd_request *req);
int dd_res_weeks_put(struct dd_request *req);
int dd_res_weeks_delete(struct dd_request *req);
int dd_res_weeks_publish(struct dd_request *req);
int dd_res_days_list(struct dd_request *req);
int dd_res_days_put(struct dd_request *req);
int dd_res_proposals_create(struct dd_request *req);
int dd_res_oncall_now(struct dd_request *req);
int dd_res_oncall_at(struct dd_request *req);
/* A date query argument (dflt when absent) or path parameter; -1 with a
 * 400 in req->err. */
int dd_res_query_date(struct dd_request *req, const char *name, int64_t dflt,
		      int64_t *day);
int dd_res_param_date(struct dd_request *req, const char *name, int64_t *day);
struct dd_assignment;
void dd_res_assignment_json(struct dd_json_out *j,
			    const struct dd_assignment *a);

/* Copy a domain error into the request: "return dd_res_err(req, &err)". */
int dd_res_err(struct dd_request *req, const struct dd_err *err);

#endif
