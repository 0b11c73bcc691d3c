import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { UseMutationResult } from '@tanstack/react-query';
import { API_KEYS_REPLACE_WARNING, API_KEYS_SAVE_CAUTION, type GeneratedApiKeysResponse } from '../../../../../common/schemas/api-keys.js';
import { getErrorMessage } from '../../../lib/api-client';

interface GenerateApiKeysModalProps {
  opened: boolean;
  onClose: () => void;
  /** "Generate" on My Account; "Replace & Generate" in Edit User, as the seed words it. */
  confirmLabel: string;
  /** Whose keys, when they are someone else's. */
  forUsername?: string;
  generate: UseMutationResult<GeneratedApiKeysResponse, Error, void>;
}

function KeyField({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="center">
        <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'normal' }} aria-label={label}>
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`} withArrow position="left">
              <ActionIcon color={copied ? 'teal' : 'gray'} variant="subtle" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
                {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/**
 * The Generate API Keys window: the warning first, then the new pair, shown this once with copy
 * buttons. Closing the window forgets the keys.
 */
export function GenerateApiKeysModal({ opened, onClose, confirmLabel, forUsername, generate }: GenerateApiKeysModalProps) {
  const close = () => onClose();
  const keys = generate.data;
  return (
    <Modal
      opened={opened}
      onClose={close}
      // Forget the keys once the window has gone (not before, or the warning would flash back).
      onExitTransitionEnd={() => generate.reset()}
      title="Generate API Keys"
      size="lg"
      centered
      closeOnClickOutside={!keys}
    >
      {keys ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Caution">
            {API_KEYS_SAVE_CAUTION}
          </Alert>
          <KeyField label="Access Key" value={keys.accessKey} />
          <KeyField label="Secret Key" value={keys.secretKey} />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          {forUsername && (
            <Text size="sm">
              New API keys for <strong>{forUsername}</strong>.
            </Text>
          )}
          <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Caution">
            {API_KEYS_REPLACE_WARNING}
          </Alert>
          {generate.isError && (
            <Alert color="red" variant="light">
              {getErrorMessage(generate.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={() => generate.mutate()} loading={generate.isPending}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
