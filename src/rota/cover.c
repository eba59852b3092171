#include "rota/cover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/notify.h"
#include "base/date.h"
#include "rota/assign.h"
#include "rota/change.h"
#include "rota/env.h"
#include "store/store.h"

/* Members of a rota: far more than any support team. */
#define MEMBERS_MAX 1000
/* Cover requests one list page holds (the page limit's maximum). */
#define PAGE_MAX 500

#define COVER_COLUMNS                                                          \
	"SELECT id, day, duty_id, absent_id, absence_id, status, filled_by,"   \
	" forced, created_at, filled_at, version FROM cover_requests "

static const char *const status_names[] = {"open", "filled", "cancelled"};

const char *dd_cover_status_name(enum dd_cover_status status)
{
	if ((int)status < 0 || (int)status > DD_COVER_REQUEST_CANCELLED)
		return "open";
	return status_names[status];
}

int dd_cover_status_parse(const char *name, enum dd_cover_status *status)
{
	for (int i = 0; name && i <= DD_COVER_REQUEST_CANCELLED; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*status = (enum dd_cover_status)i;
			return 0;
		}
	return -1;
}

static int option_cmp(const void *pa, const void *pb)
{
	const struct dd_cover_option *a = pa, *b = pb;
	if (a->busy_nearby != b->busy_nearby)
		return a->busy_nearby < b->busy_nearby ? -1 : 1;
	if (a->recent_days != b->recent_days)
		return a->recent_days < b->recent_days ? -1 : 1;
	if (a->person_id != b->person_id)
		return a->person_id < b->person_id ? -1 : 1;
	return 0;
}

void dd_cover_rank(struct dd_cover_option *o, int n)
{
	if (n > 1)
		qsort(o, (size_t)n, sizeof(*o), option_cmp);
}

void dd_cover_to_json(const struct dd_cover_request *r, struct dd_json_out *j)
{
	char day[DD_DATE_TEXT_LEN];
	dd_date_format(r->day, day);
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", r->id);
	dd_json_kstr(j, "day", day);
	dd_json_kint(j, "duty_id", r->duty_id);
	dd_json_kint(j, "absent_person_id", r->absent_id);
	dd_json_kid(j, "absence_id", r->absence_id);
	dd_json_kstr(j, "status", dd_cover_status_name(r->status));
	dd_json_kid(j, "filled_by", r->filled_by);
	dd_json_kbool(j, "forced", r->forced);
	dd_json_ktime(j, "created_at", r->created_at);
	dd_json_ktime_or_null(j, "filled_at", r->filled_at);
	dd_json_kint(j, "version", r->version);
	dd_json_key(j, "candidates");
	dd_json_arr_begin(j);
	for (int i = 0; i < r->candidate_count; i++) {
		const struct dd_cover_candidate *c = &r->candidates[i];
		dd_json_obj_begin(j);
		dd_json_kint(j, "person_id", c->person_id);
		dd_json_kstr(j, "login", c->login);
		dd_json_kstr(j, "name", c->name);
		dd_json_kint(j, "rank", c->rank);
		dd_json_kstr(j, "answer", c->answer);
		dd_json_ktime_or_null(j, "answered_at", c->answered_at);
		if (c->recent_days >= 0) {
			dd_json_kstr(j, "availability",
				     c->busy_nearby ? "busy nearby" : "free");
			dd_json_kint(j, "recent_days", c->recent_days);
		}
		dd_json_obj_end(j);
	}
	dd_json_arr_end(j);
	dd_json_obj_end(j);
}

/* The request as JSON for the event log; the caller frees it. */
static char *snapshot(const struct dd_cover_request *r)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 256 * 1024);
	dd_json_out_init(&j, &buf);
	dd_cover_to_json(r, &j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_rows *rows, struct dd_cover_request *r)
{
	memset(r, 0, sizeof(*r));
	r->id = dd_rows_int(rows, 0);
	dd_date_parse(dd_rows_text(rows, 1), &r->day);
	r->duty_id = dd_rows_int(rows, 2);
	r->absent_id = dd_rows_int(rows, 3);
	r->absence_id = dd_rows_int(rows, 4);
	if (dd_cover_status_parse(dd_rows_text(rows, 5), &r->status) < 0)
		r->status = DD_COVER_REQUEST_CANCELLED;
	r->filled_by = dd_rows_int(rows, 6);
	r->forced = dd_rows_int(rows, 7) != 0;
	r->created_at = dd_rows_int(rows, 8);
	r->filled_at = dd_rows_int(rows, 9);
	r->version = dd_rows_int(rows, 10);
}

static int load_candidates(struct dd_ctx *ctx, struct dd_cover_request *r,
			   struct dd_err *err)
{
	struct dd_rows *rows;
	int cap = 0, rc;
	r->candidates = NULL;
	r->candidate_count = 0;
	if (dd_store_query(ctx->store,
			   "SELECT c.person_id, p.login, p.name, c.rank, "
			   "c.answer, c.answered_at FROM cover_candidates c "
			   "JOIN people p ON p.id = c.person_id WHERE "
			   "c.request_id = $1 ORDER BY c.rank, c.person_id",
			   (struct dd_param[]){DD_P_INT(r->id)}, 1, &rows,
			   err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		if (r->candidate_count == MEMBERS_MAX)
			break; /* never more than the rota's members */
		if (r->candidate_count == cap) {
			int ncap = cap ? cap * 2 : 16;
			if (ncap > MEMBERS_MAX)
				ncap = MEMBERS_MAX;
			struct dd_cover_candidate *m = dd_arena_alloc(
				ctx->arena, sizeof(*m) * (size_t)ncap);
			if (!m) {
				rc = dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
						"out of memory");
				break;
			}
			if (r->candidate_count)
				memcpy(m, r->candidates,
				       sizeof(*m) * (size_t)r->candidate_count);
			r->candidates = m;
			cap = ncap;
		}
		struct dd_cover_candidate *c =
			&r->candidates[r->candidate_count++];
		c->person_id = dd_rows_int(rows, 0);
		c->login = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
		c->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
		c->rank = (int)dd_rows_int(rows, 3);
		c->answer = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 4));
		c->answered_at = dd_rows_int(rows, 5);
		c->recent_days = -1;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

int dd_cover_get(struct dd_ctx *ctx, int64_t id, struct dd_cover_request *out,
		 struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, COVER_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no cover request with id %lld",
				  (long long)id);
	if (rc < 0)
		return -1;
	return load_candidates(ctx, out, err);
}

int dd_cover_list(struct dd_ctx *ctx, const struct dd_cover_filter *f,
		  int (*fn)(const struct dd_cover_request *r, void *arg),
		  void *arg, struct dd_err *err)
{
	int limit = f->limit < 1 || f->limit > PAGE_MAX ? PAGE_MAX : f->limit;
	struct dd_cover_request *list =
		dd_arena_alloc(ctx->arena, sizeof(*list) * (size_t)limit);
	struct dd_rows *rows;
	int n = 0, rc;
	if (!list)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_param p[] = {
		f->has_status ? DD_P_TEXT(dd_cover_status_name(f->status))
			      : DD_P_NULL,
		DD_P_INT(f->after_id),
		DD_P_INT(limit),
	};
	if (dd_store_query(ctx->store,
			   COVER_COLUMNS
			   "WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) "
			   "AND id > $2 ORDER BY id LIMIT $3",
			   p, 3, &rows, err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0 && n < limit)
		read_row(rows, &list[n++]);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	/* Candidates after the rows are closed: one statement at a time. */
	for (int i = 0; i < n; i++) {
		if (load_candidates(ctx, &list[i], err) < 0)
			return -1;
		if (fn(&list[i], arg) != 0)
			break;
	}
	return 0;
}

/* ---- ranking candidates ---- */

struct option_set {
	struct dd_cover_option *o;
	int *excluded;
	int n;
	int64_t day;
};

static int option_index(const struct option_set *s, int64_t person_id)
{
	int lo = 0, hi = s->n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (s->o[mid].person_id == person_id)
			return mid;
		if (s->o[mid].person_id < person_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int count_assignment(const struct dd_assignment *a, void *arg)
{
	struct option_set *s = arg;
	int i = option_index(s, a->person_id);
	if (i < 0)
		return 0;
	if (a->day < s->day)
		s->o[i].recent_days++;
	if (a->day == s->day)
		s->excluded[i] = 1;
	if (a->day == s->day - 1 || a->day == s->day + 1)
		s->o[i].busy_nearby = 1;
	return 0;
}

/*
 * The ranked candidates for day: env covers the trailing window before
 * day and the day after. *out from the arena, *n entries.
 */
static int rank_candidates(struct dd_ctx *ctx, const struct dd_rota_env *env,
			   int64_t day, int64_t sick_id,
			   struct dd_cover_option **out, int *n,
			   struct dd_err *err)
{
	struct option_set s = {.day = day};
	struct dd_rows *rows;
	int rc;
	s.o = dd_arena_alloc(ctx->arena, sizeof(*s.o) * MEMBERS_MAX);
	s.excluded = dd_arena_alloc(ctx->arena, sizeof(int) * MEMBERS_MAX);
	if (!s.o || !s.excluded)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_store_query(ctx->store,
			   "SELECT m.person_id FROM rota_members m JOIN people "
			   "p ON p.id = m.person_id WHERE m.in_rotation = 1 "
			   "AND p.active = 1 ORDER BY m.person_id",
			   NULL, 0, &rows, err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0 && s.n < MEMBERS_MAX)
		s.o[s.n++].person_id = dd_rows_int(rows, 0);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;

	struct dd_absence_span *spans;
	int ns;
	int64_t from = day - 7 * (int64_t)env->settings.trailing_weeks;
	if (dd_absence_spans(ctx, day - 1, day + 1, &spans, &ns, err) < 0 ||
	    dd_rota_assignments(ctx, env, from, day + 1, 0, count_assignment,
				&s, err) < 0)
		return -1;
	int kept = 0;
	for (int i = 0; i < s.n; i++) {
		int64_t id = s.o[i].person_id;
		if (id == sick_id || s.excluded[i] ||
		    dd_absence_span_find(spans, ns, id, day))
			continue;
		if (dd_absence_span_find(spans, ns, id, day - 1) ||
		    dd_absence_span_find(spans, ns, id, day + 1))
			s.o[i].busy_nearby = 1;
		s.o[kept++] = s.o[i];
	}
	dd_cover_rank(s.o, kept);
	*out = s.o;
	*n = kept;
	return 0;
}

/* Open the cover request for a's duty with the ranked candidates, in the
 * open transaction; out gets it. */
static int open_request(struct dd_ctx *ctx, const struct dd_actor *actor,
			const struct dd_assignment *a, int64_t absence_id,
			const struct dd_cover_option *o, int n,
			struct dd_cover_request *out, struct dd_err *err)
{
	char day[DD_DATE_TEXT_LEN];
	int64_t now = dd_ctx_now(ctx), id = 0;
	dd_date_format(a->day, day);
	struct dd_param p[] = {
		DD_P_TEXT(day),
		DD_P_INT(a->duty->id),
		DD_P_INT(a->person_id),
		absence_id ? DD_P_INT(absence_id) : DD_P_NULL,
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO cover_requests (day, duty_id, "
		    "absent_id, absence_id, status, created_at) "
		    "VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
		    p, 5, &id, err) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (dd_store_exec(ctx->store,
				  "INSERT INTO cover_candidates (request_id, "
				  "person_id, rank, answer) VALUES ($1, $2, "
				  "$3, 'pending')",
				  (struct dd_param[]){DD_P_INT(id),
						      DD_P_INT(o[i].person_id),
						      DD_P_INT(i + 1)},
				  3, err) < 0)
			return -1;
	if (dd_cover_get(ctx, id, out, err) < 0)
		return -1;
	for (int i = 0; i < out->candidate_count && i < n; i++) {
		struct dd_cover_candidate *c = &out->candidates[i];
		for (int k = 0; k < n; k++)
			if (o[k].person_id == c->person_id) {
				c->busy_nearby = o[k].busy_nearby;
				c->recent_days = o[k].recent_days;
			}
	}
	char *after = snapshot(out);
	int rc = dd_event_append(ctx->store, now, actor, "cover.open",
				 "cover_request", id, NULL, after, err);
	free(after);
	if (rc < 0)
		return -1;
	/* Each candidate is asked through the outbox; the first to accept
	 * takes the day. */
	char *text = dd_arena_printf(
		ctx->arena,
		"%s is sick on %s. Can you take %s? The first to accept "
		"gets the day: POST /api/v1/rota/cover-requests/%lld/accept",
		dd_notify_name(ctx, a->person_id), day, a->duty->name,
		(long long)id);
	char *subject = dd_arena_printf(ctx->arena, "Cover needed: %s %s",
					a->duty->name, day);
	char *data = dd_arena_printf(ctx->arena, "{\"cover_request_id\":%lld}",
				     (long long)id);
	int64_t *to =
		dd_arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(n + 1));
	if (!text || !subject || !data || !to)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	for (int i = 0; i < n; i++)
		to[i] = o[i].person_id;
	struct dd_notice notice = {.event = "rota.sick.request",
				   .subject = subject,
				   .text = text,
				   .data_json = data,
				   .ref_type = "cover_request",
				   .ref_id = id};
	return dd_notify_people(ctx, to, n, &notice, now, err);
}

int dd_sick_report(struct dd_ctx *ctx, const struct dd_actor *actor,
		   int64_t person_id, int64_t day, struct dd_sick_report *out,
		   struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN];
	struct dd_org_settings s;
	struct dd_rota_env env;
	memset(out, 0, sizeof(*out));
	dd_date_format(day, text);
	if (dd_settings_load(ctx, &s, err) < 0 ||
	    dd_rota_env_load(ctx, day - 7 * (int64_t)s.trailing_weeks, day + 1,
			     &env, err) < 0)
		return -1;
	int64_t today = dd_rota_env_today(&env, dd_ctx_now(ctx));
	if (dd_rota_day_check("day", day, today, err) < 0)
		return -1;
	if (day < today)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'day' %s is in the past: record it as an "
				  "absence",
				  text);
	size_t cap = (size_t)env.duty_count + 1;
	struct dd_assignment *holders =
		dd_arena_alloc(ctx->arena, sizeof(*holders) * cap);
	out->requests =
		dd_arena_alloc(ctx->arena, sizeof(*out->requests) * cap);
	if (!holders || !out->requests)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_change_begin(ctx, err) < 0)
		return -1;
	struct dd_absence_input in = {
		.person_id = person_id,
		.kind = DD_ABSENCE_SICK,
		.first_day = day,
		.last_day = day,
		.note = "reported sick",
	};
	int n, no = 0;
	struct dd_cover_option *o = NULL;
	if (dd_rota_person_check(ctx, person_id, "person", NULL, err) < 0 ||
	    dd_absence_create(ctx, actor, &in, &out->absence, err) < 0 ||
	    dd_rota_day_holders(ctx, &env, day, holders, &n, err) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		if (holders[i].person_id != person_id)
			continue;
		if (!o && rank_candidates(ctx, &env, day, person_id, &o, &no,
					  err) < 0)
			goto fail;
		if (open_request(ctx, actor, &holders[i], out->absence.id, o,
				 no, &out->requests[out->request_count],
				 err) < 0)
			goto fail;
		out->request_count++;
	}
	if (dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* ---- answers ---- */

/* The candidate's answer: 1 with answer copied, 0 when person_id is not
 * a candidate, -1 on error. */
static int candidate_answer(struct dd_ctx *ctx, int64_t id, int64_t person_id,
			    char *answer, size_t cap, struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    "SELECT answer FROM cover_candidates WHERE "
		    "request_id = $1 AND person_id = $2",
		    (struct dd_param[]){DD_P_INT(id), DD_P_INT(person_id)}, 2,
		    &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		snprintf(answer, cap, "%s", dd_rows_text(rows, 0));
	dd_rows_free(rows);
	return rc;
}

static int not_open(const struct dd_cover_request *r, struct dd_err *err)
{
	return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			  "cover request %lld is %s, not open",
			  (long long)r->id, dd_cover_status_name(r->status));
}

/* Whether person is free to take r's day: not absent, not on a duty. */
static int check_free(struct dd_ctx *ctx, const struct dd_cover_request *r,
		      const struct dd_person *p, struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN];
	struct dd_rota_env env;
	dd_date_format(r->day, text);
	if (dd_rota_env_load(ctx, r->day, r->day, &env, err) < 0)
		return -1;
	struct dd_assignment *holders = dd_arena_alloc(
		ctx->arena, sizeof(*holders) * ((size_t)env.duty_count + 1));
	int n;
	if (!holders)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_day_holders(ctx, &env, r->day, holders, &n, err) < 0)
		return -1;
	const struct dd_assignment *busy =
		dd_rota_holder_find(holders, n, p->id, 0);
	if (busy)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "'%s' is already on '%s' on %s", p->login,
				  busy->duty->name, text);
	int rc = dd_absence_on(ctx, p->id, r->day, NULL, err);
	if (rc > 0)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "'%s' is absent on %s", p->login, text);
	return rc;
}

static int fill(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		int64_t person_id, int forced, struct dd_cover_request *out,
		struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_cover_request before;
	struct dd_person p;
	char answer[16] = "";
	if (dd_rota_change_begin(ctx, err) < 0)
		return -1;
	if (dd_cover_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.status != DD_COVER_REQUEST_OPEN) {
		not_open(&before, err);
		goto fail;
	}
	int rc = candidate_answer(ctx, id, person_id, answer, sizeof(answer),
				  err);
	if (rc < 0)
		goto fail;
	if (rc == 0 && !forced) {
		dd_err_set(err, 403, DD_PROBLEM_FORBIDDEN,
			   "person %lld is not asked to cover request %lld",
			   (long long)person_id, (long long)id);
		goto fail;
	}
	if (dd_rota_person_check(ctx, person_id, "person", &p, err) < 0 ||
	    check_free(ctx, &before, &p, err) < 0)
		goto fail;
	/* First acceptance wins: whoever changes no row here has lost, on
	 * either engine, even without the lock above. */
	int64_t changed = dd_store_exec(
		ctx->store,
		"UPDATE cover_requests SET status = 'filled', filled_by = $2, "
		"filled_at = $3, forced = $4, version = version + 1 WHERE id = "
		"$1 AND status = 'open'",
		(struct dd_param[]){DD_P_INT(id), DD_P_INT(person_id),
				    DD_P_INT(now), DD_P_INT(forced ? 1 : 0)},
		4, err);
	if (changed < 0)
		goto fail;
	if (changed == 0) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "cover request %lld was filled meanwhile",
			   (long long)id);
		goto fail;
	}
	struct dd_param ans[] = {DD_P_INT(id), DD_P_INT(person_id),
				 DD_P_INT(now)};
	if ((rc == 1 &&
	     dd_store_exec(ctx->store,
			   "UPDATE cover_candidates SET answer = 'accepted', "
			   "answered_at = $3 WHERE request_id = $1 AND "
			   "person_id = $2",
			   ans, 3, err) < 0) ||
	    dd_store_exec(ctx->store,
			  "UPDATE cover_candidates SET answer = 'too-late', "
			  "answered_at = $2 WHERE request_id = $1 AND answer = "
			  "'pending'",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(now)}, 2,
			  err) < 0 ||
	    dd_rota_override_add(ctx, actor, before.day, before.duty_id,
				 person_id, DD_COVER_SICK, "cover_request", id,
				 NULL, err) < 0 ||
	    dd_cover_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	rc = dd_event_append(ctx->store, now, actor,
			     forced ? "cover.forced" : "cover.filled",
			     "cover_request", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_cover_accept(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, int64_t person_id, struct dd_cover_request *out,
		    struct dd_err *err)
{
	return fill(ctx, actor, id, person_id, 0, out, err);
}

int dd_cover_assign(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, int64_t person_id, struct dd_cover_request *out,
		    struct dd_err *err)
{
	return fill(ctx, actor, id, person_id, 1, out, err);
}

int dd_cover_decline(struct dd_ctx *ctx, const struct dd_actor *actor,
		     int64_t id, int64_t person_id,
		     struct dd_cover_request *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_cover_request before;
	char answer[16] = "";
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_cover_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.status != DD_COVER_REQUEST_OPEN) {
		not_open(&before, err);
		goto fail;
	}
	int rc = candidate_answer(ctx, id, person_id, answer, sizeof(answer),
				  err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		dd_err_set(err, 403, DD_PROBLEM_FORBIDDEN,
			   "person %lld is not asked to cover request %lld",
			   (long long)person_id, (long long)id);
		goto fail;
	}
	if (dd_store_exec(ctx->store,
			  "UPDATE cover_candidates SET answer = 'declined', "
			  "answered_at = $3 WHERE request_id = $1 AND "
			  "person_id = $2",
			  (struct dd_param[]){DD_P_INT(id), DD_P_INT(person_id),
					      DD_P_INT(now)},
			  3, err) < 0 ||
	    dd_cover_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before), *a = snapshot(out);
	rc = dd_event_append(ctx->store, now, actor, "cover.declined",
			     "cover_request", id, b, a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}
