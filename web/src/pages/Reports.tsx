// Reports (#/reports): duty hours per person and month (the payroll's
// working time, table and bar chart), tickets per week by channel (chart
// and table), P1 time to acknowledge and to resolve per week (charts and
// table), and the time accounting of articles (per ticket, organisation
// or person). Each has its CSV download.
import { useState } from 'preact/hooks';
import { get, query } from '../api';
import { HBarChart, VBarChart } from '../charts';
import { Loading, PageTitle, ProblemBox, dutyClass, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, todayIn } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { channelKeys, ticketHref } from '../tickets';

interface HoursReport {
  month: string;
  complete: boolean;
  items: {
    person_id: number;
    name: string;
    login: string;
    duty_days: number;
    hours: number;
    minutes: number;
    by_duty: { duty_id: number; duty: string; days: number; hours: number; minutes: number }[];
  }[];
  totals: { people: number; duty_days: number; hours: number; minutes: number; unstaffed_duty_days: number };
}

type ChannelName = 'phone' | 'email' | 'web' | 'api';

interface WeekReport {
  from: string;
  to: string;
  channels: ChannelName[];
  weeks: ({ week_start: string; total: number } & Record<ChannelName, number>)[];
  totals: { total: number } & Record<ChannelName, number>;
}

interface P1Durations {
  count: number;
  median_seconds: number | null;
  max_seconds: number | null;
}

interface P1Report {
  from: string;
  to: string;
  weeks: { week_start: string; triggered: number; acknowledge: P1Durations; resolve: P1Durations }[];
  totals: { triggered: number; acknowledge: P1Durations; resolve: P1Durations };
}

interface TimeReport {
  from: string;
  to: string;
  group_by: 'ticket' | 'organisation' | 'person';
  total_minutes: number;
  total_hours: number;
  total_articles: number;
  items: {
    ticket_id?: number | null;
    number?: number;
    subject?: string;
    organisation_id?: number | null;
    organisation?: string | null;
    person_id?: number | null;
    person?: string | null;
    minutes: number;
    hours: number;
    articles: number;
  }[];
  truncated: boolean;
}

export function Reports() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(loadBasics, []);
  return (
    <section class="page reports">
      <PageTitle>{t('reportsTitle')}</PageTitle>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <DutyHours basics={data} />
          <TicketWeeks basics={data} />
          <P1Times basics={data} />
          <TimeAccounting basics={data} />
        </>
      ) : (
        !error && <Loading />
      )}
    </section>
  );
}

function hours(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

function DutyHours({ basics }: { basics: Basics }) {
  const { t, locale } = useI18n();
  const [month, setMonth] = useState(todayIn(basics.calendar.time_zone).slice(0, 7));
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const { data, error } = useLoad(() => (valid ? get<HoursReport>(`/api/v1/rota/hours?month=${month}`) : Promise.resolve(null)), [month]);
  const duties = basics.duties;
  const series = duties.map((d, i) => ({ name: d.name, cls: dutyClass(i) }));
  return (
    <section class="card report" aria-labelledby="hours-h">
      <h2 id="hours-h">{t('hoursTitle')}</h2>
      <p class="muted">{t('hoursIntro')}</p>
      <div class="report-controls">
        <label>
          {t('month')}
          <input type="month" name="month" value={month} onInput={(e) => setMonth(e.currentTarget.value)} />
        </label>
        {valid && (
          <a class="button secondary" href={`/api/v1/rota/hours?month=${month}&format=csv`} download>
            {t('downloadCsv')}
          </a>
        )}
      </div>
      {error ? <ProblemBox error={error} /> : null}
      {!data ? (
        !error && valid && <Loading />
      ) : data.items.length === 0 ? (
        <p class="muted">{t('hoursNone')}</p>
      ) : (
        <>
          {!data.complete && <p class="notice">{t('hoursIncomplete')}</p>}
          <HBarChart
            id="hours-chart"
            title={t('hoursChartTitle', { month: data.month })}
            description={t('hoursChartDesc')}
            series={series}
            rows={data.items.map((p) => ({
              label: p.name,
              values: duties.map((d) => (p.by_duty.find((b) => b.duty_id === d.id)?.hours ?? 0)),
            }))}
            format={(n) => `${hours(n, locale)} h`}
          />
          <div class="grid-wrap">
            <table class="compact hours-table">
              <thead>
                <tr>
                  <th scope="col">{t('person')}</th>
                  <th scope="col">{t('dutyDays')}</th>
                  <th scope="col">{t('hoursCol')}</th>
                  {duties.map((d, i) => (
                    <th scope="col" key={d.id} class={dutyClass(i)}>
                      {d.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.items.map((p) => (
                  <tr key={p.person_id}>
                    <th scope="row">{p.name}</th>
                    <td>{p.duty_days}</td>
                    <td>{hours(p.hours, locale)}</td>
                    {duties.map((d) => {
                      const b = p.by_duty.find((x) => x.duty_id === d.id);
                      return <td key={d.id}>{b ? t('daysHours', { days: b.days, hours: hours(b.hours, locale) }) : '—'}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('total')}</th>
                  <td>{data.totals.duty_days}</td>
                  <td>{hours(data.totals.hours, locale)}</td>
                  <td colSpan={duties.length}>{data.totals.unstaffed_duty_days > 0 && t('unstaffedDays', { n: data.totals.unstaffed_duty_days })}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p class="muted small">{t('workTimeNormal')}</p>
        </>
      )}
    </section>
  );
}

// A weekly report's span (the last twelve weeks to start with), its data
// from path, and the controls: from, to and the CSV download.
function useWeekSpan<T>(basics: Basics, path: string) {
  const today = todayIn(basics.calendar.time_zone);
  const [from, setFrom] = useState(addDays(today, -7 * 11));
  const [to, setTo] = useState(today);
  const params = query({ from, to });
  const loaded = useLoad(() => get<T>(`${path}${params}`), [params]);
  return { from, to, setFrom, setTo, csv: `${path}${query({ from, to, format: 'csv' })}`, ...loaded };
}

function SpanControls({ name, span }: { name: string; span: { from: string; to: string; setFrom: (v: string) => void; setTo: (v: string) => void; csv: string } }) {
  const { t } = useI18n();
  return (
    <div class="report-controls">
      <label>
        {t('fromDay')}
        <input type="date" name={`${name}-from`} value={span.from} onInput={(e) => span.setFrom(e.currentTarget.value)} />
      </label>
      <label>
        {t('toDay')}
        <input type="date" name={`${name}-to`} value={span.to} onInput={(e) => span.setTo(e.currentTarget.value)} />
      </label>
      <a class="button secondary" href={span.csv} download>
        {t('downloadCsv')}
      </a>
    </div>
  );
}

function TicketWeeks({ basics }: { basics: Basics }) {
  const { t, locale } = useI18n();
  const span = useWeekSpan<WeekReport>(basics, '/api/v1/reports/tickets');
  const { data, error } = span;
  const chKeys = channelKeys as Record<ChannelName, MessageKey>;
  return (
    <section class="card report" aria-labelledby="weeks-h">
      <h2 id="weeks-h">{t('weeksTitle')}</h2>
      <SpanControls name="weeks" span={span} />
      {error ? <ProblemBox error={error} /> : null}
      {!data ? (
        !error && <Loading />
      ) : (
        <>
          <VBarChart
            id="weeks-chart"
            title={t('weeksChartTitle', { from: formatDay(data.from, locale, true), to: formatDay(data.to, locale, true) })}
            description={t('weeksChartDesc', { n: data.totals.total })}
            integer
            series={data.channels.map((c) => ({ name: t(chKeys[c]), cls: `ch-${c}` }))}
            rows={data.weeks.map((w) => ({
              label: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'numeric' }).format(new Date(`${w.week_start}T00:00:00Z`)),
              values: data.channels.map((c) => w[c]),
            }))}
          />
          <details class="table-details">
            <summary>{t('showTable')}</summary>
            <div class="grid-wrap">
              <table class="compact weeks-table">
                <thead>
                  <tr>
                    <th scope="col">{t('weekStart')}</th>
                    {data.channels.map((c) => (
                      <th scope="col" key={c}>
                        {t(chKeys[c])}
                      </th>
                    ))}
                    <th scope="col">{t('total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.weeks.map((w) => (
                    <tr key={w.week_start}>
                      <th scope="row">{formatDay(w.week_start, locale)}</th>
                      {data.channels.map((c) => (
                        <td key={c}>{w[c]}</td>
                      ))}
                      <td>{w.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

// Minutes with one decimal, from the report's seconds; "–" for none.
function minutesOf(seconds: number | null, locale: string): string {
  return seconds === null ? '–' : (seconds / 60).toLocaleString(locale, { maximumFractionDigits: 1 });
}

function P1Times({ basics }: { basics: Basics }) {
  const { t, locale } = useI18n();
  const span = useWeekSpan<P1Report>(basics, '/api/v1/reports/p1');
  const { data, error } = span;
  const weekLabel = (day: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'numeric' }).format(new Date(`${day}T00:00:00Z`));
  const fmt = (v: number) => v.toLocaleString(locale, { maximumFractionDigits: 1 });
  return (
    <section class="card report" aria-labelledby="p1r-h">
      <h2 id="p1r-h">{t('p1ReportTitle')}</h2>
      <SpanControls name="p1" span={span} />
      {error ? <ProblemBox error={error} /> : null}
      {!data ? (
        !error && <Loading />
      ) : (
        <>
          {(['acknowledge', 'resolve'] as const).map((kind) => (
            <VBarChart
              key={kind}
              id={`p1-${kind}-chart`}
              title={t(kind === 'acknowledge' ? 'p1AckChart' : 'p1ResolveChart', {
                from: formatDay(data.from, locale, true),
                to: formatDay(data.to, locale, true),
              })}
              description={t('p1ChartDesc', { n: data.totals.triggered })}
              format={fmt}
              series={[{ name: t(kind === 'acknowledge' ? 'p1AckMedian' : 'p1ResolveMedian'), cls: `p1-${kind}` }]}
              rows={data.weeks.map((w) => ({ label: weekLabel(w.week_start), values: [(w[kind].median_seconds ?? 0) / 60] }))}
            />
          ))}
          <details class="table-details">
            <summary>{t('showTable')}</summary>
            <div class="grid-wrap">
              <table class="compact p1-table">
                <thead>
                  <tr>
                    <th scope="col">{t('weekStart')}</th>
                    <th scope="col">{t('p1Triggered')}</th>
                    <th scope="col">{t('p1AckMedian')}</th>
                    <th scope="col">{t('p1AckMax')}</th>
                    <th scope="col">{t('p1ResolveMedian')}</th>
                    <th scope="col">{t('p1ResolveMax')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.weeks.map((w) => (
                    <tr key={w.week_start}>
                      <th scope="row">{formatDay(w.week_start, locale)}</th>
                      <td>{w.triggered}</td>
                      <td>{minutesOf(w.acknowledge.median_seconds, locale)}</td>
                      <td>{minutesOf(w.acknowledge.max_seconds, locale)}</td>
                      <td>{minutesOf(w.resolve.median_seconds, locale)}</td>
                      <td>{minutesOf(w.resolve.max_seconds, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

function TimeAccounting({ basics }: { basics: Basics }) {
  const { t, locale } = useI18n();
  const today = todayIn(basics.calendar.time_zone);
  const [from, setFrom] = useState(`${today.slice(0, 7)}-01`);
  const [to, setTo] = useState(today);
  const [group, setGroup] = useState<'ticket' | 'organisation' | 'person'>('person');
  const params = query({ from, to, group_by: group });
  const { data, error } = useLoad(() => get<TimeReport>(`/api/v1/reports/time${params}`), [params]);
  const label = (i: TimeReport['items'][number]) =>
    group === 'ticket' ? (
      <a href={ticketHref(i.number ?? 0)}>
        #{i.number} {i.subject}
      </a>
    ) : group === 'organisation' ? (
      i.organisation ?? t('unknownOrg')
    ) : (
      i.person ?? t('customer')
    );
  return (
    <section class="card report" aria-labelledby="time-h">
      <h2 id="time-h">{t('timeTitle')}</h2>
      <div class="report-controls">
        <label>
          {t('fromDay')}
          <input type="date" name="time-from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('toDay')}
          <input type="date" name="time-to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <label>
          {t('groupBy')}
          <select name="group_by" value={group} onChange={(e) => setGroup(e.currentTarget.value as typeof group)}>
            <option value="person">{t('groupPerson')}</option>
            <option value="organisation">{t('groupOrganisation')}</option>
            <option value="ticket">{t('groupTicket')}</option>
          </select>
        </label>
        <a class="button secondary" href={`/api/v1/reports/time${query({ from, to, group_by: group, format: 'csv' })}`} download>
          {t('downloadCsv')}
        </a>
      </div>
      {error ? <ProblemBox error={error} /> : null}
      {!data ? (
        !error && <Loading />
      ) : data.items.length === 0 ? (
        <p class="muted">{t('timeNone')}</p>
      ) : (
        <div class="grid-wrap">
          <table class="compact time-table">
            <thead>
              <tr>
                <th scope="col">{group === 'ticket' ? t('groupTicket') : group === 'organisation' ? t('groupOrganisation') : t('groupPerson')}</th>
                <th scope="col">{t('minutesCol')}</th>
                <th scope="col">{t('hoursCol')}</th>
                <th scope="col">{t('articlesCol')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((i, k) => (
                <tr key={k}>
                  <th scope="row">{label(i)}</th>
                  <td>{i.minutes}</td>
                  <td>{hours(i.hours, locale)}</td>
                  <td>{i.articles}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('total')}</th>
                <td>{data.total_minutes}</td>
                <td>{hours(data.total_hours, locale)}</td>
                <td>{data.total_articles}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
