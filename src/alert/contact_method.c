#include "alert/contact_method.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/notify.h"
#include "base/secret.h"
#include "base/text.h"
#include "people/person.h"
#include "store/store.h"

int dd_contact_method_check(const struct dd_contact_method_input *in,
			    struct dd_err *err)
{
	if (!in->kind)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'kind' is required (email or webhook)");
	int is_email = strcmp(in->kind, "email") == 0;
	if (!is_email && strcmp(in->kind, "webhook") != 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'kind' must be email or webhook");
	if (!in->address)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'address' is required");
	if (in->label &&
	    dd_text_check("label", in->label, 0, DD_CONTACT_LABEL_MAX,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	if (in->format && strcmp(in->format, "generic") != 0 &&
	    strcmp(in->format, "slack") != 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'format' must be generic or slack");
	if (is_email) {
		if (in->format && strcmp(in->format, "generic") != 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'format' is for webhooks");
		if (dd_person_check_email(in->address, err) < 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'address' is not an e-mail address "
					  "like name@example.org");
		return 0;
	}
	const char *u = in->address;
	size_t n = strlen(u);
	const char *rest = strncmp(u, "https://", 8) == 0  ? u + 8
			   : strncmp(u, "http://", 7) == 0 ? u + 7
							   : NULL;
	if (!rest || n > DD_CONTACT_URL_MAX || !*rest || *rest == '/')
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'address' must be an http:// or https:// "
				  "URL of at most %d bytes",
				  DD_CONTACT_URL_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' ||
		    c == '>' || c == '\\')
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'address' must be a URL without "
					  "spaces or control characters");
	}
	/* user:password@ in a URL ends up in logs: credentials belong in
	 * the path or a token the receiver checks. */
	size_t host_len = strcspn(rest, "/?#");
	if (memchr(rest, '@', host_len))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'address' must not hold user:password@");
	return 0;
}

void dd_contact_method_to_json(const struct dd_contact_method *m,
			       struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", m->id);
	dd_json_kint(j, "person_id", m->person_id);
	dd_json_kstr(j, "kind", m->kind);
	dd_json_kstr(j, "address", m->address);
	dd_json_kstr(j, "format", m->format);
	dd_json_kstr(j, "label", m->label);
	dd_json_kbool(j, "verified", m->verified_at != 0);
	dd_json_ktime_or_null(j, "verified_at", m->verified_at);
	dd_json_ktime_or_null(j, "test_sent_at", m->verify_sent_at);
	dd_json_kint(j, "version", m->version);
	dd_json_ktime(j, "created_at", m->created_at);
	dd_json_ktime(j, "updated_at", m->updated_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_contact_method *m)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 8192);
	dd_json_out_init(&j, &buf);
	dd_contact_method_to_json(m, &j);
	return dd_buf_detach(&buf, NULL);
}

static int event(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t now,
		 const char *action, const struct dd_contact_method *before,
		 const struct dd_contact_method *after, struct dd_err *err)
{
	char *b = before ? snapshot(before) : NULL;
	char *a = after ? snapshot(after) : NULL;
	int rc = dd_event_append(ctx->store, now, actor, action,
				 "contact_method",
				 after ? after->id : before->id, b, a, err);
	free(b);
	free(a);
	return rc;
}

#define METHOD_SELECT                                                          \
	"SELECT id, person_id, kind, address, format, label, verified_at, "    \
	"verify_sent_at, version, created_at, updated_at FROM "                \
	"contact_methods "

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_contact_method *m)
{
	memset(m, 0, sizeof(*m));
	m->id = dd_rows_int(rows, 0);
	m->person_id = dd_rows_int(rows, 1);
	m->kind = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	m->address = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 3));
	m->format = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 4));
	m->label = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 5));
	m->verified_at = dd_rows_int(rows, 6);
	m->verify_sent_at = dd_rows_int(rows, 7);
	m->version = dd_rows_int(rows, 8);
	m->created_at = dd_rows_int(rows, 9);
	m->updated_at = dd_rows_int(rows, 10);
}

int dd_contact_method_get(struct dd_ctx *ctx, int64_t person_id, int64_t id,
			  struct dd_contact_method *out, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    METHOD_SELECT "WHERE id = $1 AND person_id = $2",
		    (struct dd_param[]){DD_P_INT(id), DD_P_INT(person_id)}, 2,
		    &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "person %lld has no contact method %lld",
				  (long long)person_id, (long long)id);
	return 0;
}

int dd_contact_method_list(struct dd_ctx *ctx, int64_t person_id,
			   int (*fn)(const struct dd_contact_method *m,
				     void *arg),
			   void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	int64_t n = 0;
	if (dd_store_query_int(
		    ctx->store, "SELECT COUNT(*) FROM people WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(person_id)}, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no person with id %lld",
				  (long long)person_id);
	if (dd_store_query(ctx->store,
			   METHOD_SELECT "WHERE person_id = $1 ORDER BY id",
			   (struct dd_param[]){DD_P_INT(person_id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_contact_method m;
		read_row(ctx, rows, &m);
		if (fn(&m, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The digest of a code, bound to its method: a code read for one
 * method is no use on another. */
static void code_digest(int64_t id, const char *code,
			char out[DD_SECRET_DIGEST_LEN])
{
	char text[64];
	snprintf(text, sizeof(text), "contact-method:%lld:%s", (long long)id,
		 code);
	dd_secret_digest(text, out);
}

/* Inside the transaction: a new code for m, stored as a digest, and the
 * message that carries it (or a plain test when m is verified). */
static int send_test(struct dd_ctx *ctx, struct dd_contact_method *m,
		     int64_t now, struct dd_err *err)
{
	char code[8], digest[DD_SECRET_DIGEST_LEN], text[512];
	int verified = m->verified_at != 0;
	snprintf(code, sizeof(code), "%06u",
		 (unsigned)randombytes_uniform(1000000));
	code_digest(m->id, code, digest);
	if (verified)
		snprintf(text, sizeof(text),
			 "This is a test message from dutydesk to your "
			 "contact method '%s'. It works: pages will reach "
			 "you here.",
			 m->label && *m->label ? m->label : m->address);
	else
		snprintf(text, sizeof(text),
			 "Your verification code is %s\n\nEnter it in "
			 "dutydesk to receive pages here. It is valid for 24 "
			 "hours. If you did not add this contact method, "
			 "ignore this message.",
			 code);
	char data[96];
	snprintf(data, sizeof(data), "{\"contact_method_id\":%lld%s%s%s}",
		 (long long)m->id, verified ? "" : ",\"code\":\"",
		 verified ? "" : code, verified ? "" : "\"");
	struct dd_notice n = {
		.event = "contact.test",
		.subject = verified ? "dutydesk: test message"
				    : "dutydesk: verification code",
		.text = text,
		.data_json = data,
		.ref_type = "contact_method",
		.ref_id = m->id,
	};
	struct dd_notify_to to = {m->id, m->kind, m->address, m->format};
	int64_t outbox_id;
	if (dd_notify_method(ctx, &to, &n, now, &outbox_id, err) < 0)
		return -1;
	struct dd_param p[] = {DD_P_INT(m->id),
			       verified ? DD_P_NULL : DD_P_TEXT(digest),
			       DD_P_INT(now)};
	if (dd_store_exec(ctx->store,
			  "UPDATE contact_methods SET verify_digest = $2, "
			  "verify_sent_at = $3, verify_failures = 0 "
			  "WHERE id = $1",
			  p, 3, err) < 0)
		return -1;
	m->verify_sent_at = now;
	return 0;
}

static int create(struct dd_ctx *ctx, const struct dd_actor *actor,
		  int64_t person_id, const struct dd_contact_method_input *in,
		  int verified, struct dd_contact_method *out,
		  struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx), n = 0, id = 0;
	if (dd_contact_method_check(in, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_param pp[] = {DD_P_INT(person_id)};
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM people WHERE id = $1", pp,
			       1, &n, err) < 0)
		goto fail;
	if (n == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no person with id %lld", (long long)person_id);
		goto fail;
	}
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM contact_methods WHERE "
			       "person_id = $1",
			       pp, 1, &n, err) < 0)
		goto fail;
	if (n >= DD_NOTIFY_METHODS_MAX) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "a person has at most %d contact methods",
			   DD_NOTIFY_METHODS_MAX);
		goto fail;
	}
	if (dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM contact_methods WHERE "
			       "person_id = $1 AND kind = $2 AND address = $3",
			       (struct dd_param[]){DD_P_INT(person_id),
						   DD_P_TEXT(in->kind),
						   DD_P_TEXT(in->address)},
			       3, &n, err) < 0)
		goto fail;
	if (n > 0) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "person %lld has this %s already",
			   (long long)person_id, in->kind);
		goto fail;
	}
	struct dd_param p[] = {
		DD_P_INT(person_id),
		DD_P_TEXT(in->kind),
		DD_P_TEXT(in->address),
		DD_P_TEXT(in->format ? in->format : "generic"),
		DD_P_TEXT(in->label ? in->label : ""),
		DD_P_INT(now),
		verified ? DD_P_INT(now) : DD_P_NULL,
	};
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO contact_methods (person_id, kind, "
			       "address, format, label, created_at, "
			       "updated_at, verified_at) VALUES ($1, $2, $3, "
			       "$4, $5, $6, $6, $7) RETURNING id",
			       p, 7, &id, err) < 0 ||
	    dd_contact_method_get(ctx, person_id, id, out, err) < 0 ||
	    (!verified && send_test(ctx, out, now, err) < 0) ||
	    event(ctx, actor, now, "contact_method.create", NULL, out, err) <
		    0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_method_delete(struct dd_ctx *ctx, const struct dd_actor *actor,
			     int64_t person_id, int64_t id, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_contact_method before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_contact_method_get(ctx, person_id, id, &before, err) < 0 ||
	    dd_store_exec(ctx->store,
			  "UPDATE alert_pages SET contact_method_id = NULL "
			  "WHERE contact_method_id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0 ||
	    dd_store_exec(ctx->store,
			  "DELETE FROM contact_methods WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0 ||
	    event(ctx, actor, now, "contact_method.delete", &before, NULL,
		  err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_method_send_test(struct dd_ctx *ctx,
				const struct dd_actor *actor, int64_t person_id,
				int64_t id, struct dd_contact_method *out,
				struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_contact_method_get(ctx, person_id, id, out, err) < 0 ||
	    send_test(ctx, out, now, err) < 0 ||
	    event(ctx, actor, now, "contact_method.test", NULL, out, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_method_verify(struct dd_ctx *ctx, const struct dd_actor *actor,
			     int64_t person_id, int64_t id, const char *code,
			     struct dd_contact_method *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	char digest[DD_SECRET_DIGEST_LEN], stored[DD_SECRET_DIGEST_LEN] = "";
	int64_t failures = 0;
	struct dd_contact_method before;
	if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'code' must be the six digits of the test "
				  "message");
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_contact_method_get(ctx, person_id, id, &before, err) < 0)
		goto fail;
	if (before.verified_at) {
		*out = before;
		dd_store_rollback(ctx->store);
		return 0;
	}
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT verify_digest, verify_failures FROM "
			   "contact_methods WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		goto fail;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		snprintf(stored, sizeof(stored), "%s",
			 dd_rows_text(rows, 0) ? dd_rows_text(rows, 0) : "");
		failures = dd_rows_int(rows, 1);
	}
	dd_rows_free(rows);
	if (rc < 0)
		goto fail;
	if (!stored[0] || failures >= DD_CONTACT_CODE_TRIES ||
	    now - before.verify_sent_at > DD_CONTACT_CODE_TTL_MS) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "the code of contact method %lld has expired or "
			   "was tried too often: send a new test message",
			   (long long)id);
		goto fail;
	}
	code_digest(id, code, digest);
	if (strlen(stored) != strlen(digest) ||
	    dd_secret_equal(stored, digest, strlen(digest)) != 0) {
		/* Count the failure (committed), then refuse. */
		if (dd_store_exec(ctx->store,
				  "UPDATE contact_methods SET verify_failures "
				  "= verify_failures + 1 WHERE id = $1",
				  (struct dd_param[]){DD_P_INT(id)}, 1,
				  err) < 0 ||
		    dd_store_commit(ctx->store, err) < 0)
			goto fail;
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'code' is not the code of the test message");
	}
	if (dd_store_exec(ctx->store,
			  "UPDATE contact_methods SET verified_at = $2, "
			  "verify_digest = NULL, updated_at = $2, version = "
			  "version + 1 WHERE id = $1",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2,
			  err) < 0 ||
	    dd_contact_method_get(ctx, person_id, id, out, err) < 0 ||
	    event(ctx, actor, now, "contact_method.verify", &before, out, err) <
		    0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_contact_method_create(struct dd_ctx *ctx, const struct dd_actor *actor,
			     int64_t person_id,
			     const struct dd_contact_method_input *in,
			     struct dd_contact_method *out, struct dd_err *err)
{
	return create(ctx, actor, person_id, in, 0, out, err);
}

int dd_contact_method_add_verified(struct dd_ctx *ctx,
				   const struct dd_actor *actor,
				   int64_t person_id,
				   const struct dd_contact_method_input *in,
				   struct dd_contact_method *out,
				   struct dd_err *err)
{
	return create(ctx, actor, person_id, in, 1, out, err);
}
