#include "http/static_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limits.h"

int dd_static_name_ok(const char *name)
{
	if (!name || name[0] == '\0' || name[0] == '.')
		return 0;
	size_t n = 0;
	for (const char *p = name; *p; p++, n++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '_' ||
			 c == '-';
		if (!ok || n >= DD_LIMIT_FILENAME)
			return 0;
	}
	return 1;
}

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{"html", "text/html; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"mjs", "text/javascript; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"json", "application/json"},
	{"map", "application/json"},
	{"webmanifest", "application/manifest+json"},
	{"txt", "text/plain; charset=utf-8"},
	{"svg", "image/svg+xml"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"webp", "image/webp"},
	{"avif", "image/avif"},
	{"ico", "image/vnd.microsoft.icon"},
	{"woff", "font/woff"},
	{"woff2", "font/woff2"},
	{"ttf", "font/ttf"},
	{"otf", "font/otf"},
	{"wasm", "application/wasm"},
};

const char *dd_static_content_type(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (dot && dot != name)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

int dd_static_read(const char *dir, const char *name, size_t max,
		   struct dd_buf *out, struct dd_static_file *info,
		   struct dd_err *err)
{
	char path[PATH_MAX];
	struct stat st;
	int fd = -1;
	if (!dd_static_name_ok(name))
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no file of that name");
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "the file's path is too long");
	/* O_NONBLOCK: opening a FIFO planted in the web root must not hang
	 * a worker; it is refused below as not a regular file. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
					  "no file '%.200s'", name);
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "cannot open '%.200s': %s", name,
				  strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return dd_err_set(err, 404, DD_PROBLEM_NOT_FOUND,
				  "no file '%.200s'", name);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return dd_err_set(err, 500, DD_PROBLEM_LIMIT,
				  "file '%.200s' is larger than %zu bytes",
				  name, max);
	}
	size_t total = 0;
	char chunk[16384];
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			close(fd);
			return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
					  "cannot read '%.200s': %s", name,
					  strerror(e));
		}
		if (got == 0)
			break;
		total += (size_t)got;
		/* The file may have grown since fstat. */
		if (total > max || dd_buf_append(out, chunk, (size_t)got) < 0) {
			close(fd);
			return dd_err_set(err, 500, DD_PROBLEM_LIMIT,
					  "file '%.200s' is larger than %zu "
					  "bytes",
					  name, max);
		}
	}
	close(fd);
	info->size = total;
	info->mtime_ns =
		(int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return 0;
}

void dd_static_etag(const struct dd_static_file *info, char *buf, size_t cap)
{
	snprintf(buf, cap, "\"s%zu-%" PRIx64 "\"", info->size,
		 (uint64_t)info->mtime_ns);
}
