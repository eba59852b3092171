// The rota's month (#/rota/month/YYYY-MM): a calendar of the month, each
// day with its duties' holders coloured by duty, holidays named, and the
// duty days nobody will serve (the holder is absent) highlighted. On a
// phone the grid becomes a list of the days with duties.
import { get, getAll, type Absence, type Assignment, type Holiday, type Role, type Uncovered } from '../api';
import { Loading, PageTitle, ProblemBox, ReasonBadge, dutyClass, personName, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, mondayOf, todayIn } from '../dates';
import { useI18n } from '../i18n';
import { RotaNav } from '../rotaNav';

interface MonthData extends Basics {
  month: string; // YYYY-MM
  first: string;
  last: string;
  today: string;
  days: Assignment[];
  uncovered: Uncovered[];
  holidays: Holiday[];
  absences: Absence[];
}

function monthEnd(first: string): string {
  const [y, m] = first.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

async function loadMonth(requested: string | null): Promise<MonthData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  const month = requested ?? today.slice(0, 7);
  const first = `${month}-01`;
  const last = monthEnd(first);
  const [days, uncovered, holidays, absences] = await Promise.all([
    get<{ items: Assignment[] }>(`/api/v1/rota/days?from=${first}&to=${last}&drafts=true`),
    get<{ items: Uncovered[] }>(`/api/v1/rota/uncovered?from=${first}&to=${last}`),
    get<{ items: Holiday[] }>(`/api/v1/holidays?from=${first}&to=${last}`),
    getAll<Absence>(`/api/v1/absences?from=${first}&to=${last}`),
  ]);
  return { ...basics, month, first, last, today, days: days.items, uncovered: uncovered.items, holidays: holidays.items, absences };
}

export function RotaMonth({ month, role, go }: { month: string | null; role: Role; go: (h: string) => void }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => loadMonth(month), [month]);
  return (
    <section class="page rota-month" aria-busy={loading}>
      <PageTitle>{t('rotaTitle')}</PageTitle>
      <RotaNav current="month" role={role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? <MonthBody data={data} go={go} /> : !error && <Loading />}
    </section>
  );
}

function MonthBody({ data, go }: { data: MonthData; go: (h: string) => void }) {
  const { t, locale } = useI18n();
  const start = mondayOf(data.first);
  const weeks: string[][] = [];
  for (let d = start; d <= data.last; d = addDays(d, 7)) weeks.push(Array.from({ length: 7 }, (_, i) => addDays(d, i)));
  const title = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${data.first}T00:00:00Z`));
  const weekdayNames = weeks[0].map((d) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }).format(new Date(`${d}T00:00:00Z`)));
  const thisMonth = data.today.slice(0, 7);

  return (
    <>
      <nav class="week-nav" aria-label={t('monthNav')}>
        <button type="button" class="secondary" onClick={() => go(`#/rota/month/${shiftMonth(data.month, -1)}`)}>
          ← {t('previousMonth')}
        </button>
        <button type="button" class="secondary" disabled={data.month === thisMonth} onClick={() => go(`#/rota/month/${thisMonth}`)}>
          {t('thisMonth')}
        </button>
        <button type="button" class="secondary" onClick={() => go(`#/rota/month/${shiftMonth(data.month, 1)}`)}>
          {t('nextMonth')} →
        </button>
      </nav>
      <h2 class="week-title" aria-live="polite">
        {title}
      </h2>
      <ul class="legend duty-legend">
        {data.duties.map((d, i) => (
          <li key={d.id}>
            <span class={`swatch ${dutyClass(i)}`} /> {d.name}
          </li>
        ))}
        <li>
          <span class="swatch uncovered-swatch" /> {t('uncoveredLegend')}
        </li>
      </ul>
      <div class="month-wrap">
        <table class="month-grid">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {weekdayNames.map((n) => (
                <th scope="col" key={n}>
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={week[0]}>
                {week.map((day) => {
                  const inMonth = day >= data.first && day <= data.last;
                  const items = data.days.filter((d) => d.day === day);
                  const holiday = data.holidays.find((h) => h.date === day);
                  const open = data.uncovered.filter((u) => u.day === day);
                  const away = data.absences.filter((a) => a.status === 'active' && a.first_day <= day && a.last_day >= day);
                  const cls = [
                    'mday',
                    inMonth ? '' : 'outside',
                    day === data.today ? 'is-today' : '',
                    open.length ? 'has-uncovered' : '',
                    holiday ? 'holiday' : '',
                    items.length ? '' : 'no-duty',
                  ].join(' ');
                  return (
                    <td key={day} class={cls} data-day={day}>
                      <div class="mday-head">
                        <span class="mday-label">{formatDay(day, locale)}</span>
                        <span class="mday-num" aria-hidden="true">
                          {Number(day.slice(8))}
                        </span>
                        {day === data.today && <span class="badge today">{t('today')}</span>}
                      </div>
                      {holiday && <p class="holiday-name">{holiday.name}</p>}
                      {inMonth &&
                        data.duties.map((duty, i) => {
                          const item = items.find((x) => x.duty_id === duty.id);
                          if (!item) return null;
                          const unc = open.find((u) => u.duty_id === duty.id);
                          return (
                            <p key={duty.id} class={`chip ${dutyClass(i)} ${item.draft ? 'is-draft' : ''} ${unc ? 'uncovered' : ''} ${item.person_id ? '' : 'nobody'}`} data-duty-id={duty.id}>
                              <span class="visually-hidden">{duty.name}: </span>
                              {personName(data.people, item.person_id, t)}
                              <ReasonBadge reason={item.reason} />
                              {unc && <span class="badge unc">{t('uncoveredBadge')}</span>}
                            </p>
                          );
                        })}
                      {inMonth && away.length > 0 && (
                        <p class="away muted">
                          {t('awayList', { names: away.map((a) => personName(data.people, a.person_id, t)).join(', ') })}
                        </p>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
