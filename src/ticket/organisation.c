#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "people/person.h"
#include "store/store.h"
#include "ticket/customer.h"

#define SNAPSHOT_MAX (64 * 1024)
/* Serialises organisation writes on PostgreSQL, so that two of them
 * cannot both find a domain or prefix free (SQLite has one writer). */
#define ORG_LOCK_KEY 0x6f726773 /* "orgs" */
/* The stored lists: every entry and a separator. */
#define DOMAINS_TEXT_MAX (DD_ORG_DOMAINS_MAX * (DD_ORG_DOMAIN_LEN + 1))
#define PHONES_TEXT_MAX	 (DD_ORG_PHONES_MAX * (DD_LIMIT_PHONE + 1))

#define ORG_COLUMNS                                                            \
	"SELECT id, name, mail_domains, phone_prefixes,"                       \
	" COALESCE(project_manager_id, 0), notes, version, created_at,"        \
	" updated_at FROM organisations "

int dd_customer_check_domain(const char *field, const char *domain,
			     char out[DD_ORG_DOMAIN_LEN + 1],
			     struct dd_err *err)
{
	if (dd_text_check(field, domain, 1, DD_ORG_DOMAIN_LEN,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	size_t n = strlen(domain), label = 0;
	int dots = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)domain[i];
		if (c == '.') {
			/* No empty label, none that ends in '-'. */
			if (label == 0 || domain[i - 1] == '-')
				goto bad;
			dots++;
			label = 0;
		} else if (isalnum(c) || (c == '-' && label > 0)) {
			if (++label > 63)
				goto bad;
		} else {
			goto bad;
		}
		out[i] = (char)tolower(c);
	}
	if (label == 0 || dots == 0 || domain[n - 1] == '-')
		goto bad;
	out[n] = '\0';
	return 0;
bad:
	return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			  "'%s' entry '%.100s' is not a mail domain like "
			  "example.org",
			  field, domain);
}

int dd_customer_check_phone(const char *field, const char *phone,
			    char out[DD_LIMIT_PHONE + 1], struct dd_err *err)
{
	if (dd_person_normalise_phone(phone, out, err) == 0)
		return 0;
	if (err && err->status != 400)
		return -1;
	return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			  "'%s' entry '%.40s' is not an international number "
			  "like +49 89 1234567 (E.164, at most 15 digits)",
			  field, phone);
}

int dd_phone_prefix_match(const char *number, const char *prefixes)
{
	int best = 0;
	const char *p = prefixes;
	while (p && *p) {
		size_t n = strcspn(p, " ");
		if (n > 0 && strncmp(number, p, n) == 0 && (int)n > best)
			best = (int)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	return best;
}

/* Split space-separated text into at most max arena strings. */
static int split(struct dd_ctx *ctx, const char *text, const char **items,
		 int max)
{
	int count = 0;
	const char *p = text ? text : "";
	while (*p && count < max) {
		size_t n = strcspn(p, " ");
		if (n)
			items[count++] = dd_arena_strndup(ctx->arena, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	return count;
}

/* Nonzero when the space-separated list holds item. */
static int list_has(const char *list, const char *item)
{
	size_t len = strlen(item);
	const char *p = list;
	while (p && *p) {
		size_t n = strcspn(p, " ");
		if (n == len && strncmp(p, item, n) == 0)
			return 1;
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

void dd_organisation_to_json(const struct dd_organisation *o,
			     struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", o->id);
	dd_json_kstr(j, "name", o->name);
	dd_json_key(j, "mail_domains");
	dd_json_arr_begin(j);
	for (int i = 0; i < o->domain_count; i++)
		dd_json_str(j, o->domains[i]);
	dd_json_arr_end(j);
	dd_json_key(j, "phone_prefixes");
	dd_json_arr_begin(j);
	for (int i = 0; i < o->phone_count; i++)
		dd_json_str(j, o->phones[i]);
	dd_json_arr_end(j);
	dd_json_kid(j, "project_manager_id", o->project_manager_id);
	dd_json_kstr(j, "notes", o->notes);
	dd_json_kint(j, "version", o->version);
	dd_json_ktime(j, "created_at", o->created_at);
	dd_json_ktime(j, "updated_at", o->updated_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_organisation *o)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, SNAPSHOT_MAX);
	dd_json_out_init(&j, &buf);
	dd_organisation_to_json(o, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_organisation *o)
{
	memset(o, 0, sizeof(*o));
	o->id = dd_rows_int(rows, 0);
	o->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	o->domain_count = split(ctx, dd_rows_text(rows, 2), o->domains,
				DD_ORG_DOMAINS_MAX);
	o->phone_count =
		split(ctx, dd_rows_text(rows, 3), o->phones, DD_ORG_PHONES_MAX);
	o->project_manager_id = dd_rows_int(rows, 4);
	o->notes = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 5));
	o->version = dd_rows_int(rows, 6);
	o->created_at = dd_rows_int(rows, 7);
	o->updated_at = dd_rows_int(rows, 8);
}

int dd_organisation_get(struct dd_ctx *ctx, int64_t id,
			struct dd_organisation *out, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, ORG_COLUMNS "WHERE id = $1",
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
				  "no organisation with id %lld",
				  (long long)id);
	return 0;
}

int dd_organisation_list(struct dd_ctx *ctx, int64_t after_id, int limit,
			 int (*fn)(const struct dd_organisation *o, void *arg),
			 void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {DD_P_INT(after_id), DD_P_INT(limit)};
	if (dd_store_query(ctx->store,
			   ORG_COLUMNS "WHERE id > $1 ORDER BY id LIMIT $2", p,
			   2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_organisation o;
		read_row(ctx, rows, &o);
		if (fn(&o, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The checked input as the stored columns: domains and phones
 * normalised, de-duplicated and joined with spaces. */
struct org_text {
	struct dd_buf domains, phones;
};

static void org_text_release(struct org_text *t)
{
	dd_buf_release(&t->domains);
	dd_buf_release(&t->phones);
}

static int normalise_lists(const struct dd_organisation_input *in,
			   struct org_text *t, struct dd_err *err)
{
	if (in->domain_count > DD_ORG_DOMAINS_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "an organisation has at most %d mail domains",
				  DD_ORG_DOMAINS_MAX);
	if (in->phone_count > DD_ORG_PHONES_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				  "an organisation has at most %d phone "
				  "prefixes",
				  DD_ORG_PHONES_MAX);
	for (int i = 0; i < in->domain_count; i++) {
		char d[DD_ORG_DOMAIN_LEN + 1];
		if (dd_customer_check_domain("mail_domains", in->domains[i], d,
					     err) < 0)
			return -1;
		if (list_has(dd_buf_str(&t->domains), d))
			continue;
		if ((t->domains.len && dd_buf_putc(&t->domains, ' ') < 0) ||
		    dd_buf_puts(&t->domains, d) < 0)
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "mail domains too long");
	}
	for (int i = 0; i < in->phone_count; i++) {
		char ph[DD_LIMIT_PHONE + 1];
		if (dd_customer_check_phone("phone_prefixes", in->phones[i], ph,
					    err) < 0)
			return -1;
		if (list_has(dd_buf_str(&t->phones), ph))
			continue;
		if ((t->phones.len && dd_buf_putc(&t->phones, ' ') < 0) ||
		    dd_buf_puts(&t->phones, ph) < 0)
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "phone prefixes too long");
	}
	return 0;
}

static int check_input(const struct dd_organisation_input *in, int create,
		       struct dd_err *err)
{
	if ((create || in->name) &&
	    dd_text_check("name", in->name, 1, DD_LIMIT_NAME,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	if (in->notes &&
	    dd_text_check("notes", in->notes, 0, DD_CUSTOMER_NOTES_MAX,
			  DD_TEXT_MULTI_LINE, err) < 0)
		return -1;
	return 0;
}

/* Inside the transaction: no other organisation has one of the domains
 * or prefixes, and the project manager is an active person. */
static int check_refs(struct dd_ctx *ctx, int64_t self, const char *domains,
		      const char *phones, int64_t pm, struct dd_err *err)
{
	if (pm) {
		int64_t n = 0;
		if (dd_store_query_int(ctx->store,
				       "SELECT COUNT(*) FROM people WHERE id = "
				       "$1 AND active = 1",
				       (struct dd_param[]){DD_P_INT(pm)}, 1, &n,
				       err) < 0)
			return -1;
		if (n == 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "unknown project manager: "
					  "'project_manager_id' %lld names no "
					  "active person",
					  (long long)pm);
	}
	if (!*domains && !*phones)
		return 0;
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT name, mail_domains, phone_prefixes FROM "
			   "organisations WHERE id <> $1 AND (mail_domains <> "
			   "'' OR phone_prefixes <> '')",
			   (struct dd_param[]){DD_P_INT(self)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		const char *other[2] = {dd_rows_text(rows, 1),
					dd_rows_text(rows, 2)};
		const char *mine[2] = {domains, phones};
		for (int k = 0; k < 2; k++) {
			const char *p = mine[k];
			while (*p) {
				char item[DD_ORG_DOMAIN_LEN + 1];
				size_t n = strcspn(p, " ");
				memcpy(item, p, n);
				item[n] = '\0';
				if (list_has(other[k], item)) {
					dd_err_set(err, 409,
						   DD_PROBLEM_CONFLICT,
						   "%s '%s' belongs to "
						   "organisation '%.100s'",
						   k ? "phone prefix"
						     : "mail domain",
						   item, dd_rows_text(rows, 0));
					dd_rows_free(rows);
					return -1;
				}
				p += n;
				while (*p == ' ')
					p++;
			}
		}
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int name_taken(struct dd_err *err, const char *name)
{
	if (err->status == 409)
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "an organisation named '%.100s' already exists",
			   name);
	return -1;
}

int dd_organisation_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			   const struct dd_organisation_input *in,
			   struct dd_organisation *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), id = 0;
	struct org_text t;
	dd_buf_init(&t.domains, DOMAINS_TEXT_MAX);
	dd_buf_init(&t.phones, PHONES_TEXT_MAX);
	if (check_input(in, 1, err) < 0 || normalise_lists(in, &t, err) < 0) {
		org_text_release(&t);
		return -1;
	}
	int64_t pm = in->project_manager_set ? in->project_manager_id : 0;
	if (dd_store_begin(ctx->store, err) < 0) {
		org_text_release(&t);
		return -1;
	}
	if (dd_store_lock(ctx->store, ORG_LOCK_KEY, err) < 0 ||
	    check_refs(ctx, 0, dd_buf_str(&t.domains), dd_buf_str(&t.phones),
		       pm, err) < 0)
		goto fail;
	struct dd_param p[] = {
		DD_P_TEXT(in->name),
		DD_P_TEXT(dd_buf_str(&t.domains)),
		DD_P_TEXT(dd_buf_str(&t.phones)),
		pm ? DD_P_INT(pm) : DD_P_NULL,
		DD_P_TEXT(in->notes ? in->notes : ""),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO organisations (name, mail_domains, "
		    "phone_prefixes, project_manager_id, notes, "
		    "created_at, updated_at) VALUES ($1, $2, $3, $4, "
		    "$5, $6, $6) RETURNING id",
		    p, 6, &id, err) < 0) {
		name_taken(err, in->name);
		goto fail;
	}
	if (dd_organisation_get(ctx, id, out, err) < 0)
		goto fail;
	char *after = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "organisation.create",
				 "organisation", id, NULL, after, err);
	free(after);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	org_text_release(&t);
	return 0;
fail:
	dd_store_rollback(ctx->store);
	org_text_release(&t);
	return -1;
}

static int stale(struct dd_err *err, const struct dd_organisation *o,
		 int64_t if_version)
{
	return dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			  "organisation '%.100s' was changed meanwhile "
			  "(version %lld, not %lld): reload and try again",
			  o->name, (long long)o->version,
			  (long long)if_version);
}

/* The stored list of before joined with spaces, for an update that
 * leaves it as it is. */
static void join(struct dd_buf *buf, const char *const *items, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			dd_buf_putc(buf, ' ');
		dd_buf_puts(buf, items[i]);
	}
}

int dd_organisation_update(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t id, const struct dd_organisation_input *in,
			   int64_t if_version, struct dd_organisation *out,
			   struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_organisation before;
	struct org_text t;
	dd_buf_init(&t.domains, DOMAINS_TEXT_MAX);
	dd_buf_init(&t.phones, PHONES_TEXT_MAX);
	if (check_input(in, 0, err) < 0 || normalise_lists(in, &t, err) < 0) {
		org_text_release(&t);
		return -1;
	}
	if (dd_store_begin(ctx->store, err) < 0) {
		org_text_release(&t);
		return -1;
	}
	if (dd_store_lock(ctx->store, ORG_LOCK_KEY, err) < 0 ||
	    dd_organisation_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		stale(err, &before, if_version);
		goto fail;
	}
	if (!in->domains_set)
		join(&t.domains, before.domains, before.domain_count);
	if (!in->phones_set)
		join(&t.phones, before.phones, before.phone_count);
	int64_t pm = in->project_manager_set ? in->project_manager_id
					     : before.project_manager_id;
	/* An unchanged project manager who has left since is kept: the
	 * check is for the one being set. */
	if (check_refs(ctx, id, dd_buf_str(&t.domains), dd_buf_str(&t.phones),
		       in->project_manager_set ? pm : 0, err) < 0)
		goto fail;
	const char *name = in->name ? in->name : before.name;
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(name),
		DD_P_TEXT(dd_buf_str(&t.domains)),
		DD_P_TEXT(dd_buf_str(&t.phones)),
		pm ? DD_P_INT(pm) : DD_P_NULL,
		DD_P_TEXT(in->notes ? in->notes : before.notes),
		DD_P_INT(now),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE organisations SET name = $2, mail_domains = "
			  "$3, phone_prefixes = $4, project_manager_id = $5, "
			  "notes = $6, updated_at = $7, version = version + 1 "
			  "WHERE id = $1",
			  p, 7, err) < 0) {
		name_taken(err, name);
		goto fail;
	}
	if (dd_organisation_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "organisation.update",
				 "organisation", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	org_text_release(&t);
	return 0;
fail:
	dd_store_rollback(ctx->store);
	org_text_release(&t);
	return -1;
}

int dd_organisation_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), tickets = 0;
	struct dd_organisation before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_organisation_get(ctx, id, &before, err) < 0 ||
	    dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM tickets WHERE "
			       "organisation_id = $1",
			       (struct dd_param[]){DD_P_INT(id)}, 1, &tickets,
			       err) < 0)
		goto fail;
	if (tickets) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "organisation '%.100s' has %lld tickets: it cannot "
			   "be deleted",
			   before.name, (long long)tickets);
		goto fail;
	}
	if (dd_store_exec(ctx->store,
			  "DELETE FROM contact_organisations WHERE "
			  "organisation_id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0 ||
	    dd_store_exec(ctx->store, "DELETE FROM organisations WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	char *b = snapshot(&before);
	int rc = dd_event_append(ctx->store, now, actor, "organisation.delete",
				 "organisation", id, b, NULL, err);
	free(b);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_organisation_find_by_phone(struct dd_ctx *ctx, const char *number,
				  int64_t *id, struct dd_err *err)
{
	struct dd_rows *rows;
	int best = 0;
	*id = 0;
	if (dd_store_query(ctx->store,
			   "SELECT id, phone_prefixes FROM organisations WHERE "
			   "phone_prefixes <> '' ORDER BY id",
			   NULL, 0, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		int n = dd_phone_prefix_match(number, dd_rows_text(rows, 1));
		if (n > best) {
			best = n;
			*id = dd_rows_int(rows, 0);
		}
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	return best > 0;
}
