/*
 * customer.h - customer organisations and their contacts.
 *
 * An organisation has a unique name, the mail domains its people write
 * from, the phone numbers or number prefixes its calls come from (E.164:
 * "+4989" covers every number in Munich), a project manager (a person of
 * dutydesk: tickets in a "project_manager" queue go to them) and notes.
 * A contact is a person at a customer: name, e-mail, phone (E.164), and
 * the organisations they belong to (several are allowed).
 *
 * Lists are stored as space-separated text in organisations.mail_domains
 * and organisations.phone_prefixes: neither a domain nor an E.164 number
 * holds a space. A domain or a prefix belongs to one organisation only
 * (409 otherwise), so that a sender or a caller never matches two.
 *
 * Every change is written with its event in one transaction; updates
 * take the version of the ETag (if_version > 0, 412 when stale). Strings
 * in returned structs come from the context's arena.
 */
#ifndef DD_TICKET_CUSTOMER_H
#define DD_TICKET_CUSTOMER_H

#include <stdint.h>

#include "base/ctx.h"
#include "base/json_out.h"
#include "base/limits.h"
#include "store/event.h"

/* Mail domains and phone prefixes of one organisation: a company with
 * more than a handful of each is rare; 32 keeps a row and a lookup
 * small. */
#define DD_ORG_DOMAINS_MAX 32
#define DD_ORG_PHONES_MAX  32
/* A DNS name (RFC 1035). */
#define DD_ORG_DOMAIN_LEN 253
/* Free-text notes on an organisation or a contact: a page of text. */
#define DD_CUSTOMER_NOTES_MAX 10000
/* Organisations one contact belongs to. */
#define DD_CONTACT_ORGS_MAX 32

struct dd_organisation {
	int64_t id;
	const char *name;
	int domain_count;
	const char *domains[DD_ORG_DOMAINS_MAX]; /* lower case */
	int phone_count;
	const char *phones[DD_ORG_PHONES_MAX]; /* E.164 numbers or prefixes */
	int64_t project_manager_id;	       /* 0: none */
	const char *notes;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

/* NULL or *_set == 0 leaves a field as it is (create: its default). */
struct dd_organisation_input {
	const char *name;
	const char *notes;
	int domains_set, domain_count;
	const char *domains[DD_ORG_DOMAINS_MAX];
	int phones_set, phone_count;
	const char *phones[DD_ORG_PHONES_MAX];
	int project_manager_set;
	int64_t project_manager_id; /* 0 with _set clears */
};

struct dd_contact {
	int64_t id;
	const char *name;
	const char *email; /* NULL when none; lower case */
	const char *phone; /* NULL when none; E.164 */
	const char *notes;
	int org_count;
	int64_t org_ids[DD_CONTACT_ORGS_MAX]; /* ascending */
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

struct dd_contact_input {
	const char *name;
	const char *notes;
	int email_set; /* with email NULL: clear */
	const char *email;
	int phone_set; /* with phone NULL: clear */
	const char *phone;
	int orgs_set, org_count; /* replaces every membership */
	int64_t org_ids[DD_CONTACT_ORGS_MAX];
};

/* Pure: a mail domain ("example.org", lowered into out) and a phone
 * number or prefix ("+49 89" -> "+4989"). 0 or -1 with a 400 naming
 * field. */
int dd_customer_check_domain(const char *field, const char *domain,
			     char out[DD_ORG_DOMAIN_LEN + 1],
			     struct dd_err *err);
int dd_customer_check_phone(const char *field, const char *phone,
			    char out[DD_LIMIT_PHONE + 1], struct dd_err *err);

/* Pure: the length of the longest of prefixes (space-separated E.164)
 * that number starts with, 0 when none does. */
int dd_phone_prefix_match(const char *number, const char *prefixes);

/* Organisations. create: 409 when the name, a domain or a prefix is
 * taken; 400 for an unknown or inactive project manager. */
int dd_organisation_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			   const struct dd_organisation_input *in,
			   struct dd_organisation *out, struct dd_err *err);
/* 404 when there is no such organisation. */
int dd_organisation_get(struct dd_ctx *ctx, int64_t id,
			struct dd_organisation *out, struct dd_err *err);
/* In id order after after_id, at most limit; fn returns nonzero to
 * stop. */
int dd_organisation_list(struct dd_ctx *ctx, int64_t after_id, int limit,
			 int (*fn)(const struct dd_organisation *o, void *arg),
			 void *arg, struct dd_err *err);
int dd_organisation_update(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t id, const struct dd_organisation_input *in,
			   int64_t if_version, struct dd_organisation *out,
			   struct dd_err *err);
/* Memberships of contacts go with it; 409 while tickets name it. */
int dd_organisation_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t id, struct dd_err *err);
/* The organisation whose phone prefix is the longest that number (E.164)
 * starts with: 1 with *id set, 0 when none. Reads every organisation
 * with prefixes (a support desk has hundreds, not millions). */
int dd_organisation_find_by_phone(struct dd_ctx *ctx, const char *number,
				  int64_t *id, struct dd_err *err);
void dd_organisation_to_json(const struct dd_organisation *o,
			     struct dd_json_out *j);

/* Contacts. 400 when an organisation named does not exist. */
int dd_contact_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      const struct dd_contact_input *in, struct dd_contact *out,
		      struct dd_err *err);
int dd_contact_get(struct dd_ctx *ctx, int64_t id, struct dd_contact *out,
		   struct dd_err *err);
/* In id order after after_id; organisation_id > 0 keeps only its
 * members. */
int dd_contact_list(struct dd_ctx *ctx, int64_t organisation_id,
		    int64_t after_id, int limit,
		    int (*fn)(const struct dd_contact *c, void *arg), void *arg,
		    struct dd_err *err);
int dd_contact_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, const struct dd_contact_input *in,
		      int64_t if_version, struct dd_contact *out,
		      struct dd_err *err);
/* 409 while tickets or articles name the contact. */
int dd_contact_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, struct dd_err *err);
/* Add (idempotent: *added 0 when already a member) or remove (404 when
 * not a member) one membership; either raises the contact's version. */
int dd_contact_org_add(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t contact_id, int64_t org_id, int *added,
		       struct dd_contact *out, struct dd_err *err);
int dd_contact_org_remove(struct dd_ctx *ctx, const struct dd_actor *actor,
			  int64_t contact_id, int64_t org_id,
			  struct dd_contact *out, struct dd_err *err);
/* The contacts whose phone is exactly number (E.164): *count of them
 * (stops counting at 2) and the lowest id in *id. */
int dd_contact_find_by_phone(struct dd_ctx *ctx, const char *number,
			     int64_t *id, int *count, struct dd_err *err);
void dd_contact_to_json(const struct dd_contact *c, struct dd_json_out *j);

#endif
