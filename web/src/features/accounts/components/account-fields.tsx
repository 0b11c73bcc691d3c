import {
  ActionIcon,
  Box,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import {
  LICENSED_APP_LABELS,
  LICENSED_APPS,
  type AccountDetailsResponse,
  type CreateAccountBody,
  type LicensedApp,
} from '../../../../../common/schemas/accounts.js';

/*
 * The fields an Administrator sets when creating an account and edits later on the Edit Account
 * plane's "Licences & details" tab: one set of inputs, so both forms keep the same labels and limits.
 */

/** Customer name, site identifier, region, FedRAMP flag and the Prepare details, as the inputs hold them. */
export interface AccountProfileDraft {
  name: string;
  siteId: string;
  region: string;
  isFedramp: boolean;
  companyName: string;
  postalAddress: string;
  contactEmail: string;
}

export interface LicenseDraft {
  isLicensed: boolean;
  assetLimit: number | string;
  /** Counted from the instance's assets by the server; shown, never sent. */
  licensedAssets: number | string;
  expiresOn: string;
}
export type LicenseDrafts = Record<LicensedApp, LicenseDraft>;

export interface SubscriptionDraft {
  product: string;
  serviceLevel: string;
  startsOn: string;
  endsOn: string;
}
export type SubscriptionErrors = Partial<Record<keyof SubscriptionDraft, string>>;

type LicenseBody = NonNullable<CreateAccountBody['licenses']>[number];

export const emptyProfileDraft = (): AccountProfileDraft => ({
  name: '',
  siteId: '',
  region: '',
  isFedramp: false,
  companyName: '',
  postalAddress: '',
  contactEmail: '',
});

/** What a new account starts with: Vulnerability Management licensed, the other apps not. */
export const defaultLicenseDrafts = (): LicenseDrafts => ({
  vm: { isLicensed: true, assetLimit: 100, licensedAssets: 0, expiresOn: '' },
  was: { isLicensed: false, assetLimit: 10, licensedAssets: 0, expiresOn: '' },
  cs: { isLicensed: false, assetLimit: 10, licensedAssets: 0, expiresOn: '' },
});

export function profileDraftOf(account: AccountDetailsResponse): AccountProfileDraft {
  return {
    name: account.name,
    siteId: account.siteId ?? '',
    region: account.region ?? '',
    isFedramp: account.isFedramp,
    companyName: account.companyName ?? '',
    postalAddress: account.postalAddress ?? '',
    contactEmail: account.contactEmail ?? '',
  };
}

/** The account's licences as drafts; an unlicensed app keeps the defaults, ready to be ticked. */
export function licenseDraftsOf(account: AccountDetailsResponse): LicenseDrafts {
  const drafts = defaultLicenseDrafts();
  for (const app of LICENSED_APPS) {
    const license = account.licenses.find((candidate) => candidate.app === app);
    drafts[app] = license
      ? { isLicensed: true, assetLimit: license.assetLimit, licensedAssets: license.licensedAssets, expiresOn: license.expiresOn ?? '' }
      : { ...drafts[app], isLicensed: false };
  }
  return drafts;
}

export function subscriptionDraftsOf(account: AccountDetailsResponse): SubscriptionDraft[] {
  return account.subscriptions.map(({ product, serviceLevel, startsOn, endsOn }) => ({ product, serviceLevel, startsOn, endsOn }));
}

const toNumber = (value: number | string) => (typeof value === 'number' ? value : Number(value) || 0);

/** The ticked apps as the API takes them. */
export function toLicenseBodies(licenses: LicenseDrafts): LicenseBody[] {
  return LICENSED_APPS.filter((app) => licenses[app].isLicensed).map((app) => ({
    app,
    assetLimit: toNumber(licenses[app].assetLimit),
    expiresOn: licenses[app].expiresOn || null,
  }));
}

/** One entry per subscription, empty when it is complete and does not end before it starts. */
export function validateSubscriptions(subscriptions: SubscriptionDraft[]): SubscriptionErrors[] {
  return subscriptions.map((subscription) => {
    const errors: SubscriptionErrors = {};
    if (!subscription.product.trim()) errors.product = 'Enter the product.';
    if (!subscription.serviceLevel.trim()) errors.serviceLevel = 'Enter the service level.';
    if (!subscription.startsOn) errors.startsOn = 'Enter the start date.';
    if (!subscription.endsOn) errors.endsOn = 'Enter the end date.';
    // ISO dates compare correctly as text.
    else if (subscription.startsOn && subscription.endsOn < subscription.startsOn)
      errors.endsOn = 'The end date must not be before the start date.';
    return errors;
  });
}

export const hasSubscriptionErrors = (errors: SubscriptionErrors[]) => errors.some((entry) => Object.keys(entry).length > 0);

interface ProfileFieldsProps {
  value: AccountProfileDraft;
  onChange: (change: Partial<AccountProfileDraft>) => void;
}

/** Customer Name, Site Identifier, Region and the FedRAMP flag. */
export function AccountIdentityFields({
  value,
  onChange,
  nameError,
  isNameAutofocused = false,
}: ProfileFieldsProps & { nameError?: string | null; isNameAutofocused?: boolean }) {
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label="Customer Name"
          required
          value={value.name}
          maxLength={200}
          onChange={(event) => onChange({ name: event.currentTarget.value })}
          error={nameError}
          data-autofocus={isNameAutofocused || undefined}
        />
        <TextInput
          label="Site Identifier"
          value={value.siteId}
          maxLength={100}
          onChange={(event) => onChange({ siteId: event.currentTarget.value })}
        />
        <TextInput
          label="Region"
          placeholder="US, EU, APAC…"
          value={value.region}
          maxLength={100}
          onChange={(event) => onChange({ region: event.currentTarget.value })}
        />
      </SimpleGrid>
      <Checkbox
        label="FedRAMP authorized"
        checked={value.isFedramp}
        onChange={(event) => onChange({ isFedramp: event.currentTarget.checked })}
      />
    </>
  );
}

/** Company name, contact email and postal address for Prepare. */
export function PrepareDetailsFieldset({ value, onChange, contactEmailError }: ProfileFieldsProps & { contactEmailError?: string }) {
  return (
    <Fieldset legend="Prepare details">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Company name"
          value={value.companyName}
          maxLength={200}
          onChange={(event) => onChange({ companyName: event.currentTarget.value })}
        />
        <TextInput
          label="Contact email"
          type="email"
          value={value.contactEmail}
          maxLength={254}
          onChange={(event) => onChange({ contactEmail: event.currentTarget.value })}
          error={contactEmailError}
        />
      </SimpleGrid>
      <Textarea
        label="Postal address"
        mt="sm"
        autosize
        minRows={2}
        value={value.postalAddress}
        maxLength={1000}
        onChange={(event) => onChange({ postalAddress: event.currentTarget.value })}
      />
    </Fieldset>
  );
}

/** One row per app: licensed or not, its asset limit, licensed assets and expiry date. */
export function LicensedAppsFieldset({ value, onChange }: { value: LicenseDrafts; onChange: (next: LicenseDrafts) => void }) {
  const update = (app: LicensedApp, change: Partial<LicenseDraft>) => onChange({ ...value, [app]: { ...value[app], ...change } });
  return (
    <Fieldset legend="Licensed apps">
      <Stack gap="md">
        {LICENSED_APPS.map((app) => (
          <Stack key={app} gap={6}>
            <Checkbox
              label={`${LICENSED_APP_LABELS[app]} (${app.toUpperCase()})`}
              checked={value[app].isLicensed}
              onChange={(event) => update(app, { isLicensed: event.currentTarget.checked })}
            />
            {/* Container breakpoints: the same rows fit the Create Account modal and the narrower Edit Account drawer. */}
            <SimpleGrid type="container" cols={{ base: 1, '420px': 3 }} spacing="sm" pl={32}>
              <NumberInput
                label="Licensed asset limit"
                aria-label={`Licensed asset limit, ${app.toUpperCase()}`}
                min={0}
                max={10_000_000}
                allowNegative={false}
                allowDecimal={false}
                disabled={!value[app].isLicensed}
                value={value[app].assetLimit}
                onChange={(next) => update(app, { assetLimit: next })}
              />
              <NumberInput
                label="Licensed assets"
                description="Counted from the instance"
                aria-label={`Licensed assets, ${app.toUpperCase()}`}
                readOnly
                variant="filled"
                disabled={!value[app].isLicensed}
                value={value[app].licensedAssets}
              />
              <TextInput
                label="Expiry date"
                aria-label={`Expiry date, ${app.toUpperCase()}`}
                type="date"
                disabled={!value[app].isLicensed}
                value={value[app].expiresOn}
                onChange={(event) => update(app, { expiresOn: event.currentTarget.value })}
              />
            </SimpleGrid>
          </Stack>
        ))}
      </Stack>
    </Fieldset>
  );
}

/** Add, edit and remove subscriptions; errors come from validateSubscriptions. */
export function SubscriptionsFieldset({
  value,
  onChange,
  errors = [],
}: {
  value: SubscriptionDraft[];
  onChange: (next: SubscriptionDraft[]) => void;
  errors?: SubscriptionErrors[];
}) {
  const update = (index: number, change: Partial<SubscriptionDraft>) =>
    onChange(value.map((subscription, position) => (position === index ? { ...subscription, ...change } : subscription)));
  return (
    <Fieldset legend="Subscriptions">
      <Stack gap="sm">
        {value.length === 0 && (
          <Text size="sm" c="dimmed">
            No subscriptions.
          </Text>
        )}
        {value.map((subscription, index) => (
          <Paper key={index} withBorder p="sm" radius="sm">
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <Box style={{ flex: 1, minWidth: 0 }}>
                <SimpleGrid type="container" cols={{ base: 1, '400px': 2, '680px': 4 }} spacing="sm" verticalSpacing="xs">
                  <TextInput
                    label="Product"
                    required
                    maxLength={200}
                    value={subscription.product}
                    onChange={(event) => update(index, { product: event.currentTarget.value })}
                    error={errors[index]?.product}
                  />
                  <TextInput
                    label="Service level"
                    required
                    maxLength={200}
                    value={subscription.serviceLevel}
                    onChange={(event) => update(index, { serviceLevel: event.currentTarget.value })}
                    error={errors[index]?.serviceLevel}
                  />
                  <TextInput
                    label="Start"
                    type="date"
                    required
                    value={subscription.startsOn}
                    onChange={(event) => update(index, { startsOn: event.currentTarget.value })}
                    error={errors[index]?.startsOn}
                  />
                  <TextInput
                    label="End"
                    type="date"
                    required
                    min={subscription.startsOn || undefined}
                    value={subscription.endsOn}
                    onChange={(event) => update(index, { endsOn: event.currentTarget.value })}
                    error={errors[index]?.endsOn}
                  />
                </SimpleGrid>
              </Box>
              <ActionIcon
                variant="subtle"
                color="red"
                mt={30}
                aria-label={`Remove subscription ${index + 1}`}
                onClick={() => onChange(value.filter((_, position) => position !== index))}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
          </Paper>
        ))}
        <Group>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => onChange([...value, { product: '', serviceLevel: '', startsOn: '', endsOn: '' }])}
          >
            Add subscription
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
