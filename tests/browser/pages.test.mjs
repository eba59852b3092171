// The web UI's pages beyond the foundation, end to end in chromium
// against a real dutydesk with the demo organisation (harness.mjs): phone
// intake, the ticket list and page (search, views, filters, bulk
// assignment, CSV, notes with files, status with ETags and the 412
// message, merge), markup in a subject rendered as text, the reports with
// their charts, the rota's month, swaps between two people, absences and
// uncovered days, "sick today" with cover, the jour fixe, calendar feeds,
// planning, administration, and a viewer without edit controls whose
// writes the API refuses. Every main page is photographed.
//
// The tests of this file run in order and build on each other's data
// (the reports count the minutes the note test wrote).
//
// Run from the repository root: node --test tests/browser/
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { XSS, addDays, apiSession, mondayOf, newPage, shot, signInByKeyboard, testCleanStop, todayIn, useDutydesk } from './harness.mjs';

const h = useDutydesk();

/** A ticket made through the API. */
async function ticketVia(api, body) {
  const r = await api.call('POST', '/api/v1/tickets', body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

/** Fetch path with the page's own session (its cookie). */
function pageFetch(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(p);
    return { status: r.status, type: r.headers.get('Content-Type'), disposition: r.headers.get('Content-Disposition'), text: await r.text() };
  }, path);
}

describe('pages', () => {
  let admin;
  let basics;
  let today;

  /** The published assignments of the week that starts monday. */
  async function weekDays(monday) {
    const r = await admin.call('GET', `/api/v1/rota/days?from=${monday}&to=${addDays(monday, 6)}`);
    assert.equal(r.status, 200);
    return r.json.items.filter((i) => i.person_id && !i.draft);
  }

  const login = (id) => basics.people.get(id).login;
  const name = (id) => basics.people.get(id).name;

  before(async () => {
    admin = await apiSession(h, 'hbrandt');
    const cal = await admin.call('GET', '/api/v1/calendar');
    const people = await admin.call('GET', '/api/v1/people?limit=500');
    const duties = await admin.call('GET', '/api/v1/duties');
    const members = await admin.call('GET', '/api/v1/rota/members');
    basics = {
      tz: cal.json.time_zone,
      people: new Map(people.json.items.map((p) => [p.id, p])),
      byLogin: new Map(people.json.items.map((p) => [p.login, p])),
      duties: duties.json.items,
      members: members.json.items.map((m) => m.person_id),
    };
    today = todayIn(basics.tz);
    // Some tickets of every channel, so that lists and charts have data.
    for (const [subject, channel, priority] of [
      ['Rechnung März fehlt', 'email', 3],
      ['VPN-Zugang gesperrt', 'phone', 2],
      ['Portal langsam', 'web', 3],
      ['Monitoring meldet Ausfall', 'api', 1],
    ]) {
      await ticketVia(admin, { subject, channel, priority });
    }
  });

  test('phone intake: the caller is looked up while typed, Enter creates the ticket; it is in the list and on its page', async () => {
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'skrueger');
    await page.getByRole('link', { name: 'Phone' }).click();
    await page.getByRole('heading', { name: 'Take a call', level: 1 }).waitFor();
    const started = Date.now();
    // The number field has the focus: the person just types.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'caller');
    await page.keyboard.type('+49 821 3300 115');
    await page.locator('.found[data-matched="contact"]').waitFor();
    assert.equal(await page.locator('.found-contact').innerText(), 'Stefan Huber');
    assert.equal(await page.locator('.found-org').innerText(), 'Isarwerk Stadtwerke');
    await shot(page, 'phone-intake');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Leitstand zeigt keine Messwerte');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('seit 9 Uhr, Netzwerk prüfen');
    await page.keyboard.press('Enter');
    const created = page.locator('.created');
    await created.waitFor();
    const seconds = (Date.now() - started) / 1000;
    console.log(`phone intake: ticket created ${seconds.toFixed(1)} s after the page opened`);
    assert.ok(seconds < 10, `the phone intake took ${seconds} s`);
    const number = Number(/#(\d+)/.exec(await created.innerText())[1]);
    // Ready for the next call: empty, the number field focused.
    assert.equal(await page.locator('input[name="caller"]').inputValue(), '');
    assert.equal(await page.locator('textarea[name="note"]').inputValue(), '');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'caller');
    await shot(page, 'phone-intake-created');

    const t = await admin.call('GET', `/api/v1/ticket-numbers/${number}`);
    assert.equal(t.status, 200);
    assert.equal(t.json.channel, 'phone');
    assert.equal(t.json.subject, 'Leitstand zeigt keine Messwerte');
    assert.equal(t.json.caller_phone, '+498213300115');
    const contact = await admin.call('GET', `/api/v1/contacts/${t.json.contact_id}`);
    assert.equal(contact.json.name, 'Stefan Huber');

    // The ticket's page, through the link.
    await page.getByRole('link', { name: `Open ticket #${number}` }).click();
    await page.locator('.ticket-subject').waitFor();
    assert.equal(await page.locator('.ticket-subject').innerText(), 'Leitstand zeigt keine Messwerte');
    const note = page.locator('.art.kind-phone_note');
    assert.match(await note.innerText(), /Leitstand zeigt keine Messwerte\nseit 9 Uhr, Netzwerk prüfen/);
    assert.match(await note.locator('.badge.vis').innerText(), /internal/);
    assert.match(await page.locator('.ticket-side').innerText(), /Stefan Huber/);
    assert.match(await page.locator('.ticket-side').innerText(), /Isarwerk Stadtwerke/);

    // And in the list.
    await page.getByRole('link', { name: 'Tickets', exact: true }).click();
    await page.locator(`tr[data-number="${number}"]`).waitFor();
    assert.match(await page.locator(`tr[data-number="${number}"]`).innerText(), /Leitstand zeigt keine Messwerte/);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a subject and a note written as markup render as text on the list and the ticket page', async () => {
    const ticket = await ticketVia(admin, { subject: XSS, priority: 2 });
    const a = await admin.call('POST', `/api/v1/tickets/${ticket.id}/articles`, { kind: 'internal_note', body: `note ${XSS}` });
    assert.equal(a.status, 201);
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'mvogel');
    await page.goto(`${h.base}/#/tickets?q=number:${ticket.number}`);
    const row = page.locator(`tr[data-number="${ticket.number}"]`);
    await row.waitFor();
    assert.equal(await row.locator('td.subject a').innerText(), XSS);
    await page.goto(`${h.base}/#/tickets/${ticket.number}`);
    await page.locator('.ticket-subject').waitFor();
    assert.equal(await page.locator('.ticket-subject').innerText(), XSS);
    assert.equal(await page.locator('.art-body').first().innerText(), `note ${XSS}`);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('.history li').first().waitFor();
    await page.waitForTimeout(300); // time for an injected onerror to fire
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(page.dialogs, []);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('an internal note with minutes and a file; a status change; a stale copy gets the 412 message and saves nothing', async () => {
    const ticket = await ticketVia(admin, { subject: 'Drucker im Lager streikt', priority: 3, channel: 'phone' });
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'mvogel');
    await page.goto(`${h.base}/#/tickets/${ticket.number}`);
    await page.locator('.composer').waitFor();
    // An internal note is the default, and says so.
    assert.equal(await page.getByRole('radio', { name: 'Internal note' }).isChecked(), true);
    assert.match(await page.locator('.compose-hint').innerText(), /Only colleagues/);
    await page.getByLabel('Text').fill('Toner getauscht, Treiber neu installiert.');
    await page.getByLabel('Minutes worked').fill('15');
    await page.getByLabel('Attach files').setInputFiles({ name: 'Störungsbericht.txt', mimeType: 'text/plain', buffer: Buffer.from('Fehler 0x42\n') });
    await page.getByRole('button', { name: 'Add to the ticket' }).click();
    await page.getByText('Added to the ticket.').waitFor();
    const art = page.locator('.art.kind-internal_note');
    await art.waitFor();
    assert.match(await art.innerText(), /Toner getauscht/);
    assert.match(await art.innerText(), /15 min worked/);
    assert.match(await art.locator('.badge.vis').innerText(), /internal – not for the customer/);
    const link = art.locator('.files a');
    assert.equal(await link.innerText(), 'Störungsbericht.txt');
    const file = await pageFetch(page, await link.getAttribute('href'));
    assert.equal(file.status, 200);
    assert.equal(file.text, 'Fehler 0x42\n');

    const arts = await admin.call('GET', `/api/v1/tickets/${ticket.id}/articles`);
    const mine = arts.json.items.find((x) => x.kind === 'internal_note');
    assert.equal(mine.visibility, 'internal');
    assert.equal(mine.minutes, 15);
    assert.equal(mine.author_id, basics.byLogin.get('mvogel').id);

    // Status: new -> open, with the ETag the page holds.
    await page.locator('select[name="status"]').selectOption('open');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.ticket-meta [data-field="status"]', { hasText: 'open' }).waitFor();
    assert.equal((await admin.call('GET', `/api/v1/tickets/${ticket.id}`)).json.status, 'open');
    await shot(page, 'ticket');

    // Someone else changes the ticket meanwhile: this page's copy is
    // stale, its change is refused with a clear message.
    const now = await admin.call('GET', `/api/v1/tickets/${ticket.id}`);
    const other = await admin.call('PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 2 }, { 'If-Match': now.headers.get('etag') });
    assert.equal(other.status, 200);
    await page.locator('select[name="status"]').selectOption('pending');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.locator('.properties [role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Someone else changed this ticket/);
    assert.equal((await admin.call('GET', `/api/v1/tickets/${ticket.id}`)).json.status, 'open');
    await page.getByRole('button', { name: 'Reload the ticket' }).click();
    await page.locator('.ticket-meta [data-field="priority"]', { hasText: 'P2' }).waitFor();
    await page.locator('select[name="status"]').selectOption('pending');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.ticket-meta [data-field="status"]', { hasText: 'pending' }).waitFor();
    assert.equal((await admin.call('GET', `/api/v1/tickets/${ticket.id}`)).json.status, 'pending');

    // The history names both changes.
    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('.history li[data-action="ticket.update"]').first().waitFor();
    assert.match(await page.locator('.history').innerText(), /status: open → pending/);
    assert.deepEqual(page.errors.filter((e) => !/412/.test(e)), []);
    await context.close();
  });

  test('the search box finds a ticket; filters edit the query; views have counts; the CSV export; bulk assignment', async () => {
    const wanted = await ticketVia(admin, { subject: 'Quxfrobnitz-Störung im Rechenzentrum', priority: 3 });
    const other = await ticketVia(admin, { subject: 'Quxfrobnitz Ersatzteil bestellt', priority: 4 });
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'mvogel');
    await page.getByRole('link', { name: 'Tickets', exact: true }).click();
    await page.locator('.views .view[data-view="unassigned"] .count').waitFor();
    // The views' counts are the API's.
    const views = await (await apiSession(h, 'mvogel')).call('GET', '/api/v1/tickets/views');
    for (const v of views.json.items.slice(0, 5)) {
      assert.equal(await page.locator(`.views .view[data-view="${v.id}"] .count`).innerText(), String(v.count), v.id);
    }
    await shot(page, 'tickets');

    // Words fold: "stoerung" finds "Störung"; a phrase keeps order.
    const box = page.getByLabel('Search tickets');
    await box.fill('quxfrobnitz stoerung');
    await box.press('Enter');
    await page.waitForURL(/#\/tickets\?q=quxfrobnitz\+stoerung/);
    await page.locator(`tr[data-number="${wanted.number}"]`).waitFor();
    await page.getByText('one ticket').waitFor();
    assert.equal(await page.locator(`tr[data-number="${other.number}"]`).count(), 0);
    await box.fill('"quxfrobnitz ersatzteil"');
    await box.press('Enter');
    await page.locator(`tr[data-number="${other.number}"]`).waitFor();
    assert.equal(await page.locator(`tr[data-number="${wanted.number}"]`).count(), 0);
    // A bad query says what is wrong.
    await box.fill('frobnitz:1');
    await box.press('Enter');
    await page.getByRole('alert').filter({ hasText: /unknown filter 'frobnitz'/ }).waitFor();

    // A filter writes its term into the query.
    await box.fill('quxfrobnitz');
    await box.press('Enter');
    await page.locator(`tr[data-number="${other.number}"]`).waitFor();
    await page.locator('select[name="prio"]').selectOption('4');
    await page.waitForURL(/prio%3A4/);
    await page.waitForFunction(() => document.querySelector('input[name="q"]').value === 'quxfrobnitz prio:4');
    await page.locator(`tr[data-number="${wanted.number}"]`).waitFor({ state: 'detached' });
    await page.locator(`tr[data-number="${other.number}"]`).waitFor();
    await page.locator('select[name="prio"]').selectOption('');
    await page.locator(`tr[data-number="${wanted.number}"]`).waitFor();

    // The CSV export of the list as shown.
    const csv = await pageFetch(page, await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href'));
    assert.equal(csv.status, 200);
    assert.match(csv.type, /^text\/csv/);
    assert.match(csv.disposition, /attachment; filename="tickets.csv"/);
    assert.match(csv.text, /^number,subject,status/);
    assert.ok(csv.text.includes(`${wanted.number},Quxfrobnitz-Störung im Rechenzentrum,`));
    assert.ok(csv.text.includes(`${other.number},`));

    // Bulk: both to Tobias Lang in "Support management".
    await page.getByLabel(`Select ticket #${wanted.number}`).check();
    await page.getByLabel(`Select ticket #${other.number}`).check();
    const bulk = page.locator('form.bulk');
    await bulk.getByLabel('New owner').selectOption({ label: 'Tobias Lang' });
    await bulk.getByLabel('New queue').selectOption({ label: 'Support management' });
    await bulk.getByRole('button', { name: 'Apply to the selection' }).click();
    await page.getByText('2 tickets changed.').waitFor();
    for (const tk of [wanted, other]) {
      const got = (await admin.call('GET', `/api/v1/tickets/${tk.id}`)).json;
      assert.equal(got.owner_id, basics.byLogin.get('tlang').id);
      assert.equal(basics.people.has(got.owner_id), true);
    }
    await page.locator(`tr[data-number="${wanted.number}"]`, { hasText: 'Tobias Lang' }).waitFor();

    // On a phone: no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the ticket list is ${overflow}px wider than a phone`);
    await shot(page, 'tickets-phone');
    assert.deepEqual(page.errors.filter((e) => !/400/.test(e)), []);
    await context.close();
  });

  test('merge a duplicate into another ticket', async () => {
    const into = await ticketVia(admin, { subject: 'Kasse am Drehkreuz defekt' });
    const dup = await ticketVia(admin, { subject: 'Drehkreuz-Kasse geht nicht' });
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'abecker');
    await page.goto(`${h.base}/#/tickets/${dup.number}`);
    await page.getByLabel('Into ticket number').fill(String(into.number));
    await page.getByRole('button', { name: 'Find ticket' }).click();
    await page.getByRole('button', { name: `Merge into #${into.number}` }).click();
    await page.waitForURL(new RegExp(`#/tickets/${into.number}$`));
    await page.locator('.ticket-subject', { hasText: 'Kasse am Drehkreuz defekt' }).waitFor();
    const src = (await admin.call('GET', `/api/v1/tickets/${dup.id}`)).json;
    assert.equal(src.merged_into, into.id);
    assert.equal(src.status, 'closed');
    // The duplicate's number leads to the ticket it went into.
    await page.goto(`${h.base}/#/tickets/${dup.number}`);
    await page.getByText(`Ticket #${dup.number} was merged into #${into.number}`).waitFor();
    await context.close();
  });

  test('reports: duty hours as a chart and a table, tickets per week by channel, time accounting, CSV downloads', async () => {
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'hbrandt');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.locator('svg.hbar rect.bar').first().waitFor();
    const month = today.slice(0, 7);
    const hours = (await admin.call('GET', `/api/v1/rota/hours?month=${month}`)).json;
    assert.ok(hours.items.length > 0);
    // A row per person, in the chart and the table.
    assert.equal(await page.locator('svg.hbar g.chart-row').count(), hours.items.length);
    for (const p of hours.items) {
      const row = page.locator('.hours-table tbody tr', { hasText: p.name });
      assert.equal(await row.locator('td').nth(1).innerText(), String(p.hours));
    }
    assert.match(await page.locator('svg.hbar').getAttribute('aria-labelledby'), /hours-chart-t/);

    // Tickets per week: the bars of this week add up to the API's count.
    await page.locator('svg.vbar rect.bar').first().waitFor({ state: 'attached' });
    const weeks = (await admin.call('GET', '/api/v1/reports/tickets')).json;
    const last = weeks.weeks[weeks.weeks.length - 1];
    assert.ok(last.total >= 8, `this week has ${last.total} tickets`);
    const cols = page.locator('svg.vbar[aria-labelledby^="weeks-chart"] g.chart-col');
    assert.equal(await cols.count(), weeks.weeks.length);
    const tall = await cols.last().locator('rect.bar').evaluateAll((rs) => rs.filter((r) => Number(r.getAttribute('height')) > 0).length);
    assert.equal(tall, ['phone', 'email', 'web', 'api'].filter((c) => last[c] > 0).length);
    await page.locator('section.report', { has: page.locator('#weeks-h') }).getByText('Show the numbers as a table').click();
    assert.match(await page.locator('.weeks-table tbody tr').last().innerText(), new RegExp(`\\b${last.total}$`));

    // P1 time to acknowledge and to resolve: a column per week in both
    // charts, and the table's triggered counts are the API's.
    const p1 = (await admin.call('GET', '/api/v1/reports/p1')).json;
    for (const kind of ['acknowledge', 'resolve']) {
      assert.equal(await page.locator(`svg.vbar[aria-labelledby^="p1-${kind}-chart"] g.chart-col`).count(), p1.weeks.length);
    }
    await page.locator('section.report', { has: page.locator('#p1r-h') }).getByText('Show the numbers as a table').click();
    const p1Rows = page.locator('.p1-table tbody tr');
    assert.equal(await p1Rows.count(), p1.weeks.length);
    assert.equal(await p1Rows.last().locator('td').first().innerText(), String(p1.weeks[p1.weeks.length - 1].triggered));

    // Time accounting per person: the 15 minutes of the note test.
    const row = page.locator('.time-table tbody tr', { hasText: 'Mirko Vogel' });
    await row.waitFor();
    assert.equal(await row.locator('td').first().innerText(), '15');
    await shot(page, 'reports');

    for (const link of await page.getByRole('link', { name: 'Download CSV' }).all()) {
      const got = await pageFetch(page, await link.getAttribute('href'));
      assert.equal(got.status, 200, await link.getAttribute('href'));
      assert.match(got.type, /^text\/csv/);
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('the rota month: coloured duties, today marked; an absence makes a day uncovered, highlighted in the month', async () => {
    // A duty day two weeks ahead, and its holder, a viewer.
    const monday = addDays(mondayOf(today), 14);
    const item = (await weekDays(monday))[0];
    const holder = login(item.person_id);
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, holder);
    await page.goto(`${h.base}/#/rota/absences`);
    await page.getByRole('heading', { name: 'Enter an absence' }).waitFor();
    await page.getByLabel('Kind').selectOption('vacation');
    await page.getByLabel('First day').fill(item.day);
    await page.getByLabel('Last day').fill(item.day);
    await page.getByLabel('Note').fill('Hochzeit');
    await page.getByRole('button', { name: 'Enter absence' }).click();
    await page.getByText(/^Absence entered/).waitFor();
    const unc = page.locator(`.unc-item[data-day="${item.day}"][data-duty-id="${item.duty_id}"]`);
    await unc.waitFor();
    assert.match(await unc.innerText(), new RegExp(`${name(item.person_id)} is away \\(vacation\\)`));
    assert.match(await page.locator('.absence-table').innerText(), /Hochzeit/);
    const abs = await admin.call('GET', `/api/v1/absences?person_id=${item.person_id}`);
    assert.ok(abs.json.items.some((a) => a.first_day === item.day && a.kind === 'vacation'));
    await shot(page, 'rota-absences');

    // The month of that day: the day is highlighted, its chip marked.
    await page.goto(`${h.base}/#/rota/month/${item.day.slice(0, 7)}`);
    const cell = page.locator(`td.mday[data-day="${item.day}"]`);
    await cell.waitFor();
    assert.match(await cell.getAttribute('class'), /has-uncovered/);
    assert.equal(await cell.locator(`.chip.uncovered[data-duty-id="${item.duty_id}"]`).count(), 1);
    assert.match(await cell.locator(`.chip[data-duty-id="${item.duty_id}"]`).getAttribute('class'), /duty-c[0-5]/);
    await context.close();

    // Someone else volunteers for it from the absences page.
    const others = basics.members.filter((id) => id !== item.person_id);
    const dayItems = (await weekDays(monday)).filter((d) => d.day === item.day).map((d) => d.person_id);
    const helper = others.find((id) => !dayItems.includes(id));
    const second = await newPage(h);
    await signInByKeyboard(h, second.page, login(helper));
    await second.page.goto(`${h.base}/#/rota/absences`);
    const mine = second.page.locator(`.unc-item[data-day="${item.day}"][data-duty-id="${item.duty_id}"]`);
    await mine.getByRole('button', { name: "I'll take it" }).click();
    await mine.waitFor({ state: 'detached' });
    const now = await admin.call('GET', `/api/v1/rota/days?from=${item.day}&to=${item.day}`);
    const held = now.json.items.find((d) => d.duty_id === item.duty_id);
    assert.equal(held.person_id, helper);
    assert.equal(held.reason, 'replacement');
    await second.page.goto(`${h.base}/#/rota/month`);
    await second.page.locator('td.mday.is-today').waitFor();
    await shot(second.page, 'rota-month');
    await second.context.close();
  });

  test('swaps: one person asks, the other accepts in their own browser; the rota follows', async () => {
    const monday = addDays(mondayOf(today), 7);
    const days = await weekDays(monday);
    const item = days[days.length - 1];
    const requester = item.person_id;
    const busy = days.filter((d) => d.day === item.day).map((d) => d.person_id);
    const absent = (await admin.call('GET', `/api/v1/absences?from=${item.day}&to=${item.day}`)).json.items.map((a) => a.person_id);
    const colleague = basics.members.find((id) => !busy.includes(id) && !absent.includes(id));
    assert.ok(colleague, 'a colleague free that day');

    const a = await newPage(h);
    await signInByKeyboard(h, a.page, login(requester));
    await a.page.goto(`${h.base}/#/rota/swaps`);
    const form = a.page.locator('form.swap-form');
    await form.waitFor();
    await form.getByLabel('Duty day').selectOption(`${item.day}|${item.duty_id}`);
    await form.getByLabel('Colleague').selectOption(String(colleague));
    await form.getByLabel('Note').fill('Zahnarzt');
    await form.getByRole('button', { name: 'Send the request' }).click();
    await a.page.getByText(`${name(colleague)} is asked.`).waitFor();
    await a.page.locator('.swap-list .swap-open').first().waitFor();

    const b = await newPage(h);
    await signInByKeyboard(h, b.page, login(colleague));
    await b.page.goto(`${h.base}/#/rota/swaps`);
    const ask = b.page.locator('section', { has: b.page.getByRole('heading', { name: 'Asked of you' }) }).locator('li.swap');
    await ask.waitFor();
    assert.match(await ask.innerText(), new RegExp(`asked by ${name(requester)}`));
    assert.match(await ask.innerText(), /Zahnarzt/);
    await shot(b.page, 'rota-swaps');
    await ask.getByRole('button', { name: 'Accept' }).click();
    await ask.waitFor({ state: 'detached' });

    const now = await admin.call('GET', `/api/v1/rota/days?from=${item.day}&to=${item.day}`);
    const held = now.json.items.find((d) => d.duty_id === item.duty_id);
    assert.equal(held.person_id, colleague);
    assert.equal(held.reason, 'swap');
    // The requester sees it accepted, and the week view shows the swap.
    await a.page.reload();
    await a.page.locator('.swap-list .swap-accepted').first().waitFor();
    await a.page.goto(`${h.base}/#/rota/${monday}`);
    const cell = a.page.locator(`tr[data-day="${item.day}"] td[data-duty-id="${item.duty_id}"]`);
    await cell.waitFor();
    assert.equal(await cell.locator('.person-name').innerText(), name(colleague));
    assert.match(await cell.innerText(), /swap/);
    await a.context.close();
    await b.context.close();
  });

  test('sick: an editor reports someone sick on a duty day; a ranked candidate takes it', async () => {
    const monday = addDays(mondayOf(today), 21);
    const item = (await weekDays(monday))[0];
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'mvogel');
    await page.goto(`${h.base}/#/rota/sick`);
    await page.getByRole('heading', { name: 'I am sick today', level: 2 }).waitFor();
    await page.locator('select[name="sick-person"]').selectOption(String(item.person_id));
    await page.locator('input[name="sick-day"]').fill(item.day);
    await page.getByRole('button', { name: 'Report sick' }).click();
    await page.getByRole('button', { name: 'Yes, report sick' }).click();
    await page.getByText(/cover requests? went out/).waitFor();
    const req = (await admin.call('GET', '/api/v1/rota/cover-requests?status=open')).json.items.find(
      (r) => r.day === item.day && r.duty_id === item.duty_id,
    );
    assert.ok(req, 'a cover request');
    const li = page.locator(`li.cover[data-cover-id="${req.id}"]`);
    await li.waitFor();
    assert.equal(await li.locator('.candidates li').count(), req.candidates.length);
    assert.ok(req.candidates.length > 0);
    assert.match(await li.locator('.candidates li').first().innerText(), new RegExp(req.candidates[0].name));
    await shot(page, 'rota-sick');
    await context.close();

    const first = req.candidates[0];
    const c = await newPage(h);
    await signInByKeyboard(h, c.page, first.login);
    await c.page.goto(`${h.base}/#/rota/sick`);
    const mine = c.page.locator(`li.cover[data-cover-id="${req.id}"]`);
    await mine.getByRole('button', { name: 'I take it' }).click();
    await c.page.locator(`li.cover-filled[data-cover-id="${req.id}"]`).waitFor();
    const held = (await admin.call('GET', `/api/v1/rota/days?from=${item.day}&to=${item.day}`)).json.items.find((d) => d.duty_id === item.duty_id);
    assert.equal(held.person_id, first.person_id);
    assert.equal(held.reason, 'sick cover');
    await c.context.close();
  });

  test('the jour fixe and calendar feeds: subscribe to my duty days (shown once), revoke', async () => {
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'tlang');
    await page.goto(`${h.base}/#/rota/jour-fixe`);
    await page.locator('.jf-next .pair').waitFor();
    const jf = (await admin.call('GET', '/api/v1/rota/jour-fixe')).json;
    if (jf.next_week.first_person) assert.match(await page.locator('.jf-next .pair').innerText(), new RegExp(jf.next_week.first_person.name));
    // The absence and the swap of the tests before are on the agenda
    // when they fall in its four weeks.
    assert.equal(await page.locator('[data-edit]').count(), 0, 'a viewer cannot publish');
    await shot(page, 'rota-jour-fixe');

    await page.goto(`${h.base}/#/rota/calendars`);
    await page.getByRole('button', { name: 'My duty days' }).click();
    const url = page.locator('input.feed-url');
    await url.waitFor();
    const address = await url.inputValue();
    assert.match(address, new RegExp(`^${h.base}/ical/[A-Za-z0-9_-]{43}\\.ics$`));
    await shot(page, 'rota-calendars');
    const ics = await fetch(address);
    assert.equal(ics.status, 200);
    assert.match(await ics.text(), /^BEGIN:VCALENDAR/);
    // Not shown again: the list names the feed, not its address.
    await page.reload();
    await page.locator('.feed-list li').first().waitFor();
    assert.equal(await page.locator('input.feed-url').count(), 0);
    await page.locator('.feed-list li').first().getByRole('button', { name: 'Revoke' }).click();
    await page.getByText(/The feed is revoked/).waitFor();
    assert.equal((await fetch(address)).status, 404);
    await context.close();
  });

  test('planning: a fair proposal reviewed, saved as drafts and published', async () => {
    const first = addDays(mondayOf(today), 7 * 30); // past the demo's plan
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'mvogel');
    await page.getByRole('link', { name: 'Rota' }).click();
    await page.getByRole('link', { name: 'Planning' }).click();
    await page.getByLabel('From the week of').fill(first);
    await page.getByLabel('Weeks', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Propose' }).click();
    const rows = page.locator('.proposal-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    assert.match(await rows.first().innerText(), /&/);
    await page.getByRole('button', { name: 'Save as drafts' }).click();
    await page.getByText('3 weeks saved as drafts.').waitFor();
    await page.locator(`.draft-list li[data-week="${first}"]`).waitFor();
    await shot(page, 'rota-plan');
    await page.getByRole('button', { name: /^Publish all/ }).click();
    await page.getByText(/weeks published\./).waitFor();
    for (let i = 0; i < 3; i++) {
      const w = await admin.call('GET', `/api/v1/rota/weeks/${addDays(first, 7 * i)}`);
      assert.equal(w.json.status, 'published');
    }
    await context.close();
  });

  test('administration: an admin creates a queue, a token shown once, imports holidays; an editor sees no people', async () => {
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'hbrandt');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Queues' }).click();
    const form = page.locator('form.queue-form');
    await form.getByLabel('Name').fill('Hardware-Tausch');
    await form.getByLabel('Description').fill('Defekte Geräte vor Ort');
    await form.getByLabel('Group').selectOption({ label: 'Support team' });
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Hardware-Tausch was created.').waitFor();
    await page.locator('.queue-table th', { hasText: 'Hardware-Tausch' }).waitFor();
    const queues = (await admin.call('GET', '/api/v1/queues')).json.items;
    assert.ok(queues.some((q) => q.name === 'Hardware-Tausch' && q.description === 'Defekte Geräte vor Ort'));
    await shot(page, 'admin-queues');

    // The new queue has a view in the ticket list.
    await page.goto(`${h.base}/#/tickets`);
    await page.locator('.views .view', { hasText: 'Hardware-Tausch' }).waitFor();

    // A token: its secret once, and it works.
    await page.goto(`${h.base}/#/admin/tokens`);
    await page.getByLabel('Acts for').selectOption({ label: 'Tobias Lang' });
    await page.locator('input[name="token-name"]').fill('Telefonanlage');
    await page.getByRole('button', { name: 'Create' }).click();
    const secret = await page.locator('input.token-secret').inputValue();
    assert.match(secret, /^ddt_[A-Za-z0-9_-]{43}$/);
    const who = await fetch(`${h.base}/api/v1/session`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal((await who.json()).person.login, 'tlang');
    await shot(page, 'admin-tokens');

    // Holidays from an iCalendar file.
    await page.goto(`${h.base}/#/admin/calendar`);
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//dutydesk test//EN',
      'BEGIN:VEVENT',
      'UID:betriebsausflug@example.org',
      'DTSTAMP:20260101T000000Z',
      `DTSTART;VALUE=DATE:${addDays(today, 200).replaceAll('-', '')}`,
      'SUMMARY:Betriebsausflug',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await page.getByLabel('File').setInputFiles({ name: 'ausflug.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('1 holidays imported, 0 already there.').waitFor();
    await page.locator('.holiday-list li', { hasText: 'Betriebsausflug' }).waitFor();
    await shot(page, 'admin-calendar');

    for (const section of ['customers', 'rules', 'people']) {
      await page.goto(`${h.base}/#/admin/${section}`);
      await page.locator('.admin-form').first().waitFor();
      await shot(page, `admin-${section}`);
    }
    assert.deepEqual(page.errors, []);
    await context.close();

    // An editor: administration without people, groups and tokens.
    const ed = await newPage(h);
    await signInByKeyboard(h, ed.page, 'mvogel');
    await ed.page.getByRole('link', { name: 'Administration' }).click();
    await ed.page.locator('.subnav a', { hasText: 'Customers' }).waitFor();
    for (const hidden of ['People', 'Groups', 'API tokens']) assert.equal(await ed.page.locator('.subnav a', { hasText: hidden }).count(), 0, hidden);
    await ed.context.close();
  });

  test('a viewer (jweber) sees no edit controls for the rota, the organisation or administration; the API refuses such writes', async () => {
    const { context, page } = await newPage(h);
    await signInByKeyboard(h, page, 'jweber');
    // No administration in the navigation; its address says why.
    assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0);
    await page.goto(`${h.base}/#/admin/queues`);
    await page.getByRole('alert').filter({ hasText: 'Administration is for editors and admins.' }).waitFor();
    assert.equal(await page.locator('main form, main input, main select, main textarea, main button').count(), 0);

    // The rota: no planning, no pair form, no publishing.
    await page.goto(`${h.base}/#/rota`);
    await page.locator('.rota-grid tbody tr').first().waitFor();
    assert.equal(await page.locator('.subnav a', { hasText: 'Planning' }).count(), 0);
    assert.equal(await page.locator('[data-edit], main form').count(), 0);
    await page.goto(`${h.base}/#/rota/month`);
    await page.locator('td.mday').first().waitFor();
    assert.equal(await page.locator('main form, main input, main select, main textarea').count(), 0);
    await page.goto(`${h.base}/#/rota/plan`);
    await page.getByRole('alert').filter({ hasText: 'Planning the rota is for editors.' }).waitFor();
    assert.equal(await page.locator('main form, main input, main select').count(), 0);
    await page.goto(`${h.base}/#/rota/jour-fixe`);
    await page.locator('.jf-next').waitFor();
    assert.equal(await page.locator('[data-edit]').count(), 0);
    // Reporting someone else sick or planning for others is not offered.
    await page.goto(`${h.base}/#/rota/sick`);
    await page.getByRole('heading', { name: 'I am sick today', level: 2 }).waitFor();
    assert.equal(await page.locator('select[name="sick-person"]').count(), 0);

    // A ticket: the work a support person does is theirs (the API lets
    // every signed-in person work tickets), but no editor's links.
    const tk = await ticketVia(admin, { subject: 'Viewer test' });
    await page.goto(`${h.base}/#/tickets/${tk.number}`);
    await page.locator('.ticket-subject').waitFor();
    assert.equal(await page.locator('[data-edit]').count(), 0);

    // The page's own session, straight to the API: refused.
    const answers = await page.evaluate(async (week) => {
      const s = await (await fetch('/api/v1/session')).json();
      const send = (method, path, body) =>
        fetch(path, {
          method,
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, type: (await r.json()).type }));
      return [
        await send('PUT', `/api/v1/rota/weeks/${week}`, { first_person_id: 6, second_person_id: 7 }),
        await send('POST', '/api/v1/queues', { name: 'Sneaky' }),
        await send('POST', '/api/v1/organisations', { name: 'Sneaky GmbH' }),
        await send('POST', '/api/v1/people', { login: 'sneaky', name: 'Sneaky', email: 'sneaky@example.org' }),
        await send('PUT', '/api/v1/calendar', { trailing_weeks: 2 }),
      ];
    }, mondayOf(today));
    for (const a of answers) {
      assert.equal(a.status, 403);
      assert.equal(a.type, 'urn:dutydesk:problem:forbidden');
    }
    assert.ok(!(await admin.call('GET', '/api/v1/queues')).json.items.some((q) => q.name === 'Sneaky'));
    await context.close();
  });

  test('every main page in German, on a phone, without sideways scrolling', async () => {
    const { context, page } = await newPage(h, { locale: 'de-DE', viewport: { width: 390, height: 844 } });
    await signInByKeyboard(h, page, 'hbrandt');
    const pages = ['#/tickets', '#/phone', '#/reports', '#/rota/month', '#/rota/swaps', '#/rota/absences', '#/rota/sick', '#/rota/jour-fixe', '#/rota/calendars', '#/rota/plan', '#/admin/customers', '#/admin/rules', '#/admin/calendar'];
    for (const p of pages) {
      await page.goto(`${h.base}/${p}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${p} is ${overflow}px wider than a phone`);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    }
    await page.goto(`${h.base}/#/phone`);
    await page.getByRole('heading', { name: 'Anruf aufnehmen', level: 1 }).waitFor();
    await page.getByLabel('Nummer des Anrufers').waitFor();
    await shot(page, 'phone-intake-de');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});

testCleanStop(h);
