import { Anchor, Alert, Button, Card, Group, Modal, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconPhone } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { PhoneRegionResponse } from '../../../../../common/schemas/phone-support.js';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage } from '../../../lib/api-client';
import { useSession } from '../../auth';
import { usePhoneNumbers, useRegenerateSupportPin, useSupportPin } from '../phone-support.api';

function RegionNumbers({ region }: { region: PhoneRegionResponse }) {
  return (
    <Stack gap={6}>
      <Title order={4}>{region.label}</Title>
      {region.numbers.length === 0 && (
        <Text size="sm" c="dimmed">
          No numbers yet.
        </Text>
      )}
      {region.numbers.map((row) => (
        <div key={`${row.country}-${row.number}`}>
          <Text size="sm" fw={500}>
            {row.country}
          </Text>
          <Anchor href={`tel:${row.number}`} size="sm" style={{ whiteSpace: 'nowrap' }}>
            {row.display}
          </Anchor>
          {row.note && (
            <Text size="xs" c="dimmed">
              {row.note}
            </Text>
          )}
        </div>
      ))}
    </Stack>
  );
}

function ContactPin() {
  const pin = useSupportPin(true);
  const regenerate = useRegenerateSupportPin();
  const [isConfirming, setIsConfirming] = useState(false);

  const confirm = () => regenerate.mutate(undefined, { onSuccess: () => setIsConfirming(false) });

  return (
    <Group justify="space-between" align="center" wrap="wrap">
      <div>
        <Text size="sm" c="dimmed">
          Your Support PIN (read it to the agent when you call)
        </Text>
        {pin.isPending && <Skeleton height={28} width={120} />}
        {pin.isError && <Text c="red">{getErrorMessage(pin.error)}</Text>}
        {pin.data && (
          <Text ff="monospace" fz={24} fw={700} data-testid="support-pin">
            {pin.data.pin}
          </Text>
        )}
      </div>
      <Button
        variant="default"
        onClick={() => {
          regenerate.reset();
          setIsConfirming(true);
        }}
      >
        Regenerate
      </Button>
      <Modal opened={isConfirming} onClose={() => setIsConfirming(false)} title="Regenerate Support PIN" centered>
        <Stack gap="md">
          <Text size="sm">Your current PIN stops working at once. Use the new one the next time you call Support.</Text>
          {regenerate.isError && (
            <Alert color="red" variant="light">
              {getErrorMessage(regenerate.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setIsConfirming(false)}>
              Cancel
            </Button>
            <Button onClick={confirm} loading={regenerate.isPending}>
              Regenerate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}

/** The PIN part of the tile: a contact's own PIN, a sign-in link for visitors, nothing for staff. */
function PinSection() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return null;
  if (!session.data) {
    return (
      <Anchor component={Link} to="/login" state={{ from: `${location.pathname}${location.search}` }} size="sm">
        Sign in to see your Support PIN
      </Anchor>
    );
  }
  return session.data.user.kind === 'contact' ? <ContactPin /> : null;
}

/**
 * The Support page's Phone Support tile: the numbers of every region as tel: links and, for a
 * signed-in contact, the Support PIN that verifies them when they call.
 */
export function PhoneSupportCard() {
  const numbers = usePhoneNumbers();
  return (
    <Card withBorder shadow="xs" padding="lg">
      <Stack gap="md">
        <Group gap="xs">
          <IconPhone size={20} stroke={1.7} aria-hidden />
          <Title order={3}>Phone Support</Title>
        </Group>
        {numbers.isPending && <Skeleton height={120} />}
        {numbers.isError && (
          <QueryErrorAlert error={numbers.error} onRetry={() => void numbers.refetch()} title="Could not load the phone numbers" />
        )}
        {numbers.data && (
          // Sized by the card, not the window: the Support page and the PIN lookup give it different widths.
          <SimpleGrid type="container" cols={{ base: 1, '540px': 3 }} spacing="lg">
            {numbers.data.regions.map((region) => (
              <RegionNumbers key={region.region} region={region} />
            ))}
          </SimpleGrid>
        )}
        <PinSection />
      </Stack>
    </Card>
  );
}
