import { ActionIcon, Alert, Badge, Button, Checkbox, Divider, Group, Paper, Skeleton, Stack, Text, Title, Tooltip } from '@mantine/core';
import {
  IconAlertCircle,
  IconCircleCheck,
  IconDeviceMobileMessage,
  IconFingerprint,
  IconKey,
  IconShieldLock,
  IconTrash,
} from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { SMS_WEAKEST_REASON, type TwoFactorStatusResponse } from '../../../../../common/schemas/two-factor.js';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage } from '../../../lib/api-client';
import { useRegenerateRecoveryCodes, useRemovePasskey, useRemoveTotp, useSaveBackupEmail, useTwoFactorStatus } from '../two-factor.api';
import { AddPasskeyModal } from './add-passkey-modal';
import { DisableTwoFactorModal } from './disable-two-factor-modal';
import { RecoveryCodesList } from './recovery-codes-list';
import { SmsSetupPlane } from './sms-setup-plane';
import { TotpSetupModal } from './totp-setup-modal';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function MethodRow({
  icon,
  title,
  badge,
  description,
  children,
}: {
  icon: ReactNode;
  title: string;
  badge?: ReactNode;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <Stack gap={6} role="group" aria-label={title}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="xs">
          {icon}
          <Text fw={600}>{title}</Text>
          {badge}
        </Group>
        <Group gap="xs">{children}</Group>
      </Group>
      <Text size="sm" c="dimmed">
        {description}
      </Text>
    </Stack>
  );
}

const onBadge = (
  <Badge color="teal" variant="light">
    On
  </Badge>
);

function BackupEmailSetting({ sms }: { sms: NonNullable<TwoFactorStatusResponse['sms']> }) {
  const save = useSaveBackupEmail();
  const [isChecked, setIsChecked] = useState(sms.sendBackupEmail);
  return (
    <Stack gap="xs" pl="xl">
      <Group gap="md" align="center">
        <Checkbox
          label="Send backup email"
          description={`Each verification code also goes to ${sms.backupEmail}.`}
          checked={isChecked}
          onChange={(event) => setIsChecked(event.currentTarget.checked)}
        />
        <Button size="xs" variant="light" loading={save.isPending} onClick={() => save.mutate(isChecked)}>
          Save
        </Button>
      </Group>
      {save.isSuccess && (
        <Text size="sm" c="teal" role="status">
          {save.data.message}
        </Text>
      )}
      {save.isError && (
        <Text size="sm" c="red" role="alert">
          {getErrorMessage(save.error)}
        </Text>
      )}
    </Stack>
  );
}

/**
 * My Account → Two-Factor: under "Enable Two Factor Authentication", the factors strongest first
 * (passkey, authenticator app, text message last with the reason why), recovery codes and Disable.
 */
export function TwoFactorPanel() {
  const status = useTwoFactorStatus();
  const removeTotp = useRemoveTotp();
  const removePasskey = useRemovePasskey();
  const regenerate = useRegenerateRecoveryCodes();
  const [open, setOpen] = useState<'sms' | 'totp' | 'passkey' | 'disable' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => void status.refetch();

  if (status.isPending) return <Skeleton height={240} maw={760} />;
  if (status.isError) {
    return <QueryErrorAlert error={status.error} onRetry={() => void status.refetch()} title="Could not load your two-factor settings" />;
  }
  const { data } = status;
  const actionError = removeTotp.error ?? removePasskey.error ?? regenerate.error;

  return (
    <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }} maw={760}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Group gap="xs">
            <IconShieldLock size={20} stroke={1.7} aria-hidden />
            <Title order={2} size="h4">
              Enable Two Factor Authentication
            </Title>
            {data.isEnabled ? (
              onBadge
            ) : (
              <Badge color="gray" variant="light">
                Off
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            A second step after your password: even someone who knows your password cannot sign in as you. Only you can set it up for your
            user; Administrators cannot configure it for other users.
          </Text>
        </Stack>

        {data.isRequired && !data.isEnabled && (
          <Alert color="orange" variant="light" icon={<IconAlertCircle aria-hidden />} title="Two-factor authentication is required">
            Your organisation requires two-factor authentication for staff. Set up at least one method below to continue using Bulwark.
          </Alert>
        )}
        {notice && (
          <Alert
            color="teal"
            variant="light"
            icon={<IconCircleCheck aria-hidden />}
            role="status"
            withCloseButton
            onClose={() => setNotice(null)}
          >
            {notice}
          </Alert>
        )}
        {actionError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
            {getErrorMessage(actionError)}
          </Alert>
        )}

        <MethodRow
          icon={<IconFingerprint size={18} aria-hidden />}
          title="Passkey"
          badge={
            <Badge color="bulwark" variant="outline">
              Strongest
            </Badge>
          }
          description="Sign in with this device's screen lock or a security key. Passkeys cannot be phished or intercepted."
        >
          <Button size="xs" variant="light" onClick={() => setOpen('passkey')}>
            Add passkey
          </Button>
        </MethodRow>
        {data.passkeys.length > 0 && (
          <Stack gap={4} pl="xl" role="list" aria-label="Your passkeys">
            {data.passkeys.map((passkey) => (
              <Group key={passkey.id} justify="space-between" role="listitem">
                <Text size="sm">
                  <strong>{passkey.name}</strong> · added {dateFormat.format(new Date(passkey.createdAt))}
                  {passkey.lastUsedAt ? ` · last used ${dateFormat.format(new Date(passkey.lastUsedAt))}` : ''}
                </Text>
                <Tooltip label={`Remove ${passkey.name}`}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove passkey ${passkey.name}`}
                    loading={removePasskey.isPending && removePasskey.variables === passkey.id}
                    onClick={() => removePasskey.mutate(passkey.id)}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ))}
          </Stack>
        )}

        <Divider />
        <MethodRow
          icon={<IconShieldLock size={18} aria-hidden />}
          title="Authenticator app"
          badge={data.totp ? onBadge : undefined}
          description="Six-digit codes from an app on your phone that change every 30 seconds; they work without a phone signal."
        >
          {data.totp ? (
            <Button size="xs" variant="light" color="red" loading={removeTotp.isPending} onClick={() => removeTotp.mutate()}>
              Remove
            </Button>
          ) : (
            <Button size="xs" variant="light" onClick={() => setOpen('totp')}>
              Set up
            </Button>
          )}
        </MethodRow>

        <Divider />
        <MethodRow
          icon={<IconDeviceMobileMessage size={18} aria-hidden />}
          title="Text message"
          badge={
            data.sms ? (
              onBadge
            ) : (
              // Dark text: the badge's small bold type needs 4.5:1 contrast.
              <Badge color="red" variant="light" c="red.9">
                Weakest
              </Badge>
            )
          }
          description={
            <>
              {data.sms ? `Codes go to ${data.sms.phone}. ` : ''}
              {SMS_WEAKEST_REASON}
            </>
          }
        >
          <Button size="xs" variant="light" onClick={() => setOpen('sms')}>
            {data.sms ? 'Edit' : 'Enable'}
          </Button>
        </MethodRow>
        {data.sms && <BackupEmailSetting sms={data.sms} />}

        {data.isEnabled && (
          <>
            <Divider />
            <MethodRow
              icon={<IconKey size={18} aria-hidden />}
              title="Recovery codes"
              description={`${data.recoveryCodesLeft} of 10 unused. Each signs you in once if you lose your other factors.`}
            >
              <Button size="xs" variant="light" loading={regenerate.isPending} onClick={() => regenerate.mutate()}>
                Generate new codes
              </Button>
            </MethodRow>
            {regenerate.data && <RecoveryCodesList codes={regenerate.data.recoveryCodes} />}
            <Divider />
            <Group justify="flex-end">
              <Button color="red" variant="outline" onClick={() => setOpen('disable')}>
                Disable
              </Button>
            </Group>
          </>
        )}
      </Stack>

      <SmsSetupPlane opened={open === 'sms'} onClose={() => setOpen(null)} onConfigured={refresh} />
      <TotpSetupModal opened={open === 'totp'} onClose={() => setOpen(null)} onConfigured={refresh} />
      <AddPasskeyModal opened={open === 'passkey'} onClose={() => setOpen(null)} />
      <DisableTwoFactorModal
        opened={open === 'disable'}
        onClose={() => setOpen(null)}
        onDisabled={() => {
          regenerate.reset();
          setNotice('Two-factor authentication is disabled for your account.');
        }}
      />
    </Paper>
  );
}
