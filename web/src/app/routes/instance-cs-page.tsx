import { Center, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBox } from '@tabler/icons-react';
import { PageHeader } from '../../components/page-header';

/** Container Security: licensed, but importing container data is not built yet (issue 5). */
export function InstanceCsPage() {
  return (
    <>
      <PageHeader title="Container Security" description="Container images, their vulnerabilities and policy compliance." />
      <Paper withBorder radius="md" p="xl">
        <Center>
          <Stack align="center" gap="sm" maw={520} ta="center">
            <ThemeIcon size={56} radius="xl" variant="light" color="cyan" aria-hidden>
              <IconBox size={28} />
            </ThemeIcon>
            <Title order={2} size="h3">
              No container data yet
            </Title>
            <Text c="dimmed">
              No container data has arrived in this instance yet. Container images and their findings will appear here once container scans
              are sent to Bulwark.
            </Text>
          </Stack>
        </Center>
      </Paper>
    </>
  );
}
