// The ticket list: the search box (the query language of
// docs/tickets.md), the views with their counts, filters that edit the
// query's terms, a page of tickets with "more", bulk assignment of the
// selected tickets (owner, queue; each with its ETag), and the CSV export
// of the whole list. The address holds the query (#/tickets?q=...), so a
// list can be bookmarked and the browser's back button works.
import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  etagOf,
  get,
  getAll,
  query,
  request,
  type Organisation,
  type Person,
  type Queue,
  type Ticket,
  type TicketPage,
  type TicketView,
} from '../api';
import { Loading, OutcomeLine, PageTitle, ProblemBox, errorText, formatInstant, personName, personOptions, useLoad, type Outcome } from '../components';
import { loadBasics, type Basics } from '../data';
import { useI18n, type MessageKey } from '../i18n';
import { OPEN, channelKeys, listHref, setTerm, slaKeys, statusKeys, termValue, ticketHref, viewKeys } from '../tickets';

interface ListData extends Basics {
  views: TicketView[];
  queues: Queue[];
  orgs: Map<number, Organisation>;
}

async function loadListData(): Promise<ListData> {
  const [basics, views, queues, orgs] = await Promise.all([
    loadBasics(),
    get<{ items: TicketView[] }>('/api/v1/tickets/views'),
    getAll<Queue>('/api/v1/queues'),
    getAll<Organisation>('/api/v1/organisations'),
  ]);
  queues.sort((a, b) => a.name.localeCompare(b.name));
  return { ...basics, views: views.items, queues, orgs: new Map(orgs.map((o) => [o.id, o])) };
}

const sorts: { id: string; key: MessageKey }[] = [
  { id: '', key: 'sortDefault' },
  { id: 'updated', key: 'sortUpdated' },
  { id: 'created', key: 'sortCreated' },
  { id: 'due', key: 'sortDue' },
  { id: 'priority', key: 'sortPriority' },
  { id: 'number', key: 'sortNumber' },
];

export function Tickets({ q, sort, go }: { q: string; sort: string; go: (h: string) => void }) {
  const { t } = useI18n();
  // Views and names change less than the list: loaded once per visit,
  // again after a bulk change.
  const base = useLoad(loadListData, []);
  return (
    <section class="page tickets-page" aria-busy={base.loading}>
      <PageTitle>{t('ticketsTitle')}</PageTitle>
      {base.error ? <ProblemBox error={base.error} onRetry={base.reload} /> : null}
      {base.data ? <ListBody data={base.data} q={q} sort={sort} go={go} reloadBase={base.reload} /> : !base.error && <Loading />}
    </section>
  );
}

function ListBody({ data, q, sort, go, reloadBase }: { data: ListData; q: string; sort: string; go: (h: string) => void; reloadBase: () => void }) {
  const { t, locale } = useI18n();
  const tz = data.calendar.time_zone;
  const [text, setText] = useState(q);
  const [items, setItems] = useState<Ticket[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [tick, setTick] = useState(0);
  const [bulkOutcome, setBulkOutcome] = useState<Outcome | null>(null);

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    get<TicketPage>(`/api/v1/tickets${query({ q, sort, limit: 50, total: 'true' })}`).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.next_cursor);
        setTotal(page.total ?? null);
        setSelected(new Set());
        setLoading(false);
      },
      (e) => {
        if (!live) return;
        setItems([]);
        setCursor(null);
        setTotal(null);
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [q, sort, tick]);

  async function more() {
    if (!cursor) return;
    try {
      const page = await get<TicketPage>(`/api/v1/tickets${query({ q, sort, limit: 50, cursor })}`);
      setItems((old) => [...old, ...page.items]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(e);
    }
  }

  function search(e: Event) {
    e.preventDefault();
    go(listHref(text.trim(), sort));
  }

  function filter(name: string, value: string) {
    go(listHref(setTerm(q, name, value), sort));
  }

  const people = [...data.people.values()];
  const toggle = (id: number) =>
    setSelected((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));

  const statusValue = termValue(q, 'status') ?? '';
  const prioValue = termValue(q, 'prio') ?? '';
  const queueValue = termValue(q, 'queue') ?? '';
  const ownerValue = termValue(q, 'owner') ?? '';
  const csv = `/api/v1/tickets${query({ q, sort, format: 'csv' })}`;

  return (
    <>
      <nav class="views" aria-label={t('viewsLabel')}>
        <a href={listHref('')} aria-current={q === '' ? 'page' : undefined} class="view">
          {t('viewAll')}
        </a>
        {data.views.map((v) => (
          <a href={listHref(v.query)} key={v.id} class="view" data-view={v.id} aria-current={q === v.query ? 'page' : undefined}>
            {viewKeys[v.id] ? t(viewKeys[v.id]) : v.name} <span class="count">{v.count}</span>
          </a>
        ))}
      </nav>

      <form class="card search" role="search" onSubmit={search}>
        <label class="search-label">
          {t('searchLabel')}
          <span class="search-row">
            <input
              type="search"
              name="q"
              value={text}
              maxLength={1000}
              autocomplete="off"
              spellcheck={false}
              placeholder={t('searchPlaceholder')}
              aria-describedby="search-help"
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit">{t('search')}</button>
          </span>
        </label>
        <details id="search-help" class="help">
          <summary>{t('searchHelpTitle')}</summary>
          <p>{t('searchHelp')}</p>
          <ul class="syntax">
            <li><code>status:open,pending</code> · <code>prio:1</code> · <code>prio:1..2</code></li>
            <li><code>org:acme</code> · <code>queue:"service management"</code> · <code>owner:me</code> · <code>owner:none</code></li>
            <li><code>tag:vpn</code> · <code>channel:phone</code> · <code>number:10042</code></li>
            <li><code>is:overdue</code> · <code>is:unassigned</code> · <code>is:due-today</code></li>
            <li><code>"exact phrase"</code> · <code>störung</code></li>
          </ul>
        </details>
        <div class="filters">
          <label>
            {t('filterStatus')}
            <select name="status" value={statusValue} onChange={(e) => filter('status', e.currentTarget.value)}>
              <option value="">{t('any')}</option>
              <option value={OPEN}>{t('statusAllOpen')}</option>
              {(['new', 'open', 'pending', 'resolved', 'closed'] as const).map((s) => (
                <option value={s} key={s}>
                  {t(statusKeys[s])}
                </option>
              ))}
              {statusValue && ![OPEN, 'new', 'open', 'pending', 'resolved', 'closed'].includes(statusValue) && <option value={statusValue}>{statusValue}</option>}
            </select>
          </label>
          <label>
            {t('filterPriority')}
            <select name="prio" value={prioValue} onChange={(e) => filter('prio', e.currentTarget.value)}>
              <option value="">{t('any')}</option>
              {['1', '2', '3', '4', '1..2'].map((p) => (
                <option value={p} key={p}>
                  {p === '1..2' ? t('prio1to2') : `P${p}`}
                </option>
              ))}
              {prioValue && !['1', '2', '3', '4', '1..2'].includes(prioValue) && <option value={prioValue}>{prioValue}</option>}
            </select>
          </label>
          <label>
            {t('filterQueue')}
            <select name="queue" value={queueValue} onChange={(e) => filter('queue', e.currentTarget.value)}>
              <option value="">{t('any')}</option>
              <option value="none">{t('noQueue')}</option>
              {data.queues.map((qu) => (
                <option value={String(qu.id)} key={qu.id}>
                  {qu.name}
                </option>
              ))}
              {queueValue && queueValue !== 'none' && !data.queues.some((qu) => String(qu.id) === queueValue) && <option value={queueValue}>{queueValue}</option>}
            </select>
          </label>
          <label>
            {t('filterOwner')}
            <select name="owner" value={ownerValue} onChange={(e) => filter('owner', e.currentTarget.value)}>
              <option value="">{t('any')}</option>
              <option value="me">{t('ownerMe')}</option>
              <option value="none">{t('ownerNone')}</option>
              {[...people]
                .filter((p) => p.active)
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((p) => (
                  <option value={p.login} key={p.id}>
                    {p.name}
                  </option>
                ))}
              {ownerValue && !['me', 'none'].includes(ownerValue) && !people.some((p) => p.login === ownerValue) && <option value={ownerValue}>{ownerValue}</option>}
            </select>
          </label>
          <label>
            {t('sortLabel')}
            <select name="sort" value={sort} onChange={(e) => go(listHref(q, e.currentTarget.value))}>
              {sorts.map((s) => (
                <option value={s.id} key={s.id}>
                  {t(s.key)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </form>

      <div class="list-head">
        <p class="muted" role="status" aria-live="polite">
          {loading ? t('loading') : total !== null ? t('ticketCount', { n: total }) : ''}
        </p>
        <a class="button secondary" href={csv} download>
          {t('exportCsv')}
        </a>
      </div>

      {error ? <ProblemBox error={error} /> : null}

      {selected.size > 0 && (
        <BulkAssign
          tickets={items.filter((i) => selected.has(i.id))}
          people={people}
          queues={data.queues}
          done={(o) => {
            setBulkOutcome(o);
            setTick((n) => n + 1);
            reloadBase();
          }}
        />
      )}
      <OutcomeLine outcome={bulkOutcome} />

      {!loading && !error && items.length === 0 ? (
        <p class="card muted empty">{t('noTickets')}</p>
      ) : (
        <div class="grid-wrap">
          <table class="ticket-list">
            <caption class="visually-hidden">{t('ticketsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col" class="sel">
                  <input
                    type="checkbox"
                    aria-label={t('selectAll')}
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))}
                  />
                </th>
                <th scope="col">{t('colNumber')}</th>
                <th scope="col">{t('colSubject')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colPriority')}</th>
                <th scope="col">{t('colQueue')}</th>
                <th scope="col">{t('colOwner')}</th>
                <th scope="col">{t('colOrganisation')}</th>
                <th scope="col">{t('colDue')}</th>
                <th scope="col">{t('colSla')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((ticket) => (
                <tr key={ticket.id} data-number={ticket.number} class={selected.has(ticket.id) ? 'selected' : ''}>
                  <td class="sel">
                    <input
                      type="checkbox"
                      aria-label={t('selectTicket', { n: ticket.number })}
                      checked={selected.has(ticket.id)}
                      onChange={() => toggle(ticket.id)}
                    />
                  </td>
                  <td data-label={t('colNumber')}>
                    <a href={ticketHref(ticket.number)}>#{ticket.number}</a>
                  </td>
                  <td data-label={t('colSubject')} class="subject">
                    <a href={ticketHref(ticket.number)}>{ticket.subject}</a>
                    {ticket.needs_completion && <span class="badge warn">{t('needsCompletionShort')}</span>}
                    <span class="muted channel"> · {t(channelKeys[ticket.channel])}</span>
                  </td>
                  <td data-label={t('colStatus')}>
                    <span class={`badge st-${ticket.status}`}>{t(statusKeys[ticket.status])}</span>
                  </td>
                  <td data-label={t('colPriority')}>
                    <span class={`badge prio prio-${ticket.priority}`}>P{ticket.priority}</span>
                  </td>
                  <td data-label={t('colQueue')}>{ticket.queue_id ? data.queues.find((x) => x.id === ticket.queue_id)?.name ?? `#${ticket.queue_id}` : '—'}</td>
                  <td data-label={t('colOwner')}>{ticket.owner_id ? personName(data.people, ticket.owner_id, t) : <span class="muted">{t('ownerNone')}</span>}</td>
                  <td data-label={t('colOrganisation')}>{ticket.organisation_id ? data.orgs.get(ticket.organisation_id)?.name ?? `#${ticket.organisation_id}` : '—'}</td>
                  <td data-label={t('colDue')}>{formatInstant(ticket.due_at, locale, tz)}</td>
                  <td data-label={t('colSla')}>
                    {ticket.sla.state !== 'none' && <span class={`badge sla-${ticket.sla.state}`}>{t(slaKeys[ticket.sla.state])}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={more}>
          {t('moreTickets')}
        </button>
      )}
    </>
  );
}

/** Set owner and/or queue of the selected tickets, each with its ETag:
 * a ticket someone changed meanwhile is left alone and named. */
function BulkAssign({ tickets, people, queues, done }: {
  tickets: Ticket[];
  people: Person[];
  queues: Queue[];
  done: (outcome: Outcome) => void;
}) {
  const { t } = useI18n();
  const [owner, setOwner] = useState('');
  const [queue, setQueue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Outcome | null>(null);

  async function apply(e: Event) {
    e.preventDefault();
    if (!owner && !queue) {
      setProblem({ ok: false, text: t('bulkNothing') });
      return;
    }
    const body: Record<string, number | null> = {};
    if (owner) body.owner_id = owner === 'none' ? null : Number(owner);
    if (queue) body.queue_id = queue === 'none' ? null : Number(queue);
    setBusy(true);
    setProblem(null);
    const failed: string[] = [];
    let changed = 0;
    for (const ticket of tickets) {
      try {
        await request('PATCH', `/api/v1/tickets/${ticket.id}`, body, { 'If-Match': etagOf(ticket.version) });
        changed++;
      } catch (err) {
        failed.push(
          err instanceof ApiError && err.status === 412
            ? t('bulkStale', { n: ticket.number })
            : `#${ticket.number}: ${errorText(err, t)}`,
        );
      }
    }
    setBusy(false);
    const text = [t('bulkChanged', { n: changed }), ...failed].join(' ');
    done({ ok: failed.length === 0, text });
  }

  return (
    <form class="card bulk" onSubmit={apply} aria-labelledby="bulk-h">
      <h2 id="bulk-h">{t('bulkTitle', { n: tickets.length })}</h2>
      <div class="fields">
        <label>
          {t('bulkOwner')}
          <select name="bulk-owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
            <option value="">{t('noChange')}</option>
            <option value="none">{t('ownerNone')}</option>
            {personOptions(people)}
          </select>
        </label>
        <label>
          {t('bulkQueue')}
          <select name="bulk-queue" value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
            <option value="">{t('noChange')}</option>
            <option value="none">{t('noQueue')}</option>
            {queues.map((q) => (
              <option value={String(q.id)} key={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('bulkApply')}
        </button>
      </div>
      <OutcomeLine outcome={problem} />
    </form>
  );
}
