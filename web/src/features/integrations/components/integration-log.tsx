import { Box, ScrollArea, Text } from '@mantine/core';
import type { LogLineResponse } from '../../../../../common/schemas/integrations.js';

const LEVEL_COLORS: Record<LogLineResponse['level'], string | undefined> = {
  INFO: undefined,
  WARN: 'var(--mantine-color-yellow-9)',
  ERROR: 'var(--mantine-color-red-8)',
};

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** The connector's recent log lines, newest first, as the seed's `docker logs … | grep tenable` would show them. */
export function IntegrationLog({ lines }: { lines: LogLineResponse[] }) {
  if (lines.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No log lines yet: each run writes one line per stream when it ends.
      </Text>
    );
  }
  return (
    <ScrollArea.Autosize mah={360} type="auto">
      <Box
        component="pre"
        role="log"
        aria-label="Connector log"
        m={0}
        p="sm"
        style={{
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 12,
          lineHeight: 1.6,
          background: 'var(--mantine-color-default-hover)',
          borderRadius: 'var(--mantine-radius-sm)',
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
        }}
      >
        {lines.map((line) => (
          <Box component="span" key={line.id} display="block" style={{ color: LEVEL_COLORS[line.level] }}>
            <Text span inherit c="dimmed">
              {timeFormat.format(new Date(line.at))}
            </Text>{' '}
            {line.line}
          </Box>
        ))}
      </Box>
    </ScrollArea.Autosize>
  );
}
