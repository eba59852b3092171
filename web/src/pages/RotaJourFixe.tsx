// The jour fixe (#/rota/jour-fixe): the weekly meeting's agenda from
// GET /api/v1/rota/jour-fixe: next week's plan (an editor publishes a
// draft from here), uncovered duty days of the next four weeks, open
// swap requests, absences ahead, and last week's priority-1 tickets.
import { canEdit, get, query, request, type Person, type PersonRef, type Reason, type Ticket, type TicketPage } from '../api';
import { Loading, OutcomeLine, PageTitle, ProblemBox, ReasonBadge, dutyClass, useAction, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, mondayOf, todayIn } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { RotaNav } from '../rotaNav';
import { statusKeys, ticketHref } from '../tickets';
import { absenceKindKeys } from './RotaAbsences';

interface JourFixe {
  week: string;
  next_week: {
    week_start: string;
    status: 'published' | 'draft' | 'none';
    first_person: PersonRef | null;
    second_person: PersonRef | null;
    days: { day: string; assignments: { duty_id: number; duty: string; person: PersonRef | null; reason: Reason | null; draft: boolean }[] }[];
  };
  ahead: { from: string; to: string };
  uncovered: { day: string; duty_id: number; duty: string; why: 'no-plan' | 'draft' | 'absent'; person: PersonRef | null; absence_kind: 'vacation' | 'sick' | 'other' | null }[];
  open_swaps: { id: number; day: string; duty: string; requester: PersonRef | null; colleague: PersonRef | null; other_day: string | null; note: string }[];
  absences_ahead: { id: number; person: PersonRef | null; kind: 'vacation' | 'sick' | 'other'; first_day: string; last_day: string }[];
  p1_tickets: { from: string; to: string; items: unknown[]; note: string };
  truncated: boolean;
}

interface JourFixeData extends Basics {
  report: JourFixe;
  p1: Ticket[];
  today: string;
}

async function loadJourFixe(week: string | null): Promise<JourFixeData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  const report = await get<JourFixe>(`/api/v1/rota/jour-fixe${query({ week: week ?? undefined })}`);
  // Last week's P1s: the report's list stays empty until the desk fills
  // it; the ticket search has them (priority 1, newest first).
  const p1 = (await get<TicketPage>(`/api/v1/tickets${query({ q: 'prio:1', sort: 'created', limit: 200 })}`)).items;
  return { ...basics, report, p1, today };
}

const whyKeys: Record<JourFixe['uncovered'][number]['why'], MessageKey> = {
  'no-plan': 'whyNoPlan',
  draft: 'whyDraft',
  absent: 'whyAbsent',
};

export function RotaJourFixe({ week, me, go }: { week: string | null; me: Person; go: (h: string) => void }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => loadJourFixe(week), [week]);
  return (
    <section class="page rota-jourfixe" aria-busy={loading}>
      <PageTitle>{t('jourFixeTitle')}</PageTitle>
      <RotaNav current="jour-fixe" role={me.role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? <JourFixeBody data={data} me={me} go={go} reload={reload} /> : !error && <Loading />}
    </section>
  );
}

function name(p: PersonRef | null, t: (k: MessageKey) => string): string {
  return p ? p.name : t('nobody');
}

function JourFixeBody({ data, me, go, reload }: { data: JourFixeData; me: Person; go: (h: string) => void; reload: () => void }) {
  const { t, locale } = useI18n();
  const r = data.report;
  const nw = r.next_week;
  const { busy, outcome, run } = useAction();
  const thisMonday = mondayOf(data.today);
  async function publish() {
    const ok = await run(async () => {
      await request('POST', `/api/v1/rota/weeks/${nw.week_start}/publish`);
      return t('published');
    });
    if (ok) reload();
  }
  // Created in last week, by the organisation's days.
  const tz = data.calendar.time_zone;
  const lastWeekP1 = data.p1.filter((x) => {
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(x.created_at));
    return local >= addDays(r.week, -7) && local < r.week;
  });
  return (
    <>
      <nav class="week-nav" aria-label={t('weekNav')}>
        <button type="button" class="secondary" onClick={() => go(`#/rota/jour-fixe/${addDays(r.week, -7)}`)}>
          ← {t('previousWeek')}
        </button>
        <button type="button" class="secondary" disabled={r.week === thisMonday} onClick={() => go(`#/rota/jour-fixe/${thisMonday}`)}>
          {t('thisWeek')}
        </button>
        <button type="button" class="secondary" onClick={() => go(`#/rota/jour-fixe/${addDays(r.week, 7)}`)}>
          {t('nextWeek')} →
        </button>
      </nav>
      <h2 class="week-title">{t('jourFixeOf', { date: formatDay(r.week, locale, true) })}</h2>

      <div class="cards">
        <section class="card jf-next" aria-labelledby="jf-next-h">
          <h2 id="jf-next-h">{t('jfNextWeek', { date: formatDay(nw.week_start, locale) })}</h2>
          <p class="pair" data-week-status={nw.status}>
            {nw.status === 'none' ? (
              <span class="muted">{t('noPlan')}</span>
            ) : (
              <>
                {t('pairLabel')}: <strong>{name(nw.first_person, t)} & {name(nw.second_person, t)}</strong>{' '}
                <span class={`badge status-${nw.status}`}>{nw.status === 'published' ? t('statusPublished') : t('statusDraft')}</span>
              </>
            )}
          </p>
          {nw.days.length > 0 && (
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">{t('dayColumn')}</th>
                  {data.duties.map((d, i) => (
                    <th scope="col" key={d.id} class={dutyClass(i)}>
                      {d.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {nw.days.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{formatDay(d.day, locale)}</th>
                    {data.duties.map((duty, i) => {
                      const a = d.assignments.find((x) => x.duty_id === duty.id);
                      return (
                        <td key={duty.id} class={a ? `cell ${dutyClass(i)} ${a.draft ? 'is-draft' : ''}` : 'cell empty'}>
                          {a ? (
                            <>
                              {name(a.person, t)} <ReasonBadge reason={a.reason} />
                            </>
                          ) : (
                            <span class="muted">{t('noDuty')}</span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {canEdit(me.role) && nw.status === 'draft' && (
            <div class="actions">
              <button type="button" disabled={busy} onClick={publish} data-edit="publish-next">
                {t('publishNextWeek')}
              </button>
            </div>
          )}
          <OutcomeLine outcome={outcome} />
        </section>

        <section class="card uncovered" aria-labelledby="jf-unc-h">
          <h2 id="jf-unc-h">{t('jfUncovered', { from: formatDay(r.ahead.from, locale), to: formatDay(r.ahead.to, locale) })}</h2>
          {r.uncovered.length === 0 ? (
            <p class="ok">{t('uncoveredAheadNone')}</p>
          ) : (
            <ul class="uncovered-list">
              {r.uncovered.map((u) => (
                <li key={`${u.day}-${u.duty_id}`} class={dutyClass(Math.max(0, data.duties.findIndex((d) => d.id === u.duty_id)))}>
                  <strong>{formatDay(u.day, locale)}</strong> · {u.duty}: {t(whyKeys[u.why])}
                  {u.person && ` (${u.person.name}${u.absence_kind ? `, ${t(absenceKindKeys[u.absence_kind])}` : ''})`}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="jf-swaps-h">
          <h2 id="jf-swaps-h">{t('jfOpenSwaps')}</h2>
          {r.open_swaps.length === 0 ? (
            <p class="muted">{t('swapsNoneOpen')}</p>
          ) : (
            <ul class="plain">
              {r.open_swaps.map((s) => (
                <li key={s.id}>
                  <strong>{formatDay(s.day, locale)}</strong> · {s.duty}: {t('swapFromTo', { from: name(s.requester, t), to: name(s.colleague, t) })}
                  {s.other_day && ` · ${t('swapInExchange', { day: formatDay(s.other_day, locale) })}`}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="jf-abs-h">
          <h2 id="jf-abs-h">{t('jfAbsences')}</h2>
          {r.absences_ahead.length === 0 ? (
            <p class="muted">{t('absencesNone')}</p>
          ) : (
            <ul class="plain">
              {r.absences_ahead.map((a) => (
                <li key={a.id}>
                  <strong>{name(a.person, t)}</strong>: {t(absenceKindKeys[a.kind])}, {formatDay(a.first_day, locale)} – {formatDay(a.last_day, locale)}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="jf-p1-h">
          <h2 id="jf-p1-h">{t('jfP1', { from: formatDay(addDays(r.week, -7), locale), to: formatDay(addDays(r.week, -1), locale) })}</h2>
          {lastWeekP1.length === 0 ? (
            <p class="muted">{t('jfP1None')}</p>
          ) : (
            <ul class="plain">
              {lastWeekP1.map((x) => (
                <li key={x.id}>
                  <a href={ticketHref(x.number)}>
                    #{x.number} {x.subject}
                  </a>{' '}
                  <span class={`badge st-${x.status}`}>{t(statusKeys[x.status])}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
