#include "ticket/phone.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "people/person.h"
#include "store/store.h"
#include "ticket/article.h"
#include "ticket/customer.h"

const char *dd_phone_match_name(enum dd_phone_match m)
{
	switch (m) {
	case DD_PHONE_MATCH_CONTACT:
		return "contact";
	case DD_PHONE_MATCH_ORGANISATION:
		return "organisation";
	default:
		return "none";
	}
}

void dd_phone_subject(const char *note, const char *number, char *out,
		      size_t cap)
{
	size_t n = 0, limit = cap - 1;
	if (limit > DD_PHONE_SUBJECT_CUT)
		limit = DD_PHONE_SUBJECT_CUT;
	const char *p = note ? note : "";
	/* Leading blank lines and spaces say nothing. */
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	for (; *p && *p != '\n' && *p != '\r' && n < limit; p++) {
		unsigned char c = (unsigned char)*p;
		out[n++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	/* Cut on a character boundary: drop a partial UTF-8 sequence. */
	if (*p && *p != '\n' && *p != '\r' && n == limit) {
		size_t k = n;
		while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && ((unsigned char)out[k - 1] & 0x80)) {
			/* out[k - 1] leads a sequence: whole only when the
			 * sequence ended exactly at n. */
			unsigned char lead = (unsigned char)out[k - 1];
			size_t len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
			if (k - 1 + len != n)
				n = k - 1;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, cap, "Call from %s", number);
}

/* The contact's organisation: its only one, else the prefix's when the
 * contact belongs to it (or to none). */
static int64_t contact_org(const struct dd_contact *c, int64_t by_prefix)
{
	if (c->org_count == 1)
		return c->org_ids[0];
	if (c->org_count == 0)
		return by_prefix;
	for (int i = 0; i < c->org_count; i++)
		if (c->org_ids[i] == by_prefix)
			return by_prefix;
	return 0;
}

/*
 * Inside the transaction: the first article, its search document and
 * its event, as ticket/article.c writes them (that module opens its own
 * transaction, so the intake writes the row itself): the event
 * "ticket.article" with the article's snapshot, and a phone note by a
 * person is the ticket's first response.
 */
static int write_note(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t now, struct dd_ticket *t, const char *note,
		      int64_t *article_id, struct dd_err *err)
{
	char source[48];
	struct dd_article a = {.ticket_id = t->id,
			       .kind = "phone_note",
			       .visibility = "internal",
			       .author_id = actor->person_id,
			       .body = note,
			       .created_at = now};
	struct dd_param p[] = {
		DD_P_INT(t->id),
		a.author_id ? DD_P_INT(a.author_id) : DD_P_NULL,
		DD_P_TEXT(note),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO articles (ticket_id, kind, "
		    "visibility, author_id, body, created_at) VALUES "
		    "($1, 'phone_note', 'internal', $2, $3, $4) "
		    "RETURNING id",
		    p, 4, &a.id, err) < 0)
		return -1;
	*article_id = a.id;
	snprintf(source, sizeof(source), "article:%lld", (long long)a.id);
	if (dd_ticket_index(ctx, t->id, source, note, err) < 0)
		return -1;
	if (a.author_id &&
	    (dd_store_exec(ctx->store,
			   "UPDATE tickets SET first_response_at = $2 WHERE "
			   "id = $1 AND first_response_at IS NULL",
			   (struct dd_param[]){DD_P_INT(t->id), DD_P_INT(now)},
			   2, err) < 0 ||
	     dd_ticket_load(ctx, t->id, t, err) < 0))
		return -1;
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 64 * 1024);
	dd_json_out_init(&j, &buf);
	dd_article_to_json(&a, 0, &j);
	int rc = dd_event_append(ctx->store, now, actor, "ticket.article",
				 "ticket", t->id, NULL, dd_buf_str(&buf), err);
	dd_buf_release(&buf);
	return rc;
}

static int normalise_caller(const char *caller, char *number,
			    struct dd_err *err)
{
	if (!caller)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'caller' is required");
	if (dd_person_normalise_phone(caller, number, err) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'caller' is not an international number "
				  "like +49 89 1234567 (E.164, at most 15 "
				  "digits)");
	return 0;
}

/* What number (E.164) finds: the contact when exactly one has it, the
 * organisation of the longest prefix. Shared by the lookup and the
 * intake (inside its transaction), so that both say the same. */
static int match_number(struct dd_ctx *ctx, struct dd_phone_lookup *out,
			struct dd_err *err)
{
	if (dd_contact_find_by_phone(ctx, out->number, &out->contact_id,
				     &out->contacts, err) < 0 ||
	    dd_organisation_find_by_phone(ctx, out->number, &out->prefix_org_id,
					  err) < 0)
		return -1;
	/* Two contacts with one number (a switchboard): no guess. */
	if (out->contacts != 1)
		out->contact_id = 0;
	out->matched = out->contact_id	    ? DD_PHONE_MATCH_CONTACT
		       : out->prefix_org_id ? DD_PHONE_MATCH_ORGANISATION
					    : DD_PHONE_MATCH_NONE;
	return 0;
}

int dd_phone_lookup(struct dd_ctx *ctx, const char *caller,
		    struct dd_phone_lookup *out, struct dd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (normalise_caller(caller, out->number, err) < 0 ||
	    match_number(ctx, out, err) < 0)
		return -1;
	out->organisation_id = out->prefix_org_id;
	if (out->contact_id) {
		struct dd_contact c;
		if (dd_contact_get(ctx, out->contact_id, &c, err) < 0)
			return -1;
		out->organisation_id = contact_org(&c, out->prefix_org_id);
	}
	return 0;
}

int dd_phone_intake(struct dd_ctx *ctx, const struct dd_actor *actor,
		    const struct dd_phone_call *call,
		    struct dd_phone_result *out, struct dd_err *err)
{
	struct dd_phone_lookup found = {0};
	char subject[DD_PHONE_SUBJECT_CUT + 64];
	int64_t now = dd_ctx_now(ctx), contact = 0, org = 0;
	memset(out, 0, sizeof(*out));
	if (normalise_caller(call->caller, found.number, err) < 0)
		return -1;
	if (!call->note)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'note' is required");
	if (dd_text_check("note", call->note, 1, DD_PHONE_NOTE_MAX,
			  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	if (!call->subject)
		dd_phone_subject(call->note, found.number, subject,
				 sizeof(subject));

	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (match_number(ctx, &found, err) < 0)
		goto fail;
	out->matched = found.matched;
	contact = found.contact_id;
	if (call->contact_id)
		contact = call->contact_id;
	if (call->organisation_id) {
		org = call->organisation_id;
	} else if (contact) {
		struct dd_contact c;
		if (dd_contact_get(ctx, contact, &c, err) < 0) {
			if (err->status == 404)
				dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					   "'contact_id' names nothing (id "
					   "%lld)",
					   (long long)contact);
			goto fail;
		}
		org = contact_org(&c, found.prefix_org_id);
	} else {
		org = found.prefix_org_id;
	}

	struct dd_ticket_input in = {
		.subject = call->subject ? call->subject : subject,
		.priority = call->priority,
		.channel = "phone",
		.organisation_id = org,
		.organisation_set = org != 0,
		.contact_id = contact,
		.contact_set = contact != 0,
		.caller_phone = found.number,
		.needs_completion = !org || !contact,
		.needs_completion_set = 1,
	};
	if (dd_ticket_create(ctx, actor, &in, &out->ticket, err) < 0 ||
	    write_note(ctx, actor, now, &out->ticket, call->note,
		       &out->article_id, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
