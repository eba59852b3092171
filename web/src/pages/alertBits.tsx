// Pieces the alerting pages share: the ticking clock, an alert's state
// badge, time since trigger, a target's words, the acknowledge and
// resolve buttons, and the sub-navigation of the alerting pages.
import { useEffect, useState } from 'preact/hooks';
import { getAll, type Person } from '../api';
import { alertAction, sinceText, type Alert, type Named, type Target, type TargetKind } from '../alerting';
import { errorText } from '../components';
import { useI18n, type MessageKey, type Translate } from '../i18n';

/** Date.now(), again every `ms`. */
export function useNow(ms = 30000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

const stateKeys: Record<Alert['state'], MessageKey> = {
  triggered: 'alertTriggered',
  acknowledged: 'alertAcknowledged',
  resolved: 'alertResolved',
};

export function AlertStateBadge({ state }: { state: Alert['state'] }) {
  const { t } = useI18n();
  return <span class={`badge alert-${state}`} data-state={state}>{t(stateKeys[state])}</span>;
}

export function elapsed(iso: string, now: number, t: Translate): string {
  const { d, h, m } = sinceText(iso, now);
  if (d > 0) return t('elapsedDays', { d, h });
  if (h > 0) return t('elapsedHours', { h, m });
  return t('elapsedMinutes', { m });
}

export function Since({ iso, now }: { iso: string; now: number }) {
  const { t, locale } = useI18n();
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString(locale)}>
      {elapsed(iso, now, t)}
    </time>
  );
}

export function personName(people: Map<number, Person>, id: number | null | undefined, t: Translate): string {
  if (!id) return t('nobody');
  return people.get(id)?.name ?? t('unknownPerson', { id });
}

export const targetKinds: TargetKind[] = ['duty', 'person', 'group', 'queue', 'coordinator', 'substitute'];

export const targetKindKeys: Record<TargetKind, MessageKey> = {
  duty: 'targetDuty',
  person: 'targetPerson',
  group: 'targetGroup',
  queue: 'targetQueue',
  coordinator: 'targetCoordinator',
  substitute: 'targetSubstitute',
};

export interface Directory {
  people: Map<number, Person>;
  duties: Named[];
  groups: Named[];
  queues: Named[];
}

/** A target in words: "Duty: Technical emergency", "Coordinator". */
export function targetText(target: Target | null, dir: Directory, t: Translate): string {
  if (!target) return t('targetNone');
  const kind = t(targetKindKeys[target.kind]);
  if (target.kind === 'coordinator' || target.kind === 'substitute') return kind;
  if (target.kind === 'duty' && target.id === null) return `${kind}: ${t('everyP1Duty')}`;
  const list = target.kind === 'duty' ? dir.duties : target.kind === 'group' ? dir.groups : target.kind === 'queue' ? dir.queues : null;
  const name =
    target.kind === 'person'
      ? personName(dir.people, target.id, t)
      : list?.find((x) => x.id === target.id)?.name ?? `#${target.id ?? '?'}`;
  return `${kind}: ${name}`;
}

/** A page log's target label ("duty:2", "coordinator") in words. */
export function pageTargetText(label: string, dir: Directory, t: Translate): string {
  const [kind, id] = label.split(':');
  if (!targetKinds.includes(kind as TargetKind)) return label;
  return targetText({ kind: kind as TargetKind, id: id ? Number(id) : null }, dir, t);
}

/** Acknowledge and Resolve for one alert; onDone after either worked. */
export function AlertButtons({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (alert.state === 'resolved') return null;
  async function act(action: 'acknowledge' | 'resolve') {
    setBusy(true);
    setError(null);
    try {
      await alertAction(alert.id, action);
      onDone();
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }
  const label = `#${alert.ticket_number}`;
  return (
    <div class="actions alert-actions">
      {alert.state === 'triggered' && (
        <button type="button" disabled={busy} onClick={() => act('acknowledge')} aria-label={t('acknowledgeAlert', { n: label })}>
          {t('acknowledge')}
        </button>
      )}
      <button type="button" class="secondary" disabled={busy} onClick={() => act('resolve')} aria-label={t('resolveAlert', { n: label })}>
        {t('resolve')}
      </button>
      {error && (
        <p class="problem" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export type AlertingTab = 'alerts' | 'policies' | 'settings' | 'contact' | 'shifts';

/** The tabs of the alerting pages. */
export function AlertingNav({ current }: { current: AlertingTab }) {
  const { t } = useI18n();
  const tabs: [AlertingTab, string, MessageKey][] = [
    ['alerts', '#/alerts', 'navAlertHistory'],
    ['policies', '#/alerting/policies', 'navPolicies'],
    ['settings', '#/alerting/settings', 'navAlertSettings'],
    ['contact', '#/alerting/contact-methods', 'navContactMethods'],
    ['shifts', '#/alerting/shifts', 'navShifts'],
  ];
  return (
    <nav class="sub-nav" aria-label={t('navAlerting')}>
      {tabs.map(([id, href, key]) => (
        <a href={href} key={id} aria-current={id === current ? 'page' : undefined}>
          {t(key)}
        </a>
      ))}
    </nav>
  );
}

/** People, duties, groups and queues: what targets name. */
export async function loadDirectory(): Promise<Directory> {
  const [people, duties, groups, queues] = await Promise.all([
    getAll<Person>('/api/v1/people'),
    getAll<Named>('/api/v1/duties'),
    getAll<Named>('/api/v1/groups'),
    getAll<Named>('/api/v1/queues'),
  ]);
  return { people: new Map(people.map((p) => [p.id, p])), duties, groups, queues };
}
