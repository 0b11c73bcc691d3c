import { Badge, Box, Button, Divider, Group, Paper } from '@mantine/core';
import { IconCirclePlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ListAccountsQuery } from '../../../../common/schemas/accounts.js';
import { can } from '../../../../common/permissions.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import {
  AccountDetailsDrawer,
  AccountsSearch,
  AccountsTable,
  AccountsTableSkeleton,
  AssignLogoModal,
  CreateAccountModal,
  EditAccountDrawer,
  NoAccountsYet,
  NoMatchingAccounts,
  SelectedBar,
  useAccounts,
  type AccountSortField,
  type AccountsTableAdministration,
} from '../../features/accounts';
import { toActor } from '../../features/auth';
import { StatusMessage, useStatusMessage } from '../../features/logos';
import { useSignedInSession } from '../session-context';

const PAGE_SIZE = 25;

/** The URL is the state of this page (search, sort, page), so a view can be bookmarked and shared. */
function readQuery(searchParams: URLSearchParams): ListAccountsQuery {
  const parsed = ListAccountsQuery.safeParse({ ...Object.fromEntries(searchParams), pageSize: PAGE_SIZE });
  return parsed.success ? parsed.data : ListAccountsQuery.parse({ pageSize: PAGE_SIZE });
}

export function AccountsPage() {
  const { user } = useSignedInSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = readQuery(searchParams);
  const search = query.search ?? '';
  const accounts = useAccounts(query);
  const actor = toActor(user);
  // The seed gives View details, Edit, the check boxes and the Selected bar to Administrators only.
  const canManage = can(actor, 'accounts:manage');
  const canAssignLogos = can(actor, 'logos:manage');
  const status = useStatusMessage();
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());
  const [detailsId, setDetailsId] = useState<string | null>(null);
  const [editId, setEditId] = useState<string | null>(null);
  const [isCreating, setIsCreating] = useState(false);
  const [assigningIds, setAssigningIds] = useState<string[] | null>(null);

  const administration: AccountsTableAdministration | undefined = canManage
    ? {
        selectedIds,
        onToggle: (accountId) =>
          setSelectedIds((current) => {
            const next = new Set(current);
            if (next.has(accountId)) next.delete(accountId);
            else next.add(accountId);
            return next;
          }),
        onToggleAll: (accountIds, isSelected) =>
          setSelectedIds((current) => {
            const next = new Set(current);
            for (const accountId of accountIds) {
              if (isSelected) next.add(accountId);
              else next.delete(accountId);
            }
            return next;
          }),
        onViewDetails: setDetailsId,
        onEdit: setEditId,
      }
    : undefined;

  const updateQuery = (changes: Partial<Record<'search' | 'sort' | 'order' | 'page', string>>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearchParams(next);
  };

  const handleSearch = (value: string) => updateQuery({ search: value, page: '' });
  const handleSort = (field: AccountSortField) => {
    const order = query.sort === field && query.order === 'asc' ? 'desc' : 'asc';
    updateQuery({ sort: field, order, page: '' });
  };
  const handlePageChange = (page: number) => updateQuery({ page: page > 1 ? String(page) : '' });

  const description = canManage ? 'Every customer account of this Bulwark.' : 'The customer accounts assigned to you.';

  const renderBody = () => {
    if (accounts.isPending) return <AccountsTableSkeleton />;
    if (accounts.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={accounts.error} onRetry={() => void accounts.refetch()} title="Could not load accounts" />
        </Box>
      );
    }
    const { items, total, page, pageSize } = accounts.data;
    if (total === 0) return search ? <NoMatchingAccounts search={search} onClearSearch={() => handleSearch('')} /> : <NoAccountsYet />;
    return (
      <>
        <AccountsTable
          accounts={items}
          sort={query.sort}
          order={query.order}
          onSort={handleSort}
          isRefreshing={accounts.isPlaceholderData}
          administration={administration}
        />
        <Divider />
        <Box px="md" pb="md">
          <TablePagination page={page} pageSize={pageSize} total={total} noun="accounts" onPageChange={handlePageChange} />
        </Box>
      </>
    );
  };

  return (
    <>
      <PageHeader
        title="Accounts"
        description={description}
        aside={
          <Group gap="sm">
            {accounts.data && accounts.data.total > 0 && (
              <Badge variant="light" size="lg" radius="sm">
                {accounts.data.total.toLocaleString()} {accounts.data.total === 1 ? 'account' : 'accounts'}
              </Badge>
            )}
            {canManage && (
              <Button leftSection={<IconCirclePlus size={18} aria-hidden />} onClick={() => setIsCreating(true)}>
                Create Account
              </Button>
            )}
          </Group>
        }
      />
      <StatusMessage message={status.message} onClose={status.clear} />
      <Paper withBorder shadow="xs">
        <Box p="md">
          <AccountsSearch key={search} initialValue={search} onSearch={handleSearch} />
        </Box>
        <Divider />
        {renderBody()}
      </Paper>
      {canManage && (
        <>
          {/* Room for the Selected bar, so it never hides the pagination. */}
          {selectedIds.size > 0 && <Box h={72} />}
          {canAssignLogos && (
            <SelectedBar
              count={selectedIds.size}
              onClear={() => setSelectedIds(new Set())}
              onAssignLogo={() => setAssigningIds([...selectedIds])}
            />
          )}
          <AssignLogoModal
            accountIds={assigningIds}
            onClose={() => setAssigningIds(null)}
            onAssigned={(message) => {
              setSelectedIds(new Set());
              status.show(message);
            }}
          />
          <AccountDetailsDrawer accountId={detailsId} onClose={() => setDetailsId(null)} />
          <EditAccountDrawer accountId={editId} onClose={() => setEditId(null)} onSaved={status.show} />
          <CreateAccountModal opened={isCreating} onClose={() => setIsCreating(false)} onCreated={status.show} />
        </>
      )}
    </>
  );
}
