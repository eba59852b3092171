// The rota's week view: days × duties, coloured by duty, with badges for
// swaps, replacements and sick cover; the week's pair and whether it is
// published; previous/next week. Editors may set the pair and publish a
// draft; viewers see no such controls (and the API refuses them anyway).
import { useState } from 'preact/hooks';
import { canEdit, get, request, type Assignment, type Person, type Week } from '../api';
import { Loading, PageTitle, ProblemBox, ReasonBadge, dutyClass, errorText, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, isoWeek, mondayOf, todayIn } from '../dates';
import { useI18n } from '../i18n';
import { RotaNav } from '../rotaNav';

interface WeekData extends Basics {
  monday: string;
  today: string;
  days: Assignment[];
  week: Week | null;
  etag: string | null;
}

async function loadWeek(requested: string | null): Promise<WeekData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  const monday = mondayOf(requested ?? today);
  const sunday = addDays(monday, 6);
  const [days, weeks] = await Promise.all([
    get<{ items: Assignment[] }>(`/api/v1/rota/days?from=${monday}&to=${sunday}&drafts=true`),
    get<{ items: Week[] }>(`/api/v1/rota/weeks?from=${monday}&to=${sunday}`),
  ]);
  const week = weeks.items.find((w) => w.week_start === monday) ?? null;
  return { ...basics, monday, today, days: days.items, week, etag: week ? `"v${week.version}"` : null };
}

export function RotaWeek({ week, role, go }: { week: string | null; role: Person['role']; go: (hash: string) => void }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => loadWeek(week), [week]);
  return (
    <section class="page rota" aria-busy={loading}>
      <PageTitle>{t('rotaTitle')}</PageTitle>
      <RotaNav current="week" role={role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? <WeekBody data={data} editor={canEdit(role)} go={go} reload={reload} /> : !error && <Loading />}
    </section>
  );
}

function WeekBody({ data, editor, go, reload }: { data: WeekData; editor: boolean; go: (h: string) => void; reload: () => void }) {
  const { t, locale } = useI18n();
  const { monday } = data;
  const dayList = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const name = (id: number | null | undefined) =>
    id ? data.people.get(id)?.name ?? t('unknownPerson', { id }) : t('nobody');
  const thisMonday = mondayOf(data.today);

  return (
    <>
      <nav class="week-nav" aria-label={t('weekNav')}>
        <button type="button" class="secondary" onClick={() => go(`#/rota/${addDays(monday, -7)}`)}>
          ← {t('previousWeek')}
        </button>
        <button type="button" class="secondary" disabled={monday === thisMonday} onClick={() => go(`#/rota/${thisMonday}`)}>
          {t('thisWeek')}
        </button>
        <button type="button" class="secondary" onClick={() => go(`#/rota/${addDays(monday, 7)}`)}>
          {t('nextWeek')} →
        </button>
      </nav>

      <h2 class="week-title" aria-live="polite">
        {t('weekOf', { date: formatDay(monday, locale, true) })}{' '}
        <span class="muted">({t('weekNumber', { n: isoWeek(monday) })})</span>
      </h2>

      <p class="pair" data-week-status={data.week?.status ?? 'none'}>
        {data.week ? (
          <>
            {t('pairLabel')}: <strong class="pair-names">{name(data.week.first_person_id)}{' & '}{name(data.week.second_person_id)}</strong>{' '}
            <span class={`badge status-${data.week.status}`}>
              {data.week.status === 'published' ? t('statusPublished') : t('statusDraft')}
            </span>
          </>
        ) : (
          <span class="muted">{t('noPlan')}</span>
        )}
      </p>

      <div class="grid-wrap">
        <table class="rota-grid">
          <caption class="visually-hidden">{t('weekOf', { date: formatDay(monday, locale, true) })}</caption>
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
            {dayList.map((day) => {
              const items = data.days.filter((d) => d.day === day);
              return (
                <tr key={day} class={`${day === data.today ? 'is-today' : ''} ${items.length ? '' : 'off'}`} data-day={day}>
                  <th scope="row">
                    {formatDay(day, locale)}
                    {day === data.today && <span class="badge today">{t('today')}</span>}
                  </th>
                  {data.duties.map((duty, i) => {
                    const item = items.find((d) => d.duty_id === duty.id);
                    if (!item)
                      return (
                        <td class="cell empty" key={duty.id}>
                          <span class="muted">{t('noDuty')}</span>
                        </td>
                      );
                    return (
                      <td class={`cell ${dutyClass(i)} ${item.draft ? 'is-draft' : ''}`} key={duty.id} data-duty-id={duty.id}>
                        <span class="person-name">{name(item.person_id)}</span>{' '}
                        <ReasonBadge reason={item.reason} />
                        {item.draft && <span class="badge draft">{t('draft')}</span>}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {/* Keyed by the week: another week starts with its own pair and no
          message; a save in the same week keeps the form and says so. */}
      {editor && <AssignPair key={monday} data={data} reload={reload} />}
    </>
  );
}

function AssignPair({ data, reload }: { data: WeekData; reload: () => void }) {
  const { t } = useI18n();
  const [first, setFirst] = useState(String(data.week?.first_person_id ?? ''));
  const [second, setSecond] = useState(String(data.week?.second_person_id ?? ''));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const people = [...data.people.values()].filter((p) => p.active).sort((a, b) => a.name.localeCompare(b.name));

  async function save(e: Event) {
    e.preventDefault();
    if (!first || !second || first === second) {
      setMessage({ ok: false, text: t('samePerson') });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      await request('PUT', `/api/v1/rota/weeks/${data.monday}`, {
        first_person_id: Number(first),
        second_person_id: Number(second),
      }, data.etag ? { 'If-Match': data.etag } : {});
      setMessage({ ok: true, text: t('saved') });
      reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  }

  async function publish() {
    setBusy(true);
    setMessage(null);
    try {
      await request('POST', `/api/v1/rota/weeks/${data.monday}/publish`);
      setMessage({ ok: true, text: t('published') });
      reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  }

  const options = people.map((p) => (
    <option value={String(p.id)} key={p.id}>
      {p.name}
    </option>
  ));
  return (
    <form class="card edit assign-pair" data-edit="assign-pair" onSubmit={save} aria-labelledby="assign-h">
      <h2 id="assign-h">{t('assignTitle')}</h2>
      <p class="muted">{t('assignHint')}</p>
      <div class="fields">
        <label>
          {t('firstPerson')}
          <select name="first" value={first} onChange={(e) => setFirst(e.currentTarget.value)} required>
            <option value="">{t('choosePerson')}</option>
            {options}
          </select>
        </label>
        <label>
          {t('secondPerson')}
          <select name="second" value={second} onChange={(e) => setSecond(e.currentTarget.value)} required>
            <option value="">{t('choosePerson')}</option>
            {options}
          </select>
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
        {data.week?.status === 'draft' && (
          <button type="button" class="secondary" disabled={busy} onClick={publish} data-edit="publish">
            {t('publish')}
          </button>
        )}
      </div>
      {message && (
        <p class={message.ok ? 'ok' : 'problem'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
