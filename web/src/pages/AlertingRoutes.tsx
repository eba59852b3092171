// The addresses of the alerting (and mailbox) pages, kept here so that
// app.tsx needs one call for them:
//   #/alerts                           P1 history
//   #/alerts/ID                        one alert with its page log
//   #/alerting/policies                escalation policies
//   #/alerting/settings                alerting settings
//   #/alerting/contact-methods[/ID]    my (or, for editors, anyone's) contact methods
//   #/alerting/shifts                  shift-start notices and readiness
//   #/mail                             the mailbox's triage queue
//   #/mail/failed                      messages not parsed or not processed
//   #/mail/messages/ID                 one stored message, with Reprocess
//   #/mail/settings                    the mailbox settings (editors read, admins change)
import type { VNode } from 'preact';
import type { Session } from '../api';
import { useI18n } from '../i18n';
import { AlertDetail, AlertList } from './Alerts';
import { AlertSettingsPage } from './AlertSettingsPage';
import { ContactMethods } from './ContactMethods';
import { Policies } from './Policies';
import { FailedMail, MailMessagePage, MailSettingsPage } from './MailPages';
import { Shifts } from './Shifts';
import { Triage } from './Triage';

function id(text: string | undefined): number | null {
  return text && /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : null;
}

/** The page for the fragment's parts, or null when it is not ours. */
export function alertingPage(parts: string[], session: Session, go: (h: string) => void): VNode | null {
  const role = session.person.role;
  if (parts[0] === 'alerts') {
    const alertId = id(parts[1]);
    return alertId ? <AlertDetail id={alertId} /> : <AlertList />;
  }
  if (parts[0] === 'mail') {
    const mailId = parts[1] === 'messages' ? id(parts[2]) : null;
    if (mailId) return <MailMessagePage id={mailId} role={role} />;
    if (parts[1] === 'failed') return <FailedMail role={role} />;
    if (parts[1] === 'settings') return <MailSettingsPage role={role} />;
    return <Triage role={role} />;
  }
  if (parts[0] !== 'alerting') return null;
  switch (parts[1]) {
    case 'policies':
      return <Policies role={role} />;
    case 'settings':
      return <AlertSettingsPage role={role} />;
    case 'contact-methods':
      return <ContactMethods session={session} personId={id(parts[2])} go={go} />;
    case 'shifts':
      return <Shifts session={session} />;
    default:
      return <AlertList />;
  }
}

/** The main navigation's links to these pages. */
export function AlertingNavLinks({ parts }: { parts: string[] }) {
  const { t } = useI18n();
  const inAlerting = parts[0] === 'alerts' || parts[0] === 'alerting';
  return (
    <>
      <a href="#/alerts" aria-current={inAlerting ? 'page' : undefined}>
        {t('navAlerts')}
      </a>
      <a href="#/mail" aria-current={parts[0] === 'mail' ? 'page' : undefined}>
        {t('navMailbox')}
      </a>
    </>
  );
}
