// What the browser tests share: a real dutydesk (DUTYDESK_BIN, default
// build/test/dutydesk) with the demo organisation in a fresh SQLite
// database on a free port of 127.0.0.1, serving the built UI (web/dist,
// or DUTYDESK_WEB_ROOT), and Debian's chromium driven by playwright-core.
// A missing chromium or an unbuilt UI fails the run.
//
// Screenshots go to build/screenshots/ (the tests' artefacts). With
// DUTYDESK_SCREENSHOTS_TO_DOCS=1 the main pages' are copied to
// docs/screenshots/ too, for the README; without it a test run leaves the
// work tree clean (dates change, so the pictures do).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = resolve(ROOT, process.env.DUTYDESK_BIN ?? 'build/test/dutydesk');
const WEB_ROOT = resolve(ROOT, process.env.DUTYDESK_WEB_ROOT ?? 'web/dist');
const CHROMIUM = process.env.DUTYDESK_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'build/screenshots');
const DOC_SHOTS = join(ROOT, 'docs/screenshots');
export const PASSWORD = 'dutydesk-demo';
export const XSS = '<img src=x onerror=alert(1)>';

// The pictures docs/screenshots/ keeps; the others are test artefacts.
const DOC_PAGES = new Set([
  'sign-in',
  'dashboard',
  'dashboard-phone',
  'rota-week',
  'rota-viewer-de',
  'tickets',
  'tickets-phone',
  'ticket',
  'phone-intake',
  'reports',
  'rota-month',
  'rota-swaps',
  'rota-absences',
  'rota-sick',
  'rota-jour-fixe',
  'rota-calendars',
  'rota-plan',
  'admin-queues',
  'admin-rules',
  // tests/browser/p1.test.mjs
  'dashboard-p1',
  'alerts',
  'alert-detail',
  'policies-edit',
  'alert-settings',
  'contact-methods',
  'shifts',
  'triage',
  'triage-phone',
  'mail-settings',
  'mail-failed',
]);

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

/**
 * Start dutydesk and chromium before the file's tests and stop them after;
 * the returned object holds base (the server's URL), browser, server and
 * its log once started. threads: the server's workers; afterDemo(db, bin):
 * more set-up on the demo database before the server starts.
 */
export function useDutydesk({ threads = 2, afterDemo } = {}) {
  const h = { base: null, browser: null, server: null, log: '', tmp: null };

  async function waitReady(ms = 20000) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (h.server.exitCode !== null) throw new Error(`dutydesk exited with ${h.server.exitCode}:\n${h.log}`);
      try {
        const r = await fetch(`${h.base}/healthz`);
        if (r.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`dutydesk did not answer /healthz within ${ms} ms:\n${h.log}`);
  }

  before(async () => {
    assert.ok(existsSync(BIN), `no dutydesk binary at ${BIN} (make build/test/dutydesk, or set DUTYDESK_BIN)`);
    assert.ok(existsSync(join(WEB_ROOT, 'index.html')), `the UI is not built: no ${WEB_ROOT}/index.html (npm ci && npm run build in web/)`);
    assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (scripts/install-deps test installs Debian's chromium)`);
    h.tmp = mkdtempSync(join(tmpdir(), 'dd-browser-'));
    const db = `sqlite:${join(h.tmp, 'dutydesk.db')}`;
    const demo = spawnSync(BIN, ['demo', '--db', db], { encoding: 'utf8' });
    assert.equal(demo.status, 0, `dutydesk demo failed:\n${demo.stdout}${demo.stderr}`);
    if (afterDemo) afterDemo(db, BIN);
    const port = await freePort();
    h.base = `http://127.0.0.1:${port}`;
    h.server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', String(threads), '--web-root', WEB_ROOT], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    h.server.stdout.on('data', (b) => (h.log += b));
    h.server.stderr.on('data', (b) => (h.log += b));
    await waitReady();
    h.browser = await chromium.launch({
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
    await h.browser?.close();
    if (h.server && h.server.exitCode === null) {
      const exited = new Promise((r) => h.server.once('exit', r));
      h.server.kill('SIGTERM');
      await exited;
    }
    if (h.tmp) rmSync(h.tmp, { recursive: true, force: true });
  });

  process.on('exit', () => {
    if (process.exitCode && h.log) {
      const log = h.log.split('\n').filter((l) => !/level=info sub=http msg=request/.test(l));
      process.stderr.write(`dutydesk log:\n${log.slice(-40).join('\n')}\n`);
    }
  });
  return h;
}

/** The last test of a file: the server stops cleanly, with no sanitizer
 * report and no error line in its log. */
export function testCleanStop(h) {
  test('the server stops cleanly, with no sanitizer report or error line', async () => {
    await h.browser.close();
    h.browser = null;
    const exited = new Promise((r) => h.server.once('exit', (code, signal) => r({ code, signal })));
    h.server.kill('SIGTERM');
    const { code, signal } = await exited;
    assert.equal(signal, null);
    assert.equal(code, 0, h.log);
    assert.doesNotMatch(h.log, /AddressSanitizer|LeakSanitizer|runtime error:|level=error/);
  });
}

/** A signed-in API client for set-up and checks from node. */
export async function apiSession(h, login) {
  const r = await fetch(`${h.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  assert.equal(r.status, 201, `sign-in of ${login}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf, person } = await r.json();
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${h.base}${path}`, {
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
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return { call, person };
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.DUTYDESK_SCREENSHOTS_TO_DOCS === '1' && DOC_PAGES.has(name)) {
    mkdirSync(DOC_SHOTS, { recursive: true });
    copyFileSync(file, join(DOC_SHOTS, `${name}.png`));
  }
}

/** A page that records dialogs, console errors and failed checks. */
export async function newPage(h, opts = {}) {
  const context = await h.browser.newContext({
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
export async function signInByKeyboard(h, page, login) {
  await page.goto(`${h.base}/`);
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

export function mondayOf(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
