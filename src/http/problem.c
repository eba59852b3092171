#include "http/problem.h"

#include <stdio.h>

#include "base/json_out.h"

const char *dd_http_status_title(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 412:
		return "Precondition Failed";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return status >= 500 ? "Server Error" : "Client Error";
	}
}

void dd_problem_write(struct dd_buf *out, const struct dd_err *err,
		      const char *instance)
{
	char type[96];
	struct dd_json_out j;
	snprintf(type, sizeof(type), DD_PROBLEM_URI_PREFIX "%s",
		 err->type ? err->type : DD_PROBLEM_INTERNAL);
	dd_json_out_init(&j, out);
	dd_json_obj_begin(&j);
	dd_json_kstr(&j, "type", type);
	dd_json_kstr(&j, "title", dd_http_status_title(err->status));
	dd_json_kint(&j, "status", err->status);
	dd_json_kstr(&j, "detail", err->msg);
	if (instance)
		dd_json_kstr(&j, "instance", instance);
	dd_json_obj_end(&j);
}
