// Small pieces the pages share. All text goes through Preact, which
// escapes it: nothing here (or anywhere in the UI) sets innerHTML.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Person, type Reason } from './api';
import { useI18n, type MessageKey, type Translate } from './i18n';

/** The message to show for a failed request. */
export function errorText(e: unknown, t: Translate): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('networkError');
    if (e.status === 401) return t('sessionEnded');
    return e.detail;
  }
  return e instanceof Error ? e.message : String(e);
}

export function ProblemBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div class="problem" role="alert">
      <strong>{t('errorTitle')}</strong>
      <p>{errorText(error, t)}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  );
}

interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Run load() now, again when deps change or reload() is called. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

const reasonKeys: Record<Reason, MessageKey> = {
  plan: 'reasonPlan',
  'plan day': 'reasonPlanDay',
  swap: 'reasonSwap',
  replacement: 'reasonReplacement',
  'sick cover': 'reasonSickCover',
};

/** A badge for why someone holds a duty; nothing for the plain plan. */
export function ReasonBadge({ reason, always = false }: { reason: Reason | null; always?: boolean }) {
  const { t } = useI18n();
  if (!reason || (reason === 'plan' && !always)) return null;
  return <span class={`badge reason-${reason.replace(' ', '-')}`}>{t(reasonKeys[reason])}</span>;
}

/** A person's name and a tel: link with their number. */
export function PersonPhone({ person, id }: { person: Person | undefined | null; id?: number | null }) {
  const { t } = useI18n();
  if (!person) {
    return <span class="person muted">{id ? t('unknownPerson', { id }) : t('nobody')}</span>;
  }
  return (
    <span class="person">
      <span class="person-name">{person.name}</span>{' '}
      {person.phone ? (
        <a class="phone" href={`tel:${person.phone}`} aria-label={t('callPerson', { name: person.name, phone: person.phone })}>
          {person.phone}
        </a>
      ) : (
        <span class="muted">{t('noPhone')}</span>
      )}
    </span>
  );
}

/** A page's heading, focused when the page opens (for keyboard and
 * screen-reader users after navigating), unless the person is already
 * typing into a field: the effect runs after paint, and must not take
 * the focus from a sign-in form someone has started to fill. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (active && active.matches('input, select, textarea, [contenteditable]')) return;
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** The colour class of a duty: by its position among the duties. */
export function dutyClass(index: number): string {
  return `duty-c${index % 6}`;
}
