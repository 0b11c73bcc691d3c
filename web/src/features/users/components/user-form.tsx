import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconBuilding, IconKey, IconPlus, IconUser, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { ROLE_LABELS, ROLE_VALUES, ROLES, type RoleValue } from '../../../../../common/permissions.js';
import { Username } from '../../../../../common/schemas/auth.js';
import {
  ADMINISTRATOR_ASSIGNMENT_MESSAGE,
  type UpdateUserBody,
  type UserAccountResponse,
  type UserDetailResponse,
} from '../../../../../common/schemas/users.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { GenerateApiKeysModal, useGenerateUserApiKeys } from '../../api-keys';
import { PasswordHints, usePasswordPolicy, validateNewPassword, validatePasswordsMatch } from '../../auth';
import { useCreateUser, useSetUserAccounts, useUpdateUser } from '../users.api';
import { AssignAccountsDrawer, accountLabel } from './assign-accounts-drawer';
import { RolePermissionsGuide } from './role-permissions-guide';

const ROLE_OPTIONS = ROLE_VALUES.map((role) => ({ value: String(role), label: ROLE_LABELS[role] }));

interface UserFormProps {
  /** Edit User when given; Create User otherwise. */
  user?: UserDetailResponse;
  onSaved: (message: string) => void;
  onCancel: () => void;
}

function validateEmail(value: string): string | null {
  if (!value.trim()) return null;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter a valid email address, or leave it empty.';
}

function isSameAccounts(a: UserAccountResponse[], b: UserAccountResponse[]): boolean {
  const ids = new Set(a.map((account) => account.id));
  return a.length === b.length && b.every((account) => ids.has(account.id));
}

/** Create User and Edit User: the user's fields, the Accounts tab and (editing) Generate API Keys. */
export function UserForm({ user, onSaved, onCancel }: UserFormProps) {
  const isEdit = user !== undefined;
  const policy = usePasswordPolicy();
  const createUser = useCreateUser();
  const updateUser = useUpdateUser();
  const setAccounts = useSetUserAccounts();
  const [tab, setTab] = useState<string | null>('user');
  const [isGuideOpen, setIsGuideOpen] = useState(false);
  const [isAssignOpen, setIsAssignOpen] = useState(false);
  const [isKeysOpen, setIsKeysOpen] = useState(false);
  const [accounts, setAccountsDraft] = useState<UserAccountResponse[]>(user?.accounts ?? []);
  const generateKeys = useGenerateUserApiKeys(user?.id ?? '');

  const form = useForm({
    initialValues: {
      name: user?.name ?? '',
      username: user?.username ?? '',
      email: user?.email ?? '',
      password: '',
      verifyPassword: '',
      role: String(user?.role ?? ROLES.basic),
      isSupportAgent: user?.isSupportAgent ?? false,
    },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter the full name.'),
      username: (value) => {
        if (isEdit) return null;
        if (!value.trim()) return 'Enter a username.';
        const result = Username.safeParse(value);
        return result.success ? null : (result.error.issues[0]?.message ?? 'Must be in the format name@domain.');
      },
      email: validateEmail,
      password: (value, values) => (isEdit && !value ? null : validateNewPassword(value, policy.data, values.username.trim())),
      verifyPassword: (value, values) => (isEdit && !values.password && !value ? null : validatePasswordsMatch(value, values.password)),
    },
  });

  const role = Number(form.values.role) as RoleValue;
  const isAdministrator = role === ROLES.administrator;
  const mutationError = createUser.error ?? updateUser.error ?? setAccounts.error;
  const isSaving = createUser.isPending || updateUser.isPending || setAccounts.isPending;

  const showFieldErrors = (error: unknown) => {
    const fields = getFieldErrors(error);
    form.setErrors(fields);
    if (fields.accountIds) setTab('accounts');
    else if (Object.keys(fields).length > 0) setTab('user');
  };

  const handleSubmit = form.onSubmit(
    async (values) => {
      createUser.reset();
      updateUser.reset();
      setAccounts.reset();
      const accountIds = isAdministrator ? [] : accounts.map((account) => account.id);
      try {
        if (!user) {
          const created = await createUser.mutateAsync({
            name: values.name.trim(),
            username: values.username.trim(),
            email: values.email.trim(),
            password: values.password,
            role,
            isSupportAgent: values.isSupportAgent,
            accountIds,
          });
          onSaved(`User ${created.username} created successfully.`);
          return;
        }
        const body: UpdateUserBody = {};
        if (values.name.trim() !== user.name) body.name = values.name.trim();
        if (values.email.trim() !== (user.email ?? '')) body.email = values.email.trim();
        if (values.password) body.password = values.password;
        if (role !== user.role) body.role = role;
        if (values.isSupportAgent !== user.isSupportAgent) body.isSupportAgent = values.isSupportAgent;
        if (Object.keys(body).length > 0) await updateUser.mutateAsync({ id: user.id, body });
        if (!isAdministrator && !isSameAccounts(accounts, user.accounts)) await setAccounts.mutateAsync({ id: user.id, accountIds });
        onSaved(`Changes to ${user.username} saved successfully.`);
      } catch (error) {
        showFieldErrors(error);
      }
    },
    () => setTab('user'),
  );

  return (
    <form onSubmit={(event) => void handleSubmit(event)} noValidate>
      <Paper withBorder shadow="xs">
        <Tabs value={tab} onChange={setTab} orientation="vertical" variant="pills" p="md">
          <Tabs.List miw={170} pr="md">
            <Tabs.Tab value="user" leftSection={<IconUser size={16} aria-hidden />}>
              User
            </Tabs.Tab>
            <Tabs.Tab value="accounts" leftSection={<IconBuilding size={16} aria-hidden />}>
              Accounts
            </Tabs.Tab>
          </Tabs.List>

          <Tabs.Panel value="user" pl={{ base: 0, sm: 'md' }} style={{ flex: 1, minWidth: 0 }}>
            <Stack gap="md" maw={640}>
              <TextInput label="Full Name" required autoComplete="off" {...form.getInputProps('name')} />
              <TextInput
                label="Username"
                placeholder="name@domain"
                description={
                  isEdit ? 'The username cannot be changed.' : 'name@domain, where domain is an approved domain (Settings → Domains).'
                }
                required={!isEdit}
                disabled={isEdit}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                {...form.getInputProps('username')}
              />
              <TextInput
                label="Email"
                description="Optional. Where password reset links are sent; without it, they go to the username."
                type="email"
                {...form.getInputProps('email')}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <PasswordInput
                  label="Password"
                  description={isEdit ? 'Leave empty to keep the current password.' : undefined}
                  required={!isEdit}
                  autoComplete="new-password"
                  {...form.getInputProps('password')}
                />
                <PasswordInput
                  label="Verify Password"
                  description={isEdit ? ' ' : undefined}
                  required={!isEdit}
                  autoComplete="new-password"
                  {...form.getInputProps('verifyPassword')}
                />
              </SimpleGrid>
              {policy.data && (
                <Stack gap={6}>
                  <PasswordHints password={form.values.password} policy={policy.data} username={form.values.username.trim()} />
                  {!form.values.password && (
                    <Text size="sm" c="dimmed">
                      {policy.data.description} It must not contain the username.
                    </Text>
                  )}
                </Stack>
              )}
              <Stack gap={4}>
                <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} required {...form.getInputProps('role')} />
                <Anchor component="button" type="button" size="sm" onClick={() => setIsGuideOpen(true)} style={{ alignSelf: 'flex-start' }}>
                  View guide to Role Permissions
                </Anchor>
              </Stack>
              <Switch
                label="Support agent"
                description="Works Technical Support cases of customer accounts, whatever the role."
                {...form.getInputProps('isSupportAgent', { type: 'checkbox' })}
              />
              {user && (
                <Stack gap="xs" pt="sm">
                  <Title order={3} size="h5">
                    API Keys
                  </Title>
                  <Text size="sm" c="dimmed">
                    {user.apiKeysCreatedAt
                      ? `Generated on ${new Date(user.apiKeysCreatedAt).toLocaleString()}${user.apiKeysLastUsedAt ? `, last used on ${new Date(user.apiKeysLastUsedAt).toLocaleString()}` : ', not used yet'}.`
                      : 'This user has no API keys.'}
                  </Text>
                  <Group>
                    <Button
                      variant="default"
                      leftSection={<IconKey size={16} aria-hidden />}
                      onClick={() => {
                        generateKeys.reset();
                        setIsKeysOpen(true);
                      }}
                    >
                      Generate API Keys
                    </Button>
                  </Group>
                </Stack>
              )}
            </Stack>
          </Tabs.Panel>

          <Tabs.Panel value="accounts" pl={{ base: 0, sm: 'md' }} style={{ flex: 1, minWidth: 0 }}>
            <Stack gap="md">
              <Group justify="space-between" align="center">
                <Title order={3} size="h4">
                  Accounts
                </Title>
                {!isAdministrator && (
                  <Button leftSection={<IconPlus size={16} aria-hidden />} variant="light" onClick={() => setIsAssignOpen(true)}>
                    Assign Accounts
                  </Button>
                )}
              </Group>
              {isAdministrator ? (
                <Text size="sm" c="dimmed">
                  {ADMINISTRATOR_ASSIGNMENT_MESSAGE}
                </Text>
              ) : accounts.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Not assigned to any account: this user sees no customer account until you assign some.
                </Text>
              ) : (
                <Table verticalSpacing="xs" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Account</Table.Th>
                      <Table.Th>Site Identifier</Table.Th>
                      <Table.Th w={50}>
                        <span className="bulwark-visually-hidden">Remove</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {accounts.map((account) => (
                      <Table.Tr key={account.id}>
                        <Table.Td>{accountLabel(account)}</Table.Td>
                        <Table.Td>{account.siteId ?? ''}</Table.Td>
                        <Table.Td>
                          <Tooltip label="Remove from this account" withArrow position="left">
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={`Remove from ${accountLabel(account)}`}
                              onClick={() => setAccountsDraft((current) => current.filter((other) => other.id !== account.id))}
                            >
                              <IconX size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              {form.errors.accountIds && (
                <Text size="sm" c="red">
                  {form.errors.accountIds}
                </Text>
              )}
            </Stack>
          </Tabs.Panel>
        </Tabs>

        <Stack gap="sm" p="md" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          {mutationError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
              {getErrorMessage(mutationError)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={isSaving}>
              {isEdit ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </Paper>

      <RolePermissionsGuide opened={isGuideOpen} onClose={() => setIsGuideOpen(false)} />
      <AssignAccountsDrawer
        opened={isAssignOpen}
        onClose={() => setIsAssignOpen(false)}
        assigned={accounts}
        onSave={(selected) => {
          setAccountsDraft(selected);
          setIsAssignOpen(false);
        }}
      />
      {user && (
        <GenerateApiKeysModal
          opened={isKeysOpen}
          onClose={() => setIsKeysOpen(false)}
          confirmLabel="Replace & Generate"
          forUsername={user.username}
          generate={generateKeys}
        />
      )}
    </form>
  );
}
