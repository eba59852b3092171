#include "alert/alert_settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/compose.h"
#include "store/store.h"

static void read_target(struct dd_rows *rows, int col,
			struct dd_alert_target *t)
{
	t->kind = DD_TARGET_NONE;
	t->id = 0;
	if (dd_rows_is_null(rows, col))
		return;
	if (dd_target_kind_parse(dd_rows_text(rows, col), &t->kind) < 0)
		t->kind = DD_TARGET_NONE;
	t->id = dd_rows_int(rows, col + 1);
}

int dd_alert_settings_load(struct dd_ctx *ctx, struct dd_alert_settings *s,
			   struct dd_err *err)
{
	struct dd_rows *rows;
	memset(s, 0, sizeof(*s));
	if (dd_store_query(ctx->store,
			   "SELECT p1_policy_id, core_target_kind, "
			   "core_target_id, off_target_kind, off_target_id, "
			   "public_url, mail_from, version, updated_at "
			   "FROM alert_settings WHERE id = 1",
			   NULL, 0, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		s->p1_policy_id = dd_rows_int(rows, 0);
		read_target(rows, 1, &s->core_target);
		read_target(rows, 3, &s->off_target);
		snprintf(s->public_url, sizeof(s->public_url), "%s",
			 dd_rows_text(rows, 5) ? dd_rows_text(rows, 5) : "");
		snprintf(s->mail_from, sizeof(s->mail_from), "%s",
			 dd_rows_text(rows, 6) ? dd_rows_text(rows, 6) : "");
		s->version = dd_rows_int(rows, 7);
		s->updated_at = dd_rows_int(rows, 8);
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

void dd_alert_target_to_json(const struct dd_alert_target *t,
			     struct dd_json_out *j)
{
	if (t->kind == DD_TARGET_NONE) {
		dd_json_null(j);
		return;
	}
	dd_json_obj_begin(j);
	dd_json_kstr(j, "kind", dd_target_kind_name(t->kind));
	dd_json_kid(j, "id", t->id);
	dd_json_obj_end(j);
}

void dd_alert_settings_to_json(const struct dd_alert_settings *s,
			       struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	if (s->p1_policy_id)
		dd_json_kint(j, "p1_policy_id", s->p1_policy_id);
	else
		dd_json_knull(j, "p1_policy_id");
	dd_json_key(j, "core_hours_target");
	dd_alert_target_to_json(&s->core_target, j);
	dd_json_key(j, "out_of_hours_target");
	dd_alert_target_to_json(&s->off_target, j);
	dd_json_kstr(j, "public_url", s->public_url);
	dd_json_kstr(j, "mail_from", s->mail_from);
	dd_json_kint(j, "version", s->version);
	dd_json_obj_end(j);
}

int dd_alert_target_exists(struct dd_ctx *ctx, const struct dd_alert_target *t,
			   const char *what, struct dd_err *err)
{
	const char *sql = NULL;
	int64_t n = 0;
	switch (t->kind) {
	case DD_TARGET_PERSON:
		sql = "SELECT COUNT(*) FROM people WHERE id = $1";
		break;
	case DD_TARGET_GROUP:
		sql = "SELECT COUNT(*) FROM groups WHERE id = $1";
		break;
	case DD_TARGET_QUEUE:
		sql = "SELECT COUNT(*) FROM queues WHERE id = $1";
		break;
	case DD_TARGET_DUTY:
		if (!t->id)
			return 0;
		sql = "SELECT COUNT(*) FROM duties WHERE id = $1";
		break;
	default:
		return 0;
	}
	if (dd_store_query_int(ctx->store, sql,
			       (struct dd_param[]){DD_P_INT(t->id)}, 1, &n,
			       err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "%s names no %s with id %lld", what,
				  dd_target_kind_name(t->kind),
				  (long long)t->id);
	return 0;
}

static int check_fallback(const struct dd_alert_target *t, const char *what,
			  struct dd_err *err)
{
	if (t->kind == DD_TARGET_NONE)
		return 0;
	if (t->kind != DD_TARGET_PERSON && t->kind != DD_TARGET_GROUP &&
	    t->kind != DD_TARGET_QUEUE)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be a person, group or queue",
				  what);
	if (t->id <= 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' needs an id", what);
	return 0;
}

static int check_url(const char *url, struct dd_err *err)
{
	size_t n = strlen(url);
	if (n == 0)
		return 0;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'public_url' must start with http:// or "
				  "https://");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#' ||
		    c == '"' || c == '<' || c == '>' || c == '\\')
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'public_url' must be a plain URL "
					  "without spaces, query or fragment");
	}
	if (url[n - 1] == '/')
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'public_url' must not end with '/'");
	return 0;
}

static char *snapshot(const struct dd_alert_settings *s)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 4096);
	dd_json_out_init(&j, &buf);
	dd_alert_settings_to_json(s, &j);
	return dd_buf_detach(&buf, NULL);
}

static struct dd_param kind_param(const struct dd_alert_target *t)
{
	return t->kind == DD_TARGET_NONE
		       ? DD_P_NULL
		       : DD_P_TEXT(dd_target_kind_name(t->kind));
}

int dd_alert_settings_save(struct dd_ctx *ctx, const struct dd_actor *actor,
			   const struct dd_alert_settings *s,
			   int64_t if_version, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), n = 0;
	char addr[DD_ALERT_FROM_MAX + 1];
	struct dd_alert_settings before, after;
	if (check_fallback(&s->core_target, "core_hours_target", err) < 0 ||
	    check_fallback(&s->off_target, "out_of_hours_target", err) < 0 ||
	    check_url(s->public_url, err) < 0)
		return -1;
	if (s->mail_from[0] &&
	    dd_mail_address_only(s->mail_from, addr, sizeof(addr)) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'mail_from' holds no valid address");
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_alert_settings_load(ctx, &before, err) < 0)
		goto fail;
	if (if_version > 0 && if_version != before.version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "the alerting settings were changed meanwhile");
		goto fail;
	}
	if (dd_alert_target_exists(ctx, &s->core_target, "core_hours_target",
				   err) < 0 ||
	    dd_alert_target_exists(ctx, &s->off_target, "out_of_hours_target",
				   err) < 0)
		goto fail;
	if (s->p1_policy_id) {
		if (dd_store_query_int(
			    ctx->store,
			    "SELECT COUNT(*) FROM "
			    "escalation_policies WHERE id = $1",
			    (struct dd_param[]){DD_P_INT(s->p1_policy_id)}, 1,
			    &n, err) < 0)
			goto fail;
		if (n == 0) {
			dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				   "'p1_policy_id' names no policy (id %lld)",
				   (long long)s->p1_policy_id);
			goto fail;
		}
	}
	struct dd_param p[] = {
		s->p1_policy_id ? DD_P_INT(s->p1_policy_id) : DD_P_NULL,
		kind_param(&s->core_target),
		s->core_target.id ? DD_P_INT(s->core_target.id) : DD_P_NULL,
		kind_param(&s->off_target),
		s->off_target.id ? DD_P_INT(s->off_target.id) : DD_P_NULL,
		DD_P_TEXT(s->public_url),
		DD_P_TEXT(s->mail_from),
		DD_P_INT(now),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE alert_settings SET p1_policy_id = $1, "
			  "core_target_kind = $2, core_target_id = $3, "
			  "off_target_kind = $4, off_target_id = $5, "
			  "public_url = $6, mail_from = $7, updated_at = $8, "
			  "version = version + 1 WHERE id = 1",
			  p, 8, err) < 0 ||
	    dd_alert_settings_load(ctx, &after, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(&after);
	int rc =
		dd_event_append(ctx->store, now, actor, "alert.settings.update",
				"alert_settings", 1, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

void dd_alert_link_base(const struct dd_ctx *ctx,
			const struct dd_alert_settings *s, char *out,
			size_t cap)
{
	if (s->public_url[0]) {
		snprintf(out, cap, "%s", s->public_url);
		return;
	}
	const char *host = ctx->config ? ctx->config->listen_host : "127.0.0.1";
	int port = ctx->config ? ctx->config->listen_port : 8080;
	if (strchr(host, ':'))
		snprintf(out, cap, "http://[%s]:%d", host, port);
	else
		snprintf(out, cap, "http://%s:%d", host, port);
}

void dd_alert_mail_from(const struct dd_ctx *ctx,
			const struct dd_alert_settings *s, char *out,
			size_t cap)
{
	if (s->mail_from[0])
		snprintf(out, cap, "%s", s->mail_from);
	else
		snprintf(out, cap, "dutydesk <%s>",
			 ctx->config && ctx->config->mail_from[0]
				 ? ctx->config->mail_from
				 : "dutydesk@localhost");
}
