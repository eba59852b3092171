/*
 * propose_bench.c - how long a year's fair proposal takes (bench/propose).
 *
 *   propose_bench DB_URL [PEOPLE [WEEKS [RUNS]]]
 *
 * Built by bench/propose against the release objects (build/obj/, without
 * cli/main.o). On an empty database at DB_URL it loads PEOPLE rota
 * members (default 50), the two duties of the seed, the Bavarian
 * holidays, twelve published weeks of history before the proposal and a
 * handful of absences inside it, then times RUNS times (default 20):
 *
 *   pure   dd_fair_propose on the same input held in memory: the
 *          algorithm alone;
 *   store  dd_rota_env_load plus dd_rota_propose for WEEKS weeks (default
 *          52) from the Monday after next: what POST /api/v1/rota/proposals
 *          and "dutydesk rota propose" do, reading members, the trailing
 *          window's duty days, absences and published weeks.
 *
 * Prints one line per measurement ("pure|store ENGINE median_ms min_ms
 * max_ms") and a check line (paired weeks, spread of duty days). Exits 1
 * on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/ctx.h"
#include "base/date.h"
#include "base/log.h"
#include "base/tz.h"
#include "rota/duty.h"
#include "rota/env.h"
#include "rota/fair.h"
#include "rota/holiday.h"
#include "rota/propose.h"
#include "store/migrate.h"
#include "store/store.h"

#define PEOPLE_MAX 1000
#define RUNS_MAX   1000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, const char *engine, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	double median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	printf("%s %s %.3f %.3f %.3f\n", what, engine, median, t[0], t[n - 1]);
}

static int die(const char *what, const struct dd_err *err)
{
	fprintf(stderr, "propose_bench: %s: %s\n", what, err ? err->msg : "");
	return 1;
}

static int exec(struct dd_store *st, const char *sql, const struct dd_param *p,
		int n, struct dd_err *err)
{
	return dd_store_exec(st, sql, p, n, err) < 0 ? -1 : 0;
}

/* The synthetic organisation; ids[] gets the people's ids. */
static int load(struct dd_ctx *ctx, int people, int64_t first_week, int weeks,
		int64_t *ids, struct dd_err *err)
{
	struct dd_store *st = ctx->store;
	struct dd_actor actor = {0, "bench"};
	int64_t now = dd_ctx_now(ctx);
	if (dd_store_begin(st, err) < 0)
		return -1;
	for (int i = 0; i < people; i++) {
		char login[32], name[64], email[64];
		snprintf(login, sizeof(login), "bench%03d", i);
		snprintf(name, sizeof(name), "Bench Person %03d", i);
		snprintf(email, sizeof(email), "%s@bench.example", login);
		struct dd_param p[] = {DD_P_TEXT(login), DD_P_TEXT(name),
				       DD_P_TEXT(email), DD_P_INT(now)};
		if (dd_store_query_int(
			st,
			"INSERT INTO people (login, name, email, "
			"created_at, updated_at) VALUES ($1, $2, "
			"$3, $4, $4) RETURNING id",
			p, 4, &ids[i], err) < 0)
			goto fail;
		struct dd_param m[] = {DD_P_INT(ids[i]), DD_P_INT(now)};
		if (exec(st,
			 "INSERT INTO rota_members (person_id, in_rotation, "
			 "created_at, updated_at) VALUES ($1, 1, $2, $2)",
			 m, 2, err) < 0)
			goto fail;
	}
	/* Twelve published weeks before the proposal: the trailing window. */
	for (int w = 12; w >= 1; w--) {
		char day[DD_DATE_TEXT_LEN];
		int64_t ws = first_week - 7 * w;
		int a = (2 * w) % people, b = (2 * w + 1) % people;
		dd_date_format(ws, day);
		struct dd_param p[] = {DD_P_TEXT(day), DD_P_INT(ids[a]),
				       DD_P_INT(ids[b]), DD_P_INT(now)};
		if (exec(st,
			 "INSERT INTO week_plans (week_start, first_person, "
			 "second_person, status, created_at, updated_at, "
			 "published_at) VALUES ($1, $2, $3, 'published', $4, "
			 "$4, $4)",
			 p, 4, err) < 0)
			goto fail;
	}
	/* Absences: one person in eight away for two weeks somewhere in
	 * the year. */
	for (int i = 0; i < people; i += 8) {
		char a[DD_DATE_TEXT_LEN], b[DD_DATE_TEXT_LEN];
		int64_t from =
		    first_week + 7 * ((i * 7) % (weeks > 2 ? weeks - 2 : 1));
		dd_date_format(from, a);
		dd_date_format(from + 13, b);
		struct dd_param p[] = {DD_P_INT(ids[i]), DD_P_TEXT(a),
				       DD_P_TEXT(b), DD_P_INT(now)};
		if (exec(st,
			 "INSERT INTO absences (person_id, kind, first_day, "
			 "last_day, created_at) VALUES ($1, 'vacation', $2, "
			 "$3, $4)",
			 p, 4, err) < 0)
			goto fail;
	}
	if (dd_store_commit(st, err) < 0)
		goto fail;
	static const char *const names[] = {"Telephone service",
					    "Technical emergency preparedness"};
	for (int i = 0; i < 2; i++) {
		struct dd_duty d;
		struct dd_duty_input in = {
		    .name = names[i], .slot = i, .slot_set = 1};
		if (dd_duty_create(ctx, &actor, &in, &d, err) < 0)
			return -1;
	}
	int year, month, mday;
	dd_date_from_days(first_week - 7 * 12, &year, &month, &mday);
	for (int y = year; y <= year + 2; y++) {
		int64_t days[16];
		const char *hn[16];
		int n = dd_holidays_bavaria(y, days, hn);
		for (int i = 0; i < n; i++) {
			struct dd_holiday h;
			if (dd_holiday_create(ctx, &actor, days[i], hn[i], &h,
					      err) < 0 &&
			    err->status != 409)
				return -1;
		}
	}
	return 0;
fail:
	dd_store_rollback(st);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: propose_bench DB_URL [PEOPLE [WEEKS "
				"[RUNS]]]\n");
		return 2;
	}
	const char *url = argv[1];
	int people = argc > 2 ? atoi(argv[2]) : 50;
	int weeks = argc > 3 ? atoi(argv[3]) : 52;
	int runs = argc > 4 ? atoi(argv[4]) : 20;
	if (people < 2 || people > PEOPLE_MAX || weeks < 1 ||
	    weeks > DD_PROPOSAL_WEEKS_MAX || runs < 1 || runs > RUNS_MAX) {
		fprintf(stderr,
			"propose_bench: PEOPLE 2-%d, WEEKS 1-%d, RUNS "
			"1-%d\n",
			PEOPLE_MAX, DD_PROPOSAL_WEEKS_MAX, RUNS_MAX);
		return 2;
	}
	const char *engine =
	    strncmp(url, "sqlite:", 7) == 0 ? "sqlite" : "postgresql";

	struct dd_config config;
	struct dd_clock clock;
	struct dd_log log;
	struct dd_arena arena;
	struct dd_tz_cache tz_cache;
	struct dd_ctx ctx = {0};
	struct dd_err err;
	int applied, rc = 1;
	dd_config_defaults(&config);
	dd_clock_init_system(&clock);
	dd_log_init(&log, stderr, &clock);
	dd_arena_init(&arena, DD_LIMIT_ARENA_BYTES);
	dd_tz_cache_init(&tz_cache);
	ctx.config = &config;
	ctx.clock = &clock;
	ctx.log = &log;
	ctx.arena = &arena;
	ctx.tz_cache = &tz_cache;
	if (dd_store_open(url, &ctx.store, &err) < 0) {
		rc = die("open", &err);
		goto out_nostore;
	}
	if (dd_migrate_run(ctx.store, dd_clock_now(&clock), &applied, &err) <
	    0) {
		rc = die("migrate", &err);
		goto out;
	}

	struct dd_rota_env env;
	if (dd_rota_env_load(&ctx, 0, 0, &env, &err) < 0) {
		rc = die("settings", &err);
		goto out;
	}
	int64_t first =
	    dd_date_week_start(dd_rota_env_today(&env, dd_clock_now(&clock))) +
	    14;
	int64_t *ids = calloc((size_t)people, sizeof(int64_t));
	double *t = calloc((size_t)runs, sizeof(double));
	if (!ids || !t) {
		free(ids);
		free(t);
		rc = die("out of memory", NULL);
		goto out;
	}
	if (load(&ctx, people, first, weeks, ids, &err) < 0) {
		rc = die("load", &err);
		goto out_free;
	}
	dd_arena_release(&arena);

	/* store: what the API does. */
	struct dd_proposal p;
	for (int r = 0; r < runs; r++) {
		double t0 = now_ms();
		if (dd_rota_env_load(&ctx, first, first + 7 * weeks - 1, &env,
				     &err) < 0 ||
		    dd_rota_propose(&ctx, &env, first, weeks, &p, &err) < 0) {
			rc = die("propose", &err);
			goto out_free;
		}
		t[r] = now_ms() - t0;
		if (r + 1 < runs)
			dd_arena_release(&arena);
	}
	report("store", engine, t, runs);

	/* The check: every week paired, the spread of duty days. */
	int paired = 0;
	int64_t lo = INT64_MAX, hi = 0;
	for (int w = 0; w < p.weeks; w++)
		paired += p.out[w].status == DD_FAIR_PAIRED;
	for (int i = 0; i < p.people_count; i++) {
		if (p.final_days[i] < lo)
			lo = p.final_days[i];
		if (p.final_days[i] > hi)
			hi = p.final_days[i];
	}

	/* pure: the same input from memory, the algorithm alone. */
	struct dd_fair_input in = {
	    .cal = &env.cal,
	    .first_week = first,
	    .weeks = weeks,
	    .people = p.people,
	    .people_count = p.people_count,
	};
	struct dd_fair_absence abs[PEOPLE_MAX / 8 + 1];
	int nabs = 0;
	for (int i = 0; i < people; i += 8) {
		int64_t from =
		    first + 7 * ((i * 7) % (weeks > 2 ? weeks - 2 : 1));
		abs[nabs++] = (struct dd_fair_absence){ids[i], from, from + 13};
	}
	in.absences = abs;
	in.absence_count = nabs;
	struct dd_fair_week *out =
	    dd_arena_alloc(&arena, sizeof(*out) * (size_t)weeks);
	int64_t *before = dd_arena_alloc(
	    &arena, sizeof(int64_t) * (size_t)(weeks * people + 1));
	int64_t *final =
	    dd_arena_alloc(&arena, sizeof(int64_t) * (size_t)(people + 1));
	if (!out || !before || !final) {
		rc = die("out of memory", NULL);
		goto out_free;
	}
	for (int r = 0; r < runs; r++) {
		double t0 = now_ms();
		if (dd_fair_propose(&in, out, before, final) < 0) {
			rc = die("dd_fair_propose", NULL);
			goto out_free;
		}
		t[r] = now_ms() - t0;
	}
	report("pure", engine, t, runs);
	printf("check %s people=%d weeks=%d paired=%d days_min=%lld "
	       "days_max=%lld\n",
	       engine, p.people_count, p.weeks, paired, (long long)lo,
	       (long long)hi);
	rc = 0;
out_free:
	free(ids);
	free(t);
out:
	dd_store_close(ctx.store);
out_nostore:
	dd_arena_release(&arena);
	dd_tz_cache_release(&tz_cache);
	dd_log_release(&log);
	return rc;
}
