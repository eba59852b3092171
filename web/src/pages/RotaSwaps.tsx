// Swaps (#/rota/swaps): ask a colleague to take one of my duty days (or
// to exchange it for one of theirs), answer the requests made to me,
// cancel my own open ones. Editors see every open request and may ask on
// someone's behalf. The API checks every rule (only the holder gives a
// day away, nobody gets two duties on a day, nobody works in their own
// absence) and says which one failed.
import { useState } from 'preact/hooks';
import { canEdit, get, getAll, request, type Assignment, type Person, type Swap } from '../api';
import { Loading, OutcomeLine, PageTitle, ProblemBox, personName, personOptions, useAction, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { addDays, formatDay, todayIn } from '../dates';
import { useI18n } from '../i18n';
import { RotaNav } from '../rotaNav';

interface SwapData extends Basics {
  today: string;
  days: Assignment[];
  mine: Swap[];
  open: Swap[];
}

async function loadSwaps(me: Person): Promise<SwapData> {
  const basics = await loadBasics();
  const today = todayIn(basics.calendar.time_zone);
  const [days, mine, open] = await Promise.all([
    get<{ items: Assignment[] }>(`/api/v1/rota/days?from=${today}&to=${addDays(today, 8 * 7 - 1)}`),
    getAll<Swap>(`/api/v1/swaps?person_id=${me.id}`),
    getAll<Swap>('/api/v1/swaps?status=open'),
  ]);
  return { ...basics, today, days: days.items, mine: mine.reverse(), open };
}

export function RotaSwaps({ me }: { me: Person }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => loadSwaps(me), [me.id]);
  return (
    <section class="page rota-swaps" aria-busy={loading}>
      <PageTitle>{t('rotaTitle')}</PageTitle>
      <RotaNav current="swaps" role={me.role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? <SwapsBody data={data} me={me} reload={reload} /> : !error && <Loading />}
    </section>
  );
}

function dutyName(data: Basics, id: number | null): string {
  return data.duties.find((d) => d.id === id)?.name ?? `#${id}`;
}

function SwapsBody({ data, me, reload }: { data: SwapData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  const editor = canEdit(me.role);
  const describe = (s: Swap) =>
    s.kind === 'exchange' && s.other_day
      ? t('swapExchangeText', {
          day: formatDay(s.day, locale),
          duty: dutyName(data, s.duty_id),
          other: formatDay(s.other_day, locale),
          otherDuty: dutyName(data, s.other_duty_id),
        })
      : t('swapGiveText', { day: formatDay(s.day, locale), duty: dutyName(data, s.duty_id) });
  const toMe = data.mine.filter((s) => s.colleague_id === me.id && s.status === 'open');
  const byMe = data.mine.filter((s) => s.requester_id === me.id);
  const others = data.open.filter((s) => s.requester_id !== me.id && s.colleague_id !== me.id);

  return (
    <>
      <section class="card" aria-labelledby="to-me-h">
        <h2 id="to-me-h">{t('swapsToMe')}</h2>
        {toMe.length === 0 ? (
          <p class="muted">{t('swapsNoneToMe')}</p>
        ) : (
          <ul class="plain swap-list">
            {toMe.map((s) => (
              <SwapItem key={s.id} swap={s} text={describe(s)} who={t('swapAskedBy', { name: personName(data.people, s.requester_id, t) })} actions={['accept', 'decline']} reload={reload} />
            ))}
          </ul>
        )}
      </section>

      <SwapForm data={data} me={me} reload={reload} editor={editor} />

      <section class="card" aria-labelledby="by-me-h">
        <h2 id="by-me-h">{t('swapsByMe')}</h2>
        {byMe.length === 0 ? (
          <p class="muted">{t('swapsNoneByMe')}</p>
        ) : (
          <ul class="plain swap-list">
            {byMe.map((s) => (
              <SwapItem
                key={s.id}
                swap={s}
                text={describe(s)}
                who={t('swapAskedOf', { name: personName(data.people, s.colleague_id, t) })}
                actions={s.status === 'open' ? ['cancel'] : []}
                reload={reload}
              />
            ))}
          </ul>
        )}
      </section>

      {editor && (
        <section class="card" aria-labelledby="all-open-h">
          <h2 id="all-open-h">{t('swapsAllOpen')}</h2>
          {others.length === 0 ? (
            <p class="muted">{t('swapsNoneOpen')}</p>
          ) : (
            <ul class="plain swap-list">
              {others.map((s) => (
                <SwapItem
                  key={s.id}
                  swap={s}
                  text={describe(s)}
                  who={t('swapFromTo', { from: personName(data.people, s.requester_id, t), to: personName(data.people, s.colleague_id, t) })}
                  actions={[]}
                  reload={reload}
                />
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

const statusKeys = { open: 'swapOpen', accepted: 'swapAccepted', declined: 'swapDeclined', cancelled: 'swapCancelled' } as const;

function SwapItem({ swap, text, who, actions, reload }: { swap: Swap; text: string; who: string; actions: ('accept' | 'decline' | 'cancel')[]; reload: () => void }) {
  const { t } = useI18n();
  const { busy, outcome, run } = useAction();
  const labels = { accept: t('swapAccept'), decline: t('swapDecline'), cancel: t('swapCancel') };
  async function act(a: 'accept' | 'decline' | 'cancel') {
    const ok = await run(async () => {
      await request('POST', `/api/v1/swaps/${swap.id}/${a}`);
      return null;
    });
    if (ok) reload();
  }
  return (
    <li class={`swap swap-${swap.status}`} data-swap-id={swap.id}>
      <p>
        <strong>{text}</strong> <span class={`badge swap-st-${swap.status}`}>{t(statusKeys[swap.status])}</span>
        <br />
        <span class="muted">{who}</span>
        {swap.note && <span class="muted"> · „{swap.note}“</span>}
      </p>
      {actions.length > 0 && (
        <div class="actions">
          {actions.map((a) => (
            <button type="button" class={a === 'accept' ? '' : 'secondary'} disabled={busy} key={a} onClick={() => act(a)}>
              {labels[a]}
            </button>
          ))}
        </div>
      )}
      <OutcomeLine outcome={outcome} />
    </li>
  );
}

function SwapForm({ data, me, reload, editor }: { data: SwapData; me: Person; reload: () => void; editor: boolean }) {
  const { t, locale } = useI18n();
  const [requester, setRequester] = useState(String(me.id));
  const [mine, setMine] = useState('');
  const [colleague, setColleague] = useState('');
  const [other, setOther] = useState('');
  const [note, setNote] = useState('');
  const { busy, outcome, run } = useAction();
  const who = Number(requester);
  const key = (a: Assignment) => `${a.day}|${a.duty_id}`;
  const myDays = data.days.filter((a) => a.person_id === who);
  const theirDays = data.days.filter((a) => colleague && a.person_id === Number(colleague));
  const colleagues = [...data.people.values()].filter((p) => p.id !== who);

  async function submit(e: Event) {
    e.preventDefault();
    const [day, duty] = mine.split('|');
    const body: Record<string, unknown> = { colleague_id: Number(colleague), day, duty_id: Number(duty) };
    if (who !== me.id) body.requester_id = who;
    if (other) {
      const [od, odu] = other.split('|');
      body.other_day = od;
      body.other_duty_id = Number(odu);
    }
    if (note.trim()) body.note = note.trim();
    const ok = await run(async () => {
      await request('POST', '/api/v1/swaps', body);
      return t('swapRequested', { name: personName(data.people, Number(colleague), t) });
    });
    if (ok) {
      setMine('');
      setOther('');
      setNote('');
      reload();
    }
  }

  const dayOption = (a: Assignment) => (
    <option value={key(a)} key={key(a)}>
      {formatDay(a.day, locale)} · {dutyName(data, a.duty_id)}
    </option>
  );

  return (
    <form class="card swap-form" onSubmit={submit} aria-labelledby="swap-form-h">
      <h2 id="swap-form-h">{t('swapFormTitle')}</h2>
      <p class="muted">{t('swapFormHint')}</p>
      <div class="fields">
        {editor && (
          <label>
            {t('swapRequester')}
            <select name="requester" value={requester} onChange={(e) => { setRequester(e.currentTarget.value); setMine(''); }}>
              {personOptions(data.people.values())}
            </select>
          </label>
        )}
        <label>
          {t('swapMyDay')}
          <select name="day" required value={mine} onChange={(e) => setMine(e.currentTarget.value)}>
            <option value="">{myDays.length ? t('chooseDay') : t('noDutyDaysAhead')}</option>
            {myDays.map(dayOption)}
          </select>
        </label>
        <label>
          {t('swapColleague')}
          <select name="colleague" required value={colleague} onChange={(e) => { setColleague(e.currentTarget.value); setOther(''); }}>
            <option value="">{t('choosePerson')}</option>
            {personOptions(colleagues)}
          </select>
        </label>
        <label>
          {t('swapOtherDay')}
          <select name="other" value={other} onChange={(e) => setOther(e.currentTarget.value)} disabled={!colleague}>
            <option value="">{t('swapJustGive')}</option>
            {theirDays.map(dayOption)}
          </select>
        </label>
        <label>
          {t('noteLabel')}
          <input name="note" maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('swapSubmit')}
        </button>
      </div>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}
