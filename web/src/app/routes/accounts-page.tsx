import { Badge, Box, Divider, Paper } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { ListAccountsQuery } from '../../../../common/schemas/accounts.js';
import { ROLES } from '../../../../common/permissions.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import {
  AccountsSearch,
  AccountsTable,
  AccountsTableSkeleton,
  NoAccountsYet,
  NoMatchingAccounts,
  useAccounts,
  type AccountSortField,
} from '../../features/accounts';
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

  const description =
    user.kind === 'staff' && user.role === ROLES.administrator
      ? 'Every customer account of this Bulwark.'
      : 'The customer accounts assigned to you.';

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
          accounts.data && accounts.data.total > 0 ? (
            <Badge variant="light" size="lg" radius="sm">
              {accounts.data.total.toLocaleString()} {accounts.data.total === 1 ? 'account' : 'accounts'}
            </Badge>
          ) : null
        }
      />
      <Paper withBorder shadow="xs">
        <Box p="md">
          <AccountsSearch key={search} initialValue={search} onSearch={handleSearch} />
        </Box>
        <Divider />
        {renderBody()}
      </Paper>
    </>
  );
}
