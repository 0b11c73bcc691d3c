export { useSetupToken } from './setup.api';
export { SetupForm } from './components/setup-form';
