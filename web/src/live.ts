// Live updates: one EventSource on GET /api/v1/live for the whole page,
// opened while at least one page listens and closed when the last one
// stops (so a signed-out page holds no stream). The server sends only
// references ({id, at, action, object_type, object_id}); a page that
// cares about an object type reloads its own data with its own
// permissions.
//
// `event: hello` opens the stream; `event: change` is one committed
// change; `event: resync` means changes came too fast to list, so every
// listener reloads. EventSource reconnects by itself after a dropped
// connection (the server asks for 3 s); the server does not replay what
// was missed meanwhile, so a hello after a lost connection also makes
// every listener reload. When the browser gives up (an answer that is
// not the stream, e.g. 401 or 503), we open a new one after a pause.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface Change {
  id: number;
  at: number;
  action: string;
  object_type: string;
  object_id: number;
}

/** A change, or null for "reload everything" (resync, reconnect). */
export type Listener = (change: Change | null) => void;

export type LiveState = 'connecting' | 'live' | 'reconnecting';

interface Subscription {
  types: Set<string> | null; // null: every type
  fn: Listener;
}

const subs = new Set<Subscription>();
const stateListeners = new Set<(s: LiveState) => void>();
let source: EventSource | null = null;
let state: LiveState = 'connecting';
let everOpen = false;
let lostSinceHello = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

const LIVE_PATH = '/api/v1/live';
const REOPEN_MS = 5000;

function setState(s: LiveState): void {
  if (s === state) return;
  state = s;
  for (const fn of stateListeners) fn(s);
}

function deliver(change: Change | null): void {
  for (const s of [...subs]) {
    if (change === null || s.types === null || s.types.has(change.object_type)) {
      try {
        s.fn(change);
      } catch {
        /* one page's failure must not stop the others */
      }
    }
  }
}

function parseChange(data: string): Change | null {
  try {
    const v = JSON.parse(data) as Partial<Change>;
    if (typeof v.object_type !== 'string' || typeof v.action !== 'string') return null;
    return {
      id: Number(v.id),
      at: Number(v.at),
      action: v.action,
      object_type: v.object_type,
      object_id: Number(v.object_id),
    };
  } catch {
    return null;
  }
}

function open(): void {
  if (source || typeof EventSource === 'undefined') return;
  const es = new EventSource(LIVE_PATH, { withCredentials: true });
  source = es;
  es.addEventListener('hello', () => {
    setState('live');
    // Reconnected: whatever changed while the stream was down is unknown.
    if (everOpen && lostSinceHello) deliver(null);
    everOpen = true;
    lostSinceHello = false;
  });
  es.addEventListener('change', (e) => {
    const change = parseChange((e as MessageEvent<string>).data);
    if (change) deliver(change);
  });
  es.addEventListener('resync', () => deliver(null));
  es.addEventListener('error', () => {
    lostSinceHello = true;
    setState('reconnecting');
    if (es.readyState === EventSource.CLOSED) {
      // The browser will not retry by itself (not a stream answer).
      es.close();
      if (source === es) source = null;
      if (!retryTimer && subs.size > 0) {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (subs.size > 0) open();
        }, REOPEN_MS);
      }
    }
  });
}

function close(): void {
  if (retryTimer) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  source?.close();
  source = null;
  everOpen = false;
  lostSinceHello = false;
  setState('connecting');
}

/**
 * Call fn for every change to one of types (all types when omitted or
 * empty), and with null when everything should be reloaded. Returns the
 * function that stops it.
 */
export function subscribe(types: readonly string[] | null, fn: Listener): () => void {
  const sub: Subscription = { types: types && types.length ? new Set(types) : null, fn };
  subs.add(sub);
  open();
  return () => {
    subs.delete(sub);
    if (subs.size === 0) close();
  };
}

/** The stream's state now. */
export function liveState(): LiveState {
  return state;
}

/**
 * Reload a page's data when one of types changes: calls reload at most
 * once per `quietMs` (a burst of changes, e.g. a ticket and its alert in
 * one transaction, is one reload).
 */
export function useLiveReload(types: readonly string[], reload: () => void, quietMs = 250): void {
  const ref = useRef(reload);
  ref.current = reload;
  const key = types.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = subscribe(key ? key.split(',') : null, () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        ref.current();
      }, quietMs);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [key, quietMs]);
}

/** The stream's state, for a small "live" indicator. */
export function useLiveState(): LiveState {
  const [s, set] = useState<LiveState>(state);
  useEffect(() => {
    stateListeners.add(set);
    set(state);
    return () => {
      stateListeners.delete(set);
    };
  }, []);
  return s;
}
