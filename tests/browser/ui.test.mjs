// The web UI's foundation end to end (harness.mjs starts a real dutydesk
// with the demo organisation and Debian's chromium): the page's headers
// and asset budget, no way out of the web root, signing in, the
// dashboard, the rota's week view, the language switch, markup in a name
// rendered as text, a viewer without edit controls, an editor publishing
// a week, signing out. pages.test.mjs has the later pages.
//
// Run from the repository root: node --test tests/browser/
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { PASSWORD, XSS, addDays, apiSession as apiSessionOf, mondayOf, newPage as newPageOf, shot, signInByKeyboard as signInOf, testCleanStop, todayIn, useDutydesk } from './harness.mjs';

const JS_BUDGET_GZIP = 150 * 1024;
const FIRST_RENDER_BUDGET_MS = 1000;

const h = useDutydesk();
const apiSession = (login) => apiSessionOf(h, login);
const newPage = (opts) => newPageOf(h, opts);
const signInByKeyboard = (page, login) => signInOf(h, page, login);

describe('serving the UI', () => {
  test('index.html with a strict CSP, revalidated; hashed assets cached for a year', async () => {
    const r = await fetch(`${h.base}/`);
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
    const again = await fetch(`${h.base}/`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);

    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')));
    let jsGzip = 0;
    for (const a of assets) {
      const ar = await fetch(`${h.base}${a}`);
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
        httpGet({ host: '127.0.0.1', port: new URL(h.base).port, path }, (res) => {
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
    await page.goto(`${h.base}/`);
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
    // The ticket card: open P1s and mine, each a link to its list.
    await page.locator('.tickets .dash-p1 h3 a').waitFor();
    assert.match(await page.locator('.tickets .dash-p1 h3 a').getAttribute('href'), /^#\/tickets\?q=prio%3A1/);
    // The P1 board (tests/browser/p1.test.mjs drives it).
    await page.locator('.p1-board').waitFor();
    await shot(page, 'dashboard');

    // First render on a fresh load with the session: from the start of
    // navigation to the duties on screen (data fetched and drawn).
    await page.goto(`${h.base}/?fresh=1#/`);
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
    await page.goto(`${h.base}/#/rota/${monday}`);
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
    await page.goto(`${h.base}/#/rota/${monday}`);
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

testCleanStop(h);
