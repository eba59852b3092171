/*
 * cmd_mailgate.c - "dutydesk mailgate": the MTA's delivery command. It
 * reads one RFC 5322 message on standard input and posts it to
 * POST /api/v1/mail/inbound with a token that holds the mail:ingest
 * scope. The exit status is what the MTA acts on (sysexits.h):
 *
 *   0   the message is stored (or was stored before: a retry)
 *   65  EX_DATAERR: the server refused the message itself (empty, too
 *       large, not a message): retrying cannot help, the MTA bounces it
 *   75  EX_TEMPFAIL: anything else (the server cannot be reached, times
 *       out, answers 5xx, refuses the token, a missing token file, a
 *       wrong command line): the MTA keeps the message and retries, so
 *       a broken set-up delays mail and never loses it
 *
 * It touches no database and no MIME parser. The body of the command is
 * cli/mailgate.c, shared with the small front executable `dutydesk`
 * (src/front/), which runs it for http:// URLs without loading the
 * libraries of this one, so one process per message is cheap; here it
 * gets libcurl for https://.
 */
#include <curl/curl.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/mailgate.h"

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	dd_buf_append(arg, data, size * n);
	return size * n;
}

/* https:// (or any URL libcurl speaks but the plain client does not). */
static int curl_post(const char *url, const char *const *headers,
		     const void *body, size_t len, long timeout_s, long *status,
		     struct dd_buf *answer, char *why, size_t why_cap)
{
	CURL *curl = curl_easy_init();
	if (!curl) {
		snprintf(why, why_cap, "cannot start libcurl");
		return -1;
	}
	struct curl_slist *list = NULL;
	for (int i = 0; headers[i]; i++)
		list = curl_slist_append(list, headers[i]);
	list = curl_slist_append(list, "Expect:");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
			 timeout_s < 10 ? timeout_s : 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(list);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK) {
		snprintf(why, why_cap, "%s", curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

int dd_cmd_mailgate(int argc, char **argv)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = dd_mailgate_run(argc, argv, curl_post);
	curl_global_cleanup();
	return rc;
}
