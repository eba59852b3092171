// The message table: every word the UI shows, in English and German.
// A page asks t('key') or t('key', {name: ...}); a missing German entry
// is a type error, so the two languages stay complete.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

const en = {
  appName: 'dutydesk',
  skipToContent: 'Skip to content',
  language: 'Language',
  navMain: 'Main',
  navDashboard: 'Dashboard',
  navRota: 'Rota',
  signedInAs: 'Signed in as {name} ({role})',
  signOut: 'Sign out',
  loading: 'Loading…',
  retry: 'Try again',
  networkError: 'The server cannot be reached. Check the connection and try again.',
  sessionEnded: 'Your session has ended. Please sign in again.',
  signedOut: 'You are signed out.',
  errorTitle: 'Something went wrong',

  signInTitle: 'Sign in',
  signInIntro: 'Support desk and duty rota',
  login: 'Login',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',

  roleViewer: 'viewer',
  roleEditor: 'editor',
  roleAdmin: 'admin',

  dashboardTitle: 'Dashboard',
  onDutyTitle: 'On duty',
  dutyHotline: 'Duty phone',
  windowOpenNow: 'On duty now, until {end}',
  windowToday: 'Today {start}–{end}',
  windowOver: 'Today {start}–{end}, over',
  noDutyToday: 'No duty today',
  nowLabel: 'Now',
  todayLabel: 'Today',
  nextLabel: 'Next',
  nobody: 'Nobody',
  nobodyPlanned: 'Nobody planned',
  unknownPerson: 'Person #{id}',
  callPerson: 'Call {name}: {phone}',
  noPhone: 'no phone number',
  restOfWeekTitle: 'The rest of this week',
  noMoreDutyDays: 'No more duty days this week.',
  uncoveredTitle: 'Uncovered duty days ahead',
  uncoveredNone: 'Every duty day of the next four weeks is covered.',
  uncoveredItem: '{person} is away ({kind})',
  ticketsTitle: 'P1 tickets and my tickets',
  ticketsPlaceholder: 'Tickets come with the ticket pages: open priority-1 faults and the tickets assigned to you will show here.',
  dayColumn: 'Day',
  draft: 'draft',

  kindVacation: 'vacation',
  kindSick: 'sick',
  kindOther: 'away',

  reasonPlan: 'plan',
  reasonPlanDay: 'day set',
  reasonSwap: 'swap',
  reasonReplacement: 'replacement',
  reasonSickCover: 'sick cover',

  rotaTitle: 'Rota',
  weekOf: 'Week of {date}',
  weekNumber: 'week {n}',
  previousWeek: 'Previous week',
  thisWeek: 'This week',
  nextWeek: 'Next week',
  weekNav: 'Choose the week',
  pairLabel: 'Pair',
  noPlan: 'No plan for this week yet.',
  statusDraft: 'draft, not yet on duty',
  statusPublished: 'published',
  noDuty: 'no duty',
  today: 'today',

  assignTitle: 'Assign the week’s pair',
  assignHint: 'The first person has telephone service on the week’s first business day; the two alternate daily.',
  firstPerson: 'First person',
  secondPerson: 'Second person',
  choosePerson: 'Choose…',
  save: 'Save pair',
  saving: 'Saving…',
  saved: 'Saved.',
  publish: 'Publish week',
  published: 'The week is published.',
  samePerson: 'Choose two different people.',
};

export type MessageKey = keyof typeof en;
type Table = Record<MessageKey, string>;

const de: Table = {
  appName: 'dutydesk',
  skipToContent: 'Zum Inhalt springen',
  language: 'Sprache',
  navMain: 'Hauptmenü',
  navDashboard: 'Übersicht',
  navRota: 'Dienstplan',
  signedInAs: 'Angemeldet als {name} ({role})',
  signOut: 'Abmelden',
  loading: 'Wird geladen …',
  retry: 'Erneut versuchen',
  networkError: 'Der Server ist nicht erreichbar. Bitte die Verbindung prüfen und erneut versuchen.',
  sessionEnded: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  signedOut: 'Sie sind abgemeldet.',
  errorTitle: 'Etwas ist schiefgegangen',

  signInTitle: 'Anmelden',
  signInIntro: 'Support-Desk und Dienstplan',
  login: 'Benutzername',
  password: 'Passwort',
  signIn: 'Anmelden',
  signingIn: 'Anmeldung läuft …',

  roleViewer: 'Lesezugriff',
  roleEditor: 'Bearbeiter',
  roleAdmin: 'Administrator',

  dashboardTitle: 'Übersicht',
  onDutyTitle: 'Im Dienst',
  dutyHotline: 'Diensttelefon',
  windowOpenNow: 'Jetzt im Dienst, bis {end}',
  windowToday: 'Heute {start}–{end}',
  windowOver: 'Heute {start}–{end}, vorbei',
  noDutyToday: 'Heute kein Dienst',
  nowLabel: 'Jetzt',
  todayLabel: 'Heute',
  nextLabel: 'Als Nächstes',
  nobody: 'Niemand',
  nobodyPlanned: 'Niemand eingeplant',
  unknownPerson: 'Person Nr. {id}',
  callPerson: '{name} anrufen: {phone}',
  noPhone: 'keine Telefonnummer',
  restOfWeekTitle: 'Der Rest dieser Woche',
  noMoreDutyDays: 'Diese Woche keine Diensttage mehr.',
  uncoveredTitle: 'Unbesetzte Diensttage',
  uncoveredNone: 'Alle Diensttage der nächsten vier Wochen sind besetzt.',
  uncoveredItem: '{person} ist abwesend ({kind})',
  ticketsTitle: 'P1-Tickets und meine Tickets',
  ticketsPlaceholder: 'Tickets kommen mit den Ticket-Seiten: offene Prio-1-Störungen und Ihre Tickets erscheinen dann hier.',
  dayColumn: 'Tag',
  draft: 'Entwurf',

  kindVacation: 'Urlaub',
  kindSick: 'krank',
  kindOther: 'abwesend',

  reasonPlan: 'Plan',
  reasonPlanDay: 'Tag gesetzt',
  reasonSwap: 'Tausch',
  reasonReplacement: 'Vertretung',
  reasonSickCover: 'Krankheitsvertretung',

  rotaTitle: 'Dienstplan',
  weekOf: 'Woche ab {date}',
  weekNumber: 'KW {n}',
  previousWeek: 'Vorige Woche',
  thisWeek: 'Diese Woche',
  nextWeek: 'Nächste Woche',
  weekNav: 'Woche wählen',
  pairLabel: 'Paar',
  noPlan: 'Für diese Woche gibt es noch keinen Plan.',
  statusDraft: 'Entwurf, noch nicht im Dienst',
  statusPublished: 'veröffentlicht',
  noDuty: 'kein Dienst',
  today: 'heute',

  assignTitle: 'Paar der Woche festlegen',
  assignHint: 'Die erste Person hat am ersten Arbeitstag der Woche den Telefondienst; danach wechseln sich beide täglich ab.',
  firstPerson: 'Erste Person',
  secondPerson: 'Zweite Person',
  choosePerson: 'Bitte wählen …',
  save: 'Paar speichern',
  saving: 'Wird gespeichert …',
  saved: 'Gespeichert.',
  publish: 'Woche veröffentlichen',
  published: 'Die Woche ist veröffentlicht.',
  samePerson: 'Bitte zwei verschiedene Personen wählen.',
};

export type Lang = 'en' | 'de';
export const languages: { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
];
const tables: Record<Lang, Table> = { en, de };
const STORAGE_KEY = 'dutydesk.lang';

/** The language chosen before, else the browser's first of ours. */
export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'de') return saved;
  } catch {
    /* storage may be off */
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === 'de' || base === 'en') return base;
  }
  return 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage may be off */
  }
}

/** The browser's locale for lang (so en-GB gets 16:00 and en-US 4:00
 * PM), else a usual one; for dates and times. */
export function localeFor(lang: Lang): string {
  for (const l of navigator.languages ?? [navigator.language]) {
    if (l.toLowerCase().startsWith(lang)) return l;
  }
  return lang === 'de' ? 'de-DE' : 'en-GB';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table = tables[lang];
  return (key, params) => {
    const text = table[key] ?? en[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) =>
      name in params ? String(params[name]) : m,
    );
  };
}

export interface I18n {
  lang: Lang;
  locale: string;
  t: Translate;
  setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({
  lang: 'en',
  locale: 'en-GB',
  t: translator('en'),
  setLang: () => {},
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
