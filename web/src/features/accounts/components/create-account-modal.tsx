import { Alert, Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { getErrorMessage, isApiError } from '../../../lib/api-client';
import { useCreateAccount } from '../accounts.api';
import {
  AccountIdentityFields,
  defaultLicenseDrafts,
  emptyProfileDraft,
  hasSubscriptionErrors,
  LicensedAppsFieldset,
  PrepareDetailsFieldset,
  SubscriptionsFieldset,
  toLicenseBodies,
  validateSubscriptions,
  type AccountProfileDraft,
  type SubscriptionDraft,
} from './account-fields';

/** Create Account (Administrators): the customer, its licensed apps, subscriptions, Prepare details and notes. */
export function CreateAccountModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (message: string) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Create Account" size="xl">
      {opened && <CreateAccountForm onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function CreateAccountForm({ onClose, onCreated }: { onClose: () => void; onCreated: (message: string) => void }) {
  const [profile, setProfile] = useState(emptyProfileDraft);
  const [notes, setNotes] = useState('');
  const [licenses, setLicenses] = useState(defaultLicenseDrafts);
  const [subscriptions, setSubscriptions] = useState<SubscriptionDraft[]>([]);
  const [isSubmitted, setIsSubmitted] = useState(false);
  const createAccount = useCreateAccount();
  // Once submitted, the errors follow the inputs as they are corrected.
  const nameError = isSubmitted && !profile.name.trim() ? 'Enter the customer name.' : null;
  const subscriptionErrors = isSubmitted ? validateSubscriptions(subscriptions) : [];

  const updateProfile = (change: Partial<AccountProfileDraft>) => setProfile((current) => ({ ...current, ...change }));

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setIsSubmitted(true);
    if (!profile.name.trim() || hasSubscriptionErrors(validateSubscriptions(subscriptions))) return;
    createAccount.mutate(
      {
        ...profile,
        name: profile.name.trim(),
        notes,
        licenses: toLicenseBodies(licenses),
        subscriptions,
      },
      {
        onSuccess: (account) => {
          onCreated(`Account ${account.name} created`);
          onClose();
        },
      },
    );
  };

  const issues = isApiError(createAccount.error) ? createAccount.error.issues : [];

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <AccountIdentityFields value={profile} onChange={updateProfile} nameError={nameError} isNameAutofocused />
        <LicensedAppsFieldset value={licenses} onChange={setLicenses} />
        <SubscriptionsFieldset value={subscriptions} onChange={setSubscriptions} errors={subscriptionErrors} />
        <PrepareDetailsFieldset value={profile} onChange={updateProfile} />

        <Textarea
          label="Notes"
          autosize
          minRows={2}
          maxRows={8}
          value={notes}
          maxLength={10_000}
          onChange={(event) => setNotes(event.currentTarget.value)}
        />

        {createAccount.isError && (
          <Alert color="red" variant="light" role="alert" title="The account was not created">
            {issues.length > 0
              ? issues.map((issue) => <div key={issue.path}>{`${issue.path.replace(/^body\./, '')}: ${issue.message}`}</div>)
              : getErrorMessage(createAccount.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={createAccount.isPending}>
            Create Account
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
