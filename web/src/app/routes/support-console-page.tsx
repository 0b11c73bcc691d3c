import { SupportConsoleView } from '../../features/support-cases';
import { PermissionGate } from '../permission-gate';

/** /support-console: support agents' queues, cases and SLA clocks. */
export function SupportConsolePage() {
  return (
    <PermissionGate action="support:work">
      <SupportConsoleView />
    </PermissionGate>
  );
}
