import { MyCasesView } from '../../features/support-cases';
import { useSignedInSession } from '../session-context';

export function MyCasesPage() {
  const { user } = useSignedInSession();
  return <MyCasesView canManageCases={user.canManageCases} />;
}
