/*
 * feed.h - iCalendar feeds of the rota under secret URLs: one person's
 * duty days, or one duty's days with who holds them. Calendar apps cannot
 * sign in, so the URL itself is the credential: "/ical/SECRET.ics" with
 * 256 random bits, of which only the digest is stored (base/secret.h),
 * like API tokens. A feed is shown its secret once, when it is made, and
 * stops answering when revoked or when its owner is deactivated.
 *
 * The calendar is built on every request from the rota as it stands
 * (published weeks, swaps, replacements, sick cover), from four weeks
 * back to 26 weeks ahead, so a change shows at the client's next poll.
 */
#ifndef DD_ROTA_FEED_H
#define DD_ROTA_FEED_H

#include <stdint.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/json_out.h"
#include "base/secret.h"
#include "store/event.h"

/* The days a feed covers, around today. */
#define DD_FEED_DAYS_BACK  28
#define DD_FEED_DAYS_AHEAD 182

enum dd_feed_kind {
	DD_FEED_PERSON = 1,
	DD_FEED_DUTY = 2,
};

struct dd_feed {
	int64_t id;
	enum dd_feed_kind kind;
	int64_t object_id; /* the person or the duty */
	int64_t owner_id;  /* who made it */
	int64_t created_at;
	int64_t revoked_at;	 /* 0 while it answers */
	const char *object_name; /* the person's or duty's name; arena */
};

/* "person" / "duty", and back (0, or -1 for another word). */
const char *dd_feed_kind_name(enum dd_feed_kind kind);
int dd_feed_kind_parse(const char *text, enum dd_feed_kind *kind);

/*
 * Make a feed of kind for object_id, owned by owner_id. secret receives
 * the feed's secret, which is not stored and cannot be shown again; the
 * feed's URL is "/ical/" secret ".ics". 400 when the person or duty does
 * not exist. Writes the event "calendar_feed.create".
 */
int dd_feed_create(struct dd_ctx *ctx, const struct dd_actor *actor,
		   enum dd_feed_kind kind, int64_t object_id, int64_t owner_id,
		   char secret[DD_SECRET_TEXT_LEN], struct dd_feed *out,
		   struct dd_err *err);
/* 404 for an unknown id (revoked feeds are found). */
int dd_feed_get(struct dd_ctx *ctx, int64_t id, struct dd_feed *out,
		struct dd_err *err);
/* Feeds of owner_id that still answer, in id order after after_id, at
 * most limit. Strings live in ctx's arena. */
int dd_feed_list(struct dd_ctx *ctx, int64_t owner_id, int64_t after_id,
		 int limit, int (*fn)(const struct dd_feed *f, void *arg),
		 void *arg, struct dd_err *err);
/* Revoke: the URL stops answering at once. Revoking a revoked feed
 * changes nothing. Writes the event "calendar_feed.revoke". */
int dd_feed_revoke(struct dd_ctx *ctx, const struct dd_actor *actor, int64_t id,
		   struct dd_err *err);

/* The feed whose secret is secret; 404 (without saying why) when there
 * is none, it is revoked, or its owner or object is gone. */
int dd_feed_find(struct dd_ctx *ctx, const char *secret, struct dd_feed *out,
		 struct dd_err *err);

/* Write feed's calendar (text/calendar) into out. */
int dd_feed_render(struct dd_ctx *ctx, const struct dd_feed *feed,
		   struct dd_buf *out, struct dd_err *err);

void dd_feed_to_json(const struct dd_feed *f, struct dd_json_out *j);

#endif
