#include "mail/compose.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

void dd_mail_library_init(void)
{
	g_mime_init();
}

static int has_line_break(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* Append the mailboxes of text to list; -1 when text holds none or
 * anything that is not a mailbox with an '@'. */
static int add_addresses(InternetAddressList *list, const char *text)
{
	InternetAddressList *parsed = internet_address_list_parse(NULL, text);
	if (!parsed)
		return -1;
	int n = internet_address_list_length(parsed), ok = n > 0;
	for (int i = 0; ok && i < n; i++) {
		InternetAddress *a =
			internet_address_list_get_address(parsed, i);
		const char *addr =
			INTERNET_ADDRESS_IS_MAILBOX(a)
				? internet_address_mailbox_get_addr(
					  INTERNET_ADDRESS_MAILBOX(a))
				: NULL;
		ok = addr && strchr(addr, '@') && addr[0] != '@';
	}
	if (ok)
		internet_address_list_append(list, parsed);
	g_object_unref(parsed);
	return ok ? 0 : -1;
}

static GMimeObject *text_part(const char *text)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	/* Always UTF-8 (g_mime_text_part_set_text would pick Latin-1 where
	 * the text fits): one charset for every reply, as the issue wants,
	 * and what every mail client reads. */
	const char *t = text ? text : "";
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(t, strlen(t));
	GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(
		stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(stream);
	g_mime_part_set_content(GMIME_PART(part), content);
	g_object_unref(content);
	g_mime_text_part_set_charset(part, "utf-8");
	/* 7bit where the text allows, else quoted-printable or base64,
	 * whichever GMime finds shorter for this text. */
	g_mime_part_set_content_encoding(
		GMIME_PART(part),
		g_mime_part_get_best_content_encoding(
			GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
	return GMIME_OBJECT(part);
}

static GMimeObject *attachment_part(const struct dd_mail_attachment *a)
{
	const char *type = a->content_type && strchr(a->content_type, '/')
				   ? a->content_type
				   : "application/octet-stream";
	GMimeContentType *ct = g_mime_content_type_parse(NULL, type);
	GMimePart *part = g_mime_part_new_with_type(
		g_mime_content_type_get_media_type(ct),
		g_mime_content_type_get_media_subtype(ct));
	g_object_unref(ct);
	GMimeStream *stream =
		g_mime_stream_mem_new_with_buffer(a->data, a->len);
	GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(
		stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(stream);
	g_mime_part_set_content(part, content);
	g_object_unref(content);
	g_mime_object_set_disposition(GMIME_OBJECT(part),
				      GMIME_DISPOSITION_ATTACHMENT);
	if (a->filename && *a->filename) {
		g_mime_part_set_filename(part, a->filename);
		/* RFC 2231 names in UTF-8 too, not whatever fits. */
		GMimeContentDisposition *disp =
			g_mime_object_get_content_disposition(
				GMIME_OBJECT(part));
		GMimeParam *p = g_mime_param_list_get_parameter(
			g_mime_content_disposition_get_parameters(disp),
			"filename");
		if (p)
			g_mime_param_set_charset(p, "UTF-8");
		p = g_mime_param_list_get_parameter(
			g_mime_content_type_get_parameters(
				g_mime_object_get_content_type(
					GMIME_OBJECT(part))),
			"name");
		if (p)
			g_mime_param_set_charset(p, "UTF-8");
	}
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	return GMIME_OBJECT(part);
}

/* The domain of the first From address, for generated Message-IDs. */
static const char *from_domain(GMimeMessage *m)
{
	InternetAddressList *from = g_mime_message_get_from(m);
	InternetAddress *a = internet_address_list_get_address(from, 0);
	const char *addr =
		internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
	const char *at = strrchr(addr, '@');
	return at && at[1] ? at + 1 : "dutydesk.invalid";
}

int dd_mail_compose(struct dd_arena *arena, const struct dd_mail_out *msg,
		    char **raw, size_t *len, struct dd_err *err)
{
	*raw = NULL;
	*len = 0;
	if (!msg->from || !msg->to)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "a mail needs a sender and a recipient");
	const char *single[] = {msg->subject,	  msg->message_id,
				msg->in_reply_to, msg->references,
				msg->from,	  msg->to,
				msg->cc,	  msg->reply_to};
	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if (has_line_break(single[i]))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "mail header with a line break");
	for (int i = 0; i < msg->header_count; i++)
		if (has_line_break(msg->headers[i].name) ||
		    has_line_break(msg->headers[i].value) ||
		    strchr(msg->headers[i].name, ':'))
			return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
					  "malformed mail header '%s'",
					  msg->headers[i].name);

	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeObject *body = NULL;
	int rc = -1;
	if (add_addresses(g_mime_message_get_from(m), msg->from) < 0) {
		dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			   "not a mail address: '%s'", msg->from);
		goto out;
	}
	if (add_addresses(
		    g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO),
		    msg->to) < 0 ||
	    (msg->cc && *msg->cc &&
	     add_addresses(
		     g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_CC),
		     msg->cc) < 0) ||
	    (msg->reply_to && *msg->reply_to &&
	     add_addresses(g_mime_message_get_reply_to(m), msg->reply_to) <
		     0)) {
		dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
			   "not a mail address in '%s'", msg->to);
		goto out;
	}
	g_mime_message_set_subject(m, msg->subject ? msg->subject : "",
				   "utf-8");
	GDateTime *date = g_date_time_new_from_unix_utc(msg->date / 1000);
	g_mime_message_set_date(m, date);
	g_date_time_unref(date);
	if (msg->message_id && *msg->message_id) {
		g_mime_message_set_message_id(m, msg->message_id);
	} else {
		char *id = g_mime_utils_generate_message_id(from_domain(m));
		g_mime_message_set_message_id(m, id);
		g_free(id);
	}
	GMimeObject *top = GMIME_OBJECT(m);
	if (msg->in_reply_to && *msg->in_reply_to)
		g_mime_object_set_header(top, "In-Reply-To", msg->in_reply_to,
					 NULL);
	if (msg->references && *msg->references)
		g_mime_object_set_header(top, "References", msg->references,
					 NULL);
	for (int i = 0; i < msg->header_count; i++)
		g_mime_object_set_header(top, msg->headers[i].name,
					 msg->headers[i].value, "utf-8");

	body = text_part(msg->text);
	if (msg->attachment_count > 0) {
		GMimeMultipart *mixed =
			g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, body);
		g_object_unref(body);
		for (int i = 0; i < msg->attachment_count; i++) {
			GMimeObject *a = attachment_part(&msg->attachments[i]);
			g_mime_multipart_add(mixed, a);
			g_object_unref(a);
		}
		body = GMIME_OBJECT(mixed);
	}
	g_mime_message_set_mime_part(m, body);

	GMimeFormatOptions *fo = g_mime_format_options_clone(NULL);
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	GMimeStream *out = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(top, fo, out) < 0) {
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
			   "cannot write the mail");
	} else {
		GByteArray *bytes =
			g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
		char *copy = dd_arena_alloc(arena, bytes->len + 1);
		if (!copy) {
			dd_err_set(err, 413, DD_PROBLEM_LIMIT,
				   "mail of %u bytes is too large", bytes->len);
		} else {
			memcpy(copy, bytes->data, bytes->len);
			copy[bytes->len] = '\0';
			*raw = copy;
			*len = bytes->len;
			rc = 0;
		}
	}
	g_object_unref(out);
	g_mime_format_options_free(fo);
out:
	if (body)
		g_object_unref(body);
	g_object_unref(m);
	return rc;
}

int dd_mail_address_only(const char *text, char *out, size_t size)
{
	if (!text || size == 0)
		return -1;
	InternetAddressList *parsed = internet_address_list_parse(NULL, text);
	if (!parsed)
		return -1;
	int rc = -1;
	if (internet_address_list_length(parsed) > 0) {
		InternetAddress *a =
			internet_address_list_get_address(parsed, 0);
		const char *addr =
			INTERNET_ADDRESS_IS_MAILBOX(a)
				? internet_address_mailbox_get_addr(
					  INTERNET_ADDRESS_MAILBOX(a))
				: NULL;
		if (addr && strchr(addr, '@') && addr[0] != '@' &&
		    strlen(addr) < size) {
			size_t i = 0;
			for (; addr[i]; i++)
				out[i] = (char)tolower((unsigned char)addr[i]);
			out[i] = '\0';
			rc = 0;
		}
	}
	g_object_unref(parsed);
	return rc;
}
