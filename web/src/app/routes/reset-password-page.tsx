import { Alert, Anchor, Center, Loader, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { ResetPasswordForm, useResetToken } from '../../features/auth';
import { getErrorMessage } from '../../lib/api-client';
import type { LoginState } from '../navigation-state';

const MISSING_TOKEN_MESSAGE = 'This password reset link is incomplete. Open the link from the email again, or ask for a new one.';

export function ResetPasswordPage() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const token = searchParams.get('token') ?? '';
  const tokenInfo = useResetToken(token);

  if (token && tokenInfo.isPending) {
    return (
      <AuthLayout title="Choose a new password">
        <Center py="xl" role="status" aria-label="Checking the reset link">
          <Loader />
        </Center>
      </AuthLayout>
    );
  }

  if (!token || tokenInfo.isError) {
    return (
      <AuthLayout title="This link cannot be used">
        <Stack gap="lg">
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {token ? getErrorMessage(tokenInfo.error) : MISSING_TOKEN_MESSAGE}
          </Alert>
          <Text size="sm">
            Reset links work once and expire after an hour.{' '}
            <Anchor component={Link} to="/forgot-password">
              Forgot Password
            </Anchor>{' '}
            sends a new one.
          </Text>
        </Stack>
      </AuthLayout>
    );
  }

  const handlePasswordChanged = (message: string) => {
    const state: LoginState = { notice: { tone: 'success', message } };
    void navigate('/login', { replace: true, state });
  };

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle={
        <>
          for <strong>{tokenInfo.data?.username}</strong>
        </>
      }
    >
      <ResetPasswordForm token={token} username={tokenInfo.data?.username ?? ''} onPasswordChanged={handlePasswordChanged} />
    </AuthLayout>
  );
}
