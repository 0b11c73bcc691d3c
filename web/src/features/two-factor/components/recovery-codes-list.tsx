import { Alert, Button, CopyButton, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

/** Ten recovery codes, shown this once, with a copy button. */
export function RecoveryCodesList({ codes }: { codes: readonly string[] }) {
  return (
    <Stack gap="sm">
      <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Save your recovery codes">
        Each code signs you in once if you lose your phone or passkey. Keep them somewhere safe: Bulwark will not show them again.
      </Alert>
      <SimpleGrid cols={2} spacing="xs" aria-label="Recovery codes" role="list">
        {codes.map((code) => (
          <Text key={code} ff="monospace" size="md" role="listitem" data-testid="recovery-code">
            {code}
          </Text>
        ))}
      </SimpleGrid>
      <CopyButton value={codes.join('\n')} timeout={2000}>
        {({ copied, copy }) => (
          <Button
            variant="light"
            color={copied ? 'teal' : undefined}
            leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
            onClick={copy}
          >
            {copied ? 'Copied' : 'Copy codes'}
          </Button>
        )}
      </CopyButton>
    </Stack>
  );
}
