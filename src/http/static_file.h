/*
 * static_file.h - the pieces of serving the built web UI that need no
 * HTTP: which file names may be served, their media types, and reading
 * one file from the web root with a size limit.
 *
 * Only plain file names are ever opened: the router hands over one path
 * segment, and dd_static_name_ok refuses everything but letters, digits,
 * '.', '_' and '-', a leading '.', and "..". No path is ever built from
 * more than the web root, an optional fixed sub-folder and such a name.
 */
#ifndef DD_HTTP_STATIC_FILE_H
#define DD_HTTP_STATIC_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* Nonzero when name is a file name the UI may serve: 1 to
 * DD_LIMIT_FILENAME bytes of [A-Za-z0-9._-], not starting with '.' (so
 * neither "." nor ".." nor a hidden file). NULL is refused. */
int dd_static_name_ok(const char *name);

/* The Content-Type for a file name by its extension (case-insensitive):
 * text types with "; charset=utf-8", "application/octet-stream" for an
 * unknown or missing extension. A static string. */
const char *dd_static_content_type(const char *name);

/* What was read. */
struct dd_static_file {
	size_t size;
	int64_t mtime_ns; /* modification time, for the ETag */
};

/*
 * Read dir/name into out (appended; out's own limit applies too). dir is
 * a folder path without a trailing slash; name must pass
 * dd_static_name_ok (checked again here). Symbolic links as the last
 * component and anything but a regular file are refused.
 *
 * Returns 0 with *info filled; -1 with err set: 404 when the folder or
 * file is not there (or is not a regular file), 500 for a file larger
 * than max bytes or a read error.
 */
int dd_static_read(const char *dir, const char *name, size_t max,
		   struct dd_buf *out, struct dd_static_file *info,
		   struct dd_err *err);

/* The ETag of a file: "s<size>-<mtime_ns in hex>" with the quotes, into
 * buf (at least 48 bytes). */
void dd_static_etag(const struct dd_static_file *info, char *buf, size_t cap);

#endif
