#include <microhttpd.h>
#include <stdio.h>

#include "base/date.h"
#include "base/limits.h"
#include "http/json_in.h"
#include "http/resources.h"
#include "rota/duty.h"
#include "rota/settings.h"

/* Weekdays as a JSON array of "mon".."sun". */
int dd_res_read_weekdays(json_t *body, const char *key, unsigned *mask,
			 int *present, struct dd_err *err)
{
	json_t *arr = json_object_get(body, key);
	size_t i;
	json_t *v;
	*present = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > 7)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be an array of weekdays like "
				  "[\"mon\",\"tue\"]",
				  key);
	unsigned m = 0;
	json_array_foreach(arr, i, v)
	{
		unsigned bit;
		if (!json_is_string(v) ||
		    dd_weekdays_parse(json_string_value(v), &bit) < 0 ||
		    (bit & (bit - 1)) != 0)
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "'%s' entry %zu is not one of mon, "
					  "tue, wed, thu, fri, sat, sun",
					  key, i);
		m |= bit;
	}
	*mask = m;
	*present = 1;
	return 0;
}

/* A "HH:MM" member: 1 present, 0 absent, -1 error. */
int dd_res_read_time(json_t *body, const char *key, int *minutes,
		     struct dd_err *err)
{
	const char *text;
	int rc = dd_json_in_str(body, key, 0, 5, &text, NULL, err);
	if (rc <= 0)
		return rc;
	if (dd_time_of_day_parse(text, minutes) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'%s' must be a time like 16:00", key);
	return 1;
}

static int read_input(json_t *body, struct dd_duty_input *in,
		      struct dd_err *err)
{
	static const char *const fields[] = {"name",	 "description", "slot",
					     "weekdays", "start",	"end",
					     "phone",	 "takes_p1",	NULL};
	long long slot;
	int rc, null_phone = 0;
	if (dd_json_in_known(body, fields, err) < 0 ||
	    dd_json_in_str(body, "name", 0, DD_LIMIT_NAME, &in->name, NULL,
			   err) < 0)
		return -1;
	json_t *d = json_object_get(body, "description");
	if (d && json_is_string(d))
		in->description = json_string_value(d);
	else if (d && !json_is_null(d))
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'description' must be a string");
	if ((rc = dd_json_in_int(body, "slot", 0, 0, 1, &slot, err)) < 0)
		return -1;
	in->slot = (int)slot;
	in->slot_set = rc;
	if (dd_res_read_weekdays(body, "weekdays", &in->weekdays,
				 &in->weekdays_set, err) < 0)
		return -1;
	if ((rc = dd_res_read_time(body, "start", &in->start, err)) < 0)
		return -1;
	in->start_set = rc;
	if ((rc = dd_res_read_time(body, "end", &in->end, err)) < 0)
		return -1;
	in->end_set = rc;
	if ((rc = dd_json_in_str(body, "phone", 0, 64, &in->phone, &null_phone,
				 err)) < 0)
		return -1;
	in->phone_set = rc;
	if ((rc = dd_json_in_bool(body, "takes_p1", 0, &in->takes_p1, err)) < 0)
		return -1;
	in->takes_p1_set = rc;
	return 0;
}

static void send_duty(struct dd_request *req, int status,
		      const struct dd_duty *d)
{
	dd_resp_etag(req, d->version);
	dd_duty_to_json(d, dd_resp_json(req, status));
}

int dd_res_duties_list(struct dd_request *req)
{
	struct dd_duty *all;
	int n;
	struct dd_err err;
	if (dd_duty_all(&req->ctx, &all, &n, &err) < 0)
		return dd_res_err(req, &err);
	struct dd_json_out *j = dd_resp_json(req, 200);
	dd_json_obj_begin(j);
	dd_json_key(j, "items");
	dd_json_arr_begin(j);
	for (int i = 0; i < n; i++)
		dd_duty_to_json(&all[i], j);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	return 0;
}

int dd_res_duties_create(struct dd_request *req)
{
	struct dd_duty_input in = {0};
	struct dd_duty d;
	struct dd_err err;
	dd_err_clear(&err);
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, &in, &err) < 0 ||
	    dd_duty_create(&req->ctx, &req->actor, &in, &d, &err) < 0)
		return dd_res_err(req, &err);
	char location[64];
	snprintf(location, sizeof(location), "/api/v1/duties/%lld",
		 (long long)d.id);
	dd_resp_header(req, MHD_HTTP_HEADER_LOCATION, location);
	send_duty(req, 201, &d);
	return 0;
}

int dd_res_duties_get(struct dd_request *req)
{
	int64_t id;
	struct dd_duty d;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "duty", &id) < 0)
		return -1;
	if (dd_duty_get(&req->ctx, id, &d, &err) < 0)
		return dd_res_err(req, &err);
	send_duty(req, 200, &d);
	return 0;
}

int dd_res_duties_update(struct dd_request *req)
{
	int64_t id, version;
	struct dd_duty_input in = {0};
	struct dd_duty d;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_req_param_id(req, "id", "duty", &id) < 0 ||
	    dd_req_if_match(req, &version) < 0)
		return -1;
	json_t *body = dd_req_json(req);
	if (!body)
		return -1;
	if (read_input(body, &in, &err) < 0 ||
	    dd_duty_update(&req->ctx, &req->actor, id, &in, version, &d, &err) <
		    0)
		return dd_res_err(req, &err);
	send_duty(req, 200, &d);
	return 0;
}

int dd_res_duties_delete(struct dd_request *req)
{
	int64_t id;
	struct dd_err err;
	if (dd_req_param_id(req, "id", "duty", &id) < 0)
		return -1;
	if (dd_duty_delete(&req->ctx, &req->actor, id, &err) < 0)
		return dd_res_err(req, &err);
	dd_resp_empty(req, 204);
	return 0;
}
