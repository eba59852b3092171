#include "base/json_out.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/timefmt.h"
#include "base/utf8.h"

void dd_json_out_init(struct dd_json_out *j, struct dd_buf *out)
{
	j->out = out;
	j->depth = 0;
	j->need_comma[0] = 0;
	j->after_key = 0;
}

/* Called before every value and key: writes the comma between members. */
static void before_item(struct dd_json_out *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->need_comma[j->depth])
		dd_buf_putc(j->out, ',');
	j->need_comma[j->depth] = 1;
}

static void open_level(struct dd_json_out *j, char c)
{
	before_item(j);
	dd_buf_putc(j->out, c);
	if (j->depth + 1 >= DD_JSON_OUT_DEPTH) {
		j->out->overflow = 1;
		return;
	}
	j->need_comma[++j->depth] = 0;
}

static void close_level(struct dd_json_out *j, char c)
{
	dd_buf_putc(j->out, c);
	if (j->depth > 0)
		j->depth--;
}

void dd_json_obj_begin(struct dd_json_out *j)
{
	open_level(j, '{');
}

void dd_json_obj_end(struct dd_json_out *j)
{
	close_level(j, '}');
}

void dd_json_arr_begin(struct dd_json_out *j)
{
	open_level(j, '[');
}

void dd_json_arr_end(struct dd_json_out *j)
{
	close_level(j, ']');
}

static void put_escaped(struct dd_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	dd_buf_putc(out, '"');
	size_t run = 0; /* start of bytes that need no escaping */
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			size_t n = dd_utf8_char_len(s + i, len - i);
			if (n == 0) {
				dd_buf_append(out, s + run, i - run);
				dd_buf_puts(out, "\\ufffd");
				i++;
				run = i;
				continue;
			}
			/* U+2028/2029 end lines in JavaScript source. */
			if (n == 3 && c == 0xe2 &&
			    (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] & 0xfe) == 0xa8) {
				dd_buf_append(out, s + run, i - run);
				dd_buf_puts(out, (unsigned char)s[i + 2] == 0xa8
							 ? "\\u2028"
							 : "\\u2029");
				i += 3;
				run = i;
				continue;
			}
			i += n;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' &&
		    c != '>' && c != '&') {
			i++;
			continue;
		}
		dd_buf_append(out, s + run, i - run);
		switch (c) {
		case '"':
			dd_buf_puts(out, "\\\"");
			break;
		case '\\':
			dd_buf_puts(out, "\\\\");
			break;
		case '\n':
			dd_buf_puts(out, "\\n");
			break;
		case '\r':
			dd_buf_puts(out, "\\r");
			break;
		case '\t':
			dd_buf_puts(out, "\\t");
			break;
		default: {
			char esc[7] = {'\\',	    'u',	 '0', '0',
				       hex[c >> 4], hex[c & 15], 0};
			dd_buf_puts(out, esc);
		}
		}
		i++;
		run = i;
	}
	dd_buf_append(out, s + run, i - run);
	dd_buf_putc(out, '"');
}

void dd_json_key(struct dd_json_out *j, const char *key)
{
	before_item(j);
	put_escaped(j->out, key, strlen(key));
	dd_buf_putc(j->out, ':');
	j->after_key = 1;
}

void dd_json_strn(struct dd_json_out *j, const char *s, size_t len)
{
	before_item(j);
	if (!s)
		dd_buf_puts(j->out, "null");
	else
		put_escaped(j->out, s, len);
}

void dd_json_str(struct dd_json_out *j, const char *s)
{
	dd_json_strn(j, s, s ? strlen(s) : 0);
}

void dd_json_int(struct dd_json_out *j, int64_t v)
{
	before_item(j);
	dd_buf_printf(j->out, "%" PRId64, v);
}

void dd_json_bool(struct dd_json_out *j, int v)
{
	before_item(j);
	dd_buf_puts(j->out, v ? "true" : "false");
}

void dd_json_null(struct dd_json_out *j)
{
	before_item(j);
	dd_buf_puts(j->out, "null");
}

void dd_json_time(struct dd_json_out *j, int64_t ms)
{
	char text[DD_TIME_RFC3339_LEN];
	dd_time_format_rfc3339(ms, text);
	before_item(j);
	dd_buf_putc(j->out, '"');
	dd_buf_puts(j->out, text);
	dd_buf_putc(j->out, '"');
}

void dd_json_raw(struct dd_json_out *j, const char *json)
{
	before_item(j);
	dd_buf_puts(j->out, json && *json ? json : "null");
}

void dd_json_kstr(struct dd_json_out *j, const char *key, const char *s)
{
	dd_json_key(j, key);
	dd_json_str(j, s);
}

void dd_json_kint(struct dd_json_out *j, const char *key, int64_t v)
{
	dd_json_key(j, key);
	dd_json_int(j, v);
}

void dd_json_kbool(struct dd_json_out *j, const char *key, int v)
{
	dd_json_key(j, key);
	dd_json_bool(j, v);
}

void dd_json_ktime(struct dd_json_out *j, const char *key, int64_t ms)
{
	dd_json_key(j, key);
	dd_json_time(j, ms);
}

void dd_json_knull(struct dd_json_out *j, const char *key)
{
	dd_json_key(j, key);
	dd_json_null(j);
}

void dd_json_kid(struct dd_json_out *j, const char *key, int64_t id)
{
	if (id)
		dd_json_kint(j, key, id);
	else
		dd_json_knull(j, key);
}

void dd_json_ktime_or_null(struct dd_json_out *j, const char *key, int64_t ms)
{
	if (ms)
		dd_json_ktime(j, key, ms);
	else
		dd_json_knull(j, key);
}
