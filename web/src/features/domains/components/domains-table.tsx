import { ActionIcon, Badge, Table, Text, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { DomainResponse } from '../../../../../common/schemas/domains.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

interface DomainsTableProps {
  domains: DomainResponse[];
  onRemove: (domain: DomainResponse) => void;
}

/** Approved domains; a domain in use shows how many users are in it and cannot be removed. */
export function DomainsTable({ domains, onRemove }: DomainsTableProps) {
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Domain</Table.Th>
            <Table.Th>Users</Table.Th>
            <Table.Th>Added</Table.Th>
            <Table.Th w={60}>
              <span className="bulwark-visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {domains.map((domain) => (
            <Table.Tr key={domain.domain}>
              <Table.Td>
                <Text fw={500}>{domain.domain}</Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={domain.userCount > 0 ? 'bulwark' : 'gray'}>
                  {domain.userCount} {domain.userCount === 1 ? 'user' : 'users'}
                </Badge>
              </Table.Td>
              <Table.Td>{dateFormat.format(new Date(domain.createdAt))}</Table.Td>
              <Table.Td>
                <Tooltip
                  label={domain.userCount > 0 ? 'In use: users have usernames in this domain' : `Remove ${domain.domain}`}
                  withArrow
                  position="left"
                >
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${domain.domain}`}
                    disabled={domain.userCount > 0}
                    onClick={() => onRemove(domain)}
                  >
                    <IconTrash size={18} />
                  </ActionIcon>
                </Tooltip>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
