// Customers (organisations and their contacts), queues and the ordered
// assignment rules (editors).
import { useState } from 'preact/hooks';
import { etagOf, getAll, request, type Channel, type Contact, type Group, type Organisation, type Person, type Queue, type Rule } from '../../api';
import { Loading, OutcomeLine, ProblemBox, personName, personOptions, useAction, useLoad, type Outcome } from '../../components';
import { useI18n } from '../../i18n';
import { channelKeys, prioText } from '../../tickets';
import { Area, Check, Checks, Select, Text, words } from './fields';

/** A "done" that says what was done, for the list above the form. */
type Done = (text?: string) => void;

function useEditing<T>() {
  const [editing, setEditing] = useState<T | null>(null);
  const [notice, setNotice] = useState<Outcome | null>(null);
  return {
    editing,
    notice,
    edit: (x: T | null) => {
      setNotice(null);
      setEditing(x);
    },
    finish: (reload: () => void) => (text?: string) => {
      setNotice(text ? { ok: true, text } : null);
      setEditing(null);
      reload();
    },
  };
}

export function CustomersAdmin() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [orgs, contacts, people] = await Promise.all([
      getAll<Organisation>('/api/v1/organisations'),
      getAll<Contact>('/api/v1/contacts'),
      getAll<Person>('/api/v1/people'),
    ]);
    orgs.sort((a, b) => a.name.localeCompare(b.name));
    contacts.sort((a, b) => a.name.localeCompare(b.name));
    return { orgs, contacts, people };
  }, []);
  const orgEdit = useEditing<Organisation>();
  const contactEdit = useEditing<Contact>();
  const [filter, setFilter] = useState('');
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const people = new Map(data.people.map((p) => [p.id, p]));
  const orgName = (id: number) => data.orgs.find((o) => o.id === id)?.name ?? `#${id}`;
  const contacts = filter ? data.contacts.filter((c) => c.organisation_ids.includes(Number(filter))) : data.contacts;
  return (
    <>
      <section class="card" aria-labelledby="orgs-h">
        <h2 id="orgs-h">{t('orgsTitle')}</h2>
        <div class="grid-wrap">
          <table class="compact admin-table">
            <thead>
              <tr>
                <th scope="col">{t('nameLabel')}</th>
                <th scope="col">{t('mailDomains')}</th>
                <th scope="col">{t('phonePrefixes')}</th>
                <th scope="col">{t('projectManager')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.orgs.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.name}</th>
                  <td>{o.mail_domains.join(', ')}</td>
                  <td>{o.phone_prefixes.join(', ')}</td>
                  <td>{o.project_manager_id ? personName(people, o.project_manager_id, t) : '—'}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => orgEdit.edit(o)} aria-label={t('editNamed', { name: o.name })}>
                      {t('edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <OutcomeLine outcome={orgEdit.notice} />
      <OrgForm key={orgEdit.editing?.id ?? 'new'} org={orgEdit.editing} people={data.people} done={orgEdit.finish(reload)} />

      <section class="card" aria-labelledby="contacts-h">
        <h2 id="contacts-h">{t('contactsTitle')}</h2>
        <div class="fields">
          <Select label={t('filterOrganisation')} name="contact-filter" value={filter} set={setFilter}>
            <option value="">{t('any')}</option>
            {data.orgs.map((o) => (
              <option value={String(o.id)} key={o.id}>
                {o.name}
              </option>
            ))}
          </Select>
        </div>
        <div class="grid-wrap">
          <table class="compact admin-table">
            <thead>
              <tr>
                <th scope="col">{t('nameLabel')}</th>
                <th scope="col">{t('emailLabel')}</th>
                <th scope="col">{t('phoneLabel')}</th>
                <th scope="col">{t('orgsTitle')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.email ?? '—'}</td>
                  <td>{c.phone ?? '—'}</td>
                  <td>{c.organisation_ids.map(orgName).join(', ')}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => contactEdit.edit(c)} aria-label={t('editNamed', { name: c.name })}>
                      {t('edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <OutcomeLine outcome={contactEdit.notice} />
      <ContactForm key={contactEdit.editing?.id ?? 'new'} contact={contactEdit.editing} orgs={data.orgs} done={contactEdit.finish(reload)} />
    </>
  );
}

function OrgForm({ org, people, done }: { org: Organisation | null; people: Person[]; done: Done }) {
  const { t } = useI18n();
  const [name, setName] = useState(org?.name ?? '');
  const [domains, setDomains] = useState(org?.mail_domains.join(' ') ?? '');
  const [prefixes, setPrefixes] = useState(org?.phone_prefixes.join(', ') ?? '');
  const [pm, setPm] = useState(String(org?.project_manager_id ?? ''));
  const [notes, setNotes] = useState(org?.notes ?? '');
  const { busy, outcome, run } = useAction();
  async function submit(e: Event) {
    e.preventDefault();
    const body = {
      name,
      mail_domains: words(domains),
      phone_prefixes: prefixes.split(/[,;]+/).map((p) => p.trim()).filter(Boolean),
      project_manager_id: pm ? Number(pm) : null,
      notes,
    };
    const ok = await run(async () => {
      if (org) await request('PATCH', `/api/v1/organisations/${org.id}`, body, { 'If-Match': etagOf(org.version) });
      else await request('POST', '/api/v1/organisations', body);
      return null;
    });
    if (ok) done(t('savedNamed', { name }));
  }
  async function remove() {
    if (!org) return;
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/organisations/${org.id}`);
      return null;
    });
    if (ok) done(t('deletedNamed', { name: org.name }));
  }
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="org-form-h">
      <h2 id="org-form-h">{org ? t('editNamed', { name: org.name }) : t('orgNew')}</h2>
      <div class="fields">
        <Text label={t('nameLabel')} name="org-name" required maxLength={200} value={name} set={setName} />
        <Text label={t('mailDomains')} name="domains" value={domains} set={setDomains} hint={t('domainsHint')} />
        <Text label={t('phonePrefixes')} name="prefixes" value={prefixes} set={setPrefixes} hint={t('prefixesHint')} />
        <Select label={t('projectManager')} name="pm" value={pm} set={setPm}>
          <option value="">{t('nobody')}</option>
          {personOptions(people)}
        </Select>
      </div>
      <Area label={t('notesLabel')} name="org-notes" maxLength={10000} value={notes} set={setNotes} />
      <FormButtons busy={busy} editing={!!org} cancel={() => done()} remove={org ? remove : undefined} />
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

function ContactForm({ contact, orgs, done }: { contact: Contact | null; orgs: Organisation[]; done: Done }) {
  const { t } = useI18n();
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const [orgIds, setOrgIds] = useState<number[]>(contact?.organisation_ids ?? []);
  const { busy, outcome, run } = useAction();
  async function submit(e: Event) {
    e.preventDefault();
    const body = { name, email: email.trim() || null, phone: phone.trim() || null, notes, organisation_ids: orgIds };
    const ok = await run(async () => {
      if (contact) await request('PATCH', `/api/v1/contacts/${contact.id}`, body, { 'If-Match': etagOf(contact.version) });
      else await request('POST', '/api/v1/contacts', body);
      return null;
    });
    if (ok) done(t('savedNamed', { name }));
  }
  async function remove() {
    if (!contact) return;
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/contacts/${contact.id}`);
      return null;
    });
    if (ok) done(t('deletedNamed', { name: contact.name }));
  }
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="contact-form-h">
      <h2 id="contact-form-h">{contact ? t('editNamed', { name: contact.name }) : t('contactNew')}</h2>
      <div class="fields">
        <Text label={t('nameLabel')} name="contact-name" required maxLength={200} value={name} set={setName} />
        <Text label={t('emailLabel')} name="contact-email" type="email" maxLength={254} value={email} set={setEmail} />
        <Text label={t('phoneLabel')} name="contact-phone" type="tel" maxLength={64} value={phone} set={setPhone} hint={t('phoneHintIntl')} />
      </div>
      <Checks legend={t('orgsTitle')} name="contact-orgs" options={orgs.map((o) => ({ value: o.id, label: o.name }))} chosen={orgIds} set={setOrgIds} />
      <Area label={t('notesLabel')} name="contact-notes" maxLength={10000} value={notes} set={setNotes} />
      <FormButtons busy={busy} editing={!!contact} cancel={() => done()} remove={contact ? remove : undefined} />
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

/** Save (or create), cancel an edit, and delete with a second step. */
export function FormButtons({ busy, editing, cancel, remove }: { busy: boolean; editing: boolean; cancel: () => void; remove?: () => void }) {
  const { t } = useI18n();
  const [confirm, setConfirm] = useState(false);
  return (
    <div class="actions">
      <button type="submit" disabled={busy}>
        {busy ? t('saving') : editing ? t('save') : t('create')}
      </button>
      {editing && (
        <button type="button" class="secondary" onClick={cancel}>
          {t('cancel')}
        </button>
      )}
      {remove &&
        (confirm ? (
          <button type="button" class="danger" disabled={busy} onClick={remove}>
            {t('deleteConfirm')}
          </button>
        ) : (
          <button type="button" class="secondary" onClick={() => setConfirm(true)}>
            {t('delete')}
          </button>
        ))}
    </div>
  );
}

export function QueuesAdmin() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [queues, groups] = await Promise.all([getAll<Queue>('/api/v1/queues'), getAll<Group>('/api/v1/groups')]);
    queues.sort((a, b) => a.name.localeCompare(b.name));
    return { queues, groups };
  }, []);
  const ed = useEditing<Queue>();
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <>
      <section class="card" aria-labelledby="queues-h">
        <h2 id="queues-h">{t('queuesTitle')}</h2>
        <div class="grid-wrap">
          <table class="compact admin-table queue-table">
            <thead>
              <tr>
                <th scope="col">{t('nameLabel')}</th>
                <th scope="col">{t('descriptionLabel')}</th>
                <th scope="col">{t('queueGroup')}</th>
                <th scope="col">{t('ownerRule')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.queues.map((q) => (
                <tr key={q.id}>
                  <th scope="row">{q.name}</th>
                  <td class="small">{q.description}</td>
                  <td>{data.groups.find((g) => g.id === q.group_id)?.name ?? '—'}</td>
                  <td>{q.owner_rule === 'project_manager' ? t('ownerRulePm') : t('ownerRuleNone')}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => ed.edit(q)} aria-label={t('editNamed', { name: q.name })}>
                      {t('edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <OutcomeLine outcome={ed.notice} />
      <QueueForm key={ed.editing?.id ?? 'new'} queue={ed.editing} groups={data.groups} done={ed.finish(reload)} />
    </>
  );
}

function QueueForm({ queue, groups, done }: { queue: Queue | null; groups: Group[]; done: Done }) {
  const { t } = useI18n();
  const [name, setName] = useState(queue?.name ?? '');
  const [description, setDescription] = useState(queue?.description ?? '');
  const [group, setGroup] = useState(String(queue?.group_id ?? ''));
  const [rule, setRule] = useState<string>(queue?.owner_rule ?? 'none');
  const { busy, outcome, run } = useAction();
  async function submit(e: Event) {
    e.preventDefault();
    const body = { name, description, group_id: group ? Number(group) : null, owner_rule: rule };
    const ok = await run(async () => {
      if (queue) await request('PATCH', `/api/v1/queues/${queue.id}`, body, { 'If-Match': etagOf(queue.version) });
      else await request('POST', '/api/v1/queues', body);
      return null;
    });
    if (ok) done(queue ? t('savedNamed', { name }) : t('createdNamed', { name }));
  }
  async function remove() {
    if (!queue) return;
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/queues/${queue.id}`);
      return null;
    });
    if (ok) done(t('deletedNamed', { name: queue.name }));
  }
  return (
    <form class="card admin-form queue-form" onSubmit={submit} aria-labelledby="queue-form-h">
      <h2 id="queue-form-h">{queue ? t('editNamed', { name: queue.name }) : t('queueNew')}</h2>
      <div class="fields">
        <Text label={t('nameLabel')} name="queue-name" required maxLength={200} value={name} set={setName} />
        <Select label={t('queueGroup')} name="queue-group" value={group} set={setGroup}>
          <option value="">{t('noGroup')}</option>
          {groups.map((g) => (
            <option value={String(g.id)} key={g.id}>
              {g.name}
            </option>
          ))}
        </Select>
        <Select label={t('ownerRule')} name="owner-rule" value={rule} set={setRule}>
          <option value="none">{t('ownerRuleNone')}</option>
          <option value="project_manager">{t('ownerRulePm')}</option>
        </Select>
      </div>
      <Area label={t('descriptionLabel')} name="queue-description" maxLength={2000} value={description} set={setDescription} />
      <FormButtons busy={busy} editing={!!queue} cancel={() => done()} remove={queue ? remove : undefined} />
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

const channels: Channel[] = ['phone', 'email', 'web', 'api'];

export function RulesAdmin() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [rules, queues, orgs, people] = await Promise.all([
      getAll<Rule>('/api/v1/assignment-rules'),
      getAll<Queue>('/api/v1/queues'),
      getAll<Organisation>('/api/v1/organisations'),
      getAll<Person>('/api/v1/people'),
    ]);
    rules.sort((a, b) => a.position - b.position);
    return { rules, queues, orgs, people };
  }, []);
  const ed = useEditing<Rule>();
  const { busy, outcome, run } = useAction();
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const people = new Map(data.people.map((p) => [p.id, p]));

  async function move(i: number, step: number) {
    const ids = data!.rules.map((r) => r.id);
    const j = i + step;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j], ids[i]];
    const ok = await run(async () => {
      await request('PUT', '/api/v1/assignment-rules/order', { ids });
      return t('rulesReordered');
    });
    if (ok) reload();
  }

  async function toggle(r: Rule) {
    const ok = await run(async () => {
      await request('PATCH', `/api/v1/assignment-rules/${r.id}`, { enabled: !r.enabled }, { 'If-Match': etagOf(r.version) });
      return null;
    });
    if (ok) reload();
  }

  const conditions = (r: Rule) => {
    const parts: string[] = [];
    if (r.conditions.organisation_id.length)
      parts.push(r.conditions.organisation_id.map((id) => data.orgs.find((o) => o.id === id)?.name ?? `#${id}`).join(' / '));
    if (r.conditions.channel.length) parts.push(r.conditions.channel.map((c) => t(channelKeys[c])).join(' / '));
    if (r.conditions.priority.length) parts.push(r.conditions.priority.map((p) => `P${p}`).join(' / '));
    if (r.conditions.subject_words.length) parts.push(t('subjectHas', { words: r.conditions.subject_words.join(', ') }));
    return parts.length ? parts.join(' · ') : t('everyTicket');
  };
  const actions = (r: Rule) => {
    const parts: string[] = [];
    if (r.actions.queue_id) parts.push(`${t('colQueue')}: ${data.queues.find((q) => q.id === r.actions.queue_id)?.name ?? r.actions.queue_id}`);
    if (r.actions.owner_id) parts.push(`${t('colOwner')}: ${personName(people, r.actions.owner_id, t)}`);
    if (r.actions.priority) parts.push(`P${r.actions.priority}`);
    return parts.join(' · ');
  };

  return (
    <>
      <section class="card" aria-labelledby="rules-h">
        <h2 id="rules-h">{t('rulesTitle')}</h2>
        <p class="muted">{t('rulesHint')}</p>
        <ol class="rules">
          {data.rules.map((r, i) => (
            <li key={r.id} class={r.enabled ? '' : 'disabled'} data-rule-id={r.id}>
              <p>
                <strong>{r.name}</strong> {!r.enabled && <span class="badge">{t('disabled')}</span>}
                {r.continue && <span class="badge">{t('ruleContinues')}</span>}
                <br />
                <span class="small">
                  {t('ruleWhen')}: {conditions(r)} → {actions(r)}
                </span>
              </p>
              <div class="actions">
                <button type="button" class="secondary small" disabled={busy || i === 0} onClick={() => move(i, -1)} aria-label={t('moveUpNamed', { name: r.name })}>
                  ↑ {t('moveUp')}
                </button>
                <button type="button" class="secondary small" disabled={busy || i === data.rules.length - 1} onClick={() => move(i, 1)} aria-label={t('moveDownNamed', { name: r.name })}>
                  ↓ {t('moveDown')}
                </button>
                <button type="button" class="secondary small" disabled={busy} onClick={() => toggle(r)}>
                  {r.enabled ? t('disable') : t('enable')}
                </button>
                <button type="button" class="secondary small" onClick={() => ed.edit(r)} aria-label={t('editNamed', { name: r.name })}>
                  {t('edit')}
                </button>
              </div>
            </li>
          ))}
        </ol>
        <OutcomeLine outcome={outcome} />
      </section>
      <OutcomeLine outcome={ed.notice} />
      <RuleForm key={ed.editing?.id ?? 'new'} rule={ed.editing} queues={data.queues} orgs={data.orgs} people={data.people} done={ed.finish(reload)} />
    </>
  );
}

function RuleForm({ rule, queues, orgs, people, done }: { rule: Rule | null; queues: Queue[]; orgs: Organisation[]; people: Person[]; done: Done }) {
  const { t } = useI18n();
  const [name, setName] = useState(rule?.name ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [cont, setCont] = useState(rule?.continue ?? false);
  const [orgIds, setOrgIds] = useState<number[]>(rule?.conditions.organisation_id ?? []);
  const [chans, setChans] = useState<Channel[]>(rule?.conditions.channel ?? []);
  const [prios, setPrios] = useState<number[]>(rule?.conditions.priority ?? []);
  const [subject, setSubject] = useState(rule?.conditions.subject_words.join(', ') ?? '');
  const [queue, setQueue] = useState(String(rule?.actions.queue_id ?? ''));
  const [owner, setOwner] = useState(String(rule?.actions.owner_id ?? ''));
  const [prio, setPrio] = useState(String(rule?.actions.priority ?? ''));
  const { busy, outcome, run } = useAction();
  async function submit(e: Event) {
    e.preventDefault();
    const conditions: Record<string, unknown> = {};
    if (orgIds.length) conditions.organisation_id = orgIds;
    if (chans.length) conditions.channel = chans;
    if (prios.length) conditions.priority = prios;
    const sw = subject.split(',').map((w) => w.trim()).filter(Boolean);
    if (sw.length) conditions.subject_words = sw;
    const body = {
      name,
      enabled,
      continue: cont,
      conditions: Object.keys(conditions).length ? conditions : null,
      actions: { queue_id: queue ? Number(queue) : null, owner_id: owner ? Number(owner) : null, priority: prio ? Number(prio) : null },
    };
    const ok = await run(async () => {
      if (rule) await request('PATCH', `/api/v1/assignment-rules/${rule.id}`, body, { 'If-Match': etagOf(rule.version) });
      else await request('POST', '/api/v1/assignment-rules', body);
      return null;
    });
    if (ok) done(t('savedNamed', { name }));
  }
  async function remove() {
    if (!rule) return;
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/assignment-rules/${rule.id}`);
      return null;
    });
    if (ok) done(t('deletedNamed', { name: rule.name }));
  }
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="rule-form-h">
      <h2 id="rule-form-h">{rule ? t('editNamed', { name: rule.name }) : t('ruleNew')}</h2>
      <div class="fields">
        <Text label={t('nameLabel')} name="rule-name" required maxLength={200} value={name} set={setName} />
      </div>
      <Check label={t('enabledLabel')} checked={enabled} set={setEnabled} name="enabled" />
      <Check label={t('ruleContinueLabel')} checked={cont} set={setCont} name="continue" />
      <h3>{t('ruleConditions')}</h3>
      <Checks legend={t('orgsTitle')} name="rule-orgs" options={orgs.map((o) => ({ value: o.id, label: o.name }))} chosen={orgIds} set={setOrgIds} />
      <Checks legend={t('channelLabel')} name="rule-channels" options={channels.map((c) => ({ value: c, label: t(channelKeys[c]) }))} chosen={chans} set={setChans} />
      <Checks legend={t('colPriority')} name="rule-prios" options={[1, 2, 3, 4].map((p) => ({ value: p, label: `P${p}` }))} chosen={prios} set={setPrios} />
      <div class="fields">
        <Text label={t('subjectWords')} name="subject-words" value={subject} set={setSubject} hint={t('subjectWordsHint')} />
      </div>
      <h3>{t('ruleActions')}</h3>
      <div class="fields">
        <Select label={t('colQueue')} name="rule-queue" value={queue} set={setQueue}>
          <option value="">{t('noChange')}</option>
          {queues.map((q) => (
            <option value={String(q.id)} key={q.id}>
              {q.name}
            </option>
          ))}
        </Select>
        <Select label={t('colOwner')} name="rule-owner" value={owner} set={setOwner}>
          <option value="">{t('noChange')}</option>
          {personOptions(people)}
        </Select>
        <Select label={t('colPriority')} name="rule-priority" value={prio} set={setPrio}>
          <option value="">{t('noChange')}</option>
          {[1, 2, 3, 4].map((p) => (
            <option value={String(p)} key={p}>
              {prioText(p, t)}
            </option>
          ))}
        </Select>
      </div>
      <FormButtons busy={busy} editing={!!rule} cancel={() => done()} remove={rule ? remove : undefined} />
      <OutcomeLine outcome={outcome} />
    </form>
  );
}
