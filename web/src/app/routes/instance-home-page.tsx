import { Navigate } from 'react-router';
import { Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconApps } from '@tabler/icons-react';
import { FullPageLoader } from '../../components/full-page-loader';
import { useInstance, useInstanceParams } from '../../features/instances';

/** `/instances/:accountId`: opens the account's default app (Vulnerability Management when licensed). */
export function InstanceHomePage() {
  const { accountId, basePath } = useInstanceParams();
  const instance = useInstance(accountId);
  // The layout shows loading and errors; this page only decides where to go.
  if (!instance.data) return <FullPageLoader label="Opening the instance" />;
  if (instance.data.defaultApp) return <Navigate to={`${basePath}/${instance.data.defaultApp}`} replace />;
  return (
    <Center py="xl">
      <Stack align="center" gap="sm" maw={520} ta="center">
        <ThemeIcon size={56} radius="xl" variant="light" color="gray" aria-hidden>
          <IconApps size={28} />
        </ThemeIcon>
        <Title order={1}>No licensed apps</Title>
        <Text c="dimmed">
          {instance.data.displayName} is not licensed for Vulnerability Management, Web App Scanning or Container Security yet, so its
          instance has nothing to show. An MSSP Administrator adds licences on the Accounts page.
        </Text>
      </Stack>
    </Center>
  );
}
