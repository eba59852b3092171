/*
 * test_policy.c - the pure decisions of alerting (alert/policy.h,
 * alert/phone_route.h, alert/ack_link.h): when each step of a policy is
 * due, whom a step pages with the duty's window open or closed, inside
 * and outside core hours, on both sides of both daylight-saving changes
 * in Europe/Berlin; where the phone rings; and that signed one-click
 * tokens survive a round trip and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alert/ack_link.h"
#include "alert/phone_route.h"
#include "alert/policy.h"
#include "base/timefmt.h"
#include "base/tz.h"

#define MIN (60 * 1000LL)

struct fixture {
	struct dd_tz *tz;
	struct dd_calendar cal;
	struct dd_window windows[2];
	struct dd_page_world world;
};

static int setup(void **state)
{
	static struct fixture f;
	struct dd_err err;
	memset(&f, 0, sizeof(f));
	if (dd_tz_load("Europe/Berlin", &f.tz, &err) < 0)
		return -1;
	/* The seed: core hours 08:00-16:00, afternoon window 16:00-18:00. */
	f.cal = (struct dd_calendar){.tz = f.tz,
				     .workdays = DD_WEEKDAYS_MON_FRI,
				     .core_start = 8 * 60,
				     .core_end = 16 * 60};
	for (int i = 0; i < 2; i++)
		f.windows[i] = (struct dd_window){DD_WEEKDAYS_MON_FRI, 16 * 60,
						  18 * 60};
	f.world.duty_count = 2;
	f.world.duties[0] = (struct dd_world_duty){1, 0, 0, 11}; /* phone */
	f.world.duties[1] = (struct dd_world_duty){2, 1, 0, 12}; /* P1 */
	f.world.coordinator_id = 1;
	f.world.substitute_id = 2;
	f.world.core_fallback = (struct dd_alert_target){DD_TARGET_QUEUE, 5};
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	dd_tz_free(f->tz);
	return 0;
}

static int64_t at(const char *text)
{
	int64_t ms = 0;
	assert_int_equal(dd_time_parse_rfc3339(text, &ms), 0);
	return ms;
}

/* Resolve the default policy's first step (the P1 duty) at instant. */
static struct dd_resolved first_step(struct fixture *f, const char *instant)
{
	struct dd_policy p;
	struct dd_resolved r;
	dd_policy_default(&p);
	dd_page_world_at(&f->world, &f->cal, f->windows, at(instant));
	dd_policy_resolve(&p.steps[0].target, &f->world, &r);
	return r;
}

static void expect_one(const struct dd_resolved *r, enum dd_target_kind kind,
		       int64_t id)
{
	assert_int_equal(r->count, 1);
	assert_int_equal(r->to[0].kind, kind);
	assert_int_equal(r->to[0].id, id);
}

static void test_default_policy_offsets(void **state)
{
	struct dd_policy p;
	struct dd_err err;
	int64_t next;
	dd_policy_default(&p);
	assert_int_equal(dd_policy_check(&p, &err), 0);
	assert_int_equal(dd_policy_firings(&p), 3);
	assert_true(dd_policy_offset_ms(&p, 0) == 0);
	assert_true(dd_policy_offset_ms(&p, 1) == 10 * MIN);
	assert_true(dd_policy_offset_ms(&p, 2) == 20 * MIN);
	assert_true(dd_policy_offset_ms(&p, 3) == -1);
	assert_int_equal(p.steps[1].target.kind, DD_TARGET_SUBSTITUTE);
	assert_int_equal(p.steps[2].target.kind, DD_TARGET_COORDINATOR);
	/* At the trigger only the first step is due. */
	assert_int_equal(dd_policy_due(&p, 0, 0, &next), 1);
	assert_true(next == 10 * MIN);
	/* A minute early: nothing. */
	assert_int_equal(dd_policy_due(&p, 1, 10 * MIN - 1, &next), 0);
	assert_true(next == 10 * MIN);
	/* Exactly at 10 minutes: the substitute. */
	assert_int_equal(dd_policy_due(&p, 1, 10 * MIN, &next), 1);
	assert_true(next == 20 * MIN);
	/* The job was late: both remaining steps, nothing after. */
	assert_int_equal(dd_policy_due(&p, 1, 25 * MIN, &next), 2);
	assert_true(next == -1);
	assert_int_equal(dd_policy_due(&p, 3, 99 * MIN, &next), 0);
	assert_null(dd_policy_step_of(&p, 3));
}

static void test_repeats(void **state)
{
	struct dd_policy p = {.name = "twice",
			      .repeat_count = 2,
			      .repeat_delay_minutes = 10,
			      .step_count = 2};
	struct dd_err err;
	int64_t next;
	p.steps[0] = (struct dd_policy_step){0, {DD_TARGET_PERSON, 7}};
	p.steps[1] = (struct dd_policy_step){5, {DD_TARGET_GROUP, 3}};
	assert_int_equal(dd_policy_check(&p, &err), 0);
	/* Rounds of 5 + 10 = 15 minutes, three of them. */
	int64_t want[] = {0, 5, 15, 20, 30, 35};
	assert_int_equal(dd_policy_firings(&p), 6);
	for (int i = 0; i < 6; i++)
		assert_true(dd_policy_offset_ms(&p, i) == want[i] * MIN);
	assert_true(dd_policy_offset_ms(&p, 6) == -1);
	assert_int_equal(dd_policy_step_of(&p, 4)->target.kind,
			 DD_TARGET_PERSON);
	assert_int_equal(dd_policy_step_of(&p, 5)->target.kind,
			 DD_TARGET_GROUP);
	assert_int_equal(dd_policy_due(&p, 2, 16 * MIN, &next), 1);
	assert_true(next == 20 * MIN);
}

static void test_bad_policies(void **state)
{
	struct dd_policy p;
	struct dd_err err;
	dd_policy_default(&p);
	p.steps[2].delay_minutes = 5; /* before step 2's 10 */
	assert_int_equal(dd_policy_check(&p, &err), -1);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.msg, "must not decrease"));
	dd_policy_default(&p);
	p.step_count = 0;
	assert_int_equal(dd_policy_check(&p, &err), -1);
	dd_policy_default(&p);
	p.steps[0].target = (struct dd_alert_target){DD_TARGET_PERSON, 0};
	assert_int_equal(dd_policy_check(&p, &err), -1);
	assert_non_null(strstr(err.msg, "needs its id"));
	dd_policy_default(&p);
	p.steps[1].target.id = 4; /* the substitute has no id */
	assert_int_equal(dd_policy_check(&p, &err), -1);
	dd_policy_default(&p);
	p.repeat_count = DD_POLICY_REPEAT_MAX + 1;
	assert_int_equal(dd_policy_check(&p, &err), -1);
	dd_policy_default(&p);
	p.steps[2].delay_minutes = DD_POLICY_DELAY_MAX + 1;
	assert_int_equal(dd_policy_check(&p, &err), -1);
	dd_policy_default(&p);
	p.repeat_delay_minutes = 0;
	assert_int_equal(dd_policy_check(&p, &err), -1);
	enum dd_target_kind k;
	assert_int_equal(dd_target_kind_parse("queue", &k), 0);
	assert_int_equal(k, DD_TARGET_QUEUE);
	assert_int_equal(dd_target_kind_parse("none", &k), -1);
	assert_int_equal(dd_target_kind_parse("Queue", &k), -1);
	assert_int_equal(dd_target_kind_parse(NULL, &k), -1);
}

/* Winter time (CET, UTC+1): Friday 27 March 2026. */
static void test_duty_in_winter(void **state)
{
	struct fixture *f = *state;
	f->world.off_fallback = (struct dd_alert_target){DD_TARGET_NONE, 0};
	/* 16:30 local: the window is open, the emergency duty is paged. */
	struct dd_resolved r = first_step(f, "2026-03-27T15:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 12);
	assert_string_equal(r.why, "on duty");
	/* 15:30 local: core hours, the window is closed: the queue. */
	r = first_step(f, "2026-03-27T14:30:00Z");
	expect_one(&r, DD_TARGET_QUEUE, 5);
	/* 18:00 local exactly: the window has ended, out of hours. */
	r = first_step(f, "2026-03-27T17:00:00Z");
	assert_int_equal(r.count, 0);
	assert_non_null(strstr(r.why, "no out-of-hours target"));
	/* 17:59:59 local is still inside. */
	r = first_step(f, "2026-03-27T16:59:59Z");
	expect_one(&r, DD_TARGET_PERSON, 12);
	/* Saturday afternoon: no window, no core hours. */
	f->world.off_fallback = (struct dd_alert_target){DD_TARGET_PERSON, 9};
	r = first_step(f, "2026-03-28T15:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 9);
	assert_string_equal(r.why, "out of hours");
}

/* Summer time (CEST, UTC+2) from Sunday 29 March 2026: the same civil
 * hours are an hour earlier in UTC. */
static void test_duty_in_summer(void **state)
{
	struct fixture *f = *state;
	f->world.off_fallback = (struct dd_alert_target){DD_TARGET_PERSON, 9};
	/* 16:30 CEST is 14:30Z (in winter that was core hours). */
	struct dd_resolved r = first_step(f, "2026-03-30T14:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 12);
	/* 15:30Z is 17:30 CEST: still open. */
	r = first_step(f, "2026-03-30T15:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 12);
	/* 16:30Z is 18:30 CEST: closed, out of hours. */
	r = first_step(f, "2026-03-30T16:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 9);
	/* 06:30Z is 08:30 CEST: core hours (07:30 if read as CET). */
	r = first_step(f, "2026-03-30T06:30:00Z");
	expect_one(&r, DD_TARGET_QUEUE, 5);
	/* 05:30Z is 07:30 CEST: before core hours. */
	r = first_step(f, "2026-03-30T05:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 9);
}

/* Back to winter time on Sunday 25 October 2026. */
static void test_duty_in_autumn(void **state)
{
	struct fixture *f = *state;
	f->world.off_fallback = (struct dd_alert_target){DD_TARGET_NONE, 0};
	/* Friday 23 October, CEST: 16:30 is 14:30Z. */
	struct dd_resolved r = first_step(f, "2026-10-23T14:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 12);
	/* Monday 26 October, CET: 14:30Z is 15:30, core hours. */
	r = first_step(f, "2026-10-26T14:30:00Z");
	expect_one(&r, DD_TARGET_QUEUE, 5);
	r = first_step(f, "2026-10-26T15:30:00Z");
	expect_one(&r, DD_TARGET_PERSON, 12);
}

/* Delays are between instants: ten minutes after 01:55 CET on the night
 * the clocks go forward is 03:05 CEST; after 02:55 CEST on the night
 * they go back it is 02:05 CET (the second 02:00 hour). */
static void test_delays_across_dst(void **state)
{
	struct fixture *f = *state;
	struct dd_policy p;
	struct dd_civil c;
	dd_policy_default(&p);
	int64_t trig = at("2026-03-29T00:55:00Z");
	int64_t step1 = trig + dd_policy_offset_ms(&p, 1);
	dd_tz_utc_to_local(f->tz, trig / 1000, &c);
	assert_int_equal(c.hour, 1);
	assert_int_equal(c.minute, 55);
	dd_tz_utc_to_local(f->tz, step1 / 1000, &c);
	assert_int_equal(c.hour, 3);
	assert_int_equal(c.minute, 5);
	assert_true(step1 - trig == 10 * MIN);
	trig = at("2026-10-25T00:55:00Z"); /* 02:55 CEST */
	dd_tz_utc_to_local(f->tz, (trig + dd_policy_offset_ms(&p, 1)) / 1000,
			   &c);
	assert_int_equal(c.hour, 2);
	assert_int_equal(c.minute, 5);
}

static void test_roles_and_explicit_targets(void **state)
{
	struct fixture *f = *state;
	struct dd_resolved r;
	dd_page_world_at(&f->world, &f->cal, f->windows,
			 at("2026-03-27T15:30:00Z"));
	struct dd_alert_target t = {DD_TARGET_SUBSTITUTE, 0};
	dd_policy_resolve(&t, &f->world, &r);
	expect_one(&r, DD_TARGET_PERSON, 2);
	t.kind = DD_TARGET_COORDINATOR;
	dd_policy_resolve(&t, &f->world, &r);
	expect_one(&r, DD_TARGET_PERSON, 1);
	/* The telephone duty by its id. */
	t = (struct dd_alert_target){DD_TARGET_DUTY, 1};
	dd_policy_resolve(&t, &f->world, &r);
	expect_one(&r, DD_TARGET_PERSON, 11);
	t = (struct dd_alert_target){DD_TARGET_DUTY, 99};
	dd_policy_resolve(&t, &f->world, &r);
	assert_int_equal(r.count, 0);
	/* Nobody holds the duty today (no plan): the fallback, as if the
	 * window were closed. */
	f->world.duties[1].person_id = 0;
	t = (struct dd_alert_target){DD_TARGET_DUTY, 0};
	f->world.in_core_hours = 1;
	dd_policy_resolve(&t, &f->world, &r);
	expect_one(&r, DD_TARGET_QUEUE, 5);
	f->world.duties[1].person_id = 12;
	int64_t coord = f->world.coordinator_id;
	f->world.coordinator_id = 0;
	t.kind = DD_TARGET_COORDINATOR;
	dd_policy_resolve(&t, &f->world, &r);
	assert_int_equal(r.count, 0);
	assert_non_null(strstr(r.why, "no support coordinator"));
	f->world.coordinator_id = coord;
}

static void test_phone_route(void **state)
{
	struct dd_duty phone = {.id = 1, .name = "Telephone service"};
	struct dd_duty p1 = {.id = 2, .name = "Emergency", .takes_p1 = 1};
	struct dd_oncall list[2] = {
		{.duty = &p1,
		 .open = 1,
		 .window_end = 1000,
		 .assignment = {.person_id = 12},
		 .phone = "+4989555021"},
		{.duty = &phone,
		 .open = 1,
		 .window_end = 2000,
		 .assignment = {.person_id = 11},
		 .name = "Sabine",
		 .phone = "+4989555020"},
	};
	struct dd_phone_route r;
	dd_phone_route_decide(list, 2, 0, &r);
	assert_int_equal(r.dial, 1);
	assert_string_equal(r.number, "+4989555020");
	assert_int_equal(r.person_id, 11);
	assert_int_equal(r.duty_id, 1);
	assert_true(r.until == 2000);
	dd_phone_route_decide(list, 2, 2, &r);
	assert_string_equal(r.number, "+4989555021");
	list[1].open = 0;
	dd_phone_route_decide(list, 2, 0, &r);
	assert_int_equal(r.dial, 0);
	assert_string_equal(r.reason, "window closed");
	list[1].open = 1;
	list[1].phone = NULL;
	dd_phone_route_decide(list, 2, 0, &r);
	assert_int_equal(r.dial, 0);
	assert_string_equal(r.reason, "no phone number");
	list[1].assignment.person_id = 0;
	dd_phone_route_decide(list, 2, 0, &r);
	assert_string_equal(r.reason, "nobody on duty");
	dd_phone_route_decide(list, 0, 0, &r);
	assert_string_equal(r.reason, "no telephone duty");
	dd_phone_route_decide(list, 2, 7, &r);
	assert_int_equal(r.duty_id, 0);
}

static void test_ack_tokens(void **state)
{
	unsigned char key[DD_SERVER_KEY_BYTES], other[DD_SERVER_KEY_BYTES];
	char text[DD_ACK_TOKEN_MAX], bad[DD_ACK_TOKEN_MAX + 32];
	struct dd_ack_token t = {.object_id = 42,
				 .action = DD_ACK_ACKNOWLEDGE,
				 .person_id = 7,
				 .expires_s = 1795000000},
			    back;
	memset(key, 0x11, sizeof(key));
	memset(other, 0x22, sizeof(other));
	snprintf(t.nonce, sizeof(t.nonce), "0123456789abcdef");
	dd_ack_token_format(key, &t, text, sizeof(text));
	assert_int_equal(strncmp(text, "a1.42.ack.7.1795000000.", 23), 0);
	assert_int_equal(dd_ack_token_parse(key, text, &back), 0);
	assert_true(back.object_id == 42);
	assert_int_equal(back.action, DD_ACK_ACKNOWLEDGE);
	assert_true(back.person_id == 7);
	assert_true(back.expires_s == 1795000000);
	assert_string_equal(back.nonce, t.nonce);
	/* Another key, another alert, another action, a later expiry, a
	 * changed signature, a cut one: all refused. */
	assert_int_equal(dd_ack_token_parse(other, text, &back), -1);
	snprintf(bad, sizeof(bad), "a1.43%s", text + 5);
	assert_int_equal(dd_ack_token_parse(key, bad, &back), -1);
	snprintf(bad, sizeof(bad), "a1.42.resolve%s", text + 9);
	assert_int_equal(dd_ack_token_parse(key, bad, &back), -1);
	snprintf(bad, sizeof(bad), "%s", text);
	bad[17] = bad[17] == '9' ? '8' : '9';
	assert_int_equal(dd_ack_token_parse(key, bad, &back), -1);
	snprintf(bad, sizeof(bad), "%s", text);
	size_t n = strlen(bad);
	bad[n - 1] = bad[n - 1] == '0' ? '1' : '0';
	assert_int_equal(dd_ack_token_parse(key, bad, &back), -1);
	bad[n - 1] = '\0';
	assert_int_equal(dd_ack_token_parse(key, bad, &back), -1);
	assert_int_equal(dd_ack_token_parse(key, "", &back), -1);
	assert_int_equal(dd_ack_token_parse(key, "a1.x.ack.7.1.0.0", &back),
			 -1);
	assert_int_equal(dd_ack_token_parse(key, NULL, &back), -1);
	/* Resolve and readiness tokens round-trip too. */
	t.action = DD_ACK_READY;
	dd_ack_token_format(key, &t, text, sizeof(text));
	assert_int_equal(dd_ack_token_parse(key, text, &back), 0);
	assert_int_equal(back.action, DD_ACK_READY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_policy_offsets),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_bad_policies),
		cmocka_unit_test(test_duty_in_winter),
		cmocka_unit_test(test_duty_in_summer),
		cmocka_unit_test(test_duty_in_autumn),
		cmocka_unit_test(test_delays_across_dst),
		cmocka_unit_test(test_roles_and_explicit_targets),
		cmocka_unit_test(test_phone_route),
		cmocka_unit_test(test_ack_tokens),
	};
	return cmocka_run_group_tests_name("alert/policy", tests, setup,
					   teardown);
}
