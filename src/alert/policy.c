#include "alert/policy.h"

#include <string.h>

static const char *const kind_names[] = {
	[DD_TARGET_NONE] = "none",
	[DD_TARGET_DUTY] = "duty",
	[DD_TARGET_PERSON] = "person",
	[DD_TARGET_GROUP] = "group",
	[DD_TARGET_QUEUE] = "queue",
	[DD_TARGET_COORDINATOR] = "coordinator",
	[DD_TARGET_SUBSTITUTE] = "substitute",
};

#define KIND_COUNT ((int)(sizeof(kind_names) / sizeof(kind_names[0])))

const char *dd_target_kind_name(enum dd_target_kind kind)
{
	if ((int)kind < 0 || (int)kind >= KIND_COUNT)
		return "none";
	return kind_names[kind];
}

int dd_target_kind_parse(const char *name, enum dd_target_kind *kind)
{
	for (int i = 1; name && i < KIND_COUNT; i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum dd_target_kind)i;
			return 0;
		}
	return -1;
}

int dd_target_kind_needs_id(enum dd_target_kind kind)
{
	return kind == DD_TARGET_PERSON || kind == DD_TARGET_GROUP ||
	       kind == DD_TARGET_QUEUE;
}

void dd_policy_default(struct dd_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->name = "built-in priority-1 policy";
	p->description = "The priority-1 duty now; after 10 minutes the "
			 "coordinator's substitute; after 20 the coordinator.";
	p->repeat_delay_minutes = 10;
	p->step_count = 3;
	p->steps[0] = (struct dd_policy_step){0, {DD_TARGET_DUTY, 0}};
	p->steps[1] = (struct dd_policy_step){10, {DD_TARGET_SUBSTITUTE, 0}};
	p->steps[2] = (struct dd_policy_step){20, {DD_TARGET_COORDINATOR, 0}};
}

int dd_policy_check(const struct dd_policy *p, struct dd_err *err)
{
	if (p->step_count < 1 || p->step_count > DD_POLICY_STEPS_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a policy has 1 to %d steps",
				  DD_POLICY_STEPS_MAX);
	if (p->repeat_count < 0 || p->repeat_count > DD_POLICY_REPEAT_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'repeat_count' must be 0 to %d",
				  DD_POLICY_REPEAT_MAX);
	if (p->repeat_delay_minutes < 1 ||
	    p->repeat_delay_minutes > DD_POLICY_DELAY_MAX)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'repeat_delay_minutes' must be 1 to %d",
				  DD_POLICY_DELAY_MAX);
	for (int i = 0; i < p->step_count; i++) {
		const struct dd_policy_step *s = &p->steps[i];
		if (s->delay_minutes < 0 ||
		    s->delay_minutes > DD_POLICY_DELAY_MAX)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "step %d: 'delay_minutes' must be 0 "
					  "to %d",
					  i + 1, DD_POLICY_DELAY_MAX);
		if (i > 0 && s->delay_minutes < p->steps[i - 1].delay_minutes)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "step %d comes before step %d: "
					  "delays must not decrease",
					  i + 1, i);
		if (s->target.kind == DD_TARGET_NONE ||
		    (int)s->target.kind >= KIND_COUNT)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "step %d has no target", i + 1);
		if (dd_target_kind_needs_id(s->target.kind) &&
		    s->target.id <= 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "step %d: a %s target needs its id",
					  i + 1,
					  dd_target_kind_name(s->target.kind));
		if (!dd_target_kind_needs_id(s->target.kind) &&
		    s->target.kind != DD_TARGET_DUTY && s->target.id != 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "step %d: a %s target has no id",
					  i + 1,
					  dd_target_kind_name(s->target.kind));
	}
	return 0;
}

int dd_policy_firings(const struct dd_policy *p)
{
	return p->step_count * (p->repeat_count + 1);
}

const struct dd_policy_step *dd_policy_step_of(const struct dd_policy *p,
					       int seq)
{
	if (seq < 0 || p->step_count < 1 || seq >= dd_policy_firings(p))
		return NULL;
	return &p->steps[seq % p->step_count];
}

int64_t dd_policy_offset_ms(const struct dd_policy *p, int seq)
{
	const struct dd_policy_step *s = dd_policy_step_of(p, seq);
	if (!s)
		return -1;
	int64_t round = seq / p->step_count;
	int64_t length = (int64_t)p->steps[p->step_count - 1].delay_minutes +
			 p->repeat_delay_minutes;
	return (round * length + s->delay_minutes) * 60 * 1000;
}

int dd_policy_due(const struct dd_policy *p, int next_seq, int64_t elapsed_ms,
		  int64_t *next_offset)
{
	int n = 0;
	int64_t off;
	if (next_seq < 0)
		next_seq = 0;
	while ((off = dd_policy_offset_ms(p, next_seq + n)) >= 0 &&
	       off <= elapsed_ms)
		n++;
	*next_offset = off;
	return n;
}

void dd_page_world_at(struct dd_page_world *world,
		      const struct dd_calendar *cal,
		      const struct dd_window *windows, int64_t at)
{
	world->at = at;
	world->in_core_hours = dd_calendar_in_core_hours(cal, at);
	for (int i = 0; i < world->duty_count; i++) {
		int64_t day;
		world->duties[i].open =
			dd_window_contains(cal, &windows[i], at, &day);
	}
}

static void add(struct dd_resolved *out, enum dd_target_kind kind, int64_t id)
{
	for (int i = 0; i < out->count; i++)
		if (out->to[i].kind == kind && out->to[i].id == id)
			return;
	if (out->count < DD_RESOLVED_MAX)
		out->to[out->count++] = (struct dd_alert_target){kind, id};
}

/* A fallback target: a person, group or queue (a duty or a role as a
 * fallback would loop or surprise; the settings refuse them). */
static void fallback(const struct dd_alert_target *t, struct dd_resolved *out,
		     const char *why, const char *why_none)
{
	if (t->kind == DD_TARGET_PERSON || t->kind == DD_TARGET_GROUP ||
	    t->kind == DD_TARGET_QUEUE) {
		add(out, t->kind, t->id);
		out->why = why;
	} else {
		out->why = why_none;
	}
}

void dd_policy_resolve(const struct dd_alert_target *t,
		       const struct dd_page_world *w, struct dd_resolved *out)
{
	memset(out, 0, sizeof(*out));
	switch (t->kind) {
	case DD_TARGET_PERSON:
	case DD_TARGET_GROUP:
	case DD_TARGET_QUEUE:
		add(out, t->kind, t->id);
		out->why = "named in the policy";
		return;
	case DD_TARGET_COORDINATOR:
		if (w->coordinator_id)
			add(out, DD_TARGET_PERSON, w->coordinator_id);
		out->why = w->coordinator_id ? "support coordinator"
					     : "no support coordinator is set";
		return;
	case DD_TARGET_SUBSTITUTE:
		if (w->substitute_id)
			add(out, DD_TARGET_PERSON, w->substitute_id);
		out->why = w->substitute_id ? "coordinator's substitute"
					    : "no substitute is set";
		return;
	case DD_TARGET_DUTY:
		break;
	default:
		out->why = "no target";
		return;
	}
	int known = 0;
	for (int i = 0; i < w->duty_count; i++) {
		const struct dd_world_duty *d = &w->duties[i];
		int match = t->id ? d->duty_id == t->id : d->takes_p1;
		if (!match)
			continue;
		known = 1;
		if (d->open && d->person_id)
			add(out, DD_TARGET_PERSON, d->person_id);
	}
	if (out->count > 0) {
		out->why = "on duty";
		return;
	}
	if (!known) {
		out->why = t->id ? "the duty does not exist"
				 : "no duty takes priority-1 pages";
		return;
	}
	/* The window is closed (or nobody holds the duty today). */
	if (w->in_core_hours)
		fallback(&w->core_fallback, out,
			 "core hours, outside the duty's window",
			 "core hours, outside the duty's window, and no "
			 "core-hours target is set");
	else
		fallback(&w->off_fallback, out, "out of hours",
			 "out of hours, and no out-of-hours target is set");
}
