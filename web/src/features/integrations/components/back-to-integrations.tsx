import { Anchor } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link } from 'react-router';

/** The way back from an integration's pages to the list. */
export function BackToIntegrations() {
  return (
    <Anchor component={Link} to="/settings/integrations" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} aria-hidden />
      Integrations
    </Anchor>
  );
}
