export { useAccount, useAccounts } from './accounts.api';
export { AccountDetailsDrawer, formatSupportTicketDetails } from './components/account-details-drawer';
export { NoAccountsYet, NoMatchingAccounts } from './components/accounts-empty-state';
export { AccountsSearch } from './components/accounts-search';
export {
  AccountsTable,
  AccountsTableSkeleton,
  type AccountSortField,
  type AccountsTableAdministration,
  type SortOrder,
} from './components/accounts-table';
export { AssignLogoModal } from './components/assign-logo-modal';
export { CreateAccountModal } from './components/create-account-modal';
export { EditAccountDrawer } from './components/edit-account-drawer';
export { SelectedBar } from './components/selected-bar';
