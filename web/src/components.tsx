// Small pieces the pages share. All text goes through Preact, which
// escapes it: nothing here (or anywhere in the UI) sets innerHTML.
import type { ComponentChildren, JSX } from 'preact';
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

/** An outcome shown under a form: a status when it went well, an alert
 * when not. */
export interface Outcome {
  ok: boolean;
  text: string;
}

export function OutcomeLine({ outcome, id }: { outcome: Outcome | null; id?: string }) {
  if (!outcome) return null;
  return (
    <p id={id} class={outcome.ok ? 'ok outcome' : 'problem outcome'} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.text}
    </p>
  );
}

/** busy while an action runs; its outcome: the text fn returns, or the
 * failure's message. */
export function useAction() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  async function run(fn: () => Promise<string | null | void>, onError?: (e: unknown) => string | null) {
    setBusy(true);
    setOutcome(null);
    try {
      const text = await fn();
      if (text) setOutcome({ ok: true, text });
      return true;
    } catch (e) {
      setOutcome({ ok: false, text: (onError && onError(e)) || errorText(e, t) });
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, outcome, setOutcome, run };
}

/** A second navigation row: the sections of a page group. */
export function SubNav({ label, items, current }: { label: string; items: { href: string; text: string; id: string }[]; current: string }) {
  return (
    <nav class="subnav" aria-label={label}>
      {items.map((i) => (
        <a href={i.href} key={i.id} aria-current={i.id === current ? 'page' : undefined}>
          {i.text}
        </a>
      ))}
    </nav>
  );
}

/** Tabs inside a page (the panels are the caller's). */
export function Tabs<K extends string>({ label, tabs, current, onChange, idBase }: {
  label: string;
  tabs: { id: K; text: string }[];
  current: K;
  onChange: (id: K) => void;
  idBase: string;
}) {
  function key(e: KeyboardEvent, i: number) {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = tabs[(i + step + tabs.length) % tabs.length];
    onChange(next.id);
    document.getElementById(`${idBase}-tab-${next.id}`)?.focus();
  }
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          type="button"
          role="tab"
          id={`${idBase}-tab-${tab.id}`}
          aria-selected={tab.id === current}
          aria-controls={`${idBase}-panel`}
          tabIndex={tab.id === current ? 0 : -1}
          class={tab.id === current ? 'tab current' : 'tab'}
          key={tab.id}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => key(e, i)}
        >
          {tab.text}
        </button>
      ))}
    </div>
  );
}

/** People sorted by name, the active ones, for a select. */
export function personOptions(people: Iterable<Person>, includeInactive = false) {
  return [...people]
    .filter((p) => includeInactive || p.active)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => (
      <option value={String(p.id)} key={p.id}>
        {p.name}
      </option>
    ));
}

/** A name for a person id, or "Person #id", or "Nobody". */
export function personName(people: Map<number, Person>, id: number | null | undefined, t: Translate): string {
  if (!id) return t('nobody');
  return people.get(id)?.name ?? t('unknownPerson', { id });
}

/** A short date and time in the organisation's zone. */
export function formatInstant(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** Loads a page's module when it is first shown, so that its code is
 * not part of the dashboard's. */
export function Lazy<P extends object>({ load, props }: { load: () => Promise<(p: P) => JSX.Element>; props: P }) {
  const [Comp, setComp] = useState<((p: P) => JSX.Element) | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (c) => live && setComp(() => c),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (error) return <ProblemBox error={error} />;
  if (!Comp) return <Loading />;
  return <Comp {...props} />;
}
