/*
 * test_static.c - serving the web UI's files without HTTP: which names
 * pass (plain file names only: no '/', no "..", no NUL, nothing outside
 * [A-Za-z0-9._-], no leading dot), the Content-Type by extension, and
 * reading a file from a folder with its limits (missing, too large, a
 * symbolic link, a folder, a FIFO, a name that does not pass).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/limits.h"
#include "http/static_file.h"

static void test_names_that_pass(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"index.html",
		"index-K0H6lUmy.js",
		"index-BeK-uXA-.css",
		"logo_2x.png",
		"a",
		"A-Z_0.9",
		"file.with.many.dots",
		"trailing.",
		"x..y",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!dd_static_name_ok(ok[i]))
			fail_msg("'%s' was refused", ok[i]);
}

static void test_names_that_fail(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		".",
		"..",
		"...",
		".hidden",
		".htaccess",
		"../index.html",
		"..%2Findex.html",
		"a/b",
		"/etc/passwd",
		"a\\b",
		"a b",
		"a%00b",
		"a:b",
		"a;b",
		"a?b",
		"a#b",
		"a*b",
		"~user",
		"a\tb",
		"a\nb",
		"\xc3\xa4.js", /* UTF-8 "ä": not a name Vite writes */
		"a\x7f",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dd_static_name_ok(bad[i]))
			fail_msg("'%s' passed", bad[i]);
	assert_false(dd_static_name_ok(NULL));

	/* A NUL ends the C string: what comes after it is never seen, and
	 * the router hands over only what precedes it. "a\0/../x" is "a". */
	const char with_nul[] = {'.', '.', '\0', 'x', '\0'};
	assert_false(dd_static_name_ok(with_nul));
}

static void test_name_length(void **state)
{
	(void)state;
	char name[DD_LIMIT_FILENAME + 2];
	memset(name, 'a', sizeof(name));
	name[DD_LIMIT_FILENAME] = '\0';
	assert_true(dd_static_name_ok(name));
	name[DD_LIMIT_FILENAME] = 'a';
	name[DD_LIMIT_FILENAME + 1] = '\0';
	assert_false(dd_static_name_ok(name));
}

static void test_content_types(void **state)
{
	(void)state;
	static const struct {
		const char *name, *type;
	} cases[] = {
		{"index.html", "text/html; charset=utf-8"},
		{"INDEX.HTML", "text/html; charset=utf-8"},
		{"index-K0H6lUmy.js", "text/javascript; charset=utf-8"},
		{"worker.mjs", "text/javascript; charset=utf-8"},
		{"index-BeK-uXA-.css", "text/css; charset=utf-8"},
		{"app.js.map", "application/json"},
		{"data.json", "application/json"},
		{"site.webmanifest", "application/manifest+json"},
		{"robots.txt", "text/plain; charset=utf-8"},
		{"logo.svg", "image/svg+xml"},
		{"logo.png", "image/png"},
		{"photo.jpg", "image/jpeg"},
		{"photo.JPEG", "image/jpeg"},
		{"anim.gif", "image/gif"},
		{"pic.webp", "image/webp"},
		{"pic.avif", "image/avif"},
		{"favicon.ico", "image/vnd.microsoft.icon"},
		{"font.woff2", "font/woff2"},
		{"font.woff", "font/woff"},
		{"font.ttf", "font/ttf"},
		{"font.otf", "font/otf"},
		{"mod.wasm", "application/wasm"},
		/* Unknown, none, or only a leading dot: bytes. */
		{"archive.tar.gz", "application/octet-stream"},
		{"Makefile", "application/octet-stream"},
		{"trailing.", "application/octet-stream"},
		{".js", "application/octet-stream"},
		{"js", "application/octet-stream"},
		{"page.htm", "application/octet-stream"},
		{"page.html.exe", "application/octet-stream"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = dd_static_content_type(cases[i].name);
		if (strcmp(got, cases[i].type) != 0)
			fail_msg("'%s': want '%s', got '%s'", cases[i].name,
				 cases[i].type, got);
	}
	assert_string_equal(dd_static_content_type(NULL),
			    "application/octet-stream");
}

/* ---- reading ---- */

struct dir {
	char path[256];
};

static int dir_setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "/tmp/dd-static-XXXXXX");
	if (!mkdtemp(d->path))
		return -1;
	*state = d;
	return 0;
}

static int dir_teardown(void **state)
{
	struct dir *d = *state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	if (system(cmd) != 0)
		return -1;
	free(d);
	return 0;
}

static void put_file(const struct dir *d, const char *name, const char *text,
		     size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", d->path, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int read_one(const struct dir *d, const char *name, size_t max,
		    struct dd_buf *out, struct dd_static_file *info,
		    struct dd_err *err)
{
	dd_err_clear(err);
	return dd_static_read(d->path, name, max, out, info, err);
}

static void test_read_file(void **state)
{
	struct dir *d = *state;
	struct dd_buf out;
	struct dd_static_file info;
	struct dd_err err;
	char etag[64], etag2[64];
	const char body[] = "<!doctype html>\n<p>hi</p>\n";
	put_file(d, "index.html", body, sizeof(body) - 1);
	dd_buf_init(&out, 1024);
	assert_int_equal(read_one(d, "index.html", 1024, &out, &info, &err), 0);
	assert_int_equal(out.len, sizeof(body) - 1);
	assert_memory_equal(out.data, body, sizeof(body) - 1);
	assert_int_equal(info.size, sizeof(body) - 1);
	assert_true(info.mtime_ns > 0);
	dd_static_etag(&info, etag, sizeof(etag));
	assert_int_equal(etag[0], '"');
	assert_int_equal(etag[strlen(etag) - 1], '"');
	assert_non_null(strstr(etag, "s26-"));

	/* Another size, another tag. */
	put_file(d, "index.html", "x", 1);
	dd_buf_reset(&out);
	assert_int_equal(read_one(d, "index.html", 1024, &out, &info, &err), 0);
	dd_static_etag(&info, etag2, sizeof(etag2));
	assert_string_not_equal(etag, etag2);

	/* An empty file is a file. */
	put_file(d, "empty.txt", "", 0);
	dd_buf_reset(&out);
	assert_int_equal(read_one(d, "empty.txt", 1024, &out, &info, &err), 0);
	assert_int_equal(info.size, 0);
	dd_buf_release(&out);
}

static void test_read_refusals(void **state)
{
	struct dir *d = *state;
	struct dd_buf out;
	struct dd_static_file info;
	struct dd_err err;
	char path[512], target[512];
	dd_buf_init(&out, 1 << 20);

	/* Missing file, and a missing folder. */
	assert_int_equal(read_one(d, "nope.js", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);
	dd_err_clear(&err);
	assert_int_equal(dd_static_read("/nonexistent/dd-web", "index.html",
					1024, &out, &info, &err),
			 -1);
	assert_int_equal(err.status, 404);

	/* Names that do not pass are refused before any open. */
	put_file(d, "ok.js", "1", 1);
	assert_int_equal(read_one(d, "../ok.js", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);
	assert_int_equal(read_one(d, "..", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);
	assert_int_equal(read_one(d, ".", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);

	/* Larger than the limit: 500, nothing appended. */
	char big[2048];
	memset(big, 'x', sizeof(big));
	put_file(d, "big.js", big, sizeof(big));
	assert_int_equal(read_one(d, "big.js", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 500);
	assert_int_equal(out.len, 0);
	/* Exactly the limit is fine. */
	assert_int_equal(read_one(d, "big.js", sizeof(big), &out, &info, &err),
			 0);
	assert_int_equal(out.len, sizeof(big));
	dd_buf_reset(&out);
	/* The buffer's own limit counts too. */
	struct dd_buf small;
	dd_buf_init(&small, 100);
	assert_int_equal(read_one(d, "big.js", 1 << 20, &small, &info, &err),
			 -1);
	assert_int_equal(err.status, 500);
	dd_buf_release(&small);

	/* A symbolic link, even to a file in the folder, is not served. */
	snprintf(target, sizeof(target), "%s/ok.js", d->path);
	snprintf(path, sizeof(path), "%s/link.js", d->path);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(read_one(d, "link.js", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);
	snprintf(path, sizeof(path), "%s/passwd", d->path);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(read_one(d, "passwd", 1 << 20, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);

	/* A folder and a FIFO are not regular files (and the FIFO must not
	 * block the reader). */
	snprintf(path, sizeof(path), "%s/sub", d->path);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(read_one(d, "sub", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);
	snprintf(path, sizeof(path), "%s/pipe.js", d->path);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(read_one(d, "pipe.js", 1024, &out, &info, &err), -1);
	assert_int_equal(err.status, 404);

	assert_int_equal(out.len, 0);
	dd_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_that_pass),
		cmocka_unit_test(test_names_that_fail),
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_content_types),
		cmocka_unit_test_setup_teardown(test_read_file, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_read_refusals, dir_setup,
						dir_teardown),
	};
	return cmocka_run_group_tests_name("static", tests, NULL, NULL);
}
