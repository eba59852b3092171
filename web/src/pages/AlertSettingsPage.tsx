// The alerting settings (#/alerting/settings): the P1 policy, where a
// duty step goes while the duty's window is closed (inside core hours,
// outside all hours), the address one-click links start with and the
// sender of pages. Editors change them (If-Match); others read.
import { useState } from 'preact/hooks';
import { canEdit, request, type Role } from '../api';
import type { AlertSettings, PolicyList, Target } from '../alerting';
import { Loading, PageTitle, ProblemBox, errorText, useLoad } from '../components';
import { useI18n } from '../i18n';
import { useLiveReload } from '../live';
import { AlertingNav, loadDirectory, targetText, type Directory } from './alertBits';
import { TargetPicker } from './Policies';

interface Data {
  dir: Directory;
  settings: AlertSettings;
  etag: string | null;
  policies: PolicyList;
}

async function loadSettings(): Promise<Data> {
  const [dir, s, policies] = await Promise.all([
    loadDirectory(),
    request<AlertSettings>('GET', '/api/v1/alert-settings'),
    request<PolicyList>('GET', '/api/v1/escalation-policies'),
  ]);
  return { dir, settings: s.data, etag: s.etag, policies: policies.data };
}

export function AlertSettingsPage({ role }: { role: Role }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(loadSettings, []);
  useLiveReload(['alert_settings', 'escalation_policy'], reload);
  return (
    <section class="page alert-settings" aria-busy={loading}>
      <PageTitle>{t('alertSettingsTitle')}</PageTitle>
      <AlertingNav current="settings" />
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {data &&
        (canEdit(role) ? (
          <SettingsForm data={data} reload={reload} />
        ) : (
          <SettingsView data={data} />
        ))}
    </section>
  );
}

function policyName(data: Data, id: number | null, t: (k: 'builtInPolicy') => string): string {
  if (id === null) return t('builtInPolicy');
  return data.policies.items.find((p) => p.id === id)?.name ?? `#${id}`;
}

function SettingsView({ data }: { data: Data }) {
  const { t } = useI18n();
  const s = data.settings;
  return (
    <div class="card settings-view">
      <dl class="facts">
        <dt>{t('p1Policy')}</dt>
        <dd>{policyName(data, s.p1_policy_id, t)}</dd>
        <dt>{t('coreHoursTarget')}</dt>
        <dd>{targetText(s.core_hours_target, data.dir, t)}</dd>
        <dt>{t('outOfHoursTarget')}</dt>
        <dd>{targetText(s.out_of_hours_target, data.dir, t)}</dd>
        <dt>{t('publicUrl')}</dt>
        <dd>{s.public_url || t('publicUrlUnset')}</dd>
        <dt>{t('mailFrom')}</dt>
        <dd>{s.mail_from || t('mailFromUnset')}</dd>
      </dl>
    </div>
  );
}

function SettingsForm({ data, reload }: { data: Data; reload: () => void }) {
  const { t } = useI18n();
  const s = data.settings;
  const [policy, setPolicy] = useState(s.p1_policy_id === null ? '' : String(s.p1_policy_id));
  const [core, setCore] = useState<Target | null>(s.core_hours_target);
  const [off, setOff] = useState<Target | null>(s.out_of_hours_target);
  const [publicUrl, setPublicUrl] = useState(s.public_url);
  const [mailFrom, setMailFrom] = useState(s.mail_from);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await request(
        'PUT',
        '/api/v1/alert-settings',
        {
          p1_policy_id: policy ? Number(policy) : null,
          core_hours_target: core,
          out_of_hours_target: off,
          public_url: publicUrl.trim(),
          mail_from: mailFrom.trim(),
        },
        data.etag ? { 'If-Match': data.etag } : {},
      );
      setMessage({ ok: true, text: t('saved') });
      reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card edit settings-form" data-edit="alert-settings" onSubmit={save} aria-label={t('alertSettingsTitle')}>
      <div class="fields">
        <label>
          {t('p1Policy')}
          <select name="policy" value={policy} onChange={(e) => setPolicy(e.currentTarget.value)}>
            <option value="">{t('builtInPolicy')}</option>
            {data.policies.items.map((p) => (
              <option value={String(p.id)} key={p.id ?? 0}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <TargetPicker value={core} onChange={setCore} dir={data.dir} kinds={['person', 'group', 'queue']} label={t('coreHoursTarget')} allowNone />
      <p class="muted hint">{t('coreHoursHint')}</p>
      <TargetPicker value={off} onChange={setOff} dir={data.dir} kinds={['person', 'group', 'queue']} label={t('outOfHoursTarget')} allowNone />
      <p class="muted hint">{t('outOfHoursHint')}</p>
      <div class="fields">
        <label>
          {t('publicUrl')}
          <input name="public_url" type="url" value={publicUrl} maxLength={512} placeholder="https://dutydesk.example.org" onInput={(e) => setPublicUrl(e.currentTarget.value)} />
        </label>
        <label>
          {t('mailFrom')}
          <input name="mail_from" value={mailFrom} maxLength={320} onInput={(e) => setMailFrom(e.currentTarget.value)} />
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('saveSettings')}
        </button>
      </div>
      {message && (
        <p class={message.ok ? 'ok' : 'problem'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
