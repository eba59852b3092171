// Escalation policies (#/alerting/policies): every policy's ordered
// steps (delay after the trigger, target) and repeats, the built-in
// default, and which one the settings use for P1. Editors create, change
// (If-Match against a stale edit) and delete; everyone else reads.
import { useState } from 'preact/hooks';
import { canEdit, get, request, type Role } from '../api';
import type { AlertSettings, Policy, PolicyList, Step, Target, TargetKind } from '../alerting';
import { Loading, PageTitle, ProblemBox, errorText, useLoad } from '../components';
import { useI18n } from '../i18n';
import { useLiveReload } from '../live';
import { AlertingNav, loadDirectory, targetKindKeys, targetKinds, targetText, type Directory } from './alertBits';

interface Data {
  dir: Directory;
  list: PolicyList;
  settings: AlertSettings;
}

async function loadPolicies(): Promise<Data> {
  const [dir, list, settings] = await Promise.all([
    loadDirectory(),
    get<PolicyList>('/api/v1/escalation-policies'),
    get<AlertSettings>('/api/v1/alert-settings'),
  ]);
  return { dir, list, settings };
}

export function Policies({ role }: { role: Role }) {
  const { t } = useI18n();
  const editor = canEdit(role);
  const { data, error, loading, reload } = useLoad(loadPolicies, []);
  useLiveReload(['escalation_policy', 'alert_settings'], reload);
  // null: no form; 'new'; or the id of the policy being edited.
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function remove(p: Policy) {
    if (p.id === null) return;
    setMessage(null);
    try {
      await request('DELETE', `/api/v1/escalation-policies/${p.id}`);
      setMessage({ ok: true, text: t('policyDeleted', { name: p.name }) });
      reload();
    } catch (e) {
      setMessage({ ok: false, text: errorText(e, t) });
    }
  }

  return (
    <section class="page policies" aria-busy={loading}>
      <PageTitle>{t('policiesTitle')}</PageTitle>
      <AlertingNav current="policies" />
      <p class="muted">{t('policiesIntro')}</p>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data && !error && <Loading />}
      {message && (
        <p class={message.ok ? 'ok' : 'problem'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {data && (
        <div class="policy-list">
          {editor && editing !== 'new' && (
            <p>
              <button type="button" data-edit="new-policy" onClick={() => { setMessage(null); setEditing('new'); }}>
                {t('newPolicy')}
              </button>
            </p>
          )}
          {editor && editing === 'new' && (
            <PolicyForm
              dir={data.dir}
              initial={{ ...data.list.default, id: null, name: '' }}
              onCancel={() => setEditing(null)}
              onSaved={(name) => {
                setEditing(null);
                setMessage({ ok: true, text: t('policySaved', { name }) });
                reload();
              }}
            />
          )}
          {data.list.items.map((p) =>
            editor && editing === p.id ? (
              <PolicyForm
                key={p.id}
                dir={data.dir}
                initial={p}
                onCancel={() => setEditing(null)}
                onSaved={(name) => {
                  setEditing(null);
                  setMessage({ ok: true, text: t('policySaved', { name }) });
                  reload();
                }}
              />
            ) : (
              <PolicyCard key={p.id} policy={p} dir={data.dir} inUse={data.settings.p1_policy_id === p.id}>
                {editor && (
                  <div class="actions">
                    <button type="button" class="secondary" data-edit="edit-policy" onClick={() => { setMessage(null); setEditing(p.id); }}>
                      {t('editPolicy', { name: p.name })}
                    </button>
                    <button type="button" class="secondary danger" data-edit="delete-policy" onClick={() => remove(p)}>
                      {t('deletePolicy', { name: p.name })}
                    </button>
                  </div>
                )}
              </PolicyCard>
            ),
          )}
          <PolicyCard policy={data.list.default} dir={data.dir} inUse={data.settings.p1_policy_id === null} builtIn />
        </div>
      )}
    </section>
  );
}

function PolicyCard({
  policy,
  dir,
  inUse,
  builtIn = false,
  children,
}: {
  policy: Policy;
  dir: Directory;
  inUse: boolean;
  builtIn?: boolean;
  children?: preact.ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <article class="card policy" data-policy-id={policy.id ?? 'default'}>
      <h2>
        {builtIn ? t('builtInPolicy') : policy.name}
        {inUse && <span class="badge in-use">{t('policyInUse')}</span>}
      </h2>
      {policy.description && <p class="muted">{policy.description}</p>}
      <ol class="steps">
        {policy.steps.map((s, i) => (
          <li key={i}>
            <span class="delay">{t('afterMinutes', { m: s.delay_minutes })}</span> {targetText(s.target, dir, t)}
          </li>
        ))}
      </ol>
      <p class="muted">
        {policy.repeat_count > 0
          ? t('repeatsText', { n: policy.repeat_count, m: policy.repeat_delay_minutes })
          : t('noRepeats')}
      </p>
      {children}
    </article>
  );
}

/** The target's kind and, for kinds that name something, which one. */
export function TargetPicker({
  value,
  onChange,
  dir,
  kinds,
  label,
  allowNone = false,
}: {
  value: Target | null;
  onChange: (t: Target | null) => void;
  dir: Directory;
  kinds: TargetKind[];
  label: string;
  allowNone?: boolean;
}) {
  const { t } = useI18n();
  const kind = value?.kind ?? '';
  const options =
    kind === 'duty'
      ? dir.duties
      : kind === 'group'
        ? dir.groups
        : kind === 'queue'
          ? dir.queues
          : kind === 'person'
            ? [...dir.people.values()].filter((p) => p.active).sort((a, b) => a.name.localeCompare(b.name))
            : null;
  function setKind(k: string) {
    if (!k) return onChange(null);
    const nk = k as TargetKind;
    const list = nk === 'duty' ? dir.duties : nk === 'group' ? dir.groups : nk === 'queue' ? dir.queues : nk === 'person' ? [...dir.people.values()] : null;
    onChange({ kind: nk, id: nk === 'duty' ? null : list?.[0]?.id ?? null });
  }
  return (
    <fieldset class="target-picker">
      <legend>{label}</legend>
      <label>
        {t('targetKindLabel')}
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          {allowNone && <option value="">{t('targetNone')}</option>}
          {kinds.map((k) => (
            <option value={k} key={k}>
              {t(targetKindKeys[k])}
            </option>
          ))}
        </select>
      </label>
      {options && value && (
        <label>
          {t(targetKindKeys[value.kind])}
          <select
            value={value.id === null ? '' : String(value.id)}
            onChange={(e) => onChange({ kind: value.kind, id: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
          >
            {value.kind === 'duty' && <option value="">{t('everyP1Duty')}</option>}
            {options.map((o) => (
              <option value={String(o.id)} key={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}

function PolicyForm({
  dir,
  initial,
  onCancel,
  onSaved,
}: {
  dir: Directory;
  initial: Policy;
  onCancel: () => void;
  onSaved: (name: string) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [repeatCount, setRepeatCount] = useState(initial.repeat_count);
  const [repeatDelay, setRepeatDelay] = useState(initial.repeat_delay_minutes);
  const [steps, setSteps] = useState<Step[]>(initial.steps.map((s) => ({ ...s, target: { ...s.target } })));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = `policy-${initial.id ?? 'new'}`;

  function setStep(i: number, s: Step) {
    setSteps(steps.map((x, j) => (j === i ? s : x)));
  }
  function move(i: number, by: number) {
    const j = i + by;
    if (j < 0 || j >= steps.length) return;
    const next = steps.slice();
    [next[i], next[j]] = [next[j], next[i]];
    setSteps(next);
  }

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    for (let i = 1; i < steps.length; i++) {
      if (steps[i].delay_minutes < steps[i - 1].delay_minutes) {
        setError(t('stepsDecreasing', { n: i + 1 }));
        return;
      }
    }
    setBusy(true);
    const body = {
      name: name.trim(),
      description,
      repeat_count: repeatCount,
      repeat_delay_minutes: repeatDelay,
      steps,
    };
    try {
      if (initial.id === null) {
        await request('POST', '/api/v1/escalation-policies', body);
      } else {
        // The version the form started from: someone else's edit since is 412.
        await request('PUT', `/api/v1/escalation-policies/${initial.id}`, body, { 'If-Match': `"v${initial.version ?? 0}"` });
      }
      onSaved(body.name);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card edit policy-form" data-edit="policy-form" onSubmit={save} aria-labelledby={`${formId}-h`}>
      <h2 id={`${formId}-h`}>{initial.id === null ? t('newPolicy') : t('editPolicy', { name: initial.name })}</h2>
      <div class="fields">
        <label>
          {t('policyName')}
          <input name="name" value={name} required maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('policyDescription')}
          <input name="description" value={description} maxLength={2000} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
      </div>
      <ol class="step-editor">
        {steps.map((s, i) => (
          <li key={i} class="step-row" data-step={i}>
            <label>
              {t('stepDelay', { n: i + 1 })}
              <input
                type="number"
                min={0}
                max={1440}
                required
                value={s.delay_minutes}
                onInput={(e) => setStep(i, { ...s, delay_minutes: Number(e.currentTarget.value) })}
              />
            </label>
            <TargetPicker
              value={s.target}
              onChange={(tg) => tg && setStep(i, { ...s, target: tg })}
              dir={dir}
              kinds={targetKinds}
              label={t('stepTarget', { n: i + 1 })}
            />
            <div class="actions">
              <button type="button" class="secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('stepUp', { n: i + 1 })}>
                ↑
              </button>
              <button type="button" class="secondary" disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={t('stepDown', { n: i + 1 })}>
                ↓
              </button>
              <button type="button" class="secondary" disabled={steps.length === 1} onClick={() => setSteps(steps.filter((_, j) => j !== i))}>
                {t('removeStep', { n: i + 1 })}
              </button>
            </div>
          </li>
        ))}
      </ol>
      <p>
        <button
          type="button"
          class="secondary"
          disabled={steps.length >= 16}
          onClick={() =>
            setSteps([...steps, { delay_minutes: steps.length ? steps[steps.length - 1].delay_minutes + 10 : 0, target: { kind: 'coordinator', id: null } }])
          }
        >
          {t('addStep')}
        </button>
      </p>
      <div class="fields">
        <label>
          {t('repeatCount')}
          <input type="number" min={0} max={10} value={repeatCount} onInput={(e) => setRepeatCount(Number(e.currentTarget.value))} />
        </label>
        <label>
          {t('repeatDelay')}
          <input type="number" min={1} max={1440} value={repeatDelay} onInput={(e) => setRepeatDelay(Number(e.currentTarget.value))} />
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('savePolicy')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
      {error && (
        <p class="problem" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
