// Contact methods (#/alerting/contact-methods, and .../PERSON_ID for
// editors): how a person is paged. Everyone manages their own e-mail
// addresses; editors anyone's, and webhooks (the server posts to them).
// A new method gets a test message with a six-digit code, which is
// entered here; only verified methods get pages.
import { useState } from 'preact/hooks';
import { canEdit, get, getAll, request, type Person, type Session } from '../api';
import type { ContactMethod } from '../alerting';
import { Loading, PageTitle, ProblemBox, errorText, useLoad } from '../components';
import { useI18n } from '../i18n';
import { useLiveReload } from '../live';
import { AlertingNav } from './alertBits';

interface Data {
  person: Person;
  methods: ContactMethod[];
  people: Person[];
}

export function ContactMethods({ session, personId, go }: { session: Session; personId: number | null; go: (h: string) => void }) {
  const { t, locale } = useI18n();
  const editor = canEdit(session.person.role);
  const pid = personId ?? session.person.id;
  const { data, error, loading, reload } = useLoad<Data>(async () => {
    const [person, methods, people] = await Promise.all([
      pid === session.person.id ? Promise.resolve(session.person) : get<Person>(`/api/v1/people/${pid}`),
      get<{ items: ContactMethod[] }>(`/api/v1/people/${pid}/contact-methods`),
      editor ? getAll<Person>('/api/v1/people') : Promise.resolve([] as Person[]),
    ]);
    return { person, methods: methods.items, people };
  }, [pid]);
  useLiveReload(['contact_method'], reload);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const mine = pid === session.person.id;

  async function act(fn: () => Promise<unknown>, ok: string): Promise<boolean> {
    setMessage(null);
    try {
      await fn();
      setMessage({ ok: true, text: ok });
      reload();
      return true;
    } catch (e) {
      setMessage({ ok: false, text: errorText(e, t) });
      return false;
    }
  }

  return (
    <section class="page contact-methods" aria-busy={loading}>
      <PageTitle>{mine ? t('myContactMethods') : t('contactMethodsOf', { name: data?.person.name ?? '…' })}</PageTitle>
      <AlertingNav current="contact" />
      <p class="muted">{t('contactIntro')}</p>
      {editor && data && (
        <label class="person-pick">
          {t('contactPerson')}
          <select
            value={String(pid)}
            onChange={(e) => {
              setMessage(null);
              const id = Number(e.currentTarget.value);
              go(id === session.person.id ? '#/alerting/contact-methods' : `#/alerting/contact-methods/${id}`);
            }}
          >
            {data.people
              .filter((p) => p.active || p.id === pid)
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((p) => (
                <option value={String(p.id)} key={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
      )}
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {message && (
        <p class={message.ok ? 'ok' : 'problem'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {data && (
        <>
          {data.methods.length === 0 ? (
            <p class="problem">{t('noMethods')}</p>
          ) : (
            <ul class="method-list">
              {data.methods.map((m) => (
                <MethodItem
                  key={m.id}
                  m={m}
                  locale={locale}
                  onTest={() => act(() => request('POST', `/api/v1/people/${pid}/contact-methods/${m.id}/test`), m.verified ? t('testSent') : t('codeSent'))}
                  onDelete={() => act(() => request('DELETE', `/api/v1/people/${pid}/contact-methods/${m.id}`), t('methodRemoved', { address: m.address }))}
                  onVerify={(code) =>
                    act(() => request('POST', `/api/v1/people/${pid}/contact-methods/${m.id}/verify`, { code }), t('methodVerified', { address: m.address }))
                  }
                />
              ))}
            </ul>
          )}
          <AddMethod
            key={pid}
            editor={editor}
            onAdd={(body) => act(() => request('POST', `/api/v1/people/${pid}/contact-methods`, body), t('methodAdded', { address: body.address }))}
          />
        </>
      )}
    </section>
  );
}

function MethodItem({
  m,
  locale,
  onTest,
  onDelete,
  onVerify,
}: {
  m: ContactMethod;
  locale: string;
  onTest: () => Promise<boolean>;
  onDelete: () => Promise<boolean>;
  onVerify: (code: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const kind = m.kind === 'email' ? t('kindEmail') : `${t('kindWebhook')} (${m.format})`;
  return (
    <li class={`card method ${m.verified ? 'verified' : 'unverified'}`} data-method-id={m.id}>
      <p>
        <strong class="address">{m.address}</strong> <span class="muted">{kind}</span>
        {m.label && <span class="muted"> · {m.label}</span>}{' '}
        {m.verified ? (
          <span class="badge verified">{t('verified')}</span>
        ) : (
          <span class="badge unverified">{t('unverified')}</span>
        )}
      </p>
      {!m.verified && (
        <form
          class="verify"
          onSubmit={(e) => {
            e.preventDefault();
            onVerify(code.trim());
            setCode('');
          }}
        >
          <label>
            {t('verifyCode', { address: m.address })}
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          <button type="submit">{t('verify')}</button>
        </form>
      )}
      {m.test_sent_at && (
        <p class="muted">{t('lastTest', { when: new Date(m.test_sent_at).toLocaleString(locale) })}</p>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={onTest} aria-label={t('sendTestTo', { address: m.address })}>
          {m.verified ? t('sendTest') : t('sendNewCode')}
        </button>
        <button type="button" class="secondary danger" onClick={onDelete} aria-label={t('removeMethodOf', { address: m.address })}>
          {t('removeMethod')}
        </button>
      </div>
    </li>
  );
}

interface NewMethod {
  kind: 'email' | 'webhook';
  address: string;
  format?: 'generic' | 'slack';
  label?: string;
}

function AddMethod({ editor, onAdd }: { editor: boolean; onAdd: (m: NewMethod) => Promise<boolean> }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'email' | 'webhook'>('email');
  const [address, setAddress] = useState('');
  const [format, setFormat] = useState<'generic' | 'slack'>('generic');
  const [label, setLabel] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    const body: NewMethod = { kind, address: address.trim() };
    if (kind === 'webhook') body.format = format;
    if (label.trim()) body.label = label.trim();
    if (await onAdd(body)) {
      setAddress('');
      setLabel('');
    }
  }
  return (
    <form class="card add-method" onSubmit={submit} aria-labelledby="add-method-h">
      <h2 id="add-method-h">{t('addMethod')}</h2>
      <div class="fields">
        {editor ? (
          <label>
            {t('methodKind')}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'email' | 'webhook')}>
              <option value="email">{t('kindEmail')}</option>
              <option value="webhook">{t('kindWebhook')}</option>
            </select>
          </label>
        ) : null}
        <label>
          {kind === 'email' ? t('emailAddress') : t('webhookUrl')}
          <input
            name="address"
            type={kind === 'email' ? 'email' : 'url'}
            required
            maxLength={2048}
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        </label>
        {kind === 'webhook' && (
          <label>
            {t('webhookFormat')}
            <select value={format} onChange={(e) => setFormat(e.currentTarget.value as 'generic' | 'slack')}>
              <option value="generic">{t('formatGeneric')}</option>
              <option value="slack">{t('formatSlack')}</option>
            </select>
          </label>
        )}
        <label>
          {t('methodLabel')}
          <input name="label" maxLength={200} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
      </div>
      {!editor && <p class="muted hint">{t('webhooksNeedEditor')}</p>}
      <div class="actions">
        <button type="submit">{t('addMethodButton')}</button>
      </div>
    </form>
  );
}
