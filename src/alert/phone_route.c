#include "alert/phone_route.h"

#include <string.h>

void dd_phone_route_decide(const struct dd_oncall *list, int n, int64_t duty_id,
			   struct dd_phone_route *out)
{
	const struct dd_oncall *o = NULL;
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < n && !o; i++)
		if (duty_id ? list[i].duty->id == duty_id
			    : !list[i].duty->takes_p1)
			o = &list[i];
	if (!o && !duty_id && n > 0)
		o = &list[0];
	if (!o) {
		out->reason = "no telephone duty";
		return;
	}
	out->duty_id = o->duty->id;
	out->duty = o->duty->name;
	if (!o->open) {
		out->reason = "window closed";
		return;
	}
	if (!o->assignment.person_id) {
		out->reason = "nobody on duty";
		return;
	}
	out->person_id = o->assignment.person_id;
	out->name = o->name;
	out->login = o->login;
	if (!o->phone || !*o->phone) {
		out->reason = "no phone number";
		return;
	}
	out->dial = 1;
	out->number = o->phone;
	out->until = o->window_end;
	out->reason = "on duty";
}

int dd_phone_route_at(struct dd_ctx *ctx, int64_t at, int64_t duty_id,
		      struct dd_phone_route *out, struct dd_err *err)
{
	struct dd_oncall *list;
	int n;
	if (dd_oncall_lookup(ctx, ctx->oncall_cache, at, &list, &n, err) < 0)
		return -1;
	dd_phone_route_decide(list, n, duty_id, out);
	if (duty_id && !out->duty_id)
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no duty with id %lld", (long long)duty_id);
	return 0;
}
