import { AuthLayout } from '../../components/auth-layout';
import { ForgotPasswordForm } from '../../features/auth';

export function ForgotPasswordPage() {
  return (
    <AuthLayout title="Reset your password">
      <ForgotPasswordForm />
    </AuthLayout>
  );
}
