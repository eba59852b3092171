// The shell: the session, the language, the header with navigation and
// the page for the address's #fragment. Pages: #/ (dashboard),
// #/rota and #/rota/YYYY-MM-DD (a week). Routing by fragment means the
// server serves one document at / and never needs to know the pages.
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { currentSession, setUnauthorizedHandler, signOut, type Session } from './api';
import { Loading, ProblemBox } from './components';
import { isDay } from './dates';
import { I18nContext, initialLang, languages, localeFor, rememberLang, translator, type Lang, type MessageKey } from './i18n';
import { alertingPage, AlertingNavLinks } from './pages/AlertingRoutes';
import { Dashboard } from './pages/Dashboard';
import { RotaWeek } from './pages/RotaWeek';
import { SignIn } from './pages/SignIn';

type Route = { page: 'dashboard' } | { page: 'rota'; week: string | null };

function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'rota') return { page: 'rota', week: parts[1] && isDay(parts[1]) ? parts[1] : null };
  return { page: 'dashboard' };
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
  else if (route.page === 'rota') main = <RotaWeek week={route.week} role={session.person.role} go={go} />;
  else main = <Dashboard />;

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
            <a href="#/" aria-current={route.page === 'dashboard' && !extraPage ? 'page' : undefined}>
              {t('navDashboard')}
            </a>
            <a href="#/rota" aria-current={route.page === 'rota' ? 'page' : undefined}>
              {t('navRota')}
            </a>
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
