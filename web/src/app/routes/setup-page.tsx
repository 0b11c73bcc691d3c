import { Alert, Anchor, Center, Loader, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { SetupForm, useSetupToken } from '../../features/setup';
import { getErrorMessage, isApiError } from '../../lib/api-client';

const MISSING_TOKEN_MESSAGE = 'This setup link is incomplete. Use the full link Bulwark printed when it first started.';

export function SetupPage() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const token = searchParams.get('token') ?? '';
  const tokenCheck = useSetupToken(token);

  if (token && tokenCheck.isPending) {
    return (
      <AuthLayout title="Create the first Administrator">
        <Center py="xl" role="status" aria-label="Checking the setup link">
          <Loader />
        </Center>
      </AuthLayout>
    );
  }

  if (!token || tokenCheck.isError) {
    const isAlreadySetUp = isApiError(tokenCheck.error) && tokenCheck.error.code === 'conflict';
    return (
      <AuthLayout title={isAlreadySetUp ? 'Bulwark is already set up' : 'This setup link cannot be used'}>
        <Stack gap="lg">
          <Alert color={isAlreadySetUp ? 'bulwark' : 'red'} variant="light" icon={<IconAlertCircle aria-hidden />}>
            {token ? getErrorMessage(tokenCheck.error) : MISSING_TOKEN_MESSAGE}
          </Alert>
          <Text size="sm">
            Have an account?{' '}
            <Anchor component={Link} to="/login">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Create the first Administrator"
      subtitle="This account manages Bulwark. The domain of its username becomes the first approved domain: staff usernames must end in an approved domain."
      isWide
    >
      <SetupForm token={token} onCreated={() => void navigate('/accounts', { replace: true })} />
    </AuthLayout>
  );
}
