export { useSecretCheck } from './secret-check.api';
export { SECRET_CHECK_DELAY_MS, SecretWarning, type SecretWarningState } from './components/secret-warning';
