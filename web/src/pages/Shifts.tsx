// Shift-start notices (#/alerting/shifts), newest first: when each duty
// window opened, who held it, whether they confirmed readiness ("on
// duty, VPN works") and whether the coordinator was told. The holder (or
// an editor) confirms an open one here.
import { useState } from 'preact/hooks';
import { canEdit, get, request, type ListPage, type Session } from '../api';
import type { Shift } from '../alerting';
import { Loading, PageTitle, ProblemBox, errorText, useLoad } from '../components';
import { loadBasics } from '../data';
import { formatDay, formatTime } from '../dates';
import { useI18n } from '../i18n';
import { useLiveReload } from '../live';
import { AlertingNav, personName } from './alertBits';

export function Shifts({ session }: { session: Session }) {
  const { t, locale } = useI18n();
  const { data, error, loading, reload } = useLoad(
    () => Promise.all([loadBasics(), get<ListPage<Shift>>('/api/v1/shifts?limit=50')]),
    [],
  );
  useLiveReload(['shift'], reload);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const editor = canEdit(session.person.role);

  async function ready(s: Shift) {
    setMessage(null);
    try {
      await request('POST', `/api/v1/shifts/${s.id}/ready`, {});
      setMessage({ ok: true, text: t('readyConfirmed') });
      reload();
    } catch (e) {
      setMessage({ ok: false, text: errorText(e, t) });
    }
  }

  return (
    <section class="page shifts" aria-busy={loading}>
      <PageTitle>{t('shiftsTitle')}</PageTitle>
      <AlertingNav current="shifts" />
      <p class="muted">{t('shiftsIntro')}</p>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {message && (
        <p class={message.ok ? 'ok' : 'problem'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {data && data[1].items.length === 0 && <p class="muted">{t('shiftsNone')}</p>}
      {data && data[1].items.length > 0 && (() => {
        const [basics, list] = data;
        const tz = basics.calendar.time_zone;
        return (
          <div class="grid-wrap">
            <table class="shift-table">
              <thead>
                <tr>
                  <th scope="col">{t('dayColumn')}</th>
                  <th scope="col">{t('dutyColumn')}</th>
                  <th scope="col">{t('personColumn')}</th>
                  <th scope="col">{t('readyColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((s) => (
                  <tr key={s.id} data-shift-id={s.id}>
                    <th scope="row">
                      {formatDay(s.day, locale)}{' '}
                      <span class="muted">
                        {formatTime(s.window_start, locale, tz)}–{formatTime(s.window_end, locale, tz)}
                      </span>
                    </th>
                    <td>{basics.duties.find((d) => d.id === s.duty_id)?.name ?? `#${s.duty_id}`}</td>
                    <td>{personName(basics.people, s.person_id, t)}</td>
                    <td>
                      {s.ready ? (
                        <span class="ok">
                          {t('readySince', { time: formatTime(s.ready_at ?? s.notified_at, locale, tz) })}
                          {s.ready_note ? ` · ${s.ready_note}` : ''}
                        </span>
                      ) : (
                        <>
                          <span class="badge unverified">{t('notReady')}</span>
                          {s.coordinator_told_at && <span class="muted"> · {t('coordinatorTold')}</span>}{' '}
                          {(s.person_id === session.person.id || editor) && (
                            <button type="button" onClick={() => ready(s)}>
                              {t('confirmReady')}
                            </button>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })()}
    </section>
  );
}
