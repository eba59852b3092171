#include "base/fetch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#define REDIRECTS_MAX 5L

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int dd_fetch_url_allowed(const char *url)
{
	return url && (strncasecmp(url, "http://", 7) == 0 ||
		       strncasecmp(url, "https://", 8) == 0);
}

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct dd_buf *out = arg;
	/* A short count makes libcurl stop with CURLE_WRITE_ERROR. */
	return dd_buf_append(out, data, size * n) < 0 ? 0 : size * n;
}

int dd_fetch_url(const char *url, long timeout_ms, struct dd_buf *out,
		 struct dd_err *err)
{
	char why[CURL_ERROR_SIZE] = "";
	long status = 0;
	int rc = -1;
	if (!dd_fetch_url_allowed(url))
		return dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
				  "cannot fetch '%.200s': only http and https "
				  "URLs are fetched",
				  url ? url : "");
	pthread_once(&curl_once, curl_init);
	CURL *c = curl_init_rc == CURLE_OK ? curl_easy_init() : NULL;
	if (!c)
		return dd_err_set(
			err, 500, DD_PROBLEM_INTERNAL,
			"cannot fetch '%.200s': libcurl did not start", url);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, REDIRECTS_MAX);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no alarm() */
	curl_easy_setopt(c, CURLOPT_USERAGENT, "dutydesk");
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)out->max);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
	CURLcode cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (cc == CURLE_FILESIZE_EXCEEDED ||
	    (cc == CURLE_WRITE_ERROR && out->overflow))
		dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
			   "cannot fetch '%.200s': the document is larger "
			   "than the limit of %zu bytes",
			   url, out->max);
	else if (cc != CURLE_OK)
		dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
			   "cannot fetch '%.200s': %s", url,
			   why[0] ? why : curl_easy_strerror(cc));
	else if (status < 200 || status > 299)
		dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
			   "cannot fetch '%.200s': the server answered HTTP "
			   "%ld",
			   url, status);
	else
		rc = 0;
	curl_easy_cleanup(c);
	return rc;
}
