export { useDeleteUser, useStaffUser, useStaffUsers } from './users.api';
export { UserDeletionObjectsTable } from './components/user-deletion-objects-table';
export { UserForm } from './components/user-form';
export { UserStatusModal, type UserStatusTarget } from './components/user-status-modal';
export { UsersTable } from './components/users-table';
