// What every page needs besides its own data: the calendar (for the
// organisation's time zone), the duties and the people by id. Loaded
// with each page; they are small and change rarely, but a page should
// never show a stale name.
import { get, getAll, type Calendar, type Duty, type Person } from './api';

export interface Basics {
  calendar: Calendar;
  duties: Duty[];
  people: Map<number, Person>;
}

export async function loadBasics(): Promise<Basics> {
  const [calendar, duties, people] = await Promise.all([
    get<Calendar>('/api/v1/calendar'),
    getAll<Duty>('/api/v1/duties'),
    getAll<Person>('/api/v1/people'),
  ]);
  duties.sort((a, b) => a.slot - b.slot || a.id - b.id);
  return { calendar, duties, people: new Map(people.map((p) => [p.id, p])) };
}
