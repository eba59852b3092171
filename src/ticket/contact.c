#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "people/person.h"
#include "store/store.h"
#include "ticket/customer.h"

#define SNAPSHOT_MAX (64 * 1024)

#define CONTACT_COLUMNS                                                        \
	"SELECT id, name, email, phone, notes, version, created_at,"           \
	" updated_at FROM contacts "

void dd_contact_to_json(const struct dd_contact *c, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", c->id);
	dd_json_kstr(j, "name", c->name);
	dd_json_kstr(j, "email", c->email);
	dd_json_kstr(j, "phone", c->phone);
	dd_json_kstr(j, "notes", c->notes);
	dd_json_key(j, "organisation_ids");
	dd_json_arr_begin(j);
	for (int i = 0; i < c->org_count; i++)
		dd_json_int(j, c->org_ids[i]);
	dd_json_arr_end(j);
	dd_json_kint(j, "version", c->version);
	dd_json_ktime(j, "created_at", c->created_at);
	dd_json_ktime(j, "updated_at", c->updated_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_contact *c)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, SNAPSHOT_MAX);
	dd_json_out_init(&j, &buf);
	dd_contact_to_json(c, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_contact *c)
{
	memset(c, 0, sizeof(*c));
	c->id = dd_rows_int(rows, 0);
	c->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	c->email = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	c->phone = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 3));
	c->notes = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 4));
	c->version = dd_rows_int(rows, 5);
	c->created_at = dd_rows_int(rows, 6);
	c->updated_at = dd_rows_int(rows, 7);
}

static int load_orgs(struct dd_ctx *ctx, struct dd_contact *c,
		     struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT organisation_id FROM contact_organisations "
			   "WHERE contact_id = $1 ORDER BY organisation_id",
			   (struct dd_param[]){DD_P_INT(c->id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	c->org_count = 0;
	while ((rc = dd_rows_next(rows, err)) > 0 &&
	       c->org_count < DD_CONTACT_ORGS_MAX)
		c->org_ids[c->org_count++] = dd_rows_int(rows, 0);
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_contact_get(struct dd_ctx *ctx, int64_t id, struct dd_contact *out,
		   struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, CONTACT_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no contact with id %lld", (long long)id);
	return load_orgs(ctx, out, err);
}

int dd_contact_list(struct dd_ctx *ctx, int64_t organisation_id,
		    int64_t after_id, int limit,
		    int (*fn)(const struct dd_contact *c, void *arg), void *arg,
		    struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {DD_P_INT(after_id), DD_P_INT(limit),
			       DD_P_INT(organisation_id)};
	struct dd_contact *page;
	int n = 0, rc = 0;
	if (dd_store_query(ctx->store,
			   CONTACT_COLUMNS
			   "WHERE id > $1 AND ($3 = 0 OR id IN (SELECT "
			   "contact_id FROM contact_organisations WHERE "
			   "organisation_id = $3)) ORDER BY id LIMIT $2",
			   p, 3, &rows, err) < 0)
		return -1;
	/* The page first, then each contact's organisations: one result
	 * set is open at a time on a connection. */
	page = dd_arena_alloc(ctx->arena, sizeof(*page) * (size_t)limit);
	if (!page) {
		dd_rows_free(rows);
		return dd_err_set(err, 500, DD_PROBLEM_LIMIT,
				  "no memory for a page of contacts");
	}
	while (n < limit && (rc = dd_rows_next(rows, err)) > 0)
		read_row(ctx, rows, &page[n++]);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (load_orgs(ctx, &page[i], err) < 0)
			return -1;
		if (fn(&page[i], arg) != 0)
			break;
	}
	return 0;
}

/* Checks and normalises in's text fields: email lowered into email,
 * phone to E.164 into phone. */
static int check_input(const struct dd_contact_input *in, int create,
		       char email[DD_LIMIT_EMAIL + 1],
		       char phone[DD_LIMIT_PHONE + 1], struct dd_err *err)
{
	if ((create || in->name) &&
	    dd_text_check("name", in->name, 1, DD_LIMIT_NAME,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	if (in->notes &&
	    dd_text_check("notes", in->notes, 0, DD_CUSTOMER_NOTES_MAX,
			  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	if (in->email_set && in->email) {
		if (dd_person_check_email(in->email, err) < 0)
			return -1;
		dd_text_lower(in->email, email, DD_LIMIT_EMAIL + 1);
	}
	if (in->phone_set && in->phone &&
	    dd_customer_check_phone("phone", in->phone, phone, err) < 0)
		return -1;
	if (in->orgs_set &&
	    (in->org_count < 0 || in->org_count > DD_CONTACT_ORGS_MAX))
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "a contact belongs to at most %d "
				  "organisations",
				  DD_CONTACT_ORGS_MAX);
	return 0;
}

/* Inside the transaction: replace the memberships with in's. */
static int write_orgs(struct dd_ctx *ctx, int64_t id,
		      const struct dd_contact_input *in, struct dd_err *err)
{
	if (dd_store_exec(ctx->store,
			  "DELETE FROM contact_organisations WHERE contact_id "
			  "= $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		return -1;
	for (int i = 0; i < in->org_count; i++) {
		int64_t n = 0, org = in->org_ids[i];
		int dup = 0;
		for (int k = 0; k < i; k++)
			dup |= in->org_ids[k] == org;
		if (dup)
			continue;
		if (dd_store_query_int(ctx->store,
				       "SELECT COUNT(*) FROM organisations "
				       "WHERE id = $1",
				       (struct dd_param[]){DD_P_INT(org)}, 1,
				       &n, err) < 0)
			return -1;
		if (n == 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'organisation_ids' names no "
					  "organisation (id %lld)",
					  (long long)org);
		if (dd_store_exec(
			    ctx->store,
			    "INSERT INTO contact_organisations "
			    "(contact_id, organisation_id) VALUES ($1, "
			    "$2)",
			    (struct dd_param[]){DD_P_INT(id), DD_P_INT(org)}, 2,
			    err) < 0)
			return -1;
	}
	return 0;
}

int dd_contact_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		      const struct dd_contact_input *in, struct dd_contact *out,
		      struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), id = 0;
	char email[DD_LIMIT_EMAIL + 1], phone[DD_LIMIT_PHONE + 1];
	if (check_input(in, 1, email, phone, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_param p[] = {
		DD_P_TEXT(in->name),
		in->email_set && in->email ? DD_P_TEXT(email) : DD_P_NULL,
		in->phone_set && in->phone ? DD_P_TEXT(phone) : DD_P_NULL,
		DD_P_TEXT(in->notes ? in->notes : ""),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO contacts (name, email, phone, notes, "
		    "created_at, updated_at) VALUES ($1, $2, $3, $4, "
		    "$5, $5) RETURNING id",
		    p, 5, &id, err) < 0 ||
	    (in->orgs_set && write_orgs(ctx, id, in, err) < 0) ||
	    dd_contact_get(ctx, id, out, err) < 0)
		goto fail;
	char *after = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "contact.create",
				 "contact", id, NULL, after, err);
	free(after);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* Begin, load the contact and check its version. */
static int begin_change(struct dd_ctx *ctx, int64_t id, int64_t if_version,
			struct dd_contact *before, struct dd_err *err)
{
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_contact_get(ctx, id, before, err) < 0)
		return -1;
	if (if_version > 0 && before->version != if_version)
		return dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
				  "contact %lld was changed meanwhile (version "
				  "%lld, not %lld): reload and try again",
				  (long long)id, (long long)before->version,
				  (long long)if_version);
	return 0;
}

/* Raise the version, reload into out, append the event and commit. */
static int finish_change(struct dd_ctx *ctx, const struct dd_actor *actor,
			 const char *action, const struct dd_contact *before,
			 int64_t now, struct dd_contact *out,
			 struct dd_err *err)
{
	if (dd_store_exec(
		    ctx->store,
		    "UPDATE contacts SET version = version + 1, "
		    "updated_at = $2 WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(before->id), DD_P_INT(now)}, 2,
		    err) < 0 ||
	    dd_contact_get(ctx, before->id, out, err) < 0)
		return -1;
	char *b = snapshot(before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, action, "contact",
				 before->id, b, a, err);
	free(b);
	free(a);
	if (rc < 0)
		return -1;
	return dd_store_commit(ctx->store, err);
}

int dd_contact_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, const struct dd_contact_input *in,
		      int64_t if_version, struct dd_contact *out,
		      struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	char email[DD_LIMIT_EMAIL + 1], phone[DD_LIMIT_PHONE + 1];
	struct dd_contact before;
	if (check_input(in, 0, email, phone, err) < 0)
		return -1;
	if (begin_change(ctx, id, if_version, &before, err) < 0)
		goto fail;
	const char *e =
		in->email_set ? (in->email ? email : NULL) : before.email;
	const char *ph =
		in->phone_set ? (in->phone ? phone : NULL) : before.phone;
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(in->name ? in->name : before.name),
		DD_P_TEXT(e),
		DD_P_TEXT(ph),
		DD_P_TEXT(in->notes ? in->notes : before.notes),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE contacts SET name = $2, email = $3, phone = "
			  "$4, notes = $5 WHERE id = $1",
			  p, 5, err) < 0 ||
	    (in->orgs_set && write_orgs(ctx, id, in, err) < 0) ||
	    finish_change(ctx, actor, "contact.update", &before, now, out,
			  err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), uses = 0;
	struct dd_contact before;
	if (begin_change(ctx, id, 0, &before, err) < 0 ||
	    dd_store_query_int(ctx->store,
			       "SELECT (SELECT COUNT(*) FROM tickets WHERE "
			       "contact_id = $1) + (SELECT COUNT(*) FROM "
			       "articles WHERE author_contact_id = $1)",
			       (struct dd_param[]){DD_P_INT(id)}, 1, &uses,
			       err) < 0)
		goto fail;
	if (uses) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "contact '%.100s' is named on tickets: it cannot "
			   "be deleted",
			   before.name);
		goto fail;
	}
	if (dd_store_exec(ctx->store,
			  "DELETE FROM contact_organisations WHERE contact_id "
			  "= $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0 ||
	    dd_store_exec(ctx->store, "DELETE FROM contacts WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "contact.delete",
				 "contact", id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_org_add(struct dd_ctx *ctx, const struct dd_actor *actor,
		       int64_t contact_id, int64_t org_id, int *added,
		       struct dd_contact *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), n = 0;
	struct dd_contact before;
	*added = 0;
	if (begin_change(ctx, contact_id, 0, &before, err) < 0 ||
	    dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM organisations WHERE id = "
			       "$1",
			       (struct dd_param[]){DD_P_INT(org_id)}, 1, &n,
			       err) < 0)
		goto fail;
	if (n == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no organisation with id %lld", (long long)org_id);
		goto fail;
	}
	for (int i = 0; i < before.org_count; i++)
		if (before.org_ids[i] == org_id) {
			*out = before;
			dd_store_rollback(ctx->store);
			return 0;
		}
	if (before.org_count >= DD_CONTACT_ORGS_MAX) {
		dd_err_set(err, 400, DD_PROBLEM_LIMIT,
			   "a contact belongs to at most %d organisations",
			   DD_CONTACT_ORGS_MAX);
		goto fail;
	}
	if (dd_store_exec(
		    ctx->store,
		    "INSERT INTO contact_organisations (contact_id, "
		    "organisation_id) VALUES ($1, $2)",
		    (struct dd_param[]){DD_P_INT(contact_id), DD_P_INT(org_id)},
		    2, err) < 0 ||
	    finish_change(ctx, actor, "contact.organisation.add", &before, now,
			  out, err) < 0)
		goto fail;
	*added = 1;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_org_remove(struct dd_ctx *ctx, const struct dd_actor *actor,
			  int64_t contact_id, int64_t org_id,
			  struct dd_contact *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_contact before;
	if (begin_change(ctx, contact_id, 0, &before, err) < 0)
		goto fail;
	int64_t gone = dd_store_exec(
		ctx->store,
		"DELETE FROM contact_organisations WHERE contact_id = $1 AND "
		"organisation_id = $2",
		(struct dd_param[]){DD_P_INT(contact_id), DD_P_INT(org_id)}, 2,
		err);
	if (gone < 0)
		goto fail;
	if (gone == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "contact %lld does not belong to organisation %lld",
			   (long long)contact_id, (long long)org_id);
		goto fail;
	}
	if (finish_change(ctx, actor, "contact.organisation.remove", &before,
			  now, out, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_find_by_phone(struct dd_ctx *ctx, const char *number,
			     int64_t *id, int *count, struct dd_err *err)
{
	struct dd_rows *rows;
	*id = 0;
	*count = 0;
	if (dd_store_query(
		    ctx->store,
		    "SELECT id FROM contacts WHERE phone = $1 ORDER BY id "
		    "LIMIT 2",
		    (struct dd_param[]){DD_P_TEXT(number)}, 1, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (!*count)
			*id = dd_rows_int(rows, 0);
		(*count)++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}
