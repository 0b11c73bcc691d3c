import { ActionIcon, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconMoon, IconSun } from '@tabler/icons-react';

/** Light or dark; Mantine remembers the choice in localStorage (see theme.ts). */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const next = computed === 'dark' ? 'light' : 'dark';

  return (
    <Tooltip label={next === 'dark' ? 'Dark theme' : 'Light theme'}>
      <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Toggle color scheme" onClick={() => setColorScheme(next)}>
        {computed === 'dark' ? <IconSun size={20} stroke={1.7} aria-hidden /> : <IconMoon size={20} stroke={1.7} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}
