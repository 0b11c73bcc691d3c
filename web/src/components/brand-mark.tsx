import { Group, Text } from '@mantine/core';

interface BrandLogoProps {
  size?: number;
  /** For dark backgrounds (the sign-in panel): a light shield. */
  isInverted?: boolean;
}

/** Bulwark's shield, drawn inline so it follows the colour scheme without an image request. */
export function BrandLogo({ size = 28, isInverted = false }: BrandLogoProps) {
  const outer = isInverted ? '#ffffff' : 'var(--mantine-primary-color-filled)';
  const inner = isInverted ? 'rgba(255, 255, 255, 0.55)' : 'var(--mantine-color-bulwark-3)';
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
      <path d="M16 2 4 6.5v8.2c0 7.4 5 13.4 12 15.3 7-1.9 12-7.9 12-15.3V6.5L16 2z" fill={outer} />
      <path d="M16 6.2 8 9.2v5.6c0 5 3.3 9.2 8 10.7V6.2z" fill={inner} />
    </svg>
  );
}

interface BrandMarkProps extends BrandLogoProps {
  /** Hide the word "Bulwark" (narrow headers); it stays available to screen readers. */
  isCompact?: boolean;
}

export function BrandMark({ size = 28, isInverted = false, isCompact = false }: BrandMarkProps) {
  return (
    <Group gap={10} wrap="nowrap">
      <BrandLogo size={size} isInverted={isInverted} />
      <Text
        component="span"
        fw={700}
        fz={size >= 32 ? 24 : 19}
        lts={-0.3}
        c={isInverted ? 'white' : undefined}
        className={isCompact ? 'bulwark-visually-hidden' : undefined}
      >
        Bulwark
      </Text>
    </Group>
  );
}
