// People, groups and API tokens (admins).
import { useEffect, useState } from 'preact/hooks';
import { etagOf, get, getAll, request, type Group, type Member, type Person, type Token } from '../../api';
import { Loading, OutcomeLine, ProblemBox, formatInstant, personOptions, useAction, useLoad, type Outcome } from '../../components';
import { useI18n, type MessageKey } from '../../i18n';
import { Area, Check, Checks, Select, Text } from './fields';

const roleKeys: Record<string, MessageKey> = { none: 'roleNone', viewer: 'roleViewer', editor: 'roleEditor', admin: 'roleAdmin' };

export function PeopleAdmin() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(() => getAll<Person>('/api/v1/people'), []);
  const [editing, setEditing] = useState<Person | null>(null);
  const [notice, setNotice] = useState<Outcome | null>(null);
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const people = [...data].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <section class="card" aria-labelledby="people-h">
        <h2 id="people-h">{t('peopleTitle')}</h2>
        <div class="grid-wrap">
          <table class="compact admin-table">
            <thead>
              <tr>
                <th scope="col">{t('nameLabel')}</th>
                <th scope="col">{t('login')}</th>
                <th scope="col">{t('emailLabel')}</th>
                <th scope="col">{t('phoneLabel')}</th>
                <th scope="col">{t('roleLabel')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id} class={p.active ? '' : 'inactive'}>
                  <th scope="row">
                    {p.name} {!p.active && <span class="badge">{t('inactive')}</span>}
                  </th>
                  <td>{p.login}</td>
                  <td>{p.email}</td>
                  <td>{p.phone ?? '—'}</td>
                  <td>{t(roleKeys[p.role] ?? 'roleViewer')}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => setEditing(p)} aria-label={t('editNamed', { name: p.name })}>
                      {t('edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted small">{t('roleFromGroups')}</p>
      </section>
      <OutcomeLine outcome={notice} />
      <PersonForm
        key={editing?.id ?? 'new'}
        person={editing}
        done={(text) => {
          setNotice(text ? { ok: true, text } : null);
          setEditing(null);
          reload();
        }}
      />
    </>
  );
}

function PersonForm({ person, done }: { person: Person | null; done: (text?: string) => void }) {
  const { t } = useI18n();
  const [login, setLogin] = useState(person?.login ?? '');
  const [name, setName] = useState(person?.name ?? '');
  const [email, setEmail] = useState(person?.email ?? '');
  const [phone, setPhone] = useState(person?.phone ?? '');
  const [active, setActive] = useState(person?.active ?? true);
  const [password, setPassword] = useState('');
  const { busy, outcome, run } = useAction();

  async function submit(e: Event) {
    e.preventDefault();
    const ok = await run(async () => {
      if (person) {
        await request('PATCH', `/api/v1/people/${person.id}`, { login, name, email, phone: phone.trim() || null, active }, { 'If-Match': etagOf(person.version) });
        if (password) await request('PUT', `/api/v1/people/${person.id}/password`, { password });
      } else {
        await request('POST', '/api/v1/people', { login, name, email, ...(phone.trim() ? { phone } : {}), ...(password ? { password } : {}) });
      }
      return null;
    });
    if (ok) done(person ? t('savedNamed', { name }) : t('createdNamed', { name }));
  }

  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="person-form-h">
      <h2 id="person-form-h">{person ? t('editNamed', { name: person.name }) : t('personNew')}</h2>
      <div class="fields">
        <Text label={t('login')} name="login" required maxLength={64} autocomplete="off" value={login} set={setLogin} />
        <Text label={t('nameLabel')} name="name" required maxLength={200} value={name} set={setName} />
        <Text label={t('emailLabel')} name="email" type="email" required maxLength={254} value={email} set={setEmail} />
        <Text label={t('phoneLabel')} name="phone" type="tel" maxLength={64} value={phone} set={setPhone} hint={t('phoneHintIntl')} />
        <Text
          label={person ? t('newPassword') : t('passwordOptional')}
          name="password"
          type="password"
          autocomplete="new-password"
          minLength={8}
          maxLength={1024}
          value={password}
          set={setPassword}
        />
      </div>
      {person && <Check label={t('activeLabel')} checked={active} set={setActive} name="active" />}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : person ? t('save') : t('create')}
        </button>
        {person && (
          <button type="button" class="secondary" onClick={() => done()}>
            {t('cancel')}
          </button>
        )}
      </div>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

export function GroupsAdmin() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [groups, people] = await Promise.all([getAll<Group>('/api/v1/groups'), getAll<Person>('/api/v1/people')]);
    return { groups, people };
  }, []);
  const [editing, setEditing] = useState<Group | null>(null);
  const [notice, setNotice] = useState<Outcome | null>(null);
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <>
      <section class="card" aria-labelledby="groups-h">
        <h2 id="groups-h">{t('groupsTitle')}</h2>
        <div class="grid-wrap">
          <table class="compact admin-table">
            <thead>
              <tr>
                <th scope="col">{t('nameLabel')}</th>
                <th scope="col">{t('roleLabel')}</th>
                <th scope="col">{t('membersCol')}</th>
                <th scope="col">{t('descriptionLabel')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.groups.map((g) => (
                <tr key={g.id}>
                  <th scope="row">{g.name}</th>
                  <td>{t(roleKeys[g.role])}</td>
                  <td>{g.member_count}</td>
                  <td class="small">{g.description}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => setEditing(g)} aria-label={t('editNamed', { name: g.name })}>
                      {t('edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <OutcomeLine outcome={notice} />
      <GroupForm
        key={editing?.id ?? 'new'}
        group={editing}
        people={data.people}
        done={(text) => {
          setNotice(text ? { ok: true, text } : null);
          setEditing(null);
          reload();
        }}
        changed={reload}
      />
    </>
  );
}

function GroupForm({ group, people, done, changed }: { group: Group | null; people: Person[]; done: (text?: string) => void; changed: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const [role, setRole] = useState<string>(group?.role ?? 'none');
  const [members, setMembers] = useState<Member[]>([]);
  const [add, setAdd] = useState('');
  const { busy, outcome, run } = useAction();

  function loadMembers() {
    if (group) get<{ items: Member[] }>(`/api/v1/groups/${group.id}/members`).then((m) => setMembers(m.items), () => setMembers([]));
  }
  useEffect(loadMembers, [group?.id]);

  async function submit(e: Event) {
    e.preventDefault();
    const ok = await run(async () => {
      const body = { name, description, role };
      if (group) await request('PATCH', `/api/v1/groups/${group.id}`, body, { 'If-Match': etagOf(group.version) });
      else await request('POST', '/api/v1/groups', body);
      return null;
    });
    if (ok) done(t('savedNamed', { name }));
  }

  async function member(method: 'PUT' | 'DELETE', personId: number) {
    if (!group) return;
    const ok = await run(async () => {
      await request(method, `/api/v1/groups/${group.id}/members/${personId}`);
      return null;
    });
    if (ok) {
      setAdd('');
      loadMembers();
      changed();
    }
  }

  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="group-form-h">
      <h2 id="group-form-h">{group ? t('editNamed', { name: group.name }) : t('groupNew')}</h2>
      <div class="fields">
        <Text label={t('nameLabel')} name="group-name" required maxLength={200} value={name} set={setName} />
        <Select label={t('roleLabel')} name="role" value={role} set={setRole}>
          {(['none', 'viewer', 'editor', 'admin'] as const).map((r) => (
            <option value={r} key={r}>
              {t(roleKeys[r])}
            </option>
          ))}
        </Select>
      </div>
      <Area label={t('descriptionLabel')} name="group-description" maxLength={2000} value={description} set={setDescription} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : group ? t('save') : t('create')}
        </button>
        {group && (
          <button type="button" class="secondary" onClick={() => done()}>
            {t('cancel')}
          </button>
        )}
      </div>
      {group && (
        <fieldset class="members">
          <legend>{t('membersCol')}</legend>
          <ul class="plain">
            {members.map((m) => (
              <li key={m.person_id}>
                {m.name}{' '}
                <button type="button" class="secondary small" disabled={busy} onClick={() => member('DELETE', m.person_id)} aria-label={t('removeMemberOf', { name: m.name })}>
                  {t('remove')}
                </button>
              </li>
            ))}
          </ul>
          <div class="fields inline-form">
            <Select label={t('addMember')} name="add-member" value={add} set={setAdd}>
              <option value="">{t('choosePerson')}</option>
              {personOptions(people.filter((p) => !members.some((m) => m.person_id === p.id)))}
            </Select>
            <div class="actions">
              <button type="button" class="secondary" disabled={busy || !add} onClick={() => member('PUT', Number(add))}>
                {t('add')}
              </button>
            </div>
          </div>
        </fieldset>
      )}
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

const scopes = ['read', 'write', 'admin', 'mail:ingest', 'phone:route'];

export function TokensAdmin({ timeZone }: { timeZone: string }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [tokens, people] = await Promise.all([getAll<Token>('/api/v1/tokens'), getAll<Person>('/api/v1/people')]);
    return { tokens, people };
  }, []);
  const [person, setPerson] = useState('');
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['read']);
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, outcome, run } = useAction();
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;

  async function create(e: Event) {
    e.preventDefault();
    setSecret(null);
    const ok = await run(async () => {
      const { data: made } = await request<{ token: Token; secret: string }>('POST', '/api/v1/tokens', { person_id: Number(person), name, scopes: chosen });
      setSecret(made.secret);
      return null;
    });
    if (ok) {
      setName('');
      reload();
    }
  }

  async function revoke(tok: Token) {
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/tokens/${tok.id}`);
      return t('tokenRevoked', { name: tok.name });
    });
    if (ok) reload();
  }

  return (
    <>
      <form class="card admin-form" onSubmit={create} aria-labelledby="token-new-h">
        <h2 id="token-new-h">{t('tokenNew')}</h2>
        <p class="muted">{t('tokenHint')}</p>
        <div class="fields">
          <Select label={t('tokenPerson')} name="token-person" value={person} set={setPerson} required>
            <option value="">{t('choosePerson')}</option>
            {personOptions(data.people)}
          </Select>
          <Text label={t('nameLabel')} name="token-name" required maxLength={200} value={name} set={setName} />
        </div>
        <Checks legend={t('scopesLabel')} name="scopes" options={scopes.map((s) => ({ value: s, label: s }))} chosen={chosen} set={setChosen} />
        <div class="actions">
          <button type="submit" disabled={busy || chosen.length === 0}>
            {t('create')}
          </button>
        </div>
        {secret && (
          <div class="secret-box" role="status">
            <p>
              <strong>{t('tokenCreated')}</strong> {t('shownOnce')}
            </p>
            <label>
              {t('tokenSecret')}
              <input readOnly value={secret} class="secret token-secret" onFocus={(e) => e.currentTarget.select()} />
            </label>
          </div>
        )}
        <OutcomeLine outcome={outcome} />
      </form>
      <section class="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">{t('tokensTitle')}</h2>
        <div class="grid-wrap">
          <table class="compact admin-table">
            <thead>
              <tr>
                <th scope="col">{t('nameLabel')}</th>
                <th scope="col">{t('login')}</th>
                <th scope="col">{t('scopesLabel')}</th>
                <th scope="col">{t('createdAt')}</th>
                <th scope="col">{t('lastUsed')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.tokens.map((tok) => (
                <tr key={tok.id} class={tok.revoked_at ? 'inactive' : ''}>
                  <th scope="row">{tok.name}</th>
                  <td>{tok.login}</td>
                  <td>{tok.scopes.join(', ')}</td>
                  <td>{formatInstant(tok.created_at, locale, timeZone)}</td>
                  <td>{formatInstant(tok.last_used_at, locale, timeZone)}</td>
                  <td>
                    {tok.revoked_at ? (
                      <span class="badge">{t('revoked')}</span>
                    ) : (
                      <button type="button" class="secondary small" disabled={busy} onClick={() => revoke(tok)} aria-label={t('revokeNamed', { name: tok.name })}>
                        {t('revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
