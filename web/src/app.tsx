// The shell: the session, the language, the header with navigation and
// the page for the address's #fragment. Routing by fragment means the
// server serves one document at / and never needs to know the pages:
//
//   #/                      dashboard
//   #/tickets?q=...&sort=   the ticket list (the query in the address)
//   #/tickets/NUMBER        one ticket
//   #/phone                 phone intake
//   #/rota[/YYYY-MM-DD]     the rota's week; /month[/YYYY-MM], /swaps,
//                           /absences, /sick, /jour-fixe[/DAY],
//                           /calendars, /plan (editors)
//   #/reports               duty hours, tickets per week, time accounting
//   #/admin[/SECTION]       administration (editors and admins)
//
// The dashboard and the rota's week are in the first download; every
// other page is loaded when it is first opened (Lazy).
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { canEdit, currentSession, setUnauthorizedHandler, signOut, type Session } from './api';
import { Lazy, Loading, ProblemBox } from './components';
import { isDay } from './dates';
import { I18nContext, initialLang, languages, localeFor, rememberLang, translator, type Lang, type MessageKey } from './i18n';
import { alertingPage, AlertingNavLinks } from './pages/AlertingRoutes';
import { Dashboard } from './pages/Dashboard';
import { RotaWeek } from './pages/RotaWeek';
import { SignIn } from './pages/SignIn';

type Route =
  | { page: 'dashboard' }
  | { page: 'tickets'; q: string; sort: string }
  | { page: 'ticket'; number: number }
  | { page: 'phone' }
  | { page: 'reports' }
  | { page: 'rota'; week: string | null }
  | { page: 'rota-month'; month: string | null }
  | { page: 'rota-swaps' | 'rota-absences' | 'rota-sick' | 'rota-calendars' | 'rota-plan' }
  | { page: 'rota-jour-fixe'; week: string | null }
  | { page: 'admin'; section: string };

type NavId = 'dashboard' | 'tickets' | 'phone' | 'rota' | 'reports' | 'admin';

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const qAt = raw.indexOf('?');
  const path = qAt < 0 ? raw : raw.slice(0, qAt);
  const params = new URLSearchParams(qAt < 0 ? '' : raw.slice(qAt + 1));
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  switch (parts[0]) {
    case 'tickets':
      if (parts[1] && /^\d{1,18}$/.test(parts[1])) return { page: 'ticket', number: Number(parts[1]) };
      return { page: 'tickets', q: params.get('q') ?? '', sort: params.get('sort') ?? '' };
    case 'phone':
      return { page: 'phone' };
    case 'reports':
      return { page: 'reports' };
    case 'admin':
      return { page: 'admin', section: parts[1] ?? '' };
    case 'rota':
      switch (parts[1]) {
        case 'month':
          return { page: 'rota-month', month: parts[2] && /^\d{4}-(0[1-9]|1[0-2])$/.test(parts[2]) ? parts[2] : null };
        case 'swaps':
        case 'absences':
        case 'sick':
        case 'calendars':
        case 'plan':
          return { page: `rota-${parts[1]}` };
        case 'jour-fixe':
          return { page: 'rota-jour-fixe', week: parts[2] && isDay(parts[2]) ? parts[2] : null };
        default:
          return { page: 'rota', week: parts[1] && isDay(parts[1]) ? parts[1] : null };
      }
    default:
      return { page: 'dashboard' };
  }
}

function navOf(route: Route): NavId {
  if (route.page === 'ticket') return 'tickets';
  if (route.page.startsWith('rota')) return 'rota';
  return route.page as NavId;
}

function useHash(): [string, (h: string) => void] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return [hash, (h: string) => (location.hash = h)];
}

const roleKeys: Record<string, MessageKey> = { viewer: 'roleViewer', editor: 'roleEditor', admin: 'roleAdmin' };

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo(
    () => ({
      lang,
      locale: localeFor(lang),
      t: translator(lang),
      setLang: (l: Lang) => {
        rememberLang(l);
        setLangState(l);
      },
    }),
    [lang],
  );
  const t = i18n.t;
  // undefined: not known yet; null: signed out.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [startError, setStartError] = useState<unknown>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [hash, go] = useHash();
  const route = parseRoute(hash);
  const hashParts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);

  // Before paint, so that the page's language and its words change
  // together (screen readers read by <html lang>).
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  function start() {
    setStartError(null);
    currentSession().then(setSession, setStartError);
  }
  useEffect(start, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setNotice('sessionEnded');
      setSession(null);
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  async function doSignOut() {
    try {
      await signOut();
    } catch {
      /* signed out on the server or not: the page forgets the session */
    }
    setNotice('signedOut');
    setSession(null);
  }

  const extraPage = session ? alertingPage(hashParts, session, go) : null;
  let main;
  if (startError) main = <ProblemBox error={startError} onRetry={start} />;
  else if (session === undefined) main = <Loading />;
  else if (session === null)
    main = (
      <SignIn
        notice={notice ? t(notice) : null}
        onSignedIn={(s) => {
          setNotice(null);
          setSession(s);
        }}
      />
    );
  else if (extraPage) main = extraPage;
  else {
    const me = session.person;
    switch (route.page) {
      case 'rota':
        main = <RotaWeek week={route.week} role={me.role} go={go} />;
        break;
      case 'tickets':
        main = <Lazy key="tickets" load={async () => (await import('./pages/Tickets')).Tickets} props={{ q: route.q, sort: route.sort, go }} />;
        break;
      case 'ticket':
        main = <Lazy key="ticket" load={async () => (await import('./pages/Ticket')).TicketPage} props={{ number: route.number, me, go }} />;
        break;
      case 'phone':
        main = <Lazy key="phone" load={async () => (await import('./pages/Phone')).Phone} props={{}} />;
        break;
      case 'reports':
        main = <Lazy key="reports" load={async () => (await import('./pages/Reports')).Reports} props={{}} />;
        break;
      case 'rota-month':
        main = <Lazy key={route.page} load={async () => (await import('./pages/RotaMonth')).RotaMonth} props={{ month: route.month, role: me.role, go }} />;
        break;
      case 'rota-swaps':
        main = <Lazy key={route.page} load={async () => (await import('./pages/RotaSwaps')).RotaSwaps} props={{ me }} />;
        break;
      case 'rota-absences':
        main = <Lazy key={route.page} load={async () => (await import('./pages/RotaAbsences')).RotaAbsences} props={{ me }} />;
        break;
      case 'rota-sick':
        main = <Lazy key={route.page} load={async () => (await import('./pages/RotaSick')).RotaSick} props={{ me }} />;
        break;
      case 'rota-jour-fixe':
        main = <Lazy key={route.page} load={async () => (await import('./pages/RotaJourFixe')).RotaJourFixe} props={{ week: route.week, me, go }} />;
        break;
      case 'rota-calendars':
        main = <Lazy key={route.page} load={async () => (await import('./pages/RotaCalendars')).RotaCalendars} props={{ me }} />;
        break;
      case 'rota-plan':
        main = <Lazy key={route.page} load={async () => (await import('./pages/RotaPlan')).RotaPlan} props={{ me }} />;
        break;
      case 'admin':
        main = <Lazy key="admin" load={async () => (await import('./pages/Admin')).Admin} props={{ section: route.section, me }} />;
        break;
      default:
        main = <Dashboard />;
    }
  }

  // The main navigation; the P1 and mailbox links follow it
  // (AlertingNavLinks); administration is offered to editors and admins
  // only.
  const nav: { id: NavId; href: string; key: MessageKey }[] = [
    { id: 'dashboard', href: '#/', key: 'navDashboard' },
    { id: 'tickets', href: '#/tickets', key: 'navTickets' },
    { id: 'phone', href: '#/phone', key: 'navPhone' },
    { id: 'rota', href: '#/rota', key: 'navRota' },
    { id: 'reports', href: '#/reports', key: 'navReports' },
  ];
  if (session && canEdit(session.person.role)) nav.push({ id: 'admin', href: '#/admin', key: 'navAdmin' });
  // The P1 and mailbox pages mark their own links (AlertingNavLinks).
  const currentNav = extraPage ? null : navOf(route);

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header class="top">
        <a class="brand" href="#/">
          {t('appName')}
        </a>
        {session && (
          <nav aria-label={t('navMain')} class="main-nav">
            {nav.map((n) => (
              <a href={n.href} key={n.id} data-nav={n.id} aria-current={currentNav === n.id ? 'page' : undefined}>
                {t(n.key)}
              </a>
            ))}
            <AlertingNavLinks parts={hashParts} />
          </nav>
        )}
        <div class="tools">
          <label class="lang">
            <span class="visually-hidden">{t('language')}</span>
            <select value={lang} onChange={(e) => i18n.setLang(e.currentTarget.value as Lang)} aria-label={t('language')}>
              {languages.map((l) => (
                <option value={l.code} key={l.code} lang={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          {session && (
            <>
              <span class="who" title={session.person.login}>
                {t('signedInAs', {
                  name: session.person.name,
                  role: t(roleKeys[session.person.role] ?? 'roleViewer'),
                })}
              </span>
              <button type="button" class="secondary sign-out" onClick={doSignOut}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {main}
      </main>
    </I18nContext.Provider>
  );
}
