export {
  endExpiredSession,
  sessionQueryKey,
  storeSession,
  toActor,
  useCsrfToken,
  usePasswordPolicy,
  useResetToken,
  useSession,
  useSignOut,
} from './auth.api';
export { forgetSignOut, readSessionMarker, type SessionMarker } from './session-marker';
export { ForgotPasswordForm } from './components/forgot-password-form';
export { PasswordHints, validateNewPassword, validatePasswordsMatch } from './components/password-hints';
export { ResetPasswordForm } from './components/reset-password-form';
export { SignInForm } from './components/sign-in-form';
