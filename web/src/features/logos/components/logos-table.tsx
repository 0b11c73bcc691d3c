import { ActionIcon, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import type { LogoResponse } from '../../../../../common/schemas/logos.js';
import { LogoImage } from './logo-image';
import classes from './logos-table.module.css';

interface LogosTableProps {
  logos: LogoResponse[];
  onEdit: (logo: LogoResponse) => void;
  onDelete: (logo: LogoResponse) => void;
}

/** The Logos table: preview, name, file name and how many accounts use each logo. */
export function LogosTable({ logos, onEdit, onDelete }: LogosTableProps) {
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table highlightOnHover className={classes.table} verticalSpacing="sm">
        <caption className="bulwark-visually-hidden">Logos</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Preview</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>File Name</Table.Th>
            <Table.Th>Accounts</Table.Th>
            <Table.Th className={classes.actionsColumn}>
              <span className="bulwark-visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {logos.map((logo) => (
            <Table.Tr key={logo.id} className={classes.row}>
              <Table.Td>
                <LogoImage logoId={logo.id} version={logo.updatedAt} alt={`${logo.name} logo`} width={140} height={40} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {logo.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{logo.fileName}</Text>
                <Text size="xs" c="dimmed">
                  {logo.width} x {logo.height} px · {(logo.sizeBytes / 1024).toFixed(1)} KB
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{logo.accountCount === 1 ? '1 account' : `${logo.accountCount.toLocaleString()} accounts`}</Text>
              </Table.Td>
              <Table.Td className={classes.actionsColumn}>
                <Group gap={4} justify="flex-end" wrap="nowrap" className={classes.actions}>
                  <Tooltip label="Edit">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${logo.name}`} onClick={() => onEdit(logo)}>
                      <IconPencil size={18} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Delete">
                    <ActionIcon variant="subtle" color="red" aria-label={`Delete ${logo.name}`} onClick={() => onDelete(logo)}>
                      <IconTrash size={18} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
