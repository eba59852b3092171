// The mailbox's other pages: messages that could not be parsed or are
// stored but unprocessed (#/mail/failed), one stored message with its
// raw text and Reprocess (#/mail/messages/ID), and the mailbox settings
// (#/mail/settings: editors read them, admins change them; the IMAP
// password is write-only).
import { useState } from 'preact/hooks';
import { canEdit, get, getAll, request, type ListPage, type Role } from '../api';
import type { Named } from '../alerting';
import { Loading, PageTitle, ProblemBox, errorText, useLoad } from '../components';
import { useI18n, type MessageKey } from '../i18n';
import { useLiveReload } from '../live';
import { rawMessage, type MailMessage, type MailOutcome, type MailSettings, type MailStatus } from '../mailbox';
import { MailNav } from './Triage';

const statusKeys: Record<MailStatus, MessageKey> = {
  stored: 'mailStored',
  failed: 'mailFailed',
  ticketed: 'mailTicketed',
  triage: 'mailTriage',
  bounce: 'mailBounce',
  ignored: 'mailIgnored',
};

export function FailedMail({ role }: { role: Role }) {
  const { t, locale } = useI18n();
  const { data, error, loading, reload } = useLoad(
    () =>
      Promise.all([
        get<ListPage<MailMessage>>('/api/v1/mail/messages?status=failed&limit=100'),
        get<ListPage<MailMessage>>('/api/v1/mail/messages?status=stored&limit=100'),
      ]),
    [],
  );
  useLiveReload(['mail_message'], reload);
  const items = data ? [...data[0].items, ...data[1].items] : [];
  return (
    <section class="page failed-mail" aria-busy={loading}>
      <PageTitle>{t('failedMailTitle')}</PageTitle>
      <MailNav current="failed" role={role} />
      <p class="muted">{t('failedMailIntro')}</p>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && items.length === 0 && <p class="ok">{t('failedMailNone')}</p>}
      {items.length > 0 && (
        <div class="grid-wrap">
          <table class="mail-table">
            <thead>
              <tr>
                <th scope="col">{t('subjectLabel')}</th>
                <th scope="col">{t('fromLabel')}</th>
                <th scope="col">{t('receivedLabel')}</th>
                <th scope="col">{t('stateColumn')}</th>
                <th scope="col">{t('whyColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} data-mail-id={m.id}>
                  <th scope="row">
                    <a href={`#/mail/messages/${m.id}`}>{m.subject || t('noSubject')}</a>
                  </th>
                  <td>{m.from ?? t('unknownSender')}</td>
                  <td>{new Date(m.received_at).toLocaleString(locale)}</td>
                  <td>
                    <span class={`badge mail-${m.status}`}>{t(statusKeys[m.status])}</span>
                  </td>
                  <td>{m.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function MailMessagePage({ id, role }: { id: number; role: Role }) {
  const { t, locale } = useI18n();
  const { data, error, loading, reload } = useLoad(
    () => Promise.all([get<MailMessage>(`/api/v1/mail/messages/${id}`), rawMessage(id)]),
    [id],
  );
  useLiveReload(['mail_message'], reload);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function reprocess() {
    setBusy(true);
    setOutcome(null);
    try {
      const r = await request<MailOutcome>('POST', `/api/v1/mail/messages/${id}/reprocess`);
      const o = r.data;
      setOutcome(
        o.status === 'failed'
          ? { ok: false, text: t('reprocessFailed', { why: o.error ?? '' }) }
          : { ok: true, text: t('reprocessDone', { status: t(statusKeys[o.status]) }) },
      );
      reload();
    } catch (e) {
      setOutcome({ ok: false, text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="page mail-message" aria-busy={loading}>
      <PageTitle>{data ? data[0].subject || t('noSubject') : t('mailMessageTitle')}</PageTitle>
      <MailNav current="failed" role={role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && (() => {
        const [m, raw] = data;
        return (
          <div class="card" data-mail-id={m.id} data-status={m.status}>
            <dl class="facts">
              <dt>{t('fromLabel')}</dt>
              <dd>{m.from ?? t('unknownSender')}</dd>
              <dt>{t('receivedLabel')}</dt>
              <dd>
                {new Date(m.received_at).toLocaleString(locale)} · {m.source}
              </dd>
              <dt>{t('stateColumn')}</dt>
              <dd>
                <span class={`badge mail-${m.status}`}>{t(statusKeys[m.status])}</span>
              </dd>
              <dt>{t('whyColumn')}</dt>
              <dd class="mail-error">{m.error ?? '—'}</dd>
              <dt>{t('attemptsLabel')}</dt>
              <dd>{m.attempts}</dd>
              <dt>{t('sizeLabel')}</dt>
              <dd>{t('bytes', { n: m.size })}</dd>
              <dt>Message-ID</dt>
              <dd>{m.message_id ?? '—'}</dd>
            </dl>
            {canEdit(role) && (m.status === 'failed' || m.status === 'stored') && (
              <div class="actions">
                <button type="button" disabled={busy} onClick={reprocess} data-edit="reprocess">
                  {t('reprocess')}
                </button>
              </div>
            )}
            {outcome && (
              <p class={outcome.ok ? 'ok' : 'problem'} role={outcome.ok ? 'status' : 'alert'}>
                {outcome.text}
              </p>
            )}
            <h2>{t('rawMessage')}</h2>
            <pre class="mail-body" tabIndex={0} aria-label={t('rawMessage')}>
              {raw.text}
              {raw.cut ? `\n${t('rawCut')}` : ''}
            </pre>
            <p>
              <a href={`/api/v1/mail/messages/${m.id}/raw`} download={`message-${m.id}.eml`}>
                {t('downloadRaw')}
              </a>
            </p>
          </div>
        );
      })()}
    </section>
  );
}

export function MailSettingsPage({ role }: { role: Role }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(async () => {
    const [s, groups] = await Promise.all([
      request<MailSettings>('GET', '/api/v1/mail/settings'),
      getAll<Named>('/api/v1/groups'),
    ]);
    return { settings: s.data, etag: s.etag, groups };
  }, []);
  useLiveReload(['mail_settings'], reload);
  return (
    <section class="page mail-settings" aria-busy={loading}>
      <PageTitle>{t('mailSettingsTitle')}</PageTitle>
      <MailNav current="settings" role={role} />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data && <MailSettingsForm data={data} admin={role === 'admin'} reload={reload} />}
    </section>
  );
}

function MailSettingsForm({
  data,
  admin,
  reload,
}: {
  data: { settings: MailSettings; etag: string | null; groups: Named[] };
  admin: boolean;
  reload: () => void;
}) {
  const { t } = useI18n();
  const s = data.settings;
  const [addresses, setAddresses] = useState(s.addresses.join('\n'));
  const [tagPrefix, setTagPrefix] = useState(s.tag_prefix);
  const [group, setGroup] = useState(s.triage_group_id === null ? '' : String(s.triage_group_id));
  const [ack, setAck] = useState(s.acknowledge);
  const [cap, setCap] = useState(s.autoreply_cap);
  const [maxMiB, setMaxMiB] = useState(Math.round((s.max_bytes / 1048576) * 10) / 10);
  const [imapUrl, setImapUrl] = useState(s.imap_url);
  const [imapUser, setImapUser] = useState(s.imap_user);
  const [imapPassword, setImapPassword] = useState('');
  const [imapMailbox, setImapMailbox] = useState(s.imap_mailbox);
  const [imapInterval, setImapInterval] = useState(s.imap_interval_s);
  const [imapAfter, setImapAfter] = useState<'flag' | 'move'>(s.imap_after);
  const [imapMoveTo, setImapMoveTo] = useState(s.imap_move_to);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const ro = !admin;

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const body: Record<string, unknown> = {
      addresses: addresses.split(/[\s,;]+/).filter(Boolean),
      tag_prefix: tagPrefix.trim(),
      triage_group_id: group ? Number(group) : null,
      acknowledge: ack,
      autoreply_cap: cap,
      max_bytes: Math.round(maxMiB * 1048576),
      imap_url: imapUrl.trim(),
      imap_user: imapUser,
      imap_mailbox: imapMailbox,
      imap_interval_s: imapInterval,
      imap_after: imapAfter,
      imap_move_to: imapMoveTo,
    };
    // Left empty, the stored password stays.
    if (imapPassword) body.imap_password = imapPassword;
    try {
      await request('PUT', '/api/v1/mail/settings', body, data.etag ? { 'If-Match': data.etag } : {});
      setImapPassword('');
      setMessage({ ok: true, text: t('saved') });
      reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card edit mail-settings-form" data-edit={admin ? 'mail-settings' : undefined} onSubmit={save} aria-label={t('mailSettingsTitle')}>
      {ro && <p class="muted">{t('mailSettingsAdminOnly')}</p>}
      <fieldset disabled={ro} class="plain">
        <div class="fields">
          <label>
            {t('mailAddresses')}
            <textarea name="addresses" rows={3} value={addresses} onInput={(e) => setAddresses(e.currentTarget.value)} />
          </label>
          <label>
            {t('triageGroup')}
            <select name="triage_group" value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
              <option value="">{t('triageGroupNone')}</option>
              {data.groups.map((g) => (
                <option value={String(g.id)} key={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('tagPrefix')}
            <input name="tag_prefix" value={tagPrefix} maxLength={32} pattern="[A-Za-z0-9_\-]*" onInput={(e) => setTagPrefix(e.currentTarget.value)} />
          </label>
          <label>
            {t('maxSize')}
            <input name="max_mib" type="number" min={0.1} max={64} step={0.1} value={maxMiB} onInput={(e) => setMaxMiB(Number(e.currentTarget.value))} />
          </label>
          <label class="check">
            <input name="acknowledge" type="checkbox" checked={ack} onChange={(e) => setAck(e.currentTarget.checked)} />
            {t('autoAcknowledge')}
          </label>
          <label>
            {t('autoreplyCap')}
            <input name="autoreply_cap" type="number" min={0} max={1000} value={cap} onInput={(e) => setCap(Number(e.currentTarget.value))} />
          </label>
        </div>
        <h2>{t('imapTitle')}</h2>
        <div class="fields">
          <label>
            {t('imapUrl')}
            <input name="imap_url" value={imapUrl} placeholder="imaps://mail.example.org:993" onInput={(e) => setImapUrl(e.currentTarget.value)} />
          </label>
          <label>
            {t('imapUser')}
            <input name="imap_user" value={imapUser} autoComplete="off" onInput={(e) => setImapUser(e.currentTarget.value)} />
          </label>
          <label>
            {s.imap_password_set ? t('imapPasswordSet') : t('imapPassword')}
            <input name="imap_password" type="password" autoComplete="new-password" value={imapPassword} onInput={(e) => setImapPassword(e.currentTarget.value)} />
          </label>
          <label>
            {t('imapMailbox')}
            <input name="imap_mailbox" value={imapMailbox} onInput={(e) => setImapMailbox(e.currentTarget.value)} />
          </label>
          <label>
            {t('imapInterval')}
            <input name="imap_interval" type="number" min={10} max={86400} value={imapInterval} onInput={(e) => setImapInterval(Number(e.currentTarget.value))} />
          </label>
          <label>
            {t('imapAfter')}
            <select name="imap_after" value={imapAfter} onChange={(e) => setImapAfter(e.currentTarget.value as 'flag' | 'move')}>
              <option value="flag">{t('imapAfterFlag')}</option>
              <option value="move">{t('imapAfterMove')}</option>
            </select>
          </label>
          {imapAfter === 'move' && (
            <label>
              {t('imapMoveTo')}
              <input name="imap_move_to" value={imapMoveTo} onInput={(e) => setImapMoveTo(e.currentTarget.value)} />
            </label>
          )}
        </div>
      </fieldset>
      {admin && (
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('saving') : t('saveSettings')}
          </button>
        </div>
      )}
      {message && (
        <p class={message.ok ? 'ok' : 'problem'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
