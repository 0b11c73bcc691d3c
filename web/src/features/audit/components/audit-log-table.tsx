import { Badge, Code, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import type { AuditEventResponse } from '../../../../../common/schemas/audit.js';
import classes from './audit-log-table.module.css';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const DETAILS_PREVIEW_LENGTH = 140;

/** UUIDs are long; the first block tells events apart at a glance (the full id is in the tooltip). */
function shortenId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

function formatDetails(details: Record<string, unknown>): string {
  return Object.keys(details).length === 0 ? '' : JSON.stringify(details);
}

function onBehalfOfName(event: AuditEventResponse): string {
  const username = event.details.onBehalfOfUsername;
  return typeof username === 'string' ? username : 'another user';
}

/** User assist events carry the reason the Administrator gave; it is the point of reading them. */
function assistReasonOf(event: AuditEventResponse): string | undefined {
  const reason = event.details.reason;
  return event.action.startsWith('assist.') && typeof reason === 'string' ? reason : undefined;
}

function Dimmed({ children }: { children: string }) {
  return (
    <Text span size="sm" c="dimmed">
      {children}
    </Text>
  );
}

function OutcomeBadge({ outcome }: { outcome: AuditEventResponse['outcome'] }) {
  // The dot carries the colour; the label keeps the body text colour, readable in both schemes.
  return outcome === 'success' ? (
    <Badge color="teal" variant="dot" size="md">
      Success
    </Badge>
  ) : (
    <Badge color="red" variant="dot" size="md">
      Failure
    </Badge>
  );
}

function AuditLogHead() {
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>Time</Table.Th>
        <Table.Th>User</Table.Th>
        <Table.Th>Action</Table.Th>
        <Table.Th>Outcome</Table.Th>
        <Table.Th>Target</Table.Th>
        <Table.Th>IP</Table.Th>
        <Table.Th>Details</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
}

interface AuditLogTableProps {
  events: AuditEventResponse[];
  isRefreshing?: boolean;
}

/** Audit events, one per row; times in the reader's time zone, details as compact JSON. */
export function AuditLogTable({ events, isRefreshing = false }: AuditLogTableProps) {
  return (
    // Focusable so keyboard users can scroll it sideways on narrow screens.
    <Table.ScrollContainer minWidth={1040} type="native" tabIndex={0} role="region" aria-label="Audit events" className={classes.scroller}>
      <Table highlightOnHover className={classes.table} data-refreshing={isRefreshing || undefined} aria-busy={isRefreshing}>
        <caption className="bulwark-visually-hidden">Audit events, newest first</caption>
        <AuditLogHead />
        <Table.Tbody>
          {events.map((event) => {
            const details = formatDetails(event.details);
            return (
              <Table.Tr key={event.id}>
                <Table.Td className={classes.nowrap}>
                  <Text size="sm" component="time" dateTime={event.at}>
                    {timeFormat.format(new Date(event.at))}
                  </Text>
                </Table.Td>
                <Table.Td className={classes.user}>
                  {event.actorUsername ? (
                    <Text size="sm" truncate="end" title={event.actorUsername}>
                      {event.actorUsername}
                    </Text>
                  ) : (
                    <Dimmed>System</Dimmed>
                  )}
                  {event.onBehalfOfUserId && (
                    // User assist: the Administrator acted as this user (the username is kept in details).
                    <Text size="xs" c="dimmed" truncate="end" title={onBehalfOfName(event)}>
                      on behalf of {onBehalfOfName(event)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code className={classes.action}>{event.action}</Code>
                  {assistReasonOf(event) && (
                    <Text size="xs" c="dimmed" lineClamp={2} title={assistReasonOf(event)}>
                      Reason: {assistReasonOf(event)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className={classes.outcome}>
                  <OutcomeBadge outcome={event.outcome} />
                </Table.Td>
                <Table.Td className={classes.target}>
                  {event.targetType ? (
                    <>
                      <Text size="sm">{event.targetType}</Text>
                      {event.targetId && (
                        <Text size="xs" c="dimmed" ff="monospace" title={event.targetId} className={classes.nowrap}>
                          {shortenId(event.targetId)}
                        </Text>
                      )}
                    </>
                  ) : (
                    <Dimmed>—</Dimmed>
                  )}
                </Table.Td>
                <Table.Td className={classes.nowrap}>
                  {event.ip ? (
                    <Text size="sm" ff="monospace">
                      {event.ip}
                    </Text>
                  ) : (
                    <Dimmed>—</Dimmed>
                  )}
                </Table.Td>
                <Table.Td className={classes.details}>
                  {details ? (
                    <Tooltip label={details} multiline w={420} disabled={details.length <= DETAILS_PREVIEW_LENGTH} position="top-end">
                      <Code className={classes.detailsCode}>
                        {details.length > DETAILS_PREVIEW_LENGTH ? `${details.slice(0, DETAILS_PREVIEW_LENGTH)}…` : details}
                      </Code>
                    </Tooltip>
                  ) : (
                    <Dimmed>—</Dimmed>
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

export function AuditLogTableSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <Table.ScrollContainer minWidth={1040} type="native">
      <Table className={classes.table} aria-busy>
        <caption className="bulwark-visually-hidden">Loading audit events</caption>
        <AuditLogHead />
        <Table.Tbody>
          {Array.from({ length: rows }, (_, index) => (
            <Table.Tr key={index}>
              {[150, 140, 120, 64, 110, 90, 200].map((width, cell) => (
                <Table.Td key={cell}>
                  <Skeleton h={12} w={width} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
