// Sick today (#/rota/sick): "I am sick today" records a one-day sick
// absence and opens a cover request per duty held that day, to ranked
// colleagues; the first who accepts takes the day. Candidates answer
// here; an editor may report someone else and force a choice.
import { useState } from 'preact/hooks';
import { canEdit, getAll, request, type Absence, type CoverRequest, type Person } from '../api';
import { Loading, OutcomeLine, PageTitle, ProblemBox, personName, personOptions, useAction, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { formatDay, todayIn } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { RotaNav } from '../rotaNav';

interface SickData extends Basics {
  today: string;
  requests: CoverRequest[];
}

async function loadSick(): Promise<SickData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  const requests = await getAll<CoverRequest>('/api/v1/rota/cover-requests');
  // Open ones and those of the last days; newest first.
  const recent = requests.filter((r) => r.status === 'open' || r.day >= today).reverse();
  return { ...basics, today, requests: recent };
}

export function RotaSick({ me }: { me: Person }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(loadSick, []);
  return (
    <section class="page rota-sick" aria-busy={loading}>
      <PageTitle>{t('rotaTitle')}</PageTitle>
      <RotaNav current="sick" role={me.role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <ReportSick data={data} me={me} reload={reload} />
          <CoverList data={data} me={me} reload={reload} />
        </>
      ) : (
        !error && <Loading />
      )}
    </section>
  );
}

function ReportSick({ data, me, reload }: { data: SickData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  const editor = canEdit(me.role);
  const [confirming, setConfirming] = useState(false);
  const [person, setPerson] = useState(String(me.id));
  const [day, setDay] = useState(data.today);
  const { busy, outcome, run } = useAction();
  const other = Number(person) !== me.id || day !== data.today;

  async function report() {
    const body: Record<string, unknown> = {};
    if (Number(person) !== me.id) body.person_id = Number(person);
    if (day !== data.today) body.day = day;
    const ok = await run(async () => {
      const { data: res } = await request<{ absence: Absence; cover_requests: CoverRequest[] }>('POST', '/api/v1/rota/sick', body);
      return res.cover_requests.length ? t('sickReported', { n: res.cover_requests.length }) : t('sickReportedNoDuty');
    });
    setConfirming(false);
    if (ok) reload();
  }

  return (
    <section class="card sick-card" aria-labelledby="sick-h">
      <h2 id="sick-h">{t('sickTitle')}</h2>
      <p class="muted">{t('sickHint')}</p>
      {editor && (
        <div class="fields">
          <label>
            {t('person')}
            <select name="sick-person" value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
              {personOptions(data.people.values())}
            </select>
          </label>
          <label>
            {t('dayLabel')}
            <input type="date" name="sick-day" min={data.today} value={day} onInput={(e) => setDay(e.currentTarget.value)} />
          </label>
        </div>
      )}
      {!confirming ? (
        <div class="actions">
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            {other ? t('sickReportOther') : t('sickToday')}
          </button>
        </div>
      ) : (
        <div class="confirm" role="group" aria-label={t('sickConfirmLabel')}>
          <p>
            {t('sickConfirm', {
              name: personName(data.people, Number(person), t),
              day: formatDay(day || data.today, locale, true),
            })}
          </p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={report}>
              {t('sickConfirmYes')}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      <OutcomeLine outcome={outcome} />
    </section>
  );
}

const answerKeys: Record<string, MessageKey> = {
  pending: 'answerPending',
  accepted: 'answerAccepted',
  declined: 'answerDeclined',
  'too-late': 'answerTooLate',
};

const coverStatusKeys: Record<CoverRequest['status'], MessageKey> = {
  open: 'coverOpen',
  filled: 'coverFilled',
  cancelled: 'coverCancelled',
};

function CoverList({ data, me, reload }: { data: SickData; me: Person; reload: () => void }) {
  const { t } = useI18n();
  return (
    <section class="card" aria-labelledby="cover-h">
      <h2 id="cover-h">{t('coverTitle')}</h2>
      {data.requests.length === 0 ? (
        <p class="muted">{t('coverNone')}</p>
      ) : (
        <ul class="plain cover-list">
          {data.requests.map((r) => (
            <CoverItem key={r.id} r={r} data={data} me={me} reload={reload} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CoverItem({ r, data, me, reload }: { r: CoverRequest; data: SickData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  const editor = canEdit(me.role);
  const [who, setWho] = useState('');
  const { busy, outcome, run } = useAction();
  const mine = r.candidates.find((c) => c.person_id === me.id);
  const duty = data.duties.find((d) => d.id === r.duty_id)?.name ?? `#${r.duty_id}`;
  async function act(path: string, body?: unknown) {
    const ok = await run(async () => {
      await request('POST', `/api/v1/rota/cover-requests/${r.id}/${path}`, body);
      return null;
    });
    if (ok) reload();
  }
  return (
    <li class={`cover cover-${r.status}`} data-cover-id={r.id}>
      <p>
        <strong>
          {formatDay(r.day, locale)} · {duty}
        </strong>{' '}
        <span class={`badge cover-st-${r.status}`}>{t(coverStatusKeys[r.status])}</span>
        <br />
        <span class="muted">
          {t('coverFor', { name: personName(data.people, r.absent_person_id, t) })}
          {r.filled_by && ` · ${t('coverTakenBy', { name: personName(data.people, r.filled_by, t) })}`}
          {r.forced && ` (${t('coverForced')})`}
        </span>
      </p>
      <ol class="candidates">
        {r.candidates.map((c) => (
          <li key={c.person_id} class={c.person_id === me.id ? 'me' : ''}>
            {c.name} <span class={`badge ans-${c.answer}`}>{t(answerKeys[c.answer] ?? 'answerPending')}</span>
          </li>
        ))}
      </ol>
      {r.status === 'open' && (
        <div class="actions">
          {mine && mine.answer === 'pending' && (
            <>
              <button type="button" disabled={busy} onClick={() => act('accept')}>
                {t('coverAccept')}
              </button>
              <button type="button" class="secondary" disabled={busy} onClick={() => act('decline')}>
                {t('coverDecline')}
              </button>
            </>
          )}
          {editor && (
            <>
              <label class="inline">
                <select value={who} onChange={(e) => setWho(e.currentTarget.value)} aria-label={t('coverAssignLabel', { day: formatDay(r.day, locale), duty })}>
                  <option value="">{t('choosePerson')}</option>
                  {personOptions([...data.people.values()].filter((p) => p.id !== r.absent_person_id))}
                </select>
              </label>
              <button type="button" class="secondary" disabled={busy || !who} onClick={() => act('assign', { person_id: Number(who) })}>
                {t('coverAssign')}
              </button>
            </>
          )}
        </div>
      )}
      <OutcomeLine outcome={outcome} />
    </li>
  );
}
