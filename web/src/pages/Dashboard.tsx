// The dashboard: who is on each duty now and next (with phone numbers),
// the rest of the week, uncovered duty days ahead, the open priority-1
// tickets and the tickets of the signed-in person.
import { get, query, type Assignment, type OnCall, type Ticket, type TicketPage, type Uncovered } from '../api';
import { Loading, PageTitle, PersonPhone, ProblemBox, ReasonBadge, dutyClass, formatInstant, useLoad } from '../components';
import { listHref, statusKeys, ticketHref } from '../tickets';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, formatTime, mondayOf, todayIn } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { DashboardLive, P1Board } from './P1Board';

interface DashboardData extends Basics {
  oncall: OnCall;
  days: Assignment[];
  uncovered: Uncovered[];
  today: string;
  p1: TicketPage;
  mine: TicketPage;
}

const P1_QUERY = 'prio:1 status:new,open,pending';
const MINE_QUERY = 'owner:me status:new,open,pending';

async function loadDashboard(): Promise<DashboardData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  // Two weeks ahead, so that "next" is found over a weekend or holiday.
  const [oncall, days, uncovered, p1, mine] = await Promise.all([
    get<OnCall>('/api/v1/oncall/now'),
    get<{ items: Assignment[] }>(`/api/v1/rota/days?from=${today}&to=${addDays(today, 13)}`),
    get<{ items: Uncovered[] }>(`/api/v1/rota/uncovered?from=${today}&to=${addDays(today, 27)}`),
    get<TicketPage>(`/api/v1/tickets${query({ q: P1_QUERY, sort: 'due', limit: 8, total: 'true' })}`),
    get<TicketPage>(`/api/v1/tickets${query({ q: MINE_QUERY, sort: 'due', limit: 8, total: 'true' })}`),
  ]);
  return { ...basics, oncall, days: days.items, uncovered: uncovered.items, today, p1, mine };
}

const kindKeys: Record<Uncovered['absence_kind'], MessageKey> = {
  vacation: 'kindVacation',
  sick: 'kindSick',
  other: 'kindOther',
};

export function Dashboard() {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(loadDashboard, []);
  return (
    <section class="page dashboard" aria-busy={loading}>
      <PageTitle>{t('dashboardTitle')}</PageTitle>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? <DashboardBody data={data} /> : !error && <Loading />}
    </section>
  );
}

function DashboardBody({ data }: { data: DashboardData }) {
  const { t, locale } = useI18n();
  const tz = data.calendar.time_zone;
  const time = (iso: string) => formatTime(iso, locale, tz);
  const nowMs = Date.parse(data.oncall.at);
  const weekEnd = addDays(mondayOf(data.today), 6);
  const restOfWeek = [...new Set(data.days.filter((d) => d.day <= weekEnd).map((d) => d.day))];

  return (
    <div class="cards">
      <P1Board people={data.people} />
      <section class="card oncall" aria-labelledby="oncall-h">
        <h2 id="oncall-h">{t('onDutyTitle')}</h2>
        <div class="duty-list">
          {data.duties.map((duty, i) => {
            const now = data.oncall.duties.find((d) => d.duty_id === duty.id);
            const todayItem = data.days.find((d) => d.day === data.today && d.duty_id === duty.id);
            const next = data.days.find((d) => d.day > data.today && d.duty_id === duty.id);
            let status: string;
            if (now?.open && now.window_end) status = t('windowOpenNow', { end: time(now.window_end) });
            else if (now?.window_start && now.window_end)
              status = t(Date.parse(now.window_end) <= nowMs ? 'windowOver' : 'windowToday', {
                start: time(now.window_start),
                end: time(now.window_end),
              });
            else status = t('noDutyToday');
            const holder = now?.open ? now.person : todayItem?.person_id ? data.people.get(todayItem.person_id) : null;
            const holderReason = now?.open ? now.reason : todayItem?.reason ?? null;
            return (
              <article class={`duty ${dutyClass(i)}`} data-duty-id={duty.id} key={duty.id}>
                <h3>
                  {duty.name}
                  {duty.takes_p1 && <span class="badge p1">P1</span>}
                </h3>
                {duty.phone && (
                  <p class="hotline">
                    {t('dutyHotline')}: <a href={`tel:${duty.phone}`}>{duty.phone}</a>
                  </p>
                )}
                <p class={`window ${now?.open ? 'open' : ''}`}>{status}</p>
                <dl>
                  {(now?.open || todayItem) && (
                    <>
                      <dt>{now?.open ? t('nowLabel') : t('todayLabel')}</dt>
                      <dd class="now-holder">
                        {holder ? (
                          <PersonPhone person={holder} />
                        ) : (
                          <span class="muted">{t('nobodyPlanned')}</span>
                        )}{' '}
                        <ReasonBadge reason={holderReason} />
                        {todayItem?.draft && <span class="badge draft">{t('draft')}</span>}
                      </dd>
                    </>
                  )}
                  <dt>
                    {t('nextLabel')}
                    {next && <span class="muted">, {formatDay(next.day, locale)}</span>}
                  </dt>
                  <dd class="next-holder">
                    {next?.person_id ? (
                      <>
                        <PersonPhone person={data.people.get(next.person_id)} id={next.person_id} />{' '}
                        <ReasonBadge reason={next.reason} />
                      </>
                    ) : (
                      <span class="muted">{t('nobodyPlanned')}</span>
                    )}
                  </dd>
                </dl>
              </article>
            );
          })}
        </div>
      </section>

      <section class="card week-rest" aria-labelledby="rest-h">
        <h2 id="rest-h">{t('restOfWeekTitle')}</h2>
        {restOfWeek.length === 0 ? (
          <p class="muted">{t('noMoreDutyDays')}</p>
        ) : (
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">{t('dayColumn')}</th>
                {data.duties.map((d, i) => (
                  <th scope="col" class={dutyClass(i)} key={d.id}>
                    {d.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {restOfWeek.map((day) => (
                <tr key={day} class={day === data.today ? 'is-today' : ''}>
                  <th scope="row">{formatDay(day, locale)}</th>
                  {data.duties.map((duty, i) => {
                    const item = data.days.find((d) => d.day === day && d.duty_id === duty.id);
                    const p = item?.person_id ? data.people.get(item.person_id) : undefined;
                    return (
                      <td class={`cell ${dutyClass(i)}`} key={duty.id}>
                        {item ? (p ? p.name : item.person_id ? t('unknownPerson', { id: item.person_id }) : '—') : '—'}{' '}
                        {item && <ReasonBadge reason={item.reason} />}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card uncovered" aria-labelledby="unc-h">
        <h2 id="unc-h">{t('uncoveredTitle')}</h2>
        {data.uncovered.length === 0 ? (
          <p class="ok">{t('uncoveredNone')}</p>
        ) : (
          <ul class="uncovered-list">
            {data.uncovered.map((u) => {
              const idx = data.duties.findIndex((d) => d.id === u.duty_id);
              const p = data.people.get(u.person_id);
              return (
                <li key={`${u.day}-${u.duty_id}`} class={dutyClass(Math.max(idx, 0))}>
                  <strong>{formatDay(u.day, locale)}</strong> · {u.duty}:{' '}
                  {t('uncoveredItem', {
                    person: p ? p.name : t('unknownPerson', { id: u.person_id }),
                    kind: t(kindKeys[u.absence_kind]),
                  })}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section class="card tickets" aria-labelledby="tickets-h">
        <h2 id="tickets-h">{t('ticketsTitleDash')}</h2>
        <TicketShortList id="dash-p1" title={t('viewP1')} page={data.p1} q={P1_QUERY} empty={t('noOpenP1')} tz={tz} />
        <TicketShortList id="dash-mine" title={t('viewMine')} page={data.mine} q={MINE_QUERY} empty={t('noMyTickets')} tz={tz} />
        <p>
          <a href="#/phone" class="button">
            {t('phoneTitle')}
          </a>
        </p>
      </section>
      <DashboardLive people={data.people} timeZone={tz} today={data.today} withMyTickets={false} />
    </div>
  );
}

function TicketShortList({ id, title, page, q, empty, tz }: { id: string; title: string; page: TicketPage; q: string; empty: string; tz: string }) {
  const { t, locale } = useI18n();
  return (
    <section class={`short-list ${id}`} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>
        <a href={listHref(q)}>{title}</a> <span class="count">{page.total ?? page.items.length}</span>
      </h3>
      {page.items.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <ul class="plain">
          {page.items.map((x: Ticket) => (
            <li key={x.id}>
              <a href={ticketHref(x.number)}>
                #{x.number} {x.subject}
              </a>{' '}
              <span class={`badge prio prio-${x.priority}`}>P{x.priority}</span>{' '}
              <span class={`badge st-${x.status}`}>{t(statusKeys[x.status])}</span>
              {x.due_at && <span class="muted small"> · {t('dueShort', { at: formatInstant(x.due_at, locale, tz) })}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
