// Reads a dutydesk iCalendar feed with ical.js (Mozilla's parser, which
// shares no code with libical) and checks it against what the C API test
// expects. The feed's own VTIMEZONE is the only time-zone data ical.js
// gets: nothing is registered with its TimezoneService, so the UTC
// instants below are computed from the VTIMEZONE dutydesk wrote.
//
//   FEED=feed.ics FEED_EXPECT=expect.json node --test feed.test.mjs
//
// expect.json: {"tzid": "Europe/Berlin", "calname": "...", "events":
// [{"uid", "summary", "start", "end", "start_utc", "end_utc"}, ...]} with
// local times as "2026-11-23T16:00:00" and UTC ones as ISO strings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import ICAL from 'ical.js';

const feedPath = process.env.FEED;
const expectPath = process.env.FEED_EXPECT;

function load() {
	assert.ok(feedPath, 'set FEED to the path of an .ics file');
	assert.ok(expectPath, 'set FEED_EXPECT to the path of a JSON file');
	const text = readFileSync(feedPath, 'utf8');
	const expect = JSON.parse(readFileSync(expectPath, 'utf8'));
	const cal = new ICAL.Component(ICAL.parse(text));
	return { text, expect, cal };
}

test('the feed is a VCALENDAR 2.0 with PRODID and the expected name', () => {
	const { text, expect, cal } = load();
	assert.equal(cal.name, 'vcalendar');
	assert.equal(cal.getFirstPropertyValue('version'), '2.0');
	assert.match(cal.getFirstPropertyValue('prodid'), /dutydesk/);
	assert.equal(cal.getFirstPropertyValue('x-wr-calname'), expect.calname);
	// RFC 5545 lines end in CRLF.
	assert.ok(text.includes('\r\n'));
	assert.ok(!/[^\r]\n/.test(text), 'a line ends in a bare LF');
});

test('the VTIMEZONE names the organisation zone', () => {
	const { expect, cal } = load();
	const zones = cal.getAllSubcomponents('vtimezone');
	assert.equal(zones.length, 1);
	assert.equal(zones[0].getFirstPropertyValue('tzid'), expect.tzid);
	assert.ok(zones[0].getAllSubcomponents().length >= 1);
});

test('events: count, UIDs, TZIDs, local and UTC times', () => {
	const { expect, cal } = load();
	const vevents = cal.getAllSubcomponents('vevent');
	assert.equal(vevents.length, expect.events.length);
	const uids = new Set();
	vevents.forEach((vevent, i) => {
		const want = expect.events[i];
		const event = new ICAL.Event(vevent);
		assert.equal(event.uid, want.uid, `event ${i}`);
		assert.match(event.uid, /^\d{8}-\d+@dutydesk$/);
		assert.ok(!uids.has(event.uid), `UID ${event.uid} repeats`);
		uids.add(event.uid);
		assert.equal(event.summary, want.summary, `event ${i}`);
		for (const [name, time] of [['dtstart', event.startDate],
			['dtend', event.endDate]]) {
			const prop = vevent.getFirstProperty(name);
			assert.equal(prop.getParameter('tzid'), expect.tzid);
			// Resolved to the feed's own VTIMEZONE, not floating.
			assert.ok(time.zone, `${name} of ${event.uid} has no zone`);
			assert.equal(time.zone.tzid, expect.tzid);
		}
		assert.equal(event.startDate.toString(), want.start, event.uid);
		assert.equal(event.endDate.toString(), want.end, event.uid);
		assert.equal(event.startDate.toJSDate().toISOString(),
			want.start_utc, event.uid);
		assert.equal(event.endDate.toJSDate().toISOString(),
			want.end_utc, event.uid);
		assert.ok(vevent.getFirstPropertyValue('dtstamp'));
		assert.ok(vevent.getFirstPropertyValue('last-modified'));
		assert.ok(Number.isInteger(vevent.getFirstPropertyValue('sequence')));
	});
});
