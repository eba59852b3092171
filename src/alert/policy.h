/*
 * policy.h - escalation policies as data, and the pure decisions on
 * them: when each step of an alert is due, and whom a step pages given
 * who is on duty at that instant. No I/O: alert.c loads the policy and
 * the on-call state and acts on the answers.
 *
 * A policy is an ordered list of steps, each with a delay in minutes
 * after the alert was triggered and a target. After the last step the
 * whole list may repeat: round r starts r * (last delay + repeat delay)
 * minutes after the trigger. A firing is numbered by its sequence
 * number seq = round * step_count + step.
 *
 * Targets:
 *   duty         the person holding the duty now (id 0: every duty that
 *                takes priority-1 pages). While the duty's window is
 *                closed: inside core hours the core-hours fallback
 *                target (the seed: the support-management queue),
 *                outside all hours the out-of-hours target, or nobody.
 *   person       one person
 *   group        every active member of a group
 *   queue        every active member of the queue's group
 *   coordinator  the support coordinator (organisation settings)
 *   substitute   the coordinator's substitute
 *
 * Delays are minutes between instants, so a step ten minutes after
 * 01:55 on the night the clocks go forward is due at 03:05 local time.
 */
#ifndef DD_ALERT_POLICY_H
#define DD_ALERT_POLICY_H

#include <stdint.h>

#include "base/err.h"
#include "rota/calendar.h"

/* A policy is short: a handful of people in turn. */
#define DD_POLICY_STEPS_MAX 16
/* At most this many repeats of the whole list: past that, paging the
 * same people again tells nobody anything new. */
#define DD_POLICY_REPEAT_MAX 10
/* A step waits at most a day: an alert nobody takes for a day is a
 * failure of the organisation, not of the policy. */
#define DD_POLICY_DELAY_MAX (24 * 60)
/* Duties a world holds (the rota has a handful). */
#define DD_WORLD_DUTIES_MAX 32

enum dd_target_kind {
	DD_TARGET_NONE = 0,
	DD_TARGET_DUTY,
	DD_TARGET_PERSON,
	DD_TARGET_GROUP,
	DD_TARGET_QUEUE,
	DD_TARGET_COORDINATOR,
	DD_TARGET_SUBSTITUTE,
};

struct dd_alert_target {
	enum dd_target_kind kind;
	int64_t id; /* duty, person, group or queue id; 0 otherwise */
};

struct dd_policy_step {
	int delay_minutes;
	struct dd_alert_target target;
};

struct dd_policy {
	int64_t id; /* 0: the built-in default */
	const char *name;
	const char *description;
	int repeat_count;
	int repeat_delay_minutes;
	int step_count;
	struct dd_policy_step steps[DD_POLICY_STEPS_MAX];
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
};

/* "duty", "person", ...; "none" for DD_TARGET_NONE. */
const char *dd_target_kind_name(enum dd_target_kind kind);
/* 0 with *kind set, -1 for an unknown name ("none" is unknown). */
int dd_target_kind_parse(const char *name, enum dd_target_kind *kind);
/* Whether kind names an object by id (duty: optionally). */
int dd_target_kind_needs_id(enum dd_target_kind kind);

/*
 * The built-in default priority-1 policy (used when the settings name
 * none): the priority-1 duty now, after 10 minutes the coordinator's
 * substitute, after 20 the coordinator; no repeats.
 */
void dd_policy_default(struct dd_policy *p);

/* Check a policy: 1 to DD_POLICY_STEPS_MAX steps, delays 0 to
 * DD_POLICY_DELAY_MAX and not decreasing, repeats 0 to
 * DD_POLICY_REPEAT_MAX with a repeat delay of 1 to DD_POLICY_DELAY_MAX
 * minutes, ids where the target needs one. 0, or -1 with a 400. */
int dd_policy_check(const struct dd_policy *p, struct dd_err *err);

/* How many firings the policy has in all: steps times rounds. */
int dd_policy_firings(const struct dd_policy *p);
/* The offset from the trigger in ms at which firing seq is due, or -1
 * when seq is past the last firing. */
int64_t dd_policy_offset_ms(const struct dd_policy *p, int seq);
/* The step firing seq uses (NULL past the last). */
const struct dd_policy_step *dd_policy_step_of(const struct dd_policy *p,
					       int seq);
/*
 * The firings due elapsed_ms after the trigger, starting at next_seq:
 * returns how many (seq next_seq .. next_seq + n - 1 are due), and sets
 * *next_offset to the offset of the first one not due yet, or -1 when
 * there is none.
 */
int dd_policy_due(const struct dd_policy *p, int next_seq, int64_t elapsed_ms,
		  int64_t *next_offset);

/* One duty as the paging decision sees it at an instant. */
struct dd_world_duty {
	int64_t duty_id;
	int takes_p1;
	int open;	   /* its window is open at the instant */
	int64_t person_id; /* who holds it today; 0 nobody */
};

/* Who is on duty and where the organisation stands at an instant. */
struct dd_page_world {
	int64_t at;
	int in_core_hours;
	int duty_count;
	struct dd_world_duty duties[DD_WORLD_DUTIES_MAX];
	int64_t coordinator_id; /* 0: not set */
	int64_t substitute_id;
	/* Where a duty step goes while its window is closed: inside core
	 * hours, and outside all hours (kind NONE: nobody). */
	struct dd_alert_target core_fallback;
	struct dd_alert_target off_fallback;
};

/*
 * Fill world's open flags and in_core_hours for instant at from the
 * calendar and each duty's window (pure: the calendar holds the zone).
 * windows[i] is duty i's window; duties[] must already hold ids,
 * takes_p1 and holders.
 */
void dd_page_world_at(struct dd_page_world *world,
		      const struct dd_calendar *cal,
		      const struct dd_window *windows, int64_t at);

/* Whom a target reaches: people directly, or a group or queue still to
 * be expanded into its members; NONE when nobody. */
#define DD_RESOLVED_MAX DD_WORLD_DUTIES_MAX
struct dd_resolved {
	int count;
	struct dd_alert_target to[DD_RESOLVED_MAX]; /* PERSON, GROUP, QUEUE */
	/* Why, for the page log: "on duty", "core hours: window closed",
	 * "out of hours", "nobody on duty and no out-of-hours target",
	 * "coordinator not set", ... (static strings). */
	const char *why;
};

/* Resolve target t in world. Pure. */
void dd_policy_resolve(const struct dd_alert_target *t,
		       const struct dd_page_world *world,
		       struct dd_resolved *out);

#endif
