#include "base/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"

void dd_config_defaults(struct dd_config *config)
{
	memset(config, 0, sizeof(*config));
	snprintf(config->listen_host, sizeof(config->listen_host), "127.0.0.1");
	config->listen_port = 8080;
	snprintf(config->db_url, sizeof(config->db_url),
		 "sqlite:data/dutydesk.db");
	config->max_body = DD_LIMIT_BODY_DEFAULT;
	config->cache_mb = -1;
	snprintf(config->web_root, sizeof(config->web_root), "web/dist");
	snprintf(config->mail_from, sizeof(config->mail_from),
		 "dutydesk@localhost");
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	config->threads = cores < 1			 ? 1
			  : cores > DD_LIMIT_THREADS_MAX ? DD_LIMIT_THREADS_MAX
							 : (int)cores;
}

int dd_config_set_listen(struct dd_config *config, const char *text,
			 struct dd_err *err)
{
	const char *colon;
	const char *host = text;
	size_t host_len;
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			goto bad;
		host = text + 1;
		host_len = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		/* A bracket outside "[v6]:port" is a typo, not a host. */
		if (!colon || strpbrk(text, "[]"))
			goto bad;
		host_len = (size_t)(colon - text);
	}
	if (host_len == 0 || host_len >= sizeof(config->listen_host))
		goto bad;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	/* Digits only: strtol alone would take " 80" and "+80". */
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || port < 1 ||
	    port > 65535)
		goto bad;
	memcpy(config->listen_host, host, host_len);
	config->listen_host[host_len] = '\0';
	config->listen_port = (int)port;
	return 0;
bad:
	return dd_err_set(err, 400, DD_PROBLEM_BAD_REQUEST,
			  "bad listen address '%.80s' (want HOST:PORT)", text);
}
