import { Alert, Button, Checkbox, Drawer, Group, ScrollArea, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { UserAccountResponse } from '../../../../../common/schemas/users.js';
import { getErrorMessage } from '../../../lib/api-client';
import { ASSIGNABLE_ACCOUNTS_PAGE_SIZE, useAssignableAccounts } from '../users.api';

interface AssignAccountsDrawerProps {
  opened: boolean;
  onClose: () => void;
  /** The accounts already on the user's Accounts tab. */
  assigned: UserAccountResponse[];
  onSave: (accounts: UserAccountResponse[]) => void;
}

export function accountLabel(account: Pick<UserAccountResponse, 'name' | 'customName'>): string {
  return account.customName?.trim() || account.name;
}

/** The Assign Accounts panel: check boxes over the accounts list; Save adds the checked ones. */
export function AssignAccountsDrawer({ opened, onClose, assigned, onSave }: AssignAccountsDrawerProps) {
  return (
    <Drawer opened={opened} onClose={onClose} position="right" title="Assign Accounts" size="md">
      {opened && <AssignAccountsList assigned={assigned} onSave={onSave} onCancel={onClose} />}
    </Drawer>
  );
}

function AssignAccountsList({
  assigned,
  onSave,
  onCancel,
}: {
  assigned: UserAccountResponse[];
  onSave: AssignAccountsDrawerProps['onSave'];
  onCancel: () => void;
}) {
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const accounts = useAssignableAccounts(debouncedSearch, true);
  const [selected, setSelected] = useState(() => new Map(assigned.map((account) => [account.id, account])));

  const toggle = (account: UserAccountResponse, isChecked: boolean) => {
    setSelected((current) => {
      const next = new Map(current);
      if (isChecked) next.set(account.id, account);
      else next.delete(account.id);
      return next;
    });
  };

  const renderList = () => {
    if (accounts.isPending) return <Skeleton height={160} />;
    if (accounts.isError) return <Alert color="red">{getErrorMessage(accounts.error)}</Alert>;
    const { items, total } = accounts.data;
    if (items.length === 0)
      return (
        <Text size="sm" c="dimmed">
          {debouncedSearch ? 'No account matches this search.' : 'There are no accounts yet.'}
        </Text>
      );
    return (
      <Stack gap="xs">
        {items.map((item) => {
          const account = { id: item.id, name: item.name, customName: item.customName, siteId: item.siteId };
          return (
            <Checkbox
              key={item.id}
              checked={selected.has(item.id)}
              onChange={(event) => toggle(account, event.currentTarget.checked)}
              label={accountLabel(account)}
              description={item.siteId ?? undefined}
            />
          );
        })}
        {total > ASSIGNABLE_ACCOUNTS_PAGE_SIZE && (
          <Text size="xs" c="dimmed">
            Showing {ASSIGNABLE_ACCOUNTS_PAGE_SIZE} of {total} accounts: search to narrow the list.
          </Text>
        )}
      </Stack>
    );
  };

  return (
    <Stack gap="md">
      <TextInput
        placeholder="Search accounts"
        aria-label="Search accounts"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      <ScrollArea.Autosize mah="calc(100vh - 240px)" type="auto">
        {renderList()}
      </ScrollArea.Autosize>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {selected.size} selected
        </Text>
        <Group gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button onClick={() => onSave([...selected.values()])}>Save</Button>
        </Group>
      </Group>
    </Stack>
  );
}
