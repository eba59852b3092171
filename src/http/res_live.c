#include "http/resources.h"

int dd_res_live(struct dd_request *req)
{
	/* server.c answers with the stream (http/live.h) once the route's
	 * checks have passed. */
	req->live_stream = 1;
	req->status = 200;
	return 0;
}
