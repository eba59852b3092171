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

	/* The web UI: public pages; their data needs a session. */
	{DD_GET, "/", dd_res_ui_index, PUBLIC, 0},
	{DD_GET, "/assets/{file}", dd_res_ui_asset, PUBLIC, 0},

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
	{DD_GET, "/api/v1/rota/hours", dd_res_rota_hours, VIEWER, 0},
	{DD_GET, "/api/v1/rota/jour-fixe", dd_res_rota_jourfixe, VIEWER, 0},

	{DD_GET, "/api/v1/holidays", dd_res_holidays_list, VIEWER, 0},
	{DD_POST, "/api/v1/holidays", dd_res_holidays_create, EDITOR, 0},
	{DD_POST, "/api/v1/holidays/import", dd_res_holidays_import, EDITOR, 0},
	{DD_DELETE, "/api/v1/holidays/{id}", dd_res_holidays_delete, EDITOR, 0},

	{DD_GET, "/api/v1/calendar-feeds", dd_res_feeds_list, VIEWER, 0},
	{DD_POST, "/api/v1/calendar-feeds", dd_res_feeds_create, VIEWER, 0},
	{DD_DELETE, "/api/v1/calendar-feeds/{id}", dd_res_feeds_delete, VIEWER,
	 0},
	/* Public: the secret in the file name is the credential. */
	{DD_GET, "/ical/{file}", dd_res_ical_get, PUBLIC, 0},

	/* Changes to the plan. Self-service routes are open to viewers; the
	 * handler lets only editors act for someone else. */
	{DD_GET, "/api/v1/absences", dd_res_absences_list, VIEWER, 0},
	{DD_POST, "/api/v1/absences", dd_res_absences_create, VIEWER, 0},
	{DD_GET, "/api/v1/absences/{id}", dd_res_absences_get, VIEWER, 0},
	{DD_DELETE, "/api/v1/absences/{id}", dd_res_absences_delete, VIEWER,
	 0},
	{DD_GET, "/api/v1/rota/uncovered", dd_res_uncovered_list, VIEWER, 0},
	{DD_POST, "/api/v1/rota/uncovered/check", dd_res_uncovered_check,
	 EDITOR, 0},
	{DD_POST, "/api/v1/rota/replacements", dd_res_replacements_create,
	 VIEWER, 0},
	{DD_GET, "/api/v1/swaps", dd_res_swaps_list, VIEWER, 0},
	{DD_POST, "/api/v1/swaps", dd_res_swaps_create, VIEWER, 0},
	{DD_GET, "/api/v1/swaps/{id}", dd_res_swaps_get, VIEWER, 0},
	{DD_POST, "/api/v1/swaps/{id}/accept", dd_res_swaps_accept, VIEWER, 0},
	{DD_POST, "/api/v1/swaps/{id}/decline", dd_res_swaps_decline, VIEWER,
	 0},
	{DD_POST, "/api/v1/swaps/{id}/cancel", dd_res_swaps_cancel, VIEWER, 0},
	{DD_POST, "/api/v1/rota/sick", dd_res_sick_create, VIEWER, 0},
	{DD_GET, "/api/v1/rota/cover-requests", dd_res_cover_list, VIEWER, 0},
	{DD_GET, "/api/v1/rota/cover-requests/{id}", dd_res_cover_get, VIEWER,
	 0},
	{DD_POST, "/api/v1/rota/cover-requests/{id}/accept",
	 dd_res_cover_accept, VIEWER, 0},
	{DD_POST, "/api/v1/rota/cover-requests/{id}/decline",
	 dd_res_cover_decline, VIEWER, 0},
	{DD_POST, "/api/v1/rota/cover-requests/{id}/assign",
	 dd_res_cover_assign, EDITOR, 0},

	{DD_GET, "/api/v1/oncall/now", dd_res_oncall_now, VIEWER, 0},
	{DD_GET, "/api/v1/oncall", dd_res_oncall_at, VIEWER, 0},

	/* Service levels. */
	{DD_GET, "/api/v1/sla-policies", dd_res_sla_policies_list, VIEWER, 0},
	{DD_POST, "/api/v1/sla-policies", dd_res_sla_policies_create, EDITOR,
	 0},
	{DD_GET, "/api/v1/sla-policies/{id}", dd_res_sla_policies_get, VIEWER,
	 0},
	{DD_PATCH, "/api/v1/sla-policies/{id}", dd_res_sla_policies_update,
	 EDITOR, 0},
	{DD_DELETE, "/api/v1/sla-policies/{id}", dd_res_sla_policies_delete,
	 EDITOR, 0},
	{DD_POST, "/api/v1/sla/check", dd_res_sla_check, EDITOR, 0},

	/* Customers, queues and assignment rules: the organisation's data,
	 * changed by editors. */
	{DD_GET, "/api/v1/organisations", dd_res_organisations_list, VIEWER,
	 0},
	{DD_POST, "/api/v1/organisations", dd_res_organisations_create, EDITOR,
	 0},
	{DD_GET, "/api/v1/organisations/{id}", dd_res_organisations_get, VIEWER,
	 0},
	{DD_PATCH, "/api/v1/organisations/{id}", dd_res_organisations_update,
	 EDITOR, 0},
	{DD_DELETE, "/api/v1/organisations/{id}", dd_res_organisations_delete,
	 EDITOR, 0},
	{DD_GET, "/api/v1/contacts", dd_res_contacts_list, VIEWER, 0},
	{DD_POST, "/api/v1/contacts", dd_res_contacts_create, EDITOR, 0},
	{DD_GET, "/api/v1/contacts/{id}", dd_res_contacts_get, VIEWER, 0},
	{DD_PATCH, "/api/v1/contacts/{id}", dd_res_contacts_update, EDITOR, 0},
	{DD_DELETE, "/api/v1/contacts/{id}", dd_res_contacts_delete, EDITOR, 0},
	{DD_PUT, "/api/v1/contacts/{id}/organisations/{org_id}",
	 dd_res_contact_orgs_put, EDITOR, 0},
	{DD_DELETE, "/api/v1/contacts/{id}/organisations/{org_id}",
	 dd_res_contact_orgs_delete, EDITOR, 0},
	{DD_GET, "/api/v1/queues", dd_res_queues_list, VIEWER, 0},
	{DD_POST, "/api/v1/queues", dd_res_queues_create, EDITOR, 0},
	{DD_GET, "/api/v1/queues/{id}", dd_res_queues_get, VIEWER, 0},
	{DD_PATCH, "/api/v1/queues/{id}", dd_res_queues_update, EDITOR, 0},
	{DD_DELETE, "/api/v1/queues/{id}", dd_res_queues_delete, EDITOR, 0},
	{DD_GET, "/api/v1/assignment-rules", dd_res_rules_list, VIEWER, 0},
	{DD_POST, "/api/v1/assignment-rules", dd_res_rules_create, EDITOR, 0},
	{DD_PUT, "/api/v1/assignment-rules/order", dd_res_rules_order, EDITOR,
	 0},
	{DD_GET, "/api/v1/assignment-rules/{id}", dd_res_rules_get, VIEWER, 0},
	{DD_PATCH, "/api/v1/assignment-rules/{id}", dd_res_rules_update, EDITOR,
	 0},
	{DD_DELETE, "/api/v1/assignment-rules/{id}", dd_res_rules_delete,
	 EDITOR, 0},
	/* Telephone duty takes calls: every signed-in person. */
	{DD_POST, "/api/v1/tickets/phone", dd_res_tickets_phone, VIEWER, 0},
	{DD_GET, "/api/v1/tickets/phone/lookup", dd_res_tickets_phone_lookup,
	 VIEWER, 0},

	{DD_POST, "/api/v1/tickets", dd_res_tickets_create, VIEWER, 0},
	/* Search and views; "views" before "{id}": the first match wins. */
	{DD_GET, "/api/v1/tickets", dd_res_tickets_list, VIEWER, 0},
	{DD_GET, "/api/v1/tickets/views", dd_res_ticket_views, VIEWER, 0},
	{DD_GET, "/api/v1/tickets/{id}", dd_res_tickets_get, VIEWER, 0},
	{DD_PATCH, "/api/v1/tickets/{id}", dd_res_tickets_update, VIEWER, 0},
	{DD_GET, "/api/v1/ticket-numbers/{number}", dd_res_tickets_by_number,
	 VIEWER, 0},
	/* Articles, attachments, merge, history and time accounting. */
	{DD_POST, "/api/v1/tickets/{id}/articles", dd_res_articles_create,
	 VIEWER, 0},
	{DD_GET, "/api/v1/tickets/{id}/articles", dd_res_articles_list, VIEWER,
	 0},
	{DD_POST, "/api/v1/tickets/{id}/attachments", dd_res_attachments_create,
	 VIEWER, 0},
	{DD_GET, "/api/v1/tickets/{id}/attachments", dd_res_attachments_list,
	 VIEWER, 0},
	{DD_GET, "/api/v1/attachments/{id}", dd_res_attachments_get, VIEWER, 0},
	{DD_POST, "/api/v1/tickets/{id}/merge", dd_res_tickets_merge, VIEWER,
	 0},
	{DD_GET, "/api/v1/tickets/{id}/history", dd_res_tickets_history, VIEWER,
	 0},
	{DD_GET, "/api/v1/reports/time", dd_res_time_report, VIEWER, 0},
	{DD_GET, "/api/v1/reports/tickets", dd_res_ticket_report, VIEWER, 0},
};

const int dd_route_count = (int)(sizeof(dd_routes) / sizeof(dd_routes[0]));
