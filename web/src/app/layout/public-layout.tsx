import { Anchor, Box, Container } from '@mantine/core';
import { Link, Outlet } from 'react-router';
import { BrandMark } from '../../components/brand-mark';

/** The frame for pages anyone may see (not found) when nobody is signed in. */
export function PublicLayout() {
  return (
    <Box mih="100dvh" bg="var(--bulwark-surface)">
      <Box
        component="header"
        px="lg"
        py="md"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
        bg="var(--mantine-color-body)"
      >
        <Anchor component={Link} to="/login" underline="never" c="inherit" aria-label="Bulwark sign in" display="inline-block">
          <BrandMark size={26} />
        </Anchor>
      </Box>
      <Container component="main" id="main-content" size="sm" py={64}>
        <Outlet />
      </Container>
    </Box>
  );
}
