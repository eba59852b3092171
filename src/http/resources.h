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

/* res_static.c: the built web UI (index.html and hashed assets) */
int dd_res_ui_index(struct dd_request *req);
int dd_res_ui_asset(struct dd_request *req);

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

/* res_live.c */
int dd_res_live(struct dd_request *req);

/* res_outbox.c */
int dd_res_outbox_list(struct dd_request *req);
int dd_res_outbox_get(struct dd_request *req);
int dd_res_outbox_retry(struct dd_request *req);

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

/* res_reports.c */
int dd_res_rota_hours(struct dd_request *req);
int dd_res_rota_jourfixe(struct dd_request *req);

/* res_holidays.c */
int dd_res_holidays_list(struct dd_request *req);
int dd_res_holidays_create(struct dd_request *req);
int dd_res_holidays_delete(struct dd_request *req);
int dd_res_holidays_import(struct dd_request *req);

/* res_feeds.c */
int dd_res_feeds_list(struct dd_request *req);
int dd_res_feeds_create(struct dd_request *req);
int dd_res_feeds_delete(struct dd_request *req);
int dd_res_ical_get(struct dd_request *req);

/* res_absences.c: absences, uncovered days, replacements */
int dd_res_absences_list(struct dd_request *req);
int dd_res_absences_create(struct dd_request *req);
int dd_res_absences_get(struct dd_request *req);
int dd_res_absences_delete(struct dd_request *req);
int dd_res_uncovered_list(struct dd_request *req);
int dd_res_uncovered_check(struct dd_request *req);
int dd_res_replacements_create(struct dd_request *req);
/* 0 when the signed-in person is person_id or an editor, else -1 with a
 * 403: the self-service routes are open to viewers for themselves. */
int dd_res_self_or_editor(struct dd_request *req, int64_t person_id);
/* A body that must be empty or an object without members (400). */
int dd_res_body_none(struct dd_request *req);
/* A "YYYY-MM-DD" member / a positive id member: 1 present, 0 absent (an
 * error when required), -1 with err filled. */
int dd_res_read_day(json_t *body, const char *key, int required, int64_t *day,
		    struct dd_err *err);
int dd_res_read_id(json_t *body, const char *key, int required, int64_t *id,
		   struct dd_err *err);
/* A positive id query argument (*id 0 when absent); -1 with a 400. */
int dd_res_query_id(struct dd_request *req, const char *name, int64_t *id);

/* res_swaps.c */
int dd_res_swaps_list(struct dd_request *req);
int dd_res_swaps_create(struct dd_request *req);
int dd_res_swaps_get(struct dd_request *req);
int dd_res_swaps_accept(struct dd_request *req);
int dd_res_swaps_decline(struct dd_request *req);
int dd_res_swaps_cancel(struct dd_request *req);

/* res_cover.c: sick today and cover requests */
int dd_res_sick_create(struct dd_request *req);
int dd_res_cover_list(struct dd_request *req);
int dd_res_cover_get(struct dd_request *req);
int dd_res_cover_accept(struct dd_request *req);
int dd_res_cover_decline(struct dd_request *req);
int dd_res_cover_assign(struct dd_request *req);

/* res_sla.c: service-level policies and the check */
int dd_res_sla_policies_list(struct dd_request *req);
int dd_res_sla_policies_create(struct dd_request *req);
int dd_res_sla_policies_get(struct dd_request *req);
int dd_res_sla_policies_update(struct dd_request *req);
int dd_res_sla_policies_delete(struct dd_request *req);
int dd_res_sla_check(struct dd_request *req);

/* res_tickets.c */
int dd_res_tickets_create(struct dd_request *req);
int dd_res_tickets_get(struct dd_request *req);
int dd_res_tickets_by_number(struct dd_request *req);
int dd_res_tickets_update(struct dd_request *req);
/* Read ticket fields of a body (fields: the allowed members, NULL for no
 * check) and answer with a ticket and its ETag. */
struct dd_ticket;
struct dd_ticket_input;
int dd_res_ticket_read_input(json_t *body, const char *const *fields,
			     struct dd_ticket_input *in, struct dd_err *err);
void dd_res_ticket_send(struct dd_request *req, int status,
			const struct dd_ticket *t);

/* res_ticket_list.c: search, list and CSV export; views with counts */
int dd_res_tickets_list(struct dd_request *req);
int dd_res_ticket_views(struct dd_request *req);

/* res_articles.c, res_attachments.c, res_ticket_merge.c,
 * res_ticket_history.c, res_time_report.c: what is said, attached and
 * done on tickets */
int dd_res_articles_create(struct dd_request *req);
int dd_res_articles_list(struct dd_request *req);
int dd_res_attachments_create(struct dd_request *req);
int dd_res_attachments_list(struct dd_request *req);
int dd_res_attachments_get(struct dd_request *req);
int dd_res_tickets_merge(struct dd_request *req);
int dd_res_tickets_history(struct dd_request *req);
int dd_res_time_report(struct dd_request *req);
/* res_ticket_report.c: tickets per week by channel */
int dd_res_ticket_report(struct dd_request *req);

/* res_p1_report.c */
int dd_res_p1_report(struct dd_request *req);

/* res_customers.c, res_queues.c, res_rules.c, res_phone.c: customers,
 * queues, assignment rules and phone tickets */
int dd_res_organisations_list(struct dd_request *req);
int dd_res_organisations_create(struct dd_request *req);
int dd_res_organisations_get(struct dd_request *req);
int dd_res_organisations_update(struct dd_request *req);
int dd_res_organisations_delete(struct dd_request *req);
int dd_res_contacts_list(struct dd_request *req);
int dd_res_contacts_create(struct dd_request *req);
int dd_res_contacts_get(struct dd_request *req);
int dd_res_contacts_update(struct dd_request *req);
int dd_res_contacts_delete(struct dd_request *req);
int dd_res_contact_orgs_put(struct dd_request *req);
int dd_res_contact_orgs_delete(struct dd_request *req);
int dd_res_queues_list(struct dd_request *req);
int dd_res_queues_create(struct dd_request *req);
int dd_res_queues_get(struct dd_request *req);
int dd_res_queues_update(struct dd_request *req);
int dd_res_queues_delete(struct dd_request *req);
int dd_res_rules_list(struct dd_request *req);
int dd_res_rules_create(struct dd_request *req);
int dd_res_rules_get(struct dd_request *req);
int dd_res_rules_update(struct dd_request *req);
int dd_res_rules_delete(struct dd_request *req);
int dd_res_rules_order(struct dd_request *req);
int dd_res_tickets_phone(struct dd_request *req);
int dd_res_tickets_phone_lookup(struct dd_request *req);

/* res_alerts.c, res_policies.c, res_contact_methods.c, res_ack.c,
 * res_shifts.c, res_phone_route.c: priority-1 alerting, contact
 * methods, one-click links, shift start and phone routing */
int dd_res_alerts_list(struct dd_request *req);
int dd_res_alerts_create(struct dd_request *req);
int dd_res_alerts_get(struct dd_request *req);
int dd_res_alerts_acknowledge(struct dd_request *req);
int dd_res_alerts_resolve(struct dd_request *req);
int dd_res_alerts_escalate(struct dd_request *req);
int dd_res_alerts_remind(struct dd_request *req);
int dd_res_policies_list(struct dd_request *req);
int dd_res_policies_create(struct dd_request *req);
int dd_res_policies_get(struct dd_request *req);
int dd_res_policies_put(struct dd_request *req);
int dd_res_policies_delete(struct dd_request *req);
int dd_res_alert_settings_get(struct dd_request *req);
int dd_res_alert_settings_put(struct dd_request *req);
int dd_res_contact_methods_list(struct dd_request *req);
int dd_res_contact_methods_create(struct dd_request *req);
int dd_res_contact_methods_get(struct dd_request *req);
int dd_res_contact_methods_delete(struct dd_request *req);
int dd_res_contact_methods_test(struct dd_request *req);
int dd_res_contact_methods_verify(struct dd_request *req);
int dd_res_ack_get(struct dd_request *req);
int dd_res_ack_post(struct dd_request *req);
int dd_res_shifts_list(struct dd_request *req);
int dd_res_shifts_get(struct dd_request *req);
int dd_res_shifts_ready(struct dd_request *req);
int dd_res_shifts_check(struct dd_request *req);
int dd_res_phone_route(struct dd_request *req);

/* Copy a domain error into the request: "return dd_res_err(req, &err)". */
int dd_res_err(struct dd_request *req, const struct dd_err *err);

/* res_mail.c: the support mailbox (mail/) */
int dd_res_mail_inbound(struct dd_request *req);
int dd_res_mail_messages_list(struct dd_request *req);
int dd_res_mail_messages_get(struct dd_request *req);
int dd_res_mail_messages_raw(struct dd_request *req);
int dd_res_mail_messages_reprocess(struct dd_request *req);
int dd_res_mail_settings_get(struct dd_request *req);
int dd_res_mail_settings_put(struct dd_request *req);
int dd_res_tickets_replies(struct dd_request *req);

/* res_triage.c: the head of mailbox's queue */
int dd_res_triage_list(struct dd_request *req);
int dd_res_triage_get(struct dd_request *req);
int dd_res_triage_create_ticket(struct dd_request *req);
int dd_res_triage_append(struct dd_request *req);
int dd_res_triage_answer(struct dd_request *req);
int dd_res_triage_forward(struct dd_request *req);

#endif
