import { ActionIcon, Anchor, Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconLifebuoy, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import { ROLE_LABELS } from '../../../../../common/permissions.js';
import type { UserSummaryResponse } from '../../../../../common/schemas/users.js';
import classes from './users-table.module.css';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatTime(value: string | null) {
  return value ? (
    timeFormat.format(new Date(value))
  ) : (
    <Text span size="sm" c="dimmed">
      Never
    </Text>
  );
}

interface UsersTableProps {
  users: UserSummaryResponse[];
  currentUserId: string;
  onDisable: (user: UserSummaryResponse) => void;
  onEnable: (user: UserSummaryResponse) => void;
  /** User assist: offered on enabled users who are not Administrators. */
  onAssist?: (user: UserSummaryResponse) => void;
}

/** The users table; the row actions appear on hover (and stay reachable by keyboard). */
export function UsersTable({ users, currentUserId, onDisable, onEnable, onAssist }: UsersTableProps) {
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table verticalSpacing="sm" highlightOnHover>
        <caption className="bulwark-visually-hidden">Staff users</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>User</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Last Login</Table.Th>
            <Table.Th>Last Failed Login</Table.Th>
            <Table.Th>Failed Attempts</Table.Th>
            <Table.Th>Accounts</Table.Th>
            <Table.Th w={110}>
              <span className="bulwark-visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const isSelf = user.id === currentUserId;
            return (
              <Table.Tr key={user.id} className={classes.row}>
                <Table.Td>
                  <Stack gap={2}>
                    <Group gap={6} wrap="nowrap">
                      <Anchor component={Link} to={`/admin/users/${user.id}`} fw={600} size="sm">
                        {user.name || user.username}
                      </Anchor>
                      {user.isDisabled && (
                        <Badge color="red" variant="light" size="sm">
                          Disabled
                        </Badge>
                      )}
                      {user.isSupportAgent && (
                        <Badge color="grape" variant="light" size="sm">
                          Support agent
                        </Badge>
                      )}
                      {isSelf && (
                        <Badge color="gray" variant="outline" size="sm">
                          You
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {user.username}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>{ROLE_LABELS[user.role]}</Table.Td>
                <Table.Td>{formatTime(user.lastLoginAt)}</Table.Td>
                <Table.Td>{formatTime(user.lastFailedLoginAt)}</Table.Td>
                <Table.Td>{user.failedLoginCount}</Table.Td>
                <Table.Td>
                  {user.role === 64 ? (
                    <Text span size="sm" c="dimmed">
                      All
                    </Text>
                  ) : (
                    user.assignedAccountCount
                  )}
                </Table.Td>
                <Table.Td>
                  {!isSelf && (
                    <Group gap={4} justify="flex-end" wrap="nowrap" className={classes.actions}>
                      {user.isDisabled ? (
                        <>
                          <Tooltip label="Enable" withArrow>
                            <ActionIcon variant="subtle" color="teal" aria-label={`Enable ${user.username}`} onClick={() => onEnable(user)}>
                              <IconCircleCheck size={18} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label="Delete" withArrow>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              component={Link}
                              to={`/admin/users/${user.id}/delete`}
                              aria-label={`Delete ${user.username}`}
                            >
                              <IconTrash size={18} />
                            </ActionIcon>
                          </Tooltip>
                        </>
                      ) : (
                        <>
                          {onAssist && user.role !== 64 && (
                            <Tooltip label="Assist user" withArrow>
                              <ActionIcon variant="subtle" aria-label={`Assist ${user.username}`} onClick={() => onAssist(user)}>
                                <IconLifebuoy size={18} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                          <Tooltip label="Disable" withArrow>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={`Disable ${user.username}`}
                              onClick={() => onDisable(user)}
                            >
                              <IconCircleX size={18} />
                            </ActionIcon>
                          </Tooltip>
                        </>
                      )}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
