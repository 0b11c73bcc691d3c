import { Skeleton } from '@mantine/core';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { PhoneNumbersEditor, usePhoneNumbers } from '../../features/phone-support';
import { PermissionGate } from '../permission-gate';

/** Settings → Phone Support: the numbers the Support page lists for each region. */
export function PhoneSupportSettingsPage() {
  return (
    <PermissionGate action="settings:manage">
      <PhoneSupportSettings />
    </PermissionGate>
  );
}

function PhoneSupportSettings() {
  const numbers = usePhoneNumbers();
  return (
    <>
      <PageHeader
        order={2}
        title="Phone Support"
        description="The numbers callers dial, by region, in international form (+ and the country code). Everyone sees them on the Support page, signed in or not."
      />
      {numbers.isPending && <Skeleton height={240} />}
      {numbers.isError && (
        <QueryErrorAlert error={numbers.error} onRetry={() => void numbers.refetch()} title="Could not load the phone numbers" />
      )}
      {/* The editor copies the list once: a background refetch must not overwrite unsaved edits. */}
      {numbers.data && <PhoneNumbersEditor initial={numbers.data} />}
    </>
  );
}
