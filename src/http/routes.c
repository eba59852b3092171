/*
 * routes.c - every route with the access it demands: the permission
 * matrix of dutydesk in one table. docs/openapi.yaml describes the same
 * routes; tests/unit/http/test_openapi.c keeps the two in step.
 */
#include "http/resources.h"
#include "http/router.h"

#define PUBLIC {DD_ROLE_NONE, 0}
#define VIEWER {DD_ROLE_VIEWER, 0}
#define EDITOR {DD_ROLE_EDITOR, 0}
#define ADMIN {DD_ROLE_ADMIN, 0}

const struct dd_route dd_routes[] = {
	{DD_GET, "/healthz", dd_res_healthz, PUBLIC, 0},
	{DD_GET, "/readyz", dd_res_readyz, PUBLIC, 0},

	{DD_POST, "/api/v1/session", dd_res_session_create, PUBLIC,
	 DD_ROUTE_NO_CSRF},
	{DD_GET, "/api/v1/session", dd_res_session_get, VIEWER, 0},
	{DD_DELETE, "/api/v1/session", dd_res_session_delete, VIEWER, 0},
	{DD_POST, "/api/v1/me/password", dd_res_me_password, VIEWER, 0},

	{DD_GET, "/api/v1/people", dd_res_people_list, VIEWER, 0},
	{DD_POST, "/api/v1/people", dd_res_people_create, ADMIN, 0},
	{DD_GET, "/api/v1/people/{id}", dd_res_people_get, VIEWER, 0},
	{DD_PATCH, "/api/v1/people/{id}", dd_res_people_update, ADMIN, 0},
	{DD_DELETE, "/api/v1/people/{id}", dd_res_people_delete, ADMIN, 0},
	{DD_PUT, "/api/v1/people/{id}/password", dd_res_people_password, ADMIN,
	 0},

	{DD_GET, "/api/v1/groups", dd_res_groups_list, VIEWER, 0},
	{DD_POST, "/api/v1/groups", dd_res_groups_create, ADMIN, 0},
	{DD_GET, "/api/v1/groups/{id}", dd_res_groups_get, VIEWER, 0},
	{DD_PATCH, "/api/v1/groups/{id}", dd_res_groups_update, ADMIN, 0},
	{DD_DELETE, "/api/v1/groups/{id}", dd_res_groups_delete, ADMIN, 0},
	{DD_GET, "/api/v1/groups/{id}/members", dd_res_group_members_list,
	 VIEWER, 0},
	{DD_PUT, "/api/v1/groups/{id}/members/{person_id}",
	 dd_res_group_members_put, ADMIN, 0},
	{DD_DELETE, "/api/v1/groups/{id}/members/{person_id}",
	 dd_res_group_members_delete, ADMIN, 0},

	{DD_GET, "/api/v1/tokens", dd_res_tokens_list, ADMIN, 0},
	{DD_POST, "/api/v1/tokens", dd_res_tokens_create, ADMIN, 0},
	{DD_GET, "/api/v1/tokens/{id}", dd_res_tokens_get, ADMIN, 0},
	{DD_DELETE, "/api/v1/tokens/{id}", dd_res_tokens_delete, ADMIN, 0},

	{DD_GET, "/api/v1/events", dd_res_events_list, ADMIN, 0},

	{DD_GET, "/api/v1/calendar", dd_res_calendar_get, VIEWER, 0},
	{DD_PUT, "/api/v1/calendar", dd_res_calendar_put, EDITOR, 0},

	{DD_GET, "/api/v1/duties", dd_res_duties_list, VIEWER, 0},
	{DD_POST, "/api/v1/duties", dd_res_duties_create, EDITOR, 0},
	{DD_GET, "/api/v1/duties/{id}", dd_res_duties_get, VIEWER, 0},
	{DD_PATCH, "/api/v1/duties/{id}", dd_res_duties_update, EDITOR, 0},
	{DD_DELETE, "/api/v1/duties/{id}", dd_res_duties_delete, EDITOR, 0},

	{DD_GET, "/api/v1/rota/members", dd_res_members_list, VIEWER, 0},
	{DD_PUT, "/api/v1/rota/members/{person_id}", dd_res_members_put, EDITOR,
	 0},
	{DD_DELETE, "/api/v1/rota/members/{person_id}", dd_res_members_delete,
	 EDITOR, 0},
	{DD_GET, "/api/v1/rota/weeks", dd_res_weeks_list, VIEWER, 0},
	{DD_GET, "/api/v1/rota/weeks/{week}", dd_res_weeks_get, VIEWER, 0},
	{DD_PUT, "/api/v1/rota/weeks/{week}", dd_res_weeks_put, EDITOR, 0},
	{DD_DELETE, "/api/v1/rota/weeks/{week}", dd_res_weeks_delete, EDITOR,
	 0},
	{DD_POST, "/api/v1/rota/weeks/{week}/publish", dd_res_weeks_publish,
	 EDITOR, 0},
	{DD_GET, "/api/v1/rota/days", dd_res_days_list, VIEWER, 0},
	{DD_PUT, "/api/v1/rota/days/{day}/{duty_id}", dd_res_days_put, EDITOR,
	 0},
	{DD_POST, "/api/v1/rota/proposals", dd_res_proposals_create, EDITOR, 0},

	{DD_GET, "/api/v1/oncall/now", dd_res_oncall_now, VIEWER, 0},
	{DD_GET, "/api/v1/oncall", dd_res_oncall_at, VIEWER, 0},
};

const int dd_route_count = (int)(sizeof(dd_routes) / sizeof(dd_routes[0]));
