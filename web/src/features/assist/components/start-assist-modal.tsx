import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { ROLE_LABELS, type RoleValue } from '../../../../../common/permissions.js';
import { StartAssistBody } from '../../../../../common/schemas/assist.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { useStartAssist } from '../assist.api';

/** The user an Administrator chose to assist in the users table. */
export interface AssistTarget {
  id: string;
  username: string;
  name: string;
  role: RoleValue;
}

interface StartAssistModalProps {
  /** The user to assist; null closes the window. */
  target: AssistTarget | null;
  onClose: () => void;
}

const reasonSchema = StartAssistBody.shape.reason;

/**
 * Asks why before an assist starts (the reason goes to the audit log), then shows the Accounts
 * page as that user, as the seed describes.
 */
export function StartAssistModal({ target, onClose }: StartAssistModalProps) {
  const startAssist = useStartAssist();
  // Keep showing the last target while the window fades out.
  const [shown, setShown] = useState(target);
  if (target && target !== shown) setShown(target);
  const form = useForm({
    initialValues: { reason: '' },
    validate: {
      reason: (value) => {
        const result = reasonSchema.safeParse(value);
        return result.success ? null : (result.error.issues[0]?.message ?? 'Give a reason.');
      },
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    if (!shown) return;
    startAssist.mutate(
      { userId: shown.id, reason: values.reason.trim() },
      {
        onError: (error) => {
          const fields = getFieldErrors(error);
          if (fields.reason) form.setErrors({ reason: fields.reason });
        },
      },
    );
  });

  const close = () => {
    if (!startAssist.isPending) onClose();
  };

  return (
    <Modal
      opened={target !== null}
      onClose={close}
      onExitTransitionEnd={() => {
        form.reset();
        startAssist.reset();
      }}
      title="Assist User"
      centered
    >
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            You will see Bulwark as <strong>{shown?.name || shown?.username}</strong> ({shown?.username}
            {shown ? `, ${ROLE_LABELS[shown.role]}` : ''}) and can act as them, without their password and without signing out. A blue bar
            at the top of every page lets you stop; the assist also ends by itself after its time limit.
          </Text>
          <Text size="sm" c="dimmed">
            You cannot change their password, email, two-factor settings, API keys or sessions. Starting, stopping and everything you do is
            recorded in the audit log with your name, theirs and this reason.
          </Text>
          <Textarea
            label="Reason"
            description="Why you are assisting this user, for example a support ticket number."
            placeholder="Ticket 4711: cannot find an account"
            required
            autosize
            minRows={2}
            maxRows={6}
            maxLength={500}
            data-autofocus
            {...form.getInputProps('reason')}
          />
          {startAssist.isError && !getFieldErrors(startAssist.error).reason && (
            <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
              {getErrorMessage(startAssist.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={startAssist.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={startAssist.isPending}>
              Start Assisting
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
