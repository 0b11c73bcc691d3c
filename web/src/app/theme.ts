import { createTheme, localStorageColorSchemeManager, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

/** Bulwark's primary colour: a deep, slightly indigo blue that reads well in both colour schemes. */
const bulwark: MantineColorsTuple = [
  '#edf1fd',
  '#d9e0f6',
  '#afbfec',
  '#839ce3',
  '#5e7edb',
  '#476bd6',
  '#3a61d5',
  '#2c51bd',
  '#2448a9',
  '#163d96',
];

/** The key public/color-scheme.js reads before the first paint; keep the two in step. */
export const COLOR_SCHEME_STORAGE_KEY = 'bulwark-color-scheme';

export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_STORAGE_KEY });

const systemFonts =
  'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: 'bulwark',
  primaryShade: { light: 8, dark: 5 },
  colors: { bulwark },
  fontFamily: systemFonts,
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
  headings: {
    fontFamily: systemFonts,
    fontWeight: '650',
    sizes: {
      h1: { fontSize: '1.625rem', lineHeight: '1.25' },
      h2: { fontSize: '1.25rem', lineHeight: '1.3' },
      h3: { fontSize: '1.0625rem', lineHeight: '1.35' },
    },
  },
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    Button: { defaultProps: { fw: 600 } },
    Paper: { defaultProps: { radius: 'md' } },
    Card: { defaultProps: { radius: 'md' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 150 } },
    Badge: { defaultProps: { radius: 'sm' } },
    Table: { defaultProps: { verticalSpacing: 'sm', horizontalSpacing: 'md' } },
    // Required fields keep aria-required but no asterisk: labels read exactly as written.
    TextInput: { defaultProps: { withAsterisk: false } },
    NativeSelect: { defaultProps: { withAsterisk: false } },
    PasswordInput: {
      defaultProps: {
        withAsterisk: false,
        // Mantine's default label ("Toggle password visibility") would also match a search for the
        // label "Password"; this one names what the button does without repeating the field.
        visibilityToggleButtonProps: { 'aria-label': 'Show characters' },
      },
    },
  },
});

/**
 * Mantine's dimmed grey (#868e96) is 3.3:1 on white, under WCAG AA's 4.5:1 for body text; these
 * keep secondary text quiet but readable in both schemes (checked with axe-core).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#5b6472' },
  // Links in dark mode: bulwark-3 instead of bulwark-4, for 4.5:1 on the dark body.
  dark: { '--mantine-color-dimmed': '#a5aab0', '--mantine-color-anchor': 'var(--mantine-color-bulwark-3)' },
});
