#include "rota/swap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/notify.h"
#include "base/date.h"
#include "base/limits.h"
#include "base/text.h"
#include "rota/absence.h"
#include "rota/change.h"
#include "rota/settings.h"
#include "store/store.h"

#define SWAP_COLUMNS                                                           \
	"SELECT id, requester_id, colleague_id, day, duty_id, other_day,"      \
	" other_duty_id, status, note, created_at, decided_at FROM"            \
	" swap_requests "

static const char *const status_names[] = {"open", "accepted", "declined",
					   "cancelled"};

const char *dd_swap_status_name(enum dd_swap_status status)
{
	if ((int)status < 0 || (int)status > DD_SWAP_CANCELLED)
		return "open";
	return status_names[status];
}

int dd_swap_status_parse(const char *name, enum dd_swap_status *status)
{
	for (int i = 0; name && i <= DD_SWAP_CANCELLED; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*status = (enum dd_swap_status)i;
			return 0;
		}
	return -1;
}

int dd_slots_double_booked(const struct dd_slot *slots, int n,
			   int64_t *person_id, int64_t *day)
{
	for (int i = 0; i < n; i++) {
		if (!slots[i].person_id)
			continue;
		for (int k = i + 1; k < n; k++)
			if (slots[k].day == slots[i].day &&
			    slots[k].person_id == slots[i].person_id) {
				*person_id = slots[i].person_id;
				*day = slots[i].day;
				return 1;
			}
	}
	return 0;
}

/* The members of s without closing the object, so that callers can add
 * more. */
static void swap_members(const struct dd_swap *s, struct dd_json_out *j)
{
	char day[DD_DATE_TEXT_LEN], other[DD_DATE_TEXT_LEN];
	dd_date_format(s->day, day);
	dd_json_kint(j, "id", s->id);
	dd_json_kstr(j, "kind", s->has_other ? "exchange" : "give");
	dd_json_kint(j, "requester_id", s->requester_id);
	dd_json_kint(j, "colleague_id", s->colleague_id);
	dd_json_kstr(j, "day", day);
	dd_json_kint(j, "duty_id", s->duty_id);
	if (s->has_other) {
		dd_date_format(s->other_day, other);
		dd_json_kstr(j, "other_day", other);
		dd_json_kint(j, "other_duty_id", s->other_duty_id);
	} else {
		dd_json_knull(j, "other_day");
		dd_json_knull(j, "other_duty_id");
	}
	dd_json_kstr(j, "status", dd_swap_status_name(s->status));
	dd_json_kstr(j, "note", s->note ? s->note : "");
	dd_json_ktime(j, "created_at", s->created_at);
	dd_json_ktime_or_null(j, "decided_at", s->decided_at);
}

void dd_swap_to_json(const struct dd_swap *s, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	swap_members(s, j);
	dd_json_obj_end(j);
}

/* The request as JSON for the event log, with the people to notify when
 * settings is given; the caller frees it. */
static char *snapshot(const struct dd_swap *s,
		      const struct dd_org_settings *settings)
{
	struct dd_buf buf;
	struct dd_json_out j;
	dd_buf_init(&buf, 8192);
	dd_json_out_init(&j, &buf);
	dd_json_obj_begin(&j);
	swap_members(s, &j);
	if (settings) {
		if (settings->coordinator_id)
			dd_json_kint(&j, "coordinator_id",
				     settings->coordinator_id);
		else
			dd_json_knull(&j, "coordinator_id");
		if (settings->substitute_id)
			dd_json_kint(&j, "substitute_id",
				     settings->substitute_id);
		else
			dd_json_knull(&j, "substitute_id");
		dd_json_key(&j, "notify");
		dd_json_arr_begin(&j);
		if (settings->coordinator_id)
			dd_json_int(&j, settings->coordinator_id);
		if (settings->substitute_id &&
		    settings->substitute_id != settings->coordinator_id)
			dd_json_int(&j, settings->substitute_id);
		dd_json_arr_end(&j);
	}
	dd_json_obj_end(&j);
	return dd_buf_detach(&buf, NULL);
}

static void read_row(struct dd_ctx *ctx, struct dd_rows *rows,
		     struct dd_swap *s)
{
	memset(s, 0, sizeof(*s));
	s->id = dd_rows_int(rows, 0);
	s->requester_id = dd_rows_int(rows, 1);
	s->colleague_id = dd_rows_int(rows, 2);
	dd_date_parse(dd_rows_text(rows, 3), &s->day);
	s->duty_id = dd_rows_int(rows, 4);
	if (!dd_rows_is_null(rows, 5) &&
	    dd_date_parse(dd_rows_text(rows, 5), &s->other_day) == 0) {
		s->has_other = 1;
		s->other_duty_id = dd_rows_int(rows, 6);
	}
	if (dd_swap_status_parse(dd_rows_text(rows, 7), &s->status) < 0)
		s->status = DD_SWAP_CANCELLED;
	s->note = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 8));
	s->created_at = dd_rows_int(rows, 9);
	s->decided_at = dd_rows_int(rows, 10);
}

int dd_swap_get(struct dd_ctx *ctx, int64_t id, struct dd_swap *out,
		struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(ctx->store, SWAP_COLUMNS "WHERE id = $1",
			   (struct dd_param[]){DD_P_INT(id)}, 1, &rows,
			   err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0)
		read_row(ctx, rows, out);
	dd_rows_free(rows);
	if (rc == 0)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no swap request with id %lld",
				  (long long)id);
	return rc < 0 ? -1 : 0;
}

/* How the swap's days are held now; filled by check_rota for the
 * overrides. */
struct swap_plan {
	const struct dd_duty *duty, *other_duty;
	enum dd_cover_reason reason, other_reason;
};

/* Whether person is absent on day: 409 naming login when so. */
static int not_absent(struct dd_ctx *ctx, int64_t person_id, const char *login,
		      int64_t day, struct dd_err *err)
{
	char text[DD_DATE_TEXT_LEN];
	int rc = dd_absence_on(ctx, person_id, day, NULL, err);
	if (rc <= 0)
		return rc;
	dd_date_format(day, text);
	return dd_err_set(err, 409, DD_PROBLEM_CONFLICT, "'%s' is absent on %s",
			  login, text);
}

/*
 * Check s against the rota as it is now, inside the change transaction:
 * the people, who holds the days, absences and double booking. accepting
 * words the messages for a request made earlier.
 */
static int check_rota(struct dd_ctx *ctx, const struct dd_actor *actor,
		      const struct dd_swap *s, int accepting,
		      struct swap_plan *plan, struct dd_err *err)
{
	char day[DD_DATE_TEXT_LEN], other[DD_DATE_TEXT_LEN];
	struct dd_person requester, colleague;
	struct dd_rota_env env;
	int64_t lo = s->day, hi = s->day;
	if (s->has_other) {
		lo = s->other_day < lo ? s->other_day : lo;
		hi = s->other_day > hi ? s->other_day : hi;
	}
	dd_date_format(s->day, day);
	dd_date_format(s->has_other ? s->other_day : s->day, other);
	if (dd_rota_env_load(ctx, lo, hi, &env, err) < 0)
		return -1;
	plan->duty = dd_rota_duty_on(&env, s->duty_id, s->day, err);
	if (!plan->duty)
		return -1;
	if (s->has_other) {
		plan->other_duty = dd_rota_duty_on(&env, s->other_duty_id,
						   s->other_day, err);
		if (!plan->other_duty)
			return -1;
	}
	if (dd_rota_person_check(ctx, s->requester_id, "requester", &requester,
				 err) < 0 ||
	    dd_rota_person_check(ctx, s->colleague_id, "colleague", &colleague,
				 err) < 0)
		return -1;

	/* Both days' holders, and the slots as they will be. */
	size_t cap = (size_t)env.duty_count + 1;
	struct dd_assignment *h1 =
		dd_arena_alloc(ctx->arena, sizeof(*h1) * cap);
	struct dd_assignment *h2 =
		dd_arena_alloc(ctx->arena, sizeof(*h2) * cap);
	struct dd_slot *slots =
		dd_arena_alloc(ctx->arena, sizeof(*slots) * cap * 2);
	int n1, n2 = 0, ns = 0;
	if (!h1 || !h2 || !slots)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	if (dd_rota_day_holders(ctx, &env, s->day, h1, &n1, err) < 0)
		return -1;
	const struct dd_assignment *a = dd_rota_holder_of(h1, n1, s->duty_id);
	if (!a || a->person_id != s->requester_id) {
		if (actor->person_id == s->requester_id && !accepting)
			return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
					  "you do not hold '%s' on %s",
					  plan->duty->name, day);
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "'%s' %s '%s' on %s", requester.login,
				  accepting ? "no longer holds"
					    : "does not hold",
				  plan->duty->name, day);
	}
	plan->reason = a->reason;
	/* An exchange on one day (roles traded) finds both slots in h1. */
	if (s->has_other && s->other_day != s->day &&
	    dd_rota_day_holders(ctx, &env, s->other_day, h2, &n2, err) < 0)
		return -1;
	if (s->has_other) {
		const struct dd_assignment *b =
			s->other_day != s->day
				? dd_rota_holder_of(h2, n2, s->other_duty_id)
				: dd_rota_holder_of(h1, n1, s->other_duty_id);
		if (!b || b->person_id != s->colleague_id)
			return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
					  "'%s' %s '%s' on %s", colleague.login,
					  accepting ? "no longer holds"
						    : "does not hold",
					  plan->other_duty->name, other);
		plan->other_reason = b->reason;
	}
	if (not_absent(ctx, s->colleague_id, colleague.login, s->day, err) !=
		    0 ||
	    (s->has_other && not_absent(ctx, s->requester_id, requester.login,
					s->other_day, err) != 0))
		return -1;
	for (int i = 0; i < n1; i++)
		slots[ns++] = (struct dd_slot){h1[i].day, h1[i].duty->id,
					       h1[i].person_id};
	for (int i = 0; i < n2; i++)
		slots[ns++] = (struct dd_slot){h2[i].day, h2[i].duty->id,
					       h2[i].person_id};
	for (int i = 0; i < ns; i++) {
		if (slots[i].day == s->day && slots[i].duty_id == s->duty_id)
			slots[i].person_id = s->colleague_id;
		else if (s->has_other && slots[i].day == s->other_day &&
			 slots[i].duty_id == s->other_duty_id)
			slots[i].person_id = s->requester_id;
	}
	int64_t who, when;
	if (dd_slots_double_booked(slots, ns, &who, &when)) {
		char text[DD_DATE_TEXT_LEN];
		dd_date_format(when, text);
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "the swap would put '%s' on two duties on %s",
				  who == s->requester_id ? requester.login
							 : colleague.login,
				  text);
	}
	return 0;
}

int dd_swap_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   const struct dd_swap_input *in, struct dd_swap *out,
		   struct dd_err *err)
{
	char day[DD_DATE_TEXT_LEN], other[DD_DATE_TEXT_LEN];
	int64_t today, now = dd_ctx_now(ctx), id = 0, open = 0;
	const char *note = in->note ? in->note : "";
	struct swap_plan plan = {0};
	struct dd_swap s = {
		.requester_id = in->requester_id,
		.colleague_id = in->colleague_id,
		.day = in->day,
		.duty_id = in->duty_id,
		.has_other = in->has_other,
		.other_day = in->has_other ? in->other_day : 0,
		.other_duty_id = in->has_other ? in->other_duty_id : 0,
		.note = note,
	};
	dd_date_format(in->day, day);
	dd_date_format(s.other_day, other);
	if (dd_text_check("note", note, 0, DD_LIMIT_DESCRIPTION,
			  DD_TEXT_MULTI_LINE, err) < 0 ||
	    dd_rota_today(ctx, &today, err) < 0 ||
	    dd_rota_day_check("day", in->day, today, err) < 0 ||
	    (in->has_other &&
	     dd_rota_day_check("other_day", in->other_day, today, err) < 0))
		return -1;
	if (in->day < today || (in->has_other && in->other_day < today))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' %s is in the past",
				  in->day < today ? "day" : "other_day",
				  in->day < today ? day : other);
	if (in->requester_id == in->colleague_id)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a swap needs two different people");
	if (in->has_other && in->other_day == in->day &&
	    in->other_duty_id == in->duty_id)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "an exchange needs two different duty days");
	if (dd_rota_change_begin(ctx, err) < 0)
		return -1;
	if (check_rota(ctx, actor, &s, 0, &plan, err) < 0 ||
	    dd_store_query_int(ctx->store,
			       "SELECT COUNT(*) FROM swap_requests WHERE "
			       "status = 'open' AND requester_id = $1 AND day "
			       "= $2 AND duty_id = $3",
			       (struct dd_param[]){DD_P_INT(in->requester_id),
						   DD_P_TEXT(day),
						   DD_P_INT(in->duty_id)},
			       3, &open, err) < 0)
		goto fail;
	if (open > 0) {
		dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			   "there is already an open swap request for '%s' on "
			   "%s",
			   plan.duty->name, day);
		goto fail;
	}
	struct dd_param p[] = {
		DD_P_INT(in->requester_id),
		DD_P_INT(in->colleague_id),
		DD_P_TEXT(day),
		DD_P_INT(in->duty_id),
		in->has_other ? DD_P_TEXT(other) : DD_P_NULL,
		in->has_other ? DD_P_INT(in->other_duty_id) : DD_P_NULL,
		DD_P_TEXT(note),
		DD_P_INT(now),
	};
	if (dd_store_query_int(
		    ctx->store,
		    "INSERT INTO swap_requests (requester_id, "
		    "colleague_id, day, duty_id, other_day, "
		    "other_duty_id, status, note, created_at) VALUES "
		    "($1, $2, $3, $4, $5, $6, 'open', $7, $8) "
		    "RETURNING id",
		    p, 8, &id, err) < 0 ||
	    dd_swap_get(ctx, id, out, err) < 0)
		goto fail;
	char *after = snapshot(out, NULL);
	int rc = dd_event_append(ctx->store, now, actor, "swap.create", "swap",
				 id, NULL, after, err);
	free(after);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

/* Move an open request to status, in the open transaction: 409 when it
 * is not open (any more). */
static int decide(struct dd_ctx *ctx, const struct dd_swap *before,
		  enum dd_swap_status status, int64_t now, struct dd_err *err)
{
	struct dd_param p[] = {DD_P_INT(before->id),
			       DD_P_TEXT(dd_swap_status_name(status)),
			       DD_P_INT(now)};
	int64_t n = dd_store_exec(ctx->store,
				  "UPDATE swap_requests SET status = $2, "
				  "decided_at = $3 WHERE id = $1 AND status = "
				  "'open'",
				  p, 3, err);
	if (n < 0)
		return -1;
	if (n == 0)
		return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
				  "swap request %lld is not open",
				  (long long)before->id);
	return 0;
}

static int not_open(const struct dd_swap *s, struct dd_err *err)
{
	return dd_err_set(err, 409, DD_PROBLEM_CONFLICT,
			  "swap request %lld is %s, not open", (long long)s->id,
			  dd_swap_status_name(s->status));
}

/* The accepted swap told to the coordinator, the substitute and the
 * requester, through the outbox in the same transaction. */
static int notify_accepted(struct dd_ctx *ctx, const struct dd_swap *s,
			   const struct dd_org_settings *settings, int64_t now,
			   struct dd_err *err)
{
	char day[DD_DATE_TEXT_LEN], other[DD_DATE_TEXT_LEN];
	dd_date_format(s->day, day);
	const char *requester = dd_notify_name(ctx, s->requester_id);
	const char *colleague = dd_notify_name(ctx, s->colleague_id);
	char *text;
	if (s->has_other) {
		dd_date_format(s->other_day, other);
		text = dd_arena_printf(ctx->arena,
				       "%s and %s exchanged duties: %s takes "
				       "%s's duty %lld on %s, %s takes %s's "
				       "duty %lld on %s.",
				       requester, colleague, colleague,
				       requester, (long long)s->duty_id, day,
				       requester, colleague,
				       (long long)s->other_duty_id, other);
	} else {
		text = dd_arena_printf(
			ctx->arena, "%s takes %s's duty %lld on %s.", colleague,
			requester, (long long)s->duty_id, day);
	}
	char *subject = dd_arena_printf(ctx->arena, "Swap accepted: %s", day);
	char *data = dd_arena_printf(ctx->arena, "{\"swap_id\":%lld}",
				     (long long)s->id);
	if (!text || !subject || !data)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	struct dd_notice n = {.event = "rota.swap.accepted",
			      .subject = subject,
			      .text = text,
			      .data_json = data,
			      .ref_type = "swap",
			      .ref_id = s->id};
	int64_t to[] = {settings->coordinator_id, settings->substitute_id,
			s->requester_id};
	return dd_notify_people(ctx, to, 3, &n, now, err);
}

int dd_swap_accept(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_swap *out, struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_swap before;
	struct swap_plan plan = {0};
	struct dd_org_settings settings;
	if (dd_rota_change_begin(ctx, err) < 0)
		return -1;
	if (dd_swap_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.status != DD_SWAP_OPEN) {
		not_open(&before, err);
		goto fail;
	}
	if (check_rota(ctx, actor, &before, 1, &plan, err) < 0 ||
	    decide(ctx, &before, DD_SWAP_ACCEPTED, now, err) < 0)
		goto fail;
	/* A swap must win over how the day is held now: a day the
	 * requester holds as a replacement is passed on at that rank. */
	enum dd_cover_reason r1 =
		plan.reason > DD_COVER_SWAP ? plan.reason : DD_COVER_SWAP;
	enum dd_cover_reason r2 = plan.other_reason > DD_COVER_SWAP
					  ? plan.other_reason
					  : DD_COVER_SWAP;
	if (dd_rota_override_add(ctx, actor, before.day, before.duty_id,
				 before.colleague_id, r1, "swap", id, NULL,
				 err) < 0 ||
	    (before.has_other &&
	     dd_rota_override_add(ctx, actor, before.other_day,
				  before.other_duty_id, before.requester_id, r2,
				  "swap", id, NULL, err) < 0) ||
	    dd_swap_get(ctx, id, out, err) < 0 ||
	    dd_settings_load(ctx, &settings, err) < 0)
		goto fail;
	char *b = snapshot(&before, NULL), *a = snapshot(out, &settings);
	int rc = dd_event_append(ctx->store, now, actor, "swap.accepted",
				 "swap", id, b, a, err);
	free(b);
	free(a);
	if (rc == 0)
		rc = notify_accepted(ctx, out, &settings, now, err);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

static int close_request(struct dd_ctx *ctx, const struct dd_actor *actor,
			 int64_t id, enum dd_swap_status status,
			 const char *action, struct dd_swap *out,
			 struct dd_err *err)
{
	int64_t now = dd_ctx_now(ctx);
	struct dd_swap before;
	if (dd_store_begin(ctx->store, err) < 0)
		return -1;
	if (dd_swap_get(ctx, id, &before, err) < 0)
		goto fail;
	if (before.status != DD_SWAP_OPEN) {
		not_open(&before, err);
		goto fail;
	}
	if (decide(ctx, &before, status, now, err) < 0 ||
	    dd_swap_get(ctx, id, out, err) < 0)
		goto fail;
	char *b = snapshot(&before, NULL), *a = snapshot(out, NULL);
	int rc = dd_event_append(ctx->store, now, actor, action, "swap", id, b,
				 a, err);
	free(b);
	free(a);
	if (rc < 0 || dd_store_commit(ctx->store, err) < 0)
		goto fail;
	return 0;
fail:
	dd_store_rollback(ctx->store);
	return -1;
}

int dd_swap_decline(struct dd_ctx *ctx, const struct dd_actor *actor,
		    int64_t id, struct dd_swap *out, struct dd_err *err)
{
	return close_request(ctx, actor, id, DD_SWAP_DECLINED, "swap.declined",
			     out, err);
}

int dd_swap_cancel(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_swap *out, struct dd_err *err)
{
	return close_request(ctx, actor, id, DD_SWAP_CANCELLED,
			     "swap.cancelled", out, err);
}

int dd_swap_list(struct dd_ctx *ctx, const struct dd_swap_filter *f,
		 int (*fn)(const struct dd_swap *s, void *arg), void *arg,
		 struct dd_err *err)
{
	struct dd_rows *rows;
	struct dd_param p[] = {
		f->has_status ? DD_P_TEXT(dd_swap_status_name(f->status))
			      : DD_P_NULL,
		f->person_id ? DD_P_INT(f->person_id) : DD_P_NULL,
		DD_P_INT(f->after_id),
		DD_P_INT(f->limit),
	};
	if (dd_store_query(ctx->store,
			   SWAP_COLUMNS
			   "WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) "
			   "AND (CAST($2 AS BIGINT) IS NULL OR requester_id = "
			   "$2 OR colleague_id = $2) AND id > $3 ORDER BY id "
			   "LIMIT $4",
			   p, 4, &rows, err) < 0)
		return -1;
	int rc;
	while ((rc = dd_rows_next(rows, err)) > 0) {
		struct dd_swap s;
		read_row(ctx, rows, &s);
		if (fn(&s, arg) != 0)
			break;
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}
