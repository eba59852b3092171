// The P1 history (#/alerts, filtered by state, newest first, more on
// request) and one alert (#/alerts/ID) with its page log: every page,
// note and reminder with its step, target, person and why. Acknowledge
// and Resolve on both; both follow the live stream.
import { useState } from 'preact/hooks';
import { get, type ListPage } from '../api';
import type { Alert, AlertWithPages } from '../alerting';
import { Loading, PageTitle, ProblemBox, errorText, useLoad } from '../components';
import { useI18n, type MessageKey } from '../i18n';
import { useLiveReload } from '../live';
import {
  AlertButtons,
  AlertStateBadge,
  AlertingNav,
  Since,
  loadDirectory,
  pageTargetText,
  personName,
  useNow,
  type Directory,
} from './alertBits';
import { LiveIndicator } from './P1Board';

type Filter = 'open' | 'triggered' | 'acknowledged' | 'resolved' | 'all';
const filters: [Filter, MessageKey][] = [
  ['open', 'filterOpen'],
  ['triggered', 'alertTriggered'],
  ['acknowledged', 'alertAcknowledged'],
  ['resolved', 'alertResolved'],
  ['all', 'filterAll'],
];

interface ListData {
  dir: Directory;
  items: Alert[];
  next: string | null;
}

export function AlertList() {
  const { t, locale } = useI18n();
  const [filter, setFilter] = useState<Filter>('open');
  const [more, setMore] = useState<{ items: Alert[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const query = (cursor: string | null) =>
    `/api/v1/alerts?limit=50${filter === 'all' ? '' : `&state=${filter}`}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const { data, error, loading, reload } = useLoad<ListData>(async () => {
    const [dir, page] = await Promise.all([loadDirectory(), get<ListPage<Alert>>(query(null))]);
    setMore(null);
    return { dir, items: page.items, next: page.next_cursor ?? null };
  }, [filter]);
  useLiveReload(['alert'], reload);
  const now = useNow();
  const items = data ? [...data.items, ...(more?.items ?? [])] : [];
  const next = more ? more.next : data?.next ?? null;

  async function loadMore() {
    if (!next) return;
    setMoreError(null);
    try {
      const page = await get<ListPage<Alert>>(query(next));
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next_cursor ?? null });
    } catch (e) {
      setMoreError(errorText(e, t));
    }
  }

  return (
    <section class="page alerts" aria-busy={loading}>
      <PageTitle>{t('alertsTitle')}</PageTitle>
      <AlertingNav current="alerts" />
      <div class="toolbar">
        <label>
          {t('stateFilter')}
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            {filters.map(([f, k]) => (
              <option value={f} key={f}>
                {t(k)}
              </option>
            ))}
          </select>
        </label>
        <LiveIndicator />
      </div>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && items.length === 0 && <p class="muted">{t('alertsNone')}</p>}
      {data && items.length > 0 && (
        <div class="grid-wrap">
          <table class="alert-table">
            <thead>
              <tr>
                <th scope="col">{t('ticketColumn')}</th>
                <th scope="col">{t('stateColumn')}</th>
                <th scope="col">{t('triggeredColumn')}</th>
                <th scope="col">{t('commOwner')}</th>
                <th scope="col">{t('techOwner')}</th>
                <th scope="col">{t('actionsColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-alert-id={a.id}>
                  <th scope="row">
                    <a href={`#/alerts/${a.id}`}>
                      #{a.ticket_number} {a.subject}
                    </a>
                  </th>
                  <td>
                    <AlertStateBadge state={a.state} />
                  </td>
                  <td>
                    {new Date(a.triggered_at).toLocaleString(locale)}
                    {a.state !== 'resolved' && (
                      <span class="muted">
                        {' · '}
                        <Since iso={a.triggered_at} now={now} />
                      </span>
                    )}
                  </td>
                  <td>{personName(data.dir.people, a.comm_owner_id, t)}</td>
                  <td>{personName(data.dir.people, a.tech_owner_id, t)}</td>
                  <td>
                    <AlertButtons alert={a} onDone={reload} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <button type="button" class="secondary" onClick={loadMore}>
            {t('loadMore')}
          </button>
        </p>
      )}
      {moreError && (
        <p class="problem" role="alert">
          {moreError}
        </p>
      )}
    </section>
  );
}

const pageKindKeys: Record<string, MessageKey> = { page: 'logPage', note: 'logNote', reminder: 'logReminder' };

export function AlertDetail({ id }: { id: number }) {
  const { t, locale } = useI18n();
  const { data, error, loading, reload } = useLoad(
    () => Promise.all([loadDirectory(), get<AlertWithPages>(`/api/v1/alerts/${id}`)]),
    [id],
  );
  useLiveReload(['alert'], reload);
  const now = useNow();
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(locale) : '—');
  return (
    <section class="page alert-detail" aria-busy={loading}>
      <PageTitle>{data ? t('alertTitle', { n: data[1].alert.ticket_number }) : t('alertsTitle')}</PageTitle>
      <AlertingNav current="alerts" />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && (() => {
        const [dir, { alert: a, pages }] = data;
        return (
          <>
            <div class="card" data-alert-id={a.id}>
              <h2>
                #{a.ticket_number} {a.subject} <AlertStateBadge state={a.state} />
              </h2>
              <dl class="facts">
                <dt>{t('triggeredColumn')}</dt>
                <dd>
                  {when(a.triggered_at)}
                  {a.state !== 'resolved' && (
                    <span class="muted">
                      {' · '}
                      <Since iso={a.triggered_at} now={now} />
                    </span>
                  )}
                </dd>
                <dt>{t('ackedLabel')}</dt>
                <dd class="acked">
                  {a.acknowledged_at
                    ? `${when(a.acknowledged_at)} · ${personName(dir.people, a.acknowledged_by, t)}${a.acknowledged_via === 'link' ? ` (${t('viaLink')})` : ''}`
                    : '—'}
                </dd>
                <dt>{t('resolvedLabel')}</dt>
                <dd>{a.resolved_at ? `${when(a.resolved_at)} · ${personName(dir.people, a.resolved_by, t)}` : '—'}</dd>
                <dt>{t('nextEscalation')}</dt>
                <dd>{a.state === 'triggered' && a.next_escalation_at ? when(a.next_escalation_at) : '—'}</dd>
                <dt>{t('commOwner')}</dt>
                <dd>{personName(dir.people, a.comm_owner_id, t)}</dd>
                <dt>{t('techOwner')}</dt>
                <dd>{personName(dir.people, a.tech_owner_id, t)}</dd>
              </dl>
              <AlertButtons alert={a} onDone={reload} />
            </div>
            <section class="card" aria-labelledby="log-h">
              <h2 id="log-h">{t('pageLogTitle')}</h2>
              {pages.length === 0 ? (
                <p class="muted">{t('pageLogNone')}</p>
              ) : (
                <div class="grid-wrap">
                  <table class="page-log">
                    <thead>
                      <tr>
                        <th scope="col">{t('whenColumn')}</th>
                        <th scope="col">{t('kindColumn')}</th>
                        <th scope="col">{t('stepLabel')}</th>
                        <th scope="col">{t('targetColumn')}</th>
                        <th scope="col">{t('personColumn')}</th>
                        <th scope="col">{t('whyColumn')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {pages.map((p) => (
                        <tr key={p.id}>
                          <td>{when(p.created_at)}</td>
                          <td>{pageKindKeys[p.kind] ? t(pageKindKeys[p.kind]) : p.kind}</td>
                          <td>{p.step === null ? '—' : p.step + 1}</td>
                          <td>{pageTargetText(p.target, dir, t)}</td>
                          <td>{p.person_id ? personName(dir.people, p.person_id, t) : '—'}</td>
                          <td>{p.note}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </>
        );
      })()}
    </section>
  );
}
