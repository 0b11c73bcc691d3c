import { Alert, Button, Stack } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useSession } from '../../features/auth';
import { TwoFactorPanel } from '../../features/two-factor';
import { getLandingPath } from '../navigation-state';
import { useSignedInSession } from '../session-context';

/** Where staff land while REQUIRE_STAFF_TWO_FACTOR asks them to set up a second factor first. */
export function TwoFactorSetupPage() {
  const { user } = useSignedInSession();
  const session = useSession();
  const isRequired = session.data?.twoFactorSetupRequired === true;
  return (
    <>
      <PageHeader
        title="Set up two-factor authentication"
        description="Your organisation requires a second step after your password. Choose a method below; a passkey or an authenticator app is best."
      />
      <Stack gap="lg">
        {!isRequired && (
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} maw={760}>
            Two-factor authentication is set up.{' '}
            <Button component={Link} to={getLandingPath(user)} size="xs" ml="sm">
              Continue
            </Button>
          </Alert>
        )}
        <TwoFactorPanel />
      </Stack>
    </>
  );
}
