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
  version: number;
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

/** A body sent as it is (a file, an iCalendar text) with its own type. */
export interface RawBody {
  raw: Blob | string;
  type: string;
}

function isRaw(body: unknown): body is RawBody {
  return typeof body === 'object' && body !== null && 'raw' in body && 'type' in body;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  let payload: BodyInit | undefined;
  if (isRaw(body)) {
    h['Content-Type'] = body.type || 'application/octet-stream';
    payload = body.raw;
  } else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (!SAFE.has(method) && csrfToken) h['X-CSRF-Token'] = csrfToken;
  let resp: Response;
  try {
    resp = await fetch(path, {
      method,
      headers: h,
      body: payload,
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

/** The ETag dutydesk gives an object of this version. */
export function etagOf(version: number): string {
  return `"v${version}"`;
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

/** Roles that may change the rota and the organisation's data. */
export function canEdit(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}

/** The role that manages people, groups and tokens. */
export function isAdmin(role: Role): boolean {
  return role === 'admin';
}

/** Encode a query string from the entries that have a value. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

// ---- tickets ----

export type TicketStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';
export type Channel = 'phone' | 'email' | 'web' | 'api';
export type SlaState = 'none' | 'ok' | 'warning' | 'breached' | 'met';

export interface Ticket {
  id: number;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: number;
  channel: Channel;
  organisation_id: number | null;
  contact_id: number | null;
  queue_id: number | null;
  owner_id: number | null;
  comm_owner_id: number | null;
  tech_owner_id: number | null;
  caller_phone: string | null;
  needs_completion: boolean;
  due_at: string | null;
  merged_into: number | null;
  first_response_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  sla: { state: SlaState; first_response_due: string | null; resolution_due: string | null };
  tags: string[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TicketPage {
  items: Ticket[];
  next_cursor: string | null;
  total?: number;
}

export interface TicketView {
  id: string;
  name: string;
  query: string;
  count: number;
  queue_id: number | null;
}

export type ArticleKind = 'inbound_mail' | 'outbound_reply' | 'phone_note' | 'internal_note' | 'web';

export interface Article {
  id: number;
  ticket_id: number;
  kind: ArticleKind;
  visibility: 'customer' | 'internal';
  author_id: number | null;
  author_contact_id: number | null;
  body: string;
  minutes: number;
  created_at: string;
}

export interface Attachment {
  id: number;
  ticket_id: number;
  article_id: number | null;
  filename: string;
  content_type: string;
  size: number;
  download: string;
  created_at: string;
}

export interface HistoryItem {
  id: number;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  changes: { field: string; before: unknown; after: unknown }[];
  article?: { kind: ArticleKind; excerpt?: string; minutes?: number; visibility?: string };
  attachment?: { filename: string; size?: number };
}

export interface Organisation {
  id: number;
  name: string;
  mail_domains: string[];
  phone_prefixes: string[];
  project_manager_id: number | null;
  notes: string;
  version: number;
}

export interface Contact {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  notes: string;
  organisation_ids: number[];
  version: number;
}

export interface Queue {
  id: number;
  name: string;
  description: string;
  group_id: number | null;
  owner_rule: 'none' | 'project_manager';
  version: number;
}

export interface PhoneLookup {
  caller: string;
  matched: 'contact' | 'organisation' | 'none';
  contacts_with_number: number;
  contact: Contact | null;
  organisation: Organisation | null;
}

export interface PhoneTicket {
  matched: 'contact' | 'organisation' | 'none';
  article_id: number;
  ticket: Ticket;
}

export interface Rule {
  id: number;
  position: number;
  name: string;
  enabled: boolean;
  continue: boolean;
  conditions: { organisation_id: number[]; channel: Channel[]; priority: number[]; subject_words: string[] };
  actions: { queue_id: number | null; owner_id: number | null; priority: number | null };
  version: number;
}

// ---- people, groups, tokens ----

export interface Group {
  id: number;
  name: string;
  description: string;
  role: 'none' | Role;
  member_count: number;
  version: number;
}

export interface Member {
  person_id: number;
  login: string;
  name: string;
}

export interface Token {
  id: number;
  person_id: number;
  login: string;
  name: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

// ---- rota changes ----

export interface Absence {
  id: number;
  person_id: number;
  kind: 'vacation' | 'sick' | 'other';
  first_day: string;
  last_day: string;
  note: string;
  status: 'active' | 'cancelled';
}

export interface Swap {
  id: number;
  kind: 'give' | 'exchange';
  requester_id: number;
  colleague_id: number;
  day: string;
  duty_id: number;
  other_day: string | null;
  other_duty_id: number | null;
  status: 'open' | 'accepted' | 'declined' | 'cancelled';
  note: string;
  created_at: string;
  decided_at: string | null;
}

export interface CoverCandidate {
  person_id: number;
  login: string;
  name: string;
  rank: number;
  answer: 'pending' | 'accepted' | 'declined' | 'too-late';
  availability?: 'free' | 'busy nearby';
  recent_days?: number;
}

export interface CoverRequest {
  id: number;
  day: string;
  duty_id: number;
  absent_person_id: number;
  status: 'open' | 'filled' | 'cancelled';
  filled_by: number | null;
  forced: boolean;
  candidates: CoverCandidate[];
  version: number;
}

export interface RotaMember {
  person_id: number;
  login: string;
  name: string;
  in_rotation: boolean;
  active: boolean;
}

export interface Feed {
  id: number;
  kind: 'person' | 'duty';
  object_id: number;
  object_name: string | null;
  created_at: string;
  revoked_at: string | null;
  url?: string;
}

export interface Holiday {
  id: number;
  date: string;
  name: string;
}

export interface Settings extends Calendar {
  uncovered_warning_days: number;
  trailing_weeks: number;
  coordinator_id: number | null;
  substitute_id: number | null;
  mailbox_head_id: number | null;
  mailbox_substitute_id: number | null;
}

export interface PersonRef {
  id: number;
  login: string;
  name: string;
}
