export { useAccounts } from './accounts.api';
export { NoAccountsYet, NoMatchingAccounts } from './components/accounts-empty-state';
export { AccountsSearch } from './components/accounts-search';
export { AccountsTable, AccountsTableSkeleton, type AccountSortField, type SortOrder } from './components/accounts-table';
