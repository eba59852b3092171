#include "rota/feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "rota/assign.h"
#include "rota/env.h"
#include "rota/ical_feed.h"
#include "rota/week.h"
#include "store/store.h"

/* Distinct people named in one feed: a rota of a few dozen. */
#define PEOPLE_MAX 256
/* Weeks a feed spans, with a margin. */
#define WEEKS_MAX 40

#define FEED_COLUMNS                                                           \
	"SELECT f.id, f.kind, f.object_id, f.owner_id, f.created_at,"          \
	" f.revoked_at, CASE WHEN f.kind = 'person' THEN p.name ELSE"          \
	" d.name END FROM calendar_feeds f"                                    \
	" LEFT JOIN people p ON f.kind = 'person' AND p.id = f.object_id"      \
	" LEFT JOIN duties d ON f.kind = 'duty' AND d.id = f.object_id "

const char *dd_feed_kind_name(enum dd_feed_kind kind)
{
	return kind == DD_FEED_DUTY ? "duty" : "person";
}

int dd_feed_kind_parse(const char *text, enum dd_feed_kind *kind)
{
	if (text && strcmp(text, "person") == 0)
		*kind = DD_FEED_PERSON;
	else if (text && strcmp(text, "duty") == 0)
		*kind = DD_FEED_DUTY;
	else
		return -1;
	return 0;
}

void dd_feed_to_json(const struct dd_feed *f, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", f->id);
	dd_json_kstr(j, "kind", dd_feed_kind_name(f->kind));
	dd_json_kint(j, "object_id", f->object_id);
	dd_json_kstr(j, "object_name", f->object_name);
	dd_json_kint(j, "owner_id", f->owner_id);
	dd_json_ktime(j, "created_at", f->created_at);
	dd_json_ktime_or_null(j, "revoked_at", f->revoked_at);
	dd_json_obj_end(j);
}

static char *snapshot(const struct dd_feed *f)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 4096);
	dd_json_out_init(&j, &buf);
	dd_feed_to_json(f, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_feed *f)
{
	f->id = dd_rows_int(rows, 0);
	if (dd_feed_kind_parse(dd_rows_text(rows, 1), &f->kind) < 0)
		f->kind =
			DD_FEED_PERSON; /* the table's CHECK allows no other */
	f->object_id = dd_rows_int(rows, 2);
	f->owner_id = dd_rows_int(rows, 3);
	f->created_at = dd_rows_int(rows, 4);
	f->revoked_at = dd_rows_int(rows, 5);
	f->object_name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 6));
}

/* One row of FEED_COLUMNS with where and one parameter: 1 found, 0 not,
 * -1 error. */
static int feed_one(struct dd_ctx *ctx, const char *sql, struct dd_param p,
		    struct dd_feed *out, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, sql, &p, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	return rc;
}

int dd_feed_get(struct dd_ctx *ctx, int64_t id, struct dd_feed *out,
		struct dd_err *err)
{
	int rc = feed_one(ctx, FEED_COLUMNS "WHERE f.id = $1", DD_P_INT(id),
			  out, err);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no calendar feed with id %lld",
				  (long long)id);
	return rc < 0 ? -1 : 0;
}

int dd_feed_list(struct dd_ctx *ctx, int64_t owner_id, int64_t after_id,
		 int limit, int (*fn)(const struct dd_feed *f, void *arg),
		 void *arg, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    FEED_COLUMNS "WHERE f.owner_id = $1 AND f.id > $2 "
				 "AND f.revoked_at IS NULL ORDER BY f.id "
				 "LIMIT $3",
		    (struct dd_param[]){DD_P_INT(owner_id), DD_P_INT(after_id),
					DD_P_INT(limit)},
		    3, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_feed f;
		read_row(ctx, rows, &f);
		if (fn(&f, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The person or duty a feed is about: 1 when it exists, 0, -1. */
static int object_exists(struct dd_ctx *ctx, enum dd_feed_kind kind, int64_t id,
			 struct dd_err *err)
{
	int64_t one;
	return dd_store_query_int(
		ctx->store,
		kind == DD_FEED_PERSON ? "SELECT 1 FROM people WHERE id = $1"
				       : "SELECT 1 FROM duties WHERE id = $1",
		(struct dd_param[]){DD_P_INT(id)}, 1, &one, err);
}

int dd_feed_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   enum dd_feed_kind kind, int64_t object_id, int64_t owner_id,
		   char secret[DD_SECRET_TEXT_LEN], struct dd_feed *out,
		   struct dd_err *err)
{
	char digest[DD_SECRET_DIGEST_LEN];
	int64_t now = dd_ctx_now(ctx), id = 0;
	dd_secret_random(secret);
	dd_secret_digest(secret, digest);
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	int rc = object_exists(ctx, kind, object_id, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			   "no %s with id %lld", dd_feed_kind_name(kind),
			   (long long)object_id);
		goto fail;
	}
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO calendar_feeds (digest, kind, "
		    "object_id, owner_id, created_at) VALUES ($1, "
		    "$2, $3, $4, $5) RETURNING id",
		    (struct dd_param[]){DD_P_TEXT(digest),
					DD_P_TEXT(dd_feed_kind_name(kind)),
					DD_P_INT(object_id), DD_P_INT(owner_id),
					DD_P_INT(now)},
		    5, &id, err) < 0 ||
	    dd_feed_get(ctx, id, out, err) < 0)
		goto fail;
	char *a = snapshot(out);
	rc = dd_event_append(ctx->store, now, actor, "calendar_feed.create",
			     "calendar_feed", id, NULL, a, err);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_feed_revoke(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_feed before, after;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_feed_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.revoked_at) {
		dd_store_rollback(ctx->store);
		return 0;
	}
	if (dd_store_exec(ctx->store,
			  "UPDATE calendar_feeds SET revoked_at = $2 WHERE "
			  "id = $1",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2,
			  err) < 0 ||
	    dd_feed_get(ctx, id, &after, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(&after);
	int rc = dd_event_append(ctx->store, now, actor, "calendar_feed.revoke",
				 "calendar_feed", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* Exactly what dd_secret_random makes: 43 base64url characters. */
static int secret_shaped(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return n == DD_SECRET_TEXT_LEN - 1;
}

int dd_feed_find(struct dd_ctx *ctx, const char *secret, struct dd_feed *out,
		 struct dd_err *err)
{
	char digest[DD_SECRET_DIGEST_LEN];
	int rc = 0;
	if (secret && secret_shaped(secret)) {
		dd_secret_digest(secret, digest);
		rc = feed_one(ctx,
			      FEED_COLUMNS
			      "JOIN people o ON o.id = f.owner_id WHERE "
			      "f.digest = $1 AND f.revoked_at IS NULL AND "
			      "o.active = 1",
			      DD_P_TEXT(digest), out, err);
		if (rc < 0)
			return -1;
		/* The person or duty it shows may have gone since. */
		if (rc > 0 && !out->object_name)
			rc = 0;
	}
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no calendar feed at this address");
	return 0;
}

/* ---- rendering ---- */

struct person_info {
	int64_t id;
	const char *name;
	int64_t updated_at;
};

struct stamp {
	int64_t day, duty_id, at;
};

struct render {
	struct dd_ctx *ctx;
	const struct dd_feed *feed;
	struct dd_assignment *days;
	int day_count, day_cap;
	struct person_info people[PEOPLE_MAX];
	int people_count;
	struct stamp weeks[WEEKS_MAX]; /* day: week start; duty_id unused */
	int week_count;
	struct stamp *overrides;
	int override_count;
};

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int take_day(const struct dd_assignment *a, void *arg)
{
	struct render *r = arg;
	if (!a->person_id)
		return 0;
	if (r->feed->kind == DD_FEED_PERSON ? a->person_id != r->feed->object_id
					    : a->duty->id != r->feed->object_id)
		return 0;
	if (r->day_count < r->day_cap)
		r->days[r->day_count++] = *a;
	return 0;
}

static int take_week(const struct dd_week_plan *w, void *arg)
{
	struct render *r = arg;
	if (r->week_count < WEEKS_MAX)
		r->weeks[r->week_count++] =
			(struct stamp){w->week_start, 0,
				       max64(w->updated_at, w->published_at)};
	return 0;
}

static const struct person_info *person(struct render *r, int64_t id,
					struct dd_err *err)
{
	for (int i = 0; i < r->people_count; i++)
		if (r->people[i].id == id)
			return &r->people[i];
	if (r->people_count >= PEOPLE_MAX) {
		dd_err_set(err, 500, DD_PROBLEM_LIMIT,
			   "more than %d people in one feed", PEOPLE_MAX);
		return NULL;
	}
	struct dd_rows *rows;
	if (dd_store_query(r->ctx->store,
			   "SELECT name, updated_at FROM people WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return NULL;
	int rc = dd_rows_next(rows, err);
	struct person_info *p = &r->people[r->people_count];
	*p = (struct person_info){id, "?", 0};
	if (rc > 0) {
		p->name = dd_arena_strdup(r->ctx->arena, dd_rows_text(rows, 0));
		p->updated_at = dd_rows_int(rows, 1);
	}
	dd_rows_free(rows);
	if (rc < 0 || !p->name) {
		if (rc >= 0)
			dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				   "out of memory");
		return NULL;
	}
	r->people_count++;
	return p;
}

/* When each (day, duty) last had an override added or revoked. */
static int load_override_stamps(struct render *r, int64_t from, int64_t to,
				struct dd_err *err)
{
	char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
	struct dd_rows *rows;
	int cap = r->day_cap;
	dd_date_format(from, a);
	dd_date_format(to, b);
	r->overrides = dd_arena_alloc(r->ctx->arena,
				      sizeof(struct stamp) * (size_t)cap);
	if (!r->overrides)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(r->ctx->store,
			   "SELECT day, duty_id, MAX(created_at), "
			   "MAX(COALESCE(revoked_at, 0)) FROM rota_overrides "
			   "WHERE day >= $1 AND day <= $2 GROUP BY day, "
			   "duty_id",
			   (struct dd_param[]){DD_P_TEXT(a), DD_P_TEXT(b)}, 2,
			   &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0 && r->override_count < cap) {
		struct stamp *s = &r->overrides[r->override_count];
		if (dd_date_parse(dd_rows_text(rows, 0), &s->day) < 0)
			continue;
		s->duty_id = dd_rows_int(rows, 1);
		s->at = max64(dd_rows_int(rows, 2), dd_rows_int(rows, 3));
		r->override_count++;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int64_t changed_at(const struct render *r, int64_t day, int64_t duty_id)
{
	int64_t at = 0, week = dd_date_week_start(day);
	for (int i = 0; i < r->week_count; i++)
		if (r->weeks[i].day == week)
			at = max64(at, r->weeks[i].at);
	for (int i = 0; i < r->override_count; i++)
		if (r->overrides[i].day == day &&
		    r->overrides[i].duty_id == duty_id)
			at = max64(at, r->overrides[i].at);
	return at;
}

int dd_feed_render(struct dd_ctx *ctx, const struct dd_feed *feed,
		   struct dd_buf *out, struct dd_err *err)
{
	struct dd_rota_env env;
	struct render *r = dd_arena_alloc(ctx->arena, sizeof(*r));
	int64_t now = dd_ctx_now(ctx);
	if (!r)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	int64_t today;
	if (dd_rota_today(ctx, &today, err) < 0)
		return -1;
	int64_t from = today - DD_FEED_DAYS_BACK;
	int64_t to = today + DD_FEED_DAYS_AHEAD;
	if (dd_rota_env_load(ctx, from, to, &env, err) < 0)
		return -1;
	r->ctx = ctx;
	r->feed = feed;
	r->day_cap =
		(int)(to - from + 1) * (env.duty_count ? env.duty_count : 1);
	r->days = dd_arena_alloc(ctx->arena, sizeof(struct dd_assignment) *
						     (size_t)r->day_cap);
	if (!r->days)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_assignments(ctx, &env, from, to, 0, take_day, r, err) < 0 ||
	    dd_week_list(ctx, dd_date_week_start(from), to, take_week, r, err) <
		    0 ||
	    load_override_stamps(r, from, to, err) < 0)
		return -1;

	struct dd_ical_event *events =
		dd_arena_alloc(ctx->arena, sizeof(struct dd_ical_event) *
						   (size_t)(r->day_count + 1));
	if (!events)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	for (int i = 0; i < r->day_count; i++) {
		const struct dd_assignment *a = &r->days[i];
		const struct person_info *p = person(r, a->person_id, err);
		if (!p)
			return -1;
		int64_t at =
			max64(changed_at(r, a->day, a->duty->id),
			      max64(a->duty->updated_at, env.settings.version));
		const char *summary = a->duty->name;
		if (feed->kind == DD_FEED_DUTY) {
			summary = dd_arena_printf(ctx->arena, "%s: %s",
						  a->duty->name, p->name);
			at = max64(at, p->updated_at);
		}
		if (!summary)
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "out of memory");
		events[i] = (struct dd_ical_event){
			.day = a->day,
			.duty_id = a->duty->id,
			.start = a->duty->window.start,
			.end = a->duty->window.end,
			.summary = summary,
			.description = a->duty->description,
			.last_modified = at,
		};
	}
	const char *name =
		dd_arena_printf(ctx->arena, "dutydesk: %s", feed->object_name);
	if (!name)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_ical_feed cal = {
		.name = name,
		.tz = env.tz,
		.now = now,
		.from_day = from,
		.to_day = to,
		.events = events,
		.event_count = r->day_count,
	};
	return dd_ical_feed_write(&cal, out, err);
}
