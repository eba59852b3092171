// Calendar subscriptions (#/rota/calendars): iCalendar feeds of one's own
// duty days or of a duty, under secret addresses for calendar apps. The
// address is shown once, when the feed is made; a feed can be revoked.
import { useState } from 'preact/hooks';
import { canEdit, getAll, request, type Feed, type Person } from '../api';
import { Loading, OutcomeLine, PageTitle, ProblemBox, formatInstant, personOptions, useAction, useLoad } from '../components';
import { loadBasics, type Basics } from '../data';
import { useI18n } from '../i18n';
import { RotaNav } from '../rotaNav';

interface FeedData extends Basics {
  feeds: Feed[];
}

async function loadFeeds(): Promise<FeedData> {
  const [basics, feeds] = await Promise.all([loadBasics(), getAll<Feed>('/api/v1/calendar-feeds')]);
  return { ...basics, feeds };
}

export function RotaCalendars({ me }: { me: Person }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(loadFeeds, []);
  return (
    <section class="page rota-calendars" aria-busy={loading}>
      <PageTitle>{t('rotaTitle')}</PageTitle>
      <RotaNav current="calendars" role={me.role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {data ? <FeedsBody data={data} me={me} reload={reload} /> : !error && <Loading />}
    </section>
  );
}

function FeedsBody({ data, me, reload }: { data: FeedData; me: Person; reload: () => void }) {
  const { t, locale } = useI18n();
  const [fresh, setFresh] = useState<Feed | null>(null);
  const [person, setPerson] = useState('');
  const [copied, setCopied] = useState(false);
  const { busy, outcome, run } = useAction();
  const address = fresh?.url ? new URL(fresh.url, location.origin).href : '';

  async function make(kind: 'person' | 'duty', id: number) {
    setCopied(false);
    const ok = await run(async () => {
      const { data: feed } = await request<Feed>('POST', '/api/v1/calendar-feeds', { kind, id });
      setFresh(feed);
      return null;
    });
    if (ok) reload();
  }

  async function revoke(f: Feed) {
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/calendar-feeds/${f.id}`);
      return t('feedRevoked');
    });
    if (ok) {
      if (fresh?.id === f.id) setFresh(null);
      reload();
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(address);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <>
      <section class="card" aria-labelledby="feed-new-h">
        <h2 id="feed-new-h">{t('feedNewTitle')}</h2>
        <p class="muted">{t('feedHint')}</p>
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => make('person', me.id)}>
            {t('feedMine')}
          </button>
          {data.duties.map((d) => (
            <button type="button" class="secondary" disabled={busy} key={d.id} onClick={() => make('duty', d.id)}>
              {t('feedDuty', { duty: d.name })}
            </button>
          ))}
        </div>
        {canEdit(me.role) && (
          <div class="fields inline-form">
            <label>
              {t('feedOfPerson')}
              <select value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
                <option value="">{t('choosePerson')}</option>
                {personOptions(data.people.values())}
              </select>
            </label>
            <div class="actions">
              <button type="button" class="secondary" disabled={busy || !person} onClick={() => make('person', Number(person))}>
                {t('feedMake')}
              </button>
            </div>
          </div>
        )}
        {fresh && (
          <div class="secret-box" role="status">
            <p>
              <strong>{t('feedCreated', { name: fresh.object_name ?? '' })}</strong> {t('shownOnce')}
            </p>
            <label>
              {t('feedAddress')}
              <input readOnly value={address} class="secret feed-url" onFocus={(e) => e.currentTarget.select()} />
            </label>
            <div class="actions">
              <button type="button" class="secondary" onClick={copy}>
                {copied ? t('copied') : t('copy')}
              </button>
              <a class="button secondary" href={address.replace(/^https?:/, 'webcal:')}>
                {t('subscribe')}
              </a>
            </div>
          </div>
        )}
        <OutcomeLine outcome={outcome} />
      </section>

      <section class="card" aria-labelledby="feeds-h">
        <h2 id="feeds-h">{t('feedsTitle')}</h2>
        {data.feeds.length === 0 ? (
          <p class="muted">{t('feedsNone')}</p>
        ) : (
          <ul class="plain feed-list">
            {data.feeds.map((f) => (
              <li key={f.id}>
                <strong>{f.kind === 'person' ? t('feedKindPerson', { name: f.object_name ?? '?' }) : t('feedKindDuty', { name: f.object_name ?? '?' })}</strong>{' '}
                <span class="muted">{formatInstant(f.created_at, locale, data.calendar.time_zone)}</span>{' '}
                <button type="button" class="secondary small" disabled={busy} onClick={() => revoke(f)}>
                  {t('revoke')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
