// The P1 alerting pages, live updates and the mailbox end to end: a real
// dutydesk (DUTYDESK_BIN, default build/test/dutydesk) with the demo
// organisation in a fresh SQLite database, serving the built UI, driven
// by Debian's chromium through playwright-core (tests/browser/harness.mjs).
// A missing chromium or an unbuilt UI fails.
//
// Screenshots go to build/screenshots/; with DUTYDESK_SCREENSHOTS_TO_DOCS=1
// the new pages' are copied to docs/screenshots/ too.
//
// Run from the repository root: node --test tests/browser/p1.test.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { before, describe, test } from 'node:test';
import { PASSWORD, XSS, apiSession as apiSessionOf, newPage as newPageOf, shot, testCleanStop, useDutydesk } from './harness.mjs';

// The mail gateway's token: it may only hand in mail.
let ingestToken;
const h = useDutydesk({
  threads: 4,
  afterDemo(db, bin) {
    const tok = spawnSync(bin, ['token', 'create', '--db', db, '--login', 'hbrandt', '--scopes', 'mail:ingest', '--name', 'browser test mailgate'], { encoding: 'utf8' });
    assert.equal(tok.status, 0, `dutydesk token create failed:\n${tok.stdout}${tok.stderr}`);
    ingestToken = tok.stdout.trim().split('\n').pop();
  },
});

const apiSession = (login) => apiSessionOf(h, login);
const newPage = (opts = {}) => newPageOf(h, opts);

async function signIn(page, login) {
  await page.goto(`${h.base}/`);
  await page.getByLabel(/^(Login|Benutzername)$/).fill(login);
  await page.getByLabel(/^(Password|Passwort)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Anmelden)$/ }).click();
  await page.locator('.dashboard .duty').first().waitFor();
}

/** A request from inside the page with its own session and CSRF token. */
function pageCall(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const s = await (await fetch('/api/v1/session')).json();
      const r = await fetch(p, {
        method: m,
        headers: { 'X-CSRF-Token': s.csrf_token, ...(b === null ? {} : { 'Content-Type': 'application/json' }) },
        body: b === null ? undefined : JSON.stringify(b),
      });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : null };
    },
    [method, path, body ?? null],
  );
}

describe('P1 alerting in the browser', () => {
  let admin;
  let people;

  before(async () => {
    admin = await apiSession('hbrandt');
    const list = await admin.call('GET', '/api/v1/people?limit=500');
    people = new Map(list.json.items.map((p) => [p.login, p]));
  });

  test('a P1 taken by phone in one browser appears live on another’s dashboard, is acknowledged there and resolved from the history', async () => {
    const a = await newPage();
    const b = await newPage();
    await signIn(a.page, 'hbrandt');
    await signIn(b.page, 'mvogel');
    for (const p of [a.page, b.page]) {
      await p.locator('.p1-board [data-live="live"]').waitFor({ timeout: 10000 });
      // Gone after a reload: proves the P1 arrived without one.
      await p.evaluate(() => (window.__noReload = 'still here'));
    }
    const before_ = await b.page.locator('.p1-item').count();

    // Phone intake in browser A: a priority-1 call with its subject.
    const subject = `Leitstand down ${XSS} ${Date.now() % 100000}`;
    const made = await pageCall(a.page, 'POST', '/api/v1/tickets/phone', {
      caller: '+49 89 5550 1234',
      note: 'No measurements since 9:00.',
      subject,
      priority: 1,
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const number = made.json.ticket.number;

    // Browser B: the P1 appears by itself, with its ticket, state, owners.
    const item = b.page.locator(`.p1-item[data-ticket-number="${number}"]`);
    await item.waitFor({ timeout: 10000 });
    assert.equal(await b.page.evaluate(() => window.__noReload), 'still here', 'the dashboard did not reload');
    assert.equal(await b.page.locator('.p1-item').count(), before_ + 1);
    assert.equal(await item.locator('.p1-subject').innerText(), subject, 'the subject is shown as text');
    assert.equal(await item.locator('[data-state]').getAttribute('data-state'), 'triggered');
    const alerts = await admin.call('GET', '/api/v1/alerts?state=open');
    const alert = alerts.json.items.find((x) => x.ticket_number === number);
    assert.ok(alert, 'the API lists the alert');
    const byId = new Map([...people.values()].map((p) => [p.id, p]));
    const expectName = (id) => (id ? byId.get(id).name : 'Nobody');
    assert.equal(await item.locator('.p1-comm').innerText(), expectName(alert.comm_owner_id));
    assert.equal(await item.locator('.p1-tech').innerText(), expectName(alert.tech_owner_id));
    const full = await admin.call('GET', `/api/v1/alerts/${alert.id}`);
    const pagedIds = [...new Set(full.json.pages.filter((p) => p.kind === 'page' && p.person_id).map((p) => p.person_id))];
    for (const id of pagedIds) assert.match(await item.locator('.p1-paged').innerText(), new RegExp(byId.get(id).name));
    assert.match(await item.locator('time').innerText(), /^\d+ min$/);
    assert.equal(await b.page.locator('img').count(), 0);
    await shot(b.page, 'dashboard-p1');

    // Acknowledge it in browser B, by the keyboard.
    await item.getByRole('button', { name: `Acknowledge P1 #${number}` }).focus();
    await b.page.keyboard.press('Enter');
    await item.locator('[data-state="acknowledged"]').waitFor();
    assert.match(await item.locator('.p1-step').innerText(), new RegExp(`by ${people.get('mvogel').name}`));
    assert.equal(await item.getByRole('button', { name: /Acknowledge/ }).count(), 0);
    const acked = await admin.call('GET', `/api/v1/alerts/${alert.id}`);
    assert.equal(acked.json.alert.state, 'acknowledged');
    assert.equal(acked.json.alert.acknowledged_by, people.get('mvogel').id);
    // Browser A sees the acknowledgement live as well.
    await a.page.locator(`.p1-item[data-ticket-number="${number}"] [data-state="acknowledged"]`).waitFor({ timeout: 10000 });
    assert.equal(await a.page.evaluate(() => window.__noReload), 'still here');

    // The history: open alerts, then the alert's page with its page log.
    await a.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'P1 alerts' }).click();
    await a.page.getByRole('heading', { name: 'P1 alerts', level: 1 }).waitFor();
    const row = a.page.locator(`tr[data-alert-id="${alert.id}"]`);
    await row.waitFor();
    await shot(a.page, 'alerts');
    await row.getByRole('link').click();
    await a.page.getByRole('heading', { name: `P1 alert for #${number}`, level: 1 }).waitFor();
    await a.page.locator('.page-log tbody tr').first().waitFor();
    assert.equal(await a.page.locator('.page-log tbody tr').count(), full.json.pages.length);
    assert.match(await a.page.locator('.acked').innerText(), new RegExp(people.get('mvogel').name));
    await shot(a.page, 'alert-detail');
    await a.page.getByRole('button', { name: `Resolve P1 #${number}` }).click();
    await a.page.locator('.alert-detail [data-state="resolved"]').first().waitFor();
    const resolved = await admin.call('GET', `/api/v1/alerts/${alert.id}`);
    assert.equal(resolved.json.alert.state, 'resolved');
    assert.equal(resolved.json.alert.resolved_by, people.get('hbrandt').id);

    // Resolved P1s leave the board live; the history's filter finds it.
    await b.page.locator(`.p1-item[data-ticket-number="${number}"]`).waitFor({ state: 'detached', timeout: 10000 });
    await a.page.goto(`${h.base}/#/alerts`);
    await a.page.getByLabel('State').selectOption('resolved');
    await a.page.locator(`tr[data-alert-id="${alert.id}"] [data-state="resolved"]`).waitFor();
    // A second resolve is refused by the API and shown as its problem.
    const again = await pageCall(a.page, 'POST', `/api/v1/alerts/${alert.id}/resolve`);
    assert.equal(again.status, 409);

    for (const p of [a.page, b.page]) {
      assert.deepEqual(p.dialogs, []);
      assert.deepEqual(p.errors.filter((e) => !/409/.test(e)), []);
    }
    await a.context.close();
    await b.context.close();
  });

  test('an editor (mvogel) builds an escalation policy from steps and makes it the P1 policy', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'mvogel');
    await page.goto(`${h.base}/#/alerting/policies`);
    await page.getByRole('heading', { name: 'Escalation policies', level: 1 }).waitFor();
    await page.locator('.policy[data-policy-id="default"]').waitFor();
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = page.locator('form.policy-form');
    await form.getByLabel('Name').fill('Night faults');
    // The form starts from the built-in default's steps; make it two.
    while ((await form.locator('.step-row').count()) > 2) {
      const n = await form.locator('.step-row').count();
      await form.getByRole('button', { name: `Remove step ${n}` }).click();
    }
    await form.getByLabel('Step 1: minutes after the trigger').fill('0');
    const step1 = form.locator('.step-row[data-step="0"]');
    await step1.getByLabel('Kind').selectOption('person');
    await step1.getByRole('combobox', { name: /^Person\b/ }).selectOption(String(people.get('jweber').id));
    const step2 = form.locator('.step-row[data-step="1"]');
    await form.getByLabel('Step 2: minutes after the trigger').fill('15');
    await step2.getByLabel('Kind').selectOption('coordinator');
    // A third step, moved up: the order is the list's.
    await form.getByRole('button', { name: 'Add a step' }).click();
    const step3 = form.locator('.step-row[data-step="2"]');
    await step3.getByLabel('Kind').selectOption('substitute');
    await form.getByLabel('Step 3: minutes after the trigger').fill('5');
    // Out of order: the page says so before sending anything.
    await form.getByRole('button', { name: 'Save policy' }).click();
    await form.getByText('Step 3 comes earlier than the step before it.').waitFor();
    await form.getByRole('button', { name: 'Move step 3 up' }).click();
    await form.getByLabel('Repeat the whole list (times)').fill('2');
    await form.getByLabel('Minutes between rounds').fill('30');
    await shot(page, 'policies-edit');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy “Night faults” saved.').waitFor();

    const list = await admin.call('GET', '/api/v1/escalation-policies');
    const made = list.json.items.find((p) => p.name === 'Night faults');
    assert.ok(made, JSON.stringify(list.json));
    assert.deepEqual(
      made.steps.map((s) => [s.delay_minutes, s.target.kind, s.target.id]),
      [
        [0, 'person', people.get('jweber').id],
        [5, 'substitute', null],
        [15, 'coordinator', null],
      ],
    );
    assert.equal(made.repeat_count, 2);
    assert.equal(made.repeat_delay_minutes, 30);
    const card = page.locator(`.policy[data-policy-id="${made.id}"]`);
    assert.match(await card.innerText(), /Jonas Weber/);

    // The settings: this policy for P1, a person out of hours.
    await page.getByRole('link', { name: 'Alert settings' }).click();
    await page.getByRole('heading', { name: 'Alert settings', level: 1 }).waitFor();
    await page.getByLabel('Policy for priority 1').selectOption(String(made.id));
    const off = page.locator('fieldset', { hasText: 'Outside all hours' });
    await off.getByLabel('Kind').selectOption('person');
    await off.getByRole('combobox', { name: /^Person\b/ }).selectOption(String(people.get('hbrandt').id));
    await shot(page, 'alert-settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    const settings = await admin.call('GET', '/api/v1/alert-settings');
    assert.equal(settings.json.p1_policy_id, made.id);
    assert.deepEqual(settings.json.out_of_hours_target, { kind: 'person', id: people.get('hbrandt').id });
    await page.goto(`${h.base}/#/alerting/policies`);
    await page.locator(`.policy[data-policy-id="${made.id}"] .in-use`).waitFor();

    // Someone else's change meanwhile: a stale edit is refused (412), shown.
    await page.getByRole('button', { name: 'Edit Night faults' }).click();
    const stale = await admin.call('GET', `/api/v1/escalation-policies/${made.id}`);
    const put = await admin.call('PUT', `/api/v1/escalation-policies/${made.id}`, { ...made, id: undefined, version: undefined, created_at: undefined, updated_at: undefined, name: 'Night faults' }, { 'If-Match': stale.headers.get('etag') });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    await page.locator('form.policy-form').getByRole('button', { name: 'Save policy' }).click();
    await page.locator('form.policy-form [role="alert"]').waitFor();

    // Put the settings back for the other tests.
    const s2 = await admin.call('GET', '/api/v1/alert-settings');
    assert.equal((await admin.call('PUT', '/api/v1/alert-settings', { p1_policy_id: null, out_of_hours_target: null }, { 'If-Match': s2.headers.get('etag') })).status, 200);
    assert.deepEqual(page.errors.filter((e) => !/412/.test(e)), []);
    await context.close();
  });

  test('contact methods: an editor adds a webhook, the code it receives verifies it; a wrong code is refused', async () => {
    // A webhook receiver on loopback: the test message carries the code.
    const received = [];
    const hook = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${hook.address().port}/hook`;
    try {
      const { context, page } = await newPage();
      await signIn(page, 'mvogel');
      await page.goto(`${h.base}/#/alerting/contact-methods`);
      await page.getByRole('heading', { name: 'My contact methods', level: 1 }).waitFor();
      await page.locator('.method').first().waitFor();
      const form = page.locator('form.add-method');
      await form.getByLabel('Kind').selectOption('webhook');
      await form.getByLabel('Webhook URL').fill(url);
      await form.getByLabel('Format').selectOption('generic');
      await form.getByLabel('Label (optional)').fill('pager bridge');
      await form.getByRole('button', { name: 'Add' }).click();
      await page.getByText(`${url} added: a code is on its way.`).waitFor();
      const item = page.locator('.method.unverified', { hasText: url });
      await item.waitFor();

      const until = Date.now() + 15000;
      while (!received.some((b) => /"code":"\d{6}"/.test(b)) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      const code = received.map((b) => /"code":"(\d{6})"/.exec(b)?.[1]).find(Boolean);
      assert.ok(code, `the receiver got no code: ${received.join('\n')}`);
      const wrong = code === '000000' ? '111111' : '000000';
      await item.getByLabel(`Code sent to ${url}`).fill(wrong);
      await item.getByRole('button', { name: 'Verify' }).click();
      await page.locator('main [role="alert"]').waitFor();
      await item.getByLabel(`Code sent to ${url}`).fill(code);
      await item.getByRole('button', { name: 'Verify' }).click();
      await page.getByText(`${url} is verified.`).waitFor();
      await page.locator('.method.verified', { hasText: url }).waitFor();
      await shot(page, 'contact-methods');
      const list = await admin.call('GET', `/api/v1/people/${people.get('mvogel').id}/contact-methods`);
      assert.equal(list.json.items.find((m) => m.address === url)?.verified, true);

      // An editor manages someone else's methods through the person picker.
      await page.getByRole('combobox', { name: /^Person\b/ }).selectOption(String(people.get('jweber').id));
      await page.getByRole('heading', { name: 'Contact methods of Jonas Weber', level: 1 }).waitFor();
      assert.deepEqual(page.errors.filter((e) => !/400/.test(e)), []);
      await context.close();
    } finally {
      hook.close();
    }
  });

  test('a viewer (jweber) sees policies and settings without edit controls, may add only e-mail for themselves; the API refuses their edits', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'jweber');
    await page.goto(`${h.base}/#/alerting/policies`);
    await page.locator('.policy[data-policy-id="default"]').waitFor();
    assert.equal(await page.locator('[data-edit]').count(), 0);
    assert.equal(await page.locator('main form, main input, main select, main textarea').count(), 0);
    assert.deepEqual(await page.locator('main button').count(), 0);

    await page.getByRole('link', { name: 'Alert settings' }).click();
    await page.locator('.settings-view').waitFor();
    assert.equal(await page.locator('[data-edit]').count(), 0);
    assert.equal(await page.locator('main form, main input, main select, main textarea, main button').count(), 0);
    assert.match(await page.locator('.settings-view').innerText(), /Policy for priority 1/);

    // Their own methods: e-mail only (webhooks need an editor).
    await page.getByRole('link', { name: 'Contact methods' }).click();
    await page.getByRole('heading', { name: 'My contact methods', level: 1 }).waitFor();
    await page.locator('form.add-method').waitFor();
    assert.equal(await page.locator('form.add-method select').count(), 0);
    assert.equal(await page.getByRole('combobox', { name: /^Person\b/ }).count(), 0);

    const policy = await pageCall(page, 'POST', '/api/v1/escalation-policies', {
      name: 'mine',
      steps: [{ delay_minutes: 0, target: { kind: 'coordinator', id: null } }],
    });
    assert.equal(policy.status, 403);
    assert.equal(policy.json.type, 'urn:dutydesk:problem:forbidden');
    const settings = await pageCall(page, 'PUT', '/api/v1/alert-settings', { p1_policy_id: null });
    assert.equal(settings.status, 403);
    const hookAdd = await pageCall(page, 'POST', `/api/v1/people/${people.get('jweber').id}/contact-methods`, {
      kind: 'webhook',
      address: 'http://127.0.0.1:9/x',
    });
    assert.equal(hookAdd.status, 403);
    const others = await pageCall(page, 'GET', `/api/v1/people/${people.get('mvogel').id}/contact-methods`);
    assert.equal(others.status, 403);
    await context.close();
  });

  test('shift readiness: the notices list, German', async () => {
    const { context, page } = await newPage({ locale: 'de-DE' });
    await signIn(page, 'hbrandt');
    await page.goto(`${h.base}/#/alerting/shifts`);
    await page.getByRole('heading', { name: 'Dienstbereitschaft', level: 1 }).waitFor();
    await page.locator('.shift-table, main p.muted').first().waitFor();
    await shot(page, 'shifts');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});

/** Hand one message to the mailbox as the mail gateway does. */
async function ingest(raw) {
  const r = await fetch(`${h.base}/api/v1/mail/inbound?source=api`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ingestToken}`, 'Content-Type': 'message/rfc822' },
    body: raw,
  });
  const json = await r.json();
  assert.ok(r.status === 201, `inbound: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

function mail({ from, to = 'support@dutydesk.example', cc, subject, body }) {
  const id = `${Date.now()}.${Math.random().toString(36).slice(2)}@stranger.example`;
  return [
    `From: ${from}`,
    `To: ${to}`,
    ...(cc ? [`Cc: ${cc}`] : []),
    `Message-ID: <${id}>`,
    `Subject: ${subject}`,
    'Date: Fri, 27 Nov 2026 09:00:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

describe('the mailbox in the browser', () => {
  let admin;
  let people;

  before(async () => {
    admin = await apiSession('hbrandt');
    const list = await admin.call('GET', '/api/v1/people?limit=500');
    people = new Map(list.json.items.map((p) => [p.login, p]));
  });

  test('triage: four mails handled the four ways, one request each; the personal flag; the dashboard count follows live', async () => {
    const tag = Date.now() % 100000;
    const mv = people.get('mvogel');
    const sent = {
      create: await ingest(mail({ from: 'Kunde Eins <eins@stranger.example>', subject: `Drucker streikt ${tag}`, body: 'Der Drucker im 2. OG druckt nicht.' })),
      append: await ingest(mail({ from: 'zwei@stranger.example', subject: `Nachtrag ${tag}`, body: 'Noch ein Detail zum VPN-Thema.' })),
      answer: await ingest(mail({ from: 'Drei <drei@stranger.example>', subject: `Frage zu Öffnungszeiten ${tag} ${XSS}`, body: 'Wann seid ihr erreichbar?' })),
      forward: await ingest(mail({ from: 'vier@stranger.example', cc: `${mv.name} <${mv.email}>`, subject: `Persönlich ${tag}`, body: `Hallo ${mv.name.split(' ')[0]}, bitte rufen Sie mich an.` })),
    };
    for (const [k, o] of Object.entries(sent)) assert.ok(o.triage_id, `${k}: ${JSON.stringify(o)}`);
    const personal = await admin.call('GET', `/api/v1/triage/${sent.forward.triage_id}`);
    assert.equal(personal.json.personal_id, mv.id, 'the mail to mvogel is personal');

    // A dashboard in a second browser counts what waits, live.
    const dash = await newPage();
    await signIn(dash.page, 'mvogel');
    const open = async () => (await admin.call('GET', '/api/v1/triage?status=open&limit=100')).json.items.length;
    const waiting = dash.page.locator('.triage-count [data-count]');
    assert.equal(await waiting.getAttribute('data-count'), String(await open()));

    const { context, page } = await newPage();
    await signIn(page, 'hbrandt');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mailbox' }).click();
    await page.getByRole('heading', { name: 'Mailbox triage', level: 1 }).waitFor();
    const card = (k) => page.locator(`.triage-item[data-triage-id="${sent[k].triage_id}"]`);
    for (const k of Object.keys(sent)) await card(k).waitFor();
    assert.equal(await card('forward').locator('.badge.personal').count(), 1);
    assert.match(await card('forward').locator('.personal-flag').innerText(), new RegExp(`addressed to ${mv.name} personally`));
    assert.equal(await card('create').locator('.badge.personal').count(), 0);
    assert.ok((await card('answer').locator('.triage-subject').innerText()).includes(XSS), 'the subject is text');
    // The message itself, as text.
    await card('create').getByRole('button', { name: 'Show the message' }).click();
    await card('create').locator('pre.mail-body').waitFor();
    assert.match(await card('create').locator('pre.mail-body').innerText(), /Der Drucker im 2\. OG/);
    await shot(page, 'triage');

    // 1. A ticket with queue, owner and priority.
    const queues = (await admin.call('GET', '/api/v1/queues?limit=100')).json.items;
    await card('create').getByRole('button', { name: 'Create ticket', exact: true }).click();
    const f1 = card('create').locator('form[data-form="create-ticket"]');
    await f1.getByLabel('Queue').selectOption(String(queues[0].id));
    await f1.getByLabel('Owner').selectOption(String(mv.id));
    await f1.getByLabel('Priority').selectOption('2');
    await f1.getByRole('button', { name: 'Create the ticket' }).click();
    await page.getByText(/^Ticket #\d+ created\.$/).waitFor();
    const i1 = (await admin.call('GET', `/api/v1/triage/${sent.create.triage_id}`)).json;
    assert.equal(i1.status, 'done');
    assert.equal(i1.action, 'create-ticket');
    const t1 = (await admin.call('GET', `/api/v1/tickets/${i1.ticket_id}`)).json;
    assert.deepEqual([t1.queue_id, t1.owner_id, t1.priority, t1.channel], [queues[0].id, mv.id, 2, 'email']);
    await card('create').waitFor({ state: 'detached' });

    // 2. Into an existing ticket, by its number.
    const existing = await admin.call('POST', '/api/v1/tickets', { subject: `VPN-Thema ${tag}`, priority: 3 });
    assert.equal(existing.status, 201, JSON.stringify(existing.json));
    await card('append').getByRole('button', { name: 'Append to ticket' }).click();
    const f2 = card('append').locator('form[data-form="append"]');
    await f2.getByLabel('Ticket number').fill(String(existing.json.number));
    await f2.getByRole('button', { name: 'Append the mail' }).click();
    await page.getByText(`The mail is now part of ticket #${existing.json.number}.`).waitFor();
    const i2 = (await admin.call('GET', `/api/v1/triage/${sent.append.triage_id}`)).json;
    assert.deepEqual([i2.status, i2.action, i2.ticket_id], ['done', 'append', existing.json.id]);
    const arts = (await admin.call('GET', `/api/v1/tickets/${existing.json.id}/articles`)).json;
    assert.ok(JSON.stringify(arts).includes('Noch ein Detail zum VPN-Thema.'), 'the mail is an article of the ticket');

    // 3. An answer straight to the sender.
    await card('answer').getByRole('button', { name: 'Answer', exact: true }).click();
    const f3 = card('answer').locator('form[data-form="answer"]');
    await f3.getByLabel('Answer to drei@stranger.example').fill('Montag bis Freitag, 8 bis 18 Uhr.');
    await f3.getByRole('button', { name: 'Send the answer' }).click();
    await page.getByText('The answer to drei@stranger.example is on its way.').waitFor();
    const i3 = (await admin.call('GET', `/api/v1/triage/${sent.answer.triage_id}`)).json;
    assert.deepEqual([i3.status, i3.action], ['done', 'answer']);

    // 4. Forwarded to the colleague it names (chosen already).
    await card('forward').getByRole('button', { name: 'Forward', exact: true }).click();
    const f4 = card('forward').locator('form[data-form="forward"]');
    assert.equal(await f4.getByLabel('Forward to').inputValue(), String(mv.id));
    await f4.getByLabel('Note to the colleague (optional)').fill('Bitte zurückrufen.');
    await f4.getByRole('button', { name: 'Forward the mail' }).click();
    await page.getByText(`Forwarded to ${mv.name}.`).waitFor();
    const i4 = (await admin.call('GET', `/api/v1/triage/${sent.forward.triage_id}`)).json;
    assert.deepEqual([i4.status, i4.action], ['done', 'forward']);

    // Every action recorded; the outbox holds the answer and the forward.
    const outbox = (await admin.call('GET', '/api/v1/outbox?limit=100')).json.items.map((m) => m.purpose);
    assert.ok(outbox.includes('triage.answer') && outbox.includes('triage.forward'), outbox.join(','));
    for (const k of ['create-ticket', 'append', 'answer', 'forward']) {
      const ev = await admin.call('GET', `/api/v1/events?object_type=triage_item&limit=100`);
      assert.ok(ev.json.items.some((e) => e.action === `triage.${k}`), `event triage.${k}`);
    }

    // Done items show what was done.
    await page.getByLabel('State').selectOption('done');
    await card('forward').locator('.done-what').waitFor();
    assert.match(await card('forward').locator('.done-what').innerText(), /Forwarded by Helga Brandt/);

    // The other browser's dashboard counted down by itself.
    await dash.page.waitForFunction(
      (n) => document.querySelector('.triage-count [data-count]')?.getAttribute('data-count') === String(n),
      await open(),
      { timeout: 10000 },
    );
    // On a phone's width the queue is usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('State').selectOption('all');
    await card('forward').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the triage page is ${overflow}px wider than a phone`);
    await shot(page, 'triage-phone');
    assert.deepEqual(page.dialogs, []);
    assert.deepEqual(page.errors, []);
    await context.close();
    await dash.context.close();
  });

  test('a message that cannot be parsed is listed, shown as text and reprocessed; mail settings for an admin, read-only for an editor', async () => {
    const bad = await ingest(`\r\n\r\nno headers at all ${XSS} ${Date.now()}\r\n`);
    assert.equal(bad.status, 'failed');
    const { context, page } = await newPage();
    await signIn(page, 'mvogel');
    await page.goto(`${h.base}/#/mail/failed`);
    await page.getByRole('heading', { name: 'Failed messages', level: 1 }).waitFor();
    const row = page.locator(`tr[data-mail-id="${bad.id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /header/);
    await row.getByRole('link').click();
    await page.locator(`[data-mail-id="${bad.id}"] pre.mail-body`).waitFor();
    assert.ok((await page.locator('pre.mail-body').innerText()).includes(XSS));
    assert.equal(await page.locator('img').count(), 0);
    await page.getByRole('button', { name: 'Reprocess' }).click();
    await page.getByText(/^Still failing: /).waitFor();
    assert.equal((await admin.call('GET', `/api/v1/mail/messages/${bad.id}`)).json.attempts, 2);
    await shot(page, 'mail-failed');

    // An editor reads the settings but may not change them.
    await page.goto(`${h.base}/#/mail/settings`);
    await page.getByRole('heading', { name: 'Mail settings', level: 1 }).waitFor();
    await page.getByText('Only an administrator may change these settings.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).count(), 0);
    assert.ok(await page.getByLabel('Subject tag prefix').isDisabled());
    await context.close();

    // An admin changes them.
    const a = await newPage();
    await signIn(a.page, 'hbrandt');
    await a.page.goto(`${h.base}/#/mail/settings`);
    await a.page.getByLabel('Subject tag prefix').waitFor();
    await a.page.getByLabel('Automatic replies per sender and hour').fill('7');
    await a.page.getByLabel(/^Password/).fill('imap-secret-1');
    await shot(a.page, 'mail-settings');
    await a.page.getByRole('button', { name: 'Save settings' }).click();
    await a.page.getByText('Saved.').waitFor();
    const s = (await admin.call('GET', '/api/v1/mail/settings')).json;
    assert.equal(s.autoreply_cap, 7);
    assert.equal(s.imap_password_set, true);
    assert.equal(JSON.stringify(s).includes('imap-secret-1'), false);
    await a.page.getByLabel('Password (set; leave empty to keep)').waitFor();
    await a.context.close();

    // A viewer has no mail settings tab, and the API refuses them.
    const v = await newPage();
    await signIn(v.page, 'jweber');
    await v.page.goto(`${h.base}/#/mail`);
    await v.page.getByRole('heading', { name: 'Mailbox triage', level: 1 }).waitFor();
    assert.equal(await v.page.getByRole('link', { name: 'Mail settings' }).count(), 0);
    const put = await pageCall(v.page, 'PUT', '/api/v1/mail/settings', { autoreply_cap: 1 });
    assert.equal(put.status, 403);
    const re = await pageCall(v.page, 'POST', `/api/v1/mail/messages/${bad.id}/reprocess`);
    assert.equal(re.status, 403);
    await v.context.close();
  });
});

testCleanStop(h);
