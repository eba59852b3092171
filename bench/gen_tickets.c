/*
 * gen_tickets.c - a help desk's worth of tickets for the benchmarks
 * (bench/tickets).
 *
 *   gen_tickets DB_URL [TICKETS [ARTICLES [SEED]]]
 *
 * Built by bench/tickets against the release objects (build/obj/, without
 * cli/main.o). On a migrated database (the demo loaded or not) it adds
 * 500 customer organisations, 3,000 contacts, three queues when there are
 * none, and TICKETS tickets (default 100,000) with ARTICLES articles
 * between them (default 1,000,000, ten a ticket on average, one to
 * nineteen): support text in German (three tickets in five) and English
 * made from word lists, with products, faults, error codes, host names,
 * places and people, a long tail of compound words so that search terms
 * have realistic selectivity, greetings, signatures and quoted replies.
 * Every ticket and article gets its search document, normalised by
 * ticket/search_text.c exactly as dd_ticket_index does, and every ticket
 * its one search document of all of them (ticket/search_index.h), so
 * the full-text index is the one the server builds.
 *
 * The output depends only on SEED (default 1) and the counts: instants
 * are spread over the two years before 2026-11-01 00:00 UTC, not the real
 * clock. Rows are written through the store with multi-row INSERTs in
 * transactions of 2,000 tickets; events are not written (this is a bulk
 * load, not changes people made). On PostgreSQL the GIN index of the
 * tickets' search documents is dropped for the load and built again
 * after it from its definition (so as the migrations made it), and the
 * identity sequences are moved past the ids written; on SQLite the FTS5
 * index is merged into one segment. Ends with ANALYZE.
 *
 * Prints what it wrote, how long it took (rows, then with the indexes)
 * and the database's size as "gen ENGINE TICKETS ARTICLES DOCS
 * ROWS_SECONDS TOTAL_SECONDS BYTES FIRST_ID LAST_ID"; exits 1 on
 * failure.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/ctx.h"
#include "base/log.h"
#include "store/migrate.h"
#include "store/store.h"
#include "ticket/search_index.h"
#include "ticket/search_text.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* 2026-11-01T00:00:00Z: the newest instant written. */
#define END_MS	1793491200000LL
#define DAY_MS	(86400LL * 1000)
#define SPAN_MS (730 * DAY_MS)

#define ORGS	    500
#define CONTACTS    3000
#define TICKETS_MAX 10000000
/* Tickets per transaction. */
#define TX_TICKETS 2000
/* An article body is built in a buffer this big (bodies are ~1 KiB). */
#define BODY_MAX 8192
/* per + 1 + 9 at most, for up to 20 articles a ticket on average. */
#define ARTICLES_PER_TICKET_MAX 32

/* ---- randomness ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static double unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* Skewed to the front of [0, n): index 0 is the most frequent, the tail
 * long (a rough Zipf law, as words are used). */
static int zipf(int n)
{
	int i = (int)(n * pow(unit(), 2.6));
	return i < n ? i : n - 1;
}

static int chance(int percent)
{
	return pick(100) < percent;
}

/* A milder skew for products: the printer is common, not everything. */
static int skewed(int n, double power)
{
	int i = (int)(n * pow(unit(), power));
	return i < n ? i : n - 1;
}

/* ---- word lists ---- */

static const char *const de_products[] = {
	"der Drucker",
	"der VPN-Client",
	"Outlook",
	"der Exchange-Server",
	"die Firewall",
	"das WLAN",
	"die Telefonanlage",
	"SAP",
	"DATEV",
	"die Citrix-Sitzung",
	"der Terminalserver",
	"mein Laptop",
	"der Monitor",
	"die Dockingstation",
	"der Scanner",
	"das Netzlaufwerk",
	"der Fileserver",
	"die Datensicherung",
	"das Active Directory",
	"Teams",
	"SharePoint",
	"der Webshop",
	"das ERP-System",
	"die Warenwirtschaft",
	"die Zeiterfassung",
	"das Kassensystem",
	"der Switch im Keller",
	"der Router",
	"das Headset",
	"das Diensthandy",
	"der Lizenzserver",
	"die Datenbank",
	"das Rechnungsportal",
	"der Etikettendrucker",
	"die Videokonferenz",
	"das Kundenportal",
};
static const char *const en_products[] = {
	"the printer",
	"the VPN client",
	"Outlook",
	"the mail server",
	"the firewall",
	"the Wi-Fi",
	"the phone system",
	"SAP",
	"the Citrix session",
	"my laptop",
	"the monitor",
	"the docking station",
	"the scanner",
	"the network drive",
	"the file server",
	"the backup job",
	"Active Directory",
	"Teams",
	"SharePoint",
	"the web shop",
	"the ERP system",
	"time tracking",
	"the POS terminal",
	"the switch",
	"the router",
	"the headset",
	"the company phone",
	"the license server",
	"the database",
	"the invoice portal",
	"the label printer",
	"the video call",
	"the customer portal",
};
static const char *const de_faults[] = {
	"funktioniert nicht mehr",   "startet nicht",
	"ist extrem langsam",	     "bricht ständig ab",
	"meldet einen Fehler",	     "ist nicht erreichbar",
	"hat eine Störung",	     "fragt ständig nach dem Kennwort",
	"druckt nur leere Seiten",   "hängt sich beim Anmelden auf",
	"synchronisiert nicht",	     "lässt sich nicht installieren",
	"stürzt nach dem Update ab", "zeigt falsche Daten an",
	"verbindet sich nicht",	     "ist seit dem Neustart weg",
};
static const char *const en_faults[] = {
	"does not work anymore",
	"will not start",
	"is extremely slow",
	"keeps disconnecting",
	"shows an error",
	"is unreachable",
	"has an outage",
	"keeps asking for the password",
	"prints blank pages",
	"freezes at login",
	"does not sync",
	"cannot be installed",
	"crashes after the update",
	"shows wrong data",
	"will not connect",
	"is gone since the restart",
};
/* Compound nouns: prefix x suffix, used with a Zipf law. */
static const char *const de_pre[] = {
	"Netzwerk",	  "Drucker",	 "Server",	  "Benutzer",
	"Kunden",	  "Lizenz",	 "Daten",	  "Speicher",
	"Zugangs",	  "Sicherheits", "Rechnungs",	  "Bestell",
	"Lager",	  "Mail",	 "Telefon",	  "Update",
	"Konfigurations", "Passwort",	 "System",	  "Anmelde",
	"Projekt",	  "Wartungs",	 "Ersatz",	  "Fehler",
	"Verbindungs",	  "Zertifikats", "Speicherplatz", "Bildschirm",
	"Tastatur",	  "Akku",
};
static const char *const de_suf[] = {
	"konto",   "problem",	"fehler",	 "einstellung", "verwaltung",
	"zugang",  "protokoll", "warteschlange", "karte",	"treiber",
	"dienst",  "datei",	"ordner",	 "vertrag",	"nummer",
	"meldung", "prüfung",	"sperre",	 "kontingent",	"richtlinie",
	"vorlage", "export",	"import",	 "liste",	"bericht",
	"gruppe",  "rolle",	"adresse",	 "kabel",	"modul",
};
static const char *const en_pre[] = {
	"network",     "printer",	"server",    "user",	 "customer",
	"license",     "data",		"storage",   "access",	 "security",
	"invoice",     "order",		"warehouse", "mail",	 "phone",
	"update",      "configuration", "password",  "system",	 "login",
	"project",     "maintenance",	"spare",     "error",	 "connection",
	"certificate", "disk",		"screen",    "keyboard", "battery",
};
static const char *const en_suf[] = {
	"account", "issue",  "setting", "queue",    "card",	"driver",
	"service", "file",   "folder",	"contract", "number",	"message",
	"check",   "lock",   "quota",	"policy",   "template", "export",
	"import",  "list",   "report",	"group",    "role",	"address",
	"cable",   "module", "log",	"backup",   "profile",	"token",
};
static const char *const first_names[] = {
	"Anna",	  "Thomas",  "Sabine", "Michael", "Julia",   "Stefan",
	"Katrin", "Andreas", "Petra",  "Markus",  "Claudia", "Jan",
	"Laura",  "Tobias",  "Monika", "Florian", "Sarah",   "Daniel",
	"Emma",	  "Oliver",  "Hannah", "Lukas",	  "Mia",     "Jonas",
	"James",  "Emily",   "David",  "Olivia",  "Robert",  "Sophie",
};
static const char *const last_names[] = {
	"Müller",  "Schmidt",  "Schneider", "Fischer",	"Weber",
	"Meyer",   "Wagner",   "Becker",    "Schulz",	"Hoffmann",
	"Schäfer", "Koch",     "Bauer",	    "Richter",	"Klein",
	"Wolf",	   "Schröder", "Neumann",   "Schwarz",	"Zimmermann",
	"Braun",   "Krüger",   "Hofmann",   "Hartmann", "Lange",
	"Schmitt", "Werner",   "Krause",    "Meier",	"Lehmann",
	"Smith",   "Jones",    "Taylor",    "Brown",	"Wilson",
	"Evans",   "Thomas",   "Roberts",   "Walker",	"Wright",
};
static const char *const branches[] = {
	"Logistik",	"Maschinenbau",	  "Immobilien", "Steuerberatung",
	"Bau",		"Medien",	  "Handel",	"Pharma",
	"Versicherung", "Elektrotechnik", "Reisen",	"Lebensmittel",
	"Automotive",	"Software",	  "Energie",	"Textil",
	"Möbel",	"Druckerei",	  "Praxis",	"Kanzlei",
};
static const char *const legal_forms[] = {"GmbH", "AG", "GmbH & Co. KG",
					  "e.K."};
static const char *const places[] = {
	"München", "Hamburg",	 "Berlin",   "Frankfurt", "Stuttgart",
	"Köln",	   "Düsseldorf", "Nürnberg", "Augsburg",  "Regensburg",
	"Leipzig", "Dresden",	 "Hannover", "Bremen",	  "Würzburg",
};
static const char *const sites[] = {"muc", "ham", "ber", "fra",
				    "str", "koe", "dus", "nue"};
static const char *const de_when[] = {
	"seit heute Morgen", "seit gestern Abend",  "seit dem letzten Update",
	"seit Montag",	     "seit ca. 10 Uhr",	    "immer wieder",
	"nach dem Neustart", "seit der Umstellung", "sporadisch",
};
static const char *const en_when[] = {
	"Since this morning", "Since last night",    "Since the last update",
	"Since Monday",	      "Since about 10 am",   "Every now and then",
	"After the restart",  "Since the migration", "Sporadically",
};
static const char *const tags[] = {
	"hardware", "software", "netzwerk", "vpn",     "drucker", "mail",
	"sap",	    "lizenz",	"rechnung", "telefon", "backup",  "security",
	"vip",	    "wartung",	"rollout",  "remote",
};
static const char *const de_subject_fmt[] = {
	"%P %F",
	"Störung: %P %F",
	"%P %F (%L)",
	"Dringend: %P %F",
	"Problem mit %X",
	"Frage zu %X",
	"%X: Fehler %E",
	"Bitte um Rückruf wegen %X",
	"Anfrage: neuer Zugang für %N",
	"Rechnung %D – Rückfrage",
};
static const char *const en_subject_fmt[] = {
	"%P %F",
	"Outage: %P %F",
	"%P %F (%L office)",
	"Urgent: %P %F",
	"Problem with the %X",
	"Question about the %X",
	"%X: error %E",
	"Please call back about the %X",
	"Request: new access for %N",
	"Invoice %D – query",
};
static const char *const de_sentences[] = {
	"%P %F, %W.",
	"Wir bekommen die Fehlermeldung %E, wenn wir %P öffnen.",
	"Betroffen sind alle Kollegen am Standort %L.",
	"Betroffen ist nur der Rechner %H.",
	"Ein Neustart hat leider nichts gebracht.",
	"Können Sie sich das bitte per Fernwartung ansehen?",
	"Die %X scheint nicht mehr zu stimmen.",
	"Laut Protokoll auf %H tritt der Fehler %E seit %T Uhr auf.",
	"Ich habe die %X bereits geprüft, dort ist alles in Ordnung.",
	"Das ist für uns sehr dringend, da die Produktion steht.",
	"Bitte rufen Sie mich unter 089 %D zurück.",
	"Unsere Kundennummer ist %D.",
	"Im Anhang finden Sie einen Screenshot der %X.",
	"Der Fehler lässt sich jederzeit reproduzieren.",
	"Wir haben die %X zurückgesetzt und den Dienst neu gestartet.",
	"Die Ursache war eine abgelaufene %X auf %H.",
	"Ich habe %N gebeten, die %X zu aktualisieren.",
	"Bitte prüfen Sie, ob das Problem jetzt behoben ist.",
	"Wir melden uns, sobald wir mehr wissen.",
	"Der Techniker kommt am %Y zwischen 9 und 12 Uhr vorbei.",
	"Die neue %X ist eingerichtet und getestet.",
	"Leider ist die Störung wieder aufgetreten.",
	"Bei anderen Kunden ist das Problem nicht bekannt.",
	"Das Update auf Version %V hat das Problem behoben.",
};
static const char *const en_sentences[] = {
	"%W %P %F.",
	"We get the error %E when we open %P.",
	"Everyone at the %L site is affected.",
	"Only the machine %H is affected.",
	"Restarting did not help, unfortunately.",
	"Could you please take a look via remote support?",
	"The %X does not seem to be right anymore.",
	"According to the log on %H the error %E appears since %T.",
	"I already checked the %X, everything looks fine there.",
	"This is very urgent for us because production is down.",
	"Please call me back at +49 89 %D.",
	"Our customer number is %D.",
	"Please find a screenshot of the %X attached.",
	"The error can be reproduced at any time.",
	"We reset the %X and restarted the service.",
	"The cause was an expired %X on %H.",
	"I asked %N to update the %X.",
	"Please check whether the problem is solved now.",
	"We will get back to you as soon as we know more.",
	"The technician will come by on %Y between 9 and 12.",
	"The new %X is set up and tested.",
	"Unfortunately the outage happened again.",
	"Other customers do not report this problem.",
	"The update to version %V fixed the problem.",
};
static const char *const de_weekdays[] = {"Montag", "Dienstag", "Mittwoch",
					  "Donnerstag", "Freitag"};
static const char *const en_weekdays[] = {"Monday", "Tuesday", "Wednesday",
					  "Thursday", "Friday"};

struct lang {
	const char *const *products,
		*const *faults,
			*const *pre,
				*const *suf,
					*const *when,
						*const *subjects,
							*const *sentences,
								*const *weekdays;
	int n_products, n_faults, n_pre, n_suf, n_when, n_subjects, n_sentences;
	const char *hello_customer[3], *hello_support[3], *bye[3], *quote;
	int compound_space; /* English compounds are two words */
};

static const struct lang de = {
	de_products,
	de_faults,
	de_pre,
	de_suf,
	de_when,
	de_subject_fmt,
	de_sentences,
	de_weekdays,
	N(de_products),
	N(de_faults),
	N(de_pre),
	N(de_suf),
	N(de_when),
	N(de_subject_fmt),
	N(de_sentences),
	{"Hallo zusammen,", "Sehr geehrte Damen und Herren,", "Guten Tag,"},
	{"Hallo %N,", "Sehr geehrte/r %N,", "Guten Tag %N,"},
	{"Viele Grüße", "Mit freundlichen Grüßen", "Danke und Gruß"},
	"schrieb:",
	0,
};
static const struct lang en = {
	en_products,
	en_faults,
	en_pre,
	en_suf,
	en_when,
	en_subject_fmt,
	en_sentences,
	en_weekdays,
	N(en_products),
	N(en_faults),
	N(en_pre),
	N(en_suf),
	N(en_when),
	N(en_subject_fmt),
	N(en_sentences),
	{"Hello,", "Dear support team,", "Hi all,"},
	{"Hello %N,", "Dear %N,", "Hi %N,"},
	{"Best regards", "Kind regards", "Thanks and regards"},
	"wrote:",
	1,
};

static int product_index(const struct lang *l)
{
	return skewed(l->n_products, 1.6);
}

/* ---- text ---- */

struct text {
	char *p;
	size_t len, cap;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len + n + 1 > t->cap) {
		/* Cut at a character, never inside one. */
		n = t->cap - t->len - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void putf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < t->cap - t->len ? (size_t)n
						      : t->cap - t->len - 1;
}

/* What a ticket is about: its articles keep coming back to it, as a
 * real conversation does, so a word is clustered in few tickets. */
struct topic {
	int product, compound;
	char host[24], error[24];
};

static struct topic topic;

static int compound_index(const struct lang *l)
{
	/* A Zipf law over the pairs: a few are everyday words, most are
	 * rare. */
	return zipf(l->n_pre * l->n_suf);
}

static void error_code(char *out, size_t cap)
{
	switch (pick(4)) {
	case 0:
		snprintf(out, cap, "0x%08X", (unsigned)rnd());
		break;
	case 1:
		snprintf(out, cap, "E%04d", pick(10000));
		break;
	case 2:
		snprintf(out, cap, "HTTP 5%02d", pick(5));
		break;
	default:
		snprintf(out, cap, "%d", 1000 + zipf(9000));
	}
}

static void host_name(char *out, size_t cap)
{
	snprintf(out, cap, "srv-%s-%03d", sites[pick(N(sites))], zipf(400));
}

static void topic_new(const struct lang *l)
{
	topic.product = product_index(l);
	topic.compound = compound_index(l);
	host_name(topic.host, sizeof(topic.host));
	error_code(topic.error, sizeof(topic.error));
}

static void compound(struct text *t, const struct lang *l)
{
	int k = chance(70) ? topic.compound : compound_index(l);
	int a = k % l->n_pre, b = (k / l->n_pre + k) % l->n_suf;
	if (l->compound_space) {
		putf(t, "%s %s", l->pre[a], l->suf[b]);
	} else {
		/* "Netzwerk" + "karte": the suffix keeps its lower case. */
		putf(t, "%s%s", l->pre[a], l->suf[b]);
	}
}

static void person(struct text *t)
{
	putf(t, "%s %s", first_names[pick(N(first_names))],
	     last_names[pick(N(last_names))]);
}

/* Expand a template: %P product, %F fault, %X compound, %E error code,
 * %H host, %L place, %N person, %D number, %T time, %W "since when",
 * %Y weekday, %V version. */
static void expand(struct text *t, const struct lang *l, const char *fmt,
		   int sentence_start)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || !p[1]) {
			char c[2] = {*p, 0};
			put(t, c);
			continue;
		}
		size_t mark = t->len;
		switch (*++p) {
		case 'P':
			put(t, l->products[chance(80) ? topic.product
						      : product_index(l)]);
			break;
		case 'F':
			put(t, l->faults[pick(l->n_faults)]);
			break;
		case 'X':
			compound(t, l);
			break;
		case 'E':
			if (chance(80)) {
				put(t, topic.error);
			} else {
				char e[24];
				error_code(e, sizeof(e));
				put(t, e);
			}
			break;
		case 'H':
			if (chance(80)) {
				put(t, topic.host);
			} else {
				char h[24];
				host_name(h, sizeof(h));
				put(t, h);
			}
			break;
		case 'L':
			put(t, places[zipf(N(places))]);
			break;
		case 'N':
			person(t);
			break;
		case 'D':
			putf(t, "%d", 100000 + pick(900000));
			break;
		case 'T':
			putf(t, "%02d:%02d", 6 + pick(14), pick(60));
			break;
		case 'W':
			put(t, l->when[pick(l->n_when)]);
			break;
		case 'Y':
			put(t, l->weekdays[pick(5)]);
			break;
		case 'V':
			putf(t, "%d.%d.%d", 1 + pick(12), pick(20), pick(100));
			break;
		default:
			put(t, "%");
		}
		/* "der Drucker" opening a sentence: "Der Drucker". */
		if (sentence_start && mark == 0 && t->len > 0 &&
		    t->p[0] >= 'a' && t->p[0] <= 'z')
			t->p[0] = (char)(t->p[0] - 'a' + 'A');
	}
}

static void subject(struct text *t, const struct lang *l)
{
	t->len = 0;
	t->p[0] = '\0';
	expand(t, l, l->subjects[zipf(l->n_subjects)], 1);
}

/* An article's body. kind: 0 inbound mail, 1 outbound reply, 2 phone
 * note, 3 internal note. quote: the previous body to quote (or NULL). */
static void body(struct text *t, const struct lang *l, int kind,
		 const char *signer, const char *quote)
{
	t->len = 0;
	t->p[0] = '\0';
	if (kind == 0)
		put(t, l->hello_customer[pick(3)]);
	else if (kind == 1)
		expand(t, l, l->hello_support[pick(3)], 0);
	if (kind <= 1)
		put(t, "\n\n");
	int sentences = kind >= 2 ? 1 + pick(3) : 2 + pick(6);
	for (int i = 0; i < sentences; i++) {
		struct text s = {t->p + t->len, 0, t->cap - t->len};
		expand(&s, l, l->sentences[zipf(l->n_sentences)], 1);
		t->len += s.len;
		put(t, i % 3 == 2 ? "\n\n" : " ");
	}
	if (kind <= 1) {
		putf(t, "\n%s\n%s", l->bye[pick(3)], signer);
		if (kind == 0 && chance(40))
			putf(t, "\n%s\nTel. +49 %d %d", places[pick(N(places))],
			     30 + pick(60), 100000 + pick(900000));
	}
	if (quote && kind <= 1 && chance(50)) {
		/* The reply quotes the first lines of what it answers. */
		put(t, "\n\n");
		person(t); /* whoever wrote what is quoted */
		putf(t, " %s\n> ", l->quote);
		/* ... up to 400 bytes, ending at a character, when there
		 * is room for it ("> " may double a line's length). */
		size_t n = strlen(quote) < 400 ? strlen(quote) : 400;
		while (((unsigned char)quote[n] & 0xc0) == 0x80)
			n++;
		if (t->len + 3 * n + 8 < t->cap)
			for (size_t k = 0; k < n; k++) {
				char c[2] = {quote[k], 0};
				put(t, c);
				if (quote[k] == '\n')
					put(t, "> ");
			}
	}
}

/* ---- batched inserts ---- */

/* Rows of one table, written with multi-row INSERTs. Text values live in
 * the batch's pool until it is written. A batch writes the batch it
 * depends on (foreign keys) first. */
struct batch {
	const char *table, *columns;
	/* One row's values with '?' for each parameter; NULL: a '?' per
	 * column. */
	const char *row_sql;
	int ncols, max_rows, rows;
	struct dd_param *params;
	char *pool;
	size_t pool_len, pool_cap;
	struct batch *after; /* write this one first */
	struct dd_buf sql;
	int64_t written;
};

static int batch_init(struct batch *b, const char *table, const char *columns,
		      int ncols, int max_rows, size_t pool_cap,
		      struct batch *after)
{
	memset(b, 0, sizeof(*b));
	b->table = table;
	b->columns = columns;
	b->ncols = ncols;
	b->max_rows = max_rows;
	b->params = calloc((size_t)(ncols * max_rows), sizeof(struct dd_param));
	b->pool = malloc(pool_cap);
	b->pool_cap = pool_cap;
	b->after = after;
	dd_buf_init(&b->sql, 1024 * 1024);
	return b->params && b->pool ? 0 : -1;
}

static void batch_release(struct batch *b)
{
	free(b->params);
	free(b->pool);
	dd_buf_release(&b->sql);
}

static int batch_flush(struct dd_store *st, struct batch *b, struct dd_err *err)
{
	if (b->after && batch_flush(st, b->after, err) < 0)
		return -1;
	if (b->rows == 0)
		return 0;
	dd_buf_reset(&b->sql);
	dd_buf_printf(&b->sql, "INSERT INTO %s (%s) VALUES ", b->table,
		      b->columns);
	for (int r = 0; r < b->rows; r++) {
		int c = 0;
		if (r)
			dd_buf_putc(&b->sql, ',');
		if (!b->row_sql) {
			dd_buf_putc(&b->sql, '(');
			for (c = 0; c < b->ncols; c++)
				dd_buf_printf(&b->sql, "%s$%d", c ? "," : "",
					      r * b->ncols + c + 1);
			dd_buf_putc(&b->sql, ')');
			continue;
		}
		for (const char *t = b->row_sql; *t; t++)
			if (*t == '?')
				dd_buf_printf(&b->sql, "$%d",
					      r * b->ncols + ++c);
			else
				dd_buf_putc(&b->sql, *t);
	}
	if (dd_store_exec(st, dd_buf_str(&b->sql), b->params,
			  b->rows * b->ncols, err) < 0)
		return -1;
	b->written += b->rows;
	b->rows = 0;
	b->pool_len = 0;
	return 0;
}

/* Room for one more row with text bytes of text: write first if not. */
static int batch_room(struct dd_store *st, struct batch *b, size_t text,
		      struct dd_err *err)
{
	if (b->rows == b->max_rows || b->pool_len + text > b->pool_cap)
		return batch_flush(st, b, err);
	return 0;
}

static const char *batch_str(struct batch *b, const char *s, size_t n)
{
	char *p = b->pool + b->pool_len;
	memcpy(p, s, n);
	p[n] = '\0';
	b->pool_len += n + 1;
	return p;
}

static struct dd_param *batch_row(struct batch *b)
{
	return &b->params[b->rows++ * b->ncols];
}

/* ---- the load ---- */

struct gen {
	struct dd_store *st;
	enum dd_store_kind kind;
	int64_t *people;
	int n_people;
	int64_t queues[3];
	int64_t orgs[ORGS];
	int64_t contacts[CONTACTS];
	int contact_org[CONTACTS];
	struct batch tickets, articles, docs, tags, search;
	/* PostgreSQL: what makes the search index, dropped for the load. */
	char *search_index;
	/* The ticket being written: its folded subject, its search body
	 * and the body's running total (ticket/search_index.h). */
	struct dd_buf subject, body;
	int64_t text_bytes;
	int64_t first_ticket, last_ticket; /* ids written */
	struct dd_buf norm;
	char subj[512], bodies[2][BODY_MAX];
};

static int fail(const char *what, const struct dd_err *err)
{
	fprintf(stderr, "gen_tickets: %s: %s\n", what, err ? err->msg : "");
	return -1;
}

/* PostgreSQL: the statement that makes the GIN index of the search
 * documents as the migrations made it, to build it again after the
 * load; malloc'd, or NULL with err filled. */
static char *index_definition(struct dd_store *st, struct dd_err *err)
{
	struct dd_rows *rows;
	char *def = NULL;
	int rc;
	if (dd_store_query(st,
			   "SELECT pg_get_indexdef(to_regclass("
			   "'ticket_search_tsv'))",
			   NULL, 0, &rows, err) < 0)
		return NULL;
	rc = dd_rows_next(rows, err);
	if (rc > 0 && dd_rows_text(rows, 0))
		def = strdup(dd_rows_text(rows, 0));
	dd_rows_free(rows);
	if (!def && rc >= 0)
		dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
			   "no index 'ticket_search_tsv' to build again");
	return def;
}

static int64_t max_id(struct dd_store *st, const char *sql)
{
	struct dd_err err;
	int64_t v = 0;
	if (dd_store_query_int(st, sql, NULL, 0, &v, &err) < 0)
		return -1;
	return v;
}

static int load_people(struct gen *g, struct dd_err *err)
{
	struct dd_rows *rows;
	int rc;
	g->people = calloc(1000, sizeof(int64_t));
	if (!g->people)
		return -1;
	if (dd_store_query(g->st,
			   "SELECT id FROM people WHERE active = 1 ORDER BY id "
			   "LIMIT 1000",
			   NULL, 0, &rows, err) < 0)
		return -1;
	while ((rc = dd_rows_next(rows, err)) > 0)
		g->people[g->n_people++] = dd_rows_int(rows, 0);
	dd_rows_free(rows);
	if (rc < 0)
		return -1;
	for (int i = g->n_people; i < 20; i++) {
		char login[32], name[64], email[64];
		snprintf(login, sizeof(login), "agent%02d", i);
		snprintf(name, sizeof(name), "%s %s", first_names[i % 30],
			 last_names[i % 40]);
		snprintf(email, sizeof(email), "%s@bench.example", login);
		if (dd_store_query_int(
			    g->st,
			    "INSERT INTO people (login, name, email, "
			    "created_at, "
			    "updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING "
			    "id",
			    (struct dd_param[]){DD_P_TEXT(login),
						DD_P_TEXT(name),
						DD_P_TEXT(email),
						DD_P_INT(END_MS - SPAN_MS)},
			    4, &g->people[g->n_people++], err) < 0)
			return -1;
	}
	return 0;
}

static int load_queues(struct gen *g, struct dd_err *err)
{
	static const char *const names[] = {"Support management",
					    "Service management",
					    "Project management"};
	for (int i = 0; i < 3; i++) {
		int rc = dd_store_query_int(
			g->st, "SELECT id FROM queues WHERE name = $1",
			(struct dd_param[]){DD_P_TEXT(names[i])}, 1,
			&g->queues[i], err);
		if (rc < 0)
			return -1;
		if (rc == 0 &&
		    dd_store_query_int(
			    g->st,
			    "INSERT INTO queues (name, owner_rule, created_at, "
			    "updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
			    (struct dd_param[]){
				    DD_P_TEXT(names[i]),
				    DD_P_TEXT(i == 2 ? "project_manager"
						     : "none"),
				    DD_P_INT(END_MS - SPAN_MS)},
			    3, &g->queues[i], err) < 0)
			return -1;
	}
	return 0;
}

static int load_customers(struct gen *g, struct dd_err *err)
{
	char name[160], domain[80], email[160], phone[40], cname[80];
	for (int i = 0; i < ORGS; i++) {
		int a = i % N(last_names),
		    b = (i / N(last_names)) % N(branches),
		    c = (i / (N(last_names) * N(branches))) % N(legal_forms);
		snprintf(name, sizeof(name), "%s %s %s (bench %d)",
			 last_names[a], branches[b], legal_forms[c], i);
		snprintf(domain, sizeof(domain), "kunde%d.example", i);
		snprintf(phone, sizeof(phone), "+4989%04d", i);
		if (dd_store_query_int(
			    g->st,
			    "INSERT INTO organisations (name, mail_domains, "
			    "phone_prefixes, project_manager_id, created_at, "
			    "updated_at) VALUES ($1, $2, $3, $4, $5, $5) "
			    "RETURNING id",
			    (struct dd_param[]){
				    DD_P_TEXT(name), DD_P_TEXT(domain),
				    DD_P_TEXT(phone),
				    DD_P_INT(g->people[i % g->n_people]),
				    DD_P_INT(END_MS - SPAN_MS)},
			    5, &g->orgs[i], err) < 0)
			return -1;
	}
	for (int i = 0; i < CONTACTS; i++) {
		int org = zipf(ORGS);
		snprintf(cname, sizeof(cname), "%s %s",
			 first_names[pick(N(first_names))],
			 last_names[pick(N(last_names))]);
		snprintf(email, sizeof(email), "kontakt%d@kunde%d.example", i,
			 org);
		snprintf(phone, sizeof(phone), "+4989%04d%03d", org, i % 1000);
		if (dd_store_query_int(
			    g->st,
			    "INSERT INTO contacts (name, email, phone, "
			    "created_at, "
			    "updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING "
			    "id",
			    (struct dd_param[]){DD_P_TEXT(cname),
						DD_P_TEXT(email),
						DD_P_TEXT(phone),
						DD_P_INT(END_MS - SPAN_MS)},
			    4, &g->contacts[i], err) < 0 ||
		    dd_store_exec(g->st,
				  "INSERT INTO contact_organisations "
				  "(contact_id, organisation_id) VALUES ($1, "
				  "$2)",
				  (struct dd_param[]){DD_P_INT(g->contacts[i]),
						      DD_P_INT(g->orgs[org])},
				  2, err) < 0)
			return -1;
		g->contact_org[i] = org;
	}
	return 0;
}

static struct dd_param int_or_null(int64_t v)
{
	return v ? DD_P_INT(v) : DD_P_NULL;
}

/* A search document: text normalised as dd_ticket_index does, and
 * added to the ticket's search document as the server adds it. */
static int add_doc(struct gen *g, int64_t *doc_id, int64_t ticket_id,
		   const char *source, const char *text, struct dd_err *err)
{
	dd_buf_reset(&g->norm);
	dd_search_normalise(text, &g->norm);
	size_t n = strlen(dd_buf_str(&g->norm)), s = strlen(source);
	if (strcmp(source, "subject") == 0) {
		dd_buf_reset(&g->subject);
		dd_buf_puts(&g->subject, dd_buf_str(&g->norm));
	} else {
		dd_search_body_add(&g->body, &g->text_bytes,
				   dd_buf_str(&g->norm));
	}
	if (batch_room(g->st, &g->docs, n + s + 2, err) < 0)
		return -1;
	struct dd_param *p = batch_row(&g->docs);
	p[0] = DD_P_INT(++*doc_id);
	p[1] = DD_P_INT(ticket_id);
	p[2] = DD_P_TEXT(batch_str(&g->docs, source, s));
	p[3] = DD_P_TEXT(batch_str(&g->docs, dd_buf_str(&g->norm), n));
	return 0;
}

static const char *const statuses[] = {"new", "open", "pending", "resolved",
				       "closed"};
static const char *const channels[] = {"phone", "email", "web", "api"};
static const char *const kinds[] = {"inbound_mail", "outbound_reply",
				    "phone_note", "internal_note"};

static int load_tickets(struct gen *g, int tickets, int64_t articles,
			int64_t *n_docs, struct dd_err *err)
{
	int64_t tid = max_id(g->st, "SELECT COALESCE(MAX(id), 0) FROM tickets");
	int64_t aid =
		max_id(g->st, "SELECT COALESCE(MAX(id), 0) FROM articles");
	int64_t did =
		max_id(g->st, "SELECT COALESCE(MAX(id), 0) FROM search_docs");
	int64_t number = max_id(g->st, "SELECT n FROM ticket_counter");
	if (tid < 0 || aid < 0 || did < 0 || number < 0)
		return fail("ids", NULL);
	int64_t per = articles / tickets, rest = articles - per * tickets;
	g->first_ticket = tid + 1;
	int delta = 0;
	struct text subj = {g->subj, 0, sizeof(g->subj)};
	if (dd_store_begin(g->st, err) < 0)
		return -1;
	for (int i = 0; i < tickets; i++) {
		const struct lang *l = chance(60) ? &de : &en;
		/* Articles: per (one more for the first `rest` tickets)
		 * +- up to 9, the deltas of ticket pairs cancelling, so the
		 * total is exact. */
		int spread = per > 1 ? (int)(per - 1 < 9 ? per - 1 : 9) : 0;
		if (i % 2 == 0)
			delta = spread && i + 1 < tickets
					? pick(2 * spread + 1) - spread
					: 0;
		int count = (int)per + (i < rest ? 1 : 0) +
			    (i % 2 == 0 ? delta : -delta);
		int64_t created = END_MS - SPAN_MS + (SPAN_MS / tickets) * i +
				  pick(600000);
		int si = pick(100);
		const char *status = si < 5    ? statuses[0]
				     : si < 15 ? statuses[1]
				     : si < 20 ? statuses[2]
				     : si < 30 ? statuses[3]
					       : statuses[4];
		int pr = pick(100);
		int prio = pr < 2 ? 1 : pr < 17 ? 2 : pr < 77 ? 3 : 4;
		const char *channel = channels[pick(100) < 55 ? 1
					       : chance(70)   ? 0
					       : chance(50)   ? 2
							      : 3];
		int ci = zipf(CONTACTS);
		int64_t contact = g->contacts[ci];
		int64_t org = g->orgs[g->contact_org[ci]];
		int64_t queue = g->queues[pick(100) < 60 ? 0
					  : chance(70)	 ? 1
							 : 2];
		int64_t owner = chance(90) ? g->people[pick(g->n_people)] : 0;
		topic_new(l);
		subject(&subj, l);
		++tid;
		++number;
		/* The articles' kinds and times first: they give the
		 * ticket's first response and last change. */
		int kind[ARTICLES_PER_TICKET_MAX];
		int64_t at[ARTICLES_PER_TICKET_MAX], t = created,
						     first_response = 0;
		for (int k = 0; k < count; k++) {
			kind[k] =
				k == 0 ? (strcmp(channel, "phone") == 0 ? 2 : 0)
				: k % 2 == 1 ? (chance(85) ? 1 : 3)
					     : (chance(80) ? 0 : 2);
			t += 60000 + (int64_t)(unit() * unit() * 2 * DAY_MS);
			at[k] = t < END_MS ? t : END_MS;
			if (!first_response && (kind[k] == 1 || kind[k] == 2))
				first_response = at[k];
		}
		int64_t last = at[count - 1];
		int done = strcmp(status, "resolved") == 0 ||
			   strcmp(status, "closed") == 0;
		size_t sl = subj.len;
		if (batch_room(g->st, &g->tickets, sl + 1, err) < 0)
			goto fail;
		/* The ticket before its articles: their batch writes the
		 * tickets' batch first. */
		struct dd_param *p = batch_row(&g->tickets);
		p[0] = DD_P_INT(tid);
		p[1] = DD_P_INT(number);
		p[2] = DD_P_TEXT(batch_str(&g->tickets, subj.p, sl));
		p[3] = DD_P_TEXT(status);
		p[4] = DD_P_INT(prio);
		p[5] = DD_P_TEXT(channel);
		p[6] = DD_P_INT(org);
		p[7] = DD_P_INT(contact);
		p[8] = DD_P_INT(queue);
		p[9] = int_or_null(owner);
		p[10] = DD_P_INT(created + DAY_MS);
		p[11] = int_or_null(first_response);
		p[12] = done ? DD_P_INT(last) : DD_P_NULL;
		p[13] = strcmp(status, "closed") == 0 ? DD_P_INT(last)
						      : DD_P_NULL;
		p[14] = strcmp(status, "pending") == 0 ? DD_P_INT(last)
						       : DD_P_NULL;
		p[15] = DD_P_INT(created);
		p[16] = DD_P_INT(last);
		dd_buf_reset(&g->body);
		g->text_bytes = 0;
		if (add_doc(g, &did, tid, "subject", subj.p, err) < 0)
			goto fail;
		const char *prev = NULL;
		for (int k = 0; k < count; k++) {
			char signer[80];
			struct text sg = {signer, 0, sizeof(signer)};
			person(&sg);
			char *buf = g->bodies[k % 2];
			struct text b = {buf, 0, BODY_MAX};
			body(&b, l, kind[k], signer, prev);
			prev = buf;
			int by_agent = kind[k] != 0;
			if (batch_room(g->st, &g->articles, b.len + 1, err) < 0)
				goto fail;
			struct dd_param *ap = batch_row(&g->articles);
			ap[0] = DD_P_INT(++aid);
			ap[1] = DD_P_INT(tid);
			ap[2] = DD_P_TEXT(kinds[kind[k]]);
			ap[3] = DD_P_TEXT(kind[k] == 3 ? "internal"
						       : "customer");
			ap[4] = by_agent
					? DD_P_INT(g->people[pick(g->n_people)])
					: DD_P_NULL;
			ap[5] = by_agent ? DD_P_NULL : DD_P_INT(contact);
			ap[6] = DD_P_TEXT(batch_str(&g->articles, buf, b.len));
			ap[7] = DD_P_INT(by_agent ? pick(4) * 5 : 0);
			ap[8] = DD_P_INT(at[k]);
			char source[40];
			snprintf(source, sizeof(source), "article:%lld",
				 (long long)aid);
			if (add_doc(g, &did, tid, source, buf, err) < 0)
				goto fail;
		}
		size_t sb = g->subject.len, bb = g->body.len;
		if (batch_room(g->st, &g->search, sb + bb + 2, err) < 0)
			goto fail;
		struct dd_param *sp = batch_row(&g->search);
		sp[0] = DD_P_INT(tid);
		sp[1] = DD_P_INT(g->text_bytes);
		sp[2] = DD_P_TEXT(
			batch_str(&g->search, dd_buf_str(&g->subject), sb));
		sp[3] = DD_P_TEXT(
			batch_str(&g->search, dd_buf_str(&g->body), bb));
		/* Tags: none to three, distinct. */
		int nt = pick(4), first = pick(N(tags));
		for (int k = 0; k < nt; k++) {
			if (batch_room(g->st, &g->tags, 0, err) < 0)
				goto fail;
			struct dd_param *tp = batch_row(&g->tags);
			tp[0] = DD_P_INT(tid);
			tp[1] = DD_P_TEXT(tags[(first + k * 5) % N(tags)]);
		}
		if ((i + 1) % TX_TICKETS == 0) {
			if (batch_flush(g->st, &g->tags, err) < 0 ||
			    batch_flush(g->st, &g->docs, err) < 0 ||
			    batch_flush(g->st, &g->search, err) < 0 ||
			    batch_flush(g->st, &g->articles, err) < 0 ||
			    dd_store_commit(g->st, err) < 0 ||
			    dd_store_begin(g->st, err) < 0)
				goto fail;
			if ((i + 1) % 20000 == 0)
				fprintf(stderr, "gen_tickets: %d tickets\n",
					i + 1);
		}
	}
	if (batch_flush(g->st, &g->tags, err) < 0 ||
	    batch_flush(g->st, &g->docs, err) < 0 ||
	    batch_flush(g->st, &g->search, err) < 0 ||
	    batch_flush(g->st, &g->articles, err) < 0 ||
	    dd_store_exec(g->st,
			  "UPDATE ticket_counter SET n = $1 WHERE id = 1",
			  (struct dd_param[]){DD_P_INT(number)}, 1, err) < 0 ||
	    dd_store_commit(g->st, err) < 0)
		goto fail;
	*n_docs = g->docs.written;
	g->last_ticket = tid;
	return 0;
fail:
	dd_store_rollback(g->st);
	return -1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: gen_tickets DB_URL [TICKETS [ARTICLES "
				"[SEED]]]\n");
		return 2;
	}
	const char *url = argv[1];
	long tickets = argc > 2 ? atol(argv[2]) : 100000;
	long long articles = argc > 3 ? atoll(argv[3]) : 1000000;
	unsigned long long seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
	if (tickets < 1 || tickets > TICKETS_MAX || articles < tickets ||
	    articles > 20LL * tickets) {
		fprintf(stderr,
			"gen_tickets: TICKETS 1-%d, ARTICLES from "
			"TICKETS to 20 x TICKETS\n",
			TICKETS_MAX);
		return 2;
	}
	rng_state = seed * 0x2545f4914f6cdd1dULL + 1;

	struct dd_clock clock;
	struct dd_log log;
	struct dd_err err;
	struct gen *g = calloc(1, sizeof(*g));
	int applied, rc = 1;
	if (!g)
		return 1;
	dd_clock_init_system(&clock);
	dd_log_init(&log, stderr, &clock);
	if (dd_store_open(url, &g->st, &err) < 0) {
		fail("open", &err);
		goto out_nostore;
	}
	g->kind = dd_store_kind(g->st);
	const char *engine =
		g->kind == DD_STORE_SQLITE ? "sqlite" : "postgresql";
	double t0 = now_s();
	if (dd_migrate_run(g->st, dd_clock_now(&clock), &applied, &err) < 0) {
		fail("migrate", &err);
		goto out;
	}
	static const char tcols[] =
		"id, number, subject, status, priority, channel, "
		"organisation_id, "
		"contact_id, queue_id, owner_id, due_at, first_response_at, "
		"resolved_at, closed_at, pending_since, created_at, updated_at";
	/* 17, 9, 4 and 2 columns: batches well inside SQLite's 32766
	 * parameters. */
	if (batch_init(&g->tickets, "tickets", tcols, 17, 500, 1 << 20, NULL) <
		    0 ||
	    batch_init(&g->articles, "articles",
		       "id, ticket_id, kind, visibility, author_id, "
		       "author_contact_id, body, minutes, created_at",
		       9, 500, 4 << 20, &g->tickets) < 0 ||
	    batch_init(&g->docs, "search_docs", "id, ticket_id, source, text",
		       4, 1000, 4 << 20, &g->tickets) < 0 ||
	    batch_init(&g->tags, "ticket_tags", "ticket_id, tag", 2, 1000,
		       1 << 10, &g->tickets) < 0 ||
	    batch_init(&g->search, "ticket_search",
		       g->kind == DD_STORE_SQLITE
			       ? "ticket_id, text_bytes, subject, body"
			       : "ticket_id, text_bytes, tsv",
		       4, 500, 8 << 20, &g->tickets) < 0) {
		fail("out of memory", NULL);
		goto out;
	}
	/* PostgreSQL keeps only the tsvector, made as search_index.c
	 * makes it. */
	if (g->kind == DD_STORE_PG)
		g->search.row_sql = "(?, ?, setweight(to_tsvector('simple', "
				    "CAST(? AS TEXT)), 'A') || "
				    "to_tsvector('simple', CAST(? AS TEXT)))";
	dd_buf_init(&g->norm, 64 * 1024);
	dd_buf_init(&g->subject, 64 * 1024);
	dd_buf_init(&g->body, DD_SEARCH_TEXT_MAX);
	if (load_people(g, &err) < 0 || load_queues(g, &err) < 0) {
		fail("people and queues", &err);
		goto out;
	}
	if (dd_store_begin(g->st, &err) < 0 || load_customers(g, &err) < 0 ||
	    dd_store_commit(g->st, &err) < 0) {
		dd_store_rollback(g->st);
		fail("customers", &err);
		goto out;
	}
	if (g->kind == DD_STORE_PG) {
		g->search_index = index_definition(g->st, &err);
		if (!g->search_index) {
			fail("search index", &err);
			goto out;
		}
		if (dd_store_exec_script(g->st, "DROP INDEX ticket_search_tsv",
					 &err) < 0) {
			fail("drop index", &err);
			goto out;
		}
	}
	int64_t docs = 0;
	if (load_tickets(g, (int)tickets, articles, &docs, &err) < 0) {
		fail("tickets", &err);
		goto out;
	}
	double t1 = now_s();
	fprintf(stderr, "gen_tickets: rows written in %.1f s; indexing\n",
		t1 - t0);
	if (g->kind == DD_STORE_PG) {
		if (dd_store_exec_script(g->st, g->search_index, &err) < 0 ||
		    dd_store_exec_script(
			    g->st,
			    "SELECT setval(pg_get_serial_sequence('tickets', "
			    "'id'), "
			    "(SELECT MAX(id) FROM tickets));"
			    "SELECT setval(pg_get_serial_sequence('articles', "
			    "'id'), "
			    "(SELECT MAX(id) FROM articles));"
			    "SELECT "
			    "setval(pg_get_serial_sequence('search_docs', "
			    "'id'), (SELECT MAX(id) FROM search_docs));"
			    "ANALYZE",
			    &err) < 0) {
			fail("index", &err);
			goto out;
		}
	} else if (dd_store_exec_script(
			   g->st,
			   /* One FTS5 segment instead of the hundreds a bulk
			    * load leaves, as migration 10 leaves it. */
			   "INSERT INTO ticket_fts(ticket_fts) VALUES "
			   "('optimize'); ANALYZE; PRAGMA "
			   "wal_checkpoint(TRUNCATE)",
			   &err) < 0) {
		fail("analyze", &err);
		goto out;
	}
	double t2 = now_s();
	int64_t bytes = 0;
	if (g->kind == DD_STORE_PG) {
		dd_store_query_int(
			g->st, "SELECT pg_database_size(current_database())",
			NULL, 0, &bytes, &err);
	} else {
		struct stat sb;
		if (stat(url + 7, &sb) == 0)
			bytes = sb.st_size;
	}
	fprintf(stderr, "gen_tickets: indexed in %.1f s\n", t2 - t1);
	printf("gen %s %ld %lld %lld %.1f %.1f %lld %lld %lld\n", engine,
	       tickets, (long long)g->articles.written, (long long)docs,
	       t1 - t0, t2 - t0, (long long)bytes, (long long)g->first_ticket,
	       (long long)g->last_ticket);
	rc = 0;
out:
	batch_release(&g->tickets);
	batch_release(&g->articles);
	batch_release(&g->docs);
	batch_release(&g->tags);
	batch_release(&g->search);
	dd_buf_release(&g->norm);
	dd_buf_release(&g->subject);
	dd_buf_release(&g->body);
	dd_store_close(g->st);
out_nostore:
	free(g->search_index);
	free(g->people);
	free(g);
	dd_log_release(&log);
	return rc;
}
