/*
 * contact_method.h - how a person is reached: e-mail addresses and
 * webhooks (generic JSON, or a Slack/Mattermost-compatible body).
 *
 * A new method is unverified and gets a test message at once with a
 * six-digit code; the person enters the code back (verify) and only then
 * does the method receive pages and notices. The code is stored as a
 * digest, is valid for a day and survives five wrong tries; asking for a
 * new test message makes a new code. Changing nothing but the label
 * keeps a method verified; there is no changing the address (delete and
 * add: the new address must be verified). Strings come from the
 * context's arena.
 */
#ifndef DD_ALERT_CONTACT_METHOD_H
#define DD_ALERT_CONTACT_METHOD_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "store/event.h"

#define DD_CONTACT_LABEL_MAX 200
/* A webhook URL: long enough for chat services' tokens in the path. */
#define DD_CONTACT_URL_MAX     2048
#define DD_CONTACT_CODE_TTL_MS (24 * 3600 * 1000LL)
#define DD_CONTACT_CODE_TRIES  5

struct dd_contact_method {
	int64_t id;
	int64_t person_id;
	const char *kind;    /* email, webhook */
	const char *address; /* address or URL */
	const char *format;  /* generic, slack */
	const char *label;
	int64_t verified_at; /* 0: not verified */
	int64_t verify_sent_at;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

struct dd_contact_method_input {
	const char *kind;    /* required */
	const char *address; /* required */
	const char *format;  /* NULL: generic */
	const char *label;   /* NULL: "" */
};

/* Pure check of kind, address (an e-mail address; an http(s) URL
 * without spaces or credentials), format (webhooks only) and label.
 * 0, or -1 with a 400 naming the field. */
int dd_contact_method_check(const struct dd_contact_method_input *in,
			    struct dd_err *err);

/* Add a method to person_id and send its verification message, in one
 * transaction. 404 for no such person, 409 when the person has this
 * address already or has DD_NOTIFY_METHODS_MAX methods. */
int dd_contact_method_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			     int64_t person_id,
			     const struct dd_contact_method_input *in,
			     struct dd_contact_method *out, struct dd_err *err);
/* 404 unless person_id has method id. */
int dd_contact_method_get(struct dd_ctx *ctx, int64_t person_id, int64_t id,
			  struct dd_contact_method *out, struct dd_err *err);
int dd_contact_method_list(struct dd_ctx *ctx, int64_t person_id,
			   int (*fn)(const struct dd_contact_method *m,
				     void *arg),
			   void *arg, struct dd_err *err);
int dd_contact_method_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
			     int64_t person_id, int64_t id, struct dd_err *err);
/* Send a test message: with a new code while unverified, a plain test
 * once verified. */
int dd_contact_method_send_test(struct dd_ctx *ctx,
				const struct dd_actor *actor, int64_t person_id,
				int64_t id, struct dd_contact_method *out,
				struct dd_err *err);
/* Enter the code. 400 for a wrong code (counted), 409 when the code has
 * expired or was tried too often (send a new test message), 200-worthy
 * 0 when verified (also when it was already). */
int dd_contact_method_verify(struct dd_ctx *ctx, const struct dd_actor *actor,
			     int64_t person_id, int64_t id, const char *code,
			     struct dd_contact_method *out, struct dd_err *err);
/* Add a method already verified, without a test message: for demo data
 * and imports by an administrator who vouches for the address. */
int dd_contact_method_add_verified(struct dd_ctx *ctx,
				   const struct dd_actor *actor,
				   int64_t person_id,
				   const struct dd_contact_method_input *in,
				   struct dd_contact_method *out,
				   struct dd_err *err);

void dd_contact_method_to_json(const struct dd_contact_method *m,
			       struct dd_json_out *j);

#endif
