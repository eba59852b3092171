#include "mail/imap.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "mail/imap_parse.h"
#include "mail/imap_state.h"
#include "mail/intake.h"
#include "mail/settings.h"

/* An answer to a command other than a fetch: untagged lines only. */
#define ANSWER_MAX (1024 * 1024)
/* "UID FETCH 1,2,... (RFC822.SIZE)" for a window's hits. */
#define SIZES_BATCH 200
/* The keyword that says "dutydesk has this one". */
#define KEYWORD "$Dutydesk"

struct poll {
	struct dd_ctx *ctx;
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	char base[DD_LIMIT_URL];	/* scheme://authority, no slash */
	char box_url[DD_LIMIT_URL * 2]; /* base/MAILBOX;UIDVALIDITY=v */
	char box_quoted[DD_MAIL_IMAP_FIELD_MAX * 2 + 3];
	char move_quoted[DD_MAIL_IMAP_FIELD_MAX * 2 + 3];
	const char *user;
};

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	/* Past the cap the transfer stops (CURLE_WRITE_ERROR). */
	return dd_buf_append(arg, data, size * n) < 0 ? 0 : size * n;
}

/* What a libcurl failure means for the caller. */
static int curl_fail(struct poll *p, CURLcode rc, const char *what,
		     struct dd_err *err)
{
	const char *why = p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_LOGIN_DENIED:
		return dd_err_set(err, 502, DD_PROBLEM_UNAVAILABLE,
				  "the imap server refused the login of '%s' "
				  "(%s): check imap_user and imap_password",
				  p->user, why);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
		return dd_err_set(err, 503, DD_PROBLEM_UNAVAILABLE,
				  "cannot reach the imap server for %s: %s",
				  what, why);
	default:
		return dd_err_set(err, 502, DD_PROBLEM_UNAVAILABLE,
				  "imap %s failed: %s", what, why);
	}
}

/* Run custom (a command, NULL for the URL's fetch) on url, its answer
 * into out (reset first). Returns CURLE_OK or the failure. */
static CURLcode run(struct poll *p, const char *url, const char *custom,
		    struct dd_buf *out)
{
	dd_buf_reset(out);
	p->errbuf[0] = '\0';
	curl_easy_setopt(p->curl, CURLOPT_URL, url);
	curl_easy_setopt(p->curl, CURLOPT_CUSTOMREQUEST, custom);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, out);
	return curl_easy_perform(p->curl);
}

/* The scheme and authority of the configured URL (a path is ignored:
 * the mailbox is imap_mailbox). */
static int base_url(const char *url, char *out, size_t cap)
{
	const char *auth = strstr(url, "://");
	if (!auth)
		return -1;
	size_t n = strcspn(auth + 3, "/?#") + (size_t)(auth + 3 - url);
	if (n >= cap || n == (size_t)(auth + 3 - url))
		return -1;
	memcpy(out, url, n);
	out[n] = '\0';
	return 0;
}

static int status(struct poll *p, const char *box, struct dd_buf *ans,
		  int64_t *uidvalidity, int64_t *uidnext, struct dd_err *err)
{
	char url[DD_LIMIT_URL + 2], cmd[DD_MAIL_IMAP_FIELD_MAX * 2 + 64];
	snprintf(url, sizeof(url), "%s/", p->base);
	snprintf(cmd, sizeof(cmd), "STATUS %s (UIDVALIDITY UIDNEXT)",
		 p->box_quoted);
	CURLcode rc = run(p, url, cmd, ans);
	if (rc != CURLE_OK)
		return curl_fail(p, rc, "status", err);
	if (dd_imap_parse_status(ans->data ? ans->data : "", ans->len,
				 uidvalidity, uidnext) < 0)
		return dd_err_set(err, 502, DD_PROBLEM_UNAVAILABLE,
				  "the imap server gave no UIDVALIDITY and "
				  "UIDNEXT for mailbox '%s'",
				  box);
	return 0;
}

/* Mark a stored message: flag it, or move it. 0, or -1 (logged by the
 * caller; the message is stored either way). */
static int mark(struct poll *p, const char *after, int64_t uid,
		struct dd_buf *ans)
{
	char cmd[DD_MAIL_IMAP_FIELD_MAX * 2 + 96];
	if (strcmp(after, "move") == 0) {
		snprintf(cmd, sizeof(cmd), "UID MOVE %lld %s", (long long)uid,
			 p->move_quoted);
		if (run(p, p->box_url, cmd, ans) == CURLE_OK)
			return 0;
		/* No MOVE (RFC 6851): copy, delete, expunge just this one
		 * (UIDPLUS); without UID EXPUNGE it stays \Deleted. */
		snprintf(cmd, sizeof(cmd), "UID COPY %lld %s", (long long)uid,
			 p->move_quoted);
		if (run(p, p->box_url, cmd, ans) != CURLE_OK)
			return -1;
		snprintf(cmd, sizeof(cmd),
			 "UID STORE %lld +FLAGS.SILENT (\\Seen \\Deleted "
			 "%s)",
			 (long long)uid, KEYWORD);
		if (run(p, p->box_url, cmd, ans) != CURLE_OK)
			return -1;
		snprintf(cmd, sizeof(cmd), "UID EXPUNGE %lld", (long long)uid);
		run(p, p->box_url, cmd, ans);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "UID STORE %lld +FLAGS.SILENT (\\Seen %s)",
		 (long long)uid, KEYWORD);
	if (run(p, p->box_url, cmd, ans) == CURLE_OK)
		return 0;
	/* A server that takes no keywords still takes \Seen; the last UID
	 * keeps the message from being fetched again. */
	snprintf(cmd, sizeof(cmd), "UID STORE %lld +FLAGS.SILENT (\\Seen)",
		 (long long)uid);
	return run(p, p->box_url, cmd, ans) == CURLE_OK ? 0 : -1;
}

static void warn_message(struct dd_ctx *ctx, const char *msg, int64_t uid,
			 int64_t bytes, const char *why)
{
	char q[DD_ERR_MSG_MAX + 8];
	dd_log_write(ctx->log, DD_LOG_WARN, DD_SUB_MAIL, msg,
		     "uid=%lld bytes=%lld reason=%s", (long long)uid,
		     (long long)bytes, dd_log_quote(q, sizeof(q), why));
}

/* The body of a poll once the mailbox is claimed. */
static int poll_claimed(struct poll *p, const struct dd_actor *actor,
			const struct dd_mail_settings *s, const char *key,
			const char *owner, const struct dd_imap_state *state,
			struct dd_imap_stats *st, struct dd_err *err)
{
	struct dd_ctx *ctx = p->ctx;
	struct dd_buf ans, msg;
	int64_t uidvalidity, uidnext, last = state->last_uid;
	int64_t started = dd_monotonic_ms();
	int64_t *uids = NULL, *sizes = NULL;
	int rc = -1, handled = 0;
	char box_url_name[DD_MAIL_IMAP_FIELD_MAX * 3 + 1];
	dd_buf_init(&ans, ANSWER_MAX);
	dd_buf_init(&msg, (size_t)s->max_bytes);
	uids = calloc(DD_IMAP_SEARCH_WINDOW, sizeof(*uids));
	sizes = calloc(DD_IMAP_SEARCH_WINDOW, sizeof(*sizes));
	if (!uids || !sizes) {
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL, "out of memory");
		goto out;
	}
	if (status(p, s->imap_mailbox, &ans, &uidvalidity, &uidnext, err) < 0)
		goto out;
	if (uidvalidity != state->uidvalidity) {
		if (state->uidvalidity != 0) {
			st->uidvalidity_changed = 1;
			dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_MAIL,
				     "imap uidvalidity changed, reading the "
				     "mailbox again",
				     "before=%lld now=%lld",
				     (long long)state->uidvalidity,
				     (long long)uidvalidity);
		}
		last = 0;
		if (dd_imap_state_save(ctx, key, owner, uidvalidity, 0,
				       DD_IMAP_LEASE_MS, err) < 0)
			goto out;
	}
	dd_imap_url_name(s->imap_mailbox, box_url_name, sizeof(box_url_name));
	snprintf(p->box_url, sizeof(p->box_url), "%s/%s;UIDVALIDITY=%lld",
		 p->base, box_url_name, (long long)uidvalidity);

	while (last + 1 < uidnext) {
		if (handled >= DD_IMAP_POLL_MESSAGES ||
		    dd_monotonic_ms() - started > DD_IMAP_POLL_MS) {
			st->more = 1;
			break;
		}
		int64_t from = last + 1, to = from + DD_IMAP_SEARCH_WINDOW - 1;
		if (to > uidnext - 1)
			to = uidnext - 1;
		char cmd[160];
		snprintf(cmd, sizeof(cmd),
			 "UID SEARCH UID %lld:%lld NOT KEYWORD %s",
			 (long long)from, (long long)to, KEYWORD);
		CURLcode crc = run(p, p->box_url, cmd, &ans);
		if (crc != CURLE_OK) {
			curl_fail(p, crc, "search", err);
			goto out;
		}
		int n = dd_imap_parse_search(ans.data ? ans.data : "", ans.len,
					     from - 1, uids,
					     DD_IMAP_SEARCH_WINDOW);
		if (n < 0) {
			dd_err_set(err, 502, DD_PROBLEM_UNAVAILABLE,
				   "the imap server's search answer is "
				   "malformed");
			goto out;
		}
		while (n > 0 && uids[n - 1] > to)
			n--;
		st->found += n;
		/* Sizes first, in batches: nothing too large is
		 * downloaded. */
		for (int i = 0; i < n; i += SIZES_BATCH) {
			int k = n - i < SIZES_BATCH ? n - i : SIZES_BATCH;
			struct dd_buf set;
			dd_buf_init(&set, 16 * 1024);
			dd_buf_puts(&set, "UID FETCH ");
			for (int j = 0; j < k; j++)
				dd_buf_printf(&set, "%s%lld", j ? "," : "",
					      (long long)uids[i + j]);
			dd_buf_puts(&set, " (RFC822.SIZE)");
			crc = run(p, p->box_url, dd_buf_str(&set), &ans);
			dd_buf_release(&set);
			if (crc != CURLE_OK) {
				curl_fail(p, crc, "size fetch", err);
				goto out;
			}
			dd_imap_parse_sizes(ans.data ? ans.data : "", ans.len,
					    uids + i, k, sizes + i);
		}
		for (int i = 0; i < n; i++) {
			int64_t uid = uids[i];
			if (handled >= DD_IMAP_POLL_MESSAGES ||
			    dd_monotonic_ms() - started > DD_IMAP_POLL_MS) {
				st->more = 1;
				break;
			}
			handled++;
			/* An unknown size (-1) is fetched all the same: the
			 * buffer's cap is the real limit. */
			if (sizes[i] == 0 || sizes[i] > s->max_bytes) {
				st->refused++;
				warn_message(ctx,
					     "imap message left in the mailbox",
					     uid, sizes[i],
					     sizes[i] ? "larger than the mail "
							"settings' max_bytes"
						      : "empty");
			} else {
				char url[sizeof(p->box_url) + 32];
				snprintf(url, sizeof(url), "%s/;UID=%lld",
					 p->box_url, (long long)uid);
				crc = run(p, url, NULL, &msg);
				if ((crc == CURLE_WRITE_ERROR &&
				     msg.overflow) ||
				    crc == CURLE_FILESIZE_EXCEEDED) {
					st->refused++;
					warn_message(ctx,
						     "imap message left in the "
						     "mailbox",
						     uid, (int64_t)msg.len,
						     "larger than the mail "
						     "settings' max_bytes");
				} else if (crc == CURLE_REMOTE_FILE_NOT_FOUND) {
					/* Expunged meanwhile, or the mailbox
					 * was renumbered: STATUS tells. */
					int64_t v2, n2;
					if (status(p, s->imap_mailbox, &ans,
						   &v2, &n2, err) < 0)
						goto out;
					if (v2 != uidvalidity) {
						st->more = 1;
						rc = 0;
						goto out;
					}
					st->vanished++;
				} else if (crc != CURLE_OK) {
					curl_fail(p, crc, "fetch", err);
					goto out;
				} else {
					struct dd_mail_outcome o;
					if (dd_mail_ingest(ctx, actor, "imap",
							   msg.data, msg.len,
							   &o, err) < 0) {
						if (err->status != 400 &&
						    err->status != 413)
							goto out;
						/* Refused as a message:
						 * it stays in the mailbox. */
						st->refused++;
						warn_message(
							ctx,
							"imap message left in "
							"the mailbox",
							uid, (int64_t)msg.len,
							err->msg);
						dd_err_clear(err);
					} else {
						if (o.duplicate)
							st->duplicates++;
						else
							st->stored++;
						if (o.status &&
						    strcmp(o.status,
							   "failed") == 0)
							st->failed++;
						if (mark(p, s->imap_after, uid,
							 &ans) < 0) {
							st->mark_errors++;
							warn_message(
								ctx,
								"imap message "
								"stored but "
								"not "
								"marked",
								uid,
								(int64_t)
									msg.len,
								p->errbuf);
						}
					}
				}
			}
			last = uid;
			if (dd_imap_state_save(ctx, key, owner, uidvalidity,
					       last, DD_IMAP_LEASE_MS, err) < 0)
				goto out;
		}
		if (st->more)
			break;
		/* The whole window is handled. */
		if (last < to) {
			last = to;
			if (dd_imap_state_save(ctx, key, owner, uidvalidity,
					       last, DD_IMAP_LEASE_MS, err) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(uids);
	free(sizes);
	dd_buf_release(&ans);
	dd_buf_release(&msg);
	return rc;
}

int dd_mail_imap_poll(struct dd_ctx *ctx, const struct dd_actor *actor,
		      int force, struct dd_imap_stats *st, struct dd_err *err)
{
	struct dd_mail_settings s;
	struct dd_imap_state state;
	struct poll p = {.ctx = ctx};
	memset(st, 0, sizeof(*st));
	if (dd_mail_settings_get(ctx, &s, err) < 0)
		return -1;
	if (!*s.imap_url)
		return 0;
	st->configured = 1;
	if (base_url(s.imap_url, p.base, sizeof(p.base)) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "the mail settings' imap_url names no "
				  "server");
	if (dd_imap_quote(s.imap_mailbox, p.box_quoted, sizeof(p.box_quoted)) <
	    0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "imap_mailbox '%.80s' is not a mailbox name "
				  "dutydesk can use (printable ASCII only)",
				  s.imap_mailbox);
	int move = strcmp(s.imap_after, "move") == 0;
	if (move && dd_imap_quote(s.imap_move_to, p.move_quoted,
				  sizeof(p.move_quoted)) < 0)
		return dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				  "imap_move_to '%.80s' is not a mailbox name "
				  "dutydesk can use (printable ASCII only)",
				  s.imap_move_to);
	p.user = s.imap_user;

	char key[DD_LIMIT_URL + 2 * DD_MAIL_IMAP_FIELD_MAX + 8];
	char owner[96];
	snprintf(key, sizeof(key), "%s %s %s", p.base, s.imap_user,
		 s.imap_mailbox);
	snprintf(owner, sizeof(owner), "%ld-%lld-%p", (long)getpid(),
		 (long long)dd_monotonic_ms(), (void *)&p);
	int claimed = dd_imap_state_claim(ctx, key, owner,
					  (int64_t)s.imap_interval_s * 1000,
					  DD_IMAP_LEASE_MS, force, &state, err);
	if (claimed <= 0)
		return claimed;
	st->claimed = 1;

	int rc = -1;
	p.curl = curl_easy_init();
	if (!p.curl) {
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
			   "cannot start libcurl");
		goto release;
	}
	curl_easy_setopt(p.curl, CURLOPT_ERRORBUFFER, p.errbuf);
	curl_easy_setopt(p.curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	if (*s.imap_user) {
		curl_easy_setopt(p.curl, CURLOPT_USERNAME, s.imap_user);
		curl_easy_setopt(p.curl, CURLOPT_PASSWORD, s.imap_password);
	}
	curl_easy_setopt(p.curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(p.curl, CURLOPT_TIMEOUT,
			 (long)DD_IMAP_FETCH_TIMEOUT_S);
	curl_easy_setopt(p.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(p.curl, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(p.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p.curl, CURLOPT_BUFFERSIZE, 64L * 1024);
	curl_easy_setopt(p.curl, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)s.max_bytes);
	curl_easy_setopt(p.curl, CURLOPT_WRITEFUNCTION, collect);
	rc = poll_claimed(&p, actor, &s, key, owner, &state, st, err);
	curl_easy_cleanup(p.curl);
release:;
	struct dd_err rerr;
	dd_err_clear(&rerr);
	dd_imap_state_release(ctx, key, owner, rc == 0 && st->more, &rerr);
	if (rc < 0) {
		char q[DD_ERR_MSG_MAX + 8];
		dd_log_write(ctx->log, DD_LOG_WARN, DD_SUB_MAIL,
			     "imap poll failed", "status=%d reason=%s",
			     err->status, dd_log_quote(q, sizeof(q), err->msg));
	} else if (st->found || st->uidvalidity_changed) {
		dd_log_write(ctx->log, DD_LOG_INFO, DD_SUB_MAIL, "imap poll",
			     "found=%d stored=%d duplicates=%d failed=%d "
			     "refused=%d vanished=%d mark_errors=%d",
			     st->found, st->stored, st->duplicates, st->failed,
			     st->refused, st->vanished, st->mark_errors);
	}
	return rc;
}
