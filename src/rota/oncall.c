#include "rota/oncall.h"

#include "people/person.h"

int dd_oncall_at(struct dd_ctx *ctx, const struct dd_rota_env *env,
		 int64_t at_ms, struct dd_oncall **out, struct dd_err *err)
{
	struct dd_oncall *list = dd_arena_alloc(
		ctx->arena, sizeof(*list) * (size_t)(env->duty_count + 1));
	if (!list)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	for (int i = 0; i < env->duty_count; i++) {
		struct dd_oncall *o = &list[i];
		o->duty = &env->duties[i];
		o->open = dd_window_contains(&env->cal, &o->duty->window, at_ms,
					     &o->day);
		if (dd_window_open_on(&env->cal, &o->duty->window, o->day))
			dd_window_bounds(&env->cal, &o->duty->window, o->day,
					 &o->window_start, &o->window_end);
		if (!o->open)
			continue;
		if (dd_rota_assignment(ctx, env, o->day, o->duty,
				       &o->assignment, err) < 0)
			return -1;
		if (o->assignment.person_id) {
			struct dd_person p;
			if (dd_person_get(ctx, o->assignment.person_id, &p,
					  err) < 0)
				return -1;
			o->name = p.name;
			o->phone = p.phone;
			o->login = p.login;
		}
	}
	*out = list;
	return 0;
}

void dd_oncall_to_json(const struct dd_oncall *o, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "duty_id", o->duty->id);
	dd_json_kstr(j, "duty", o->duty->name);
	dd_json_kbool(j, "takes_p1", o->duty->takes_p1);
	dd_json_kbool(j, "open", o->open);
	if (o->window_start) {
		dd_json_ktime(j, "window_start", o->window_start);
		dd_json_ktime(j, "window_end", o->window_end);
	} else {
		dd_json_knull(j, "window_start");
		dd_json_knull(j, "window_end");
	}
	dd_json_key(j, "person");
	if (o->open && o->assignment.person_id) {
		dd_json_obj_begin(j);
		dd_json_kint(j, "id", o->assignment.person_id);
		dd_json_kstr(j, "login", o->login);
		dd_json_kstr(j, "name", o->name);
		dd_json_kstr(j, "phone", o->phone);
		dd_json_obj_end(j);
		dd_json_kstr(j, "reason",
			     dd_cover_reason_name(o->assignment.reason));
	} else {
		dd_json_null(j);
		dd_json_knull(j, "reason");
	}
	dd_json_obj_end(j);
}
