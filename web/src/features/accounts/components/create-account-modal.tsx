import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { LICENSED_APP_LABELS, LICENSED_APPS, type LicensedApp } from '../../../../../common/schemas/accounts.js';
import { getErrorMessage, isApiError } from '../../../lib/api-client';
import { useCreateAccount } from '../accounts.api';

interface LicenseDraft {
  isLicensed: boolean;
  assetLimit: number | string;
  licensedAssets: number | string;
  expiresOn: string;
}

interface SubscriptionDraft {
  product: string;
  serviceLevel: string;
  startsOn: string;
  endsOn: string;
}

const emptyLicenses = (): Record<LicensedApp, LicenseDraft> => ({
  vm: { isLicensed: true, assetLimit: 100, licensedAssets: 0, expiresOn: '' },
  was: { isLicensed: false, assetLimit: 10, licensedAssets: 0, expiresOn: '' },
  cs: { isLicensed: false, assetLimit: 10, licensedAssets: 0, expiresOn: '' },
});

const toNumber = (value: number | string) => (typeof value === 'number' ? value : Number(value) || 0);

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
  const [name, setName] = useState('');
  const [siteId, setSiteId] = useState('');
  const [region, setRegion] = useState('');
  const [isFedramp, setIsFedramp] = useState(false);
  const [companyName, setCompanyName] = useState('');
  const [postalAddress, setPostalAddress] = useState('');
  const [contactEmail, setContactEmail] = useState('');
  const [notes, setNotes] = useState('');
  const [licenses, setLicenses] = useState(emptyLicenses);
  const [subscriptions, setSubscriptions] = useState<SubscriptionDraft[]>([]);
  const [nameError, setNameError] = useState<string | null>(null);
  const createAccount = useCreateAccount();

  const updateLicense = (app: LicensedApp, change: Partial<LicenseDraft>) =>
    setLicenses((current) => ({ ...current, [app]: { ...current[app], ...change } }));
  const updateSubscription = (index: number, change: Partial<SubscriptionDraft>) =>
    setSubscriptions((current) =>
      current.map((subscription, position) => (position === index ? { ...subscription, ...change } : subscription)),
    );

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError('Enter the customer name.');
      return;
    }
    setNameError(null);
    createAccount.mutate(
      {
        name: name.trim(),
        siteId,
        region,
        isFedramp,
        companyName,
        postalAddress,
        contactEmail,
        notes,
        licenses: LICENSED_APPS.filter((app) => licenses[app].isLicensed).map((app) => ({
          app,
          assetLimit: toNumber(licenses[app].assetLimit),
          licensedAssets: toNumber(licenses[app].licensedAssets),
          expiresOn: licenses[app].expiresOn || null,
        })),
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
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Customer Name"
            required
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.currentTarget.value)}
            error={nameError}
            data-autofocus
          />
          <TextInput label="Site Identifier" value={siteId} maxLength={100} onChange={(event) => setSiteId(event.currentTarget.value)} />
          <TextInput
            label="Region"
            placeholder="US, EU, APAC…"
            value={region}
            maxLength={100}
            onChange={(event) => setRegion(event.currentTarget.value)}
          />
        </SimpleGrid>
        <Checkbox label="FedRAMP authorized" checked={isFedramp} onChange={(event) => setIsFedramp(event.currentTarget.checked)} />

        <Fieldset legend="Licensed apps">
          <Stack gap="sm">
            {LICENSED_APPS.map((app) => (
              <Group key={app} align="flex-end" wrap="wrap" gap="sm">
                <Checkbox
                  w={220}
                  label={`${LICENSED_APP_LABELS[app]} (${app.toUpperCase()})`}
                  checked={licenses[app].isLicensed}
                  onChange={(event) => updateLicense(app, { isLicensed: event.currentTarget.checked })}
                  mb={8}
                />
                <NumberInput
                  label="Licensed asset limit"
                  w={150}
                  min={0}
                  disabled={!licenses[app].isLicensed}
                  value={licenses[app].assetLimit}
                  onChange={(value) => updateLicense(app, { assetLimit: value })}
                />
                <NumberInput
                  label="Licensed assets"
                  w={130}
                  min={0}
                  disabled={!licenses[app].isLicensed}
                  value={licenses[app].licensedAssets}
                  onChange={(value) => updateLicense(app, { licensedAssets: value })}
                />
                <TextInput
                  label="Expiry date"
                  type="date"
                  w={160}
                  disabled={!licenses[app].isLicensed}
                  value={licenses[app].expiresOn}
                  onChange={(event) => updateLicense(app, { expiresOn: event.currentTarget.value })}
                />
              </Group>
            ))}
          </Stack>
        </Fieldset>

        <Fieldset legend="Subscriptions">
          <Stack gap="sm">
            {subscriptions.length === 0 && (
              <Text size="sm" c="dimmed">
                No subscriptions.
              </Text>
            )}
            {subscriptions.map((subscription, index) => (
              <Group key={index} align="flex-end" gap="sm" wrap="wrap">
                <TextInput
                  label="Product"
                  required
                  w={200}
                  value={subscription.product}
                  onChange={(event) => updateSubscription(index, { product: event.currentTarget.value })}
                />
                <TextInput
                  label="Service level"
                  required
                  w={140}
                  value={subscription.serviceLevel}
                  onChange={(event) => updateSubscription(index, { serviceLevel: event.currentTarget.value })}
                />
                <TextInput
                  label="Start"
                  type="date"
                  required
                  w={150}
                  value={subscription.startsOn}
                  onChange={(event) => updateSubscription(index, { startsOn: event.currentTarget.value })}
                />
                <TextInput
                  label="End"
                  type="date"
                  required
                  w={150}
                  value={subscription.endsOn}
                  onChange={(event) => updateSubscription(index, { endsOn: event.currentTarget.value })}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mb={4}
                  aria-label={`Remove subscription ${index + 1}`}
                  onClick={() => setSubscriptions((current) => current.filter((_, position) => position !== index))}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => setSubscriptions((current) => [...current, { product: '', serviceLevel: '', startsOn: '', endsOn: '' }])}
              >
                Add subscription
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend="Prepare details">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Company name"
              value={companyName}
              maxLength={200}
              onChange={(event) => setCompanyName(event.currentTarget.value)}
            />
            <TextInput
              label="Contact email"
              type="email"
              value={contactEmail}
              maxLength={254}
              onChange={(event) => setContactEmail(event.currentTarget.value)}
            />
          </SimpleGrid>
          <Textarea
            label="Postal address"
            mt="sm"
            autosize
            minRows={2}
            value={postalAddress}
            maxLength={1000}
            onChange={(event) => setPostalAddress(event.currentTarget.value)}
          />
        </Fieldset>

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
