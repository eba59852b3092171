// One ticket (#/tickets/NUMBER): what it is and who owns it, its service
// level, the P1 owners, the thread of articles (internal notes marked as
// such, never mistaken for what the customer sees), adding a reply, a
// phone note or an internal note with minutes worked and files, changing
// status, priority, queue and owners with the ticket's ETag (412: someone
// else changed it, nothing is saved), merging it into another ticket, and
// its history.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  canEdit,
  etagOf,
  get,
  getAll,
  query,
  request,
  type Article,
  type ArticleKind,
  type Attachment,
  type Contact,
  type HistoryItem,
  type Organisation,
  type Person,
  type Queue,
  type Ticket,
  type TicketStatus,
} from '../api';
import {
  Loading,
  OutcomeLine,
  PageTitle,
  PersonPhone,
  ProblemBox,
  Tabs,
  errorText,
  formatInstant,
  personName,
  personOptions,
  useAction,
  useLoad,
} from '../components';
import { loadBasics, type Basics } from '../data';
import { useI18n, type MessageKey } from '../i18n';
import { channelKeys, kindKeys, prioText, slaKeys, statusKeys, statuses, ticketHref } from '../tickets';

interface TicketData extends Basics {
  ticket: Ticket;
  etag: string;
  asked: number;
  articles: Article[];
  attachments: Attachment[];
  queues: Queue[];
  orgs: Organisation[];
  contact: Contact | null;
}

async function loadTicket(number: number): Promise<TicketData> {
  const [basics, answer, queues, orgs] = await Promise.all([
    loadBasics(),
    request<Ticket>('GET', `/api/v1/ticket-numbers/${number}`),
    getAll<Queue>('/api/v1/queues'),
    getAll<Organisation>('/api/v1/organisations'),
  ]);
  const ticket = answer.data;
  const [articles, attachments, contact] = await Promise.all([
    getAll<Article>(`/api/v1/tickets/${ticket.id}/articles`),
    getAll<Attachment>(`/api/v1/tickets/${ticket.id}/attachments`),
    ticket.contact_id ? get<Contact>(`/api/v1/contacts/${ticket.contact_id}`).catch(() => null) : Promise.resolve(null),
  ]);
  queues.sort((a, b) => a.name.localeCompare(b.name));
  orgs.sort((a, b) => a.name.localeCompare(b.name));
  return {
    ...basics,
    ticket,
    etag: answer.etag ?? etagOf(ticket.version),
    asked: number,
    articles,
    attachments,
    queues,
    orgs,
    contact,
  };
}

export function TicketPage({ number, me, go }: { number: number; me: Person; go: (h: string) => void }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => loadTicket(number), [number]);
  return (
    <section class="page ticket-page" aria-busy={loading}>
      {error ? (
        <>
          <PageTitle>{t('ticketTitle', { n: number })}</PageTitle>
          <ProblemBox error={error} onRetry={reload} />
        </>
      ) : data ? (
        <TicketBody data={data} me={me} go={go} reload={reload} />
      ) : (
        <>
          <PageTitle>{t('ticketTitle', { n: number })}</PageTitle>
          <Loading />
        </>
      )}
    </section>
  );
}

function TicketBody({ data, me, go, reload }: { data: TicketData; me: Person; go: (h: string) => void; reload: () => void }) {
  const { t, locale } = useI18n();
  const { ticket } = data;
  const tz = data.calendar.time_zone;
  const when = (iso: string | null) => formatInstant(iso, locale, tz);
  const [tab, setTab] = useState<'thread' | 'history'>('thread');
  const org = data.orgs.find((o) => o.id === ticket.organisation_id) ?? null;
  const merged = ticket.merged_into !== null;

  return (
    <>
      <p class="back">
        <a href="#/tickets">← {t('backToList')}</a>
      </p>
      <PageTitle>
        <span class="ticket-number">#{ticket.number}</span> <span class="ticket-subject">{ticket.subject}</span>
      </PageTitle>
      {data.asked !== ticket.number && (
        <p class="notice" role="status">
          {t('mergedRedirect', { from: data.asked, to: ticket.number })}
        </p>
      )}
      <p class="ticket-meta">
        <span class={`badge st-${ticket.status}`} data-field="status">{t(statusKeys[ticket.status])}</span>
        <span class={`badge prio prio-${ticket.priority}`} data-field="priority">P{ticket.priority}</span>
        <span class="badge">{t(channelKeys[ticket.channel])}</span>
        <span class={`badge sla-${ticket.sla.state}`} data-field="sla">
          {t('slaLabel')}: {t(slaKeys[ticket.sla.state])}
        </span>
        {ticket.needs_completion && <span class="badge warn">{t('needsCompletion')}</span>}
      </p>

      <div class="ticket-layout">
        <div class="ticket-main">
          <Tabs
            label={t('ticketTabs')}
            idBase="ticket"
            current={tab}
            onChange={setTab}
            tabs={[
              { id: 'thread', text: t('tabThread', { n: data.articles.length }) },
              { id: 'history', text: t('tabHistory') },
            ]}
          />
          <div id="ticket-panel" role="tabpanel" aria-labelledby={`ticket-tab-${tab}`}>
            {tab === 'thread' ? (
              <>
                <Thread data={data} />
                {!merged && <Composer ticket={ticket} reload={reload} />}
              </>
            ) : (
              <History data={data} />
            )}
          </div>
        </div>

        <aside class="ticket-side">
          {merged ? <p class="notice">{t('isMerged')}</p> : <Properties data={data} me={me} reload={reload} />}
          <section class="card" aria-labelledby="who-h">
            <h2 id="who-h">{t('customerTitle')}</h2>
            <dl class="facts">
              <dt>{t('colOrganisation')}</dt>
              <dd>{org ? org.name : <span class="muted">{t('unknownOrg')}</span>}</dd>
              {org?.project_manager_id && (
                <>
                  <dt>{t('projectManager')}</dt>
                  <dd>{personName(data.people, org.project_manager_id, t)}</dd>
                </>
              )}
              <dt>{t('contact')}</dt>
              <dd>
                {data.contact ? (
                  <>
                    {data.contact.name}
                    {data.contact.email && (
                      <>
                        <br />
                        <a href={`mailto:${data.contact.email}`}>{data.contact.email}</a>
                      </>
                    )}
                    {data.contact.phone && (
                      <>
                        <br />
                        <a href={`tel:${data.contact.phone}`}>{data.contact.phone}</a>
                      </>
                    )}
                  </>
                ) : (
                  <span class="muted">{t('unknownContact')}</span>
                )}
              </dd>
              {ticket.caller_phone && (
                <>
                  <dt>{t('callerPhone')}</dt>
                  <dd>
                    <a href={`tel:${ticket.caller_phone}`}>{ticket.caller_phone}</a>
                  </dd>
                </>
              )}
            </dl>
            {canEdit(me.role) && (
              <p class="small" data-edit="customers">
                <a href="#/admin/customers">{t('editCustomers')}</a>
              </p>
            )}
          </section>

          <section class="card sla-card" aria-labelledby="sla-h">
            <h2 id="sla-h">{t('slaTitle')}</h2>
            <dl class="facts">
              <dt>{t('slaState')}</dt>
              <dd>
                <span class={`badge sla-${ticket.sla.state}`}>{t(slaKeys[ticket.sla.state])}</span>
              </dd>
              <dt>{t('firstResponseDue')}</dt>
              <dd>{when(ticket.sla.first_response_due)}</dd>
              <dt>{t('firstResponseAt')}</dt>
              <dd>{when(ticket.first_response_at)}</dd>
              <dt>{t('resolutionDue')}</dt>
              <dd>{when(ticket.sla.resolution_due)}</dd>
              <dt>{t('dueAt')}</dt>
              <dd>{when(ticket.due_at)}</dd>
              <dt>{t('createdAt')}</dt>
              <dd>{when(ticket.created_at)}</dd>
            </dl>
          </section>

          {(ticket.priority === 1 || ticket.comm_owner_id || ticket.tech_owner_id) && (
            <section class="card p1-owners" aria-labelledby="p1-h">
              <h2 id="p1-h">
                {t('p1OwnersTitle')} <span class="badge p1">P1</span>
              </h2>
              <dl class="facts">
                <dt>{t('commOwner')}</dt>
                <dd data-field="comm-owner">
                  <PersonPhone person={ticket.comm_owner_id ? data.people.get(ticket.comm_owner_id) : null} id={ticket.comm_owner_id} />
                </dd>
                <dt>{t('techOwner')}</dt>
                <dd data-field="tech-owner">
                  <PersonPhone person={ticket.tech_owner_id ? data.people.get(ticket.tech_owner_id) : null} id={ticket.tech_owner_id} />
                </dd>
              </dl>
            </section>
          )}
          {!merged && <Merge ticket={ticket} etag={data.etag} go={go} />}
        </aside>
      </div>
    </>
  );
}

function fileSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function FileList({ files }: { files: Attachment[] }) {
  if (!files.length) return null;
  return (
    <ul class="files">
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.download} download>
            {f.filename}
          </a>{' '}
          <span class="muted">({fileSize(f.size)})</span>
        </li>
      ))}
    </ul>
  );
}

function Thread({ data }: { data: TicketData }) {
  const { t, locale } = useI18n();
  const tz = data.calendar.time_zone;
  const loose = data.attachments.filter((a) => !a.article_id || !data.articles.some((x) => x.id === a.article_id));
  if (!data.articles.length) return <p class="muted">{t('noArticles')}</p>;
  return (
    <ol class="thread">
      {data.articles.map((a) => {
        const internal = a.visibility === 'internal';
        return (
          <li key={a.id}>
            <article class={`art ${internal ? 'internal' : 'customer'} kind-${a.kind}`} data-article-id={a.id} aria-label={t(kindKeys[a.kind])}>
              <header>
                <strong>{t(kindKeys[a.kind])}</strong>{' '}
                <span class={`badge vis ${internal ? 'vis-internal' : 'vis-customer'}`}>
                  {internal ? t('visInternal') : t('visCustomer')}
                </span>
                <span class="muted">
                  {' · '}
                  {a.author_id ? personName(data.people, a.author_id, t) : a.author_contact_id ? (data.contact?.id === a.author_contact_id ? data.contact.name : t('customer')) : t('customer')}
                  {' · '}
                  <time dateTime={a.created_at}>{formatInstant(a.created_at, locale, tz)}</time>
                  {a.minutes > 0 && (
                    <>
                      {' · '}
                      {t('minutesWorked', { n: a.minutes })}
                    </>
                  )}
                </span>
              </header>
              <div class="art-body">{a.body}</div>
              <FileList files={data.attachments.filter((f) => f.article_id === a.id)} />
            </article>
          </li>
        );
      })}
      {loose.length > 0 && (
        <li>
          <section class="art files-only" aria-label={t('filesTitle')}>
            <header>
              <strong>{t('filesTitle')}</strong>
            </header>
            <FileList files={loose} />
          </section>
        </li>
      )}
    </ol>
  );
}

const composerKinds: { kind: ArticleKind; key: MessageKey; hint: MessageKey }[] = [
  { kind: 'internal_note', key: 'composeInternal', hint: 'composeInternalHint' },
  { kind: 'outbound_reply', key: 'composeReply', hint: 'composeReplyHint' },
  { kind: 'phone_note', key: 'composePhone', hint: 'composePhoneHint' },
];

function Composer({ ticket, reload }: { ticket: Ticket; reload: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<ArticleKind>('internal_note');
  const [body, setBody] = useState('');
  const [minutes, setMinutes] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const { busy, outcome, run } = useAction();
  const current = composerKinds.find((k) => k.kind === kind)!;

  async function submit(e: Event) {
    e.preventDefault();
    const files = [...(fileRef.current?.files ?? [])];
    const ok = await run(async () => {
      const { data: article } = await request<Article>('POST', `/api/v1/tickets/${ticket.id}/articles`, {
        kind,
        body,
        minutes: minutes ? Number(minutes) : 0,
      });
      const failed: string[] = [];
      for (const f of files) {
        try {
          await request(
            'POST',
            `/api/v1/tickets/${ticket.id}/attachments${query({ filename: f.name, article_id: article.id })}`,
            { raw: f, type: f.type || 'application/octet-stream' },
          );
        } catch (err) {
          failed.push(`${f.name}: ${errorText(err, t)}`);
        }
      }
      if (failed.length) throw new Error(`${t('articleAdded')} ${t('filesFailed')} ${failed.join('; ')}`);
      return t('articleAdded');
    });
    if (ok) {
      setBody('');
      setMinutes('');
      if (fileRef.current) fileRef.current.value = '';
    }
    reload();
  }

  return (
    <form class={`card composer compose-${kind}`} onSubmit={submit} aria-labelledby="compose-h">
      <h2 id="compose-h">{t('composeTitle')}</h2>
      <fieldset class="kinds">
        <legend>{t('composeKind')}</legend>
        {composerKinds.map((k) => (
          <label class="radio" key={k.kind}>
            <input type="radio" name="kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} />
            {t(k.key)}
          </label>
        ))}
      </fieldset>
      <p class={`compose-hint ${kind === 'internal_note' ? 'internal' : 'customer'}`} id="compose-hint">
        {t(current.hint)}
      </p>
      <label>
        {t('composeText')}
        <textarea name="body" rows={5} required maxLength={262144} value={body} aria-describedby="compose-hint" onInput={(e) => setBody(e.currentTarget.value)} />
      </label>
      <div class="fields">
        <label>
          {t('minutesLabel')}
          <input type="number" name="minutes" min={0} max={1440} step={1} inputMode="numeric" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </label>
        <label>
          {t('attachFiles')}
          <input type="file" name="files" multiple ref={fileRef} />
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('composeSubmit')}
        </button>
      </div>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

function Properties({ data, me, reload }: { data: TicketData; me: Person; reload: () => void }) {
  const { t } = useI18n();
  const { ticket } = data;
  const [status, setStatus] = useState<TicketStatus>(ticket.status);
  const [priority, setPriority] = useState(String(ticket.priority));
  const [queue, setQueue] = useState(String(ticket.queue_id ?? ''));
  const [owner, setOwner] = useState(String(ticket.owner_id ?? ''));
  const [comm, setComm] = useState(String(ticket.comm_owner_id ?? ''));
  const [tech, setTech] = useState(String(ticket.tech_owner_id ?? ''));
  const [org, setOrg] = useState(String(ticket.organisation_id ?? ''));
  const [tags, setTags] = useState(ticket.tags.join(' '));
  const [stale, setStale] = useState(false);
  const { busy, outcome, setOutcome, run } = useAction();
  const people: Person[] = [...data.people.values()];
  // A new version (saved here, or a note added): the form shows it.
  useEffect(() => {
    setStatus(ticket.status);
    setPriority(String(ticket.priority));
    setQueue(String(ticket.queue_id ?? ''));
    setOwner(String(ticket.owner_id ?? ''));
    setComm(String(ticket.comm_owner_id ?? ''));
    setTech(String(ticket.tech_owner_id ?? ''));
    setOrg(String(ticket.organisation_id ?? ''));
    setTags(ticket.tags.join(' '));
    setStale(false);
  }, [data.etag]);
  const idOrNull = (v: string) => (v ? Number(v) : null);

  async function save(e: Event) {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (status !== ticket.status) body.status = status;
    if (Number(priority) !== ticket.priority) body.priority = Number(priority);
    if (idOrNull(queue) !== ticket.queue_id) body.queue_id = idOrNull(queue);
    if (idOrNull(owner) !== ticket.owner_id) body.owner_id = idOrNull(owner);
    if (idOrNull(comm) !== ticket.comm_owner_id) body.comm_owner_id = idOrNull(comm);
    if (idOrNull(tech) !== ticket.tech_owner_id) body.tech_owner_id = idOrNull(tech);
    if (idOrNull(org) !== ticket.organisation_id) body.organisation_id = idOrNull(org);
    const tagList = tags.split(/[\s,]+/).filter(Boolean);
    if (tagList.join(' ') !== ticket.tags.join(' ')) body.tags = tagList;
    if (!Object.keys(body).length) {
      setOutcome({ ok: true, text: t('nothingChanged') });
      return;
    }
    setStale(false);
    const ok = await run(
      async () => {
        await request('PATCH', `/api/v1/tickets/${ticket.id}`, body, { 'If-Match': data.etag });
        return t('saved');
      },
      (err) => {
        if (err instanceof ApiError && err.status === 412) {
          setStale(true);
          return t('ticketStale');
        }
        return null;
      },
    );
    if (ok) reload();
  }

  const opt = (list: { id: number; name: string }[]) =>
    list.map((x) => (
      <option value={String(x.id)} key={x.id}>
        {x.name}
      </option>
    ));

  return (
    <form class="card properties" onSubmit={save} aria-labelledby="props-h">
      <h2 id="props-h">{t('propertiesTitle')}</h2>
      <label>
        {t('colStatus')}
        <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as TicketStatus)}>
          {statuses
            .filter((s) => s !== 'new' || ticket.status === 'new')
            .map((s) => (
              <option value={s} key={s}>
                {t(statusKeys[s])}
              </option>
            ))}
        </select>
      </label>
      <label>
        {t('colPriority')}
        <select name="priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
          {[1, 2, 3, 4].map((p) => (
            <option value={String(p)} key={p}>
              {prioText(p, t)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('colQueue')}
        <select name="queue" value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
          <option value="">{t('noQueue')}</option>
          {opt(data.queues)}
        </select>
      </label>
      <label>
        {t('colOwner')}
        <select name="owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          <option value="">{t('ownerNone')}</option>
          {personOptions(people)}
        </select>
      </label>
      {owner !== String(me.id) && (
        <button type="button" class="secondary small take" onClick={() => setOwner(String(me.id))}>
          {t('assignToMe')}
        </button>
      )}
      <label>
        {t('commOwner')}
        <select name="comm_owner" value={comm} onChange={(e) => setComm(e.currentTarget.value)}>
          <option value="">{t('nobody')}</option>
          {personOptions(people)}
        </select>
      </label>
      <label>
        {t('techOwner')}
        <select name="tech_owner" value={tech} onChange={(e) => setTech(e.currentTarget.value)}>
          <option value="">{t('nobody')}</option>
          {personOptions(people)}
        </select>
      </label>
      <label>
        {t('colOrganisation')}
        <select name="organisation" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
          <option value="">{t('unknownOrg')}</option>
          {opt(data.orgs)}
        </select>
      </label>
      <label>
        {t('tagsLabel')}
        <input name="tags" value={tags} autocomplete="off" spellcheck={false} onInput={(e) => setTags(e.currentTarget.value)} aria-describedby="tags-hint" />
        <span class="hint" id="tags-hint">
          {t('tagsHint')}
        </span>
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('saveChanges')}
        </button>
      </div>
      <OutcomeLine outcome={outcome} />
      {stale && (
        <button type="button" class="secondary" onClick={reload}>
          {t('reloadTicket')}
        </button>
      )}
    </form>
  );
}

function Merge({ ticket, etag, go }: { ticket: Ticket; etag: string; go: (h: string) => void }) {
  const { t } = useI18n();
  const [number, setNumber] = useState('');
  const [target, setTarget] = useState<Ticket | null>(null);
  const { busy, outcome, setOutcome, run } = useAction();

  async function find(e: Event) {
    e.preventDefault();
    setTarget(null);
    const n = Number(number.replace(/^#/, ''));
    if (!Number.isInteger(n) || n <= 0) {
      setOutcome({ ok: false, text: t('mergeBadNumber') });
      return;
    }
    await run(async () => {
      const found = await get<Ticket>(`/api/v1/ticket-numbers/${n}`);
      if (found.id === ticket.id) throw new Error(t('mergeSelf'));
      setTarget(found);
      return null;
    });
  }

  async function merge() {
    if (!target) return;
    const ok = await run(async () => {
      await request('POST', `/api/v1/tickets/${ticket.id}/merge`, { into: target.id }, { 'If-Match': etag });
      return null;
    }, (err) => (err instanceof ApiError && err.status === 412 ? t('ticketStale') : null));
    if (ok) go(ticketHref(target.number));
  }

  return (
    <form class="card merge" onSubmit={find} aria-labelledby="merge-h">
      <h2 id="merge-h">{t('mergeTitle')}</h2>
      <p class="muted">{t('mergeHint')}</p>
      <label>
        {t('mergeInto')}
        <input name="merge-into" inputMode="numeric" autocomplete="off" value={number} onInput={(e) => setNumber(e.currentTarget.value)} required />
      </label>
      <div class="actions">
        <button type="submit" class="secondary" disabled={busy}>
          {t('mergeFind')}
        </button>
      </div>
      {target && (
        <div class="confirm" role="group" aria-label={t('mergeConfirmLabel')}>
          <p>{t('mergeConfirm', { from: ticket.number, to: target.number, subject: target.subject })}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={merge}>
              {t('mergeDo', { n: target.number })}
            </button>
            <button type="button" class="secondary" onClick={() => setTarget(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

const actionKeys: Record<string, MessageKey> = {
  'ticket.create': 'histCreate',
  'ticket.update': 'histUpdate',
  'ticket.article': 'histArticle',
  'ticket.attachment': 'histAttachment',
  'ticket.merge': 'histMerge',
  'ticket.merge.target': 'histMergeTarget',
  'ticket.rule': 'histRule',
  'ticket.sla.warning': 'histSlaWarning',
  'ticket.sla.breach': 'histSlaBreach',
};

function History({ data }: { data: TicketData }) {
  const { t, locale } = useI18n();
  const { data: items, error, reload } = useLoad(() => getAll<HistoryItem>(`/api/v1/tickets/${data.ticket.id}/history`), [data.ticket.id, data.ticket.version]);
  const tz = data.calendar.time_zone;
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!items) return <Loading />;
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'number' && /(^|_)(owner_id|comm_owner_id|tech_owner_id)$/.test(field)) return personName(data.people, v, t);
    if (typeof v === 'number' && field === 'queue_id') return data.queues.find((q) => q.id === v)?.name ?? `#${v}`;
    if (typeof v === 'number' && field === 'organisation_id') return data.orgs.find((o) => o.id === v)?.name ?? `#${v}`;
    if (typeof v === 'string' && field === 'status' && v in statusKeys) return t(statusKeys[v as TicketStatus]);
    if (typeof v === 'string' && /_(at|due)$/.test(field) && /^\d{4}-\d\d-\d\dT/.test(v)) return formatInstant(v, locale, tz);
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  return (
    <ol class="history">
      {items.map((h) => (
        <li key={h.id} data-action={h.action}>
          <p>
            <time dateTime={h.at}>{formatInstant(h.at, locale, tz)}</time> · <strong>{h.actor_id ? personName(data.people, h.actor_id, t) : h.actor}</strong>{' '}
            {actionKeys[h.action] ? t(actionKeys[h.action]) : h.action}
            {h.article && <> ({t(kindKeys[h.article.kind] ?? 'kindWeb')})</>}
            {h.attachment && <> ({h.attachment.filename})</>}
          </p>
          {h.article?.excerpt && <p class="excerpt">{h.article.excerpt}</p>}
          {h.changes.length > 0 && h.action !== 'ticket.create' && (
            <ul class="changes">
              {h.changes.map((c) => (
                <li key={c.field}>
                  <code>{c.field}</code>: {show(c.field, c.before)} → {show(c.field, c.after)}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

