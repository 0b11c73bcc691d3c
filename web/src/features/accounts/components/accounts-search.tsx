import { Button, Group, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';

interface AccountsSearchProps {
  /** The search in force (from the URL); remount with a new key to reset the box to it. */
  initialValue: string;
  onSearch: (search: string) => void;
}

/** The seed's Search box: customer name, licensed apps, site identifier or notes, then the search button. */
export function AccountsSearch({ initialValue, onSearch }: AccountsSearchProps) {
  const [value, setValue] = useState(initialValue);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(value.trim());
  };

  return (
    <form onSubmit={handleSubmit} role="search" aria-label="Accounts">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <TextInput
          aria-label="Search accounts"
          placeholder="Search by customer name, licensed apps, site identifier or notes"
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          leftSection={<IconSearch size={16} aria-hidden />}
          type="search"
          maxLength={200}
          style={{ flex: 1 }}
        />
        <Button type="submit" variant="filled">
          Search
        </Button>
      </Group>
    </form>
  );
}
