export { SecondFactorForm } from './components/second-factor-form';
export { TwoFactorPanel } from './components/two-factor-panel';
export { TWO_FACTOR_SETUP_PATH, TwoFactorSetupGate } from './components/two-factor-setup-gate';
export { useTwoFactorStatus } from './two-factor.api';
