// Types of the priority-1 alerting API (docs/alerting.md, openapi.yaml
// tag "alerts") and the few ticket fields the dashboard shows, kept out
// of api.ts so that the ticket pages and these can grow apart.
import { get, getAll, request } from './api';

export type AlertState = 'triggered' | 'acknowledged' | 'resolved';

export interface Alert {
  id: number;
  ticket_id: number;
  ticket_number: number;
  subject: string;
  state: AlertState;
  policy_id: number | null;
  next_step: number;
  next_escalation_at: string | null;
  triggered_at: string;
  acknowledged_by: number | null;
  acknowledged_at: string | null;
  acknowledged_via: 'api' | 'link' | null;
  resolved_by: number | null;
  resolved_at: string | null;
  comm_owner_id: number | null;
  tech_owner_id: number | null;
  pages_sent: number;
  version: number;
}

export interface AlertPage {
  id: number;
  kind: 'page' | 'note' | 'reminder';
  step: number | null;
  target: string;
  person_id: number | null;
  contact_method_id: number | null;
  outbox_id: number | null;
  note: string;
  created_at: string;
}

export interface AlertWithPages {
  alert: Alert;
  pages: AlertPage[];
}

export type TargetKind = 'duty' | 'person' | 'group' | 'queue' | 'coordinator' | 'substitute';

export interface Target {
  kind: TargetKind;
  id: number | null;
}

export interface Step {
  delay_minutes: number;
  target: Target;
}

export interface Policy {
  id: number | null;
  name: string;
  description: string;
  repeat_count: number;
  repeat_delay_minutes: number;
  steps: Step[];
  version?: number;
}

export interface PolicyList {
  items: Policy[];
  default: Policy;
}

export interface AlertSettings {
  p1_policy_id: number | null;
  core_hours_target: Target | null;
  out_of_hours_target: Target | null;
  public_url: string;
  mail_from: string;
  version: number;
}

export interface ContactMethod {
  id: number;
  person_id: number;
  kind: 'email' | 'webhook';
  address: string;
  format: 'generic' | 'slack';
  label: string;
  verified: boolean;
  verified_at: string | null;
  test_sent_at: string | null;
  version: number;
}

export interface Shift {
  id: number;
  day: string;
  duty_id: number;
  person_id: number;
  window_start: string;
  window_end: string;
  notified_at: string;
  ready: boolean;
  ready_at: string | null;
  ready_note: string | null;
  coordinator_told_at: string | null;
}

export interface Ticket {
  id: number;
  number: number;
  subject: string;
  status: 'new' | 'open' | 'pending' | 'resolved' | 'closed';
  priority: number;
  channel: string;
  owner_id: number | null;
  queue_id: number | null;
  due_at: string | null;
  updated_at: string;
}

export interface Named {
  id: number;
  name: string;
}

export async function openAlerts(): Promise<AlertWithPages[]> {
  const list = await getAll<Alert>('/api/v1/alerts?state=open', 4);
  // The page log says who was paged and which step ran; open P1s are few.
  return Promise.all(list.map((a) => get<AlertWithPages>(`/api/v1/alerts/${a.id}`)));
}

export function alertAction(id: number, action: 'acknowledge' | 'resolve'): Promise<unknown> {
  return request('POST', `/api/v1/alerts/${id}/${action}`);
}

/** The people paged for an alert (latest first, each once). */
export function pagedPeople(pages: AlertPage[]): number[] {
  const out: number[] = [];
  for (const p of [...pages].reverse()) {
    if (p.kind === 'page' && p.person_id && !out.includes(p.person_id)) out.push(p.person_id);
  }
  return out;
}

/** The last escalation step that has run (0-based), or null before any. */
export function lastStep(pages: AlertPage[]): number | null {
  let s: number | null = null;
  for (const p of pages) if (p.kind === 'page' && p.step !== null && (s === null || p.step > s)) s = p.step;
  return s;
}

/** "3 min", "2 h 5 min", "1 d 4 h" since an instant. */
export function sinceText(iso: string, nowMs: number): { d: number; h: number; m: number } {
  const mins = Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 60000));
  return { d: Math.floor(mins / 1440), h: Math.floor((mins % 1440) / 60), m: mins % 60 };
}
