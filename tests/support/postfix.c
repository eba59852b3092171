#include "support/postfix.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int ut_postfix_start(struct ut_postfix *pf, const char *pipe_argv)
{
	memset(pf, 0, sizeof(*pf));
	snprintf(pf->dir, sizeof(pf->dir), "/tmp/dd-postfix-XXXXXX");
	if (!mkdtemp(pf->dir)) {
		perror("postfix: mkdtemp");
		return -1;
	}
	char cmd[512];
	if (pipe_argv)
		setenv("POSTFIX_PIPE_ARGV", pipe_argv, 1);
	snprintf(cmd, sizeof(cmd), "scripts/postfix-throwaway start %s",
		 pf->dir);
	FILE *p = popen(cmd, "r");
	if (pipe_argv)
		unsetenv("POSTFIX_PIPE_ARGV");
	if (!p) {
		perror("postfix: popen");
		return -1;
	}
	if (fscanf(p, "%d", &pf->port) != 1)
		pf->port = 0;
	int rc = pclose(p);
	if (rc != 0 || pf->port <= 0) {
		fprintf(stderr, "postfix: scripts/postfix-throwaway failed\n");
		ut_postfix_stop(pf);
		return -1;
	}
	return 0;
}

void ut_postfix_stop(struct ut_postfix *pf)
{
	if (!pf->dir[0])
		return;
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "scripts/postfix-throwaway stop %s; rm -rf %s", pf->dir,
		 pf->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "postfix: stopping %s failed\n", pf->dir);
	pf->dir[0] = '\0';
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file names in maildir/new, sorted (Postfix names them by time of
 * delivery); *n their number. Free each and the array. */
static char **list_new(struct ut_postfix *pf, int *n)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/maildir/new", pf->dir);
	*n = 0;
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	char **names = NULL;
	int cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			char **more =
				realloc(names, (size_t)cap * sizeof(*names));
			if (!more)
				break;
			names = more;
		}
		names[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(names, (size_t)*n, sizeof(*names), by_name);
	return names;
}

static void free_list(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int ut_postfix_count(struct ut_postfix *pf)
{
	int n = 0;
	char **names = list_new(pf, &n);
	free_list(names, n);
	return n;
}

int ut_postfix_wait(struct ut_postfix *pf, int n, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		if (ut_postfix_count(pf) >= n)
			return 0;
		usleep(50 * 1000);
	}
	return -1;
}

char *ut_postfix_mail(struct ut_postfix *pf, int i)
{
	int n;
	char **names = list_new(pf, &n);
	char *out = NULL;
	if (i >= 0 && i < n) {
		char path[512];
		snprintf(path, sizeof(path), "%s/maildir/new/%s", pf->dir,
			 names[i]);
		FILE *f = fopen(path, "rb");
		if (f) {
			struct stat st;
			if (fstat(fileno(f), &st) == 0) {
				out = malloc((size_t)st.st_size + 1);
				size_t got = out ? fread(out, 1,
							 (size_t)st.st_size, f)
						 : 0;
				if (out)
					out[got] = '\0';
			}
			fclose(f);
		}
	}
	free_list(names, n);
	return out;
}
