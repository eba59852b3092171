// The dashboard's live part: the P1 board (open priority-1 alerts with
// their ticket, state, who was paged, the escalation step, time since
// the trigger, the communication and technical owners, Acknowledge and
// Resolve), my shift's readiness, my tickets and the triage count. Each
// card reloads itself when the live stream reports a change to what it
// shows: a new P1 appears without a reload.
import { useState } from 'preact/hooks';
import { get, request, type Person, type Session } from '../api';
import { lastStep, openAlerts, pagedPeople, type AlertWithPages, type Shift, type Ticket } from '../alerting';
import { Loading, ProblemBox, errorText, useLoad } from '../components';
import { formatTime } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { useLiveReload, useLiveState } from '../live';
import { TriageCount } from './Triage';
import { AlertButtons, AlertStateBadge, Since, personName, useNow } from './alertBits';

export function LiveIndicator() {
  const { t } = useI18n();
  const s = useLiveState();
  return (
    <span class={`live-state live-${s}`} role="status" data-live={s}>
      {t(s === 'live' ? 'liveOn' : s === 'connecting' ? 'liveConnecting' : 'liveReconnecting')}
    </span>
  );
}

// withMyTickets: false where the page lists the person's tickets itself
// (the dashboard's tickets card).
export function DashboardLive({
  people,
  timeZone,
  today,
  withMyTickets = true,
}: {
  people: Map<number, Person>;
  timeZone: string;
  today: string;
  withMyTickets?: boolean;
}) {
  return (
    <>
      <MyShift people={people} timeZone={timeZone} today={today} />
      {withMyTickets && <MyTickets />}
      <TriageCount />
    </>
  );
}

export function P1Board({ people }: { people: Map<number, Person> }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(openAlerts, []);
  useLiveReload(['alert', 'ticket'], reload);
  const now = useNow();
  // Triggered (paging) first, then the newest.
  const items = (data ?? []).slice().sort(
    (a, b) =>
      Number(b.alert.state === 'triggered') - Number(a.alert.state === 'triggered') ||
      Date.parse(b.alert.triggered_at) - Date.parse(a.alert.triggered_at),
  );
  return (
    <section class="card p1-board" aria-labelledby="p1-h" aria-busy={loading}>
      <h2 id="p1-h">
        {t('p1BoardTitle')} <LiveIndicator />
      </h2>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && items.length === 0 && <p class="ok">{t('p1None')}</p>}
      {items.length > 0 && (
        <ul class="p1-list">
          {items.map((x) => (
            <P1Item key={x.alert.id} item={x} people={people} now={now} reload={reload} />
          ))}
        </ul>
      )}
      <p class="more">
        <a href="#/alerts">{t('p1History')}</a>
      </p>
    </section>
  );
}

function P1Item({ item, people, now, reload }: { item: AlertWithPages; people: Map<number, Person>; now: number; reload: () => void }) {
  const { t } = useI18n();
  const a = item.alert;
  const paged = pagedPeople(item.pages);
  const step = lastStep(item.pages);
  // Paged nobody: the page log says why (out of hours, no verified method).
  const unreached = [...item.pages].reverse().find((p) => p.kind === 'page' && !p.person_id)?.note ?? '';
  return (
    <li class={`p1-item state-${a.state}`} data-alert-id={a.id} data-ticket-number={a.ticket_number}>
      <div class="p1-head">
        <a class="p1-ticket" href={`#/alerts/${a.id}`}>
          <span class="ticket-number">#{a.ticket_number}</span> <span class="p1-subject">{a.subject}</span>
        </a>{' '}
        <AlertStateBadge state={a.state} />
      </div>
      <dl class="p1-facts">
        <dt>{t('sinceTrigger')}</dt>
        <dd>
          <Since iso={a.triggered_at} now={now} />
        </dd>
        <dt>{t('pagedLabel')}</dt>
        <dd class="p1-paged">
          {paged.length ? paged.map((id) => personName(people, id, t)).join(', ') : unreached ? t('nobodyReached', { why: unreached }) : t('nobodyYet')}
        </dd>
        <dt>{t('stepLabel')}</dt>
        <dd class="p1-step">
          {step === null ? t('stepNone') : t('stepN', { n: step + 1 })}
          {a.state === 'acknowledged' && a.acknowledged_by
            ? ` · ${t('ackBy', { name: personName(people, a.acknowledged_by, t) })}`
            : ''}
        </dd>
        <dt>{t('commOwner')}</dt>
        <dd class="p1-comm">{personName(people, a.comm_owner_id, t)}</dd>
        <dt>{t('techOwner')}</dt>
        <dd class="p1-tech">{personName(people, a.tech_owner_id, t)}</dd>
      </dl>
      <AlertButtons alert={a} onDone={reload} />
    </li>
  );
}

async function loadMyShifts(): Promise<{ me: Session; shifts: Shift[] }> {
  const [me, list] = await Promise.all([
    get<Session>('/api/v1/session'),
    get<{ items: Shift[] }>('/api/v1/shifts?limit=20'),
  ]);
  return { me, shifts: list.items };
}

/** Today's shift-start notices of mine not yet confirmed: "on duty, VPN works". */
function MyShift({ people, timeZone, today }: { people: Map<number, Person>; timeZone: string; today: string }) {
  const { t, locale } = useI18n();
  const { data, reload } = useLoad(loadMyShifts, []);
  useLiveReload(['shift'], reload);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!data) return null;
  const mine = data.shifts.filter((s) => s.person_id === data.me.person.id && s.day === today);
  if (mine.length === 0 && !message) return null;
  async function ready(id: number) {
    setBusy(true);
    setMessage(null);
    try {
      await request('POST', `/api/v1/shifts/${id}/ready`, note.trim() ? { note: note.trim() } : {});
      setMessage({ ok: true, text: t('readyConfirmed') });
      reload();
    } catch (e) {
      setMessage({ ok: false, text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card my-shift" aria-labelledby="shift-h">
      <h2 id="shift-h">{t('myShiftTitle')}</h2>
      {mine.map((s) => (
        <div class="shift" key={s.id} data-shift-id={s.id}>
          <p>
            {t('shiftWindow', {
              start: formatTime(s.window_start, locale, timeZone),
              end: formatTime(s.window_end, locale, timeZone),
            })}
            {' · '}
            {personName(people, s.person_id, t)}
          </p>
          {s.ready ? (
            <p class="ok">{t('readySince', { time: formatTime(s.ready_at ?? s.notified_at, locale, timeZone) })}</p>
          ) : (
            <div class="fields">
              <label>
                {t('readyNote')}
                <input value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} />
              </label>
              <div class="actions">
                <button type="button" disabled={busy} onClick={() => ready(s.id)}>
                  {t('confirmReady')}
                </button>
              </div>
            </div>
          )}
        </div>
      ))}
      {message && (
        <p class={message.ok ? 'ok' : 'problem'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  );
}

const statusKeys: Record<Ticket['status'], MessageKey> = {
  new: 'statusNew',
  open: 'statusOpen',
  pending: 'statusPending',
  resolved: 'statusResolved',
  closed: 'statusClosed',
};

const MY_TICKETS_Q = 'owner:me status:new,open,pending';

async function loadMyTickets(): Promise<{ items: Ticket[]; total: number }> {
  const r = await get<{ items: Ticket[]; total?: number }>(
    `/api/v1/tickets?q=${encodeURIComponent(MY_TICKETS_Q)}&sort=priority&limit=10&total=true`,
  );
  return { items: r.items, total: r.total ?? r.items.length };
}

function MyTickets() {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(loadMyTickets, []);
  useLiveReload(['ticket'], reload);
  return (
    <section class="card my-tickets" aria-labelledby="mine-h">
      <h2 id="mine-h">
        {t('myTicketsTitle')}
        {data && <span class="count"> ({data.total})</span>}
      </h2>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <p class="muted">{t('myTicketsNone')}</p>}
      {data && data.items.length > 0 && (
        <ul class="ticket-list">
          {data.items.map((tk) => (
            <li key={tk.id} data-ticket-number={tk.number}>
              <span class={`badge prio prio-${tk.priority}`}>{t('prioN', { n: tk.priority })}</span>{' '}
              <span class="ticket-number">#{tk.number}</span> {tk.subject}{' '}
              <span class="muted">
                {t(statusKeys[tk.status])}
                {tk.due_at ? ` · ${t('dueAtDate', { date: new Date(tk.due_at).toLocaleDateString(locale) })}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {data && data.total > data.items.length && (
        <p class="more muted">{t('moreTicketsN', { n: data.total - data.items.length })}</p>
      )}
    </section>
  );
}
