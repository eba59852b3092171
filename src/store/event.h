/*
 * event.h - the append-only event log.
 *
 * Every change a person or an integration makes is written here in the
 * same transaction as the change: who, what, when, before and after as
 * JSON. It is the audit history and the feed that notifications and live
 * updates read.
 */
#ifndef DD_STORE_EVENT_H
#define DD_STORE_EVENT_H

#include <stdint.h>

#include "store/store.h"

/* Who made a change: a person (id > 0) or a named integration/system. */
struct dd_actor {
	int64_t person_id; /* 0 when not a person */
	const char *label; /* login, or "cli", "system", "token:NAME" */
};

struct dd_event {
	int64_t id;
	int64_t at;
	int64_t actor_id;
	const char *actor;
	const char *action;	 /* "person.create", "group.member.add", ... */
	const char *object_type; /* "person", "group", "token", ... */
	int64_t object_id;
	const char *before_json; /* NULL when the object did not exist */
	const char *after_json;	 /* NULL when the object was deleted */
};

/* Append one event. Must run inside the transaction of the change it
 * records. Returns 0 or -1 with err filled. */
int dd_event_append(struct dd_store *store, int64_t at,
		    const struct dd_actor *actor, const char *action,
		    const char *object_type, int64_t object_id,
		    const char *before_json, const char *after_json,
		    struct dd_err *err);

/* Raise the change counter and tell every instance's watcher (at
 * commit), for a change that writes no event of its own (a sign-out).
 * dd_event_append does this. Inside a transaction; 0 or -1. */
int dd_change_announce(struct dd_store *store, struct dd_err *err);

/* The change counter: raised by every dd_event_append, so equal values
 * mean nothing was changed in between. 0 or -1. */
int dd_change_version(struct dd_store *store, int64_t *version,
		      struct dd_err *err);

struct dd_event_filter {
	const char *object_type; /* NULL for any */
	int64_t object_id;	 /* 0 for any */
	int64_t since_ms;	 /* inclusive; 0 for no bound */
	int64_t until_ms;	 /* exclusive; 0 for no bound */
	int64_t before_id;	 /* cursor: events older than this id; 0 */
	int limit;
};

/* Call fn for each matching event, newest first. Strings in the event
 * are valid only during the call. fn returns 0 to go on. Returns 0 or -1
 * with err filled. */
int dd_event_list(struct dd_store *store, const struct dd_event_filter *f,
		  int (*fn)(const struct dd_event *ev, void *arg), void *arg,
		  struct dd_err *err);

#endif
