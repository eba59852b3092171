/*
 * rules.c - the pure part of assignment rules: matching, the decision
 * over an ordered list, and the normalised text they are stored as.
 * Storage and the call from ticket creation are in rule_store.c.
 */
#include "ticket/rules.h"

#include <stdlib.h>
#include <string.h>

#include "ticket/search_text.h"

static const char *const channel_names[] = {"phone", "email", "web", "api"};
#define CHANNEL_COUNT 4

unsigned dd_rule_channel_bit(const char *channel)
{
	for (int i = 0; i < CHANNEL_COUNT; i++)
		if (channel && strcmp(channel, channel_names[i]) == 0)
			return 1u << i;
	return 0;
}

int dd_rule_word_normalise(const char *word, char *out, size_t cap,
			   struct dd_err *err)
{
	struct dd_buf norm;
	int rc = 0;
	dd_buf_init(&norm, 4 * DD_RULE_WORD_MAX);
	if (!word || dd_search_normalise(word, &norm) < 0) {
		rc = dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				"a subject word has at most %d characters",
				DD_RULE_WORD_MAX);
		goto out;
	}
	/* The normaliser already folds runs of separators into one space;
	 * trim the ends. */
	const char *s = dd_buf_str(&norm);
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0) {
		rc = dd_err_set(err, 400, DD_PROBLEM_VALIDATION,
				"subject word '%.40s' has no letters or digits",
				word);
		goto out;
	}
	if (n > DD_RULE_WORD_MAX || n >= cap) {
		rc = dd_err_set(err, 400, DD_PROBLEM_LIMIT,
				"a subject word has at most %d characters",
				DD_RULE_WORD_MAX);
		goto out;
	}
	memcpy(out, s, n);
	out[n] = '\0';
out:
	dd_buf_release(&norm);
	return rc;
}

int dd_rule_subject_has(const char *subject, const char *word)
{
	size_t n = strlen(word);
	if (!subject || n == 0)
		return 0;
	for (const char *p = subject; (p = strstr(p, word)) != NULL; p++)
		if (p == subject || p[-1] == ' ')
			return 1;
	return 0;
}

int dd_rule_matches(const struct dd_rule_when *w, const struct dd_rule_facts *f)
{
	if (w->org_count) {
		int found = 0;
		for (int i = 0; i < w->org_count && !found; i++)
			found = f->organisation_id &&
				w->org_ids[i] == f->organisation_id;
		if (!found)
			return 0;
	}
	if (w->channels && !(w->channels & dd_rule_channel_bit(f->channel)))
		return 0;
	if (w->priorities && (f->priority < 1 || f->priority > 4 ||
			      !(w->priorities & (1u << f->priority))))
		return 0;
	if (w->word_count) {
		int found = 0;
		for (int i = 0; i < w->word_count && !found; i++)
			found = dd_rule_subject_has(f->subject, w->words[i]);
		if (!found)
			return 0;
	}
	return 1;
}

void dd_rules_decide(const struct dd_rule *rules, int n,
		     struct dd_rule_facts *facts,
		     const struct dd_rule_keep *keep,
		     struct dd_rule_outcome *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < n && out->count < DD_RULES_MAX; i++) {
		const struct dd_rule *r = &rules[i];
		if (!r->enabled || !dd_rule_matches(&r->when, facts))
			continue;
		struct dd_rule_then did = {0};
		if (r->then.queue_id && !keep->queue)
			did.queue_id = out->set.queue_id = r->then.queue_id;
		if (r->then.owner_id && !keep->owner)
			did.owner_id = out->set.owner_id = r->then.owner_id;
		if (r->then.priority && !keep->priority) {
			did.priority = out->set.priority = r->then.priority;
			facts->priority = r->then.priority;
		}
		out->index[out->count] = i;
		out->applied[out->count] = did;
		out->count++;
		if (!r->cont)
			break;
	}
}

/* ---- the stored text ---- */

int dd_rule_encode(const struct dd_rule *r, struct dd_buf *conditions,
		   struct dd_buf *actions)
{
	struct dd_json_out j;
	const struct dd_rule_when *w = &r->when;
	dd_json_out_init(&j, conditions);
	dd_json_obj_begin(&j);
	if (w->org_count) {
		dd_json_key(&j, "organisation_id");
		dd_json_arr_begin(&j);
		for (int i = 0; i < w->org_count; i++)
			dd_json_int(&j, w->org_ids[i]);
		dd_json_arr_end(&j);
	}
	if (w->channels) {
		dd_json_key(&j, "channel");
		dd_json_arr_begin(&j);
		for (int i = 0; i < CHANNEL_COUNT; i++)
			if (w->channels & (1u << i))
				dd_json_str(&j, channel_names[i]);
		dd_json_arr_end(&j);
	}
	if (w->priorities) {
		dd_json_key(&j, "priority");
		dd_json_arr_begin(&j);
		for (int p = 1; p <= 4; p++)
			if (w->priorities & (1u << p))
				dd_json_int(&j, p);
		dd_json_arr_end(&j);
	}
	if (w->word_count) {
		dd_json_key(&j, "subject_words");
		dd_json_arr_begin(&j);
		for (int i = 0; i < w->word_count; i++)
			dd_json_str(&j, w->words[i]);
		dd_json_arr_end(&j);
	}
	dd_json_obj_end(&j);

	dd_json_out_init(&j, actions);
	dd_json_obj_begin(&j);
	if (r->then.queue_id)
		dd_json_kint(&j, "queue_id", r->then.queue_id);
	if (r->then.owner_id)
		dd_json_kint(&j, "owner_id", r->then.owner_id);
	if (r->then.priority)
		dd_json_kint(&j, "priority", r->then.priority);
	if (r->cont)
		dd_json_kbool(&j, "continue", 1);
	dd_json_obj_end(&j);
	return conditions->overflow || actions->overflow ? -1 : 0;
}

/* A strict reader of the JSON dd_rule_encode writes: objects of known
 * keys whose values are integers, booleans, strings, or arrays of
 * integers or strings. */
struct reader {
	const char *p;
	struct dd_arena *arena;
};

static void skip_ws(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
		r->p++;
}

static int eat(struct reader *r, char c)
{
	skip_ws(r);
	if (*r->p != c)
		return -1;
	r->p++;
	return 0;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A string into buf (cap bytes), escapes decoded. */
static int read_string(struct reader *r, char *buf, size_t cap)
{
	size_t n = 0;
	if (eat(r, '"') < 0)
		return -1;
	while (*r->p != '"') {
		unsigned char c = (unsigned char)*r->p;
		if (c == '\0' || c < 0x20 || n + 4 >= cap)
			return -1;
		if (c != '\\') {
			buf[n++] = (char)c;
			r->p++;
			continue;
		}
		r->p++;
		char e = *r->p++;
		const char *simple = strchr("\"\\/", e);
		if (e && simple) {
			buf[n++] = e;
		} else if (e == 'u') {
			unsigned cp;
			/* Basic plane only, no surrogates: the writer escapes
			 * nothing else. */
			if (hex4(r->p, &cp) < 0 || cp == 0 ||
			    (cp >= 0xd800 && cp <= 0xdfff))
				return -1;
			r->p += 4;
			if (cp < 0x80) {
				buf[n++] = (char)cp;
			} else if (cp < 0x800) {
				buf[n++] = (char)(0xc0 | (cp >> 6));
				buf[n++] = (char)(0x80 | (cp & 0x3f));
			} else {
				buf[n++] = (char)(0xe0 | (cp >> 12));
				buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				buf[n++] = (char)(0x80 | (cp & 0x3f));
			}
		} else {
			return -1;
		}
	}
	r->p++;
	buf[n] = '\0';
	return 0;
}

static int read_int(struct reader *r, int64_t *out)
{
	skip_ws(r);
	char *end;
	if (!(*r->p >= '0' && *r->p <= '9') && *r->p != '-')
		return -1;
	long long v = strtoll(r->p, &end, 10);
	if (end == r->p)
		return -1;
	r->p = end;
	*out = v;
	return 0;
}

static int read_bool(struct reader *r, int *out)
{
	skip_ws(r);
	if (strncmp(r->p, "true", 4) == 0) {
		r->p += 4;
		*out = 1;
	} else if (strncmp(r->p, "false", 5) == 0) {
		r->p += 5;
		*out = 0;
	} else {
		return -1;
	}
	return 0;
}

/* An array of integers or strings: fn(item) for each. */
struct item {
	int64_t i;
	const char *s;
};

static int read_array(struct reader *r, int strings, int max,
		      int (*fn)(const struct item *it, void *arg), void *arg)
{
	int count = 0;
	if (eat(r, '[') < 0)
		return -1;
	skip_ws(r);
	if (*r->p == ']') {
		r->p++;
		return 0;
	}
	for (;;) {
		struct item it = {0};
		char buf[4 * DD_RULE_WORD_MAX + 8];
		if (++count > max)
			return -1;
		if (strings) {
			if (read_string(r, buf, sizeof(buf)) < 0)
				return -1;
			it.s = buf;
		} else if (read_int(r, &it.i) < 0) {
			return -1;
		}
		if (fn(&it, arg) < 0)
			return -1;
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		return eat(r, ']');
	}
}

struct when_arg {
	struct dd_rule_when *w;
	struct dd_arena *arena;
};

static int add_org(const struct item *it, void *arg)
{
	struct dd_rule_when *w = ((struct when_arg *)arg)->w;
	if (it->i <= 0 || w->org_count >= DD_RULE_LIST_MAX)
		return -1;
	w->org_ids[w->org_count++] = it->i;
	return 0;
}

static int add_channel(const struct item *it, void *arg)
{
	struct dd_rule_when *w = ((struct when_arg *)arg)->w;
	unsigned bit = dd_rule_channel_bit(it->s);
	if (!bit)
		return -1;
	w->channels |= bit;
	return 0;
}

static int add_priority(const struct item *it, void *arg)
{
	struct dd_rule_when *w = ((struct when_arg *)arg)->w;
	if (it->i < 1 || it->i > 4)
		return -1;
	w->priorities |= 1u << it->i;
	return 0;
}

static int add_word(const struct item *it, void *arg)
{
	struct when_arg *a = arg;
	struct dd_rule_when *w = a->w;
	if (!it->s[0] || w->word_count >= DD_RULE_LIST_MAX)
		return -1;
	const char *copy = dd_arena_strdup(a->arena, it->s);
	if (!copy)
		return -1;
	w->words[w->word_count++] = copy;
	return 0;
}

static int read_conditions(struct reader *r, struct dd_rule_when *w)
{
	struct when_arg a = {w, r->arena};
	if (eat(r, '{') < 0)
		return -1;
	skip_ws(r);
	if (*r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		char key[32];
		int rc;
		if (read_string(r, key, sizeof(key)) < 0 || eat(r, ':') < 0)
			return -1;
		if (strcmp(key, "organisation_id") == 0)
			rc = read_array(r, 0, DD_RULE_LIST_MAX, add_org, &a);
		else if (strcmp(key, "channel") == 0)
			rc = read_array(r, 1, CHANNEL_COUNT, add_channel, &a);
		else if (strcmp(key, "priority") == 0)
			rc = read_array(r, 0, 4, add_priority, &a);
		else if (strcmp(key, "subject_words") == 0)
			rc = read_array(r, 1, DD_RULE_LIST_MAX, add_word, &a);
		else
			return -1;
		if (rc < 0)
			return -1;
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		return eat(r, '}');
	}
}

static int read_actions(struct reader *r, struct dd_rule *rule)
{
	if (eat(r, '{') < 0)
		return -1;
	skip_ws(r);
	if (*r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		char key[32];
		int64_t v = 0;
		if (read_string(r, key, sizeof(key)) < 0 || eat(r, ':') < 0)
			return -1;
		if (strcmp(key, "continue") == 0) {
			if (read_bool(r, &rule->cont) < 0)
				return -1;
		} else if (read_int(r, &v) < 0 || v <= 0) {
			return -1;
		} else if (strcmp(key, "queue_id") == 0) {
			rule->then.queue_id = v;
		} else if (strcmp(key, "owner_id") == 0) {
			rule->then.owner_id = v;
		} else if (strcmp(key, "priority") == 0 && v <= 4) {
			rule->then.priority = (int)v;
		} else {
			return -1;
		}
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		return eat(r, '}');
	}
}

int dd_rule_decode(struct dd_arena *arena, const char *conditions,
		   const char *actions, struct dd_rule *rule)
{
	struct reader r = {conditions ? conditions : "", arena};
	memset(&rule->when, 0, sizeof(rule->when));
	memset(&rule->then, 0, sizeof(rule->then));
	rule->cont = 0;
	if (read_conditions(&r, &rule->when) < 0)
		return -1;
	skip_ws(&r);
	if (*r.p)
		return -1;
	r.p = actions ? actions : "";
	if (read_actions(&r, rule) < 0)
		return -1;
	skip_ws(&r);
	return *r.p ? -1 : 0;
}

void dd_rule_to_json(const struct dd_rule *r, struct dd_json_out *j)
{
	const struct dd_rule_when *w = &r->when;
	dd_json_obj_begin(j);
	dd_json_kint(j, "id", r->id);
	dd_json_kint(j, "position", r->position);
	dd_json_kstr(j, "name", r->name);
	dd_json_kbool(j, "enabled", r->enabled);
	dd_json_kbool(j, "continue", r->cont);
	dd_json_key(j, "conditions");
	dd_json_obj_begin(j);
	dd_json_key(j, "organisation_id");
	dd_json_arr_begin(j);
	for (int i = 0; i < w->org_count; i++)
		dd_json_int(j, w->org_ids[i]);
	dd_json_arr_end(j);
	dd_json_key(j, "channel");
	dd_json_arr_begin(j);
	for (int i = 0; i < CHANNEL_COUNT; i++)
		if (w->channels & (1u << i))
			dd_json_str(j, channel_names[i]);
	dd_json_arr_end(j);
	dd_json_key(j, "priority");
	dd_json_arr_begin(j);
	for (int p = 1; p <= 4; p++)
		if (w->priorities & (1u << p))
			dd_json_int(j, p);
	dd_json_arr_end(j);
	dd_json_key(j, "subject_words");
	dd_json_arr_begin(j);
	for (int i = 0; i < w->word_count; i++)
		dd_json_str(j, w->words[i]);
	dd_json_arr_end(j);
	dd_json_obj_end(j);
	dd_json_key(j, "actions");
	dd_json_obj_begin(j);
	dd_json_kid(j, "queue_id", r->then.queue_id);
	dd_json_kid(j, "owner_id", r->then.owner_id);
	dd_json_kid(j, "priority", r->then.priority);
	dd_json_obj_end(j);
	dd_json_kint(j, "version", r->version);
	dd_json_ktime(j, "created_at", r->created_at);
	dd_json_ktime(j, "updated_at", r->updated_at);
	dd_json_obj_end(j);
}
