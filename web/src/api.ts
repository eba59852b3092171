// The API client: fetch on the same origin with the session cookie, the
// session's CSRF token in X-CSRF-Token on every unsafe request, and
// RFC 9457 problems turned into an ApiError whose detail is shown to the
// person.

export interface Person {
  id: number;
  login: string;
  name: string;
  email: string;
  phone: string | null;
  active: boolean;
  role: Role;
  version: number;
}

export type Role = 'viewer' | 'editor' | 'admin';

export interface Session {
  person: Person;
  csrf_token: string;
}

export interface Duty {
  id: number;
  name: string;
  description: string;
  slot: number;
  weekdays: string[];
  start: string;
  end: string;
  phone: string | null;
  takes_p1: boolean;
}

export interface OnCallDuty {
  duty_id: number;
  duty: string;
  takes_p1: boolean;
  open: boolean;
  window_start: string | null;
  window_end: string | null;
  person: Person | null;
  reason: Reason | null;
}

export interface OnCall {
  at: string;
  duties: OnCallDuty[];
}

export type Reason = 'plan' | 'plan day' | 'swap' | 'replacement' | 'sick cover';

export interface Assignment {
  day: string;
  duty_id: number;
  duty: string;
  person_id: number | null;
  planned_person_id: number | null;
  reason: Reason | null;
  draft: boolean;
}

export interface Week {
  id: number;
  week_start: string;
  first_person_id: number;
  second_person_id: number;
  status: 'draft' | 'published';
  note: string | null;
  version: number;
}

export interface Uncovered {
  day: string;
  duty_id: number;
  duty: string;
  person_id: number;
  reason: Reason;
  absence_id: number;
  absence_kind: 'vacation' | 'sick' | 'other';
}

export interface Calendar {
  time_zone: string;
  workdays: string[];
  core_start: string;
  core_end: string;
}

export interface ListPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/** A failed request: an RFC 9457 problem, or status 0 for no answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly detail: string;

  constructor(status: number, type: string, detail: string) {
    super(detail);
    this.status = status;
    this.type = type;
    this.detail = detail;
  }
}

let csrfToken = '';
let onUnauthorized: (() => void) | null = null;

/** Remember the session's CSRF token (from signing in or GET /session). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a request answers 401: the session has ended. */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Answer<T> {
  data: T;
  etag: string | null;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) h['X-CSRF-Token'] = csrfToken;
  let resp: Response;
  try {
    resp = await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const type = resp.headers.get('Content-Type') ?? '';
  const json = type.includes('json') ? await resp.json().catch(() => null) : null;
  if (!resp.ok) {
    const problem = (json ?? {}) as { type?: string; detail?: string; title?: string };
    const err = new ApiError(
      resp.status,
      (problem.type ?? '').replace('urn:dutydesk:problem:', ''),
      problem.detail ?? problem.title ?? `${resp.status} ${resp.statusText}`,
    );
    // 401 from /api/v1/session itself is an answer (nobody signed in,
    // a wrong password), not a session that ended under the page.
    if (resp.status === 401 && path !== '/api/v1/session' && onUnauthorized) onUnauthorized();
    throw err;
  }
  return { data: json as T, etag: resp.headers.get('ETag') };
}

export async function get<T>(path: string): Promise<T> {
  return (await request<T>('GET', path)).data;
}

/** Every item of a paged list (at most `pages` pages of 500). */
export async function getAll<T>(path: string, pages = 20): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null | undefined = null;
  const sep = path.includes('?') ? '&' : '?';
  for (let i = 0; i < pages; i++) {
    const url: string = `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: ListPage<T> = await get<ListPage<T>>(url);
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export async function signIn(login: string, password: string): Promise<Session> {
  const { data } = await request<Session>('POST', '/api/v1/session', { login, password });
  setCsrfToken(data.csrf_token);
  return data;
}

/** The current session, or null when nobody is signed in. */
export async function currentSession(): Promise<Session | null> {
  try {
    const s = await get<Session>('/api/v1/session');
    setCsrfToken(s.csrf_token);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signOut(): Promise<void> {
  try {
    await request('DELETE', '/api/v1/session');
  } finally {
    setCsrfToken('');
  }
}

/** Nonzero rank for roles that may change the rota. */
export function canEdit(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}
