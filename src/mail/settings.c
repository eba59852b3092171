#include "mail/settings.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/text.h"
#include "mail/imap_parse.h"
#include "mail/thread.h"
#include "people/person.h"
#include "store/store.h"

#define COLUMNS                                                                \
	"SELECT tag_prefix, addresses, triage_group_id, autoreply_cap,"        \
	" acknowledge, max_bytes, imap_url, imap_user, imap_password,"         \
	" imap_mailbox, imap_interval_s, imap_after, imap_move_to, version,"   \
	" updated_at FROM mail_settings WHERE id = 1"

static const char *dup(struct dd_arena *arena, const char *s)
{
	return dd_arena_strdup(arena, s ? s : "");
}

/* Split the space-separated list into s->addresses (arena copies). */
static void split_addresses(struct dd_arena *arena, const char *list,
			    struct dd_mail_settings *s)
{
	s->address_count = 0;
	const char *p = list ? list : "";
	while (*p && s->address_count < DD_MAIL_ADDRESSES_MAX) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n > 0)
			s->addresses[s->address_count++] =
				dd_arena_strndup(arena, p, n);
		p += n;
	}
}

int dd_mail_settings_get(struct dd_ctx *ctx, struct dd_mail_settings *out,
			 struct dd_err *err)
{
	struct dd_rows *rows;
	memset(out, 0, sizeof(*out));
	if (dd_store_query(ctx->store, COLUMNS, NULL, 0, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		struct dd_arena *a = ctx->arena;
		out->tag_prefix = dup(a, dd_rows_text(rows, 0));
		split_addresses(a, dd_rows_text(rows, 1), out);
		out->triage_group_id = dd_rows_int(rows, 2);
		out->autoreply_cap = (int)dd_rows_int(rows, 3);
		out->acknowledge = (int)dd_rows_int(rows, 4);
		out->max_bytes = dd_rows_int(rows, 5);
		out->imap_url = dup(a, dd_rows_text(rows, 6));
		out->imap_user = dup(a, dd_rows_text(rows, 7));
		out->imap_password = dup(a, dd_rows_text(rows, 8));
		out->imap_mailbox = dup(a, dd_rows_text(rows, 9));
		out->imap_interval_s = (int)dd_rows_int(rows, 10);
		out->imap_after = dup(a, dd_rows_text(rows, 11));
		out->imap_move_to = dup(a, dd_rows_text(rows, 12));
		out->version = dd_rows_int(rows, 13);
		out->updated_at = dd_rows_int(rows, 14);
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "the mail settings row is missing");
	if (!out->imap_move_to)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory reading the mail settings");
	return 0;
}

int dd_mail_settings_is_ours(const struct dd_mail_settings *s, const char *addr)
{
	for (int i = 0; addr && i < s->address_count; i++)
		if (strcasecmp(s->addresses[i], addr) == 0)
			return 1;
	return 0;
}

static int check_field(const char *field, const char *v, size_t max,
		       struct dd_err *err)
{
	return v ? dd_text_check(field, v, 0, max, DD_TEXT_SINGLE_LINE, err)
		 : 0;
}

/* Check in and apply it to s (the current settings). */
static int apply(struct dd_ctx *ctx, const struct dd_mail_settings_input *in,
		 struct dd_mail_settings *s, struct dd_err *err)
{
	if (in->tag_prefix) {
		if (!dd_mail_tag_prefix_valid(in->tag_prefix))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'tag_prefix' must be up to %d "
					  "letters, digits, '-' or '_'",
					  DD_MAIL_TAG_PREFIX_MAX);
		s->tag_prefix = in->tag_prefix;
	}
	if (in->addresses_set) {
		if (in->address_count > DD_MAIL_ADDRESSES_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'addresses' holds at most %d "
					  "addresses",
					  DD_MAIL_ADDRESSES_MAX);
		s->address_count = 0;
		for (int i = 0; i < in->address_count; i++) {
			if (dd_person_check_email(in->addresses[i], err) < 0)
				return dd_err_set(
					err, 400, DD_PROBLEM_VALIDATION,
					"'addresses' entry '%.80s' is "
					"not an e-mail address",
					in->addresses[i]);
			char *low =
				dd_arena_strdup(ctx->arena, in->addresses[i]);
			if (!low)
				return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
						  "out of memory");
			for (char *p = low; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			s->addresses[s->address_count++] = low;
		}
	}
	if (in->triage_group_set) {
		if (in->triage_group_id) {
			int64_t n = 0;
			if (dd_store_query_int(
				    ctx->store,
				    "SELECT COUNT(*) FROM groups WHERE id = $1",
				    (struct dd_param[]){
					    DD_P_INT(in->triage_group_id)},
				    1, &n, err) < 0)
				return -1;
			if (n == 0)
				return dd_err_set(
					err, 400, DD_PROBLEM_VALIDATION,
					"'triage_group_id' names no "
					"group (id %lld)",
					(long long)in->triage_group_id);
		}
		s->triage_group_id = in->triage_group_id;
	}
	if (in->autoreply_cap_set) {
		if (in->autoreply_cap < 0 ||
		    in->autoreply_cap > DD_MAIL_AUTOREPLY_CAP_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'autoreply_cap' must be 0 to %d",
					  DD_MAIL_AUTOREPLY_CAP_MAX);
		s->autoreply_cap = in->autoreply_cap;
	}
	if (in->acknowledge_set)
		s->acknowledge = in->acknowledge != 0;
	if (in->max_bytes_set) {
		if (in->max_bytes < DD_LIMIT_MAIL_BYTES_MIN ||
		    in->max_bytes > DD_LIMIT_MAIL_BYTES_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'max_bytes' must be %d to %d",
					  DD_LIMIT_MAIL_BYTES_MIN,
					  DD_LIMIT_MAIL_BYTES_MAX);
		s->max_bytes = in->max_bytes;
	}
	if (check_field("imap_url", in->imap_url, DD_LIMIT_URL, err) < 0 ||
	    check_field("imap_user", in->imap_user, DD_MAIL_IMAP_FIELD_MAX,
			err) < 0 ||
	    check_field("imap_password", in->imap_password,
			DD_MAIL_IMAP_FIELD_MAX, err) < 0 ||
	    check_field("imap_mailbox", in->imap_mailbox,
			DD_MAIL_IMAP_FIELD_MAX, err) < 0 ||
	    check_field("imap_move_to", in->imap_move_to,
			DD_MAIL_IMAP_FIELD_MAX, err) < 0)
		return -1;
	if (in->imap_url) {
		if (*in->imap_url && strncasecmp(in->imap_url, "imap://", 7) &&
		    strncasecmp(in->imap_url, "imaps://", 8))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'imap_url' must start with imap:// "
					  "or imaps://");
		/* Credentials in the URL would be shown with the settings. */
		const char *auth = strstr(in->imap_url, "://");
		if (auth && memchr(auth + 3, '@', strcspn(auth + 3, "/?#")))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'imap_url' may not hold a user or "
					  "password: use 'imap_user' and "
					  "'imap_password'");
		s->imap_url = in->imap_url;
	}
	if (in->imap_user)
		s->imap_user = in->imap_user;
	if (in->imap_password)
		s->imap_password = in->imap_password;
	if (in->imap_mailbox) {
		if (!*in->imap_mailbox)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'imap_mailbox' may not be empty");
		if (!dd_imap_name_valid(in->imap_mailbox))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'imap_mailbox' must be printable "
					  "ASCII");
		s->imap_mailbox = in->imap_mailbox;
	}
	if (in->imap_interval_set) {
		if (in->imap_interval_s < DD_MAIL_IMAP_INTERVAL_MIN ||
		    in->imap_interval_s > DD_MAIL_IMAP_INTERVAL_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'imap_interval_s' must be %d to %d",
					  DD_MAIL_IMAP_INTERVAL_MIN,
					  DD_MAIL_IMAP_INTERVAL_MAX);
		s->imap_interval_s = in->imap_interval_s;
	}
	if (in->imap_after) {
		if (strcmp(in->imap_after, "flag") != 0 &&
		    strcmp(in->imap_after, "move") != 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'imap_after' must be 'flag' or "
					  "'move'");
		s->imap_after = in->imap_after;
	}
	if (in->imap_move_to) {
		if (*in->imap_move_to && !dd_imap_name_valid(in->imap_move_to))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'imap_move_to' must be printable "
					  "ASCII");
		s->imap_move_to = in->imap_move_to;
	}
	if (strcmp(s->imap_after, "move") == 0 && !*s->imap_move_to)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'imap_after' 'move' needs 'imap_move_to'");
	return 0;
}

static char *snapshot(const struct dd_mail_settings *s)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 64 * 1024);
	dd_json_out_init(&j, &buf);
	dd_mail_settings_to_json(s, &j);
	return dd_buf_detach(&buf, NULL);
}

int dd_mail_settings_update(struct dd_ctx *ctx, const struct dd_actor *actor,
			    const struct dd_mail_settings_input *in,
			    int64_t if_version, struct dd_mail_settings *out,
			    struct dd_err *err)
{
	struct dd_mail_settings before, s;
	int64_t now = dd_ctx_now(ctx);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_store_exec(ctx->store,
			  "UPDATE mail_settings SET version = version WHERE "
			  "id = 1",
			  NULL, 0, err) < 0 ||
	    dd_mail_settings_get(ctx, &before, err) < 0)
		goto fail;
	if (if_version > 0 && if_version != before.version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "the mail settings changed (version %lld, not "
			   "%lld): read them again",
			   (long long)before.version, (long long)if_version);
		goto fail;
	}
	s = before;
	if (apply(ctx, in, &s, err) < 0)
		goto fail;
	struct dd_buf list;
	dd_buf_init(&list, 16 * 1024);
	for (int i = 0; i < s.address_count; i++)
		dd_buf_printf(&list, "%s%s", i ? " " : "", s.addresses[i]);
	struct dd_param p[] = {
		DD_P_TEXT(s.tag_prefix),
		DD_P_TEXT(dd_buf_str(&list)),
		s.triage_group_id ? DD_P_INT(s.triage_group_id) : DD_P_NULL,
		DD_P_INT(s.autoreply_cap),
		DD_P_INT(s.acknowledge),
		DD_P_INT(s.max_bytes),
		DD_P_TEXT(s.imap_url),
		DD_P_TEXT(s.imap_user),
		DD_P_TEXT(s.imap_password),
		DD_P_TEXT(s.imap_mailbox),
		DD_P_INT(s.imap_interval_s),
		DD_P_TEXT(s.imap_after),
		DD_P_TEXT(s.imap_move_to),
		DD_P_INT(now),
	};
	int64_t rc = dd_store_exec(
		ctx->store,
		"UPDATE mail_settings SET tag_prefix = $1, addresses = $2, "
		"triage_group_id = $3, autoreply_cap = $4, acknowledge = $5, "
		"max_bytes = $6, imap_url = $7, imap_user = $8, "
		"imap_password = $9, imap_mailbox = $10, imap_interval_s = "
		"$11, imap_after = $12, imap_move_to = $13, version = version "
		"+ 1, updated_at = $14 WHERE id = 1",
		p, 14, err);
	dd_buf_release(&list);
	if (rc < 0 || dd_mail_settings_get(ctx, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int erc = dd_event_append(ctx->store, now, actor, "mail.settings",
				  "mail_settings", 1, b, a, err);
	free(b);
	free(a);
	if (erc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

void dd_mail_settings_to_json(const struct dd_mail_settings *s,
			      struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kstr(j, "tag_prefix", s->tag_prefix);
	dd_json_key(j, "addresses");
	dd_json_arr_begin(j);
	for (int i = 0; i < s->address_count; i++)
		dd_json_str(j, s->addresses[i]);
	dd_json_arr_end(j);
	dd_json_kid(j, "triage_group_id", s->triage_group_id);
	dd_json_kint(j, "autoreply_cap", s->autoreply_cap);
	dd_json_kbool(j, "acknowledge", s->acknowledge);
	dd_json_kint(j, "max_bytes", s->max_bytes);
	dd_json_kstr(j, "imap_url", s->imap_url);
	dd_json_kstr(j, "imap_user", s->imap_user);
	dd_json_kbool(j, "imap_password_set",
		      s->imap_password && *s->imap_password);
	dd_json_kstr(j, "imap_mailbox", s->imap_mailbox);
	dd_json_kint(j, "imap_interval_s", s->imap_interval_s);
	dd_json_kstr(j, "imap_after", s->imap_after);
	dd_json_kstr(j, "imap_move_to", s->imap_move_to);
	dd_json_kint(j, "version", s->version);
	dd_json_ktime_or_null(j, "updated_at", s->updated_at);
	dd_json_obj_end(j);
}
