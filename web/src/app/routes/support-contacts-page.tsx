import { AccountContactsView } from '../../features/support-cases';
import { PermissionGate } from '../permission-gate';
import { useSignedInSession } from '../session-context';

/** /support/contacts: the Primary Contact grants or removes Manage Cases. */
export function SupportContactsPage() {
  const { user } = useSignedInSession();
  return (
    <PermissionGate action="support:manage-contacts">
      <AccountContactsView currentUserId={user.id} />
    </PermissionGate>
  );
}
