/*
 * res_ack.c - the one-click links of pages (alert/ack_link.h), public:
 * the signed token in the path is the only credential, and it can do
 * one thing to one alert (or confirm one shift), once.
 *
 * GET never changes anything: it shows what the link will do, with one
 * button that POSTs back to the same URL. Mail scanners (Outlook Safe
 * Links, Mimecast), chat unfurlers (Slack, Mattermost) and browsers'
 * prefetchers fetch links in messages by themselves; a GET that acted
 * would acknowledge a page nobody has seen and silently stop the
 * escalation. One click on the link and one on the button, no sign-in.
 * Integrations may POST to the link directly. Answers are HTML for
 * browsers and JSON for clients that ask for it (Accept:
 * application/json).
 */
#include <stdio.h>
#include <string.h>

#include "alert/ack_link.h"
#include "alert/alert.h"
#include "alert/shift.h"
#include "http/resources.h"

static int wants_json(struct dd_request *req)
{
	const char *accept = dd_req_header(req, "Accept");
	return accept && strstr(accept, "json") && !strstr(accept, "html");
}

static void html_escape(struct dd_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			dd_buf_puts(b, "&amp;");
			break;
		case '<':
			dd_buf_puts(b, "&lt;");
			break;
		case '>':
			dd_buf_puts(b, "&gt;");
			break;
		case '"':
			dd_buf_puts(b, "&quot;");
			break;
		case '\'':
			dd_buf_puts(b, "&#39;");
			break;
		default:
			dd_buf_putc(b, *s);
		}
	}
}

/* A small page: title, a line of text, and the button when form. */
static void page(struct dd_request *req, int status, const char *title,
		 const char *text, const char *button)
{
	struct dd_buf b;
	dd_buf_init(&b, 64 * 1024);
	dd_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
			"charset=\"utf-8\"><meta name=\"viewport\" "
			"content=\"width=device-width\"><meta name=\"robots\" "
			"content=\"noindex\"><title>");
	html_escape(&b, title);
	dd_buf_puts(&b, "</title></head><body><h1>");
	html_escape(&b, title);
	dd_buf_puts(&b, "</h1><p>");
	html_escape(&b, text);
	dd_buf_puts(&b, "</p>");
	if (button) {
		dd_buf_puts(&b,
			    "<form method=\"post\"><button type=\"submit\">");
		html_escape(&b, button);
		dd_buf_puts(&b, "</button></form>");
	}
	dd_buf_puts(&b, "</body></html>\n");
	char *html = dd_arena_strdup(&req->arena, dd_buf_str(&b));
	dd_buf_release(&b);
	dd_resp_text(req, status, "text/html; charset=utf-8", html ? html : "");
	/* The page: no scripts, no styles, the form posts to itself. */
	req->csp = "default-src 'none'; form-action 'self'; "
		   "frame-ancestors 'none'";
	dd_resp_header(req, "Referrer-Policy", "no-referrer");
}

static const char *verb(enum dd_ack_action a)
{
	return a == DD_ACK_RESOLVE ? "resolve"
	       : a == DD_ACK_READY ? "confirm readiness for"
				   : "acknowledge";
}

static int show_alert(struct dd_request *req, const struct dd_ack_token *t,
		      const struct dd_alert *a, int used, int done, int changed)
{
	char *text = dd_arena_printf(
		&req->arena, "Priority-1 ticket #%lld: %s. The alert is %s.%s",
		(long long)a->ticket_number, a->subject ? a->subject : "",
		a->state,
		done   ? (changed ? "" : " Nothing changed: it was past that.")
		: used ? " This link was used already."
		       : "");
	if (wants_json(req)) {
		struct dd_json_out *j = dd_resp_json(req, 200);
		dd_json_obj_begin(j);
		dd_json_kstr(j, "action", dd_ack_action_name(t->action));
		dd_json_kbool(j, "used", used || done);
		if (done)
			dd_json_kbool(j, "changed", changed);
		dd_json_key(j, "alert");
		dd_alert_to_json(a, j);
		dd_json_obj_end(j);
		return 0;
	}
	char *title = done ? dd_arena_printf(&req->arena, "Alert %s", a->state)
			   : dd_arena_printf(&req->arena, "%s alert #%lld?",
					     t->action == DD_ACK_RESOLVE
						     ? "Resolve"
						     : "Acknowledge",
					     (long long)a->ticket_number);
	char *button = dd_arena_printf(&req->arena, "Yes, %s", verb(t->action));
	page(req, 200, title ? title : "", text ? text : "",
	     done || used ? NULL : button);
	return 0;
}

static int show_shift(struct dd_request *req, const struct dd_ack_token *t,
		      const struct dd_shift *s, int done)
{
	if (wants_json(req)) {
		struct dd_json_out *j = dd_resp_json(req, 200);
		dd_json_obj_begin(j);
		dd_json_kstr(j, "action", dd_ack_action_name(t->action));
		dd_json_key(j, "shift");
		dd_shift_to_json(s, j);
		dd_json_obj_end(j);
		return 0;
	}
	char *text =
		dd_arena_printf(&req->arena, "Shift of %s, duty %lld.%s",
				s->day, (long long)s->duty_id,
				s->ready_at ? " Readiness is confirmed." : "");
	page(req, 200, s->ready_at ? "Ready" : "Confirm readiness?",
	     text ? text : "",
	     done || s->ready_at ? NULL : "Yes: on duty, VPN works");
	return 0;
}

static int fail(struct dd_request *req, const struct dd_err *err)
{
	if (wants_json(req) || err->status >= 500)
		return dd_res_err(req, err);
	page(req, err->status, "This link cannot be used", err->msg, NULL);
	return 0;
}

int dd_res_ack_get(struct dd_request *req)
{
	struct dd_ack_token t;
	struct dd_err err;
	dd_err_clear(&err);
	const char *token = dd_req_param(req, "token");
	if (dd_ack_link_check(&req->ctx, token, dd_ctx_now(&req->ctx), &t,
			      &err) < 0)
		return fail(req, &err);
	int used = dd_ack_link_used(&req->ctx, &t, &err);
	if (used < 0)
		return dd_res_err(req, &err);
	if (t.action == DD_ACK_READY) {
		struct dd_shift s;
		if (dd_shift_get(&req->ctx, t.object_id, &s, &err) < 0)
			return fail(req, &err);
		return show_shift(req, &t, &s, used);
	}
	struct dd_alert a;
	if (dd_alert_get(&req->ctx, t.object_id, &a, &err) < 0)
		return fail(req, &err);
	return show_alert(req, &t, &a, used, 0, 0);
}

int dd_res_ack_post(struct dd_request *req)
{
	struct dd_ack_token t;
	struct dd_err err;
	dd_err_clear(&err);
	const char *token = dd_req_param(req, "token");
	if (dd_ack_link_check(&req->ctx, token, dd_ctx_now(&req->ctx), &t,
			      &err) < 0)
		return fail(req, &err);
	if (t.action == DD_ACK_READY) {
		struct dd_shift s;
		char label[48];
		snprintf(label, sizeof(label), "link:%lld",
			 (long long)t.person_id);
		struct dd_actor actor = {t.person_id, label};
		if (dd_shift_ready_by_link(&req->ctx, &actor, &t, &s, &err) < 0)
			return fail(req, &err);
		return show_shift(req, &t, &s, 1);
	}
	struct dd_alert a;
	int changed = 0;
	if (dd_alert_act_by_link(&req->ctx, &t, &a, &changed, &err) < 0)
		return fail(req, &err);
	return show_alert(req, &t, &a, 1, 1, changed);
}
