// The web UI end to end: a real dutydesk (DUTYDESK_BIN, default
// build/test/dutydesk) with the demo organisation in a fresh SQLite
// database on a free port of 127.0.0.1, serving the built UI (web/dist,
// or DUTYDESK_WEB_ROOT), driven by Debian's chromium through
// playwright-core. A missing chromium or an unbuilt UI fails the run.
//
// Screenshots of every page go to build/screenshots/ (the test's
// artefacts). With DUTYDESK_SCREENSHOTS_TO_DOCS=1 the main pages' are
// copied to docs/screenshots/ too, for the README; without it a test run
// leaves the work tree clean (dates change, so the pictures do).
//
// Run from the repository root: node --test tests/browser/
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = resolve(ROOT, process.env.DUTYDESK_BIN ?? 'build/test/dutydesk');
const WEB_ROOT = resolve(ROOT, process.env.DUTYDESK_WEB_ROOT ?? 'web/dist');
const CHROMIUM = process.env.DUTYDESK_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'build/screenshots');
const DOC_SHOTS = join(ROOT, 'docs/screenshots');
const PASSWORD = 'dutydesk-demo';
const JS_BUDGET_GZIP = 150 * 1024;
const FIRST_RENDER_BUDGET_MS = 1000;
const XSS = '<img src=x onerror=alert(1)>';

let tmp;
let server;
let serverLog = '';
let base;
let browser;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitReady(url, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`dutydesk exited with ${server.exitCode}:\n${serverLog}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dutydesk did not answer /healthz within ${ms} ms:\n${serverLog}`);
}

/** A signed-in API client for set-up and checks from node. */
async function apiSession(login) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  assert.equal(r.status, 201, `sign-in of ${login}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf, person } = await r.json();
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        'X-CSRF-Token': csrf,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
  };
  return { call, person };
}

// The pictures docs/screenshots/ keeps; the others are test artefacts.
const DOC_PAGES = new Set(['sign-in', 'dashboard', 'dashboard-phone', 'rota-week', 'rota-viewer-de']);

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.DUTYDESK_SCREENSHOTS_TO_DOCS === '1' && DOC_PAGES.has(name)) {
    mkdirSync(DOC_SHOTS, { recursive: true });
    copyFileSync(file, join(DOC_SHOTS, `${name}.png`));
  }
}

/** A page that records dialogs, console errors and failed checks. */
async function newPage(opts = {}) {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 800 },
    locale: 'en-GB',
    ...opts,
  });
  const page = await context.newPage();
  page.dialogs = [];
  page.errors = [];
  page.on('dialog', (d) => {
    page.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    // The page asks GET /api/v1/session to learn whether anyone is
    // signed in: 401 there is the normal "nobody", which chromium logs.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) page.errors.push(m.text());
  });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return { context, page };
}

/** Sign in through the form with the keyboard only. */
async function signInByKeyboard(page, login) {
  await page.goto(`${base}/`);
  const loginField = page.getByLabel(/^(Login|Benutzername)$/);
  await loginField.waitFor();
  await loginField.focus();
  await page.keyboard.type(login);
  // The page's heading must not take the focus from a started form.
  assert.equal(await loginField.inputValue(), login);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  assert.equal(await page.getByLabel(/^(Password|Passwort)$/).inputValue(), PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('.dashboard .duty').first().waitFor();
}

function mondayOf(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

before(async () => {
  assert.ok(existsSync(BIN), `no dutydesk binary at ${BIN} (make build/test/dutydesk, or set DUTYDESK_BIN)`);
  assert.ok(existsSync(join(WEB_ROOT, 'index.html')), `the UI is not built: no ${WEB_ROOT}/index.html (npm ci && npm run build in web/)`);
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (scripts/install-deps test installs Debian's chromium)`);
  tmp = mkdtempSync(join(tmpdir(), 'dd-browser-'));
  const db = `sqlite:${join(tmp, 'dutydesk.db')}`;
  const demo = spawnSync(BIN, ['demo', '--db', db], { encoding: 'utf8' });
  assert.equal(demo.status, 0, `dutydesk demo failed:\n${demo.stdout}${demo.stderr}`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2', '--web-root', WEB_ROOT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (b) => (serverLog += b));
  server.stderr.on('data', (b) => (serverLog += b));
  await waitReady(base);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core starts every launch with a fresh temporary
    // --user-data-dir of its own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('serving the UI', () => {
  test('index.html with a strict CSP, revalidated; hashed assets cached for a year', async () => {
    const r = await fetch(`${base}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8$/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await r.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
    const etag = r.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${base}/`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);

    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')));
    let jsGzip = 0;
    for (const a of assets) {
      const ar = await fetch(`${base}${a}`);
      assert.equal(ar.status, 200, a);
      assert.equal(ar.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(ar.headers.get('content-type'), a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      const body = Buffer.from(await ar.arrayBuffer());
      if (a.endsWith('.js')) jsGzip += gzipSync(body, { level: 9 }).length;
    }
    console.log(`dashboard JavaScript: ${(jsGzip / 1024).toFixed(1)} KiB gzipped (budget ${JS_BUDGET_GZIP / 1024} KiB)`);
    assert.ok(jsGzip < JS_BUDGET_GZIP, `JavaScript is ${jsGzip} bytes gzipped, over the budget`);
  });

  test('no way out of the web root', async () => {
    // node:http sends the path as written (fetch would resolve the dots).
    const raw = (path) =>
      new Promise((ok, fail) =>
        httpGet({ host: '127.0.0.1', port: new URL(base).port, path }, (res) => {
          res.resume();
          res.on('end', () => ok(res));
        }).on('error', fail),
      );
    const paths = ['/assets/..%2Findex.html', '/assets/..', '/assets/.hidden', '/assets/%2e%2e', '/assets/a%00b',
      '/assets/nope.js', '/assets/../../etc/passwd', '/assets/..%2F..%2Fsrc%2Fcli%2Fmain.c', '/assets/', '/index.html'];
    for (const p of paths) {
      const r = await raw(p);
      assert.equal(r.statusCode, 404, p);
      assert.match(r.headers['content-type'], /problem\+json/, p);
      assert.equal(r.headers['cache-control'], 'no-store', p);
    }
  });
});

describe('in the browser', () => {
  let admin;
  let basics;

  before(async () => {
    admin = await apiSession('hbrandt');
    const cal = await admin.call('GET', '/api/v1/calendar');
    const people = await admin.call('GET', '/api/v1/people?limit=500');
    const duties = await admin.call('GET', '/api/v1/duties');
    basics = {
      tz: cal.json.time_zone,
      people: new Map(people.json.items.map((p) => [p.id, p])),
      duties: duties.json.items,
    };
  });

  test('sign in as hbrandt: the dashboard shows both duties with phone numbers, rendered in under 1 s', async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.locator('.notice, [role=alert]').count(), 0, 'a first visit is not told its session ended');
    await shot(page, 'sign-in');

    // A wrong password is shown as the server's problem detail.
    await page.getByLabel('Login').fill('hbrandt');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /password|login/i);

    await page.getByLabel('Login').fill('hbrandt');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('.dashboard .duty').first().waitFor();

    const duties = page.locator('.dashboard .duty');
    assert.equal(await duties.count(), basics.duties.length);
    assert.equal(basics.duties.length, 2);
    for (const d of basics.duties) {
      const card = page.locator(`.duty[data-duty-id="${d.id}"]`);
      assert.equal(await card.locator('h3').innerText().then((s) => s.includes(d.name)), true, d.name);
      // The next holder with a phone number to call.
      const next = card.locator('.next-holder');
      assert.ok((await next.locator('a[href^="tel:+"]').count()) >= 1, `a phone link for the next ${d.name}`);
    }
    assert.match(await page.locator('.who').innerText(), /Helga Brandt/);
    // Duty windows in the organisation's time, in the browser's locale.
    assert.match(await page.locator('.duty .window').first().innerText(), /16:00.18:00|No duty today/);
    // The P1 board and my tickets (tests/browser/p1.test.mjs drives them).
    await page.locator('.p1-board').waitFor();
    await page.locator('.my-tickets').waitFor();
    await shot(page, 'dashboard');

    // First render on a fresh load with the session: from the start of
    // navigation to the duties on screen (data fetched and drawn).
    await page.goto(`${base}/?fresh=1#/`);
    await page.locator('.dashboard .duty').first().waitFor();
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { ready: performance.now(), dcl: nav.domContentLoadedEventEnd, fcp: fcp ? fcp.startTime : null };
    });
    console.log(
      `first render: dashboard with data ${timing.ready.toFixed(0)} ms, first contentful paint ${timing.fcp?.toFixed(0)} ms, DOMContentLoaded ${timing.dcl.toFixed(0)} ms`,
    );
    assert.ok(timing.ready < FIRST_RENDER_BUDGET_MS, `dashboard took ${timing.ready} ms`);

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.dashboard .duty').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the dashboard is ${overflow}px wider than a phone`);
    await shot(page, 'dashboard-phone');

    assert.deepEqual(page.dialogs, []);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('the rota week view shows the current week’s pair; previous and next week; the language switch', async () => {
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'hbrandt');
    await page.getByRole('link', { name: 'Rota' }).click();
    await page.getByRole('heading', { name: 'Rota', level: 1 }).waitFor();
    await page.locator('.rota-grid tbody tr').first().waitFor();

    const monday = mondayOf(todayIn(basics.tz));
    const week = await admin.call('GET', `/api/v1/rota/weeks/${monday}`);
    assert.equal(week.status, 200);
    const pair = `${basics.people.get(week.json.first_person_id).name} & ${basics.people.get(week.json.second_person_id).name}`;
    assert.equal(await page.locator('.pair-names').innerText(), pair);
    assert.equal(await page.locator('.rota-grid tbody tr').count(), 7);

    // The grid holds the days' holders, coloured by duty.
    const days = await admin.call('GET', `/api/v1/rota/days?from=${monday}&to=${addDays(monday, 6)}`);
    for (const item of days.json.items) {
      const cell = page.locator(`tr[data-day="${item.day}"] td[data-duty-id="${item.duty_id}"]`);
      assert.equal(await cell.locator('.person-name').innerText(), basics.people.get(item.person_id).name);
      assert.match(await cell.getAttribute('class'), /duty-c[0-5]/);
    }
    // An editor sees the pair form.
    assert.ok(await page.locator('[data-edit]').count() >= 1);
    await shot(page, 'rota-week');

    await page.getByRole('button', { name: /Next week/ }).click();
    await page.waitForURL(new RegExp(`#/rota/${addDays(monday, 7)}$`));
    await page.locator(`tr[data-day="${addDays(monday, 7)}"]`).waitFor();
    await page.getByRole('button', { name: /Previous week/ }).click();
    await page.locator(`tr[data-day="${monday}"]`).waitFor();
    assert.equal(await page.locator('.pair-names').innerText(), pair);

    // German, and back.
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { name: 'Dienstplan', level: 1 }).waitFor();
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    await page.getByRole('button', { name: /Nächste Woche/ }).waitFor();
    await shot(page, 'rota-week-de');
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('heading', { name: 'Rota', level: 1 }).waitFor();

    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a person named with markup renders as text: no alert, no img element', async () => {
    const login = `eve${Date.now() % 100000}`;
    const created = await admin.call('POST', '/api/v1/people', {
      login,
      name: `Eve ${XSS}`,
      email: `${login}@example.org`,
      phone: '+49 89 5550999',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const eve = created.json;
    const monday = addDays(mondayOf(todayIn(basics.tz)), 7);
    const before_ = await admin.call('GET', `/api/v1/rota/weeks/${monday}`);
    const set = await admin.call(
      'PUT',
      `/api/v1/rota/weeks/${monday}`,
      { first_person_id: eve.id, second_person_id: before_.json?.second_person_id ?? 1 },
      before_.status === 200 ? { 'If-Match': `"v${before_.json.version}"` } : {},
    );
    assert.equal(set.status, 200, JSON.stringify(set.json));

    const { context, page } = await newPage();
    await signInByKeyboard(page, 'hbrandt');
    assert.equal(await page.locator('img').count(), 0);
    await page.goto(`${base}/#/rota/${monday}`);
    await page.locator(`tr[data-day="${monday}"]`).waitFor();
    await page.locator('.pair-names').waitFor();
    assert.ok((await page.locator('.pair-names').innerText()).includes(`Eve ${XSS}`));
    assert.ok((await page.locator('.rota-grid').innerText()).includes(`Eve ${XSS}`));
    // In the editor's people list too, as an option's text.
    assert.ok((await page.locator('select[name="first"]').innerText()).includes(`Eve ${XSS}`));
    await page.waitForTimeout(300); // time for an injected onerror to fire
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(page.dialogs, []);
    await shot(page, 'rota-markup-name');
    await context.close();
  });

  test('a viewer (jweber, German browser) sees no edit controls; the API refuses a write with the viewer’s session', async () => {
    const { context, page } = await newPage({ locale: 'de-DE' });
    await signInByKeyboard(page, 'jweber');
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    assert.match(await page.locator('.who').innerText(), /Jonas Weber/);
    await shot(page, 'dashboard-viewer-de');

    await page.getByRole('link', { name: 'Dienstplan' }).click();
    await page.locator('.rota-grid tbody tr').first().waitFor();
    await page.locator('.pair').waitFor();
    assert.equal(await page.locator('[data-edit]').count(), 0);
    assert.equal(await page.locator('form').count(), 0);
    assert.equal(await page.locator('main select, main input, main textarea').count(), 0);
    const buttons = await page.locator('main button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.replace(/[←→]/g, '').trim()), ['Vorige Woche', 'Diese Woche', 'Nächste Woche']);

    // The page's own session, sent straight to the API: refused.
    const monday = mondayOf(todayIn(basics.tz));
    const answers = await page.evaluate(async (week) => {
      const s = await (await fetch('/api/v1/session')).json();
      const put = (headers) =>
        fetch(`/api/v1/rota/weeks/${week}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify({ first_person_id: 6, second_person_id: 7 }),
        }).then(async (r) => ({ status: r.status, body: await r.json() }));
      return { withToken: await put({ 'X-CSRF-Token': s.csrf_token }), withoutToken: await put({}) };
    }, monday);
    assert.equal(answers.withToken.status, 403);
    assert.equal(answers.withToken.body.type, 'urn:dutydesk:problem:forbidden');
    assert.equal(answers.withoutToken.status, 403);
    assert.equal(answers.withoutToken.body.type, 'urn:dutydesk:problem:csrf-token-missing');
    await shot(page, 'rota-viewer-de');
    assert.deepEqual(page.errors.filter((e) => !/403/.test(e)), []);
    await context.close();
  });

  test('an editor (mvogel) sets a week’s pair and publishes it: the page sends the CSRF token', async () => {
    const monday = addDays(mondayOf(todayIn(basics.tz)), 20 * 7); // past the demo's plan
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'mvogel');
    await page.goto(`${base}/#/rota/${monday}`);
    await page.locator(`tr[data-day="${monday}"]`).waitFor();
    await page.locator('.pair[data-week-status="none"]').waitFor();
    const people = [...basics.people.values()].filter((p) => p.active);
    const [a, b] = [people[2], people[5]];
    await page.getByLabel('First person').selectOption(String(a.id));
    await page.getByLabel('Second person').selectOption(String(b.id));
    await page.getByRole('button', { name: 'Save pair' }).click();
    await page.locator('.pair[data-week-status="draft"]').waitFor();
    assert.equal(await page.locator('.pair-names').innerText(), `${a.name} & ${b.name}`);
    // A draft shows its days as a preview, marked.
    assert.ok((await page.locator('td.is-draft').count()) > 0);
    await shot(page, 'rota-draft');
    await page.getByRole('button', { name: 'Publish week' }).click();
    await page.locator('.pair[data-week-status="published"]').waitFor();
    await page.getByText('The week is published.').waitFor();
    const week = await admin.call('GET', `/api/v1/rota/weeks/${monday}`);
    assert.equal(week.json.status, 'published');
    assert.equal(week.json.first_person_id, a.id);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('sign out ends the session', async () => {
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'mvogel');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('You are signed out.').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
    assert.equal(status, 401);
    // A reload stays signed out.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });
});

test('the server stops cleanly, with no sanitizer report or error line', async () => {
  await browser.close();
  browser = null;
  const exited = new Promise((r) => server.once('exit', (code, signal) => r({ code, signal })));
  server.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.equal(signal, null);
  assert.equal(code, 0, serverLog);
  assert.doesNotMatch(serverLog, /AddressSanitizer|LeakSanitizer|runtime error:|level=error/);
});

process.on('exit', () => {
  if (process.exitCode && serverLog) {
    const log = serverLog.split('\n').filter((l) => !/level=info sub=http msg=request/.test(l));
    process.stderr.write(`dutydesk log:\n${log.slice(-40).join('\n')}\n`);
  }
});
