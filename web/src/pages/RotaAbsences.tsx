// Absences (#/rota/absences): enter vacation or other days away (editors
// for anyone), see who is away, cancel an absence, and the duty days
// that became uncovered because their holder is away, highlighted, with
// "I'll take it" (editors: put someone there).
import { useState } from 'preact/hooks';
import { canEdit, get, getAll, request, type Absence, type Person, type Uncovered } from '../api';
import { Loading, OutcomeLine, PageTitle, ProblemBox, dutyClass, personName, personOptions, useAction, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, todayIn } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { RotaNav } from '../rotaNav';

interface AbsenceData extends Basics {
  today: string;
  absences: Absence[];
  uncovered: Uncovered[];
}

const AHEAD_DAYS = 12 * 7;

async function loadAbsences(): Promise<AbsenceData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  const [absences, uncovered] = await Promise.all([
    getAll<Absence>(`/api/v1/absences?from=${today}`),
    get<{ items: Uncovered[] }>(`/api/v1/rota/uncovered?from=${today}&to=${addDays(today, AHEAD_DAYS)}`),
  ]);
  absences.sort((a, b) => a.first_day.localeCompare(b.first_day) || a.id - b.id);
  return { ...basics, today, absences, uncovered: uncovered.items };
}

export const absenceKindKeys: Record<Absence['kind'], MessageKey> = {
  vacation: 'kindVacation',
  sick: 'kindSick',
  other: 'kindOther',
};

export function RotaAbsences({ me }: { me: Person }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(loadAbsences, []);
  return (
    <section class="page rota-absences" aria-busy={loading}>
      <PageTitle>{t('rotaTitle')}</PageTitle>
      <RotaNav current="absences" role={me.role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <AbsenceForm data={data} me={me} reload={reload} />
          <UncoveredList data={data} me={me} reload={reload} />
          <AbsenceList data={data} me={me} reload={reload} />
        </>
      ) : (
        !error && <Loading />
      )}
    </section>
  );
}

function AbsenceForm({ data, me, reload }: { data: AbsenceData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  const editor = canEdit(me.role);
  const [person, setPerson] = useState(String(me.id));
  const [kind, setKind] = useState<Absence['kind']>('vacation');
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [note, setNote] = useState('');
  const { busy, outcome, run } = useAction();

  async function submit(e: Event) {
    e.preventDefault();
    const body: Record<string, unknown> = { kind, first_day: first, last_day: last || first };
    if (Number(person) !== me.id) body.person_id = Number(person);
    if (note.trim()) body.note = note.trim();
    const ok = await run(async () => {
      await request('POST', '/api/v1/absences', body);
      return t('absenceSaved', { from: formatDay(first, locale), to: formatDay(last || first, locale) });
    });
    if (ok) {
      setFirst('');
      setLast('');
      setNote('');
      reload();
    }
  }

  return (
    <form class="card absence-form" onSubmit={submit} aria-labelledby="absence-form-h">
      <h2 id="absence-form-h">{t('absenceFormTitle')}</h2>
      <p class="muted">{t('absenceFormHint')}</p>
      <div class="fields">
        {editor && (
          <label>
            {t('person')}
            <select name="person" value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
              {personOptions(data.people.values())}
            </select>
          </label>
        )}
        <label>
          {t('absenceKind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Absence['kind'])}>
            {(['vacation', 'other', 'sick'] as const).map((k) => (
              <option value={k} key={k}>
                {t(absenceKindKeys[k])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('firstDay')}
          <input type="date" name="first_day" required min={data.today} value={first} onInput={(e) => setFirst(e.currentTarget.value)} />
        </label>
        <label>
          {t('lastDay')}
          <input type="date" name="last_day" required min={first || data.today} value={last} onInput={(e) => setLast(e.currentTarget.value)} />
        </label>
        <label>
          {t('noteLabel')}
          <input name="note" maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('absenceSubmit')}
        </button>
      </div>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

function UncoveredList({ data, me, reload }: { data: AbsenceData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  return (
    <section class="card uncovered" aria-labelledby="unc-list-h">
      <h2 id="unc-list-h">{t('uncoveredAheadTitle')}</h2>
      {data.uncovered.length === 0 ? (
        <p class="ok">{t('uncoveredAheadNone')}</p>
      ) : (
        <ul class="uncovered-list">
          {data.uncovered.map((u) => (
            <UncoveredItem key={`${u.day}-${u.duty_id}`} u={u} data={data} me={me} reload={reload} />
          ))}
        </ul>
      )}
      <p class="muted small">{t('uncoveredAheadHint', { date: formatDay(addDays(data.today, AHEAD_DAYS), locale) })}</p>
    </section>
  );
}

function UncoveredItem({ u, data, me, reload }: { u: Uncovered; data: AbsenceData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  const editor = canEdit(me.role);
  const [who, setWho] = useState('');
  const { busy, outcome, run } = useAction();
  const idx = data.duties.findIndex((d) => d.id === u.duty_id);
  async function take(person?: number) {
    const ok = await run(async () => {
      await request('POST', '/api/v1/rota/replacements', { day: u.day, duty_id: u.duty_id, ...(person ? { person_id: person } : {}) });
      return null;
    });
    if (ok) reload();
  }
  return (
    <li class={`${dutyClass(Math.max(idx, 0))} unc-item`} data-day={u.day} data-duty-id={u.duty_id}>
      <p>
        <strong>{formatDay(u.day, locale)}</strong> · {u.duty}:{' '}
        {t('uncoveredItem', { person: personName(data.people, u.person_id, t), kind: t(absenceKindKeys[u.absence_kind]) })}
      </p>
      <div class="actions">
        {u.person_id !== me.id && (
          <button type="button" disabled={busy} onClick={() => take()}>
            {t('takeIt')}
          </button>
        )}
        {editor && (
          <>
            <label class="inline">
              <span class="visually-hidden">{t('replacementFor', { day: formatDay(u.day, locale), duty: u.duty })}</span>
              <select value={who} onChange={(e) => setWho(e.currentTarget.value)} aria-label={t('replacementFor', { day: formatDay(u.day, locale), duty: u.duty })}>
                <option value="">{t('choosePerson')}</option>
                {personOptions([...data.people.values()].filter((p) => p.id !== u.person_id))}
              </select>
            </label>
            <button type="button" class="secondary" disabled={busy || !who} onClick={() => take(Number(who))}>
              {t('assignReplacement')}
            </button>
          </>
        )}
      </div>
      <OutcomeLine outcome={outcome} />
    </li>
  );
}

function AbsenceList({ data, me, reload }: { data: AbsenceData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  const editor = canEdit(me.role);
  const { busy, outcome, run } = useAction();
  async function cancel(a: Absence) {
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/absences/${a.id}`);
      return t('absenceCancelled');
    });
    if (ok) reload();
  }
  return (
    <section class="card" aria-labelledby="absences-h">
      <h2 id="absences-h">{t('absencesAheadTitle')}</h2>
      {data.absences.length === 0 ? (
        <p class="muted">{t('absencesNone')}</p>
      ) : (
        <div class="grid-wrap">
          <table class="compact absence-table">
            <thead>
              <tr>
                <th scope="col">{t('person')}</th>
                <th scope="col">{t('absenceKind')}</th>
                <th scope="col">{t('firstDay')}</th>
                <th scope="col">{t('lastDay')}</th>
                <th scope="col">{t('noteLabel')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.absences.map((a) => (
                <tr key={a.id} data-absence-id={a.id} class={a.person_id === me.id ? 'mine' : ''}>
                  <th scope="row">{personName(data.people, a.person_id, t)}</th>
                  <td>{t(absenceKindKeys[a.kind])}</td>
                  <td>{formatDay(a.first_day, locale)}</td>
                  <td>{formatDay(a.last_day, locale)}</td>
                  <td>{a.note}</td>
                  <td>
                    {(editor || a.person_id === me.id) && (
                      <button type="button" class="secondary small" disabled={busy} onClick={() => cancel(a)}>
                        {t('cancelAbsence')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <OutcomeLine outcome={outcome} />
    </section>
  );
}
