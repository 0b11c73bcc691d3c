import { Box, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { BrandMark } from './brand-mark';
import classes from './auth-layout.module.css';

interface AuthLayoutProps {
  title: string;
  /** One line under the title (whose password, what happens next). */
  subtitle?: ReactNode;
  children: ReactNode;
  /** Wider form column, for forms with more fields (setup). */
  isWide?: boolean;
}

export const TAGLINE = 'Vulnerability management for managed security providers';

/** The frame of every signed-out page: the brand panel beside (or above, on phones) one form. */
export function AuthLayout({ title, subtitle, children, isWide = false }: AuthLayoutProps) {
  return (
    <div className={classes.root}>
      <aside className={classes.brand} aria-label="About Bulwark">
        <BrandMark size={34} isInverted />
        <div className={classes.brandBody}>
          <Text component="p" className={classes.tagline}>
            {TAGLINE}
          </Text>
          <Text component="p" className={classes.brandNote}>
            One self-hosted console for every customer you protect.
          </Text>
        </div>
        <Text component="p" className={classes.brandFooter}>
          Self-hosted · Your data stays on your servers
        </Text>
      </aside>
      <main className={classes.main} id="main-content">
        <Box className={classes.form} maw={isWide ? 520 : 400}>
          <Stack gap={6} mb="xl">
            <Title order={1} className={classes.title}>
              {title}
            </Title>
            {subtitle && (
              <Text c="dimmed" size="sm">
                {subtitle}
              </Text>
            )}
          </Stack>
          {children}
        </Box>
      </main>
    </div>
  );
}
