// Administration (#/admin/SECTION): editors manage the organisation's
// data (customers, queues, assignment rules, duties, calendar and
// holidays); admins also people, groups and API tokens. Loaded on
// demand: nobody else downloads this code, and the navigation does not
// offer it to viewers (the API refuses them anyway).
import { canEdit, isAdmin, type Person } from '../api';
import { PageTitle, SubNav, useLoad } from '../components';
import { loadBasics } from '../data';
import { useI18n, type MessageKey } from '../i18n';
import { CustomersAdmin, QueuesAdmin, RulesAdmin } from './admin/Customers';
import { GroupsAdmin, PeopleAdmin, TokensAdmin } from './admin/People';
import { CalendarAdmin, DutiesAdmin } from './admin/Rota';

export const adminSections: { id: string; key: MessageKey; admin: boolean }[] = [
  { id: 'customers', key: 'adminCustomers', admin: false },
  { id: 'queues', key: 'adminQueues', admin: false },
  { id: 'rules', key: 'adminRules', admin: false },
  { id: 'duties', key: 'adminDuties', admin: false },
  { id: 'calendar', key: 'adminCalendar', admin: false },
  { id: 'people', key: 'adminPeople', admin: true },
  { id: 'groups', key: 'adminGroups', admin: true },
  { id: 'tokens', key: 'adminTokens', admin: true },
];

export function Admin({ section, me }: { section: string; me: Person }) {
  const { t } = useI18n();
  const basics = useLoad(loadBasics, []);
  if (!canEdit(me.role)) {
    return (
      <section class="page admin">
        <PageTitle>{t('adminTitle')}</PageTitle>
        <p class="problem" role="alert">
          {t('adminForbidden')}
        </p>
      </section>
    );
  }
  const visible = adminSections.filter((s) => !s.admin || isAdmin(me.role));
  const current = visible.find((s) => s.id === section) ?? visible[0];
  const tz = basics.data?.calendar.time_zone ?? 'UTC';
  return (
    <section class="page admin">
      <PageTitle>{t('adminTitle')}</PageTitle>
      <SubNav label={t('adminSections')} current={current.id} items={visible.map((s) => ({ id: s.id, href: `#/admin/${s.id}`, text: t(s.key) }))} />
      {current.id === 'customers' && <CustomersAdmin />}
      {current.id === 'queues' && <QueuesAdmin />}
      {current.id === 'rules' && <RulesAdmin />}
      {current.id === 'duties' && <DutiesAdmin />}
      {current.id === 'calendar' && <CalendarAdmin />}
      {current.id === 'people' && <PeopleAdmin />}
      {current.id === 'groups' && <GroupsAdmin />}
      {current.id === 'tokens' && <TokensAdmin timeZone={tz} />}
    </section>
  );
}
