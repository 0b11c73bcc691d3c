import { Table } from '@mantine/core';
import { USER_DELETION_OBJECTS } from '../../../../../common/schemas/users.js';

/** The seed's table of what is migrated, retained or deleted when a user is deleted. */
export function UserDeletionObjectsTable() {
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={6} striped withTableBorder>
        <caption className="bulwark-visually-hidden">What happens to the user&apos;s objects</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Object Type</Table.Th>
            <Table.Th>Deleted</Table.Th>
            <Table.Th>Notes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {USER_DELETION_OBJECTS.map((row) => (
            <Table.Tr key={row.objectType}>
              <Table.Td>{row.objectType}</Table.Td>
              <Table.Td>{row.isDeleted ? 'Yes' : 'No'}</Table.Td>
              <Table.Td>{row.notes}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
