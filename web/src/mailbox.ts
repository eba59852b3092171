// Types of the support mailbox's API (docs/mail.md, openapi.yaml tag
// "mail"): stored messages, the triage queue and the mailbox settings.
import { ApiError } from './api';

export type TriageAction = 'create-ticket' | 'append' | 'answer' | 'forward';

export interface TriageItem {
  id: number;
  mail_id: number;
  reason: 'new' | 'stranger-tag' | 'closed-ticket' | 'automatic' | 'bounce';
  suggested_ticket_id: number | null;
  personal_id: number | null;
  status: 'open' | 'done';
  action: TriageAction | null;
  ticket_id: number | null;
  done_by: number | null;
  done_at: string | null;
  subject: string | null;
  from: string | null;
  from_name: string | null;
  flags: string[];
  received_at: string;
  version: number;
}

export type MailStatus = 'stored' | 'failed' | 'ticketed' | 'triage' | 'bounce' | 'ignored';

export interface MailMessage {
  id: number;
  source: 'mta' | 'imap' | 'api';
  status: MailStatus;
  size: number;
  sha256: string;
  message_id: string | null;
  subject: string | null;
  from: string | null;
  from_name?: string | null;
  flags: string[];
  error: string | null;
  attempts: number;
  ticket_id: number | null;
  article_id: number | null;
  received_at: string;
  processed_at: string | null;
}

export interface MailOutcome {
  id: number;
  duplicate: boolean;
  status: MailStatus;
  how: string | null;
  ticket_id: number | null;
  article_id: number | null;
  triage_id: number | null;
  error: string | null;
}

export interface MailSettings {
  tag_prefix: string;
  addresses: string[];
  triage_group_id: number | null;
  autoreply_cap: number;
  acknowledge: boolean;
  max_bytes: number;
  imap_url: string;
  imap_user: string;
  imap_password_set: boolean;
  imap_mailbox: string;
  imap_interval_s: number;
  imap_after: 'flag' | 'move';
  imap_move_to: string;
  version: number;
}

/** How much of a raw message the page shows. */
export const RAW_SHOWN = 64 * 1024;

/**
 * A stored message's raw bytes as text (the start of it), for reading
 * only: it is rendered as text, never as HTML.
 */
export async function rawMessage(id: number): Promise<{ text: string; cut: boolean }> {
  let resp: Response;
  try {
    resp = await fetch(`/api/v1/mail/messages/${id}/raw`, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (!resp.ok) {
    const p = (await resp.json().catch(() => ({}))) as { type?: string; detail?: string };
    throw new ApiError(resp.status, p.type ?? '', p.detail ?? `${resp.status}`);
  }
  const bytes = new Uint8Array(await resp.arrayBuffer());
  const cut = bytes.length > RAW_SHOWN;
  // Mail is mostly ASCII with encoded words; undecodable bytes show as U+FFFD.
  const text = new TextDecoder('utf-8').decode(cut ? bytes.subarray(0, RAW_SHOWN) : bytes);
  return { text, cut };
}
