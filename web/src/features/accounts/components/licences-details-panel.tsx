import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { AccountDetailsResponse } from '../../../../../common/schemas/accounts.js';
import { getErrorMessage, getFieldErrors, isApiError } from '../../../lib/api-client';
import { useUpdateAccount } from '../accounts.api';
import {
  AccountIdentityFields,
  hasSubscriptionErrors,
  LicensedAppsFieldset,
  licenseDraftsOf,
  PrepareDetailsFieldset,
  profileDraftOf,
  subscriptionDraftsOf,
  SubscriptionsFieldset,
  toLicenseBodies,
  validateSubscriptions,
  type AccountProfileDraft,
} from './account-fields';

interface LicencesDetailsPanelProps {
  account: AccountDetailsResponse;
  onSaved: (message: string) => void;
}

/**
 * The Edit Account plane's "Licences & details" tab: everything set when the account was created
 * (customer, FedRAMP flag, licensed apps, subscriptions, Prepare details). Saving sends the whole
 * tab; the server replaces the licences and subscriptions together and audits what changed.
 */
export function LicencesDetailsPanel({ account, onSaved }: LicencesDetailsPanelProps) {
  const [profile, setProfile] = useState(() => profileDraftOf(account));
  const [licenses, setLicenses] = useState(() => licenseDraftsOf(account));
  const [subscriptions, setSubscriptions] = useState(() => subscriptionDraftsOf(account));
  const [isSubmitted, setIsSubmitted] = useState(false);
  const updateAccount = useUpdateAccount();
  const fieldErrors = getFieldErrors(updateAccount.error);
  const issues = isApiError(updateAccount.error) ? updateAccount.error.issues : [];
  // Once submitted, the errors follow the inputs as they are corrected.
  const nameError = isSubmitted && !profile.name.trim() ? 'Enter the customer name.' : (fieldErrors.name ?? null);
  const subscriptionErrors = isSubmitted ? validateSubscriptions(subscriptions) : [];

  const updateProfile = (change: Partial<AccountProfileDraft>) => setProfile((current) => ({ ...current, ...change }));

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setIsSubmitted(true);
    if (!profile.name.trim() || hasSubscriptionErrors(validateSubscriptions(subscriptions))) return;
    updateAccount.mutate(
      {
        id: account.id,
        body: { ...profile, name: profile.name.trim(), licenses: toLicenseBodies(licenses), subscriptions },
      },
      { onSuccess: () => onSaved('Account changes saved successfully') },
    );
  };

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <AccountIdentityFields value={profile} onChange={updateProfile} nameError={nameError} />
        <LicensedAppsFieldset value={licenses} onChange={setLicenses} />
        <SubscriptionsFieldset value={subscriptions} onChange={setSubscriptions} errors={subscriptionErrors} />
        <PrepareDetailsFieldset value={profile} onChange={updateProfile} contactEmailError={fieldErrors.contactEmail} />

        {updateAccount.isError && (
          <Alert color="red" variant="light" role="alert" title="The changes were not saved">
            {issues.length > 0
              ? issues.map((issue) => <div key={issue.path}>{`${issue.path.replace(/^body\./, '')}: ${issue.message}`}</div>)
              : getErrorMessage(updateAccount.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          {updateAccount.isSuccess && (
            <Text size="sm" c="teal" role="status">
              Account changes saved successfully
            </Text>
          )}
          <Button type="submit" loading={updateAccount.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
