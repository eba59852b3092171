/*
 * test_parse_corpus.c - every message of the shared mail corpus
 * (../shared/corpus/mail, or DUTYDESK_MAIL_CORPUS) parses, under the
 * sanitizers and without leaks, into what tests/fixtures/mail/
 * corpus.expected records for it: subject, sender, an excerpt of the
 * readable text, the attachments' names and, for delivery reports, the
 * Message-ID that bounced. Every file must have an entry and every entry
 * a file. All mismatches are reported in one failure.
 *
 * The manifest was written by this parser and checked by reading the
 * messages; after a deliberate change run
 *     DD_MAIL_FIXTURE_WRITE=tests/fixtures/mail/corpus.expected \
 *         build/test/unit/mail/test_parse_corpus
 * and review the diff.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "mail/clean.h"
#include "mail/parse.h"

#define DEFAULT_CORPUS	 "../shared/corpus/mail"
#define DEFAULT_EXPECTED "tests/fixtures/mail/corpus.expected"
#define EXCERPT		 80
#define FILES_MAX	 1000

static const char *corpus_dir(void)
{
	const char *d = getenv("DUTYDESK_MAIL_CORPUS");
	return d && *d ? d : DEFAULT_CORPUS;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct dd_buf b;
	dd_buf_init(&b, 256 * 1024 * 1024);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dd_buf_append(&b, chunk, n);
	fclose(f);
	return dd_buf_detach(&b, len);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .eml files of the corpus, sorted. */
static int list_files(char **names, int max)
{
	DIR *d = opendir(corpus_dir());
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".eml") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), by_name);
	return n;
}

/* What the manifest says of one file, rendered as its lines. */
static void describe(const char *name, const struct dd_mail_parsed *m,
		     struct dd_buf *out)
{
	char excerpt[EXCERPT * 4 + 1];
	size_t keep = dd_mail_utf8_cut(m->text, strlen(m->text), EXCERPT);
	memcpy(excerpt, m->text, keep);
	excerpt[keep] = '\0';
	for (char *p = excerpt; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	dd_buf_printf(out, "== %s\n", name);
	dd_buf_printf(out, "subject: %s\n", m->subject);
	dd_buf_printf(out, "from: %s\n", m->from.addr ? m->from.addr : "-");
	dd_buf_printf(out, "text: %s\n", excerpt);
	dd_buf_puts(out, "attachments:");
	for (int i = 0; i < m->part_count; i++)
		dd_buf_printf(out, "%s%s", i ? " | " : " ",
			      m->parts[i].filename);
	dd_buf_puts(out, "\n");
	if (m->report == DD_MAIL_REPORT_DELIVERY || m->bounced_message_id)
		dd_buf_printf(out, "bounced: %s\n",
			      m->bounced_message_id ? m->bounced_message_id
						    : "-");
}

/* The entry of name in the manifest text, NULL when absent. */
static char *entry(const char *manifest, const char *name)
{
	char head[300];
	snprintf(head, sizeof(head), "== %s\n", name);
	const char *p = strstr(manifest, head);
	if (!p)
		return NULL;
	const char *end = strstr(p + strlen(head), "\n== ");
	size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
	return strndup(p, n);
}

static void test_corpus_matches_manifest(void **state)
{
	char *names[FILES_MAX];
	int n = list_files(names, FILES_MAX);
	if (n <= 0)
		fail_msg("no messages in the corpus at '%s' (set "
			 "DUTYDESK_MAIL_CORPUS)",
			 corpus_dir());
	const char *write = getenv("DD_MAIL_FIXTURE_WRITE");
	size_t mlen = 0;
	char *manifest = write ? NULL : slurp(DEFAULT_EXPECTED, &mlen);
	if (!write && !manifest)
		fail_msg("cannot read %s", DEFAULT_EXPECTED);
	struct dd_buf all, report;
	dd_buf_init(&all, 16 * 1024 * 1024);
	dd_buf_init(&report, 1024 * 1024);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		char path[1024];
		size_t len;
		snprintf(path, sizeof(path), "%s/%s", corpus_dir(), names[i]);
		char *raw = slurp(path, &len);
		struct dd_arena arena;
		struct dd_mail_parsed m;
		struct dd_err err;
		dd_err_clear(&err);
		dd_arena_init(&arena, 512 * 1024 * 1024);
		if (!raw || dd_mail_parse(&arena, raw, len, &m, &err) < 0) {
			dd_buf_printf(&report, "%s: does not parse: %s\n",
				      names[i], err.msg);
			bad++;
		} else {
			struct dd_buf one;
			dd_buf_init(&one, 1024 * 1024);
			describe(names[i], &m, &one);
			dd_buf_puts(&all, dd_buf_str(&one));
			char *want =
				manifest ? entry(manifest, names[i]) : NULL;
			if (!write &&
			    (!want || strcmp(want, dd_buf_str(&one)) != 0)) {
				dd_buf_printf(&report,
					      "%s:\n  expected:\n%s  got:\n%s",
					      names[i],
					      want ? want : "(none)\n",
					      dd_buf_str(&one));
				bad++;
			}
			free(want);
			dd_buf_release(&one);
		}
		dd_arena_release(&arena);
		free(raw);
	}
	/* Entries whose file is gone. */
	for (const char *p = manifest; p && (p = strstr(p, "== ")); p += 3) {
		if (p != manifest && p[-1] != '\n')
			continue;
		char name[300];
		size_t k = strcspn(p + 3, "\n");
		snprintf(name, sizeof(name), "%.*s", (int)k, p + 3);
		int found = 0;
		for (int i = 0; i < n && !found; i++)
			found = strcmp(names[i], name) == 0;
		if (!found) {
			dd_buf_printf(&report,
				      "%s: in the manifest, not in "
				      "the corpus\n",
				      name);
			bad++;
		}
	}
	if (write) {
		FILE *f = fopen(write, "w");
		assert_non_null(f);
		fputs(dd_buf_str(&all), f);
		fclose(f);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(manifest);
	dd_buf_release(&all);
	if (bad)
		fail_msg("%d of %d corpus messages differ:\n%s", bad, n,
			 dd_buf_str(&report));
	dd_buf_release(&report);
	print_message("%d messages parsed as recorded\n", n);
}

int main(void)
{
	dd_mail_parse_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_matches_manifest),
	};
	return cmocka_run_group_tests_name("mail/corpus", tests, NULL, NULL);
}
