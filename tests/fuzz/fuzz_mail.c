/*
 * fuzz_mail.c - libFuzzer over parse-and-thread: every input is parsed
 * as a message (GMime and our walk over its parts, charsets, HTML to
 * text, the bounce scan), and what parsing found goes through the pure
 * threading and loop-protection code. Nothing may crash, hang, leak or
 * touch memory it does not own; every string out must be valid UTF-8.
 *
 *   make build/fuzz/fuzz_mail
 *   build/fuzz/fuzz_mail -max_total_time=30 CORPUS_DIR
 *
 * scripts/test runs it for 30 s seeded with ../shared/corpus/mail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "mail/html_text.h"
#include "mail/loop.h"
#include "mail/message_id.h"
#include "mail/parse.h"
#include "mail/personal.h"
#include "mail/thread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *s)
{
	if (s && !dd_utf8_valid(s, strlen(s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		dd_mail_parse_init();
		init = 1;
	}
	struct dd_arena arena;
	struct dd_mail_parsed m;
	struct dd_err err;
	dd_arena_init(&arena, 256 * 1024 * 1024);
	dd_err_clear(&err);
	if (dd_mail_parse(&arena, data, size, &m, &err) == 0) {
		check_utf8(m.subject);
		check_utf8(m.text);
		check_utf8(m.from.addr);
		check_utf8(m.message_id);
		for (int i = 0; i < m.part_count; i++)
			check_utf8(m.parts[i].filename);
		const char *ids[20];
		int n = dd_mail_thread_candidates(&m, ids, 20);
		unsigned char key[DD_MAIL_KEY_BYTES] = {1};
		int64_t t;
		for (int i = 0; i < n; i++)
			dd_mail_message_id_check(key, ids[i], &t);
		int64_t number;
		dd_mail_subject_tag(m.subject, "", &number);
		dd_mail_subject_tag(m.subject, "DD", &number);
		char subject[700];
		dd_mail_subject_for(m.subject, "DD", 10042, 1, subject,
				    sizeof(subject));
		check_utf8(subject);
		unsigned f = dd_mail_auto_flags(&m, 0);
		(void)dd_mail_may_autoanswer(f);
		static const struct dd_mail_colleague c[] = {
			{1, "a@b.example", "Sabine Krüger"},
			{2, "c@d.example", "Tobias Lang"}};
		enum dd_mail_personal_by by;
		dd_mail_personal(&m, c, 2, &by);
	}
	/* The HTML converter on the raw bytes as well. */
	char *t = dd_mail_html_text(&arena, (const char *)data, size);
	(void)t;
	dd_arena_release(&arena);
	return 0;
}
