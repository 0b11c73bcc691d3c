export { useConfirmEmail } from './my-account.api';
export { ChangePasswordCard } from './components/change-password-card';
export { ProfileCard } from './components/profile-card';
export { SessionsPanel } from './components/sessions-panel';
