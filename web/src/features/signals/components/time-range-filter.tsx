import { Group, NativeSelect, TextInput } from '@mantine/core';

const PRESETS = [
  { value: '', label: 'Any time' },
  { value: '1', label: 'Last hour' },
  { value: '24', label: 'Last 24 hours' },
  { value: '168', label: 'Last 7 days' },
  { value: '720', label: 'Last 30 days' },
  { value: 'custom', label: 'Custom range' },
] as const;

/** ISO instant -> the `datetime-local` input's local "YYYY-MM-DDTHH:mm". */
function toLocalInput(iso: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInput(value: string): string {
  const time = Date.parse(value);
  return value && Number.isFinite(time) ? new Date(time).toISOString() : '';
}

interface TimeRangeFilterProps {
  from: string;
  to: string;
  onChange: (range: { from: string; to: string }) => void;
}

/** When the signals were observed: a preset (written into the URL as a start instant) or a custom range. */
export function TimeRangeFilter({ from, to, onChange }: TimeRangeFilterProps) {
  const preset = from || to ? 'custom' : '';
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <NativeSelect
        label="Observed"
        data={[...PRESETS]}
        value={preset}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (value === '') onChange({ from: '', to: '' });
          else if (value !== 'custom') onChange({ from: new Date(Date.now() - Number(value) * 3_600_000).toISOString(), to: '' });
          else onChange({ from: new Date(Date.now() - 24 * 3_600_000).toISOString(), to: '' });
        }}
        w={170}
      />
      {(from || to) && (
        <>
          <TextInput
            type="datetime-local"
            label="From"
            value={toLocalInput(from)}
            onChange={(event) => onChange({ from: fromLocalInput(event.currentTarget.value), to })}
            w={210}
          />
          <TextInput
            type="datetime-local"
            label="To"
            value={toLocalInput(to)}
            onChange={(event) => onChange({ from, to: fromLocalInput(event.currentTarget.value) })}
            w={210}
          />
        </>
      )}
    </Group>
  );
}
