import { ActionIcon, Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import {
  PHONE_SUPPORT_REGION_LABELS,
  PHONE_SUPPORT_REGIONS,
  type PhoneNumbersResponse,
  type PhoneSupportRegion,
} from '../../../../../common/schemas/phone-support.js';
import { getErrorMessage, isApiError } from '../../../lib/api-client';
import { useReplacePhoneNumbers } from '../phone-support.api';

interface Row {
  key: number;
  region: PhoneSupportRegion;
  country: string;
  number: string;
  note: string;
}

type RowErrors = Partial<Record<'country' | 'number' | 'note', string>>;

let nextKey = 0;
const newRow = (region: PhoneSupportRegion, fields: Partial<Row> = {}): Row => ({
  key: nextKey++,
  region,
  country: '',
  number: '',
  note: '',
  ...fields,
});

function rowsOf(data: PhoneNumbersResponse): Row[] {
  return data.regions.flatMap((region) => region.numbers.map((row) => newRow(region.region, { ...row, number: row.display })));
}

/** The rows as the server receives them: region by region, so its issue paths name our rows. */
function orderedRows(rows: Row[]): Row[] {
  return PHONE_SUPPORT_REGIONS.flatMap((region) => rows.filter((row) => row.region === region));
}

/** Empty fields are caught here; whether a number is valid is the server's call (libphonenumber). */
function checkFilled(rows: Row[]): Map<number, RowErrors> {
  const errors = new Map<number, RowErrors>();
  for (const row of rows) {
    const rowErrors: RowErrors = {};
    if (!row.country.trim()) rowErrors.country = 'Enter the country.';
    if (!row.number.trim()) rowErrors.number = 'Enter the phone number.';
    if (Object.keys(rowErrors).length > 0) errors.set(row.key, rowErrors);
  }
  return errors;
}

/** Maps the server's `body.numbers.3.number` issues back to the rows sent. */
function serverErrors(error: unknown, sent: Row[]): Map<number, RowErrors> {
  const errors = new Map<number, RowErrors>();
  if (!isApiError(error)) return errors;
  for (const issue of error.issues) {
    const match = /^body\.numbers\.(\d+)\.(country|number|note)$/.exec(issue.path);
    const row = match ? sent[Number(match[1])] : undefined;
    if (!match || !row) continue;
    errors.set(row.key, { ...errors.get(row.key), [match[2] as keyof RowErrors]: issue.message });
  }
  return errors;
}

/** Settings → Phone Support: one editable table per region, saved as a whole. */
export function PhoneNumbersEditor({ initial }: { initial: PhoneNumbersResponse }) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(initial));
  const [errors, setErrors] = useState<Map<number, RowErrors>>(new Map());
  const [isSaved, setIsSaved] = useState(false);
  const replace = useReplacePhoneNumbers();

  const update = (key: number, fields: Partial<Row>) => {
    setIsSaved(false);
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...fields } : row)));
  };
  const remove = (key: number) => {
    setIsSaved(false);
    setRows((current) => current.filter((row) => row.key !== key));
  };
  const add = (region: PhoneSupportRegion) => {
    setIsSaved(false);
    setRows((current) => [...current, newRow(region)]);
  };

  const save = () => {
    const sent = orderedRows(rows);
    const missing = checkFilled(sent);
    setErrors(missing);
    if (missing.size > 0) return;
    const numbers = sent.map(({ region, country, number, note }) => ({ region, country, number, note }));
    replace.mutate(
      { numbers },
      {
        onSuccess: (data) => {
          setRows(rowsOf(data));
          setIsSaved(true);
        },
        onError: (error) => setErrors(serverErrors(error, sent)),
      },
    );
  };

  return (
    <Stack gap="md">
      {isSaved && (
        <Alert color="teal" variant="light" icon={<IconCheck aria-hidden />}>
          The phone numbers are saved. The Support page shows them now.
        </Alert>
      )}
      {replace.isError && (
        <Alert color="red" variant="light">
          {errors.size > 0 ? 'Some numbers are not valid: see the marked rows.' : getErrorMessage(replace.error)}
        </Alert>
      )}
      {PHONE_SUPPORT_REGIONS.map((region) => (
        <Paper key={region} withBorder shadow="xs" p="md">
          <Group justify="space-between" mb="xs">
            <Title order={3}>{PHONE_SUPPORT_REGION_LABELS[region]}</Title>
            <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => add(region)}>
              Add number
            </Button>
          </Group>
          <RegionTable
            label={PHONE_SUPPORT_REGION_LABELS[region]}
            rows={rows.filter((row) => row.region === region)}
            errors={errors}
            onChange={update}
            onRemove={remove}
          />
        </Paper>
      ))}
      <Group>
        <Button onClick={save} loading={replace.isPending}>
          Save
        </Button>
      </Group>
    </Stack>
  );
}

interface RegionTableProps {
  label: string;
  rows: Row[];
  errors: Map<number, RowErrors>;
  onChange: (key: number, fields: Partial<Row>) => void;
  onRemove: (key: number) => void;
}

function RegionTable({ label, rows, errors, onChange, onRemove }: RegionTableProps) {
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No numbers in {label}: callers there see none.
      </Text>
    );
  }
  return (
    <Table verticalSpacing="xs" aria-label={`${label} phone numbers`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="28%">Country</Table.Th>
          <Table.Th w="28%">Number</Table.Th>
          <Table.Th>Note (for example toll free, hours)</Table.Th>
          <Table.Th w={48} aria-label="Remove" />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, index) => {
          const rowErrors = errors.get(row.key) ?? {};
          const position = `${label} row ${index + 1}`;
          return (
            <Table.Tr key={row.key}>
              <Table.Td valign="top">
                <TextInput
                  aria-label={`Country, ${position}`}
                  value={row.country}
                  maxLength={80}
                  error={rowErrors.country}
                  onChange={(event) => onChange(row.key, { country: event.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td valign="top">
                <TextInput
                  aria-label={`Number, ${position}`}
                  placeholder="+1 202 555 0142"
                  value={row.number}
                  maxLength={40}
                  error={rowErrors.number}
                  onChange={(event) => onChange(row.key, { number: event.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td valign="top">
                <TextInput
                  aria-label={`Note, ${position}`}
                  value={row.note}
                  maxLength={120}
                  error={rowErrors.note}
                  onChange={(event) => onChange(row.key, { note: event.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td valign="top">
                <ActionIcon variant="subtle" color="red" aria-label={`Remove ${position}`} onClick={() => onRemove(row.key)}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
