/*
 * filename.h - the name and media type of an uploaded file, which are
 * only data: they are checked, stored as sent, and made safe where they
 * are shown or sent back. No name ever reaches the file system (files
 * live in the database, found by their content hash). Pure functions.
 */
#ifndef DD_TICKET_FILENAME_H
#define DD_TICKET_FILENAME_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"

/* Room for a display name (never longer than the name it came from, or
 * "attachment") with its NUL. */
#define DD_FILENAME_DISPLAY_CAP (DD_LIMIT_FILENAME + 1)

/*
 * A file name as uploaded: 1 to DD_LIMIT_FILENAME bytes of valid UTF-8
 * without control characters (a CR or LF in a name is an attack on the
 * header it may end up in, never a real name). Path separators, dots and
 * quotes are allowed here: display names take care of them. Returns 0,
 * or -1 with a 400 in err.
 */
int dd_filename_check(const char *name, struct dd_err *err);

/*
 * The name to show and to offer for saving, into out (cap bytes, at
 * least DD_FILENAME_DISPLAY_CAP): '/', '\\' and '"' become '_', as do
 * control characters, C1 controls, Unicode line separators and the
 * bidirectional controls that make "invoice\u202Efdp.exe" look like a
 * PDF; leading dots and spaces and trailing dots and spaces are dropped
 * (no hidden files, no "..", nothing Windows would strip). An empty
 * result is "attachment". name must be valid UTF-8 (dd_filename_check).
 */
void dd_filename_display(const char *name, char *out, size_t cap);

/*
 * Append the value of a Content-Disposition header for name to out
 * (RFC 6266): attachment; filename="ASCII"; filename*=UTF-8''ENCODED,
 * where ASCII is the display name with every non-ASCII character and
 * '%' replaced by '_' (for old clients), and ENCODED the display name
 * percent-encoded as RFC 8187 (formerly 5987) asks. Returns 0, or -1
 * when out overflows.
 */
int dd_filename_disposition(const char *name, struct dd_buf *out);

/*
 * A Content-Type as uploaded: "type/subtype" of token characters, then
 * optional parameters, all printable ASCII, at most DD_LIMIT_MEDIA_TYPE
 * bytes. On success the type and subtype are lowered in place. Returns
 * 0, or -1 with a 400 in err.
 */
int dd_media_type_check(char *type, struct dd_err *err);

/*
 * The Content-Type to send a stored file with: the stored type when its
 * type/subtype is passive (plain text, images other than SVG, PDF,
 * archives, office documents, audio, video), else
 * "application/octet-stream", so that HTML, SVG, XML, scripts and
 * anything unknown are never rendered by a browser from our origin.
 */
const char *dd_media_type_served(const char *stored);

#endif
