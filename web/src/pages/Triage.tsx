// The mailbox's triage queue (#/mail): mail that joined no ticket, for
// the head of mailbox. Each item shows its sender, subject, why it waits
// and whether it is addressed to a colleague personally, and offers the
// four actions, each one request: make a ticket (queue, owner,
// priority), copy it into an existing ticket, answer it directly, or
// forward it to a colleague. Handled items move to "done" with what was
// done. The raw message can be read as text.
import { useState } from 'preact/hooks';
import { canEdit, get, getAll, request, type ListPage, type Person, type Role } from '../api';
import type { Named } from '../alerting';
import { Loading, PageTitle, ProblemBox, errorText, useLoad } from '../components';
import { useI18n, type MessageKey } from '../i18n';
import { useLiveReload } from '../live';
import { rawMessage, type TriageAction, type TriageItem } from '../mailbox';
import { personName } from './alertBits';

/** The tabs of the mailbox pages; mail settings only for editors. */
export function MailNav({ current, role }: { current: 'triage' | 'failed' | 'settings'; role: Role }) {
  const { t } = useI18n();
  const tabs: ['triage' | 'failed' | 'settings', string, MessageKey][] = [
    ['triage', '#/mail', 'navTriage'],
    ['failed', '#/mail/failed', 'navFailedMail'],
  ];
  if (canEdit(role)) tabs.push(['settings', '#/mail/settings', 'navMailSettings']);
  return (
    <nav class="sub-nav" aria-label={t('navMailbox')}>
      {tabs.map(([id, href, key]) => (
        <a href={href} key={id} aria-current={id === current ? 'page' : undefined}>
          {t(key)}
        </a>
      ))}
    </nav>
  );
}

const reasonKeys: Record<TriageItem['reason'], MessageKey> = {
  new: 'triageReasonNew',
  'stranger-tag': 'triageReasonStrangerTag',
  'closed-ticket': 'triageReasonClosedTicket',
  automatic: 'triageReasonAutomatic',
  bounce: 'triageReasonBounce',
};

const actionKeys: Record<TriageAction, MessageKey> = {
  'create-ticket': 'triageCreateTicket',
  append: 'triageAppend',
  answer: 'triageAnswer',
  forward: 'triageForward',
};

const actionDoneKeys: Record<TriageAction, MessageKey> = {
  'create-ticket': 'triageDoneCreate',
  append: 'triageDoneAppend',
  answer: 'triageDoneAnswer',
  forward: 'triageDoneForward',
};

type StatusFilter = 'open' | 'done' | 'all';

interface Data {
  items: TriageItem[];
  next: string | null;
  people: Map<number, Person>;
  queues: Named[];
  tickets: Map<number, number>; // ticket id -> number, for done items and suggestions
}

async function ticketNumbers(ids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  await Promise.all(
    [...new Set(ids)].map((id) =>
      get<{ id: number; number: number }>(`/api/v1/tickets/${id}`).then(
        (tk) => out.set(id, tk.number),
        () => undefined,
      ),
    ),
  );
  return out;
}

export function Triage({ role }: { role: Role }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<StatusFilter>('open');
  const { data, error, loading, reload } = useLoad<Data>(async () => {
    const [page, people, queues] = await Promise.all([
      get<ListPage<TriageItem>>(`/api/v1/triage?status=${status}&limit=100`),
      getAll<Person>('/api/v1/people'),
      getAll<Named>('/api/v1/queues'),
    ]);
    const ids = page.items.flatMap((i) => [i.ticket_id, i.suggested_ticket_id]).filter((x): x is number => !!x);
    return {
      items: page.items,
      next: page.next_cursor ?? null,
      people: new Map(people.map((p) => [p.id, p])),
      queues,
      tickets: await ticketNumbers(ids),
    };
  }, [status]);
  useLiveReload(['triage_item'], reload);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <section class="page triage" aria-busy={loading}>
      <PageTitle>{t('triageTitle')}</PageTitle>
      <MailNav current="triage" role={role} />
      <div class="toolbar">
        <label>
          {t('stateFilter')}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as StatusFilter)}>
            <option value="open">{t('triageOpen')}</option>
            <option value="done">{t('triageDone')}</option>
            <option value="all">{t('filterAll')}</option>
          </select>
        </label>
      </div>
      {message && (
        <p class="ok" role="status">
          {message}
        </p>
      )}
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <p class="ok">{status === 'open' ? t('triageEmpty') : t('alertsNone')}</p>}
      {data && (
        <ul class="triage-list method-list">
          {data.items.map((item) => (
            <TriageCard
              key={item.id}
              item={item}
              data={data}
              onDone={(text) => {
                setMessage(text);
                reload();
              }}
            />
          ))}
        </ul>
      )}
      {data?.next && <p class="muted">{t('triageMore')}</p>}
    </section>
  );
}

function TriageCard({ item, data, onDone }: { item: TriageItem; data: Data; onDone: (text: string) => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState<TriageAction | null>(null);
  const [raw, setRaw] = useState<{ text: string; cut: boolean } | null>(null);
  const [rawError, setRawError] = useState<string | null>(null);
  const personal = item.personal_id ? data.people.get(item.personal_id) : undefined;
  const from = item.from_name ? `${item.from_name} <${item.from ?? ''}>` : item.from ?? t('unknownSender');
  const subject = item.subject || t('noSubject');
  const formId = `triage-${item.id}`;

  async function showRaw() {
    if (raw) return setRaw(null);
    setRawError(null);
    try {
      setRaw(await rawMessage(item.mail_id));
    } catch (e) {
      setRawError(errorText(e, t));
    }
  }

  return (
    <li class={`card triage-item ${personal ? 'personal' : ''}`} data-triage-id={item.id} data-status={item.status}>
      <h2 class="triage-subject">{subject}</h2>
      <p>
        <span class="from">{from}</span> ·{' '}
        <time dateTime={item.received_at}>{new Date(item.received_at).toLocaleString(locale)}</time>{' '}
        <span class="badge">{t(reasonKeys[item.reason])}</span>
        {item.flags.map((f) => (
          <span class="badge" key={f}>
            {f}
          </span>
        ))}
      </p>
      {item.personal_id && (
        <p class="personal-flag">
          <span class="badge personal">{t('addressedPersonally')}</span>{' '}
          {t('addressedTo', { name: personName(data.people, item.personal_id, t) })}
        </p>
      )}
      {item.suggested_ticket_id && (
        <p class="muted">
          {t('suggestedTicket', { n: data.tickets.get(item.suggested_ticket_id) ?? item.suggested_ticket_id })}
        </p>
      )}
      {item.status === 'done' && item.action && (
        <p class="ok done-what">
          {t(actionDoneKeys[item.action], {
            n: item.ticket_id ? data.tickets.get(item.ticket_id) ?? item.ticket_id : '',
            name: personName(data.people, item.done_by, t),
          })}
          {item.done_at ? ` · ${new Date(item.done_at).toLocaleString(locale)}` : ''}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={showRaw} aria-expanded={raw !== null} aria-controls={`${formId}-raw`}>
          {raw ? t('hideMessage') : t('showMessage')}
        </button>
      </div>
      {rawError && (
        <p class="problem" role="alert">
          {rawError}
        </p>
      )}
      {raw && (
        <pre class="mail-body" id={`${formId}-raw`} tabIndex={0} aria-label={t('rawMessage')}>
          {raw.text}
          {raw.cut ? `\n${t('rawCut')}` : ''}
        </pre>
      )}
      {item.status === 'open' && (
        <>
          <div class="triage-actions" role="group" aria-label={t('triageActionsFor', { subject })}>
            {(Object.keys(actionKeys) as TriageAction[]).map((a) => (
              <button
                type="button"
                key={a}
                class={open === a ? '' : 'secondary'}
                aria-expanded={open === a}
                aria-controls={`${formId}-form`}
                data-action={a}
                onClick={() => setOpen(open === a ? null : a)}
              >
                {t(actionKeys[a])}
              </button>
            ))}
          </div>
          {open && (
            <div id={`${formId}-form`}>
              <ActionForm key={open} action={open} item={item} data={data} onDone={onDone} />
            </div>
          )}
        </>
      )}
    </li>
  );
}

function ActionForm({
  action,
  item,
  data,
  onDone,
}: {
  action: TriageAction;
  item: TriageItem;
  data: Data;
  onDone: (text: string) => void;
}) {
  const { t } = useI18n();
  const people = [...data.people.values()].filter((p) => p.active).sort((a, b) => a.name.localeCompare(b.name));
  const [queue, setQueue] = useState('');
  const [owner, setOwner] = useState(item.personal_id ? String(item.personal_id) : '');
  const [priority, setPriority] = useState('3');
  const [newSubject, setNewSubject] = useState(item.subject ?? '');
  const suggested = item.suggested_ticket_id ? data.tickets.get(item.suggested_ticket_id) : undefined;
  const [number, setNumber] = useState(suggested ? String(suggested) : '');
  const [body, setBody] = useState('');
  const [person, setPerson] = useState(item.personal_id ? String(item.personal_id) : '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const path = `/api/v1/triage/${item.id}/${action}`;
      let done: string;
      if (action === 'create-ticket') {
        const b: Record<string, unknown> = { priority: Number(priority) };
        if (queue) b.queue_id = Number(queue);
        if (owner) b.owner_id = Number(owner);
        if (newSubject.trim() && newSubject.trim() !== (item.subject ?? '')) b.subject = newSubject.trim();
        const r = await request<TriageItem>('POST', path, b);
        const made = r.data.ticket_id ? await get<{ number: number }>(`/api/v1/tickets/${r.data.ticket_id}`).catch(() => null) : null;
        done = t('triageCreated', { n: made?.number ?? r.data.ticket_id ?? '' });
      } else if (action === 'append') {
        const n = number.trim().replace(/^#/, '');
        if (!/^[1-9][0-9]*$/.test(n)) throw new Error(t('ticketNumberInvalid'));
        const tk = await get<{ id: number }>(`/api/v1/ticket-numbers/${n}`);
        await request('POST', path, { ticket_id: tk.id });
        done = t('triageAppended', { n });
      } else if (action === 'answer') {
        await request('POST', path, { body });
        done = t('triageAnswered', { to: item.from ?? '' });
      } else {
        const b: Record<string, unknown> = { person_id: Number(person) };
        if (note.trim()) b.note = note;
        await request('POST', path, b);
        done = t('triageForwarded', { name: personName(data.people, Number(person), t) });
      }
      onDone(done);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  const fid = `tf-${item.id}-${action}`;
  return (
    <form class="triage-form" data-form={action} onSubmit={submit} aria-label={t(actionKeys[action])}>
      {action === 'create-ticket' && (
        <div class="fields">
          <label>
            {t('queueLabel')}
            <select name="queue" value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
              <option value="">{t('byRules')}</option>
              {data.queues.map((q) => (
                <option value={String(q.id)} key={q.id}>
                  {q.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('ownerLabel')}
            <select name="owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
              <option value="">{t('byRules')}</option>
              {people.map((p) => (
                <option value={String(p.id)} key={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('priorityLabel')}
            <select name="priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
              {[1, 2, 3, 4].map((n) => (
                <option value={String(n)} key={n}>
                  {t(n === 1 ? 'priority1' : n === 2 ? 'priority2' : n === 3 ? 'priority3' : 'priority4')}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('subjectLabel')}
            <input name="subject" value={newSubject} maxLength={500} onInput={(e) => setNewSubject(e.currentTarget.value)} />
          </label>
        </div>
      )}
      {action === 'append' && (
        <div class="fields">
          <label>
            {t('ticketNumberLabel')}
            <input name="ticket" inputMode="numeric" required value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
          </label>
        </div>
      )}
      {action === 'answer' && (
        <label>
          {t('answerLabel', { to: item.from ?? '' })}
          <textarea name="body" required rows={6} maxLength={262144} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        </label>
      )}
      {action === 'forward' && (
        <div class="fields">
          <label>
            {t('forwardTo')}
            <select name="person" required value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
              <option value="">{t('choosePerson')}</option>
              {people.map((p) => (
                <option value={String(p.id)} key={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('forwardNote')}
            <textarea name="note" rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
        </div>
      )}
      <div class="actions">
        <button type="submit" disabled={busy} id={fid}>
          {t(action === 'create-ticket' ? 'doCreateTicket' : action === 'append' ? 'doAppend' : action === 'answer' ? 'doAnswer' : 'doForward')}
        </button>
      </div>
      {error && (
        <p class="problem" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The dashboard's count of mail waiting for triage. */
export function TriageCount() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(() => get<ListPage<TriageItem>>('/api/v1/triage?status=open&limit=100'), []);
  useLiveReload(['triage_item'], reload);
  const n = data?.items.length ?? 0;
  const more = !!data?.next_cursor;
  return (
    <section class="card triage-count" aria-labelledby="triage-h">
      <h2 id="triage-h">{t('triageTitle')}</h2>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && (
        <p class={n ? '' : 'ok'} data-count={more ? `${n}+` : n}>
          {n === 0 ? t('triageEmpty') : t('triageWaiting', { n: more ? `${n}+` : n })}{' '}
          {n > 0 && <a href="#/mail">{t('triageGo')}</a>}
        </p>
      )}
    </section>
  );
}
