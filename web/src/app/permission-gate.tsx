import { Button, EmptyState } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { can, type Action } from '../../../common/permissions.js';
import { toActor } from '../features/auth';
import { getLandingPath } from './navigation-state';
import { useSignedInSession } from './session-context';

/**
 * Shows a page only to people whose role includes it; others see a plain explanation instead of
 * a failed request. The server enforces the same rule: this only spares the round trip.
 */
export function PermissionGate({ action, children }: { action: Action; children: ReactNode }) {
  const { user } = useSignedInSession();
  if (can(toActor(user), action)) return children;
  return (
    <EmptyState py={72} px="md" size="lg" withIndicatorBackground>
      <EmptyState.Indicator>
        <IconLock size={30} stroke={1.6} aria-hidden />
      </EmptyState.Indicator>
      <EmptyState.Title order={1}>This page is not available to you</EmptyState.Title>
      <EmptyState.Description maw={440}>Your role does not include it. If you need it, ask an Administrator.</EmptyState.Description>
      <EmptyState.Actions>
        <Button component={Link} to={getLandingPath(user)}>
          Back to start
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
