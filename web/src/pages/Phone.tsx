// Phone intake (#/phone): made for the person on telephone duty with a
// caller on the line. The number comes first and is looked up while it
// is typed (who is calling, for which customer); then the note and the
// priority; Enter submits (Shift+Enter for a new line in the note). The
// new ticket's number and link are shown, and the form is ready for the
// next call.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, query, request, type PhoneLookup, type PhoneTicket } from '../api';
import { PageTitle, errorText } from '../components';
import { useI18n } from '../i18n';
import { prioText, ticketHref } from '../tickets';

type Lookup = { state: 'idle' } | { state: 'looking' } | { state: 'found'; data: PhoneLookup } | { state: 'bad'; text: string };

/** Digits typed so far: a lookup is worth asking from six on. */
function digits(s: string): number {
  return s.replace(/\D/g, '').length;
}

export function Phone() {
  const { t } = useI18n();
  const [caller, setCaller] = useState('');
  const [note, setNote] = useState('');
  const [priority, setPriority] = useState('3');
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<PhoneTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const callerRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    callerRef.current?.focus();
  }, []);

  // Look the number up a moment after the last key.
  useEffect(() => {
    if (digits(caller) < 6) {
      setLookup({ state: 'idle' });
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      setLookup({ state: 'looking' });
      get<PhoneLookup>(`/api/v1/tickets/phone/lookup${query({ caller: caller.trim() })}`).then(
        (data) => live && setLookup({ state: 'found', data }),
        (e) => live && setLookup({ state: 'bad', text: e instanceof ApiError && e.status === 400 ? t('lookupNotInternational') : errorText(e, t) }),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [caller]);

  async function submit(e?: Event) {
    e?.preventDefault();
    if (busy) return;
    if (!formRef.current?.reportValidity()) return;
    setBusy(true);
    setError(null);
    try {
      const { data } = await request<PhoneTicket>('POST', '/api/v1/tickets/phone', {
        caller: caller.trim(),
        note,
        priority: Number(priority),
      });
      setCreated(data);
      setCaller('');
      setNote('');
      setPriority('3');
      setLookup({ state: 'idle' });
      callerRef.current?.focus();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  function noteKey(e: KeyboardEvent) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void submit();
    }
  }

  return (
    <section class="page phone-page">
      <PageTitle>{t('phoneTitle')}</PageTitle>
      {created && (
        <p class="ok created" role="status">
          {t('phoneCreated', { n: created.ticket.number })}{' '}
          <a href={ticketHref(created.ticket.number)} class="created-link">
            {t('openTicket', { n: created.ticket.number })}
          </a>
          {created.ticket.needs_completion && <> · {t('needsCompletion')}</>}
        </p>
      )}
      <form class="card phone-form" ref={formRef} onSubmit={submit} aria-describedby="phone-hint">
        <p class="muted" id="phone-hint">
          {t('phoneHint')}
        </p>
        <label>
          {t('callerNumber')}
          <input
            ref={callerRef}
            type="tel"
            name="caller"
            required
            maxLength={64}
            autocomplete="off"
            placeholder="+49 89 …"
            value={caller}
            aria-describedby="caller-found"
            onInput={(e) => setCaller(e.currentTarget.value)}
          />
        </label>
        <div id="caller-found" class={`caller-found ${lookup.state}`} aria-live="polite">
          {lookup.state === 'looking' && <span class="muted">{t('lookingUp')}</span>}
          {lookup.state === 'bad' && <span class="muted">{lookup.text}</span>}
          {lookup.state === 'found' && <Found data={lookup.data} />}
        </div>
        <label>
          {t('phoneNote')}
          <textarea name="note" rows={4} required maxLength={65536} value={note} onInput={(e) => setNote(e.currentTarget.value)} onKeyDown={noteKey} aria-describedby="note-hint" />
          <span class="hint" id="note-hint">
            {t('phoneNoteHint')}
          </span>
        </label>
        <label>
          {t('colPriority')}
          <select name="priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
            {[1, 2, 3, 4].map((p) => (
              <option value={String(p)} key={p}>
                {prioText(p, t)}
              </option>
            ))}
          </select>
        </label>
        {priority === '1' && <p class="notice p1-note">{t('phoneP1Hint')}</p>}
        {error && (
          <p class="problem" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('saving') : t('phoneSubmit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Found({ data }: { data: PhoneLookup }) {
  const { t } = useI18n();
  if (data.matched === 'none')
    return (
      <p class="found none" data-matched="none">
        {t('callerUnknown', { number: data.caller })}
      </p>
    );
  return (
    <p class="found" data-matched={data.matched}>
      {data.contact && (
        <>
          <strong class="found-contact">{data.contact.name}</strong>
          {data.contact.email && <span class="muted"> · {data.contact.email}</span>}
          <br />
        </>
      )}
      {data.organisation ? (
        <span class="found-org">{data.organisation.name}</span>
      ) : (
        <span class="muted">{t('unknownOrg')}</span>
      )}
      {!data.contact && <span class="muted"> · {t('contactUnknown')}</span>}
      {data.organisation?.notes && <span class="org-notes">{data.organisation.notes}</span>}
    </p>
  );
}
