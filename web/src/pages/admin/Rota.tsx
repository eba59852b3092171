// The rota's settings (editors): duties, the business calendar and the
// organisation's roles, and public holidays (added one by one or
// imported from an iCalendar file or address).
import { useRef, useState } from 'preact/hooks';
import { etagOf, get, getAll, request, type Duty, type Holiday, type Person, type Settings } from '../../api';
import { Loading, OutcomeLine, ProblemBox, personOptions, useAction, useLoad, type Outcome } from '../../components';
import { formatDay, todayIn } from '../../dates';
import { useI18n, type MessageKey } from '../../i18n';
import { FormButtons } from './Customers';
import { Area, Check, Checks, Select, Text } from './fields';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const dayKeys: Record<string, MessageKey> = { mon: 'dayMon', tue: 'dayTue', wed: 'dayWed', thu: 'dayThu', fri: 'dayFri', sat: 'daySat', sun: 'daySun' };

export function DutiesAdmin() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(() => getAll<Duty>('/api/v1/duties'), []);
  const [editing, setEditing] = useState<Duty | null>(null);
  const [notice, setNotice] = useState<Outcome | null>(null);
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <>
      <section class="card" aria-labelledby="duties-h">
        <h2 id="duties-h">{t('dutiesTitle')}</h2>
        <div class="grid-wrap">
          <table class="compact admin-table">
            <thead>
              <tr>
                <th scope="col">{t('nameLabel')}</th>
                <th scope="col">{t('slotLabel')}</th>
                <th scope="col">{t('windowLabel')}</th>
                <th scope="col">{t('phoneLabel')}</th>
                <th scope="col">P1</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actionsCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>{d.slot === 0 ? t('slotFirst') : t('slotSecond')}</td>
                  <td>
                    {d.weekdays.map((w) => t(dayKeys[w])).join(', ')} {d.start}–{d.end}
                  </td>
                  <td>{d.phone ?? '—'}</td>
                  <td>{d.takes_p1 ? t('yes') : t('no')}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => { setNotice(null); setEditing(d); }} aria-label={t('editNamed', { name: d.name })}>
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
      <DutyForm
        key={editing?.id ?? 'new'}
        duty={editing}
        done={(text) => {
          setNotice(text ? { ok: true, text } : null);
          setEditing(null);
          reload();
        }}
      />
    </>
  );
}

function DutyForm({ duty, done }: { duty: Duty | null; done: (text?: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(duty?.name ?? '');
  const [description, setDescription] = useState(duty?.description ?? '');
  const [slot, setSlot] = useState(String(duty?.slot ?? 0));
  const [days, setDays] = useState<string[]>(duty?.weekdays ?? ['mon', 'tue', 'wed', 'thu', 'fri']);
  const [start, setStart] = useState(duty?.start ?? '16:00');
  const [end, setEnd] = useState(duty?.end ?? '18:00');
  const [phone, setPhone] = useState(duty?.phone ?? '');
  const [p1, setP1] = useState(duty?.takes_p1 ?? false);
  const { busy, outcome, run } = useAction();
  async function submit(e: Event) {
    e.preventDefault();
    const body = { name, description, slot: Number(slot), weekdays: weekdays.filter((w) => days.includes(w)), start, end, phone: phone.trim() || null, takes_p1: p1 };
    const ok = await run(async () => {
      if (duty) await request('PATCH', `/api/v1/duties/${duty.id}`, body, { 'If-Match': etagOf(duty.version) });
      else await request('POST', '/api/v1/duties', body);
      return null;
    });
    if (ok) done(t('savedNamed', { name }));
  }
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="duty-form-h">
      <h2 id="duty-form-h">{duty ? t('editNamed', { name: duty.name }) : t('dutyNew')}</h2>
      <div class="fields">
        <Text label={t('nameLabel')} name="duty-name" required maxLength={200} value={name} set={setName} />
        <Select label={t('slotLabel')} name="slot" value={slot} set={setSlot}>
          <option value="0">{t('slotFirst')}</option>
          <option value="1">{t('slotSecond')}</option>
        </Select>
        <Text label={t('windowStart')} name="start" type="time" required value={start} set={setStart} />
        <Text label={t('windowEnd')} name="end" type="time" required value={end} set={setEnd} />
        <Text label={t('phoneLabel')} name="duty-phone" type="tel" maxLength={64} value={phone} set={setPhone} hint={t('dutyPhoneHint')} />
      </div>
      <Checks legend={t('weekdaysLabel')} name="weekdays" options={weekdays.map((w) => ({ value: w, label: t(dayKeys[w]) }))} chosen={days} set={setDays} />
      <Check label={t('takesP1')} checked={p1} set={setP1} name="takes_p1" />
      <Area label={t('descriptionLabel')} name="duty-description" maxLength={2000} value={description} set={setDescription} />
      <FormButtons busy={busy} editing={!!duty} cancel={() => done()} />
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

export function CalendarAdmin() {
  const { data, error, reload } = useLoad(async () => {
    const [settings, people] = await Promise.all([get<Settings>('/api/v1/calendar'), getAll<Person>('/api/v1/people')]);
    return { settings, people };
  }, []);
  if (error) return <ProblemBox error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <>
      <SettingsForm key={JSON.stringify(data.settings)} settings={data.settings} people={data.people} reload={reload} />
      <HolidaysAdmin timeZone={data.settings.time_zone} />
    </>
  );
}

function SettingsForm({ settings, people, reload }: { settings: Settings; people: Person[]; reload: () => void }) {
  const { t } = useI18n();
  const [tz, setTz] = useState(settings.time_zone);
  const [days, setDays] = useState<string[]>(settings.workdays);
  const [coreStart, setCoreStart] = useState(settings.core_start);
  const [coreEnd, setCoreEnd] = useState(settings.core_end);
  const [warn, setWarn] = useState(String(settings.uncovered_warning_days));
  const [trailing, setTrailing] = useState(String(settings.trailing_weeks));
  const [coord, setCoord] = useState(String(settings.coordinator_id ?? ''));
  const [sub, setSub] = useState(String(settings.substitute_id ?? ''));
  const [head, setHead] = useState(String(settings.mailbox_head_id ?? ''));
  const [headSub, setHeadSub] = useState(String(settings.mailbox_substitute_id ?? ''));
  const { busy, outcome, run } = useAction();
  const id = (v: string) => (v ? Number(v) : null);
  async function submit(e: Event) {
    e.preventDefault();
    const ok = await run(async () => {
      await request('PUT', '/api/v1/calendar', {
        time_zone: tz,
        workdays: weekdays.filter((w) => days.includes(w)),
        core_start: coreStart,
        core_end: coreEnd,
        uncovered_warning_days: Number(warn),
        trailing_weeks: Number(trailing),
        coordinator_id: id(coord),
        substitute_id: id(sub),
        mailbox_head_id: id(head),
        mailbox_substitute_id: id(headSub),
      });
      return t('saved');
    });
    if (ok) reload();
  }
  const roleSelect = (label: string, name: string, value: string, set: (v: string) => void) => (
    <Select label={label} name={name} value={value} set={set}>
      <option value="">{t('nobody')}</option>
      {personOptions(people)}
    </Select>
  );
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="settings-h">
      <h2 id="settings-h">{t('calendarTitle')}</h2>
      <div class="fields">
        <Text label={t('timeZone')} name="time_zone" required maxLength={63} value={tz} set={setTz} hint={t('timeZoneHint')} />
        <Text label={t('coreStart')} name="core_start" type="time" required value={coreStart} set={setCoreStart} />
        <Text label={t('coreEnd')} name="core_end" type="time" required value={coreEnd} set={setCoreEnd} />
        <Text label={t('warningDays')} name="uncovered_warning_days" type="number" min={0} max={365} required value={warn} set={setWarn} />
        <Text label={t('trailingWeeks')} name="trailing_weeks" type="number" min={1} max={104} required value={trailing} set={setTrailing} />
      </div>
      <Checks legend={t('workdaysLabel')} name="workdays" options={weekdays.map((w) => ({ value: w, label: t(dayKeys[w]) }))} chosen={days} set={setDays} />
      <h3>{t('orgRoles')}</h3>
      <div class="fields">
        {roleSelect(t('coordinator'), 'coordinator', coord, setCoord)}
        {roleSelect(t('substitute'), 'substitute', sub, setSub)}
        {roleSelect(t('mailboxHead'), 'mailbox_head', head, setHead)}
        {roleSelect(t('mailboxSubstitute'), 'mailbox_substitute', headSub, setHeadSub)}
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

function HolidaysAdmin({ timeZone }: { timeZone: string }) {
  const { t, locale } = useI18n();
  const year = Number(todayIn(timeZone).slice(0, 4));
  const { data, error, reload } = useLoad(() => get<{ items: Holiday[] }>(`/api/v1/holidays?from=${year}-01-01&to=${year + 1}-12-31`), []);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const { busy, outcome, run } = useAction();

  async function add(e: Event) {
    e.preventDefault();
    const ok = await run(async () => {
      await request('POST', '/api/v1/holidays', { date, name });
      return t('holidayAdded', { name, date: formatDay(date, locale, true) });
    });
    if (ok) {
      setDate('');
      setName('');
      reload();
    }
  }
  async function remove(h: Holiday) {
    const ok = await run(async () => {
      await request('DELETE', `/api/v1/holidays/${h.id}`);
      return t('deletedNamed', { name: h.name });
    });
    if (ok) reload();
  }
  async function importIcs(e: Event) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    const ok = await run(async () => {
      const body = file ? { raw: await file.text(), type: 'text/calendar' } : { url };
      const { data: res } = await request<{ imported: number; skipped: number }>('POST', '/api/v1/holidays/import', body);
      return t('holidaysImported', { imported: res.imported, skipped: res.skipped });
    });
    if (ok) {
      setUrl('');
      if (fileRef.current) fileRef.current.value = '';
      reload();
    }
  }

  return (
    <section class="card" aria-labelledby="holidays-h">
      <h2 id="holidays-h">{t('holidaysTitle', { from: year, to: year + 1 })}</h2>
      {error ? <ProblemBox error={error} onRetry={reload} /> : null}
      {!data ? (
        !error && <Loading />
      ) : (
        <ul class="plain holiday-list">
          {data.items.map((h) => (
            <li key={h.id}>
              <strong>{formatDay(h.date, locale, true)}</strong> {h.name}{' '}
              <button type="button" class="secondary small" disabled={busy} onClick={() => remove(h)} aria-label={t('deleteNamed', { name: `${h.name} ${h.date}` })}>
                {t('delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="fields inline-form" onSubmit={add} aria-label={t('holidayAdd')}>
        <Text label={t('dayLabel')} name="holiday-date" type="date" required value={date} set={setDate} />
        <Text label={t('nameLabel')} name="holiday-name" required maxLength={200} value={name} set={setName} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('holidayAdd')}
          </button>
        </div>
      </form>
      <form class="import-form" onSubmit={importIcs} aria-labelledby="import-h">
        <h3 id="import-h">{t('holidaysImport')}</h3>
        <p class="muted">{t('holidaysImportHint')}</p>
        <div class="fields">
          <label>
            {t('icsFile')}
            <input type="file" name="ics" accept=".ics,text/calendar" ref={fileRef} />
          </label>
          <Text label={t('icsUrl')} name="ics-url" type="url" maxLength={2048} value={url} set={setUrl} />
        </div>
        <div class="actions">
          <button type="submit" class="secondary" disabled={busy}>
            {t('import')}
          </button>
        </div>
      </form>
      <OutcomeLine outcome={outcome} />
    </section>
  );
}
