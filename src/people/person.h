/*
 * person.h - the people who work in dutydesk: login, display name,
 * e-mail, phone (E.164), active flag and password.
 *
 * Strings in a struct dd_person returned here are allocated from the
 * context's arena and live as long as it does. Passwords are stored only
 * as argon2id hashes and never leave this file.
 */
#ifndef DD_PEOPLE_PERSON_H
#define DD_PEOPLE_PERSON_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "people/authz.h"
#include "store/event.h"

struct dd_person {
	int64_t id;
	const char *login;
	const char *name;
	const char *email;
	const char *phone; /* NULL when none */
	int active;
	int has_password;
	enum dd_role role; /* effective: the highest group role, >= viewer */
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

/* Fields for create (all but phone/password required) and for update
 * (NULL or *_set == 0 leaves a field as it is). */
struct dd_person_input {
	const char *login;
	const char *name;
	const char *email;
	const char *phone;
	int phone_set; /* update: 1 with phone NULL clears it */
	int active;
	int active_set;
	const char *password; /* create only; NULL: no password yet */
};

/* Pure checks; on success the normalised value is written to out. */
int dd_person_check_login(const char *login, char out[DD_LIMIT_LOGIN + 1],
			  struct dd_err *err);
int dd_person_check_email(const char *email, struct dd_err *err);
/* Accepts "+49 89 1234-567", "0049 89 ..." and stores "+49891234567". */
int dd_person_normalise_phone(const char *phone, char out[DD_LIMIT_PHONE + 1],
			      struct dd_err *err);
int dd_person_check_password(const char *password, struct dd_err *err);

/* Create a person and its event in one transaction. 409 when the login or
 * e-mail is taken. */
int dd_person_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_person_input *in, struct dd_person *out,
		     struct dd_err *err);

/* 0 with *out filled, or -1 (404 when there is no such person). */
int dd_person_get(struct dd_ctx *ctx, int64_t id, struct dd_person *out,
		  struct dd_err *err);
int dd_person_get_by_login(struct dd_ctx *ctx, const char *login,
			   struct dd_person *out, struct dd_err *err);

/* People with id > after_id in id order, at most limit; fn returns
 * nonzero to stop. */
int dd_person_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		   int (*fn)(const struct dd_person *p, void *arg), void *arg,
		   struct dd_err *err);

/* Change the fields set in in. if_version > 0 refuses (412) when the
 * stored version differs. */
int dd_person_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, const struct dd_person_input *in,
		     int64_t if_version, struct dd_person *out,
		     struct dd_err *err);

/* Set a new password (checked for length). Every session of the person
 * ends, but keep_session_id (0 for none) stays. */
int dd_person_set_password(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t id, const char *password,
			   int64_t keep_session_id, struct dd_err *err);

/* 0 when login exists, is active and password matches; *person_id set.
 * -1 with a 401 otherwise (the same message whatever was wrong). */
int dd_person_authenticate(struct dd_ctx *ctx, const char *login,
			   const char *password, int64_t *person_id,
			   struct dd_err *err);

/* The person as JSON (also the event snapshot). */
void dd_person_to_json(const struct dd_person *p, struct dd_json_out *j);

#endif
