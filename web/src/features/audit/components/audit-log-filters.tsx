import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { IconFilter, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useAuditActions } from '../audit.api';

/** The filters as the form holds them: `from`/`to` in the datetime-local format of the reader's clock. */
export interface AuditLogFilterValues {
  user: string;
  action: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditLogFilterValues = { user: '', action: '', from: '', to: '' };

interface AuditLogFiltersProps {
  /** The filters in force; remount with a new key to reset the form to them. */
  initialValues: AuditLogFilterValues;
  onApply: (values: AuditLogFilterValues) => void;
}

export function AuditLogFilters({ initialValues, onApply }: AuditLogFiltersProps) {
  const actions = useAuditActions();
  const [values, setValues] = useState(initialValues);
  const isRangeInverted = values.from !== '' && values.to !== '' && values.from > values.to;

  const setField = (field: keyof AuditLogFilterValues, value: string) => setValues((current) => ({ ...current, [field]: value }));

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isRangeInverted) return;
    onApply({ ...values, user: values.user.trim() });
  };

  const handleClear = () => {
    setValues(EMPTY_AUDIT_FILTERS);
    onApply(EMPTY_AUDIT_FILTERS);
  };

  return (
    <form onSubmit={handleSubmit} aria-label="Audit log filters">
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="sm" verticalSpacing="sm">
        <TextInput
          label="User"
          placeholder="Part of a username"
          value={values.user}
          onChange={(event) => setField('user', event.currentTarget.value)}
          maxLength={254}
          autoCapitalize="none"
          spellCheck={false}
        />
        {/* A native select: one labelled control, keyboard and phone friendly, nothing extra in the DOM. */}
        <NativeSelect
          label="Action"
          data={[{ value: '', label: actions.isError ? 'Any action (list unavailable)' : 'Any action' }, ...(actions.data ?? [])]}
          value={values.action}
          onChange={(event) => setField('action', event.currentTarget.value)}
        />
        <TextInput
          label="From"
          type="datetime-local"
          value={values.from}
          onChange={(event) => setField('from', event.currentTarget.value)}
          max={values.to || undefined}
        />
        <TextInput
          label="To"
          type="datetime-local"
          value={values.to}
          onChange={(event) => setField('to', event.currentTarget.value)}
          min={values.from || undefined}
          error={isRangeInverted ? '“To” must be after “From”.' : undefined}
        />
      </SimpleGrid>
      <Group gap="sm" mt="md" justify="flex-end">
        <Button variant="default" leftSection={<IconX size={16} aria-hidden />} onClick={handleClear}>
          Clear
        </Button>
        <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
          Apply
        </Button>
      </Group>
    </form>
  );
}
