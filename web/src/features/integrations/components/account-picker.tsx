import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useAccounts } from '../../accounts';

interface AccountPickerProps {
  value: string | null;
  /** The account chosen before (on edit), so its name shows even when not among the search results. */
  initialAccount: { id: string; name: string } | null;
  onChange: (accountId: string | null) => void;
  error?: string;
  disabled?: boolean;
}

/** The optional target customer account, searched on the server by name as the person types. */
export function AccountPicker({ value, initialAccount, onChange, error, disabled }: AccountPickerProps) {
  const [search, setSearch] = useState(initialAccount?.name ?? '');
  const [chosen, setChosen] = useState(initialAccount);
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  // The chosen account's own name in the box should still list other accounts.
  const serverSearch = chosen && debouncedSearch === chosen.name ? '' : debouncedSearch;
  const accounts = useAccounts({ search: serverSearch || undefined, sort: 'name', order: 'asc', page: 1, pageSize: 50 });

  const options = (accounts.data?.items ?? []).map((account) => ({ value: account.id, label: account.name }));
  if (chosen && !options.some((option) => option.value === chosen.id)) options.unshift({ value: chosen.id, label: chosen.name });

  return (
    <Select
      label="Target customer account"
      description="Optional. The fetched findings and assets are also merged into this account's instance."
      placeholder="None: Signals only"
      searchable
      clearable
      data={options}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server has already searched; do not filter its answer again in the browser.
      filter={({ options: parsed }) => parsed}
      onChange={(next, option) => {
        setChosen(next ? { id: next, name: option.label } : null);
        onChange(next);
      }}
      nothingFoundMessage={accounts.isPending ? 'Loading accounts…' : 'No matching accounts'}
      error={error}
      disabled={disabled}
      maxDropdownHeight={280}
    />
  );
}
