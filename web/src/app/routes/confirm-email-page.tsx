import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCheck } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { useSession } from '../../features/auth';
import { useConfirmEmail } from '../../features/my-account';
import { getErrorMessage } from '../../lib/api-client';

const MISSING_TOKEN_MESSAGE = 'This email confirmation link is incomplete. Open the link from the email again.';

/**
 * Where the link mailed to a new Email address leads. Confirming takes a click, so a mail
 * scanner that opens links cannot confirm an address on its own.
 */
export function ConfirmEmailPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const confirm = useConfirmEmail();
  const session = useSession();
  const next = session.data ? { to: '/my-account', label: 'Back to My Account' } : { to: '/login', label: 'Sign in' };

  if (confirm.isSuccess) {
    return (
      <AuthLayout title="Email address confirmed">
        <Stack gap="lg">
          <Alert color="teal" variant="light" icon={<IconCheck aria-hidden />}>
            {confirm.data.message}
          </Alert>
          <Anchor component={Link} to={next.to}>
            {next.label}
          </Anchor>
        </Stack>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Confirm your new email address">
      <Stack gap="lg">
        {(!token || confirm.isError) && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {token ? getErrorMessage(confirm.error) : MISSING_TOKEN_MESSAGE}
          </Alert>
        )}
        <Text size="sm">
          Confirm to make the address this link was sent to the Email of your Bulwark user. The link works once, within 24 hours.
        </Text>
        <Button size="md" fullWidth disabled={!token} loading={confirm.isPending} onClick={() => confirm.mutate(token)}>
          Confirm email address
        </Button>
      </Stack>
    </AuthLayout>
  );
}
