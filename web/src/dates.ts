// Days are 'YYYY-MM-DD' strings in the organisation's time zone (the
// calendar's time_zone), as the API speaks them. Arithmetic on them is
// done in UTC, where every day has 24 hours.

/** Today in the time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function toUtc(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && fromUtc(toUtc(text)) === text;
}

export function addDays(day: string, n: number): string {
  const d = toUtc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fromUtc(d);
}

/** The Monday of day's week. */
export function mondayOf(day: string): string {
  const dow = (toUtc(day).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -dow);
}

/** ISO 8601 week number. */
export function isoWeek(day: string): number {
  const d = toUtc(day);
  const thursday = addDays(day, 3 - ((d.getUTCDay() + 6) % 7));
  const jan1 = toUtc(`${thursday.slice(0, 4)}-01-01`);
  return Math.floor((toUtc(thursday).getTime() - jan1.getTime()) / 86400000 / 7) + 1;
}

/** "Mon 30 Nov" / "Mo., 30. Nov." */
export function formatDay(day: string, lang: string, long = false): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone: 'UTC',
    weekday: long ? 'long' : 'short',
    day: 'numeric',
    month: long ? 'long' : 'short',
    ...(long ? { year: 'numeric' } : {}),
  }).format(toUtc(day));
}

/** "16:00" for an instant, in the time zone. */
export function formatTime(instant: string, lang: string, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(instant));
}
