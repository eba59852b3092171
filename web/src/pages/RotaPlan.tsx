// Planning (#/rota/plan, editors): review a fair proposal for the coming
// weeks with its explanation (each member's duty days when the week was
// decided), save it as drafts, publish drafts; and who is in the
// rotation.
import { useState } from 'preact/hooks';
import { canEdit, get, getAll, request, type Person, type RotaMember, type Week } from '../api';
import { Loading, OutcomeLine, PageTitle, ProblemBox, personName, personOptions, useAction, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, isoWeek, mondayOf, todayIn } from '../dates';
import { useI18n } from '../i18n';
import { RotaNav } from '../rotaNav';

interface Proposal {
  saved_weeks?: number;
  first_week: string;
  weeks: number;
  trailing_weeks: number;
  people: { person_id: number; name: string; in_rotation: boolean; trailing_days: number; days_after: number }[];
  proposal: {
    week_start: string;
    status: 'paired' | 'no-business-days' | 'uncovered';
    already_published: boolean;
    first_person_id: number | null;
    second_person_id: number | null;
    avoided_repeat: boolean;
    available: number;
    days_before: Record<string, number>;
  }[];
}

interface PlanData extends Basics {
  today: string;
  weeks: Week[];
  members: RotaMember[];
}

async function loadPlan(): Promise<PlanData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  const [weeks, members] = await Promise.all([
    get<{ items: Week[] }>(`/api/v1/rota/weeks?from=${mondayOf(today)}&to=${addDays(today, 7 * 52)}`),
    getAll<RotaMember>('/api/v1/rota/members'),
  ]);
  return { ...basics, today, weeks: weeks.items, members };
}

export function RotaPlan({ me }: { me: Person }) {
  const { t } = useI18n();
  if (!canEdit(me.role))
    return (
      <section class="page rota-plan">
        <PageTitle>{t('planTitle')}</PageTitle>
        <RotaNav current="plan" role={me.role} />
        <p class="problem" role="alert">
          {t('planForbidden')}
        </p>
      </section>
    );
  return <PlanPage me={me} />;
}

function PlanPage({ me }: { me: Person }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(loadPlan, []);
  return (
    <section class="page rota-plan" aria-busy={loading}>
      <PageTitle>{t('planTitle')}</PageTitle>
      <RotaNav current="plan" role={me.role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <ProposalSection data={data} reload={reload} />
          <Drafts data={data} reload={reload} />
          <Members data={data} reload={reload} />
        </>
      ) : (
        !error && <Loading />
      )}
    </section>
  );
}

function ProposalSection({ data, reload }: { data: PlanData; reload: () => void }) {
  const { t, locale } = useI18n();
  const nextMonday = addDays(mondayOf(data.today), 7);
  const [first, setFirst] = useState(nextMonday);
  const [weeks, setWeeks] = useState('8');
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const { busy, outcome, run } = useAction();
  const name = (id: number | null) => personName(data.people, id, t);

  async function propose(save: boolean) {
    const ok = await run(async () => {
      const { data: p } = await request<Proposal>('POST', '/api/v1/rota/proposals', {
        weeks: Number(weeks),
        first_week: mondayOf(first),
        save,
      });
      setProposal(p);
      return save ? t('proposalSaved', { n: p.saved_weeks ?? 0 }) : null;
    });
    if (ok && save) reload();
  }

  return (
    <section class="card proposal" aria-labelledby="proposal-h">
      <h2 id="proposal-h">{t('proposalTitle')}</h2>
      <p class="muted">{t('proposalHint')}</p>
      <form
        class="fields"
        onSubmit={(e) => {
          e.preventDefault();
          void propose(false);
        }}
      >
        <label>
          {t('proposalFirstWeek')}
          <input type="date" name="first_week" required value={first} onInput={(e) => setFirst(e.currentTarget.value)} />
        </label>
        <label>
          {t('proposalWeeks')}
          <input type="number" name="weeks" min={1} max={26} required value={weeks} onInput={(e) => setWeeks(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('proposalMake')}
          </button>
        </div>
      </form>
      {proposal && (
        <>
          <div class="grid-wrap">
            <table class="compact proposal-table">
              <caption>{t('proposalCaption', { n: proposal.trailing_weeks })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('weekCol')}</th>
                  <th scope="col">{t('pairLabel')}</th>
                  <th scope="col">{t('proposalWhy')}</th>
                </tr>
              </thead>
              <tbody>
                {proposal.proposal.map((w) => {
                  const before = Object.entries(w.days_before)
                    .map(([id, n]) => ({ id: Number(id), n }))
                    .sort((a, b) => a.n - b.n || a.id - b.id);
                  return (
                    <tr key={w.week_start} class={`prop-${w.status}`}>
                      <th scope="row">
                        {formatDay(w.week_start, locale)} <span class="muted">({t('weekNumber', { n: isoWeek(w.week_start) })})</span>
                      </th>
                      <td>
                        {w.status === 'paired' ? (
                          <strong>
                            {name(w.first_person_id)} & {name(w.second_person_id)}
                          </strong>
                        ) : w.status === 'uncovered' ? (
                          <span class="badge unc">{t('proposalUncovered')}</span>
                        ) : (
                          <span class="muted">{t('proposalNoDays')}</span>
                        )}
                        {w.already_published && <span class="badge status-published">{t('proposalKept')}</span>}
                        {w.avoided_repeat && <span class="badge">{t('proposalAvoidedRepeat')}</span>}
                      </td>
                      <td class="small">{before.map((b) => `${name(b.id)} ${b.n}`).join(', ')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <details class="table-details">
            <summary>{t('proposalPeople')}</summary>
            <ul class="plain">
              {proposal.people.map((p) => (
                <li key={p.person_id}>
                  {p.name}: {p.trailing_days} → {p.days_after}
                  {!p.in_rotation && <span class="badge">{t('outOfRotation')}</span>}
                </li>
              ))}
            </ul>
          </details>
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => propose(true)} data-edit="save-proposal">
              {t('proposalSave')}
            </button>
          </div>
        </>
      )}
      <OutcomeLine outcome={outcome} />
    </section>
  );
}

function Drafts({ data, reload }: { data: PlanData; reload: () => void }) {
  const { t, locale } = useI18n();
  const { busy, outcome, run } = useAction();
  const drafts = data.weeks.filter((w) => w.status === 'draft');
  async function publish(list: Week[]) {
    const ok = await run(async () => {
      for (const w of list) await request('POST', `/api/v1/rota/weeks/${w.week_start}/publish`);
      return t('publishedWeeks', { n: list.length });
    });
    if (ok) reload();
  }
  return (
    <section class="card" aria-labelledby="drafts-h">
      <h2 id="drafts-h">{t('draftsTitle')}</h2>
      {drafts.length === 0 ? (
        <p class="muted">{t('draftsNone')}</p>
      ) : (
        <>
          <ul class="plain draft-list">
            {drafts.map((w) => (
              <li key={w.week_start} data-week={w.week_start}>
                <a href={`#/rota/${w.week_start}`}>{t('weekOf', { date: formatDay(w.week_start, locale) })}</a>:{' '}
                <strong>
                  {personName(data.people, w.first_person_id, t)} & {personName(data.people, w.second_person_id, t)}
                </strong>{' '}
                <button type="button" class="secondary small" disabled={busy} onClick={() => publish([w])}>
                  {t('publish')}
                </button>
              </li>
            ))}
          </ul>
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => publish(drafts)}>
              {t('publishAll', { n: drafts.length })}
            </button>
          </div>
        </>
      )}
      <OutcomeLine outcome={outcome} />
    </section>
  );
}

function Members({ data, reload }: { data: PlanData; reload: () => void }) {
  const { t } = useI18n();
  const [add, setAdd] = useState('');
  const { busy, outcome, run } = useAction();
  const ids = new Set(data.members.map((m) => m.person_id));
  async function set(personId: number, inRotation: boolean) {
    const ok = await run(async () => {
      await request('PUT', `/api/v1/rota/members/${personId}`, { in_rotation: inRotation });
      return null;
    });
    if (ok) reload();
  }
  async function remove(personId: number) {
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/rota/members/${personId}`);
      return null;
    });
    if (ok) reload();
  }
  return (
    <section class="card" aria-labelledby="members-h">
      <h2 id="members-h">{t('membersTitle')}</h2>
      <p class="muted">{t('membersHint')}</p>
      <ul class="plain member-list">
        {data.members.map((m) => (
          <li key={m.person_id}>
            <label class="checkbox">
              <input type="checkbox" checked={m.in_rotation} disabled={busy} onChange={(e) => set(m.person_id, e.currentTarget.checked)} />
              {m.name} {!m.active && <span class="badge">{t('inactive')}</span>}
            </label>
            <button type="button" class="secondary small" disabled={busy} onClick={() => remove(m.person_id)} aria-label={t('removeMemberOf', { name: m.name })}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <div class="fields inline-form">
        <label>
          {t('addMember')}
          <select value={add} onChange={(e) => setAdd(e.currentTarget.value)}>
            <option value="">{t('choosePerson')}</option>
            {personOptions([...data.people.values()].filter((p) => !ids.has(p.id)))}
          </select>
        </label>
        <div class="actions">
          <button type="button" class="secondary" disabled={busy || !add} onClick={() => set(Number(add), true).then(() => setAdd(''))}>
            {t('add')}
          </button>
        </div>
      </div>
      <OutcomeLine outcome={outcome} />
    </section>
  );
}
