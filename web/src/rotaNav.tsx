// The rota's pages, one row of links under the page title.
import { canEdit, type Role } from './api';
import { SubNav } from './components';
import { useI18n } from './i18n';

export type RotaSection = 'week' | 'month' | 'swaps' | 'absences' | 'sick' | 'jour-fixe' | 'calendars' | 'plan';

export function RotaNav({ current, role }: { current: RotaSection; role: Role }) {
  const { t } = useI18n();
  const items = [
    { id: 'week', href: '#/rota', text: t('rotaWeekTab') },
    { id: 'month', href: '#/rota/month', text: t('rotaMonthTab') },
    { id: 'swaps', href: '#/rota/swaps', text: t('rotaSwapsTab') },
    { id: 'absences', href: '#/rota/absences', text: t('rotaAbsencesTab') },
    { id: 'sick', href: '#/rota/sick', text: t('rotaSickTab') },
    { id: 'jour-fixe', href: '#/rota/jour-fixe', text: t('rotaJourFixeTab') },
    { id: 'calendars', href: '#/rota/calendars', text: t('rotaCalendarsTab') },
  ];
  if (canEdit(role)) items.push({ id: 'plan', href: '#/rota/plan', text: t('rotaPlanTab') });
  return <SubNav label={t('rotaSections')} items={items} current={current} />;
}
