import { ActionIcon, Badge, Checkbox, Group, Skeleton, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconInfoCircle, IconLogin2, IconPencil } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { AccountSummaryResponse, ListAccountsQuery } from '../../../../../common/schemas/accounts.js';
import { SSO_ENTERED_STATE, useEnterInstance } from '../../instances';
import { LogoImage } from '../../logos';
import tableClasses from '../../../components/data-table.module.css';
import { SortableHeader } from '../../../components/sortable-header';
import { getErrorMessage } from '../../../lib/api-client';
import classes from './accounts-table.module.css';
import { EmptyValue, LicensedAppBadges } from './licensed-app-badges';

export type AccountSortField = Extract<ListAccountsQuery['sort'], 'name' | 'siteId' | 'region'>;
export type SortOrder = ListAccountsQuery['order'];

const EXPIRY_WARNING_DAYS = 30;
/** Notes this short fit the two lines of the narrowest Notes column; longer ones get the whole text on hover. */
const NOTES_ALWAYS_SHOWN = 40;
const DAY_MS = 86_400_000;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** An ISO calendar date (2027-01-31) as the reader writes dates, without a time-zone shift. */
function formatCalendarDate(isoDate: string): string {
  return dateFormat.format(new Date(`${isoDate}T00:00:00Z`));
}

function getDaysUntil(isoDate: string, now: number): number {
  return Math.floor((new Date(`${isoDate}T00:00:00Z`).getTime() - now) / DAY_MS);
}

export function getDisplayName(account: Pick<AccountSummaryResponse, 'name' | 'customName'>): string {
  return account.customName?.trim() || account.name;
}

function PerApp({ children }: { children: ReactNode }) {
  return <Stack gap={2}>{children}</Stack>;
}

function AppCode({ code }: { code: string }) {
  return (
    <Text span size="xs" fw={600} c="dimmed" className={classes.appCode}>
      {code.toUpperCase()}
    </Text>
  );
}

function LicenceExpiry({ account, now }: { account: AccountSummaryResponse; now: number }) {
  const dated = account.licenses.filter((license) => license.expiresOn !== null);
  if (dated.length === 0) return <EmptyValue />;
  return (
    <PerApp>
      {dated.map((license) => {
        const expiresOn = license.expiresOn ?? '';
        const days = getDaysUntil(expiresOn, now);
        const tone = days < 0 ? classes.expired : days <= EXPIRY_WARNING_DAYS ? classes.expiringSoon : undefined;
        return (
          <Text key={license.app} size="sm" className={tone}>
            {/* The date stays on one line; the Expired badge may drop below it in a narrow column. */}
            <span className={classes.nowrap}>
              <AppCode code={license.app} /> {formatCalendarDate(expiresOn)}
            </span>
            {days < 0 && (
              <Badge component="span" ml={6} size="xs" color="red" variant="light">
                Expired
              </Badge>
            )}
          </Text>
        );
      })}
    </PerApp>
  );
}

/** Administrators' row controls: check boxes for the Selected bar, View details and Edit. */
export interface AccountsTableAdministration {
  selectedIds: ReadonlySet<string>;
  onToggle: (accountId: string) => void;
  onToggleAll: (accountIds: string[], isSelected: boolean) => void;
  onViewDetails: (accountId: string) => void;
  onEdit: (accountId: string) => void;
}

interface AccountsTableProps {
  accounts: AccountSummaryResponse[];
  sort: ListAccountsQuery['sort'];
  order: SortOrder;
  onSort: (field: AccountSortField) => void;
  /** A new page or sort is loading: dim the rows on screen. */
  isRefreshing?: boolean;
  /** Present for Administrators only; other staff get the table and the search. */
  administration?: AccountsTableAdministration;
}

interface AccountsTableHeadProps extends Pick<AccountsTableProps, 'sort' | 'order' | 'onSort'> {
  selection?: { checked: boolean; indeterminate: boolean; onChange: () => void } | null;
  hasActions?: boolean;
}

function AccountsTableHead({ sort, order, onSort, selection, hasActions = false }: AccountsTableHeadProps) {
  return (
    <Table.Thead>
      <Table.Tr>
        {selection && (
          <Table.Th className={classes.checkColumn}>
            <Checkbox
              aria-label="Select all accounts on this page"
              checked={selection.checked}
              indeterminate={selection.indeterminate}
              onChange={selection.onChange}
            />
          </Table.Th>
        )}
        <Table.Th className={classes.logoColumn}>
          <span className="bulwark-visually-hidden">Logo</span>
        </Table.Th>
        <SortableHeader field="name" label="Customer Name" sort={sort} order={order} onSort={onSort} />
        <Table.Th>Licensed Apps</Table.Th>
        <SortableHeader field="siteId" label="Site Identifier" sort={sort} order={order} onSort={onSort} />
        <SortableHeader field="region" label="Region" sort={sort} order={order} onSort={onSort} />
        <Table.Th>Licensed Assets</Table.Th>
        <Table.Th>Licence Expiry</Table.Th>
        <Table.Th>Notes</Table.Th>
        {hasActions && (
          <Table.Th className={classes.actionsColumn}>
            <span className="bulwark-visually-hidden">Actions</span>
          </Table.Th>
        )}
      </Table.Tr>
    </Table.Thead>
  );
}

/** The Accounts table of the seed: one row per customer account, sortable by name, site and region. */
export function AccountsTable({ accounts, sort, order, onSort, isRefreshing = false, administration }: AccountsTableProps) {
  // Fixed for the life of the table, so expiry colours do not flicker between renders.
  const [now] = useState(() => Date.now());
  const pageIds = accounts.map((account) => account.id);
  const selectedOnPage = administration ? pageIds.filter((id) => administration.selectedIds.has(id)).length : 0;
  const selection = administration
    ? {
        checked: pageIds.length > 0 && selectedOnPage === pageIds.length,
        indeterminate: selectedOnPage > 0 && selectedOnPage < pageIds.length,
        onChange: () => administration.onToggleAll(pageIds, selectedOnPage < pageIds.length),
      }
    : null;
  return (
    <Table.ScrollContainer minWidth={980} type="native">
      <Table
        highlightOnHover
        horizontalSpacing="xs"
        className={`${tableClasses.table} ${classes.fitsWidth}`}
        data-refreshing={isRefreshing || undefined}
        aria-busy={isRefreshing}
      >
        <caption className="bulwark-visually-hidden">Customer accounts</caption>
        <AccountsTableHead sort={sort} order={order} onSort={onSort} selection={selection} hasActions />
        <Table.Tbody>
          {accounts.map((account) => {
            const displayName = getDisplayName(account);
            const isSelected = administration?.selectedIds.has(account.id) ?? false;
            return (
              <Table.Tr key={account.id} className={classes.row} data-selected={isSelected || undefined}>
                {administration && (
                  <Table.Td className={classes.checkColumn}>
                    <Checkbox
                      aria-label={`Select ${displayName}`}
                      checked={isSelected}
                      onChange={() => administration.onToggle(account.id)}
                    />
                  </Table.Td>
                )}
                <Table.Td className={classes.logoColumn}>
                  <LogoImage logoId={account.logoId} version={account.logoVersion} alt={`${displayName} logo`} width={80} height={24} />
                </Table.Td>
                <Table.Td className={classes.nameColumn}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={600}>
                      {displayName}
                    </Text>
                    {!account.isActive && (
                      <Badge size="xs" color="gray" variant="outline" style={{ flexShrink: 0 }}>
                        Inactive
                      </Badge>
                    )}
                  </Group>
                  {displayName !== account.name && (
                    <Text size="xs" c="dimmed">
                      {account.name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className={classes.appsColumn}>
                  <LicensedAppBadges apps={account.licenses.map((license) => license.app)} />
                </Table.Td>
                <Table.Td>{account.siteId ? <Text size="sm">{account.siteId}</Text> : <EmptyValue />}</Table.Td>
                <Table.Td>{account.region ? <Text size="sm">{account.region}</Text> : <EmptyValue />}</Table.Td>
                <Table.Td>
                  {account.licenses.length === 0 ? (
                    <EmptyValue />
                  ) : (
                    <PerApp>
                      {account.licenses.map((license) => {
                        const isOverLimit = license.licensedAssets > license.assetLimit;
                        return (
                          <Text
                            key={license.app}
                            size="sm"
                            title={isOverLimit ? 'More assets than the licence allows' : undefined}
                            className={`${classes.nowrap} ${isOverLimit ? classes.expired : ''}`}
                          >
                            <AppCode code={license.app} /> {license.licensedAssets.toLocaleString()} / {license.assetLimit.toLocaleString()}
                          </Text>
                        );
                      })}
                    </PerApp>
                  )}
                </Table.Td>
                <Table.Td>
                  <LicenceExpiry account={account} now={now} />
                </Table.Td>
                <Table.Td className={classes.notesColumn}>
                  {account.notes.trim() ? (
                    <Tooltip label={account.notes} multiline w={320} disabled={account.notes.length < NOTES_ALWAYS_SHOWN}>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {account.notes}
                      </Text>
                    </Tooltip>
                  ) : (
                    <EmptyValue />
                  )}
                </Table.Td>
                <Table.Td className={classes.actionsColumn}>
                  <Group gap={2} wrap="nowrap" justify="flex-end" className={classes.rowActions}>
                    <SingleSignOnButton accountId={account.id} displayName={displayName} isActive={account.isActive} />
                    {administration && (
                      <>
                        <Tooltip label="View details">
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`View details of ${displayName}`}
                            onClick={() => administration.onViewDetails(account.id)}
                          >
                            <IconInfoCircle size={18} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Edit">
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`Edit ${displayName}`}
                            onClick={() => administration.onEdit(account.id)}
                          >
                            <IconPencil size={18} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      </>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The seed's single sign-on action: records entering the account's instance, then opens it as the
 * staff user, with their own role there. A deactivated account's instance is closed.
 */
function SingleSignOnButton({ accountId, displayName, isActive }: { accountId: string; displayName: string; isActive: boolean }) {
  const enter = useEnterInstance();
  const navigate = useNavigate();
  const signIn = () =>
    enter.mutate(accountId, {
      onSuccess: () => void navigate(`/instances/${encodeURIComponent(accountId)}`, { state: SSO_ENTERED_STATE }),
    });
  const tooltip = !isActive ? 'Deactivated: its instance is closed' : enter.isError ? getErrorMessage(enter.error) : 'Sign in to instance';
  return (
    <>
      <Tooltip label={tooltip} multiline maw={280}>
        <ActionIcon
          variant="subtle"
          color={enter.isError ? 'red' : 'bulwark'}
          aria-label={`Sign in to the instance of ${displayName}`}
          disabled={!isActive}
          loading={enter.isPending}
          onClick={signIn}
        >
          <IconLogin2 size={18} aria-hidden />
        </ActionIcon>
      </Tooltip>
      {enter.isError && (
        <VisuallyHidden role="alert">
          Could not sign in to {displayName}: {getErrorMessage(enter.error)}
        </VisuallyHidden>
      )}
    </>
  );
}

/** Placeholder rows while the first page loads. */
export function AccountsTableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <Table.ScrollContainer minWidth={980} type="native">
      <Table horizontalSpacing="xs" className={`${tableClasses.table} ${classes.fitsWidth}`} aria-busy>
        <caption className="bulwark-visually-hidden">Loading customer accounts</caption>
        <AccountsTableHead sort="name" order="asc" onSort={() => undefined} />
        <Table.Tbody>
          {Array.from({ length: rows }, (_, index) => (
            <Table.Tr key={index}>
              <Table.Td className={classes.logoColumn}>
                <Skeleton h={24} w={80} radius="sm" />
              </Table.Td>
              <Table.Td>
                <Skeleton h={12} w="70%" />
              </Table.Td>
              <Table.Td>
                <Skeleton h={18} w={72} />
              </Table.Td>
              <Table.Td>
                <Skeleton h={12} w={80} />
              </Table.Td>
              <Table.Td>
                <Skeleton h={12} w={64} />
              </Table.Td>
              <Table.Td>
                <Skeleton h={12} w={90} />
              </Table.Td>
              <Table.Td>
                <Skeleton h={12} w={96} />
              </Table.Td>
              <Table.Td>
                <Skeleton h={12} w="80%" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
