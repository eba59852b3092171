#include "mail/lookup.h"

#include <string.h>
#include <strings.h>

#include "store/store.h"

int dd_mail_find_contact(struct dd_ctx *ctx, const char *addr,
			 int64_t *contact_id, int64_t *org_id,
			 struct dd_err *err)
{
	*contact_id = 0;
	*org_id = 0;
	if (!addr)
		return 0;
	int rc = dd_store_query_int(
		ctx->store, "SELECT MIN(id) FROM contacts WHERE email = $1",
		(struct dd_param[]){DD_P_TEXT(addr)}, 1, contact_id, err);
	if (rc <= 0)
		return rc < 0 ? -1 : 0;
	int64_t n = 0, org = 0;
	struct dd_param p[] = {DD_P_INT(*contact_id)};
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM contact_organisations "
			       "WHERE contact_id = $1",
			       p, 1, &n, err) < 0)
		return -1;
	if (n == 1 && dd_store_query_int(ctx->store,
					 "SELECT organisation_id FROM "
					 "contact_organisations WHERE "
					 "contact_id = $1",
					 p, 1, &org, err) < 0)
		return -1;
	*org_id = n == 1 ? org : 0;
	return 0;
}

int dd_mail_find_org_by_domain(struct dd_ctx *ctx, const char *addr,
			       int64_t *org_id, struct dd_err *err)
{
	*org_id = 0;
	const char *at = addr ? strrchr(addr, '@') : NULL;
	if (!at || !at[1])
		return 0;
	const char *domain = at + 1;
	size_t dn = strlen(domain);
	struct dd_rows *rows;
	/* Domains are space-separated text; a desk has hundreds of
	 * organisations, not millions. */
	if (dd_store_query(ctx->store,
			   "SELECT id, mail_domains FROM organisations WHERE "
			   "mail_domains <> '' ORDER BY id",
			   NULL, 0, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && !*org_id) {
		const char *p = dd_rows_text(rows, 1);
		while (p && *p) {
			size_t n = strcspn(p, " ");
			if (n == dn && strncasecmp(p, domain, n) == 0) {
				*org_id = dd_rows_int(rows, 0);
				break;
			}
			p += n;
			while (*p == ' ')
				p++;
		}
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_mail_find_colleague(struct dd_ctx *ctx, const char *addr,
			   int64_t *person_id, struct dd_err *err)
{
	*person_id = 0;
	if (!addr)
		return 0;
	int rc = dd_store_query_int(ctx->store,
				    "SELECT MIN(id) FROM people WHERE "
				    "lower(email) = $1 AND active = 1",
				    (struct dd_param[]){DD_P_TEXT(addr)}, 1,
				    person_id, err);
	return rc < 0 ? -1 : 0;
}

int dd_mail_sender_entitled(struct dd_ctx *ctx, int64_t ticket_id,
			    const char *addr, int *entitled, struct dd_err *err)
{
	int64_t n = 0, person = 0;
	*entitled = 0;
	if (!addr)
		return 0;
	if (dd_mail_find_colleague(ctx, addr, &person, err) < 0)
		return -1;
	if (person) {
		*entitled = 1;
		return 0;
	}
	if (dd_store_query_int(
		    ctx->store,
		    "SELECT COUNT(*) FROM tickets t JOIN contacts c ON "
		    "c.email = $2 WHERE t.id = $1 AND (c.id = t.contact_id OR "
		    "EXISTS (SELECT 1 FROM contact_organisations co WHERE "
		    "co.contact_id = c.id AND co.organisation_id = "
		    "t.organisation_id))",
		    (struct dd_param[]){DD_P_INT(ticket_id), DD_P_TEXT(addr)},
		    2, &n, err) < 0)
		return -1;
	*entitled = n > 0;
	return 0;
}

int dd_mail_follow_merges(struct dd_ctx *ctx, int64_t *ticket_id,
			  struct dd_err *err)
{
	for (int hops = 0; hops < 16; hops++) {
		int64_t next = 0;
		int rc = dd_store_query_int(
			ctx->store,
			"SELECT merged_into FROM tickets WHERE id = $1",
			(struct dd_param[]){DD_P_INT(*ticket_id)}, 1, &next,
			err);
		if (rc < 0)
			return -1;
		if (rc == 0 || next == 0)
			return 0;
		*ticket_id = next;
	}
	return 0;
}

int dd_mail_ticket_by_message_id(struct dd_ctx *ctx, const char *message_id,
				 int64_t *ticket_id, int *outbound,
				 struct dd_err *err)
{
	struct dd_rows *rows;
	*ticket_id = 0;
	*outbound = 0;
	if (!message_id)
		return 0;
	if (dd_store_query(ctx->store,
			   "SELECT ticket_id, direction FROM mail_message_ids "
			   "WHERE message_id = $1 ORDER BY id DESC LIMIT 1",
			   (struct dd_param[]){DD_P_TEXT(message_id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		*ticket_id = dd_rows_int(rows, 0);
		const char *d = dd_rows_text(rows, 1);
		*outbound = d && strcmp(d, "out") == 0;
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	return *ticket_id ? dd_mail_follow_merges(ctx, ticket_id, err) : 0;
}

int dd_mail_index_message_id(struct dd_ctx *ctx, const char *message_id,
			     int64_t ticket_id, const char *direction,
			     int64_t mail_id, struct dd_err *err)
{
	if (!message_id || !*message_id)
		return 0;
	struct dd_param p[] = {
		DD_P_TEXT(message_id),
		DD_P_INT(ticket_id),
		DD_P_TEXT(direction),
		mail_id ? DD_P_INT(mail_id) : DD_P_NULL,
		DD_P_INT(dd_ctx_now(ctx)),
	};
	return dd_store_exec(ctx->store,
			     "INSERT INTO mail_message_ids (message_id, "
			     "ticket_id, direction, mail_id, created_at) "
			     "VALUES ($1, $2, $3, $4, $5)",
			     p, 5, err) < 0
		       ? -1
		       : 0;
}

int dd_mail_colleagues(struct dd_ctx *ctx, struct dd_mail_colleague **out,
		       int *count, int max, struct dd_err *err)
{
	struct dd_rows *rows;
	*out = dd_arena_alloc(ctx->arena, (size_t)max * sizeof(**out));
	*count = 0;
	if (!*out)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(ctx->store,
			   "SELECT id, lower(email), name FROM people WHERE "
			   "active = 1 ORDER BY id LIMIT $1",
			   (struct dd_param[]){DD_P_INT(max)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && *count < max) {
		struct dd_mail_colleague *c = &(*out)[*count];
		c->id = dd_rows_int(rows, 0);
		c->email = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
		c->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
		(*count)++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}
