#include <stddef.h>

#include "support/dovecot.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ut_dovecot_start(struct ut_dovecot *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/dd-dovecot-XXXXXX");
	if (!mkdtemp(d->dir)) {
		perror("dovecot: mkdtemp");
		return -1;
	}
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "scripts/dovecot-throwaway start %s",
		 d->dir);
	FILE *p = popen(cmd, "r");
	if (!p) {
		perror("dovecot: popen");
		return -1;
	}
	if (fscanf(p, "%d", &d->port) != 1)
		d->port = 0;
	int rc = pclose(p);
	if (rc != 0 || d->port <= 0) {
		fprintf(stderr, "dovecot: scripts/dovecot-throwaway failed\n");
		ut_dovecot_stop(d);
		return -1;
	}
	snprintf(d->url, sizeof(d->url), "imap://127.0.0.1:%d", d->port);
	return 0;
}

void ut_dovecot_stop(struct ut_dovecot *d)
{
	if (!d->dir[0])
		return;
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "scripts/dovecot-throwaway stop %s; rm -rf %s", d->dir,
		 d->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "dovecot: stopping %s failed\n", d->dir);
	d->dir[0] = '\0';
}

struct upload {
	const char *data;
	size_t len, pos;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t room = size * n, left = u->len - u->pos;
	size_t k = left < room ? left : room;
	memcpy(buf, u->data + u->pos, k);
	u->pos += k;
	return k;
}

struct answer {
	char *data;
	size_t len;
};

static size_t write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	char *more = realloc(a->data, a->len + size * n + 1);
	if (!more)
		return 0;
	memcpy(more + a->len, data, size * n);
	a->data = more;
	a->len += size * n;
	a->data[a->len] = '\0';
	return size * n;
}

static CURL *session(struct ut_dovecot *d, const char *mailbox)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	char url[512];
	char *enc = mailbox ? curl_easy_escape(c, mailbox, 0) : NULL;
	snprintf(url, sizeof(url), "%s/%s", d->url, enc ? enc : "");
	curl_free(enc);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERNAME, UT_DOVECOT_USER);
	curl_easy_setopt(c, CURLOPT_PASSWORD, UT_DOVECOT_PASSWORD);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	return c;
}

int ut_dovecot_create(struct ut_dovecot *d, const char *mailbox)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "CREATE \"%s\"", mailbox);
	char *a = ut_dovecot_command(d, NULL, cmd);
	free(a);
	return a ? 0 : -1;
}

int ut_dovecot_append(struct ut_dovecot *d, const char *mailbox,
		      const char *raw, size_t len)
{
	CURL *c = session(d, mailbox);
	if (!c)
		return -1;
	struct upload u = {raw, len, 0};
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		fprintf(stderr, "dovecot: APPEND failed: %s\n",
			curl_easy_strerror(rc));
	return rc == CURLE_OK ? 0 : -1;
}

char *ut_dovecot_command(struct ut_dovecot *d, const char *mailbox,
			 const char *command)
{
	CURL *c = session(d, mailbox);
	if (!c)
		return NULL;
	struct answer a = {calloc(1, 1), 0};
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		fprintf(stderr, "dovecot: '%s' failed: %s\n", command,
			curl_easy_strerror(rc));
		free(a.data);
		return NULL;
	}
	return a.data;
}

int ut_dovecot_doveadm(struct ut_dovecot *d, const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "doveadm -c %s/dovecot.conf %s", d->dir,
		 args);
	return system(cmd);
}
