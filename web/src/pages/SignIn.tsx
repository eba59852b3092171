import { useState } from 'preact/hooks';
import { ApiError, signIn, type Session } from '../api';
import { PageTitle, errorText } from '../components';
import { useI18n } from '../i18n';

export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice: string | null }) {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(login.trim(), password));
    } catch (err) {
      // 401 here is a wrong login or password, not an ended session.
      setError(err instanceof ApiError && err.status === 401 ? err.detail : errorText(err, t));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="page signin">
      <form class="card signin-form" onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <PageTitle>{t('signInTitle')}</PageTitle>
        <p class="muted">{t('signInIntro')}</p>
        {notice && !error && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label>
          {t('login')}
          <input
            name="login"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            maxLength={64}
            value={login}
            onInput={(e) => setLogin(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxLength={1024}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p id="signin-error" class="problem" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </section>
  );
}
