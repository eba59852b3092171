#include "cli/demo_alerting.h"

#include <string.h>

#include "alert/alert_settings.h"
#include "alert/contact_method.h"
#include "alert/policy_store.h"
#include "people/person.h"
#include "rota/duty.h"
#include "ticket/queue.h"

struct people {
	struct dd_cli *cli;
	struct dd_err *err;
	int failed;
};

static int add_mail(const struct dd_person *p, void *arg)
{
	struct people *st = arg;
	struct dd_contact_method m;
	struct dd_contact_method_input in = {
		.kind = "email", .address = p->email, .label = "work mail"};
	if (dd_contact_method_add_verified(&st->cli->ctx, &st->cli->actor,
					   p->id, &in, &m, st->err) < 0) {
		st->failed = 1;
		return 1;
	}
	return 0;
}

int dd_demo_alerting(struct dd_cli *cli)
{
	struct dd_err err;
	struct dd_duty *duties;
	int n;
	int64_t p1_duty = 0;
	dd_err_clear(&err);
	if (dd_duty_all(&cli->ctx, &duties, &n, &err) < 0)
		return dd_cli_fail("demo", "%s", err.msg);
	for (int i = 0; i < n && !p1_duty; i++)
		if (duties[i].takes_p1)
			p1_duty = duties[i].id;
	struct dd_policy in = {
		.name = "Priority 1",
		.description = "The seed: technical emergency preparedness at "
			       "once; after 10 minutes unacknowledged the "
			       "coordinator's substitute; after 20 the "
			       "coordinator.",
		.repeat_delay_minutes = 10,
		.step_count = 3,
	};
	in.steps[0] = (struct dd_policy_step){0, {DD_TARGET_DUTY, p1_duty}};
	in.steps[1] = (struct dd_policy_step){10, {DD_TARGET_SUBSTITUTE, 0}};
	in.steps[2] = (struct dd_policy_step){20, {DD_TARGET_COORDINATOR, 0}};
	struct dd_policy out;
	struct dd_queue q;
	struct dd_alert_settings s;
	if (dd_policy_create(&cli->ctx, &cli->actor, &in, &out, &err) < 0 ||
	    dd_queue_get_by_name(&cli->ctx, "Support management", &q, &err) <
		    0 ||
	    dd_alert_settings_load(&cli->ctx, &s, &err) < 0)
		return dd_cli_fail("demo", "%s", err.msg);
	s.p1_policy_id = out.id;
	s.core_target = (struct dd_alert_target){DD_TARGET_QUEUE, q.id};
	if (dd_alert_settings_save(&cli->ctx, &cli->actor, &s, 0, &err) < 0)
		return dd_cli_fail("demo", "%s", err.msg);
	struct people st = {cli, &err, 0};
	if (dd_person_list(&cli->ctx, 0, 1000, add_mail, &st, &err) < 0 ||
	    st.failed)
		return dd_cli_fail("demo", "%s", err.msg);
	return DD_EXIT_OK;
}
