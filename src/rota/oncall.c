#include "rota/oncall.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/event.h"
#include "store/store.h"

struct day_collect {
	struct dd_oncall *list;
	int count;
};

static int collect(const struct dd_assignment *a, void *arg)
{
	struct day_collect *c = arg;
	for (int i = 0; i < c->count; i++)
		if (c->list[i].duty->id == a->duty->id)
			c->list[i].assignment = *a;
	return 0;
}

/* Name, login and phone of a person: lighter than dd_person_get, which
 * also works out the role. */
static int person_contact(struct dd_ctx *ctx, int64_t id, struct dd_oncall *o,
			  struct dd_err *err)
{
	struct dd_rows *rows;
	if (dd_store_query(
		    ctx->store,
		    "SELECT login, name, phone FROM people WHERE id = $1",
		    (struct dd_param[]){DD_P_INT(id)}, 1, &rows, err) < 0)
		return -1;
	int rc = dd_rows_next(rows, err);
	if (rc > 0) {
		o->login = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 0));
		o->name = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 1));
		o->phone = dd_arena_strdup(ctx->arena, dd_rows_text(rows, 2));
	}
	dd_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* Every duty's window and holder on day, windows' open flag left unset. */
static int day_of_duties(struct dd_ctx *ctx, const struct dd_rota_env *env,
			 int64_t day, struct dd_oncall **out,
			 struct dd_err *err)
{
	struct dd_oncall *list = dd_arena_alloc(
		ctx->arena, sizeof(*list) * (size_t)(env->duty_count + 1));
	if (!list)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "out of memory");
	for (int i = 0; i < env->duty_count; i++) {
		list[i].duty = &env->duties[i];
		list[i].day = day;
		if (dd_window_open_on(&env->cal, &list[i].duty->window, day))
			dd_window_bounds(&env->cal, &list[i].duty->window, day,
					 &list[i].window_start,
					 &list[i].window_end);
	}
	struct day_collect c = {list, env->duty_count};
	if (dd_rota_assignments(ctx, env, day, day, 0, collect, &c, err) < 0)
		return -1;
	for (int i = 0; i < env->duty_count; i++)
		if (list[i].assignment.person_id &&
		    person_contact(ctx, list[i].assignment.person_id, &list[i],
				   err) < 0)
			return -1;
	*out = list;
	return 0;
}

int dd_oncall_at(struct dd_ctx *ctx, const struct dd_rota_env *env,
		 int64_t at_ms, struct dd_oncall **out, struct dd_err *err)
{
	int64_t day = dd_rota_env_today(env, at_ms);
	if (day_of_duties(ctx, env, day, out, err) < 0)
		return -1;
	for (int i = 0; i < env->duty_count; i++) {
		struct dd_oncall *o = &(*out)[i];
		o->open = o->window_start && at_ms >= o->window_start &&
			  at_ms < o->window_end;
	}
	return 0;
}

void dd_oncall_to_json(const struct dd_oncall *o, struct dd_json_out *j)
{
	dd_json_obj_begin(j);
	dd_json_kint(j, "duty_id", o->duty->id);
	dd_json_kstr(j, "duty", o->duty->name);
	dd_json_kbool(j, "takes_p1", o->duty->takes_p1);
	dd_json_kbool(j, "open", o->open);
	if (o->window_start) {
		dd_json_ktime(j, "window_start", o->window_start);
		dd_json_ktime(j, "window_end", o->window_end);
	} else {
		dd_json_knull(j, "window_start");
		dd_json_knull(j, "window_end");
	}
	dd_json_key(j, "person");
	if (o->open && o->assignment.person_id) {
		dd_json_obj_begin(j);
		dd_json_kint(j, "id", o->assignment.person_id);
		dd_json_kstr(j, "login", o->login);
		dd_json_kstr(j, "name", o->name);
		dd_json_kstr(j, "phone", o->phone);
		dd_json_obj_end(j);
		dd_json_kstr(j, "reason",
			     dd_cover_reason_name(o->assignment.reason));
	} else {
		dd_json_null(j);
		dd_json_knull(j, "reason");
	}
	dd_json_obj_end(j);
}

/* ---- the cache ---- */

struct cached_duty {
	struct dd_duty duty; /* id, name, takes_p1 (strings owned here) */
	int64_t window_start, window_end;
	struct dd_assignment assignment;
	char *login, *name, *phone;
};

struct dd_oncall_cache {
	pthread_mutex_t lock;
	int valid;
	int64_t version; /* the change counter it was built at */
	int64_t day;
	const struct dd_tz *tz;
	int count;
	struct cached_duty *duties;
};

struct dd_oncall_cache *dd_oncall_cache_new(void)
{
	struct dd_oncall_cache *c = calloc(1, sizeof(*c));
	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void clear(struct dd_oncall_cache *c)
{
	for (int i = 0; i < c->count; i++) {
		free((char *)c->duties[i].duty.name);
		free(c->duties[i].login);
		free(c->duties[i].name);
		free(c->duties[i].phone);
	}
	free(c->duties);
	c->duties = NULL;
	c->count = 0;
	c->valid = 0;
}

void dd_oncall_cache_free(struct dd_oncall_cache *c)
{
	if (!c)
		return;
	clear(c);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Replace the cache's contents with list (under the lock). */
static void store(struct dd_oncall_cache *c, int64_t version, int64_t day,
		  const struct dd_tz *tz, const struct dd_oncall *list, int n)
{
	clear(c);
	c->duties = calloc((size_t)n + 1, sizeof(*c->duties));
	if (!c->duties)
		return;
	for (int i = 0; i < n; i++) {
		struct cached_duty *d = &c->duties[i];
		d->duty = *list[i].duty;
		d->duty.name = dup_or_null(list[i].duty->name);
		d->duty.description = NULL;
		d->duty.phone = NULL;
		d->window_start = list[i].window_start;
		d->window_end = list[i].window_end;
		d->assignment = list[i].assignment;
		d->assignment.duty = NULL;
		d->login = dup_or_null(list[i].login);
		d->name = dup_or_null(list[i].name);
		d->phone = dup_or_null(list[i].phone);
	}
	c->count = n;
	c->version = version;
	c->day = day;
	c->tz = tz;
	c->valid = 1;
}

/* Copy the cached day into arena memory (under the lock). */
static int load(struct dd_ctx *ctx, struct dd_oncall_cache *c,
		struct dd_oncall **out, int *n)
{
	struct dd_oncall *list = dd_arena_alloc(
		ctx->arena, sizeof(*list) * (size_t)(c->count + 1));
	struct dd_duty *duties = dd_arena_alloc(
		ctx->arena, sizeof(*duties) * (size_t)(c->count + 1));
	if (!list || !duties)
		return -1;
	for (int i = 0; i < c->count; i++) {
		const struct cached_duty *d = &c->duties[i];
		duties[i] = d->duty;
		duties[i].name = dd_arena_strdup(ctx->arena, d->duty.name);
		list[i].duty = &duties[i];
		list[i].day = c->day;
		list[i].window_start = d->window_start;
		list[i].window_end = d->window_end;
		list[i].assignment = d->assignment;
		list[i].assignment.duty = &duties[i];
		list[i].login = dd_arena_strdup(ctx->arena, d->login);
		list[i].name = dd_arena_strdup(ctx->arena, d->name);
		list[i].phone = dd_arena_strdup(ctx->arena, d->phone);
	}
	*out = list;
	*n = c->count;
	return 0;
}

int dd_oncall_lookup(struct dd_ctx *ctx, struct dd_oncall_cache *cache,
		     int64_t at_ms, struct dd_oncall **out, int *count,
		     struct dd_err *err)
{
	int64_t version;
	if (dd_change_version(ctx->store, &version, err) < 0)
		return -1;
	if (cache) {
		int hit = 0;
		pthread_mutex_lock(&cache->lock);
		if (cache->valid && cache->version == version &&
		    dd_tz_local_day(cache->tz, at_ms / 1000) == cache->day)
			hit = load(ctx, cache, out, count) == 0;
		pthread_mutex_unlock(&cache->lock);
		if (hit)
			goto windows;
	}
	struct dd_rota_env env;
	int64_t day;
	if (dd_rota_env_load_at(ctx, at_ms, &env, &day, err) < 0 ||
	    day_of_duties(ctx, &env, day, out, err) < 0)
		return -1;
	*count = env.duty_count;
	if (cache) {
		pthread_mutex_lock(&cache->lock);
		store(cache, version, day, env.tz, *out, *count);
		pthread_mutex_unlock(&cache->lock);
	}
windows:
	for (int i = 0; i < *count; i++) {
		struct dd_oncall *o = &(*out)[i];
		o->open = o->window_start && at_ms >= o->window_start &&
			  at_ms < o->window_end;
	}
	return 0;
}
