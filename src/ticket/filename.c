#include "ticket/filename.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "base/utf8.h"

int dd_filename_check(const char *name, struct dd_err *err)
{
	if (!name || !*name)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "'filename' is required: name the file with "
				  "?filename=");
	return dd_text_check("filename", name, 1, DD_LIMIT_FILENAME,
			     DD_TEXT_SINGLE_LINE, err);
}

/* The code point of the len-byte sequence at s (valid UTF-8). */
static uint32_t code_point(const unsigned char *s, size_t len)
{
	switch (len) {
	case 1:
		return s[0];
	case 2:
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	case 3:
		return (uint32_t)(s[0] & 0x0f) << 12 |
		       (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	default:
		return (uint32_t)(s[0] & 0x07) << 18 |
		       (uint32_t)(s[1] & 0x3f) << 12 |
		       (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	}
}

/* Characters a name must not show: controls, separators of lines and
 * paths, quotes, and what reorders or hides text. */
static int unsafe_char(uint32_t c)
{
	return c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '"' ||
	       (c >= 0x80 && c <= 0x9f) || c == 0x061c ||
	       (c >= 0x200b && c <= 0x200f) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) ||
	       c == 0xfeff;
}

void dd_filename_display(const char *name, char *out, size_t cap)
{
	size_t len = strlen(name), n = 0, i = 0;
	if (cap == 0)
		return;
	while (i < len) {
		size_t c = dd_utf8_char_len(name + i, len - i);
		if (c == 0)
			c = 1; /* not UTF-8: only after a missed check */
		uint32_t cp = code_point((const unsigned char *)name + i, c);
		int bad = c == 1 ? unsafe_char((unsigned char)name[i])
				 : unsafe_char(cp);
		size_t need = bad ? 1 : c;
		if (n + need >= cap)
			break;
		if (bad) {
			out[n++] = '_';
		} else {
			memcpy(out + n, name + i, c);
			n += c;
		}
		i += c;
	}
	out[n] = '\0';
	/* Trim dots and spaces at both ends. */
	while (n > 0 && (out[n - 1] == '.' || out[n - 1] == ' '))
		out[--n] = '\0';
	size_t start = strspn(out, ". ");
	if (start)
		memmove(out, out + start, n - start + 1);
	if (!*out) {
		strncpy(out, "attachment", cap - 1);
		out[cap - 1] = '\0';
	}
}

/* RFC 8187 attr-char: what may stand unencoded in filename*. */
static int attr_char(unsigned char c)
{
	return isalnum(c) || strchr("!#$&+-.^_`|~", c);
}

int dd_filename_disposition(const char *name, struct dd_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	char display[DD_FILENAME_DISPLAY_CAP];
	dd_filename_display(name, display, sizeof(display));
	size_t len = strlen(display);
	int rc = dd_buf_puts(out, "attachment; filename=\"");
	for (size_t i = 0; i < len;) {
		size_t c = dd_utf8_char_len(display + i, len - i);
		unsigned char b = (unsigned char)display[i];
		if (c == 0)
			c = 1;
		/* display holds no '"', '\\' or controls any more. */
		rc |= dd_buf_putc(out, c == 1 && b < 0x80 && b != '%' ? (char)b
								      : '_');
		i += c;
	}
	rc |= dd_buf_puts(out, "\"; filename*=UTF-8''");
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)display[i];
		if (b != 0 && attr_char(b)) {
			rc |= dd_buf_putc(out, (char)b);
		} else {
			char enc[3] = {'%', hex[b >> 4], hex[b & 15]};
			rc |= dd_buf_append(out, enc, 3);
		}
	}
	return rc < 0 ? -1 : 0;
}

/* RFC 9110 tchar. */
static int token_char(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

int dd_media_type_check(char *type, struct dd_err *err)
{
	size_t len = type ? strlen(type) : 0;
	if (len == 0 || len > DD_LIMIT_MEDIA_TYPE)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "Content-Type must be a media type of at "
				  "most %d bytes",
				  DD_LIMIT_MEDIA_TYPE);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)type[i];
		if (c < 0x20 || c > 0x7e)
			goto bad;
	}
	size_t essence = strcspn(type, ";");
	while (essence > 0 && type[essence - 1] == ' ')
		essence--;
	size_t slash = strcspn(type, "/");
	if (slash == 0 || slash + 1 >= essence)
		goto bad;
	for (size_t i = 0; i < essence; i++) {
		unsigned char c = (unsigned char)type[i];
		if (i != slash && !token_char(c))
			goto bad;
	}
	for (size_t i = 0; i < essence; i++)
		type[i] = (char)tolower((unsigned char)type[i]);
	return 0;
bad:
	return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			  "Content-Type '%.80s' is not a media type like "
			  "image/png",
			  type);
}

/* Passive types: what a browser shows without running anything from
 * it. Everything else (HTML, SVG, XML, JavaScript, CSS, Flash, MHTML,
 * and types nobody has heard of) is served as a byte stream. */
static const char *const passive[] = {
	"text/plain",
	"text/csv",
	"text/calendar",
	"application/octet-stream",
	"application/pdf",
	"application/json",
	"application/zip",
	"application/gzip",
	"application/x-gzip",
	"application/x-tar",
	"application/x-7z-compressed",
	"application/msword",
	"application/vnd.ms-excel",
	"application/vnd.ms-powerpoint",
	"application/vnd.ms-outlook",
	"application/rtf",
	"image/png",
	"image/jpeg",
	"image/gif",
	"image/webp",
	"image/bmp",
	"image/tiff",
	"image/heic",
	"image/avif",
};
static const char *const passive_prefixes[] = {
	"application/vnd.openxmlformats-officedocument.",
	"application/vnd.oasis.opendocument.",
	"audio/",
	"video/",
};

const char *dd_media_type_served(const char *stored)
{
	if (!stored)
		return "application/octet-stream";
	size_t essence = strcspn(stored, ";");
	while (essence > 0 && stored[essence - 1] == ' ')
		essence--;
	for (size_t i = 0; i < sizeof(passive) / sizeof(passive[0]); i++)
		if (strlen(passive[i]) == essence &&
		    strncasecmp(stored, passive[i], essence) == 0)
			return stored;
	/* Under the passive prefixes, a markup or script subtype
	 * (video/vnd.foo+xml) is still active. */
	char lower[DD_LIMIT_MEDIA_TYPE + 1];
	if (essence > DD_LIMIT_MEDIA_TYPE)
		return "application/octet-stream";
	for (size_t i = 0; i < essence; i++)
		lower[i] = (char)tolower((unsigned char)stored[i]);
	lower[essence] = '\0';
	if (strstr(lower, "xml") || strstr(lower, "html") ||
	    strstr(lower, "script"))
		return "application/octet-stream";
	for (size_t i = 0;
	     i < sizeof(passive_prefixes) / sizeof(passive_prefixes[0]); i++) {
		size_t n = strlen(passive_prefixes[i]);
		if (essence > n && strncmp(lower, passive_prefixes[i], n) == 0)
			return stored;
	}
	return "application/octet-stream";
}
