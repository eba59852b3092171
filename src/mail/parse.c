#include "mail/parse.h"

#include <ctype.h>
#include <errno.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "mail/clean.h"
#include "mail/html_text.h"

/* A header value kept: one line of a person's screen and then some. */
#define HEADER_VALUE_MAX 998
/* A display name or an address. */
#define ADDRESS_MAX 254

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_init_once(void)
{
	g_mime_init();
}

void dd_mail_parse_init(void)
{
	pthread_once(&gmime_once, gmime_init_once);
}

/* ---- what the walk over the parts collects ---- */

struct walk {
	struct dd_arena *arena;
	struct dd_mail_parsed *out;
	GMimeParserOptions *opts;
	int parts_seen;
	int parts_cap;
	struct dd_buf text;  /* text/plain parts, joined */
	struct dd_buf html;  /* text made from text/html parts, joined */
	const char *charset; /* of the first text part that names one */
	int oom;
};

static char *arena_copy(struct dd_arena *arena, const void *data, size_t len)
{
	char *p = dd_arena_alloc(arena, len + 1);
	if (p && len)
		memcpy(p, data, len);
	return p;
}

/* ---- charsets ---- */

static int is_utf8_name(const char *cs)
{
	return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0;
}

static int is_ascii_name(const char *cs)
{
	return strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii") == 0;
}

/* Convert len bytes in charset to UTF-8 into out; ill-formed input
 * bytes become U+FFFD. The number of them, or -1 when the charset is
 * unknown. */
static long convert(const char *charset, const char *in, size_t len,
		    struct dd_buf *out)
{
	iconv_t cd = g_mime_iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return -1;
	char buf[4096];
	char *src = (char *)in;
	size_t left = len;
	long bad = 0;
	while (left > 0) {
		char *dst = buf;
		size_t room = sizeof(buf);
		size_t rc = iconv(cd, &src, &left, &dst, &room);
		dd_buf_append(out, buf, sizeof(buf) - room);
		if (rc == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ or EINVAL (truncated): one byte is lost. */
			dd_buf_append(out, "\xef\xbf\xbd", 3);
			bad++;
			src++;
			left--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
		if (out->overflow)
			break;
	}
	char *dst = buf;
	size_t room = sizeof(buf);
	iconv(cd, NULL, NULL, &dst, &room);
	dd_buf_append(out, buf, sizeof(buf) - room);
	g_mime_iconv_close(cd);
	return bad;
}

/* Charsets to try when the declared one does not fit the bytes: mail
 * that says ISO-2022-JP but carries Shift_JIS is common in Japan. */
static const char *const japanese[] = {"CP932", "EUC-JP", NULL};
static const char *const generic[] = {"windows-1252", NULL};

/* Bytes of text in charset (NULL: undeclared) as UTF-8 into out. Text
 * that is valid UTF-8 while its charset is undeclared, ASCII or does
 * not fit is taken as UTF-8; otherwise the candidate with the fewest
 * ill-formed bytes wins, windows-1252 (the commonest undeclared 8-bit
 * charset) last. */
static void to_utf8(const char *charset, const char *in, size_t len,
		    struct dd_buf *out)
{
	int utf8 = dd_utf8_valid(in, len);
	if (!charset || !*charset || is_ascii_name(charset) ||
	    is_utf8_name(charset)) {
		if (utf8 || memchr(in, '\0', len) ||
		    (charset && is_utf8_name(charset))) {
			dd_buf_append(out, in, len); /* cleaned later */
			return;
		}
		charset = "windows-1252";
	}
	size_t mark = out->len;
	long bad = convert(charset, in, len, out);
	if (bad == 0)
		return;
	if (utf8) {
		out->len = mark;
		dd_buf_append(out, in, len);
		return;
	}
	const char *const *more = strncasecmp(charset, "iso-2022-jp", 11) == 0
					  ? japanese
					  : generic;
	struct dd_buf best;
	long best_bad = bad;
	dd_buf_init(&best, out->max);
	for (int i = 0; more[i]; i++) {
		struct dd_buf t;
		dd_buf_init(&t, out->max);
		long b = convert(more[i], in, len, &t);
		if (b >= 0 && (best_bad < 0 || b < best_bad) && !t.overflow) {
			dd_buf_release(&best);
			best = t;
			best_bad = b;
		} else {
			dd_buf_release(&t);
		}
	}
	if (best.len > 0 || best_bad == 0) {
		out->len = mark;
		dd_buf_append(out, best.data ? best.data : "", best.len);
	} else if (bad < 0) {
		dd_buf_append(out, in, len);
	}
	dd_buf_release(&best);
}

/* ---- part content ---- */

/* The decoded bytes of a leaf part (transfer encoding undone) in a new
 * GByteArray the caller frees, or NULL. */
static GByteArray *part_bytes(GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	if (!w)
		return NULL;
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *ba = NULL;
	if (g_mime_data_wrapper_write_to_stream(w, mem) >= 0) {
		GByteArray *inner =
			g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		ba = g_byte_array_sized_new(inner->len);
		g_byte_array_append(ba, inner->data, inner->len);
	}
	g_object_unref(mem);
	return ba;
}

/* The serialised bytes of any object (an attached message). */
static GByteArray *object_bytes(GMimeObject *obj)
{
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *ba = NULL;
	if (g_mime_object_write_to_stream(obj, NULL, mem) >= 0) {
		GByteArray *inner =
			g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		ba = g_byte_array_sized_new(inner->len);
		g_byte_array_append(ba, inner->data, inner->len);
	}
	g_object_unref(mem);
	return ba;
}

static const struct {
	const char *type, *ext;
} extensions[] = {
	{"message/rfc822", ".eml"},
	{"text/rfc822-headers", ".txt"},
	{"message/delivery-status", ".txt"},
	{"message/disposition-notification", ".txt"},
	{"message/feedback-report", ".txt"},
	{"text/plain", ".txt"},
	{"text/html", ".html"},
	{"text/calendar", ".ics"},
	{"application/ics", ".ics"},
	{"application/pgp-signature", ".asc"},
	{"application/pgp-encrypted", ".asc"},
	{"application/pkcs7-signature", ".p7s"},
	{"application/x-pkcs7-signature", ".p7s"},
	{"application/pkcs7-mime", ".p7m"},
	{"application/x-pkcs7-mime", ".p7m"},
	{"application/pdf", ".pdf"},
	{"application/ms-tnef", ".dat"},
	{"image/png", ".png"},
	{"image/jpeg", ".jpg"},
	{"image/gif", ".gif"},
};

static const char *guess_ext(const char *type)
{
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		if (strcmp(type, extensions[i].type) == 0)
			return extensions[i].ext;
	return ".bin";
}

/* "type/subtype" in lower case, in the arena. */
static char *mime_type(struct dd_arena *arena, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	char *s = dd_arena_printf(arena, "%.100s/%.100s",
				  type && *type ? type : "application",
				  sub && *sub ? sub : "octet-stream");
	if (!s)
		return NULL;
	for (char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		*p = (char)tolower(c);
		/* Media types are tokens: anything else makes it opaque. */
		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"[]?=", c))
			return dd_arena_strdup(arena,
					       "application/octet-stream");
	}
	return s;
}

static int is_attachment(GMimeObject *obj)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);
	return d && g_mime_content_disposition_is_attachment(d);
}

static void add_part(struct walk *w, GMimeObject *obj, const char *type,
		     const char *name, const void *data, size_t len,
		     int is_inline)
{
	struct dd_mail_parsed *out = w->out;
	if (out->part_count >= DD_LIMIT_MAIL_ATTACHMENTS || len == 0) {
		if (len > 0)
			out->parts_dropped++;
		return;
	}
	if (out->part_count == w->parts_cap) {
		int cap = w->parts_cap ? w->parts_cap * 2 : 8;
		struct dd_mail_part *p =
			dd_arena_alloc(w->arena, (size_t)cap * sizeof(*p));
		if (!p) {
			out->parts_dropped++;
			return;
		}
		if (out->part_count)
			memcpy(p, out->parts,
			       (size_t)out->part_count * sizeof(*p));
		out->parts = p;
		w->parts_cap = cap;
	}
	struct dd_mail_part *p = &out->parts[out->part_count];
	char *clean = dd_mail_clean_line(w->arena, name, DD_LIMIT_FILENAME);
	/* Path separators are kept: display names take care of them. */
	if (!clean || !*clean)
		clean = dd_arena_printf(w->arena, "attachment-%d%s",
					out->part_count + 1, guess_ext(type));
	p->filename = clean;
	p->content_type = type;
	const char *cid = obj ? g_mime_object_get_content_id(obj) : NULL;
	p->content_id = dd_mail_clean_line(w->arena, cid, HEADER_VALUE_MAX);
	p->is_inline = is_inline;
	p->data = arena_copy(w->arena, data, len);
	p->len = len;
	if (!p->filename || !p->data) {
		out->parts_dropped++;
		return;
	}
	out->part_count++;
}

/* A leaf part as an attachment. */
static void leaf_attachment(struct walk *w, GMimeObject *obj, int is_inline)
{
	char *type = mime_type(w->arena, obj);
	GByteArray *ba = part_bytes(GMIME_PART(obj));
	if (!type || !ba) {
		if (ba)
			g_byte_array_free(ba, TRUE);
		w->out->parts_dropped++;
		return;
	}
	add_part(w, obj, type, g_mime_part_get_filename(GMIME_PART(obj)),
		 ba->data, ba->len, is_inline);
	g_byte_array_free(ba, TRUE);
}

/* The text of a text part, in UTF-8, appended to buf. */
static void leaf_text(struct walk *w, GMimeObject *obj, struct dd_buf *buf)
{
	GByteArray *ba = part_bytes(GMIME_PART(obj));
	if (!ba)
		return;
	const char *charset =
		g_mime_object_get_content_type_parameter(obj, "charset");
	if (charset && !w->charset && !is_ascii_name(charset) &&
	    !is_utf8_name(charset))
		w->charset = dd_arena_strdup(w->arena, charset);
	if (buf->len > 0)
		dd_buf_puts(buf, "\n\n");
	to_utf8(charset, (const char *)ba->data, ba->len, buf);
	g_byte_array_free(ba, TRUE);
}

static void leaf_html(struct walk *w, GMimeObject *obj)
{
	struct dd_buf utf8;
	dd_buf_init(&utf8, DD_LIMIT_MAIL_BYTES_MAX);
	leaf_text(w, obj, &utf8);
	char *text = dd_mail_html_text(w->arena, dd_buf_str(&utf8), utf8.len);
	dd_buf_release(&utf8);
	if (!text) {
		w->oom = 1;
		return;
	}
	if (w->html.len > 0 && *text)
		dd_buf_puts(&w->html, "\n\n");
	dd_buf_puts(&w->html, text);
}

/* ---- delivery reports ---- */

/* The first "Message-ID:" header line in s[0..len) (at a line start),
 * its id without <>, or NULL. */
static const char *find_message_id_line(struct dd_arena *arena, const char *s,
					size_t len)
{
	for (size_t i = 0; i + 11 < len; i++) {
		if ((i > 0 && s[i - 1] != '\n') ||
		    strncasecmp(s + i, "message-id:", 11) != 0)
			continue;
		size_t j = i + 11;
		/* The value may be folded onto the next line. */
		while (j < len && (s[j] == ' ' || s[j] == '\t' ||
				   s[j] == '\r' || s[j] == '\n'))
			j++;
		if (j >= len || s[j] != '<')
			continue;
		size_t k = j + 1;
		while (k < len && s[k] != '>' && s[k] != '\n' && k - j < 300)
			k++;
		if (k >= len || s[k] != '>' || k == j + 1)
			continue;
		return dd_mail_clean_line(
			arena, dd_arena_strndup(arena, s + j + 1, k - j - 1),
			DD_LIMIT_MESSAGE_ID);
	}
	return NULL;
}

/* ---- the walk ---- */

static void walk(struct walk *w, GMimeObject *obj, int depth);

static int content_is(GMimeObject *obj, const char *type, const char *sub)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	return ct && g_mime_content_type_is_type(ct, type, sub);
}

/* An attached message: kept as NAME.eml, and its text shown after a
 * short header when it is not a plain attachment (a forward). */
static void message_part(struct walk *w, GMimeObject *obj, int depth)
{
	GMimeMessage *inner =
		g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	if (!inner)
		return;
	const char *mid = g_mime_message_get_message_id(inner);
	if (w->out->report == DD_MAIL_REPORT_DELIVERY &&
	    !w->out->bounced_message_id && mid)
		w->out->bounced_message_id =
			dd_mail_clean_line(w->arena, mid, DD_LIMIT_MESSAGE_ID);
	GByteArray *ba = object_bytes(GMIME_OBJECT(inner));
	if (ba) {
		const char *subject = g_mime_message_get_subject(inner);
		const char *name =
			g_mime_object_get_content_disposition_parameter(
				obj, "filename");
		if (!name)
			name = g_mime_object_get_content_type_parameter(obj,
									"name");
		char *made = NULL;
		if (!name) {
			char *s = dd_mail_clean_line(
				w->arena, subject ? subject : "", 100);
			made = s && *s ? dd_arena_printf(w->arena, "%s.eml", s)
				       : NULL;
		}
		add_part(w, obj, "message/rfc822", name ? name : made, ba->data,
			 ba->len, 0);
		g_byte_array_free(ba, TRUE);
	}
	if (is_attachment(obj) || w->out->report != DD_MAIL_REPORT_NONE)
		return;
	/* A forward: its text follows the message's own. */
	struct dd_buf *t = &w->text;
	if (t->len > 0)
		dd_buf_puts(t, "\n\n");
	dd_buf_puts(t, "---------- Forwarded message ----------\n");
	InternetAddressList *from = g_mime_message_get_from(inner);
	char *f = from ? internet_address_list_to_string(from, NULL, FALSE)
		       : NULL;
	dd_buf_printf(t, "From: %.300s\nSubject: %.300s\n\n", f ? f : "",
		      g_mime_message_get_subject(inner)
			      ? g_mime_message_get_subject(inner)
			      : "");
	g_free(f);
	if (inner->mime_part)
		walk(w, inner->mime_part, depth + 1);
}

static void multipart(struct walk *w, GMimeObject *obj, int depth)
{
	GMimeMultipart *mp = GMIME_MULTIPART(obj);
	int n = g_mime_multipart_get_count(mp);
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
		/* Kept as it is: we hold no key. */
		w->out->encrypted = 1;
		for (int i = 0; i < n; i++) {
			GMimeObject *c = g_mime_multipart_get_part(mp, i);
			if (GMIME_IS_PART(c) &&
			    !content_is(c, "application", "pgp-encrypted"))
				leaf_attachment(w, c, 0);
		}
		return;
	}
	if (GMIME_IS_MULTIPART_SIGNED(obj)) {
		w->out->signed_ = 1;
		if (n > 0)
			walk(w, g_mime_multipart_get_part(mp, 0), depth + 1);
		for (int i = 1; i < n; i++) {
			GMimeObject *c = g_mime_multipart_get_part(mp, i);
			if (GMIME_IS_PART(c))
				leaf_attachment(w, c, 0);
		}
		return;
	}
	if (content_is(obj, "multipart", "alternative")) {
		/* The plain text if there is one, else the richest
		 * other. Alternatives that are not text (a calendar
		 * invitation) are kept as attachments. */
		int plain = -1, other = -1;
		for (int i = 0; i < n; i++) {
			GMimeObject *c = g_mime_multipart_get_part(mp, i);
			if (is_attachment(c))
				continue;
			if (GMIME_IS_PART(c) && content_is(c, "text", "plain"))
				plain = plain < 0 ? i : plain;
			else if ((GMIME_IS_PART(c) &&
				  content_is(c, "text", "html")) ||
				 GMIME_IS_MULTIPART(c))
				other = i;
		}
		int chosen = plain >= 0 ? plain : other;
		for (int i = 0; i < n; i++) {
			GMimeObject *c = g_mime_multipart_get_part(mp, i);
			if (i == chosen)
				walk(w, c, depth + 1);
			else if (GMIME_IS_PART(c) &&
				 !content_is(c, "text", "plain") &&
				 !content_is(c, "text", "html"))
				leaf_attachment(w, c, 0);
			else if (chosen == plain && GMIME_IS_MULTIPART(c))
				continue; /* an HTML version with images */
			else if (chosen < 0)
				walk(w, c, depth + 1);
		}
		return;
	}
	if (content_is(obj, "multipart", "report")) {
		const char *rt = g_mime_object_get_content_type_parameter(
			obj, "report-type");
		if (w->out->report == DD_MAIL_REPORT_NONE)
			w->out->report =
				rt && strcasecmp(rt, "delivery-status") == 0
					? DD_MAIL_REPORT_DELIVERY
					: DD_MAIL_REPORT_OTHER;
	}
	int related = content_is(obj, "multipart", "related");
	for (int i = 0; i < n; i++) {
		GMimeObject *c = g_mime_multipart_get_part(mp, i);
		/* The parts a related root refers to are its images. */
		if (related && i > 0 && GMIME_IS_PART(c)) {
			leaf_attachment(w, c, 1);
			continue;
		}
		walk(w, c, depth + 1);
	}
}

static void leaf(struct walk *w, GMimeObject *obj)
{
	int attach = is_attachment(obj);
	if (content_is(obj, "text", "rfc822-headers") &&
	    w->out->report == DD_MAIL_REPORT_DELIVERY) {
		GByteArray *ba = part_bytes(GMIME_PART(obj));
		if (ba && !w->out->bounced_message_id)
			w->out->bounced_message_id = find_message_id_line(
				w->arena, (const char *)ba->data, ba->len);
		if (ba)
			g_byte_array_free(ba, TRUE);
		leaf_attachment(w, obj, 0);
		return;
	}
	if (!attach && content_is(obj, "text", "plain")) {
		leaf_text(w, obj, &w->text);
		return;
	}
	if (!attach && content_is(obj, "text", "html")) {
		leaf_html(w, obj);
		return;
	}
	if (content_is(obj, "application", "pkcs7-mime") ||
	    content_is(obj, "application", "x-pkcs7-mime")) {
		const char *st = g_mime_object_get_content_type_parameter(
			obj, "smime-type");
		if (!st || strcasecmp(st, "signed-data") != 0)
			w->out->encrypted = 1;
		else
			w->out->signed_ = 1;
	}
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);
	int is_inline = !attach && (d || g_mime_object_get_content_id(obj)) &&
			content_is(obj, "image", "*");
	leaf_attachment(w, obj, is_inline);
}

static void walk(struct walk *w, GMimeObject *obj, int depth)
{
	if (!obj)
		return;
	if (depth > DD_LIMIT_MAIL_DEPTH) {
		w->out->too_deep = 1;
		w->out->parts_dropped++;
		return;
	}
	if (++w->parts_seen > DD_LIMIT_MAIL_PARTS) {
		w->out->parts_dropped++;
		return;
	}
	if (GMIME_IS_MULTIPART(obj))
		multipart(w, obj, depth);
	else if (GMIME_IS_MESSAGE_PART(obj))
		message_part(w, obj, depth);
	else if (GMIME_IS_PART(obj))
		leaf(w, obj);
	else if (GMIME_IS_MESSAGE_PARTIAL(obj)) {
		GByteArray *ba = object_bytes(obj);
		if (ba) {
			add_part(w, obj, "message/partial", NULL, ba->data,
				 ba->len, 0);
			g_byte_array_free(ba, TRUE);
		}
	}
}

/* ---- headers ---- */

static void address_one(struct dd_arena *arena, InternetAddress *ia,
			struct dd_mail_addr *out)
{
	const char *addr =
		internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	const char *name = internet_address_get_name(ia);
	char *a = dd_mail_clean_line(arena, addr ? addr : "", ADDRESS_MAX);
	if (a)
		for (char *p = a; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	out->addr = a && *a ? a : NULL;
	out->name = dd_mail_clean_line(arena, name ? name : "", DD_LIMIT_NAME);
	if (!out->name)
		out->name = "";
}

/* The mailboxes of list (groups opened one level) into out. */
static void address_list(struct dd_arena *arena, InternetAddressList *list,
			 struct dd_mail_addrs *out)
{
	int n = list ? internet_address_list_length(list) : 0;
	out->items = NULL;
	out->count = out->total = 0;
	if (n <= 0)
		return;
	int cap = n < DD_LIMIT_MAIL_ADDRESSES ? n : DD_LIMIT_MAIL_ADDRESSES;
	out->items = dd_arena_alloc(arena, (size_t)cap * sizeof(*out->items));
	for (int i = 0; i < n; i++) {
		InternetAddress *ia =
			internet_address_list_get_address(list, i);
		InternetAddressList *members = NULL;
		int m = 1;
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			members = internet_address_group_get_members(
				INTERNET_ADDRESS_GROUP(ia));
			m = members ? internet_address_list_length(members) : 0;
		}
		for (int k = 0; k < m; k++) {
			InternetAddress *one =
				members ? internet_address_list_get_address(
						  members, k)
					: ia;
			if (!INTERNET_ADDRESS_IS_MAILBOX(one))
				continue;
			out->total++;
			if (!out->items || out->count >= cap)
				continue;
			address_one(arena, one, &out->items[out->count]);
			if (out->items[out->count].addr)
				out->count++;
		}
	}
}

static void first_address(struct dd_arena *arena, InternetAddressList *list,
			  struct dd_mail_addr *out)
{
	struct dd_mail_addrs all;
	address_list(arena, list, &all);
	if (all.count > 0)
		*out = all.items[0];
	else
		out->addr = NULL, out->name = "";
}

static const char *header(struct walk *w, GMimeMessage *msg, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
	return v ? dd_mail_clean_line(w->arena, v, HEADER_VALUE_MAX) : NULL;
}

/* The ids of a References or In-Reply-To header, without <>. */
static int ids_of(struct walk *w, const char *value, const char ***out,
		  int keep)
{
	*out = NULL;
	if (!value)
		return 0;
	GMimeReferences *refs = g_mime_references_parse(w->opts, value);
	if (!refs)
		return 0;
	int n = g_mime_references_length(refs);
	int first = n > keep ? n - keep : 0; /* the newest ones */
	int count = 0;
	const char **ids = dd_arena_alloc(w->arena, (size_t)(n - first + 1) *
							    sizeof(*ids));
	for (int i = first; ids && i < n; i++) {
		const char *id = g_mime_references_get_message_id(refs, i);
		char *c = dd_mail_clean_line(w->arena, id ? id : "",
					     DD_LIMIT_MESSAGE_ID);
		if (c && *c)
			ids[count++] = c;
	}
	g_mime_references_free(refs);
	*out = ids;
	return count;
}

/* The raw Return-Path: "" for the null path "<>". */
static const char *return_path(struct walk *w, GMimeMessage *msg)
{
	const char *v = header(w, msg, "Return-Path");
	if (!v)
		return NULL;
	const char *lt = strchr(v, '<');
	if (lt && lt[1] == '>')
		return "";
	return v;
}

/* Where the header block starts: after leading blank lines and an
 * optional mbox "From " line. *ok when a header field ("Name:", with
 * obsolete white space before the colon) is there. */
static size_t header_start(const char *s, size_t len, int *ok)
{
	size_t i = 0;
	*ok = 0;
	while (i < len &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	/* Back to the start of the first line: it may be folded. */
	while (i > 0 && s[i - 1] != '\n')
		i--;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i >= 5 && strncmp(s + i, "From ", 5) == 0) {
		const char *nl = memchr(s + i, '\n', len - i);
		if (!nl)
			return len;
		i = (size_t)(nl - s) + 1;
	}
	size_t j = i;
	while (j < len && s[j] > 0x20 && s[j] < 0x7f && s[j] != ':')
		j++;
	size_t name_end = j;
	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	*ok = name_end > i && j < len && s[j] == ':';
	return i;
}

/* The raw value of the first header field name in the header block of
 * s[0..len), unfolded, into out (NUL-terminated). 0, or -1 when absent
 * or too long. */
static int raw_field(const char *s, size_t len, const char *name,
		     struct dd_buf *out)
{
	size_t n = strlen(name), i = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;
		if (end == i || (end == i + 1 && s[i] == '\r'))
			return -1; /* the end of the header block */
		if (end - i > n && strncasecmp(s + i, name, n) == 0 &&
		    s[i + n] == ':') {
			size_t v = i + n + 1;
			for (;;) {
				size_t e = end;
				if (e > v && s[e - 1] == '\r')
					e--;
				dd_buf_append(out, s + v, e - v);
				if (end >= len || end + 1 >= len ||
				    (s[end + 1] != ' ' && s[end + 1] != '\t'))
					break;
				v = end + 1;
				nl = memchr(s + v, '\n', len - v);
				end = nl ? (size_t)(nl - s) : len;
			}
			return out->overflow ? -1 : 0;
		}
		i = end + 1;
	}
	return -1;
}

/* A header written raw in an undeclared 8-bit charset that is not
 * UTF-8 (a Big5 subject): decoded with the charset of the message's
 * text instead of the windows-1252 fallback, when every byte fits it.
 * NULL when the raw value is ASCII or UTF-8 (GMime's reading stands). */
static const char *raw_header_redo(struct walk *w, const char *raw, size_t len,
				   const char *name, const char *charset)
{
	if (!charset)
		return NULL;
	struct dd_buf field, buf;
	const char *out = NULL;
	dd_buf_init(&field, 64 * 1024);
	dd_buf_init(&buf, 256 * 1024);
	if (raw_field(raw, len, name, &field) == 0) {
		int eight = 0;
		for (size_t i = 0; i < field.len && !eight; i++)
			eight = (unsigned char)field.data[i] >= 0x80;
		if (eight && !dd_utf8_valid(field.data, field.len) &&
		    convert(charset, field.data, field.len, &buf) == 0 &&
		    !buf.overflow) {
			char *dec = g_mime_utils_header_decode_text(
				w->opts, dd_buf_str(&buf));
			out = dd_mail_clean_line(w->arena, dec ? dec : "",
						 HEADER_VALUE_MAX);
			g_free(dec);
		}
	}
	dd_buf_release(&field);
	dd_buf_release(&buf);
	return out;
}

int dd_mail_parse(struct dd_arena *arena, const void *raw, size_t len,
		  struct dd_mail_parsed *out, struct dd_err *err)
{
	const char *bytes = raw;
	int ok;
	memset(out, 0, sizeof(*out));
	out->subject = "";
	out->text = "";
	out->from.name = out->reply_to.name = out->sender.name = "";
	if (len == 0)
		return dd_err_set(err, 422, DD_PROBLEM_VALIDATION,
				  "the message is empty");
	size_t start = header_start(bytes, len, &ok);
	if (!ok)
		return dd_err_set(err, 422, DD_PROBLEM_VALIDATION,
				  "the message has no header block (it does "
				  "not start with a field like 'From:')");
	dd_mail_parse_init();

	struct walk w = {.arena = arena, .out = out};
	dd_buf_init(&w.text, DD_LIMIT_MAIL_BYTES_MAX);
	dd_buf_init(&w.html, DD_LIMIT_MAIL_BYTES_MAX);
	w.opts = g_mime_parser_options_new();
	g_mime_parser_options_set_address_compliance_mode(
		w.opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(
		w.opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(
		w.opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(w.opts, TRUE);
	const char *fallback[] = {"UTF-8", "windows-1252", NULL};
	g_mime_parser_options_set_fallback_charsets(w.opts, fallback);

	GMimeStream *stream =
		g_mime_stream_mem_new_with_buffer(bytes + start, len - start);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, w.opts);
	g_object_unref(parser);
	g_object_unref(stream);
	int rc = 0;
	if (!msg) {
		rc = dd_err_set(err, 422, DD_PROBLEM_VALIDATION,
				"GMime found no message in the bytes");
		goto out;
	}

	const char *mid = g_mime_message_get_message_id(msg);
	out->message_id =
		mid ? dd_mail_clean_line(arena, mid, DD_LIMIT_MESSAGE_ID)
		    : NULL;
	if (out->message_id && !*out->message_id)
		out->message_id = NULL;
	const char *subject = g_mime_message_get_subject(msg);
	out->subject = dd_mail_clean_line(arena, subject ? subject : "",
					  HEADER_VALUE_MAX);
	const char **irt;
	if (ids_of(&w,
		   g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"),
		   &irt, 1) > 0)
		out->in_reply_to = irt[0];
	out->ref_count = ids_of(
		&w, g_mime_object_get_header(GMIME_OBJECT(msg), "References"),
		&out->refs, DD_LIMIT_MAIL_REFERENCES);
	first_address(arena, g_mime_message_get_from(msg), &out->from);
	first_address(arena, g_mime_message_get_reply_to(msg), &out->reply_to);
	first_address(arena, g_mime_message_get_sender(msg), &out->sender);
	address_list(arena, g_mime_message_get_to(msg), &out->to);
	address_list(arena, g_mime_message_get_cc(msg), &out->cc);
	GDateTime *date = g_mime_message_get_date(msg);
	if (date)
		out->date = (int64_t)g_date_time_to_unix(date) * 1000;

	struct dd_mail_auto_headers *h = &out->autoh;
	h->auto_submitted = header(&w, msg, "Auto-Submitted");
	h->precedence = header(&w, msg, "Precedence");
	h->list_id = header(&w, msg, "List-Id");
	h->list_unsubscribe = header(&w, msg, "List-Unsubscribe");
	h->x_autoreply = header(&w, msg, "X-Autoreply");
	h->x_autorespond = header(&w, msg, "X-Autorespond");
	h->x_auto_response_suppress =
		header(&w, msg, "X-Auto-Response-Suppress");
	h->return_path = return_path(&w, msg);
	h->x_dutydesk = header(&w, msg, "X-Dutydesk-Ticket");

	walk(&w, msg->mime_part, 0);
	const char *redone = raw_header_redo(&w, bytes + start, len - start,
					     "Subject", w.charset);
	if (redone)
		out->subject = redone;
	if (w.text.overflow || w.html.overflow)
		out->parts_dropped++;
	if (w.text.len > 0) {
		out->text = dd_mail_clean_text(arena, dd_buf_str(&w.text),
					       w.text.len);
	} else if (w.html.len > 0) {
		out->text = dd_mail_clean_text(arena, dd_buf_str(&w.html),
					       w.html.len);
		out->text_from_html = 1;
	}
	/* A bounce that is no multipart/report (qmail, old sendmail) or
	 * whose report returned no headers: the first Message-ID line
	 * after the bounce's own header block. */
	if (!out->bounced_message_id &&
	    (out->report == DD_MAIL_REPORT_DELIVERY ||
	     (out->from.addr &&
	      (strncmp(out->from.addr, "mailer-daemon@", 14) == 0 ||
	       strncmp(out->from.addr, "postmaster@", 11) == 0)))) {
		const char *body = bytes + start;
		size_t blen = len - start;
		const char *sep = NULL;
		for (size_t i = 0; i + 1 < blen && !sep; i++)
			if (body[i] == '\n' &&
			    (body[i + 1] == '\n' ||
			     (body[i + 1] == '\r' && i + 2 < blen &&
			      body[i + 2] == '\n')))
				sep = body + i + 1;
		if (sep)
			out->bounced_message_id = find_message_id_line(
				arena, sep, (size_t)(body + blen - sep));
	}
	if (!out->subject || !out->text || w.oom)
		rc = dd_err_set(err, 413, DD_PROBLEM_LIMIT,
				"the message's text does not fit in memory");
	g_object_unref(msg);
out:
	g_mime_parser_options_free(w.opts);
	dd_buf_release(&w.text);
	dd_buf_release(&w.html);
	return rc;
}
