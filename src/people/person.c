#include "people/person.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "base/text.h"
#include "store/store.h"

/* Snapshots for the event log; a person's JSON is well under this. */
#define SNAPSHOT_MAX (64 * 1024)

#define PERSON_COLUMNS                                                         \
	"SELECT p.id, p.login, p.name, p.email, p.phone, p.active,"            \
	" CASE WHEN p.password_hash IS NULL THEN 0 ELSE 1 END, p.version,"     \
	" p.created_at, p.updated_at,"                                         \
	" (SELECT COALESCE(MAX(g.role), 0) FROM memberships m"                 \
	" JOIN groups g ON g.id = m.group_id WHERE m.person_id = p.id)"        \
	" FROM people p "

int dd_person_check_login(const char *login, char out[DD_LIMIT_LOGIN + 1],
			  struct dd_err *err)
{
	if (dd_text_check("login", login, 1, DD_LIMIT_LOGIN,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	for (const char *p = login; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!isalnum(c) && c != '.' && c != '_' && c != '-')
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'login' may hold only letters, "
					  "digits, '.', '_' and '-'");
	}
	if (!isalnum((unsigned char)login[0]))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'login' must start with a letter or digit");
	dd_text_lower(login, out, DD_LIMIT_LOGIN + 1);
	return 0;
}

int dd_person_check_email(const char *email, struct dd_err *err)
{
	if (dd_text_check("email", email, 3, DD_LIMIT_EMAIL,
			  DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	const char *at = strchr(email, '@');
	if (!at || at == email || strchr(at + 1, '@') || !at[1] ||
	    !strchr(at + 1, '.') || strpbrk(email, " <>,;\"()[]\\") ||
	    at[1] == '.' || email[strlen(email) - 1] == '.')
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'email' is not an address like "
				  "name@example.org");
	return 0;
}

int dd_person_normalise_phone(const char *phone, char out[DD_LIMIT_PHONE + 1],
			      struct dd_err *err)
{
	char digits[64];
	size_t n = 0;
	const char *p = phone;
	if (dd_text_check("phone", phone, 1, 64, DD_TEXT_SINGLE_LINE, err) < 0)
		return -1;
	if (p[0] == '+')
		p++;
	else if (p[0] == '0' && p[1] == '0')
		p += 2;
	else
		goto bad;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				goto bad;
			digits[n++] = *p;
		} else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')' &&
			   *p != '/' && *p != '.') {
			goto bad;
		}
	}
	if (n < 2 || n > 15 || digits[0] == '0')
		goto bad;
	out[0] = '+';
	memcpy(out + 1, digits, n);
	out[n + 1] = '\0';
	return 0;
bad:
	return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			  "'phone' is not an international number like "
			  "+49 89 1234567 (E.164, at most 15 digits)");
}

int dd_person_check_password(const char *password, struct dd_err *err)
{
	if (!password)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'password' is required");
	size_t len = strlen(password);
	if (len < DD_LIMIT_PASSWORD_MIN)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'password' must be at least %d bytes",
				  DD_LIMIT_PASSWORD_MIN);
	return dd_text_check("password", password, DD_LIMIT_PASSWORD_MIN,
			     DD_LIMIT_PASSWORD_MAX, DD_TEXT_SINGLE_LINE, err);
}

static int check_name(const char *name, struct dd_err *err)
{
	return dd_text_check("name", name, 1, DD_LIMIT_NAME,
			     DD_TEXT_SINGLE_LINE, err);
}

void dd_person_to_json(const struct dd_person *p, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", p->id);
	dd_json_kstr(j, "login", p->login);
	dd_json_kstr(j, "name", p->name);
	dd_json_kstr(j, "email", p->email);
	dd_json_kstr(j, "phone", p->phone);
	dd_json_kbool(j, "active", p->active);
	dd_json_kbool(j, "has_password", p->has_password);
	dd_json_kstr(j, "role", dd_role_name(p->role));
	dd_json_kint(j, "version", p->version);
	dd_json_ktime(j, "created_at", p->created_at);
	dd_json_ktime(j, "updated_at", p->updated_at);
	dd_json_obj_end(j);
}

/* The person as a malloc'd JSON string for the event log. */
static char *snapshot(const struct dd_person *p)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, SNAPSHOT_MAX);
	dd_json_out_init(&j, &buf);
	dd_person_to_json(p, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_person *p)
{
	p->id = dd_rows_int(rows, 0);
	p->login = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
	p->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	p->email = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 3));
	p->phone = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 4));
	p->active = dd_rows_int(rows, 5) != 0;
	p->has_password = dd_rows_int(rows, 6) != 0;
	p->version = dd_rows_int(rows, 7);
	p->created_at = dd_rows_int(rows, 8);
	p->updated_at = dd_rows_int(rows, 9);
	int64_t role = dd_rows_int(rows, 10);
	p->role = role < DD_ROLE_VIEWER ? DD_ROLE_VIEWER : (enum dd_role)role;
}

static int get_one(struct dd_ctx *ctx, const char *sql, struct dd_param key,
		   struct dd_person *out, const char *what, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, sql, &key, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no person %s", what);
	return 0;
}

int dd_person_get(struct dd_ctx *ctx, int64_t id, struct dd_person *out,
		  struct dd_err *err)
{
	char what[40];
	snprintf(what, sizeof(what), "with id %lld", (long long)id);
	return get_one(ctx, PERSON_COLUMNS "WHERE p.id = $1", DD_P_INT(id), out,
		       what, err);
}

int dd_person_get_by_login(struct dd_ctx *ctx, const char *login,
			   struct dd_person *out, struct dd_err *err)
{
	char norm[DD_LIMIT_LOGIN + 1];
	char what[DD_LIMIT_LOGIN + 20];
	if (dd_person_check_login(login, norm, err) < 0)
		return -1;
	snprintf(what, sizeof(what), "with login '%s'", norm);
	return get_one(ctx, PERSON_COLUMNS "WHERE p.login = $1",
		       DD_P_TEXT(norm), out, what, err);
}

int dd_person_list(struct dd_ctx *ctx, int64_t after_id, int limit,
		   int (*fn)(const struct dd_person *p, void *arg), void *arg,
		   struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {DD_P_INT(after_id), DD_P_INT(limit)};
	if (dd_store_query(ctx->store,
			   PERSON_COLUMNS
			   "WHERE p.id > $1 ORDER BY p.id LIMIT $2",
			   p, 2, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_person person;
		read_row(ctx, rows, &person);
		if (fn(&person, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int conflict_message(struct dd_err *err, const char *login,
			    const char *email)
{
	/* The engines name the violated constraint differently; say what a
	 * person can act on. */
	if (err->status == 409)
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "login '%s' or e-mail '%s' is already taken",
			   login ? login : "", email ? email : "");
	return -1;
}

int dd_person_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		     const struct dd_person_input *in, struct dd_person *out,
		     struct dd_err *err)
{
	char login[DD_LIMIT_LOGIN + 1];
	char phone[DD_LIMIT_PHONE + 1];
	char hash[DD_PASSWORD_HASH_LEN];
	int64_t now = dd_ctx_now(ctx);
	if (dd_person_check_login(in->login, login, err) < 0 ||
	    check_name(in->name, err) < 0 ||
	    dd_person_check_email(in->email, err) < 0)
		return -1;
	if (in->phone && dd_person_normalise_phone(in->phone, phone, err) < 0)
		return -1;
	if (in->password) {
		if (dd_person_check_password(in->password, err) < 0)
			return -1;
		if (dd_password_hash(in->password, hash) < 0)
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "cannot hash password");
	}
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int64_t id = 0;
	struct dd_param p[] = {
		DD_P_TEXT(login),
		DD_P_TEXT(in->name),
		DD_P_TEXT(in->email),
		in->phone ? DD_P_TEXT(phone) : DD_P_NULL,
		DD_P_INT(in->active_set ? in->active != 0 : 1),
		in->password ? DD_P_TEXT(hash) : DD_P_NULL,
		DD_P_INT(now),
	};
	if (dd_store_query_int(ctx->store,
			       "INSERT INTO people (login, name, email, phone, "
			       "active, password_hash, created_at, updated_at) "
			       "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
			       "RETURNING id",
			       p, 7, &id, err) < 0) {
		conflict_message(err, login, in->email);
		goto fail;
	}
	if (dd_person_get(ctx, id, out, err) < 0)
		goto fail;
	char *after = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "person.create",
				 "person", id, NULL, after, err);
	free(after);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_person_update(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, const struct dd_person_input *in,
		     int64_t if_version, struct dd_person *out,
		     struct dd_err *err)
{
	char login[DD_LIMIT_LOGIN + 1];
	char phone[DD_LIMIT_PHONE + 1];
	int64_t now = dd_ctx_now(ctx);
	if (in->login && dd_person_check_login(in->login, login, err) < 0)
		return -1;
	if (in->name && check_name(in->name, err) < 0)
		return -1;
	if (in->email && dd_person_check_email(in->email, err) < 0)
		return -1;
	if (in->phone_set && in->phone &&
	    dd_person_normalise_phone(in->phone, phone, err) < 0)
		return -1;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	struct dd_person before;
	if (dd_person_get(ctx, id, &before, err) < 0)
		goto fail;
	if (if_version > 0 && before.version != if_version) {
		dd_err_set(err, 412, DD_PROBLEM_PRECONDITION,
			   "person %lld was changed meanwhile (version %lld, "
			   "not %lld): reload and try again",
			   (long long)id, (long long)before.version,
			   (long long)if_version);
		goto fail;
	}
	struct dd_param p[] = {
		DD_P_INT(id),
		DD_P_TEXT(in->login ? login : before.login),
		DD_P_TEXT(in->name ? in->name : before.name),
		DD_P_TEXT(in->email ? in->email : before.email),
		in->phone_set ? (in->phone ? DD_P_TEXT(phone) : DD_P_NULL)
			      : DD_P_TEXT(before.phone),
		DD_P_INT(in->active_set ? in->active != 0 : before.active),
		DD_P_INT(now),
	};
	if (dd_store_exec(ctx->store,
			  "UPDATE people SET login = $2, name = $3, email = $4,"
			  " phone = $5, active = $6, updated_at = $7,"
			  " version = version + 1 WHERE id = $1",
			  p, 7, err) < 0) {
		conflict_message(err, in->login ? login : before.login,
				 in->email ? in->email : before.email);
		goto fail;
	}
	/* A deactivated person is signed out everywhere at once. */
	if (in->active_set && !in->active &&
	    dd_store_exec(ctx->store,
			  "DELETE FROM sessions WHERE person_id = $1",
			  (struct dd_param[]){DD_P_INT(id)}, 1, err) < 0)
		goto fail;
	if (dd_person_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "person.update",
				 "person", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_person_set_password(struct dd_ctx *ctx, const struct dd_actor *actor,
			   int64_t id, const char *password,
			   int64_t keep_session_id, struct dd_err *err)
{
	char hash[DD_PASSWORD_HASH_LEN];
	int64_t now = dd_ctx_now(ctx);
	if (dd_person_check_password(password, err) < 0)
		return -1;
	if (dd_password_hash(password, hash) < 0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "cannot hash password");
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int64_t changed = dd_store_exec(
		ctx->store,
		"UPDATE people SET password_hash = $2, updated_at = $3,"
		" version = version + 1 WHERE id = $1",
		(struct dd_param[]){DD_P_INT(id), DD_P_TEXT(hash),
				    DD_P_INT(now)},
		3, err);
	if (changed < 0)
		goto fail;
	if (changed == 0) {
		dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
			   "no person with id %lld", (long long)id);
		goto fail;
	}
	if (dd_store_exec(
		    ctx->store,
		    "DELETE FROM sessions WHERE person_id = $1 AND id <> $2",
		    (struct dd_param[]){DD_P_INT(id),
					DD_P_INT(keep_session_id)},
		    2, err) < 0)
		goto fail;
	/* The event says that it changed, never what it is. */
	if (dd_event_append(ctx->store, now, actor, "person.password", "person",
			    id, NULL, NULL, err) < 0 ||
	    dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_person_authenticate(struct dd_ctx *ctx, const char *login,
			   const char *password, int64_t *person_id,
			   struct dd_err *err)
{
	char norm[DD_LIMIT_LOGIN + 1];
	struct dd_err ignored;
	const char *refusal = "wrong login or password";
	if (!login || !password ||
	    dd_person_check_login(login, norm, &ignored) < 0 ||
	    strlen(password) > DD_LIMIT_PASSWORD_MAX)
		return dd_err_set(err, 401, DD_PROBLEM_UNAUTHENTICATED, "%s",
				  refusal);
	struct dd_rows *rows;
	if (dd_store_query(ctx->store,
			   "SELECT id, password_hash, active FROM people "
			   "WHERE login = $1",
			   (struct dd_param[]){DD_P_TEXT(norm)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	int ok = 0;
	if (rc > 0) {
		const char *hash = dd_rows_text(rows, 1);
		ok = dd_rows_int(rows, 2) != 0 && hash &&
		     dd_password_verify(hash, password) == 0;
		*person_id = dd_rows_int(rows, 0);
	}
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	if (!ok)
		return dd_err_set(err, 401, DD_PROBLEM_UNAUTHENTICATED, "%s",
				  refusal);
	return 0;
}
