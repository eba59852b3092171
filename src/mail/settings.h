/*
 * settings.h - the support mailbox's settings, one row (mail_settings):
 *
 *   tag_prefix       the ticket tag in subjects is "[PREFIX#NUMBER]"
 *                    ("" by default: "[#10042]")
 *   addresses        the addresses the mailbox receives at (lower case,
 *                    space-separated); mail from them is our own, and
 *                    replies go out from the first one
 *   triage_group_id  the group that sorts the mailbox (head of mailbox
 *                    and substitute); null: every editor
 *   autoreply_cap    automatic answers to one address per hour (10)
 *   acknowledge      answer a new ticket from mail with an automatic
 *                    acknowledgement (off)
 *   max_bytes        the largest message taken (25 MiB; at most
 *                    DD_LIMIT_MAIL_BYTES_MAX)
 *   imap_*           the IMAP(S) mailbox polled: URL ("" for none), user,
 *                    password (never shown), mailbox, interval in
 *                    seconds, what happens to a stored message ("flag":
 *                    \Seen and $Dutydesk; "move": to imap_move_to)
 *
 * Changes are written with the event "mail.settings" (the password is
 * never in it) and need If-Match's version when given. Strings come from
 * the context's arena.
 */
#ifndef DD_MAIL_SETTINGS_H
#define DD_MAIL_SETTINGS_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

/* Addresses the mailbox receives at. */
#define DD_MAIL_ADDRESSES_MAX 16
/* Automatic answers per address and hour at most (the cap's range). */
#define DD_MAIL_AUTOREPLY_CAP_MAX 1000
/* IMAP polling interval bounds, seconds. */
#define DD_MAIL_IMAP_INTERVAL_MIN 10
#define DD_MAIL_IMAP_INTERVAL_MAX 86400
/* An IMAP mailbox name, user, password. */
#define DD_MAIL_IMAP_FIELD_MAX 255

struct dd_mail_settings {
	const char *tag_prefix;
	int address_count;
	const char *addresses[DD_MAIL_ADDRESSES_MAX];
	int64_t triage_group_id; /* 0: none */
	int autoreply_cap;
	int acknowledge;
	int64_t max_bytes;
	const char *imap_url;
	const char *imap_user;
	const char *imap_password;
	const char *imap_mailbox;
	int imap_interval_s;
	const char *imap_after; /* "flag" or "move" */
	const char *imap_move_to;
	int64_t version;
	int64_t updated_at;
};

/* What an update changes: NULL or *_set 0 leaves a field. */
struct dd_mail_settings_input {
	const char *tag_prefix;
	int addresses_set, address_count;
	const char *addresses[DD_MAIL_ADDRESSES_MAX];
	int triage_group_set;
	int64_t triage_group_id;
	int autoreply_cap_set, autoreply_cap;
	int acknowledge_set, acknowledge;
	int max_bytes_set;
	int64_t max_bytes;
	const char *imap_url, *imap_user, *imap_password, *imap_mailbox;
	int imap_interval_set, imap_interval_s;
	const char *imap_after, *imap_move_to;
};

int dd_mail_settings_get(struct dd_ctx *ctx, struct dd_mail_settings *out,
			 struct dd_err *err);
/* 400 naming the field for a bad value, 412 for a stale if_version. */
int dd_mail_settings_update(struct dd_ctx *ctx, const struct dd_actor *actor,
			    const struct dd_mail_settings_input *in,
			    int64_t if_version, struct dd_mail_settings *out,
			    struct dd_err *err);
/* Nonzero when addr (lower case) is one the mailbox receives at. */
int dd_mail_settings_is_ours(const struct dd_mail_settings *s,
			     const char *addr);
/* Without the IMAP password: imap_password_set says whether one is. */
void dd_mail_settings_to_json(const struct dd_mail_settings *s,
			      struct dd_json_out *j);

#endif
