import { Anchor, Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  type CaseSummaryResponse,
} from '../../../../../common/schemas/support-cases.js';
import { CasePriorityLabel, CaseStatusBadge, formatDateTime, SlaClock } from './case-badges';

interface CasesTableProps {
  cases: CaseSummaryResponse[];
  /** Where a row leads: /support/cases or /support-console/cases. */
  linkBase: string;
  showOpenedBy?: boolean;
  /** Agents: the account, the assignee, the queue and (given `now`) the SLA clock. */
  isAgentView?: boolean;
  /** The ticking time of the SLA clocks (useNow). */
  now?: number;
}

export function CasesTable({ cases, linkBase, showOpenedBy = false, isAgentView = false, now }: CasesTableProps) {
  return (
    <Table.ScrollContainer minWidth={isAgentView ? 1320 : 960}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Cases">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Case</Table.Th>
            <Table.Th>Subject</Table.Th>
            {isAgentView && <Table.Th>Account</Table.Th>}
            <Table.Th>Type</Table.Th>
            <Table.Th>Product</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Priority</Table.Th>
            {isAgentView && now !== undefined && <Table.Th>SLA</Table.Th>}
            {isAgentView && <Table.Th>Queue</Table.Th>}
            {isAgentView && <Table.Th>Assigned to</Table.Th>}
            {showOpenedBy && <Table.Th>Opened by</Table.Th>}
            <Table.Th>Opened</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cases.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td>
                <Anchor component={Link} to={`${linkBase}/${item.id}`} fw={600} size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {item.number}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {item.subject}
                </Text>
              </Table.Td>
              {isAgentView && (
                <Table.Td>
                  <Text size="sm">{item.account.name}</Text>
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{CASE_KIND_LABELS[item.kind]}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {item.product ? `${item.product}${item.productVersion ? ` ${item.productVersion}` : ''}` : (item.category ?? '—')}
                </Text>
              </Table.Td>
              <Table.Td>
                <CaseStatusBadge status={item.status} />
              </Table.Td>
              <Table.Td>
                <CasePriorityLabel priority={item.priority} />
              </Table.Td>
              {isAgentView && now !== undefined && (
                <Table.Td>
                  <SlaClock sla={item.sla} now={now} />
                </Table.Td>
              )}
              {isAgentView && (
                <Table.Td>
                  <Text size="sm">{item.queue}</Text>
                </Table.Td>
              )}
              {isAgentView && (
                <Table.Td>
                  <Text size="sm" c={item.assignedTo ? undefined : 'dimmed'}>
                    {item.assignedTo?.name ?? 'Unassigned'}
                  </Text>
                </Table.Td>
              )}
              {showOpenedBy && (
                <Table.Td>
                  <Text size="sm">{item.openedBy?.name ?? '—'}</Text>
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(item.createdAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(item.updatedAt)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export const STATUS_FILTER_DATA = [
  { value: '', label: 'Any status' },
  ...CASE_STATUSES.map((value) => ({ value, label: CASE_STATUS_LABELS[value] })),
];
export const KIND_FILTER_DATA = [
  { value: '', label: 'Any type' },
  ...CASE_KINDS.map((value) => ({ value, label: CASE_KIND_LABELS[value] })),
];

/** A search box that applies on Enter or its button (each keystroke would be a request). */
export function CaseSearch({ initialValue, onSearch }: { initialValue: string; onSearch: (value: string) => void }) {
  const [value, setValue] = useState(initialValue);
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(value.trim());
  };
  return (
    <form onSubmit={handleSubmit} role="search" aria-label="Search cases">
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label="Search"
          placeholder="Case number or subject"
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          maxLength={200}
          style={{ flex: 1 }}
        />
        <Button type="submit" variant="default" leftSection={<IconSearch size={16} aria-hidden />}>
          Search
        </Button>
      </Group>
    </form>
  );
}

interface FilterSelectProps {
  label: string;
  data: { value: string; label: string }[] | string[];
  value: string;
  onChange: (value: string) => void;
}

export function FilterSelect({ label, data, value, onChange }: FilterSelectProps) {
  return <NativeSelect label={label} data={data} value={value} onChange={(event) => onChange(event.currentTarget.value)} />;
}
