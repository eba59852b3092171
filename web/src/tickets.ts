// What the ticket pages share: the search box's terms, the words for
// statuses, priorities, channels, service-level states and article kinds,
// and the addresses of the ticket pages.
import type { ArticleKind, Channel, SlaState, TicketStatus } from './api';
import type { MessageKey, Translate } from './i18n';

/** The terms of a query as typed: split at spaces outside quotes
 * (`queue:"service management"` is one term). */
export function terms(q: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of q) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur) out.push(cur);
  return out;
}

// Names a filter may be written with (docs/tickets.md "Filters").
const aliases: Record<string, string[]> = {
  status: ['status'],
  prio: ['prio', 'priority'],
  queue: ['queue'],
  owner: ['owner'],
  org: ['org', 'organisation'],
  channel: ['channel'],
};

function nameOf(term: string): string | null {
  const m = /^([A-Za-z]+):/.exec(term);
  return m ? m[1].toLowerCase() : null;
}

/** The value of filter `name` in q (the first), or null. */
export function termValue(q: string, name: string): string | null {
  const names = aliases[name] ?? [name];
  for (const term of terms(q)) {
    const n = nameOf(term);
    if (n && names.includes(n)) return term.slice(n.length + 1);
  }
  return null;
}

/** q with filter `name` set to value (every earlier use removed), or
 * removed when value is empty. */
export function setTerm(q: string, name: string, value: string): string {
  const names = aliases[name] ?? [name];
  const kept = terms(q).filter((term) => {
    const n = nameOf(term);
    return !(n && names.includes(n));
  });
  if (value) kept.push(`${name}:${/\s/.test(value) ? `"${value}"` : value}`);
  return kept.join(' ');
}

/** The list's address for a query and an order. */
export function listHref(q: string, sort = ''): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (sort) params.set('sort', sort);
  const s = params.toString();
  return `#/tickets${s ? `?${s}` : ''}`;
}

export function ticketHref(number: number): string {
  return `#/tickets/${number}`;
}

/** "Open" on a desk: new, open or pending. */
export const OPEN = 'new,open,pending';

export const statuses: TicketStatus[] = ['new', 'open', 'pending', 'resolved', 'closed'];

export const statusKeys: Record<TicketStatus, MessageKey> = {
  new: 'statusNew',
  open: 'statusOpen',
  pending: 'statusPending',
  resolved: 'statusResolved',
  closed: 'statusClosed',
};

export const channelKeys: Record<Channel, MessageKey> = {
  phone: 'channelPhone',
  email: 'channelEmail',
  web: 'channelWeb',
  api: 'channelApi',
};

export const slaKeys: Record<SlaState, MessageKey> = {
  none: 'slaNone',
  ok: 'slaOk',
  warning: 'slaWarning',
  breached: 'slaBreached',
  met: 'slaMet',
};

export const kindKeys: Record<ArticleKind, MessageKey> = {
  inbound_mail: 'kindInboundMail',
  outbound_reply: 'kindOutboundReply',
  phone_note: 'kindPhoneNote',
  internal_note: 'kindInternalNote',
  web: 'kindWeb',
};

export const priorityKeys: Record<number, MessageKey> = {
  1: 'prio1',
  2: 'prio2',
  3: 'prio3',
  4: 'prio4',
};

/** The view's name in the page's language (queues keep theirs). */
export const viewKeys: Record<string, MessageKey> = {
  mine: 'viewMine',
  unassigned: 'viewUnassigned',
  p1: 'viewP1',
  'due-today': 'viewDueToday',
  overdue: 'viewOverdue',
};

/** "P1 – fault" */
export function prioText(p: number, t: Translate): string {
  return `P${p} – ${t(priorityKeys[p] ?? 'prio3')}`;
}
