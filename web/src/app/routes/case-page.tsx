import { useLocation, useParams } from 'react-router';
import { CaseView } from '../../features/support-cases';
import { useSignedInSession } from '../session-context';

/** /support/cases/:caseId (contacts) and /support-console/cases/:caseId (agents): one page; agent controls when the case says can.work. */
export function CasePage() {
  const { caseId = '' } = useParams();
  const { pathname } = useLocation();
  const { user } = useSignedInSession();
  return <CaseView key={caseId} caseId={caseId} isConsole={pathname.startsWith('/support-console')} userName={user.name || null} />;
}
